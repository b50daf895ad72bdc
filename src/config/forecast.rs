//! The `[forecast]` settings and their `[[forecast.recurring]]` items.

use crate::domain::forecast::{
    DayRule, DelayModel, ForecastParams, OutflowKind, RecurringItem, Schedule,
};
use crate::domain::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashSet;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastSettings {
    #[serde(with = "rust_decimal::serde::str")]
    pub alert_threshold: Decimal,
    pub horizon_weeks: u32,
    pub daily_days: u32,
    pub min_history: u32,
    pub shrinkage: u32,
    pub history_months: u32,
    #[serde(with = "rust_decimal::serde::str")]
    pub doubtful_probability: Decimal,
    pub doubtful_after_days: u32,
    pub prudent_percentile: u8,
    pub prudent_biggest_debtors: usize,
    pub prudent_extra_days: u32,
    pub french_holidays: bool,
    pub payables_within_days: u32,
    #[serde(with = "rust_decimal::serde::str")]
    pub short_term_debt: Decimal,
    #[serde(default)]
    pub recurring: Vec<RecurringSetting>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    Weekly,
    #[default]
    Monthly,
    Quarterly,
    Yearly,
}

/// `day = 15` or `day = "last_working_day"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DaySetting {
    Day(i64),
    LastWorkingDay,
}

impl<'de> Deserialize<'de> for DaySetting {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = DaySetting;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a day of the month (1-31) or \"last_working_day\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<DaySetting, E> {
                Ok(DaySetting::Day(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<DaySetting, E> {
                Ok(DaySetting::Day(i64::try_from(v).unwrap_or(i64::MAX)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DaySetting, E> {
                match v.trim() {
                    "last_working_day" => Ok(DaySetting::LastWorkingDay),
                    other => Err(E::invalid_value(serde::de::Unexpected::Str(other), &self)),
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecurringSetting {
    pub name: String,
    pub kind: OutflowKind,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    #[serde(default)]
    pub day: Option<DaySetting>,
    #[serde(default)]
    pub frequency: Frequency,
    pub start: NaiveDate,
    #[serde(default)]
    pub end: Option<NaiveDate>,
}

impl RecurringSetting {
    fn schedule(&self, at: &str) -> Result<Schedule, String> {
        let rule = match self.day {
            Some(DaySetting::Day(n)) if (1..=31).contains(&n) => Some(DayRule::Day(n as u32)),
            Some(DaySetting::Day(n)) => {
                return Err(format!("{at}.day: {n} is not a day of the month (1-31)"));
            }
            Some(DaySetting::LastWorkingDay) => Some(DayRule::LastWorkingDay),
            None => None,
        };
        match (self.frequency, rule) {
            (Frequency::Weekly, None) => Ok(Schedule::Weekly),
            (Frequency::Weekly, Some(_)) => Err(format!(
                "{at}.day: a weekly item falls on its start date's weekday; remove 'day'"
            )),
            (_, None) => Err(format!(
                "{at}.day: missing; give a day of the month (1-31) or \"last_working_day\""
            )),
            (Frequency::Monthly, Some(r)) => Ok(Schedule::Monthly(r)),
            (Frequency::Quarterly, Some(r)) => Ok(Schedule::Quarterly(r)),
            (Frequency::Yearly, Some(r)) => Ok(Schedule::Yearly(r)),
        }
    }
}

impl ForecastSettings {
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=52).contains(&self.horizon_weeks) {
            return Err("forecast.horizon_weeks: must be between 1 and 52".into());
        }
        if self.daily_days > self.horizon_weeks * 7 {
            return Err(format!(
                "forecast.daily_days: {} is longer than the horizon ({} days)",
                self.daily_days,
                self.horizon_weeks * 7
            ));
        }
        if self.doubtful_probability < Decimal::ZERO || self.doubtful_probability > Decimal::ONE {
            return Err("forecast.doubtful_probability: must be between 0 and 1".into());
        }
        if !(50..=100).contains(&self.prudent_percentile) {
            return Err("forecast.prudent_percentile: must be between 50 and 100".into());
        }
        if self.prudent_extra_days > 365 {
            return Err("forecast.prudent_extra_days: at most 365".into());
        }
        if self.short_term_debt < Decimal::ZERO {
            return Err("forecast.short_term_debt: must not be negative".into());
        }
        let mut names = HashSet::new();
        for (i, item) in self.recurring.iter().enumerate() {
            let at = format!("forecast.recurring[{i}]");
            if item.name.trim().is_empty() {
                return Err(format!("{at}.name: must not be empty"));
            }
            if !names.insert(item.name.trim().to_lowercase()) {
                return Err(format!(
                    "{at}.name: '{}' is used twice; names must be unique (--drop uses them)",
                    item.name
                ));
            }
            if item.kind == OutflowKind::Supplier {
                return Err(format!(
                    "{at}.kind: 'supplier' is for imported supplier invoices; use payroll, rent, vat, social, loan or other"
                ));
            }
            if item.amount <= Decimal::ZERO {
                return Err(format!("{at}.amount: must be above zero"));
            }
            if item.end.is_some_and(|end| end < item.start) {
                return Err(format!("{at}.end: before the start date"));
            }
            item.schedule(&at)?;
        }
        Ok(())
    }

    /// The domain's parameters; `validate` has passed, so every schedule converts.
    pub fn params(&self, currency: Currency) -> ForecastParams {
        ForecastParams {
            currency,
            horizon_weeks: self.horizon_weeks,
            daily_days: self.daily_days,
            alert_threshold: self.alert_threshold,
            delays: DelayModel {
                min_history: self.min_history,
                shrinkage: self.shrinkage,
                prudent_percentile: self.prudent_percentile,
            },
            history_months: self.history_months,
            doubtful_probability: self.doubtful_probability,
            doubtful_after_days: i64::from(self.doubtful_after_days),
            prudent_biggest_debtors: self.prudent_biggest_debtors,
            prudent_extra_days: i64::from(self.prudent_extra_days),
            french_holidays: self.french_holidays,
            payables_within_days: i64::from(self.payables_within_days),
            short_term_debt: self.short_term_debt,
            recurring: self
                .recurring
                .iter()
                .filter_map(|r| {
                    Some(RecurringItem {
                        name: r.name.trim().to_string(),
                        kind: r.kind,
                        amount: r.amount,
                        schedule: r.schedule("").ok()?,
                        start: r.start,
                        end: r.end,
                    })
                })
                .collect(),
        }
    }
}
