//! Payer names as comparable keys. Banks and accounting exports write the same company as
//! "E.LECLERC CARPENTRAS", "LECLERC CARPENTRAS" or "SAS E. Leclerc Carpentr" (cut at 18 or
//! 35 characters): the key keeps only the words that tell companies apart.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Legal forms, articles and bank wording that say nothing about who pays.
const NOISE: &[&str] = &[
    // legal forms
    "SA",
    "SAS",
    "SASU",
    "SARL",
    "EURL",
    "SNC",
    "SCI",
    "SCP",
    "SCOP",
    "SCA",
    "SELARL",
    "SELAS",
    "EI",
    "EIRL",
    "GIE",
    "ETS",
    "ETABLISSEMENTS",
    "ETABLISSEMENT",
    "STE",
    "SOCIETE",
    "CIE",
    "GMBH",
    "AG",
    "LTD",
    "LIMITED",
    "INC",
    "LLC",
    "BV",
    "NV",
    "SPA",
    "SRL",
    "SL",
    "PLC",
    // articles and linking words
    "LE",
    "LA",
    "LES",
    "DE",
    "DU",
    "DES",
    "ET",
    "AND",
    "THE",
    "OF",
    "AU",
    "AUX",
    // bank wording around a name
    "VIR",
    "VIREMENT",
    "SEPA",
    "RECU",
    "EMIS",
    "INST",
    "INSTANTANE",
    "PRLV",
    "PRELEVEMENT",
    "FROM",
    "PAR",
    "CHEZ",
    "CB",
    "TRANSFER",
    "CREDIT",
];

fn is_noise(word: &str) -> bool {
    NOISE.contains(&word)
}

/// Upper-case words without accents, legal forms, articles, bank wording or lone letters,
/// joined by one space. Empty when nothing distinctive is left.
pub fn name_key(raw: &str) -> String {
    let folded = fold(raw);
    let mut out = String::with_capacity(folded.len());
    for word in distinctive(&folded) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn distinctive(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 1 && w.chars().nth(1).is_some() && !is_noise(w))
}

/// The distinctive words of a name, in order.
pub(super) fn name_words(raw: &str) -> Vec<String> {
    distinctive(&fold(raw)).map(str::to_string).collect()
}

/// Upper case, accents removed (é → E, ß kept), so that "Société Générale" = "SOCIETE GENERALE".
fn fold(raw: &str) -> String {
    if raw.is_ascii() {
        return raw.to_ascii_uppercase();
    }
    raw.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_uppercase)
        .collect()
}

/// A key that survives truncation of the last word: "CHAMP GARRIGUES" and "CHAMP GARR"
/// both give "CHAMP GAR". Only for names of two words or more, where the first words
/// carry enough to tell companies apart.
pub(super) fn loose_key(key: &str) -> Option<String> {
    let (head, last) = key.rsplit_once(' ')?;
    let cut: String = last.chars().take(3).collect();
    if cut.chars().count() < 3 {
        return None;
    }
    Some(format!("{head} {cut}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_drop_forms_articles_and_lone_letters() {
        let cases = [
            ("E.LECLERC CARPENTR", "LECLERC CARPENTR"),
            ("LECLERC CARPENTRAS", "LECLERC CARPENTRAS"),
            ("LA FLEUR DES SABLES", "FLEUR SABLES"),
            ("FLEUR DES SABLES - F", "FLEUR SABLES"),
            ("SAS Champ des Garrigues", "CHAMP GARRIGUES"),
            ("Société Générale", "GENERALE"),
            ("VIR SEPA RECU ACME SARL", "ACME"),
            ("U EXPRESS ALTHEN L", "EXPRESS ALTHEN"),
            ("U EXPRESS ALTHEN LES", "EXPRESS ALTHEN"),
            ("Müller GmbH", "MULLER"),
            ("", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(name_key(raw), want, "{raw}");
        }
    }

    #[test]
    fn loose_keys_survive_truncation() {
        assert_eq!(loose_key("CHAMP GARRIGUES").as_deref(), Some("CHAMP GAR"));
        assert_eq!(loose_key("CHAMP GARR").as_deref(), Some("CHAMP GAR"));
        assert_eq!(loose_key("TOCO"), None);
        assert_eq!(loose_key("ACME GA"), None);
    }
}
