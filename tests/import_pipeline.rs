//! The streamed imports (bank and invoice CSV) as `ingest` runs them: parsed on a reader
//! thread and written in file order on the caller's, with foreign-key checks off for the
//! write and the settled-day trigger set aside for a large invoice load. What these pin:
//! the first problem in file order is the one reported, whichever side finds it; nothing
//! of a refused file stays; the connection's foreign-key checks come back on; and the rows
//! written without the trigger carry what it would have written.

use chrono::NaiveDate;
use encours::import::ParseContext;
use encours::ingest::{IngestError, IngestOutcome, ingest};
use encours::store::{Actor, OpenOptions, Store};

fn actor() -> Actor {
    Actor::new(
        "tester",
        NaiveDate::from_ymd_opt(2026, 6, 15)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap(),
    )
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db"), OpenOptions::default()).unwrap();
    (dir, store)
}

fn try_import(store: &mut Store, text: &str, name: &str) -> Result<IngestOutcome, IngestError> {
    ingest(
        store,
        text.as_bytes(),
        name,
        &ParseContext::default(),
        &actor(),
    )
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Foreign keys are enforced again and every row written with them off holds.
fn assert_foreign_keys_hold(store: &Store) {
    assert_eq!(count(store, "PRAGMA foreign_keys"), 1);
    let broken: i64 = count(store, "SELECT COUNT(*) FROM pragma_foreign_key_check");
    assert_eq!(broken, 0);
}

fn bank(lines: usize, tweak: impl Fn(usize, String) -> String) -> String {
    let mut s = String::from("IBAN : FR76 3000 6000 0112 3456 7890 189;;;\n");
    s.push_str("Date opération;Libellé;Montant;Devise\n");
    for n in 0..lines {
        let line = format!(
            "{:02}/03/2026;VIR SEPA CLIENT {:05} FACT FA-{:06};{},{:02};EUR",
            1 + n % 28,
            n % 700,
            n + 1,
            10 + n % 900,
            n % 100
        );
        s.push_str(&tweak(n, line));
        s.push('\n');
    }
    s
}

#[test]
fn a_bank_file_is_written_whole_across_many_batches() {
    let (_dir, mut store) = open();
    let text = bank(5_000, |_, l| l);
    match try_import(&mut store, &text, "bank.csv").unwrap() {
        IngestOutcome::Imported(s) => {
            assert_eq!((s.transactions_inserted, s.statements), (5_000, 1))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM bank_transactions"),
        5_000
    );
    // Lines keep their file order in the table.
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM bank_transactions a JOIN bank_transactions b ON b.id = a.id + 1
             WHERE b.remittance NOT LIKE '%FA-' || printf('%06d', a.id + 1)"
        ),
        0
    );
    assert_foreign_keys_hold(&store);
}

#[test]
fn the_writer_refusing_an_early_line_wins_over_the_reader_refusing_a_later_one() {
    let (_dir, mut store) = open();
    // Line 3 of the file (data row 0) has an amount finer than yen allow: the writer refuses
    // it. Data row 3_000, thousands of lines (and batches) later, has a bad date: the reader
    // refuses it (an impossible date), possibly before the writer reached line 3.
    let text = bank(4_000, |n, l| match n {
        0 => "01/03/2026;VIR SEPA CLIENT 00000 FACT FA-000001;10,50;JPY".to_string(),
        3_000 => l.replacen(&l[..10], "31/02/2026", 1),
        _ => l,
    });
    let e = try_import(&mut store, &text, "bank.csv").unwrap_err();
    let message = e.to_string();
    assert!(message.contains("line 3, field 'amount'"), "{message}");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM bank_transactions"), 0);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM imports"), 0);
    assert_foreign_keys_hold(&store);

    // Without the early problem, the later one is reported with its line.
    let text = bank(4_000, |n, l| {
        if n == 3_000 {
            l.replacen(&l[..10], "31/02/2026", 1)
        } else {
            l
        }
    });
    let message = try_import(&mut store, &text, "bank2.csv")
        .unwrap_err()
        .to_string();
    assert!(message.contains("line 3003,"), "{message}");
    assert!(
        message.contains("\"31/02/2026\" is not a date"),
        "{message}"
    );
    assert_eq!(count(&store, "SELECT COUNT(*) FROM bank_transactions"), 0);
    assert_foreign_keys_hold(&store);
}

const INVOICE_HEADER: &str = "N° facture;Code client;Client;Date facture;Échéance;Montant TTC\n";

/// `n` invoices, every seventh of them for nothing (settled on its issue date).
fn invoices(n: usize) -> String {
    let mut text = String::from(INVOICE_HEADER);
    for i in 0..n {
        let amount = if i % 7 == 0 {
            "0,00".to_string()
        } else {
            format!("{},{:02}", 10 + i % 5000, i % 100)
        };
        text.push_str(&format!(
            "FA-{:06};C{:03};Client {};{:02}/01/2026;28/02/2026;{amount}\n",
            i,
            i % 300,
            i % 300,
            1 + i % 28,
        ));
    }
    text
}

fn invoice_triggers(store: &Store) -> Vec<(String, String)> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'trigger' AND tbl_name = 'invoices' ORDER BY name",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Every invoice's settled day is what the insert trigger writes for a new row.
fn assert_settled_as_the_trigger_writes(store: &Store, expected_settled: i64) {
    assert_eq!(
        count(
            store,
            "SELECT COUNT(*) FROM invoices WHERE settled_on IS NOT
               (CASE WHEN amount_minor - prepaid_minor <= 0 THEN issue_date END)"
        ),
        0
    );
    assert_eq!(
        count(
            store,
            "SELECT COUNT(*) FROM invoices WHERE settled_on IS NOT NULL"
        ),
        expected_settled
    );
}

#[test]
fn a_large_invoice_load_writes_what_the_settled_day_trigger_would_and_puts_it_back() {
    let (_dir, mut store) = open();
    let triggers = invoice_triggers(&store);
    assert!(
        triggers.iter().any(|(n, _)| n == "invoices_settle_insert"),
        "{triggers:?}"
    );
    // A refused load leaves the trigger where it was.
    let mut bad = invoices(25_000);
    bad.push_str("FA-X;C001;Client 1;01/01/2026;01/02/2026;12,3x\n");
    let e = try_import(&mut store, &bad, "bad.csv").unwrap_err();
    assert!(e.to_string().contains("line 25002"), "{e}");
    assert_eq!(invoice_triggers(&store), triggers);
    assert_foreign_keys_hold(&store);

    let good = invoices(25_000);
    match try_import(&mut store, &good, "good.csv").unwrap() {
        IngestOutcome::Imported(s) => assert_eq!(s.invoices_inserted, 25_000),
        other => panic!("{other:?}"),
    }
    assert_eq!(invoice_triggers(&store), triggers);
    assert_settled_as_the_trigger_writes(&store, 25_000 / 7 + 1);
    assert_foreign_keys_hold(&store);

    // A small load (the trigger in place) writes the same.
    let mut small = String::from(INVOICE_HEADER);
    small.push_str("FB-1;C001;Client 1;01/01/2026;01/02/2026;0,00\n");
    small.push_str("FB-2;C001;Client 1;01/01/2026;01/02/2026;5,00\n");
    try_import(&mut store, &small, "small.csv").unwrap();
    assert_settled_as_the_trigger_writes(&store, 25_000 / 7 + 2);
    assert_eq!(invoice_triggers(&store), triggers);
}

#[test]
fn invoice_facts_worked_out_by_the_reader_are_written_and_refused_in_file_order() {
    let (_dir, mut store) = open();
    // Data row 2 has an amount finer than a cent: refused by the row's facts, which the
    // reader works out but the writer reports in file order, before the reader's own refusal
    // of a bad date thousands of lines later.
    let text: String = invoices(3_000)
        .lines()
        .enumerate()
        .map(|(n, l)| match n {
            3 => l.replacen(&l[l.rfind(';').unwrap_or(0)..], ";12,345", 1),
            2_500 => l.replacen("/01/2026", "/13/2026", 1),
            _ => l.to_string(),
        })
        .fold(String::new(), |acc, l| acc + &l + "\n");
    let message = try_import(&mut store, &text, "factures.csv")
        .unwrap_err()
        .to_string();
    assert!(message.contains("line 4, field 'amount'"), "{message}");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM invoices"), 0);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM imports"), 0);

    // A good file: every row's normalised number is the one the matching reads.
    let text = invoices(3_000);
    try_import(&mut store, &text, "factures2.csv").unwrap();
    let rows: Vec<(String, String)> = store
        .conn()
        .prepare("SELECT number, number_key FROM invoices")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 3_000);
    for (number, key) in rows {
        assert_eq!(key, encours::import::text::normalise_reference(&number));
    }
    assert_foreign_keys_hold(&store);
}
