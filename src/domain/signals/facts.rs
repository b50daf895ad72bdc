//! What the signals look at, per customer: fixed-size accumulators that the store fills one
//! row at a time, so that 20,000 customers with a million invoices fit in memory.

use crate::domain::figures::Lateness;
use crate::domain::model::{CustomerId, InvoiceId};
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use super::settings::SignalSettings;

/// An invoice fully settled: the allocation that completed it is its payment date.
#[derive(Debug, Clone, PartialEq)]
pub struct PaidInvoice {
    pub customer_id: CustomerId,
    pub invoice_id: InvoiceId,
    pub amount: Decimal,
    pub due_date: NaiveDate,
    pub paid_on: NaiveDate,
    /// Allocations it took to settle it; more than one is a partial-payment history.
    pub payments: u32,
}

impl PaidInvoice {
    pub fn days_late(&self) -> i64 {
        (self.paid_on - self.due_date).num_days()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct PartialCount {
    pub invoices: u32,
    pub partial: u32,
}

impl PartialCount {
    pub fn share_percent(&self) -> Option<Decimal> {
        (self.invoices > 0).then(|| {
            Decimal::from(self.partial) * Decimal::ONE_HUNDRED / Decimal::from(self.invoices)
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecentInvoice {
    pub number: String,
    pub issue_date: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisputeFact {
    pub invoice_id: InvoiceId,
    pub number: String,
    /// None for a dispute flagged in an import, whose start we do not know.
    pub opened_on: Option<NaiveDate>,
    pub reason: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub open: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrokenPromiseFact {
    pub promised_on: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub paid: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReversalFact {
    pub date: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub counterparty: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayerAccountFact {
    pub iban: String,
    pub first_seen: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingFact {
    pub date: NaiveDate,
    pub source: String,
    pub grade: Option<String>,
    pub score: Option<u8>,
    pub insurer_limit: Option<Decimal>,
    pub insolvency: bool,
    pub note: Option<String>,
}

/// Everything the thirteen signals need to know about one customer as of a date.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct CustomerFacts {
    pub customer_id: CustomerId,
    pub code: String,
    pub name: String,
    /// Open invoices − unapplied credit notes.
    #[serde(with = "rust_decimal::serde::str")]
    pub exposure: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub overdue: Decimal,
    pub credit_limit: Option<Decimal>,
    pub first_invoice: Option<NaiveDate>,
    /// Paid in the last `lateness_trend.recent_months`.
    pub lateness_recent: Lateness,
    /// Paid in the `previous_months` before those.
    pub lateness_previous: Lateness,
    /// Paid in the last `frequent_lateness.months`.
    pub lateness_frequency: Lateness,
    pub partial_recent: PartialCount,
    pub partial_previous: PartialCount,
    pub median_invoice: Option<Decimal>,
    pub history_invoices: u32,
    pub largest_recent: Option<RecentInvoice>,
    pub disputes: Vec<DisputeFact>,
    pub broken_promises: Vec<BrokenPromiseFact>,
    pub reversals: Vec<ReversalFact>,
    pub unanswered_attempts: u32,
    pub new_payer_accounts: Vec<PayerAccountFact>,
    pub rating: Option<RatingFact>,
}

fn months_before(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(months))
        .unwrap_or(NaiveDate::MIN)
}

/// How far back the payment history must go for these settings.
pub fn history_start(as_of: NaiveDate, s: &SignalSettings) -> NaiveDate {
    let months = (s.lateness_trend.recent_months + s.lateness_trend.previous_months)
        .max(s.frequent_lateness.months)
        .max(2 * s.partial_payments.months);
    months_before(as_of, months)
}

impl CustomerFacts {
    pub fn new(customer_id: CustomerId, code: String, name: String) -> Self {
        CustomerFacts {
            customer_id,
            code,
            name,
            ..Default::default()
        }
    }

    /// Places one paid invoice in the windows the signals compare.
    pub fn add_paid(&mut self, p: &PaidInvoice, as_of: NaiveDate, s: &SignalSettings) {
        if p.paid_on > as_of {
            return;
        }
        let t = &s.lateness_trend;
        let recent_start = months_before(as_of, t.recent_months);
        let previous_start = months_before(recent_start, t.previous_months);
        let days = p.days_late();
        if p.paid_on > recent_start {
            self.lateness_recent.add(p.amount, days);
        } else if p.paid_on > previous_start {
            self.lateness_previous.add(p.amount, days);
        }
        if p.paid_on > months_before(as_of, s.frequent_lateness.months) {
            self.lateness_frequency.add(p.amount, days);
        }
        let partial_recent_start = months_before(as_of, s.partial_payments.months);
        let partial_previous_start = months_before(partial_recent_start, s.partial_payments.months);
        let bucket = if p.paid_on > partial_recent_start {
            Some(&mut self.partial_recent)
        } else if p.paid_on > partial_previous_start {
            Some(&mut self.partial_previous)
        } else {
            None
        };
        if let Some(b) = bucket {
            b.invoices += 1;
            if p.payments > 1 {
                b.partial += 1;
            }
        }
    }

    /// `invoices` are this customer's invoices (number, issue date, amount) of the last 12
    /// months or more; the median is taken over those issued before the recent window, and
    /// the largest recent one is compared with it.
    pub fn set_invoice_history(
        &mut self,
        invoices: &[(String, NaiveDate, Decimal)],
        as_of: NaiveDate,
        s: &SignalSettings,
    ) {
        let recent_start = as_of - chrono::Duration::days(i64::from(s.atypical_order.recent_days));
        let history_start = months_before(recent_start, 12);
        let mut history: Vec<Decimal> = invoices
            .iter()
            .filter(|(_, d, _)| *d <= recent_start && *d > history_start)
            .map(|(_, _, a)| *a)
            .collect();
        self.history_invoices = history.len() as u32;
        self.median_invoice = median(&mut history);
        self.largest_recent = invoices
            .iter()
            .filter(|(_, d, _)| *d > recent_start && *d <= as_of)
            .max_by(|a, b| a.2.cmp(&b.2))
            .map(|(number, issue_date, amount)| RecentInvoice {
                number: number.clone(),
                issue_date: *issue_date,
                amount: *amount,
            });
    }
}

pub fn median(values: &mut [Decimal]) -> Option<Decimal> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / Decimal::TWO
    } else {
        values[mid]
    })
}

/// The total open receivables, for the concentration signal.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct PortfolioFacts {
    #[serde(with = "rust_decimal::serde::str")]
    pub total_exposure: Decimal,
}
