//! The cockpit's start views kept in the database (`view_snapshots`, see
//! `store::schema_snapshot`): the overview, the signals, the queue and the forecast as last
//! computed, so that a start on unchanged data draws them without the full gather behind
//! them (six seconds and 330 MB at a million invoices).
//!
//! A derived cache, never a record. A snapshot is used only when every part of its key
//! matches now: the newest event and import ids (the business version), the newest id of
//! every table the views read and the change log's sequence (so a write that logs no event
//! still misses), the as-of date, a digest of the settings and policy the figures depend on,
//! the language (the views carry worded reasons and scripts) and the format of this build.
//! The key is read before the views are computed: data written meanwhile moves the key on,
//! so a view is never filed under a key newer than the data it was computed from.
//!
//! The encoding is serde_json: money goes through `rust_decimal`'s string form, exact, and
//! the views of a million invoices decode in tens of milliseconds.
//!
//! Claims on queue lines are live data, never in a snapshot: the queue is stored with no
//! claim and each reader lays the current claims over it for its own operator.

use super::SourceSettings;
use crate::app::views::Scenario;
use crate::locale::Language;
use crate::store::{Store, StoreResult, date_to_sql};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Changes whenever what a view holds or how it is computed changes: a snapshot written by
/// another build is then simply not found. Bump the suffix with any such change that keeps
/// the crate version.
const FORMAT: &str = concat!(env!("CARGO_PKG_VERSION"), "/1");

/// The views a start asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Overview,
    Signals,
    /// Without claims: they are laid over at read time.
    Queue,
    /// Only the plain scenarios; a forecast with pushed customers is the person's own
    /// what-if, computed each time.
    Forecast(Scenario),
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Overview => "overview",
            Kind::Signals => "signals",
            Kind::Queue => "queue",
            Kind::Forecast(Scenario::Expected) => "forecast.expected",
            Kind::Forecast(Scenario::Prudent) => "forecast.prudent",
        }
    }
}

/// Where the data stood when a view was (or is to be) computed, with what it was computed
/// for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    as_of: String,
    lang: &'static str,
    event_id: i64,
    import_id: i64,
    marks: [u8; 16],
    settings: [u8; 16],
}

/// Every table the four views read, beyond the events and imports; new rows show in their
/// highest id. Updates and deletions of the tables that have them are logged in
/// `intel_dirty` by triggers (schema step 7), whose sequence is read too.
const TABLES: &[&str] = &[
    "customers",
    "invoices",
    "supplier_invoices",
    "allocations",
    "bank_accounts",
    "bank_balances",
    "bank_transactions",
    "payer_aliases",
    "external_ratings",
    "promises",
    "disputes",
    "payment_plans",
    "plan_instalments",
    "snoozes",
];

fn digest16(bytes: &[u8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    out.copy_from_slice(&blake3::hash(bytes).as_bytes()[..16]);
    out
}

fn lang_name(lang: Language) -> &'static str {
    match lang {
        Language::Fr => "fr",
        Language::En => "en",
    }
}

/// Everything in the settings and the dunning policy the four views depend on, through
/// their `Debug` forms (ordered maps only, so the text is the same in every process). The
/// interface's keys, the import and the matching settings are left out: they change no
/// figure of these views, and `encours watch` may run with other import options than the
/// cockpit.
pub fn settings_digest(s: &SourceSettings) -> [u8; 16] {
    let f = &s.full;
    let text = format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{:?}",
        f.general.currency,
        f.general.default_terms_days,
        f.general.company_name,
        f.ageing,
        f.bank,
        f.forecast,
        f.figures,
        f.signals,
        f.penalties,
        f.letters,
        s.dunning.policy,
        s.dunning.templates,
        s.buckets,
        s.stale_after_days,
        s.currency,
    );
    digest16(text.as_bytes())
}

impl Key {
    /// The key for views computed now for `as_of`. Read it before computing them.
    pub fn read(
        conn: &Connection,
        as_of: NaiveDate,
        settings: [u8; 16],
        lang: Language,
    ) -> StoreResult<Key> {
        let sql = format!(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM events),
                    (SELECT COALESCE(MAX(id), 0) FROM imports),
                    (SELECT COALESCE(MAX(seq), 0) FROM intel_dirty), {}",
            TABLES
                .iter()
                .map(|t| format!("(SELECT COALESCE(MAX(id), 0) FROM {t})"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let (event_id, import_id, ids) = conn.prepare_cached(&sql)?.query_row([], |r| {
            let ids = (2..3 + TABLES.len())
                .map(|i| r.get::<_, i64>(i))
                .collect::<Result<Vec<i64>, _>>()?;
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, ids))
        })?;
        let bytes: Vec<u8> = ids.iter().flat_map(|i| i.to_le_bytes()).collect();
        Ok(Key {
            as_of: date_to_sql(as_of),
            lang: lang_name(lang),
            event_id,
            import_id,
            marks: digest16(&bytes),
            settings,
        })
    }
}

const MATCHING: &str = "kind = ?1 AND lang = ?2 AND as_of = ?3 AND event_id = ?4
    AND import_id = ?5 AND data_marks = ?6 AND settings_digest = ?7 AND format = ?8";

/// The view filed under exactly `key`, if any. Anything wrong (no such table in a database
/// opened read-only before its upgrade, a body this build cannot read) is a miss: the
/// caller computes the view as if there were no snapshot.
pub fn get<T: DeserializeOwned>(conn: &Connection, kind: Kind, key: &Key) -> Option<T> {
    let sql = format!("SELECT body FROM view_snapshots WHERE {MATCHING}");
    let mut stmt = conn.prepare_cached(&sql).ok()?;
    stmt.query_row(
        params![
            kind.name(),
            key.lang,
            key.as_of,
            key.event_id,
            key.import_id,
            &key.marks[..],
            &key.settings[..],
            FORMAT
        ],
        // Decoded from SQLite's own buffer: the body is not copied first.
        |r| {
            Ok(r.get_ref(0)?
                .as_blob()
                .ok()
                .and_then(|body| serde_json::from_slice::<T>(body).ok()))
        },
    )
    .optional()
    .ok()
    .flatten()
    .flatten()
}

/// Whether the snapshot of `kind` is already the one for `key`.
pub fn is_current(conn: &Connection, kind: Kind, key: &Key) -> bool {
    let sql = format!("SELECT 1 FROM view_snapshots WHERE {MATCHING}");
    conn.prepare_cached(&sql)
        .and_then(|mut s| {
            s.exists(params![
                kind.name(),
                key.lang,
                key.as_of,
                key.event_id,
                key.import_id,
                &key.marks[..],
                &key.settings[..],
                FORMAT
            ])
        })
        .unwrap_or(false)
}

/// Files `view` under `key`, replacing the previous snapshot of that kind and language, if
/// the database can be written at once. The error is for tests and logs: a reader ignores
/// it (read-only database, another process writing, a full disk), the view it computed
/// stands.
pub fn put<T: Serialize>(store: &Store, kind: Kind, key: &Key, view: &T) -> StoreResult<()> {
    // Before encoding: a read-only session would encode megabytes for nothing.
    if store.is_read_only() {
        return Err(crate::store::StoreError::ReadOnly);
    }
    let body = serde_json::to_vec(view).map_err(|e| {
        crate::store::StoreError::Invalid(format!("snapshot of {}: {e}", kind.name()))
    })?;
    store.try_write_now(|tx| {
        tx.prepare_cached(
            "INSERT INTO view_snapshots
                 (kind, lang, as_of, event_id, import_id, data_marks, settings_digest, format, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (kind, lang) DO UPDATE SET
                 as_of = excluded.as_of, event_id = excluded.event_id,
                 import_id = excluded.import_id, data_marks = excluded.data_marks,
                 settings_digest = excluded.settings_digest, format = excluded.format,
                 body = excluded.body",
        )?
        .execute(params![
            kind.name(),
            key.lang,
            key.as_of,
            key.event_id,
            key.import_id,
            &key.marks[..],
            &key.settings[..],
            FORMAT,
            body
        ])?;
        Ok(())
    })
}
