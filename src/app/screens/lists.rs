//! The screens that are a list to open: overview (top overdue), signals, imports, and the
//! drill-down pages (customer, invoice).

use super::queue::outcome_action;
use super::{move_selection, push_page};
use crate::app::nav::Page;
use crate::app::prompt::{FieldLabel, Prompt, Purpose, amount_input};
use crate::app::{Action, App, Effect, Status};

pub(crate) fn overview_keys(app: &App) -> Vec<i64> {
    app.data
        .overview
        .as_ref()
        .map(|o| o.ageing.top_overdue.iter().map(|t| t.customer_id).collect())
        .unwrap_or_default()
}

pub(super) fn overview(app: &mut App, action: Action) -> Vec<Effect> {
    let keys = overview_keys(app);
    let page = app.page_len();
    if move_selection(&mut app.screens.overview, action, &keys, page) {
        return vec![];
    }
    match (action, app.screens.overview.key) {
        (Action::Open, Some(id)) => push_page(app, Page::customer(id)),
        _ => vec![],
    }
}

pub(crate) fn signal_keys(app: &App) -> Vec<i64> {
    app.data
        .signals
        .as_ref()
        .map(|s| s.rows.iter().map(|r| r.customer_id).collect())
        .unwrap_or_default()
}

pub(super) fn signals(app: &mut App, action: Action) -> Vec<Effect> {
    let keys = signal_keys(app);
    let page = app.page_len();
    if move_selection(&mut app.screens.signals, action, &keys, page) {
        return vec![];
    }
    match (action, app.screens.signals.key) {
        (Action::Open, Some(id)) => push_page(app, Page::customer(id)),
        _ => vec![],
    }
}

pub(crate) fn import_keys(app: &App) -> Vec<i64> {
    app.data
        .imports
        .as_ref()
        .map(|i| i.imports.iter().map(|r| r.import_id).collect())
        .unwrap_or_default()
}

pub(super) fn imports(app: &mut App, action: Action) -> Vec<Effect> {
    let keys = import_keys(app);
    let page = app.page_len();
    move_selection(&mut app.screens.imports, action, &keys, page);
    vec![]
}

pub(super) fn customer(app: &mut App, action: Action) -> Vec<Effect> {
    let page_len = app.page_len();
    let Some(Page::Customer {
        id,
        view,
        selection,
    }) = app.pages.last_mut()
    else {
        return vec![];
    };
    let id = *id;
    let keys: Vec<i64> = view
        .as_ref()
        .map(|v| v.open_invoices.iter().map(|i| i.invoice_id).collect())
        .unwrap_or_default();
    if move_selection(selection, action, &keys, page_len) {
        return vec![];
    }
    let selected = selection.key;
    let Some(v) = view.as_ref() else {
        return vec![];
    };
    let name = v.name.clone();
    // A promise usually covers what is late; with nothing late, what is open.
    let amount = if v.overdue > rust_decimal::Decimal::ZERO {
        v.overdue
    } else {
        v.exposure.max(rust_decimal::Decimal::ZERO)
    };
    let limit = v.credit_limit;
    let segment = v.segment;
    let lang = app.cfg.lang;
    match action {
        Action::Open => match selected {
            Some(invoice) => push_page(app, Page::invoice(invoice)),
            None => vec![],
        },
        Action::SetLimit | Action::SetSegment if app.cfg.read_only => {
            app.status = Some(Status::ReadOnly);
            vec![]
        }
        Action::SetLimit => {
            let current = limit.map(|l| amount_input(l, lang)).unwrap_or_default();
            app.prompt = Some(Prompt::one_text(
                Purpose::SetLimit { customer: id },
                FieldLabel::Limit,
                current,
            ));
            vec![]
        }
        Action::SetSegment => {
            app.prompt = Some(Prompt::one_text(
                Purpose::SetSegment { customer: id },
                FieldLabel::Segment,
                segment.as_str().to_string(),
            ));
            vec![]
        }
        _ => outcome_action(app, action, id, name, amount),
    }
}

pub(super) fn invoice(app: &mut App, action: Action) -> Vec<Effect> {
    let page = app.page_len().max(1) as usize;
    if let Some(Page::Invoice { scroll, .. }) = app.pages.last_mut() {
        *scroll = match action {
            Action::Down => scroll.saturating_add(1),
            Action::Up => scroll.saturating_sub(1),
            Action::PageDown => scroll.saturating_add(page),
            Action::PageUp => scroll.saturating_sub(page),
            Action::Top => 0,
            // The renderer clamps it to the content.
            Action::Bottom => usize::MAX / 2,
            _ => *scroll,
        };
    }
    vec![]
}
