//! Claiming a file: an atomic rename from the inbox into `.claimed/` under a name that says
//! who claimed it (process, machine) and when. Of several watchers racing for one file,
//! exactly one rename succeeds; the others find the file gone and move on.
//!
//! A claim outlives its process only after a crash. Such a claim is taken back into the
//! inbox: the import either committed (its hash is then in the imports table, and the file
//! is archived as already imported) or did not (and it is imported anew).

use chrono::NaiveDateTime;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Claims being worked by this process: a claim named with our own pid but absent from
/// here was left by an earlier process that had the same pid.
static IN_FLIGHT: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

const STAMP: &str = "%Y%m%dT%H%M%S";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimName {
    pub pid: u32,
    pub host: String,
    pub at: NaiveDateTime,
    pub seq: u64,
    pub original: String,
}

impl ClaimName {
    pub fn new(original: &str, at: NaiveDateTime) -> Self {
        ClaimName {
            pid: std::process::id(),
            host: crate::store::claims::local_host(),
            at,
            seq: SEQUENCE.fetch_add(1, Ordering::Relaxed),
            original: original.to_string(),
        }
    }

    /// `PID@HOST#STAMP#SEQ#ORIGINAL`: '#' and '/' never appear in the host part.
    pub fn file_name(&self) -> String {
        let host: String = self
            .host
            .chars()
            .map(|c| if matches!(c, '#' | '/' | '@') { '_' } else { c })
            .collect();
        format!(
            "{}@{host}#{}#{}#{}",
            self.pid,
            self.at.format(STAMP),
            self.seq,
            self.original
        )
    }

    pub fn parse(name: &str) -> Option<ClaimName> {
        let (owner, rest) = name.split_once('#')?;
        let (pid, host) = owner.split_once('@')?;
        let (stamp, rest) = rest.split_once('#')?;
        let (seq, original) = rest.split_once('#')?;
        if original.is_empty() {
            return None;
        }
        Some(ClaimName {
            pid: pid.parse().ok()?,
            host: host.to_string(),
            at: NaiveDateTime::parse_from_str(stamp, STAMP).ok()?,
            seq: seq.parse().ok()?,
            original: original.to_string(),
        })
    }

    fn is_ours(&self) -> bool {
        self.pid == std::process::id() && self.host == crate::store::claims::local_host()
    }
}

/// A claim held by this process; dropping it forgets the claim (the file itself is moved
/// by whoever holds it).
#[derive(Debug)]
pub struct Held {
    pub name: ClaimName,
    pub path: PathBuf,
}

impl Drop for Held {
    fn drop(&mut self) {
        in_flight().remove(&self.name.file_name());
    }
}

fn in_flight() -> std::sync::MutexGuard<'static, BTreeSet<String>> {
    // A panic elsewhere while holding the lock leaves a usable set behind.
    IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner())
}

/// Claims `src` (renaming it into `claimed_dir` as `original`'s claim). `Ok(None)`: the file
/// is gone, another watcher was faster.
pub fn claim(
    src: &Path,
    claimed_dir: &Path,
    original: &str,
    at: NaiveDateTime,
) -> std::io::Result<Option<Held>> {
    let name = ClaimName::new(original, at);
    let file_name = name.file_name();
    let path = claimed_dir.join(&file_name);
    // Registered before the rename, so that a recovery running in another thread of this
    // process never mistakes the fresh claim for a dead one.
    in_flight().insert(file_name);
    let held = Held { name, path };
    match std::fs::rename(src, &held.path) {
        Ok(()) => Ok(Some(held)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether a process with this id runs on this machine.
pub fn pid_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists and may be signalled.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Whether a claim was abandoned: its process is dead (this machine), or it is older than
/// `stale_after` (any machine: a pid may have been reused, or the claim is another
/// machine's, whose processes we cannot see).
pub fn is_abandoned(claim: &ClaimName, now: NaiveDateTime, stale_after: chrono::Duration) -> bool {
    if claim.is_ours() {
        return !in_flight().contains(&claim.file_name());
    }
    let local = claim.host == crate::store::claims::local_host();
    (local && !pid_alive(claim.pid)) || now - claim.at > stale_after
}

/// Abandoned claims in `claimed_dir`, oldest first. Names that are not claims are ignored.
pub fn abandoned(
    claimed_dir: &Path,
    now: NaiveDateTime,
    stale_after: chrono::Duration,
) -> std::io::Result<Vec<(PathBuf, ClaimName)>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(claimed_dir)? {
        let Ok(entry) = entry else { continue };
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let Some(claim) = ClaimName::parse(&name) else {
            continue;
        };
        if is_abandoned(&claim, now, stale_after) {
            found.push((entry.path(), claim));
        }
    }
    found.sort_by(|a, b| a.1.at.cmp(&b.1.at).then(a.1.seq.cmp(&b.1.seq)));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(8, 30, 5)
            .unwrap()
    }

    #[test]
    fn a_claim_name_round_trips_even_with_hashes_in_the_file_name() {
        let mut name = ClaimName::new("relevé #3.xml", at());
        name.host = "srv#1".into();
        let parsed = ClaimName::parse(&name.file_name()).unwrap();
        assert_eq!(parsed.original, "relevé #3.xml");
        assert_eq!(parsed.host, "srv_1");
        assert_eq!(parsed.at, at());
        assert_eq!(parsed.pid, std::process::id());
        assert!(ClaimName::parse("notes.txt").is_none());
        assert!(ClaimName::parse("12@h#2026#1#").is_none());
    }

    #[test]
    fn dead_and_old_claims_are_abandoned_live_ones_are_not() {
        let stale = chrono::Duration::minutes(60);
        let mut dead = ClaimName::new("a.csv", at());
        dead.pid = i32::MAX as u32; // above any pid_max
        assert!(is_abandoned(&dead, at(), stale));

        let mut parent = ClaimName::new("b.csv", at());
        parent.pid = std::os::unix::process::parent_id();
        assert!(!is_abandoned(&parent, at(), stale));
        assert!(is_abandoned(
            &parent,
            at() + chrono::Duration::minutes(61),
            stale
        ));

        let mut remote = ClaimName::new("c.csv", at());
        remote.host = "another-machine.invalid".into();
        assert!(!is_abandoned(
            &remote,
            at() + chrono::Duration::minutes(59),
            stale
        ));
        assert!(is_abandoned(
            &remote,
            at() + chrono::Duration::minutes(61),
            stale
        ));

        // Our own pid, not in flight: left by an earlier process with the same pid.
        let mine = ClaimName::new("d.csv", at());
        assert!(is_abandoned(&mine, at(), stale));
        in_flight().insert(mine.file_name());
        assert!(!is_abandoned(&mine, at(), stale));
        in_flight().remove(&mine.file_name());
    }
}
