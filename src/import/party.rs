//! Company identifiers as invoices and customer lists write them, and the customer code an
//! importer derives when the file has none. E-invoices (UBL, CII) and CSV lists name the
//! same customer in different ways; deriving the code from the SIREN first, then the VAT id,
//! then the name, sends the same company to the same row whatever the format.

use crate::import::text;
use unicode_normalization::UnicodeNormalization;

/// SIREN numbers carry a Luhn check digit; La Poste's is the one documented exception.
pub fn siren_is_valid(digits: &str) -> bool {
    digits.len() == 9
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "356000000" || luhn(digits))
}

fn luhn(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

fn digits_only(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-' && *c != '\u{a0}')
        .collect()
}

/// A SIREN from a company id, a SIRET (whose first nine digits are the SIREN) or a French
/// VAT id. `scheme` is the ISO 6523 scheme when the file gives one: 0002 is SIRENE, 0009
/// SIRET. Without a scheme, nine (or fourteen) digits are taken as French only when the
/// party is French or its country is unknown: a Norwegian organisation number also has nine
/// digits.
pub fn siren_from_id(raw: &str, scheme: Option<&str>, country: Option<&str>) -> Option<String> {
    let s = digits_only(raw);
    if let Some(siren) = siren_from_vat(&s) {
        return Some(siren);
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let scheme = scheme.map(str::trim).filter(|s| !s.is_empty());
    let french = match scheme {
        Some("0002") | Some("0009") => true,
        Some(_) => false,
        None => country.is_none_or(|c| c.trim().eq_ignore_ascii_case("FR")),
    };
    if !french {
        return None;
    }
    let siren = match s.len() {
        9 => s,
        14 => s[..9].to_string(),
        _ => return None,
    };
    siren_is_valid(&siren).then_some(siren)
}

/// The SIREN inside a French VAT id (`FR` + two-digit key + SIREN), when the key checks.
pub fn siren_from_vat(raw: &str) -> Option<String> {
    let vat = normalise_vat(raw)?;
    let rest = vat.strip_prefix("FR")?;
    if rest.len() != 11 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (key, siren) = rest.split_at(2);
    let n: u64 = siren.parse().ok()?;
    let want = (12 + 3 * (n % 97)) % 97;
    (key.parse::<u64>().ok() == Some(want) && siren_is_valid(siren)).then(|| siren.to_string())
}

/// Upper-case, without spaces, dots or dashes; `None` unless it starts with a two-letter
/// country prefix followed by 2–13 letters or digits.
pub fn normalise_vat(raw: &str) -> Option<String> {
    let s: String = digits_only(raw).to_uppercase();
    let b = s.as_bytes();
    let ok = (4..=15).contains(&b.len())
        && b[0].is_ascii_alphabetic()
        && b[1].is_ascii_alphabetic()
        && b[2..].iter().all(|c| c.is_ascii_alphanumeric());
    ok.then_some(s)
}

/// Upper-case ASCII letters and digits, runs joined by `-`: `Muster-Kunde GmbH` and
/// `MUSTER KUNDE GMBH` both give `MUSTER-KUNDE-GMBH`.
pub fn name_code(name: &str) -> String {
    let folded: String = text::clean(name)
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect();
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The code for a customer the file names without one: SIREN, else VAT id, else name.
pub fn derive_customer_code(siren: Option<&str>, vat_id: Option<&str>, name: &str) -> String {
    if let Some(s) = siren {
        return s.to_string();
    }
    if let Some(v) = vat_id {
        return v.to_string();
    }
    name_code(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siren_from_siret_vat_and_bare_digits() {
        assert_eq!(
            siren_from_id("787 878 784 00035", Some("0002"), None),
            Some("787878784".into())
        );
        assert_eq!(
            siren_from_id("552081317", None, Some("FR")),
            Some("552081317".into())
        );
        assert_eq!(
            siren_from_id("FR19787878784", None, None),
            Some("787878784".into())
        );
        assert_eq!(
            siren_from_vat("FR 19 787 878 784"),
            Some("787878784".into())
        );
    }

    #[test]
    fn foreign_and_broken_ids_are_not_sirens() {
        // Nine digits, but a Norwegian organisation number.
        assert_eq!(siren_from_id("987654321", None, Some("NO")), None);
        // Luhn fails.
        assert_eq!(siren_from_id("123456789", None, None), None);
        // Wrong VAT key.
        assert_eq!(siren_from_vat("FR44552081317"), None);
        assert_eq!(siren_from_id("0000000295", None, Some("BE")), None);
        assert_eq!(siren_from_id("552081317", Some("0088"), None), None);
    }

    #[test]
    fn vat_ids_are_normalised() {
        assert_eq!(
            normalise_vat("be 0000.000.295"),
            Some("BE0000000295".into())
        );
        assert_eq!(normalise_vat("12345"), None);
        assert_eq!(normalise_vat("FR"), None);
    }

    #[test]
    fn codes_prefer_siren_then_vat_then_name() {
        assert_eq!(
            derive_customer_code(Some("552081317"), Some("FR03552081317"), "X"),
            "552081317"
        );
        assert_eq!(
            derive_customer_code(None, Some("BE0000000295"), "X"),
            "BE0000000295"
        );
        assert_eq!(
            derive_customer_code(None, None, " Muster-Kunde  GmbH "),
            "MUSTER-KUNDE-GMBH"
        );
        assert_eq!(
            derive_customer_code(None, None, "Société Générale"),
            "SOCIETE-GENERALE"
        );
    }
}
