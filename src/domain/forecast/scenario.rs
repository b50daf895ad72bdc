//! Scenarios: when each receipt comes in, and how much of it.
//!
//! - expected: due date + the customer's expected delay; doubtful receipts at their probability.
//! - prudent: the prudent-percentile delay, the biggest debtors later still, doubtful at zero.
//! - optimistic: on the due date (or earlier for a customer who pays early).
//! - custom: expected with a person's toggles (push a customer, drop an item).
//!
//! A receipt whose date has already passed is expected on the as-of date; the prudent
//! scenario's extra delay is added after that, so an overdue big debtor is still pushed out.
//! Banks credit on working days, so a receipt falling on a weekend or holiday moves to the
//! next working day.
//! Dates only move later from optimistic to expected to prudent and amounts only shrink,
//! so at every date: prudent balance ≤ expected ≤ optimistic.

use super::super::model::CustomerId;
use super::super::money::{Currency, round_to_minor};
use super::calendar::WorkCalendar;
use super::delays::DelayEstimates;
use super::inputs::ItemKey;
use super::receipts::{MAX_SHIFT_DAYS, ReceiptKey};
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioKind {
    Expected,
    Prudent,
    Optimistic,
    Custom,
}

impl ScenarioKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScenarioKind::Expected => "expected",
            ScenarioKind::Prudent => "prudent",
            ScenarioKind::Optimistic => "optimistic",
            ScenarioKind::Custom => "custom",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Push {
    pub customer: CustomerId,
    pub days: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Toggles {
    /// Receipts from this customer come N days later than expected.
    pub push: Vec<Push>,
    /// Items left out entirely.
    pub drop: Vec<ItemKey>,
}

impl Toggles {
    pub fn is_empty(&self) -> bool {
        self.push.is_empty() && self.drop.is_empty()
    }

    pub fn drops(&self, key: &ItemKey) -> bool {
        self.drop.iter().any(|k| k == key)
    }

    fn push_days(&self, customer: CustomerId) -> i64 {
        self.push
            .iter()
            .filter(|p| p.customer == customer)
            .map(|p| p.days.clamp(0, MAX_SHIFT_DAYS))
            .sum::<i64>()
            .min(MAX_SHIFT_DAYS)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scenario {
    pub kind: ScenarioKind,
    pub toggles: Toggles,
}

impl Scenario {
    pub fn expected() -> Scenario {
        Scenario::plain(ScenarioKind::Expected)
    }
    pub fn prudent() -> Scenario {
        Scenario::plain(ScenarioKind::Prudent)
    }
    pub fn optimistic() -> Scenario {
        Scenario::plain(ScenarioKind::Optimistic)
    }
    pub fn custom(toggles: Toggles) -> Scenario {
        Scenario {
            kind: ScenarioKind::Custom,
            toggles,
        }
    }
    fn plain(kind: ScenarioKind) -> Scenario {
        Scenario {
            kind,
            toggles: Toggles::default(),
        }
    }
    pub fn standard() -> Vec<Scenario> {
        vec![
            Scenario::expected(),
            Scenario::prudent(),
            Scenario::optimistic(),
        ]
    }
}

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        date.checked_add_days(Days::new(days as u64))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .unwrap_or(date)
}

/// One scenario's rules, ready to date receipts.
pub struct ReceiptRules<'a> {
    pub scenario: &'a Scenario,
    pub as_of: NaiveDate,
    pub estimates: &'a DelayEstimates,
    pub biggest: HashSet<CustomerId>,
    pub extra_days: i64,
    pub doubtful_probability: Decimal,
    /// Probability-weighted amounts are rounded to its minor unit, so totals stay in cents.
    pub currency: Currency,
    pub calendar: WorkCalendar,
}

impl ReceiptRules<'_> {
    fn shift(&self, customer: CustomerId, date: NaiveDate) -> NaiveDate {
        let date = date.max(self.as_of);
        let shifted = match self.scenario.kind {
            ScenarioKind::Prudent if self.biggest.contains(&customer) => {
                add_days(date, self.extra_days.clamp(0, MAX_SHIFT_DAYS))
            }
            ScenarioKind::Custom => add_days(date, self.scenario.toggles.push_days(customer)),
            _ => date,
        };
        self.calendar.on_or_after(shifted)
    }

    fn dropped(&self, customer: CustomerId) -> bool {
        self.scenario.toggles.drops(&ItemKey::Customer(customer))
    }

    /// Date and amount counted for one line of open invoices (None: dropped or worth nothing).
    pub fn receipt(&self, key: &ReceiptKey, open: Decimal) -> Option<(NaiveDate, Decimal)> {
        if self.dropped(key.customer) {
            return None;
        }
        let estimate = self.estimates.get(key.customer);
        let predicted = match self.scenario.kind {
            ScenarioKind::Prudent => add_days(key.due, estimate.prudent),
            ScenarioKind::Optimistic => add_days(key.due, estimate.expected.min(0)),
            ScenarioKind::Expected | ScenarioKind::Custom => add_days(key.due, estimate.expected),
        };
        let amount = if key.doubtful {
            match self.scenario.kind {
                ScenarioKind::Prudent => Decimal::ZERO,
                _ => round_to_minor(open * self.doubtful_probability, self.currency),
            }
        } else {
            open
        };
        (!amount.is_zero()).then(|| (self.shift(key.customer, predicted), amount))
    }

    /// Date of a promised receipt: the promise, with the scenario's shift.
    pub fn committed(&self, customer: CustomerId, date: NaiveDate) -> Option<NaiveDate> {
        (!self.dropped(customer)).then(|| self.shift(customer, date))
    }
}
