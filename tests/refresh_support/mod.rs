//! What the refresh tests share: the day, the actor, importing a generated file, a gather in
//! a form that compares exactly, and a day's invoices for some customers.
#![allow(dead_code)]

use chrono::{Days, NaiveDate};
use encours::config::Settings;
use encours::domain::model::{InvoiceKind, NewInvoice};
use encours::domain::money::Currency;
use encours::import::{ImportBatch, ParseContext};
use encours::ingest::{IngestOutcome, ingest};
use encours::store::intel::Gathered;
use encours::store::{Actor, Store, import_writer};
use rust_decimal::Decimal;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
}

pub fn actor() -> Actor {
    Actor::new("tester", today().and_hms_opt(9, 0, 0).unwrap())
}

pub fn ingest_ok(store: &mut Store, bytes: &[u8], name: &str, settings: &Settings) {
    let ctx = ParseContext {
        file_name: name.to_string(),
        default_currency: settings.general.currency,
        csv_profiles: settings.import.csv_profiles.clone(),
    };
    match ingest(store, bytes, name, &ctx, &actor()) {
        Ok(IngestOutcome::Imported(_)) => {}
        other => panic!("{name}: {other:?}"),
    }
}

/// Everything a gather gives, in a form that compares exactly.
pub fn shape(g: &Gathered) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        g.as_of, g.portfolio, g.newest_bank_data, g.lateness, g.bundles
    )
}

/// One invoice of `amount` issued yesterday for each of the first `customers` customers
/// of the gather, written as a day's file would be.
pub fn write_day_invoices(store: &mut Store, g: &Gathered, customers: usize, amount: Decimal) {
    let invoices = g
        .bundles
        .values()
        .take(customers)
        .enumerate()
        .map(|(n, b)| NewInvoice {
            number: format!("NEW-{n}"),
            kind: InvoiceKind::Invoice,
            customer_code: b.row.code.clone(),
            issue_date: today() - Days::new(1),
            due_date: Some(today() + Days::new(29)),
            amount,
            currency: Currency::EUR,
            ..Default::default()
        })
        .collect();
    let batch = ImportBatch {
        invoices,
        ..Default::default()
    };
    store
        .write(|tx| import_writer::write_batch(tx, &batch, "day.csv", "sha-day", &actor()))
        .unwrap();
}

/// The kept delay table of `live` equals the one read whole: every customer's histogram
/// (those of the gather and any id up to the highest) and the portfolio's.
pub fn assert_same_delays(
    live: &mut encours::store::intel::Live,
    conn: &rusqlite::Connection,
    p: &encours::store::intel::Params,
    months: u32,
    what: &str,
) {
    let full =
        encours::store::forecast::payment_history(conn, today(), p.default_terms_days, months)
            .unwrap();
    let top = live.gathered.bundles.keys().max().copied().unwrap_or(0);
    let kept = live.delays(conn, p, months).unwrap();
    assert_eq!(
        kept.portfolio(),
        full.portfolio(),
        "after {what}, the kept portfolio delay history differs"
    );
    for c in 0..=top + 1 {
        assert_eq!(
            kept.customer(c),
            full.customer(c),
            "after {what}, the kept delay history of customer {c} differs"
        );
    }
}
