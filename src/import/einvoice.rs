//! What UBL and CII have in common once read: one invoice or credit note, its buyer, its
//! totals. Both readers fill a [`Draft`] while walking the XML and let [`Draft::finish`]
//! apply the same rules, so that the same invoice gives the same records in either syntax.

use crate::domain::model::{InvoiceKind, NewCustomer, NewInvoice, SourceLocation};
use crate::domain::money::Currency;
use crate::import::{ImportBatch, ImportError, ImportResult, ParseContext, iso4217, party, text};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A value and the XML path it came from, so that a rule broken after the walk still names
/// its place.
pub type At<T> = Option<(T, String)>;

/// Document type codes of credit notes (UNTDID 1001), whatever the root element says.
pub fn is_credit_note_code(code: &str) -> bool {
    [
        "81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532",
    ]
    .contains(&code.trim())
}

pub fn set_once<T>(slot: &mut At<T>, value: T, path: String) {
    if slot.is_none() {
        *slot = Some((value, path));
    }
}

#[derive(Default)]
pub struct Buyer {
    pub name: Option<String>,
    pub legal_name: Option<String>,
    /// Company ids with their ISO 6523 scheme, resolved to a SIREN once the country is known.
    pub ids: Vec<(String, Option<String>)>,
    pub vat_id: Option<String>,
    pub country: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub contact: Option<String>,
}

#[derive(Default)]
pub struct Draft {
    pub root: String,
    pub number: Option<String>,
    pub credit_note: bool,
    pub issue_date: Option<NaiveDate>,
    pub due_date: At<NaiveDate>,
    pub currency: At<String>,
    pub amount_currency: Option<String>,
    /// Total including tax (UBL TaxInclusiveAmount, CII GrandTotalAmount).
    pub total: At<Decimal>,
    /// What remains to pay (UBL PayableAmount, CII DuePayableAmount).
    pub payable: At<Decimal>,
    pub prepaid: At<Decimal>,
    pub rounding: Option<Decimal>,
    pub payment_reference: Option<String>,
    pub discount_percents: Vec<Decimal>,
    pub terms_text: Vec<String>,
    pub buyer: Buyer,
}

/// XML amounts: dot decimal, no grouping, optional sign.
pub fn amount(raw: &str, path: &str) -> ImportResult<Decimal> {
    let t = raw.trim();
    let ok = !t.is_empty()
        && t.trim_start_matches(['-', '+'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.');
    ok.then(|| text::parse_amount(t, text::DecimalStyle::Dot))
        .flatten()
        .ok_or_else(|| {
            ImportError::at_path(path, format!("\"{t}\" is not an amount"))
                .hint("e-invoice amounts are written like 1234.56: ask the sender for a corrected invoice")
        })
}

pub fn non_empty(raw: &str) -> Option<String> {
    text::clean_opt(raw)
}

/// The early-payment discount rate written in the terms, when no structured element gives
/// it: `2 % discount if paid within 2 days`, `Escompte 1,5 % à 10 jours`, `2,0% Skonto`.
/// `Paiement sans escompte` says there is none.
pub fn discount_from_text(terms: &str) -> Option<Decimal> {
    const WORDS: [&str; 5] = ["discount", "escompte", "skonto", "remise", "rabais"];
    const NONE: [&str; 6] = [
        "sans escompte",
        "no discount",
        "pas d'escompte",
        "aucun escompte",
        "ohne skonto",
        "without discount",
    ];
    for piece in terms.split(['\n', ';']) {
        let lower = piece.to_lowercase();
        if !WORDS.iter().any(|w| lower.contains(w)) || NONE.iter().any(|w| lower.contains(w)) {
            continue;
        }
        let Some(pct) = lower.find('%') else { continue };
        let before = lower[..pct].trim_end();
        let start = before
            .char_indices()
            .rfind(|(_, c)| !(c.is_ascii_digit() || *c == ',' || *c == '.'))
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        let value = text::parse_amount(&before[start..], text::DecimalStyle::Auto);
        if let Some(v) = value.filter(|v| *v > Decimal::ZERO && *v < Decimal::ONE_HUNDRED) {
            return Some(v);
        }
    }
    None
}

impl Draft {
    pub fn path(&self, child: &str) -> String {
        format!("{}/{child}", self.root)
    }

    fn currency(&self, ctx: &ParseContext) -> ImportResult<Currency> {
        match &self.currency {
            Some((code, path)) => iso4217::parse_currency(code).ok_or_else(|| {
                ImportError::at_path(path, format!("\"{code}\" is not a known currency code"))
                    .hint("the invoice must state an ISO 4217 currency such as EUR")
            }),
            None => match &self.amount_currency {
                Some(code) => iso4217::parse_currency(code).ok_or_else(|| {
                    ImportError::at_path(
                        self.root.clone(),
                        format!("currencyID \"{code}\" is not a known currency code"),
                    )
                    .hint("the invoice must state an ISO 4217 currency such as EUR")
                }),
                None => Ok(ctx.default_currency),
            },
        }
    }

    pub fn finish(self, ctx: &ParseContext, batch: &mut ImportBatch) -> ImportResult<()> {
        let location = SourceLocation::XmlPath(self.root.clone());
        let number = self.number.clone().ok_or_else(|| {
            ImportError::at_path(self.path("ID"), "the invoice has no number")
                .hint("an invoice without its number cannot be chased: ask the sender for a complete file")
        })?;
        let issue_date = self.issue_date.ok_or_else(|| {
            ImportError::at_path(self.root.clone(), "the invoice has no issue date")
                .hint("ask the sender for a complete file")
        })?;
        let currency = self.currency(ctx)?;
        let mut kind = if self.credit_note {
            InvoiceKind::CreditNote
        } else {
            InvoiceKind::Invoice
        };
        let (total, payable, prepaid) = (
            self.total.clone(),
            self.payable.clone(),
            self.prepaid.clone(),
        );
        let mut amount = match (&total, &payable) {
            (Some((t, _)), _) => *t,
            (None, Some((p, _))) => *p + prepaid.as_ref().map(|x| x.0).unwrap_or_default(),
            (None, None) => {
                return Err(
                    ImportError::at_path(self.root.clone(), "the invoice has no total")
                        .hint("ask the sender for a file with its monetary totals"),
                );
            }
        };
        let mut prepaid_amount = match (&prepaid, &total, &payable) {
            (Some((p, _)), _, _) => *p,
            // No stated prepayment, but less to pay than the total: the gap is a deposit
            // (Factur-X MINIMUM lists no prepaid element).
            (None, Some((t, _)), Some((p, _))) => *t - *p - self.rounding.unwrap_or_default(),
            _ => Decimal::ZERO,
        };
        if amount < Decimal::ZERO {
            if kind == InvoiceKind::Invoice {
                batch.warn(
                    location.clone(),
                    format!("invoice {number} has a negative total ({amount}): imported as a credit note"),
                );
            }
            kind = InvoiceKind::CreditNote;
            amount = -amount;
            prepaid_amount = -prepaid_amount;
        }
        if prepaid_amount < Decimal::ZERO || prepaid_amount > amount {
            let path = prepaid.map(|p| p.1).unwrap_or_else(|| self.root.clone());
            return Err(ImportError::at_path(path, format!(
                "the amount already paid ({prepaid_amount}) is not between 0 and the total ({amount})"))
                .hint("the invoice's totals do not add up: ask the sender for a corrected invoice"));
        }
        let due_date = match self.due_date {
            Some((due, path)) if due < issue_date => {
                return Err(ImportError::at_path(
                    path,
                    format!("the due date {due} is before the issue date {issue_date}"),
                )
                .field("DueDate")
                .hint("ask the sender for a corrected invoice"));
            }
            other => other.map(|d| d.0),
        };
        let discount_percent = self
            .discount_percents
            .iter()
            .copied()
            .filter(|p| *p > Decimal::ZERO && *p < Decimal::ONE_HUNDRED)
            .max()
            .or_else(|| self.terms_text.iter().find_map(|t| discount_from_text(t)));
        let customer = self.buyer.into_customer(&self.root, location.clone())?;
        batch.invoices.push(NewInvoice {
            number,
            kind,
            customer_code: customer.code.clone(),
            issue_date,
            due_date,
            amount,
            currency,
            prepaid: prepaid_amount,
            disputed: false,
            payment_reference: self.payment_reference,
            discount_percent,
            location,
        });
        batch.customers.push(customer);
        Ok(())
    }
}

impl Buyer {
    fn into_customer(self, root: &str, location: SourceLocation) -> ImportResult<NewCustomer> {
        let name = self.name.or(self.legal_name).ok_or_else(|| {
            ImportError::at_path(root, "the buyer has no name")
                .hint("ask the sender for a file that names the buyer")
        })?;
        let country = self.country.as_deref();
        let vat_id = self.vat_id.as_deref().and_then(party::normalise_vat);
        let siren = self
            .ids
            .iter()
            .find_map(|(id, scheme)| party::siren_from_id(id, scheme.as_deref(), country))
            .or_else(|| vat_id.as_deref().and_then(party::siren_from_vat));
        Ok(NewCustomer {
            code: party::derive_customer_code(siren.as_deref(), vat_id.as_deref(), &name),
            name,
            siren,
            vat_id,
            email: self.email,
            phone: self.phone,
            contact_name: self.contact,
            location,
            ..Default::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn discounts_in_free_text() {
        assert_eq!(
            discount_from_text(
                "2 % discount if paid within 2 days\nPenalty percentage 10% from due date"
            ),
            Some(dec!(2))
        );
        assert_eq!(
            discount_from_text("Bei Zahlung innerhalb 14 Tagen gewähren wir 2,0% Skonto."),
            Some(dec!(2.0))
        );
        assert_eq!(
            discount_from_text("Escompte 1,5 % pour paiement à 10 jours"),
            Some(dec!(1.5))
        );
        assert_eq!(
            discount_from_text("Paiement sans escompte avant le 09.12.2017"),
            None
        );
        assert_eq!(
            discount_from_text("Penalty percentage 10% from due date"),
            None
        ); // A non-ASCII character right before the number.
        assert_eq!(discount_from_text("Escompte\u{a0}3%"), Some(dec!(3)));
        assert_eq!(discount_from_text("Remise é%"), None);
        // A piece without a rate does not hide the next one.
        assert_eq!(discount_from_text("Remise %\nEscompte 2 %"), Some(dec!(2)));
    }

    #[test]
    fn xml_amounts_are_strict() {
        assert_eq!(amount(" 801.78 ", "x").unwrap(), dec!(801.78));
        assert_eq!(amount("-25", "x").unwrap(), dec!(-25));
        assert!(amount("1,234.00", "x").is_err());
        assert!(amount("12 EUR", "x").is_err());
        assert!(amount("", "x").is_err());
    }
}
