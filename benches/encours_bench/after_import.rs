//! Issue 7's "each recomputed after an import": the cockpit's data source holds the
//! intelligence of the whole book, then a day's invoices or a day's bank lines (matched)
//! arrive, and the queue and the signals are asked for again.

use super::data::{Size, actor, ingest_ok, open, today};
use super::timing::{report, sample};
use chrono::Days;
use encours::app::source::DataSource;
use encours::app::store_source::{SourceSettings, StoreSource};
use encours::config::Settings;
use encours::domain::model::InvoiceKind;
use encours::locale::Language;
use encours::store::intel;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// A day of invoices at this size: the year's invoices over 365 days.
fn per_day(size: &Size) -> usize {
    (size.invoices / 730).max(10)
}

fn invoices_csv(g: &intel::Gathered, n: usize, run: usize) -> String {
    let mut s = String::from(
        "Invoice number;Customer code;Customer name;Issue date;Due date;Amount incl. tax;Currency;Disputed\n",
    );
    let rows: Vec<_> = g.bundles.values().map(|b| &b.row).collect();
    for k in 0..n {
        let c = rows[(k * 7_919 + run * 13) % rows.len()];
        let _ = writeln!(
            s,
            "DAY{run}-{k:06};{};{};{};{};{},{:02};EUR;no",
            c.code,
            c.name,
            today() - Days::new(1),
            today() + Days::new(44),
            100 + (k * 37) % 5_000,
            k % 100
        );
    }
    s
}

/// Credits paying `n` open invoices in full, with the invoice number in the label, as the
/// bank CSV of the other rows is written.
fn bank_csv(g: &intel::Gathered, n: usize, run: usize) -> String {
    let mut s = String::from("IBAN : FR76 3000 6000 0112 3456 7890 189;;;\n");
    s.push_str("Date opération;Libellé;Montant;Devise\n");
    let items = g.bundles.values().filter_map(|b| {
        let i = b
            .open_items
            .iter()
            .find(|i| i.kind == InvoiceKind::Invoice)?;
        Some((b.row.name.clone(), i.number.clone(), i.open))
    });
    for (name, number, open) in items.skip(run * n).take(n) {
        let _ = writeln!(
            s,
            "{};VIR SEPA {name} FACT {number};{};EUR",
            today().format("%d/%m/%Y"),
            open.to_string().replace('.', ",")
        );
    }
    s
}

pub fn rows(size: &Size, settings: &Settings, matched_db: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("after-import.db");
    std::fs::copy(matched_db, &db).unwrap();
    let source_settings = SourceSettings::from_settings(settings, Language::En).unwrap();
    let mut source = StoreSource::new(open(&db), source_settings);
    source.queue(today()).unwrap();
    let dunning = encours::policy::builtin();
    let p = intel::Params::new(settings, &dunning, Language::En);
    let n = per_day(size);
    // The book as it stands, outside the timings: where the day's files take their
    // customers and invoices from.
    let book = intel::gather(source.store().conn(), &p, today(), None).unwrap();
    let mut run = 0;
    let ask = |source: &mut StoreSource| {
        let start = Instant::now();
        let signals = source.signals(today()).unwrap().rows.len();
        let queue = source.queue(today()).unwrap().lines.len();
        assert!(signals > 0 && queue > 0, "empty signals or queue");
        start.elapsed()
    };
    let invoices = sample(size.runs, || {
        run += 1;
        let csv = invoices_csv(&book, n, run);
        ingest_ok(
            source.store_mut(),
            csv.as_bytes(),
            &format!("day-{run}.csv"),
            settings,
        );
        ask(&mut source)
    });
    report(
        size.name,
        &format!("queue + signals after a day's invoices ({n} imported)"),
        &invoices,
        None,
        "incremental refresh",
    );
    let credits = n * 2 / 3;
    let bank = sample(size.runs, || {
        run += 1;
        let csv = bank_csv(&book, credits, run);
        ingest_ok(
            source.store_mut(),
            csv.as_bytes(),
            &format!("bank-{run}.csv"),
            settings,
        );
        encours::store::matching::run_matching(
            source.store_mut(),
            &settings.matching.params(),
            &actor(),
        )
        .unwrap();
        ask(&mut source)
    });
    report(
        size.name,
        &format!("queue + signals after a day's bank lines matched ({credits} credits)"),
        &bank,
        None,
        "incremental refresh",
    );
}
