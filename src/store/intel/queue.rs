//! Today's reminder queue from the store, with each line's call script written out.

use super::{Bundle, Gathered, Params, gather};
use crate::domain::dunning::letter::{LetterInput, letter_vars};
use crate::domain::dunning::queue::{Contact, Queue, QueueBuilder, QueueCustomer, QueueLine};
use crate::domain::model::{CustomerId, InvoiceKind};
use crate::domain::signals::{Assessment, assess};
use crate::store::StoreResult;
use chrono::{Duration, NaiveDate};
use rusqlite::Connection;

pub fn build_queue(conn: &Connection, p: &Params, as_of: NaiveDate) -> StoreResult<Queue> {
    let g = gather(conn, p, as_of, None)?;
    Ok(queue_from(&g, p))
}

/// The queue restricted to one customer: its line (or why it is held) and its disputes.
pub fn customer_queue(
    conn: &Connection,
    p: &Params,
    as_of: NaiveDate,
    customer: CustomerId,
) -> StoreResult<Queue> {
    let g = gather(conn, p, as_of, Some(customer))?;
    Ok(queue_from(&g, p))
}

pub fn queue_from(g: &Gathered, p: &Params) -> Queue {
    let assessed: Vec<Assessment> = g
        .bundles
        .values()
        .map(|b| assess(&b.facts, &g.portfolio, p.signals, g.as_of))
        .collect();
    queue_part(g, p, g.bundles.values().zip(assessed.iter()))
}

/// The queue of the customers given (each with its assessment), with the call scripts of
/// its lines written: the whole queue, or the part an incremental refresh rebuilds for the
/// customers that changed (`live`).
pub(super) fn queue_part<'a>(
    g: &Gathered,
    p: &Params,
    customers: impl Iterator<Item = (&'a Bundle, &'a Assessment)>,
) -> Queue {
    let mut builder = QueueBuilder::new(
        g.as_of,
        p.policy,
        p.penalties,
        p.stale_after_days,
        g.newest_bank_data,
        p.lang,
        p.currency,
    );
    for (b, a) in customers {
        if let Some(c) = queue_customer(b, a, p) {
            builder.add(c);
        }
    }
    let mut queue = builder.finish();
    for line in &mut queue.lines {
        line.script = render_script(line, p, g.as_of);
    }
    queue
}

/// What the queue builder needs of one customer; None when nothing is open to chase.
fn queue_customer(b: &Bundle, a: &Assessment, p: &Params) -> Option<QueueCustomer> {
    let invoices: Vec<_> = b
        .open_items
        .iter()
        .filter(|i| i.kind == InvoiceKind::Invoice)
        .cloned()
        .collect();
    if invoices.is_empty() {
        return None;
    }
    let dispute_reasons = b
        .facts
        .disputes
        .iter()
        .map(|d| (d.invoice_id, d.reason.clone(), d.opened_on))
        .collect();
    Some(QueueCustomer {
        customer_id: b.row.id,
        code: b.row.code.clone(),
        name: b.row.name.clone(),
        segment: b.row.segment,
        contact: Contact {
            name: b.row.contact_name.clone(),
            email: b.row.email.clone(),
            phone: b.row.phone.clone(),
        },
        debtor: b.row.debtor(),
        score: a.score,
        grade: a.grade,
        risk_reason: a.main_reason(p.lang, p.currency),
        invoices,
        dispute_reasons,
        promises: b.state.promises.clone(),
        plans: b.state.plans.clone(),
        snoozed_until: b.state.snoozed_until,
        contact_state: b.state.contact.clone(),
        unmatched_credit: b.unmatched_credit.clone(),
    })
}

fn render_script(line: &QueueLine, p: &Params, as_of: NaiveDate) -> Option<String> {
    let name = line.script_template.as_deref()?;
    let level = p.policy.ladder_for(line.segment).get(line.level)?.clone();
    let vars = letter_vars(&LetterInput {
        lang: p.lang,
        currency: p.currency,
        sender: &p.sender,
        customer_name: &line.name,
        customer_code: &line.code,
        contact: &line.contact,
        level: &level,
        invoices: &line.invoices,
        claim: &line.claim,
        date: as_of,
        deadline: as_of + Duration::days(i64::from(p.policy.rules.letter_deadline_days)),
        penalties: p.penalties,
    });
    // The templates were rendered with every variable at load time, so this only fails if a
    // template set was built by hand; the message then takes the script's place.
    Some(
        p.templates
            .render(p.lang, name, &vars)
            .unwrap_or_else(|e| e.to_string()),
    )
}
