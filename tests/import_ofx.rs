//! OFX 1.x (SGML) and 2.x (XML) through `parse_bytes`, so that detection is covered too: the
//! shared samples (values read from the files by hand) and our own fixtures.

mod common;

use chrono::NaiveDate;
use common::parse_sample as sample;
use common::{ctx, fixture_bytes};
use encours::domain::model::{Balance, SourceLocation};
use encours::domain::money::Currency;
use encours::import::{Format, ImportBatch, ImportError, parse_bytes};
use rust_decimal_macros::dec;
fn fixture(name: &str) -> ImportBatch {
    common::parse_fixture(name).unwrap_or_else(|e| panic!("{e}"))
}

fn error(text: &str) -> ImportError {
    match parse_bytes(text.as_bytes(), &ctx("test.ofx")) {
        Ok(batch) => panic!("accepted: {batch:?}"),
        Err(e) => e,
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn cur(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

#[test]
fn credit_card_statement_with_xml_header_and_unclosed_leaves() {
    let Some(batch) = sample("ofx/ofxparse_anz_creditcard_v203_unclosed.ofx") else {
        return;
    };
    assert_eq!(batch.format, Some(Format::Ofx));
    assert!(batch.warnings.is_empty(), "{:?}", batch.warnings);
    assert_eq!(batch.statements.len(), 1);
    let s = &batch.statements[0];
    assert_eq!(s.account.number.as_deref(), Some("1234123412341234"));
    assert_eq!(s.account.bank_code, None);
    assert_eq!(s.account.currency, Some(cur("AUD")));
    // LEDGERBAL -123.45, not AVAILBAL +123.45.
    assert_eq!(
        s.closing,
        Some(Balance {
            date: date(2017, 5, 10),
            amount: dec!(-123.45),
            currency: cur("AUD")
        })
    );
    assert_eq!(s.opening, None);
    assert_eq!(s.transactions.len(), 1);
    let t = &s.transactions[0];
    assert_eq!((t.amount, t.currency), (dec!(-5.50), cur("AUD")));
    assert_eq!(t.booking_date, date(2017, 5, 8));
    assert_eq!(t.bank_ref.as_deref(), Some("201705080001"));
    assert_eq!(t.type_code.as_deref(), Some("DEBIT"));
    assert_eq!(t.counterparty_name, None);
    assert_eq!(t.remittance, "SOME MEMO");
    assert_eq!(t.location, SourceLocation::Line(29));
}

#[test]
fn sgml_on_few_long_lines_with_time_zones() {
    let Some(batch) = sample("ofx/ofxparse_bank_medium_cad.ofx") else {
        return;
    };
    assert!(batch.warnings.is_empty(), "{:?}", batch.warnings);
    let s = &batch.statements[0];
    assert_eq!(s.account.bank_code.as_deref(), Some("160000100"));
    assert_eq!(s.account.number.as_deref(), Some("12300 000012345678"));
    assert_eq!(s.account.iban, None);
    assert_eq!(s.account.currency, Some(cur("CAD")));
    assert_eq!(
        s.closing.as_ref().map(|b| (b.date, b.amount)),
        Some((date(2009, 5, 23), dec!(382.34)))
    );
    let got: Vec<_> = s
        .transactions
        .iter()
        .map(|t| {
            (
                t.booking_date,
                t.amount,
                t.type_code.as_deref(),
                t.location.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                date(2009, 4, 1),
                dec!(-6.60),
                Some("POS"),
                SourceLocation::Line(15)
            ),
            (
                date(2009, 4, 2),
                dec!(-316.67),
                Some("CHECK"),
                SourceLocation::Line(16)
            ),
            (
                date(2009, 4, 3),
                dec!(-22.00),
                Some("POS"),
                SourceLocation::Line(17)
            ),
        ]
    );
    let t = &s.transactions[1];
    assert_eq!(
        t.counterparty_name.as_deref(),
        Some("Joe's Bald Hairstyles")
    );
    // The memo repeats the name: said once. CHECKNUM 0 is no cheque number.
    assert_eq!(t.remittance, "MISCELLANEOUS PAYMENTS;Joe's Bald Hairstyles");
    assert_eq!(t.bank_ref.as_deref(), Some("0000123456782009040200004"));
    assert_eq!(
        s.transactions[0].remittance,
        "POS MERCHANDISE;MCDONALD'S #112"
    );
}

#[test]
fn leading_blank_lines_and_empty_tags() {
    let Some(batch) = sample("ofx/ofxparse_v102_empty_tags_leading_blank_lines.ofx") else {
        return;
    };
    // The only amount has its own currency (CURRENCY/CURSYM), so no default was assumed.
    assert!(batch.warnings.is_empty(), "{:?}", batch.warnings);
    let s = &batch.statements[0];
    assert_eq!(s.account.number.as_deref(), Some("12345678"));
    assert_eq!(s.account.bank_code.as_deref(), Some("NPBS"));
    assert_eq!(s.account.currency, None, "<CURDEF></CURDEF>");
    assert_eq!(s.closing, None, "<BALAMT></BALAMT>");
    assert_eq!(s.transactions.len(), 1);
    let t = &s.transactions[0];
    assert_eq!((t.amount, t.currency), (dec!(12.34), cur("AUD")));
    assert_eq!(t.booking_date, date(2018, 5, 7));
    assert_eq!(t.type_code.as_deref(), Some("CREDIT"), "TRNTYPE 'Credit'");
    assert_eq!(t.bank_ref, None, "<FITID></FITID>");
    assert_eq!(t.counterparty_name, None, "<NAME></NAME>");
    assert_eq!(t.remittance, "CBA:Transfer");
    assert_eq!(t.location, SourceLocation::Line(23));
}

#[test]
fn bank_and_card_statements_in_one_file() {
    let batch = fixture("ofx_two_statements.ofx");
    assert_eq!(batch.statements.len(), 2);
    let bank = &batch.statements[0];
    assert_eq!(
        bank.account.iban.as_deref(),
        Some("FR7630006000011234567890189")
    );
    assert_eq!(
        bank.account.bank_code.as_deref(),
        Some("30006"),
        "BANKACCTTO does not leak in"
    );
    assert_eq!(
        bank.closing,
        Some(Balance {
            date: date(2024, 3, 31),
            amount: dec!(-1234.56),
            currency: Currency::EUR
        })
    );
    let t = &bank.transactions;
    assert_eq!(t.len(), 4);
    assert_eq!(t[0].amount, dec!(1250.00), "1 250,00");
    assert_eq!(t[0].type_code.as_deref(), Some("CREDIT"));
    assert_eq!(t[0].value_date, Some(date(2024, 3, 6)), "DTAVAIL");
    assert_eq!(t[0].counterparty_name.as_deref(), Some("DUPONT & FILS"));
    assert_eq!(t[0].remittance, "DUPONT & FILS VIR FA-2024-0012");
    assert_eq!(t[1].booking_date, date(2024, 3, 7));
    assert_eq!(t[1].remittance, "LOYER CHQ 1234567");
    assert_eq!(
        t[2].counterparty_name.as_deref(),
        Some("Payee Name"),
        "PAYEE/NAME"
    );
    assert_eq!(t[2].remittance, "Payee Name Epargne");
    assert_eq!(t[2].bank_ref, None);
    assert_eq!((t[3].amount, t[3].currency), (dec!(-9.99), cur("USD")));
    assert_eq!(t[3].location, SourceLocation::Line(20));

    let card = &batch.statements[1];
    assert_eq!(card.account.number.as_deref(), Some("4970XXXXXXXX1234"));
    // Empty DTASOF: the end of the transaction list dates the balance.
    assert_eq!(
        card.closing.as_ref().map(|b| (b.date, b.amount)),
        Some((date(2024, 3, 31), dec!(-42.00)))
    );
    assert_eq!(
        card.transactions[0].amount,
        dec!(42.00),
        "the signed amount is kept"
    );
    assert_eq!(batch.warnings.len(), 1, "{:?}", batch.warnings);
    assert_eq!(batch.warnings[0].location, SourceLocation::Line(28));
    assert!(batch.warnings[0].message.contains("TRNTYPE DEBIT"));
}

#[test]
fn well_formed_ofx2_without_currency_assumes_the_default() {
    let batch = fixture("ofx_v2_no_currency.ofx");
    let s = &batch.statements[0];
    assert_eq!(s.account.number.as_deref(), Some("00012345678"));
    assert_eq!(s.account.currency, None);
    let t = &s.transactions[0];
    assert_eq!((t.amount, t.currency), (dec!(18.15), Currency::EUR));
    assert_eq!(t.location, SourceLocation::Line(16));
    assert_eq!(
        s.closing.as_ref().map(|b| (b.date, b.amount)),
        Some((date(2024, 1, 31), dec!(18.15)))
    );
    assert_eq!(batch.warnings.len(), 1);
    assert!(
        batch.warnings[0].message.contains("CURDEF"),
        "{:?}",
        batch.warnings
    );
}

#[test]
fn a_bad_amount_names_the_line_and_field() {
    let name = "ofx_bad_amount.ofx";
    let err = parse_bytes(&fixture_bytes(name), &ctx(name)).unwrap_err();
    assert_eq!(err.location, SourceLocation::Line(18));
    assert_eq!(err.field.as_deref(), Some("TRNAMT"));
    assert!(err.message.contains("-316.6x7"), "{err}");
    assert!(
        err.to_string()
            .starts_with("ofx_bad_amount.ofx: line 18, field 'TRNAMT'"),
        "{err}"
    );
}

#[test]
fn missing_fields_and_bad_dates_are_errors() {
    let head = "OFXHEADER:100\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>\n";
    let tail = "\n</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
    let err = error(&format!(
        "{head}<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240101</STMTTRN>{tail}"
    ));
    assert_eq!(
        (err.location, err.field.as_deref()),
        (SourceLocation::Line(4), Some("TRNAMT"))
    );
    let err = error(&format!(
        "{head}<STMTTRN><TRNAMT>1.00<DTPOSTED>2024-01-01</STMTTRN>{tail}"
    ));
    assert_eq!(err.field.as_deref(), Some("DTPOSTED"));
    assert!(err.message.contains("2024-01-01"), "{err}");
    let err = error(&format!(
        "{head}<STMTTRN><TRNAMT>1.00<DTPOSTED>20240101<CURRENCY><CURSYM>EURO</CURRENCY></STMTTRN>{tail}"
    ));
    assert_eq!(err.field.as_deref(), Some("CURSYM"));
    let no_account = format!("{head}{tail}").replace("<ACCTID>1", "<ACCTTYPE>CHECKING");
    assert_eq!(error(&no_account).field.as_deref(), Some("ACCTID"));
    let investment = "OFXHEADER:100\n\n<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><CURDEF>EUR</INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>";
    assert!(error(investment).message.contains("no bank"));
}

#[test]
fn every_truncation_is_an_error_never_a_panic() {
    let name = "ofx_two_statements.ofx";
    let bytes = fixture_bytes(name);
    let end = String::from_utf8_lossy(&bytes).rfind("</OFX>").unwrap() + "</OFX>".len();
    for cut in 0..end {
        if let Ok(batch) = parse_bytes(&bytes[..cut], &ctx(name)) {
            panic!("cut at byte {cut} was accepted: {batch:?}");
        }
    }
    assert!(parse_bytes(&bytes[..end], &ctx(name)).is_ok());
    // Cut right after a transaction: the statement it belongs to is named.
    let text = String::from_utf8_lossy(&bytes);
    let cut = text.find("</STMTTRN>").unwrap() + "</STMTTRN>".len();
    let err = parse_bytes(&bytes[..cut], &ctx(name)).unwrap_err();
    assert!(err.message.contains("<STMTRS>"), "{err}");
    assert_eq!(err.location, SourceLocation::Line(15));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Any stretch of the file replaced by tag-like junk: an error or a batch, never a panic.
    #[test]
    fn damaged_files_never_panic(at in 0usize..2500, len in 0usize..60, junk in "[<>/&#;!?\\[\\]a-zA-Z0-9 .,:=-]{0,40}") {
        let text = String::from_utf8(fixture_bytes("ofx_two_statements.ofx")).unwrap();
        let start = at.min(text.len());
        let end = (start + len).min(text.len());
        let damaged = format!("{}{junk}{}", &text[..start], &text[end..]);
        let _ = parse_bytes(damaged.as_bytes(), &ctx("damaged.ofx"));
    }
}
