//! Loading the dunning policy (`config/policy.toml`) and the letter templates
//! (`config/templates/<lang>/<name>.txt`). Both are compiled in; a user's policy file
//! replaces the built-in one and a user's template folder overrides templates by name.
//! Everything is checked at load: an unknown key, a ladder going backwards, a template that
//! does not exist or uses an unknown variable is refused with the key and the file.

use crate::config::{ConfigError, DunningSettings};
use crate::domain::dunning::{Policy, PolicyFile};
use crate::domain::letters::{TemplateSet, Vars};
use crate::locale::Language;
use std::path::{Path, PathBuf};

pub const DEFAULT_POLICY: &str = include_str!("../config/policy.toml");

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(
            ($name,
             include_str!(concat!("../config/templates/fr/", $name, ".txt")),
             include_str!(concat!("../config/templates/en/", $name, ".txt"))),
        )*]
    };
}

/// (name, French text, English text)
pub const BUILTIN_TEMPLATES: &[(&str, &str, &str)] = builtin!(
    "courtesy_email",
    "reminder_email",
    "call_script",
    "call_script_firm",
    "call_script_escalation",
    "reminder_letter",
    "formal_notice",
    "small_claim_summary",
    "order_for_payment_summary",
);

/// The policy and the templates it names, checked together.
#[derive(Debug, Clone)]
pub struct Dunning {
    pub policy: Policy,
    pub templates: TemplateSet,
}

const LANGS: [(Language, &str); 2] = [(Language::Fr, "fr"), (Language::En, "en")];

/// Loads what the settings point to (empty paths: the built-in files).
pub fn load(settings: &DunningSettings) -> Result<Dunning, ConfigError> {
    let (file, text) = if settings.policy.trim().is_empty() {
        ("config/policy.toml".to_string(), DEFAULT_POLICY.to_string())
    } else {
        let path = PathBuf::from(&settings.policy);
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io {
            file: path.display().to_string(),
            source,
        })?;
        (path.display().to_string(), text)
    };
    let dir = (!settings.templates.trim().is_empty()).then(|| PathBuf::from(&settings.templates));
    load_from(&file, &text, dir.as_deref())
}

/// The built-in policy and templates.
pub fn builtin() -> Dunning {
    match load_from("config/policy.toml", DEFAULT_POLICY, None) {
        Ok(d) => d,
        // Tested below; reaching this is a build defect.
        Err(e) => unreachable!("built-in policy is invalid: {e}"),
    }
}

pub fn load_from(
    file: &str,
    text: &str,
    templates_dir: Option<&Path>,
) -> Result<Dunning, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        file: file.to_string(),
        message,
    };
    let parsed: PolicyFile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
    let policy = Policy::from_file(parsed).map_err(invalid)?;
    let templates = load_templates(templates_dir)?;
    for (key, name) in policy.template_names() {
        for (lang, code) in LANGS {
            if templates.get(lang, &name).is_none() {
                let looked = match templates_dir {
                    Some(dir) => format!(
                        "{} or the built-in templates",
                        dir.join(code).join(format!("{name}.txt")).display()
                    ),
                    None => format!("config/templates/{code}/{name}.txt"),
                };
                return Err(invalid(format!(
                    "{key}: template '{name}' not found (looked for {looked})"
                )));
            }
        }
    }
    // Render every template once with every known variable: an unknown one is refused now,
    // with its file and line, rather than on the day a letter is due.
    let sample = sample_vars();
    for (key, name) in policy.template_names() {
        for (lang, _) in LANGS {
            templates
                .render(lang, &name, &sample)
                .map_err(|e| invalid(format!("{key}: {e}")))?;
        }
    }
    Ok(Dunning { policy, templates })
}

fn load_templates(dir: Option<&Path>) -> Result<TemplateSet, ConfigError> {
    let mut set = TemplateSet::default();
    for (name, fr, en) in BUILTIN_TEMPLATES {
        set.insert(
            Language::Fr,
            name,
            format!("config/templates/fr/{name}.txt"),
            *fr,
        );
        set.insert(
            Language::En,
            name,
            format!("config/templates/en/{name}.txt"),
            *en,
        );
    }
    let Some(dir) = dir else {
        return Ok(set);
    };
    if !dir.is_dir() {
        return Err(ConfigError::Invalid {
            file: dir.display().to_string(),
            message: "dunning.templates: this folder does not exist".into(),
        });
    }
    for (lang, code) in LANGS {
        let sub = dir.join(code);
        let Ok(entries) = std::fs::read_dir(&sub) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("txt") {
                continue;
            }
            let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io {
                file: path.display().to_string(),
                source,
            })?;
            set.insert(lang, name, path.display().to_string(), text);
        }
    }
    Ok(set)
}

/// Every variable `letter_vars` provides, with a placeholder value.
fn sample_vars() -> Vars {
    use crate::domain::dunning::letter::{LetterInput, Sender, letter_vars};
    use crate::domain::dunning::queue::Contact;
    let dunning_level = crate::domain::dunning::Level {
        level: 1,
        offset_days: 1,
        channel: crate::domain::dunning::Channel::Email,
        template: String::new(),
        template_over_small_claim: None,
        script: None,
        owner: crate::domain::dunning::OwnerRole::Accounts,
    };
    let penalties = crate::config::Settings::defaults().penalties;
    let date = chrono::NaiveDate::MIN;
    letter_vars(&LetterInput {
        lang: Language::En,
        currency: crate::domain::money::Currency::EUR,
        sender: &Sender::default(),
        customer_name: "",
        customer_code: "",
        contact: &Contact::default(),
        level: &dunning_level,
        invoices: &[],
        claim: &Default::default(),
        date,
        deadline: date,
        penalties: &penalties,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_policy_and_templates_load() {
        let d = builtin();
        for (_, name) in d.policy.template_names() {
            assert!(d.templates.get(Language::Fr, &name).is_some(), "{name}");
        }
    }

    #[test]
    fn an_unknown_key_is_refused_naming_it_and_the_file() {
        let bad = DEFAULT_POLICY.replacen("promise_grace_days", "promise_grace", 1);
        let err = load_from("my-policy.toml", &bad, None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("my-policy.toml"), "{err}");
        assert!(err.contains("promise_grace"), "{err}");
    }

    #[test]
    fn a_negative_offset_after_the_due_date_is_refused() {
        let bad = DEFAULT_POLICY.replacen("offset_days = 15", "offset_days = -15", 1);
        let err = load_from("my-policy.toml", &bad, None)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("my-policy.toml"), "{err}");
        assert!(err.contains("ladders.default[3].offset_days"), "{err}");
    }

    #[test]
    fn a_missing_template_is_refused_naming_the_key_and_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("fr")).unwrap();
        let bad = DEFAULT_POLICY.replacen(
            "template = \"reminder_letter\"",
            "template = \"lettre_de_relance\"",
            1,
        );
        let err = load_from("my-policy.toml", &bad, Some(dir.path()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("my-policy.toml"), "{err}");
        assert!(err.contains("ladders.default[3].template"), "{err}");
        assert!(err.contains("lettre_de_relance.txt"), "{err}");
        // Once the file exists (in both languages), the policy loads.
        for lang in ["fr", "en"] {
            std::fs::create_dir_all(dir.path().join(lang)).unwrap();
            std::fs::write(
                dir.path().join(lang).join("lettre_de_relance.txt"),
                "{{greeting}}\n{{invoice_lines}}\n",
            )
            .unwrap();
        }
        let d = load_from("my-policy.toml", &bad, Some(dir.path())).unwrap();
        assert!(d.templates.get(Language::Fr, "lettre_de_relance").is_some());
    }

    #[test]
    fn a_template_with_an_unknown_variable_is_refused_with_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("en")).unwrap();
        std::fs::write(
            dir.path().join("en").join("reminder_letter.txt"),
            "Dear {{contact_name}},\nyou owe {{amount_due}}.\n",
        )
        .unwrap();
        let err = load_from("config/policy.toml", DEFAULT_POLICY, Some(dir.path()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("reminder_letter.txt, line 2"), "{err}");
        assert!(err.contains("amount_due"), "{err}");
    }
}
