//! Import refusals, hints and warnings in the reader's language.
//!
//! The readers write them in English, which is also how the database keeps them
//! (`import_rejections`, the event log): a parser does not know who will read its message,
//! and one stored refusal may be read by a French colleague in the cockpit and by an
//! English one in a shell. Each place that shows one to a person renders it here. The
//! French catalogue (`refusals_fr`) pairs each English template, every value the reader put
//! in written `{}`, with its French template; a text that no template matches is shown as it
//! was written, so a message added to a reader without its French is never lost, only left
//! in English (a test lists the readers' messages that lack one).

use super::Language;
use crate::domain::model::SourceLocation;
use crate::import::{ImportError, ImportWarning};
use std::borrow::Cow;
use std::sync::OnceLock;

/// A catalogue entry, parsed once.
struct Template {
    /// The English text around the values: one more piece than there are values.
    pieces: Vec<&'static str>,
    french: &'static str,
    /// Letters in `pieces`: the more the template says, the sooner it is tried, so that a
    /// general template ("{} is not a date") never takes a text a more precise one fits.
    literal_len: usize,
}

fn templates() -> &'static [Template] {
    static PARSED: OnceLock<Vec<Template>> = OnceLock::new();
    PARSED.get_or_init(|| {
        let mut all: Vec<Template> = super::refusals_fr::entries()
            .map(|(english, french)| {
                let pieces: Vec<&'static str> = english.split("{}").collect();
                Template {
                    literal_len: pieces.iter().map(|p| p.len()).sum(),
                    pieces,
                    french,
                }
            })
            .collect();
        all.sort_by_key(|t| std::cmp::Reverse(t.literal_len));
        all
    })
}

/// The values of `text` if it is `pieces` with a value between each two: literal pieces
/// are found left to right, each value ending where the next piece first appears, the last
/// running to the final piece, which ends the text.
fn values<'t>(pieces: &[&str], text: &'t str) -> Option<Vec<&'t str>> {
    let (first, rest) = pieces.split_first()?;
    let Some((last, middle)) = rest.split_last() else {
        return (text == *first).then(Vec::new);
    };
    let mut at = text.strip_prefix(first)?;
    let mut found = Vec::with_capacity(rest.len());
    for piece in middle {
        let end = at.find(piece)?;
        found.push(&at[..end]);
        at = &at[end + piece.len()..];
    }
    found.push(at.strip_suffix(last)?);
    Some(found)
}

/// `french` with its placeholders filled: `{}` takes the next value, `{N}` value N.
fn fill(french: &str, values: &[&str]) -> String {
    let mut out =
        String::with_capacity(french.len() + values.iter().map(|v| v.len()).sum::<usize>());
    let mut next = 0;
    let mut rest = french;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inside = &after[..close];
        let index = if inside.is_empty() {
            next += 1;
            Some(next - 1)
        } else {
            inside.parse::<usize>().ok()
        };
        match index.and_then(|i| values.get(i)) {
            Some(value) => out.push_str(value),
            // Not a placeholder (a literal brace in the text): kept as written.
            None => out.push_str(&rest[open..open + 2 + close]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A refusal's message, a hint or a warning, as written by the reader, in `lang`.
pub fn text(english: &str, lang: Language) -> Cow<'_, str> {
    if lang == Language::En {
        return Cow::Borrowed(english);
    }
    for template in templates() {
        if let Some(found) = values(&template.pieces, english) {
            return Cow::Owned(fill(template.french, &found));
        }
    }
    Cow::Borrowed(english)
}

/// The English side of every catalogue entry.
pub fn catalogue_english() -> impl Iterator<Item = &'static str> {
    super::refusals_fr::entries().map(|(english, _)| english)
}

/// A field's name in `lang`: the few names a reader writes itself (when the file's column has no name of its
/// own); the others are the file's own column names and tags, shown as the file has them.
const FIELDS_FR: &[(&str, &str)] = &[
    ("amount", "montant"),
    ("prepaid", "acompte"),
    ("customer", "client"),
    ("number", "numéro"),
    ("record", "enregistrement"),
    ("credit limit", "plafond de crédit"),
    ("insurer limit", "limite de l'assureur"),
    ("opening", "solde d'ouverture"),
    ("closing", "solde de clôture"),
];

pub fn field_name(name: &str, lang: Language) -> &str {
    match lang {
        Language::Fr => FIELDS_FR
            .iter()
            .find(|(en, _)| *en == name)
            .map_or(name, |(_, fr)| fr),
        Language::En => name,
    }
}

/// Where in the file, in `lang`: "line 12" / "ligne 12"; an XML path as it is.
pub fn location(place: &SourceLocation, lang: Language) -> String {
    match (place, lang) {
        (SourceLocation::Unknown, Language::Fr) => "(endroit inconnu)".into(),
        (SourceLocation::Line(n), Language::Fr) => format!("ligne {n}"),
        _ => place.to_string(),
    }
}

/// The whole refusal on one line, as `ImportError`'s own display gives it in English:
/// `FILE: line 12, field 'Montant': "12,3x" is not an amount. Fix the value…`.
pub fn refusal(error: &ImportError, lang: Language) -> String {
    if lang == Language::En {
        return error.to_string();
    }
    let mut out = String::new();
    if let Some(file) = &error.file {
        out.push_str(file);
        out.push_str(" : ");
    }
    out.push_str(&location(&error.location, lang));
    if let Some(name) = &error.field {
        out.push_str(&format!(", champ « {} »", field_name(name, lang)));
    }
    out.push_str(" : ");
    out.push_str(&text(&error.message, lang));
    if let Some(hint) = &error.hint {
        out.push_str(". ");
        out.push_str(&text(hint, lang));
    }
    out
}

/// A warning of an import that went through, on one line.
pub fn warning(warning: &ImportWarning, lang: Language) -> String {
    let separator = lang.pick(" : ", ": ");
    format!(
        "{}{separator}{}",
        location(&warning.location, lang),
        text(&warning.message, lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_between_the_literal_pieces() {
        let pieces: Vec<&str> = "the amount {} of line {} is not {} cents"
            .split("{}")
            .collect();
        assert_eq!(
            values(&pieces, "the amount \"12,3x\" of line 4 is not 12 cents"),
            Some(vec!["\"12,3x\"", "4", "12"])
        );
        assert_eq!(values(&pieces, "the amount 3 of line 4 is not 12"), None);
        assert_eq!(
            values(&pieces, "an amount 3 of line 4 is not 12 cents"),
            None
        );
        // A template without values matches its own text only.
        assert_eq!(
            values(&["the file is empty"], "the file is empty"),
            Some(vec![])
        );
        assert_eq!(values(&["the file is empty"], "the file is empty!"), None);
        // A value at either end.
        let pieces: Vec<&str> = "{} is not a date".split("{}").collect();
        assert_eq!(
            values(&pieces, "'31/02' is not a date"),
            Some(vec!["'31/02'"])
        );
        let pieces: Vec<&str> = "unknown currency {}".split("{}").collect();
        assert_eq!(values(&pieces, "unknown currency XYZ"), Some(vec!["XYZ"]));
    }

    #[test]
    fn french_places_the_values_in_order_or_by_number() {
        assert_eq!(fill("{} puis {}", &["a", "b"]), "a puis b");
        assert_eq!(fill("{1} avant {0}", &["a", "b"]), "b avant a");
        // A brace that is not a placeholder stays.
        assert_eq!(fill("clé {x} : {}", &["a"]), "clé {x} : a");
        assert_eq!(fill("ouvert { seulement", &[]), "ouvert { seulement");
    }

    #[test]
    fn english_is_shown_as_written_and_an_unknown_text_too() {
        assert_eq!(text("the file is empty", Language::En), "the file is empty");
        let unknown = "a message no catalogue has heard of";
        assert_eq!(text(unknown, Language::Fr), unknown);
    }

    #[test]
    fn a_refusal_reads_in_french_frame_and_all() {
        let error = ImportError::at_line(12, "the file is empty")
            .field("Montant")
            .in_file("factures.csv");
        let french = refusal(&error, Language::Fr);
        assert!(
            french.starts_with("factures.csv : ligne 12, champ « Montant » : "),
            "{french}"
        );
        assert!(!french.contains("the file is empty"), "{french}");
        assert_eq!(refusal(&error, Language::En), error.to_string());
    }

    /// Every entry: values on both sides agree, no two values touch (they could not be told
    /// apart), no English template is given twice, each says something besides its values,
    /// and a text made from the English template with made-up values comes out as the French
    /// template with the same values.
    #[test]
    fn every_entry_round_trips() {
        let mut seen = std::collections::HashSet::new();
        for (english, french) in super::super::refusals_fr::entries() {
            assert!(seen.insert(english), "given twice: {english:?}");
            let count = english.matches("{}").count();
            assert!(!english.contains("{}{}"), "values touch: {english:?}");
            assert!(
                english.replace("{}", "").chars().any(char::is_alphabetic),
                "only values: {english:?}"
            );
            let made_up: Vec<String> = (0..count).map(|i| format!("«v{i}»")).collect();
            let refs: Vec<&str> = made_up.iter().map(String::as_str).collect();
            let mut sample = String::new();
            for (i, piece) in english.split("{}").enumerate() {
                if i > 0 {
                    sample.push_str(&made_up[i - 1]);
                }
                sample.push_str(piece);
            }
            let rendered = text(&sample, Language::Fr);
            assert!(
                !rendered.contains("{}") && !rendered.contains("{0}"),
                "{english:?} → {rendered:?}: a placeholder left"
            );
            // A more precise template may win for this sample: it must then still have
            // used every value.
            for value in &made_up {
                assert!(
                    rendered.contains(value.as_str()),
                    "{english:?} → {rendered:?} lost {value}"
                );
            }
            if rendered != fill(french, &refs) {
                // Only allowed when another entry fits the sample better.
                let better = templates()
                    .iter()
                    .find(|t| values(&t.pieces, &sample).is_some())
                    .map(|t| t.pieces.join("{}"));
                assert_ne!(
                    better.as_deref(),
                    Some(english),
                    "{english:?} → {rendered:?}"
                );
            }
        }
    }
}
