//! The watcher thread: passes over the inbox, cued by filesystem events (debounced, and
//! only ever a cue: the scan decides) or by a timer, which alone runs when events cannot
//! be trusted (network filesystems) or were not asked for.

use super::{Inbox, InboxConfig, InboxError, InboxEvent, InboxOutcome, Ingest};
use crate::config::WatchMode;
use crate::store::fs_check::{self, FsKind};
use notify_debouncer_full::notify::RecursiveMode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct WatcherConfig {
    pub inbox: InboxConfig,
    pub mode: WatchMode,
    /// Time between full scans (the safety net in events mode, the whole of polling mode).
    pub poll_interval: Duration,
}

impl WatcherConfig {
    pub fn from_settings(settings: &crate::config::Settings, inbox: InboxConfig) -> Self {
        WatcherConfig {
            inbox,
            mode: settings.import.watch_mode,
            poll_interval: Duration::from_secs(settings.import.poll_seconds),
        }
    }
}

/// How the running watcher notices files, and why, for the log and the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActiveMode {
    Events,
    Poll { why: String },
}

impl std::fmt::Display for ActiveMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ActiveMode::Events => f.write_str("change notifications"),
            ActiveMode::Poll { why } => write!(f, "polling ({why})"),
        }
    }
}

enum Cue {
    Rescan,
    Stop,
}

type Debouncer = notify_debouncer_full::Debouncer<
    notify_debouncer_full::notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// A running watcher. Dropping it stops it (and waits for the current file to finish).
pub struct Watcher {
    cue: mpsc::Sender<Cue>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    mode: ActiveMode,
    _debouncer: Option<Debouncer>,
}

impl Watcher {
    /// Starts watching; the events arrive on the returned receiver.
    pub fn start(
        config: WatcherConfig,
        ingest: Box<dyn Ingest>,
    ) -> Result<(Watcher, mpsc::Receiver<InboxEvent>), InboxError> {
        let (tx, rx) = mpsc::channel();
        let watcher = Self::start_with(config, ingest, move |event| {
            let _ = tx.send(event);
        })?;
        Ok((watcher, rx))
    }

    /// Starts watching; `sink` receives every event (from the watcher's thread), for a
    /// caller that merges them into a channel of its own.
    pub fn start_with(
        config: WatcherConfig,
        ingest: Box<dyn Ingest>,
        mut sink: impl FnMut(InboxEvent) + Send + 'static,
    ) -> Result<Watcher, InboxError> {
        let mut inbox = Inbox::open(config.inbox.clone(), ingest)?;
        let stop = inbox.stop_flag();
        let (cue_tx, cue_rx) = mpsc::channel();
        let (mode, debouncer) = choose_mode(&config, cue_tx.clone());
        let poll_interval = config.poll_interval;
        let stable_delay = config.inbox.stable_delay;
        let thread_stop = stop.clone();
        let thread = std::thread::Builder::new()
            .name("encours inbox".into())
            .spawn(move || {
                let mut periodic = true;
                while !thread_stop.load(Ordering::Relaxed) {
                    let mut unstable = 0;
                    // Recovery on every timed pass: a watcher that crashed beside us leaves
                    // claims that nobody else would take back before the next start.
                    let mut events = if periodic {
                        inbox.recover().unwrap_or_else(|e| vec![folder_failure(e)])
                    } else {
                        Vec::new()
                    };
                    match inbox.scan(periodic) {
                        Ok(report) => {
                            unstable = report.unstable;
                            events.extend(report.events);
                        }
                        Err(e) => events.push(folder_failure(e)),
                    }
                    for event in events {
                        sink(event);
                    }
                    // Files still changing: look again soon, events or not.
                    let wait = if unstable > 0 {
                        stable_delay.min(poll_interval)
                    } else {
                        poll_interval
                    };
                    match cue_rx.recv_timeout(wait) {
                        Ok(Cue::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
                        Ok(Cue::Rescan) => {
                            // A burst of cues is one rescan.
                            while let Ok(cue) = cue_rx.try_recv() {
                                if matches!(cue, Cue::Stop) {
                                    return;
                                }
                            }
                            periodic = unstable > 0;
                        }
                        Err(mpsc::RecvTimeoutError::Timeout) => periodic = true,
                    }
                }
            })
            .map_err(super::io_error(&config.inbox.dir))?;
        Ok(Watcher {
            cue: cue_tx,
            stop,
            thread: Some(thread),
            mode,
            _debouncer: debouncer,
        })
    }

    pub fn mode(&self) -> &ActiveMode {
        &self.mode
    }

    /// Asks for a scan now (after the user dropped a file by hand, say).
    pub fn rescan(&self) {
        let _ = self.cue.send(Cue::Rescan);
    }

    /// Stops the thread and waits for it: a file being imported is finished first.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.cue.send(Cue::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn folder_failure(e: InboxError) -> InboxEvent {
    InboxEvent {
        file: String::new(),
        outcome: InboxOutcome::Failed(e.to_string()),
        moved_to: None,
    }
}

fn choose_mode(config: &WatcherConfig, cue: mpsc::Sender<Cue>) -> (ActiveMode, Option<Debouncer>) {
    let dir = &config.inbox.dir;
    match config.mode {
        WatchMode::Poll => {
            return (
                ActiveMode::Poll {
                    why: "import.watch_mode = \"poll\"".into(),
                },
                None,
            );
        }
        WatchMode::Auto => match fs_check::fs_kind(dir) {
            Ok(FsKind::Network(kind)) => {
                return (
                    ActiveMode::Poll {
                        why: format!("the inbox is on {kind}, which sends no change events"),
                    },
                    None,
                );
            }
            Ok(FsKind::Fuse) => {
                return (
                    ActiveMode::Poll {
                        why: "the inbox is on a FUSE filesystem, whose events are unreliable"
                            .into(),
                    },
                    None,
                );
            }
            _ => {}
        },
        WatchMode::Events => {}
    }
    let handler = move |_result: notify_debouncer_full::DebounceEventResult| {
        // Whatever happened (even an error, such as an overflowed event queue), look again.
        let _ = cue.send(Cue::Rescan);
    };
    let started = notify_debouncer_full::new_debouncer(Duration::from_millis(300), None, handler)
        .and_then(|mut d| d.watch(dir, RecursiveMode::NonRecursive).map(|()| d));
    match started {
        Ok(debouncer) => (ActiveMode::Events, Some(debouncer)),
        Err(e) => (
            ActiveMode::Poll {
                why: format!("change notifications unavailable: {e}"),
            },
            None,
        ),
    }
}
