//! Carries out one effect against a `DataSource` and says what came of it, as a message for
//! `update`. The same function serves the worker thread and the tests' synchronous driver.

use crate::app::msg::{Command, Effect, Failure, Loaded, Msg, Request, Status};
use crate::app::source::{DataSource, SourceError};
use crate::domain::model::CustomerId;
use crate::store::Actor;
use chrono::NaiveDate;

fn failure(e: SourceError) -> Msg {
    Msg::Failed(match e {
        SourceError::NotAvailable(f) => Failure::NotAvailable(f),
        other => Failure::Error(other.to_string()),
    })
}

pub fn load(source: &dyn DataSource, request: &Request, as_of: NaiveDate) -> Msg {
    let loaded = match request {
        Request::Overview => source.overview(as_of).map(Loaded::Overview),
        Request::Receivables => source.receivables(as_of).map(Loaded::Receivables),
        Request::Customer(id) => source.customer(*id, as_of).map(Loaded::Customer),
        Request::Invoice(id) => source.invoice(*id, as_of).map(Loaded::Invoice),
        Request::Signals => source.signals(as_of).map(Loaded::Signals),
        Request::Queue => source.queue(as_of).map(Loaded::Queue),
        Request::Forecast(r) => source.forecast(as_of, r).map(Loaded::Forecast),
        Request::Matching => source.matching(as_of).map(Loaded::Matching),
        Request::MatchSuggestions { ids, rules_idle } => source
            .match_suggestions(ids, *rules_idle)
            .map(Loaded::MatchSuggestions),
        Request::Imports => source.imports().map(Loaded::Imports),
    };
    loaded.map(Msg::Loaded).unwrap_or_else(failure)
}

pub fn write(source: &mut dyn DataSource, command: &Command, actor: &Actor) -> Msg {
    let done = match command {
        Command::Outcome {
            customer,
            name,
            outcome,
        } => source
            .record_outcome(actor, *customer, outcome)
            .map(|_| Status::Recorded {
                name: name.clone(),
                outcome: outcome.kind(),
            }),
        Command::Undo => source.undo_last(actor).map(Status::Undone),
        Command::AcceptMatch {
            transaction,
            suggestion,
        } => source
            .accept_match(actor, *transaction, suggestion)
            .map(|_| Status::MatchAccepted),
        Command::RejectMatch {
            transaction,
            customer,
        } => source
            .reject_match(actor, *transaction, *customer)
            .map(|_| Status::MatchRejected),
        Command::Assign {
            transaction,
            customer_code,
        } => source
            .assign(actor, *transaction, customer_code)
            .map(|_| Status::Assigned(customer_code.clone())),
        Command::SetLimit { customer, limit } => source
            .set_limit(actor, *customer, *limit)
            .map(|_| Status::LimitSet),
        Command::SetSegment { customer, segment } => source
            .set_segment(actor, *customer, *segment)
            .map(|_| Status::SegmentSet),
    };
    done.map(Msg::Done).unwrap_or_else(failure)
}

/// Claims the line (releasing the one held before); a failure is only a status line: the
/// operator can still work, the colleague just won't see the claim.
pub fn claim(
    source: &mut dyn DataSource,
    customer: Option<CustomerId>,
    actor: &Actor,
) -> Option<Msg> {
    let held = match customer {
        Some(c) => source.claim(actor, c),
        None => source.release_claims(actor).map(|_| None),
    };
    match (held, customer) {
        (Ok(held_by), Some(customer)) => Some(Msg::Claimed { customer, held_by }),
        (Ok(_), None) => None,
        (Err(e), _) => Some(Msg::Notice {
            text: e.to_string(),
            problem: true,
            reload: false,
        }),
    }
}

/// The answer to one effect; `None` for `Quit`, which the event loop handles itself.
pub fn execute(
    source: &mut dyn DataSource,
    effect: &Effect,
    as_of: NaiveDate,
    actor: &Actor,
) -> Option<Msg> {
    match effect {
        Effect::Load(r) => Some(load(source, r, as_of)),
        Effect::Write(c) => Some(write(source, c, actor)),
        Effect::Claim(customer) => claim(source, *customer, actor),
        Effect::Release(_) | Effect::Quit => None,
    }
}
