//! A customer's page and an invoice's page, from the ledger tables and the event log.

use super::SourceSettings;
use crate::app::source::{SourceError, SourceResult};
use crate::app::views::*;
use crate::domain::ageing::{AgeingAccumulator, OpenItem, days_past_due};
use crate::domain::model::{CustomerId, InvoiceId, InvoiceKind, Segment};
use crate::domain::money::from_minor;
use crate::store::ageing::for_each_open_item;
use crate::store::{date_from_sql, date_to_sql};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::Decimal;
use std::collections::HashSet;

/// Fixed recovery indemnity per late invoice (Code de commerce D441-5), professionals only.
const INDEMNITY: Decimal = Decimal::from_parts(40, 0, 0, false, 0);

fn stamp(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap_or_default()
}

/// The events about a customer or an invoice, newest first, undone outcomes marked.
pub(super) fn events(
    conn: &Connection,
    customer: Option<CustomerId>,
    invoice: Option<InvoiceId>,
) -> SourceResult<Vec<EventView>> {
    // A customer's events are a range of `events_customer`; one statement for both cases,
    // `(?1 IS NOT NULL AND customer_id = ?1) OR (…)`, read the whole log instead. An
    // invoice's are found by a scan (the log has no invoice index; its page is rare).
    let (sql, key) = match (customer, invoice) {
        (Some(c), _) => (
            "SELECT id, at, who, kind, detail FROM events WHERE customer_id = ?1
             ORDER BY id DESC LIMIT 500",
            c,
        ),
        (None, Some(i)) => (
            "SELECT id, at, who, kind, detail FROM events WHERE invoice_id = ?1
             ORDER BY id DESC LIMIT 500",
            i,
        ),
        (None, None) => return Ok(Vec::new()),
    };
    let rows: Vec<(i64, String, String, String, String)> = conn
        .prepare_cached(sql)?
        .query_map([key], |r| {
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

fn paid_between(
    conn: &Connection,
    s: &SourceSettings,
    customer: CustomerId,
    from: NaiveDate,
    to: NaiveDate,
) -> SourceResult<Decimal> {
    let minor: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(a.amount_minor), 0) FROM allocations a JOIN invoices i ON i.id = a.invoice_id
             WHERE i.customer_id = ?1 AND a.undone_at IS NULL AND a.credit_note_id IS NULL
               AND a.paid_on BETWEEN ?2 AND ?3",
        )?
        .query_row(params![customer, date_to_sql(from), date_to_sql(to)], |r| r.get(0))?;
    Ok(from_minor(minor, s.currency))
}

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
        bool,
    );
    let row: Option<Row> = conn
        .prepare_cached(
            "SELECT code, name, siren, email, phone, contact_name, payment_terms_days,
                    credit_limit_minor, segment, professional FROM customers WHERE id = ?1",
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
                r.get(9)?,
            ))
        })
        .optional()?;
    let Some((code, name, siren, email, phone, contact_name, terms, limit, segment, professional)) =
        row
    else {
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
    let events = events(conn, Some(id), None)?;
    let mut promises = Vec::new();
    for e in events.iter().filter(|e| e.kind == "promise" && !e.undone) {
        let (Some(date), Some(amount)) = (e.date, e.amount) else {
            continue;
        };
        let made_on = e.at.date();
        let status = if date >= as_of {
            PromiseStatus::Pending
        } else if paid_between(conn, s, id, made_on, date)? >= amount {
            PromiseStatus::Kept
        } else {
            PromiseStatus::Broken
        };
        promises.push(PromiseView {
            date,
            amount,
            status,
            made_on,
        });
    }
    let disputes = DisputeView::list(
        items
            .iter()
            .filter(|i| i.disputed)
            .map(|i| (i.number.as_str(), i.open)),
        &events,
        overdue,
    );
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
    let late = open_invoices
        .iter()
        .filter(|i| i.kind == InvoiceKind::Invoice && i.days_late > 0)
        .count();
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
        promises,
        disputes,
        penalties: Penalties {
            interest: None,
            indemnities: if professional {
                INDEMNITY * Decimal::from(late)
            } else {
                Decimal::ZERO
            },
            late_invoices: late,
        },
        open_invoices,
        events,
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
