//! Bank credits to match: accept or reject the suggestion shown, or name the customer.

use super::queue::write;
use super::{move_selection, push_page};
use crate::app::msg::{Command, Request};
use crate::app::nav::{Page, Selection};
use crate::app::prompt::{FieldLabel, Prompt, Purpose};
use crate::app::views::{MatchRow, MatchSuggestions, Suggestion};
use crate::app::{Action, App, Effect, Status};
use crate::domain::model::TransactionId;
use std::collections::HashSet;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchingState {
    pub selection: Selection,
    /// Which of the selected line's suggestions is shown.
    pub suggestion: usize,
    /// Credits whose suggestions were asked for and have not come yet.
    pub asked: HashSet<TransactionId>,
}

/// Pages of rows asked for behind and ahead of the cursor: each answer runs the automatic
/// rules over every credit again (what is left, and what it may pay, depends on them), so
/// fewer, larger asks serve scrolling better.
const PAGES_BEHIND: usize = 1;
const PAGES_AHEAD: usize = 3;

/// Asks for the suggestions around the cursor when a row of the page it starts has none
/// and none are on their way.
pub(crate) fn ask_page(app: &mut App) -> Vec<Effect> {
    let page = app.page_len().max(1) as usize;
    let Some(m) = app.data.matching.as_ref() else {
        return vec![];
    };
    let state = &app.screens.matching;
    let at = state.selection.index.min(m.rows.len().saturating_sub(1));
    let missing = |r: &&MatchRow| !r.suggested && !state.asked.contains(&r.transaction_id);
    let end = |n: usize| (at + n).min(m.rows.len());
    if !m.rows[at..end(page)].iter().any(|r| missing(&r)) {
        return vec![];
    }
    let from = at.saturating_sub(PAGES_BEHIND * page);
    let ids: Vec<TransactionId> = m.rows[from..end(PAGES_AHEAD * page)]
        .iter()
        .filter(missing)
        .map(|r| r.transaction_id)
        .collect();
    let rules_idle = m.rules_idle;
    app.screens.matching.asked.extend(ids.iter().copied());
    app.pending += 1;
    vec![Effect::Load(Request::MatchSuggestions { ids, rules_idle })]
}

/// Files the suggestions that came; a credit no longer waiting keeps none.
pub(crate) fn store_suggestions(app: &mut App, v: MatchSuggestions) {
    for id in &v.asked {
        app.screens.matching.asked.remove(id);
    }
    let Some(m) = app.data.matching.as_mut() else {
        return;
    };
    let asked: HashSet<TransactionId> = v.asked.into_iter().collect();
    let mut found: std::collections::HashMap<TransactionId, Vec<Suggestion>> =
        v.rows.into_iter().collect();
    for row in m.rows.iter_mut() {
        if asked.contains(&row.transaction_id) {
            row.suggestions = found.remove(&row.transaction_id).unwrap_or_default();
            row.suggested = true;
        }
    }
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
        return ask_page(app);
    }
    let Some((row, suggestion)) = current(app) else {
        return vec![];
    };
    // Accept and reject act on the suggestion on show: none is, until they have come.
    if !row.suggested && matches!(action, Action::Accept | Action::Reject) {
        app.status = Some(Status::SuggestionsLoading);
        return vec![];
    }
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
