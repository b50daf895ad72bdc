//! The inbox's folders, which names are candidates, the two-look stability test, and moves
//! that never overwrite a file already there.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Where claimed files sit while being imported. A dot-folder, so that scans (ours, and
/// people's `ls`) pass it by.
pub const CLAIMED_DIR: &str = ".claimed";
pub const ARCHIVE_DIR: &str = "archive";
pub const REJECTED_DIR: &str = "rejected";

#[derive(Debug, Clone)]
pub struct Layout {
    pub inbox: PathBuf,
}

impl Layout {
    pub fn new(inbox: impl Into<PathBuf>) -> Self {
        Layout {
            inbox: inbox.into(),
        }
    }
    pub fn claimed(&self) -> PathBuf {
        self.inbox.join(CLAIMED_DIR)
    }
    pub fn archive(&self) -> PathBuf {
        self.inbox.join(ARCHIVE_DIR)
    }
    pub fn rejected(&self) -> PathBuf {
        self.inbox.join(REJECTED_DIR)
    }

    /// Creates the inbox and its sub-folders owner-only (0700) where missing. An existing
    /// inbox keeps its permissions: it may be a drop folder shared on purpose.
    pub fn ensure(&self) -> io::Result<()> {
        for dir in [
            self.inbox.clone(),
            self.claimed(),
            self.archive(),
            self.rejected(),
        ] {
            private_dir(&dir)?;
        }
        Ok(())
    }
}

pub fn private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Whether a name in the inbox may be imported. Hidden files, files still being written
/// under a temporary name, editor backups and office lock files are left alone.
pub fn is_candidate_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !(name.is_empty()
        || name.starts_with('.')
        || name.starts_with("~$")
        || name.ends_with('~')
        || lower.ends_with(".tmp")
        || lower.ends_with(".part")
        || lower.ends_with(".partial")
        || lower.ends_with(".crdownload")
        || lower.ends_with(".swp"))
}

/// One look at a candidate file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub name: String,
    pub size: u64,
    pub modified: Option<SystemTime>,
}

/// The candidate files in `dir` now: regular files only (not folders, not symbolic links,
/// which could point anywhere), with acceptable names that are valid UTF-8.
pub fn look(dir: &Path) -> io::Result<Vec<Seen>> {
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let Ok(entry) = entry else { continue };
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if !is_candidate_name(&name) {
            continue;
        }
        // symlink_metadata: a link is not followed, and not a regular file.
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        if !meta.file_type().is_file() {
            continue;
        }
        seen.push(Seen {
            name,
            size: meta.len(),
            modified: meta.modified().ok(),
        });
    }
    // Oldest first: files are imported in the order they were dropped.
    seen.sort_by(|a, b| a.modified.cmp(&b.modified).then(a.name.cmp(&b.name)));
    Ok(seen)
}

/// The files that did not change between two looks separated by `delay`, and how many did.
/// `pause` sleeps and returns false when the caller wants to stop.
pub fn stable_files(
    dir: &Path,
    delay: Duration,
    pause: &dyn Fn(Duration) -> bool,
) -> io::Result<(Vec<Seen>, usize)> {
    let first = look(dir)?;
    if first.is_empty() || !pause(delay) {
        return Ok((Vec::new(), first.len()));
    }
    let second = look(dir)?;
    let (stable, changing): (Vec<Seen>, Vec<Seen>) =
        second.into_iter().partition(|s| first.contains(s));
    Ok((stable, changing.len()))
}

/// `name` with ` (n)` before its extension: `releve.xml`, `releve (2).xml`, ...
pub fn numbered(name: &str, n: u32) -> String {
    if n <= 1 {
        return name.to_string();
    }
    match name.rfind('.') {
        Some(dot) if dot > 0 => format!("{} ({n}){}", &name[..dot], &name[dot..]),
        _ => format!("{name} ({n})"),
    }
}

/// Moves `src` into `dir` under `name`, or `name (2)`, `name (3)`... if taken: never over an
/// existing file, even when another process picks the same name at the same moment (a hard
/// link fails if the target exists; the rename fallback, for filesystems without hard links,
/// checks first). Returns the final path. `NotFound` means `src` is gone.
pub fn move_unique(src: &Path, dir: &Path, name: &str) -> io::Result<PathBuf> {
    for n in 1..10_000 {
        let dst = dir.join(numbered(name, n));
        match std::fs::hard_link(src, &dst) {
            Ok(()) => {
                match std::fs::remove_file(src) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => {
                        let _ = std::fs::remove_file(&dst);
                        return Err(e);
                    }
                }
                return Ok(dst);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(e),
            Err(_) => {
                if std::fs::symlink_metadata(&dst).is_ok() {
                    continue;
                }
                std::fs::rename(src, &dst)?;
                return Ok(dst);
            }
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("too many files named like {name} in {}", dir.display()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_left_alone() {
        for name in [
            ".hidden",
            "x.tmp",
            "X.TMP",
            "releve.xml.part",
            "notes.txt~",
            "~$factures.xlsx",
            ".releve.xml.swp",
            "",
        ] {
            assert!(!is_candidate_name(name), "{name}");
        }
        for name in ["releve.xml", "factures.csv", "tmp.csv", "partners.csv"] {
            assert!(is_candidate_name(name), "{name}");
        }
    }

    #[test]
    fn numbering_keeps_the_extension() {
        assert_eq!(numbered("releve.xml", 1), "releve.xml");
        assert_eq!(numbered("releve.xml", 2), "releve (2).xml");
        assert_eq!(numbered("a.b.csv", 3), "a.b (3).csv");
        assert_eq!(numbered("README", 2), "README (2)");
        assert_eq!(numbered(".env", 2), ".env (2)");
    }

    #[test]
    fn a_move_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let dst_dir = dir.path().join("out");
        std::fs::create_dir(&dst_dir).unwrap();
        std::fs::write(dst_dir.join("a.csv"), "first").unwrap();
        let src = dir.path().join("a.csv");
        std::fs::write(&src, "second").unwrap();
        let moved = move_unique(&src, &dst_dir, "a.csv").unwrap();
        assert_eq!(moved, dst_dir.join("a (2).csv"));
        assert!(!src.exists());
        assert_eq!(
            std::fs::read_to_string(dst_dir.join("a.csv")).unwrap(),
            "first"
        );
        assert_eq!(std::fs::read_to_string(&moved).unwrap(), "second");
        let gone = move_unique(&src, &dst_dir, "a.csv").unwrap_err();
        assert_eq!(gone.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn look_skips_folders_links_and_temporary_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("good.csv"), "x").unwrap();
        std::fs::write(dir.path().join("copying.part"), "x").unwrap();
        std::fs::create_dir(dir.path().join("archive")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("good.csv"), dir.path().join("link.csv"))
            .unwrap();
        let names: Vec<String> = look(dir.path())
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["good.csv"]);
    }
}
