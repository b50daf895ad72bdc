//! Bank credits to match: accept or reject the suggestion shown, or name the customer.

use super::queue::write;
use super::{move_selection, push_page};
use crate::app::msg::Command;
use crate::app::nav::{Page, Selection};
use crate::app::prompt::{FieldLabel, Prompt, Purpose};
use crate::app::views::{MatchRow, Suggestion};
use crate::app::{Action, App, Effect, Status};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchingState {
    pub selection: Selection,
    /// Which of the selected line's suggestions is shown.
    pub suggestion: usize,
}

pub(crate) fn keys(app: &App) -> Vec<i64> {
    app.data
        .matching
        .as_ref()
        .map(|m| m.rows.iter().map(|r| r.transaction_id).collect())
        .unwrap_or_default()
}

/// The selected bank line and the suggestion on show.
pub fn current(app: &App) -> Option<(&MatchRow, Option<&Suggestion>)> {
    let key = app.screens.matching.selection.key?;
    let row = app
        .data
        .matching
        .as_ref()?
        .rows
        .iter()
        .find(|r| r.transaction_id == key)?;
    let n = row.suggestions.len();
    let suggestion = if n == 0 {
        None
    } else {
        row.suggestions
            .get(app.screens.matching.suggestion.min(n - 1))
    };
    Some((row, suggestion))
}

pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    let keys = keys(app);
    let page = app.page_len();
    let before = app.screens.matching.selection.key;
    if move_selection(&mut app.screens.matching.selection, action, &keys, page) {
        if app.screens.matching.selection.key != before {
            app.screens.matching.suggestion = 0;
        }
        return vec![];
    }
    let Some((row, suggestion)) = current(app) else {
        return vec![];
    };
    let transaction = row.transaction_id;
    let count = row.suggestions.len();
    let suggestion = suggestion.cloned();
    match action {
        Action::NextSuggestion if count > 0 => {
            let s = &mut app.screens.matching.suggestion;
            *s = (*s + 1).min(count - 1);
            vec![]
        }
        Action::PrevSuggestion => {
            let s = &mut app.screens.matching.suggestion;
            *s = s.saturating_sub(1);
            vec![]
        }
        Action::Accept => match suggestion {
            Some(suggestion) => write(
                app,
                Command::AcceptMatch {
                    transaction,
                    suggestion,
                },
            ),
            None => vec![],
        },
        Action::Reject => match suggestion {
            Some(s) => write(
                app,
                Command::RejectMatch {
                    transaction,
                    customer: s.customer_id,
                },
            ),
            None => vec![],
        },
        Action::Assign => {
            if app.cfg.read_only {
                app.status = Some(Status::ReadOnly);
            } else {
                app.prompt = Some(Prompt::one_text(
                    Purpose::Assign { transaction },
                    FieldLabel::CustomerCode,
                    String::new(),
                ));
            }
            vec![]
        }
        Action::Open => match suggestion {
            Some(s) => push_page(app, Page::customer(s.customer_id)),
            None => vec![],
        },
        _ => vec![],
    }
}
