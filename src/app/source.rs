//! The one door between the interface and the data. Reads return view models; writes take
//! the acting person (`Actor`: who and when, from the runtime's clock) and return what to
//! tell the user. The runtime calls these from its worker thread, never from a key handler.

use super::views::*;
use crate::domain::model::{CustomerId, InvoiceId, Segment, TransactionId};
use crate::store::{Actor, StoreError};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// What came of one action on a customer (a call, a letter...). Every outcome is logged with
/// who and when; all but a note take the line off today's queue.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Spoke to the customer.
    Reached,
    NoAnswer,
    Voicemail,
    /// The customer committed to pay `amount` by `date`: holds the chase until then.
    Promise {
        date: NaiveDate,
        amount: Decimal,
    },
    /// The customer contests: the invoices leave the chase and show as disputed.
    Dispute {
        reason: String,
    },
    /// Instalments agreed.
    Plan {
        detail: String,
    },
    /// Come back to this line on `until`.
    Snooze {
        until: NaiveDate,
    },
    /// A note in the trail; the line stays in the queue.
    Note {
        text: String,
    },
    LetterWritten,
}

impl Outcome {
    /// The stored name, also used by the interface to translate it.
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Reached => "reached",
            Outcome::NoAnswer => "no_answer",
            Outcome::Voicemail => "voicemail",
            Outcome::Promise { .. } => "promise",
            Outcome::Dispute { .. } => "dispute",
            Outcome::Plan { .. } => "plan",
            Outcome::Snooze { .. } => "snooze",
            Outcome::Note { .. } => "note",
            Outcome::LetterWritten => "letter_written",
        }
    }

    /// Whether the line leaves today's queue.
    pub fn handles_line(&self) -> bool {
        !matches!(self, Outcome::Note { .. })
    }
}

/// A feature whose data this build cannot give yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    Signals,
    Queue,
    Forecast,
    Matching,
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0:?}: not available in this build")]
    NotAvailable(Feature),
    /// The action makes no sense as asked (nothing to undo, an unknown customer code...).
    #[error("{0}")]
    Refused(String),
}

pub type SourceResult<T> = Result<T, SourceError>;

/// One method per screen's data, one per action. `as_of` is the cockpit's "today".
pub trait DataSource: Send {
    fn overview(&self, as_of: NaiveDate) -> SourceResult<OverviewView>;
    fn receivables(&self, as_of: NaiveDate) -> SourceResult<ReceivablesView>;
    fn customer(&self, id: CustomerId, as_of: NaiveDate) -> SourceResult<CustomerView>;
    fn invoice(&self, id: InvoiceId, as_of: NaiveDate) -> SourceResult<InvoiceView>;
    fn signals(&self, as_of: NaiveDate) -> SourceResult<SignalsView>;
    fn queue(&self, as_of: NaiveDate) -> SourceResult<QueueView>;
    fn forecast(&self, as_of: NaiveDate, request: &ForecastRequest) -> SourceResult<ForecastView>;
    /// The matching list, without suggestions (`MatchRow::suggested` false) when the source
    /// can give them a page at a time through `match_suggestions`.
    fn matching(&self, as_of: NaiveDate) -> SourceResult<MatchingView>;
    /// The suggestions of these credits, exactly as a whole computation gives them.
    fn match_suggestions(
        &self,
        _ids: &[TransactionId],
        _rules_idle: bool,
    ) -> SourceResult<MatchSuggestions> {
        Err(SourceError::NotAvailable(Feature::Matching))
    }
    fn imports(&self) -> SourceResult<ImportsView>;

    fn record_outcome(
        &mut self,
        actor: &Actor,
        customer: CustomerId,
        outcome: &Outcome,
    ) -> SourceResult<()>;
    /// Undoes the actor's last outcome still in force; returns what was undone, in words.
    fn undo_last(&mut self, actor: &Actor) -> SourceResult<String>;
    /// Allocates the bank line to the suggestion's invoices and learns the payer.
    fn accept_match(
        &mut self,
        actor: &Actor,
        transaction: TransactionId,
        suggestion: &Suggestion,
    ) -> SourceResult<()>;
    /// This customer is not the payer: the suggestion is not offered again.
    fn reject_match(
        &mut self,
        actor: &Actor,
        transaction: TransactionId,
        customer: CustomerId,
    ) -> SourceResult<()>;
    /// The payer is this customer (by code), whatever the suggestions said.
    fn assign(
        &mut self,
        actor: &Actor,
        transaction: TransactionId,
        customer_code: &str,
    ) -> SourceResult<()>;
    fn set_limit(
        &mut self,
        actor: &Actor,
        customer: CustomerId,
        limit: Option<Decimal>,
    ) -> SourceResult<()>;
    fn set_segment(
        &mut self,
        actor: &Actor,
        customer: CustomerId,
        segment: Segment,
    ) -> SourceResult<()>;

    /// Holds the customer for the operator while they work its line, letting go of the line
    /// they held before; returns who else holds it, if someone does.
    fn claim(&mut self, _actor: &Actor, _customer: CustomerId) -> SourceResult<Option<String>> {
        Ok(None)
    }

    /// Lets go of the operator's claims (leaving the cockpit).
    fn release_claims(&mut self, _actor: &Actor) -> SourceResult<()> {
        Ok(())
    }

    /// A number that changes when someone else changed the data (SQLite's
    /// `PRAGMA data_version`); None when the source cannot tell.
    fn data_version(&self) -> SourceResult<Option<i64>> {
        Ok(None)
    }

    /// Work that can wait until no request does (filing caches); the worker calls it each
    /// time it has answered everything asked of it.
    fn idle(&mut self) {}
}
