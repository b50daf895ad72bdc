//! What the inbox does with a claimed file's bytes. The real thing is [`StoreIngest`]
//! (`crate::ingest::ingest` on a store of its own); tests can pass any closure.

use crate::import::ParseContext;
use crate::ingest::{IngestError, IngestOutcome, ingest};
use crate::store::{Actor, OpenOptions, Store, StoreResult};
use std::path::Path;

pub trait Ingest: Send {
    fn ingest(
        &mut self,
        bytes: &[u8],
        file_name: &str,
        actor: &Actor,
    ) -> Result<IngestOutcome, IngestError>;
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
}

impl StoreIngest {
    pub fn new(store: Store, ctx: ParseContext) -> Self {
        StoreIngest { store, ctx }
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
}
