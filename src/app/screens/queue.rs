//! The call list: one key per outcome, the handled line leaves and the next one is selected
//! (the reload brings the queue without it, and the selection falls on the line below).

use super::{move_selection, push_page};
use crate::app::msg::{Command, Status};
use crate::app::nav::Page;
use crate::app::prompt::{FieldLabel, Prompt, Purpose};
use crate::app::source::Outcome;
use crate::app::{Action, App, Effect};
use crate::domain::model::CustomerId;
use rust_decimal::Decimal;

pub(crate) fn keys(app: &App) -> Vec<i64> {
    app.data
        .queue
        .as_ref()
        .map(|q| q.lines.iter().map(|l| l.customer_id).collect())
        .unwrap_or_default()
}

pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    let keys = keys(app);
    let page = app.page_len();
    if move_selection(&mut app.screens.queue, action, &keys, page) {
        return vec![];
    }
    let Some(line) = app.data.queue.as_ref().and_then(|q| {
        let key = app.screens.queue.key?;
        q.lines.iter().find(|l| l.customer_id == key)
    }) else {
        return vec![];
    };
    let (id, name, at_stake) = (line.customer_id, line.name.clone(), line.at_stake);
    if action == Action::Open {
        return push_page(app, Page::customer(id));
    }
    outcome_action(app, action, id, name, at_stake)
}

/// The outcome keys, shared by the call list and the customer page: record at once, or open
/// the prompt that asks for what the outcome needs.
pub(crate) fn outcome_action(
    app: &mut App,
    action: Action,
    customer: CustomerId,
    name: String,
    at_stake: Decimal,
) -> Vec<Effect> {
    let (today, lang) = (app.cfg.today, app.cfg.lang);
    let immediate = match action {
        Action::Reached => Some(Outcome::Reached),
        Action::NoAnswer => Some(Outcome::NoAnswer),
        Action::Voicemail => Some(Outcome::Voicemail),
        Action::LetterWritten => Some(Outcome::LetterWritten),
        _ => None,
    };
    let prompt = match action {
        Action::Promise => Some(Prompt::promise(
            customer,
            name.clone(),
            at_stake,
            today,
            lang,
        )),
        Action::Dispute => Some(Prompt::one_text(
            Purpose::Dispute {
                customer,
                name: name.clone(),
            },
            FieldLabel::Reason,
            String::new(),
        )),
        Action::Plan => Some(Prompt::one_text(
            Purpose::Plan {
                customer,
                name: name.clone(),
            },
            FieldLabel::Detail,
            String::new(),
        )),
        Action::Snooze => Some(Prompt::snooze(customer, name.clone(), today, lang)),
        Action::Note => Some(Prompt::one_text(
            Purpose::Note {
                customer,
                name: name.clone(),
            },
            FieldLabel::Text,
            String::new(),
        )),
        _ => None,
    };
    if (immediate.is_some() || prompt.is_some()) && app.cfg.read_only {
        app.status = Some(Status::ReadOnly);
        return vec![];
    }
    if let Some(p) = prompt {
        app.prompt = Some(p);
        return vec![];
    }
    match immediate {
        Some(outcome) => write(
            app,
            Command::Outcome {
                customer,
                name,
                outcome,
            },
        ),
        None => vec![],
    }
}

/// Sends a write, unless the session is read-only.
pub(crate) fn write(app: &mut App, command: Command) -> Vec<Effect> {
    if app.cfg.read_only {
        app.status = Some(Status::ReadOnly);
        return vec![];
    }
    app.pending += 1;
    vec![Effect::Write(command)]
}
