//! The matching screen from `store::matching`: bank credits no rule settled, with the
//! scored suggestions; accept, reject (an event, so that the pair is not offered again) and
//! assign to a customer.

use super::SourceSettings;
use crate::app::source::{SourceError, SourceResult};
use crate::app::views::{MatchRow, MatchingView, Suggestion};
use crate::domain::model::{CustomerId, TransactionId};
use crate::store::ageing::customer_names;
use crate::store::intel::customers::find_customer;
use crate::store::matching::{self, manual};
use crate::store::{Actor, Store, StoreError, events};
use chrono::NaiveDate;
use rusqlite::Connection;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

const REJECTED: &str = "match.rejected";

fn refused(e: StoreError) -> SourceError {
    match e {
        StoreError::Invalid(m) => SourceError::Refused(m),
        other => SourceError::Store(other),
    }
}

fn rejected(conn: &Connection) -> SourceResult<HashSet<(TransactionId, CustomerId)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT json_extract(detail, '$.transaction_id'), customer_id FROM events
         WHERE kind = ?1 AND customer_id IS NOT NULL",
    )?;
    let rows = stmt.query_map([REJECTED], |r| {
        Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut out = HashSet::new();
    for row in rows {
        if let (Some(t), c) = row? {
            out.insert((t, c));
        }
    }
    Ok(out)
}

pub(super) fn matching_view(
    conn: &Connection,
    s: &SourceSettings,
    as_of: NaiveDate,
) -> SourceResult<MatchingView> {
    let params = s.full.matching.params();
    let credits = matching::suggestions(conn, &params)?;
    let names: HashMap<CustomerId, Arc<str>> = customer_names(conn)?
        .into_iter()
        .map(|(id, (_, name))| (id, Arc::from(name)))
        .collect();
    let no_name: Arc<str> = Arc::from("");
    let rejected = rejected(conn)?;
    let mut rows: Vec<MatchRow> = credits
        .into_iter()
        .filter(|c| c.date <= as_of)
        .map(|c| {
            let suggestions = c
                .suggestions
                .into_iter()
                .filter(|g| !rejected.contains(&(c.transaction_id, g.customer_id)))
                .map(|g| Suggestion {
                    customer_id: g.customer_id,
                    customer_name: names.get(&g.customer_id).unwrap_or(&no_name).clone(),
                    invoices: vec![(g.invoice_id, g.invoice_number, g.open)],
                    score: g.score,
                    components: g.components,
                })
                .collect();
            MatchRow {
                transaction_id: c.transaction_id,
                date: c.date,
                amount: c.amount,
                payer: c.counterparty_name,
                iban: c.counterparty_iban,
                remittance: c.remittance,
                unallocated: c.left,
                suggestions,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then(b.transaction_id.cmp(&a.transaction_id))
    });
    Ok(MatchingView { rows, notice: None })
}

pub(super) fn accept(
    store: &mut Store,
    s: &SourceSettings,
    actor: &Actor,
    transaction: TransactionId,
    suggestion: &Suggestion,
) -> SourceResult<()> {
    let params = s.full.matching.params();
    let Some((invoice, _, _)) = suggestion.invoices.first() else {
        return Err(SourceError::Refused(
            "the suggestion names no invoice".into(),
        ));
    };
    manual::accept_suggestion(store, &params, transaction, *invoice, actor).map_err(refused)?;
    Ok(())
}

pub(super) fn reject(
    store: &mut Store,
    actor: &Actor,
    transaction: TransactionId,
    customer: CustomerId,
) -> SourceResult<()> {
    store.write(|tx| {
        events::append(
            tx,
            actor,
            Some(customer),
            None,
            REJECTED,
            serde_json::json!({ "transaction_id": transaction }),
        )
    })?;
    Ok(())
}

pub(super) fn assign(
    store: &mut Store,
    actor: &Actor,
    transaction: TransactionId,
    code: &str,
) -> SourceResult<()> {
    let customer = find_customer(store.conn(), code).map_err(refused)?;
    manual::assign_to_customer(store, transaction, customer.id, actor).map_err(refused)?;
    Ok(())
}
