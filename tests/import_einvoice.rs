//! UBL and CII (Factur-X, ZUGFeRD) through `parse_bytes`: every shared sample with the values
//! read from the files, and hand-written documents for the rules the samples do not break.

mod common;

use chrono::NaiveDate;
use common::parse_sample as sample;
use encours::domain::model::{InvoiceKind, NewCustomer, NewInvoice, SourceLocation};
use encours::import::{Format, ImportBatch, ImportError, ParseContext, parse_bytes};
use rust_decimal_macros::dec;

fn parse(xml: &str) -> Result<ImportBatch, ImportError> {
    parse_bytes(xml.as_bytes(), &ParseContext::default())
}

fn one(b: &ImportBatch) -> (&NewInvoice, &NewCustomer) {
    assert_eq!(b.invoices.len(), 1);
    assert_eq!(b.customers.len(), 1);
    assert_eq!(b.invoices[0].customer_code, b.customers[0].code);
    (&b.invoices[0], &b.customers[0])
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn ubl_invoice_nl_example() {
    let Some(b) = sample("ubl/ubl_en16931_nl_example1.xml") else {
        return;
    };
    assert_eq!(b.format, Some(Format::Ubl));
    let (inv, cust) = one(&b);
    assert_eq!(inv.number, "12115118");
    assert_eq!(inv.kind, InvoiceKind::Invoice);
    assert_eq!(inv.issue_date, d(2015, 1, 9));
    assert_eq!(inv.due_date, Some(d(2015, 1, 9)));
    assert_eq!(inv.amount, dec!(250.33));
    assert_eq!(inv.prepaid, dec!(0));
    assert_eq!(inv.currency.as_str(), "EUR");
    // The first PaymentMeans' PaymentID: what the customer writes on the transfer. The
    // IBANs with spaces in the PaymentMeans are the seller's, not references.
    assert_eq!(
        inv.payment_reference.as_deref(),
        Some("Deb. 10202 / Fact. 12115118")
    );
    assert_eq!(inv.location, SourceLocation::XmlPath("Invoice".into()));
    // Buyer named only by RegistrationName; no SIREN, no VAT id: code from the name.
    assert_eq!(cust.name, "ODIN 59");
    assert_eq!(cust.code, "ODIN-59");
    assert_eq!(cust.contact_name.as_deref(), Some("Dhr. J BLOKKER"));
    assert_eq!(
        (cust.siren.as_deref(), cust.vat_id.as_deref()),
        (None, None)
    );
}

#[test]
fn ubl_credit_note_be() {
    let Some(b) = sample("ubl/ubl_en16931_be_creditnote.xml") else {
        return;
    };
    assert_eq!(b.format, Some(Format::Ubl));
    let (inv, cust) = one(&b);
    assert_eq!(inv.number, "018304 / 28865");
    assert_eq!(inv.kind, InvoiceKind::CreditNote);
    assert_eq!(inv.amount, dec!(100.11));
    assert_eq!(inv.issue_date, d(2019, 9, 23));
    assert_eq!(inv.due_date, None);
    assert_eq!(inv.payment_reference.as_deref(), Some("010676609538"));
    assert_eq!(cust.name, "My Customer Company S.A.");
    // Ten digits of a Belgian company number: not a SIREN.
    assert_eq!(cust.siren, None);
    assert_eq!(cust.vat_id.as_deref(), Some("BE0000000295"));
    assert_eq!(cust.code, "BE0000000295");
    assert_eq!(
        cust.email.as_deref(),
        Some("pete.smith@mycustomercompany.be")
    );
}

#[test]
fn cii_nok_with_prepayment_and_discount_in_text() {
    let Some(b) = sample("cii/cii_en16931_nok_skonto.xml") else {
        return;
    };
    assert_eq!(b.format, Some(Format::Cii));
    let (inv, cust) = one(&b);
    assert_eq!(inv.number, "TOSL108");
    assert_eq!(inv.issue_date, d(2013, 6, 30));
    assert_eq!(inv.due_date, Some(d(2013, 7, 20)));
    assert_eq!(inv.currency.as_str(), "NOK");
    assert_eq!(inv.amount, dec!(1801.78));
    assert_eq!(inv.prepaid, dec!(1000));
    assert_eq!(inv.amount - inv.prepaid, dec!(801.78));
    // "2 % discount if paid within 2 days", not the 10 % penalty on the next line.
    assert_eq!(inv.discount_percent, Some(dec!(2)));
    assert_eq!(inv.payment_reference.as_deref(), Some("0003434323213231"));
    assert_eq!(cust.name, "The Buyercompany");
    // 987654321 is a Norwegian organisation number, not a SIREN.
    assert_eq!(cust.siren, None);
    assert_eq!(cust.vat_id.as_deref(), Some("NO987654321MVA"));
    assert_eq!(cust.code, "NO987654321MVA");
    assert_eq!(cust.email.as_deref(), Some("john@buyercompany.no"));
    assert_eq!(cust.phone.as_deref(), Some("5121230"));
    assert_eq!(cust.contact_name.as_deref(), Some("John Doe"));
}

#[test]
fn facturx_en16931_french_invoice() {
    let Some(b) = sample("facturx/facturx_fr_en16931_fac-20171118-506.xml") else {
        return;
    };
    assert_eq!(b.format, Some(Format::Cii));
    let (inv, cust) = one(&b);
    assert_eq!(inv.number, "FAC-20171118-506");
    assert_eq!(inv.issue_date, d(2017, 11, 18));
    assert_eq!(inv.due_date, Some(d(2017, 12, 9)));
    assert_eq!(inv.amount, dec!(571.04));
    assert_eq!(inv.prepaid, dec!(0));
    // The reference is the invoice number; the IBAN with spaces is not taken for one.
    assert_eq!(inv.payment_reference.as_deref(), Some("FAC-20171118-506"));
    // "Paiement sans escompte": no discount.
    assert_eq!(inv.discount_percent, None);
    assert_eq!(cust.name, "Maison de Evenements SAS");
    // SIREN read from the French VAT id, whose key checks.
    assert_eq!(cust.vat_id.as_deref(), Some("FR19787878784"));
    assert_eq!(cust.siren.as_deref(), Some("787878784"));
    assert_eq!(cust.code, "787878784");
}

#[test]
fn facturx_minimum_profile_has_no_due_date() {
    let Some(b) = sample("facturx/facturx_fr_minimum_profile.xml") else {
        return;
    };
    let (inv, cust) = one(&b);
    assert_eq!(inv.number, "FA-2017-0010");
    assert_eq!(inv.issue_date, d(2017, 11, 13));
    assert_eq!(inv.due_date, None);
    assert_eq!(inv.amount, dec!(671.15));
    // DuePayableAmount 470.15 with no TotalPrepaidAmount: 201.00 was paid before.
    assert_eq!(inv.prepaid, dec!(201.00));
    assert_eq!(inv.payment_reference, None);
    assert_eq!(cust.name, "Ma jolie boutique");
    // SIRET 78787878400035 under scheme 0002: its first nine digits.
    assert_eq!(cust.siren.as_deref(), Some("787878784"));
    assert_eq!(cust.code, "787878784");
}

#[test]
fn zugferd_extended_takes_the_highest_structured_discount() {
    let Some(b) = sample("facturx/zugferd_extended_double_skonto.xml") else {
        return;
    };
    let (inv, cust) = one(&b);
    assert_eq!(inv.number, "R87654321012345");
    assert_eq!(inv.issue_date, d(2018, 8, 6));
    assert_eq!(inv.amount, dec!(518.99));
    assert_eq!(inv.prepaid, dec!(0));
    assert_eq!(inv.currency.as_str(), "EUR");
    // Tiers 2 % (14 days) and 1 % (7 days); the 2 % invoice allowance is not a discount term.
    assert_eq!(inv.discount_percent, Some(dec!(2.00)));
    assert_eq!(inv.due_date, None);
    assert_eq!(cust.name, "MUSTER-KUNDE GMBH");
    assert_eq!(cust.code, "MUSTER-KUNDE-GMBH");
}

const UBL_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">"#;

fn ubl(body: &str) -> String {
    format!(
        "{UBL_HEAD}<cbc:ID>F-42</cbc:ID><cbc:IssueDate>2024-03-01</cbc:IssueDate>{body}\
         <cac:AccountingCustomerParty><cac:Party>\
           <cbc:EndpointID schemeID=\"0009\">55208131700012</cbc:EndpointID>\
           <cac:PartyName><cbc:Name>Dupont &amp; Fils</cbc:Name></cac:PartyName>\
           <cac:PartyTaxScheme><cbc:CompanyID>FR03552081317</cbc:CompanyID></cac:PartyTaxScheme>\
           <cac:Contact><cbc:Telephone>0102030405</cbc:Telephone><cbc:ElectronicMail>compta@dupont.fr</cbc:ElectronicMail></cac:Contact>\
         </cac:Party></cac:AccountingCustomerParty></Invoice>"
    )
}

#[test]
fn ubl_french_buyer_due_date_from_payment_terms_and_prepaid() {
    let xml = ubl("<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>\
         <cac:PaymentTerms><cbc:Note>Escompte 1,5 % pour paiement à 10 jours</cbc:Note>\
           <cbc:PaymentDueDate>2024-04-15</cbc:PaymentDueDate></cac:PaymentTerms>\
         <cac:LegalMonetaryTotal><cbc:TaxInclusiveAmount currencyID=\"EUR\">1200.00</cbc:TaxInclusiveAmount>\
           <cbc:PrepaidAmount currencyID=\"EUR\">200.00</cbc:PrepaidAmount>\
           <cbc:PayableAmount currencyID=\"EUR\">1000.00</cbc:PayableAmount></cac:LegalMonetaryTotal>");
    let b = parse(&xml).unwrap();
    let (inv, cust) = one(&b);
    assert_eq!((inv.amount, inv.prepaid), (dec!(1200.00), dec!(200.00)));
    assert_eq!(inv.due_date, Some(d(2024, 4, 15)));
    assert_eq!(inv.discount_percent, Some(dec!(1.5)));
    assert_eq!(cust.name, "Dupont & Fils");
    assert_eq!(cust.siren.as_deref(), Some("552081317"));
    assert_eq!(cust.code, "552081317");
    assert_eq!(cust.phone.as_deref(), Some("0102030405"));
    assert_eq!(cust.email.as_deref(), Some("compta@dupont.fr"));
}

#[test]
fn ubl_type_code_381_and_negative_totals_make_credit_notes() {
    let total = "<cac:LegalMonetaryTotal><cbc:PayableAmount currencyID=\"EUR\">80.00</cbc:PayableAmount></cac:LegalMonetaryTotal>";
    let b = parse(&ubl(&format!(
        "<cbc:InvoiceTypeCode>381</cbc:InvoiceTypeCode>{total}"
    )))
    .unwrap();
    assert_eq!(
        (b.invoices[0].kind, b.invoices[0].amount),
        (InvoiceKind::CreditNote, dec!(80.00))
    );
    assert_eq!(b.invoices[0].currency.as_str(), "EUR");

    let negative = "<cac:LegalMonetaryTotal><cbc:PayableAmount currencyID=\"EUR\">-80.00</cbc:PayableAmount></cac:LegalMonetaryTotal>";
    let b = parse(&ubl(negative)).unwrap();
    assert_eq!(
        (b.invoices[0].kind, b.invoices[0].amount),
        (InvoiceKind::CreditNote, dec!(80.00))
    );
    assert!(b.warnings[0].message.contains("negative total"));
}

#[test]
fn ubl_rule_breaks_are_refused_with_their_path() {
    let total = "<cac:LegalMonetaryTotal><cbc:PayableAmount>10.00</cbc:PayableAmount></cac:LegalMonetaryTotal>";
    let e = parse(&ubl(&format!(
        "<cbc:DueDate>2024-02-01</cbc:DueDate>{total}"
    )))
    .unwrap_err();
    assert_eq!(
        e.location,
        SourceLocation::XmlPath("Invoice/DueDate".into())
    );
    assert!(e.message.contains("before the issue date"), "{e}");

    let e = parse(&ubl(&format!(
        "<cbc:DocumentCurrencyCode>EUT</cbc:DocumentCurrencyCode>{total}"
    )))
    .unwrap_err();
    assert_eq!(
        e.location,
        SourceLocation::XmlPath("Invoice/DocumentCurrencyCode".into())
    );

    let bad = "<cac:LegalMonetaryTotal><cbc:PayableAmount>1O.00</cbc:PayableAmount></cac:LegalMonetaryTotal>";
    let e = parse(&ubl(bad)).unwrap_err();
    assert_eq!(
        e.location,
        SourceLocation::XmlPath("Invoice/LegalMonetaryTotal/PayableAmount".into())
    );

    let e = parse(&ubl("")).unwrap_err();
    assert!(e.message.contains("no total"), "{e}");

    let truncated = &ubl(total)[..300];
    let e = parse(truncated).unwrap_err();
    assert!(
        e.message.contains("not well-formed") || e.message.contains("ends before"),
        "{e}"
    );
}

#[test]
fn cii_credit_note_and_bad_dates() {
    let cii = |type_code: &str, date: &str| {
        format!(
            r#"<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="r" xmlns:udt="u">
            <rsm:ExchangedDocument><ram:ID>AV-7</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode>
              <ram:IssueDateTime>{date}</ram:IssueDateTime></rsm:ExchangedDocument>
            <rsm:SupplyChainTradeTransaction>
              <ram:ApplicableHeaderTradeAgreement><ram:BuyerTradeParty><ram:Name>Client Test</ram:Name></ram:BuyerTradeParty></ram:ApplicableHeaderTradeAgreement>
              <ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
                <ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:GrandTotalAmount>60.00</ram:GrandTotalAmount>
                <ram:DuePayableAmount>60.00</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>
              </ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>"#
        )
    };
    let ok = cii(
        "381",
        r#"<udt:DateTimeString format="102">20240305</udt:DateTimeString>"#,
    );
    let b = parse(&ok).unwrap();
    assert_eq!(b.format, Some(Format::Cii));
    let (inv, cust) = one(&b);
    assert_eq!(
        (inv.kind, inv.amount, inv.issue_date),
        (InvoiceKind::CreditNote, dec!(60.00), d(2024, 3, 5))
    );
    assert_eq!(cust.code, "CLIENT-TEST");

    let month_only = cii(
        "380",
        r#"<udt:DateTimeString format="610">202403</udt:DateTimeString>"#,
    );
    let e = parse(&month_only).unwrap_err();
    assert_eq!(
        e.location,
        SourceLocation::XmlPath(
            "CrossIndustryInvoice/ExchangedDocument/IssueDateTime/DateTimeString".into()
        )
    );
}
