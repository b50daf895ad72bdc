//! Several processes on one inbox and one database. The children are this test binary run
//! again on `child_process` with a role in `ENCOURS_TEST_CHILD`: real processes, real
//! renames racing, real SQLite locks, and the toy reader of `inbox_support` behind the real
//! ingest path (the real readers are exercised by `watch_binary.rs`).

mod inbox_support;

use encours::config::WatchMode;
use encours::inbox::{InboxOutcome, Watcher, WatcherConfig};
use encours::store::{Actor, claims, events};
use inbox_support::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ROLE: &str = "ENCOURS_TEST_CHILD";

fn spawn_child(role: &str, vars: &[(&str, &Path)], extra: &[(&str, String)]) -> Child {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["child_process", "--exact", "--ignored", "--nocapture"])
        .env(ROLE, role)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in vars {
        cmd.env(k, v);
    }
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

/// The child's `RESULT key=value ...` line, as numbers.
fn finish(child: Child) -> std::collections::BTreeMap<String, u64> {
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child failed:\n{stdout}\n{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("RESULT "))
        .unwrap_or_else(|| panic!("no RESULT line:\n{stdout}\n{stderr}"));
    line["RESULT ".len()..]
        .split_whitespace()
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_string(), v.parse().unwrap())
        })
        .collect()
}

fn env_path(name: &str) -> PathBuf {
    PathBuf::from(std::env::var(name).unwrap_or_else(|_| panic!("{name} not set")))
}

#[test]
#[ignore = "not a test by itself: the body of the child processes started by the tests here"]
fn child_process() {
    match std::env::var(ROLE).as_deref() {
        Ok("watcher") => child_watcher(),
        Ok("writer") => child_writer(),
        Ok("importer") => child_importer(),
        other => panic!("unknown child role {other:?}"),
    }
}

/// Watches until the stop file appears; reports what it did.
fn child_watcher() {
    let inbox = env_path("T_INBOX");
    let stop = env_path("T_STOP");
    let config = WatcherConfig {
        inbox: config(&inbox, Duration::from_millis(200)),
        mode: WatchMode::Poll,
        poll_interval: Duration::from_millis(50),
    };
    let (watcher, rx) = Watcher::start(config, toy_ingest(open_store(&env_path("T_DB")))).unwrap();
    let (mut imported, mut already, mut other) = (0, 0, 0);
    let mut tally = |e: encours::inbox::InboxEvent| match e.outcome {
        InboxOutcome::Imported(_) => imported += 1,
        InboxOutcome::AlreadyImported { .. } => already += 1,
        _ => {
            eprintln!("{}", e.describe());
            other += 1
        }
    };
    while !stop.exists() {
        if let Ok(e) = rx.recv_timeout(Duration::from_millis(50)) {
            tally(e);
        }
    }
    watcher.stop();
    while let Ok(e) = rx.try_recv() {
        tally(e);
    }
    println!("RESULT imported={imported} already={already} other={other}");
}

/// Records outcomes (an event and a claim per action) as fast as it can for a while.
fn child_writer() {
    let db = env_path("T_DB");
    let me: u64 = std::env::var("T_ID").unwrap().parse().unwrap();
    let seconds: u64 = std::env::var("T_SECONDS").unwrap().parse().unwrap();
    let mut store = open_store(&db);
    let actor = Actor::new(format!("op{me}"), noon());
    let start = Instant::now();
    let mut written = 0u64;
    while start.elapsed() < Duration::from_secs(seconds) {
        let customer = (written % 3) as i64 + 1;
        let detail = serde_json::json!({"proc": me, "seq": written});
        store
            .write(|tx| {
                claims::claim(tx, customer, &actor, chrono::Duration::minutes(5))?;
                events::append(tx, &actor, Some(customer), None, "outcome", detail)?;
                claims::release(tx, customer, &actor)
            })
            .unwrap_or_else(|e| panic!("op{me}: write {written} failed: {e}"));
        written += 1;
    }
    println!("RESULT written={written}");
}

/// One pass over the inbox (the test kills it during the import).
fn child_importer() {
    let mut inbox = toy_inbox(
        &env_path("T_INBOX"),
        &env_path("T_DB"),
        Duration::from_millis(100),
    );
    let events = inbox.run_once().unwrap();
    println!("RESULT events={}", events.len());
}

#[test]
fn two_watcher_processes_racing_on_fifty_files_import_each_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    let db = dir.path().join("encours.db");
    let stop = dir.path().join("stop");
    drop(open_store(&db));
    std::fs::create_dir_all(&inbox).unwrap();
    let vars = [
        ("T_INBOX", inbox.as_path()),
        ("T_DB", db.as_path()),
        ("T_STOP", stop.as_path()),
    ];
    let children: Vec<Child> = (0..2).map(|_| spawn_child("watcher", &vars, &[])).collect();
    // Dropped once both are (most likely) polling, so that both see all fifty and race for
    // each; the counts below hold whoever wins.
    std::thread::sleep(Duration::from_millis(1500));
    for i in 0..50 {
        drop_file(
            &inbox,
            &format!("f{i:02}.csv"),
            &toy_file(&format!("R{i}"), 4),
        );
    }

    let deadline = Instant::now() + Duration::from_secs(180);
    while files_under(&inbox.join("archive")).len() < 50 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::fs::write(&stop, "").unwrap();
    let results: Vec<_> = children.into_iter().map(finish).collect();
    println!("per process: {results:?}");
    let sum = |k: &str| results.iter().map(|r| r[k]).sum::<u64>();
    assert_eq!(sum("imported"), 50);
    assert_eq!(sum("already"), 0, "no file was processed twice");
    assert_eq!(sum("other"), 0);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM imports"), 50);
    assert_eq!(count(&db, "SELECT COUNT(DISTINCT sha256) FROM imports"), 50);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM invoices"), 200);
    assert_eq!(
        count(&db, "SELECT COUNT(DISTINCT number) FROM invoices"),
        200
    );
    assert!(waiting(&inbox).is_empty());
    assert!(files_under(&inbox.join(".claimed")).is_empty());
}

/// `ENCOURS_STRESS_SECONDS` (default 20, at most 60) bounds the run.
fn stress_seconds() -> u64 {
    std::env::var("ENCOURS_STRESS_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20u64)
        .clamp(1, 60)
}

#[test]
fn three_processes_writing_outcomes_at_once_lose_none_and_report_no_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("encours.db");
    open_store(&db)
        .conn()
        .execute_batch("INSERT INTO customers (id, code, name) VALUES (1,'C1','Un'),(2,'C2','Deux'),(3,'C3','Trois');")
        .unwrap();
    let seconds = stress_seconds().to_string();
    let children: Vec<Child> = (0..3)
        .map(|id| {
            spawn_child(
                "writer",
                &[("T_DB", db.as_path())],
                &[("T_ID", id.to_string()), ("T_SECONDS", seconds.clone())],
            )
        })
        .collect();
    let results: Vec<_> = children.into_iter().map(finish).collect();
    let conn = rusqlite::Connection::open(&db).unwrap();
    for (id, result) in results.iter().enumerate() {
        let written = result["written"] as i64;
        assert!(written > 0, "process {id} wrote nothing");
        let (rows, distinct, max): (i64, i64, i64) = conn
            .query_row(
                "SELECT COUNT(*), COUNT(DISTINCT json_extract(detail, '$.seq')),
                        MAX(json_extract(detail, '$.seq'))
                 FROM events WHERE json_extract(detail, '$.proc') = ?1",
                [id as i64],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            (rows, distinct, max),
            (written, written, written - 1),
            "process {id}"
        );
    }
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM claims"),
        0,
        "every claim released"
    );
}

#[test]
fn a_process_killed_mid_import_leaves_the_file_to_be_imported_on_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    let db = dir.path().join("encours.db");
    drop(open_store(&db));
    std::fs::create_dir_all(&inbox).unwrap();
    const N: i64 = 200_000;
    let content = toy_file("BIG", N as usize);
    drop_file(&inbox, "big.csv", &content);
    let mut child = spawn_child(
        "importer",
        &[("T_INBOX", inbox.as_path()), ("T_DB", db.as_path())],
        &[],
    );

    // Kill it while it holds the write lock, i.e. inside the import's transaction.
    let probe = rusqlite::Connection::open(&db).unwrap();
    probe.busy_timeout(Duration::ZERO).unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let killed_inside = loop {
        assert!(Instant::now() < deadline, "the import never started");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before the kill"
        );
        let claimed = !inbox.join("big.csv").exists();
        if claimed && probe.execute_batch("BEGIN IMMEDIATE").is_err() {
            child.kill().unwrap(); // SIGKILL
            break true;
        }
        let _ = probe.execute_batch("ROLLBACK");
        std::thread::sleep(Duration::from_millis(2));
    };
    assert!(killed_inside);
    // Reaped, so that its pid is really gone (a zombie still answers kill(pid, 0)).
    child.wait().unwrap();
    drop(probe);

    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let imports = count(&db, "SELECT COUNT(*) FROM imports");
    let invoices = count(&db, "SELECT COUNT(*) FROM invoices");
    println!("after the kill: {imports} import(s), {invoices} invoice(s)");
    // All or nothing: the transaction committed whole or left nothing.
    assert!(
        (imports, invoices) == (0, 0) || (imports, invoices) == (1, N),
        "partial rows: {imports} import(s), {invoices} invoice(s)"
    );
    assert!(waiting(&inbox).is_empty());
    assert_eq!(
        files_under(&inbox.join(".claimed")).len(),
        1,
        "left claimed by the dead process"
    );

    // The next start takes it back and imports it (or, had the commit won the race, files
    // it as already imported): once either way.
    let events = toy_inbox(&inbox, &db, Duration::from_millis(100))
        .run_once()
        .unwrap();
    assert!(
        matches!(events[0].outcome, InboxOutcome::Recovered),
        "{events:?}"
    );
    let last = &events[1].outcome;
    if imports == 0 {
        assert!(matches!(last, InboxOutcome::Imported(_)), "{last:?}");
    } else {
        assert!(
            matches!(last, InboxOutcome::AlreadyImported { .. }),
            "{last:?}"
        );
    }
    assert_eq!(count(&db, "SELECT COUNT(*) FROM imports"), 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM invoices"), N);
    assert!(files_under(&inbox.join(".claimed")).is_empty());
    assert!(waiting(&inbox).is_empty());
    let archived = events[1].moved_to.clone().unwrap();
    assert_eq!(std::fs::read_to_string(archived).unwrap(), content);
}

#[cfg(unix)]
#[test]
fn a_backup_taken_while_another_process_writes_is_consistent_and_opens() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("encours.db");
    open_store(&db)
        .conn()
        .execute_batch("INSERT INTO customers (id, code, name) VALUES (1,'C1','Un'),(2,'C2','Deux'),(3,'C3','Trois');")
        .unwrap();
    let writer = spawn_child(
        "writer",
        &[("T_DB", db.as_path())],
        &[("T_ID", "7".into()), ("T_SECONDS", "4".into())],
    );
    let mut previous = -1i64;
    for n in 0..4 {
        std::thread::sleep(Duration::from_millis(500));
        let copy = dir.path().join(format!("backups/copy-{n}.db"));
        let out = Command::new(env!("CARGO_BIN_EXE_encours"))
            .arg("--db")
            .arg(&db)
            .arg("backup")
            .arg(&copy)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let conn = rusqlite::Connection::open(&copy).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        // A snapshot: the events it holds are a prefix of the writer's, with no gap.
        let (rows, max): (i64, Option<i64>) = conn
            .query_row(
                "SELECT COUNT(*), MAX(json_extract(detail, '$.seq')) FROM events",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(rows, max.map_or(0, |m| m + 1), "copy {n}");
        assert!(rows >= previous, "copies go forward");
        previous = rows;
    }
    finish(writer);
}
