//! CAMT.053/054 through `parse_bytes`, so that detection is covered too: the shared samples
//! (values read from the files by hand) and our own fixtures for edge cases and errors.

mod common;

use chrono::NaiveDate;
use common::parse_sample as sample;
use common::{ctx, fixture_bytes};
use encours::domain::model::{Balance, NewBankTransaction, SourceLocation};
use encours::domain::money::{Currency, to_minor};
use encours::import::{Format, ImportError, parse_bytes};
use rust_decimal_macros::dec;

fn fixture_error(name: &str) -> ImportError {
    match parse_bytes(&fixture_bytes(name), &ctx(name)) {
        Ok(batch) => panic!("{name} was accepted: {batch:?}"),
        Err(e) => e,
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn cur(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

fn path(p: &str) -> SourceLocation {
    SourceLocation::XmlPath(p.to_string())
}

#[test]
fn two_statements_in_one_message() {
    let Some(batch) = sample("camt053/genkgo_camt053v02_multi_statement.xml") else {
        return;
    };
    assert_eq!(batch.format, Some(Format::Camt053));
    assert!(batch.warnings.is_empty(), "{:?}", batch.warnings);
    assert_eq!(batch.statements.len(), 2);
    for s in &batch.statements {
        assert_eq!(s.account.iban.as_deref(), Some("NL26VAYB8060476890"));
        assert_eq!(s.account.currency, Some(Currency::EUR));
        assert_eq!(s.transactions.len(), 1);
    }
    let first = &batch.statements[0];
    assert_eq!(
        first.opening,
        Some(Balance {
            date: date(2014, 12, 30),
            amount: dec!(18.15),
            currency: Currency::EUR
        })
    );
    assert_eq!(
        first.closing.as_ref().map(|b| (b.date, b.amount)),
        Some((date(2014, 12, 31), dec!(27.00)))
    );
    let t = &first.transactions[0];
    assert_eq!(t.amount, dec!(8.85));
    assert_eq!(t.booking_date, date(2014, 12, 31));
    assert_eq!(t.value_date, Some(date(2015, 1, 2)));
    assert_eq!(t.remittance, "Transaction Description 1");
    assert_eq!(t.type_code.as_deref(), Some("544"));
    assert!(!t.reversal, "RvslInd false");
    // A credit names its debtor; this synthetic one only gives a creditor (which is us).
    assert_eq!(t.counterparty_name, None);
    assert_eq!(t.counterparty_iban, None);

    let second = &batch.statements[1];
    assert_eq!(second.opening.as_ref().map(|b| b.amount), Some(dec!(27.00)));
    assert_eq!(second.closing.as_ref().map(|b| b.amount), Some(dec!(20.00)));
    let t = &second.transactions[0];
    assert_eq!(t.amount, dec!(-7.00));
    assert_eq!(t.counterparty_name.as_deref(), Some("Company Name 2"));
    assert_eq!(t.counterparty_iban.as_deref(), Some("NL56AGDH9619008421"));
    assert_eq!(t.remittance, "Transaction Description 2");
    assert_eq!(t.location, path("Document/BkToCstmrStmt/Stmt[2]/Ntry[1]"));
}

#[test]
fn three_decimal_amounts_are_exact() {
    let Some(batch) = sample("camt053/genkgo_camt053v02_three_decimal_amounts.xml") else {
        return;
    };
    let s = &batch.statements[0];
    assert_eq!(s.opening.as_ref().map(|b| b.amount), Some(dec!(18.15)));
    assert_eq!(s.closing.as_ref().map(|b| b.amount), Some(dec!(27.05)));
    let t = &s.transactions[0];
    assert_eq!(t.amount, dec!(8.85));
    assert_eq!(to_minor(t.amount, t.currency), Ok(885));
    // 18.150 + 8.850 = 27.000, yet the bank closes at 27.050: said, not refused.
    assert_eq!(batch.warnings.len(), 1);
    assert_eq!(
        batch.warnings[0].location,
        path("Document/BkToCstmrStmt/Stmt[1]")
    );
    assert!(
        batch.warnings[0].message.contains("27.050"),
        "{:?}",
        batch.warnings
    );
}

#[test]
fn version_8_other_account_id_date_times_and_party_under_pty() {
    let Some(batch) = sample("camt053/genkgo_camt053v08.xml") else {
        return;
    };
    assert_eq!(batch.statements.len(), 1);
    let s = &batch.statements[0];
    assert_eq!(s.account.iban, None);
    assert_eq!(s.account.number.as_deref(), Some("NL26VAYB8060476890"));
    assert_eq!(s.account.currency, None);
    assert_eq!(
        s.opening,
        Some(Balance {
            date: date(2014, 12, 30),
            amount: dec!(18.15),
            currency: Currency::EUR
        })
    );
    // CLBD is a debit in SEK; the OPAV/CLAV balances in CHF and JPY are not booked balances.
    assert_eq!(
        s.closing,
        Some(Balance {
            date: date(2014, 12, 30),
            amount: dec!(-27.00),
            currency: cur("SEK")
        })
    );
    assert_eq!(s.transactions.len(), 1);
    let t = &s.transactions[0];
    // One TxDtls: the entry's 8.85 EUR is kept, not the TxDtls' SEK 0.
    assert_eq!((t.amount, t.currency), (dec!(8.85), Currency::EUR));
    assert_eq!(
        t.booking_date,
        date(2014, 12, 31),
        "DtTm 2014-12-31T13:15:00+01:00"
    );
    assert_eq!(t.value_date, Some(date(2015, 1, 2)));
    assert_eq!(t.bank_ref.as_deref(), Some("AAAASESS-FP-CN_98765/01"));
    assert_eq!(t.type_code.as_deref(), Some("PMNT/RCDT/BOOK"));
    assert_eq!(t.counterparty_name.as_deref(), Some("NAME NAME"));
    assert_eq!(t.counterparty_iban.as_deref(), Some("NL56AGDH9619008421"));
    assert_eq!(t.structured_ref.as_deref(), Some("4654654654654654"));
    assert_eq!(t.remittance, "");
    assert!(!t.reversal);
}

#[test]
fn real_export_with_whole_amounts_and_not_provided_placeholders() {
    let Some(batch) = sample("camt053/subite_db_be_camt053v02_anonymized.xml") else {
        return;
    };
    assert!(batch.warnings.is_empty(), "{:?}", batch.warnings);
    let s = &batch.statements[0];
    assert_eq!(s.account.iban.as_deref(), Some("BE86463768548050"));
    assert_eq!(
        s.opening.as_ref().map(|b| (b.date, b.amount)),
        Some((date(2024, 3, 1), dec!(0)))
    );
    assert_eq!(
        s.closing.as_ref().map(|b| (b.date, b.amount)),
        Some((date(2024, 10, 1), dec!(0)))
    );
    let got: Vec<(rust_decimal::Decimal, Option<&str>, Option<&str>)> = s
        .transactions
        .iter()
        .map(|t| {
            (
                t.amount,
                t.counterparty_name.as_deref(),
                t.counterparty_iban.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                dec!(-789903.41),
                Some("Sigma Solutions"),
                Some("FR9124517777178627245130470")
            ),
            (dec!(-0.99), Some("Nova Ltd"), Some("BE40933730571463")),
            (
                dec!(789904.40),
                Some("Theta Solutions"),
                Some("BE40933730571463")
            ),
        ]
    );
    for t in &s.transactions {
        assert_eq!(t.booking_date, date(2024, 5, 23));
        assert_eq!(t.value_date, None, "no ValDt in this export");
        assert_eq!(t.remittance, "", "Ustrd NOTPROVIDED is no text");
        assert_eq!(t.bank_ref, None);
    }
    assert_eq!(
        s.transactions[0].type_code.as_deref(),
        Some("PMNT/ICDT/ESCT")
    );
}

#[test]
fn notification_batch_is_split_per_transaction() {
    let Some(batch) = sample("camt054/genkgo_camt054v08.xml") else {
        return;
    };
    assert_eq!(batch.format, Some(Format::Camt054));
    assert_eq!(batch.statements.len(), 1);
    let s = &batch.statements[0];
    assert_eq!(s.account.iban.as_deref(), Some("CH2801234000123456789"));
    assert_eq!((s.opening.clone(), s.closing.clone()), (None, None));
    let chf = cur("CHF");
    let got: Vec<_> = s
        .transactions
        .iter()
        .map(|t| {
            (
                t.amount,
                t.currency,
                t.counterparty_name.as_deref(),
                t.structured_ref.as_deref(),
            )
        })
        .collect();
    // A DBIT entry of SEK 200000 whose three TxDtls carry their own CHF amounts.
    assert_eq!(
        got,
        vec![
            (
                dec!(-3.1),
                chf,
                Some("Example Creditor 3 - V1"),
                Some("ISR ref number V1")
            ),
            (
                dec!(-3.2),
                chf,
                Some("Example Creditor 3 - V2"),
                Some("ISR ref number V2")
            ),
            (
                dec!(-3.2),
                chf,
                Some("Example Creditor 3 - V3"),
                Some("Ref number V3 block 1")
            ),
        ]
    );
    let t: &Vec<NewBankTransaction> = &s.transactions;
    assert_eq!(
        t[0].counterparty_iban.as_deref(),
        Some("CH4112345003131313131")
    );
    assert_eq!(t[0].remittance, "Unstructured Remittance Information V1");
    assert_eq!(t[1].remittance, "Additional Remittance Information V2");
    assert_eq!(
        t[2].remittance,
        "Unstructured Remittance Information V3 block 1 Unstructured Remittance Information V3 block 2 Ref number V3 block 2"
    );
    for tx in t {
        assert_eq!(tx.booking_date, date(2007, 10, 18));
        assert_eq!(tx.bank_ref.as_deref(), Some("ACSR160617103200001"));
        assert_eq!(tx.type_code.as_deref(), Some("PMNT/ICDT/DMCT"));
    }
    assert_eq!(
        t[2].location,
        path("Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls[1]/TxDtls[3]")
    );
    assert!(
        batch
            .warnings
            .iter()
            .any(|w| w.message.contains("not in SEK")),
        "{:?}",
        batch.warnings
    );
}

#[test]
fn edge_cases_of_our_own_fixture() {
    let name = "camt053_v04_edge_cases.xml";
    let batch = parse_bytes(&fixture_bytes(name), &ctx(name)).unwrap();
    assert_eq!(batch.format, Some(Format::Camt053));
    let s = &batch.statements[0];
    assert_eq!(
        s.account.iban.as_deref(),
        Some("FR7630006000011234567890189")
    );
    // PRCD opens when there is no OPBD; OPAV is ignored; CLBD in DtTm with an offset.
    assert_eq!(s.opening.as_ref().map(|b| b.amount), Some(dec!(1500.50)));
    assert_eq!(
        s.closing.as_ref().map(|b| (b.date, b.amount)),
        Some((date(2024, 3, 29), dec!(-499.00)))
    );
    let t = &s.transactions;
    assert_eq!(
        t.len(),
        5,
        "the pending entry is left out, the batch of two split"
    );

    assert_eq!(t[0].amount, dec!(1250));
    assert_eq!(
        t[0].booking_date,
        date(2024, 3, 28),
        "local day of 23:30 at -05:00"
    );
    assert_eq!(
        t[0].value_date,
        Some(date(2024, 3, 29)),
        "xs:date with an offset"
    );
    assert_eq!(
        t[0].counterparty_name.as_deref(),
        Some("Dupont & Fils SARL")
    );
    assert_eq!(
        t[0].counterparty_iban.as_deref(),
        Some("DE89370400440532013000")
    );
    assert_eq!(t[0].remittance, "FACTURE FA-2024-0012 et FA-2024-0013");
    assert_eq!(t[0].structured_ref.as_deref(), Some("RF18539007547034"));
    assert_eq!(t[0].bank_ref.as_deref(), Some("BQ-0001"));
    assert!(!t[0].reversal);

    assert_eq!(t[1].amount, dec!(-1250));
    assert!(t[1].reversal, "RvslInd true keeps its booked sign");
    assert_eq!(t[1].type_code.as_deref(), Some("RET-VIR"));
    assert_eq!(
        t[1].remittance, "RETOUR VIREMENT MOTIF AC04",
        "NOTPROVIDED falls back to AddtlNtryInf"
    );
    assert_eq!(t[1].value_date, None);

    assert_eq!((t[2].amount, t[3].amount), (dec!(-1200), dec!(-800)));
    assert_eq!(t[2].bank_ref.as_deref(), Some("BQ-0003-1"));
    assert_eq!(t[3].bank_ref.as_deref(), Some("BQ-0003"));
    assert_eq!(
        t[2].counterparty_iban.as_deref(),
        Some("GB82WEST12345698765432")
    );
    assert_eq!(t[2].structured_ref.as_deref(), Some("F-778"));
    assert_eq!(t[3].counterparty_name.as_deref(), Some("Fournisseur Deux"));
    assert_eq!(
        t[3].counterparty_iban, None,
        "a bad check digit is left out"
    );
    assert_eq!(t[3].remittance, "LOYER AVRIL");
    assert_eq!(t[3].value_date, Some(date(2024, 3, 28)));

    assert_eq!(t[4].amount, dec!(0.5));
    assert!(t[4].reversal, "sub-family UPDD is a returned direct debit");
    assert_eq!(t[4].remittance, "IMPAYE PRLV SEPA");
    assert_eq!(
        t[4].location,
        path("Document/BkToCstmrStmt/Stmt[1]/Ntry[5]")
    );

    let warned: Vec<&SourceLocation> = batch.warnings.iter().map(|w| &w.location).collect();
    assert_eq!(
        warned,
        vec![
            &path("Document/BkToCstmrStmt/Stmt[1]/Ntry[3]"),
            &path(
                "Document/BkToCstmrStmt/Stmt[1]/Ntry[4]/NtryDtls[1]/TxDtls[2]/RltdPties/CdtrAcct/Id/IBAN"
            ),
        ],
        "{:?}",
        batch.warnings
    );
    assert!(batch.warnings[0].message.contains("PDNG"));
}

#[test]
fn a_bad_amount_names_the_path_and_field() {
    let err = fixture_error("camt053_bad_amount.xml");
    assert_eq!(
        err.location,
        path("Document/BkToCstmrStmt/Stmt[2]/Ntry[3]/Amt")
    );
    assert_eq!(err.field.as_deref(), Some("Amt"));
    assert!(err.message.contains("\"12,50\""), "{err}");
    assert!(err.hint.is_some());
    let shown = err.to_string();
    assert!(
        shown.starts_with(
            "camt053_bad_amount.xml: Document/BkToCstmrStmt/Stmt[2]/Ntry[3]/Amt, field 'Amt'"
        ),
        "{shown}"
    );
}

#[test]
fn a_bad_date_and_a_missing_sign_name_their_fields() {
    let err = fixture_error("camt053_bad_date.xml");
    assert_eq!(
        err.location,
        path("Document/BkToCstmrStmt/Stmt[2]/Ntry[3]/BookgDt/Dt")
    );
    assert_eq!(err.field.as_deref(), Some("BookgDt"));
    assert!(err.message.contains("2024-03-32"), "{err}");

    let err = fixture_error("camt053_missing_sign.xml");
    assert_eq!(
        err.location,
        path("Document/BkToCstmrStmt/Stmt[2]/Ntry[3]/CdtDbtInd")
    );
    assert_eq!(err.field.as_deref(), Some("CdtDbtInd"));
}

#[test]
fn declared_entities_are_refused_not_expanded() {
    let err = fixture_error("camt053_entity_expansion.xml");
    assert!(err.message.contains("&lol9;"), "{err}");
    assert_eq!(err.location, path("Document/BkToCstmrStmt/Stmt[1]/Ntry[1]"));
}

#[test]
fn every_truncation_is_an_error_never_a_panic() {
    let name = "camt053_v04_edge_cases.xml";
    let bytes = fixture_bytes(name);
    let end = String::from_utf8_lossy(&bytes)
        .find("</c:Document>")
        .unwrap();
    for cut in 0..end {
        if let Ok(batch) = parse_bytes(&bytes[..cut], &ctx(name)) {
            panic!("cut at byte {cut} was accepted: {batch:?}");
        }
    }
    let err = parse_bytes(&bytes[..end], &ctx(name)).unwrap_err();
    assert!(err.message.contains("ends at line"), "{err}");
}

#[test]
fn deep_nesting_and_non_statements_are_refused() {
    let deep = format!(
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt>{}{}</Stmt></BkToCstmrStmt></Document>",
        "<AddtlStmtInf>".repeat(100_000),
        "</AddtlStmtInf>".repeat(100_000)
    );
    let err = parse_bytes(deep.as_bytes(), &ctx("deep.xml")).unwrap_err();
    assert!(err.message.contains("nested more than"), "{err}");

    let other =
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><Other/></Document>";
    let err = parse_bytes(other.as_bytes(), &ctx("other.xml")).unwrap_err();
    assert!(err.message.contains("no <BkToCstmrStmt>"), "{err}");

    let no_account = "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt><Id>1</Id></Stmt></BkToCstmrStmt></Document>";
    let err = parse_bytes(no_account.as_bytes(), &ctx("noacct.xml")).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("Acct"));
    assert_eq!(err.location, path("Document/BkToCstmrStmt/Stmt[1]"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Any stretch of the file replaced by tag-like junk: an error or a batch, never a panic.
    #[test]
    fn damaged_files_never_panic(at in 0usize..8000, len in 0usize..60, junk in "[<>/&#;!?\\[\\]a-zA-Z0-9 .,:=\"-]{0,40}") {
        let text = String::from_utf8(fixture_bytes("camt053_v04_edge_cases.xml")).unwrap();
        let start = at.min(text.len());
        let end = (start + len).min(text.len());
        let damaged = format!("{}{junk}{}", &text[..start], &text[end..]);
        let _ = parse_bytes(damaged.as_bytes(), &ctx("damaged.xml"));
    }
}
