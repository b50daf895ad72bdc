//! `encours match` as a person runs it: on a database file, in every output format.

use chrono::{NaiveDate, NaiveDateTime};
use encours::domain::model::{
    AccountRef, NewBankTransaction, NewCustomer, NewInvoice, NewStatement,
};
use encours::domain::money::Currency;
use encours::import::{Format, ImportBatch};
use encours::store::{Actor, OpenOptions, Store, import_writer};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::path::Path;
use std::process::Command;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 3, 1).unwrap() + chrono::Days::new(u64::from(d))
}

fn seed(path: &Path) {
    let mut store = Store::open(path, OpenOptions::default()).unwrap();
    let actor = Actor::new("seed", NaiveDateTime::default());
    let mut batch = ImportBatch::new(Format::InvoiceCsv);
    batch.customers = vec![NewCustomer {
        code: "C1".into(),
        name: "ACME SARL".into(),
        ..Default::default()
    }];
    let inv = |number: &str, amount: Decimal| NewInvoice {
        number: number.into(),
        customer_code: "C1".into(),
        issue_date: day(0),
        amount,
        currency: Currency::EUR,
        ..Default::default()
    };
    batch.invoices = vec![
        inv("FA-2024-0001", dec!(100.00)),
        inv("FA-2024-0002", dec!(64.00)),
    ];
    let credit = |amount: Decimal, name: &str, text: &str| NewBankTransaction {
        booking_date: day(10),
        amount,
        currency: Currency::EUR,
        counterparty_name: Some(name.into()),
        remittance: text.into(),
        ..Default::default()
    };
    batch.statements = vec![NewStatement {
        account: AccountRef {
            iban: Some("FR7630006000011234567890189".into()),
            ..Default::default()
        },
        transactions: vec![
            credit(dec!(100.00), "ACME", "FACTURE FA-2024-0001"),
            credit(dec!(64.00), "UNKNOWN PAYER", "VIREMENT"),
        ],
        ..Default::default()
    }];
    store
        .write(|tx| import_writer::write_batch(tx, &batch, "seed", "seed", &actor))
        .unwrap();
}

fn encours(db: &Path, args: &[&str]) -> (bool, String, String) {
    encours_in("en_GB.UTF-8", db, args)
}

/// `encours` with `LANG` set to `lang`.
fn encours_in(lang: &str, db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_encours"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("ENCOURS_CONFIG")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn run_list_assign_undo() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("books.db");
    seed(&db);

    let (ok, out, err) = encours(&db, &["match"]);
    assert!(ok, "{err}");
    assert!(out.contains("1 bank credit(s) matched"), "{out}");
    assert!(out.contains("invoice number in text"), "{out}");
    assert!(out.contains("Left to match: 1"), "{out}");
    assert!(
        out.contains("FA-2024-0002"),
        "the left credit shows its best suggestion:\n{out}"
    );

    let (ok, out, err) = encours(&db, &["match", "--suggestions", "--format", "json"]);
    assert!(ok, "{err}");
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let credit = &list[0];
    assert_eq!(credit["left"], "64.00");
    assert_eq!(credit["suggestions"][0]["invoice_number"], "FA-2024-0002");
    assert_eq!(credit["suggestions"][0]["components"]["amount"], 30);
    let tx = credit["transaction_id"].as_i64().unwrap().to_string();

    let (ok, out, err) = encours(
        &db,
        &["match", "--assign", &tx, "fa 2024 2", "--format", "csv"],
    );
    assert!(ok, "{err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("id,tx,invoice,amount,rule,undone,evidence")
    );
    let row = lines.next().unwrap();
    assert!(row.contains("FA-2024-0002,64.00,manual"), "{row}");
    let allocation = row.split(',').next().unwrap().to_string();

    let (ok, out, err) = encours(
        &db,
        &[
            "match",
            "--undo",
            &allocation,
            "--reason",
            "typo",
            "--format",
            "json",
        ],
    );
    assert!(ok, "{err}");
    let undone: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        undone[0]["undone_reason"]
            .as_str()
            .unwrap()
            .contains("typo")
    );

    let (ok, _, err) = encours(&db, &["match", "--assign", &tx, "NOPE-1"]);
    assert!(!ok);
    assert!(err.contains("no invoice numbered 'NOPE-1'"), "{err}");

    let (ok, out, err) = encours(&db, &["match", "--format", "json"]);
    assert!(ok, "{err}");
    let run: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(run["credits_matched"], 0);
    assert_eq!(
        run["left"][0]["reviewed"], true,
        "an undone match is not redone by a rule"
    );
}

/// The trail speaks the operator's language: `encours match` run under a French `LANG`
/// writes its evidence in French, and a person's assignment says who assigned it, in French.
#[test]
fn a_french_operators_matching_writes_its_evidence_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("books.db");
    seed(&db);
    let french = |args: &[&str]| {
        let (ok, _, err) = encours_in("fr_FR.UTF-8", &db, args);
        assert!(ok, "{err}");
    };
    french(&["match"]);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let evidence: String = conn
        .query_row("SELECT evidence FROM allocations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        evidence,
        "facture FA-2024-0001 citée dans le libellé bancaire sous la forme 'FA-2024-0001'"
    );
    let left: i64 = conn
        .query_row(
            "SELECT t.id FROM bank_transactions t WHERE t.remittance = 'VIREMENT'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    french(&["match", "--assign", &left.to_string(), "FA-2024-0002"]);
    let manual: String = conn
        .query_row(
            "SELECT evidence FROM allocations WHERE rule = 'manual'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        manual.starts_with("affecté par ") && manual.ends_with(" ; facture FA-2024-0002"),
        "{manual}"
    );
}
