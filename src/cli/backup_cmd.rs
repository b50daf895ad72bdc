//! `encours backup PATH`: a consistent copy of the database while others keep working.

use super::{Context, anyhow_like};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Where to write the copy (must not exist). The copy is owner-only (0600).
    pub path: PathBuf,
}

pub fn run(ctx: &Context, args: &BackupArgs) -> anyhow_like::Result<i32> {
    if !ctx.db_path.exists() {
        return Err(format!("{}: no database to back up", ctx.db_path.display()).into());
    }
    let store = ctx.open_store()?;
    crate::store::backup::backup_to(store.conn(), &args.path)?;
    let size = std::fs::metadata(&args.path).map(|m| m.len()).unwrap_or(0);
    println!(
        "{} → {} ({} KiB, integrity checked)",
        ctx.db_path.display(),
        args.path.display(),
        size.div_ceil(1024)
    );
    Ok(0)
}
