//! Weak signals (signaux faibles) and the risk grade. Each of the thirteen signals of
//! DOMAIN.md is a rule over a customer's [`CustomerFacts`] with thresholds and a weight from
//! `[signals]`; a triggered rule keeps the numbers that triggered it, so that its sentence can
//! say why. The score is the sum of the weights, capped at 100; the grade follows from it.

pub mod check;
pub mod facts;
mod rules;
mod sentences;
pub mod settings;

pub use facts::{CustomerFacts, PaidInvoice, PortfolioFacts};
pub use sentences::num as format_number;
pub use settings::SignalSettings;

use crate::domain::model::CustomerId;
use crate::domain::money::Currency;
use crate::locale::Language;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    LatenessTrend,
    FrequentLateness,
    BrokenPromise,
    PartialPayments,
    CreditLimit,
    AtypicalOrder,
    NewCustomer,
    Disputes,
    BouncedPayment,
    Silence,
    Concentration,
    ChangedPayerAccount,
    ExternalRating,
}

impl SignalKind {
    pub const ALL: [SignalKind; 13] = [
        SignalKind::LatenessTrend,
        SignalKind::FrequentLateness,
        SignalKind::BrokenPromise,
        SignalKind::PartialPayments,
        SignalKind::CreditLimit,
        SignalKind::AtypicalOrder,
        SignalKind::NewCustomer,
        SignalKind::Disputes,
        SignalKind::BouncedPayment,
        SignalKind::Silence,
        SignalKind::Concentration,
        SignalKind::ChangedPayerAccount,
        SignalKind::ExternalRating,
    ];

    /// The key of its table under `[signals]`.
    pub fn key(self) -> &'static str {
        match self {
            SignalKind::LatenessTrend => "lateness_trend",
            SignalKind::FrequentLateness => "frequent_lateness",
            SignalKind::BrokenPromise => "broken_promise",
            SignalKind::PartialPayments => "partial_payments",
            SignalKind::CreditLimit => "credit_limit",
            SignalKind::AtypicalOrder => "atypical_order",
            SignalKind::NewCustomer => "new_customer",
            SignalKind::Disputes => "disputes",
            SignalKind::BouncedPayment => "bounced_payment",
            SignalKind::Silence => "silence",
            SignalKind::Concentration => "concentration",
            SignalKind::ChangedPayerAccount => "changed_payer_account",
            SignalKind::ExternalRating => "external_rating",
        }
    }

    pub fn label(self, lang: Language) -> &'static str {
        sentences::label(self, lang)
    }
}

/// Why the external-rating signal fired, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RatingReason {
    Insolvency,
    InsurerLimit,
    LowScore,
}

/// The numbers behind a triggered signal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "signal", rename_all = "snake_case")]
pub enum Evidence {
    LatenessTrend {
        recent_days: Decimal,
        recent_months: u32,
        previous_days: Decimal,
        previous_months: u32,
    },
    FrequentLateness {
        late: u32,
        invoices: u32,
        share_percent: Decimal,
        months: u32,
    },
    BrokenPromise {
        count: u32,
        promised_on: NaiveDate,
        amount: Decimal,
        paid: Decimal,
    },
    PartialPayments {
        partial: u32,
        invoices: u32,
        months: u32,
        share_percent: Decimal,
        previous_share_percent: Option<Decimal>,
    },
    CreditLimit {
        exposure: Decimal,
        limit: Decimal,
        usage_percent: Option<Decimal>,
        breach: bool,
    },
    AtypicalOrder {
        number: String,
        amount: Decimal,
        median: Decimal,
        ratio: Decimal,
    },
    NewCustomer {
        first_invoice: NaiveDate,
        exposure: Decimal,
        threshold: Decimal,
    },
    Disputes {
        count: u32,
        amount: Decimal,
        newest_number: String,
        newest_opened: Option<NaiveDate>,
        reason: String,
    },
    BouncedPayment {
        count: u32,
        date: NaiveDate,
        amount: Decimal,
    },
    Silence {
        attempts: u32,
    },
    Concentration {
        share_percent: Decimal,
        exposure: Decimal,
        total: Decimal,
    },
    ChangedPayerAccount {
        iban: String,
        first_seen: NaiveDate,
    },
    ExternalRating {
        reason: RatingReason,
        source: String,
        date: NaiveDate,
        grade: Option<String>,
        score: Option<u8>,
        insurer_limit: Option<Decimal>,
        exposure: Decimal,
        note: Option<String>,
    },
}

impl Evidence {
    pub fn kind(&self) -> SignalKind {
        match self {
            Evidence::LatenessTrend { .. } => SignalKind::LatenessTrend,
            Evidence::FrequentLateness { .. } => SignalKind::FrequentLateness,
            Evidence::BrokenPromise { .. } => SignalKind::BrokenPromise,
            Evidence::PartialPayments { .. } => SignalKind::PartialPayments,
            Evidence::CreditLimit { .. } => SignalKind::CreditLimit,
            Evidence::AtypicalOrder { .. } => SignalKind::AtypicalOrder,
            Evidence::NewCustomer { .. } => SignalKind::NewCustomer,
            Evidence::Disputes { .. } => SignalKind::Disputes,
            Evidence::BouncedPayment { .. } => SignalKind::BouncedPayment,
            Evidence::Silence { .. } => SignalKind::Silence,
            Evidence::Concentration { .. } => SignalKind::Concentration,
            Evidence::ChangedPayerAccount { .. } => SignalKind::ChangedPayerAccount,
            Evidence::ExternalRating { .. } => SignalKind::ExternalRating,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    pub kind: SignalKind,
    pub weight: u32,
    pub evidence: Evidence,
}

impl Signal {
    /// The explanation with the numbers, in the user's language.
    pub fn sentence(&self, lang: Language, currency: Currency) -> String {
        sentences::sentence(&self.evidence, lang, currency)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
}

impl Grade {
    pub fn from_score(score: u32, bounds: &[u32]) -> Grade {
        let below = |i: usize| bounds.get(i).is_some_and(|&b| score < b);
        if below(0) {
            Grade::A
        } else if below(1) {
            Grade::B
        } else if below(2) {
            Grade::C
        } else {
            Grade::D
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
        }
    }
}

/// A customer's risk: score 0 (nothing seen) to 100, grade A (best) to D, and the signals
/// behind it, heaviest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub customer_id: CustomerId,
    pub code: String,
    pub name: String,
    pub score: u32,
    pub grade: Grade,
    #[serde(with = "rust_decimal::serde::str")]
    pub exposure: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub overdue: Decimal,
    pub credit_limit: Option<Decimal>,
    pub signals: Vec<Signal>,
}

impl Assessment {
    pub fn main_reason(&self, lang: Language, currency: Currency) -> Option<String> {
        self.signals.first().map(|s| s.sentence(lang, currency))
    }

    pub fn has(&self, kind: SignalKind) -> bool {
        self.signals.iter().any(|s| s.kind == kind)
    }
}

/// Whether the concentration rule fires for this customer against this portfolio: the one
/// rule that reads the portfolio, so a customer whose own facts did not change needs a new
/// assessment when the portfolio total moves only if it fired before or fires now.
pub fn concentrated(facts: &CustomerFacts, portfolio: &PortfolioFacts, s: &SignalSettings) -> bool {
    rules::concentration(facts, portfolio, s).is_some()
}

/// Runs every rule on one customer.
pub fn assess(
    facts: &CustomerFacts,
    portfolio: &PortfolioFacts,
    s: &SignalSettings,
    as_of: NaiveDate,
) -> Assessment {
    let mut signals = rules::evaluate(facts, portfolio, s, as_of);
    signals.sort_by(|a, b| b.weight.cmp(&a.weight).then(a.kind.cmp(&b.kind)));
    let score = signals.iter().map(|s| s.weight).sum::<u32>().min(100);
    Assessment {
        customer_id: facts.customer_id,
        code: facts.code.clone(),
        name: facts.name.clone(),
        score,
        grade: Grade::from_score(score, &s.grade_bounds),
        exposure: facts.exposure,
        overdue: facts.overdue,
        credit_limit: facts.credit_limit,
        signals,
    }
}

#[cfg(test)]
mod tests;
