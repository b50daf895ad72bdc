//! A suggestion's score components in a person's words, in either language: the cockpit lists
//! them one per line with their points, the command line joins them into a reason. The
//! thresholds mirror the scoring in `suggest.rs`.

use super::ScoreComponents;
use crate::locale::Language;

/// Each component with its points and what it means, in the order reference, amount, payer,
/// date. Every component is listed, even at zero points: a missing reference is part of why.
pub fn component_words(k: ScoreComponents, lang: Language) -> [(u8, &'static str); 4] {
    let reference = match k.reference {
        r if r >= 40 => lang.pick("numéro dans la référence", "its number is in the reference"),
        r if r >= 30 => lang.pick(
            "numéro dans le libellé, avec d'autres",
            "its number is in the text, as another's is",
        ),
        r if r >= 20 => lang.pick(
            "nombre court dans le libellé",
            "a short number in the text matches it",
        ),
        _ => lang.pick("aucune référence trouvée", "no reference found"),
    };
    let amount = match k.amount {
        30 => lang.pick("même montant", "same amount"),
        27 => lang.pick(
            "montant moins l'escompte",
            "amount less its early-payment discount",
        ),
        25 => lang.pick(
            "montant à la tolérance près",
            "amount within the fee tolerance",
        ),
        _ => lang.pick("montant différent", "a different amount"),
    };
    let payer = match k.payer {
        20 => lang.pick("payé par le client", "paid by the customer"),
        10 => lang.pick("payeur possible", "the payer may be the customer"),
        _ => lang.pick("payeur non reconnu", "payer not recognised"),
    };
    let date = if k.date >= 10 {
        lang.pick("date habituelle", "dated as usual")
    } else {
        lang.pick("date inhabituelle", "dated oddly for this invoice")
    };
    [
        (k.reference, reference),
        (k.amount, amount),
        (k.payer, payer),
        (k.date, date),
    ]
}

/// The components worth saying in a one-line reason: a reference or a payer that scored, the
/// amount always, the date only when it is odd.
pub fn reason(k: ScoreComponents, lang: Language) -> String {
    let [reference, amount, payer, date] = component_words(k, lang);
    let mut parts = Vec::with_capacity(4);
    if k.reference >= 20 {
        parts.push(reference.1);
    }
    parts.push(amount.1);
    if k.payer > 0 {
        parts.push(payer.1);
    }
    if k.date < 10 {
        parts.push(date.1);
    }
    parts.join(lang.pick(" ; ", "; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(reference: u8, amount: u8, payer: u8, date: u8) -> ScoreComponents {
        ScoreComponents {
            reference,
            amount,
            payer,
            date,
        }
    }

    #[test]
    fn every_component_is_worded_in_both_languages() {
        let fr = component_words(k(40, 30, 20, 10), Language::Fr);
        assert_eq!(fr[0], (40, "numéro dans la référence"));
        assert_eq!(fr[3], (10, "date habituelle"));
        let en = component_words(k(0, 12, 0, 4), Language::En);
        assert_eq!(
            en.map(|(_, w)| w),
            [
                "no reference found",
                "a different amount",
                "payer not recognised",
                "dated oddly for this invoice"
            ]
        );
    }

    #[test]
    fn the_reason_keeps_what_scored_and_an_odd_date() {
        assert_eq!(
            reason(k(30, 27, 10, 6), Language::Fr),
            "numéro dans le libellé, avec d'autres ; montant moins l'escompte ; payeur possible ; date inhabituelle"
        );
        assert_eq!(reason(k(0, 30, 0, 10), Language::En), "same amount");
    }
}
