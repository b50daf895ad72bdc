//! The cockpit's runtime: the only place with side effects. It sets up the terminal, runs
//! the event loop (input thread + data worker thread → one channel of messages → `update` →
//! effects → worker), draws after each batch of messages and on the slow tick (never clearing
//! the screen: ratatui sends only the cells that changed), watches the database for changes
//! written by others (`PRAGMA data_version`, polled on the tick), and restores the terminal
//! on every way out.

pub mod events;
pub mod executor;
pub mod inbox;
pub mod log;
pub mod terminal;
pub mod worker;

use crate::app::keymap::{DEFAULT_KEYMAP, Keymap};
use crate::app::msg::{Effect, Msg};
use crate::app::store_source::{SourceSettings, StoreSource};
use crate::app::{App, AppConfig, ColourMode, update};
use crate::cli::{Context, anyhow_like};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};
use worker::{Job, WorkerSetup};

fn load_keymap(ctx: &Context) -> anyhow_like::Result<Keymap> {
    let path = ctx.settings.ui.keymap.trim();
    if path.is_empty() {
        return Ok(Keymap::defaults());
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("ui.keymap: {path}: {e}"))?;
    Ok(Keymap::from_layers(&[
        ("config/keymap.toml", DEFAULT_KEYMAP),
        (path, &text),
    ])?)
}

fn now() -> chrono::NaiveDateTime {
    chrono::Local::now().naive_local()
}

/// Opens the cockpit on the database of `ctx`; returns the exit code.
pub fn run_cockpit(ctx: &Context) -> anyhow_like::Result<i32> {
    let keymap = load_keymap(ctx)?;
    let mut store = ctx.open_store()?;
    let log_path = if ctx.settings.ui.log_file.trim().is_empty() {
        ctx.db_path.with_file_name("encours.log")
    } else {
        std::path::PathBuf::from(ctx.settings.ui.log_file.trim())
    };
    let log = log::Log::open(&log_path);
    log.line(&format!(
        "cockpit opened on {} as of {}",
        ctx.db_path.display(),
        ctx.today
    ));
    let colour = ColourMode::detect(
        std::env::var("NO_COLOR").ok().as_deref(),
        std::env::var("COLORTERM").ok().as_deref(),
    );
    let mut app = App::new(
        AppConfig {
            lang: ctx.lang,
            currency: ctx.settings.general.currency,
            today: ctx.today,
            colour,
            read_only: ctx.read_only,
        },
        keymap,
    );
    let settings = SourceSettings::from_settings(&ctx.settings, ctx.lang)?;
    let (msg_tx, msg_rx) = mpsc::channel::<Msg>();
    let busy_tx = msg_tx.clone();
    store.set_busy_hook(Box::new(move |_| {
        let _ = busy_tx.send(Msg::Notice {
            text: crate::store::BUSY_MESSAGE.into(),
            problem: true,
            reload: false,
        });
    }));
    let source = StoreSource::new(store, settings)
        .with_operator(&ctx.who, now)
        .filing_when_idle();
    let watcher = if ctx.read_only {
        None
    } else {
        inbox::start(ctx, msg_tx.clone(), &log)
    };
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let setup = WorkerSetup {
        source: Box::new(source),
        as_of: ctx.today,
        who: ctx.who.clone(),
        lang: ctx.lang,
        clock: now,
        log: log.clone(),
    };
    let worker = worker::spawn(setup, job_rx, msg_tx.clone())?;
    let mut guard = terminal::TerminalGuard::enter(&log)?;
    let stop = Arc::new(AtomicBool::new(false));
    let input = events::spawn_input(msg_tx, stop.clone())?;

    let size = guard.terminal.size()?;
    update(&mut app, Msg::Resize(size.width, size.height));
    let send = |effects: Vec<Effect>| -> bool {
        for e in effects {
            if e == Effect::Quit || job_tx.send(Job::Run(e)).is_err() {
                return false;
            }
        }
        true
    };
    let mut running = send(app.start());
    let tick = Duration::from_secs(u64::from(ctx.settings.ui.tick_seconds));
    let mut next_tick = Instant::now() + tick;
    let result = loop {
        if !running || app.quit {
            break Ok(0);
        }
        if let Err(e) = guard.terminal.draw(|f| crate::ui::render(f, &app)) {
            break Err(e);
        }
        let wait = next_tick.saturating_duration_since(Instant::now());
        let first = match msg_rx.recv_timeout(wait) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break Ok(0),
        };
        // Handle everything already waiting before drawing again: one frame per batch.
        for msg in first
            .into_iter()
            .chain(std::iter::from_fn(|| msg_rx.try_recv().ok()))
        {
            running &= send(update(&mut app, msg));
        }
        if Instant::now() >= next_tick {
            next_tick = Instant::now() + tick;
            let _ = job_tx.send(Job::Poll);
            running &= send(update(&mut app, Msg::Tick));
        }
    };
    stop.store(true, Ordering::Relaxed);
    if let Some(w) = watcher {
        w.stop();
    }
    drop(job_tx);
    drop(guard);
    let _ = input.join();
    let _ = worker.join();
    log.line("cockpit closed");
    Ok(result?)
}
