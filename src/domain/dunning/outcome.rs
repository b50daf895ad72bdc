//! What a person records after a reminder, and what the record means for the next days:
//! the contact state folded from the event log, and the state of promises and plans given
//! the payments that came in.

use super::Channel;
use crate::domain::model::InvoiceId;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instalment {
    pub date: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

/// One outcome, as the cockpit or `encours log` records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    Reached {
        note: Option<String>,
    },
    NoAnswer,
    Voicemail,
    WrongContact {
        note: Option<String>,
    },
    Promise {
        date: NaiveDate,
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
        invoice: Option<InvoiceId>,
    },
    Dispute {
        invoice: InvoiceId,
        reason: String,
    },
    DisputeResolved {
        invoice: InvoiceId,
        note: Option<String>,
    },
    Plan {
        instalments: Vec<Instalment>,
    },
    Note {
        text: String,
    },
    Snooze {
        until: NaiveDate,
        reason: Option<String>,
    },
    LetterSent,
    EmailSent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutcomeKind {
    Reached,
    NoAnswer,
    Voicemail,
    WrongContact,
    Promise,
    Dispute,
    DisputeResolved,
    Plan,
    Note,
    Snooze,
    LetterSent,
    EmailSent,
}

impl OutcomeKind {
    pub const ALL: [OutcomeKind; 12] = [
        OutcomeKind::Reached,
        OutcomeKind::NoAnswer,
        OutcomeKind::Voicemail,
        OutcomeKind::WrongContact,
        OutcomeKind::Promise,
        OutcomeKind::Dispute,
        OutcomeKind::DisputeResolved,
        OutcomeKind::Plan,
        OutcomeKind::Note,
        OutcomeKind::Snooze,
        OutcomeKind::LetterSent,
        OutcomeKind::EmailSent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Reached => "reached",
            OutcomeKind::NoAnswer => "no-answer",
            OutcomeKind::Voicemail => "voicemail",
            OutcomeKind::WrongContact => "wrong-contact",
            OutcomeKind::Promise => "promise",
            OutcomeKind::Dispute => "dispute",
            OutcomeKind::DisputeResolved => "dispute-resolved",
            OutcomeKind::Plan => "plan",
            OutcomeKind::Note => "note",
            OutcomeKind::Snooze => "snooze",
            OutcomeKind::LetterSent => "letter-sent",
            OutcomeKind::EmailSent => "email-sent",
        }
    }

    pub fn label(self, lang: crate::locale::Language) -> &'static str {
        let (fr, en) = match self {
            OutcomeKind::Reached => ("joint", "reached"),
            OutcomeKind::NoAnswer => ("pas de réponse", "no answer"),
            OutcomeKind::Voicemail => ("messagerie", "voicemail"),
            OutcomeKind::WrongContact => ("mauvais interlocuteur", "wrong contact"),
            OutcomeKind::Promise => ("promesse", "promise"),
            OutcomeKind::Dispute => ("litige", "dispute"),
            OutcomeKind::DisputeResolved => ("litige résolu", "dispute resolved"),
            OutcomeKind::Plan => ("échéancier", "payment plan"),
            OutcomeKind::Note => ("note", "note"),
            OutcomeKind::Snooze => ("pause", "snooze"),
            OutcomeKind::LetterSent => ("courrier envoyé", "letter sent"),
            OutcomeKind::EmailSent => ("email envoyé", "email sent"),
        };
        lang.pick(fr, en)
    }

    pub fn parse(s: &str) -> Option<OutcomeKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The event log's `kind` column.
    pub fn event_kind(self) -> String {
        format!("outcome.{}", self.as_str())
    }

    pub fn from_event_kind(kind: &str) -> Option<OutcomeKind> {
        kind.strip_prefix("outcome.").and_then(Self::parse)
    }

    /// The level it was recorded at has been dealt with: the line waits for the next level.
    pub fn closes_level(self) -> bool {
        matches!(
            self,
            OutcomeKind::Reached
                | OutcomeKind::Promise
                | OutcomeKind::Plan
                | OutcomeKind::LetterSent
                | OutcomeKind::EmailSent
        )
    }

    /// A try that did not reach anyone: the line comes back after a few days.
    pub fn is_attempt(self) -> bool {
        matches!(
            self,
            OutcomeKind::NoAnswer | OutcomeKind::Voicemail | OutcomeKind::WrongContact
        )
    }

    /// Someone answered: the silence count starts again.
    pub fn is_contact(self) -> bool {
        matches!(
            self,
            OutcomeKind::Reached
                | OutcomeKind::Promise
                | OutcomeKind::Plan
                | OutcomeKind::Dispute
                | OutcomeKind::DisputeResolved
        )
    }
}

impl Outcome {
    pub fn kind(&self) -> OutcomeKind {
        match self {
            Outcome::Reached { .. } => OutcomeKind::Reached,
            Outcome::NoAnswer => OutcomeKind::NoAnswer,
            Outcome::Voicemail => OutcomeKind::Voicemail,
            Outcome::WrongContact { .. } => OutcomeKind::WrongContact,
            Outcome::Promise { .. } => OutcomeKind::Promise,
            Outcome::Dispute { .. } => OutcomeKind::Dispute,
            Outcome::DisputeResolved { .. } => OutcomeKind::DisputeResolved,
            Outcome::Plan { .. } => OutcomeKind::Plan,
            Outcome::Note { .. } => OutcomeKind::Note,
            Outcome::Snooze { .. } => OutcomeKind::Snooze,
            Outcome::LetterSent => OutcomeKind::LetterSent,
            Outcome::EmailSent => OutcomeKind::EmailSent,
        }
    }

    /// Refuses what cannot be meant: a promise in the past, an empty plan, a snooze that
    /// ends before it starts.
    pub fn validate(&self, today: NaiveDate) -> Result<(), String> {
        match self {
            Outcome::Promise { date, amount, .. } => {
                if *amount <= Decimal::ZERO {
                    return Err("a promise needs an amount above zero".into());
                }
                if *date < today {
                    return Err(format!("the promised date {date} is already past"));
                }
            }
            Outcome::Plan { instalments } => {
                if instalments.is_empty() {
                    return Err("a payment plan needs at least one instalment".into());
                }
                if instalments.iter().any(|i| i.amount <= Decimal::ZERO) {
                    return Err("every instalment needs an amount above zero".into());
                }
                if instalments.windows(2).any(|w| w[0].date >= w[1].date) {
                    return Err("instalment dates must increase".into());
                }
            }
            Outcome::Snooze { until, .. } if *until <= today => {
                return Err(format!("snooze until {until}: that is not after today"));
            }
            Outcome::Dispute { reason, .. } if reason.trim().is_empty() => {
                return Err("a dispute needs a reason".into());
            }
            Outcome::Note { text } if text.trim().is_empty() => {
                return Err("the note is empty".into());
            }
            _ => {}
        }
        Ok(())
    }
}

/// What the queue line was when the outcome was recorded.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Stamp {
    pub level: Option<u8>,
    pub channel: Option<Channel>,
    pub invoices: Vec<InvoiceId>,
}

/// An outcome event read back from the log (undone ones are left out by the store).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedOutcome {
    pub id: i64,
    pub at: NaiveDateTime,
    pub who: String,
    pub kind: OutcomeKind,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Attempt {
    pub on: NaiveDate,
    pub kind: OutcomeKind,
    pub level: Option<u8>,
}

/// A customer's contact history folded to what the queue needs.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ContactState {
    /// The highest level dealt with, per invoice.
    pub done: HashMap<InvoiceId, u8>,
    /// The latest unanswered try, when nothing closed the level after it.
    pub last_attempt: Option<Attempt>,
    /// No-answer and voicemail in a row since someone last answered.
    pub unanswered: u32,
    pub last_outcome: Option<(NaiveDateTime, OutcomeKind)>,
}

impl ContactState {
    /// Events must come in the order they were recorded.
    pub fn apply(&mut self, e: &RecordedOutcome) {
        if e.kind.closes_level()
            && let Some(level) = e.stamp.level
        {
            for inv in &e.stamp.invoices {
                let entry = self.done.entry(*inv).or_insert(level);
                *entry = (*entry).max(level);
            }
        }
        if e.kind.closes_level() || e.kind.is_contact() {
            self.last_attempt = None;
        }
        if e.kind.is_contact() {
            self.unanswered = 0;
        }
        if matches!(e.kind, OutcomeKind::NoAnswer | OutcomeKind::Voicemail) {
            self.unanswered += 1;
        }
        if e.kind.is_attempt() {
            self.last_attempt = Some(Attempt {
                on: e.at.date(),
                kind: e.kind,
                level: e.stamp.level,
            });
        }
        if e.kind != OutcomeKind::Note {
            self.last_outcome = Some((e.at, e.kind));
        }
    }
}

/// A payment applied to one of the customer's invoices.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Payment {
    pub invoice_id: InvoiceId,
    pub paid_on: NaiveDate,
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PromiseRecord {
    pub id: i64,
    pub invoice_id: Option<InvoiceId>,
    pub made_on: NaiveDate,
    pub promised_on: NaiveDate,
    pub amount: Decimal,
    pub level: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PromiseState {
    /// The chase waits until this date (promised date + grace).
    Holding {
        until: NaiveDate,
    },
    Kept,
    Broken {
        deadline: NaiveDate,
        paid: Decimal,
    },
}

fn paid_between(
    payments: &[Payment],
    scope: Option<InvoiceId>,
    from: NaiveDate,
    to: NaiveDate,
) -> Decimal {
    payments
        .iter()
        .filter(|p| scope.is_none_or(|i| p.invoice_id == i))
        .filter(|p| p.paid_on >= from && p.paid_on <= to)
        .map(|p| p.amount)
        .sum()
}

/// Kept when the amount came in between the day it was made and its date + grace; holding
/// until then; broken after.
pub fn evaluate_promise(
    p: &PromiseRecord,
    payments: &[Payment],
    as_of: NaiveDate,
    grace_days: u32,
) -> PromiseState {
    let deadline = p.promised_on + Duration::days(i64::from(grace_days));
    let paid = paid_between(payments, p.invoice_id, p.made_on, deadline.min(as_of));
    if paid >= p.amount {
        PromiseState::Kept
    } else if as_of <= deadline {
        PromiseState::Holding { until: deadline }
    } else {
        PromiseState::Broken { deadline, paid }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRecord {
    pub id: i64,
    pub made_on: NaiveDate,
    pub level: Option<u8>,
    pub instalments: Vec<Instalment>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PlanState {
    Holding {
        next: Option<Instalment>,
    },
    Completed,
    Broken {
        instalment: NaiveDate,
        missing: Decimal,
    },
}

/// Each instalment is due, cumulatively, by its date + grace; the first one missed breaks
/// the plan.
pub fn evaluate_plan(
    p: &PlanRecord,
    payments: &[Payment],
    as_of: NaiveDate,
    grace_days: u32,
) -> PlanState {
    let mut due = Decimal::ZERO;
    for inst in &p.instalments {
        due += inst.amount;
        let deadline = inst.date + Duration::days(i64::from(grace_days));
        if as_of > deadline {
            let paid = paid_between(payments, None, p.made_on, deadline);
            if paid < due {
                return PlanState::Broken {
                    instalment: inst.date,
                    missing: due - paid,
                };
            }
        }
    }
    let paid = paid_between(payments, None, p.made_on, as_of);
    if paid >= due {
        return PlanState::Completed;
    }
    let mut cumulative = Decimal::ZERO;
    let next = p
        .instalments
        .iter()
        .find(|i| {
            cumulative += i.amount;
            cumulative > paid
        })
        .cloned();
    PlanState::Holding { next }
}
