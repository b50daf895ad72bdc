//! Schema step "view snapshots": the cockpit's start views (overview, signals, queue,
//! forecast) as last computed, so that a start on unchanged data shows them without the
//! full gather behind them (`app::store_source::snapshot`).
//!
//! A derived cache, never a record: every row can be deleted at any time and is recomputed
//! on the next start; nothing reads it but the cockpit's data source, and only when every
//! key column matches what the database and the settings say now. One row per view kind
//! and language, overwritten, so the table stays a few views large. Nothing to backfill:
//! an upgraded database starts with no snapshot, and the first start writes one.

pub const STEP: &str = r#"
CREATE TABLE view_snapshots (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    lang TEXT NOT NULL,
    as_of TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    import_id INTEGER NOT NULL,
    data_marks BLOB NOT NULL,
    settings_digest BLOB NOT NULL,
    format TEXT NOT NULL,
    body BLOB NOT NULL,
    UNIQUE (kind, lang)
);
"#;
