//! What flows in (`Msg`) and out (`Effect`) of `update`. Effects are carried out by the
//! runtime (reads and writes through the `DataSource`), whose results come back as messages:
//! the application state never touches the database itself.

use super::keymap::KeyPress;
use super::source::{Feature, Outcome};
use super::views::*;
use crate::domain::model::{CustomerId, InvoiceId, Segment, TransactionId};
use rust_decimal::Decimal;

// A few messages a second at most: boxing the large view models would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyPress),
    Resize(u16, u16),
    /// The slow tick: nothing to do but what depends on time passing.
    Tick,
    Loaded(Loaded),
    /// A write went through; the message says what to tell the user.
    Done(Status),
    /// A read or write failed.
    Failed(Failure),
    /// Someone else changed the data (another operator, a watcher import).
    DataChanged,
    /// The answer to `Effect::Claim`: `held_by` names the colleague already working this
    /// customer, if one is.
    Claimed {
        customer: CustomerId,
        held_by: Option<String>,
    },
    /// A word from the runtime (an inbox import, a busy database); `reload` when the data
    /// changed with it.
    Notice {
        text: String,
        problem: bool,
        reload: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// This build cannot do it yet.
    NotAvailable(Feature),
    /// Refused or failed, with the reason in words.
    Error(String),
}

/// Data to load. Each answer replaces the previous one of the same kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Overview,
    Receivables,
    Customer(CustomerId),
    Invoice(InvoiceId),
    Signals,
    Queue,
    Forecast(ForecastRequest),
    Matching,
    /// The suggestions of these credits of the matching list (a page around the cursor);
    /// `rules_idle` as the list said.
    MatchSuggestions {
        ids: Vec<TransactionId>,
        rules_idle: bool,
    },
    Imports,
}

#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    Overview(OverviewView),
    Receivables(ReceivablesView),
    Customer(CustomerView),
    Invoice(InvoiceView),
    Signals(SignalsView),
    Queue(QueueView),
    Forecast(ForecastView),
    Matching(MatchingView),
    MatchSuggestions(MatchSuggestions),
    Imports(ImportsView),
}

/// A change to the data, carried out by the runtime on behalf of the user.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Outcome {
        customer: CustomerId,
        name: String,
        outcome: Outcome,
    },
    Undo,
    AcceptMatch {
        transaction: TransactionId,
        suggestion: Suggestion,
    },
    RejectMatch {
        transaction: TransactionId,
        customer: CustomerId,
    },
    Assign {
        transaction: TransactionId,
        customer_code: String,
    },
    SetLimit {
        customer: CustomerId,
        limit: Option<Decimal>,
    },
    SetSegment {
        customer: CustomerId,
        segment: Segment,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Load(Request),
    Write(Command),
    /// The operator now works this call-list line (`None`: no line any more): hold it, and
    /// let go of the line worked before, so that colleagues see who is on which customer.
    Claim(Option<CustomerId>),
    /// Data the screens let go of, to be dropped on the worker's thread: freeing tens of
    /// megabytes of views takes longer than a frame.
    Release(Box<super::Data>),
    Quit,
}

/// What the status line says after an action, translated when drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// `outcome` recorded for the customer `name`.
    Recorded {
        name: String,
        outcome: &'static str,
    },
    Undone(String),
    MatchAccepted,
    MatchRejected,
    /// Accept or reject pressed on a credit whose suggestions have not come yet.
    SuggestionsLoading,
    Assigned(String),
    LimitSet,
    SegmentSet,
    /// New data arrived and the screens were reloaded.
    Reloaded,
    /// Said as given (an inbox import, a busy database); true for a problem.
    Notice(String, bool),
    /// A colleague (`who@host`) is already working the selected line.
    ClaimedBy(String),
    ReadOnly,
    Failed(Failure),
}
