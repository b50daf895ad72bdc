//! One pass over the inbox: take back abandoned claims, then claim, ingest and file away
//! every stable file.

use super::claim::{self, Held};
use super::folders::{self, Layout, Seen};
use super::{InboxConfig, InboxError, InboxEvent, InboxOutcome, Ingest, io_error};
use crate::domain::model::SourceLocation;
use crate::import::{ImportError, MAX_FILE_BYTES};
use crate::ingest::{IngestError, IngestOutcome};
use crate::locale::Language;
use crate::store::Actor;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// What a scan did, and whether files were still changing (worth another look soon).
#[derive(Debug, Default)]
pub struct ScanReport {
    pub events: Vec<InboxEvent>,
    pub unstable: usize,
}

pub struct Inbox {
    config: InboxConfig,
    layout: Layout,
    ingest: Box<dyn Ingest>,
    stop: Arc<AtomicBool>,
    /// Files that failed for reasons not their own, as they looked then: skipped by scans
    /// cued by events (our own move back would cue one at once) until a periodic scan.
    deferred: Vec<Seen>,
}

impl Inbox {
    /// Creates the inbox's folders where missing (owner-only).
    pub fn open(config: InboxConfig, ingest: Box<dyn Ingest>) -> Result<Inbox, InboxError> {
        let layout = Layout::new(&config.dir);
        layout.ensure().map_err(io_error(&config.dir))?;
        Ok(Inbox {
            config,
            layout,
            ingest,
            stop: Arc::new(AtomicBool::new(false)),
            deferred: Vec::new(),
        })
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    pub fn config(&self) -> &InboxConfig {
        &self.config
    }

    /// A flag that, once set, cuts short the stability wait of a running scan.
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        self.stop.clone()
    }

    /// Recovery, then a full scan: everything one pass can do.
    pub fn run_once(&mut self) -> Result<Vec<InboxEvent>, InboxError> {
        let mut events = self.recover()?;
        events.extend(self.scan(true)?.events);
        Ok(events)
    }

    /// Puts back in the inbox the files claimed by processes that died (or by claims older
    /// than the stale limit). Each is first claimed anew by rename, so that two watchers
    /// recovering at once cannot both take it.
    pub fn recover(&mut self) -> Result<Vec<InboxEvent>, InboxError> {
        let claimed = self.layout.claimed();
        let now = (self.config.clock)();
        let stale = claim::abandoned(&claimed, now, self.config.stale_claim_after)
            .map_err(io_error(&claimed))?;
        let mut events = Vec::new();
        for (path, old) in stale {
            let held = match claim::claim(&path, &claimed, &old.original, now) {
                Ok(Some(held)) => held,
                Ok(None) => continue,
                Err(e) => {
                    events.push(failed(&old.original, format!("cannot take back: {e}")));
                    continue;
                }
            };
            match folders::move_unique(&held.path, &self.layout.inbox, &old.original) {
                Ok(back) => events.push(InboxEvent {
                    file: old.original.clone(),
                    outcome: InboxOutcome::Recovered,
                    moved_to: Some(back),
                }),
                Err(e) => events.push(failed(&old.original, format!("cannot put back: {e}"))),
            }
        }
        Ok(events)
    }

    /// One look at the inbox: every stable file is claimed and imported. `retry_deferred`:
    /// also retry files that failed earlier for reasons not their own.
    pub fn scan(&mut self, retry_deferred: bool) -> Result<ScanReport, InboxError> {
        if retry_deferred {
            self.deferred.clear();
        }
        // Someone may have removed a folder since the start: put it back rather than fail
        // every pass.
        self.layout.ensure().map_err(io_error(&self.config.dir))?;
        let stop = self.stop.clone();
        let pause = move |d: Duration| pause(&stop, d);
        let (stable, unstable) =
            folders::stable_files(&self.layout.inbox, self.config.stable_delay, &pause)
                .map_err(io_error(&self.config.dir))?;
        let mut report = ScanReport {
            events: Vec::new(),
            unstable,
        };
        for seen in stable {
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            if self.deferred.contains(&seen) {
                continue;
            }
            if let Some(event) = self.process(&seen) {
                if matches!(event.outcome, InboxOutcome::Failed(_)) {
                    self.deferred.push(seen.clone());
                }
                report.events.push(event);
            }
        }
        if let Some(event) = self.after_imports(&report.events) {
            report.events.push(event);
        }
        Ok(report)
    }

    /// What follows the imports of one scan (the automatic matching rules), told as one
    /// more event naming the files imported. Run even when a stop was asked for: the files
    /// are in, and their payments should not wait for the next import to be matched.
    fn after_imports(&mut self, events: &[InboxEvent]) -> Option<InboxEvent> {
        let imported: Vec<&str> = events
            .iter()
            .filter(|e| matches!(e.outcome, InboxOutcome::Imported(_)))
            .map(|e| e.file.as_str())
            .collect();
        if imported.is_empty() {
            return None;
        }
        let actor = self.actor();
        let outcome = self.ingest.after_imports(&actor)?;
        Some(InboxEvent {
            file: imported.join(", "),
            outcome,
            moved_to: None,
        })
    }

    /// The inbox acting now, in its language.
    fn actor(&self) -> Actor {
        Actor::new(self.config.who.clone(), (self.config.clock)()).speaking(self.config.lang)
    }

    /// Claims, ingests and files away one file. `None`: another watcher took it first.
    fn process(&mut self, seen: &Seen) -> Option<InboxEvent> {
        let name = seen.name.as_str();
        let src = self.layout.inbox.join(name);
        let claimed_at = (self.config.clock)();
        let held = match claim::claim(&src, &self.layout.claimed(), name, claimed_at) {
            Ok(Some(held)) => held,
            Ok(None) => return None,
            Err(e) => return Some(failed(name, format!("cannot claim the file: {e}"))),
        };
        let bytes = match read_claimed(&held.path) {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(refusal)) => return Some(self.reject(&held, name, refusal)),
            Err(e) => return Some(self.give_back(&held, name, format!("cannot read it: {e}"))),
        };
        let actor = self.actor();
        match self.ingest.ingest(&bytes, name, &actor) {
            Ok(IngestOutcome::Imported(summary)) => {
                let moved_to = self.archive(&held, name, actor.at.date(), None);
                Some(InboxEvent {
                    file: name.to_string(),
                    outcome: InboxOutcome::Imported(summary),
                    moved_to,
                })
            }
            Ok(IngestOutcome::AlreadyImported { file_name, on }) => {
                let note = format!(
                    "{name} was dropped again on {} by {}.\nThe same bytes were imported on {on} as {file_name}: nothing was written.\n",
                    actor.stamp(),
                    actor.who
                );
                let moved_to = self.archive(&held, name, actor.at.date(), Some(note));
                Some(InboxEvent {
                    file: name.to_string(),
                    outcome: InboxOutcome::AlreadyImported {
                        as_name: file_name,
                        on,
                    },
                    moved_to,
                })
            }
            Err(IngestError::Refused(e)) => Some(self.reject(&held, name, e)),
            Err(IngestError::Store(e)) => Some(self.give_back(&held, name, e.to_string())),
        }
    }

    /// Files the claimed file under `archive/DATE/`; a note, if any, goes beside it. A move
    /// that fails leaves the file claimed: the next recovery puts it back, and the re-import
    /// finds it already imported.
    fn archive(
        &self,
        held: &Held,
        name: &str,
        date: chrono::NaiveDate,
        note: Option<String>,
    ) -> Option<PathBuf> {
        let dir = self
            .layout
            .archive()
            .join(date.format("%Y-%m-%d").to_string());
        folders::private_dir(&dir).ok()?;
        let moved = folders::move_unique(&held.path, &dir, name).ok()?;
        if let Some(note) = note {
            let _ = write_private(&with_suffix(&moved, ".note.txt"), &note);
        }
        Some(moved)
    }

    fn reject(&self, held: &Held, name: &str, error: ImportError) -> InboxEvent {
        let moved_to = folders::move_unique(&held.path, &self.layout.rejected(), name).ok();
        if let Some(moved) = &moved_to {
            let now = (self.config.clock)();
            let when = now.format("%Y-%m-%d %H:%M:%S").to_string();
            let text = reason_text(name, &error, &when, self.config.lang);
            let _ = write_private(&with_suffix(moved, ".reason.txt"), &text);
        }
        InboxEvent {
            file: name.to_string(),
            outcome: InboxOutcome::Refused(error),
            moved_to,
        }
    }

    fn give_back(&self, held: &Held, name: &str, why: String) -> InboxEvent {
        let moved_to = folders::move_unique(&held.path, &self.layout.inbox, name).ok();
        InboxEvent {
            file: name.to_string(),
            outcome: InboxOutcome::Failed(why),
            moved_to,
        }
    }
}

fn failed(name: &str, why: String) -> InboxEvent {
    InboxEvent {
        file: name.to_string(),
        outcome: InboxOutcome::Failed(why),
        moved_to: None,
    }
}

/// Sleeps `total` in short slices; false as soon as `stop` is set.
fn pause(stop: &AtomicBool, total: Duration) -> bool {
    let slice = Duration::from_millis(100);
    let mut left = total;
    while !left.is_zero() {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        let step = left.min(slice);
        std::thread::sleep(step);
        left -= step;
    }
    !stop.load(Ordering::Relaxed)
}

/// The file's bytes, or a refusal when it is too large to read (checked before reading, so
/// that a huge file never fills the memory).
fn read_claimed(path: &Path) -> std::io::Result<Result<Vec<u8>, ImportError>> {
    let size = std::fs::metadata(path)?.len();
    if size > MAX_FILE_BYTES as u64 {
        return Ok(Err(ImportError::new(
            SourceLocation::Unknown,
            format!(
                "the file is {} MB, over the {} MB limit",
                size >> 20,
                MAX_FILE_BYTES >> 20
            ),
        )
        .hint("split the export by period")));
    }
    Ok(Ok(std::fs::read(path)?))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

/// The text of `NAME.reason.txt`: what was wrong, where, and what to do, in the inbox's
/// language (the cockpit's, or `encours watch`'s `LANG`).
pub fn reason_text(name: &str, error: &ImportError, when: &str, lang: Language) -> String {
    use crate::locale::refusals;
    let fr = lang == Language::Fr;
    let mut text = if fr {
        format!("{name} a été refusé le {when} ; rien n'en a été importé.\n\n")
    } else {
        format!("{name} was refused on {when}; nothing of it was imported.\n\n")
    };
    let label = |fr_label: &str, en_label: &str| lang.pick(fr_label, en_label).to_string();
    text.push_str(&format!(
        "{} {}\n",
        label("Quoi :   ", "What: "),
        refusals::text(&error.message, lang)
    ));
    text.push_str(&format!(
        "{} {}\n",
        label("Où :     ", "Where:"),
        refusals::location(&error.location, lang)
    ));
    if let Some(field) = &error.field {
        text.push_str(&format!(
            "{} {}\n",
            label("Champ :  ", "Field:"),
            refusals::field_name(field, lang)
        ));
    }
    let hint = match &error.hint {
        Some(hint) => refusals::text(hint, lang).into_owned(),
        None => label(
            "corrigez le fichier (ou exportez-le à nouveau)",
            "correct the file (or export it again)",
        ),
    };
    text.push_str(&if fr {
        format!("À faire : {hint}, puis déposez-le de nouveau dans le dossier inbox.\n\n")
    } else {
        format!("To do: {hint}, then drop it in the inbox again.\n\n")
    });
    text.push_str(&format!(
        "{} {}\n",
        label("Message complet :", "Full message:"),
        refusals::refusal(error, lang)
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty_file() -> ImportError {
        ImportError::at_line(1, "the file is empty")
            .hint("export it again from the bank or accounting tool")
            .field("amount")
            .in_file("releve.csv")
    }

    #[test]
    fn the_reason_file_speaks_the_inbox_language() {
        let french = reason_text(
            "releve.csv",
            &empty_file(),
            "2026-11-24 08:00:00",
            Language::Fr,
        );
        for said in [
            "releve.csv a été refusé le 2026-11-24 08:00:00 ; rien n'en a été importé.",
            "Quoi :    le fichier est vide\n",
            "Où :      ligne 1\n",
            "Champ :   montant\n",
            "À faire : exportez",
            "Message complet : releve.csv : ligne 1, champ « montant » : le fichier est vide. ",
        ] {
            assert!(french.contains(said), "lacks {said:?}:\n{french}");
        }
        assert!(!french.contains("the file is empty"), "{french}");
        let english = reason_text(
            "releve.csv",
            &empty_file(),
            "2026-11-24 08:00:00",
            Language::En,
        );
        for said in [
            "releve.csv was refused on 2026-11-24 08:00:00; nothing of it was imported.",
            "What:  the file is empty\n",
            "Where: line 1\n",
            "Field: amount\n",
            "To do: export it again from the bank or accounting tool, then drop it in the inbox again.",
        ] {
            assert!(english.contains(said), "lacks {said:?}:\n{english}");
        }
    }
}
