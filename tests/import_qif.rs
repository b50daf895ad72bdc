//! QIF through `parse_bytes`, on hand-written fixtures (no third-party sample exists).

use chrono::NaiveDate;
use encours::domain::model::SourceLocation;
use encours::import::{Format, ImportBatch, ImportError, ParseContext, parse_bytes};
use rust_decimal_macros::dec;
use std::path::Path;

fn ctx(name: &str) -> ParseContext {
    ParseContext {
        file_name: name.to_string(),
        ..Default::default()
    }
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .expect("fixture readable")
}

fn fixture(name: &str) -> Result<ImportBatch, ImportError> {
    parse_bytes(&fixture_bytes(name), &ctx(name))
}

fn text(qif: &str) -> Result<ImportBatch, ImportError> {
    parse_bytes(qif.as_bytes(), &ctx("inline.qif"))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn french_bank_export_day_first_and_decimal_comma() {
    let b = fixture("qif_bank_fr.qif").unwrap();
    assert_eq!(b.format, Some(Format::Qif));
    assert_eq!(b.statements.len(), 1);
    let lines = &b.statements[0].transactions;
    assert_eq!(lines.len(), 3);
    // 15/04 settles the order for 03/04 too.
    assert_eq!(lines[0].booking_date, date(2024, 4, 3));
    assert_eq!(lines[0].amount, dec!(-1234.56));
    assert_eq!(
        lines[0].counterparty_name.as_deref(),
        Some("LOYER SCI DES TILLEULS")
    );
    assert_eq!(lines[0].remittance, "Loyer avril 2024");
    assert_eq!(lines[0].bank_ref.as_deref(), Some("1042"));
    assert_eq!(lines[0].location, SourceLocation::Line(2));
    assert_eq!(lines[1].amount, dec!(2500.00));
    assert_eq!(lines[1].structured_ref.as_deref(), Some("RF18539007547034"));
    assert_eq!(lines[2].amount, dec!(-45.00));
    assert!(lines[2].reversal, "a rejected direct debit");
    assert!(!lines[0].reversal);
    assert!(
        b.warnings
            .iter()
            .any(|w| w.message.contains("does not name its account"))
    );
}

#[test]
fn quicken_accounts_apostrophe_years_and_opening_balance() {
    let b = fixture("qif_quicken_us.qif").unwrap();
    assert_eq!(
        b.statements.len(),
        2,
        "one per account; the category list is skipped"
    );
    let pro = &b.statements[0];
    assert_eq!(pro.account.number.as_deref(), Some("Compte Pro"));
    let open = pro.opening.as_ref().unwrap();
    assert_eq!((open.date, open.amount), (date(2024, 1, 3), dec!(1000.00)));
    assert_eq!(pro.transactions.len(), 2);
    let t = &pro.transactions[0];
    // `1/15'24`: month first, year 2024.
    assert_eq!(t.booking_date, date(2024, 1, 15));
    assert_eq!(t.amount, dec!(-1234.50));
    assert_eq!(t.type_code.as_deref(), Some("XFER"));
    assert_eq!(t.remittance, "Invoice 7781");
    assert_eq!(pro.transactions[1].booking_date, date(2024, 2, 1));
    assert_eq!(pro.transactions[1].remittance, "Customer");
    let card = &b.statements[1];
    assert_eq!(card.account.number.as_deref(), Some("Carte"));
    assert_eq!(card.transactions[0].amount, dec!(-12.00));
    assert_eq!(card.transactions[0].booking_date, date(2024, 2, 3));
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
}

#[test]
fn ambiguous_dates_are_read_day_first_with_a_warning() {
    let b = text("!Type:Bank\nD01/02/2024\nT10.00\nPX\n^\nD03/02/2024\nT-2.50\nPY\n^\n").unwrap();
    let lines = &b.statements[0].transactions;
    assert_eq!(lines[0].booking_date, date(2024, 2, 1));
    assert_eq!(lines[1].amount, dec!(-2.50));
    assert!(
        b.warnings
            .iter()
            .any(|w| w.message.contains("read day first"))
    );
}

#[test]
fn errors_name_line_and_field() {
    let e = fixture("qif_bad_amount.qif").unwrap_err();
    assert_eq!(e.location, SourceLocation::Line(7));
    assert_eq!(e.field.as_deref(), Some("T"));
    assert!(
        e.to_string()
            .starts_with("qif_bad_amount.qif: line 7, field 'T': \"12,3x\" is not an amount"),
        "{e}"
    );

    let e = text("!Type:Bank\nT10.00\nPX\n^\n").unwrap_err();
    assert_eq!(
        (e.location, e.field.as_deref()),
        (SourceLocation::Line(2), Some("D"))
    );

    let e = text("!Type:Bank\nD31/12/2024\nPX\n^\n").unwrap_err();
    assert_eq!(
        (e.location, e.field.as_deref()),
        (SourceLocation::Line(2), Some("T"))
    );

    let e = text("!Type:Bank\nD31/02/2024\nT1\n^\n").unwrap_err();
    assert_eq!(
        (e.location, e.field.as_deref()),
        (SourceLocation::Line(2), Some("D"))
    );

    let e = text("!Type:Bank\nD13/01/2024\nT1\n^\nD01/13/2024\nT1\n^\n").unwrap_err();
    assert!(e.message.contains("mix"), "{e}");
}

#[test]
fn a_last_record_without_its_caret_is_still_read() {
    let b = text("!Type:CCard\nD2024-03-01\nT-5.00\nPBoulangerie").unwrap();
    let t = &b.statements[0].transactions[0];
    assert_eq!((t.booking_date, t.amount), (date(2024, 3, 1), dec!(-5.00)));
}

#[test]
fn truncated_files_never_panic() {
    for name in ["qif_bank_fr.qif", "qif_quicken_us.qif"] {
        let bytes = fixture_bytes(name);
        for cut in 0..bytes.len() {
            let _ = parse_bytes(&bytes[..cut], &ctx(name));
        }
    }
}
