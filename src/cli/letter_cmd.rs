//! `encours letter CUSTOMER [--level N]`: writes the letter (and the .eml for an email) into
//! the outbox. `--send` hands an email to the configured mail command; nothing is sent
//! otherwise.

use super::intel_report::load_dunning;
use super::{Context, anyhow_like};
use crate::domain::dunning::outcome::{Outcome, Stamp};
use crate::locale::Language;
use crate::outbox::{prepare_letter, send_eml, write_letter};
use crate::store::intel::Params;
use crate::store::intel::customers::find_customer;
use crate::store::intel::view::customer_view;
use rusqlite::params;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    Fr,
    En,
}

#[derive(Debug, clap::Args)]
pub struct LetterArgs {
    /// Customer code, or a part of the name that only one customer has.
    pub customer: String,
    /// The dunning level whose template to use (default: the level due today).
    #[arg(long)]
    pub level: Option<u8>,
    /// The letter's language (default: the interface's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Also print the letter.
    #[arg(long)]
    pub print: bool,
    /// Send the email now through [letters] mail_command, and record it as sent.
    #[arg(long)]
    pub send: bool,
}

pub fn run(ctx: &Context, args: &LetterArgs) -> anyhow_like::Result<i32> {
    if args.send && ctx.settings.letters.mail_command.trim().is_empty() {
        return Err(
            "--send needs a mail command: set [letters] mail_command (e.g. \"/usr/sbin/sendmail -t\"); the letter was not written"
                .into(),
        );
    }
    let mut store = ctx.open_store()?;
    let dunning = load_dunning(ctx)?;
    let lang = match args.lang {
        Some(LangArg::Fr) => Language::Fr,
        Some(LangArg::En) => Language::En,
        None => ctx.lang,
    };
    let p = Params::new(&ctx.settings, &dunning, lang);
    let c = find_customer(store.conn(), &args.customer)?;
    let view = customer_view(store.conn(), &p, ctx.today, c.id)?;
    let letter = prepare_letter(&view, &p, args.level, super::log_cmd::actor_today(ctx).at)?;
    let dir = ctx.settings.outbox_dir(&ctx.db_path);
    let files = write_letter(&dir, &letter)?;
    let actor = super::log_cmd::actor_today(ctx);
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    store.write(|tx| {
        tx.execute(
            "INSERT INTO events (at, who, customer_id, kind, detail)
             VALUES (?1, ?2, ?3, 'letter.written', ?4)",
            params![
                actor.stamp(),
                actor.who,
                c.id,
                serde_json::json!({
                    "level": letter.level,
                    "template": letter.template,
                    "files": names,
                    "invoices": letter.invoices,
                    "claim_total": letter.claim_total.to_string(),
                })
                .to_string()
            ],
        )
        .map_err(crate::store::StoreError::from)
    })?;
    let mut out = std::io::stdout().lock();
    for f in &names {
        writeln!(out, "{f}")?;
    }
    if args.print {
        writeln!(out, "\n{}", letter.text)?;
    }
    if args.send {
        let Some(eml) = &letter.eml else {
            return Err(format!(
                "level {} ({}) is a letter, not an email: print it and post it, then `encours log {} letter-sent`",
                letter.level, letter.template, c.code
            )
            .into());
        };
        send_eml(&ctx.settings.letters.mail_command, eml)?;
        let stamp = Stamp {
            level: Some(letter.level),
            channel: Some(letter.channel),
            invoices: letter.invoices.clone(),
        };
        crate::store::intel::outcomes::record_outcome(
            &mut store,
            &actor,
            c.id,
            &Outcome::EmailSent,
            &stamp,
        )?;
        writeln!(out, "{}", lang.pick("email envoyé", "email sent"))?;
    }
    Ok(0)
}
