//! What the key figures and the forecast read beyond the gather, kept beside it by `live`
//! and brought up to date with the customers a refresh read again:
//! - each customer's open receivables at the start of the CEI period;
//! - sales per day over the countback and CEI windows, with the invoice id they were read
//!   to: new invoices are added from the ids above it (rows are never updated in these
//!   columns by the program; an update logged in `intel_dirty` reads them whole again);
//! - the forecast's delay table, per customer, read on the first forecast.

use super::Params;
use super::figures::sales_window;
use super::history::daily_sales;
use crate::domain::forecast::DelayTable;
use crate::domain::model::CustomerId;
use crate::domain::money::{Currency, from_minor};
use crate::store::ageing::for_each_open_item;
use crate::store::forecast::{customer_payment_history, payment_history};
use crate::store::{StoreResult, date_from_sql, date_to_sql};
use chrono::{Duration, NaiveDate};
use rusqlite::{Connection, params};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::Gathered;

pub(crate) struct Kept {
    as_of: NaiveDate,
    pub(super) cei_start: NaiveDate,
    /// Each customer's open receivables at `cei_start` (customers with none are left out).
    opening: HashMap<CustomerId, Decimal>,
    /// Sales per day in `(sales_from, as_of]`.
    pub(super) daily: BTreeMap<NaiveDate, Decimal>,
    sales_from: NaiveDate,
    /// The invoice id and change-log sequence `daily` was read to.
    read_to: (i64, i64),
    /// The forecast's history window in months and the table read over it.
    delays: Option<(u32, DelayTable)>,
}

/// The highest invoice id and change-log sequence number.
fn invoice_marks(conn: &Connection) -> StoreResult<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM invoices),
                (SELECT COALESCE(MAX(seq), 0) FROM intel_dirty)",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

impl Kept {
    pub(super) fn read(conn: &Connection, p: &Params, g: &Gathered) -> StoreResult<Kept> {
        let as_of = g.as_of;
        let cei_start = as_of - Duration::days(i64::from(p.figures.cei_period_days));
        let mut opening: HashMap<CustomerId, Decimal> = HashMap::new();
        for_each_open_item(conn, cei_start, p.default_terms_days, None, |item| {
            *opening.entry(item.customer_id).or_default() += item.open;
        })?;
        let sales_from = sales_window(p, as_of);
        // The sales and the id they were read to in one snapshot: the next refresh adds the
        // invoices above it, so none may be counted twice or missed.
        let tx = conn.unchecked_transaction()?;
        let read_to = invoice_marks(&tx)?;
        let daily = daily_sales(&tx, sales_from, as_of)?;
        drop(tx);
        Ok(Kept {
            as_of,
            cei_start,
            opening,
            daily,
            sales_from,
            read_to,
            delays: None,
        })
    }

    /// Reads again what the customers `changed` decide, and the new invoices' sales.
    pub(super) fn refresh(
        &mut self,
        conn: &Connection,
        p: &Params,
        g: &Gathered,
        changed: &BTreeSet<CustomerId>,
    ) -> StoreResult<()> {
        if g.as_of != self.as_of {
            *self = Kept::read(conn, p, g)?;
            return Ok(());
        }
        for c in changed {
            let mut open = Decimal::ZERO;
            let mut any = false;
            for_each_open_item(conn, self.cei_start, p.default_terms_days, Some(*c), |i| {
                open += i.open;
                any = true;
            })?;
            if any {
                self.opening.insert(*c, open);
            } else {
                self.opening.remove(c);
            }
        }
        let tx = conn.unchecked_transaction()?;
        let now = invoice_marks(&tx)?;
        if now.1 != self.read_to.1 || now.0 < self.read_to.0 {
            self.daily = daily_sales(&tx, self.sales_from, self.as_of)?;
        } else if now.0 > self.read_to.0 {
            let mut stmt = tx.prepare_cached(
                "SELECT issue_date, currency,
                        SUM(CASE WHEN kind = 'invoice' THEN amount_minor ELSE -amount_minor END)
                 FROM invoices
                 WHERE id > ?1 AND id <= ?2 AND issue_date > ?3 AND issue_date <= ?4
                 GROUP BY issue_date, currency",
            )?;
            let mut rows = stmt.query(params![
                self.read_to.0,
                now.0,
                date_to_sql(self.sales_from),
                date_to_sql(self.as_of)
            ])?;
            while let Some(r) = rows.next()? {
                let currency = Currency::parse(&r.get::<_, String>(1)?).unwrap_or_default();
                *self
                    .daily
                    .entry(date_from_sql(&r.get::<_, String>(0)?)?)
                    .or_insert(Decimal::ZERO) += from_minor(r.get(2)?, currency);
            }
        }
        drop(tx);
        self.read_to = now;
        if let Some((months, table)) = &mut self.delays {
            for c in changed {
                let h =
                    customer_payment_history(conn, self.as_of, p.default_terms_days, *months, *c)?;
                table.set_customer(*c, h);
            }
        }
        Ok(())
    }

    /// Open receivables at the CEI period's start, over every customer.
    pub(super) fn opening(&self) -> Decimal {
        self.opening.values().copied().sum()
    }

    /// The delay table over `history_months`, read now if it was not (or for another window).
    pub(super) fn delays(
        &mut self,
        conn: &Connection,
        p: &Params,
        history_months: u32,
    ) -> StoreResult<&DelayTable> {
        let table = match self.delays.take() {
            Some((m, t)) if m == history_months => t,
            _ => payment_history(conn, self.as_of, p.default_terms_days, history_months)?,
        };
        Ok(&self.delays.insert((history_months, table)).1)
    }
}
