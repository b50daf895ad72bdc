//! How `report forecast --accuracy` and `--backtest` print: saved forecasts against the
//! bank week by week, and the payment-date prediction against its baselines.

use super::Context;
use super::anyhow_like;
use super::forecast_print::{date, money, short};
use super::output::{OutputFormat, print_csv, print_table};
use crate::domain::forecast::accuracy::RunAccuracy;
use crate::domain::forecast::backtest::BacktestReport;
use std::io::Write;

pub fn accuracy(
    out: &mut dyn Write,
    ctx: &Context,
    runs: &[RunAccuracy],
    format: OutputFormat,
) -> anyhow_like::Result<()> {
    let lang = ctx.lang;
    let header: Vec<String> = [
        "run",
        "week_start",
        "week_end",
        "forecast_inflow",
        "actual_inflow",
        "forecast_outflow",
        "actual_outflow",
        "forecast_balance",
        "actual_balance",
        "error",
    ]
    .map(String::from)
    .to_vec();
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, runs)?;
            writeln!(out)?;
        }
        OutputFormat::Csv => {
            let rows: Vec<Vec<String>> = runs
                .iter()
                .flat_map(|r| {
                    r.weeks.iter().map(|w| {
                        vec![
                            r.run_id.to_string(),
                            w.start.to_string(),
                            w.end.to_string(),
                            w.forecast_inflow.to_string(),
                            w.actual_inflow.to_string(),
                            w.forecast_outflow.to_string(),
                            w.actual_outflow.to_string(),
                            w.forecast_balance.to_string(),
                            w.actual_balance.to_string(),
                            w.error.to_string(),
                        ]
                    })
                })
                .collect();
            print_csv(out, &header, &rows)?;
        }
        OutputFormat::Table => {
            if runs.is_empty() {
                writeln!(
                    out,
                    "{}",
                    lang.pick(
                        "Aucune prévision enregistrée : lancez `encours report forecast --save`.",
                        "No saved forecast yet: run `encours report forecast --save`."
                    )
                )?;
            }
            for r in runs {
                writeln!(
                    out,
                    "#{} {} {} ({}), {} {} {}",
                    r.run_id,
                    lang.pick("prévision au", "forecast as of"),
                    date(ctx, r.as_of),
                    r.scenario,
                    lang.pick("enregistrée le", "saved on"),
                    r.created_at,
                    r.who
                )?;
                if r.weeks.is_empty() {
                    writeln!(
                        out,
                        "  {}",
                        lang.pick(
                            "pas encore de semaine écoulée dans les relevés",
                            "no week over yet in the bank data"
                        )
                    )?;
                    continue;
                }
                let h: Vec<String> = [
                    lang.pick("semaine", "week"),
                    lang.pick("enc. prévu", "in forecast"),
                    lang.pick("enc. réel", "in actual"),
                    lang.pick("déc. prévu", "out forecast"),
                    lang.pick("déc. réel", "out actual"),
                    lang.pick("solde prévu", "balance forecast"),
                    lang.pick("solde réel", "balance actual"),
                    lang.pick("écart", "error"),
                ]
                .map(String::from)
                .to_vec();
                let rows: Vec<Vec<String>> = r
                    .weeks
                    .iter()
                    .map(|w| {
                        vec![
                            format!("{} – {}", date(ctx, w.start), date(ctx, w.end)),
                            short(ctx, w.forecast_inflow),
                            short(ctx, w.actual_inflow),
                            short(ctx, w.forecast_outflow),
                            short(ctx, w.actual_outflow),
                            short(ctx, w.forecast_balance),
                            short(ctx, w.actual_balance),
                            short(ctx, w.error),
                        ]
                    })
                    .collect();
                print_table(out, &h, &rows)?;
                writeln!(
                    out,
                    "  {} {}, {} {}",
                    lang.pick("écart absolu moyen", "mean absolute error"),
                    r.mean_absolute_error
                        .map(|v| money(ctx, v))
                        .unwrap_or_default(),
                    lang.pick("biais", "bias"),
                    r.bias.map(|v| money(ctx, v)).unwrap_or_default()
                )?;
            }
        }
    }
    Ok(())
}

pub fn backtest(
    out: &mut dyn Write,
    ctx: &Context,
    r: &BacktestReport,
    format: OutputFormat,
) -> anyhow_like::Result<()> {
    let lang = ctx.lang;
    let rows = [
        (
            lang.pick(
                "modèle (médiane du client, rapprochée de la moyenne du portefeuille)",
                "model (customer median, shrunk toward the portfolio mean)",
            ),
            r.model,
        ),
        (lang.pick("échéance", "due date"), r.due_date),
        (
            lang.pick(
                "échéance + retard moyen du portefeuille",
                "due date + portfolio mean delay",
            ),
            r.portfolio_mean,
        ),
    ];
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, r)?;
            writeln!(out)?;
        }
        OutputFormat::Csv | OutputFormat::Table => {
            let header: Vec<String> = ["predictor", "mae_days", "weighted_mae_days"]
                .map(String::from)
                .to_vec();
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|(name, s)| {
                    vec![
                        name.to_string(),
                        s.mae_days.to_string(),
                        s.weighted_mae_days.to_string(),
                    ]
                })
                .collect();
            if format == OutputFormat::Csv {
                print_csv(out, &header, &body)?;
                return Ok(());
            }
            writeln!(
                out,
                "{} {} {} {} {}, {} {} → {}",
                lang.pick("Backtest des dates de paiement :", "Payment-date backtest:"),
                r.invoices,
                lang.pick("factures payées de", "paid invoices of"),
                r.customers,
                lang.pick("clients", "customers"),
                lang.pick("émises du", "issued"),
                r.first_issue.map(|d| date(ctx, d)).unwrap_or_default(),
                r.last_issue.map(|d| date(ctx, d)).unwrap_or_default()
            )?;
            let header: Vec<String> = [
                lang.pick("prédiction", "predictor"),
                lang.pick("erreur moyenne (jours)", "mean abs. error (days)"),
                lang.pick("pondérée par montant", "weighted by amount"),
            ]
            .map(String::from)
            .to_vec();
            print_table(out, &header, &body)?;
            writeln!(
                out,
                "{}",
                if r.beats_both {
                    lang.pick(
                        "Le modèle bat les deux références.",
                        "The model beats both baselines.",
                    )
                } else {
                    lang.pick(
                        "Le modèle ne bat PAS les deux références.",
                        "The model does NOT beat both baselines.",
                    )
                }
            )?;
        }
    }
    Ok(())
}
