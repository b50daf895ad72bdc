//! What the key figures and the forecast read beyond the gather, kept beside it by `live`
//! and brought up to date, after a write, for the customers whose part the rows written
//! since its own marks can move (`moved_since`: a day's invoices issued after the CEI
//! period's start move no opening, payments move only the payers' delays):
//! - each customer's open receivables at the start of the CEI period;
//! - sales per day over the countback and CEI windows, with the invoice id they were read
//!   to: new invoices are added from the ids above it (rows are never updated in these
//!   columns by the program; an update logged in `intel_dirty` reads them whole again);
//! - the forecast's delay table, per customer, read on the first forecast and extended with
//!   the invoices newly paid (`delays_kept`).

use super::Params;
use super::delays_kept::{DelayPaths, KeptDelays};
use super::figures::sales_window;
use super::history::daily_sales;
use crate::domain::forecast::DelayTable;
use crate::domain::model::CustomerId;
use crate::domain::money::{Currency, from_minor};
use crate::store::ageing::for_each_open_item;
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
    /// Where the data stood when `opening` and `daily` were read: the customers written
    /// since are found from these.
    read_to: KeptMarks,
    /// The forecast's delay table, with its own marks.
    delays: Option<KeptDelays>,
    /// How the last refresh brought the delay table up to date (tests pin the paths).
    pub(super) delay_paths: DelayPaths,
}

/// The highest invoice and allocation ids and change-log sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct KeptMarks {
    pub(super) invoice: i64,
    pub(super) allocation: i64,
    pub(super) seq: i64,
}

pub(super) fn kept_marks(conn: &Connection) -> StoreResult<KeptMarks> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM invoices),
                (SELECT COALESCE(MAX(id), 0) FROM allocations),
                (SELECT COALESCE(MAX(seq), 0) FROM intel_dirty)",
        )?
        .query_row([], |r| {
            Ok(KeptMarks {
                invoice: r.get(0)?,
                allocation: r.get(1)?,
                seq: r.get(2)?,
            })
        })?)
}

/// The customers whose opening receivables the writes between two marks may have moved.
#[derive(Debug, Default)]
struct Moved {
    opening: BTreeSet<CustomerId>,
}

/// The opening at `cei_start` sums each customer's invoices issued by then less their
/// allocations paid by then: only a new invoice issued by then, a new allocation paid by
/// then or an update (logged in `intel_dirty`) moves it. None: a row was deleted,
/// everything is read again.
fn moved_since(
    conn: &Connection,
    from: KeptMarks,
    to: KeptMarks,
    cei_start: NaiveDate,
) -> StoreResult<Option<Moved>> {
    if to.invoice < from.invoice || to.allocation < from.allocation || to.seq < from.seq {
        return Ok(None);
    }
    let mut out = Moved::default();
    let start = date_to_sql(cei_start);
    if to.seq > from.seq {
        let mut stmt = conn
            .prepare_cached("SELECT customer_id FROM intel_dirty WHERE seq > ?1 AND seq <= ?2")?;
        let mut rows = stmt.query(params![from.seq, to.seq])?;
        while let Some(r) = rows.next()? {
            let c: CustomerId = r.get(0)?;
            if c == 0 {
                return Ok(None);
            }
            out.opening.insert(c);
        }
    }
    if to.invoice > from.invoice {
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT customer_id FROM invoices
             WHERE id > ?1 AND id <= ?2 AND issue_date <= ?3",
        )?;
        let mut rows = stmt.query(params![from.invoice, to.invoice, start])?;
        while let Some(r) = rows.next()? {
            out.opening.insert(r.get(0)?);
        }
    }
    if to.allocation > from.allocation {
        let mut stmt = conn.prepare_cached(
            "SELECT i.customer_id, a.paid_on <= ?3 FROM allocations a
             JOIN invoices i ON i.id = a.invoice_id
             WHERE a.id > ?1 AND a.id <= ?2
             UNION
             SELECT i.customer_id, a.paid_on <= ?3 FROM allocations a
             JOIN invoices i ON i.id = a.credit_note_id
             WHERE a.id > ?1 AND a.id <= ?2",
        )?;
        let mut rows = stmt.query(params![from.allocation, to.allocation, start])?;
        while let Some(r) = rows.next()? {
            let c: CustomerId = r.get(0)?;
            if r.get::<_, bool>(1)? {
                out.opening.insert(c);
            }
        }
    }
    Ok(Some(out))
}

impl Kept {
    pub(super) fn read(conn: &Connection, p: &Params, g: &Gathered) -> StoreResult<Kept> {
        let as_of = g.as_of;
        let cei_start = as_of - Duration::days(i64::from(p.figures.cei_period_days));
        let sales_from = sales_window(p, as_of);
        // The opening, the sales and the marks they were read to in one snapshot: the next
        // refresh works from the rows above them, so none may be counted twice or missed.
        let tx = conn.unchecked_transaction()?;
        let read_to = kept_marks(&tx)?;
        let mut opening: HashMap<CustomerId, Decimal> = HashMap::new();
        for_each_open_item(&tx, cei_start, p.default_terms_days, None, |item| {
            *opening.entry(item.customer_id).or_default() += item.open;
        })?;
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
            delay_paths: DelayPaths::default(),
        })
    }

    /// Reads again what the writes since the last read moved: the opening and the payment
    /// history of the customers concerned (see `moved_since`), and the new invoices' sales.
    pub(super) fn refresh(
        &mut self,
        conn: &Connection,
        p: &Params,
        g: &Gathered,
    ) -> StoreResult<()> {
        if g.as_of != self.as_of {
            *self = Kept::read(conn, p, g)?;
            return Ok(());
        }
        self.delay_paths = DelayPaths::default();
        let tx = conn.unchecked_transaction()?;
        let now = kept_marks(&tx)?;
        if now == self.read_to {
            return Ok(());
        }
        let Some(moved) = moved_since(&tx, self.read_to, now, self.cei_start)? else {
            drop(tx);
            // The delay table is read again on the next forecast.
            *self = Kept::read(conn, p, g)?;
            return Ok(());
        };
        for c in &moved.opening {
            let mut open = Decimal::ZERO;
            let mut any = false;
            for_each_open_item(&tx, self.cei_start, p.default_terms_days, Some(*c), |i| {
                open += i.open;
                any = true;
            })?;
            if any {
                self.opening.insert(*c, open);
            } else {
                self.opening.remove(c);
            }
        }
        if now.seq != self.read_to.seq {
            self.daily = daily_sales(&tx, self.sales_from, self.as_of)?;
        } else if now.invoice > self.read_to.invoice {
            let mut stmt = tx.prepare_cached(
                "SELECT issue_date, currency,
                        SUM(CASE WHEN kind = 'invoice' THEN amount_minor ELSE -amount_minor END)
                 FROM invoices
                 WHERE id > ?1 AND id <= ?2 AND issue_date > ?3 AND issue_date <= ?4
                 GROUP BY issue_date, currency",
            )?;
            let mut rows = stmt.query(params![
                self.read_to.invoice,
                now.invoice,
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
        self.delay_paths = match &mut self.delays {
            Some(d) => d.refresh(&tx, self.as_of, p.default_terms_days, now)?,
            None => DelayPaths::default(),
        };
        drop(tx);
        self.read_to = now;
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
        let kept = match self.delays.take() {
            Some(d) if d.months == history_months => d,
            _ => KeptDelays::read(conn, self.as_of, p.default_terms_days, history_months)?,
        };
        Ok(&self.delays.insert(kept).table)
    }
}
