//! Issue 7's "each recomputed after an import": the cockpit's data source holds the
//! intelligence of the whole book, then a day's invoices or a day's bank lines (matched)
//! arrive, and the queue and the signals are asked for again; the key figures and the
//! forecast are computed from a kept intelligence brought up to date the same way.

use super::data::{Size, actor, ingest_ok, open, today};
use super::timing::{Stats, report, sample, thread_cpu, time};
use chrono::Days;
use encours::app::source::DataSource;
use encours::app::store_source::{SourceSettings, StoreSource};
use encours::config::Settings;
use encours::domain::forecast::{ForecastParams, Scenario, compute};
use encours::domain::model::InvoiceKind;
use encours::locale::Language;
use encours::store::{forecast, intel};
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// A day of invoices at this size: the year's invoices over 365 days.
fn per_day(size: &Size) -> usize {
    (size.invoices / 730).max(10)
}

fn invoices_csv(g: &intel::Gathered, n: usize, run: usize) -> String {
    let mut s = String::from(
        "Invoice number;Customer code;Customer name;Issue date;Due date;Amount incl. tax;Currency;Disputed\n",
    );
    let rows: Vec<_> = g.bundles.values().map(|b| &b.row).collect();
    for k in 0..n {
        let c = rows[(k * 7_919 + run * 13) % rows.len()];
        let _ = writeln!(
            s,
            "DAY{run}-{k:06};{};{};{};{};{},{:02};EUR;no",
            c.code,
            c.name,
            today() - Days::new(1),
            today() + Days::new(44),
            100 + (k * 37) % 5_000,
            k % 100
        );
    }
    s
}

/// Credits paying `n` open invoices in full, with the invoice number in the label, as the
/// bank CSV of the other rows is written.
fn bank_csv(g: &intel::Gathered, n: usize, run: usize) -> String {
    let mut s = String::from("IBAN : FR76 3000 6000 0112 3456 7890 189;;;\n");
    s.push_str("Date opération;Libellé;Montant;Devise\n");
    let items = g.bundles.values().filter_map(|b| {
        let i = b
            .open_items
            .iter()
            .find(|i| i.kind == InvoiceKind::Invoice)?;
        Some((b.row.name.clone(), i.number.clone(), i.open))
    });
    for (name, number, open) in items.skip(run * n).take(n) {
        let _ = writeln!(
            s,
            "{};VIR SEPA {name} FACT {number};{};EUR",
            today().format("%d/%m/%Y"),
            open.to_string().replace('.', ",")
        );
    }
    s
}

/// The kept key figures and forecast after a write, on a second kept intelligence (the
/// cockpit's is inside its data source): its refresh, then each figure from it.
struct Kept<'a> {
    live: intel::Live,
    p: &'a intel::Params<'a>,
    fp: ForecastParams,
    refresh: Vec<Duration>,
    figures: Vec<Duration>,
    forecast: Vec<Duration>,
}

impl Kept<'_> {
    fn after_write(&mut self, conn: &rusqlite::Connection) {
        let (_, t) = time(|| self.live.refresh(conn, self.p, today()).unwrap());
        self.refresh.push(t);
        let (k, t) =
            time(|| intel::figures::key_figures_live(conn, self.p, &mut self.live).unwrap());
        assert!(k.open > rust_decimal::Decimal::ZERO, "nothing open");
        self.figures.push(t);
        let (f, t) = time(|| {
            let inputs =
                forecast::forecast_inputs_live(conn, self.p, &mut self.live, &self.fp).unwrap();
            compute(&inputs, &self.fp, &[Scenario::expected()])
        });
        assert_eq!(f.scenarios.len(), 1);
        self.forecast.push(t);
    }

    fn report(&mut self, size: &str, what: &str) {
        for (name, samples) in [
            ("refresh of the kept intelligence", &mut self.refresh),
            ("key figures from the kept state", &mut self.figures),
            ("13-week forecast from the kept state", &mut self.forecast),
        ] {
            let stats = Stats::new(std::mem::take(samples));
            report(
                size,
                &format!("{name} after {what}"),
                &stats,
                None,
                "kept (Live)",
            );
        }
    }
}

pub fn rows(size: &Size, settings: &Settings, matched_db: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("after-import.db");
    std::fs::copy(matched_db, &db).unwrap();
    // Without the start views' snapshot the first queue builds the kept intelligence, as a
    // cockpit that has refreshed once holds it; the first refresh after a start from the
    // snapshot is a full computation (the "cold" start row).
    open(&db)
        .conn()
        .execute("DELETE FROM view_snapshots", [])
        .unwrap();
    let source_settings = SourceSettings::from_settings(settings, Language::En).unwrap();
    let mut source = StoreSource::new(open(&db), source_settings).filing_when_idle();
    source.queue(today()).unwrap();
    source.idle();
    let dunning = encours::policy::builtin();
    let p = intel::Params::new(settings, &dunning, Language::En);
    let n = per_day(size);
    // The book as it stands, outside the timings: where the day's files take their
    // customers and invoices from.
    let book = intel::gather(source.store().conn(), &p, today(), None).unwrap();
    let mut kept = Kept {
        live: intel::Live::new(source.store().conn(), &p, today()).unwrap(),
        p: &p,
        fp: settings.forecast_params(),
        refresh: Vec::new(),
        figures: Vec::new(),
        forecast: Vec::new(),
    };
    // First use reads the kept parts of the figures and the forecast, outside the timings.
    kept.after_write(source.store().conn());
    kept.report(size.name, "nothing (first use: reads the kept parts)");
    let mut run = 0;
    // The data source answers on this thread: its CPU time is kept beside the wall time.
    let cpu = std::cell::RefCell::new(Vec::new());
    let idle = std::cell::RefCell::new(Vec::new());
    let ask = |source: &mut StoreSource| {
        let (start, cpu_start) = (Instant::now(), thread_cpu());
        let signals = source.signals(today()).unwrap().rows.len();
        let queue = source.queue(today()).unwrap().lines.len();
        assert!(signals > 0 && queue > 0, "empty signals or queue");
        cpu.borrow_mut().push(thread_cpu() - cpu_start);
        let answered = start.elapsed();
        // The cockpit's worker files the start views after answering, when idle.
        let filing = Instant::now();
        source.idle();
        idle.borrow_mut().push(filing.elapsed());
        answered
    };
    let invoices = sample(size.runs, || {
        run += 1;
        let csv = invoices_csv(&book, n, run);
        ingest_ok(
            source.store_mut(),
            csv.as_bytes(),
            &format!("day-{run}.csv"),
            settings,
        );
        let t = ask(&mut source);
        kept.after_write(source.store().conn());
        t
    });
    report(
        size.name,
        &format!("queue + signals after a day's invoices ({n} imported)"),
        &invoices,
        None,
        "incremental refresh",
    );
    report(
        size.name,
        &format!("queue + signals after a day's invoices ({n} imported), CPU of the thread"),
        &Stats::new(cpu.take()),
        None,
        "incremental refresh",
    );
    report(
        size.name,
        "filing the start views when idle, after a day's invoices",
        &Stats::new(idle.take()),
        None,
        "off the answer path",
    );
    kept.report(size.name, "a day's invoices");
    let credits = n * 2 / 3;
    let mut matching = Vec::new();
    let bank = sample(size.runs, || {
        run += 1;
        let csv = bank_csv(&book, credits, run);
        ingest_ok(
            source.store_mut(),
            csv.as_bytes(),
            &format!("bank-{run}.csv"),
            settings,
        );
        // What the inbox runs once a scan has imported files (`matching.after_import`).
        let (matched, took) = time(|| {
            encours::store::matching::run_matching(
                source.store_mut(),
                &settings.matching.params(),
                &actor(),
            )
        });
        assert!(matched.unwrap().credits_matched > 0, "nothing matched");
        matching.push(took);
        let t = ask(&mut source);
        kept.after_write(source.store().conn());
        t
    });
    report(
        size.name,
        &format!("matching run after a day's bank lines ({credits} credits)"),
        &Stats::new(matching),
        None,
        "the inbox's run after an import",
    );
    report(
        size.name,
        &format!("queue + signals after a day's bank lines matched ({credits} credits)"),
        &bank,
        None,
        "incremental refresh",
    );
    report(
        size.name,
        &format!(
            "queue + signals after a day's bank lines matched ({credits} credits), CPU of the thread"
        ),
        &Stats::new(cpu.take()),
        None,
        "incremental refresh",
    );
    report(
        size.name,
        "filing the start views when idle, after a day's bank lines matched",
        &Stats::new(idle.take()),
        None,
        "off the answer path",
    );
    kept.report(size.name, "a day's bank lines matched");
}
