//! `encours import FILE...`

use super::{Context, anyhow_like};
use crate::ingest::{IngestError, IngestOutcome, ingest};
use crate::locale::{Language, refusals};
use crate::store::import_writer::ImportSummary;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Files to import, in order. Each is imported whole or not at all.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

pub fn run(ctx: &Context, args: &ImportArgs) -> anyhow_like::Result<i32> {
    let mut store = ctx.open_store()?;
    let parse_ctx = ctx.parse_context();
    let actor = ctx.actor();
    let lang = ctx.lang;
    let fr = lang == Language::Fr;
    let mut refused = 0;
    for path in &args.files {
        let name = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                let what = lang.pick(
                    " : impossible de lire le fichier : ",
                    ": cannot read the file: ",
                );
                eprintln!("{name}{what}{e}");
                refused += 1;
                continue;
            }
        };
        match ingest(&mut store, &bytes, &name, &parse_ctx, &actor) {
            Ok(IngestOutcome::Imported(s)) => {
                println!("{}", summary_line(&name, &s, lang));
                for w in &s.warnings {
                    println!(
                        "  {}{}",
                        lang.pick("avertissement : ", "warning: "),
                        refusals::warning(w, lang)
                    );
                }
            }
            Ok(IngestOutcome::AlreadyImported { file_name, on }) => {
                if fr {
                    println!(
                        "{name} : déjà importé le {on} (sous le nom {file_name}) ; rien à faire"
                    );
                } else {
                    println!("{name}: already imported on {on} (as {file_name}); nothing to do");
                }
            }
            Err(IngestError::Refused(e)) => {
                eprintln!(
                    "{}{}",
                    lang.pick("refusé : ", "refused: "),
                    refusals::refusal(&e, lang)
                );
                refused += 1;
            }
            Err(e) => {
                // Not the file's fault: the transaction was rolled back, so say so and
                // where to look, naming the file so the user knows which one to retry.
                let what = e.to_string();
                let hint = if what.contains("full") {
                    lang.pick(
                        "libérez de la place sur le disque de la base",
                        "free space on the disk that holds the database",
                    )
                } else if what.contains("readonly") || what.contains("read-only") {
                    lang.pick(
                        "la base ou son dossier est en lecture seule : demandez l'accès en écriture",
                        "the database or its folder is read-only: ask for write access",
                    )
                } else {
                    lang.pick(
                        "vérifiez la base et réessayez",
                        "check the database and try again",
                    )
                };
                let db = ctx.db_path.display();
                if fr {
                    eprintln!(
                        "{name} : non importé ({what}) ; rien n'en a été écrit. {hint}, puis importez-le de nouveau ({db})"
                    );
                } else {
                    eprintln!(
                        "{name}: not imported ({what}); nothing of it was written. {hint}, then import it again ({db})"
                    );
                }
                refused += 1;
            }
        }
    }
    Ok(if refused > 0 { 1 } else { 0 })
}

/// What one import brought, on one line.
fn summary_line(name: &str, s: &ImportSummary, lang: Language) -> String {
    // Each group reads "3 words, 0 words": a count, then its words in the reader's language.
    let counts = |items: &[(usize, &str, &str)]| {
        items
            .iter()
            .map(|(n, fr, en)| format!("{n} {}", lang.pick(fr, en)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = vec![format!("{name}{}{}", lang.pick(" : ", ": "), s.format)];
    if s.statements > 0 || s.transactions_inserted + s.transactions_duplicate > 0 {
        parts.push(counts(&[
            (s.statements, "relevé(s)", "statement(s)"),
            (
                s.transactions_inserted,
                "ligne(s) bancaire(s) insérée(s)",
                "bank line(s) inserted",
            ),
            (s.transactions_duplicate, "doublon(s)", "duplicate(s)"),
        ]));
    }
    if s.customers_inserted + s.customers_updated > 0 {
        parts.push(counts(&[
            (
                s.customers_inserted,
                "client(s) nouveau(x)",
                "customer(s) new",
            ),
            (s.customers_updated, "mis à jour", "updated"),
        ]));
    }
    if s.invoices_inserted + s.invoices_duplicate > 0 {
        parts.push(counts(&[
            (
                s.invoices_inserted,
                "facture(s) insérée(s)",
                "invoice(s) inserted",
            ),
            (s.invoices_duplicate, "doublon(s)", "duplicate(s)"),
        ]));
    }
    let others = [
        (s.settlements_inserted, "règlement(s)", "settlement(s)"),
        (
            s.supplier_invoices_inserted,
            "facture(s) fournisseur",
            "supplier invoice(s)",
        ),
        (s.ratings_inserted, "notation(s)", "rating(s)"),
    ];
    for other in others.into_iter().filter(|o| o.0 > 0) {
        parts.push(counts(&[other]));
    }
    for account in &s.new_accounts {
        parts.push(format!(
            "{} {account}",
            lang.pick("nouveau compte bancaire", "new bank account")
        ));
    }
    parts.join("; ")
}
