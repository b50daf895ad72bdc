//! The credit limit and the segment (with an event saying who changed what).

use crate::app::source::{SourceError, SourceResult};
use crate::domain::model::{CustomerId, Segment};
use crate::domain::money::{Currency, from_minor, to_minor};
use crate::store::{Actor, Store};
use rusqlite::{OptionalExtension, Transaction, params};
use rust_decimal::Decimal;
use serde_json::json;

fn event(
    tx: &Transaction<'_>,
    actor: &Actor,
    customer: CustomerId,
    kind: &str,
    detail: &serde_json::Value,
) -> Result<i64, SourceError> {
    tx.execute(
        "INSERT INTO events (at, who, customer_id, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![actor.stamp(), actor.who, customer, kind, detail.to_string()],
    )?;
    Ok(tx.last_insert_rowid())
}

pub(super) fn set_limit(
    store: &mut Store,
    actor: &Actor,
    customer: CustomerId,
    limit: Option<Decimal>,
) -> SourceResult<()> {
    let minor = match limit {
        Some(l) => {
            Some(to_minor(l, Currency::EUR).map_err(|e| SourceError::Refused(e.to_string()))?)
        }
        None => None,
    };
    store.write(|tx| {
        let before: Option<Option<i64>> = tx
            .query_row(
                "SELECT credit_limit_minor FROM customers WHERE id = ?1",
                [customer],
                |r| r.get(0),
            )
            .optional()?;
        let Some(before) = before else {
            return Err(SourceError::NotFound(format!("customer {customer}")));
        };
        tx.execute(
            "UPDATE customers SET credit_limit_minor = ?2 WHERE id = ?1",
            params![customer, minor],
        )?;
        let show = |m: Option<i64>| m.map(|m| from_minor(m, Currency::EUR).to_string());
        event(
            tx,
            actor,
            customer,
            "limit_set",
            &json!({ "from": show(before), "to": show(minor) }),
        )?;
        Ok(())
    })
}

pub(super) fn set_segment(
    store: &mut Store,
    actor: &Actor,
    customer: CustomerId,
    segment: Segment,
) -> SourceResult<()> {
    store.write(|tx| {
        let before: Option<String> = tx
            .query_row(
                "SELECT segment FROM customers WHERE id = ?1",
                [customer],
                |r| r.get(0),
            )
            .optional()?;
        let Some(before) = before else {
            return Err(SourceError::NotFound(format!("customer {customer}")));
        };
        tx.execute(
            "UPDATE customers SET segment = ?2 WHERE id = ?1",
            params![customer, segment.as_str()],
        )?;
        event(
            tx,
            actor,
            customer,
            "segment_set",
            &json!({ "from": before, "to": segment.as_str() }),
        )?;
        Ok(())
    })
}
