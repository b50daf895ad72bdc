//! The forecast: a scenario, customers pushed later, and which lower pane a small terminal
//! shows. Each change asks for the forecast again, so the chart moves at once.

use super::{move_selection, push_page};
use crate::app::nav::{Page, Selection};
use crate::app::views::ForecastRequest;
use crate::app::{Action, App, Effect, Request};

/// Days a push moves a customer's receipts.
pub const PUSH_DAYS: u32 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LowerPane {
    #[default]
    Table,
    RiskPeriods,
    Customers,
}

impl LowerPane {
    pub fn next(self) -> LowerPane {
        match self {
            LowerPane::Table => LowerPane::RiskPeriods,
            LowerPane::RiskPeriods => LowerPane::Customers,
            LowerPane::Customers => LowerPane::Table,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ForecastState {
    pub request: ForecastRequest,
    /// Among the customers' expected receipts.
    pub selection: Selection,
    pub pane: LowerPane,
}

pub(crate) fn keys(app: &App) -> Vec<i64> {
    app.data
        .forecast
        .as_ref()
        .map(|f| f.inflows.iter().map(|i| i.customer_id).collect())
        .unwrap_or_default()
}

pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    let keys = keys(app);
    let page = app.page_len();
    let state = &mut app.screens.forecast;
    if move_selection(&mut state.selection, action, &keys, page) {
        return vec![];
    }
    match action {
        Action::Scenario => state.request.scenario = state.request.scenario.next(),
        Action::PushCustomer => {
            let Some(id) = state.selection.key else {
                return vec![];
            };
            let pushed = &mut state.request.pushed;
            if let Some(i) = pushed.iter().position(|(c, _)| *c == id) {
                pushed.remove(i);
            } else {
                pushed.push((id, PUSH_DAYS));
            }
        }
        Action::CyclePane => {
            state.pane = state.pane.next();
            return vec![];
        }
        Action::Open => {
            return match state.selection.key {
                Some(id) => push_page(app, Page::customer(id)),
                None => vec![],
            };
        }
        _ => return vec![],
    }
    app.pending += 1;
    vec![Effect::Load(Request::Forecast(
        app.screens.forecast.request.clone(),
    ))]
}
