//! A customer's page and an invoice's page, from the ledger tables and the event log.

use super::SourceSettings;
use crate::app::source::{SourceError, SourceResult};
use crate::app::views::*;
use crate::domain::ageing::{AgeingAccumulator, OpenItem, days_past_due};
use crate::domain::model::{CustomerId, InvoiceId, Segment};
use crate::domain::money::from_minor;
use crate::store::ageing::for_each_open_item;
use crate::store::date_from_sql;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension};
use rust_decimal::Decimal;
use std::collections::HashSet;

fn stamp(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap_or_default()
}

/// The events about an invoice, newest first, undone outcomes marked. Found by a scan: the
/// log has no invoice index, and an invoice's page is rare (a customer's trail comes from
/// `intel::overlay_customer`, through its customer's index).
pub(super) fn invoice_events(
    conn: &Connection,
    invoice: InvoiceId,
) -> SourceResult<Vec<EventView>> {
    let rows: Vec<(i64, String, String, String, String)> = conn
        .prepare_cached(
            "SELECT id, at, who, kind, detail FROM events WHERE invoice_id = ?1
             ORDER BY id DESC LIMIT 500",
        )?
        .query_map([invoice], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?;
    let undone: HashSet<i64> = rows
        .iter()
        .filter(|r| r.3 == "outcome_undone")
        .filter_map(|r| {
            serde_json::from_str::<serde_json::Value>(&r.4)
                .ok()?
                .get("event_id")?
                .as_i64()
        })
        .collect();
    Ok(rows
        .into_iter()
        .map(|(id, at, who, kind, detail)| {
            let json: serde_json::Value = serde_json::from_str(&detail).unwrap_or_default();
            let field = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_string);
            let date = field("date")
                .or(field("until"))
                .and_then(|d| date_from_sql(&d).ok());
            let amount = field("amount").and_then(|a| a.parse::<Decimal>().ok());
            let (kind, text) = if kind == "outcome" {
                let text = ["reason", "detail", "text"]
                    .iter()
                    .find_map(|k| field(k))
                    .unwrap_or_default();
                (field("outcome").unwrap_or(kind), text)
            } else if matches!(kind.as_str(), "limit_set" | "segment_set") {
                let show = |k: &str| match json.get(k) {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    _ => "-".to_string(),
                };
                let text = format!("{} → {}", show("from"), show("to"));
                (kind, text)
            } else {
                (
                    kind,
                    if detail == "{}" {
                        String::new()
                    } else {
                        detail
                    },
                )
            };
            EventView {
                at: stamp(&at),
                who,
                kind,
                date,
                amount,
                text,
                undone: undone.contains(&id),
            }
        })
        .collect())
}

/// A customer's page from the ledger tables: who it is, its ageing and open invoices. Its
/// grade, promises, disputes, penalties and trail are laid over by the intelligence.
pub(super) fn customer(
    conn: &Connection,
    s: &SourceSettings,
    id: CustomerId,
    as_of: NaiveDate,
) -> SourceResult<CustomerView> {
    type Row = (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<u32>,
        Option<i64>,
        String,
    );
    let row: Option<Row> = conn
        .prepare_cached(
            "SELECT code, name, siren, email, phone, contact_name, payment_terms_days,
                    credit_limit_minor, segment FROM customers WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })
        .optional()?;
    let Some((code, name, siren, email, phone, contact_name, terms, limit, segment)) = row else {
        return Err(SourceError::NotFound(format!("customer {id}")));
    };
    let mut items: Vec<OpenItem> = Vec::new();
    for_each_open_item(conn, as_of, s.default_terms_days, Some(id), |i| {
        items.push(i)
    })?;
    items.sort_by_key(|i| (i.due_date, i.invoice_id));
    let mut acc = AgeingAccumulator::new(as_of, s.buckets.clone());
    items.iter().for_each(|i| acc.add(i));
    let report = acc.finish(|_| (code.clone(), name.clone()));
    let (exposure, overdue, buckets) = match report.customers.first() {
        Some(c) => (c.totals.open, c.totals.overdue, c.totals.buckets.clone()),
        None => (Decimal::ZERO, Decimal::ZERO, report.total.buckets.clone()),
    };
    let credit_limit = limit.map(|l| from_minor(l, s.currency));
    let limit_use_percent = credit_limit.filter(|l| *l > Decimal::ZERO).map(|l| {
        let pct = (exposure.max(Decimal::ZERO) * Decimal::ONE_HUNDRED / l).round();
        rust_decimal::prelude::ToPrimitive::to_u32(&pct).unwrap_or(u32::MAX)
    });
    let open_invoices: Vec<InvoiceLine> = items
        .iter()
        .map(|i| InvoiceLine {
            invoice_id: i.invoice_id,
            number: i.number.clone(),
            kind: i.kind,
            issue_date: i.issue_date,
            due_date: i.due_date,
            amount: Decimal::ZERO,
            open: i.open,
            days_late: days_past_due(as_of, i.due_date),
            disputed: i.disputed,
        })
        .collect();
    let open_invoices = with_amounts(conn, s, open_invoices)?;
    Ok(CustomerView {
        customer_id: id,
        code,
        name,
        siren,
        contact: Contact {
            name: contact_name,
            email,
            phone,
        },
        segment: Segment::parse(&segment).unwrap_or_default(),
        terms_days: terms,
        credit_limit,
        exposure,
        overdue,
        limit_use_percent,
        labels: report.labels,
        buckets,
        grade: None,
        score: None,
        reasons: Vec::new(),
        // Laid over by `intel::overlay_customer`, which every page goes through: the
        // promises' states, the disputes, the penalties and the trail come from the
        // intelligence, read once.
        promises: Vec::new(),
        disputes: Vec::new(),
        penalties: Penalties::default(),
        open_invoices,
        events: Vec::new(),
    })
}

fn with_amounts(
    conn: &Connection,
    s: &SourceSettings,
    mut lines: Vec<InvoiceLine>,
) -> SourceResult<Vec<InvoiceLine>> {
    let mut stmt = conn.prepare_cached("SELECT amount_minor FROM invoices WHERE id = ?1")?;
    for line in &mut lines {
        let minor: i64 = stmt.query_row([line.invoice_id], |r| r.get(0))?;
        line.amount = from_minor(minor, s.currency);
    }
    Ok(lines)
}
