//! The persisted snapshot of the cockpit's start views (`app::store_source::snapshot`): a
//! start on unchanged data reads it and gets exactly what a fresh computation gives; any
//! change to the data, the date, the settings or the language misses it; claims are laid
//! over per operator; an outcome recorded from a snapshot carries the same stamp as one
//! recorded from a full gather; an older database upgrades to it.

mod support;

use encours::app::source::{DataSource, Outcome};
use encours::app::store_source::{SourceSettings, StoreSource};
use encours::app::views::*;
use encours::config::Settings;
use encours::domain::model::*;
use encours::domain::money::Currency;
use encours::import::{Format, ImportBatch};
use encours::locale::Language;
use encours::store::import_writer::write_batch;
use encours::store::{Actor, OpenOptions, Store, claims, schema};
use rust_decimal_macros::dec;
use std::path::Path;
use support::books::{self, actor, d};

fn clock() -> chrono::NaiveDateTime {
    d(6, 15).and_hms_opt(9, 0, 0).unwrap()
}

fn today() -> chrono::NaiveDate {
    d(6, 15)
}

fn source_with(path: &Path, who: &str, settings: &Settings, lang: Language) -> StoreSource {
    let store = Store::open(path, OpenOptions::default()).unwrap();
    let settings = SourceSettings::from_settings(settings, lang).unwrap();
    StoreSource::new(store, settings).with_operator(who, clock)
}

fn source(path: &Path) -> StoreSource {
    source_with(path, "tester", &Settings::defaults(), Language::En)
}

fn book() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("encours.db");
    books::write(&mut Store::open(&path, OpenOptions::default()).unwrap());
    (dir, path)
}

#[derive(Debug, PartialEq)]
struct Start {
    overview: OverviewView,
    signals: SignalsView,
    queue: QueueView,
    forecast: ForecastView,
}

fn start(s: &StoreSource, as_of: chrono::NaiveDate) -> Start {
    Start {
        overview: s.overview(as_of).unwrap(),
        signals: s.signals(as_of).unwrap(),
        queue: s.queue(as_of).unwrap(),
        forecast: s.forecast(as_of, &ForecastRequest::default()).unwrap(),
    }
}

fn count(path: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Marks every stored view's names, leaving the keys alone: a start that shows the mark
/// read the snapshot, one that does not computed its views.
fn tamper(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let n = conn
        .execute(
            "UPDATE view_snapshots SET body = CAST(replace(replace(CAST(body AS TEXT),
                 '\"name\":\"', '\"name\":\"MARK '), '\"company\":\"', '\"company\":\"MARK ')
             AS BLOB)",
            [],
        )
        .unwrap();
    assert!(n >= 1, "nothing was filed");
}

fn marked(s: &Start) -> [bool; 4] {
    [
        s.overview.company.starts_with("MARK "),
        s.signals.rows.iter().any(|r| r.name.starts_with("MARK ")),
        s.queue.lines.iter().any(|l| l.name.starts_with("MARK ")),
        s.forecast
            .inflows
            .iter()
            .any(|i| i.name.starts_with("MARK ")),
    ]
}

/// A fresh computation: the same database with no snapshot at all.
fn fresh(path: &Path, settings: &Settings, lang: Language, as_of: chrono::NaiveDate) -> Start {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.execute("VACUUM INTO ?1", [copy.to_str().unwrap()])
            .unwrap();
    }
    let conn = rusqlite::Connection::open(&copy).unwrap();
    conn.execute("DELETE FROM view_snapshots", []).unwrap();
    drop(conn);
    start(&source_with(&copy, "tester", settings, lang), as_of)
}

#[test]
fn a_start_on_unchanged_data_reads_the_snapshot_and_it_equals_a_fresh_computation() {
    let (_dir, path) = book();
    let first = start(&source(&path), today());
    assert!(!first.signals.rows.is_empty() && !first.queue.lines.is_empty());
    assert_eq!(count(&path, "SELECT COUNT(*) FROM view_snapshots"), 4);
    let second = start(&source(&path), today());
    assert_eq!(second, first);
    assert_eq!(
        second,
        fresh(&path, &Settings::defaults(), Language::En, today())
    );
    // Money stays exact through the encoding: the stored text holds the decimal strings.
    let body: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT CAST(body AS TEXT) FROM view_snapshots WHERE kind = 'overview'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        body.contains(&format!("\"{}\"", first.overview.ageing.open)),
        "{body}"
    );
    tamper(&path);
    assert_eq!(marked(&start(&source(&path), today())), [true; 4]);
}

/// Each change, made after the snapshot was filed and marked, must make every start view
/// miss, and the views then equal a fresh computation.
fn misses_after(change: impl FnOnce(&Path), settings: &Settings, lang: Language, day: u32) {
    let (_dir, path) = book();
    start(&source(&path), today());
    tamper(&path);
    change(&path);
    let as_of = d(6, day);
    let got = start(&source_with(&path, "tester", settings, lang), as_of);
    assert_eq!(marked(&got), [false; 4]);
    assert_eq!(got, fresh(&path, settings, lang, as_of));
}

fn nothing(_: &Path) {}

#[test]
fn a_new_import_misses() {
    misses_after(
        |path| {
            let mut store = Store::open(path, OpenOptions::default()).unwrap();
            let mut batch = ImportBatch::new(Format::Fec);
            batch.invoices = vec![NewInvoice {
                number: "F-NEW-1".into(),
                customer_code: "C3".into(),
                issue_date: d(4, 1),
                due_date: Some(d(5, 1)),
                amount: dec!(777.77),
                currency: Currency::EUR,
                ..Default::default()
            }];
            store
                .write(|tx| write_batch(tx, &batch, "late.fec", "sha-late", &actor()))
                .unwrap();
        },
        &Settings::defaults(),
        Language::En,
        15,
    );
}

#[test]
fn an_outcome_or_a_limit_recorded_elsewhere_misses() {
    misses_after(
        |path| {
            let mut other = source_with(path, "bob", &Settings::defaults(), Language::En);
            let q = other.queue(today()).unwrap();
            let c = q.lines[0].customer_id;
            other
                .record_outcome(&actor(), c, &Outcome::NoAnswer)
                .unwrap();
        },
        &Settings::defaults(),
        Language::En,
        15,
    );
    misses_after(
        |path| {
            let mut other = source_with(path, "bob", &Settings::defaults(), Language::En);
            let c = other.signals(today()).unwrap().rows[0].customer_id;
            other.set_limit(&actor(), c, Some(dec!(10))).unwrap();
        },
        &Settings::defaults(),
        Language::En,
        15,
    );
}

#[test]
fn a_write_that_logs_no_event_still_misses() {
    misses_after(
        |path| {
            let conn = rusqlite::Connection::open(path).unwrap();
            let n = conn
                .execute(
                    "UPDATE invoices SET due_date = '2026-03-01'
                     WHERE id = (SELECT MIN(id) FROM invoices WHERE kind = 'invoice')",
                    [],
                )
                .unwrap();
            assert_eq!(n, 1);
        },
        &Settings::defaults(),
        Language::En,
        15,
    );
}

#[test]
fn another_date_settings_or_language_miss() {
    misses_after(nothing, &Settings::defaults(), Language::En, 16);
    let mut terms = Settings::defaults();
    terms.general.default_terms_days += 15;
    misses_after(nothing, &terms, Language::En, 15);
    let mut buckets = Settings::defaults();
    buckets.ageing.buckets = vec![15, 45, 90];
    misses_after(nothing, &buckets, Language::En, 15);
    misses_after(nothing, &Settings::defaults(), Language::Fr, 15);
}

#[test]
fn claims_are_laid_over_the_snapshot_for_each_operator() {
    let (_dir, path) = book();
    let mut alice = source_with(&path, "alice", &Settings::defaults(), Language::En);
    let line = alice.queue(today()).unwrap().lines[0].customer_id;
    let alice_actor = Actor::new("alice", clock());
    assert_eq!(alice.claim(&alice_actor, line).unwrap(), None);
    // The stored queue names nobody.
    assert_eq!(
        count(
            &path,
            "SELECT COUNT(*) FROM view_snapshots
             WHERE kind = 'queue' AND CAST(body AS TEXT) LIKE '%\"claimed_by\":\"%'"
        ),
        0
    );
    tamper(&path);
    let bob = source_with(&path, "bob", &Settings::defaults(), Language::En);
    let seen_by_bob = bob.queue(today()).unwrap();
    assert!(
        seen_by_bob
            .lines
            .iter()
            .all(|l| l.name.starts_with("MARK "))
    );
    let claimed: Vec<_> = seen_by_bob
        .lines
        .iter()
        .filter_map(|l| l.claimed_by.as_ref().map(|by| (l.customer_id, by.clone())))
        .collect();
    assert_eq!(claimed.len(), 1, "{claimed:?}");
    assert_eq!(claimed[0].0, line);
    assert!(claimed[0].1.starts_with("alice@"), "{claimed:?}");
    let seen_by_alice = source_with(&path, "alice", &Settings::defaults(), Language::En)
        .queue(today())
        .unwrap();
    assert!(seen_by_alice.lines[0].name.starts_with("MARK "));
    assert!(seen_by_alice.lines.iter().all(|l| l.claimed_by.is_none()));
    // Once the claim is let go, nobody is shown on the line.
    Store::open(&path, OpenOptions::default())
        .unwrap()
        .write(|tx| claims::release_all_of(tx, &alice_actor))
        .unwrap();
    assert!(
        bob.queue(today())
            .unwrap()
            .lines
            .iter()
            .all(|l| l.claimed_by.is_none())
    );
}

/// The outcome events (kind and detail) a database holds, in order.
fn outcomes(path: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT kind, detail FROM events WHERE kind LIKE 'outcome.%' ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Records a dispute and a plan on `customer`'s line, each undone after, from a kept
/// gather or from the snapshot of an earlier start; returns the outcome events.
fn work_line(path: &Path, customer: CustomerId, from_snapshot: bool) -> Vec<(String, String)> {
    let mut kept = source(path);
    if !from_snapshot {
        kept.queue(today()).unwrap();
        // Nothing to fall back on but the kept gather and its refreshes.
        rusqlite::Connection::open(path)
            .unwrap()
            .execute("DELETE FROM view_snapshots", [])
            .unwrap();
    }
    for outcome in [
        Outcome::Dispute {
            reason: "price".into(),
        },
        Outcome::Plan {
            detail: "3 monthly".into(),
        },
    ] {
        if from_snapshot {
            // A start that found the snapshot: no gather in memory.
            assert!(source(path).refresh_snapshot(today()).unwrap());
            let mut s = source(path);
            s.record_outcome(&actor(), customer, &outcome).unwrap();
            s.undo_last(&actor()).unwrap();
        } else {
            kept.record_outcome(&actor(), customer, &outcome).unwrap();
            kept.undo_last(&actor()).unwrap();
        }
    }
    outcomes(path)
}

#[test]
fn an_outcome_recorded_from_the_snapshot_carries_what_a_full_gather_gives() {
    let (_a, gathered) = book();
    let (_b, snapshotted) = book();
    let lines = start(&source(&gathered), today()).queue.lines;
    assert!(!lines.is_empty());
    for line in lines {
        let from_gather = work_line(&gathered, line.customer_id, false);
        let from_snapshot = work_line(&snapshotted, line.customer_id, true);
        assert!(
            from_gather
                .iter()
                .any(|(_, detail)| detail.contains("\"invoices\"")),
            "{from_gather:?}"
        );
        assert_eq!(from_snapshot, from_gather);
    }
}

#[test]
fn an_older_database_upgrades_and_then_files_its_start_views() {
    let step = schema::MIGRATIONS
        .iter()
        .position(|m| m.contains("CREATE TABLE view_snapshots"))
        .expect("the snapshot step");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for m in &schema::MIGRATIONS[..step] {
            conn.execute_batch(m).unwrap();
        }
        conn.pragma_update(None, "user_version", step as i64)
            .unwrap();
    }
    books::write(&mut Store::open(&path, OpenOptions::default()).unwrap());
    let first = start(&source(&path), today());
    assert_eq!(count(&path, "SELECT COUNT(*) FROM view_snapshots"), 4);
    tamper(&path);
    let second = start(&source(&path), today());
    assert_eq!(marked(&second), [true; 4]);
    assert_eq!(
        fresh(&path, &Settings::defaults(), Language::En, today()),
        first
    );
}

#[test]
fn a_read_only_session_reads_the_snapshot_and_never_fails_for_want_of_writing_it() {
    let (_dir, path) = book();
    let open_ro = || {
        let store = Store::open(&path, OpenOptions { read_only: true }).unwrap();
        let settings = SourceSettings::from_settings(&Settings::defaults(), Language::En).unwrap();
        StoreSource::new(store, settings).with_operator("reader", clock)
    };
    let computed = start(&open_ro(), today());
    assert_eq!(count(&path, "SELECT COUNT(*) FROM view_snapshots"), 0);
    assert!(!open_ro().refresh_snapshot(today()).unwrap());
    assert!(source(&path).refresh_snapshot(today()).unwrap());
    tamper(&path);
    let read = start(&open_ro(), today());
    assert_eq!(marked(&read), [true; 4]);
    assert_eq!(
        computed.overview.ageing,
        fresh(&path, &Settings::defaults(), Language::En, today())
            .overview
            .ageing
    );
}

#[test]
fn a_busy_database_does_not_fail_the_read() {
    let (_dir, path) = book();
    // Opened first: opening checks the schema under the write lock.
    let s = source(&path);
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let got = start(&s, today());
    blocker.execute_batch("ROLLBACK").unwrap();
    assert_eq!(count(&path, "SELECT COUNT(*) FROM view_snapshots"), 0);
    assert_eq!(
        got,
        fresh(&path, &Settings::defaults(), Language::En, today())
    );
}

#[test]
fn the_cockpit_files_its_start_views_when_idle_and_not_those_the_data_moved_past() {
    let (_dir, path) = book();
    let cockpit = |path: &Path| source(path).filing_when_idle();
    let mut s = cockpit(&path);
    let first = start(&s, today());
    assert_eq!(
        count(&path, "SELECT COUNT(*) FROM view_snapshots"),
        0,
        "nothing is filed before the answers"
    );
    s.idle();
    assert_eq!(count(&path, "SELECT COUNT(*) FROM view_snapshots"), 4);
    tamper(&path);
    assert_eq!(marked(&start(&cockpit(&path), today())), [true; 4]);
    assert_eq!(
        first,
        fresh(&path, &Settings::defaults(), Language::En, today())
    );

    // Views computed, then the data move before the worker is idle: the views are not
    // filed under the new data's key (the next request computes them).
    let (_dir2, path) = book();
    let mut s = cockpit(&path);
    start(&s, today());
    let c = s.signals(today()).unwrap().rows[0].customer_id;
    s.set_limit(&actor(), c, Some(dec!(10))).unwrap();
    s.idle();
    assert_eq!(count(&path, "SELECT COUNT(*) FROM view_snapshots"), 0);
    // Asked again after the write, they are filed at the next idle moment.
    let after = start(&s, today());
    s.idle();
    assert_eq!(count(&path, "SELECT COUNT(*) FROM view_snapshots"), 4);
    assert_eq!(
        after,
        fresh(&path, &Settings::defaults(), Language::En, today())
    );
}
