//! `encours demo`: a realistic French SME's database, built through the same import path as
//! real files (customers CSV, invoices CSV, monthly CAMT.053 statements), then matched as
//! `encours match` would.

pub mod generate;
mod rng;

use crate::cli::{Context, anyhow_like};
use crate::ingest::{IngestOutcome, ingest};
use crate::store::Store;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    /// Same seed, same database.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    #[arg(long, default_value_t = 60)]
    pub customers: usize,
    #[arg(long, default_value_t = 2400)]
    pub invoices: usize,
    /// Also write the generated files into this folder (to look at them, or to drop them in
    /// an inbox).
    #[arg(long)]
    pub write_files: Option<PathBuf>,
}

impl Default for DemoArgs {
    fn default() -> Self {
        DemoArgs {
            seed: 2026,
            customers: 60,
            invoices: 2400,
            write_files: None,
        }
    }
}

/// Builds the demo into `store`; returns a one-line summary per file.
pub fn build_into(
    store: &mut Store,
    ctx: &Context,
    args: &DemoArgs,
) -> anyhow_like::Result<Vec<String>> {
    let named =
        generate::build(args.seed, args.customers, args.invoices, ctx.today).in_import_order();
    if let Some(dir) = &args.write_files {
        std::fs::create_dir_all(dir)?;
        for (name, content) in &named {
            std::fs::write(dir.join(name), content)?;
        }
    }
    let parse_ctx = ctx.parse_context();
    let actor = ctx.actor();
    let mut lines = Vec::new();
    for (name, content) in &named {
        match ingest(store, content.as_bytes(), name, &parse_ctx, &actor)? {
            IngestOutcome::Imported(s) => lines.push(format!(
                "{name}: {} customers, {} invoices, {} bank lines",
                s.customers_inserted + s.customers_updated,
                s.invoices_inserted,
                s.transactions_inserted
            )),
            IngestOutcome::AlreadyImported { .. } => {
                lines.push(format!("{name}: already imported"))
            }
        }
    }
    // The first morning's lettrage, as `encours match` would do it.
    let params = ctx.settings.matching.params();
    let run = crate::store::matching::run_matching(store, &params, &actor)?;
    lines.push(format!(
        "matching: {} bank credits matched, {} left for a person",
        run.credits_matched,
        run.left.len()
    ));
    Ok(lines)
}

pub fn run_command(ctx: &Context, args: &DemoArgs) -> anyhow_like::Result<i32> {
    let mut store = ctx.open_store()?;
    for line in build_into(&mut store, ctx, args)? {
        println!("{line}");
    }
    println!("demo database: {}", ctx.db_path.display());
    Ok(0)
}

/// For `encours --demo`: unless the user named a database, build a fresh one in a temporary
/// folder, so the demo never mixes with real data.
pub fn prepare_demo_context(mut ctx: Context, db_given: bool) -> anyhow_like::Result<Context> {
    if !db_given {
        let dir = std::env::temp_dir().join(format!("encours-demo-{}", crate::cli::os_user()));
        crate::store::ensure_private_dir(&dir)?;
        ctx.db_path = dir.join(format!("demo-{}.db", ctx.today));
    }
    let mut store = ctx.open_store()?;
    let empty: bool =
        store
            .conn()
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM invoices)", [], |r| {
                r.get(0)
            })?;
    if empty {
        eprintln!(
            "building the demo database in {} ...",
            ctx.db_path.display()
        );
        build_into(&mut store, &ctx, &DemoArgs::default())?;
    }
    Ok(ctx)
}
