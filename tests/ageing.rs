//! The ageing report against figures worked by hand.

use chrono::NaiveDate;
use encours::domain::ageing::Buckets;
use encours::domain::model::{InvoiceKind, NewCustomer, NewInvoice};
use encours::domain::money::Currency;
use encours::import::{Format, ImportBatch};
use encours::store::ageing::ageing_report;
use encours::store::import_writer::write_batch;
use encours::store::{Actor, Store};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn inv(
    number: &str,
    customer: &str,
    issue: NaiveDate,
    due: Option<NaiveDate>,
    amount: Decimal,
) -> NewInvoice {
    NewInvoice {
        number: number.into(),
        customer_code: customer.into(),
        issue_date: issue,
        due_date: due,
        amount,
        currency: Currency::EUR,
        ..Default::default()
    }
}

/// As of 2026-03-31:
/// - ALPHA: A1 1,000 due 2026-04-15 (not due); A2 2,000 due 2026-03-16 (15 days: 1-30),
///   of which 500 prepaid → 1,500; A3 300 due 2026-01-20 (70 days: 61-90).
/// - BETA (terms 45 days, no due dates): B1 issued 2026-02-01 → due 2026-03-18 (13 days:
///   1-30) 800; B2 issued 2025-11-01 → due 2025-12-16 (105 days: 91+) 400;
///   credit note BC1 100 → -100 in "not due".
/// - GAMMA (default terms 30): G1 issued 2026-03-15 → due 2026-04-14, not due, 250;
///   G2 issued after the as-of date: ignored.
///   Totals: not due 1,000 - 100 + 250 = 1,150; 1-30: 1,500 + 800 = 2,300; 31-60: 0;
///   61-90: 300; 91+: 400; open 4,150; overdue 3,000.
#[test]
fn ageing_matches_hand_computed_figures() {
    let mut store = Store::open_in_memory().unwrap();
    let mut batch = ImportBatch::new(Format::InvoiceCsv);
    for (code, terms) in [("ALPHA", None), ("BETA", Some(45)), ("GAMMA", None)] {
        batch.customers.push(NewCustomer {
            code: code.into(),
            name: format!("{code} SARL"),
            payment_terms_days: terms,
            ..Default::default()
        });
    }
    batch.invoices = vec![
        inv(
            "A1",
            "ALPHA",
            d(2026, 3, 16),
            Some(d(2026, 4, 15)),
            dec!(1000),
        ),
        NewInvoice {
            prepaid: dec!(500),
            ..inv(
                "A2",
                "ALPHA",
                d(2026, 2, 14),
                Some(d(2026, 3, 16)),
                dec!(2000),
            )
        },
        inv(
            "A3",
            "ALPHA",
            d(2025, 12, 21),
            Some(d(2026, 1, 20)),
            dec!(300),
        ),
        inv("B1", "BETA", d(2026, 2, 1), None, dec!(800)),
        inv("B2", "BETA", d(2025, 11, 1), None, dec!(400)),
        NewInvoice {
            kind: InvoiceKind::CreditNote,
            ..inv("BC1", "BETA", d(2026, 2, 10), None, dec!(100))
        },
        inv("G1", "GAMMA", d(2026, 3, 15), None, dec!(250)),
        inv("G2", "GAMMA", d(2026, 4, 2), None, dec!(9999)),
    ];
    let actor = Actor::new("t", d(2026, 3, 31).and_hms_opt(8, 0, 0).unwrap());
    store
        .write(|tx| write_batch(tx, &batch, "f.csv", "sha", &actor))
        .unwrap();

    let report = ageing_report(store.conn(), d(2026, 3, 31), Buckets::default(), 30).unwrap();
    assert_eq!(
        report.total.buckets,
        [dec!(1150), dec!(2300), dec!(0), dec!(300), dec!(400)]
    );
    assert_eq!(report.total.open, dec!(4150));
    assert_eq!(report.total.overdue, dec!(3000));

    let by_code = |code: &str| report.customers.iter().find(|c| c.code == code).unwrap();
    assert_eq!(
        by_code("ALPHA").totals.buckets,
        [dec!(1000), dec!(1500), dec!(0), dec!(300), dec!(0)]
    );
    assert_eq!(by_code("ALPHA").oldest_days_past_due, 70);
    assert_eq!(
        by_code("BETA").totals.buckets,
        [dec!(-100), dec!(800), dec!(0), dec!(0), dec!(400)]
    );
    assert_eq!(by_code("BETA").oldest_days_past_due, 105);
    assert_eq!(by_code("GAMMA").totals.open, dec!(250));
    // Largest overdue first.
    assert_eq!(report.customers[0].code, "ALPHA");

    // Looking back: on 2026-01-31 only what was issued by then, aged as of then.
    let earlier = ageing_report(store.conn(), d(2026, 1, 31), Buckets::default(), 30).unwrap();
    // A3 due 01-20 → 11 days (1-30); B2 due 2025-12-16 → 46 days (31-60).
    assert_eq!(
        earlier.total.buckets,
        [dec!(0), dec!(300), dec!(400), dec!(0), dec!(0)]
    );
}
