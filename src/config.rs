//! Settings in layers: the defaults in `config/default.toml` (compiled in), then the user's
//! file, then command-line flags. Unknown keys are refused with their name and file.

pub mod forecast;

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
    pub ui: UiSettings,
    pub forecast: forecast::ForecastSettings,
    pub figures: crate::domain::figures::FigureSettings,
    pub signals: crate::domain::signals::SignalSettings,
    pub penalties: crate::domain::penalties::PenaltySettings,
    pub dunning: DunningSettings,
    pub letters: LetterSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DunningSettings {
    /// Path of a policy file; empty: the built-in `config/policy.toml`.
    pub policy: String,
    /// Folder of `<lang>/<name>.txt` templates laid over the built-in ones; empty: none.
    pub templates: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterSettings {
    pub outbox: String,
    pub mail_command: String,
    pub sender_address: String,
    pub sender_email: String,
    pub sender_phone: String,
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
    /// Operating-system users who always open the database read-only.
    pub read_only_users: Vec<String>,
    /// How long an operator's claim on a customer of the call list lasts unless renewed.
    pub claim_minutes: u32,
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
    /// Whether the inbox (the cockpit's and `encours watch`) runs the automatic rules after
    /// the files of a scan are imported.
    pub after_import: bool,
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

    /// [`Self::params`], suggestion reasons written in `lang` (a write takes its actor's
    /// language instead: `store::Actor::speaking`).
    pub fn params_in(&self, lang: crate::locale::Language) -> crate::domain::matching::MatchParams {
        crate::domain::matching::MatchParams {
            lang,
            ..self.params()
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportSettings {
    pub inbox: String,
    pub watch_mode: WatchMode,
    pub poll_seconds: u64,
    pub stable_seconds: u64,
    pub stale_claim_minutes: u64,
    #[serde(default)]
    pub csv_profiles: Vec<CsvProfile>,
}

/// How the inbox notices new files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WatchMode {
    /// Events, unless the inbox is on a network filesystem (then polling).
    Auto,
    /// Change notifications (with a periodic full scan behind them).
    Events,
    /// A full scan every `poll_seconds`, nothing else.
    Poll,
}

/// The cockpit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiSettings {
    /// A keymap file laid over `config/keymap.toml`; empty: the defaults only.
    pub keymap: String,
    /// The log file; empty: `encours.log` beside the database.
    pub log_file: String,
    /// Seconds between checks for data written by someone else.
    pub tick_seconds: u32,
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
        if !(1..=60).contains(&self.ui.tick_seconds) {
            return Err("ui.tick_seconds: must be between 1 and 60".into());
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
        for user in &self.general.read_only_users {
            if user.trim().is_empty() || user.chars().any(char::is_whitespace) {
                return Err(format!(
                    "general.read_only_users: '{user}' is not a user name (no spaces, not empty)"
                ));
            }
        }
        if self.general.claim_minutes == 0 {
            return Err("general.claim_minutes: must be at least 1".into());
        }
        if self.import.poll_seconds == 0 || self.import.poll_seconds > 3600 {
            return Err("import.poll_seconds: must be between 1 and 3600".into());
        }
        if self.import.stable_seconds == 0 || self.import.stable_seconds > 600 {
            return Err("import.stable_seconds: must be between 1 and 600".into());
        }
        if !(1..=100_000).contains(&self.import.stale_claim_minutes) {
            return Err("import.stale_claim_minutes: must be between 1 and 100000".into());
        }
        self.forecast.validate()?;
        self.figures.validate()?;
        self.signals.validate()?;
        self.penalties.validate()?;
        Ok(())
    }

    /// Whether `user` must open the database read-only.
    pub fn is_read_only_user(&self, user: &str) -> bool {
        self.general.read_only_users.iter().any(|u| u == user)
    }

    pub fn buckets(&self) -> Buckets {
        Buckets::new(self.ageing.buckets.clone()).unwrap_or_default()
    }

    /// The cash forecast's parameters, in the company currency.
    pub fn forecast_params(&self) -> crate::domain::forecast::ForecastParams {
        self.forecast.params(self.general.currency)
    }

    /// The outbox folder for letters: the configured one, else `outbox` beside the database.
    pub fn outbox_dir(&self, db_path: &Path) -> PathBuf {
        if self.letters.outbox.trim().is_empty() {
            db_path
                .parent()
                .unwrap_or_else(|| Path::new("."))
                .join("outbox")
        } else {
            PathBuf::from(&self.letters.outbox)
        }
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

    fn with(user: &str) -> Result<Settings, ConfigError> {
        Settings::from_layers(&[("config/default.toml", DEFAULT_TOML), ("mine.toml", user)])
    }

    #[test]
    fn forecast_defaults_describe_the_demo_company() {
        use crate::domain::forecast::{DayRule, OutflowKind, Schedule};
        let p = Settings::defaults().forecast_params();
        assert_eq!((p.horizon_weeks, p.daily_days), (13, 30));
        assert_eq!(p.delays.prudent_percentile, 80);
        assert_eq!(p.prudent_extra_days, 30);
        let payroll = &p.recurring[0];
        assert_eq!(payroll.kind, OutflowKind::Payroll);
        assert_eq!(payroll.schedule, Schedule::Monthly(DayRule::LastWorkingDay));
        assert_eq!(payroll.amount, rust_decimal_macros::dec!(39250.00));
        assert_eq!(p.recurring[1].schedule, Schedule::Monthly(DayRule::Day(5)));
        assert_eq!(
            p.recurring.last().map(|r| r.schedule),
            Some(Schedule::Weekly)
        );
        // The domain's own defaults agree with the file, recurring items apart.
        let domain = crate::domain::forecast::ForecastParams {
            recurring: p.recurring.clone(),
            ..Default::default()
        };
        assert_eq!(domain, p);
    }

    #[test]
    fn a_user_list_of_recurring_items_replaces_the_default_one() {
        let s = with(
            "[[forecast.recurring]]\nname = \"Rent\"\nkind = \"rent\"\namount = \"900\"\nday = 1\nstart = \"2025-01-01\"\nfrequency = \"quarterly\"\n",
        )
        .unwrap();
        assert_eq!(s.forecast.recurring.len(), 1);
        assert_eq!(s.forecast.alert_threshold, rust_decimal_macros::dec!(20000));
        let s = with("[forecast]\nrecurring = []\n").unwrap();
        assert!(s.forecast_params().recurring.is_empty());
    }

    #[test]
    fn bad_forecast_settings_name_their_key() {
        let item = |extra: &str| {
            format!(
                "[[forecast.recurring]]\nname = \"X\"\nkind = \"other\"\namount = \"10\"\nstart = 2025-01-01\n{extra}"
            )
        };
        let cases = [
            (
                "[forecast]\nhorizon_weeks = 0\n".to_string(),
                "forecast.horizon_weeks",
            ),
            (
                "[forecast]\ndaily_days = 200\n".to_string(),
                "forecast.daily_days",
            ),
            (
                "[forecast]\ndoubtful_probability = \"1.5\"\n".to_string(),
                "forecast.doubtful_probability",
            ),
            (
                "[forecast]\nprudent_percentile = 20\n".to_string(),
                "forecast.prudent_percentile",
            ),
            (item("day = 32\n"), "forecast.recurring[0].day"),
            (item(""), "forecast.recurring[0].day"),
            (
                item("day = 3\nfrequency = \"weekly\"\n"),
                "forecast.recurring[0].day",
            ),
            (item("day = \"last_friday\"\n"), "last_working_day"),
            (
                item("day = 3\nend = 2024-01-01\n"),
                "forecast.recurring[0].end",
            ),
            (item("day = 3\nkind2 = 1\n"), "kind2"),
            (
                item("day = 3\n").replace("\"other\"", "\"supplier\""),
                "forecast.recurring[0].kind",
            ),
            (
                format!("{}{}", item("day = 3\n"), item("day = 4\n")),
                "forecast.recurring[1].name",
            ),
        ];
        for (text, key) in cases {
            let err = with(&text).unwrap_err().to_string();
            assert!(err.contains(key), "{key}: {err}");
        }
    }

    #[test]
    fn read_only_users_are_read_and_checked() {
        let s = Settings::from_layers(&[
            ("config/default.toml", DEFAULT_TOML),
            ("mine.toml", "[general]\nread_only_users = [\"alice\"]\n"),
        ])
        .unwrap();
        assert!(s.is_read_only_user("alice"));
        assert!(!s.is_read_only_user("bob"));
        let err = Settings::from_layers(&[
            ("config/default.toml", DEFAULT_TOML),
            ("mine.toml", "[general]\nread_only_users = [\"al ice\"]\n"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("general.read_only_users"), "{err}");
    }

    #[test]
    fn watch_settings_are_read_and_checked() {
        let s = Settings::from_layers(&[
            ("config/default.toml", DEFAULT_TOML),
            (
                "mine.toml",
                "[import]\nwatch_mode = \"poll\"\npoll_seconds = 30\n",
            ),
        ])
        .unwrap();
        assert_eq!(s.import.watch_mode, WatchMode::Poll);
        assert_eq!(s.import.poll_seconds, 30);
        let err = Settings::from_layers(&[
            ("config/default.toml", DEFAULT_TOML),
            ("mine.toml", "[import]\nstable_seconds = 0\n"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("import.stable_seconds"), "{err}");
        let err = Settings::from_layers(&[
            ("config/default.toml", DEFAULT_TOML),
            ("mine.toml", "[import]\nwatch_mode = \"inotify\"\n"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("inotify"), "{err}");
    }

    #[test]
    fn the_cockpit_tick_is_checked() {
        assert_eq!(Settings::defaults().ui.tick_seconds, 2);
        let err = Settings::from_layers(&[
            ("config/default.toml", DEFAULT_TOML),
            ("mine.toml", "[ui]\ntick_seconds = 0\n"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("ui.tick_seconds"), "{err}");
    }

    #[test]
    fn intelligence_sections_parse_and_validate() {
        let s = Settings::defaults();
        assert_eq!(s.figures.net_margin_percent, Decimal::from(10));
        assert_eq!(s.figures.france_average_days_late.to_string(), "12.6");
        assert_eq!(s.penalties.indemnity, Decimal::from(40));
        assert_eq!(s.signals.grade_bounds, [20, 45, 70]);
        let err = Settings::from_layers(&[
            ("config/default.toml", DEFAULT_TOML),
            ("mine.toml", "[signals.silence]\nattempt = 2\n"),
        ])
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("mine.toml") && err.contains("attempt"),
            "{err}"
        );
        let err = Settings::from_layers(&[
            ("config/default.toml", DEFAULT_TOML),
            (
                "mine.toml",
                "[penalties]\necb_rates = [{ from = \"2026-03-01\", rate = \"2\" }]\n",
            ),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("penalties.ecb_rates[0].from"), "{err}");
        let err = Settings::from_layers(&[
            ("config/default.toml", DEFAULT_TOML),
            ("mine.toml", "[figures]\nnet_margin_percent = \"0\"\n"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("figures.net_margin_percent"), "{err}");
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
