//! Consistent copies of a live database. SQLite's online backup API copies every page inside
//! one read transaction (a single step), so writers in other processes go on meanwhile (WAL)
//! and the copy is the database as of one instant.

use super::{StoreError, StoreResult, ensure_private_dir};
use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};
use std::path::{Path, PathBuf};

/// Copies `source` to `dest` (owner-only, 0600), which must not exist yet. The copy is
/// written beside `dest` under a temporary name and renamed into place once checked, so a
/// crash never leaves a half copy under the final name.
pub fn backup_to(source: &Connection, dest: &Path) -> StoreResult<()> {
    let io = |path: &Path, source: std::io::Error| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    if dest.exists() {
        return Err(StoreError::Invalid(format!(
            "{} already exists: choose a new name (a backup never overwrites a file)",
            dest.display()
        )));
    }
    if let Some(parent) = dest.parent() {
        ensure_private_dir(parent)?;
    }
    let tmp = temp_name(dest);
    create_private(&tmp).map_err(|e| io(&tmp, e))?;
    let result = copy_and_check(source, &tmp);
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // hard_link refuses to replace: a file created at `dest` meanwhile is never clobbered.
    match std::fs::hard_link(&tmp, dest) {
        Ok(()) => {
            let _ = std::fs::remove_file(&tmp);
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(io(dest, e))
        }
    }
}

fn copy_and_check(source: &Connection, tmp: &Path) -> StoreResult<()> {
    let mut copy = Connection::open(tmp)?;
    {
        let backup = Backup::new(source, &mut copy)?;
        // -1 pages: everything in one step, hence within one read transaction, one snapshot.
        // Busy only while another connection holds an exclusive lock (a checkpoint that
        // truncates): wait and try again, a bounded number of times.
        let mut tries = 0;
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More | StepResult::Busy | StepResult::Locked if tries < 600 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                _ => {
                    return Err(StoreError::Busy {
                        waited_secs: tries / 10,
                    });
                }
            }
        }
    }
    // A backup is one self-contained file, not a WAL database with side files.
    copy.pragma_update(None, "journal_mode", "DELETE")?;
    let verdict: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if verdict != "ok" {
        return Err(StoreError::Invalid(format!(
            "the backup copy failed its integrity check: {verdict}"
        )));
    }
    Ok(())
}

fn temp_name(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".into());
    dest.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(|_| ())
}
