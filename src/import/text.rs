//! Text helpers shared by every importer: character-set decoding, NFC, amounts written the
//! many ways banks write them, dates, IBANs.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::str::FromStr;
use unicode_normalization::UnicodeNormalization;

/// The character set a file was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    Utf8Bom,
    /// Windows-1252, which is a superset of ISO-8859-1 for the printable range.
    Windows1252,
    Utf16Le,
    Utf16Be,
}

/// Decodes a file's bytes to NFC text. UTF-8 (with or without BOM) when valid, UTF-16 when it
/// carries a BOM, else Windows-1252: in practice the only other encoding French and German
/// bank exports use, and one that can decode any byte sequence.
pub fn decode(bytes: &[u8]) -> (String, Charset) {
    let (text, charset) = decode_borrowed(bytes);
    (text.into_owned(), charset)
}

/// [`decode`] that borrows the bytes when they already are NFC UTF-8 without a BOM (nearly
/// every file): a large export is then not copied at all.
pub fn decode_borrowed(bytes: &[u8]) -> (Cow<'_, str>, Charset) {
    let (text, charset) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (String::from_utf8_lossy(rest), Charset::Utf8Bom)
    } else if bytes.starts_with(b"\xFF\xFE") {
        let (t, _, _) = encoding_rs::UTF_16LE.decode(bytes);
        (t, Charset::Utf16Le)
    } else if bytes.starts_with(b"\xFE\xFF") {
        let (t, _, _) = encoding_rs::UTF_16BE.decode(bytes);
        (t, Charset::Utf16Be)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => (Cow::Borrowed(s), Charset::Utf8),
            Err(_) => {
                let (t, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
                (t, Charset::Windows1252)
            }
        }
    };
    let text = if text.is_ascii() || unicode_normalization::is_nfc(&text) {
        text
    } else {
        Cow::Owned(text.nfc().collect())
    };
    (text, charset)
}

pub fn nfc(s: &str) -> String {
    if unicode_normalization::is_nfc(s) {
        s.to_string()
    } else {
        s.nfc().collect()
    }
}

/// Trims, folds runs of white space (including NBSP and line breaks) into one space, and
/// drops control characters so that imported text can never drive the terminal.
pub fn clean(s: &str) -> String {
    if is_clean_ascii(s.as_bytes()) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    clean_slow(s, &mut out);
    out
}

/// [`clean`] into `out` (cleared first), for per-row callers that reuse their buffers.
pub fn clean_into(s: &str, out: &mut String) {
    out.clear();
    if is_clean_ascii(s.as_bytes()) {
        out.push_str(s);
    } else {
        clean_slow(s, out);
    }
}

/// [`clean`] without a copy when there is nothing to change.
pub fn clean_cow(s: &str) -> Cow<'_, str> {
    if is_clean_ascii(s.as_bytes()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(clean(s))
    }
}

/// `out` is empty on entry.
fn clean_slow(s: &str, out: &mut String) {
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}' {
            pending_space = !out.is_empty();
        } else if c.is_control() {
            continue;
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
}

/// Whether [`clean`] would give `s` back unchanged, checked without building anything:
/// printable ASCII, single spaces, nothing to trim. Most cells of an export are.
fn is_clean_ascii(b: &[u8]) -> bool {
    let (Some(first), Some(last)) = (b.first(), b.last()) else {
        return true;
    };
    *first != b' '
        && *last != b' '
        && b.iter().all(|c| (b' '..=b'~').contains(c))
        && !b.windows(2).any(|w| w == b"  ")
}

/// `clean`, then `None` when nothing is left.
pub fn clean_opt(s: &str) -> Option<String> {
    let c = clean(s);
    if c.is_empty() { None } else { Some(c) }
}

/// How a file writes its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalStyle {
    /// `1234.56`, `1,234.56`
    Dot,
    /// `1234,56`, `1 234,56`, `1.234,56`
    Comma,
    /// Decide per value: the last of `.` or `,` followed by 1–3 digits at the end is the
    /// decimal mark, unless it is the only mark and groups of exactly three digits follow
    /// (ambiguous `1,234` is read as a thousands group only in Dot style).
    Auto,
}

/// Parses an amount as banks write it: optional sign (leading or trailing `-`, or parentheses),
/// currency symbols and codes around it, thousands separators (space, NBSP, `'`, `.` or `,`),
/// a trailing decimal mark with no digits (`9,`), or no mark at all (`500`).
pub fn parse_amount(raw: &str, style: DecimalStyle) -> Option<Decimal> {
    plain_amount(raw.as_bytes(), style).or_else(|| general_amount(raw, style))
}

fn general_amount(raw: &str, style: DecimalStyle) -> Option<Decimal> {
    let mut s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}' && *c != '\'')
        .collect();
    for sym in ["EUR", "USD", "GBP", "CHF", "€", "$", "£"] {
        s = s.replace(sym, "");
    }
    if s.is_empty() {
        return None;
    }
    let mut negative = false;
    if s.starts_with('(') && s.ends_with(')') {
        negative = true;
        s = s[1..s.len() - 1].to_string();
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.to_string();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.to_string();
    }
    if let Some(rest) = s.strip_suffix('-') {
        negative = !negative;
        s = rest.to_string();
    }
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    if !s.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let decimal_mark = match style {
        DecimalStyle::Dot => Some('.'),
        DecimalStyle::Comma => Some(','),
        DecimalStyle::Auto => {
            let last = s.rfind(['.', ',']);
            match last {
                None => None,
                Some(pos) => {
                    let mark = s.as_bytes()[pos] as char;
                    let after = s.len() - pos - 1;
                    let marks_of_kind = s.matches(mark).count();
                    let other = if mark == '.' { ',' } else { '.' };
                    if s.contains(other) || marks_of_kind == 1 && after != 3 {
                        Some(mark)
                    } else if marks_of_kind > 1 {
                        // `1.234.567`: only thousands groups.
                        Some(other)
                    } else {
                        // A single mark followed by exactly three digits: `18.150` in
                        // XML-ish data is a decimal, `1,234` a thousands group.
                        Some(mark).filter(|m| *m == '.')
                    }
                }
            }
        }
    };
    let mut normalised = String::with_capacity(s.len());
    let mut seen_mark = false;
    for c in s.chars() {
        if Some(c) == decimal_mark {
            if seen_mark {
                return None;
            }
            seen_mark = true;
            normalised.push('.');
        } else if c == '.' || c == ',' {
            // a thousands separator: must not come after the decimal mark
            if seen_mark {
                return None;
            }
        } else {
            normalised.push(c);
        }
    }
    if normalised.ends_with('.') {
        normalised.pop();
    }
    if normalised.starts_with('.') {
        normalised.insert(0, '0');
    }
    let value = Decimal::from_str(&normalised).ok()?;
    Some(if negative { -value } else { value })
}

/// The common shape `-1234,56` (optional minus, digits, a decimal mark the style reads as
/// such, one or two decimals) read without building strings; `None` for anything else,
/// which the general reader then handles. Gives exactly what the general reader gives.
fn plain_amount(b: &[u8], style: DecimalStyle) -> Option<Decimal> {
    let (negative, b) = match b {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, b),
    };
    let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if int_len == 0 || int_len > 15 {
        return None;
    }
    let (int, rest) = b.split_at(int_len);
    let frac: &[u8] = match rest {
        [] => &[],
        [mark, frac @ ..] => {
            let is_decimal = matches!(
                (*mark, style),
                (b',', DecimalStyle::Comma | DecimalStyle::Auto)
                    | (b'.', DecimalStyle::Dot | DecimalStyle::Auto)
            );
            if !is_decimal || !(1..=2).contains(&frac.len()) {
                return None;
            }
            frac
        }
    };
    let mut mantissa: i64 = 0;
    for c in int.iter().chain(frac) {
        if !c.is_ascii_digit() {
            return None;
        }
        mantissa = mantissa * 10 + i64::from(c - b'0');
    }
    let value = Decimal::new(mantissa, frac.len() as u32);
    Some(if negative { -value } else { value })
}

/// `DD/MM/YYYY`-like and `YYYY-MM-DD` dates read without chrono's format parser, for the
/// per-line paths; `None` when the text has another shape or is not a valid date (the
/// general reader then decides). The layouts tried before the matching one in
/// [`parse_date`] can never match these shapes, so the result is the same.
fn plain_date(b: &[u8], day_first: bool) -> Option<NaiveDate> {
    let num = |r: &[u8]| {
        r.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 {
        return None;
    }
    let (a, sep1, m, sep2, y) = (&b[..2], b[2], &b[3..5], b[5], &b[6..]);
    if b[4] == b'-' && b[7] == b'-' {
        let (y, m, d) = (num(&b[..4])?, num(&b[5..7])?, num(&b[8..])?);
        return NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    let known = matches!(sep1, b'/' | b'-') || (day_first && sep1 == b'.');
    if sep1 != sep2 || !known {
        return None;
    }
    let (first, second, year) = (num(a)?, num(m)?, num(y)?);
    let (day, month) = if day_first {
        (first, second)
    } else {
        (second, first)
    };
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// Parses a date in any of the layouts exports use. `day_first` settles `03/04/2024`.
pub fn parse_date(raw: &str, day_first: bool) -> Option<NaiveDate> {
    let s = raw.trim();
    let s = s.split(['T', ' ']).next().unwrap_or(s);
    plain_date(s.as_bytes(), day_first).or_else(|| general_date(s, day_first))
}

fn general_date(s: &str, day_first: bool) -> Option<NaiveDate> {
    let layouts_day_first = [
        "%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y",
    ];
    let layouts_month_first = ["%Y-%m-%d", "%Y%m%d", "%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y"];
    let layouts: &[&str] = if day_first {
        &layouts_day_first
    } else {
        &layouts_month_first
    };
    layouts
        .iter()
        .find_map(|layout| NaiveDate::parse_from_str(s, layout).ok())
}

/// Removes spaces and upper-cases; returns None unless it looks like an IBAN
/// (two letters, two check digits, 11–30 alphanumerics) with a valid mod-97 check.
pub fn normalise_iban(raw: &str) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if s.len() < 15 || s.len() > 34 || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let b = s.as_bytes();
    if !b[0].is_ascii_alphabetic() || !b[1].is_ascii_alphabetic() {
        return None;
    }
    if !b[2].is_ascii_digit() || !b[3].is_ascii_digit() {
        return None;
    }
    let rearranged = format!("{}{}", &s[4..], &s[..4]);
    let mut rem: u32 = 0;
    for c in rearranged.chars() {
        let v = c.to_digit(36)?;
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    (rem == 1).then_some(s)
}

/// The normal form under which invoice numbers are compared: upper-case alphanumerics only,
/// with leading zeros of each digit run dropped (`fa-2024-0012` = `FA 2024 12`).
pub fn normalise_reference(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    normalise_reference_into(raw, &mut out);
    out
}

/// [`normalise_reference`] appended to `out`, for per-line callers that reuse a buffer.
pub fn normalise_reference_into(raw: &str, out: &mut String) {
    if raw.is_ascii() {
        return normalise_ascii_reference(raw.as_bytes(), out);
    }
    let mut in_digits = false;
    let mut pending_zero = false;
    for c in raw.chars() {
        if c.is_ascii_digit() {
            if !in_digits && c == '0' {
                pending_zero = true;
                continue;
            }
            if !in_digits && pending_zero && c == '0' {
                continue;
            }
            in_digits = true;
            pending_zero = false;
            out.push(c);
        } else if c.is_alphanumeric() {
            if pending_zero {
                out.push('0');
                pending_zero = false;
            }
            in_digits = false;
            out.extend(c.to_uppercase());
        } else {
            if pending_zero {
                out.push('0');
                pending_zero = false;
            }
            in_digits = false;
        }
    }
    if pending_zero {
        out.push('0');
    }
}

/// [`normalise_reference_into`] byte by byte, for ASCII text (the same rules: ASCII letters
/// and digits are the only alphanumerics there, and upper-casing is ASCII's).
fn normalise_ascii_reference(raw: &[u8], out: &mut String) {
    let mut in_digits = false;
    let mut pending_zero = false;
    for &c in raw {
        if c.is_ascii_digit() {
            if !in_digits && c == b'0' {
                pending_zero = true;
                continue;
            }
            in_digits = true;
            pending_zero = false;
            out.push(char::from(c));
        } else {
            if pending_zero {
                out.push('0');
                pending_zero = false;
            }
            in_digits = false;
            if c.is_ascii_alphanumeric() {
                out.push(char::from(c.to_ascii_uppercase()));
            }
        }
    }
    if pending_zero {
        out.push('0');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn amounts_in_every_common_layout() {
        let cases = [
            ("1 234,56", DecimalStyle::Comma, dec!(1234.56)),
            ("1.234,56", DecimalStyle::Comma, dec!(1234.56)),
            ("3\u{a0}200,00", DecimalStyle::Comma, dec!(3200.00)),
            ("-32,21", DecimalStyle::Comma, dec!(-32.21)),
            ("9,", DecimalStyle::Comma, dec!(9)),
            ("500", DecimalStyle::Comma, dec!(500)),
            ("000000000025,00", DecimalStyle::Comma, dec!(25)),
            ("0000000069,60", DecimalStyle::Comma, dec!(69.60)),
            ("1,234.56", DecimalStyle::Dot, dec!(1234.56)),
            ("-1500.00", DecimalStyle::Dot, dec!(-1500)),
            ("18.150", DecimalStyle::Auto, dec!(18.150)),
            ("1.234,56", DecimalStyle::Auto, dec!(1234.56)),
            ("1,234.56", DecimalStyle::Auto, dec!(1234.56)),
            ("12,5", DecimalStyle::Auto, dec!(12.5)),
            ("(45.00)", DecimalStyle::Dot, dec!(-45)),
            ("45.00-", DecimalStyle::Dot, dec!(-45)),
            ("€12,345.67", DecimalStyle::Dot, dec!(12345.67)),
            ("12 345,67 €", DecimalStyle::Comma, dec!(12345.67)),
        ];
        for (raw, style, want) in cases {
            assert_eq!(parse_amount(raw, style), Some(want), "{raw}");
        }
    }

    #[test]
    fn garbage_is_not_an_amount() {
        for raw in ["", "abc", "12,3x", "1,2,3", "-", "1.2.3,4.5", ","] {
            assert_eq!(parse_amount(raw, DecimalStyle::Comma), None, "{raw}");
        }
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2024, 4, 3).unwrap();
        assert_eq!(parse_date("03/04/2024", true), Some(d));
        assert_eq!(parse_date("04/03/2024", false), Some(d));
        assert_eq!(parse_date("2024-04-03 10:00:00", true), Some(d));
        assert_eq!(parse_date("20240403", true), Some(d));
        assert_eq!(parse_date("03.04.2024", true), Some(d));
        assert_eq!(parse_date("2024-13-03", true), None);
    }

    #[test]
    fn the_quick_readers_agree_with_the_general_ones() {
        let styles = [DecimalStyle::Comma, DecimalStyle::Dot, DecimalStyle::Auto];
        let mut amounts = 0;
        for int in ["0", "7", "12", "007", "1234", "999999999999999"] {
            for tail in [
                "", ",5", ",50", ".5", ".05", ",", ".", ",500", ".123", ",5x",
            ] {
                for sign in ["", "-"] {
                    let raw = format!("{sign}{int}{tail}");
                    for style in styles {
                        if let Some(quick) = plain_amount(raw.as_bytes(), style) {
                            amounts += 1;
                            let general = general_amount(&raw, style);
                            assert_eq!(Some(quick), general, "{raw} {style:?}");
                            // The same sign and scale, not only the same value.
                            assert_eq!(Some(quick.to_string()), general.map(|g| g.to_string()));
                        }
                    }
                }
            }
        }
        assert!(amounts > 100, "the quick reader took too few: {amounts}");
        let mut dates = 0;
        for raw in [
            "03/04/2024",
            "13/04/2024",
            "04/13/2024",
            "31/02/2024",
            "03-04-2024",
            "03.04.2024",
            "2024-04-03",
            "2024-02-30",
            "0001-01-01",
            "03/04-2024",
            "3/04/2024",
            "03/04/24",
            "ab/cd/efgh",
            "2024/04/03",
        ] {
            for day_first in [true, false] {
                if let Some(quick) = plain_date(raw.as_bytes(), day_first) {
                    dates += 1;
                    assert_eq!(Some(quick), general_date(raw, day_first), "{raw}");
                }
            }
        }
        assert!(dates >= 10, "the quick date reader took too few: {dates}");
    }

    #[test]
    fn clean_ascii_is_returned_as_is_only_when_nothing_changes() {
        for s in [
            "VIR SEPA", "", "a", " a", "a ", "a  b", "a\tb", "a\u{7f}b", "x-y_z",
        ] {
            let slow: String = {
                let mut out = String::new();
                let mut pending = false;
                for c in s.chars() {
                    if c.is_whitespace() {
                        pending = !out.is_empty();
                    } else if !c.is_control() {
                        if pending {
                            out.push(' ');
                            pending = false;
                        }
                        out.push(c);
                    }
                }
                out
            };
            assert_eq!(clean(s), slow, "{s:?}");
        }
    }

    #[test]
    fn clean_into_and_clean_cow_agree_with_clean() {
        let mut buf = String::from("left over");
        for s in [
            "VIR SEPA",
            "",
            " a ",
            "a\u{a0}\u{a0}b",
            "é\tè\r\n",
            "x\u{1b}y",
        ] {
            clean_into(s, &mut buf);
            assert_eq!(buf, clean(s), "{s:?}");
            assert_eq!(clean_cow(s), clean(s), "{s:?}");
        }
        assert!(matches!(clean_cow("VIR SEPA"), Cow::Borrowed(_)));
    }

    #[test]
    fn ibans() {
        assert_eq!(
            normalise_iban("FR76 3000 6000 0112 3456 7890 189"),
            Some("FR7630006000011234567890189".into())
        );
        assert_eq!(normalise_iban("FR76 3000 6000 0112 3456 7890 188"), None);
        assert_eq!(normalise_iban("hello"), None);
    }

    #[test]
    fn references_compare_without_case_spaces_dashes_or_leading_zeros() {
        assert_eq!(normalise_reference("fa-2024-0012"), "FA202412");
        assert_eq!(normalise_reference("FA 2024 12"), "FA202412");
        assert_eq!(normalise_reference("INV-2026-042"), "INV202642");
        assert_eq!(normalise_reference("F0"), "F0");
        assert_eq!(normalise_reference("100"), "100");
        // Non-ASCII text takes the general path, with the same rules.
        assert_eq!(normalise_reference("fa-2024-0012é"), "FA202412É");
        assert_eq!(normalise_reference("ré-007-00"), "RÉ70");
        assert_eq!(normalise_reference("re-007-00"), "RE70");
    }

    #[test]
    fn control_characters_never_survive() {
        assert_eq!(clean("VIR \x1b[31mEVIL\x07  X\r\n"), "VIR [31mEVIL X");
    }

    #[test]
    fn latin1_falls_back_to_windows_1252() {
        let (t, cs) = decode(b"Empf\xe4nger");
        assert_eq!(t, "Empfänger");
        assert_eq!(cs, Charset::Windows1252);
        let (t, cs) = decode("\u{feff}Journal".as_bytes());
        assert_eq!(t, "Journal");
        assert_eq!(cs, Charset::Utf8Bom);
    }
}
