//! The SQLite store: one file, WAL, foreign keys, a busy timeout, and `BEGIN IMMEDIATE` for
//! every write so that concurrent writers queue instead of failing half-way.
//!
//! Money is stored as integer minor units next to its currency; dates as ISO `YYYY-MM-DD`
//! text, which sorts and compares correctly in SQL.

pub mod ageing;
pub mod backup;
pub mod bank_keys;
pub mod bank_sums;
pub mod claims;
mod due_dates;
pub mod events;
pub mod forecast;
pub mod forecast_runs;
pub mod fs_check;
pub mod import_writer;
pub mod intel;
pub mod matching;
mod row_text;
pub mod schema;
mod schema_paid;
mod schema_snapshot;
pub mod test_hooks;

use crate::locale::Language;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} was written by a newer encours (schema version {found}, this program knows up to {known}); upgrade encours"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{0}")]
    Invalid(String),
    #[error(
        "this session is read-only (--read-only, or the user is listed in general.read_only_users): nothing was changed"
    )]
    ReadOnly,
    #[error(
        "the database stayed busy for {waited_secs} s (another encours is writing): nothing was changed; try again in a moment"
    )]
    Busy { waited_secs: u64 },
    #[error(
        "{path} is on a network filesystem ({kind}). SQLite's locks are not reliable there: two users writing at once could corrupt the database. Keep the database on a local disk of the server (the inbox may stay on the share), or set {var}=1 if only one process on one machine ever opens it",
        var = fs_check::ALLOW_NETWORK_FS_VAR
    )]
    NetworkFilesystem { path: PathBuf, kind: &'static str },
}

/// Shown while a write waits for another process's transaction to finish.
pub const BUSY_MESSAGE: &str = "the database is busy (another encours is writing); retrying…";

/// Each attempt to take the write lock waits this long inside SQLite before we report and
/// try again, so that a long wait is visible instead of silent.
const BUSY_SLICE: Duration = Duration::from_secs(2);
/// The usual wait for locks outside `write` (reads hit it only in rare WAL recoveries).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Page size of a database this store creates, in bytes (SQLite's default is 4,096). The
/// large writes (a million-line import, a matching run over every credit) and the reports
/// (scans of covering indexes) do a fixed amount of work per page: at 16 KiB a million-line
/// bank import took 16 % less time, an invoice import and the matching run 15 % less (see
/// BENCHMARKS.md). A database created before keeps its pages: `VACUUM` in the sqlite3 shell
/// with `PRAGMA journal_mode=DELETE; PRAGMA page_size=16384;` before it converts one.
pub const PAGE_SIZE: i64 = 16_384;
/// How long a write keeps trying before giving up with [`StoreError::Busy`].
pub const DEFAULT_BUSY_PATIENCE: Duration = Duration::from_secs(300);

/// Reported to the busy hook each time a write is still waiting for the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusyWait {
    pub attempt: u32,
    /// Time spent waiting so far (from the waits' own lengths, not the clock).
    pub waited: Duration,
}

pub type BusyHook = Box<dyn FnMut(BusyWait) + Send>;

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Who acts and when: passed down from the runtime, because nothing below it reads the clock.
/// The trail it leaves (why an allocation was made, why one was undone) is written in its
/// language, as a person writes a note in theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub who: String,
    pub at: NaiveDateTime,
    pub lang: Language,
}

impl Actor {
    /// An actor writing in English; [`Actor::speaking`] gives another language.
    pub fn new(who: impl Into<String>, at: NaiveDateTime) -> Self {
        Actor {
            who: who.into(),
            at,
            lang: Language::En,
        }
    }

    pub fn speaking(mut self, lang: Language) -> Self {
        self.lang = lang;
        self
    }

    pub fn stamp(&self) -> String {
        self.at.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct OpenOptions {
    pub read_only: bool,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    busy_hook: Option<BusyHook>,
    busy_patience: Duration,
}

impl Store {
    /// Opens (creating if needed, owner-only) and upgrades the database at `path`.
    pub fn open(path: &Path, options: OpenOptions) -> StoreResult<Store> {
        match Self::open_normally(path, options) {
            // A WAL database on read-only media cannot be opened even read-only (SQLite
            // needs its -shm file); nobody can be writing there, so reading it as
            // immutable is safe and keeps showing what it holds.
            Err(e) if options.read_only => Self::open_immutable(path).map_err(|_| e),
            other => other,
        }
    }

    fn open_immutable(path: &Path) -> StoreResult<Store> {
        let raw = path.to_string_lossy();
        let escaped = raw
            .replace('%', "%25")
            .replace('?', "%3f")
            .replace('#', "%23");
        let conn = Connection::open_with_flags(
            format!("file:{escaped}?immutable=1"),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            read_only: true,
            busy_hook: None,
            busy_patience: DEFAULT_BUSY_PATIENCE,
        };
        store.configure()?;
        store.check_version()?;
        Ok(store)
    }

    fn open_normally(path: &Path, options: OpenOptions) -> StoreResult<Store> {
        refuse_network_fs(path)?;
        if !options.read_only {
            prepare_private_file(path)?;
        }
        let flags = if options.read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let conn = Connection::open_with_flags(path, flags)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            read_only: options.read_only,
            busy_hook: None,
            busy_patience: DEFAULT_BUSY_PATIENCE,
        };
        store.configure()?;
        if !options.read_only {
            store.migrate()?;
        } else {
            store.check_version()?;
        }
        Ok(store)
    }

    /// An in-memory database, for tests and benchmarks.
    pub fn open_in_memory() -> StoreResult<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
            read_only: false,
            busy_hook: None,
            busy_patience: DEFAULT_BUSY_PATIENCE,
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    fn configure(&mut self) -> StoreResult<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        if !self.read_only {
            // Only a new, empty file takes it (an existing database keeps the size it was
            // created with), so it must come before WAL mode writes the file's header.
            self.conn.pragma_update(None, "page_size", PAGE_SIZE)?;
            self.enter_wal()?;
        }
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(())
    }

    /// Switching a new file to WAL needs a lock for which SQLite does not call the busy
    /// handler, so two processes (or a watcher and the cockpit) creating the same database at
    /// once could fail with "database is locked": wait and try again, as for any other lock.
    fn enter_wal(&self) -> StoreResult<()> {
        const PAUSE: Duration = Duration::from_millis(5);
        // Counted rather than timed: nothing below the runtime reads the clock.
        let mut waited = Duration::ZERO;
        loop {
            let mode: String = self
                .conn
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            if mode.eq_ignore_ascii_case("wal") {
                return Ok(());
            }
            match self.conn.pragma_update(None, "journal_mode", "WAL") {
                Err(e) if is_busy(&e) && waited < BUSY_TIMEOUT => {
                    std::thread::sleep(PAUSE);
                    waited += PAUSE;
                }
                other => return Ok(other?),
            }
        }
    }

    pub fn schema_version(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn check_version(&self) -> StoreResult<()> {
        let found = self.schema_version()?;
        let known = schema::MIGRATIONS.len() as i64;
        if found > known {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found,
                known,
            });
        }
        Ok(())
    }

    fn migrate(&mut self) -> StoreResult<()> {
        self.check_version()?;
        let tx = self.begin_immediate()?;
        // Read again inside the write lock: another process may have migrated meanwhile.
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (index, step) in schema::MIGRATIONS.iter().enumerate().skip(current as usize) {
            tx.execute_batch(step)?;
            tx.pragma_update(None, "user_version", (index + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Called while a write waits for another process (at most every couple of seconds):
    /// the CLI prints [`BUSY_MESSAGE`], the cockpit shows it in its status line.
    pub fn set_busy_hook(&mut self, hook: BusyHook) {
        self.busy_hook = Some(hook);
    }

    /// How long a write waits for the lock before giving up (default five minutes).
    pub fn set_busy_patience(&mut self, patience: Duration) {
        self.busy_patience = patience;
    }

    /// Takes the write lock, waiting and retrying while another process holds it. Only the
    /// `BEGIN` is retried: once it succeeds no other writer can interfere, so the caller's
    /// work runs exactly once.
    fn begin_immediate(&mut self) -> StoreResult<Transaction<'_>> {
        // Disjoint borrows of two fields: the connection shared, the hook mutable.
        let conn = &self.conn;
        let hook = &mut self.busy_hook;
        let patience = self.busy_patience;
        let mut waited = Duration::ZERO;
        let mut attempt = 0u32;
        loop {
            conn.busy_timeout(BUSY_SLICE)?;
            let begun = Transaction::new_unchecked(conn, TransactionBehavior::Immediate);
            conn.busy_timeout(BUSY_TIMEOUT)?;
            match begun {
                Ok(tx) => return Ok(tx),
                Err(e) if is_busy(&e) => {
                    attempt += 1;
                    waited += BUSY_SLICE;
                    if waited >= patience {
                        return Err(StoreError::Busy {
                            waited_secs: waited.as_secs(),
                        });
                    }
                    if let Some(hook) = hook.as_mut() {
                        hook(BusyWait { attempt, waited });
                    }
                    // A short pause, growing, so that waiting processes do not stampede.
                    let pause = Duration::from_millis(50 * u64::from(attempt.min(10)));
                    std::thread::sleep(pause);
                    waited += pause;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Runs `f` in a write transaction only if the lock is free at once: for a derived
    /// cache written on the way by a reader, which must neither wait for another writer nor
    /// fail the read. Takes `&self` because readers hold the store shared.
    pub fn try_write_now<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        self.conn.busy_timeout(Duration::ZERO)?;
        let begun = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate);
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        let tx = begun?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction: committed if it returns Ok, rolled back
    /// otherwise (dropping the transaction rolls back, also on panic).
    pub fn write<T, E>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        if self.read_only {
            return Err(StoreError::ReadOnly.into());
        }
        let tx = self.begin_immediate()?;
        let value = f(&tx)?;
        test_hooks::before_commit();
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }
}

/// Refuses a database on a network filesystem unless the user set the escape hatch.
fn refuse_network_fs(path: &Path) -> StoreResult<()> {
    if fs_check::network_fs_allowed() {
        return Ok(());
    }
    let Some(existing) = fs_check::nearest_existing(path) else {
        return Ok(());
    };
    match fs_check::fs_kind(existing) {
        Ok(fs_check::FsKind::Network(kind)) => Err(StoreError::NetworkFilesystem {
            path: path.to_path_buf(),
            kind,
        }),
        // An unanswerable statfs is no reason to refuse: SQLite will say if it cannot work.
        _ => Ok(()),
    }
}

/// Creates `dir` and its missing parents owner-only (0700).
pub fn ensure_private_dir(dir: &Path) -> StoreResult<()> {
    if dir.as_os_str().is_empty() || dir.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|source| StoreError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

/// Creates the parent folder (0700) and an empty database file (0600) if they do not
/// exist yet, so that SQLite's own -wal and -shm files inherit owner-only permissions.
fn prepare_private_file(path: &Path) -> StoreResult<()> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        ensure_private_dir(parent)?;
    }
    if !path.exists() {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io(e)),
        }
    }
    Ok(())
}

pub fn date_to_sql(d: NaiveDate) -> String {
    SqlDate::new(d).as_str().to_string()
}

/// A date's ISO text (`%Y-%m-%d`) without a heap allocation, for the per-row paths of
/// imports, where formatting through chrono cost more than the INSERT around it.
#[derive(Debug, Clone, Copy)]
pub struct SqlDate {
    buf: [u8; 16],
    len: usize,
}

impl SqlDate {
    pub fn new(d: NaiveDate) -> SqlDate {
        use chrono::Datelike;
        let mut buf = [0u8; 16];
        let (y, m, day) = (d.year(), d.month(), d.day());
        if (0..=9999).contains(&y) {
            let y = y as u32;
            let digits = [
                y / 1000,
                y / 100 % 10,
                y / 10 % 10,
                y % 10,
                10,
                m / 10,
                m % 10,
                10,
                day / 10,
                day % 10,
            ];
            for (slot, v) in buf.iter_mut().zip(digits) {
                *slot = if v == 10 { b'-' } else { b'0' + v as u8 };
            }
            return SqlDate { buf, len: 10 };
        }
        // chrono's own sign and padding rules for years no file gives.
        let text = d.format("%Y-%m-%d").to_string();
        let len = text.len().min(buf.len());
        buf[..len].copy_from_slice(&text.as_bytes()[..len]);
        SqlDate { buf, len }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

pub fn date_from_sql(s: &str) -> StoreResult<NaiveDate> {
    // Read for every row of the large queries: the fixed `YYYY-MM-DD` form the store writes
    // is taken apart by hand (chrono's format parser showed in profiles); anything else
    // goes through chrono, which says what is wrong.
    if let Some(d) = iso_date(s.as_bytes()) {
        return Ok(d);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| StoreError::Invalid(format!("bad date '{s}' in the database")))
}

/// [`date_from_sql`] of a column's bytes: the per-row paths skip the UTF-8 check of text
/// that is ASCII when well-formed; anything else is checked and reported as there.
pub(crate) fn date_from_sql_bytes(b: &[u8]) -> StoreResult<NaiveDate> {
    match iso_date(b) {
        Some(d) => Ok(d),
        None => date_from_sql(
            std::str::from_utf8(b)
                .map_err(|_| StoreError::Invalid("a date in the database is not text".into()))?,
        ),
    }
}

fn iso_date(b: &[u8]) -> Option<NaiveDate> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *b else {
        return None;
    };
    let digit = |c: u8| c.is_ascii_digit().then(|| u32::from(c - b'0'));
    let year = ((digit(y0)? * 10 + digit(y1)?) * 10 + digit(y2)?) * 10 + digit(y3)?;
    let month = digit(m0)? * 10 + digit(m1)?;
    let day = digit(d0)? * 10 + digit(d1)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// The query plan SQLite picks for `sql` on a fresh database, its steps joined by " / ":
/// what the plan tests pin.
#[cfg(test)]
pub(crate) fn fresh_plan(sql: &str, params: impl rusqlite::Params) -> String {
    let store = Store::open_in_memory().expect("an in-memory database opens");
    let steps: Vec<String> = store
        .conn()
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("the statement prepares")
        .query_map(params, |r| r.get(3))
        .expect("the plan is read")
        .collect::<Result<_, _>>()
        .expect("the plan is read");
    steps.join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_dates_are_chronos_iso_text() {
        for (y, m, d) in [
            (2024, 1, 5),
            (1999, 12, 31),
            (1, 2, 3),
            (0, 1, 1),
            (9999, 12, 31),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(date_to_sql(date), date.format("%Y-%m-%d").to_string());
        }
        for (y, m, d) in [(10000, 1, 1), (-5, 6, 7)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(date_to_sql(date), date.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn dates_read_back_as_written_and_bad_ones_are_refused() {
        for (y, m, d) in [(2026, 2, 28), (2024, 2, 29), (1, 1, 1), (9999, 12, 31)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(date_from_sql(&date_to_sql(date)).unwrap(), date);
        }
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "2025-02-29",
            "20260101",
            "2026-01-0x",
            "",
        ] {
            assert!(date_from_sql(bad).is_err(), "{bad}");
        }
    }
}
