//! What the day's work is made of: weak signals, the reminder queue, the cash forecast,
//! the bank lines to match.

use super::{Contact, Notice};
use crate::domain::matching::ScoreComponents;
use crate::domain::model::{CustomerId, InvoiceId, TransactionId};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalRow {
    pub customer_id: CustomerId,
    pub code: String,
    pub name: String,
    /// A (sound) to D (at risk).
    pub grade: char,
    /// 0 (worst) – 100 (best).
    pub score: u8,
    /// The heaviest signal, as a sentence with its numbers.
    pub main_reason: String,
    /// Every signal that fired, heaviest first, each explained.
    pub reasons: Vec<String>,
    pub exposure: Decimal,
    pub credit_limit: Option<Decimal>,
    pub limit_use_percent: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SignalsView {
    /// Worst grade first.
    pub rows: Vec<SignalRow>,
    pub notice: Option<Notice>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    Email,
    Phone,
    Letter,
    RegisteredLetter,
    Escalation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueInvoice {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub open: Decimal,
    pub days_late: i64,
}

/// One customer to chase today, at the highest level due among its invoices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueLine {
    pub customer_id: CustomerId,
    pub code: String,
    pub name: String,
    /// Dunning level 0–5.
    pub level: u8,
    pub channel: Channel,
    /// Who owns the line (accounts, sales, management, or a person).
    pub owner: String,
    pub invoices: Vec<QueueInvoice>,
    pub at_stake: Decimal,
    pub grade: Option<char>,
    /// Why this line is where it is (level, broken promise, risk).
    pub reason: String,
    pub contact: Contact,
    /// What to say or write at this level.
    pub script: String,
    /// A promise or snooze holds the chase until this date.
    pub held_until: Option<NaiveDate>,
    /// Another operator took the line.
    pub claimed_by: Option<String>,
}

/// A disputed invoice: never chased, always visible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisputedItem {
    pub customer_id: CustomerId,
    pub name: String,
    pub number: String,
    pub open: Decimal,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct QueueView {
    /// In the order to work them.
    pub lines: Vec<QueueLine>,
    pub disputed: Vec<DisputedItem>,
    /// The stale-data gate: the newest bank data is from this date, older than allowed.
    pub stale_bank_data: Option<NaiveDate>,
    pub notice: Option<Notice>,
}

impl QueueView {
    pub fn at_stake(&self) -> Decimal {
        self.lines.iter().map(|l| l.at_stake).sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Scenario {
    #[default]
    Expected,
    /// 80th-percentile delays; the biggest debtors 30 days later.
    Prudent,
}

impl Scenario {
    pub fn next(self) -> Scenario {
        match self {
            Scenario::Expected => Scenario::Prudent,
            Scenario::Prudent => Scenario::Expected,
        }
    }
}

/// What the person asked of the forecast: a scenario and customers whose receipts are
/// pushed back.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ForecastRequest {
    pub scenario: Scenario,
    /// (customer, days later).
    pub pushed: Vec<(CustomerId, u32)>,
}

/// One period of the forecast: a day for the first 30 days, then a week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastPoint {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub inflow: Decimal,
    pub outflow: Decimal,
    /// Balance at the end of the period.
    pub balance: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskPeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub lowest: Decimal,
    /// The items that take the balance down (payroll, VAT, a late customer...).
    pub causes: Vec<String>,
}

/// A customer's expected receipts over the horizon: what a push would move.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerInflow {
    pub customer_id: CustomerId,
    pub name: String,
    pub amount: Decimal,
    pub expected: NaiveDate,
    /// Days pushed, when the person pushed this customer.
    pub pushed_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ForecastView {
    pub request: ForecastRequest,
    pub opening: Decimal,
    pub opening_date: Option<NaiveDate>,
    pub points: Vec<ForecastPoint>,
    pub threshold: Decimal,
    /// Date and amount of the lowest balance.
    pub lowest: Option<(NaiveDate, Decimal)>,
    pub risk_periods: Vec<RiskPeriod>,
    /// Disputed and very late receivables, counted with a probability and shown apart.
    pub uncertain: Decimal,
    pub inflows: Vec<CustomerInflow>,
    pub notice: Option<Notice>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub customer_id: CustomerId,
    /// Shared by every suggestion naming the customer: the matching list can hold a hundred
    /// thousand credits with a few suggestions each.
    pub customer_name: Arc<str>,
    /// (invoice, number, open amount).
    pub invoices: Vec<(InvoiceId, String, Decimal)>,
    /// 0–100.
    pub score: u8,
    /// Worded on screen by `domain::matching::words`, in the reader's language.
    pub components: ScoreComponents,
}

/// A bank credit that no rule could allocate.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchRow {
    pub transaction_id: TransactionId,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub payer: Option<String>,
    pub iban: Option<String>,
    pub remittance: String,
    /// Part of the amount not yet allocated.
    pub unallocated: Decimal,
    /// Best first; empty until `suggested`.
    pub suggestions: Vec<Suggestion>,
    /// Whether `suggestions` were worked out: the list comes without them, and the screen
    /// asks for those of a page around the cursor as the operator scrolls
    /// (`Request::MatchSuggestions`), so that a hundred thousand credits' suggestions are
    /// never held at once.
    pub suggested: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct MatchingView {
    pub rows: Vec<MatchRow>,
    pub notice: Option<Notice>,
    /// The automatic rules would allocate nothing over these credits: a page's suggestions
    /// follow from its own credits (passed back with `Request::MatchSuggestions`).
    pub rules_idle: bool,
}

/// The suggestions of some credits of the matching list, as asked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MatchSuggestions {
    /// Every credit asked for: one no longer waiting for a person has no entry in `rows`.
    pub asked: Vec<TransactionId>,
    pub rows: Vec<(TransactionId, Vec<Suggestion>)>,
}
