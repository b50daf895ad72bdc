//! A log file for the cockpit: the screen belongs to the interface, so nothing is ever
//! printed while it runs. Lines are appended with a timestamp; a log that cannot be opened
//! is silently skipped rather than breaking the session.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub struct Log {
    file: Arc<Mutex<Option<File>>>,
}

impl Log {
    /// Owner-only, like the database: the log may name customers.
    pub fn open(path: &Path) -> Log {
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(path).ok();
        Log {
            file: Arc::new(Mutex::new(file)),
        }
    }

    pub fn line(&self, text: &str) {
        if let Ok(mut guard) = self.file.lock()
            && let Some(f) = guard.as_mut()
        {
            let now = chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%.3f");
            let _ = writeln!(f, "{now} {text}");
        }
    }
}
