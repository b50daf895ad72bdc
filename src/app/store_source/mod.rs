//! The `DataSource` over the SQLite store, for what the store holds today: ageing,
//! customers, invoices, allocations, bank balances and lines, imports and refusals, the event
//! log. Weak signals, the reminder queue, the forecast and matching suggestions are computed
//! by their own modules: until those are wired here, their views come back empty with
//! `Notice::NotComputedYet`, carrying only what the store can already tell (disputed
//! invoices, the stale-bank gate, the opening balance, unmatched bank credits). No invented
//! data: an empty screen says why it is empty.

mod customer;
mod invoice;
mod ledger;
mod writes;

use super::source::{DataSource, Feature, Outcome, SourceError, SourceResult};
use super::views::*;
use crate::config::Settings;
use crate::domain::ageing::Buckets;
use crate::domain::model::{CustomerId, InvoiceId, Segment, TransactionId};
use crate::domain::money::Currency;
use crate::store::{Actor, Store};
use chrono::NaiveDate;
use rust_decimal::Decimal;

impl From<rusqlite::Error> for SourceError {
    fn from(e: rusqlite::Error) -> Self {
        SourceError::Store(crate::store::StoreError::Sqlite(e))
    }
}

/// The settings the source needs, taken from `Settings` once.
#[derive(Debug, Clone)]
pub struct SourceSettings {
    pub buckets: Buckets,
    pub default_terms_days: u32,
    pub stale_after_days: u32,
    pub currency: Currency,
    pub company: String,
}

impl SourceSettings {
    pub fn from_settings(s: &Settings) -> SourceSettings {
        SourceSettings {
            buckets: s.buckets(),
            default_terms_days: s.general.default_terms_days,
            stale_after_days: s.bank.stale_after_days,
            currency: s.general.currency,
            company: s.general.company_name.clone(),
        }
    }
}

pub struct StoreSource {
    store: Store,
    settings: SourceSettings,
}

impl StoreSource {
    pub fn new(store: Store, settings: SourceSettings) -> StoreSource {
        StoreSource { store, settings }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}

impl DataSource for StoreSource {
    fn overview(&self, as_of: NaiveDate) -> SourceResult<OverviewView> {
        ledger::overview(self.store.conn(), &self.settings, as_of)
    }

    fn receivables(&self, as_of: NaiveDate) -> SourceResult<ReceivablesView> {
        ledger::receivables(self.store.conn(), &self.settings, as_of)
    }

    fn customer(&self, id: CustomerId, as_of: NaiveDate) -> SourceResult<CustomerView> {
        customer::customer(self.store.conn(), &self.settings, id, as_of)
    }

    fn invoice(&self, id: InvoiceId, as_of: NaiveDate) -> SourceResult<InvoiceView> {
        invoice::invoice(self.store.conn(), &self.settings, id, as_of)
    }

    fn signals(&self, _as_of: NaiveDate) -> SourceResult<SignalsView> {
        Ok(SignalsView {
            rows: Vec::new(),
            notice: Some(Notice::NotComputedYet),
        })
    }

    fn queue(&self, as_of: NaiveDate) -> SourceResult<QueueView> {
        ledger::queue_gate(self.store.conn(), &self.settings, as_of)
    }

    fn forecast(&self, as_of: NaiveDate, request: &ForecastRequest) -> SourceResult<ForecastView> {
        ledger::forecast_start(self.store.conn(), &self.settings, as_of, request)
    }

    fn matching(&self, as_of: NaiveDate) -> SourceResult<MatchingView> {
        ledger::unmatched_credits(self.store.conn(), &self.settings, as_of)
    }

    fn imports(&self) -> SourceResult<ImportsView> {
        ledger::imports(self.store.conn())
    }

    fn record_outcome(
        &mut self,
        actor: &Actor,
        customer: CustomerId,
        outcome: &Outcome,
    ) -> SourceResult<()> {
        writes::record_outcome(&mut self.store, actor, customer, outcome)
    }

    fn undo_last(&mut self, actor: &Actor) -> SourceResult<String> {
        writes::undo_last(&mut self.store, actor)
    }

    fn accept_match(&mut self, _: &Actor, _: TransactionId, _: &Suggestion) -> SourceResult<()> {
        Err(SourceError::NotAvailable(Feature::Matching))
    }

    fn reject_match(&mut self, _: &Actor, _: TransactionId, _: CustomerId) -> SourceResult<()> {
        Err(SourceError::NotAvailable(Feature::Matching))
    }

    fn assign(&mut self, _: &Actor, _: TransactionId, _: &str) -> SourceResult<()> {
        Err(SourceError::NotAvailable(Feature::Matching))
    }

    fn set_limit(
        &mut self,
        actor: &Actor,
        customer: CustomerId,
        limit: Option<Decimal>,
    ) -> SourceResult<()> {
        writes::set_limit(&mut self.store, actor, customer, limit)
    }

    fn set_segment(
        &mut self,
        actor: &Actor,
        customer: CustomerId,
        segment: Segment,
    ) -> SourceResult<()> {
        writes::set_segment(&mut self.store, actor, customer, segment)
    }

    fn data_version(&self) -> SourceResult<Option<i64>> {
        let v: i64 = self
            .store
            .conn()
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok(Some(v))
    }
}
