//! What the inbox does with a claimed file's bytes, and after a scan's imports. The real
//! thing is [`StoreIngest`] (`crate::ingest::ingest` on a store of its own, then the
//! automatic matching rules); tests can pass any closure.

use super::InboxOutcome;
use crate::domain::matching::MatchParams;
use crate::import::ParseContext;
use crate::ingest::{IngestError, IngestOutcome, ingest};
use crate::store::matching::run_matching;
use crate::store::{Actor, OpenOptions, Store, StoreResult};
use std::path::Path;

pub trait Ingest: Send {
    fn ingest(
        &mut self,
        bytes: &[u8],
        file_name: &str,
        actor: &Actor,
    ) -> Result<IngestOutcome, IngestError>;

    /// Runs once after a scan imported files: [`StoreIngest`] runs the automatic matching
    /// rules over the whole book (a month of statements dropped at once is matched once, and
    /// a bank file that lands before the invoices it pays still meets them). `None`: nothing
    /// was done, or nothing came of it.
    fn after_imports(&mut self, _actor: &Actor) -> Option<InboxOutcome> {
        None
    }
}

impl<F> Ingest for F
where
    F: FnMut(&[u8], &str, &Actor) -> Result<IngestOutcome, IngestError> + Send,
{
    fn ingest(
        &mut self,
        bytes: &[u8],
        file_name: &str,
        actor: &Actor,
    ) -> Result<IngestOutcome, IngestError> {
        self(bytes, file_name, actor)
    }
}

/// The whole bytes-to-database path, on its own connection (a watcher thread must not share
/// the cockpit's).
pub struct StoreIngest {
    store: Store,
    ctx: ParseContext,
    /// The automatic rules' parameters when they run after imports.
    matching: Option<MatchParams>,
}

impl StoreIngest {
    pub fn new(store: Store, ctx: ParseContext) -> Self {
        StoreIngest {
            store,
            ctx,
            matching: None,
        }
    }

    /// Runs the automatic matching rules with `params` after each scan that imported files.
    pub fn with_matching(mut self, params: MatchParams) -> Self {
        self.matching = Some(params);
        self
    }

    /// Opens a read-write connection to the database at `db_path`.
    pub fn open(db_path: &Path, ctx: ParseContext) -> StoreResult<Self> {
        Ok(Self::new(
            Store::open(db_path, OpenOptions::default())?,
            ctx,
        ))
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}

impl Ingest for StoreIngest {
    fn ingest(
        &mut self,
        bytes: &[u8],
        file_name: &str,
        actor: &Actor,
    ) -> Result<IngestOutcome, IngestError> {
        ingest(&mut self.store, bytes, file_name, &self.ctx, actor)
    }

    fn after_imports(&mut self, actor: &Actor) -> Option<InboxOutcome> {
        let params = self.matching.as_ref()?;
        match run_matching(&mut self.store, params, actor) {
            Ok(run) if run.allocation_ids.is_empty() && run.reversals.is_empty() => None,
            Ok(run) => Some(InboxOutcome::Matched {
                credits: run.credits_matched,
                allocations: run.allocation_ids.len(),
                reversals: run.reversals.len(),
            }),
            Err(e) => Some(InboxOutcome::NotMatched(e.to_string())),
        }
    }
}
