//! The `:86:` information field. Banks fill it four ways: German `?NN` subfields (DK
//! "Verwendungszweck" layout), Dutch `/KEY/value` pairs, Dutch `REK:`/`NAAM:` keywords,
//! or plain text. All are read into the same few facts.

use crate::import::bank_common::{find_rf_reference, is_placeholder_ref, mentions_return};
use crate::import::text::clean;

/// SWIFT wraps free text at 65 characters per line; a shorter line ended at a word boundary
/// whose space the bank trimmed.
const LINE_WIDTH: usize = 65;

/// DK business transaction codes (GVC) of returned transfers, returned or refunded direct
/// debits and cancellations.
const RETURN_GVC: [&str; 12] = [
    "108", "109", "110", "111", "159", "160", "181", "183", "184", "193", "199", "899",
];

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Info86 {
    pub remittance: String,
    pub counterparty_name: Option<String>,
    /// As written; the caller validates it (and warns when the check digits fail).
    pub counterparty_iban: Option<String>,
    pub structured_ref: Option<String>,
    pub reversal: bool,
}

pub(super) fn parse_86(lines: &[String]) -> Info86 {
    // Structured layouts wrap at fixed widths in the middle of words, so their lines are
    // joined as they are.
    let tight: String = lines.iter().map(|l| l.as_str()).collect();
    let tight = tight.trim();
    let mut info = if let Some(sep) = german_separator(tight) {
        german(tight, sep)
    } else if starts_with_slash_key(tight) {
        slash_keyed(tight)
    } else {
        let text = join_wrapped(lines);
        if ["REK:", "NAAM:", "IBAN:"].iter().any(|k| text.contains(k)) {
            dutch_keywords(&text)
        } else {
            Info86 {
                reversal: mentions_return(&text),
                remittance: clean(&text),
                ..Default::default()
            }
        }
    };
    if info.structured_ref.is_none() {
        info.structured_ref = find_rf_reference(&info.remittance);
    }
    info
}

/// Joins free-text lines: without a space after a full-width line (the bank cut a word),
/// with one after a shorter line.
fn join_wrapped(lines: &[String]) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 && lines[i - 1].chars().count() < LINE_WIDTH {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn opt(s: String) -> Option<String> {
    let c = clean(&s);
    (!c.is_empty()).then_some(c)
}

/// `166?00GUTSCHRIFT?20…`: three digits, then a separator (`?` nearly always) and `00`/`10`/`20`.
fn german_separator(s: &str) -> Option<char> {
    let b = s.as_bytes();
    if b.len() < 6 || !b[..3].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sep = b[3];
    let is_sep = sep.is_ascii_punctuation() && sep != b'/';
    (is_sep && b[4].is_ascii_digit() && b[5].is_ascii_digit()).then_some(sep as char)
}

/// Splits at each separator followed by two digits.
fn subfields(s: &str, sep: char) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 3;
    while i < chars.len() {
        let is_start = chars[i] == sep
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
            && chars.get(i + 2).is_some_and(char::is_ascii_digit);
        if is_start {
            out.push((chars[i + 1..i + 3].iter().collect(), String::new()));
            i += 3;
        } else {
            if let Some(last) = out.last_mut() {
                last.1.push(chars[i]);
            }
            i += 1;
        }
    }
    out
}

const SEPA_KEYS: [&str; 13] = [
    "EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "COAM+", "OAMT+", "SVWZ+", "ABWA+", "ABWE+",
    "IBAN+", "BIC+", "MTLG:",
];

/// Splits a purpose text at SEPA keywords (`EREF+`, `SVWZ+`, …). Text before the first
/// keyword has no key.
fn keyword_segments<'a>(s: &'a str, keys: &[&'a str]) -> Vec<(Option<&'a str>, String)> {
    let mut out: Vec<(Option<&str>, String)> = vec![(None, String::new())];
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if let Some(k) = keys.iter().find(|k| rest.starts_with(**k)) {
            out.push((Some(*k), String::new()));
            i += k.len();
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        if let Some(last) = out.last_mut() {
            last.1.push(c);
        }
        i += c.len_utf8().max(1);
    }
    out
}

fn german(s: &str, sep: char) -> Info86 {
    let gvc = &s[..3];
    let fields = subfields(s, sep);
    let get = |codes: &[&str]| -> String {
        fields
            .iter()
            .filter(|(c, _)| codes.contains(&c.as_str()))
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let booking_text = clean(&get(&["00"]));
    // Subfields ?20–?29 and ?60–?63 are 27-character slices of one text.
    let purpose: String = fields
        .iter()
        .filter(|(c, _)| matches!(c.parse::<u8>(), Ok(20..=29 | 60..=63)))
        .map(|(_, v)| v.as_str())
        .collect();
    let mut info = Info86 {
        counterparty_name: opt(get(&["32", "33"])),
        counterparty_iban: opt(get(&["31"])),
        ..Default::default()
    };
    let mut remittance: Vec<String> = Vec::new();
    let mut eref = None;
    for (key, value) in keyword_segments(&purpose, &SEPA_KEYS) {
        let value = clean(&value);
        match key {
            None | Some("SVWZ+") | Some("MTLG:") => remittance.push(value),
            Some("EREF+") if !is_placeholder_ref(&value) => eref = Some(value),
            Some("IBAN+") if info.counterparty_iban.is_none() => {
                info.counterparty_iban = opt(value)
            }
            _ => {}
        }
    }
    info.remittance = clean(&remittance.join(" "));
    if info.remittance.is_empty() {
        info.remittance = booking_text.clone();
    }
    info.structured_ref = find_rf_reference(&info.remittance).or(eref);
    info.reversal = RETURN_GVC.contains(&gvc)
        || mentions_return(&booking_text)
        || mentions_return(&info.remittance);
    info
}

const SLASH_KEYS: [&str; 22] = [
    "EREF", "BENM", "ORDP", "NAME", "REMI", "IBAN", "BIC", "ISDT", "CSID", "MARF", "RTRN", "TRCD",
    "PREF", "CNTP", "USTD", "STRD", "ADDR", "ULTB", "ULTD", "PURP", "SVCL", "TRTP",
];

fn starts_with_slash_key(s: &str) -> bool {
    SLASH_KEYS.iter().any(|k| {
        s.strip_prefix('/')
            .is_some_and(|r| r.starts_with(k) && r[k.len()..].starts_with('/'))
    })
}

/// `/EREF/…/BENM//NAME/…/REMI/…`: a key's closing slash may open the next key.
fn slash_keyed(s: &str) -> Info86 {
    let mut found: Vec<(&str, usize, usize)> = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'/' {
            let rest = &s[i + 1..];
            if let Some(k) = SLASH_KEYS
                .iter()
                .find(|k| rest.starts_with(**k) && rest[k.len()..].starts_with('/'))
            {
                found.push((k, i, i + k.len() + 2));
                i += k.len() + 1;
                continue;
            }
        }
        i += 1;
    }
    let mut info = Info86::default();
    let mut remittance = Vec::new();
    for (n, (key, _, value_start)) in found.iter().enumerate() {
        let end = found.get(n + 1).map_or(s.len(), |next| next.1);
        let raw =
            if *value_start <= end && s.is_char_boundary(*value_start) && s.is_char_boundary(end) {
                &s[*value_start..end]
            } else {
                ""
            };
        let value = clean(raw.trim_matches('/'));
        match *key {
            "NAME" if info.counterparty_name.is_none() => info.counterparty_name = opt(value),
            "IBAN" if info.counterparty_iban.is_none() => info.counterparty_iban = opt(value),
            "EREF" if !is_placeholder_ref(&value) => {
                info.structured_ref.get_or_insert(value);
            }
            "REMI" | "USTD" => remittance.push(value),
            "STRD" => {
                // `/REMI/STRD/CUR/RF18…/`: the reference follows its issuer code.
                if let Some(r) = value
                    .rsplit('/')
                    .find(|p| !p.trim().is_empty() && *p != "CUR")
                {
                    info.structured_ref = Some(clean(r));
                }
            }
            "CNTP" => {
                let parts: Vec<&str> = value.split('/').collect();
                if info.counterparty_iban.is_none() {
                    info.counterparty_iban = parts.first().and_then(|p| opt(p.to_string()));
                }
                if info.counterparty_name.is_none() {
                    info.counterparty_name = parts.get(2).and_then(|p| opt(p.to_string()));
                }
            }
            "RTRN" => info.reversal = true,
            _ => {}
        }
    }
    info.remittance = clean(&remittance.join(" "));
    info.reversal |= mentions_return(&info.remittance);
    info
}

const DUTCH_KEYS: [&str; 7] = [
    "BETALINGSKENMERK:",
    "OMSCHRIJVING:",
    "KENMERK:",
    "NAAM:",
    "IBAN:",
    "REK:",
    "BIC:",
];

/// `FACTUUR 201403110 REK: NL65INGB0123456789/NAAM: PICQER`.
fn dutch_keywords(text: &str) -> Info86 {
    let mut info = Info86::default();
    let mut remittance = Vec::new();
    for (key, value) in keyword_segments(text, &DUTCH_KEYS) {
        match key {
            None | Some("OMSCHRIJVING:") => remittance.push(value),
            Some("REK:") | Some("IBAN:") => {
                let token = value
                    .trim()
                    .split(['/', ' '])
                    .next()
                    .unwrap_or("")
                    .to_string();
                if info.counterparty_iban.is_none() {
                    info.counterparty_iban = opt(token);
                }
            }
            Some("NAAM:") => info.counterparty_name = opt(value),
            Some("KENMERK:") | Some("BETALINGSKENMERK:") => info.structured_ref = opt(value),
            _ => {}
        }
    }
    info.remittance = clean(&remittance.join(" "));
    info.reversal = mentions_return(text);
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn german_subfields_rejoin_without_spaces_inside_words() {
        let info = parse_86(&lines(&[
            "166?00GUTSCHRIFT?100399?20EREF+E2E-42?21SVWZ+Rechnung 2024-1",
            "7 danke?30PBNKDEFF100?31DE42100100100043921105?32Richter Re",
            "nate?33 GmbH",
        ]));
        assert_eq!(info.structured_ref.as_deref(), Some("E2E-42"));
        assert_eq!(info.remittance, "Rechnung 2024-17 danke");
        assert_eq!(
            info.counterparty_name.as_deref(),
            Some("Richter Renate GmbH")
        );
        assert_eq!(
            info.counterparty_iban.as_deref(),
            Some("DE42100100100043921105")
        );
        assert!(!info.reversal);
    }

    #[test]
    fn german_return_codes() {
        let info = parse_86(&lines(&["109?00LASTSCHRIFT?20SVWZ+Beitrag"]));
        assert!(info.reversal);
        assert_eq!(info.remittance, "Beitrag");
    }

    #[test]
    fn dutch_slash_keys_with_empty_values() {
        let info = parse_86(&lines(&[
            "/TRTP/SEPA OVERBOEKING/IBAN/NL91ABNA0417164300/BIC/ABNANL2A/NAME/J. Jansen",
            "/REMI/USTD//Factuur 2024-031/EREF/NOTPROVIDED",
        ]));
        assert_eq!(info.counterparty_name.as_deref(), Some("J. Jansen"));
        assert_eq!(
            info.counterparty_iban.as_deref(),
            Some("NL91ABNA0417164300")
        );
        assert_eq!(info.remittance, "Factuur 2024-031");
        assert_eq!(info.structured_ref, None);
        let info = parse_86(&lines(&["/RTRN/MS03/REMI/STRD/CUR/RF18539007547034/"]));
        assert!(info.reversal);
        assert_eq!(info.structured_ref.as_deref(), Some("RF18539007547034"));
    }

    #[test]
    fn free_text_joins_short_lines_with_a_space() {
        let info = parse_86(&lines(&["HIER EEN OMSCHRIJVING", "WANT DAT IS ZO"]));
        assert_eq!(info.remittance, "HIER EEN OMSCHRIJVING WANT DAT IS ZO");
        let full = "X".repeat(64) + "Y";
        let info = parse_86(&lines(&[&full, "Z"]));
        assert_eq!(info.remittance, format!("{full}Z"));
    }
}
