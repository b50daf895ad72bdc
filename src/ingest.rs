//! One file from bytes to committed rows: hash check, parse, write in one transaction, and a
//! record of the refusal when it fails. Used by `encours import`, the demo builder and the
//! inbox watcher alike, so that every path into the database is the same.

mod pipe;

use crate::import::{self, Format, ImportError, ParseContext};
use crate::store::import_writer::{self, ImportSummary, ImportWriter, WriteError};
use crate::store::{Actor, Store, StoreError};
use std::sync::atomic::{AtomicBool, Ordering};

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
    let ((sha, b3), decoded) = match digests_while_decoding(store, bytes, &ctx)? {
        Ok(done) => done,
        Err(already) => return Ok(already),
    };
    let (text, format) = match decoded {
        Ok(found) => found,
        Err(e) => return Err(refuse(store, e, file_name, &sha, actor)),
    };
    // The formats whose exports run to a million lines: their records go to the database
    // as they are read, in the same single transaction.
    let read: Option<pipe::Reader> = match format {
        Format::BankCsv => Some(import::bank_csv::parse_into),
        Format::InvoiceCsv => Some(import::invoice_csv::parse_into),
        _ => None,
    };
    if let Some(read) = read {
        let written = with_import_cache(store, |store| {
            without_foreign_keys(store, |store| {
                store.write(|tx| {
                    if let Some((name, on)) = import_writer::previous_import(tx, &sha)? {
                        return Ok(Err(IngestOutcome::AlreadyImported {
                            file_name: name,
                            on,
                        }));
                    }
                    let mut writer = ImportWriter::begin(tx, Some(format), file_name, &sha, actor)?;
                    let batch = pipe::read_into(&text, &ctx, &mut writer, read)?;
                    let summary = writer.finish_streamed(&batch)?;
                    import_writer::record_blake3(tx, summary.import_id, &b3)?;
                    Ok(Ok(summary))
                })
            })
        });
        return outcome(store, written, file_name, &sha, actor);
    }
    let batch = match import::parse_as(format, &text, &ctx) {
        Ok(batch) => batch,
        Err(e) => return Err(refuse(store, e.in_file(file_name), file_name, &sha, actor)),
    };
    drop(text);
    write_parsed(store, &batch, file_name, (&sha, &b3), actor)
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
    let (sha, b3) = match digests(store, bytes)? {
        Ok(digests) => digests,
        Err(already) => return Ok(already),
    };
    let batch = match parse(bytes) {
        Ok(batch) => batch,
        Err(e) => return Err(refuse(store, e, file_name, &sha, actor)),
    };
    write_parsed(store, &batch, file_name, (&sha, &b3), actor)
}

/// The file's SHA-256 and BLAKE3 digests, or the earlier import of the same bytes. Checked
/// before any decoding or parsing, BLAKE3 first: a file imported since the BLAKE3 digest is
/// kept costs that digest alone; one imported earlier is recognised by its SHA-256.
fn digests(
    store: &Store,
    bytes: &[u8],
) -> Result<Result<(String, String), IngestOutcome>, IngestError> {
    let b3 = import_writer::blake3_hex(bytes);
    let conn = store.conn();
    if let Some(found) =
        import_writer::previous_import_blake3(conn, &b3).map_err(StoreError::from)?
    {
        return Ok(Err(already(found)));
    }
    let sha = import_writer::sha256_hex(bytes);
    if let Some(found) = import_writer::previous_import(conn, &sha).map_err(StoreError::from)? {
        return Ok(Err(already(found)));
    }
    Ok(Ok((sha, b3)))
}

type Decoded<'b> = import::ImportResult<(std::borrow::Cow<'b, str>, Format)>;

/// `digests` and the decoding of the file at once: the SHA-256 (a tenth of a second for a
/// 70 MB file) is worked out on a helper thread while this one checks the BLAKE3 digest
/// and decodes. The outcome is the sequential one: an earlier import of the same bytes is
/// reported before any decoding problem.
#[allow(clippy::type_complexity)]
fn digests_while_decoding<'b>(
    store: &Store,
    bytes: &'b [u8],
    ctx: &ParseContext,
) -> Result<Result<((String, String), Decoded<'b>), IngestOutcome>, IngestError> {
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let sha = std::thread::Builder::new()
            .name("encours-sha256".into())
            .spawn_scoped(scope, || import_writer::sha256_hex_unless(bytes, &stop))
            .ok();
        let give_up = |sha: Option<std::thread::ScopedJoinHandle<'_, Option<String>>>| {
            stop.store(true, Ordering::Relaxed);
            if let Some(h) = sha {
                let _ = h.join();
            }
        };
        let b3 = import_writer::blake3_hex(bytes);
        let conn = store.conn();
        match import_writer::previous_import_blake3(conn, &b3) {
            Ok(Some(found)) => {
                give_up(sha);
                return Ok(Err(already(found)));
            }
            Ok(None) => {}
            Err(e) => {
                give_up(sha);
                return Err(IngestError::Store(e.into()));
            }
        }
        let decoded = import::decode_and_detect(bytes, ctx);
        let sha = match sha.map(|h| h.join()) {
            Some(Ok(Some(sha))) => sha,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            // No helper thread could be started: hashed here.
            _ => import_writer::sha256_hex(bytes),
        };
        if let Some(found) = import_writer::previous_import(conn, &sha).map_err(StoreError::from)? {
            return Ok(Err(already(found)));
        }
        Ok(Ok(((sha, b3), decoded)))
    })
}

fn already((file_name, on): (String, String)) -> IngestOutcome {
    IngestOutcome::AlreadyImported { file_name, on }
}

type Written = Result<Result<ImportSummary, IngestOutcome>, WriteError>;

fn write_parsed(
    store: &mut Store,
    batch: &import::ImportBatch,
    file_name: &str,
    (sha, b3): (&str, &str),
    actor: &Actor,
) -> Result<IngestOutcome, IngestError> {
    let written = with_import_cache(store, |store| {
        store.write(|tx| {
            // Checked again under the write lock: a concurrent process may have won the race.
            if let Some((name, on)) = import_writer::previous_import(tx, sha)? {
                return Ok(Err(IngestOutcome::AlreadyImported {
                    file_name: name,
                    on,
                }));
            }
            let summary = import_writer::write_batch(tx, batch, file_name, sha, actor)?;
            import_writer::record_blake3(tx, summary.import_id, b3)?;
            Ok(Ok(summary))
        })
    });
    outcome(store, written, file_name, sha, actor)
}

fn outcome(
    store: &mut Store,
    written: Written,
    file_name: &str,
    sha: &str,
    actor: &Actor,
) -> Result<IngestOutcome, IngestError> {
    match written {
        Ok(Ok(summary)) => Ok(IngestOutcome::Imported(summary)),
        Ok(Err(already)) => Ok(already),
        Err(WriteError::Rejected(e)) => Err(refuse(
            store,
            e.in_file(file_name.to_string()),
            file_name,
            sha,
            actor,
        )),
        Err(WriteError::Store(e)) => Err(IngestError::Store(e)),
    }
}

/// Page cache for an import's transaction, in KiB. SQLite's default of 2 MB makes a large
/// import spill its dirty index pages to the WAL and read them back line after line; the
/// cache only grows as far as the import needs, and is given back afterwards.
const IMPORT_CACHE_KIB: i64 = 32 * 1024;

fn with_import_cache<T>(store: &mut Store, f: impl FnOnce(&mut Store) -> T) -> T {
    let previous: Option<i64> = store
        .conn()
        .pragma_query_value(None, "cache_size", |r| r.get(0))
        .ok();
    let raised = store
        .conn()
        .pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)
        .is_ok();
    let result = f(store);
    if let (true, Some(previous)) = (raised, previous) {
        // Best effort: a cache left larger only costs memory, never correctness.
        let _ = store.conn().pragma_update(None, "cache_size", previous);
    }
    result
}

/// Runs a streamed import with SQLite's foreign-key checks off: a seek into each parent
/// table for every row, a tenth of a bank import. They cannot fail there: the streamed
/// writers (`ImportWriter` for bank and invoice CSV) refer only to the import row, accounts
/// and customers they created or read in the same write transaction, which holds the write
/// lock. The pragma only takes effect outside a transaction; it is turned back on whatever
/// the outcome.
fn without_foreign_keys(store: &mut Store, f: impl FnOnce(&mut Store) -> Written) -> Written {
    let pragma = |store: &Store, on: bool| {
        store
            .conn()
            .pragma_update(None, "foreign_keys", on)
            .map_err(|e| WriteError::Store(StoreError::from(e)))
    };
    pragma(store, false)?;
    let written = f(store);
    pragma(store, true)?;
    written
}

fn refuse(
    store: &mut Store,
    error: ImportError,
    file_name: &str,
    sha: &str,
    actor: &Actor,
) -> IngestError {
    // Keeping the refusal is best effort: a read-only or busy database must not hide the
    // real reason from the user.
    let _ = store.write(|tx| {
        import_writer::record_rejection(tx, file_name, sha, &error, actor).map_err(StoreError::from)
    });
    IngestError::Refused(error)
}
