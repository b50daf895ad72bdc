//! UBL 2.1 `<Invoice>` and `<CreditNote>` (EN 16931, Peppol BIS), read in one streaming pass.
//! Only the header matters here: number, dates, buyer, totals, payment reference and terms.
//! Invoice lines are skipped, and a Peppol envelope (SBDH) around the document is tolerated.

use crate::import::einvoice::{self, Draft, set_once};
use crate::import::einvoice_xml::{self, Element};
use crate::import::{Format, ImportBatch, ImportError, ImportResult, ParseContext};
use chrono::NaiveDate;

pub(crate) fn xml_date(raw: &str, path: &str) -> ImportResult<NaiveDate> {
    let t = raw.trim();
    t.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .filter(|_| t.len() == 10 || t[10..].starts_with(['Z', '+', '-', 'T']))
        .ok_or_else(|| {
            ImportError::at_path(path, format!("\"{t}\" is not a date"))
                .hint("UBL dates are written yyyy-mm-dd: ask the sender for a corrected invoice")
        })
}

pub fn parse(text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let mut draft = Draft::default();
    let mut found_root = false;
    let mut other_root: Option<String> = None;
    let mut due_means = None;
    let mut due_terms = None;
    einvoice_xml::walk(text, |e| {
        let Some(at) = e
            .path
            .iter()
            .take(3)
            .position(|n| n == "Invoice" || n == "CreditNote")
        else {
            if e.path.len() == 1 && other_root.is_none() {
                other_root = Some(e.path[0].clone());
            }
            return Ok(());
        };
        if !found_root {
            found_root = true;
            draft.root = einvoice_xml::path_string(&e.path[..=at]);
            draft.credit_note = e.path[at] == "CreditNote";
        }
        let rel: Vec<&str> = e.path[at + 1..].iter().map(String::as_str).collect();
        read(&mut draft, &rel, e, &mut due_means, &mut due_terms)
    })?;
    if !found_root {
        let root = other_root.unwrap_or_default();
        return Err(ImportError::at_path(
            root.clone(),
            format!("this UBL document is a {root}, not an invoice or a credit note"),
        )
        .hint("only UBL Invoice and CreditNote documents are imported"));
    }
    if draft.due_date.is_none() {
        draft.due_date = due_means.or(due_terms);
    }
    let mut batch = ImportBatch::new(Format::Ubl);
    draft.finish(ctx, &mut batch)?;
    Ok(batch)
}

type Due = einvoice::At<NaiveDate>;

fn read(
    d: &mut Draft,
    rel: &[&str],
    e: &Element<'_>,
    due_means: &mut Due,
    due_terms: &mut Due,
) -> ImportResult<()> {
    let path = || einvoice_xml::path_string(e.path);
    let value = einvoice::non_empty(e.text);
    match rel {
        ["ID"] => d.number = d.number.take().or(value),
        ["IssueDate"] if d.issue_date.is_none() => {
            d.issue_date = Some(xml_date(e.text, &path())?);
        }
        ["DueDate"] => set_once(&mut d.due_date, xml_date(e.text, &path())?, path()),
        ["PaymentMeans", "PaymentDueDate"] => {
            set_once(due_means, xml_date(e.text, &path())?, path())
        }
        ["PaymentTerms", "PaymentDueDate"] => {
            set_once(due_terms, xml_date(e.text, &path())?, path())
        }
        ["InvoiceTypeCode"] | ["CreditNoteTypeCode"] => {
            if let Some(code) = value {
                d.credit_note |= einvoice::is_credit_note_code(&code);
            }
        }
        ["DocumentCurrencyCode"] => {
            if let Some(v) = value {
                set_once(&mut d.currency, v, path());
            }
        }
        ["LegalMonetaryTotal", field] => {
            if d.amount_currency.is_none() {
                d.amount_currency = e.attr("currencyID").map(str::to_string);
            }
            let slot = match *field {
                "TaxInclusiveAmount" => &mut d.total,
                "PayableAmount" => &mut d.payable,
                "PrepaidAmount" => &mut d.prepaid,
                "PayableRoundingAmount" => {
                    d.rounding = Some(einvoice::amount(e.text, &path())?);
                    return Ok(());
                }
                _ => return Ok(()),
            };
            set_once(slot, einvoice::amount(e.text, &path())?, path());
        }
        ["PaymentMeans", "PaymentID"] => d.payment_reference = d.payment_reference.take().or(value),
        ["PaymentTerms", "Note"] => d.terms_text.extend(value),
        ["PaymentTerms", "SettlementDiscountPercent"] => {
            d.discount_percents.push(einvoice::amount(e.text, &path())?);
        }
        ["AccountingCustomerParty", "Party", rest @ ..] => {
            let b = &mut d.buyer;
            let scheme = e.attr("schemeID").map(str::to_string);
            match rest {
                ["PartyName", "Name"] => b.name = b.name.take().or(value),
                ["PartyLegalEntity", "RegistrationName"] => {
                    b.legal_name = b.legal_name.take().or(value)
                }
                ["PartyLegalEntity", "CompanyID"] | ["PartyIdentification", "ID"] => {
                    b.ids.extend(value.map(|v| (v, scheme)));
                }
                ["EndpointID"] => {
                    // 9957 is the French VAT scheme for Peppol endpoints.
                    if scheme.as_deref() == Some("9957") {
                        b.vat_id = b.vat_id.take().or(value);
                    } else {
                        b.ids.extend(value.map(|v| (v, scheme)));
                    }
                }
                ["PartyTaxScheme", "CompanyID"] => b.vat_id = b.vat_id.take().or(value),
                ["PostalAddress", "Country", "IdentificationCode"] => {
                    b.country = b.country.take().or(value)
                }
                ["Contact", "Name"] => b.contact = b.contact.take().or(value),
                ["Contact", "Telephone"] => b.phone = b.phone.take().or(value),
                ["Contact", "ElectronicMail"] => b.email = b.email.take().or(value),
                _ => {}
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_may_carry_a_zone() {
        let d = NaiveDate::from_ymd_opt(2015, 1, 9).unwrap();
        assert_eq!(xml_date("2015-01-09", "x").unwrap(), d);
        assert_eq!(xml_date("2015-01-09+01:00", "x").unwrap(), d);
        assert!(xml_date("09/01/2015", "x").is_err());
        assert!(xml_date("2015-01-09xyz", "x").is_err());
    }
}
