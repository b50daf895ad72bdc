//! Cash forecast (prévision de trésorerie), DOMAIN.md "Cash forecast": from the opening bank
//! position, open receivables at their expected dates and the planned outflows, 13 weeks
//! ahead (daily, then weekly), with the lowest point and the risk periods named, in several
//! scenarios side by side. Also: how far saved forecasts were from what happened
//! (`accuracy`) and how well payment dates are predicted (`backtest`).
//!
//! The store streams rows into `ReceivablesAccumulator` and `DelayTable`, so the inputs stay
//! small whatever the number of invoices; `compute` is then a pure function of them.

pub mod accuracy;
pub mod backtest;
pub mod calendar;
pub mod delays;
pub mod engine;
pub mod inputs;
pub mod periods;
pub mod receipts;
pub mod recurring;
pub mod risk;
pub mod scenario;

#[cfg(test)]
mod tests;

pub use delays::{DelayEstimate, DelayHistogram, DelayModel, DelayTable};
pub use engine::{Forecast, ForecastInputs, NetCash, ScenarioForecast, compute};
pub use inputs::{
    AccountPosition, BalanceSource, Commitment, CommitmentKind, ForecastParams, ItemKey,
    OpeningPosition, Outflow, SupplierDue,
};
pub use periods::Period;
pub use receipts::{ReceiptBook, ReceivablesAccumulator};
pub use recurring::{DayRule, OutflowKind, RecurringItem, Schedule};
pub use risk::{Cause, CauseKind, LowestPoint, RiskPeriod};
pub use scenario::{Push, Scenario, ScenarioKind, Toggles};
