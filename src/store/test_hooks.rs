//! A fault point for the crash tests, so that a SIGKILL can be aimed inside a transaction
//! instead of hoping a random delay lands there: with `ENCOURS_TEST_PAUSE_BEFORE_COMMIT_MS`
//! set to N, each [`Store::write`](super::Store::write) whose work is done prints
//! [`BEFORE_COMMIT`] on stderr and waits N ms before its COMMIT. Nobody sets it outside the
//! tests; unset, it costs one environment lookup per process.

use std::sync::OnceLock;
use std::time::Duration;

pub const PAUSE_VAR: &str = "ENCOURS_TEST_PAUSE_BEFORE_COMMIT_MS";
/// The line a paused write prints, for the test to time its kill from.
pub const BEFORE_COMMIT: &str = "encours-test: all rows written, COMMIT next";

fn pause() -> Option<Duration> {
    static PAUSE: OnceLock<Option<Duration>> = OnceLock::new();
    *PAUSE.get_or_init(|| {
        std::env::var(PAUSE_VAR)
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .map(Duration::from_millis)
    })
}

pub(super) fn before_commit() {
    if let Some(pause) = pause() {
        eprintln!("{BEFORE_COMMIT}");
        std::thread::sleep(pause);
    }
}
