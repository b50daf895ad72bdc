//! Bank CSV exports through `parse_bytes`. Expected values were read from the sample files
//! by hand; our own fixtures cover the generic profile's inference and the errors.

mod common;

use chrono::NaiveDate;
use common::parse_fixture as fixture;
use common::{ctx, fixture_bytes, sample_bytes};
use encours::domain::model::SourceLocation;
use encours::import::csv_profile::parse_profiles;
use encours::import::{Format, ImportBatch, ParseContext, parse_as, parse_bytes};
use rust_decimal_macros::dec;

fn sample(rel: &str) -> Option<ImportBatch> {
    let batch = common::parse_sample(rel)?;
    assert_eq!(batch.format, Some(Format::BankCsv), "{rel}");
    Some(batch)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn credit_agricole_preamble_multiline_labels_and_debit_credit_columns() {
    let Some(b) = sample("bank_csv/credit_agricole_fr_style.csv") else {
        return;
    };
    assert_eq!(b.statements.len(), 1);
    let s = &b.statements[0];
    assert_eq!(s.account.number.as_deref(), Some("12345678901"));
    let close = s.closing.as_ref().unwrap();
    assert_eq!(
        (close.date, close.amount),
        (date(2024, 3, 5), dec!(2345.67))
    );
    let amounts: Vec<_> = s.transactions.iter().map(|t| t.amount).collect();
    assert_eq!(
        amounts,
        [
            dec!(3200.00),
            dec!(-19.99),
            dec!(-54.32),
            dec!(-4.10),
            dec!(-1150.00),
            dec!(-60.00),
            dec!(-89.90),
            dec!(-2.50)
        ]
    );
    let t = &s.transactions[0];
    assert_eq!(t.booking_date, date(2024, 2, 1));
    assert_eq!(
        t.remittance,
        "VIR SEPA RECU /DE ACME SAS /MOTIF SALAIRE FEVRIER"
    );
    assert_eq!(t.location, SourceLocation::Line(10));
    let t = &s.transactions[1];
    assert_eq!(
        t.remittance,
        "PRLV SEPA FREE MOBILE ECH/030224 ID EMETTEUR/FR12ZZZ123456 MDT/0001"
    );
    assert_eq!(t.location, SourceLocation::Line(12));
    assert!(
        b.warnings.is_empty(),
        "trailing separators are not a column mismatch: {:?}",
        b.warnings
    );
}

#[test]
fn gls_latin1_german_columns_and_vwz_parts() {
    let Some(b) = sample("bank_csv/gls_de_latin1.csv") else {
        return;
    };
    let s = &b.statements[0];
    assert_eq!(s.account.number.as_deref(), Some("1234567890"));
    let t = &s.transactions[0];
    assert_eq!(
        (t.booking_date, t.value_date),
        (date(2017, 10, 10), Some(date(2017, 10, 10)))
    );
    assert_eq!(t.amount, dec!(-98.76));
    assert_eq!(t.currency.to_string(), "EUR");
    assert_eq!(t.counterparty_name.as_deref(), Some("Drillisch Online AG"));
    assert_eq!(t.type_code.as_deref(), Some("SEPA-Basislastschrift"));
    assert_eq!(
        t.remittance,
        "B4658645 U123456789 B123456 987 SIMply Rechnung"
    );
    let close = s.closing.as_ref().unwrap();
    assert_eq!(
        (close.date, close.amount),
        (date(2017, 10, 10), dec!(1234.56))
    );
}

#[test]
fn qonto_pending_rows_structured_refs_and_shifted_row() {
    let Some(b) = sample("bank_csv/qonto_en_export.csv") else {
        return;
    };
    let lines = &b.statements[0].transactions;
    assert_eq!(lines.len(), 5, "the pending row is left out");
    assert!(
        b.warnings
            .iter()
            .any(|w| w.location == SourceLocation::Line(6) && w.message.contains("pending"))
    );
    let t = &lines[0];
    assert_eq!(t.booking_date, date(2026, 1, 10));
    assert_eq!(t.amount, dec!(-150.00));
    assert_eq!(t.structured_ref.as_deref(), Some("+++123/4567/89002+++"));
    assert_eq!(t.bank_ref.as_deref(), Some("qt_001"));
    assert_eq!(t.type_code.as_deref(), Some("direct_debit"));
    // BE95 0012 3456 7890 fails its check digits.
    assert_eq!(t.counterparty_iban, None);
    assert!(
        b.warnings
            .iter()
            .any(|w| w.message.contains("BE95001234567890"))
    );
    let t = &lines[1];
    assert_eq!(t.amount, dec!(5000.00));
    assert_eq!(t.counterparty_name.as_deref(), Some("Client Alpha BVBA"));
    assert_eq!(t.counterparty_iban.as_deref(), Some("BE71096123456769"));
    assert_eq!(t.remittance, "INV-2026-042");
    assert_eq!(t.structured_ref, None);
    // The row with an extra column keeps its values under the right names.
    let t = &lines[3];
    assert_eq!(
        (t.amount, t.remittance.as_str()),
        (dec!(-45.99), "ORD-88721")
    );
    assert_eq!(t.counterparty_name.as_deref(), Some("Office Depot"));
    assert!(
        b.warnings
            .iter()
            .any(|w| w.location == SourceLocation::Line(5) && w.message.contains("15 fields"))
    );
    assert_eq!(lines[4].amount, dec!(-890.00));
    assert_eq!(
        lines[4].counterparty_iban.as_deref(),
        Some("BE68539007547034")
    );
}

#[test]
fn revolut_completed_dates_fees_and_running_balance() {
    let Some(b) = sample("bank_csv/revolut_business.csv") else {
        return;
    };
    let s = &b.statements[0];
    assert_eq!(s.account.number.as_deref(), Some("Main"));
    assert_eq!(s.transactions.len(), 6);
    let t = &s.transactions[0];
    assert_eq!(t.booking_date, date(2026, 2, 1));
    assert_eq!(t.amount, dec!(-1200.00));
    assert_eq!(
        t.counterparty_iban.as_deref(),
        Some("BE68539007547034"),
        "leading space ignored"
    );
    assert_eq!(t.remittance, "Invoice payment to Supplier SA INV-2026-001");
    assert_eq!(t.bank_ref.as_deref(), Some("txn_001"));
    let t = &s.transactions[2];
    assert_eq!(t.amount, dec!(3500.00));
    assert_eq!(t.structured_ref.as_deref(), Some("+++090/9337/55493+++"));
    assert_eq!(t.counterparty_iban.as_deref(), Some("BE71096123456769"));
    assert_eq!(s.transactions[5].amount, dec!(920.50));
    assert_eq!(s.transactions[5].currency.to_string(), "EUR");
    let close = s.closing.as_ref().unwrap();
    assert_eq!(
        (close.date, close.amount),
        (date(2026, 2, 10), dec!(10320.00))
    );
}

#[test]
fn generic_profile_windows_1252_preamble_status_and_nbsp() {
    let b = fixture("csv_generic_fr.csv").unwrap();
    assert_eq!(b.format, Some(Format::BankCsv));
    let s = &b.statements[0];
    assert_eq!(
        s.account.iban.as_deref(),
        Some("FR7630006000011234567890189")
    );
    let close = s.closing.as_ref().unwrap();
    assert_eq!(
        (close.date, close.amount),
        (date(2024, 1, 31), dec!(1234.56))
    );
    assert_eq!(s.transactions.len(), 3);
    let t = &s.transactions[0];
    assert_eq!(
        (t.booking_date, t.value_date),
        (date(2024, 1, 2), Some(date(2024, 1, 3)))
    );
    assert_eq!(t.amount, dec!(1500.00));
    assert_eq!(
        t.remittance,
        "VIR SEPA RECU /DE CLIENT DUPONT /MOTIF FACTURE FA-2024-007"
    );
    assert_eq!(s.transactions[1].amount, dec!(-89.90));
    assert_eq!(s.transactions[2].location, SourceLocation::Line(11));
    assert!(s.transactions[2].reversal);
    let pending: Vec<_> = b
        .warnings
        .iter()
        .filter(|w| w.message.contains("En attente"))
        .collect();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].location, SourceLocation::Line(9));
    assert_eq!(b.warnings.len(), 1, "{:?}", b.warnings);
}

#[test]
fn generic_profile_pipe_separator_month_first_and_dot_decimals() {
    let b = fixture("csv_pipe_us.csv").unwrap();
    let s = &b.statements[0];
    let t = &s.transactions[0];
    assert_eq!(t.booking_date, date(2024, 1, 13));
    assert_eq!(t.amount, dec!(1234.56));
    assert_eq!(t.structured_ref.as_deref(), Some("RF18539007547034"));
    assert_eq!(s.transactions[1].amount, dec!(-2000.00));
    assert_eq!(s.transactions[2].amount, dec!(-1.50));
    // Two lines on the newest day, in file order: the last one's balance closes.
    let close = s.closing.as_ref().unwrap();
    assert_eq!(
        (close.date, close.amount),
        (date(2024, 1, 14), dec!(9233.06))
    );
    assert!(
        b.warnings
            .iter()
            .any(|w| w.message.contains("which account"))
    );
}

#[test]
fn a_user_profile_comes_before_the_built_in_ones() {
    let text = "Jour;Libellé;Somme\n05.03.2024;Acompte client;+120,00\n";
    let generic = parse_as(Format::BankCsv, text, &ctx("odd.csv")).unwrap_err();
    assert!(generic.message.contains("no CSV profile"), "{generic}");
    let toml = r#"
[[import.csv_profiles]]
name = "Ma banque"
detect_headers = ["Jour", "Somme"]
day_first = true
decimal_mark = "comma"
account = "FR76 3000 6000 0112 3456 7890 189"
[import.csv_profiles.columns]
date = ["Jour"]
amount = ["Somme"]
label = ["Libelle"]
"#;
    let ctx = ParseContext {
        csv_profiles: parse_profiles(toml).unwrap(),
        ..ctx("odd.csv")
    };
    let b = parse_as(Format::BankCsv, text, &ctx).unwrap();
    let s = &b.statements[0];
    assert_eq!(
        s.account.iban.as_deref(),
        Some("FR7630006000011234567890189")
    );
    assert_eq!(s.transactions[0].booking_date, date(2024, 3, 5));
    assert_eq!(s.transactions[0].amount, dec!(120.00));
    assert_eq!(s.transactions[0].remittance, "Acompte client");
}

#[test]
fn bad_values_name_line_and_column() {
    let e = fixture("csv_bad_amount.csv").unwrap_err();
    assert_eq!(e.location, SourceLocation::Line(3));
    assert_eq!(e.field.as_deref(), Some("Montant"));
    assert!(
        e.to_string()
            .starts_with("csv_bad_amount.csv: line 3, field 'Montant': \"12,3x\" is not an amount"),
        "{e}"
    );
    let e = parse_bytes(b"Date;Libelle;Montant\n2024-13-45;X;1,00\n", &ctx("d.csv")).unwrap_err();
    assert_eq!(
        (e.location, e.field.as_deref()),
        (SourceLocation::Line(2), Some("Date"))
    );
    let e = parse_bytes(
        b"Date;Libelle;Debit;Credit\n02/01/2024;X;;\n",
        &ctx("d.csv"),
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("Debit/Credit"));
}

#[test]
fn truncated_files_never_panic() {
    let mut inputs = vec![
        fixture_bytes("csv_generic_fr.csv"),
        fixture_bytes("csv_pipe_us.csv"),
    ];
    for rel in [
        "bank_csv/credit_agricole_fr_style.csv",
        "bank_csv/qonto_en_export.csv",
    ] {
        if let Some(b) = sample_bytes(rel) {
            inputs.push(b);
        }
    }
    for bytes in inputs {
        for cut in 0..bytes.len() {
            let _ = parse_bytes(&bytes[..cut], &ctx("cut.csv"));
        }
    }
}

#[test]
fn fees_become_their_own_line_and_unsettled_rows_are_left_out() {
    let text = "Date started (UTC),Date completed (UTC),ID,Type,Description,Reference,Payer,Card number,Orig currency,Orig amount,Payment currency,Amount,Fee,Balance,Account\n\
        2026-03-01 10:00:00,2026-03-02 10:00:00,t1,card_payment,Hotel Lyon,,,,USD,-110.00,EUR,-100.00,1.20,898.80,Main\n\
        2026-03-03 10:00:00,,t2,card_payment,Taxi,,,,EUR,-20.00,EUR,-20.00,0.00,878.80,Main\n";
    let b = parse_bytes(text.as_bytes(), &ctx("revolut.csv")).unwrap();
    let s = &b.statements[0];
    let lines: Vec<_> = s
        .transactions
        .iter()
        .map(|t| (t.amount, t.bank_ref.as_deref()))
        .collect();
    assert_eq!(
        lines,
        [(dec!(-100.00), Some("t1")), (dec!(-1.20), Some("t1/fee"))]
    );
    assert_eq!(s.transactions[1].remittance, "Fee: Hotel Lyon");
    assert!(
        b.warnings
            .iter()
            .any(|w| w.location == SourceLocation::Line(3) && w.message.contains("Taxi"))
    );
    assert_eq!(s.closing.as_ref().unwrap().amount, dec!(898.80));
}

/// A separator that is also the decimal mark cuts the amounts in two; the message says so
/// rather than blaming the field that the shift happens to land on.
#[test]
fn a_comma_separator_that_cuts_decimal_commas_is_named() {
    let text = "Date,Libellé,Montant,Devise\n05/03/2024,Acompte client,120,00,EUR\n";
    let e = parse_as(Format::BankCsv, text, &ctx("virgules.csv")).unwrap_err();
    assert_eq!(e.location, SourceLocation::Line(2));
    let shown = e.to_string();
    assert!(
        shown.contains("the separator looks like ',' but ',' is also the decimal mark (\"120,00\""),
        "{shown}"
    );
    assert!(shown.contains("the header on line 1 into 4"), "{shown}");
    assert!(shown.contains("export the file again with ';'"), "{shown}");
}

#[test]
fn a_profile_whose_separator_is_not_the_files_is_named() {
    let toml = r#"
[[import.csv_profiles]]
name = "Ma banque"
detect_headers = ["Jour", "Somme"]
delimiter = ";"
day_first = true
[import.csv_profiles.columns]
date = ["Jour"]
amount = ["Somme"]
"#;
    let ctx = ParseContext {
        csv_profiles: parse_profiles(toml).unwrap(),
        ..ctx("tabs.csv")
    };
    let text = "Relevé\n\nJour\tLibellé\tSomme\n05.03.2024\tAcompte client\t+120,00\n";
    let e = parse_as(Format::BankCsv, text, &ctx).unwrap_err();
    assert_eq!(e.location, SourceLocation::Line(3));
    assert!(
        e.to_string().contains(
            "the separator looks like tab but the profile 'Ma banque' says ';'. export the file \
             again with ';' as separator, or set delimiter = \"\\t\" in the profile 'Ma banque'"
        ),
        "{e}"
    );
    // With the profile's own separator it reads.
    let b =
        parse_as(Format::BankCsv, &text.replace('\t', ";"), &ctx).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(b.statements[0].transactions[0].amount, dec!(120.00));
}
