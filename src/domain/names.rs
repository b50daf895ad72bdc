//! Comparing a bank line's counterparty name with a customer's name: "SARL BOULANGERIE
//! MARTIN" on the statement is "Boulangerie Martin" in the books.

use unicode_normalization::UnicodeNormalization;

/// Words that say what kind of company it is, not which one.
const NOISE: &[&str] = &[
    "SA",
    "SAS",
    "SASU",
    "SARL",
    "EURL",
    "SNC",
    "SCI",
    "SCP",
    "SCM",
    "SELARL",
    "SELAS",
    "SCOP",
    "SCA",
    "GIE",
    "EI",
    "EIRL",
    "STE",
    "SOCIETE",
    "ETS",
    "ETABLISSEMENTS",
    "CIE",
    "GMBH",
    "AG",
    "LTD",
    "LIMITED",
    "BV",
    "NV",
    "SRL",
    "SPA",
    "SL",
    "INC",
    "LLC",
    "PLC",
    "ET",
    "THE",
];

/// Upper-case ASCII words without accents, punctuation or legal forms, joined by one space.
pub fn name_key(name: &str) -> String {
    let folded: String = name
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                ' '
            }
        })
        .collect();
    folded
        .split_whitespace()
        // Single letters are what is left of "S.A.S." or "& C°", never a name.
        .filter(|w| w.len() > 1 && !NOISE.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when the customer's key appears as whole words in the counterparty's key. Short
/// keys must match exactly: "MARTIN" alone is too common to find inside a longer name.
pub fn looks_like(counterparty_key: &str, customer_key: &str) -> bool {
    if customer_key.is_empty() || counterparty_key.is_empty() {
        return false;
    }
    if counterparty_key == customer_key {
        return true;
    }
    if customer_key.len() < 8 || !customer_key.contains(' ') {
        return false;
    }
    let padded = format!(" {counterparty_key} ");
    padded.contains(&format!(" {customer_key} "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_drop_accents_punctuation_and_legal_forms() {
        assert_eq!(name_key("SARL Boulangerie Martin"), "BOULANGERIE MARTIN");
        assert_eq!(
            name_key("Électricité Dupré & Fils, S.A.S."),
            "ELECTRICITE DUPRE FILS"
        );
        assert_eq!(name_key("  Hôtel   du Lac "), "HOTEL DU LAC");
    }

    #[test]
    fn looks_like_needs_whole_words() {
        let customer = name_key("Boulangerie Martin");
        assert!(looks_like(&name_key("BOULANGERIE MARTIN SARL"), &customer));
        assert!(looks_like(&name_key("VIR BOULANGERIE MARTIN"), &customer));
        assert!(!looks_like(&name_key("BOULANGERIE MARTINEZ"), &customer));
        assert!(!looks_like(&name_key("JEAN MARTIN"), &name_key("Martin")));
        assert!(looks_like(&name_key("Martin"), &name_key("MARTIN")));
    }
}
