//! Keys → actions, per screen, with a description for each binding in both languages.
//! The defaults are `config/keymap.toml` (compiled in); a user file laid over them rebinds
//! actions. The help screen and the bottom key bar are built from the same entries.

use super::action::Action;
pub use super::keys::{Key, KeyPress};
use crate::locale::Language;
use serde::Deserialize;

pub const DEFAULT_KEYMAP: &str = include_str!("../../config/keymap.toml");

/// Which set of bindings applies. A screen looks in its own context, then `list` (for the
/// screens with a selectable list), then `global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    List,
    Overview,
    Receivables,
    Signals,
    Queue,
    Forecast,
    Matching,
    Imports,
    Customer,
    Invoice,
}

impl Context {
    pub const ALL: [Context; 11] = [
        Context::Global,
        Context::List,
        Context::Overview,
        Context::Receivables,
        Context::Signals,
        Context::Queue,
        Context::Forecast,
        Context::Matching,
        Context::Imports,
        Context::Customer,
        Context::Invoice,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Overview => "overview",
            Context::Receivables => "receivables",
            Context::Signals => "signals",
            Context::Queue => "queue",
            Context::Forecast => "forecast",
            Context::Matching => "matching",
            Context::Imports => "imports",
            Context::Customer => "customer",
            Context::Invoice => "invoice",
        }
    }

    /// The contexts searched for a screen, most specific first.
    pub fn chain(self) -> Vec<Context> {
        match self {
            Context::Global | Context::List => vec![self, Context::Global],
            _ => vec![self, Context::List, Context::Global],
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    keys: Vec<String>,
    action: Action,
    en: String,
    fr: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub keys: Vec<KeyPress>,
    pub action: Action,
    pub en: String,
    pub fr: String,
}

impl Binding {
    pub fn description(&self, lang: Language) -> &str {
        lang.pick(&self.fr, &self.en)
    }

    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(KeyPress::label)
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    sections: Vec<(Context, Vec<Binding>)>,
}

impl Keymap {
    pub fn defaults() -> Keymap {
        match Keymap::from_layers(&[("config/keymap.toml", DEFAULT_KEYMAP)]) {
            Ok(k) => k,
            // Tested to parse; reaching this is a build defect.
            Err(e) => unreachable!("built-in config/keymap.toml is invalid: {e}"),
        }
    }

    /// The defaults with the user's file over them: a user entry replaces the default entries
    /// of the same action in the same section, and wins any key it shares with them.
    pub fn from_layers(layers: &[(&str, &str)]) -> Result<Keymap, String> {
        let mut sections: Vec<(Context, Vec<Binding>)> =
            Context::ALL.iter().map(|c| (*c, Vec::new())).collect();
        for (file, text) in layers {
            let table: toml::Table = toml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
            for (name, value) in table {
                let Some(context) = Context::ALL.iter().find(|c| c.name() == name) else {
                    return Err(format!(
                        "{file}: [{name}] is not a keymap section (known: {})",
                        Context::ALL.map(|c| c.name()).join(", ")
                    ));
                };
                let raw: Vec<RawEntry> = value
                    .try_into()
                    .map_err(|e: toml::de::Error| format!("{file}: [[{name}]]: {e}"))?;
                let mut layer = Vec::new();
                for entry in raw {
                    let keys = entry
                        .keys
                        .iter()
                        .map(|k| KeyPress::parse(k))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| format!("{file}: [[{name}]] {:?}: {e}", entry.action))?;
                    if keys.is_empty() {
                        return Err(format!("{file}: [[{name}]] {:?}: no key", entry.action));
                    }
                    layer.push(Binding {
                        keys,
                        action: entry.action,
                        en: entry.en,
                        fr: entry.fr,
                    });
                }
                if let Some((_, bindings)) = sections.iter_mut().find(|(c, _)| c == context) {
                    bindings.retain(|b| !layer.iter().any(|l| l.action == b.action));
                    layer.append(bindings);
                    *bindings = layer;
                }
            }
        }
        Ok(Keymap { sections })
    }

    pub fn bindings(&self, context: Context) -> &[Binding] {
        self.sections
            .iter()
            .find(|(c, _)| *c == context)
            .map(|(_, b)| b.as_slice())
            .unwrap_or(&[])
    }

    /// The action bound to `key` for a screen, searching its context chain.
    pub fn lookup(&self, context: Context, key: KeyPress) -> Option<Action> {
        context.chain().into_iter().find_map(|c| {
            self.bindings(c)
                .iter()
                .find(|b| b.keys.contains(&key))
                .map(|b| b.action)
        })
    }

    /// The first binding of `action` visible from `context`, for the key bar.
    pub fn binding_for(&self, context: Context, action: Action) -> Option<&Binding> {
        context
            .chain()
            .into_iter()
            .find_map(|c| self.bindings(c).iter().find(|b| b.action == action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_keymap_parses_and_binds_the_basics() {
        let k = Keymap::defaults();
        assert_eq!(
            k.lookup(Context::Queue, KeyPress::ch('j')),
            Some(Action::Down)
        );
        assert_eq!(
            k.lookup(Context::Queue, KeyPress::plain(Key::Down)),
            Some(Action::Down)
        );
        assert_eq!(
            k.lookup(Context::Overview, KeyPress::ch('q')),
            Some(Action::Quit)
        );
        assert_eq!(
            k.lookup(Context::Queue, KeyPress::ch('p')),
            Some(Action::Promise)
        );
        assert_eq!(
            k.lookup(Context::Global, KeyPress::parse("ctrl-c").unwrap()),
            Some(Action::Quit)
        );
    }

    #[test]
    fn every_entry_has_both_descriptions() {
        let k = Keymap::defaults();
        for c in Context::ALL {
            for b in k.bindings(c) {
                assert!(!b.en.trim().is_empty() && !b.fr.trim().is_empty(), "{b:?}");
            }
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_section() {
        let k = Keymap::defaults();
        for c in Context::ALL {
            let mut seen = std::collections::HashSet::new();
            for b in k.bindings(c) {
                for key in &b.keys {
                    assert!(
                        seen.insert(*key),
                        "{} bound twice in [{}]",
                        key.label(),
                        c.name()
                    );
                }
            }
        }
    }

    #[test]
    fn a_user_file_rebinds_an_action() {
        let k = Keymap::from_layers(&[
            ("config/keymap.toml", DEFAULT_KEYMAP),
            (
                "mine.toml",
                "[[queue]]\nkeys = [\"P\"]\naction = \"promise\"\nen = \"Promise\"\nfr = \"Promesse\"\n",
            ),
        ])
        .unwrap();
        assert_eq!(
            k.lookup(Context::Queue, KeyPress::ch('P')),
            Some(Action::Promise)
        );
        assert_eq!(k.lookup(Context::Queue, KeyPress::ch('p')), None);
    }

    #[test]
    fn mistakes_are_named() {
        let bad_section = Keymap::from_layers(&[(
            "k.toml",
            "[[queu]]\nkeys=[\"x\"]\naction=\"quit\"\nen=\"a\"\nfr=\"b\"\n",
        )]);
        assert!(bad_section.unwrap_err().contains("[queu]"));
        let bad_action = Keymap::from_layers(&[(
            "k.toml",
            "[[queue]]\nkeys=[\"x\"]\naction=\"fly\"\nen=\"a\"\nfr=\"b\"\n",
        )]);
        let err = bad_action.unwrap_err();
        assert!(err.contains("k.toml") && err.contains("fly"), "{err}");
        let bad_key = Keymap::from_layers(&[(
            "k.toml",
            "[[queue]]\nkeys=[\"hyper-x\"]\naction=\"quit\"\nen=\"a\"\nfr=\"b\"\n",
        )]);
        assert!(bad_key.unwrap_err().contains("hyper-x"));
    }
}
