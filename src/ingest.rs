//! One file from bytes to committed rows: hash check, parse, write in one transaction, and a
//! record of the refusal when it fails. Used by `encours import`, the demo builder and the
//! inbox watcher alike, so that every path into the database is the same.

use crate::import::{self, ImportError, ParseContext};
use crate::store::import_writer::{self, ImportSummary, WriteError};
use crate::store::{Actor, Store, StoreError};

#[derive(Debug)]
pub enum IngestOutcome {
    Imported(ImportSummary),
    /// The same bytes were imported before: nothing to do.
    AlreadyImported {
        file_name: String,
        on: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file was refused; the database holds nothing of it.
    #[error("{0}")]
    Refused(ImportError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl IngestError {
    /// Refusals are the file's fault; store errors are ours or the system's.
    pub fn is_refusal(&self) -> bool {
        matches!(self, IngestError::Refused(_))
    }
}

pub fn ingest(
    store: &mut Store,
    bytes: &[u8],
    file_name: &str,
    ctx: &ParseContext,
    actor: &Actor,
) -> Result<IngestOutcome, IngestError> {
    let ctx = ParseContext {
        file_name: file_name.to_string(),
        ..ctx.clone()
    };
    ingest_with_parser(store, bytes, file_name, actor, |b| {
        import::parse_bytes(b, &ctx)
    })
}

/// [`ingest`] with the parsing step supplied by the caller: the same hash check, single
/// transaction and refusal record, for tests that drive the write path with a format of
/// their own.
pub fn ingest_with_parser(
    store: &mut Store,
    bytes: &[u8],
    file_name: &str,
    actor: &Actor,
    parse: impl FnOnce(&[u8]) -> import::ImportResult<import::ImportBatch>,
) -> Result<IngestOutcome, IngestError> {
    let sha = import_writer::sha256_hex(bytes);
    if let Some((file_name, on)) =
        import_writer::previous_import(store.conn(), &sha).map_err(StoreError::from)?
    {
        return Ok(IngestOutcome::AlreadyImported { file_name, on });
    }
    let batch = match parse(bytes) {
        Ok(batch) => batch,
        Err(e) => return Err(refuse(store, e, file_name, &sha, actor)),
    };
    let written = store.write(|tx| {
        // Checked again under the write lock: a concurrent process may have won the race.
        if let Some((name, on)) = import_writer::previous_import(tx, &sha)? {
            return Ok(Err(IngestOutcome::AlreadyImported {
                file_name: name,
                on,
            }));
        }
        import_writer::write_batch(tx, &batch, file_name, &sha, actor).map(Ok)
    });
    match written {
        Ok(Ok(summary)) => Ok(IngestOutcome::Imported(summary)),
        Ok(Err(already)) => Ok(already),
        Err(WriteError::Rejected(e)) => Err(refuse(
            store,
            e.in_file(file_name.to_string()),
            file_name,
            &sha,
            actor,
        )),
        Err(WriteError::Store(e)) => Err(IngestError::Store(e)),
    }
}

fn refuse(
    store: &mut Store,
    error: ImportError,
    file_name: &str,
    sha: &str,
    actor: &Actor,
) -> IngestError {
    let reason = error.to_string();
    // Keeping the refusal is best effort: a read-only or busy database must not hide the
    // real reason from the user.
    let _ = store.write(|tx| {
        import_writer::record_rejection(tx, file_name, sha, &reason, actor)
            .map_err(StoreError::from)
    });
    IngestError::Refused(error)
}
