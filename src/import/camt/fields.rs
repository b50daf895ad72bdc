//! Reading single CAMT fields: amounts, signs, dates, currencies, the account, the bank
//! transaction code. Each error names the element's path and field.

use super::xml::Node;
use crate::domain::model::{AccountRef, SourceLocation};
use crate::domain::money::Currency;
use crate::import::text::{DecimalStyle, clean_opt, normalise_iban, parse_amount, parse_date};
use crate::import::{ImportBatch, ImportError, ImportResult};
use chrono::NaiveDate;
use rust_decimal::Decimal;

const REEXPORT_HINT: &str = "export the file again from the bank, or fix the value";

/// The placeholder banks write into mandatory fields they have nothing for.
pub(super) const NOT_PROVIDED: &str = "NOTPROVIDED";

/// Cleaned text, with the `NOTPROVIDED` placeholder read as absent.
pub(super) fn provided(raw: Option<&str>) -> Option<String> {
    raw.and_then(clean_opt)
        .filter(|s| !s.eq_ignore_ascii_case(NOT_PROVIDED))
}

/// An `xs:decimal` amount: digits with an optional fraction of any length (`18.150`, `50000`).
/// CAMT carries the sign in `CdtDbtInd`, so a sign or a comma here means a damaged file; the
/// strict check keeps `1,5` from being read as fifteen.
pub(super) fn decimal(raw: &str) -> Option<Decimal> {
    let s = raw.trim();
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let dots = s.chars().filter(|c| *c == '.').count();
    if digits == 0 || dots > 1 || digits + dots != s.chars().count() {
        return None;
    }
    parse_amount(s, DecimalStyle::Dot)
}

/// The `Amt` child of `node` with its currency (the `Ccy` attribute, else `default`).
pub(super) fn amount_of(
    node: &Node,
    path: &str,
    default: Currency,
) -> ImportResult<(Decimal, Currency)> {
    let amt_path = format!("{path}/Amt");
    let amt = node.child("Amt").ok_or_else(|| {
        ImportError::at_path(&amt_path, "the amount is missing")
            .field("Amt")
            .hint(REEXPORT_HINT)
    })?;
    amount_node(amt, &amt_path, default)
}

/// An amount element (`Amt`, `TxAmt/Amt`) at `path`.
pub(super) fn amount_node(
    amt: &Node,
    path: &str,
    default: Currency,
) -> ImportResult<(Decimal, Currency)> {
    let raw = amt.text.trim();
    let value = decimal(raw).ok_or_else(|| {
        ImportError::at_path(path, format!("\"{raw}\" is not an amount"))
            .field(amt.name.clone())
            .hint("CAMT amounts are written like 1234.56, without sign or separators; export the file again from the bank, or fix the value")
    })?;
    let currency = match amt.ccy.as_deref() {
        None => default,
        Some(code) => Currency::parse(code).ok_or_else(|| {
            ImportError::at_path(path, format!("\"{code}\" is not a currency code"))
                .field("Ccy")
                .hint(REEXPORT_HINT)
        })?,
    };
    Ok((value, currency))
}

/// `CRDT` is +1, `DBIT` is -1, read from the `CdtDbtInd` child of `node`.
pub(super) fn direction(node: &Node, path: &str) -> ImportResult<Decimal> {
    let raw = node.text_at("CdtDbtInd").unwrap_or_default();
    match raw {
        "CRDT" => Ok(Decimal::ONE),
        "DBIT" => Ok(Decimal::NEGATIVE_ONE),
        "" => Err(ImportError::at_path(
            format!("{path}/CdtDbtInd"),
            "the credit/debit indicator is missing, so the sign of the amount is unknown",
        )
        .field("CdtDbtInd")
        .hint(REEXPORT_HINT)),
        other => Err(ImportError::at_path(
            format!("{path}/CdtDbtInd"),
            format!("\"{other}\" is neither CRDT nor DBIT"),
        )
        .field("CdtDbtInd")
        .hint(REEXPORT_HINT)),
    }
}

/// `Amt` signed by `CdtDbtInd`, both children of `node` (a `Bal` or a `Ntry`).
pub(super) fn signed_amount(
    node: &Node,
    path: &str,
    default: Currency,
) -> ImportResult<(Decimal, Currency)> {
    let (amount, currency) = amount_of(node, path, default)?;
    Ok((amount * direction(node, path)?, currency))
}

/// The date part of an `xs:date` or `xs:dateTime`, as written: a booking at
/// `2014-12-31T23:30:00-05:00` was booked on the 31st where the bank is, so no conversion.
pub(super) fn iso_date(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim();
    let head = match (s.get(..10), s.get(10..)) {
        (Some(head), Some(rest))
            if rest.is_empty() || rest.starts_with(['T', 'Z', '+', '-', ' ']) =>
        {
            head
        }
        _ => s,
    };
    parse_date(head, true)
}

/// A date choice element (`BookgDt`, `ValDt`, `Bal/Dt`): its `Dt` or `DtTm` child.
pub(super) fn date_choice(
    node: Option<&Node>,
    path: &str,
    field: &str,
) -> ImportResult<Option<NaiveDate>> {
    let Some(node) = node else {
        return Ok(None);
    };
    let Some((child, raw)) = ["Dt", "DtTm"]
        .into_iter()
        .find_map(|c| node.text_at(c).map(|t| (c, t)))
    else {
        return Ok(None);
    };
    iso_date(raw).map(Some).ok_or_else(|| {
        ImportError::at_path(
            format!("{path}/{child}"),
            format!("\"{raw}\" is not a date"),
        )
        .field(field)
        .hint("CAMT dates are written like 2024-03-31; export the file again from the bank")
    })
}

/// The statement's account: IBAN or other identifier, and currency.
pub(super) fn account(
    node: &Node,
    path: &str,
    batch: &mut ImportBatch,
) -> ImportResult<AccountRef> {
    let mut account = AccountRef::default();
    if let Some(raw) = node.text_at("Id/IBAN") {
        match normalise_iban(raw) {
            Some(iban) => account.iban = Some(iban),
            None => {
                // Still the bank's name for the account: keep it as its number.
                account.number = clean_opt(raw);
                batch.warn(
                    SourceLocation::XmlPath(format!("{path}/Id/IBAN")),
                    format!("the account IBAN \"{raw}\" fails its check digits; it is kept as an account number"),
                );
            }
        }
    }
    if account.number.is_none() {
        account.number = ["Id/Othr/Id", "Id/PrtryAcct/Id"]
            .into_iter()
            .find_map(|p| node.text_at(p))
            .and_then(clean_opt);
    }
    if account.iban.is_none() && account.number.is_none() {
        return Err(ImportError::at_path(
            format!("{path}/Id"),
            "the account has neither an IBAN nor another identifier",
        )
        .field("Id")
        .hint(REEXPORT_HINT));
    }
    if let Some(code) = node.text_at("Ccy") {
        account.currency = Some(Currency::parse(code).ok_or_else(|| {
            ImportError::at_path(
                format!("{path}/Ccy"),
                format!("\"{code}\" is not a currency code"),
            )
            .field("Ccy")
            .hint(REEXPORT_HINT)
        })?);
    }
    Ok(account)
}

/// `PMNT/RCDT/ESCT` from the ISO domain code, else the bank's proprietary code.
pub(super) fn type_code(bk_tx_cd: &Node) -> Option<String> {
    if let Some(domain) = bk_tx_cd.text_at("Domn/Cd") {
        let parts: Vec<&str> = [
            Some(domain),
            bk_tx_cd.text_at("Domn/Fmly/Cd"),
            bk_tx_cd.text_at("Domn/Fmly/SubFmlyCd"),
        ]
        .into_iter()
        .flatten()
        .collect();
        return clean_opt(&parts.join("/"));
    }
    bk_tx_cd.text_at("Prtry/Cd").and_then(clean_opt)
}

/// Sub-family codes of returned or reversed payments (ISO external bank transaction codes).
pub(super) fn is_return_code(bk_tx_cd: &Node) -> bool {
    matches!(
        bk_tx_cd.text_at("Domn/Fmly/SubFmlyCd"),
        Some("RRTN" | "UPDD" | "RPCR" | "PRDD")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn xml_decimals_take_any_number_of_fraction_digits() {
        assert_eq!(decimal("18.150"), Some(dec!(18.150)));
        assert_eq!(decimal(" 50000 "), Some(dec!(50000)));
        assert_eq!(decimal("0"), Some(dec!(0)));
        assert_eq!(decimal("789904.4"), Some(dec!(789904.4)));
        assert_eq!(decimal(".5"), Some(dec!(0.5)));
    }

    #[test]
    fn signs_commas_and_garbage_are_not_xml_decimals() {
        for raw in [
            "", "-5.00", "+5", "1,5", "1,234.56", "12.3.4", "12.3x", ".", "1e3",
        ] {
            assert_eq!(decimal(raw), None, "{raw}");
        }
    }

    #[test]
    fn dates_keep_the_local_day_of_any_offset() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(iso_date("2014-12-31T23:30:00-05:00"), d(2014, 12, 31));
        assert_eq!(iso_date("2014-12-31T13:15:00+01:00"), d(2014, 12, 31));
        assert_eq!(iso_date("2024-03-01T00:00:00.000Z"), d(2024, 3, 1));
        assert_eq!(iso_date("2024-03-01+01:00"), d(2024, 3, 1));
        assert_eq!(iso_date("2024-03-01Z"), d(2024, 3, 1));
        assert_eq!(iso_date("2024-02-30"), None);
        assert_eq!(iso_date("2024-03-01X"), None);
        assert_eq!(iso_date("soon"), None);
    }

    #[test]
    fn not_provided_is_absent() {
        assert_eq!(provided(Some(" NOTPROVIDED ")), None);
        assert_eq!(provided(Some("  ")), None);
        assert_eq!(provided(Some("FA-12")), Some("FA-12".into()));
    }
}
