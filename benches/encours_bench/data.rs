//! Generated data sets, cached under target/bench-data/ because the large one takes minutes.

use chrono::{Days, NaiveDate, NaiveDateTime};
use encours::config::Settings;
use encours::demo::generate;
use encours::import::ParseContext;
use encours::ingest::{IngestOutcome, ingest};
use encours::store::{Actor, OpenOptions, Store};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub const SEED: u64 = 2026;

pub struct Size {
    pub name: &'static str,
    pub customers: usize,
    pub invoices: usize,
    pub bank_lines: usize,
    pub runs: usize,
}

pub fn size_from_env() -> Size {
    let name = std::env::var("ENCOURS_BENCH_SIZE").unwrap_or_else(|_| "small".into());
    let mut size = match name.as_str() {
        "smoke" => Size {
            name: "smoke",
            customers: 50,
            invoices: 2_000,
            bank_lines: 2_000,
            runs: 1,
        },
        "small" => Size {
            name: "small",
            customers: 300,
            invoices: 20_000,
            bank_lines: 20_000,
            runs: 7,
        },
        "middle" => Size {
            name: "middle",
            customers: 5_000,
            invoices: 200_000,
            bank_lines: 200_000,
            runs: 5,
        },
        "large" => Size {
            name: "large",
            customers: 20_000,
            invoices: 1_000_000,
            bank_lines: 1_000_000,
            runs: 3,
        },
        other => panic!("ENCOURS_BENCH_SIZE={other}: use smoke, small, middle or large"),
    };
    if let Some(runs) = std::env::var("ENCOURS_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
    {
        size.runs = runs;
    }
    size
}

/// A fixed "today", so that cached databases stay valid from one day to the next.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
}

pub fn actor() -> Actor {
    let at: NaiveDateTime = today().and_hms_opt(8, 0, 0).unwrap();
    Actor::new("bench", at)
}

pub fn parse_context(settings: &Settings, file: &str) -> ParseContext {
    ParseContext {
        file_name: file.to_string(),
        default_currency: settings.general.currency,
        csv_profiles: settings.import.csv_profiles.clone(),
    }
}

pub fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn open(path: &Path) -> Store {
    Store::open(path, OpenOptions::default()).unwrap()
}

pub fn ingest_ok(store: &mut Store, bytes: &[u8], name: &str, settings: &Settings) {
    match ingest(store, bytes, name, &parse_context(settings, name), &actor()) {
        Ok(IngestOutcome::Imported(_)) => {}
        other => panic!("{name}: {other:?}"),
    }
}

pub struct Demo {
    pub customers_csv: String,
    pub invoices_csv: String,
    /// Customers, invoices and statements imported; nothing matched yet.
    pub unmatched_db: PathBuf,
    /// The same after the first matching run: what the cockpit opens.
    pub matched_db: PathBuf,
}

/// The demo files and its two databases, built once per size and seed.
pub fn demo(size: &Size, settings: &Settings) -> Demo {
    let files = generate::build(SEED, size.customers, size.invoices, today());
    let dir = data_dir();
    let tag = format!("{}-{}-{}", size.name, size.customers, size.invoices);
    let unmatched_db = dir.join(format!("{tag}-unmatched.db"));
    let matched_db = dir.join(format!("{tag}.db"));
    if !matched_db.exists() {
        eprintln!(
            "building {} (cached for next time) ...",
            matched_db.display()
        );
        let _ = std::fs::remove_file(&unmatched_db);
        let mut store = open(&unmatched_db);
        ingest_ok(
            &mut store,
            files.customers_csv.as_bytes(),
            "clients.csv",
            settings,
        );
        ingest_ok(
            &mut store,
            files.invoices_csv.as_bytes(),
            "factures.csv",
            settings,
        );
        for (name, content) in &files.statements {
            ingest_ok(&mut store, content.as_bytes(), name, settings);
        }
        drop(store);
        std::fs::copy(&unmatched_db, dir.join("tmp-matched.db")).unwrap();
        let mut store = open(&dir.join("tmp-matched.db"));
        encours::store::matching::run_matching(&mut store, &settings.matching.params(), &actor())
            .unwrap();
        drop(store);
        std::fs::rename(dir.join("tmp-matched.db"), &matched_db).unwrap();
    }
    Demo {
        customers_csv: files.customers_csv,
        invoices_csv: files.invoices_csv,
        unmatched_db,
        matched_db,
    }
}

/// A bank CSV export as a French bank writes it: account in a preamble, day-first dates,
/// decimal commas, one credit or debit per line.
pub fn bank_csv(lines: usize) -> String {
    let mut s = String::with_capacity(lines * 64);
    s.push_str("IBAN : FR76 3000 6000 0112 3456 7890 189;;;\n");
    s.push_str("Date opération;Libellé;Montant;Devise\n");
    let start = today() - Days::new(730);
    for n in 0..lines {
        let date = start + Days::new((n * 730 / lines.max(1)) as u64);
        let cents = 1_000 + (n as i64 * 7_919) % 900_000;
        let sign = if n % 5 == 4 { "-" } else { "" };
        let _ = writeln!(
            s,
            "{};VIR SEPA CLIENT {:05} FACT FA-{}-{:06};{sign}{},{:02};EUR",
            date.format("%d/%m/%Y"),
            n % 20_000,
            chrono::Datelike::year(&date),
            n + 1,
            cents / 100,
            cents % 100
        );
    }
    s
}
