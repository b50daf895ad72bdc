//! The inbox watcher beside the cockpit: files dropped in the inbox are imported on their
//! own connection, each one told in the status line, and the screens reload after an import
//! (the selection is kept by the reload).

use super::log::Log;
use crate::app::msg::Msg;
use crate::cli::Context;
use crate::inbox::{Clock, InboxConfig, InboxOutcome, StoreIngest, Watcher, WatcherConfig};
use std::sync::Arc;
use std::sync::mpsc::Sender;

/// Starts the watcher; None (and a line in the log) when it cannot start: the cockpit works
/// without it.
pub fn start(ctx: &Context, out: Sender<Msg>, log: &Log) -> Option<Watcher> {
    let clock: Clock = Arc::new(|| chrono::Local::now().naive_local());
    let config = InboxConfig::from_settings(&ctx.settings, &ctx.db_path, &ctx.who, clock);
    let ingest = match StoreIngest::open(&ctx.db_path, ctx.parse_context()) {
        Ok(i) => i,
        Err(e) => {
            log.line(&format!("inbox watcher not started: {e}"));
            return None;
        }
    };
    let config = WatcherConfig::from_settings(&ctx.settings, config);
    let log_events = log.clone();
    let started = Watcher::start_with(config, Box::new(ingest), move |event| {
        log_events.line(&event.describe());
        let _ = out.send(Msg::Notice {
            text: event.describe(),
            problem: matches!(
                event.outcome,
                InboxOutcome::Refused(_) | InboxOutcome::Failed(_)
            ),
            reload: matches!(event.outcome, InboxOutcome::Imported(_)),
        });
    });
    match started {
        Ok(w) => Some(w),
        Err(e) => {
            log.line(&format!("inbox watcher not started: {e}"));
            None
        }
    }
}
