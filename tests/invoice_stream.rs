//! Invoice CSV through the whole import path (`ingest`), where rows are written as they
//! are read: a customer named only by a later row, repeats found across the file, a
//! customer's identifiers merged from several rows, and a large load whose secondary
//! indexes are set aside and built again inside the one transaction.

use chrono::NaiveDate;
use encours::import::{ParseContext, invoice_csv};
use encours::ingest::{IngestError, IngestOutcome, ingest};
use encours::store::import_writer::{self, ImportSummary};
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

const HEADER: &str = "N° facture;Code client;Client;SIREN;Date facture;Échéance;Montant TTC\n";

fn csv(rows: &[&str]) -> String {
    let mut text = HEADER.to_string();
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
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

fn import(store: &mut Store, text: &str, name: &str) -> ImportSummary {
    match try_import(store, text, name) {
        Ok(IngestOutcome::Imported(summary)) => summary,
        other => panic!("{name}: {other:?}"),
    }
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn invoice_indexes(store: &Store) -> Vec<(String, String)> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT name, COALESCE(sql, '') FROM sqlite_master
             WHERE type = 'index' AND tbl_name = 'invoices' ORDER BY name",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_customer_named_by_a_later_row_is_not_refused_on_an_earlier_one() {
    let (_dir, mut store) = open();
    let text = csv(&[
        "F-1;C9;;;05/01/2026;04/02/2026;100,00",
        "F-2;C9;Dupont SA;;06/01/2026;05/02/2026;50,00",
    ]);
    let s = import(&mut store, &text, "factures.csv");
    assert_eq!((s.invoices_inserted, s.customers_inserted), (2, 1));
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM invoices i JOIN customers c ON c.id = i.customer_id
             WHERE c.code = 'C9' AND c.name = 'Dupont SA'"
        ),
        2
    );
}

#[test]
fn an_unknown_customer_is_refused_with_its_line_and_nothing_is_written() {
    let (_dir, mut store) = open();
    let text = csv(&[
        "F-1;C1;Martin;;05/01/2026;04/02/2026;100,00",
        "F-2;C404;;;06/01/2026;05/02/2026;50,00",
        "F-3;C1;Martin;;07/01/2026;06/02/2026;70,00",
    ]);
    let e = try_import(&mut store, &text, "factures.csv").unwrap_err();
    let shown = e.to_string();
    assert!(shown.contains("factures.csv: line 3"), "{shown}");
    assert!(
        shown.contains("customer 'C404', who is not known"),
        "{shown}"
    );
    assert_eq!(count(&store, "SELECT COUNT(*) FROM invoices"), 0);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM customers"), 0);
}

#[test]
fn repeats_are_found_across_the_file_by_their_normalised_number() {
    let (_dir, mut store) = open();
    let mut rows: Vec<String> = (0..500)
        .map(|i| format!("F-{i};C1;Martin;;05/01/2026;04/02/2026;{i},00"))
        .collect();
    // Written another way, far from the first: the same invoice again.
    rows.push("f 7;C1;Martin;;05/01/2026;04/02/2026;7,00".into());
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let s = import(&mut store, &csv(&refs), "factures.csv");
    assert_eq!((s.invoices_inserted, s.invoices_duplicate), (500, 0));
    assert!(
        s.warnings
            .iter()
            .any(|w| w.message == "invoice f 7 repeats line 9; the repeat is left out"),
        "{:?}",
        s.warnings
    );

    let (_dir, mut store) = open();
    rows.push("F-0012;C1;Martin;;05/01/2026;04/02/2026;99,00".into());
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let e = try_import(&mut store, &csv(&refs), "factures.csv").unwrap_err();
    let shown = e.to_string();
    assert!(
        shown.contains("line 503, field 'N° facture': invoice F-0012 is listed on line 14 with 12.00 and on line 503 with 99.00"),
        "{shown}"
    );
    assert_eq!(count(&store, "SELECT COUNT(*) FROM invoices"), 0);
}

#[test]
fn a_customer_is_written_once_with_the_identifiers_of_all_its_rows() {
    let (_dir, mut store) = open();
    let text = csv(&[
        "F-1;C1;Martin;;05/01/2026;04/02/2026;100,00",
        "F-2;C1;Martin SARL;552100554;06/01/2026;05/02/2026;50,00",
        "F-3;C1;Martin;;07/01/2026;06/02/2026;70,00",
    ]);
    let s = import(&mut store, &text, "factures.csv");
    assert_eq!((s.customers_inserted, s.customers_updated), (1, 0));
    let (name, siren): (String, Option<String>) = store
        .conn()
        .query_row(
            "SELECT name, siren FROM customers WHERE code = 'C1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (name.as_str(), siren.as_deref()),
        ("Martin", Some("552100554"))
    );
    // The whole reading gives the same customer.
    let batch = invoice_csv::parse(&text, &ParseContext::default()).unwrap();
    assert_eq!(batch.customers.len(), 1);
    assert_eq!(batch.customers[0].siren.as_deref(), Some("552100554"));
}

fn large(n: usize, last: &str) -> String {
    let mut text = String::from(HEADER);
    for i in 0..n {
        text.push_str(&format!(
            "FA-{:06};C{:03};Client {};;{:02}/01/2026;28/02/2026;{},{:02}\n",
            (i * 7919) % 1_000_003,
            i % 300,
            i % 300,
            1 + i % 28,
            10 + i % 5000,
            i % 100
        ));
    }
    text.push_str(last);
    text.push('\n');
    text
}

#[test]
fn a_large_load_into_an_empty_table_keeps_every_index() {
    let (_dir, mut store) = open();
    let before = invoice_indexes(&store);
    assert!(before.len() >= 3, "{before:?}");
    // A bad last row: the whole load is undone, indexes included.
    let bad = large(25_000, "FA-X;C001;Client 1;;01/01/2026;01/02/2026;12,3x");
    let e = try_import(&mut store, &bad, "bad.csv").unwrap_err();
    assert!(e.to_string().contains("line 25002"), "{e}");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM invoices"), 0);
    assert_eq!(invoice_indexes(&store), before);

    let good = large(25_000, "FA-LAST;C001;Client 1;;01/01/2026;01/02/2026;12,30");
    let s = import(&mut store, &good, "good.csv");
    assert_eq!(s.invoices_inserted, 25_001);
    assert_eq!(invoice_indexes(&store), before);
    assert_eq!(
        store
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "ok"
    );
    // The rebuilt indexes answer like the table: every invoice found by its number key
    // and by its customer.
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM invoices INDEXED BY invoices_number_key WHERE number_key > ''"
        ),
        25_001
    );
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM invoices INDEXED BY invoices_customer_sales WHERE customer_id > 0"
        ),
        25_001
    );
    // Imported again under another name: every row but one is a duplicate.
    let again = good.replace("FA-LAST", "FA-LAST-2");
    let s = import(&mut store, &again, "again.csv");
    assert_eq!((s.invoices_inserted, s.invoices_duplicate), (1, 25_000));
    assert_eq!(invoice_indexes(&store), before);
}

#[test]
fn a_file_is_never_imported_twice_whichever_digest_its_import_kept() {
    let (_dir, mut store) = open();
    let text = csv(&["F-1;C1;Martin;;05/01/2026;04/02/2026;100,00"]);
    let first = import(&mut store, &text, "factures.csv");
    let kept: (String, String) = store
        .conn()
        .query_row(
            "SELECT sha256, blake3 FROM imports WHERE id = ?1",
            [first.import_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(kept.0, import_writer::sha256_hex(text.as_bytes()));
    assert_eq!(kept.1, import_writer::blake3_hex(text.as_bytes()));
    let again = |store: &mut Store| match try_import(store, &text, "copie.csv") {
        Ok(IngestOutcome::AlreadyImported { file_name, .. }) => file_name,
        other => panic!("imported twice: {other:?}"),
    };
    assert_eq!(again(&mut store), "factures.csv");
    // An import made before the BLAKE3 digest existed has only its SHA-256.
    store
        .conn()
        .execute("UPDATE imports SET blake3 = NULL", [])
        .unwrap();
    assert_eq!(again(&mut store), "factures.csv");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM imports"), 1);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM invoices"), 1);
}
