//! Saved forecasts, and how they compare with what the bank then showed.

use super::forecast::opening_position;
use super::{Actor, StoreError, StoreResult, date_from_sql, date_to_sql};
use crate::domain::forecast::accuracy::{
    ActualSpan, RunAccuracy, SavedPoint, SavedRun, compare, week_spans,
};
use crate::domain::forecast::{Forecast, ForecastParams};
use crate::domain::money::{Currency, from_minor, round_to_minor, to_minor};
use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, params};
use rust_decimal::Decimal;

fn minor(amount: Decimal, currency: Currency) -> StoreResult<i64> {
    to_minor(round_to_minor(amount, currency), currency)
        .map_err(|e| StoreError::Invalid(format!("forecast amount: {e}")))
}

/// Saves every scenario of `forecast` as one run; returns the run ids.
pub fn save_forecast(
    tx: &Transaction<'_>,
    forecast: &Forecast,
    params: &ForecastParams,
    actor: &Actor,
) -> StoreResult<Vec<i64>> {
    let currency = forecast.currency;
    let mut ids = Vec::new();
    for s in &forecast.scenarios {
        let settings = serde_json::json!({ "params": params, "scenario": s.scenario });
        tx.prepare_cached(
            "INSERT INTO forecast_runs (as_of, scenario, created_at, who, currency, opening_minor, params)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            date_to_sql(forecast.as_of),
            s.scenario.kind.as_str(),
            actor.stamp(),
            actor.who,
            currency.as_str(),
            minor(forecast.opening.total, currency)?,
            settings.to_string()
        ])?;
        let run = tx.last_insert_rowid();
        let mut insert = tx.prepare_cached(
            "INSERT INTO forecast_points (run_id, period_start, period_end, inflow_minor,
                outflow_minor, balance_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for p in &s.periods {
            insert.execute(params![
                run,
                date_to_sql(p.start),
                date_to_sql(p.end),
                minor(p.inflow + p.doubtful_inflow, currency)?,
                minor(p.outflow, currency)?,
                minor(p.balance, currency)?
            ])?;
        }
        ids.push(run);
    }
    Ok(ids)
}

/// The latest `limit` saved runs, newest first, with their points.
pub fn saved_runs(conn: &Connection, limit: usize) -> StoreResult<Vec<SavedRun>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, as_of, scenario, created_at, who, currency, opening_minor
         FROM forecast_runs ORDER BY as_of DESC, id DESC LIMIT ?1",
    )?;
    let heads: Vec<(i64, String, String, String, String, String, i64)> = stmt
        .query_map([limit as i64], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    let mut points_stmt = conn.prepare_cached(
        "SELECT period_start, period_end, inflow_minor, outflow_minor, balance_minor
         FROM forecast_points WHERE run_id = ?1 ORDER BY period_start",
    )?;
    let mut runs = Vec::new();
    for (id, as_of, scenario, created_at, who, currency, opening) in heads {
        let currency = Currency::parse(&currency).unwrap_or_default();
        let mut points = Vec::new();
        let mut rows = points_stmt.query([id])?;
        while let Some(r) = rows.next()? {
            points.push(SavedPoint {
                start: date_from_sql(&r.get::<_, String>(0)?)?,
                end: date_from_sql(&r.get::<_, String>(1)?)?,
                inflow: from_minor(r.get(2)?, currency),
                outflow: from_minor(r.get(3)?, currency),
                balance: from_minor(r.get(4)?, currency),
            });
        }
        runs.push(SavedRun {
            id,
            as_of: date_from_sql(&as_of)?,
            scenario,
            created_at,
            who,
            opening: from_minor(opening, currency),
            points,
        });
    }
    Ok(runs)
}

/// Money in and out of the company's accounts in `currency` over `[start, end]`; transfers
/// between its own accounts are left out, as they are neither. Each account's lines of the
/// range are one range of its date-first keys, read in id order (see `store::bank_keys`).
fn actual_flows(
    conn: &Connection,
    start: NaiveDate,
    end: NaiveDate,
    currency: Currency,
) -> StoreResult<(Decimal, Decimal)> {
    let (inflow, outflow): (i64, i64) = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(CASE WHEN t.amount_minor > 0 THEN t.amount_minor END), 0),
                    COALESCE(SUM(CASE WHEN t.amount_minor < 0 THEN -t.amount_minor END), 0)
             FROM bank_transactions t JOIN bank_accounts a ON a.id = t.account_id
             WHERE a.currency = ?3 AND t.booking_date >= ?1 AND t.booking_date <= ?2
               AND t.id IN (SELECT id FROM bank_transactions
                            WHERE account_id IN (SELECT id FROM bank_accounts WHERE currency = ?3)
                              AND natural_key >= unhex(printf('%08x',
                                      CAST(julianday(?1) AS INTEGER)))
                              AND natural_key < unhex(printf('%08x',
                                      CAST(julianday(?2) AS INTEGER) + 1)))
               AND (t.counterparty_iban IS NULL OR t.counterparty_iban NOT IN
                    (SELECT iban FROM bank_accounts WHERE iban IS NOT NULL))",
        )?
        .query_row(
            params![date_to_sql(start), date_to_sql(end), currency.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
    Ok((from_minor(inflow, currency), from_minor(outflow, currency)))
}

/// Saved runs (newest first) against the bank, over the weeks the bank data covers on
/// `today` (the oldest of the accounts' latest dates).
pub fn accuracy(
    conn: &Connection,
    today: NaiveDate,
    currency: Currency,
    limit: usize,
) -> StoreResult<Vec<RunAccuracy>> {
    let Some(covered) = opening_position(conn, today, currency)?.date else {
        return Ok(saved_runs(conn, limit)?
            .iter()
            .map(|run| compare(run, &[]))
            .collect());
    };
    let mut out = Vec::new();
    for run in saved_runs(conn, limit)? {
        let mut actual = Vec::new();
        for span in week_spans(&run.points) {
            if span.end > covered {
                break;
            }
            let (inflow, outflow) = actual_flows(conn, span.start, span.end, currency)?;
            actual.push(ActualSpan {
                start: span.start,
                end: span.end,
                inflow,
                outflow,
                balance: opening_position(conn, span.end, currency)?.total,
            });
        }
        out.push(compare(&run, &actual));
    }
    Ok(out)
}
