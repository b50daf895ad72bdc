//! `encours watch`: the inbox watcher without a terminal, for a service. One line per action
//! on stdout (problems on stderr), each with its time; SIGINT or SIGTERM stop it cleanly,
//! after the file being imported, if any, is filed away.

use super::{Context, anyhow_like};
use crate::app::store_source::{SourceSettings, StoreSource};
use crate::config::WatchMode;
use crate::inbox::{
    Clock, Inbox, InboxConfig, InboxEvent, InboxOutcome, StoreIngest, Watcher, WatcherConfig,
};
use crate::store::BUSY_MESSAGE;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// The folder to watch (default: import.inbox, else "inbox" beside the database).
    #[arg(long)]
    pub inbox: Option<PathBuf>,
    /// One pass (take back interrupted files, import the stable ones), then exit: for cron.
    #[arg(long)]
    pub once: bool,
    /// How to notice files, overriding import.watch_mode.
    #[arg(long, value_parser = ["auto", "events", "poll"])]
    pub mode: Option<String>,
    /// Seconds between full scans, overriding import.poll_seconds.
    #[arg(long)]
    pub poll_seconds: Option<u64>,
    /// Seconds a file must stay unchanged before import, overriding import.stable_seconds.
    #[arg(long)]
    pub stable_seconds: Option<u64>,
}

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_signal: libc::c_int) {
    // Only an atomic store: the one thing a signal handler may safely do here.
    STOP.store(true, Ordering::SeqCst);
}

fn install_signal_handlers() {
    let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SAFETY: the handler is async-signal-safe (one atomic store) and lives forever.
    unsafe {
        libc::signal(libc::SIGINT, handler);
        libc::signal(libc::SIGTERM, handler);
    }
}

fn stamp() -> String {
    chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn log(event: &InboxEvent) {
    match event.outcome {
        InboxOutcome::Failed(_) | InboxOutcome::NotMatched(_) => {
            eprintln!("{} {}", stamp(), event.describe())
        }
        _ => println!("{} {}", stamp(), event.describe()),
    }
}

/// The cockpit's day: the pretended one when `--today` (or ENCOURS_TODAY) pins it, else
/// the clock's, which moves at midnight while the watcher runs.
fn today(ctx: &Context) -> chrono::NaiveDate {
    if ctx.today != ctx.now.date() {
        ctx.today
    } else {
        chrono::Local::now().date_naive()
    }
}

/// Files the cockpit's start views for `as_of` (`StoreSource::refresh_snapshot`) on a
/// connection of its own, dropped after: the watcher keeps no gather in memory between
/// imports. A failure is only a line on stderr: the next cockpit start computes the views.
/// Whether the database was busy, which is worth another try once the writer is done.
fn refresh_start_views(ctx: &Context, as_of: chrono::NaiveDate) -> bool {
    let done = (|| -> anyhow_like::Result<bool> {
        let settings = SourceSettings::from_settings(&ctx.settings, ctx.lang)?;
        let mut source = StoreSource::new(ctx.open_store()?, settings)
            .with_operator(&ctx.who, || chrono::Local::now().naive_local());
        Ok(source.refresh_snapshot(as_of)?)
    })();
    match done {
        Ok(true) => println!("{} start views ready for {as_of}", stamp()),
        Ok(false) => {
            eprintln!(
                "{} start views for {as_of} not saved (the database was busy): trying again in {} s",
                stamp(),
                BUSY_RETRY.as_secs()
            );
            return true;
        }
        Err(e) => eprintln!("{} start views for {as_of} not saved: {e}", stamp()),
    }
    false
}

/// How long the watcher leaves a busy database (a cockpit's write, another import) before
/// filing the start views again.
const BUSY_RETRY: Duration = Duration::from_secs(30);

/// When the start views are to be filed: after imports and at the day's change, and again
/// a while after a refresh the database was too busy to take, so that one busy moment does
/// not leave the next start cold until the next import.
#[derive(Debug)]
struct RefreshPlan {
    stale: bool,
    retry_at: Option<Instant>,
}

impl RefreshPlan {
    fn new() -> Self {
        Self {
            stale: true,
            retry_at: None,
        }
    }

    fn mark_stale(&mut self) {
        self.stale = true;
    }

    /// Whether to refresh now; the caller reports how it went through `refreshed`.
    fn due(&mut self, now: Instant) -> bool {
        if self.retry_at.is_some_and(|at| now >= at) {
            self.retry_at = None;
            self.stale = true;
        }
        std::mem::take(&mut self.stale)
    }

    fn refreshed(&mut self, busy: bool, now: Instant) {
        self.retry_at = busy.then(|| now + BUSY_RETRY);
    }
}

pub fn run(ctx: &Context, args: &WatchArgs) -> anyhow_like::Result<i32> {
    let mut settings = ctx.settings.clone();
    if let Some(mode) = &args.mode {
        settings.import.watch_mode = match mode.as_str() {
            "events" => WatchMode::Events,
            "poll" => WatchMode::Poll,
            _ => WatchMode::Auto,
        };
    }
    if let Some(s) = args.poll_seconds {
        settings.import.poll_seconds = s.max(1);
    }
    if let Some(s) = args.stable_seconds {
        settings.import.stable_seconds = s.max(1);
    }
    let clock: Clock = Arc::new(|| chrono::Local::now().naive_local());
    let mut inbox_config =
        InboxConfig::from_settings(&settings, &ctx.db_path, &ctx.who, ctx.lang, clock);
    if let Some(dir) = &args.inbox {
        inbox_config.dir = dir.clone();
    }
    let mut store = ctx.open_store()?;
    store.set_busy_hook(Box::new(|wait| {
        if wait.attempt == 1 || wait.attempt % 5 == 0 {
            eprintln!("{} {BUSY_MESSAGE} ({} s)", stamp(), wait.waited.as_secs());
        }
    }));
    let mut ingest = StoreIngest::new(store, ctx.parse_context());
    if settings.matching.after_import {
        ingest = ingest.with_matching(settings.matching.params());
    }
    let ingest = Box::new(ingest);

    if args.once {
        let mut inbox = Inbox::open(inbox_config, ingest)?;
        let events = inbox.run_once()?;
        let mut troubles = 0;
        if events
            .iter()
            .any(|e| matches!(e.outcome, InboxOutcome::Imported(_)))
        {
            // A one-shot pass has no later moment to retry in: the next pass or start will.
            refresh_start_views(ctx, today(ctx));
        }
        for event in &events {
            log(event);
            if matches!(
                event.outcome,
                InboxOutcome::Refused(_) | InboxOutcome::Failed(_) | InboxOutcome::NotMatched(_)
            ) {
                troubles += 1;
            }
        }
        return Ok(if troubles > 0 { 1 } else { 0 });
    }

    install_signal_handlers();
    let dir = inbox_config.dir.clone();
    let config = WatcherConfig::from_settings(&settings, inbox_config);
    let (watcher, events) = Watcher::start(config, ingest)?;
    println!(
        "{} watching {} by {} into {} (stop with Ctrl-C or SIGTERM)",
        stamp(),
        dir.display(),
        watcher.mode(),
        ctx.db_path.display()
    );
    // The views for the day the watcher starts on, then after each import and when the
    // day changes: the next cockpit start finds them ready.
    // A burst of files (a month of statements) is refreshed for once, when it is over.
    let mut day = today(ctx);
    let mut plan = RefreshPlan::new();
    while !STOP.load(Ordering::SeqCst) {
        match events.recv_timeout(Duration::from_millis(200)) {
            Ok(event) => {
                log(&event);
                if matches!(
                    event.outcome,
                    InboxOutcome::Imported(_) | InboxOutcome::Matched { .. }
                ) {
                    plan.mark_stale();
                }
                continue;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if today(ctx) != day {
            day = today(ctx);
            plan.mark_stale();
        }
        if plan.due(Instant::now()) {
            let busy = refresh_start_views(ctx, day);
            plan.refreshed(busy, Instant::now());
        }
    }
    println!("{} stopping: finishing the current file", stamp());
    watcher.stop();
    // Events sent while stopping are still worth a line.
    while let Ok(event) = events.try_recv() {
        log(&event);
    }
    println!("{} stopped", stamp());
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_refresh_is_tried_again_after_the_pause_and_not_before() {
        let start = Instant::now();
        let mut plan = RefreshPlan::new();
        assert!(
            plan.due(start),
            "the views of the starting day are filed first"
        );
        plan.refreshed(true, start);
        assert!(!plan.due(start + BUSY_RETRY / 2));
        assert!(plan.due(start + BUSY_RETRY));
        plan.refreshed(false, start + BUSY_RETRY);
        assert!(
            !plan.due(start + BUSY_RETRY * 3),
            "done: nothing more to file"
        );
    }

    #[test]
    fn an_import_makes_the_views_due_at_once_even_while_waiting_to_retry() {
        let start = Instant::now();
        let mut plan = RefreshPlan::new();
        assert!(plan.due(start));
        plan.refreshed(true, start);
        plan.mark_stale();
        assert!(plan.due(start));
        plan.refreshed(false, start);
        assert!(
            !plan.due(start + BUSY_RETRY),
            "a success forgets the pending retry"
        );
    }
}
