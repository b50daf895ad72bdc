//! MT940 through `parse_bytes`, so that detection is exercised too. Expected values were
//! read from the sample files by hand.

mod common;

use chrono::NaiveDate;
use common::ctx;
use common::parse_fixture as fixture;
use encours::domain::model::{NewBankTransaction, SourceLocation};
use encours::import::{Format, ImportBatch, parse_bytes};
use rust_decimal_macros::dec;
use std::path::Path;

fn sample(rel: &str) -> Option<ImportBatch> {
    let batch = common::parse_sample(rel)?;
    assert_eq!(batch.format, Some(Format::Mt940), "{rel}");
    Some(batch)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn balance_warnings(batch: &ImportBatch) -> Vec<&str> {
    batch
        .warnings
        .iter()
        .filter(|w| w.message.contains("closing balance says"))
        .map(|w| w.message.as_str())
        .collect()
}

fn all_lines(batch: &ImportBatch) -> Vec<&NewBankTransaction> {
    batch
        .statements
        .iter()
        .flat_map(|s| &s.transactions)
        .collect()
}

#[test]
fn abn_amro_bare_headers_trailing_comma_amounts_and_entry_dates() {
    let Some(b) = sample("mt940/abnamro_nl.sta") else {
        return;
    };
    assert_eq!(b.statements.len(), 2);
    let s = &b.statements[0];
    assert_eq!(s.account.number.as_deref(), Some("517852257"));
    assert_eq!(s.account.iban, None);
    let open = s.opening.as_ref().unwrap();
    assert_eq!((open.date, open.amount), (date(2011, 5, 22), dec!(3236.28)));
    let close = s.closing.as_ref().unwrap();
    assert_eq!(
        (close.date, close.amount),
        (date(2011, 5, 23), dec!(876.84))
    );
    assert_eq!(s.transactions.len(), 8);
    let t = &s.transactions[0];
    assert_eq!(t.amount, dec!(-9));
    assert_eq!(t.booking_date, date(2011, 5, 24));
    assert_eq!(t.type_code.as_deref(), Some("N192"));
    assert!(
        t.remittance
            .contains("BETREFT FACTUUR D.D. 20-05-2011 INCL. 1,44 BTW"),
        "{}",
        t.remittance
    );
    // `1105210523`: valued 21 May, booked 23 May.
    let t = &s.transactions[1];
    assert_eq!(
        (t.value_date, t.booking_date),
        (Some(date(2011, 5, 21)), date(2011, 5, 23))
    );
    assert_eq!(t.amount, dec!(-11.59));
    assert_eq!(s.transactions[3].amount, dec!(-11.8));
    assert_eq!(s.transactions[6].amount, dec!(-107));
    assert_eq!(s.transactions[6].location, SourceLocation::Line(23));
    // The second statement has only intermediate balances: kept, with a warning.
    let s = &b.statements[1];
    assert_eq!(s.opening.as_ref().unwrap().amount, dec!(2876.84));
    assert_eq!(s.closing.as_ref().unwrap().amount, dec!(1849.75));
    assert_eq!(
        s.transactions.iter().map(|t| t.amount).collect::<Vec<_>>(),
        [dec!(-9.49), dec!(-15)]
    );
    assert!(b.warnings.iter().any(|w| w.message.contains(":62M:")));
}

#[test]
fn rabobank_two_statements_without_separator_and_slash_keyed_86() {
    let Some(b) = sample("mt940/rabobank_nl_iban.sta") else {
        return;
    };
    assert_eq!(b.statements.len(), 2);
    let s = &b.statements[0];
    // The sample's IBANs fail their check digits: kept as an account number, with a warning.
    assert_eq!(s.account.number.as_deref(), Some("NL71RABO0123456789"));
    assert_eq!(s.account.iban, None);
    assert_eq!(s.opening.as_ref().unwrap().amount, dec!(1000.00));
    assert_eq!(s.closing.as_ref().unwrap().amount, dec!(965.00));
    assert_eq!(
        b.statements[1].closing.as_ref().unwrap().amount,
        dec!(930.00)
    );
    let t = &s.transactions[0];
    assert_eq!(t.amount, dec!(-25.00));
    assert_eq!(t.type_code.as_deref(), Some("N102"));
    // "CONTRA ACCOUN" + "T HOLDER" across two physical lines.
    assert_eq!(
        t.counterparty_name.as_deref(),
        Some("CONTRA ACCOUNT HOLDER")
    );
    assert_eq!(
        t.structured_ref.as_deref(),
        Some("01-01-2013 12:00 0030000987654321")
    );
    assert_eq!(t.counterparty_iban, None);
    assert!(
        b.warnings
            .iter()
            .any(|w| w.message.contains("NL70ABNA0987654321"))
    );
    let t = &s.transactions[1];
    assert_eq!(t.amount, dec!(-10.00));
    assert_eq!(t.counterparty_name.as_deref(), Some("JOHN DOE"));
    assert_eq!(t.remittance, "Reference 201301234");
    assert_eq!(t.booking_date, date(2013, 1, 2));
    assert!(
        balance_warnings(&b).is_empty(),
        "{:?}",
        balance_warnings(&b)
    );
}

#[test]
fn knab_amounts_without_decimals_and_rek_naam_keywords() {
    let Some(b) = sample("mt940/knab_nl_invoice_refs.sta") else {
        return;
    };
    assert_eq!(b.statements.len(), 2);
    let s = &b.statements[0];
    assert_eq!(s.opening.as_ref().unwrap().amount, dec!(0));
    assert_eq!(s.closing.as_ref().unwrap().amount, dec!(500));
    let t = &s.transactions[0];
    assert_eq!(t.amount, dec!(500));
    assert_eq!(t.bank_ref.as_deref(), Some("B4E07XM00J000023"));
    assert_eq!(
        t.remittance,
        "HIER EEN MOOIE OMSCHRIJVING IN HOOFDLETTERS WANT DAT IS ZOALS DE NEDERLANDSE BANKEN COMMUNICEREN"
    );
    let lines = &b.statements[1].transactions;
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].amount, dec!(-7260));
    assert_eq!(lines[0].remittance, "FACTUUR 201403110, 201403113");
    assert_eq!(lines[0].counterparty_name.as_deref(), Some("PICQER"));
    assert_eq!(lines[0].bank_ref.as_deref(), Some("B4G29PGCVO7Q06US"));
    // `C500NTRF`: an amount with no decimal mark at all.
    assert_eq!(lines[1].amount, dec!(500));
    assert_eq!(
        lines[1].counterparty_name.as_deref(),
        Some("MMS ONLINE NEDERLAND B.V.")
    );
    assert_eq!(lines[1].bank_ref.as_deref(), Some("B4G29PGDCK1QFV3E"));
}

#[test]
fn postfinance_pages_join_on_intermediate_balances() {
    let Some(b) = sample("mt940/postfinance_ch.sta") else {
        return;
    };
    assert_eq!(b.statements.len(), 1, "two pages, one statement");
    let s = &b.statements[0];
    assert_eq!(
        s.account.currency.map(|c| c.to_string()).as_deref(),
        Some("CHF")
    );
    let open = s.opening.as_ref().unwrap();
    assert_eq!((open.date, open.amount), (date(2013, 11, 30), dec!(0)));
    let close = s.closing.as_ref().unwrap();
    assert_eq!((close.date, close.amount), (date(2014, 4, 7), dec!(159.6)));
    let amounts: Vec<_> = s.transactions.iter().map(|t| t.amount).collect();
    assert_eq!(amounts, [dec!(79.7), dec!(149.5), dec!(-79.9), dec!(10.1)]);
    assert_eq!(s.transactions[0].currency.to_string(), "CHF");
    assert_eq!(s.transactions[0].type_code.as_deref(), Some("FMSC"));
    assert_eq!(
        s.transactions[0].structured_ref.as_deref(),
        Some("20131209007602198765432000000012")
    );
    assert_eq!(s.transactions[0].bank_ref, None, "NONREF is no reference");
    let third = &s.transactions[2].remittance;
    assert!(
        third.contains("XXXXXXXXSTRASSE 111") && third.ends_with("MITTEILUNGEN: 1 SONNENGLAESER"),
        "{third}"
    );
}

#[test]
fn german_sepa_structured_86_returns_and_multi_page_statements() {
    let Some(b) = sample("mt940/de_sepa_structured86.sta") else {
        return;
    };
    // 26 pages; 6 statements run over two or three pages (:62M:/:60M:), 20 :60F: in all.
    assert_eq!(b.statements.len(), 20);
    assert_eq!(b.transaction_count(), 97);
    // 17 returns (GVC 159 "RETOURE") and 2 cancellations (RC mark, "STORNO").
    let lines = all_lines(&b);
    assert_eq!(lines.iter().filter(|t| t.reversal).count(), 19);
    assert!(
        balance_warnings(&b).is_empty(),
        "{:?}",
        balance_warnings(&b)
    );
    let s = &b.statements[0];
    assert_eq!(s.account.bank_code.as_deref(), Some("50880050"));
    assert_eq!(s.account.number.as_deref(), Some("0194774600888"));
    assert_eq!(s.opening.as_ref().unwrap().amount, dec!(-1234718.36));
    assert_eq!(s.closing.as_ref().unwrap().amount, dec!(-1237628.23));
    let t = &s.transactions[0];
    // `CR300,`: credit with funds code R, a returned transfer (GVC 159, RETOURE).
    assert_eq!(t.amount, dec!(300));
    assert!(t.reversal);
    assert_eq!(t.structured_ref.as_deref(), Some("TFNR 40005 00005"));
    assert_eq!(
        t.remittance,
        "Grund nicht spezifiziert Reject aus SEPA-Ueberweisungsauftrag"
    );
    assert_eq!(t.bank_ref.as_deref(), Some("0724710345313905"));
    assert!(s.transactions[4].reversal);
    assert!(s.transactions[4].remittance.contains("Rueckueberweisung"));
    // `RCR204,88`: reversal of a credit, booked as a debit.
    assert_eq!(s.transactions[5].amount, dec!(-204.88));
    assert!(s.transactions[5].reversal);
    assert_eq!(s.transactions[6].amount, dec!(-999946.95));
    assert!(!s.transactions[6].reversal);
    let t = &b.statements[1].transactions[0];
    assert_eq!(t.amount, dec!(15000.05));
    assert!(!t.reversal);
    assert_eq!(
        t.counterparty_iban.as_deref(),
        Some("DE42100100100043921105")
    );
    assert!(
        t.counterparty_name
            .as_deref()
            .unwrap()
            .starts_with("Richter Renate 70 Zeichen Beginn Fuellzeichen")
    );
    assert_eq!(
        t.structured_ref.as_deref(),
        Some("EndToEndIdTFNR2000400001")
    );
    assert!(
        t.remittance
            .starts_with("TO 13 TFNr 20004 Eingangskanal Mint"),
        "{}",
        t.remittance
    );
    // Three pages of account 0194781300888: first opening, last closing.
    let s = b
        .statements
        .iter()
        .find(|s| s.account.number.as_deref() == Some("0194781300888"))
        .unwrap();
    assert_eq!(s.opening.as_ref().unwrap().amount, dec!(-40432.2));
    assert_eq!(s.closing.as_ref().unwrap().amount, dec!(-100854.45));
    assert_eq!(s.transactions.len(), 8);
}

#[test]
fn asn_swift_envelopes_one_statement_each() {
    let Some(b) = sample("mt940/asnbank_nl_swift_blocks.sta") else {
        return;
    };
    assert_eq!(b.statements.len(), 31);
    assert_eq!(b.transaction_count(), 8);
    let s = &b.statements[0];
    assert_eq!(s.opening.as_ref().unwrap().amount, dec!(444.29));
    assert_eq!(s.closing.as_ref().unwrap().amount, dec!(379.29));
    let t = &s.transactions[0];
    assert_eq!(t.amount, dec!(-65.00));
    assert_eq!(t.type_code.as_deref(), Some("NOVB"));
    assert_eq!(t.counterparty_name.as_deref(), Some("hr gjlm paulissen"));
    assert_eq!(t.remittance, "Betaling sieraden");
    let card = &b.statements[4].transactions[1];
    assert_eq!(card.amount, dec!(-801.55));
    assert!(
        card.remittance.contains("Betaling aan ICS 99999999999"),
        "{}",
        card.remittance
    );
    assert!(balance_warnings(&b).is_empty());
}

#[test]
fn own_fixture_envelope_year_end_and_dutch_return() {
    let b = fixture("mt940_edge.sta").unwrap();
    assert_eq!(b.format, Some(Format::Mt940));
    assert_eq!(b.statements.len(), 1);
    let s = &b.statements[0];
    assert_eq!(s.account.iban.as_deref(), Some("DE89370400440532013000"));
    assert_eq!(
        s.account.currency.map(|c| c.to_string()).as_deref(),
        Some("EUR")
    );
    let t = &s.transactions[0];
    // Valued 31 December, booked 2 January of the next year.
    assert_eq!(t.value_date, Some(date(2023, 12, 31)));
    assert_eq!(t.booking_date, date(2024, 1, 2));
    assert_eq!(t.amount, dec!(1250.50));
    assert_eq!(
        t.counterparty_iban.as_deref(),
        Some("FR7630006000011234567890189")
    );
    assert_eq!(t.counterparty_name.as_deref(), Some("ACME SARL"));
    assert_eq!(t.structured_ref.as_deref(), Some("RF18539007547034"));
    assert_eq!(t.remittance, "Facture FA-2023-118");
    // `RD`: reversal of a debit, booked as a credit; /RTRN/ says it is a return.
    let t = &s.transactions[1];
    assert_eq!(t.amount, dec!(80));
    assert!(t.reversal);
    assert_eq!(s.closing.as_ref().unwrap().amount, dec!(1430.50));
    assert!(balance_warnings(&b).is_empty());
}

#[test]
fn malformed_fields_name_line_and_field() {
    let e = fixture("mt940_bad_amount.sta").unwrap_err();
    assert_eq!(e.location, SourceLocation::Line(6));
    assert_eq!(e.field.as_deref(), Some(":61: amount"));
    assert_eq!(e.file.as_deref(), Some("mt940_bad_amount.sta"));
    assert!(e.hint.is_some());
    let text = e.to_string();
    assert!(
        text.starts_with("mt940_bad_amount.sta: line 6, field ':61: amount'"),
        "{text}"
    );

    let e = fixture("mt940_no_account.sta").unwrap_err();
    assert_eq!(e.field.as_deref(), Some(":25:"));
    assert_eq!(e.location, SourceLocation::Line(1));
}

#[test]
fn truncated_statement_is_read_as_far_as_it_goes() {
    let b = fixture("mt940_truncated.sta").unwrap();
    let s = &b.statements[0];
    assert_eq!(s.closing, None);
    assert_eq!(s.transactions.len(), 1);
    assert_eq!(s.transactions[0].remittance, "Rechnung 2024-7");
}

#[test]
fn truncated_files_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut inputs = vec![std::fs::read(dir.join("mt940_edge.sta")).unwrap()];
    if let Some(samples) = common::samples_dir() {
        for rel in [
            "abnamro_nl.sta",
            "rabobank_nl_iban.sta",
            "knab_nl_invoice_refs.sta",
            "postfinance_ch.sta",
        ] {
            inputs.push(std::fs::read(samples.join("mt940").join(rel)).unwrap());
        }
    }
    for bytes in inputs {
        for cut in 0..bytes.len() {
            let _ = parse_bytes(&bytes[..cut], &ctx("cut.sta"));
        }
    }
}
