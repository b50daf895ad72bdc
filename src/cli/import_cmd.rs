//! `encours import FILE...`

use super::{Context, anyhow_like};
use crate::ingest::{IngestOutcome, ingest};
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
    let mut refused = 0;
    for path in &args.files {
        let name = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{name}: cannot read the file: {e}");
                refused += 1;
                continue;
            }
        };
        match ingest(&mut store, &bytes, &name, &parse_ctx, &actor) {
            Ok(IngestOutcome::Imported(s)) => {
                let mut parts = vec![format!("{name}: {}", s.format)];
                if s.statements > 0 || s.transactions_inserted + s.transactions_duplicate > 0 {
                    parts.push(format!(
                        "{} statement(s), {} bank line(s) inserted, {} duplicate(s)",
                        s.statements, s.transactions_inserted, s.transactions_duplicate
                    ));
                }
                if s.customers_inserted + s.customers_updated > 0 {
                    parts.push(format!(
                        "{} customer(s) new, {} updated",
                        s.customers_inserted, s.customers_updated
                    ));
                }
                if s.invoices_inserted + s.invoices_duplicate > 0 {
                    parts.push(format!(
                        "{} invoice(s) inserted, {} duplicate(s)",
                        s.invoices_inserted, s.invoices_duplicate
                    ));
                }
                if s.settlements_inserted > 0 {
                    parts.push(format!("{} settlement(s)", s.settlements_inserted));
                }
                if s.supplier_invoices_inserted > 0 {
                    parts.push(format!(
                        "{} supplier invoice(s)",
                        s.supplier_invoices_inserted
                    ));
                }
                if s.ratings_inserted > 0 {
                    parts.push(format!("{} rating(s)", s.ratings_inserted));
                }
                for account in &s.new_accounts {
                    parts.push(format!("new bank account {account}"));
                }
                println!("{}", parts.join("; "));
                for w in &s.warnings {
                    println!("  warning: {}: {}", w.location, w.message);
                }
            }
            Ok(IngestOutcome::AlreadyImported { file_name, on }) => {
                println!("{name}: already imported on {on} (as {file_name}); nothing to do");
            }
            Err(e) if e.is_refusal() => {
                eprintln!("refused: {e}");
                refused += 1;
            }
            Err(e) => {
                // Not the file's fault: the transaction was rolled back, so say so and
                // where to look, naming the file so the user knows which one to retry.
                let what = e.to_string();
                let hint = if what.contains("full") {
                    "free space on the disk that holds the database"
                } else if what.contains("readonly") || what.contains("read-only") {
                    "the database or its folder is read-only: ask for write access"
                } else {
                    "check the database and try again"
                };
                eprintln!(
                    "{name}: not imported ({what}); nothing of it was written. {hint}, then import it again ({})",
                    ctx.db_path.display()
                );
                refused += 1;
            }
        }
    }
    Ok(if refused > 0 { 1 } else { 0 })
}
