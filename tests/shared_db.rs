//! Several operators on one database: claims on the call list, the event log, a busy
//! database that waits instead of failing, read-only sessions, backups.

mod inbox_support;

use chrono::Duration as Minutes;
use encours::store::claims::{self, ClaimOutcome};
use encours::store::{Actor, OpenOptions, Store, StoreError, events};
use inbox_support::{noon, open_store};
use std::time::Duration;

fn at(minutes: i64) -> chrono::NaiveDateTime {
    noon() + Minutes::minutes(minutes)
}

fn with_customers(db: &std::path::Path) -> Store {
    let store = open_store(db);
    store
        .conn()
        .execute_batch(
            "INSERT INTO customers (id, code, name) VALUES (1, 'C1', 'Un'), (2, 'C2', 'Deux');",
        )
        .unwrap();
    store
}

#[test]
fn two_operators_never_hold_the_same_customer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = with_customers(&dir.path().join("e.db"));
    let alice = Actor::new("alice", at(0));
    let bob = Actor::new("bob", at(5));
    let ttl = Minutes::minutes(30);

    let got = store.write(|tx| claims::claim(tx, 1, &alice, ttl)).unwrap();
    assert_eq!(
        got,
        ClaimOutcome::Claimed {
            expires_at: "2026-03-02T12:30:00".into()
        }
    );
    let refused = store.write(|tx| claims::claim(tx, 1, &bob, ttl)).unwrap();
    let ClaimOutcome::AlreadyClaimed { who, since, .. } = refused else {
        panic!("bob got alice's customer: {refused:?}");
    };
    assert_eq!(
        (who.as_str(), since.as_str()),
        ("alice", "2026-03-02T12:00:00")
    );
    // Bob takes another customer; both are shown as worked.
    store.write(|tx| claims::claim(tx, 2, &bob, ttl)).unwrap();
    let active = claims::active(store.conn(), at(6)).unwrap();
    let holders: Vec<_> = active
        .iter()
        .map(|c| (c.customer_id, c.who.as_str()))
        .collect();
    assert_eq!(holders, [(1, "alice"), (2, "bob")]);

    // Bob cannot release alice's claim; alice can.
    assert!(!store.write(|tx| claims::release(tx, 1, &bob)).unwrap());
    assert_eq!(
        claims::holder(store.conn(), 1, at(6)).unwrap().unwrap().who,
        "alice"
    );
    assert!(store.write(|tx| claims::release(tx, 1, &alice)).unwrap());
    let now_bob = Actor::new("bob", at(7));
    assert!(matches!(
        store
            .write(|tx| claims::claim(tx, 1, &now_bob, ttl))
            .unwrap(),
        ClaimOutcome::Claimed { .. }
    ));
}

#[test]
fn a_claim_expires_and_renewing_extends_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = with_customers(&dir.path().join("e.db"));
    let ttl = Minutes::minutes(30);
    store
        .write(|tx| claims::claim(tx, 1, &Actor::new("alice", at(0)), ttl))
        .unwrap();
    // Alice renews at 20 min: now held until 50.
    store
        .write(|tx| claims::claim(tx, 1, &Actor::new("alice", at(20)), ttl))
        .unwrap();
    let bob_at_40 = Actor::new("bob", at(40));
    assert!(matches!(
        store
            .write(|tx| claims::claim(tx, 1, &bob_at_40, ttl))
            .unwrap(),
        ClaimOutcome::AlreadyClaimed { .. }
    ));
    assert!(
        claims::holder(store.conn(), 1, at(50)).unwrap().is_none(),
        "expired at 50"
    );
    let bob_at_51 = Actor::new("bob", at(51));
    assert!(matches!(
        store
            .write(|tx| claims::claim(tx, 1, &bob_at_51, ttl))
            .unwrap(),
        ClaimOutcome::Claimed { .. }
    ));
    store
        .write(|tx| claims::claim(tx, 2, &Actor::new("carol", at(0)), ttl))
        .unwrap();
    let dropped = store
        .write(|tx| claims::release_expired(tx, at(60)))
        .unwrap();
    assert_eq!(dropped, 1, "carol's, not bob's");
    assert_eq!(claims::active(store.conn(), at(60)).unwrap().len(), 1);
}

#[test]
fn events_are_appended_with_their_author_and_read_back_per_customer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = with_customers(&dir.path().join("e.db"));
    let alice = Actor::new("alice", at(0));
    let bob = Actor::new("bob", at(3));
    store
        .write(|tx| {
            events::append(
                tx,
                &alice,
                Some(1),
                None,
                "call",
                serde_json::json!({"outcome": "promise"}),
            )?;
            events::append(tx, &bob, Some(2), None, "email", serde_json::json!({}))?;
            events::append(
                tx,
                &bob,
                Some(1),
                None,
                "note",
                serde_json::json!({"text": "rappeler"}),
            )
        })
        .unwrap();
    let history = events::history(store.conn(), 1).unwrap();
    let seen: Vec<_> = history
        .iter()
        .map(|e| (e.who.as_str(), e.kind.as_str()))
        .collect();
    assert_eq!(seen, [("alice", "call"), ("bob", "note")]);
    assert_eq!(history[0].detail["outcome"], "promise");
    assert_eq!(history[0].at, "2026-03-02T12:00:00");
    // The trail cannot be rewritten.
    let err = store
        .conn()
        .execute("UPDATE events SET who = 'mallory'", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[test]
fn a_busy_database_makes_a_write_wait_and_say_so_then_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let mut store = with_customers(&db);
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let holder = {
        let db = db.clone();
        std::thread::spawn(move || {
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            locked_tx.send(()).unwrap();
            // Longer than one busy slice, so the wait is reported.
            std::thread::sleep(Duration::from_millis(3500));
            conn.execute_batch("COMMIT").unwrap();
        })
    };
    locked_rx.recv().unwrap();
    let notices = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = notices.clone();
    store.set_busy_hook(Box::new(move |w| seen.lock().unwrap().push(w.attempt)));
    let actor = Actor::new("alice", at(0));
    store
        .write(|tx| events::append(tx, &actor, Some(1), None, "call", serde_json::json!({})))
        .unwrap();
    holder.join().unwrap();
    assert!(!notices.lock().unwrap().is_empty(), "the wait was reported");
    assert_eq!(
        encours::store::BUSY_MESSAGE,
        "the database is busy (another encours is writing); retrying…"
    );
    assert_eq!(inbox_support::count(&db, "SELECT COUNT(*) FROM events"), 1);
}

#[test]
fn a_new_database_being_written_by_another_program_opens_once_it_is_free() {
    // Another program created the file in rollback-journal mode and is writing to it: the
    // switch to WAL cannot happen until it commits, and SQLite does not wait for that on its
    // own. This is what two watchers creating one database at once run into.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let other = rusqlite::Connection::open(&db).unwrap();
    other
        .execute_batch("CREATE TABLE t (a); BEGIN IMMEDIATE; INSERT INTO t VALUES (1);")
        .unwrap();
    let opening = {
        let db = db.clone();
        std::thread::spawn(move || Store::open(&db, OpenOptions::default()).map(|_| ()))
    };
    std::thread::sleep(Duration::from_millis(300));
    other.execute_batch("COMMIT").unwrap();
    opening.join().unwrap().unwrap();
    let mode: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_database_busy_beyond_patience_gives_a_clear_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let mut store = with_customers(&db);
    let blocker = rusqlite::Connection::open(&db).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    store.set_busy_patience(Duration::from_secs(1));
    let actor = Actor::new("alice", at(0));
    let err = store
        .write(|tx| events::append(tx, &actor, Some(1), None, "call", serde_json::json!({})))
        .unwrap_err();
    assert!(matches!(err, StoreError::Busy { .. }), "{err}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    blocker.execute_batch("ROLLBACK").unwrap();
    assert_eq!(inbox_support::count(&db, "SELECT COUNT(*) FROM events"), 0);
}

#[test]
fn a_read_only_session_refuses_writes_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    drop(with_customers(&db));
    let mut store = Store::open(&db, OpenOptions { read_only: true }).unwrap();
    let actor = Actor::new("alice", at(0));
    let err = store
        .write(|tx| claims::claim(tx, 1, &actor, Minutes::minutes(5)))
        .unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly));
    assert!(err.to_string().contains("read-only"), "{err}");
    let n: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2, "reading works");
}

#[cfg(unix)]
#[test]
fn a_backup_is_consistent_owner_only_and_never_overwrites() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let mut store = with_customers(&db);
    let actor = Actor::new("alice", at(0));
    store
        .write(|tx| events::append(tx, &actor, Some(1), None, "call", serde_json::json!({})))
        .unwrap();
    let copy = dir.path().join("backups/copy.db");
    encours::store::backup::backup_to(store.conn(), &copy).unwrap();
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let events: i64 = conn
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(events, 1);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "one self-contained file");
    let again = encours::store::backup::backup_to(store.conn(), &copy).unwrap_err();
    assert!(again.to_string().contains("already exists"), "{again}");
    let leftovers: Vec<_> = std::fs::read_dir(copy.parent().unwrap()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}
