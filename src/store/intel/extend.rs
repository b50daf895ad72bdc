//! A customer whose only change since the last computation is new invoice rows (no
//! allocation, outcome, update or other row of theirs) keeps its bundle, extended with
//! those rows, instead of reading its open items and sales history again (a day's invoices
//! touch more than a thousand customers at the large size).
//!
//! Why the new rows are enough: with no allocation of theirs (a new one would name the
//! customer) a new invoice owes its total less what was prepaid, was settled only if that
//! is nothing, and counts in no paid history; a dispute row naming it would name the
//! customer too. The sales history's median moves only with an invoice issued inside its
//! window: such a customer, or one whose new invoice ties the largest recent one (the
//! order of the index would decide), is read whole instead.

use super::Params;
use super::gather::Bundle;
use crate::domain::ageing::OpenItem;
use crate::domain::model::{CustomerId, InvoiceKind};
use crate::domain::money::{Currency, from_minor};
use crate::domain::signals::facts::{DisputeFact, RecentInvoice};
use crate::store::StoreResult;
use crate::store::date_from_sql;
use chrono::{Days, Duration, Months, NaiveDate};
use rusqlite::{Connection, params};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

struct NewRow {
    id: i64,
    number: String,
    kind: InvoiceKind,
    issue_date: NaiveDate,
    due_date: Option<NaiveDate>,
    amount: Decimal,
    open: Decimal,
    disputed: bool,
}

/// Extends the bundles of `candidates` with the invoices of ids in `(from, to]`; returns
/// the customers extended. The others must be read whole.
pub(super) fn new_invoices(
    conn: &Connection,
    p: &Params,
    as_of: NaiveDate,
    (from, to): (i64, i64),
    candidates: &BTreeSet<CustomerId>,
    bundles: &mut BTreeMap<CustomerId, Bundle>,
) -> StoreResult<BTreeSet<CustomerId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, customer_id, number, kind, issue_date, due_date, amount_minor,
                amount_minor - prepaid_minor, currency, disputed
         FROM invoices WHERE id > ?1 AND id <= ?2 ORDER BY id",
    )?;
    let mut rows = stmt.query(params![from, to])?;
    let mut new: BTreeMap<CustomerId, Vec<NewRow>> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let customer: CustomerId = r.get(1)?;
        if !candidates.contains(&customer) || !bundles.contains_key(&customer) {
            continue;
        }
        let currency = Currency::parse(&r.get::<_, String>(8)?).unwrap_or_default();
        let kind = if r.get::<_, String>(3)? == "credit_note" {
            InvoiceKind::CreditNote
        } else {
            InvoiceKind::Invoice
        };
        let issue_date = date_from_sql(&r.get::<_, String>(4)?)?;
        if issue_date > as_of {
            // Not issued yet on the date: nothing of the bundle reads it.
            new.entry(customer).or_default();
            continue;
        }
        new.entry(customer).or_default().push(NewRow {
            id: r.get(0)?,
            number: r.get(2)?,
            kind,
            issue_date,
            due_date: r
                .get::<_, Option<String>>(5)?
                .map(|d| date_from_sql(&d))
                .transpose()?,
            amount: from_minor(r.get(6)?, currency),
            open: from_minor(r.get(7)?, currency),
            disputed: r.get(9)?,
        });
    }

    let recent_start = as_of - Duration::days(i64::from(p.signals.atypical_order.recent_days));
    let history_from = recent_start
        .checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    let flagged = flagged(p);
    let mut extended = BTreeSet::new();
    for (customer, rows) in new {
        let Some(b) = bundles.get_mut(&customer) else {
            continue;
        };
        let invoices = || rows.iter().filter(|r| r.kind == InvoiceKind::Invoice);
        if invoices().any(|r| r.issue_date > history_from && r.issue_date <= recent_start) {
            continue;
        }
        let recent: Vec<&NewRow> = invoices().filter(|r| r.issue_date > recent_start).collect();
        let top = recent.iter().map(|r| r.amount).max();
        let largest = match top {
            Some(top) => {
                let old = b.facts.largest_recent.as_ref().map(|l| l.amount);
                if recent.iter().filter(|r| r.amount == top).count() > 1 || old == Some(top) {
                    continue;
                }
                (old.is_none_or(|o| top > o))
                    .then(|| recent.iter().find(|r| r.amount == top))
                    .flatten()
            }
            None => None,
        };
        if let Some(r) = largest {
            b.facts.largest_recent = Some(RecentInvoice {
                number: r.number.clone(),
                issue_date: r.issue_date,
                amount: r.amount,
            });
        }
        let terms = b.row.payment_terms_days.unwrap_or(p.default_terms_days);
        for r in &rows {
            b.facts.first_invoice = Some(
                b.facts
                    .first_invoice
                    .map_or(r.issue_date, |f| f.min(r.issue_date)),
            );
            if r.open <= Decimal::ZERO {
                continue;
            }
            let due_date = r.due_date.unwrap_or_else(|| {
                r.issue_date
                    .checked_add_days(Days::new(u64::from(terms)))
                    .unwrap_or(r.issue_date)
            });
            let open = match r.kind {
                InvoiceKind::CreditNote => -r.open,
                InvoiceKind::Invoice => r.open,
            };
            b.facts.exposure += open;
            if r.kind == InvoiceKind::Invoice && due_date < as_of {
                b.facts.overdue += open;
            }
            b.open_items.push(OpenItem {
                invoice_id: r.id,
                customer_id: customer,
                number: r.number.clone(),
                kind: r.kind,
                issue_date: r.issue_date,
                due_date,
                open,
                disputed: r.disputed,
            });
        }
        b.open_items
            .sort_unstable_by_key(|i| (i.issue_date, i.invoice_id));
        dispute_facts(b, flagged);
        extended.insert(customer);
    }
    Ok(extended)
}

/// How a dispute flagged by the export (no dispute row) is described.
pub(super) fn flagged(p: &Params) -> &'static str {
    p.lang.pick(
        "marquée en litige dans l'export",
        "marked disputed in the export",
    )
}

/// The disputes of a bundle, in the order of its open items: the disputed open invoices,
/// described by their dispute row when there is one.
pub(super) fn dispute_facts(b: &mut Bundle, flagged: &str) {
    b.facts.disputes.clear();
    for item in b
        .open_items
        .iter()
        .filter(|i| i.disputed && i.kind == InvoiceKind::Invoice)
    {
        let row = b
            .state
            .disputes
            .iter()
            .find(|d| d.invoice_id == item.invoice_id);
        b.facts.disputes.push(DisputeFact {
            invoice_id: item.invoice_id,
            number: item.number.clone(),
            opened_on: row.map(|d| d.opened_on),
            reason: row.map_or_else(|| flagged.to_string(), |d| d.reason.clone()),
            open: item.open,
        });
    }
}
