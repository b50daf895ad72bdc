//! The inbox watcher beside the cockpit: files dropped in the inbox are imported on their
//! own connection, each one told in the status line, and the screens reload after an import
//! (the selection is kept by the reload).

use super::log::Log;
use crate::app::msg::Msg;
use crate::cli::Context;
use crate::inbox::{
    Clock, InboxConfig, InboxEvent, InboxOutcome, StoreIngest, Watcher, WatcherConfig,
};
use crate::locale::Language;
use std::sync::Arc;
use std::sync::mpsc::Sender;

/// Starts the watcher; None (and a line in the log) when it cannot start: the cockpit works
/// without it.
pub fn start(ctx: &Context, out: Sender<Msg>, log: &Log) -> Option<Watcher> {
    let clock: Clock = Arc::new(|| chrono::Local::now().naive_local());
    let config = InboxConfig::from_settings(&ctx.settings, &ctx.db_path, &ctx.who, ctx.lang, clock);
    let ingest = match StoreIngest::open(&ctx.db_path, ctx.parse_context()) {
        Ok(i) if ctx.settings.matching.after_import => {
            i.with_matching(ctx.settings.matching.params())
        }
        Ok(i) => i,
        Err(e) => {
            log.line(&format!("inbox watcher not started: {e}"));
            return None;
        }
    };
    let config = WatcherConfig::from_settings(&ctx.settings, config);
    let log_events = log.clone();
    let lang = ctx.lang;
    let started = Watcher::start_with(config, Box::new(ingest), move |event| {
        log_events.line(&event.describe());
        let _ = out.send(Msg::Notice {
            text: notice(&event, lang),
            problem: matches!(
                event.outcome,
                InboxOutcome::Refused(_) | InboxOutcome::Failed(_) | InboxOutcome::NotMatched(_)
            ),
            reload: matches!(
                event.outcome,
                InboxOutcome::Imported(_) | InboxOutcome::Matched { .. }
            ),
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

/// The status line's words for an inbox event: short, in the cockpit's language (the log
/// keeps the full English line with where the file went).
pub fn notice(event: &InboxEvent, lang: Language) -> String {
    let file = &event.file;
    // French puts a space before the colon.
    let sep = lang.pick(" : ", ": ");
    match &event.outcome {
        InboxOutcome::Imported(s) => {
            let mut parts = Vec::new();
            let customers = s.customers_inserted + s.customers_updated;
            if customers > 0 {
                parts.push(format!(
                    "{customers} {}",
                    lang.pick("client(s)", "customer(s)")
                ));
            }
            if s.invoices_inserted > 0 {
                parts.push(format!(
                    "{} {}",
                    s.invoices_inserted,
                    lang.pick("facture(s)", "invoice(s)")
                ));
            }
            if s.transactions_inserted > 0 || parts.is_empty() {
                parts.push(format!(
                    "{} {}",
                    s.transactions_inserted,
                    lang.pick("ligne(s) bancaire(s)", "bank line(s)")
                ));
            }
            format!(
                "{} {file} ({}){sep}{}",
                lang.pick("Importé", "Imported"),
                s.format,
                parts.join(", ")
            )
        }
        InboxOutcome::AlreadyImported { on, .. } => format!(
            "{file} {} {on}",
            lang.pick("déjà importé le", "already imported on")
        ),
        InboxOutcome::Refused(e) => format!(
            "{} {file}{sep}{}",
            lang.pick("Refusé", "Refused"),
            crate::locale::refusals::refusal(e, lang)
        ),
        InboxOutcome::Recovered => format!(
            "{file} {}",
            lang.pick(
                "repris après une importation interrompue",
                "taken back after an interrupted import"
            )
        ),
        InboxOutcome::Failed(why) => format!(
            "{file} {}{sep}{why}",
            lang.pick("réessayé plus tard", "will be tried again")
        ),
        // The files were named by their own notices: the status line is short.
        InboxOutcome::Matched {
            credits, reversals, ..
        } => {
            let mut text = format!(
                "{}{sep}{credits} {}",
                lang.pick("Lettrage automatique", "Automatic matching"),
                lang.pick("paiement(s) lettré(s)", "payment(s) matched")
            );
            if *reversals > 0 {
                text.push_str(&format!(
                    ", {reversals} {}",
                    lang.pick("rejet(s) annulé(s)", "return(s) undone")
                ));
            }
            text
        }
        InboxOutcome::NotMatched(why) => format!(
            "{}{sep}{why}",
            lang.pick(
                "Lettrage automatique non fait (au prochain import, ou encours match)",
                "Automatic matching not run (next import, or encours match)"
            )
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ImportError;
    use crate::store::import_writer::ImportSummary;

    fn event(outcome: InboxOutcome) -> InboxEvent {
        InboxEvent {
            file: "releve.xml".into(),
            outcome,
            moved_to: None,
        }
    }

    #[test]
    fn notices_speak_the_cockpit_language_and_say_what_came_in() {
        let summary = ImportSummary {
            format: "camt053".into(),
            transactions_inserted: 12,
            ..Default::default()
        };
        let imported = event(InboxOutcome::Imported(summary));
        assert_eq!(
            notice(&imported, Language::Fr),
            "Importé releve.xml (camt053) : 12 ligne(s) bancaire(s)"
        );
        assert_eq!(
            notice(&imported, Language::En),
            "Imported releve.xml (camt053): 12 bank line(s)"
        );
        let refused = event(InboxOutcome::Refused(
            ImportError::at_line(3, "bad amount").field("Amt"),
        ));
        let text = notice(&refused, Language::En);
        assert!(
            text.starts_with("Refused releve.xml: ") && text.contains("line 3"),
            "{text}"
        );
        let refused = event(InboxOutcome::Refused(
            ImportError::at_line(3, "the file is empty").field("Amt"),
        ));
        assert_eq!(
            notice(&refused, Language::Fr),
            "Refusé releve.xml : ligne 3, champ « Amt » : le fichier est vide"
        );
    }

    #[test]
    fn the_matching_after_imports_is_told_in_the_cockpit_language() {
        let matched = event(InboxOutcome::Matched {
            credits: 3,
            allocations: 4,
            reversals: 1,
        });
        assert_eq!(
            notice(&matched, Language::Fr),
            "Lettrage automatique : 3 paiement(s) lettré(s), 1 rejet(s) annulé(s)"
        );
        let matched = event(InboxOutcome::Matched {
            credits: 2,
            allocations: 2,
            reversals: 0,
        });
        assert_eq!(
            notice(&matched, Language::En),
            "Automatic matching: 2 payment(s) matched"
        );
        let not_run = event(InboxOutcome::NotMatched("database is locked".into()));
        assert_eq!(
            notice(&not_run, Language::En),
            "Automatic matching not run (next import, or encours match): database is locked"
        );
    }
}
