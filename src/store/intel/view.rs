//! Everything about one customer, for `encours customer` and the cockpit's customer screen.

use super::customers::CustomerRow;
use super::outcomes::{HistoryEntry, history};
use super::queue::queue_from;
use super::state::DunningState;
use super::{Params, gather};
use crate::domain::ageing::{AgeingAccumulator, AgeingReport, OpenItem};
use crate::domain::dunning::queue::{HeldCustomer, QueueLine};
use crate::domain::figures::{Lateness, sales_to_recover};
use crate::domain::model::{CustomerId, InvoiceKind};
use crate::domain::penalties::{Claim, InvoicePenalty, invoice_penalty};
use crate::domain::signals::facts::DisputeFact;
use crate::domain::signals::{Assessment, assess};
use crate::store::{StoreError, StoreResult};
use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    #[serde(flatten)]
    pub item: OpenItem,
    pub days_late: i64,
    /// Interest and indemnity as of the date (late invoices only).
    pub penalty: Option<InvoicePenalty>,
    /// Sales needed at the net margin to make up for it.
    pub sales_needed: Option<Decimal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CustomerView {
    pub as_of: NaiveDate,
    pub customer: CustomerRow,
    pub assessment: Assessment,
    pub ageing: AgeingReport,
    pub items: Vec<ItemView>,
    pub lateness: Lateness,
    pub average_days_late: Option<Decimal>,
    pub france_average_days_late: Decimal,
    pub claim: Claim,
    /// False when the as-of date is past the last semester in the rate tables.
    pub rates_up_to_date: bool,
    pub insurer_cover: Option<Decimal>,
    pub disputes: Vec<DisputeFact>,
    pub state: DunningState,
    /// Today's queue line for the customer, or why it is held (neither: nothing due).
    pub line: Option<QueueLine>,
    pub held: Option<HeldCustomer>,
    pub history: Vec<HistoryEntry>,
}

pub fn customer_view(
    conn: &Connection,
    p: &Params,
    as_of: NaiveDate,
    customer: CustomerId,
) -> StoreResult<CustomerView> {
    let g = gather(conn, p, as_of, Some(customer))?;
    let queue = queue_from(&g, p);
    let b = g
        .bundles
        .get(&customer)
        .ok_or_else(|| StoreError::Invalid(format!("no customer with id {customer}")))?;
    let assessment = assess(&b.facts, &g.portfolio, p.signals, as_of);
    let mut acc = AgeingAccumulator::new(as_of, p.buckets.clone());
    let debtor = b.row.debtor();
    let mut claim = Claim::default();
    let mut items = Vec::new();
    let mut sorted = b.open_items.clone();
    sorted.sort_by(|x, y| {
        x.due_date
            .cmp(&y.due_date)
            .then_with(|| x.number.cmp(&y.number))
    });
    for item in sorted {
        acc.add(&item);
        let days_late = (as_of - item.due_date).num_days();
        let late_invoice = item.kind == InvoiceKind::Invoice && days_late > 0;
        let penalty = late_invoice.then(|| invoice_penalty(p.penalties, &item, as_of, &debtor));
        if let Some(pen) = &penalty
            && !item.disputed
        {
            claim.add(pen.clone());
        }
        items.push(ItemView {
            sales_needed: late_invoice
                .then(|| sales_to_recover(item.open, p.figures.net_margin_percent))
                .flatten(),
            item,
            days_late,
            penalty,
        });
    }
    let ageing = acc.finish(|_| (b.row.code.clone(), b.row.name.clone()));
    Ok(CustomerView {
        as_of,
        customer: b.row.clone(),
        assessment,
        ageing,
        items,
        average_days_late: b.lateness.average_days(),
        lateness: b.lateness,
        france_average_days_late: p.figures.france_average_days_late,
        claim,
        rates_up_to_date: p.penalties.covers(as_of),
        insurer_cover: b.facts.rating.as_ref().and_then(|r| r.insurer_limit),
        disputes: b.facts.disputes.clone(),
        state: b.state.clone(),
        line: queue.lines.into_iter().find(|l| l.customer_id == customer),
        held: queue.held.into_iter().find(|h| h.customer_id == customer),
        history: history(conn, customer)?,
    })
}
