//! The ageing table: sortable, filterable, drill down to a customer.

use super::{move_selection, push_page};
use crate::app::nav::{Page, Selection};
use crate::app::prompt::{FieldLabel, Prompt, Purpose};
use crate::app::views::{ReceivableRow, ReceivablesView};
use crate::app::{Action, App, Effect};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Overdue,
    Open,
    OldestLate,
    Name,
    Code,
}

impl SortKey {
    pub fn next(self) -> SortKey {
        match self {
            SortKey::Overdue => SortKey::Open,
            SortKey::Open => SortKey::OldestLate,
            SortKey::OldestLate => SortKey::Name,
            SortKey::Name => SortKey::Code,
            SortKey::Code => SortKey::Overdue,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReceivablesState {
    pub selection: Selection,
    pub sort: SortKey,
    /// Ascending instead of the natural order (largest amounts and names A→Z first).
    pub reversed: bool,
    pub filter: String,
    /// Indices into the loaded rows, filtered and sorted. Worked out when the data, the
    /// sort or the filter change, so that neither a frame nor a key press sorts 20,000
    /// customers.
    pub order: Vec<usize>,
}

fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The order of the rows shown: filtered (code or name, case and accents ignored), then
/// sorted, as indices into `view.rows`.
pub fn order_rows(view: &ReceivablesView, state: &ReceivablesState) -> Vec<usize> {
    let needle = fold(state.filter.trim());
    let by_name = state.sort == SortKey::Name;
    // Folded once per row, not once per comparison.
    let mut rows: Vec<(usize, String)> = view
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            needle.is_empty() || fold(&r.name).contains(&needle) || fold(&r.code).contains(&needle)
        })
        .map(|(i, r)| {
            (
                i,
                if by_name {
                    fold(&r.name)
                } else {
                    String::new()
                },
            )
        })
        .collect();
    let rows_of = &view.rows;
    rows.sort_by(|(ia, fa), (ib, fb)| {
        let (a, b) = (&rows_of[*ia], &rows_of[*ib]);
        let natural = match state.sort {
            SortKey::Overdue => b.overdue.cmp(&a.overdue).then_with(|| b.open.cmp(&a.open)),
            SortKey::Open => b.open.cmp(&a.open),
            SortKey::OldestLate => b.oldest_days_late.cmp(&a.oldest_days_late),
            SortKey::Name => fa.cmp(fb),
            SortKey::Code => a.code.cmp(&b.code),
        }
        .then_with(|| a.customer_id.cmp(&b.customer_id));
        if state.reversed {
            natural.reverse()
        } else {
            natural
        }
    });
    rows.into_iter().map(|(i, _)| i).collect()
}

/// The rows shown, in the order worked out by the last `resync`.
pub fn visible_rows<'a>(
    view: &'a ReceivablesView,
    state: &ReceivablesState,
) -> Vec<&'a ReceivableRow> {
    state
        .order
        .iter()
        .filter_map(|i| view.rows.get(*i))
        .collect()
}

pub(crate) fn keys(app: &App) -> Vec<i64> {
    app.data
        .receivables
        .as_ref()
        .map(|v| {
            app.screens
                .receivables
                .order
                .iter()
                .filter_map(|i| v.rows.get(*i).map(|r| r.customer_id))
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    let keys = keys(app);
    let page = app.page_len();
    let state = &mut app.screens.receivables;
    if move_selection(&mut state.selection, action, &keys, page) {
        return vec![];
    }
    match action {
        Action::Sort => {
            state.sort = state.sort.next();
            state.reversed = false;
        }
        Action::ReverseSort => state.reversed = !state.reversed,
        Action::Filter => {
            app.prompt = Some(Prompt::one_text(
                Purpose::Filter,
                FieldLabel::Filter,
                state.filter.clone(),
            ));
            return vec![];
        }
        Action::Open => {
            if let Some(id) = state.selection.key {
                return push_page(app, Page::customer(id));
            }
            return vec![];
        }
        _ => return vec![],
    }
    resync(app);
    vec![]
}

/// After the data, the order or the filter changed: work the order out again and keep the
/// same customer selected if still shown.
pub(crate) fn resync(app: &mut App) {
    app.screens.receivables.order = app
        .data
        .receivables
        .as_ref()
        .map(|v| order_rows(v, &app.screens.receivables))
        .unwrap_or_default();
    let keys = keys(app);
    app.screens.receivables.selection.sync(&keys);
}
