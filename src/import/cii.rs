//! UN/CEFACT Cross Industry Invoice: the XML inside Factur-X and ZUGFeRD 2 PDFs, or sent
//! alone. Every profile from MINIMUM (header totals only, no due date) to EXTENDED reads the
//! same way; the early-payment discount comes from the structured discount terms, else from
//! the terms' text.

use crate::import::einvoice::{self, Draft, set_once};
use crate::import::einvoice_xml::{self, Element};
use crate::import::{Format, ImportBatch, ImportError, ImportResult, ParseContext, text};
use chrono::NaiveDate;

const ROOT: &str = "CrossIndustryInvoice";

/// `DateTimeString` in format 102 (`yyyymmdd`) or 203 (`yyyymmddhhmm`).
fn cii_date(e: &Element<'_>) -> ImportResult<NaiveDate> {
    let path = einvoice_xml::path_string(e.path);
    let raw = e.text.trim();
    let parsed = match e.attr("format").map(str::trim) {
        Some("102") | Some("203") => raw
            .get(..8)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok()),
        None => text::parse_date(raw, true),
        Some(other) => {
            return Err(
                ImportError::at_path(path, format!("date format {other} gives no day")).hint(
                    "dates must use format 102 (yyyymmdd): ask the sender for a corrected invoice",
                ),
            );
        }
    };
    parsed.ok_or_else(|| {
        ImportError::at_path(path, format!("\"{raw}\" is not a date")).hint(
            "dates must be written yyyymmdd (format 102): ask the sender for a corrected invoice",
        )
    })
}

pub fn parse(text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let mut draft = Draft {
        root: ROOT.to_string(),
        ..Default::default()
    };
    let mut root: Option<String> = None;
    einvoice_xml::walk(text, |e| {
        if root.is_none() {
            root = e.path.first().cloned();
        }
        if e.path.first().map(String::as_str) != Some(ROOT) {
            return Ok(());
        }
        let rel: Vec<&str> = e.path[1..].iter().map(String::as_str).collect();
        read(&mut draft, &rel, e)
    })?;
    match root.as_deref() {
        Some(ROOT) => {}
        Some("CrossIndustryDocument") => {
            return Err(ImportError::at_path(
                "CrossIndustryDocument",
                "this is a ZUGFeRD 1.0 invoice",
            )
            .hint("ask the sender for Factur-X or ZUGFeRD 2 (CrossIndustryInvoice), or for UBL"));
        }
        other => {
            let other = other.unwrap_or("(empty)").to_string();
            return Err(ImportError::at_path(
                other.clone(),
                format!("the root element is {other}, not {ROOT}"),
            )
            .hint("only Factur-X/ZUGFeRD 2 invoices are read as CII"));
        }
    }
    let mut batch = ImportBatch::new(Format::Cii);
    draft.finish(ctx, &mut batch)?;
    Ok(batch)
}

fn read(d: &mut Draft, rel: &[&str], e: &Element<'_>) -> ImportResult<()> {
    let path = || einvoice_xml::path_string(e.path);
    let value = einvoice::non_empty(e.text);
    match rel {
        ["ExchangedDocument", "ID"] => d.number = d.number.take().or(value),
        ["ExchangedDocument", "TypeCode"] => {
            if let Some(code) = value {
                d.credit_note |= einvoice::is_credit_note_code(&code);
            }
        }
        ["ExchangedDocument", "IssueDateTime", "DateTimeString"] if d.issue_date.is_none() => {
            d.issue_date = Some(cii_date(e)?);
        }
        [
            "SupplyChainTradeTransaction",
            "ApplicableHeaderTradeAgreement",
            "BuyerTradeParty",
            rest @ ..,
        ] => {
            read_buyer(d, rest, e, value);
        }
        [
            "SupplyChainTradeTransaction",
            "ApplicableHeaderTradeSettlement",
            rest @ ..,
        ] => match rest {
            ["PaymentReference"] => d.payment_reference = d.payment_reference.take().or(value),
            ["InvoiceCurrencyCode"] => {
                if let Some(v) = value {
                    set_once(&mut d.currency, v, path());
                }
            }
            [
                "SpecifiedTradePaymentTerms",
                "DueDateDateTime",
                "DateTimeString",
            ] => {
                set_once(&mut d.due_date, cii_date(e)?, path());
            }
            ["SpecifiedTradePaymentTerms", "Description"] => d.terms_text.extend(value),
            [
                "SpecifiedTradePaymentTerms",
                "ApplicableTradePaymentDiscountTerms",
                "CalculationPercent",
            ] => {
                d.discount_percents.push(einvoice::amount(e.text, &path())?);
            }
            ["SpecifiedTradeSettlementHeaderMonetarySummation", field] => {
                let slot = match *field {
                    "GrandTotalAmount" => &mut d.total,
                    "DuePayableAmount" => &mut d.payable,
                    "TotalPrepaidAmount" => &mut d.prepaid,
                    "RoundingAmount" => {
                        d.rounding = Some(einvoice::amount(e.text, &path())?);
                        return Ok(());
                    }
                    _ => return Ok(()),
                };
                if d.amount_currency.is_none() {
                    d.amount_currency = e.attr("currencyID").map(str::to_string);
                }
                set_once(slot, einvoice::amount(e.text, &path())?, path());
            }
            _ => {}
        },
        _ => {}
    }
    Ok(())
}

fn read_buyer(d: &mut Draft, rest: &[&str], e: &Element<'_>, value: Option<String>) {
    let b = &mut d.buyer;
    let scheme = e.attr("schemeID").map(str::to_string);
    match rest {
        ["Name"] => b.name = b.name.take().or(value),
        ["SpecifiedLegalOrganization", "ID"] => b.ids.extend(value.map(|v| (v, scheme))),
        ["SpecifiedLegalOrganization", "TradingBusinessName"] => {
            b.legal_name = b.legal_name.take().or(value);
        }
        // VA is the VAT id; FC, a national tax number, says nothing we use.
        ["SpecifiedTaxRegistration", "ID"] if scheme.as_deref().is_none_or(|s| s == "VA") => {
            b.vat_id = b.vat_id.take().or(value);
        }
        ["URIUniversalCommunication", "URIID"] => match scheme.as_deref() {
            Some("EM") => b.email = b.email.take().or(value),
            _ => b.ids.extend(value.map(|v| (v, scheme))),
        },
        ["PostalTradeAddress", "CountryID"] => b.country = b.country.take().or(value),
        ["DefinedTradeContact", "PersonName"] => b.contact = b.contact.take().or(value),
        [
            "DefinedTradeContact",
            "TelephoneUniversalCommunication",
            "CompleteNumber",
        ] => {
            b.phone = b.phone.take().or(value);
        }
        [
            "DefinedTradeContact",
            "EmailURIUniversalCommunication",
            "URIID",
        ] => {
            b.email = b.email.take().or(value);
        }
        _ => {}
    }
}
