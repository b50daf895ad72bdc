//! What a forecast is computed from: the parameters (from config), the opening bank position,
//! commitments (promises, plan instalments) and supplier invoices. Receivables and payment
//! history come through the accumulators in `receipts` and `delays`.

use super::super::model::CustomerId;
use super::super::money::Currency;
use super::delays::DelayModel;
use super::recurring::{OutflowKind, RecurringItem};
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::Serialize;

/// Settings of a forecast; `config::Settings::forecast_params` builds them from the
/// `[forecast]` section. `Default` has the documented defaults and no recurring item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastParams {
    pub currency: Currency,
    pub horizon_weeks: u32,
    pub daily_days: u32,
    /// A day whose closing balance is below this is a risk day.
    pub alert_threshold: Decimal,
    pub delays: DelayModel,
    /// Only invoices paid in the last N months count as history (habits change).
    pub history_months: u32,
    /// Share of a doubtful receipt (disputed, or more than `doubtful_after_days` late) counted
    /// in the expected and optimistic scenarios; the prudent scenario counts none of it.
    pub doubtful_probability: Decimal,
    pub doubtful_after_days: i64,
    /// The prudent scenario pays the N biggest debtors `prudent_extra_days` later still.
    pub prudent_biggest_debtors: usize,
    pub prudent_extra_days: i64,
    pub french_holidays: bool,
    /// Net cash deducts payables due within this many days...
    pub payables_within_days: i64,
    /// ...and this drawn short-term credit (overdraft facility, Dailly, factoring advance).
    pub short_term_debt: Decimal,
    pub recurring: Vec<RecurringItem>,
}

impl Default for ForecastParams {
    fn default() -> Self {
        ForecastParams {
            currency: Currency::EUR,
            horizon_weeks: 13,
            daily_days: 30,
            alert_threshold: dec!(20000),
            delays: DelayModel::default(),
            history_months: 6,
            doubtful_probability: dec!(0.5),
            doubtful_after_days: 90,
            prudent_biggest_debtors: 3,
            prudent_extra_days: 30,
            french_holidays: true,
            payables_within_days: 30,
            short_term_debt: Decimal::ZERO,
            recurring: Vec::new(),
        }
    }
}

impl ForecastParams {
    /// The last day of the horizon (inclusive): as_of + 7 × weeks − 1.
    pub fn horizon_end(&self, as_of: NaiveDate) -> NaiveDate {
        let days = u64::from(self.horizon_weeks.max(1)) * 7 - 1;
        as_of.checked_add_days(Days::new(days)).unwrap_or(as_of)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BalanceSource {
    /// A closing balance from a statement (plus any later transactions).
    Closing,
    /// A statement's opening balance plus the transactions since.
    OpeningPlusTransactions,
    /// No stated balance: the sum of the imported transactions, which may miss history.
    TransactionsOnly,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountPosition {
    pub account_id: i64,
    pub key: String,
    pub name: Option<String>,
    pub currency: Currency,
    /// End of the day this balance is known for.
    pub date: NaiveDate,
    pub balance: Decimal,
    pub source: BalanceSource,
    /// False when the account is in another currency: shown, not summed.
    pub in_total: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpeningPosition {
    pub accounts: Vec<AccountPosition>,
    /// Sum of the accounts in the company currency.
    pub total: Decimal,
    pub currency: Currency,
    /// The oldest date among the summed accounts: the position is no fresher than that.
    pub date: Option<NaiveDate>,
}

impl OpeningPosition {
    pub fn new(mut accounts: Vec<AccountPosition>, currency: Currency) -> OpeningPosition {
        for a in &mut accounts {
            a.in_total = a.currency == currency;
        }
        let summed = accounts.iter().filter(|a| a.in_total);
        OpeningPosition {
            total: summed.clone().map(|a| a.balance).sum(),
            date: summed.map(|a| a.date).min(),
            currency,
            accounts,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentKind {
    Promise,
    Instalment,
}

/// A customer's promise to pay, or one instalment of a payment plan: it replaces the
/// predicted dates of that much of the customer's open invoices, oldest due first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitment {
    pub customer_id: CustomerId,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub kind: CommitmentKind,
}

/// Unpaid supplier invoices of one supplier due on one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupplierDue {
    pub supplier_code: String,
    pub supplier_name: String,
    pub due: NaiveDate,
    pub amount: Decimal,
    pub invoices: u32,
}

/// What a person can drop from a custom scenario.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum ItemKey {
    /// A configured recurring outflow, by name (compared case-insensitively).
    Recurring(String),
    /// All unpaid invoices of a supplier, by supplier code.
    Supplier(String),
    /// All receipts from a customer.
    Customer(CustomerId),
}

impl ItemKey {
    pub fn recurring(name: &str) -> ItemKey {
        ItemKey::Recurring(name.trim().to_lowercase())
    }
}

/// One dated payment out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outflow {
    pub key: ItemKey,
    pub label: String,
    pub kind: OutflowKind,
    pub date: NaiveDate,
    pub amount: Decimal,
}
