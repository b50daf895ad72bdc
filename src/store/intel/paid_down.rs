//! A customer whose only change since the last computation is new allocations (as payer or
//! through a credit note) keeps its open items, paid down by those allocations, instead of
//! reading them again (a day's bank lines matched pay about a thousand customers).
//!
//! Why the new rows are enough: an item's open amount is its total less what was prepaid
//! and less the active allocations paid by the date, on the invoice and on the credit note
//! (`store::ageing`). With no update of theirs (logged, it would name the customer) the
//! allocations kept active, and with no new invoice of theirs the items are the same rows;
//! allocations are positive, so an item not open stays closed and an open one loses what
//! the new ones paid by the date, dropped when nothing is left.

use super::gather::Bundle;
use crate::domain::ageing::OpenItem;
use crate::domain::model::{CustomerId, InvoiceId, InvoiceKind};
use crate::store::{StoreResult, date_to_sql};
use chrono::NaiveDate;
use rusqlite::{Connection, params};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// Per customer only paid: its open items as read (before dispute rows flag them), paid
/// down by the new allocations.
pub(super) type KeptOpen = HashMap<CustomerId, Vec<OpenItem>>;

pub(super) fn kept_open(
    conn: &Connection,
    as_of: NaiveDate,
    changed: &super::changes::Changes,
    bundles: &BTreeMap<CustomerId, Bundle>,
) -> StoreResult<KeptOpen> {
    let mut out = KeptOpen::new();
    let Some((from, to)) = changed.allocations else {
        return Ok(out);
    };
    let mut paid: HashMap<InvoiceId, i64> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT invoice_id, amount_minor FROM allocations
         WHERE id > ?1 AND id <= ?2 AND undone_at IS NULL AND paid_on <= ?3
         UNION ALL
         SELECT credit_note_id, amount_minor FROM allocations
         WHERE id > ?1 AND id <= ?2 AND undone_at IS NULL AND paid_on <= ?3
           AND credit_note_id IS NOT NULL",
    )?;
    let mut rows = stmt.query(params![from, to, date_to_sql(as_of)])?;
    while let Some(r) = rows.next()? {
        *paid.entry(r.get(0)?).or_default() += r.get::<_, i64>(1)?;
    }
    for c in changed.customers.difference(&changed.written) {
        let Some(b) = bundles.get(c) else {
            continue;
        };
        let items = b
            .open_items
            .iter()
            .filter_map(|i| {
                let mut item = i.clone();
                item.disputed = i.disputed && !b.disputed_by_row.contains(&i.invoice_id);
                let Some(minor) = paid.get(&i.invoice_id) else {
                    return Some(item);
                };
                // The open amount was read as minor units at the currency's scale.
                let open = item.open.abs();
                let left = Decimal::from_i128_with_scale(
                    open.mantissa() - i128::from(*minor),
                    open.scale(),
                );
                if left <= Decimal::ZERO {
                    return None;
                }
                item.open = match item.kind {
                    InvoiceKind::CreditNote => -left,
                    InvoiceKind::Invoice => left,
                };
                Some(item)
            })
            .collect();
        out.insert(*c, items);
    }
    Ok(out)
}
