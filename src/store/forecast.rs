//! What the cash forecast needs from the database, gathered without holding the invoices:
//! bank positions per account, payment delays aggregated in SQL, open items streamed into
//! the receivables accumulator, supplier invoices grouped per supplier and due date.

use super::ageing::{customer_names, for_each_open_item};
use super::bank_sums::BankLines;
use super::{StoreError, StoreResult, date_from_sql, date_to_sql};
use crate::domain::forecast::backtest::PaidInvoice;
use crate::domain::forecast::{
    AccountPosition, BalanceSource, Commitment, CommitmentKind, DelayHistogram, DelayTable,
    Forecast, ForecastInputs, ForecastParams, OpeningPosition, ReceiptBook, ReceivablesAccumulator,
    Scenario, SupplierDue, compute,
};
use crate::domain::model::CustomerId;
use crate::domain::money::{Currency, from_minor};
use chrono::{Days, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};

/// Each account's balance at the end of the latest day known on or before `as_of`: the
/// latest closing balance, or the latest opening balance (if more recent) plus the
/// transactions since; either way plus any transactions booked after it up to `as_of`.
pub fn opening_position(
    conn: &Connection,
    as_of: NaiveDate,
    currency: Currency,
) -> StoreResult<OpeningPosition> {
    opening_position_from(conn, as_of, currency, BankLines::Sql)
}

/// `opening_position` with the lines since each balance summed by `lines`.
pub fn opening_position_from(
    conn: &Connection,
    as_of: NaiveDate,
    currency: Currency,
    lines: BankLines<'_>,
) -> StoreResult<OpeningPosition> {
    let day = date_to_sql(as_of);
    let mut accounts_stmt =
        conn.prepare_cached("SELECT id, key, name, currency FROM bank_accounts ORDER BY id")?;
    let accounts: Vec<(i64, String, Option<String>, String)> = accounts_stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    let mut balance_stmt = conn.prepare_cached(
        "SELECT date, amount_minor FROM bank_balances
         WHERE account_id = ?1 AND kind = ?2 AND date <= ?3 ORDER BY date DESC LIMIT 1",
    )?;
    let mut positions = Vec::new();
    for (id, key, name, account_currency) in accounts {
        let account_currency = Currency::parse(&account_currency).unwrap_or(currency);
        let mut latest = |kind: &str| -> StoreResult<Option<(NaiveDate, i64)>> {
            let row: Option<(String, i64)> = balance_stmt
                .query_row(params![id, kind, day], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            row.map(|(d, m)| Ok((date_from_sql(&d)?, m))).transpose()
        };
        let closing = latest("closing")?;
        // An opening balance on day O is the balance at the end of day O − 1.
        let opening = latest("opening")?.and_then(|(d, m)| d.pred_opt().map(|prev| (prev, m)));
        let anchor = match (closing, opening) {
            (Some(c), Some(o)) if o.0 > c.0 => Some((o, BalanceSource::OpeningPlusTransactions)),
            (Some(c), _) => Some((c, BalanceSource::Closing)),
            (None, Some(o)) => Some((o, BalanceSource::OpeningPlusTransactions)),
            (None, None) => None,
        };
        let since = anchor.map(|((d, _), _)| d);
        let (sum, last) = lines.sum_after(conn, id, since, as_of)?;
        let (date, minor, source) = match anchor {
            Some(((d, m), source)) => (last.map_or(d, |l| l.max(d)), m + sum, source),
            None => match last {
                Some(l) => (l, sum, BalanceSource::TransactionsOnly),
                None => continue,
            },
        };
        positions.push(AccountPosition {
            account_id: id,
            key,
            name,
            currency: account_currency,
            date,
            balance: from_minor(minor, account_currency),
            source,
            in_total: true,
        });
    }
    Ok(OpeningPosition::new(positions, currency))
}

/// Days late of each invoice fully paid on or before `as_of` (and, when `history_months` is
/// not 0, paid within that many months before it), counted per customer and delay in SQL.
/// The payment date is the last payment that went into settling it (credit notes do not
/// count as paying). Only the invoices settled in `(?3, ?1]` are read (`invoices_settled`),
/// each one's last payment from one range of the covering allocations index.
const HISTORY_SQL: &str = "
WITH paid AS (
    SELECT i.customer_id, i.issue_date, i.amount_minor, i.currency,
           COALESCE(i.due_date,
                    date(i.issue_date, '+' || COALESCE(c.payment_terms_days, ?2) || ' days'))
               AS due,
           (SELECT MAX(a.paid_on) FROM allocations a
            WHERE a.invoice_id = i.id AND a.undone_at IS NULL AND a.credit_note_id IS NULL
              AND a.paid_on <= i.settled_on) AS last_paid
    FROM invoices i
    JOIN customers c ON c.id = i.customer_id
    WHERE i.settled_on > ?3 AND i.settled_on <= ?1
      AND i.kind = 'invoice' AND i.amount_minor - i.prepaid_minor > 0
)
SELECT customer_id, CAST(julianday(last_paid) - julianday(due) AS INTEGER) AS late,
       issue_date, last_paid, amount_minor, currency, due
FROM paid
WHERE last_paid > ?3
";

/// The start of the history window, exclusive; the empty string sorts before every date.
fn history_since(as_of: NaiveDate, history_months: u32) -> String {
    (history_months > 0)
        .then(|| as_of.checked_sub_months(chrono::Months::new(history_months)))
        .flatten()
        .map(date_to_sql)
        .unwrap_or_default()
}

pub fn payment_history(
    conn: &Connection,
    as_of: NaiveDate,
    default_terms_days: u32,
    history_months: u32,
) -> StoreResult<DelayTable> {
    let sql = format!(
        "SELECT customer_id, late, COUNT(*) FROM ({HISTORY_SQL}) GROUP BY customer_id, late"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![
        date_to_sql(as_of),
        default_terms_days,
        history_since(as_of, history_months)
    ])?;
    let mut table = DelayTable::default();
    while let Some(row) = rows.next()? {
        let count: i64 = row.get(2)?;
        table.add(row.get(0)?, row.get(1)?, count.max(0) as u64);
    }
    Ok(table)
}

/// One customer's part of `payment_history`, through its own invoices (the settled-day
/// index would walk every customer's): what an incremental refresh reads again.
pub fn customer_payment_history(
    conn: &Connection,
    as_of: NaiveDate,
    default_terms_days: u32,
    history_months: u32,
    customer: CustomerId,
) -> StoreResult<DelayHistogram> {
    let sql = format!(
        "SELECT late, COUNT(*) FROM ({}) GROUP BY late",
        HISTORY_SQL.replace(
            "WHERE i.settled_on > ?3 AND i.settled_on <= ?1",
            "WHERE i.customer_id = ?4 AND +i.settled_on > ?3 AND +i.settled_on <= ?1"
        )
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![
        date_to_sql(as_of),
        default_terms_days,
        history_since(as_of, history_months),
        customer
    ])?;
    let mut h = DelayHistogram::default();
    while let Some(row) = rows.next()? {
        let count: i64 = row.get(1)?;
        h.add(row.get(0)?, count.max(0) as u64);
    }
    Ok(h)
}

/// What the invoices of `ids` (a JSON array) add to `payment_history`, added to `table`:
/// an incremental refresh adds the invoices whose first payments just came, whose part of
/// the history was nothing before.
pub fn add_payment_history_of(
    conn: &Connection,
    as_of: NaiveDate,
    default_terms_days: u32,
    history_months: u32,
    ids: &str,
    table: &mut DelayTable,
) -> StoreResult<()> {
    let sql = format!(
        "SELECT customer_id, late, COUNT(*) FROM ({}) GROUP BY customer_id, late",
        HISTORY_SQL.replace(
            "WHERE i.settled_on > ?3 AND i.settled_on <= ?1",
            "WHERE i.id IN (SELECT value FROM json_each(?4))
               AND +i.settled_on > ?3 AND +i.settled_on <= ?1"
        )
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![
        date_to_sql(as_of),
        default_terms_days,
        history_since(as_of, history_months),
        ids
    ])?;
    while let Some(row) = rows.next()? {
        let count: i64 = row.get(2)?;
        table.add(row.get(0)?, row.get(1)?, count.max(0) as u64);
    }
    Ok(())
}

/// Every invoice fully paid on or before `as_of`, for the backtest (about 40 bytes each).
pub fn paid_invoices(
    conn: &Connection,
    as_of: NaiveDate,
    default_terms_days: u32,
) -> StoreResult<Vec<PaidInvoice>> {
    let mut stmt = conn.prepare_cached(HISTORY_SQL)?;
    let mut rows = stmt.query(params![date_to_sql(as_of), default_terms_days, ""])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let currency = Currency::parse(&row.get::<_, String>(5)?).unwrap_or_default();
        let customer: i64 = row.get(0)?;
        out.push(PaidInvoice {
            customer: customer as u64,
            issue: date_from_sql(&row.get::<_, String>(2)?)?,
            due: date_from_sql(&row.get::<_, String>(6)?)?,
            paid: date_from_sql(&row.get::<_, String>(3)?)?,
            amount: from_minor(row.get(4)?, currency),
        });
    }
    Ok(out)
}

/// Open receivables as of `as_of`, streamed and aggregated (see `ReceivablesAccumulator`).
pub fn receivables(
    conn: &Connection,
    as_of: NaiveDate,
    default_terms_days: u32,
    params: &ForecastParams,
    commitments: &[Commitment],
) -> StoreResult<ReceiptBook> {
    let mut acc =
        ReceivablesAccumulator::new(as_of, params.horizon_end(as_of), params.doubtful_after_days);
    for_each_open_item(conn, as_of, default_terms_days, None, |item| acc.add(&item))?;
    Ok(acc.finish(commitments))
}

/// Unpaid supplier invoices in `currency` issued by `as_of` and due by `until` (overdue
/// included), summed per supplier and due date.
pub fn supplier_dues(
    conn: &Connection,
    as_of: NaiveDate,
    until: NaiveDate,
    default_terms_days: u32,
    currency: Currency,
) -> StoreResult<Vec<SupplierDue>> {
    let mut stmt = conn.prepare_cached(
        "SELECT supplier_code, MAX(supplier_name),
                COALESCE(due_date, date(issue_date, '+' || ?1 || ' days')) AS due,
                SUM(amount_minor), COUNT(*)
         FROM supplier_invoices
         WHERE paid = 0 AND currency = ?2 AND issue_date <= ?3
         GROUP BY supplier_code, due
         HAVING due <= ?4 AND SUM(amount_minor) > 0
         ORDER BY due, supplier_code",
    )?;
    let mut rows = stmt.query(params![
        default_terms_days,
        currency.as_str(),
        date_to_sql(as_of),
        date_to_sql(until)
    ])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(SupplierDue {
            supplier_code: row.get(0)?,
            supplier_name: row.get(1)?,
            due: date_from_sql(&row.get::<_, String>(2)?)?,
            amount: from_minor(row.get(3)?, currency),
            invoices: row.get::<_, i64>(4)?.clamp(0, i64::from(u32::MAX)) as u32,
        });
    }
    Ok(out)
}

/// Promises to pay and payment-plan instalments still to come (dated on or after `as_of`),
/// from the open promises and plans that people recorded while chasing. A cancelled one
/// (undone, or replaced) no longer moves any receipt.
pub fn load_commitments(
    conn: &Connection,
    as_of: NaiveDate,
    currency: Currency,
) -> StoreResult<Vec<Commitment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, promised_on, amount_minor, 'promise' FROM promises
         WHERE status = 'open' AND promised_on >= ?1
         UNION ALL
         SELECT p.customer_id, i.due_on, i.amount_minor, 'instalment'
         FROM plan_instalments i JOIN payment_plans p ON p.id = i.plan_id
         WHERE p.status = 'open' AND i.due_on >= ?1",
    )?;
    let mut rows = stmt.query([date_to_sql(as_of)])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(Commitment {
            customer_id: row.get(0)?,
            date: date_from_sql(&row.get::<_, String>(1)?)?,
            amount: from_minor(row.get(2)?, currency),
            kind: if row.get::<_, String>(3)? == "promise" {
                CommitmentKind::Promise
            } else {
                CommitmentKind::Instalment
            },
        });
    }
    Ok(out)
}

/// A customer's id from its code (exact), else its name (case-insensitive, if unique).
pub fn customer_by_code_or_name(conn: &Connection, text: &str) -> StoreResult<Option<CustomerId>> {
    let text = text.trim();
    if let Some(id) = conn
        .prepare_cached("SELECT id FROM customers WHERE code = ?1")?
        .query_row([text], |r| r.get(0))
        .optional()?
    {
        return Ok(Some(id));
    }
    let ids: Vec<CustomerId> = conn
        .prepare_cached("SELECT id FROM customers WHERE lower(name) = lower(?1)")?
        .query_map([text], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(if ids.len() == 1 { Some(ids[0]) } else { None })
}

pub fn supplier_exists(conn: &Connection, code: &str) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM supplier_invoices WHERE supplier_code = ?1")?
        .exists([code.trim()])?)
}

/// Everything `compute` needs, gathered with bounded memory.
pub fn forecast_inputs(
    conn: &Connection,
    as_of: NaiveDate,
    default_terms_days: u32,
    params: &ForecastParams,
) -> StoreResult<ForecastInputs> {
    let horizon_end = params.horizon_end(as_of);
    let commitments = load_commitments(conn, as_of, params.currency)?;
    let names = customer_names(conn)?
        .into_iter()
        .map(|(id, (_code, name))| (id, name))
        .collect();
    let payables_until = as_of
        .checked_add_days(Days::new(params.payables_within_days.max(0) as u64))
        .unwrap_or(as_of)
        .max(horizon_end);
    Ok(ForecastInputs {
        as_of,
        opening: opening_position(conn, as_of, params.currency)?,
        receipts: receivables(conn, as_of, default_terms_days, params, &commitments)?,
        delays: payment_history(conn, as_of, default_terms_days, params.history_months)?,
        suppliers: supplier_dues(
            conn,
            as_of,
            payables_until,
            default_terms_days,
            params.currency,
        )?,
        names,
        notes: Vec::new(),
    })
}

/// `forecast_inputs` from a cockpit's kept intelligence (`Live`, refreshed by the caller):
/// the open items of its gather and its kept delay table instead of two whole reads.
pub fn forecast_inputs_live(
    conn: &Connection,
    p: &crate::store::intel::Params,
    live: &mut crate::store::intel::Live,
    params: &ForecastParams,
) -> StoreResult<ForecastInputs> {
    let as_of = live.gathered.as_of;
    let horizon_end = params.horizon_end(as_of);
    let commitments = load_commitments(conn, as_of, params.currency)?;
    let opening = opening_position_from(
        conn,
        as_of,
        params.currency,
        BankLines::Kept(live.bank_sums(conn)?),
    )?;
    let delays = live.delays(conn, p, params.history_months)?.clone();
    let g = &live.gathered;
    let mut acc = ReceivablesAccumulator::new(as_of, horizon_end, params.doubtful_after_days);
    for b in g.bundles.values() {
        for item in &b.open_items {
            // The gather also marks the invoices under a dispute row; the forecast's
            // doubtful receipts are those the export flagged, as a scan reads them.
            if item.disputed && b.disputed_by_row.contains(&item.invoice_id) {
                let mut plain = item.clone();
                plain.disputed = false;
                acc.add(&plain);
            } else {
                acc.add(item);
            }
        }
    }
    let names = g
        .bundles
        .iter()
        .map(|(id, b)| (*id, b.row.name.clone()))
        .collect();
    let payables_until = as_of
        .checked_add_days(Days::new(params.payables_within_days.max(0) as u64))
        .unwrap_or(as_of)
        .max(horizon_end);
    Ok(ForecastInputs {
        as_of,
        opening,
        receipts: acc.finish(&commitments),
        delays,
        suppliers: supplier_dues(
            conn,
            as_of,
            payables_until,
            p.default_terms_days,
            params.currency,
        )?,
        names,
        notes: Vec::new(),
    })
}

/// The forecast the cockpit and the command line show.
pub fn build_forecast(
    conn: &Connection,
    as_of: NaiveDate,
    default_terms_days: u32,
    params: &ForecastParams,
    scenarios: &[Scenario],
) -> StoreResult<Forecast> {
    if scenarios.is_empty() {
        return Err(StoreError::Invalid("no scenario asked for".into()));
    }
    let inputs = forecast_inputs(conn, as_of, default_terms_days, params)?;
    Ok(compute(&inputs, params, scenarios))
}
