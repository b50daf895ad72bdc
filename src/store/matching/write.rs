//! The write phase of a matching run. A run writes as many allocations as there are bank
//! credits (a million at the largest size): each chunk of rows is one INSERT over a JSON
//! array instead of one statement per row, and the invoices' settled day (schema step 5) is
//! brought up to date once for the whole run, in invoice order, instead of by the per-row
//! trigger.

use crate::domain::matching::Allocation;
use crate::domain::model::TransactionId;
use crate::domain::money::{Currency, to_minor};
use crate::store::schema::settled_on;
use crate::store::{Actor, StoreError, StoreResult, date_to_sql};
use rusqlite::{Transaction, params};
use std::collections::HashMap;

/// Rows per INSERT: large enough that statement overhead vanishes, small enough that the
/// JSON text of a chunk stays around a megabyte.
const CHUNK: usize = 4096;

const INSERT_SQL: &str = "
INSERT INTO allocations (id, invoice_id, transaction_id, amount_minor, paid_on, rule, evidence,
    who, created_at)
SELECT ?2 + j.key, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4,
       j.value ->> 5, ?3, ?4
FROM json_each(?1) j
ORDER BY j.key
";

const SETTLE_SQL: &str = concat!(
    "UPDATE invoices SET settled_on = ",
    settled_on!(),
    " WHERE id IN (SELECT value FROM json_each(?1))"
);

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
    let mut insert = tx.prepare(INSERT_SQL)?;
    for chunk in allocations.chunks(CHUNK) {
        let mut rows = Vec::with_capacity(chunk.len());
        for a in chunk {
            let currency = currency_of
                .get(&a.transaction_id)
                .copied()
                .unwrap_or_default();
            let minor =
                to_minor(a.amount, currency).map_err(|e| StoreError::Invalid(e.to_string()))?;
            rows.push(serde_json::json!([
                a.invoice_id,
                a.transaction_id,
                minor,
                date_to_sql(a.paid_on),
                a.rule.as_str(),
                a.evidence
            ]));
        }
        // Ids given explicitly, following the largest one, so that they are known without
        // relying on how SQLite picks new rowids.
        let first: i64 = tx.query_row(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM allocations",
            [],
            |r| r.get(0),
        )?;
        let json = serde_json::Value::Array(rows).to_string();
        let written = insert.execute(params![json, first, actor.who, stamp])?;
        if written != chunk.len() {
            return Err(StoreError::Invalid(format!(
                "{written} allocations written of {}",
                chunk.len()
            )));
        }
        ids.extend((0..chunk.len() as i64).map(|k| first + k));
    }
    tx.execute("DELETE FROM settle_deferred", [])?;
    let mut invoices: Vec<i64> = allocations.iter().map(|a| a.invoice_id).collect();
    invoices.sort_unstable();
    invoices.dedup();
    let mut settle = tx.prepare(SETTLE_SQL)?;
    for chunk in invoices.chunks(CHUNK * 4) {
        settle.execute([serde_json::Value::from(chunk.to_vec()).to_string()])?;
    }
    Ok(ids)
}
