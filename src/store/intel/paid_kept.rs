//! What a refresh keeps of a customer read again: the paid history, when the writes since
//! could not have changed which of its invoices were paid, or only completed invoices that
//! were open (whose paid history was nothing), which are then read and added.

use super::gather::Bundle;
use crate::domain::figures::Lateness;
use crate::domain::model::{CustomerId, InvoiceId, InvoiceKind};
use crate::domain::signals::facts::PartialCount;
use crate::store::StoreResult;
use rusqlite::{Connection, params};
use std::collections::{BTreeMap, HashMap};

/// How many of the customers a refresh read again took each path: payer parts brought up
/// to date from the new allocations or read whole; paid histories kept (perhaps with the
/// invoices just paid added) or read whole.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RefreshPaths {
    /// Customers whose only change was new invoices: their bundles extended with them.
    pub invoices_added: usize,
    pub payers_added: usize,
    pub payers_read: usize,
    pub paid_kept: usize,
    pub paid_added: usize,
    pub paid_read: usize,
    /// Set by `Live` when it keeps the forecast's delay table: customers whose newly paid
    /// invoices were added to their delay history, customers whose history was read again.
    pub delays_added: usize,
    pub delays_read: usize,
    /// Customers only paid: their sales history (first invoice, median, largest recent)
    /// kept, not read again.
    pub sales_kept: usize,
    /// Customers only paid: their open items kept, paid down by the new allocations.
    pub open_kept: usize,
}

/// What the paid history gives a bundle: kept through a refresh when the writes could not
/// have changed which of the customer's invoices were paid, or when they only completed
/// invoices that were open (whose paid history was nothing): those are added.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PaidPart {
    recent: Lateness,
    previous: Lateness,
    frequency: Lateness,
    partial_recent: PartialCount,
    partial_previous: PartialCount,
    lateness: Lateness,
}

impl PaidPart {
    pub(super) fn of(b: &Bundle) -> PaidPart {
        PaidPart {
            recent: b.facts.lateness_recent,
            previous: b.facts.lateness_previous,
            frequency: b.facts.lateness_frequency,
            partial_recent: b.facts.partial_recent,
            partial_previous: b.facts.partial_previous,
            lateness: b.lateness,
        }
    }

    pub(super) fn put(self, b: &mut Bundle) {
        b.facts.lateness_recent = self.recent;
        b.facts.lateness_previous = self.previous;
        b.facts.lateness_frequency = self.frequency;
        b.facts.partial_recent = self.partial_recent;
        b.facts.partial_previous = self.partial_previous;
        b.lateness = self.lateness;
    }
}

/// Per customer read again: its kept paid history and the invoices whose payment must be
/// added to it. A customer not here has its paid history read whole.
pub(super) type KeptPaid = HashMap<CustomerId, (PaidPart, Vec<InvoiceId>)>;

/// The paid history that can be kept for the customers read again: all but those new or
/// updated; with new allocations, only if every invoice they pay was open (its paid
/// history was nothing), and those invoices are read for what they add.
pub(super) fn kept_paid(
    conn: &Connection,
    changed: &super::changes::Changes,
    bundles: &BTreeMap<CustomerId, Bundle>,
) -> StoreResult<KeptPaid> {
    let mut paid: HashMap<CustomerId, Vec<InvoiceId>> = HashMap::new();
    if let Some((from, to)) = changed.allocations {
        let mut stmt = conn.prepare_cached(
            "SELECT i.customer_id, a.invoice_id FROM allocations a
             JOIN invoices i ON i.id = a.invoice_id
             WHERE a.id > ?1 AND a.id <= ?2 ORDER BY a.id",
        )?;
        let mut rows = stmt.query(params![from, to])?;
        while let Some(r) = rows.next()? {
            paid.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
    }
    let mut out = KeptPaid::new();
    for id in changed.customers.difference(&changed.whole) {
        let Some(b) = bundles.get(id) else {
            continue;
        };
        let mut ids = paid.remove(id).unwrap_or_default();
        ids.sort_unstable();
        ids.dedup();
        let was_open = |inv: &InvoiceId| {
            b.open_items
                .iter()
                .any(|i| i.invoice_id == *inv && i.kind == InvoiceKind::Invoice)
        };
        if ids.iter().all(was_open) {
            out.insert(*id, (PaidPart::of(b), ids));
        }
    }
    Ok(out)
}

/// What a bundle reads from the customer's invoice rows alone (no allocation): kept
/// through a refresh for a customer whose only change is new allocations.
#[derive(Debug, Clone)]
pub(super) struct SalesPart {
    first_invoice: Option<chrono::NaiveDate>,
    history_invoices: u32,
    median_invoice: Option<rust_decimal::Decimal>,
    largest_recent: Option<crate::domain::signals::facts::RecentInvoice>,
}

impl SalesPart {
    pub(super) fn of(b: &Bundle) -> SalesPart {
        SalesPart {
            first_invoice: b.facts.first_invoice,
            history_invoices: b.facts.history_invoices,
            median_invoice: b.facts.median_invoice,
            largest_recent: b.facts.largest_recent.clone(),
        }
    }

    pub(super) fn put(self, b: &mut Bundle) {
        b.facts.first_invoice = self.first_invoice;
        b.facts.history_invoices = self.history_invoices;
        b.facts.median_invoice = self.median_invoice;
        b.facts.largest_recent = self.largest_recent;
    }
}

pub(super) type KeptSales = HashMap<CustomerId, SalesPart>;

/// The sales parts kept for the customers read again whose only change is new
/// allocations (none of their invoice rows was written).
pub(super) fn kept_sales(
    changed: &super::changes::Changes,
    bundles: &BTreeMap<CustomerId, Bundle>,
) -> KeptSales {
    changed
        .customers
        .difference(&changed.written)
        .filter_map(|c| Some((*c, SalesPart::of(bundles.get(c)?))))
        .collect()
}

/// What a refresh keeps of the customers it reads again, per part of the bundle.
#[derive(Default)]
pub(super) struct KeptParts {
    pub(super) paid: KeptPaid,
    pub(super) sales: KeptSales,
    pub(super) open: super::paid_down::KeptOpen,
}
