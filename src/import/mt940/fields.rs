//! The field layer of MT940: physical lines to tagged fields, and the single-field grammars
//! (`:25:` account, `:60F:`-style balances, the `:61:` statement line).

use crate::domain::model::AccountRef;
use crate::domain::money::Currency;
use crate::import::bank_common::{looks_like_iban, six_digit_date};
use crate::import::text::{DecimalStyle, normalise_iban, parse_amount};
use crate::import::{ImportError, ImportResult};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// One `:TAG:` field with its continuation lines; `lines[0]` is the text after the tag.
#[derive(Debug, Clone)]
pub(super) struct Field {
    pub tag: String,
    pub line: usize,
    pub lines: Vec<String>,
}

/// What the file holds, in order: fields, and the `-` that ends a statement.
#[derive(Debug, Clone)]
pub(super) enum Item {
    Field(Field),
    End,
}

/// `:20:`, `:60F:`; also `:NS:` (bank-specific, ignored) so that it does not run into the
/// field before it. `:940:` is a header line, not a field.
fn split_tag(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix(':')?;
    let end = rest.find(':')?;
    let tag = &rest[..end];
    let b = tag.as_bytes();
    let ok = tag == "NS"
        || (b.len() == 2 || b.len() == 3)
            && b[0].is_ascii_digit()
            && b[1].is_ascii_digit()
            && (b.len() == 2 || b[2].is_ascii_uppercase());
    ok.then(|| (tag, &rest[end + 1..]))
}

/// Splits the text into fields. SWIFT envelopes (`{1:…}{2:…}{4:` … `-}{5:…}`) are peeled,
/// and bank header lines before `:20:` (`ABNANL2A`, `940`, `:940:`) are skipped.
pub(super) fn tokenize(text: &str) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut in_field = false;
    for (idx, raw) in text.lines().enumerate() {
        let number = idx + 1;
        let mut line = raw.trim_end_matches('\r');
        if line.trim_start().starts_with('{') {
            match line.find("{4:") {
                Some(pos) => line = &line[pos + 3..],
                None => {
                    if line.contains("{5:") {
                        items.push(Item::End);
                        in_field = false;
                    }
                    continue;
                }
            }
            if line.trim().is_empty() {
                in_field = false;
                continue;
            }
        }
        let trimmed = line.trim();
        if trimmed == "-" || trimmed.starts_with("-}") {
            items.push(Item::End);
            in_field = false;
            continue;
        }
        if let Some((tag, rest)) = split_tag(line) {
            items.push(Item::Field(Field {
                tag: tag.to_string(),
                line: number,
                lines: vec![rest.to_string()],
            }));
            in_field = true;
        } else if in_field && let Some(Item::Field(f)) = items.last_mut() {
            f.lines.push(line.to_string());
        }
    }
    items
}

/// `:25:` in its common shapes: an IBAN, `BLZ/account`, a bare account number, any of them
/// with a currency suffix (`…/EUR`, `… EUR`, `…EUR`).
pub(super) fn parse_account(raw: &str) -> AccountRef {
    let raw = raw.trim();
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(iban) = normalise_iban(&compact) {
        return AccountRef {
            iban: Some(iban),
            ..Default::default()
        };
    }
    let mut body = compact.as_str();
    let mut currency = None;
    // A currency suffix is three ASCII letters; anything else (even a multi-byte letter,
    // which could not be split there) leaves the field as it is.
    if body.len() > 3 && body.is_char_boundary(body.len() - 3) {
        let (head, tail) = body.split_at(body.len() - 3);
        let head_trimmed = head.trim_end_matches(['/', '-']);
        let before_ok = head.ends_with(['/', '-']) || head.ends_with(|c: char| c.is_ascii_digit());
        if let Some(c) = Currency::parse(tail)
            .filter(|_| before_ok && tail.chars().all(|c| c.is_ascii_uppercase()))
        {
            currency = Some(c);
            body = head_trimmed;
        }
    }
    if let Some(iban) = normalise_iban(body) {
        return AccountRef {
            iban: Some(iban),
            currency,
            ..Default::default()
        };
    }
    let (bank_code, number) = match body.split_once('/') {
        Some((bank, number))
            if !bank.is_empty() && !number.is_empty() && !looks_like_iban(body) =>
        {
            (Some(bank.to_string()), number.to_string())
        }
        _ => (None, body.to_string()),
    };
    AccountRef {
        iban: None,
        number: Some(number),
        bank_code,
        currency,
    }
}

/// A balance field (`C110522EUR3236,28`).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct RawBalance {
    pub date: NaiveDate,
    pub currency: Currency,
    pub amount: Decimal,
    /// `F` final/first, `M` intermediate (a page of a longer statement).
    pub intermediate: bool,
}

pub(super) fn parse_balance(field: &Field) -> ImportResult<RawBalance> {
    let err = |what: &str| {
        ImportError::at_line(field.line, format!("{what} in \"{}\"", field.lines[0].trim()))
            .field(format!(":{}:", field.tag))
            .hint("a balance reads like C240131EUR1234,56 (C credit / D debit, date YYMMDD, currency, amount)")
    };
    let s = field.lines[0].trim();
    let sign = match s.get(..1) {
        Some("C") => Decimal::ONE,
        Some("D") => Decimal::NEGATIVE_ONE,
        _ => return Err(err("the balance does not start with C or D")),
    };
    let date = s
        .get(1..7)
        .and_then(|d| six_digit_date(d, false))
        .ok_or_else(|| err("the balance date is not a valid YYMMDD date"))?;
    let currency = s
        .get(7..10)
        .and_then(Currency::parse)
        .ok_or_else(|| err("the currency code is missing"))?;
    let amount = s
        .get(10..)
        .filter(|a| a.chars().all(|c| c.is_ascii_digit() || c == ','))
        .and_then(|a| parse_amount(a, DecimalStyle::Comma))
        .ok_or_else(|| err("the amount is not a number"))?;
    Ok(RawBalance {
        date,
        currency,
        amount: sign * amount,
        intermediate: field.tag.ends_with('M'),
    })
}

/// The `:61:` statement line, first line and supplementary details.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Line61 {
    pub value_date: NaiveDate,
    pub entry_date: Option<NaiveDate>,
    /// Signed as booked.
    pub amount: Decimal,
    pub reversal: bool,
    pub type_code: String,
    pub reference: Option<String>,
    pub bank_ref: Option<String>,
    pub supplementary: Option<String>,
}

pub(super) fn parse_61(field: &Field) -> ImportResult<Line61> {
    let s = field.lines[0].trim_end();
    let err = |what: &str, part: &str| {
        ImportError::at_line(field.line, format!("{what} in \"{s}\""))
            .field(format!(":61: {part}"))
            .hint("a statement line reads like 2401310131C1234,56NTRFREF//BANKREF (value date YYMMDD, optional entry date MMDD, C/D/RC/RD, amount, type)")
    };
    let value_date = s
        .get(..6)
        .and_then(|d| six_digit_date(d, false))
        .ok_or_else(|| err("the value date is not a valid YYMMDD date", "value date"))?;
    let mut rest = &s[6..];
    let mut entry_date = None;
    if rest.len() >= 4 && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        entry_date = Some(
            entry_date_near(&rest[..4], value_date)
                .ok_or_else(|| err("the entry date is not a valid MMDD date", "entry date"))?,
        );
        rest = &rest[4..];
    }
    let (sign, reversal, after_mark) = if let Some(r) = rest.strip_prefix("RC") {
        (Decimal::NEGATIVE_ONE, true, r)
    } else if let Some(r) = rest.strip_prefix("RD") {
        (Decimal::ONE, true, r)
    } else if let Some(r) = rest.strip_prefix('C') {
        (Decimal::ONE, false, r)
    } else if let Some(r) = rest.strip_prefix('D') {
        (Decimal::NEGATIVE_ONE, false, r)
    } else {
        return Err(err("the debit/credit mark is not C, D, RC or RD", "mark"));
    };
    rest = after_mark;
    // Optional funds code: the third letter of the currency (`CR300,` is C, funds code R).
    let b = rest.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1].is_ascii_digit() {
        rest = &rest[1..];
    }
    let amount_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ','))
        .unwrap_or(rest.len());
    let amount = parse_amount(&rest[..amount_len], DecimalStyle::Comma)
        .filter(|_| rest[..amount_len].starts_with(|c: char| c.is_ascii_digit()))
        .ok_or_else(|| err("the amount is missing or not a number", "amount"))?;
    rest = &rest[amount_len..];
    // The type is N, S or F and three characters (`NTRF`, `N192`, `FMSC`); anything else
    // right after the digits means the amount itself is malformed (`1O,00`).
    let type_code = rest
        .get(..4)
        .filter(|t| t.starts_with(['N', 'S', 'F']) && t.chars().all(|c| c.is_ascii_alphanumeric()));
    let type_code = match type_code {
        Some(t) => t.to_string(),
        None if rest.starts_with(|c: char| c.is_ascii_alphanumeric() && !"NSF".contains(c)) => {
            return Err(err("the amount is not a number", "amount"));
        }
        None => {
            return Err(err(
                "the transaction type (such as NTRF) is missing",
                "type",
            ));
        }
    };
    rest = &rest[4..];
    let (reference, bank_ref) = match rest.split_once("//") {
        Some((r, b)) => (r, Some(b)),
        None => (rest, None),
    };
    let keep = |v: &str| {
        let v = v.trim();
        (!v.is_empty() && !crate::import::bank_common::is_placeholder_ref(v)).then(|| v.to_string())
    };
    let supplementary = field.lines.get(1).and_then(|l| keep(l));
    Ok(Line61 {
        value_date,
        entry_date,
        amount: sign * amount,
        reversal,
        type_code,
        reference: keep(reference),
        bank_ref: bank_ref.and_then(keep),
        supplementary,
    })
}

/// The entry date carries no year: the one that puts it closest to the value date (a line
/// valued 31 December may be booked 2 January).
fn entry_date_near(mmdd: &str, value: NaiveDate) -> Option<NaiveDate> {
    let month = mmdd[..2].parse().ok()?;
    let day = mmdd[2..].parse().ok()?;
    [value.year() - 1, value.year(), value.year() + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .min_by_key(|d| (*d - value).num_days().abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn field(tag: &str, lines: &[&str]) -> Field {
        Field {
            tag: tag.into(),
            line: 7,
            lines: lines.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn statement_line_with_funds_code_and_reversal() {
        let l = parse_61(&field("61", &["0709040904RCR204,88NRTINONREF"])).unwrap();
        assert_eq!(l.amount, dec!(-204.88));
        assert!(l.reversal);
        assert_eq!(l.type_code, "NRTI");
        assert_eq!(l.reference, None);
        let l = parse_61(&field(
            "61",
            &["0709040904CR300,NTRFTFNr 40005 MSGID//0724710345313905"],
        ))
        .unwrap();
        assert_eq!(l.amount, dec!(300));
        assert!(!l.reversal);
        assert_eq!(l.reference.as_deref(), Some("TFNr 40005 MSGID"));
        assert_eq!(l.bank_ref.as_deref(), Some("0724710345313905"));
        let l = parse_61(&field("61", &["1312091209RD79,7FMSC01916//NONREF"])).unwrap();
        assert_eq!(l.amount, dec!(79.7));
        assert!(l.reversal);
        assert_eq!(l.bank_ref, None);
    }

    #[test]
    fn entry_date_in_the_next_year() {
        let l = parse_61(&field("61", &["2312310102D10,00NTRFNONREF"])).unwrap();
        assert_eq!(l.value_date, NaiveDate::from_ymd_opt(2023, 12, 31).unwrap());
        assert_eq!(l.entry_date, NaiveDate::from_ymd_opt(2024, 1, 2));
        let l = parse_61(&field("61", &["2401021231C10,00NTRFNONREF"])).unwrap();
        assert_eq!(l.entry_date, NaiveDate::from_ymd_opt(2023, 12, 31));
    }

    #[test]
    fn bad_statement_lines_name_the_part() {
        let e = parse_61(&field("61", &["2401021231X10,00NTRF"])).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(":61: mark"));
        let e = parse_61(&field("61", &["240102CABC,00NTRF"])).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(":61: amount"));
        let e = parse_61(&field("61", &["240102C1O,00NTRF"])).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(":61: amount"));
        let e = parse_61(&field("61", &["240102C10,00"])).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(":61: type"));
        let e = parse_61(&field("61", &["24"])).unwrap_err();
        assert_eq!(e.location, crate::domain::model::SourceLocation::Line(7));
    }

    #[test]
    fn accounts_in_their_usual_shapes() {
        let a = parse_account("50880050/0194774600888");
        assert_eq!(
            (a.bank_code.as_deref(), a.number.as_deref()),
            (Some("50880050"), Some("0194774600888"))
        );
        let a = parse_account("DE89370400440532013000EUR");
        assert_eq!(a.iban.as_deref(), Some("DE89370400440532013000"));
        assert_eq!(a.currency, Currency::parse("EUR"));
        let a = parse_account("123456789/EUR");
        assert_eq!(
            (a.number.as_deref(), a.currency),
            (Some("123456789"), Currency::parse("EUR"))
        );
        let a = parse_account("517852257");
        assert_eq!(
            (a.number.as_deref(), a.bank_code),
            (Some("517852257"), None)
        );
    }

    #[test]
    fn tags_and_header_lines() {
        let items = tokenize("ABNANL2A\n940\n:20:X\n:86:text\n:NS:22bank note\n-\n");
        let tags: Vec<String> = items
            .iter()
            .map(|i| match i {
                Item::Field(f) => format!("{}:{}", f.tag, f.lines.join("|")),
                Item::End => "-".into(),
            })
            .collect();
        assert_eq!(tags, ["20:X", "86:text", "NS:22bank note", "-"]);
    }

    #[test]
    fn balances() {
        let b = parse_balance(&field("60F", &["D070903EUR1234718,36"])).unwrap();
        assert_eq!(b.amount, dec!(-1234718.36));
        assert!(!b.intermediate);
        let b = parse_balance(&field("62M", &["C140407CHF229,2"])).unwrap();
        assert_eq!(b.amount, dec!(229.2));
        assert!(b.intermediate);
        assert!(parse_balance(&field("62F", &["C140407CHF22x9,2"])).is_err());
    }
}

#[cfg(test)]
mod fuzz_regressions {
    use super::parse_account;

    /// Found by the fuzz pass: a multi-byte letter where the currency suffix would be.
    #[test]
    fn an_account_ending_in_a_multibyte_letter_does_not_panic() {
        let account = parse_account("DE8937040044053013Ÿ00");
        assert_eq!(account.number.as_deref(), Some("DE8937040044053013Ÿ00"));
    }
}
