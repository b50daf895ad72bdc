//! What today's queue is made of: the customers going in, and the lines, held customers and
//! disputed invoices coming out.

use super::outcome::{
    ContactState, OutcomeKind, PlanRecord, PlanState, PromiseRecord, PromiseState,
};
use super::{Channel, OwnerRole};
use crate::domain::ageing::OpenItem;
use crate::domain::model::{CustomerId, InvoiceId, Segment};
use crate::domain::penalties::{Claim, Debtor};
use crate::domain::signals::Grade;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnmatchedCredit {
    pub date: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub counterparty: String,
}

/// Everything the queue needs about one customer with open invoices.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueCustomer {
    pub customer_id: CustomerId,
    pub code: String,
    pub name: String,
    pub segment: Segment,
    pub contact: Contact,
    pub debtor: Debtor,
    pub score: u32,
    pub grade: Grade,
    /// The main weak signal in words, if any.
    pub risk_reason: Option<String>,
    /// Open invoices (credit notes are not chased); `disputed` covers import flags and
    /// disputes recorded here.
    pub invoices: Vec<OpenItem>,
    pub dispute_reasons: Vec<(InvoiceId, String, Option<NaiveDate>)>,
    pub promises: Vec<(PromiseRecord, PromiseState)>,
    pub plans: Vec<(PlanRecord, PlanState)>,
    pub snoozed_until: Option<NaiveDate>,
    pub contact_state: ContactState,
    pub unmatched_credit: Option<UnmatchedCredit>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineInvoice {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub due_date: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub open: Decimal,
    pub days_late: i64,
    /// The level this invoice has reached (raised by a broken promise or plan).
    pub level: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum LineFlag {
    /// The newest bank data is old: the invoices may be paid already.
    StaleData { newest: Option<NaiveDate> },
    /// Some invoices are held by a promise on them until the date.
    HeldByPromise {
        until: NaiveDate,
        invoices: Vec<String>,
    },
    /// The level was raised because a promise was not kept.
    BrokenPromise {
        promised_on: NaiveDate,
        amount: Decimal,
    },
    BrokenPlan {
        instalment: NaiveDate,
        missing: Decimal,
    },
    /// The last try reached the wrong person.
    WrongContact,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueLine {
    pub customer_id: CustomerId,
    pub code: String,
    pub name: String,
    pub segment: Segment,
    pub level: u8,
    pub channel: Channel,
    pub owner: OwnerRole,
    pub template: String,
    pub script_template: Option<String>,
    /// Filled by the caller from the template set, in the user's language.
    pub script: Option<String>,
    pub invoices: Vec<LineInvoice>,
    #[serde(with = "rust_decimal::serde::str")]
    pub cash_at_stake: Decimal,
    pub max_days_late: i64,
    pub score: u32,
    pub grade: Grade,
    /// cash at stake × (100 + score) / 100: what the queue is sorted by.
    #[serde(with = "rust_decimal::serde::str")]
    pub priority: Decimal,
    pub reason: String,
    pub contact: Contact,
    pub claim: Claim,
    pub flags: Vec<LineFlag>,
}

impl QueueLine {
    /// What to record with an outcome for this line.
    pub fn stamp(&self) -> super::outcome::Stamp {
        super::outcome::Stamp {
            level: Some(self.level),
            channel: Some(self.channel),
            invoices: self.invoices.iter().map(|i| i.invoice_id).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "hold", rename_all = "snake_case")]
pub enum HoldReason {
    UnmatchedCredit(UnmatchedCredit),
    Snoozed {
        until: NaiveDate,
    },
    Promise {
        until: NaiveDate,
        amount: Decimal,
    },
    Plan {
        next: Option<super::outcome::Instalment>,
    },
    AwaitingRetry {
        until: NaiveDate,
        after: OutcomeKind,
    },
}

/// A customer that would be chased today but is held, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldCustomer {
    pub customer_id: CustomerId,
    pub code: String,
    pub name: String,
    pub level: u8,
    #[serde(with = "rust_decimal::serde::str")]
    pub cash_at_stake: Decimal,
    pub reason: HoldReason,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisputedInvoice {
    pub customer_id: CustomerId,
    pub code: String,
    pub name: String,
    pub invoice_id: InvoiceId,
    pub number: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub open: Decimal,
    pub days_late: i64,
    pub reason: Option<String>,
    pub opened_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaleGate {
    pub newest: Option<NaiveDate>,
    pub days_old: Option<i64>,
    pub limit_days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Queue {
    pub as_of: NaiveDate,
    /// Said first: reminders on stale bank data may chase invoices already paid.
    pub gate: Option<StaleGate>,
    pub lines: Vec<QueueLine>,
    pub held: Vec<HeldCustomer>,
    pub disputes: Vec<DisputedInvoice>,
}
