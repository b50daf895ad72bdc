//! The write phase of a matching run. A run writes as many allocations as there are bank
//! credits (a million at the largest size): one prepared INSERT reused for every row, and the
//! invoices' settled day (schema step 6) brought up to date once for the whole run, in
//! invoice order, instead of by the per-row trigger (which doubled the cost of each insert).

use crate::domain::matching::Allocation;
use crate::domain::model::TransactionId;
use crate::domain::money::{Currency, to_minor};
use crate::store::schema::settled_on;
use crate::store::{Actor, StoreError, StoreResult, date_to_sql};
use rusqlite::{CachedStatement, Transaction, params};
use std::collections::HashMap;

/// The one way an allocation row is written, by a run and by a person's match alike.
const INSERT_SQL: &str = "
INSERT INTO allocations (invoice_id, transaction_id, amount_minor, paid_on, rule, evidence,
    who, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
";

const SETTLE_SQL: &str = concat!(
    "UPDATE invoices SET settled_on = ",
    settled_on!(),
    " WHERE id IN (SELECT value FROM json_each(?1))"
);

/// Invoice ids per settling statement, so that the id list stays small.
const SETTLE_CHUNK: usize = 16_384;

/// Writes one allocation row with the prepared [`INSERT_SQL`]; returns its id.
fn insert_row(
    insert: &mut CachedStatement<'_>,
    a: &Allocation,
    currency: Currency,
    who: &str,
    stamp: &str,
) -> StoreResult<i64> {
    let minor = to_minor(a.amount, currency).map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok(insert.insert(params![
        a.invoice_id,
        a.transaction_id,
        minor,
        date_to_sql(a.paid_on),
        a.rule.as_str(),
        a.evidence,
        who,
        stamp
    ])?)
}

/// Writes one allocation row (a person's match: the settled day follows by trigger);
/// returns its id.
pub(crate) fn insert_allocation(
    tx: &Transaction<'_>,
    a: &Allocation,
    currency: Currency,
    actor: &Actor,
) -> StoreResult<i64> {
    let mut insert = tx.prepare_cached(INSERT_SQL)?;
    insert_row(&mut insert, a, currency, &actor.who, &actor.stamp())
}

/// Inserts `allocations` in order and returns their ids, in the same order. The settled day
/// of the invoices they pay is updated once at the end, not per row.
pub(super) fn insert_allocations(
    tx: &Transaction<'_>,
    allocations: &[Allocation],
    currency_of: &HashMap<TransactionId, Currency>,
    actor: &Actor,
) -> StoreResult<Vec<i64>> {
    if allocations.is_empty() {
        return Ok(Vec::new());
    }
    tx.execute("INSERT INTO settle_deferred DEFAULT VALUES", [])?;
    let stamp = actor.stamp();
    let mut ids = Vec::with_capacity(allocations.len());
    let mut insert = tx.prepare_cached(INSERT_SQL)?;
    for a in allocations {
        let currency = currency_of
            .get(&a.transaction_id)
            .copied()
            .unwrap_or_default();
        ids.push(insert_row(&mut insert, a, currency, &actor.who, &stamp)?);
    }
    tx.execute("DELETE FROM settle_deferred", [])?;
    let mut invoices: Vec<i64> = allocations.iter().map(|a| a.invoice_id).collect();
    invoices.sort_unstable();
    invoices.dedup();
    let mut settle = tx.prepare(SETTLE_SQL)?;
    for chunk in invoices.chunks(SETTLE_CHUNK) {
        settle.execute([serde_json::Value::from(chunk.to_vec()).to_string()])?;
    }
    Ok(ids)
}
