//! Reading bank text: words of letters and digits, normalised like
//! `text::normalise_reference`, joined into the candidate invoice numbers they could spell;
//! plus the compact and RF forms of references.

use super::hashing::{Fnv, Hashed};
#[cfg(test)]
use crate::import::text::normalise_reference;

/// Length in bytes of the leading letters of a key, when digits follow them.
pub(super) fn letter_prefix_len(key: &str) -> Option<usize> {
    let pos = key.find(|c: char| !c.is_alphabetic())?;
    (pos > 0 && key[pos..].starts_with(|c: char| c.is_ascii_digit())).then_some(pos)
}

fn compact_chars(raw: &str) -> impl Iterator<Item = char> + '_ {
    raw.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
}

/// Upper-case alphanumerics, zeros kept: the form a structured reference is compared in
/// when its digit groups are cut differently ("+++010/6766/09538+++" vs "010676609538").
pub(super) fn compact(raw: &str) -> String {
    compact_chars(raw).collect()
}

/// `compact(raw) == parts.concat()`, without building either.
pub(super) fn compact_eq(raw: &str, parts: &[&str]) -> bool {
    if raw.is_ascii() {
        let mine = raw
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_uppercase());
        return mine.eq(parts.iter().flat_map(|p| p.bytes()));
    }
    compact_chars(raw).eq(parts.iter().flat_map(|p| p.chars()))
}

pub(super) fn hash_compact(raw: &str) -> Hashed {
    let mut h = Fnv::new();
    if raw.is_ascii() {
        for b in raw.bytes().filter(u8::is_ascii_alphanumeric) {
            h = h.bytes(&[b.to_ascii_uppercase()]);
        }
        return h.finish();
    }
    let mut buf = [0u8; 4];
    for c in compact_chars(raw) {
        h = h.bytes(c.encode_utf8(&mut buf).as_bytes());
    }
    h.finish()
}

/// Length in bytes and first two bytes of `compact(raw)`.
pub(super) fn compact_shape(raw: &str) -> (usize, [u8; 2]) {
    if raw.is_ascii() {
        let mut first = [0u8; 2];
        let mut len = 0;
        for b in raw.bytes().filter(u8::is_ascii_alphanumeric) {
            if len < 2 {
                first[len] = b.to_ascii_uppercase();
            }
            len += 1;
        }
        return (len, first);
    }
    let mut len = 0;
    let mut first = [0u8; 2];
    let mut buf = [0u8; 4];
    for c in compact_chars(raw) {
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            if len < 2 {
                first[len] = b;
            }
            len += 1;
        }
    }
    (len, first)
}

/// The reference inside an RF creditor reference (ISO 11649), when the check digits hold.
pub(super) fn rf_inner(compacted: &str) -> Option<&str> {
    let rest = compacted.strip_prefix("RF")?;
    if rest.len() < 3 || rest.len() > 23 || !rest.is_ascii() {
        return None;
    }
    let (check, inner) = rest.split_at(2);
    if !check.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut rem: u32 = 0;
    for c in inner.chars().chain("RF".chars()).chain(check.chars()) {
        let v = c.to_digit(36)?;
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    (rem == 1).then_some(inner)
}

/// Words that announce an invoice number: a short number right after one of them counts.
const KEYWORDS: &[&str] = &[
    "FACTURE",
    "FACTURES",
    "FACT",
    "FACTS",
    "FAC",
    "FA",
    "FCT",
    "FCTR",
    "FACTUUR",
    "INV",
    "INVOICE",
    "INVOICES",
    "RECHNUNG",
    "RECHNUNGSNR",
    "RG",
    "RE",
    "NR",
    "NO",
    "N",
    "NUM",
    "NUMERO",
    "REF",
    "REFERENCE",
];

#[derive(Debug, Clone, Copy)]
struct Atom {
    /// Place of the normalised word in the scan buffer.
    start: u32,
    end: u32,
    /// Place of the word in the original text.
    src_start: u32,
    src_end: u32,
    has_digit: bool,
}

/// One candidate reference read from the text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate<'a> {
    pub key: &'a str,
    /// Where the words it was read from sit in the original text (byte range).
    pub quote: (u32, u32),
    /// Preceded by a word like "facture" or "inv".
    pub announced: bool,
}

/// Reusable scratch space for reading candidate references out of bank text.
#[derive(Default)]
pub(super) struct TextScan {
    buf: String,
    atoms: Vec<Atom>,
    keyword_before: Vec<bool>,
}

/// Longest key worth looking up: invoice numbers are short.
const MAX_KEY_LEN: usize = 40;
/// Up to this many words joined: "FA 2024 000123" is three.
const MAX_JOIN: usize = 4;

impl TextScan {
    /// Cuts `text` into words of letters and digits, each normalised like
    /// `normalise_reference` (upper case, leading zeros of digit runs dropped).
    pub(super) fn scan(&mut self, text: &str) {
        self.buf.clear();
        self.atoms.clear();
        self.keyword_before.clear();
        let mut previous_was_keyword = false;
        let mut word_start: Option<usize> = None;
        let ends = text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')));
        for (pos, c) in ends {
            if c.is_alphanumeric() {
                word_start.get_or_insert(pos);
                continue;
            }
            let Some(from) = word_start.take() else {
                continue;
            };
            let start = self.buf.len();
            let has_digit = push_normalised(&mut self.buf, &text[from..pos]);
            let end = self.buf.len();
            self.atoms.push(Atom {
                start: start as u32,
                end: end as u32,
                src_start: from as u32,
                src_end: pos as u32,
                has_digit,
            });
            self.keyword_before.push(previous_was_keyword);
            previous_was_keyword = !has_digit && KEYWORDS.contains(&&self.buf[start..end]);
        }
    }

    /// Every run of 1..=4 consecutive words that could be an invoice number: it holds a
    /// digit; only its first word may be a letters-only prefix longer than three letters
    /// ("FACT 2024 12"), so sentences are not glued into keys.
    pub(super) fn candidates(&self, mut f: impl FnMut(Candidate<'_>)) {
        let n = self.atoms.len();
        for i in 0..n {
            let first = self.atoms[i];
            if !first.has_digit && first.end - first.start > 4 {
                continue;
            }
            let mut has_digit = false;
            for j in i..n.min(i + MAX_JOIN) {
                let atom = self.atoms[j];
                if j > i && !atom.has_digit && atom.end - atom.start > 3 {
                    break;
                }
                has_digit |= atom.has_digit;
                if (atom.end - first.start) as usize > MAX_KEY_LEN {
                    break;
                }
                if has_digit {
                    f(Candidate {
                        key: &self.buf[first.start as usize..atom.end as usize],
                        quote: (first.src_start, atom.src_end),
                        announced: self.keyword_before[i],
                    });
                }
            }
        }
    }
}

/// Appends `normalise_reference(word)` for a word of letters and digits only.
/// Returns whether it holds a digit.
fn push_normalised(buf: &mut String, word: &str) -> bool {
    let mut in_digits = false;
    let mut pending_zero = false;
    let mut digit = false;
    for c in word.chars() {
        if c.is_ascii_digit() {
            digit = true;
            if !in_digits && c == '0' {
                pending_zero = true;
                continue;
            }
            in_digits = true;
            pending_zero = false;
            buf.push(c);
        } else {
            if pending_zero {
                buf.push('0');
                pending_zero = false;
            }
            in_digits = false;
            if c.is_ascii() {
                buf.push(c.to_ascii_uppercase());
            } else {
                buf.extend(c.to_uppercase());
            }
        }
    }
    if pending_zero {
        buf.push('0');
    }
    digit
}

/// How much a reference found in text proves on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Strength {
    /// Needs the amount or the payer to agree before it is used.
    Weak,
    Strong,
}

/// A key with letters and digits of 4+ characters ("FA12", "FA2024123") is strong; so is a
/// long number (7+ digits) or a number of 3+ digits announced by "facture"/"inv"/"n°".
/// Anything shorter ("12", "2024", "A4") is weak: it matches a year, a quantity, a house
/// number, a paper size.
pub(super) fn strength(key: &str, announced: bool) -> Strength {
    let len = key.chars().count();
    let digits_only = key.bytes().all(|b| b.is_ascii_digit());
    let strong = if digits_only {
        len >= 7 || (announced && len >= 3)
    } else {
        len >= 4 || announced
    };
    if strong {
        Strength::Strong
    } else {
        Strength::Weak
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(String, bool)> {
        let mut scan = TextScan::default();
        scan.scan(text);
        let mut out = Vec::new();
        scan.candidates(|c| out.push((c.key.to_string(), c.announced)));
        out
    }

    #[test]
    fn scanning_normalises_like_normalise_reference() {
        for word in ["fa0012", "000123", "0", "F0", "2024", "Ré12", "A00B0"] {
            let mut buf = String::new();
            push_normalised(&mut buf, word);
            assert_eq!(buf, normalise_reference(word), "{word}");
        }
    }

    #[test]
    fn candidates_join_split_numbers_but_not_sentences() {
        let found = keys("VIREMENT ACME FACTURE FA 2024 000123 MERCI");
        let names: Vec<&str> = found.iter().map(|(k, _)| k.as_str()).collect();
        assert!(names.contains(&"FA2024123"), "{names:?}");
        assert!(names.contains(&"2024123"), "{names:?}");
        assert!(names.contains(&"123"), "{names:?}");
        assert!(!names.iter().any(|k| k.contains("ACME")), "{names:?}");
        assert!(!names.iter().any(|k| k.contains("MERCI")), "{names:?}");
        // "FA" follows "FACTURE": announced
        assert!(found.iter().any(|(k, a)| k == "FA2024123" && *a));
    }

    #[test]
    fn strength_rules() {
        assert_eq!(strength("FA2024123", false), Strength::Strong);
        assert_eq!(strength("12", false), Strength::Weak);
        assert_eq!(strength("12", true), Strength::Weak);
        assert_eq!(strength("123", true), Strength::Strong);
        assert_eq!(strength("2024", false), Strength::Weak);
        assert_eq!(strength("2024123", false), Strength::Strong);
        assert_eq!(strength("F12", false), Strength::Weak);
        assert_eq!(strength("FA12", false), Strength::Strong);
    }

    #[test]
    fn rf_references_are_checked() {
        assert_eq!(rf_inner("RF18539007547034"), Some("539007547034"));
        assert_eq!(rf_inner("RF19539007547034"), None);
        assert_eq!(rf_inner("FA2024"), None);
    }
}
