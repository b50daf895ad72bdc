//! The dunning state of each customer as of a date: outcomes folded from the event log
//! (less the undone ones), open promises and plans with their state given the payments,
//! snoozes and disputes.

use super::Scope;
use super::history::payments;
use crate::domain::dunning::outcome::{
    ContactState, Instalment, OutcomeKind, PlanRecord, PlanState, PromiseRecord, PromiseState,
    RecordedOutcome, Stamp, evaluate_plan, evaluate_promise,
};
use crate::domain::model::{CustomerId, InvoiceId};
use crate::domain::money::{Currency, from_minor};
use crate::store::{StoreResult, date_from_sql, date_to_sql};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisputeRow {
    pub id: i64,
    pub invoice_id: InvoiceId,
    pub number: String,
    pub reason: String,
    pub opened_on: NaiveDate,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DunningState {
    pub contact: ContactState,
    pub promises: Vec<(PromiseRecord, PromiseState)>,
    pub plans: Vec<(PlanRecord, PlanState)>,
    pub snoozed_until: Option<NaiveDate>,
    pub disputes: Vec<DisputeRow>,
}

/// What an outcome event's `detail` holds.
#[derive(Debug, Serialize, Deserialize)]
pub struct EventDetail {
    pub outcome: serde_json::Value,
    #[serde(default)]
    pub stamp: Stamp,
}

pub fn parse_at(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").ok()
}

pub fn undone_ids(conn: &Connection, scope: Scope) -> StoreResult<HashSet<i64>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT json_extract(detail, '$.undoes') FROM events
         WHERE kind = 'outcome.undo' AND {}",
        scope.filter("customer_id", 1)
    ))?;
    let ids = stmt
        .query_map(params![scope.value()], |r| r.get::<_, Option<i64>>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ids.into_iter().flatten().collect())
}

fn one(map: &mut HashMap<CustomerId, DunningState>, c: CustomerId) -> &mut DunningState {
    map.entry(c).or_default()
}

pub fn load_states(
    conn: &Connection,
    as_of: NaiveDate,
    scope: Scope,
    grace_days: u32,
) -> StoreResult<HashMap<CustomerId, DunningState>> {
    let day = date_to_sql(as_of);
    let only = scope.value();
    let mut out: HashMap<CustomerId, DunningState> = HashMap::new();
    let undone = undone_ids(conn, scope)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, customer_id, at, who, kind, detail FROM events
         WHERE kind LIKE 'outcome.%' AND kind <> 'outcome.undo' AND customer_id IS NOT NULL
           AND substr(at, 1, 10) <= ?1 AND {}
         ORDER BY id",
        scope.filter("customer_id", 2)
    ))?;
    let mut rows = stmt.query(params![day, only])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if undone.contains(&id) {
            continue;
        }
        let kind: String = r.get(4)?;
        let (Some(kind), Some(at)) = (
            OutcomeKind::from_event_kind(&kind),
            parse_at(&r.get::<_, String>(2)?),
        ) else {
            continue;
        };
        let detail: String = r.get(5)?;
        let stamp = serde_json::from_str::<EventDetail>(&detail)
            .map(|d| d.stamp)
            .unwrap_or_default();
        one(&mut out, r.get(1)?).contact.apply(&RecordedOutcome {
            id,
            at,
            who: r.get(3)?,
            kind,
            stamp,
        });
    }

    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, customer_id, invoice_id, made_on, promised_on, amount_minor, currency, level
         FROM promises WHERE status = 'open' AND made_on <= ?1 AND {}
         ORDER BY id",
        scope.filter("customer_id", 2)
    ))?;
    let mut rows = stmt.query(params![day, only])?;
    let mut promises: Vec<(CustomerId, PromiseRecord)> = Vec::new();
    while let Some(r) = rows.next()? {
        let currency = Currency::parse(&r.get::<_, String>(6)?).unwrap_or_default();
        promises.push((
            r.get(1)?,
            PromiseRecord {
                id: r.get(0)?,
                invoice_id: r.get(2)?,
                made_on: date_from_sql(&r.get::<_, String>(3)?)?,
                promised_on: date_from_sql(&r.get::<_, String>(4)?)?,
                amount: from_minor(r.get(5)?, currency),
                level: r.get(7)?,
            },
        ));
    }

    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.id, p.customer_id, p.made_on, p.level, i.due_on, i.amount_minor, i.currency
         FROM payment_plans p JOIN plan_instalments i ON i.plan_id = p.id
         WHERE p.status = 'open' AND p.made_on <= ?1 AND {}
         ORDER BY p.id, i.due_on",
        scope.filter("p.customer_id", 2)
    ))?;
    let mut rows = stmt.query(params![day, only])?;
    let mut plans: Vec<(CustomerId, PlanRecord)> = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let currency = Currency::parse(&r.get::<_, String>(6)?).unwrap_or_default();
        let instalment = Instalment {
            date: date_from_sql(&r.get::<_, String>(4)?)?,
            amount: from_minor(r.get(5)?, currency),
        };
        match plans.last_mut() {
            Some((_, p)) if p.id == id => p.instalments.push(instalment),
            _ => plans.push((
                r.get(1)?,
                PlanRecord {
                    id,
                    made_on: date_from_sql(&r.get::<_, String>(2)?)?,
                    level: r.get(3)?,
                    instalments: vec![instalment],
                },
            )),
        }
    }

    // Payments are read once per customer, from the oldest promise or plan on.
    let mut since: HashMap<CustomerId, NaiveDate> = HashMap::new();
    for (c, d) in promises
        .iter()
        .map(|(c, p)| (*c, p.made_on))
        .chain(plans.iter().map(|(c, p)| (*c, p.made_on)))
    {
        let e = since.entry(c).or_insert(d);
        *e = (*e).min(d);
    }
    let mut paid = HashMap::new();
    for (c, from) in since {
        paid.insert(c, payments(conn, c, from, as_of)?);
    }
    for (c, p) in promises {
        let state = evaluate_promise(&p, paid.get(&c).map_or(&[][..], |v| v), as_of, grace_days);
        one(&mut out, c).promises.push((p, state));
    }
    for (c, p) in plans {
        let state = evaluate_plan(&p, paid.get(&c).map_or(&[][..], |v| v), as_of, grace_days);
        one(&mut out, c).plans.push((p, state));
    }

    let mut stmt = conn.prepare_cached(&format!(
        "SELECT customer_id, MAX(until) FROM snoozes
         WHERE cancelled_at IS NULL AND made_on <= ?1 AND {}
         GROUP BY customer_id",
        scope.filter("customer_id", 2)
    ))?;
    let mut rows = stmt.query(params![day, only])?;
    while let Some(r) = rows.next()? {
        one(&mut out, r.get(0)?).snoozed_until = Some(date_from_sql(&r.get::<_, String>(1)?)?);
    }

    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.id, d.customer_id, d.invoice_id, i.number, d.reason, d.opened_on
         FROM disputes d JOIN invoices i ON i.id = d.invoice_id
         WHERE d.opened_on <= ?1 AND (d.closed_on IS NULL OR d.closed_on > ?1) AND {}
         ORDER BY d.id",
        scope.filter("d.customer_id", 2)
    ))?;
    let mut rows = stmt.query(params![day, only])?;
    while let Some(r) = rows.next()? {
        one(&mut out, r.get(1)?).disputes.push(DisputeRow {
            id: r.get(0)?,
            invoice_id: r.get(2)?,
            number: r.get(3)?,
            reason: r.get(4)?,
            opened_on: date_from_sql(&r.get::<_, String>(5)?)?,
        });
    }
    Ok(out)
}
