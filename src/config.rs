//! Settings in layers: the defaults in `config/default.toml` (compiled in), then the user's
//! file, then command-line flags. Unknown keys are refused with their name and file.

use crate::domain::ageing::Buckets;
use crate::domain::money::Currency;
use crate::import::csv_profile::CsvProfile;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub general: General,
    pub ageing: AgeingSettings,
    pub bank: BankSettings,
    pub matching: MatchingSettings,
    pub import: ImportSettings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LanguageSetting {
    Auto,
    Fr,
    En,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct General {
    pub language: LanguageSetting,
    pub currency: Currency,
    pub default_terms_days: u32,
    pub company_name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeingSettings {
    pub buckets: Vec<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankSettings {
    pub stale_after_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchingSettings {
    pub max_combination: usize,
    pub min_suggestion_score: u8,
    #[serde(with = "rust_decimal::serde::str")]
    pub fee_tolerance: Decimal,
}

impl MatchingSettings {
    /// The settings as the matching rules take them.
    pub fn params(&self) -> crate::domain::matching::MatchParams {
        crate::domain::matching::MatchParams {
            max_combination: self.max_combination,
            min_suggestion_score: self.min_suggestion_score,
            fee_tolerance: self.fee_tolerance,
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportSettings {
    pub inbox: String,
    #[serde(default)]
    pub csv_profiles: Vec<CsvProfile>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("{file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
}

impl Settings {
    /// The compiled-in defaults.
    pub fn defaults() -> Settings {
        match Self::from_layers(&[("config/default.toml", DEFAULT_TOML)]) {
            Ok(s) => s,
            // The defaults are tested to parse; reaching this is a build defect.
            Err(e) => unreachable!("built-in config/default.toml is invalid: {e}"),
        }
    }

    /// Defaults overlaid with the file at `path`.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            file: path.display().to_string(),
            source,
        })?;
        Self::from_layers(&[
            ("config/default.toml", DEFAULT_TOML),
            (&path.display().to_string(), &text),
        ])
    }

    /// Merges TOML documents in order (later ones win, key by key) and validates the result.
    pub fn from_layers(layers: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let mut merged = toml::Table::new();
        let mut last_file = "config/default.toml".to_string();
        for (file, text) in layers {
            let table: toml::Table = toml::from_str(text).map_err(|e| ConfigError::Invalid {
                file: file.to_string(),
                message: e.to_string(),
            })?;
            merge(&mut merged, table);
            last_file = file.to_string();
        }
        let settings: Settings =
            toml::Value::Table(merged)
                .try_into()
                .map_err(|e: toml::de::Error| ConfigError::Invalid {
                    file: last_file.clone(),
                    message: e.to_string(),
                })?;
        settings
            .validate()
            .map_err(|message| ConfigError::Invalid {
                file: last_file,
                message,
            })?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), String> {
        Buckets::new(self.ageing.buckets.clone()).map_err(|e| format!("ageing.buckets: {e}"))?;
        if self.matching.fee_tolerance < Decimal::ZERO {
            return Err("matching.fee_tolerance: must not be negative".into());
        }
        if !(1..=8).contains(&self.matching.max_combination) {
            return Err(
                "matching.max_combination: must be between 1 and 8 (the search grows fast beyond)"
                    .into(),
            );
        }
        if self.matching.min_suggestion_score > 100 {
            return Err("matching.min_suggestion_score: must be between 0 and 100".into());
        }
        Ok(())
    }

    pub fn buckets(&self) -> Buckets {
        Buckets::new(self.ageing.buckets.clone()).unwrap_or_default()
    }

    /// The inbox folder: the configured one, else `inbox` beside the database.
    pub fn inbox_dir(&self, db_path: &Path) -> PathBuf {
        if self.import.inbox.trim().is_empty() {
            db_path
                .parent()
                .unwrap_or_else(|| Path::new("."))
                .join("inbox")
        } else {
            PathBuf::from(&self.import.inbox)
        }
    }
}

fn merge(base: &mut toml::Table, overlay: toml::Table) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let s = Settings::defaults();
        assert_eq!(s.general.default_terms_days, 30);
        assert_eq!(s.ageing.buckets, [30, 60, 90]);
    }

    #[test]
    fn user_file_overrides_one_key() {
        let s = Settings::from_layers(&[
            ("config/default.toml", DEFAULT_TOML),
            ("mine.toml", "[general]\ndefault_terms_days = 45\n"),
        ])
        .unwrap();
        assert_eq!(s.general.default_terms_days, 45);
        assert_eq!(s.general.currency, Currency::EUR);
    }

    #[test]
    fn a_misspelt_key_is_named_with_its_file() {
        let err = Settings::from_layers(&[
            ("config/default.toml", DEFAULT_TOML),
            ("mine.toml", "[general]\ndefault_term_days = 45\n"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("mine.toml"), "{err}");
        assert!(err.contains("default_term_days"), "{err}");
    }

    #[test]
    fn matching_settings_are_checked() {
        let err = Settings::from_layers(&[
            ("config/default.toml", DEFAULT_TOML),
            ("mine.toml", "[matching]\nmax_combination = 30\n"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("matching.max_combination"), "{err}");
        let p = Settings::defaults().matching.params();
        assert_eq!(p.max_combination, 4);
        assert_eq!(p.fee_tolerance, rust_decimal::Decimal::new(200, 2));
    }

    #[test]
    fn bad_buckets_are_refused() {
        let err = Settings::from_layers(&[
            ("config/default.toml", DEFAULT_TOML),
            ("mine.toml", "[ageing]\nbuckets = [60, 30]\n"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("ageing.buckets"), "{err}");
    }
}
