//! Damaged and hostile files: whatever is cut, inserted or deleted, every invoice-side
//! reader returns records or an error that names its place and says what to do; none
//! panics. The inputs are our own fixtures, mutated.

use encours::domain::model::SourceLocation;
use encours::import::{Format, ParseContext, parse_as};
use proptest::prelude::*;

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

const UBL: &str = r#"<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="a" xmlns:cbc="b"><cbc:ID>F-1</cbc:ID><cbc:IssueDate>2024-03-01</cbc:IssueDate><cbc:DueDate>2024-03-31</cbc:DueDate><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode><cac:AccountingCustomerParty><cac:Party><cac:PartyName><cbc:Name>Dupont &amp; Fils</cbc:Name></cac:PartyName><cac:PartyLegalEntity><cbc:CompanyID schemeID="0002">552081317</cbc:CompanyID></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty><cac:PaymentMeans><cbc:PaymentID>F-1</cbc:PaymentID></cac:PaymentMeans><cac:PaymentTerms><cbc:Note>Escompte 2 % à 8 jours</cbc:Note></cac:PaymentTerms><cac:LegalMonetaryTotal><cbc:TaxInclusiveAmount currencyID="EUR">120.00</cbc:TaxInclusiveAmount><cbc:PrepaidAmount>20.00</cbc:PrepaidAmount><cbc:PayableAmount>100.00</cbc:PayableAmount></cac:LegalMonetaryTotal></Invoice>"#;

const CII: &str = r#"<rsm:CrossIndustryInvoice xmlns:rsm="r" xmlns:ram="a" xmlns:udt="u"><rsm:ExchangedDocument><ram:ID>F-2</ram:ID><ram:TypeCode>380</ram:TypeCode><ram:IssueDateTime><udt:DateTimeString format="102">20240301</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument><rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeAgreement><ram:BuyerTradeParty><ram:Name>Client</ram:Name><ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR19787878784</ram:ID></ram:SpecifiedTaxRegistration></ram:BuyerTradeParty></ram:ApplicableHeaderTradeAgreement><ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode><ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTimeString format="102">20240331</udt:DateTimeString></ram:DueDateDateTime><ram:ApplicableTradePaymentDiscountTerms><ram:CalculationPercent>2.00</ram:CalculationPercent></ram:ApplicableTradePaymentDiscountTerms></ram:SpecifiedTradePaymentTerms><ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:GrandTotalAmount>120.00</ram:GrandTotalAmount><ram:TotalPrepaidAmount>20.00</ram:TotalPrepaidAmount><ram:DuePayableAmount>100.00</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation></ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>"#;

/// Cuts the text at `pos` (op 0), inserts `ins` there (op 1), or deletes a few characters
/// from there (op 2).
fn mutate(text: &str, pos: usize, op: u8, ins: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let (head, tail) = chars.split_at(pos % (chars.len() + 1));
    let head: String = head.iter().collect();
    match op % 3 {
        0 => head,
        1 => format!("{head}{ins}{}", tail.iter().collect::<String>()),
        _ => format!(
            "{head}{}",
            tail.iter()
                .skip(ins.chars().count() + 1)
                .collect::<String>()
        ),
    }
}

fn check(format: Format, text: &str) -> Result<(), TestCaseError> {
    if let Err(e) = parse_as(format, text, &ParseContext::default()) {
        prop_assert!(e.location != SourceLocation::Unknown, "{format:?}: {e}");
        prop_assert!(e.hint.is_some(), "{format:?}: {e}");
    }
    Ok(())
}

#[test]
fn the_unmutated_inputs_parse() {
    for (format, text) in [
        (Format::Fec, fixture("fec_lettering.txt")),
        (Format::Ubl, UBL.to_string()),
        (Format::Cii, CII.to_string()),
        (Format::InvoiceCsv, fixture("invoices_fr.csv")),
        (Format::CustomerCsv, fixture("customers_fr.csv")),
        (Format::RatingCsv, fixture("ratings_fr.csv")),
    ] {
        let b = parse_as(format, &text, &ParseContext::default())
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert!(
            b.invoices.len() + b.customers.len() + b.ratings.len() > 0,
            "{format:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn damaged_fec(pos in 0usize..6000, op in 0u8..3, ins in "[\\PC\t|\n,]{0,12}") {
        check(Format::Fec, &mutate(&fixture("fec_lettering.txt"), pos, op, &ins))?;
    }

    #[test]
    fn damaged_ubl(pos in 0usize..1200, op in 0u8..3, ins in "[\\PC<>&/\"=;#]{0,12}") {
        check(Format::Ubl, &mutate(UBL, pos, op, &ins))?;
    }

    #[test]
    fn damaged_cii(pos in 0usize..1600, op in 0u8..3, ins in "[\\PC<>&/\"=;#]{0,12}") {
        check(Format::Cii, &mutate(CII, pos, op, &ins))?;
    }

    #[test]
    fn damaged_csv(pos in 0usize..800, op in 0u8..3, ins in "[\\PC;,\"\n\r\t]{0,12}", which in 0usize..3) {
        let (format, name) = [
            (Format::InvoiceCsv, "invoices_fr.csv"),
            (Format::CustomerCsv, "customers_fr.csv"),
            (Format::RatingCsv, "ratings_fr.csv"),
        ][which];
        check(format, &mutate(&fixture(name), pos, op, &ins))?;
    }
}
