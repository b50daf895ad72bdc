//! Recording what a person did about a customer. Each outcome is one event in the
//! append-only log, with the operating-system user; promises, disputes, plans and snoozes
//! also get a row that points to their event. Undoing appends a compensating event and
//! cancels those rows: nothing is deleted.

use super::state::{EventDetail, parse_at};
use crate::domain::dunning::outcome::{Outcome, OutcomeKind, Stamp};
use crate::domain::model::{CustomerId, InvoiceId};
use crate::domain::money::{Currency, to_minor};
use crate::locale::{self, Language};
use crate::store::{Actor, Store, StoreError, StoreResult, date_to_sql};
use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, Transaction, params};
use rust_decimal::Decimal;
use serde::Serialize;

fn invalid(msg: impl Into<String>) -> StoreError {
    StoreError::Invalid(msg.into())
}

fn customer_currency(tx: &Transaction<'_>, customer: CustomerId) -> StoreResult<Currency> {
    let cur: Option<String> = tx
        .query_row(
            "SELECT currency FROM customers WHERE id = ?1",
            [customer],
            |r| r.get(0),
        )
        .optional()?;
    let cur = cur.ok_or_else(|| invalid(format!("no customer with id {customer}")))?;
    Ok(Currency::parse(&cur).unwrap_or_default())
}

fn check_invoice(
    tx: &Transaction<'_>,
    customer: CustomerId,
    invoice: InvoiceId,
) -> StoreResult<()> {
    let owner: Option<i64> = tx
        .query_row(
            "SELECT customer_id FROM invoices WHERE id = ?1 AND kind = 'invoice'",
            [invoice],
            |r| r.get(0),
        )
        .optional()?;
    match owner {
        Some(c) if c == customer => Ok(()),
        Some(_) => Err(invalid(format!(
            "invoice {invoice} belongs to another customer"
        ))),
        None => Err(invalid(format!("no invoice with id {invoice}"))),
    }
}

fn minor(amount: Decimal, currency: Currency) -> StoreResult<i64> {
    to_minor(amount, currency).map_err(|e| invalid(e.to_string()))
}

/// Records `outcome` for `customer`. `stamp` is the queue line it answers (its level and
/// invoices), from `QueueLine::stamp()`; an empty stamp records it outside the queue.
/// Returns the event id.
pub fn record_outcome(
    store: &mut Store,
    actor: &Actor,
    customer: CustomerId,
    outcome: &Outcome,
    stamp: &Stamp,
) -> StoreResult<i64> {
    let today = actor.at.date();
    outcome.validate(today).map_err(invalid)?;
    store.write(|tx| {
        let currency = customer_currency(tx, customer)?;
        let invoice = match outcome {
            Outcome::Promise { invoice, .. } => *invoice,
            Outcome::Dispute { invoice, .. } | Outcome::DisputeResolved { invoice, .. } => {
                Some(*invoice)
            }
            _ => None,
        };
        if let Some(inv) = invoice {
            check_invoice(tx, customer, inv)?;
        }
        let open_dispute: bool = match invoice {
            Some(inv) => tx
                .prepare_cached(
                    "SELECT 1 FROM disputes WHERE invoice_id = ?1 AND closed_on IS NULL",
                )?
                .exists([inv])?,
            None => false,
        };
        match outcome {
            Outcome::Dispute { .. } if open_dispute => {
                return Err(invalid("this invoice is already in dispute"));
            }
            Outcome::DisputeResolved { .. } if !open_dispute => {
                return Err(invalid(
                    "this invoice has no dispute recorded here (a dispute flagged in an export is resolved by the next export)",
                ));
            }
            _ => {}
        }
        let detail = serde_json::json!({ "outcome": outcome, "stamp": stamp });
        tx.execute(
            "INSERT INTO events (at, who, customer_id, invoice_id, kind, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                actor.stamp(),
                actor.who,
                customer,
                invoice,
                outcome.kind().event_kind(),
                detail.to_string()
            ],
        )?;
        let event = tx.last_insert_rowid();
        let day = date_to_sql(today);
        match outcome {
            Outcome::Promise {
                date,
                amount,
                invoice,
            } => {
                tx.execute(
                    "INSERT INTO promises (customer_id, invoice_id, made_on, promised_on,
                        amount_minor, currency, level, event_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        customer,
                        invoice,
                        day,
                        date_to_sql(*date),
                        minor(*amount, currency)?,
                        currency.as_str(),
                        stamp.level,
                        event
                    ],
                )?;
            }
            Outcome::Dispute { invoice, reason } => {
                tx.execute(
                    "INSERT INTO disputes (customer_id, invoice_id, reason, opened_on, event_id)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![customer, invoice, reason.trim(), day, event],
                )?;
            }
            Outcome::DisputeResolved { invoice, note } => {
                tx.execute(
                    "UPDATE disputes SET closed_on = ?2, close_reason = ?3, closed_by_event = ?4
                     WHERE invoice_id = ?1 AND closed_on IS NULL",
                    params![invoice, day, note.as_deref().unwrap_or("resolved"), event],
                )?;
            }
            Outcome::Plan { instalments } => {
                tx.execute(
                    "INSERT INTO payment_plans (customer_id, made_on, level, event_id)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![customer, day, stamp.level, event],
                )?;
                let plan = tx.last_insert_rowid();
                for i in instalments {
                    tx.execute(
                        "INSERT INTO plan_instalments (plan_id, due_on, amount_minor, currency)
                         VALUES (?1, ?2, ?3, ?4)",
                        params![plan, date_to_sql(i.date), minor(i.amount, currency)?, currency.as_str()],
                    )?;
                }
            }
            Outcome::Snooze { until, reason } => {
                tx.execute(
                    "INSERT INTO snoozes (customer_id, until, reason, made_on, event_id)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![customer, date_to_sql(*until), reason, day, event],
                )?;
            }
            _ => {}
        }
        Ok(event)
    })
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UndoneOutcome {
    pub event_id: i64,
    pub undo_event_id: i64,
    pub kind: OutcomeKind,
    pub at: String,
    pub who: String,
}

/// Undoes the customer's latest outcome not undone yet, by a compensating event.
pub fn undo_last_outcome(
    store: &mut Store,
    actor: &Actor,
    customer: CustomerId,
) -> StoreResult<Option<UndoneOutcome>> {
    store.write(|tx| {
        let last: Option<(i64, String, String, String)> = tx
            .query_row(
                "SELECT id, kind, at, who FROM events e
                 WHERE customer_id = ?1 AND kind LIKE 'outcome.%' AND kind <> 'outcome.undo'
                   AND NOT EXISTS (SELECT 1 FROM events u
                                   WHERE u.kind = 'outcome.undo' AND u.customer_id = ?1
                                     AND json_extract(u.detail, '$.undoes') = e.id)
                 ORDER BY id DESC LIMIT 1",
                [customer],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((id, kind, at, who)) = last else {
            return Ok(None);
        };
        let Some(kind) = OutcomeKind::from_event_kind(&kind) else {
            return Ok(None);
        };
        let stamp = actor.stamp();
        tx.execute(
            "INSERT INTO events (at, who, customer_id, kind, detail)
             VALUES (?1, ?2, ?3, 'outcome.undo', ?4)",
            params![
                stamp,
                actor.who,
                customer,
                serde_json::json!({ "undoes": id, "kind": kind }).to_string()
            ],
        )?;
        let undo = tx.last_insert_rowid();
        let day = date_to_sql(actor.at.date());
        tx.execute(
            "UPDATE promises SET status = 'cancelled', cancelled_at = ?2 WHERE event_id = ?1",
            params![id, stamp],
        )?;
        tx.execute(
            "UPDATE payment_plans SET status = 'cancelled', cancelled_at = ?2 WHERE event_id = ?1",
            params![id, stamp],
        )?;
        tx.execute(
            "UPDATE snoozes SET cancelled_at = ?2 WHERE event_id = ?1",
            params![id, stamp],
        )?;
        tx.execute(
            "UPDATE disputes SET closed_on = ?2, close_reason = 'undone', closed_by_event = ?3
             WHERE event_id = ?1 AND closed_on IS NULL",
            params![id, day, undo],
        )?;
        tx.execute(
            "UPDATE disputes SET closed_on = NULL, close_reason = NULL, closed_by_event = NULL
             WHERE closed_by_event = ?1",
            params![id],
        )?;
        Ok(Some(UndoneOutcome {
            event_id: id,
            undo_event_id: undo,
            kind,
            at,
            who,
        }))
    })
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub at: Option<NaiveDateTime>,
    pub who: String,
    pub kind: String,
    pub invoice: Option<String>,
    pub detail: serde_json::Value,
    /// An outcome cancelled by a later undo.
    pub undone: bool,
}

/// Every event about the customer, oldest first: the trail that serves in court.
pub fn history(
    conn: &rusqlite::Connection,
    customer: CustomerId,
) -> StoreResult<Vec<HistoryEntry>> {
    let undone = super::state::undone_ids(conn, super::Scope::One(customer))?;
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.at, e.who, e.kind, i.number, e.detail
         FROM events e LEFT JOIN invoices i ON i.id = e.invoice_id
         WHERE e.customer_id = ?1 ORDER BY e.id",
    )?;
    let rows = stmt.query_map([customer], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, at, who, kind, invoice, detail) = row?;
        out.push(HistoryEntry {
            id,
            at: parse_at(&at),
            who,
            kind,
            invoice,
            detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
            undone: undone.contains(&id),
        });
    }
    Ok(out)
}

impl HistoryEntry {
    /// One line for a person: what was recorded, with its figures.
    pub fn describe(&self, lang: Language, currency: Currency) -> String {
        let outcome = serde_json::from_value::<EventDetail>(self.detail.clone())
            .ok()
            .and_then(|d| serde_json::from_value::<Outcome>(d.outcome).ok());
        let level = serde_json::from_value::<EventDetail>(self.detail.clone())
            .ok()
            .and_then(|d| d.stamp.level)
            .map(|l| format!(" [{} {l}]", lang.pick("niveau", "level")))
            .unwrap_or_default();
        let m = |d: Decimal| locale::money(d, currency, lang);
        let sep = lang.pick(" : ", ": ");
        let inv = self.invoice.clone().unwrap_or_default();
        let text = match outcome {
            Some(Outcome::Promise { date, amount, .. }) => format!(
                "{} {} {} {}{}",
                lang.pick("promesse :", "promise:"),
                m(amount),
                lang.pick("pour le", "by"),
                locale::date(date, lang),
                if inv.is_empty() {
                    String::new()
                } else {
                    format!(" ({inv})")
                }
            ),
            Some(Outcome::Dispute { reason, .. }) => {
                format!("{} {inv}{sep}{reason}", lang.pick("litige", "dispute"))
            }
            Some(Outcome::DisputeResolved { note, .. }) => format!(
                "{} {inv}{}",
                lang.pick("litige résolu", "dispute resolved"),
                note.map(|n| format!("{sep}{n}")).unwrap_or_default()
            ),
            Some(Outcome::Plan { instalments }) => format!(
                "{} {}",
                lang.pick("échéancier :", "payment plan:"),
                instalments
                    .iter()
                    .map(|i| format!("{} {}", locale::date(i.date, lang), m(i.amount)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Some(Outcome::Note { text }) => format!("{} {text}", lang.pick("note :", "note:")),
            Some(Outcome::Snooze { until, reason }) => format!(
                "{} {}{}",
                lang.pick("en pause jusqu'au", "snoozed until"),
                locale::date(until, lang),
                reason.map(|r| format!(" ({r})")).unwrap_or_default()
            ),
            Some(o @ (Outcome::Reached { .. } | Outcome::WrongContact { .. })) => {
                let note = match &o {
                    Outcome::Reached { note } | Outcome::WrongContact { note } => note.clone(),
                    _ => None,
                };
                format!(
                    "{}{}",
                    o.kind().label(lang),
                    note.map(|n| format!("{sep}{n}")).unwrap_or_default()
                )
            }
            Some(o) => o.kind().label(lang).to_string(),
            None if self.kind == "outcome.undo" => format!(
                "{} #{}",
                lang.pick("annulation de", "undo of"),
                self.detail
                    .get("undoes")
                    .and_then(|v| v.as_i64())
                    .unwrap_or(0)
            ),
            None if self.kind == "letter.written" => format!(
                "{} {} ({})",
                lang.pick("courrier écrit, niveau", "letter written, level"),
                self.detail
                    .get("level")
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0),
                self.detail
                    .get("template")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
            ),
            None => format!("{} {}", self.kind, self.detail),
        };
        let undone = if self.undone {
            lang.pick(" (annulé)", " (undone)")
        } else {
            ""
        };
        format!("{text}{level}{undone}")
    }
}
