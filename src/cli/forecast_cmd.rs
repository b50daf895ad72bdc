//! `encours report forecast`: the 13-week cash forecast, its scenarios and toggles, saved
//! runs against the bank (`--accuracy`), and the payment-date backtest (`--backtest`).

use super::forecast_checks;
use super::forecast_print as print;
use super::output::OutputFormat;
use super::{Context, anyhow_like, parse_date_arg};
use crate::domain::forecast::backtest::{BacktestReport, backtest, paid_invoices_from_ledger};
use crate::domain::forecast::{ForecastParams, ItemKey, Push, Scenario, Toggles};
use crate::store::{Store, forecast, forecast_runs};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ScenarioChoice {
    Expected,
    Prudent,
    Optimistic,
    /// Expected, prudent and optimistic side by side.
    #[default]
    All,
}

#[derive(Debug, clap::Args)]
pub struct ForecastArgs {
    /// The date the forecast starts from (default: today).
    #[arg(long, value_parser = parse_date_arg)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t)]
    pub scenario: ScenarioChoice,
    /// Your own scenario: this customer's receipts N days later (code or exact name),
    /// e.g. --push C00012:30. Repeatable; shown as a "custom" column.
    #[arg(long, value_name = "CUSTOMER:DAYS")]
    pub push: Vec<String>,
    /// Your own scenario: leave out a recurring outflow (by name), a supplier's invoices
    /// (supplier code) or a customer's receipts (customer code). Repeatable.
    #[arg(long, value_name = "ITEM")]
    pub drop: Vec<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
    /// Keep this forecast, to compare it later with what the bank shows (--accuracy).
    #[arg(long)]
    pub save: bool,
    /// Compare saved forecasts with the bank, week by week.
    #[arg(long, conflicts_with_all = ["save", "backtest"])]
    pub accuracy: bool,
    /// Measure the payment-date prediction on history: the database's, or the invoices and
    /// lettering of an accounting export (FEC) given as FILE.
    #[arg(long, value_name = "FILE", num_args = 0..=1, conflicts_with = "save")]
    pub backtest: Option<Option<PathBuf>>,
}

pub fn run(ctx: &Context, args: &ForecastArgs) -> anyhow_like::Result<i32> {
    let params = ctx.settings.forecast_params();
    let as_of = args.as_of.unwrap_or(ctx.today);
    let mut out = std::io::stdout().lock();
    if let Some(file) = &args.backtest {
        let report = match file {
            Some(path) => backtest_file(ctx, &params, path)?,
            None => {
                let store = ctx.open_store()?;
                let paid = forecast::paid_invoices(
                    store.conn(),
                    as_of,
                    ctx.settings.general.default_terms_days,
                )?;
                backtest(&paid, params.delays, params.history_months)
            }
        };
        forecast_checks::backtest(&mut out, ctx, &report, args.format)?;
        return Ok(0);
    }
    let mut store = ctx.open_store()?;
    if args.accuracy {
        let runs = forecast_runs::accuracy(store.conn(), ctx.today, params.currency, 20)?;
        forecast_checks::accuracy(&mut out, ctx, &runs, args.format)?;
        return Ok(0);
    }
    let toggles = resolve_toggles(&store, &params, &args.push, &args.drop)?;
    let mut scenarios = match args.scenario {
        ScenarioChoice::Expected => vec![Scenario::expected()],
        ScenarioChoice::Prudent => vec![Scenario::prudent()],
        ScenarioChoice::Optimistic => vec![Scenario::optimistic()],
        ScenarioChoice::All => Scenario::standard(),
    };
    if !toggles.is_empty() {
        scenarios.push(Scenario::custom(toggles));
    }
    let mut forecast = forecast::build_forecast(
        store.conn(),
        as_of,
        ctx.settings.general.default_terms_days,
        &params,
        &scenarios,
    )?;
    forecast.notes.extend(print::stale_notes(ctx, &forecast));
    print::forecast(&mut out, ctx, &forecast, args.format)?;
    if args.save {
        let actor = ctx.actor();
        let ids = store.write(|tx| forecast_runs::save_forecast(tx, &forecast, &params, &actor))?;
        eprintln!(
            "{} {}",
            ctx.lang.pick("prévision enregistrée :", "forecast saved:"),
            ids.iter()
                .map(|id| format!("#{id}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(0)
}

fn resolve_toggles(
    store: &Store,
    params: &ForecastParams,
    push: &[String],
    drop: &[String],
) -> anyhow_like::Result<Toggles> {
    let mut toggles = Toggles::default();
    for raw in push {
        let Some((who, days)) = raw.rsplit_once(':') else {
            return Err(format!("--push {raw}: write it as CUSTOMER:DAYS, e.g. C00012:30").into());
        };
        let days: i64 = days
            .trim()
            .parse()
            .ok()
            .filter(|d| (0..=365).contains(d))
            .ok_or_else(|| format!("--push {raw}: DAYS must be a whole number from 0 to 365"))?;
        let customer = forecast::customer_by_code_or_name(store.conn(), who)?.ok_or_else(|| {
            format!(
                "--push {raw}: no customer with the code or name '{}'",
                who.trim()
            )
        })?;
        toggles.push.push(Push { customer, days });
    }
    for raw in drop {
        let key = ItemKey::recurring(raw);
        if params
            .recurring
            .iter()
            .any(|r| ItemKey::recurring(&r.name) == key)
        {
            toggles.drop.push(key);
        } else if let Some(id) = forecast::customer_by_code_or_name(store.conn(), raw)? {
            toggles.drop.push(ItemKey::Customer(id));
        } else if forecast::supplier_exists(store.conn(), raw)? {
            toggles.drop.push(ItemKey::Supplier(raw.trim().to_string()));
        } else {
            let names: Vec<&str> = params.recurring.iter().map(|r| r.name.as_str()).collect();
            return Err(format!(
                "--drop {raw}: not a recurring outflow ({}), a customer or a supplier code",
                names.join(", ")
            )
            .into());
        }
    }
    Ok(toggles)
}

/// The backtest over an accounting export: its invoices (411 debits) and the settlements its
/// lettering gives, as the FEC reader puts them in an `ImportBatch`.
fn backtest_file(
    ctx: &Context,
    params: &ForecastParams,
    path: &Path,
) -> anyhow_like::Result<BacktestReport> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut parse_ctx = ctx.parse_context();
    parse_ctx.file_name = path.display().to_string();
    let batch = crate::import::parse_bytes(&bytes, &parse_ctx)?;
    let (paid, _codes) = paid_invoices_from_ledger(
        &batch.customers,
        &batch.invoices,
        &batch.settlements,
        ctx.settings.general.default_terms_days,
    );
    if paid.is_empty() {
        return Err(format!(
            "{}: no paid invoice to replay ({} invoices, {} settlements); the backtest needs invoices and the payments lettered against them",
            path.display(),
            batch.invoices.len(),
            batch.settlements.len()
        )
        .into());
    }
    Ok(backtest(&paid, params.delays, params.history_months))
}
