//! The `DataSource` over the SQLite store: ageing, customers, invoices, allocations, bank
//! balances and lines, imports and refusals, the event log from the ledger tables; weak
//! signals, the reminder queue, outcomes and the customer's risk from `store::intel`; the
//! forecast from `store::forecast`; suggestions and manual decisions from `store::matching`;
//! claims on the call list from `store::claims`.

mod customer;
mod forecast;
mod intel;
mod invoice;
mod ledger;
mod matching;
pub mod snapshot;
mod writes;

use super::source::{DataSource, Outcome, SourceError, SourceResult};
use super::views::*;
use crate::config::{ConfigError, Settings};
use crate::domain::ageing::Buckets;
use crate::domain::model::{CustomerId, InvoiceId, Segment, TransactionId};
use crate::domain::money::Currency;
use crate::locale::Language;
use crate::policy::{self, Dunning};
use crate::store::bank_sums::BankLines;
use crate::store::{Actor, Store, claims};
use chrono::NaiveDate;
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use std::cell::{Cell, RefCell};

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
    pub lang: Language,
    /// The whole settings, for the computations that borrow them (`intel::Params`, the
    /// forecast and matching parameters).
    pub full: Settings,
    pub dunning: Dunning,
}

impl SourceSettings {
    /// Fails when the dunning policy file named in `[dunning]` cannot be read or is invalid.
    pub fn from_settings(s: &Settings, lang: Language) -> Result<SourceSettings, ConfigError> {
        Ok(SourceSettings {
            buckets: s.buckets(),
            default_terms_days: s.general.default_terms_days,
            stale_after_days: s.bank.stale_after_days,
            currency: s.general.currency,
            company: s.general.company_name.clone(),
            lang,
            full: s.clone(),
            dunning: policy::load(&s.dunning)?,
        })
    }
}

pub struct StoreSource {
    store: Store,
    settings: SourceSettings,
    /// The operator of this session: their own claims are not shown as someone else's.
    who: String,
    /// The runtime's clock, for which claims are still running.
    clock: fn() -> NaiveDateTime,
    /// Bumped by each write here: `PRAGMA data_version` only sees other connections' writes.
    writes: Cell<u64>,
    intel: RefCell<Option<intel::Intel>>,
    /// What the start views depend on in the settings, digested once (see `snapshot`).
    settings_digest: [u8; 16],
    /// Whether computed start views are filed when the worker is idle rather than before
    /// they are answered (the cockpit: encoding and writing the queue view takes longer
    /// than building it from the kept intelligence).
    file_when_idle: bool,
    /// The day whose start views were computed but not filed yet, with the data's version
    /// then: views the data have moved past are left to the next request.
    unfiled: Cell<Option<(NaiveDate, i64, u64)>>,
}

fn midnight() -> NaiveDateTime {
    NaiveDateTime::default()
}

impl StoreSource {
    pub fn new(store: Store, settings: SourceSettings) -> StoreSource {
        let settings_digest = snapshot::settings_digest(&settings);
        StoreSource {
            settings_digest,
            store,
            settings,
            who: String::new(),
            clock: midnight,
            writes: Cell::new(0),
            intel: RefCell::new(None),
            file_when_idle: false,
            unfiled: Cell::new(None),
        }
    }

    /// Files the start views it computes when `DataSource::idle` is called instead of
    /// before answering: for the cockpit, whose worker is idle between key presses.
    pub fn filing_when_idle(mut self) -> StoreSource {
        self.file_when_idle = true;
        self
    }

    /// Who works this session and the clock their claims are read against.
    pub fn with_operator(mut self, who: &str, clock: fn() -> NaiveDateTime) -> StoreSource {
        self.who = who.to_string();
        self.clock = clock;
        self
    }

    fn wrote(&self) {
        self.writes.set(self.writes.get() + 1);
    }

    /// Which business data the database holds: every action appends to the event log and
    /// every file to the imports, so the newest of each changes with anything the gather
    /// reads. Unlike `PRAGMA data_version` it does not move when a colleague merely claims a
    /// call-list line, which would otherwise recompute every customer on each of their moves.
    fn business_version(&self) -> SourceResult<i64> {
        let (events, imports): (i64, i64) = self.store.conn().query_row(
            "SELECT COALESCE((SELECT MAX(id) FROM events), 0),
                    COALESCE((SELECT MAX(id) FROM imports), 0)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        // Pairs them in one number: neither id comes near 2^32.
        Ok(events.wrapping_shl(32) ^ imports)
    }

    /// The gather for `as_of`, reused until the date or the business data change.
    fn with_intel<T>(
        &self,
        as_of: NaiveDate,
        f: impl FnOnce(&mut intel::Intel) -> SourceResult<T>,
    ) -> SourceResult<T> {
        let version = self.business_version()?;
        let key = (as_of, version, self.writes.get());
        let mut cache = self.intel.borrow_mut();
        if cache.as_ref().is_none_or(|i| i.key != key) {
            let previous = cache.take();
            *cache = Some(intel::compute(
                self.store.conn(),
                &self.settings,
                key,
                previous,
            )?);
        }
        match cache.as_mut() {
            Some(i) => f(i),
            None => Err(SourceError::NotFound("intel".into())),
        }
    }

    /// Whether the kept gather is the one for `as_of` and the data as they are now.
    fn intel_current(&self, as_of: NaiveDate) -> SourceResult<bool> {
        let key = (as_of, self.business_version()?, self.writes.get());
        Ok(self.intel.borrow().as_ref().is_some_and(|i| i.key == key))
    }

    /// The snapshot key for views computed now: read before computing them.
    fn snapshot_key(&self, as_of: NaiveDate) -> SourceResult<snapshot::Key> {
        Ok(snapshot::Key::read(
            self.store.conn(),
            as_of,
            self.settings_digest,
            self.settings.lang,
        )?)
    }

    /// The view from the snapshot when it is the one for `key`, else computed and filed.
    /// A view is filed only if the snapshot is not already this one; failing to file it
    /// (read-only, another writer) leaves the computed view standing.
    fn snapshotted<T: serde::Serialize + serde::de::DeserializeOwned>(
        &self,
        kind: snapshot::Kind,
        (as_of, key): (NaiveDate, &snapshot::Key),
        look: bool,
        compute: impl FnOnce() -> SourceResult<T>,
    ) -> SourceResult<T> {
        let conn = self.store.conn();
        if look && let Some(view) = snapshot::get(conn, kind, key) {
            return Ok(view);
        }
        let view = compute()?;
        if !snapshot::is_current(conn, kind, key) {
            if self.file_when_idle {
                let version = self.business_version()?;
                self.unfiled.set(Some((as_of, version, self.writes.get())));
            } else {
                let _ = snapshot::put(&self.store, kind, key, &view);
            }
        }
        Ok(view)
    }

    /// What recording an outcome needs of the customer's line: from the kept gather when it
    /// is current, else from the queue snapshot for today, else from a gather.
    fn line_facts(&self, today: NaiveDate, customer: CustomerId) -> SourceResult<intel::LineFacts> {
        let from_gather =
            |i: &mut intel::Intel| Ok(intel::facts_from_queue(&i.live.queue, customer));
        if !self.intel_current(today)? {
            let key = self.snapshot_key(today)?;
            if let Some(view) =
                snapshot::get::<QueueView>(self.store.conn(), snapshot::Kind::Queue, &key)
            {
                return Ok(intel::facts_from_view(&view, customer));
            }
        }
        self.with_intel(today, from_gather)
    }

    /// Holds the customer for this operator for `[general] claim_minutes`, in place of the
    /// line they held before; says who holds it when someone else does.
    fn claim_for(&mut self, actor: &Actor, customer: CustomerId) -> SourceResult<Option<String>> {
        let ttl = chrono::Duration::minutes(i64::from(self.settings.full.general.claim_minutes));
        let out = self
            .store
            .write(|tx| claims::move_to(tx, customer, actor, ttl))?;
        // No `wrote()`: a claim changes no figure, only who is shown on the line.
        Ok(match out {
            claims::ClaimOutcome::Claimed { .. } => None,
            claims::ClaimOutcome::AlreadyClaimed { who, host, .. } => Some(format!("{who}@{host}")),
        })
    }

    /// Brings the start views' snapshot up to date for `as_of` (computing what does not
    /// match); true when all four are filed. `encours watch` calls it after each import and
    /// at the day's change, so that the next cockpit start finds them.
    pub fn refresh_snapshot(&mut self, as_of: NaiveDate) -> SourceResult<bool> {
        let deferred = std::mem::replace(&mut self.file_when_idle, false);
        let filed = self.file_start_views(as_of);
        self.file_when_idle = deferred;
        filed
    }

    fn file_start_views(&self, as_of: NaiveDate) -> SourceResult<bool> {
        let request = ForecastRequest::default();
        self.overview(as_of)?;
        self.signals(as_of)?;
        self.queue(as_of)?;
        self.forecast(as_of, &request)?;
        let key = self.snapshot_key(as_of)?;
        Ok([
            snapshot::Kind::Overview,
            snapshot::Kind::Signals,
            snapshot::Kind::Queue,
            snapshot::Kind::Forecast(request.scenario),
        ]
        .into_iter()
        .all(|k| snapshot::is_current(self.store.conn(), k, &key)))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// For a caller that writes beside the cockpit (the benchmark's import, tests): what it
    /// writes is seen as another connection's write would be.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}

impl DataSource for StoreSource {
    fn overview(&self, as_of: NaiveDate) -> SourceResult<OverviewView> {
        let key = self.snapshot_key(as_of)?;
        self.snapshotted(snapshot::Kind::Overview, (as_of, &key), true, || {
            // With the intelligence kept, the bank lines since each balance come from its
            // kept sums (as for the key figures and the forecast) instead of being summed.
            if self.intel.borrow().is_some() {
                return self.with_intel(as_of, |i| {
                    let sums = i.live.bank_sums(self.store.conn())?;
                    ledger::overview(
                        self.store.conn(),
                        &self.settings,
                        as_of,
                        BankLines::Kept(sums),
                    )
                });
            }
            ledger::overview(self.store.conn(), &self.settings, as_of, BankLines::Sql)
        })
    }

    fn receivables(&self, as_of: NaiveDate) -> SourceResult<ReceivablesView> {
        ledger::receivables(self.store.conn(), &self.settings, as_of)
    }

    fn customer(&self, id: CustomerId, as_of: NaiveDate) -> SourceResult<CustomerView> {
        let mut page = customer::customer(self.store.conn(), &self.settings, id, as_of)?;
        intel::overlay_customer(self.store.conn(), &self.settings, &mut page, as_of)?;
        Ok(page)
    }

    fn invoice(&self, id: InvoiceId, as_of: NaiveDate) -> SourceResult<InvoiceView> {
        invoice::invoice(self.store.conn(), &self.settings, id, as_of)
    }

    fn signals(&self, as_of: NaiveDate) -> SourceResult<SignalsView> {
        let key = self.snapshot_key(as_of)?;
        // A kept gather that is current answers faster than decoding the snapshot.
        let look = !self.intel_current(as_of)?;
        self.snapshotted(snapshot::Kind::Signals, (as_of, &key), look, || {
            self.with_intel(as_of, |i| Ok(intel::signals_view(i, &self.settings)))
        })
    }

    fn queue(&self, as_of: NaiveDate) -> SourceResult<QueueView> {
        // Claims are stamped on the cockpit's day (see the runtime's worker).
        let now = as_of.and_time((self.clock)().time());
        let key = self.snapshot_key(as_of)?;
        let look = !self.intel_current(as_of)?;
        let mut view = self.snapshotted(snapshot::Kind::Queue, (as_of, &key), look, || {
            self.with_intel(as_of, |i| Ok(intel::queue_view(i, &self.settings)))
        })?;
        intel::overlay_claims(&mut view, self.store.conn(), now, &self.who)?;
        Ok(view)
    }

    fn forecast(&self, as_of: NaiveDate, request: &ForecastRequest) -> SourceResult<ForecastView> {
        // With the intelligence kept (the overview asks for it), the forecast reads its open
        // items and keeps its delay table there; alone, it reads what it needs.
        let compute = || {
            if self.intel.borrow().is_some() {
                return self.with_intel(as_of, |i| {
                    forecast::forecast_live(self.store.conn(), &self.settings, &mut i.live, request)
                });
            }
            forecast::forecast(self.store.conn(), &self.settings, as_of, request)
        };
        if !request.pushed.is_empty() {
            return compute();
        }
        let key = self.snapshot_key(as_of)?;
        self.snapshotted(
            snapshot::Kind::Forecast(request.scenario),
            (as_of, &key),
            true,
            compute,
        )
    }

    fn matching(&self, as_of: NaiveDate) -> SourceResult<MatchingView> {
        matching::matching_view(self.store.conn(), &self.settings, as_of)
    }

    fn match_suggestions(
        &self,
        ids: &[TransactionId],
        rules_idle: bool,
    ) -> SourceResult<MatchSuggestions> {
        matching::match_suggestions(self.store.conn(), &self.settings, ids, rules_idle)
    }

    fn imports(&self) -> SourceResult<ImportsView> {
        ledger::imports(self.store.conn(), self.settings.lang)
    }

    fn record_outcome(
        &mut self,
        actor: &Actor,
        customer: CustomerId,
        outcome: &Outcome,
    ) -> SourceResult<()> {
        // The line being worked is today's line in the queue the person sees.
        let today = actor.at.date();
        let line = self.line_facts(today, customer)?;
        let mapped = intel::to_intel(outcome, &line, today)?;
        let done = intel::record(&mut self.store, actor, customer, &mapped, &line.stamp);
        self.wrote();
        done
    }

    fn undo_last(&mut self, actor: &Actor) -> SourceResult<String> {
        let done = intel::undo_last(&mut self.store, actor, &self.settings);
        self.wrote();
        done
    }

    fn accept_match(
        &mut self,
        actor: &Actor,
        transaction: TransactionId,
        suggestion: &Suggestion,
    ) -> SourceResult<()> {
        let done = matching::accept(
            &mut self.store,
            &self.settings,
            actor,
            transaction,
            suggestion,
        );
        self.wrote();
        done
    }

    fn reject_match(
        &mut self,
        actor: &Actor,
        transaction: TransactionId,
        customer: CustomerId,
    ) -> SourceResult<()> {
        let done = matching::reject(&mut self.store, actor, transaction, customer);
        self.wrote();
        done
    }

    fn assign(
        &mut self,
        actor: &Actor,
        transaction: TransactionId,
        customer_code: &str,
    ) -> SourceResult<()> {
        let done = matching::assign(&mut self.store, actor, transaction, customer_code);
        self.wrote();
        done
    }

    fn set_limit(
        &mut self,
        actor: &Actor,
        customer: CustomerId,
        limit: Option<Decimal>,
    ) -> SourceResult<()> {
        self.wrote();
        writes::set_limit(&mut self.store, actor, customer, limit)
    }

    fn set_segment(
        &mut self,
        actor: &Actor,
        customer: CustomerId,
        segment: Segment,
    ) -> SourceResult<()> {
        self.wrote();
        writes::set_segment(&mut self.store, actor, customer, segment)
    }

    fn claim(&mut self, actor: &Actor, customer: CustomerId) -> SourceResult<Option<String>> {
        self.claim_for(actor, customer)
    }

    fn release_claims(&mut self, actor: &Actor) -> SourceResult<()> {
        self.store.write(|tx| claims::release_all_of(tx, actor))?;
        Ok(())
    }

    /// Files the start views computed since the last call, if the data have not moved since
    /// (then the next request computes and marks them again). Views built from the kept
    /// intelligence are rebuilt here rather than held: holding them would double the
    /// cockpit's memory for the queue.
    fn idle(&mut self) {
        let Some((day, version, writes)) = self.unfiled.take() else {
            return;
        };
        if self.business_version().ok() == Some(version) && self.writes.get() == writes {
            let _ = self.refresh_snapshot(day);
        }
    }

    fn data_version(&self) -> SourceResult<Option<i64>> {
        let v: i64 = self
            .store
            .conn()
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok(Some(v))
    }
}
