//! The writes the store can take today: outcomes and their undo as events in the append-only
//! trail, the credit limit and the segment (with an event saying who changed what).

use crate::app::source::{Outcome, SourceError, SourceResult};
use crate::domain::model::{CustomerId, Segment};
use crate::domain::money::{Currency, from_minor, to_minor};
use crate::store::{Actor, Store, date_to_sql};
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

fn customer_name(tx: &Transaction<'_>, customer: CustomerId) -> Result<String, SourceError> {
    tx.query_row(
        "SELECT name FROM customers WHERE id = ?1",
        [customer],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| SourceError::NotFound(format!("customer {customer}")))
}

fn outcome_detail(outcome: &Outcome) -> serde_json::Value {
    let mut detail = json!({ "outcome": outcome.kind() });
    let extra = match outcome {
        Outcome::Promise { date, amount } => {
            json!({ "date": date_to_sql(*date), "amount": amount.to_string() })
        }
        Outcome::Dispute { reason } => json!({ "reason": reason }),
        Outcome::Plan { detail } => json!({ "detail": detail }),
        Outcome::Snooze { until } => json!({ "until": date_to_sql(*until) }),
        Outcome::Note { text } => json!({ "text": text }),
        Outcome::Reached | Outcome::NoAnswer | Outcome::Voicemail | Outcome::LetterWritten => {
            json!({})
        }
    };
    if let (Some(d), Some(e)) = (detail.as_object_mut(), extra.as_object()) {
        d.extend(e.clone());
    }
    detail
}

pub(super) fn record_outcome(
    store: &mut Store,
    actor: &Actor,
    customer: CustomerId,
    outcome: &Outcome,
) -> SourceResult<()> {
    store.write(|tx| {
        customer_name(tx, customer)?;
        event(tx, actor, customer, "outcome", &outcome_detail(outcome))?;
        Ok(())
    })
}

/// Undo appends an `outcome_undone` event naming the outcome: the trail is never edited.
pub(super) fn undo_last(store: &mut Store, actor: &Actor) -> SourceResult<String> {
    store.write(|tx| {
        let last: Option<(i64, CustomerId, String)> = tx
            .query_row(
                "SELECT e.id, e.customer_id, e.detail FROM events e
                 WHERE e.kind = 'outcome' AND e.who = ?1 AND NOT EXISTS (
                     SELECT 1 FROM events u WHERE u.kind = 'outcome_undone'
                       AND json_extract(u.detail, '$.event_id') = e.id)
                 ORDER BY e.id DESC LIMIT 1",
                [&actor.who],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((id, customer, detail)) = last else {
            return Err(SourceError::Refused("nothing to undo".into()));
        };
        let name = customer_name(tx, customer)?;
        event(
            tx,
            actor,
            customer,
            "outcome_undone",
            &json!({ "event_id": id }),
        )?;
        let kind = serde_json::from_str::<serde_json::Value>(&detail)
            .ok()
            .and_then(|v| v.get("outcome")?.as_str().map(str::to_string))
            .unwrap_or_default();
        Ok(format!("{kind}: {name}"))
    })
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
