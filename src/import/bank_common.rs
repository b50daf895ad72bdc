//! Pieces the text bank readers (MT940, CFONB, QIF, CSV) share: structured payment
//! references, return detection, inferring how a file writes numbers and dates, and the
//! balance check that catches a sign read the wrong way.

use crate::domain::model::{NewStatement, SourceLocation};
use crate::import::ImportBatch;
use crate::import::text::{DecimalStyle, normalise_iban};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Mod-97 of an alphanumeric string with letters read as 10..35 (ISO 7064), as IBANs and
/// RF creditor references use it.
fn mod97(s: &str) -> Option<u32> {
    let mut rem: u32 = 0;
    for c in s.chars() {
        let v = c.to_digit(36)?;
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    Some(rem)
}

/// An ISO 11649 creditor reference (`RF18 5390 0754 7034`), spaces removed, when its check
/// digits hold.
pub(crate) fn rf_reference(raw: &str) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    // Checked before any slicing: byte offsets are only safe on ASCII.
    if s.len() < 5 || s.len() > 25 || !s.starts_with("RF") || !s.is_ascii() {
        return None;
    }
    if !s[2..4].chars().all(|c| c.is_ascii_digit()) || !s.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let rearranged = format!("{}{}", &s[4..], &s[..4]);
    (mod97(&rearranged)? == 1).then_some(s)
}

/// The first valid RF reference among the words of a free text.
pub(crate) fn find_rf_reference(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphanumeric() && c != ' ')
        .flat_map(|part| part.split(' '))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        if !w.to_ascii_uppercase().starts_with("RF") {
            continue;
        }
        // Printed references come in groups of four: `RF18 5390 0754 7034`.
        let mut joined = w.to_string();
        for next in words.iter().skip(i + 1).take(6) {
            if let Some(rf) = rf_reference(&joined) {
                return Some(rf);
            }
            joined.push_str(next);
        }
        if let Some(rf) = rf_reference(&joined) {
            return Some(rf);
        }
    }
    None
}

/// A reference written in a structured form: an RF creditor reference or a Belgian
/// structured communication (`+++123/4567/89002+++`, `***…***`). Returned as written,
/// without spaces, because that is how the invoice prints it.
pub(crate) fn structured_reference(raw: &str) -> Option<String> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(rf) = rf_reference(&s) {
        return Some(rf);
    }
    for fence in ["+++", "***"] {
        if let Some(inner) = s.strip_prefix(fence).and_then(|r| r.strip_suffix(fence)) {
            let digits: String = inner.chars().filter(|c| *c != '/').collect();
            if digits.len() == 12 && digits.chars().all(|c| c.is_ascii_digit()) {
                return Some(s);
            }
        }
    }
    None
}

/// End-to-end ids that mean "none given".
pub(crate) fn is_placeholder_ref(s: &str) -> bool {
    matches!(
        s.trim().to_ascii_uppercase().as_str(),
        "" | "NOTPROVIDED" | "NONREF" | "NONE" | "NOREF" | "/"
    )
}

/// Words with which banks label a returned transfer or a rejected debit.
pub(crate) fn mentions_return(text: &str) -> bool {
    if text.is_ascii() {
        return ascii_mentions_return(text.as_bytes());
    }
    let upper = crate::import::detect::fold_accents(&text.to_lowercase()).to_uppercase();
    RETURN_WORDS.iter().any(|w| upper.contains(w))
}

/// [`mentions_return`] without allocating, for the ASCII labels nearly every bank line has
/// (folding accents and case changes nothing else there). Runs once per imported line.
fn ascii_mentions_return(text: &[u8]) -> bool {
    (0..text.len()).any(|i| {
        let first = text[i].to_ascii_uppercase();
        // Grouped by first letter: most positions are ruled out at once.
        let words: &[&str] = match first {
            b'R' => &RETURN_WORDS[..8],
            b'S' => &RETURN_WORDS[8..10],
            b'T' => &RETURN_WORDS[10..11],
            b'I' => &RETURN_WORDS[11..],
            _ => return false,
        };
        words.iter().any(|w| {
            text.get(i..i + w.len())
                .is_some_and(|win| win.eq_ignore_ascii_case(w.as_bytes()))
        })
    })
}

/// Sorted by first letter for [`ascii_mentions_return`]: R, S, T, I.
const RETURN_WORDS: [&str; 12] = [
    "RETOURE",
    "RUECKUEBERWEISUNG",
    "RUCKUBERWEISUNG",
    "RUECKLASTSCHRIFT",
    "RUCKLASTSCHRIFT",
    "REJET",
    "RETOUR VIR",
    "RETOUR PRLV",
    "STORNO",
    "STORNERING",
    "TERUGBOEKING",
    "IMPAYE",
];

/// Reads a `yymmdd` or `ddmmyy` date with the century pivot SWIFT and CFONB use in
/// practice: 70–99 are 19xx, 00–69 are 20xx.
pub(crate) fn six_digit_date(raw: &str, day_first: bool) -> Option<NaiveDate> {
    if raw.len() != 6 || !raw.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n = |a: usize| raw[a..a + 2].parse::<u32>().ok();
    let (yy, mm, dd) = if day_first {
        (n(4)?, n(2)?, n(0)?)
    } else {
        (n(0)?, n(2)?, n(4)?)
    };
    NaiveDate::from_ymd_opt(full_year(yy) as i32, mm, dd)
}

pub(crate) fn full_year(yy: u32) -> u32 {
    if yy >= 70 { 1900 + yy } else { 2000 + yy }
}

/// Decides how a file writes decimals from all of its amounts: one unambiguous value
/// (`12,50`, `1.234,56`, `12.50`) settles it for values such as `1,234` that could be read
/// either way. Conflicting evidence leaves the per-value guess of [`DecimalStyle::Auto`].
pub(crate) fn infer_decimal_style<'a>(values: impl IntoIterator<Item = &'a str>) -> DecimalStyle {
    let mut evidence = DecimalEvidence::default();
    for v in values {
        evidence.add(v);
    }
    evidence.style()
}

/// [`infer_decimal_style`] fed one value at a time, for readers that stream their rows.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DecimalEvidence {
    comma: bool,
    dot: bool,
}

impl DecimalEvidence {
    pub(crate) fn add(&mut self, v: &str) {
        // Only the digits and marks count; kept on the stack since this runs per cell.
        let mut last_mark = None;
        let (mut len, mut has_comma, mut has_dot) = (0usize, false, false);
        for b in v.bytes() {
            match b {
                b'0'..=b'9' => len += 1,
                b',' | b'.' => {
                    last_mark = Some((b, len));
                    len += 1;
                    has_comma |= b == b',';
                    has_dot |= b == b'.';
                }
                _ => {}
            }
        }
        let Some((mark, pos)) = last_mark else {
            return;
        };
        let after = len - pos - 1;
        if (has_comma && has_dot) || after != 3 {
            if mark == b',' {
                self.comma = true
            } else {
                self.dot = true
            }
        }
    }

    pub(crate) fn style(&self) -> DecimalStyle {
        match (self.comma, self.dot) {
            (true, false) => DecimalStyle::Comma,
            (false, true) => DecimalStyle::Dot,
            _ => DecimalStyle::Auto,
        }
    }
}

/// What the numeric day/month parts of a file's dates say about their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateOrder {
    DayFirst,
    MonthFirst,
    /// Every date fits both readings.
    Ambiguous,
    /// Some dates only fit one reading and others only the other.
    Conflicting,
}

/// Looks at `a/b/…` dates (any of `/ . -` as separator; ISO dates are skipped).
pub(crate) fn infer_date_order<'a>(values: impl IntoIterator<Item = &'a str>) -> DateOrder {
    let mut evidence = DateEvidence::default();
    for v in values {
        evidence.add(v);
    }
    evidence.order()
}

/// [`infer_date_order`] fed one value at a time, for readers that stream their rows.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DateEvidence {
    day_first: bool,
    month_first: bool,
}

impl DateEvidence {
    pub(crate) fn add(&mut self, v: &str) {
        let mut parts = [0u32; 2];
        let mut found = 0;
        for p in v
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .take(2)
        {
            // A part longer than two digits is a year: what follows does not count.
            match (p.len() <= 2).then(|| p.parse::<u32>().ok()).flatten() {
                Some(n) => {
                    parts[found] = n;
                    found += 1;
                }
                None => break,
            }
        }
        if found == 2 {
            let [a, b] = parts;
            if a > 12 && b <= 12 {
                self.day_first = true;
            } else if b > 12 && a <= 12 {
                self.month_first = true;
            }
        }
    }

    pub(crate) fn order(&self) -> DateOrder {
        match (self.day_first, self.month_first) {
            (true, false) => DateOrder::DayFirst,
            (false, true) => DateOrder::MonthFirst,
            (true, true) => DateOrder::Conflicting,
            (false, false) => DateOrder::Ambiguous,
        }
    }
}

/// Normalises a counterparty IBAN; a value that has the shape of an IBAN but fails its
/// check digits is dropped with one warning, since storing it would make it look like a
/// new payer account.
pub(crate) fn counterparty_iban(
    raw: &str,
    location: &SourceLocation,
    batch: &mut ImportBatch,
) -> Option<String> {
    let trimmed: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if trimmed.is_empty() {
        return None;
    }
    if let Some(iban) = normalise_iban(&trimmed) {
        return Some(iban);
    }
    if looks_like_iban(&trimmed) {
        warn_once(
            batch,
            location.clone(),
            format!(
                "'{trimmed}' has the shape of an IBAN but its check digits are wrong; it was not kept as the counterparty's IBAN"
            ),
        );
    }
    None
}

/// Adds a warning unless the same message is already there (the first place is named).
pub(crate) fn warn_once(batch: &mut ImportBatch, location: SourceLocation, message: String) {
    if !batch.warnings.iter().any(|w| w.message == message) {
        batch.warn(location, message);
    }
}

pub(crate) fn looks_like_iban(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 15
        && b.len() <= 34
        && b[0].is_ascii_alphabetic()
        && b[1].is_ascii_alphabetic()
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit()
        && b.iter().all(|c| c.is_ascii_alphanumeric())
}

/// Warns when opening + lines ≠ closing: the usual symptom of a sign or decimal read wrong,
/// or of a page missing from the file.
pub(crate) fn check_balances(
    statement: &NewStatement,
    location: SourceLocation,
    batch: &mut ImportBatch,
) {
    let (Some(open), Some(close)) = (&statement.opening, &statement.closing) else {
        return;
    };
    let sum: Decimal = statement.transactions.iter().map(|t| t.amount).sum();
    if open.amount + sum != close.amount {
        let account = statement
            .account
            .key()
            .unwrap_or_else(|| "(unnamed account)".into());
        batch.warn(
            location,
            format!(
                "account {account}: opening balance {} + lines {} = {}, but the closing balance says {}; check that no page or day is missing",
                open.amount,
                sum,
                open.amount + sum,
                close.amount
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rf_references_are_checked() {
        assert_eq!(
            rf_reference("RF18 5390 0754 7034"),
            Some("RF18539007547034".into())
        );
        assert_eq!(rf_reference("RF19 5390 0754 7034"), None);
        assert_eq!(
            find_rf_reference("Paiement facture RF18 5390 0754 7034 merci"),
            Some("RF18539007547034".into())
        );
        assert_eq!(find_rf_reference("REFERENCE 12"), None);
        // Found by the fuzz pass: a multi-byte letter among the check digits.
        assert_eq!(rf_reference("RF1à8539007547034"), None);
    }

    #[test]
    fn belgian_structured_communication() {
        assert_eq!(
            structured_reference("+++123/4567/89002+++"),
            Some("+++123/4567/89002+++".into())
        );
        assert_eq!(structured_reference("INV-2026-042"), None);
    }

    #[test]
    fn decimal_style_from_the_whole_file() {
        assert_eq!(infer_decimal_style(["1,234", "12,50"]), DecimalStyle::Comma);
        assert_eq!(infer_decimal_style(["1,234", "12.50"]), DecimalStyle::Dot);
        assert_eq!(infer_decimal_style(["1.234,56"]), DecimalStyle::Comma);
        assert_eq!(infer_decimal_style(["1,234"]), DecimalStyle::Auto);
    }

    #[test]
    fn date_order_from_the_whole_file() {
        assert_eq!(
            infer_date_order(["01/02/2024", "13/02/2024"]),
            DateOrder::DayFirst
        );
        assert_eq!(
            infer_date_order(["01/02/2024", "02/13/2024"]),
            DateOrder::MonthFirst
        );
        assert_eq!(infer_date_order(["01/02/2024"]), DateOrder::Ambiguous);
        assert_eq!(
            infer_date_order(["13/02/2024", "02/13/2024"]),
            DateOrder::Conflicting
        );
        assert_eq!(infer_date_order(["2024-02-13"]), DateOrder::Ambiguous);
    }

    #[test]
    fn six_digit_dates_pivot() {
        assert_eq!(
            six_digit_date("110522", false),
            NaiveDate::from_ymd_opt(2011, 5, 22)
        );
        assert_eq!(
            six_digit_date("150519", true),
            NaiveDate::from_ymd_opt(2019, 5, 15)
        );
        assert_eq!(
            six_digit_date("991231", false),
            NaiveDate::from_ymd_opt(1999, 12, 31)
        );
        assert_eq!(six_digit_date("110532", false), None);
    }

    #[test]
    fn returns_are_named_in_several_languages() {
        assert!(mentions_return("RETOURE"));
        assert!(mentions_return("Konto gesperrt Rueckueberweisung"));
        assert!(mentions_return("REJET PRLV SEPA"));
        assert!(!mentions_return("VIR SEPA RECU FACTURE 12"));
        assert!(mentions_return("retour vir sepa"));
        assert!(mentions_return("Impayé prlv"));
        assert!(!mentions_return("Rejeu"));
        assert!(!mentions_return("REJE"));
        for word in RETURN_WORDS {
            assert!(
                mentions_return(&format!("x {} y", word.to_lowercase())),
                "{word}"
            );
        }
    }
}
