//! SIGKILL the real binary at seeded random moments of an import, a matching run and a loop
//! of recorded outcomes, then reopen the database and check what must hold: the integrity
//! check passes, a file is wholly there or absent (re-importing completes it to exactly the
//! clean result), no allocation is half-written or over-allocates an invoice, and every
//! outcome the user was told about is in `events`.
//!
//! `CRASH_RUNS` sets the kills per scenario (default 3, about 40 s in all; the README's
//! figures came from a longer local run).

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_encours");
const TODAY: &str = "2026-03-01";

fn runs() -> u64 {
    std::env::var("CRASH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
}

/// Seeded delays, so that a failure can be replayed.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn encours(db: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--db")
        .arg(db)
        .env("ENCOURS_TODAY", TODAY)
        .env_remove("ENCOURS_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn ok(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

struct Fixture {
    _dir: tempfile::TempDir,
    files: PathBuf,
    /// Customers only: the starting point of the import scenario.
    base: PathBuf,
    /// Everything imported, nothing matched: the starting point of the matching scenario.
    raw: PathBuf,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let files = dir.path().join("files");
        let demo = dir.path().join("demo.sqlite");
        ok(encours(&demo)
            .args(["demo", "--customers", "300", "--invoices", "20000"])
            .arg("--write-files")
            .arg(&files));
        let base = dir.path().join("base.sqlite");
        ok(encours(&base).arg("import").arg(files.join("clients.csv")));
        let raw = dir.path().join("raw.sqlite");
        std::fs::copy(&base, &raw).unwrap();
        ok(encours(&raw).arg("import").args(import_files(&files)));
        Fixture {
            _dir: dir,
            files,
            base,
            raw,
        }
    })
}

/// The large invoice file and nine months of statements.
fn import_files(files: &Path) -> Vec<PathBuf> {
    let mut v = vec![files.join("factures.csv")];
    v.extend((1..=9).map(|m| files.join(format!("releve-2025-{m:02}.xml"))));
    v
}

fn scalar(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn check_invariants(db: &Path) {
    let conn = Connection::open(db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    assert_eq!(
        scalar(
            &conn,
            "SELECT COUNT(*) FROM allocations a WHERE NOT EXISTS \
             (SELECT 1 FROM invoices i WHERE i.id = a.invoice_id) \
             OR (a.transaction_id IS NOT NULL AND NOT EXISTS \
             (SELECT 1 FROM bank_transactions t WHERE t.id = a.transaction_id))"
        ),
        0,
        "an allocation points at nothing"
    );
    assert_eq!(
        scalar(
            &conn,
            "SELECT COUNT(*) FROM invoices i WHERE i.amount_minor < \
             (SELECT COALESCE(SUM(a.amount_minor), 0) FROM allocations a \
              WHERE a.invoice_id = i.id AND a.undone_at IS NULL)"
        ),
        0,
        "an invoice is over-allocated"
    );
}

fn counts(db: &Path) -> (i64, i64, i64) {
    let conn = Connection::open(db).unwrap();
    (
        scalar(&conn, "SELECT COUNT(*) FROM imports"),
        scalar(&conn, "SELECT COUNT(*) FROM invoices"),
        scalar(&conn, "SELECT COUNT(*) FROM bank_transactions"),
    )
}

#[test]
fn import_killed_at_random_points() {
    let f = fixture();
    let expected = counts(&f.raw);
    let mut rng = Rng(0xC0FFEE);
    let dir = tempfile::tempdir().unwrap();
    for run in 0..runs() {
        let db = dir.path().join(format!("import-{run}.sqlite"));
        std::fs::copy(&f.base, &db).unwrap();
        let delay = 20 + rng.below(6_000);
        let mut child = encours(&db)
            .arg("import")
            .args(import_files(&f.files))
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        check_invariants(&db);
        let partial = counts(&db);
        ok(encours(&db).arg("import").args(import_files(&f.files)));
        check_invariants(&db);
        assert_eq!(
            counts(&db),
            expected,
            "kill after {delay} ms (had {partial:?}): re-import did not give the clean result"
        );
        println!("import: killed after {delay} ms with {partial:?}; re-import complete");
    }
}

#[test]
fn matching_killed_at_random_points() {
    let f = fixture();
    let mut rng = Rng(0xBADC0DE);
    let dir = tempfile::tempdir().unwrap();
    for run in 0..runs() + 1 {
        let db = dir.path().join(format!("match-{run}.sqlite"));
        std::fs::copy(&f.raw, &db).unwrap();
        let delay = 10 + rng.below(700);
        let mut child = encours(&db).arg("match").spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        check_invariants(&db);
        let conn = Connection::open(&db).unwrap();
        let after_kill = scalar(&conn, "SELECT COUNT(*) FROM allocations");
        drop(conn);
        // The next run picks up where the killed one stopped.
        ok(encours(&db).arg("match"));
        check_invariants(&db);
        let conn = Connection::open(&db).unwrap();
        let finished = scalar(&conn, "SELECT COUNT(*) FROM allocations");
        assert!(finished >= after_kill && finished > 0);
        println!("match: killed after {delay} ms with {after_kill} allocations; rerun: {finished}");
    }
}

#[test]
fn outcomes_acknowledged_before_a_kill_are_kept() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::CommandExt;
    let f = fixture();
    let mut rng = Rng(0x5EED);
    let dir = tempfile::tempdir().unwrap();
    for run in 0..runs() {
        let db = dir.path().join(format!("log-{run}.sqlite"));
        std::fs::copy(&f.base, &db).unwrap();
        let script = format!(
            "i=0; while :; do ENCOURS_TODAY={TODAY} '{BIN}' --db '{}' log C00001 note \
             \"crash-{run}-$i\" >/dev/null 2>&1 && echo \"ack crash-{run}-$i\"; i=$((i+1)); done",
            db.display()
        );
        let mut child = Command::new("sh")
            .args(["-c", &script])
            .stdout(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("ack ").map(str::to_string))
                .collect::<Vec<_>>()
        });
        let delay = 300 + rng.below(1_500);
        std::thread::sleep(Duration::from_millis(delay));
        // The whole group: the shell and the `encours log` it is running at that moment.
        let pgid = child.id().to_string();
        ok(Command::new("kill").args(["-KILL", "--", &format!("-{pgid}")]));
        let _ = child.wait();
        let acked = reader.join().unwrap();
        check_invariants(&db);
        let conn = Connection::open(&db).unwrap();
        let mut stmt = conn
            .prepare("SELECT detail FROM events WHERE kind = 'outcome.note'")
            .unwrap();
        let stored: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for a in &acked {
            let needle = format!("\"{a}\"");
            assert!(
                stored.iter().any(|d| d.contains(&needle)),
                "acknowledged {a} is missing"
            );
        }
        assert!(!acked.is_empty(), "nothing was acknowledged in {delay} ms");
        // At most the one in flight was written without its acknowledgement.
        assert!(stored.len() <= acked.len() + 1);
        println!(
            "log: killed after {delay} ms; {} acknowledged, {} stored",
            acked.len(),
            stored.len()
        );
    }
}

/// What a matching run wrote: every allocation's invoice, bank line, amount and rule, in
/// order, plus the events. Two runs over the same data write the same.
fn allocation_state(db: &Path) -> (i64, u64, i64) {
    use std::hash::{Hash, Hasher};
    let conn = Connection::open(db).unwrap();
    let rows: String = conn
        .query_row(
            "SELECT COALESCE(group_concat(x, '|'), '') FROM (SELECT invoice_id || ':' || \
             COALESCE(transaction_id, '') || ':' || amount_minor || ':' || rule AS x \
             FROM allocations ORDER BY id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut digest = std::collections::hash_map::DefaultHasher::new();
    rows.hash(&mut digest);
    (
        scalar(&conn, "SELECT COUNT(*) FROM allocations"),
        digest.finish(),
        scalar(&conn, "SELECT COUNT(*) FROM events"),
    )
}

fn wal_bytes(db: &Path) -> u64 {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).map_or(0, |m| m.len())
}

/// The kill is aimed with the store's test hook: the run announces that all its rows are
/// written and its COMMIT is next, then waits `PAUSE` ms. Kills inside the pause land in the
/// open transaction (its uncommitted pages partly in the WAL already); kills at the end of
/// it race the COMMIT itself. Either way the database must hold all of the run or none.
#[test]
fn matching_killed_inside_its_transaction() {
    use std::io::{BufRead, BufReader};
    const PAUSE: u64 = 400;
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.sqlite");
    std::fs::copy(&f.raw, &clean).unwrap();
    let before = allocation_state(&clean);
    ok(encours(&clean).arg("match"));
    let after = allocation_state(&clean);
    assert!(after.0 > 0, "the clean run allocated nothing");
    let mut rng = Rng(0xC0117);
    let (mut none, mut all, mut during) = (0, 0, 0);
    for run in 0..2 * runs() {
        let db = dir.path().join(format!("commit-{run}.sqlite"));
        std::fs::copy(&f.raw, &db).unwrap();
        let mut child = encours(&db)
            .arg("match")
            .env(encours::store::test_hooks::PAUSE_VAR, PAUSE.to_string())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        loop {
            line.clear();
            let n = stderr.read_line(&mut line).unwrap();
            assert!(n > 0, "the run ended without reaching its COMMIT");
            if line.trim_end() == encours::store::test_hooks::BEFORE_COMMIT {
                break;
            }
        }
        let wal = wal_bytes(&db);
        // Even runs: inside the pause. Odd runs: around the moment the COMMIT starts, to the
        // microsecond, since writing the run's pages to the WAL takes a few milliseconds.
        let micros = if run % 2 == 0 {
            rng.below((PAUSE - 20) * 1000)
        } else {
            (PAUSE - 8) * 1000 + rng.below(20_000)
        };
        let delay = micros as f64 / 1000.0;
        std::thread::sleep(Duration::from_micros(micros));
        let _ = child.kill();
        let _ = child.wait();
        // Frames the killed process left in the WAL: with no commit frame among them they
        // must be ignored when the database is opened again.
        let wal_left = wal_bytes(&db);
        check_invariants(&db);
        let state = allocation_state(&db);
        if state == before {
            none += 1;
            during += usize::from(wal_left > 0);
        } else {
            assert_eq!(
                state, after,
                "kill {delay} ms after the rows were written left part of the run"
            );
            all += 1;
        }
        ok(encours(&db).arg("match"));
        check_invariants(&db);
        let rerun = allocation_state(&db);
        assert_eq!(
            (rerun.0, rerun.1),
            (after.0, after.1),
            "the rerun's allocations differ from a clean run's"
        );
        // After a committed run the rerun finds nothing to do, and logs that it did nothing.
        let runs_logged = if state == before { 1 } else { 2 };
        assert_eq!(rerun.2, before.2 + runs_logged * (after.2 - before.2));
        println!(
            "match: killed {delay:.3} ms into the pause before COMMIT (WAL: {wal} bytes then, \
             {wal_left} left by the kill): {}",
            match (state == before, wal_left > 0) {
                (false, _) => "all of the run",
                (true, false) => "none of the run",
                (true, true) => "none of the run, its COMMIT cut short",
            }
        );
    }
    assert!(none > 0, "no kill landed inside the transaction");
    println!(
        "{none} kills before the COMMIT took effect ({during} during its writes), {all} after; \
         the rerun always completed"
    );
}
