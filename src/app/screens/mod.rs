//! Per-screen state and what each screen does with an action. A screen's state is plain data
//! (a selection, a sort, a filter); its handler turns an action into state changes and
//! effects, never into I/O.

mod forecast;
mod lists;
mod matching;
mod queue;
mod receivables;

pub use forecast::{ForecastState, LowerPane};
pub use matching::MatchingState;
pub use matching::current as current_match;
pub(crate) use matching::{
    ask_page as ask_match_page, store_suggestions as store_match_suggestions,
};
pub use receivables::{ReceivablesState, SortKey, visible_rows};

pub(crate) use lists::overview_keys;
pub(crate) use queue::write as queue_write;
pub(crate) use receivables::resync as resync_receivables;

use super::nav::{Page, Selection, Tab};
use super::{Action, App, Effect};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Screens {
    /// The top-overdue list of the overview.
    pub overview: Selection,
    pub receivables: ReceivablesState,
    pub signals: Selection,
    pub queue: Selection,
    pub forecast: ForecastState,
    pub matching: MatchingState,
    pub imports: Selection,
}

/// The action on whatever is on screen: the top page if any, else the tab.
pub fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    match app.page() {
        Some(Page::Customer { .. }) => return lists::customer(app, action),
        Some(Page::Invoice { .. }) => return lists::invoice(app, action),
        None => {}
    }
    match app.tab {
        Tab::Overview => lists::overview(app, action),
        Tab::Receivables => receivables::on_action(app, action),
        Tab::Signals => lists::signals(app, action),
        Tab::Queue => queue::on_action(app, action),
        Tab::Forecast => forecast::on_action(app, action),
        Tab::Matching => matching::on_action(app, action),
        Tab::Imports => lists::imports(app, action),
    }
}

/// Up/down/page/top/bottom on a selection over `keys`; false if `action` is not a move.
pub(crate) fn move_selection(
    selection: &mut Selection,
    action: Action,
    keys: &[i64],
    page: isize,
) -> bool {
    match action {
        Action::Up => selection.move_by(-1, keys),
        Action::Down => selection.move_by(1, keys),
        Action::PageUp => selection.move_by(-page, keys),
        Action::PageDown => selection.move_by(page, keys),
        Action::Top => selection.select(0, keys),
        Action::Bottom => selection.select(keys.len().saturating_sub(1), keys),
        _ => return false,
    }
    true
}

/// Opens a drill-down page and asks for its data.
pub(crate) fn push_page(app: &mut App, page: Page) -> Vec<Effect> {
    let request = match &page {
        Page::Customer { id, .. } => super::Request::Customer(*id),
        Page::Invoice { id, .. } => super::Request::Invoice(*id),
    };
    app.pages.push(page);
    app.pending += 1;
    vec![Effect::Load(request)]
}
