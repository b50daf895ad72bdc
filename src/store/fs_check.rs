//! Which kind of filesystem a path lives on. SQLite's file locks are not reliable over network
//! filesystems (NFS, SMB...): two processes on two machines can both believe they hold the
//! write lock and corrupt the database. So the store refuses such a place, and the inbox
//! watcher falls back to polling there (no change notifications cross the network).

use std::path::Path;

/// Set to `1` to open a database on a network filesystem anyway, for the rare setup where a
/// single process on a single machine ever opens it.
pub const ALLOW_NETWORK_FS_VAR: &str = "ENCOURS_ALLOW_NETWORK_FS";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsKind {
    Local,
    /// A network filesystem, by name: locks unsafe, no change notifications.
    Network(&'static str),
    /// A userspace filesystem (sshfs, rclone, but also fuse-overlayfs in rootless containers):
    /// locks usually fine, change notifications unreliable.
    Fuse,
}

impl FsKind {
    /// Whether inotify-style events can be trusted to report every change.
    pub fn events_reliable(self) -> bool {
        matches!(self, FsKind::Local)
    }
}

/// Maps a Linux `statfs.f_type` magic number to a kind (values from `linux/magic.h`).
pub fn kind_from_magic(magic: u64) -> FsKind {
    match magic {
        0x6969 => FsKind::Network("NFS"),
        0x517B => FsKind::Network("SMB"),
        0xFF53_4D42 => FsKind::Network("CIFS"),
        0xFE53_4D42 => FsKind::Network("SMB2"),
        0x5346_414F => FsKind::Network("AFS"),
        0x6B41_4653 => FsKind::Network("AFS (kAFS)"),
        0x7375_7245 => FsKind::Network("Coda"),
        0x564C => FsKind::Network("NCP"),
        0x00C3_6400 => FsKind::Network("CephFS"),
        0x0102_1997 => FsKind::Network("9p (virtual machine share)"),
        0x6573_5546 => FsKind::Fuse,
        _ => FsKind::Local,
    }
}

/// The kind of filesystem holding `path` (which must exist). Unknown platforms say `Local`.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub fn fs_kind(path: &Path) -> std::io::Result<FsKind> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "NUL in path"))?;
    // SAFETY: statfs only writes into the zeroed struct we own; the path is NUL-terminated.
    let mut buf: libc::statfs = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::statfs(c_path.as_ptr(), &mut buf) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // f_type is signed on some targets; the magic numbers are 32-bit patterns.
    Ok(kind_from_magic((buf.f_type as u64) & 0xFFFF_FFFF))
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub fn fs_kind(_path: &Path) -> std::io::Result<FsKind> {
    Ok(FsKind::Local)
}

/// Whether the user allowed a network filesystem with `ENCOURS_ALLOW_NETWORK_FS=1`.
pub fn network_fs_allowed() -> bool {
    std::env::var(ALLOW_NETWORK_FS_VAR).is_ok_and(|v| v.trim() == "1")
}

/// The existing folder nearest to `path` (itself, or an ancestor), to ask statfs about a
/// file not created yet.
pub fn nearest_existing(path: &Path) -> Option<&Path> {
    path.ancestors()
        .find(|p| !p.as_os_str().is_empty() && p.exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_magics_are_recognised() {
        assert_eq!(kind_from_magic(0x6969), FsKind::Network("NFS"));
        assert_eq!(kind_from_magic(0xFF53_4D42), FsKind::Network("CIFS"));
        assert_eq!(kind_from_magic(0xFE53_4D42), FsKind::Network("SMB2"));
        assert_eq!(kind_from_magic(0x517B), FsKind::Network("SMB"));
        assert_eq!(kind_from_magic(0x6573_5546), FsKind::Fuse);
        // ext4 and tmpfs
        assert_eq!(kind_from_magic(0xEF53), FsKind::Local);
        assert_eq!(kind_from_magic(0x0102_1994), FsKind::Local);
    }

    #[test]
    fn a_temporary_folder_is_local_or_fuse_never_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let kind = fs_kind(dir.path()).unwrap();
        assert!(!matches!(kind, FsKind::Network(_)), "{kind:?}");
        let missing = dir.path().join("a/b/c.db");
        assert_eq!(nearest_existing(&missing), Some(dir.path()));
    }
}
