//! The thread that owns the data source: reads and writes run here, so a slow query never
//! freezes the screen. Each effect is answered by exactly one message on the event channel.

use super::executor;
use super::log::Log;
use crate::app::msg::{Effect, Msg};
use crate::app::source::DataSource;
use crate::store::Actor;
use chrono::{NaiveDate, NaiveDateTime};
use std::sync::mpsc::{Receiver, Sender};
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
                clock,
                log,
            } = setup;
            let mut version = source.data_version().ok().flatten();
            for job in jobs {
                let msg = match job {
                    Job::Run(effect) => {
                        let actor = Actor::new(who.clone(), clock());
                        let started = std::time::Instant::now();
                        let msg = executor::execute(source.as_mut(), &effect, as_of, &actor);
                        log.line(
                            &format!("{effect:?} in {} ms", started.elapsed().as_millis())
                                .chars()
                                .take(300)
                                .collect::<String>(),
                        );
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
        })
}
