//! Customer master data as CSV: code, name, SIREN or VAT id, contact details, payment terms,
//! credit limit and segment. The credit limit feeds the "credit limit" signal, the terms the
//! due date of invoices that come without one.

use crate::domain::model::{NewCustomer, Segment, SourceLocation};
use crate::import::csv_profile::{CsvColumns, CsvKind, CsvProfile};
use crate::import::csv_util::{self, Row, Table, strings};
use crate::import::text::{self, DecimalStyle};
use crate::import::{Format, ImportBatch, ImportError, ImportResult, ParseContext, party};
use rust_decimal::Decimal;
use std::collections::HashMap;

pub fn generic_profile() -> CsvProfile {
    let columns = CsvColumns {
        customer_code: strings(&[
            "Code client",
            "N° client",
            "Numéro client",
            "Compte client",
            "Code",
            "Compte",
            "Customer code",
            "Customer ID",
            "Customer no",
            "Customer number",
            "Client code",
            "Account",
            "ID",
        ]),
        customer_name: strings(&[
            "Raison sociale",
            "Nom client",
            "Nom du client",
            "Nom",
            "Client",
            "Société",
            "Customer name",
            "Company name",
            "Name",
            "Customer",
            "Company",
        ]),
        siren: strings(&["SIREN", "N° SIREN", "SIRET", "Company registration"]),
        vat_id: strings(&[
            "N° TVA",
            "Numéro TVA",
            "TVA intracommunautaire",
            "TVA intracom",
            "VAT",
            "VAT number",
            "VAT ID",
        ]),
        email: strings(&[
            "Email",
            "E-mail",
            "Mail",
            "Courriel",
            "Adresse email",
            "Email address",
            "Contact email",
        ]),
        phone: strings(&[
            "Téléphone",
            "Tél",
            "Tel",
            "Phone",
            "Telephone",
            "Phone number",
        ]),
        contact: strings(&["Contact", "Interlocuteur", "Nom du contact", "Contact name"]),
        payment_terms: strings(&[
            "Délai de paiement",
            "Délai paiement",
            "Délai de paiement (jours)",
            "Conditions de paiement",
            "Délai",
            "Payment terms",
            "Payment terms (days)",
            "Terms",
            "Terms (days)",
        ]),
        credit_limit: strings(&[
            "Plafond",
            "Plafond de crédit",
            "Plafond d'encours",
            "Encours autorisé",
            "Encours max",
            "Limite de crédit",
            "Limite",
            "Credit limit",
            "Limit",
        ]),
        segment: strings(&["Segment", "Catégorie", "Category"]),
        ..Default::default()
    };
    CsvProfile {
        name: "generic customers".into(),
        kind: CsvKind::Customers,
        day_first: true,
        columns,
        ..Default::default()
    }
}

pub fn parse(text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let generic = generic_profile();
    let g = &generic.columns;
    let is_header = |cells: &[String]| {
        csv_util::matches(cells, &[&g.customer_code, &g.customer_name]) >= 1
            && csv_util::matches(
                cells,
                &[
                    &g.siren,
                    &g.vat_id,
                    &g.email,
                    &g.phone,
                    &g.payment_terms,
                    &g.credit_limit,
                    &g.segment,
                ],
            ) >= 1
    };
    let Some((profile, table)) =
        csv_util::read_with_profiles(text, ctx, CsvKind::Customers, &generic, is_header)?
    else {
        return Err(ImportError::at_line(1, "no header row with a customer code or name column")
            .hint("name the columns (e.g. 'Code client', 'Raison sociale', 'SIREN', 'Plafond') or add a CSV profile of kind \"customers\""));
    };
    let c = &profile.columns;
    let cols = Cols {
        code: table.find(&c.customer_code),
        name: table.find(&c.customer_name),
        siren: table.find(&c.siren),
        vat: table.find(&c.vat_id),
        email: table.find(&c.email),
        phone: table.find(&c.phone),
        contact: table.find(&c.contact),
        terms: table.find(&c.payment_terms),
        limit: table.find(&c.credit_limit),
        segment: table.find(&c.segment),
    };
    let style = csv_util::settle_decimal_style(
        csv_util::decimal_style(profile.decimal_mark),
        table.rows.iter().map(|r| r.get(cols.limit)),
    );
    let mut batch = ImportBatch::new(Format::CustomerCsv);
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let customer = read_row(&table, &cols, style, row, &mut batch)?;
        if let Some(first) = seen.get(&customer.code) {
            batch.warn(
                SourceLocation::Line(row.line),
                format!(
                    "customer {} repeats line {first}; the repeat is left out",
                    customer.code
                ),
            );
            continue;
        }
        seen.insert(customer.code.clone(), row.line);
        batch.customers.push(customer);
    }
    Ok(batch)
}

struct Cols {
    code: Option<usize>,
    name: Option<usize>,
    siren: Option<usize>,
    vat: Option<usize>,
    email: Option<usize>,
    phone: Option<usize>,
    contact: Option<usize>,
    terms: Option<usize>,
    limit: Option<usize>,
    segment: Option<usize>,
}

fn read_row(
    table: &Table,
    cols: &Cols,
    style: DecimalStyle,
    row: &Row,
    batch: &mut ImportBatch,
) -> ImportResult<NewCustomer> {
    let err = |idx: Option<usize>, fallback: &str, msg: String| {
        ImportError::at_line(row.line, msg).field(table.name(idx, fallback))
    };
    let name = row.get(cols.name).to_string();
    let siren =
        match row.get(cols.siren) {
            "" => None,
            raw => {
                Some(
                    party::siren_from_id(raw, Some("0002"), None).ok_or_else(|| {
                        err(cols.siren, "SIREN", format!("\"{raw}\" is not a valid SIREN or SIRET"))
                .hint("a SIREN has 9 digits (14 for a SIRET) and a check digit; check for a typo")
                    })?,
                )
            }
        };
    let vat_id = match row.get(cols.vat) {
        "" => None,
        raw => Some(party::normalise_vat(raw).ok_or_else(|| {
            err(cols.vat, "VAT", format!("\"{raw}\" is not a VAT id"))
                .hint("a VAT id starts with its country code, e.g. FR12345678901")
        })?),
    };
    let siren = siren.or_else(|| vat_id.as_deref().and_then(party::siren_from_vat));
    let code = match row.get(cols.code) {
        "" if name.is_empty() => {
            return Err(err(
                cols.code.or(cols.name),
                "Customer",
                "the customer has neither code nor name".into(),
            )
            .hint("give each customer a code or a name"));
        }
        "" => party::derive_customer_code(siren.as_deref(), vat_id.as_deref(), &name),
        code => code.to_string(),
    };
    let email = match row.get(cols.email) {
        "" => None,
        raw if raw.contains('@') => Some(raw.to_string()),
        raw => {
            batch.warn(
                SourceLocation::Line(row.line),
                format!("\"{raw}\" is not an e-mail address; customer {code} has none"),
            );
            None
        }
    };
    let payment_terms_days = match row.get(cols.terms) {
        "" => None,
        raw => Some(payment_terms(raw).ok_or_else(|| {
            err(
                cols.terms,
                "Payment terms",
                format!("\"{raw}\" is not a number of days"),
            )
            .hint("write the terms in days, e.g. 30, 45 or '60 jours'")
        })?),
    };
    let folded_terms = csv_util::fold(row.get(cols.terms));
    if ["fin de mois", "fdm", "eom", "end of month"]
        .iter()
        .any(|w| folded_terms.contains(w))
    {
        batch.warn(
            SourceLocation::Line(row.line),
            format!("customer {code}: end-of-month terms are counted as plain days"),
        );
    }
    let credit_limit = match row.get(cols.limit) {
        "" => None,
        raw => match text::parse_amount(raw, style) {
            Some(v) if v >= Decimal::ZERO => Some(v),
            _ => {
                return Err(err(
                    cols.limit,
                    "Credit limit",
                    format!("\"{raw}\" is not a credit limit"),
                )
                .hint("write a positive amount, e.g. 15 000 or 15000.00"));
            }
        },
    };
    let segment = match row.get(cols.segment) {
        "" => None,
        raw => Some(Segment::parse(raw).ok_or_else(|| {
            err(cols.segment, "Segment", format!("\"{raw}\" is not a segment"))
                .hint("use strategic, standard, watch or new (stratégique, standard, surveillance, nouveau)")
        })?),
    };
    Ok(NewCustomer {
        name: if name.is_empty() { code.clone() } else { name },
        code,
        siren,
        vat_id,
        email,
        phone: text::clean_opt(row.get(cols.phone)),
        contact_name: text::clean_opt(row.get(cols.contact)),
        payment_terms_days,
        credit_limit,
        segment,
        professional: None,
        location: SourceLocation::Line(row.line),
    })
}

/// `30`, `30 j`, `45 jours fin de mois`, `Net 60`, `comptant`: the first number of days.
fn payment_terms(raw: &str) -> Option<u32> {
    let folded = csv_util::fold(raw);
    if ["comptant", "a reception", "cash", "immediate", "immediat"].contains(&folded.as_str()) {
        return Some(0);
    }
    let digits: String = folded
        .split(' ')
        .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))?
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok().filter(|d| *d <= 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_in_their_usual_spellings() {
        assert_eq!(payment_terms("30"), Some(30));
        assert_eq!(payment_terms("45 jours fin de mois"), Some(45));
        assert_eq!(payment_terms("Net 60"), Some(60));
        assert_eq!(payment_terms("60j"), Some(60));
        assert_eq!(payment_terms("Comptant"), Some(0));
        assert_eq!(payment_terms("trente"), None);
        assert_eq!(payment_terms("9999"), None);
    }
}
