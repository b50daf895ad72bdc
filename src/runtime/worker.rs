//! The thread that owns the data source: reads and writes run here, so a slow query never
//! freezes the screen. Each effect is answered by exactly one message on the event channel, bar a claim's
//! release, which has nothing to say.

use super::executor;
use super::log::Log;
use crate::app::msg::{Effect, Msg};
use crate::app::source::DataSource;
use crate::locale::Language;
use crate::store::Actor;
use chrono::{NaiveDate, NaiveDateTime};
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;

pub enum Job {
    Run(Effect),
    /// Is there data that someone else wrote? (polled on the slow tick)
    Poll,
}

pub struct WorkerSetup {
    pub source: Box<dyn DataSource>,
    pub as_of: NaiveDate,
    pub who: String,
    /// The operator's language: the one their trail is written in.
    pub lang: Language,
    /// The runtime's clock, read for each write's timestamp.
    pub clock: fn() -> NaiveDateTime,
    pub log: Log,
}

pub fn spawn(
    setup: WorkerSetup,
    jobs: Receiver<Job>,
    out: Sender<Msg>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("encours-data".into())
        .spawn(move || {
            let WorkerSetup {
                mut source,
                as_of,
                who,
                lang,
                clock,
                log,
            } = setup;
            let mut version = source.data_version().ok().flatten();
            loop {
                let job = match jobs.try_recv() {
                    Ok(job) => job,
                    Err(TryRecvError::Empty) => {
                        // Everything asked is answered: the time for what can wait.
                        source.idle();
                        match jobs.recv() {
                            Ok(job) => job,
                            Err(_) => break,
                        }
                    }
                    Err(TryRecvError::Disconnected) => break,
                };
                let msg = match job {
                    Job::Run(effect) => {
                        // Pinned to the cockpit's day: outcomes recorded on a pretended
                        // date (ENCOURS_TODAY) must count in that day's queue.
                        let actor =
                            Actor::new(who.clone(), as_of.and_time(clock().time())).speaking(lang);
                        let started = std::time::Instant::now();
                        let msg = executor::execute(source.as_mut(), &effect, as_of, &actor);
                        log.line(&format!(
                            "{} in {} ms",
                            label(&effect),
                            started.elapsed().as_millis()
                        ));
                        if let Some(Msg::Failed(f)) = &msg {
                            log.line(&format!("failed: {f:?}"));
                        }
                        msg
                    }
                    Job::Poll => {
                        let now = source.data_version().ok().flatten();
                        let changed = now.is_some() && now != version;
                        version = now;
                        changed.then_some(Msg::DataChanged)
                    }
                };
                if let Some(msg) = msg
                    && out.send(msg).is_err()
                {
                    break;
                }
            }
            let actor = Actor::new(who.clone(), as_of.and_time(clock().time())).speaking(lang);
            if let Err(e) = source.release_claims(&actor) {
                log.line(&format!("claims not released: {e}"));
            }
        })
}

/// What an effect was, without its content: notes and amounts stay out of the log.
fn label(effect: &Effect) -> String {
    let name = |debug: String| {
        debug
            .split(['(', '{', ' '])
            .next()
            .unwrap_or_default()
            .to_string()
    };
    match effect {
        Effect::Load(r) => format!("load {}", name(format!("{r:?}"))),
        Effect::Write(c) => format!("write {}", name(format!("{c:?}"))),
        Effect::Claim(_) => "claim".into(),
        Effect::Release(_) => "release".into(),
        Effect::Quit => "quit".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::msg::{Command, Request};
    use crate::app::source::Outcome;

    #[test]
    fn log_labels_carry_no_content() {
        let write = Effect::Write(Command::Outcome {
            customer: 1,
            name: "Secret SA".into(),
            outcome: Outcome::Note {
                text: "private".into(),
            },
        });
        assert_eq!(label(&write), "write Outcome");
        assert_eq!(label(&Effect::Load(Request::Customer(4))), "load Customer");
        assert_eq!(label(&Effect::Load(Request::Overview)), "load Overview");
    }
}
