//! The live inbox: files dropped in a folder are imported by themselves, once each, whole.
//!
//! The life of a file: seen in the inbox → stable (same size and modification time over two
//! looks) → claimed (atomic rename into `.claimed/`, so that of several watchers exactly one
//! gets it) → read and ingested in one transaction → moved to `archive/YYYY-MM-DD/` (imported,
//! or already imported before) or to `rejected/` with `NAME.reason.txt` beside it.
//!
//! Nothing is lost and nothing imported twice, whatever crashes where: a claim left by a dead
//! process goes back to the inbox on the next look, and the imports table's unique file hash
//! turns a second import of committed bytes into "already imported".
//!
//! [`Inbox`] does one pass on request (for tests and `encours watch --once`); [`Watcher`] runs
//! passes in a thread, cued by filesystem events or a timer, and reports [`InboxEvent`]s.
//! Nothing here reads the clock: the caller passes one in.

mod claim;
mod folders;
mod ingestor;
mod process;
mod watch;

pub use claim::{ClaimName, pid_alive};
pub use folders::{ARCHIVE_DIR, CLAIMED_DIR, Layout, REJECTED_DIR, is_candidate_name};
pub use ingestor::{Ingest, StoreIngest};
pub use process::Inbox;
pub use watch::{ActiveMode, Watcher, WatcherConfig};

use crate::import::ImportError;
use crate::locale::Language;
use crate::store::import_writer::ImportSummary;
use chrono::NaiveDateTime;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The wall clock, supplied by the runtime.
pub type Clock = Arc<dyn Fn() -> NaiveDateTime + Send + Sync>;

/// What happened to one file, for the cockpit's notices and the watch log.
#[derive(Debug, Clone)]
pub struct InboxEvent {
    /// The file's name as it was dropped.
    pub file: String,
    pub outcome: InboxOutcome,
    /// Where the file is now (archive, rejected, or back in the inbox).
    pub moved_to: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub enum InboxOutcome {
    Imported(ImportSummary),
    /// The same bytes were imported before (`on`, as `as_name`): archived, nothing written.
    AlreadyImported {
        as_name: String,
        on: String,
    },
    /// The file was refused; it is in `rejected/` with its reason.
    Refused(ImportError),
    /// Left by a crashed process; put back in the inbox to be imported.
    Recovered,
    /// Not the file's fault (database busy for too long, disk full...): the file is back in
    /// the inbox and will be tried again at the next periodic scan.
    Failed(String),
    /// After a scan's imports the automatic matching rules ran, in a transaction of their
    /// own: they allocated `credits` bank credits to invoices (`allocations` rows) and undid
    /// the allocations of `reversals` payments the bank returned.
    Matched {
        credits: usize,
        allocations: usize,
        reversals: usize,
    },
    /// The scan's imports stand, but the automatic matching rules could not run (why): the
    /// next scan that imports a file, or `encours match`, runs them.
    NotMatched(String),
}

impl InboxEvent {
    /// One line for a log or a notice.
    pub fn describe(&self) -> String {
        let place = self
            .moved_to
            .as_ref()
            .map(|p| format!(" → {}", p.display()))
            .unwrap_or_default();
        match &self.outcome {
            InboxOutcome::Imported(s) => format!(
                "imported {} ({}: {} customer(s), {} invoice(s), {} bank line(s)){place}",
                self.file,
                s.format,
                s.customers_inserted + s.customers_updated,
                s.invoices_inserted,
                s.transactions_inserted
            ),
            InboxOutcome::AlreadyImported { as_name, on } => format!(
                "already imported {} (on {on}, as {as_name}): nothing to do{place}",
                self.file
            ),
            InboxOutcome::Refused(e) => format!("refused {}: {e}{place}", self.file),
            InboxOutcome::Recovered => format!(
                "recovered {} left by an interrupted import{place}",
                self.file
            ),
            InboxOutcome::Failed(why) => format!("could not import {} now: {why}", self.file),
            InboxOutcome::Matched {
                credits,
                allocations,
                reversals,
            } => format!(
                "matched {credits} bank credit(s) to invoices ({allocations} allocation(s), {reversals} returned payment(s) undone) after importing {}",
                self.file
            ),
            InboxOutcome::NotMatched(why) => format!(
                "imported {}, but the automatic matching did not run: {why} (the next import or `encours match` runs it)",
                self.file
            ),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    #[error("inbox {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> InboxError + '_ {
    move |source| InboxError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// How one inbox behaves.
#[derive(Clone)]
pub struct InboxConfig {
    pub dir: PathBuf,
    /// The gap between the two looks of the stability test.
    pub stable_delay: Duration,
    /// A claim older than this is taken back even if its process may live (another
    /// machine's, or a reused pid).
    pub stale_claim_after: chrono::Duration,
    /// The operating-system user, for the imports table.
    pub who: String,
    /// The language the inbox's trail is written in (the evidence of the matching after
    /// imports, a ledger settlement's).
    pub lang: Language,
    pub clock: Clock,
}

impl InboxConfig {
    pub fn from_settings(
        settings: &crate::config::Settings,
        db_path: &Path,
        who: impl Into<String>,
        lang: Language,
        clock: Clock,
    ) -> Self {
        InboxConfig {
            dir: settings.inbox_dir(db_path),
            stable_delay: Duration::from_secs(settings.import.stable_seconds),
            // Validated to at most 100,000 minutes, far inside chrono's range.
            stale_claim_after: chrono::Duration::minutes(
                settings.import.stale_claim_minutes.min(100_000) as i64,
            ),
            who: who.into(),
            lang,
            clock,
        }
    }
}

impl std::fmt::Debug for InboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboxConfig")
            .field("dir", &self.dir)
            .field("stable_delay", &self.stable_delay)
            .field("stale_claim_after", &self.stale_claim_after)
            .field("who", &self.who)
            .finish_non_exhaustive()
    }
}
