//! CFONB 120 through `parse_bytes`. Expected values were read from the sample files by hand
//! (amounts decoded from their overpunch sign character).

mod common;

use chrono::NaiveDate;
use common::parse_fixture as fixture;
use common::{ctx, fixture_bytes, sample_bytes};
use encours::domain::model::SourceLocation;
use encours::import::{Format, ImportBatch, parse_bytes};
use rust_decimal_macros::dec;

fn sample(rel: &str) -> Option<ImportBatch> {
    let batch = common::parse_sample(rel)?;
    assert_eq!(batch.format, Some(Format::Cfonb120), "{rel}");
    Some(batch)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn pennylane_two_accounts_overpunch_complements_and_changing_bank_code() {
    let Some(b) = sample("cfonb120/pennylane_example.cfonb") else {
        return;
    };
    assert_eq!(b.statements.len(), 2);
    let s = &b.statements[0];
    assert_eq!(s.account.number.as_deref(), Some("98765432100"));
    assert_eq!(s.account.bank_code.as_deref(), Some("15589"));
    // The IBAN follows from bank, agency and account (RIB key 88).
    assert_eq!(
        s.account.iban.as_deref(),
        Some("FR7615589000009876543210088")
    );
    let open = s.opening.as_ref().unwrap();
    assert_eq!((open.date, open.amount), (date(2019, 5, 15), dec!(-190.40)));
    let close = s.closing.as_ref().unwrap();
    assert_eq!(
        (close.date, close.amount),
        (date(2019, 5, 16), dec!(-241.21))
    );
    // The third 04 and the 07 carry bank code 15489: same agency and account, same statement.
    let amounts: Vec<_> = s.transactions.iter().map(|t| t.amount).collect();
    assert_eq!(amounts, [dec!(-32.21), dec!(-10.70), dec!(-7.90)]);
    let t = &s.transactions[0];
    assert_eq!(
        (t.booking_date, t.value_date),
        (date(2019, 5, 16), Some(date(2019, 5, 16)))
    );
    assert_eq!(t.type_code.as_deref(), Some("B1"));
    assert_eq!(t.counterparty_name.as_deref(), Some("INTERNET SFR"));
    assert_eq!(t.structured_ref.as_deref(), Some("OTHER REFERENCE"));
    assert!(
        t.remittance
            .starts_with("PRLV SEPA TEST CABINET MENSUEAUHTR13133 MENSUEAUHTR13DUP"),
        "{}",
        t.remittance
    );
    assert_eq!(t.location, SourceLocation::Line(3));
    let t = &s.transactions[1];
    assert_eq!(t.bank_ref.as_deref(), Some("REFERENCE"));
    assert_eq!(t.counterparty_name.as_deref(), Some("ELEC ERDF"));
    assert_eq!(t.remittance, "VIR SEPA DEMONSTRATION");
    assert_eq!(s.transactions[2].remittance, "F COMMISSION D INTERVENTION");
    assert_eq!(s.transactions[2].type_code.as_deref(), Some("62"));

    let s = &b.statements[1];
    assert_eq!(s.account.number.as_deref(), Some("00123456789"));
    assert_eq!(s.opening.as_ref().unwrap().amount, dec!(-241.21));
    assert_eq!(s.closing.as_ref().unwrap().amount, dec!(-163.72));
    let t = &s.transactions[0];
    assert_eq!(t.amount, dec!(97.49));
    assert_eq!(
        (t.booking_date, t.value_date),
        (date(2019, 5, 17), Some(date(2019, 5, 15)))
    );
    assert_eq!(
        t.remittance,
        "PRLV SEPA GROUPAMA CEN P051928612 22793301700040"
    );
    assert_eq!(s.transactions[1].amount, dec!(-12.10));
    // Balances reconcile, so no sign was read the wrong way.
    assert!(
        !b.warnings
            .iter()
            .any(|w| w.message.contains("closing balance says"))
    );
    // Malformed qualifiers are kept in the label and reported.
    assert!(b.warnings.iter().any(|w| w.message.contains("'N Y'")));
    assert!(b.warnings.iter().any(|w| w.message.contains("'2'C'")));
}

#[test]
fn silarhi_days_group_per_account_and_filler_blocks_add_nothing() {
    let Some(b) = sample("cfonb120/silarhi_complex.cfonb") else {
        return;
    };
    assert_eq!(b.statements.len(), 2);
    assert_eq!(b.transaction_count(), 5);
    let s = &b.statements[0];
    assert_eq!(s.account.number.as_deref(), Some("00012345603"));
    assert_eq!(s.opening.as_ref().unwrap().amount, dec!(16695.65));
    assert_eq!(s.closing.as_ref().unwrap().amount, dec!(16672.86));
    assert_eq!(s.transactions[0].amount, dec!(-22.79));
    assert_eq!(
        s.transactions[0].remittance,
        "PRLV SEPA ONLINE SAS DEDIBOX 3706114"
    );

    let s = &b.statements[1];
    assert_eq!(s.account.number.as_deref(), Some("00020427603"));
    let open = s.opening.as_ref().unwrap();
    assert_eq!((open.date, open.amount), (date(2020, 4, 7), dec!(16672.86)));
    let amounts: Vec<_> = s.transactions.iter().map(|t| t.amount).collect();
    assert_eq!(
        amounts,
        [dec!(-20.11), dec!(-5000.00), dec!(-117.75), dec!(-50.25)]
    );
    let invoice = &s.transactions[2];
    assert_eq!(invoice.booking_date, date(2020, 4, 10));
    assert_eq!(
        invoice.value_date,
        Some(date(2020, 4, 1)),
        "value date before the operation date"
    );
    assert_eq!(
        invoice.remittance,
        "FACTURE SGT20022040001692 DONT TVA 11 39EUR"
    );
    assert_eq!(s.transactions[1].type_code.as_deref(), Some("06"));
    // The last block ("PAS DE MOUVEMENT CE JOUR") restarts from another balance.
    let close = s.closing.as_ref().unwrap();
    assert_eq!(
        (close.date, close.amount),
        (date(2020, 4, 24), dec!(584353.02))
    );
    let gap: Vec<_> = b
        .warnings
        .iter()
        .filter(|w| w.message.contains("does not follow on"))
        .collect();
    assert_eq!(gap.len(), 1);
    assert_eq!(gap[0].location, SourceLocation::Line(25));
}

#[test]
fn lenient_labels_give_the_same_transactions() {
    let (Some(strict), Some(lenient)) = (
        sample("cfonb120/silarhi_complex.cfonb"),
        sample("cfonb120/silarhi_non_strict.cfonb"),
    ) else {
        return;
    };
    assert_eq!(strict.statements, lenient.statements);
    assert_eq!(
        lenient.statements[1].transactions[0].remittance,
        "PRLV SEPA FREE MOBILE"
    );
}

#[test]
fn cfonb_240_is_refused_by_name() {
    let Some(bytes) = sample_bytes("cfonb240/silarhi_cfonb240.txt") else {
        return;
    };
    let e = parse_bytes(&bytes, &ctx("silarhi_cfonb240.txt")).unwrap_err();
    assert!(e.message.contains("CFONB 240"), "{e}");
    assert!(e.to_string().starts_with("silarhi_cfonb240.txt: "), "{e}");
}

#[test]
fn own_fixture_complements_rejection_and_crlf() {
    let b = fixture("cfonb_edge.txt").unwrap();
    let s = &b.statements[0];
    assert_eq!(
        s.account.iban.as_deref(),
        Some("FR7630006000011234567890189")
    );
    assert_eq!(s.opening.as_ref().unwrap().amount, dec!(1000.00));
    assert_eq!(s.closing.as_ref().unwrap().amount, dec!(2454.49));
    let t = &s.transactions[0];
    assert_eq!(t.amount, dec!(1500.00));
    assert_eq!(t.counterparty_name.as_deref(), Some("CLIENT SA"));
    assert_eq!(
        t.counterparty_iban.as_deref(),
        Some("FR7630006000011234567890189")
    );
    assert_eq!(t.structured_ref.as_deref(), Some("FA-2024-0042"));
    assert_eq!(t.bank_ref.as_deref(), Some("VIRREF-1"));
    assert_eq!(
        t.remittance,
        "VIR SEPA RECU /DE CLIENT SA FACTURE FA-2024-0042"
    );
    assert!(!t.reversal);
    // A rejection reason code (columns 41-42) marks a returned debit.
    let t = &s.transactions[1];
    assert_eq!(t.amount, dec!(-45.51));
    assert!(t.reversal);
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
}

#[test]
fn bad_records_name_line_and_field() {
    let e = fixture("cfonb_bad_amount.txt").unwrap_err();
    assert_eq!(e.location, SourceLocation::Line(2));
    assert_eq!(e.field.as_deref(), Some("montant (columns 91-104)"));
    assert!(e.message.contains("00000000003X2J"));
    let e = fixture("cfonb_bad_length.txt").unwrap_err();
    assert_eq!(e.location, SourceLocation::Line(2));
    assert!(e.message.contains("119"), "{e}");
}

#[test]
fn truncated_files_never_panic() {
    let mut inputs = vec![fixture_bytes("cfonb_edge.txt")];
    for rel in [
        "cfonb120/pennylane_example.cfonb",
        "cfonb120/silarhi_complex.cfonb",
    ] {
        if let Some(b) = sample_bytes(rel) {
            inputs.push(b);
        }
    }
    for bytes in inputs {
        for cut in (0..bytes.len()).step_by(7) {
            let _ = parse_bytes(&bytes[..cut], &ctx("cut"));
        }
    }
}
