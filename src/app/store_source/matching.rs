//! The matching screen from `store::matching`: bank credits no rule settled, with the
//! scored suggestions; accept, reject (an event, so that the pair is not offered again) and
//! assign to a customer.

use super::SourceSettings;
use crate::app::source::{SourceError, SourceResult};
use crate::app::views::{MatchRow, MatchSuggestions, MatchingView, Suggestion};
use crate::domain::model::{CustomerId, TransactionId};
use crate::store::intel::customers::find_customer;
use crate::store::matching::{self, manual};
use crate::store::{Actor, Store, StoreError, events};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
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

/// The credits waiting for a person, newest first, without their suggestions (asked for a
/// page at a time through `match_suggestions`).
pub(super) fn matching_view(
    conn: &Connection,
    s: &SourceSettings,
    as_of: NaiveDate,
) -> SourceResult<MatchingView> {
    let params = s.full.matching.params_in(s.lang);
    let pending = matching::suggestions_for(conn, &params, Some(&HashSet::new()))?;
    let mut rows: Vec<MatchRow> = pending
        .credits
        .into_iter()
        .filter(|c| c.date <= as_of)
        .map(|c| MatchRow {
            transaction_id: c.transaction_id,
            date: c.date,
            amount: c.amount,
            payer: c.counterparty_name,
            iban: c.counterparty_iban,
            remittance: c.remittance,
            unallocated: c.left,
            suggestions: Vec::new(),
            suggested: false,
        })
        .collect();
    rows.shrink_to_fit();
    rows.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then(b.transaction_id.cmp(&a.transaction_id))
    });
    Ok(MatchingView {
        rows,
        notice: None,
        rules_idle: pending.rules_idle,
    })
}

/// The suggestions of the credits asked for, as the whole list's computation gives them,
/// less the customers a person already rejected for the credit.
pub(super) fn match_suggestions(
    conn: &Connection,
    s: &SourceSettings,
    ids: &[TransactionId],
    rules_idle: bool,
) -> SourceResult<MatchSuggestions> {
    let params = s.full.matching.params_in(s.lang);
    let credits = matching::suggestions_page(conn, &params, ids, rules_idle)?;
    let rejected = rejected(conn)?;
    let mut names: HashMap<CustomerId, Arc<str>> = HashMap::new();
    let mut rows = Vec::new();
    for c in credits {
        let mut suggestions = Vec::new();
        for g in c.suggestions {
            if rejected.contains(&(c.transaction_id, g.customer_id)) {
                continue;
            }
            let customer_name = match names.get(&g.customer_id) {
                Some(n) => n.clone(),
                None => {
                    let n: Arc<str> = Arc::from(customer_name(conn, g.customer_id)?);
                    names.insert(g.customer_id, n.clone());
                    n
                }
            };
            suggestions.push(Suggestion {
                customer_id: g.customer_id,
                customer_name,
                invoices: vec![(g.invoice_id, g.invoice_number, g.open)],
                score: g.score,
                components: g.components,
            });
        }
        rows.push((c.transaction_id, suggestions));
    }
    Ok(MatchSuggestions {
        asked: ids.to_vec(),
        rows,
    })
}

fn customer_name(conn: &Connection, id: CustomerId) -> SourceResult<String> {
    let name: Option<String> = conn
        .prepare_cached("SELECT name FROM customers WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(name.unwrap_or_default())
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
