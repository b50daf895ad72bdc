//! The write phase of a matching run. A run writes as many allocations as there are bank
//! credits (a million at the largest size): one prepared INSERT reused for every row, with
//! the allocation triggers off, then each paid invoice's maintained state (schema step 7:
//! first payment day and settled day) written once, worked out from what the run loaded and
//! allocated rather than read back from the indexes.

use super::load::PaidBefore;
use super::set_aside::SetAside;
use crate::domain::matching::Allocation;
use crate::domain::model::{InvoiceId, TransactionId};
use crate::domain::money::{Currency, to_minor};
use crate::store::schema_paid::paid_state;
use crate::store::{Actor, SqlDate, StoreError, StoreResult};
use chrono::NaiveDate;
use rusqlite::config::DbConfig;
use rusqlite::{Statement, Transaction, params};

/// The one way an allocation row is written, by a run and by a person's match alike.
const INSERT_SQL: &str = "
INSERT INTO allocations (invoice_id, transaction_id, amount_minor, paid_on, rule, evidence,
    who, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
";

/// An invoice nothing had paid before the run: its state follows from the run's payments.
const PAID_SQL: &str = "UPDATE invoices SET first_paid_on = ?2, settled_on = ?3 WHERE id = ?1";

/// An invoice paid in part before (a few in a run): recomputed from its allocation rows, as
/// the triggers do.
const RECOMPUTE_SQL: &str = concat!("UPDATE invoices SET ", paid_state!(), " WHERE id = ?1");

/// Writes one allocation row with the prepared [`INSERT_SQL`]; returns its id.
fn insert_row(
    insert: &mut Statement<'_>,
    a: &Allocation,
    minor: i64,
    who: &str,
    stamp: &str,
) -> StoreResult<i64> {
    Ok(insert.insert(params![
        a.invoice_id,
        a.transaction_id,
        minor,
        SqlDate::new(a.paid_on).as_str(),
        a.rule.as_str(),
        a.evidence,
        who,
        stamp
    ])?)
}

fn minor_of(a: &Allocation, currency: Currency) -> StoreResult<i64> {
    to_minor(a.amount, currency).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// Writes one allocation row (a person's match: the paid state follows by trigger);
/// returns its id.
pub(crate) fn insert_allocation(
    tx: &Transaction<'_>,
    a: &Allocation,
    currency: Currency,
    actor: &Actor,
) -> StoreResult<i64> {
    let mut insert = tx.prepare_cached(INSERT_SQL)?;
    insert_row(
        &mut insert,
        a,
        minor_of(a, currency)?,
        &actor.who,
        &actor.stamp(),
    )
}

/// Inserts `allocations` in order and returns their ids, in the same order; then writes the
/// paid state of the invoices they pay, from `before` (what each open invoice owed and had
/// been paid when the run loaded it).
pub(super) fn insert_allocations(
    tx: &Transaction<'_>,
    allocations: &[Allocation],
    currency_of: impl Fn(TransactionId) -> Currency,
    before: Vec<(InvoiceId, PaidBefore)>,
    actor: &Actor,
) -> StoreResult<Vec<i64>> {
    if allocations.is_empty() {
        return Ok(Vec::new());
    }
    let mut paid: Vec<(InvoiceId, NaiveDate, i64)> = Vec::with_capacity(allocations.len());
    let aside = SetAside::allocations(tx, allocations.len())?;
    let ids = without_triggers(tx, || {
        let stamp = actor.stamp();
        let mut ids = Vec::with_capacity(allocations.len());
        let mut insert = tx.prepare(INSERT_SQL)?;
        for a in allocations {
            let currency = currency_of(a.transaction_id);
            let minor = minor_of(a, currency)?;
            ids.push(insert_row(&mut insert, a, minor, &actor.who, &stamp)?);
            paid.push((a.invoice_id, a.paid_on, minor));
        }
        Ok(ids)
    })?;
    if let Some(aside) = aside {
        aside.rebuild(tx)?;
    }
    write_paid_state(tx, paid, before)?;
    Ok(ids)
}

/// Runs `f` with this connection's triggers off, and turns them back on whatever happens.
/// A statement that may fire a trigger keeps a statement journal: every page it touches is
/// copied to a temporary file first, which made each INSERT of a run cost three times its
/// own work. The run writes what the allocation triggers would have written itself
/// (`write_paid_state`); no other writer can interleave, the run holds the write lock.
fn without_triggers<T>(tx: &Transaction<'_>, f: impl FnOnce() -> StoreResult<T>) -> StoreResult<T> {
    tx.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    let out = f();
    tx.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true)?;
    out
}

/// What a run changes on one invoice it paid.
#[derive(Debug, Clone, Copy, PartialEq)]
enum NewState {
    /// Nothing paid it before: its first payment day and the day it is settled, if it is.
    Fresh {
        first: NaiveDate,
        settled_on: Option<NaiveDate>,
    },
    /// Paid in part before the run (or not loaded): recompute from the rows.
    Recompute,
}

/// The new state of an invoice from its state before and the run's payments to it, sorted
/// by day. Settled on the first day the running total reaches what is due.
fn new_state(before: Option<&PaidBefore>, payments: &[(InvoiceId, NaiveDate, i64)]) -> NewState {
    let (Some(before), Some(first)) = (before, payments.first().map(|p| p.1)) else {
        return NewState::Recompute;
    };
    if before.paid_some {
        return NewState::Recompute;
    }
    let mut running = 0;
    let mut settled_on = None;
    for (i, p) in payments.iter().enumerate() {
        running += p.2;
        let day_ends = payments.get(i + 1).is_none_or(|next| next.1 != p.1);
        if day_ends && running >= before.due_minor {
            settled_on = Some(p.1);
            break;
        }
    }
    NewState::Fresh { first, settled_on }
}

fn write_paid_state(
    tx: &Transaction<'_>,
    mut paid: Vec<(InvoiceId, NaiveDate, i64)>,
    mut before: Vec<(InvoiceId, PaidBefore)>,
) -> StoreResult<()> {
    paid.sort_unstable_by_key(|p| (p.0, p.1));
    before.sort_unstable_by_key(|b| b.0);
    let invoices = paid.chunk_by(|a, b| a.0 == b.0).count();
    let aside = SetAside::paid_state(tx, invoices)?;
    let mut update = tx.prepare(PAID_SQL)?;
    let mut recompute = tx.prepare(RECOMPUTE_SQL)?;
    let mut known = before.iter().peekable();
    for group in paid.chunk_by(|a, b| a.0 == b.0) {
        let id = group[0].0;
        while known.next_if(|b| b.0 < id).is_some() {}
        let state = known.peek().filter(|b| b.0 == id).map(|b| &b.1);
        match new_state(state, group) {
            NewState::Fresh { first, settled_on } => {
                update.execute(params![
                    id,
                    SqlDate::new(first).as_str(),
                    settled_on.map(SqlDate::new).as_ref().map(SqlDate::as_str),
                ])?;
            }
            NewState::Recompute => {
                recompute.execute([id])?;
            }
        }
    }
    if let Some(aside) = aside {
        aside.rebuild(tx)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default()
    }

    fn unpaid(due: i64) -> PaidBefore {
        PaidBefore {
            due_minor: due,
            paid_some: false,
        }
    }

    #[test]
    fn settles_on_the_day_the_running_total_reaches_the_amount() {
        let pays = [(1, d(3, 1), 400), (1, d(3, 5), 300), (1, d(3, 5), 300)];
        assert_eq!(
            new_state(Some(&unpaid(1000)), &pays),
            NewState::Fresh {
                first: d(3, 1),
                settled_on: Some(d(3, 5)),
            }
        );
        // The day counts whole: 400 + 300 reach 700 on 03-05 before its second payment.
        assert_eq!(
            new_state(Some(&unpaid(700)), &pays),
            NewState::Fresh {
                first: d(3, 1),
                settled_on: Some(d(3, 5)),
            }
        );
        assert_eq!(
            new_state(Some(&unpaid(400)), &pays),
            NewState::Fresh {
                first: d(3, 1),
                settled_on: Some(d(3, 1)),
            }
        );
    }

    #[test]
    fn stays_open_when_short() {
        let pays = [(1, d(3, 1), 400)];
        assert_eq!(
            new_state(Some(&unpaid(1000)), &pays),
            NewState::Fresh {
                first: d(3, 1),
                settled_on: None,
            }
        );
    }

    #[test]
    fn an_invoice_paid_before_is_recomputed_from_the_rows() {
        let pays = [(1, d(3, 1), 400)];
        let before = PaidBefore {
            due_minor: 1000,
            paid_some: true,
        };
        assert_eq!(new_state(Some(&before), &pays), NewState::Recompute);
        assert_eq!(new_state(None, &pays), NewState::Recompute);
    }
}
