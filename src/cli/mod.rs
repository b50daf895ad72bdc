//! The command line: arguments → validated settings → one command. This is part of the
//! runtime: it reads the clock, the environment and the files, and hands plain values down.

mod backup_cmd;
mod customer_cmd;
mod forecast_checks;
mod forecast_cmd;
mod forecast_print;
mod import_cmd;
mod intel_report;
mod letter_cmd;
mod log_cmd;
mod match_cmd;
mod match_print;
mod output;
mod queue_report;
mod report;
mod watch_cmd;

use crate::config::{LanguageSetting, Settings};
use crate::locale::Language;
use crate::store::{Actor, OpenOptions, Store};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub use output::OutputFormat;

#[derive(Debug, Parser)]
#[command(
    name = "encours",
    version,
    about = "The morning cash review: receivables, reminders, forecast"
)]
pub struct Cli {
    /// The database file (default: $ENCOURS_DB, else the platform data folder).
    #[arg(long, global = true, env = "ENCOURS_DB")]
    pub db: Option<PathBuf>,
    /// A settings file laid over the defaults (default: $ENCOURS_CONFIG, else
    /// <config dir>/encours/config.toml when it exists).
    #[arg(long, global = true, env = "ENCOURS_CONFIG")]
    pub config: Option<PathBuf>,
    /// Look, don't touch: nothing is written to the database.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Pretend today is this date (YYYY-MM-DD): for demos, tests and looking back.
    #[arg(long, global = true, env = "ENCOURS_TODAY", value_parser = parse_date_arg)]
    pub today: Option<NaiveDate>,
    /// Open the cockpit on a demo database built on the spot (in a temporary folder unless
    /// --db is given).
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a realistic demo database (deterministic for a seed).
    Demo(crate::demo::DemoArgs),
    /// Import bank statements, invoice exports, customer lists or ratings.
    Import(import_cmd::ImportArgs),
    /// Match bank credits to invoices (lettrage), list suggestions, or record a decision.
    Match(match_cmd::MatchArgs),
    /// Reports: ageing, figures, signals, queue, forecast.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Watch the inbox folder, import every file dropped there and match the payments (for a
    /// service).
    Watch(watch_cmd::WatchArgs),
    /// Write a consistent copy of the database, even while others are working.
    Backup(backup_cmd::BackupArgs),
    /// Everything about one customer: exposure, ageing, signals with reasons, penalties, history.
    Customer(customer_cmd::CustomerArgs),
    /// Record an outcome (reached, promise, dispute, ...), or show a customer's history.
    Log(log_cmd::LogArgs),
    /// Can we ship this amount more to the customer?
    Check(customer_cmd::CheckArgs),
    /// Write the reminder letter or email of a level into the outbox.
    Letter(letter_cmd::LetterArgs),
}

impl Command {
    /// Whether the command changes the database (refused in a read-only session).
    fn writes(&self) -> bool {
        match self {
            Command::Demo(_) | Command::Import(_) | Command::Watch(_) | Command::Letter(_) => true,
            Command::Log(args) => !args.history,
            _ => false,
        }
    }
}

pub fn parse_date_arg(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date: write it as YYYY-MM-DD"))
}

/// What every command needs, resolved once.
pub struct Context {
    pub settings: Settings,
    pub lang: Language,
    pub today: NaiveDate,
    pub db_path: PathBuf,
    pub read_only: bool,
    pub who: String,
    pub now: chrono::NaiveDateTime,
}

impl Context {
    pub fn open_store(&self) -> anyhow_like::Result<Store> {
        if let Some(parent) = self.db_path.parent() {
            crate::store::ensure_private_dir(parent)?;
        }
        let mut store = Store::open(
            &self.db_path,
            OpenOptions {
                read_only: self.read_only,
            },
        )
        .map_err(|e| {
            let hint = if self.read_only {
                "check that the file exists and is readable"
            } else {
                "if its folder or disk is read-only or full, free space or ask for write access; \
                 to look without writing, add --read-only"
            };
            format!("cannot open {}: {e}. {hint}", self.db_path.display())
        })?;
        store.set_busy_hook(Box::new(|wait| {
            if wait.attempt == 1 || wait.attempt % 5 == 0 {
                eprintln!(
                    "encours: {} ({} s)",
                    crate::store::BUSY_MESSAGE,
                    wait.waited.as_secs()
                );
            }
        }));
        Ok(store)
    }

    pub fn actor(&self) -> Actor {
        Actor::new(self.who.clone(), self.now).speaking(self.lang)
    }

    pub fn parse_context(&self) -> crate::import::ParseContext {
        crate::import::ParseContext {
            file_name: String::new(),
            default_currency: self.settings.general.currency,
            csv_profiles: self.settings.import.csv_profiles.clone(),
        }
    }
}

/// Errors at the top are shown as text; this keeps `?` working across error types.
pub mod anyhow_like {
    pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;
}

pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "encours")
        .map(|d| d.data_dir().join("encours.db"))
        .unwrap_or_else(|| PathBuf::from("encours.db"))
}

/// The operating-system user, for the event log.
pub fn os_user() -> String {
    for var in ["USER", "LOGNAME", "USERNAME"] {
        if let Ok(v) = std::env::var(var)
            && !v.trim().is_empty()
        {
            return v;
        }
    }
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    format!("uid{uid}")
}

fn load_settings(cli: &Cli) -> anyhow_like::Result<Settings> {
    if let Some(path) = &cli.config {
        return Ok(Settings::load(path)?);
    }
    let user_file = directories::ProjectDirs::from("", "", "encours")
        .map(|d| d.config_dir().join("config.toml"));
    match user_file {
        Some(path) if path.exists() => Ok(Settings::load(&path)?),
        _ => Ok(Settings::defaults()),
    }
}

fn language(settings: &Settings) -> Language {
    match settings.general.language {
        LanguageSetting::Fr => Language::Fr,
        LanguageSetting::En => Language::En,
        LanguageSetting::Auto => {
            let value = ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
            Language::from_env_value(value.as_deref())
        }
    }
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> anyhow_like::Result<i32> {
    let settings = load_settings(&cli)?;
    let lang = language(&settings);
    let now = chrono::Local::now().naive_local();
    let today = cli.today.unwrap_or(now.date());
    let db_path = cli.db.clone().unwrap_or_else(default_db_path);
    let who = os_user();
    let read_only = cli.read_only || settings.is_read_only_user(&who);
    let ctx = Context {
        settings,
        lang,
        today,
        db_path,
        read_only,
        who,
        now,
    };
    if ctx.read_only
        && let Some(command) = &cli.command
        && command.writes()
    {
        let why = if cli.read_only {
            "--read-only was given".to_string()
        } else {
            format!("the user {} is listed in general.read_only_users", ctx.who)
        };
        eprintln!(
            "encours: this session is read-only ({why}): this command would change the database, so nothing was done"
        );
        return Ok(3);
    }
    match cli.command {
        Some(Command::Demo(args)) => crate::demo::run_command(&ctx, &args),
        Some(Command::Import(args)) => import_cmd::run(&ctx, &args),
        Some(Command::Match(args)) => match_cmd::run(&ctx, &args),
        Some(Command::Report(cmd)) => report::run(&ctx, &cmd),
        Some(Command::Watch(args)) => watch_cmd::run(&ctx, &args),
        Some(Command::Backup(args)) => backup_cmd::run(&ctx, &args),
        Some(Command::Customer(args)) => customer_cmd::run(&ctx, &args),
        Some(Command::Log(args)) => log_cmd::run(&ctx, &args),
        Some(Command::Check(args)) => customer_cmd::check(&ctx, &args),
        Some(Command::Letter(args)) => letter_cmd::run(&ctx, &args),
        None => {
            let ctx = if cli.demo {
                crate::demo::prepare_demo_context(ctx, cli.db.is_some())?
            } else {
                ctx
            };
            // The cockpit needs a terminal; piped or redirected, the morning report in text.
            if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                crate::runtime::run_cockpit(&ctx)
            } else {
                report::run_default(&ctx)
            }
        }
    }
}
