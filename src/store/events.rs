//! The append-only event log: who did what, when, to which customer or invoice. Rows are
//! never changed or deleted (triggers in the schema refuse it).

use super::{Actor, StoreResult};
use rusqlite::{Connection, Transaction, params};

#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub id: i64,
    pub at: String,
    pub who: String,
    pub customer_id: Option<i64>,
    pub invoice_id: Option<i64>,
    pub kind: String,
    pub detail: serde_json::Value,
}

/// Appends one event inside the caller's transaction, so that the action and its trace
/// commit together or not at all. Returns the new row's id.
pub fn append(
    tx: &Transaction<'_>,
    actor: &Actor,
    customer_id: Option<i64>,
    invoice_id: Option<i64>,
    kind: &str,
    detail: serde_json::Value,
) -> StoreResult<i64> {
    tx.prepare_cached(
        "INSERT INTO events (at, who, customer_id, invoice_id, kind, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        actor.stamp(),
        actor.who,
        customer_id,
        invoice_id,
        kind,
        detail.to_string()
    ])?;
    Ok(tx.last_insert_rowid())
}

/// A customer's events, oldest first (ties in order of writing).
pub fn history(conn: &Connection, customer_id: i64) -> StoreResult<Vec<EventRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, who, customer_id, invoice_id, kind, detail FROM events
         WHERE customer_id = ?1 ORDER BY at, id",
    )?;
    let rows = stmt.query_map([customer_id], |r| {
        let detail: String = r.get(6)?;
        Ok(EventRow {
            id: r.get(0)?,
            at: r.get(1)?,
            who: r.get(2)?,
            customer_id: r.get(3)?,
            invoice_id: r.get(4)?,
            kind: r.get(5)?,
            // A detail that is not JSON (written by hand) is kept as text rather than lost.
            detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::String(detail)),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
