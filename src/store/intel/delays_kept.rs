//! The forecast's delay table kept by `kept`, brought up to date after a write: the
//! invoices whose first payments came in the new allocations are added to their
//! customers' histories (their part was nothing before); a customer updated, or paid on
//! an invoice that had payments already, has its history read again.

use super::kept::{KeptMarks, kept_marks};
use crate::domain::forecast::DelayTable;
use crate::domain::model::{CustomerId, InvoiceId};
use crate::store::forecast::{add_payment_history_of, customer_payment_history, payment_history};
use crate::store::{StoreError, StoreResult};
use chrono::NaiveDate;
use rusqlite::{Connection, params};
use std::collections::{BTreeMap, BTreeSet};

/// The table over a history window in months, and where the data stood when it was read
/// or last brought up to date (its own marks: it is read on the first forecast, after the
/// rest of the kept parts).
pub(super) struct KeptDelays {
    pub(super) months: u32,
    pub(super) table: DelayTable,
    read_to: KeptMarks,
}

/// How the last refresh brought the table up to date: customers whose newly paid invoices
/// were added, customers read again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct DelayPaths {
    pub(super) added: usize,
    pub(super) read: usize,
}

impl KeptDelays {
    /// The table and its marks in one snapshot: the next refresh works from the rows above.
    pub(super) fn read(
        conn: &Connection,
        as_of: NaiveDate,
        default_terms_days: u32,
        months: u32,
    ) -> StoreResult<KeptDelays> {
        let tx = conn.unchecked_transaction()?;
        let read_to = kept_marks(&tx)?;
        let table = payment_history(&tx, as_of, default_terms_days, months)?;
        drop(tx);
        Ok(KeptDelays {
            months,
            table,
            read_to,
        })
    }

    /// Brings the table up to the data at `now` (read inside the caller's transaction).
    ///
    /// An invoice counts in the history once settled by `as_of` through allocations. A new
    /// invoice alone never counts (one fully prepaid is left out); a new allocation moves
    /// only its invoice's customer (a credit note is never counted itself); an update is
    /// logged in `intel_dirty`. An invoice with no active allocation up to the marks was
    /// not settled then, so its part was nothing and what it counts now is added. Active
    /// allocations up to the marks stay active unless updated (logged), so "none up to the
    /// marks" is read from the rows as they are now.
    pub(super) fn refresh(
        &mut self,
        conn: &Connection,
        as_of: NaiveDate,
        default_terms_days: u32,
        now: KeptMarks,
    ) -> StoreResult<DelayPaths> {
        let from = self.read_to;
        if now == from {
            return Ok(DelayPaths::default());
        }
        if now.invoice < from.invoice || now.allocation < from.allocation || now.seq < from.seq {
            return self.read_whole(conn, as_of, default_terms_days, now);
        }
        let mut whole: BTreeSet<CustomerId> = BTreeSet::new();
        if now.seq > from.seq {
            let mut stmt = conn.prepare_cached(
                "SELECT customer_id FROM intel_dirty WHERE seq > ?1 AND seq <= ?2",
            )?;
            let mut rows = stmt.query(params![from.seq, now.seq])?;
            while let Some(r) = rows.next()? {
                let c: CustomerId = r.get(0)?;
                if c == 0 {
                    drop(rows);
                    return self.read_whole(conn, as_of, default_terms_days, now);
                }
                whole.insert(c);
            }
        }
        let mut added: BTreeMap<CustomerId, Vec<InvoiceId>> = BTreeMap::new();
        if now.allocation > from.allocation {
            let mut stmt = conn.prepare_cached(
                "SELECT i.customer_id, a.invoice_id,
                        EXISTS (SELECT 1 FROM allocations b
                                WHERE b.invoice_id = a.invoice_id AND b.undone_at IS NULL
                                  AND b.id <= ?1)
                 FROM allocations a JOIN invoices i ON i.id = a.invoice_id
                 WHERE a.id > ?1 AND a.id <= ?2",
            )?;
            let mut rows = stmt.query(params![from.allocation, now.allocation])?;
            while let Some(r) = rows.next()? {
                let c: CustomerId = r.get(0)?;
                if r.get::<_, bool>(2)? {
                    whole.insert(c);
                } else {
                    added.entry(c).or_default().push(r.get(1)?);
                }
            }
        }
        for c in &whole {
            let h = customer_payment_history(conn, as_of, default_terms_days, self.months, *c)?;
            self.table.set_customer(*c, h);
        }
        added.retain(|c, _| !whole.contains(c));
        let mut ids: Vec<InvoiceId> = added.values().flatten().copied().collect();
        ids.sort_unstable();
        ids.dedup();
        if !ids.is_empty() {
            let json =
                serde_json::to_string(&ids).map_err(|e| StoreError::Invalid(e.to_string()))?;
            add_payment_history_of(
                conn,
                as_of,
                default_terms_days,
                self.months,
                &json,
                &mut self.table,
            )?;
        }
        self.read_to = now;
        Ok(DelayPaths {
            added: added.len(),
            read: whole.len(),
        })
    }

    fn read_whole(
        &mut self,
        conn: &Connection,
        as_of: NaiveDate,
        default_terms_days: u32,
        now: KeptMarks,
    ) -> StoreResult<DelayPaths> {
        self.table = payment_history(conn, as_of, default_terms_days, self.months)?;
        self.read_to = now;
        Ok(DelayPaths::default())
    }
}
