//! The ageing report against figures worked by hand.

use chrono::NaiveDate;
use encours::domain::ageing::Buckets;
use encours::domain::model::{InvoiceKind, NewCustomer, NewInvoice};
use encours::domain::money::Currency;
use encours::import::{Format, ImportBatch};
use encours::store::ageing::{ageing_report, for_each_open_item, total_open};
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

    assert_eq!(
        total_open(store.conn(), d(2026, 3, 31)).unwrap(),
        dec!(4150)
    );

    // Looking back: on 2026-01-31 only what was issued by then, aged as of then.
    let earlier = ageing_report(store.conn(), d(2026, 1, 31), Buckets::default(), 30).unwrap();
    // A3 due 01-20 → 11 days (1-30); B2 due 2025-12-16 → 46 days (31-60).
    assert_eq!(
        earlier.total.buckets,
        [dec!(0), dec!(300), dec!(400), dec!(0), dec!(0)]
    );
}

/// An invoice file's batch with one customer, ALPHA, and no invoices yet.
fn alpha_batch() -> ImportBatch {
    let mut batch = ImportBatch::new(Format::InvoiceCsv);
    batch.customers.push(NewCustomer {
        code: "ALPHA".into(),
        name: "ALPHA SARL".into(),
        ..Default::default()
    });
    batch
}

/// Items in several currencies are summed one by one, as their amounts add up; each
/// currency alone is summed by SQLite. Both give what the items give, and so does the
/// ageing report, which hands the usual currency over as NULL and the others as codes.
#[test]
fn the_total_open_adds_each_items_amount_whatever_the_currencies() {
    let mut store = Store::open_in_memory().unwrap();
    let mut batch = alpha_batch();
    let jpy = Currency::parse("JPY").unwrap();
    batch.invoices = vec![
        inv("E1", "ALPHA", d(2026, 3, 1), None, dec!(100.25)),
        NewInvoice {
            kind: InvoiceKind::CreditNote,
            ..inv("EC1", "ALPHA", d(2026, 3, 2), None, dec!(20.05))
        },
        NewInvoice {
            currency: jpy,
            ..inv("J1", "ALPHA", d(2026, 3, 3), None, dec!(5000))
        },
    ];
    let actor = Actor::new("t", d(2026, 3, 31).and_hms_opt(8, 0, 0).unwrap());
    store
        .write(|tx| write_batch(tx, &batch, "f.csv", "sha", &actor))
        .unwrap();
    let items_sum = |on: NaiveDate| {
        let mut sum = Decimal::ZERO;
        for_each_open_item(store.conn(), on, 30, None, |i| sum += i.open).unwrap();
        sum
    };
    for (on, expected) in [
        (d(2026, 3, 1), dec!(100.25)),
        (d(2026, 3, 2), dec!(80.20)),
        (d(2026, 3, 31), dec!(5080.20)),
        (d(2026, 2, 1), dec!(0)),
    ] {
        assert_eq!(items_sum(on), expected, "items on {on}");
        assert_eq!(
            total_open(store.conn(), on).unwrap(),
            expected,
            "total on {on}"
        );
        let report = ageing_report(store.conn(), on, Buckets::default(), 30).unwrap();
        assert_eq!(report.total.open, expected, "report on {on}");
    }
}

/// The ageing report takes the currency of the first open invoice it finds as the usual
/// one (handed over as NULL): whichever that is, every item keeps its own decimals.
#[test]
fn the_ageing_report_keeps_each_currencys_decimals_whichever_comes_first() {
    let jpy = Currency::parse("JPY").unwrap();
    let yen = NewInvoice {
        currency: jpy,
        ..inv("J1", "ALPHA", d(2026, 3, 3), None, dec!(5000))
    };
    let euro = inv("E1", "ALPHA", d(2026, 3, 1), None, dec!(100.25));
    for invoices in [vec![yen.clone(), euro.clone()], vec![euro, yen]] {
        let mut store = Store::open_in_memory().unwrap();
        let mut batch = alpha_batch();
        batch.invoices = invoices;
        let actor = Actor::new("t", d(2026, 3, 31).and_hms_opt(8, 0, 0).unwrap());
        store
            .write(|tx| write_batch(tx, &batch, "f.csv", "sha", &actor))
            .unwrap();
        let report = ageing_report(store.conn(), d(2026, 3, 31), Buckets::default(), 30).unwrap();
        assert_eq!(report.total.open, dec!(5100.25));
        assert_eq!(report.total.invoices, 2);
    }
}

mod settled {
    //! The settled day each invoice carries (schema step 6) must follow every writer of
    //! allocations: a matching run, a person's assignment, an undo, a reversal, a ledger
    //! settlement at import. Checked through the ageing report and against the day
    //! recomputed here from the allocation rows.

    use super::{d, inv};
    use chrono::NaiveDate;
    use encours::domain::ageing::Buckets;
    use encours::domain::matching::MatchParams;
    use encours::domain::model::{AccountRef, LedgerSettlement, NewBankTransaction, NewStatement};
    use encours::domain::money::Currency;
    use encours::import::{Format, ImportBatch};
    use encours::store::ageing::ageing_report;
    use encours::store::import_writer::write_batch;
    use encours::store::{Actor, Store, matching};
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;
    use std::collections::BTreeMap;

    fn actor() -> Actor {
        Actor::new("t", d(2026, 6, 1).and_hms_opt(8, 0, 0).unwrap())
    }

    fn write(store: &mut Store, batch: &ImportBatch, name: &str) {
        store
            .write(|tx| write_batch(tx, batch, name, name, &actor()))
            .unwrap();
    }

    fn credit(on: NaiveDate, amount: Decimal, text: &str, reversal: bool) -> NewBankTransaction {
        NewBankTransaction {
            booking_date: on,
            amount,
            currency: Currency::EUR,
            counterparty_name: Some("ALPHA SARL".into()),
            counterparty_iban: Some("FR7611111111111111111111111".into()),
            remittance: text.into(),
            reversal,
            ..Default::default()
        }
    }

    fn bank(store: &mut Store, name: &str, lines: Vec<NewBankTransaction>) {
        let mut batch = ImportBatch::new(Format::Camt053);
        batch.statements = vec![NewStatement {
            account: AccountRef {
                iban: Some("FR7630006000011234567890189".into()),
                ..Default::default()
            },
            transactions: lines,
            ..Default::default()
        }];
        write(store, &batch, name);
    }

    fn open_on(store: &Store, on: NaiveDate) -> Decimal {
        ageing_report(store.conn(), on, Buckets::default(), 30)
            .unwrap()
            .total
            .open
    }

    /// Recomputes each invoice's settled day from its active allocation rows and compares
    /// it with the stored one.
    fn assert_settled_days_follow_allocations(store: &Store) {
        let conn = store.conn();
        let mut due: BTreeMap<i64, (i64, String, Option<String>)> = BTreeMap::new();
        let mut stmt = conn
            .prepare(
                "SELECT id, amount_minor - prepaid_minor, issue_date, settled_on FROM invoices",
            )
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            due.insert(
                r.get(0).unwrap(),
                (r.get(1).unwrap(), r.get(2).unwrap(), r.get(3).unwrap()),
            );
        }
        let mut paid: BTreeMap<i64, Vec<(String, i64)>> = BTreeMap::new();
        let mut stmt = conn
            .prepare(
                "SELECT invoice_id, credit_note_id, paid_on, amount_minor FROM allocations
                 WHERE undone_at IS NULL",
            )
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let on: String = r.get(2).unwrap();
            let minor: i64 = r.get(3).unwrap();
            paid.entry(r.get(0).unwrap())
                .or_default()
                .push((on.clone(), minor));
            if let Some(cn) = r.get::<_, Option<i64>>(1).unwrap() {
                paid.entry(cn).or_default().push((on, minor));
            }
        }
        for (id, list) in &paid {
            let first = list.iter().map(|p| p.0.clone()).min();
            let stored: Option<String> = conn
                .query_row(
                    "SELECT first_paid_on FROM invoices WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(stored, first, "first payment day of invoice #{id}");
        }
        let unpaid_with_day: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM invoices i WHERE i.first_paid_on IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.undone_at IS NULL
                                 AND (a.invoice_id = i.id OR a.credit_note_id = i.id))",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(unpaid_with_day, 0, "a first payment day without a payment");
        assert_ageing_follows_allocations(store);
        for (id, (owed, issued, stored)) in due {
            let expected = if owed <= 0 {
                Some(issued)
            } else {
                let mut list = paid.remove(&id).unwrap_or_default();
                list.sort();
                let mut sum = 0;
                list.into_iter().find_map(|(on, minor)| {
                    sum += minor;
                    (sum >= owed).then_some(on)
                })
            };
            assert_eq!(stored, expected, "invoice #{id}");
        }
    }

    /// The open amount on a range of days, recomputed from the rows (total − prepaid − active
    /// allocations paid by then, never below zero), against the ageing report's total.
    fn assert_ageing_follows_allocations(store: &Store) {
        let conn = store.conn();
        let mut dates: Vec<String> = conn
            .prepare(
                "SELECT issue_date FROM invoices UNION SELECT paid_on FROM allocations
                 UNION SELECT settled_on FROM invoices WHERE settled_on IS NOT NULL",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        dates.sort();
        for day in dates {
            let on = NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap();
            for probe in [on.pred_opt().unwrap(), on] {
                let expected: i64 = conn
                    .query_row(
                        "SELECT COALESCE(SUM(MAX(0, open) * CASE kind WHEN 'credit_note'
                                                THEN -1 ELSE 1 END), 0)
                         FROM (SELECT i.kind, i.amount_minor - i.prepaid_minor
                               - (SELECT COALESCE(SUM(a.amount_minor), 0) FROM allocations a
                                  WHERE (a.invoice_id = i.id OR a.credit_note_id = i.id)
                                    AND a.undone_at IS NULL AND a.paid_on <= ?1) AS open
                               FROM invoices i WHERE i.issue_date <= ?1)",
                        [probe.to_string()],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(
                    open_on(store, probe) * dec!(100),
                    Decimal::from(expected),
                    "open on {probe}"
                );
                assert_eq!(
                    super::total_open(store.conn(), probe).unwrap() * dec!(100),
                    Decimal::from(expected),
                    "total open on {probe}"
                );
            }
        }
    }

    fn books() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let mut batch = super::alpha_batch();
        batch.invoices = vec![
            inv(
                "FA-1001",
                "ALPHA",
                d(2026, 1, 10),
                Some(d(2026, 2, 9)),
                dec!(1000),
            ),
            inv(
                "FA-1002",
                "ALPHA",
                d(2026, 1, 20),
                Some(d(2026, 2, 19)),
                dec!(500),
            ),
        ];
        write(&mut store, &batch, "invoices");
        store
    }

    #[test]
    fn undoing_an_allocation_reopens_the_invoice_in_ageing() {
        let mut store = books();
        bank(
            &mut store,
            "bank1",
            vec![credit(
                d(2026, 2, 15),
                dec!(1000),
                "VIR FACTURE FA-1001",
                false,
            )],
        );
        let run = matching::run_matching(&mut store, &MatchParams::default(), &actor()).unwrap();
        assert_eq!(run.allocation_ids.len(), 1);
        assert_settled_days_follow_allocations(&store);
        // Paid on 02-15: open the day before, not after.
        assert_eq!(open_on(&store, d(2026, 2, 14)), dec!(1500));
        assert_eq!(open_on(&store, d(2026, 3, 31)), dec!(500));

        let undone =
            matching::undo_allocation(&mut store, run.allocation_ids[0], "wrong", &actor())
                .unwrap();
        assert_eq!(undone, run.allocation_ids);
        assert_settled_days_follow_allocations(&store);
        assert_eq!(open_on(&store, d(2026, 3, 31)), dec!(1500));

        // A person assigns the credit again, to both invoices: oldest first, so it pays
        // FA-1001 in full and nothing is left for FA-1002.
        let tx_id: i64 = store
            .conn()
            .query_row("SELECT id FROM bank_transactions", [], |r| r.get(0))
            .unwrap();
        let (a, b): (i64, i64) = store
            .conn()
            .query_row("SELECT MIN(id), MAX(id) FROM invoices", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        matching::assign(&mut store, tx_id, &[b, a], &actor()).unwrap();
        assert_settled_days_follow_allocations(&store);
        assert_eq!(open_on(&store, d(2026, 3, 31)), dec!(500));

        // A returned transfer takes the credit back: both invoices are open again.
        bank(
            &mut store,
            "bank2",
            vec![credit(
                d(2026, 2, 20),
                dec!(-1000),
                "RETOUR VIR FACTURE FA-1001",
                true,
            )],
        );
        let run = matching::run_matching(&mut store, &MatchParams::default(), &actor()).unwrap();
        assert_eq!(run.reversals.len(), 1, "{run:?}");
        assert_settled_days_follow_allocations(&store);
        assert_eq!(open_on(&store, d(2026, 3, 31)), dec!(1500));
        // Looking back to before the reversal does not bring the payment back either: the
        // allocation is undone, not dated.
        assert_eq!(open_on(&store, d(2026, 2, 18)), dec!(1500));
    }

    #[test]
    fn ledger_settlements_settle_on_the_day_they_reach_the_amount() {
        let mut store = books();
        let settle = |number: &str, on: NaiveDate, amount: Decimal| LedgerSettlement {
            invoice_number: number.into(),
            date: on,
            amount,
            currency: Currency::EUR,
            lettering_code: "AA".into(),
            location: Default::default(),
        };
        let mut batch = ImportBatch::new(Format::Fec);
        batch.settlements = vec![
            settle("FA-1001", d(2026, 2, 10), dec!(400)),
            settle("FA-1001", d(2026, 3, 5), dec!(600)),
            settle("FA-1002", d(2026, 2, 25), dec!(500)),
        ];
        write(&mut store, &batch, "fec");
        assert_settled_days_follow_allocations(&store);
        assert_eq!(open_on(&store, d(2026, 2, 9)), dec!(1500));
        assert_eq!(open_on(&store, d(2026, 2, 10)), dec!(1100));
        assert_eq!(open_on(&store, d(2026, 3, 4)), dec!(600));
        assert_eq!(open_on(&store, d(2026, 3, 5)), dec!(0));
    }

    /// Partial payments from two runs, a credit note applied by hand (SQL, as an accounting
    /// tool would) and undone, a payment dated before an earlier one: every maintained day
    /// and every open amount follows the rows.
    #[test]
    fn partial_payments_and_credit_notes_keep_the_paid_state() {
        let mut store = books();
        let mut batch = ImportBatch::new(Format::InvoiceCsv);
        let mut credit_note = inv("AV-1", "ALPHA", d(2026, 2, 1), None, dec!(200));
        credit_note.kind = encours::domain::model::InvoiceKind::CreditNote;
        batch.invoices = vec![credit_note];
        write(&mut store, &batch, "credit notes");
        bank(
            &mut store,
            "bank1",
            vec![credit(d(2026, 3, 10), dec!(300), "ACOMPTE FA-1001", false)],
        );
        let run = matching::run_matching(&mut store, &MatchParams::default(), &actor()).unwrap();
        assert_eq!(run.allocation_ids.len(), 1, "{run:?}");
        assert_settled_days_follow_allocations(&store);
        assert_eq!(open_on(&store, d(2026, 3, 31)), dec!(1000));

        // A second, earlier-dated payment of the rest of FA-1001 in a later run: the invoice
        // was paid in part before, so the run recomputes it from the rows.
        bank(
            &mut store,
            "bank2",
            vec![credit(d(2026, 3, 1), dec!(700), "SOLDE FA-1001", false)],
        );
        let run = matching::run_matching(&mut store, &MatchParams::default(), &actor()).unwrap();
        assert_eq!(run.allocation_ids.len(), 1, "{run:?}");
        assert_settled_days_follow_allocations(&store);
        let (first, settled): (String, String) = store
            .conn()
            .query_row(
                "SELECT first_paid_on, settled_on FROM invoices WHERE number = 'FA-1001'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (first.as_str(), settled.as_str()),
            ("2026-03-01", "2026-03-10")
        );

        // The credit note applied to FA-1002, then undone.
        let id = |number: &str| -> i64 {
            store
                .conn()
                .query_row("SELECT id FROM invoices WHERE number = ?1", [number], |r| {
                    r.get(0)
                })
                .unwrap()
        };
        let (fa2, av1) = (id("FA-1002"), id("AV-1"));
        store
            .conn()
            .execute(
                "INSERT INTO allocations (invoice_id, credit_note_id, amount_minor, paid_on, rule,
                     evidence, who, created_at)
                 VALUES (?1, ?2, 20000, '2026-02-20', 'credit_note', 'by hand', 't', 'now')",
                [fa2, av1],
            )
            .unwrap();
        assert_settled_days_follow_allocations(&store);
        store
            .conn()
            .execute(
                "UPDATE allocations SET undone_at = 'now' WHERE credit_note_id = ?1",
                [av1],
            )
            .unwrap();
        assert_settled_days_follow_allocations(&store);
    }

    /// A database written by the schema before the paid state (with allocations, a credit
    /// note applied and an undone row) upgrades with every invoice's first payment day
    /// backfilled and the same open amounts.
    #[test]
    fn a_database_from_before_the_paid_state_upgrades_with_it_backfilled() {
        use encours::store::{OpenOptions, schema};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let step = schema::MIGRATIONS
            .iter()
            .position(|m| m.contains("ADD COLUMN first_paid_on"))
            .expect("the paid-state step");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            for m in &schema::MIGRATIONS[..step] {
                conn.execute_batch(m).unwrap();
            }
            conn.pragma_update(None, "user_version", step as i64)
                .unwrap();
            conn.execute_batch(
                "INSERT INTO customers (id, code, name) VALUES (1, 'ALPHA', 'ALPHA SARL');
                 INSERT INTO invoices (id, number, number_key, kind, customer_id, issue_date,
                     due_date, amount_minor, currency)
                 VALUES (1, 'FA-1', 'FA1', 'invoice', 1, '2026-01-10', '2026-02-09', 100000, 'EUR'),
                        (2, 'FA-2', 'FA2', 'invoice', 1, '2026-01-20', NULL, 50000, 'EUR'),
                        (3, 'AV-1', 'AV1', 'credit_note', 1, '2026-01-25', NULL, 20000, 'EUR');
                 INSERT INTO allocations (invoice_id, credit_note_id, amount_minor, paid_on,
                     rule, evidence, who, created_at, undone_at)
                 VALUES (1, NULL, 40000, '2026-02-10', 'ledger', 'x', 't', 'now', NULL),
                        (1, NULL, 60000, '2026-03-05', 'ledger', 'x', 't', 'now', NULL),
                        (2, 3, 20000, '2026-02-01', 'credit_note', 'x', 't', 'now', NULL),
                        (2, NULL, 30000, '2026-01-30', 'ledger', 'x', 't', 'now', 'undone');",
            )
            .unwrap();
        }
        let store = Store::open(&path, OpenOptions::default()).unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            schema::MIGRATIONS.len() as i64
        );
        assert_settled_days_follow_allocations(&store);
        let first: Vec<Option<String>> = store
            .conn()
            .prepare("SELECT first_paid_on FROM invoices ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            first,
            [
                Some("2026-02-10".to_string()),
                Some("2026-02-01".to_string()),
                Some("2026-02-01".to_string())
            ]
        );
        // FA-1 settled on 03-05; FA-2 300 open; the credit note used up.
        assert_eq!(open_on(&store, d(2026, 3, 31)), dec!(300));
        assert_eq!(open_on(&store, d(2026, 2, 15)), dec!(900));
    }
}
