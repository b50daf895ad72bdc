//! The store's promises: owner-only files, migrations that upgrade old databases, an
//! append-only event log, and all-or-nothing imports.

use chrono::NaiveDate;
use encours::domain::model::{InvoiceKind, NewCustomer, NewInvoice, SourceLocation};
use encours::domain::money::Currency;
use encours::import::{Format, ImportBatch};
use encours::store::import_writer::{WriteError, write_batch};
use encours::store::{Actor, OpenOptions, Store, StoreError, schema};
use rust_decimal_macros::dec;

fn actor() -> Actor {
    Actor::new(
        "tester",
        NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    )
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn customer(code: &str) -> NewCustomer {
    NewCustomer {
        code: code.into(),
        name: format!("Client {code}"),
        ..Default::default()
    }
}

fn invoice(number: &str, customer: &str, amount: rust_decimal::Decimal) -> NewInvoice {
    NewInvoice {
        number: number.into(),
        kind: InvoiceKind::Invoice,
        customer_code: customer.into(),
        issue_date: d(2026, 10, 1),
        due_date: Some(d(2026, 10, 31)),
        amount,
        currency: Currency::EUR,
        location: SourceLocation::Line(2),
        ..Default::default()
    }
}

#[cfg(unix)]
#[test]
fn new_database_and_folder_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep/er/encours.db");
    Store::open(&path, OpenOptions::default()).unwrap();
    let file_mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    let dir_mode = std::fs::metadata(path.parent().unwrap())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(file_mode, 0o600);
    assert_eq!(dir_mode, 0o700);
}

#[test]
fn a_version_one_database_opens_and_upgrades_keeping_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // Build a database exactly as version 1 of the schema left it.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO customers (code, name) VALUES ('C1', 'Ancien Client')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path, OpenOptions::default()).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        schema::MIGRATIONS.len() as i64
    );
    let name: String = store
        .conn()
        .query_row("SELECT name FROM customers WHERE code = 'C1'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(name, "Ancien Client");
    // A database keeps the page size it was created with: the larger pages apply to new
    // files only, and nothing is rewritten behind the user's back.
    let page: i64 = store
        .conn()
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!(page, 4096);
}

#[test]
fn a_new_database_has_the_large_pages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let store = Store::open(&path, OpenOptions::default()).unwrap();
    let page: i64 = store
        .conn()
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!(page, encours::store::PAGE_SIZE);
    assert_ne!(
        page, 4096,
        "SQLite's default, which the store means to change"
    );
    drop(store);
    // Opened again (the file now exists), it keeps them and stays in WAL mode.
    let store = Store::open(&path, OpenOptions::default()).unwrap();
    let (page, mode): (i64, String) = (
        store
            .conn()
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap(),
        store
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap(),
    );
    assert_eq!((page, mode.as_str()), (encours::store::PAGE_SIZE, "wal"));
}

#[test]
fn a_database_from_a_newer_program_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    match Store::open(&path, OpenOptions::default()) {
        Err(StoreError::TooNew { found: 999, .. }) => {}
        Err(other) => panic!("unexpected error: {other}"),
        Ok(_) => panic!("a newer schema must be refused"),
    }
}

#[test]
fn the_event_log_cannot_be_rewritten() {
    let store = Store::open_in_memory().unwrap();
    store
        .conn()
        .execute(
            "INSERT INTO events (at, who, kind) VALUES ('2026-11-22T09:00:00', 'a', 'note')",
            [],
        )
        .unwrap();
    let update = store.conn().execute("UPDATE events SET who = 'b'", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = store.conn().execute("DELETE FROM events", []);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

#[test]
fn a_refused_batch_leaves_nothing_behind() {
    let mut store = Store::open_in_memory().unwrap();
    let mut first = ImportBatch::new(Format::InvoiceCsv);
    first.customers.push(customer("C1"));
    first.invoices.push(invoice("F1", "C1", dec!(100)));
    store
        .write(|tx| write_batch(tx, &first, "a.csv", "sha-a", &actor()))
        .unwrap();

    // A second file whose last line reuses F1 with another amount: refused whole.
    let mut second = ImportBatch::new(Format::InvoiceCsv);
    second.customers.push(customer("C2"));
    second.invoices.push(invoice("F2", "C2", dec!(50)));
    let mut clash = invoice("F1", "C1", dec!(999));
    clash.location = SourceLocation::Line(3);
    second.invoices.push(clash);
    let err = store
        .write(|tx| write_batch(tx, &second, "b.csv", "sha-b", &actor()))
        .unwrap_err();
    match err {
        WriteError::Rejected(e) => {
            let text = e.to_string();
            assert!(text.contains("line 3"), "{text}");
            assert!(text.contains("F1"), "{text}");
            assert!(text.contains("a.csv"), "{text}");
        }
        other => panic!("{other}"),
    }
    let count = |sql: &str| -> i64 { store.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT COUNT(*) FROM invoices"), 1);
    assert_eq!(count("SELECT COUNT(*) FROM customers"), 1);
    assert_eq!(count("SELECT COUNT(*) FROM imports"), 1);
}

#[test]
fn the_same_invoice_twice_is_a_duplicate_not_an_error() {
    let mut store = Store::open_in_memory().unwrap();
    let mut batch = ImportBatch::new(Format::InvoiceCsv);
    batch.customers.push(customer("C1"));
    batch.invoices.push(invoice("F1", "C1", dec!(100)));
    store
        .write(|tx| write_batch(tx, &batch, "a.csv", "sha-a", &actor()))
        .unwrap();
    let summary = store
        .write(|tx| write_batch(tx, &batch, "a-again.csv", "sha-b", &actor()))
        .unwrap();
    assert_eq!(summary.invoices_inserted, 0);
    assert_eq!(summary.invoices_duplicate, 1);
}

#[test]
fn sub_cent_amounts_are_refused_with_their_place() {
    let mut store = Store::open_in_memory().unwrap();
    let mut batch = ImportBatch::new(Format::InvoiceCsv);
    batch.customers.push(customer("C1"));
    batch.invoices.push(invoice("F1", "C1", dec!(100.005)));
    let err = store
        .write(|tx| write_batch(tx, &batch, "a.csv", "sha-a", &actor()))
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 2") && err.contains("amount"), "{err}");
}

#[test]
fn read_only_sessions_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ro.db");
    Store::open(&path, OpenOptions::default()).unwrap();
    let mut ro = Store::open(&path, OpenOptions { read_only: true }).unwrap();
    let batch = ImportBatch::new(Format::InvoiceCsv);
    let err = ro
        .write(|tx| write_batch(tx, &batch, "a.csv", "sha-a", &actor()))
        .unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
}
