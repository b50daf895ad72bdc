//! `[signals]` in the settings: one table per signal with its thresholds and its weight in
//! the risk score.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SignalSettings {
    /// Score bounds between the grades: below the first A, below the second B, below the
    /// third C, else D.
    pub grade_bounds: Vec<u32>,
    pub lateness_trend: LatenessTrend,
    pub frequent_lateness: FrequentLateness,
    pub broken_promise: BrokenPromise,
    pub partial_payments: PartialPayments,
    pub credit_limit: CreditLimit,
    pub atypical_order: AtypicalOrder,
    pub new_customer: NewCustomer,
    pub disputes: Disputes,
    pub bounced_payment: BouncedPayment,
    pub silence: Silence,
    pub concentration: Concentration,
    pub changed_payer_account: ChangedPayerAccount,
    pub external_rating: ExternalRating,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LatenessTrend {
    pub weight: u32,
    pub min_increase_days: u32,
    pub recent_months: u32,
    pub previous_months: u32,
    /// Each window needs at least this many paid invoices to say anything.
    pub min_invoices: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrequentLateness {
    pub weight: u32,
    pub late_share_percent: u32,
    pub months: u32,
    pub min_invoices: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BrokenPromise {
    pub weight: u32,
    /// A promise broken longer ago than this no longer counts.
    pub within_days: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PartialPayments {
    pub weight: u32,
    pub months: u32,
    /// Invoices settled in several payments over the last `months`.
    pub min_invoices: u32,
    /// Or: the share of such invoices rose by at least this many points over the `months`
    /// before.
    pub rising_points: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CreditLimit {
    pub warning_percent: u32,
    pub warning_weight: u32,
    pub breach_weight: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AtypicalOrder {
    pub weight: u32,
    #[serde(with = "rust_decimal::serde::str")]
    pub factor: Decimal,
    pub recent_days: u32,
    /// Invoices needed in the 12 months before for the median to mean something.
    pub min_history: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewCustomer {
    pub weight: u32,
    pub history_months: u32,
    #[serde(with = "rust_decimal::serde::str")]
    pub exposure_above: Decimal,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Disputes {
    pub weight: u32,
    /// Open disputes on at least this many invoices.
    pub several: u32,
    /// Or one opened in the last days.
    pub new_within_days: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BouncedPayment {
    pub weight: u32,
    pub within_days: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Silence {
    pub weight: u32,
    /// Unanswered contact attempts in a row.
    pub attempts: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Concentration {
    pub weight: u32,
    pub share_percent: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChangedPayerAccount {
    pub weight: u32,
    pub within_days: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalRating {
    /// A normalised score (0 worst – 100 best) below this is a signal.
    pub min_score: u32,
    pub low_score_weight: u32,
    /// Exposure above the credit insurer's limit (or a withdrawn cover).
    pub insurer_limit_weight: u32,
    pub insolvency_weight: u32,
    /// Ratings older than this are ignored.
    pub max_age_days: u32,
}

impl SignalSettings {
    pub fn validate(&self) -> Result<(), String> {
        let b = &self.grade_bounds;
        if b.len() != 3 || b.windows(2).any(|w| w[0] >= w[1]) || b.iter().any(|&x| x > 100) {
            return Err(
                "signals.grade_bounds: three increasing scores between 0 and 100 (A|B|C|D)".into(),
            );
        }
        let positive = [
            (
                "lateness_trend.recent_months",
                self.lateness_trend.recent_months,
            ),
            (
                "lateness_trend.previous_months",
                self.lateness_trend.previous_months,
            ),
            ("frequent_lateness.months", self.frequent_lateness.months),
            ("partial_payments.months", self.partial_payments.months),
            (
                "atypical_order.recent_days",
                self.atypical_order.recent_days,
            ),
            (
                "new_customer.history_months",
                self.new_customer.history_months,
            ),
            ("disputes.several", self.disputes.several),
            ("silence.attempts", self.silence.attempts),
            (
                "concentration.share_percent",
                self.concentration.share_percent,
            ),
        ];
        for (key, value) in positive {
            if value == 0 {
                return Err(format!("signals.{key}: must be at least 1"));
            }
        }
        let percents = [
            (
                "frequent_lateness.late_share_percent",
                self.frequent_lateness.late_share_percent,
            ),
            (
                "credit_limit.warning_percent",
                self.credit_limit.warning_percent,
            ),
            (
                "concentration.share_percent",
                self.concentration.share_percent,
            ),
            ("external_rating.min_score", self.external_rating.min_score),
        ];
        for (key, value) in percents {
            if value > 100 {
                return Err(format!("signals.{key}: must be between 0 and 100"));
            }
        }
        if self.atypical_order.factor <= Decimal::ONE {
            return Err("signals.atypical_order.factor: must be above 1".into());
        }
        if self.new_customer.exposure_above < Decimal::ZERO {
            return Err("signals.new_customer.exposure_above: must not be negative".into());
        }
        Ok(())
    }
}
