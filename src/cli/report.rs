//! `encours report ...`: the figures as tables, CSV or JSON.

use super::output::{OutputFormat, print_csv, print_table};
use super::{Context, anyhow_like, parse_date_arg};
use crate::domain::ageing::AgeingReport;
use crate::locale;
use crate::store::ageing::ageing_report;
use chrono::NaiveDate;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum ReportCommand {
    /// Aged receivables per customer.
    Ageing(ReportArgs),
    /// Cash forecast: 13 weeks from the bank balance, scenarios, risk periods.
    Forecast(super::forecast_cmd::ForecastArgs),
    /// Key figures: DSO, overdue ratio, average days late, CEI, net cash, cost of unpaid.
    Figures(ReportArgs),
    /// Customers flagged by weak signals, with their risk grade and the reasons.
    Signals(ReportArgs),
    /// Today's reminder queue, held customers and disputes.
    Queue(ReportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The date the report is computed for (default: today).
    #[arg(long, value_parser = parse_date_arg)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

pub fn run(ctx: &Context, cmd: &ReportCommand) -> anyhow_like::Result<i32> {
    match cmd {
        ReportCommand::Ageing(args) => {
            let store = ctx.open_store()?;
            let as_of = args.as_of.unwrap_or(ctx.today);
            let report = ageing_report(
                store.conn(),
                as_of,
                ctx.settings.buckets(),
                ctx.settings.general.default_terms_days,
            )?;
            let mut out = std::io::stdout().lock();
            print_ageing(&mut out, ctx, &report, args.format)?;
            Ok(0)
        }
        ReportCommand::Forecast(args) => super::forecast_cmd::run(ctx, args),
        ReportCommand::Figures(args) => super::intel_report::figures(ctx, args),
        ReportCommand::Signals(args) => super::intel_report::signals(ctx, args),
        ReportCommand::Queue(args) => super::queue_report::queue(ctx, args),
    }
}

/// Without the cockpit (no terminal, or asked for), the morning reports in text.
pub fn run_default(ctx: &Context) -> anyhow_like::Result<i32> {
    run(
        ctx,
        &ReportCommand::Ageing(ReportArgs {
            as_of: None,
            format: OutputFormat::Table,
        }),
    )
}

pub fn print_ageing(
    out: &mut dyn Write,
    ctx: &Context,
    report: &AgeingReport,
    format: OutputFormat,
) -> anyhow_like::Result<()> {
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &ageing_json(report))?;
            writeln!(out)?;
        }
        OutputFormat::Csv | OutputFormat::Table => {
            // The table is for a person, in their language; the CSV keeps the column names a
            // script reads, as the JSON does.
            let lang = match format {
                OutputFormat::Table => ctx.lang,
                _ => locale::Language::En,
            };
            let mut header = vec![
                "code".to_string(),
                lang.pick("client", "customer").to_string(),
                lang.pick("encours", "open").to_string(),
            ];
            header.extend(
                report
                    .labels
                    .iter()
                    .map(|label| locale::ageing_bucket(label, lang).to_string()),
            );
            let currency = ctx.settings.general.currency;
            let cell = |d: rust_decimal::Decimal| match format {
                OutputFormat::Table => locale::money(d, currency, ctx.lang),
                _ => d.to_string(),
            };
            let mut rows: Vec<Vec<String>> = report
                .customers
                .iter()
                .map(|c| {
                    let mut row = vec![c.code.clone(), c.name.clone(), cell(c.totals.open)];
                    row.extend(c.totals.buckets.iter().map(|b| cell(*b)));
                    row
                })
                .collect();
            let mut total = vec![String::new(), "TOTAL".to_string(), cell(report.total.open)];
            total.extend(report.total.buckets.iter().map(|b| cell(*b)));
            rows.push(total);
            if format == OutputFormat::Table {
                writeln!(
                    out,
                    "{} {}",
                    ctx.lang.pick("Balance âgée au", "Aged receivables as of"),
                    locale::date(report.as_of, ctx.lang)
                )?;
                print_table(out, &header, &rows)?;
            } else {
                print_csv(out, &header, &rows)?;
            }
        }
    }
    Ok(())
}

/// The documented JSON shape (README, "Report formats"): amounts as decimal strings.
fn ageing_json(report: &AgeingReport) -> serde_json::Value {
    let buckets = |values: &[rust_decimal::Decimal]| {
        report
            .labels
            .iter()
            .zip(values)
            .map(|(label, v)| (label.clone(), serde_json::Value::String(v.to_string())))
            .collect::<serde_json::Map<_, _>>()
    };
    serde_json::json!({
        "as_of": report.as_of.to_string(),
        "buckets": report.labels,
        "total": {
            "open": report.total.open.to_string(),
            "overdue": report.total.overdue.to_string(),
            "buckets": buckets(&report.total.buckets),
        },
        "customers": report.customers.iter().map(|c| serde_json::json!({
            "id": c.customer_id,
            "code": c.code,
            "name": c.name,
            "open": c.totals.open.to_string(),
            "overdue": c.totals.overdue.to_string(),
            "oldest_days_past_due": c.oldest_days_past_due,
            "buckets": buckets(&c.totals.buckets),
        })).collect::<Vec<_>>(),
    })
}
