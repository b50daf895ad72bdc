//! Today's reminder queue from the store, with each line's call script written out.

use super::{Gathered, Params, gather};
use crate::domain::dunning::letter::{LetterInput, letter_vars};
use crate::domain::dunning::queue::{Contact, Queue, QueueBuilder, QueueCustomer, QueueLine};
use crate::domain::model::{CustomerId, InvoiceKind};
use crate::domain::signals::assess;
use crate::store::StoreResult;
use chrono::{Duration, NaiveDate};
use rusqlite::Connection;
use std::collections::HashMap;
use std::fmt::Write as _;

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
    queue_with_scripts(g, p, &mut Scripts::default())
}

/// Call scripts already written, per customer, with a digest of what they were written from:
/// after a refresh most lines are the same, and writing 18,000 scripts costs more than the
/// rest of the queue. A script is reused only when everything it is written from is unchanged.
#[derive(Debug, Default)]
pub struct Scripts {
    by_customer: HashMap<CustomerId, (ScriptKey, Option<String>)>,
}

/// 128 bits of BLAKE3: the inputs themselves (every open invoice of the line) would take
/// more memory than the scripts, and two different inputs sharing a digest is not a
/// practical concern at this width.
type ScriptKey = [u8; 16];

/// Everything `render_script` reads from the line, digested as it is written out; the
/// parameters are those of one cockpit session and the date is part of the key.
fn script_key(line: &QueueLine, as_of: NaiveDate) -> ScriptKey {
    struct Digest(blake3::Hasher);
    impl std::fmt::Write for Digest {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.update(s.as_bytes());
            Ok(())
        }
    }
    let mut digest = Digest(blake3::Hasher::new());
    // Writing into a hasher cannot fail.
    let _ = write!(
        digest,
        "{as_of}|{:?}|{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?}",
        line.script_template,
        line.segment,
        line.level,
        line.name,
        line.code,
        line.contact,
        line.invoices,
        line.claim
    );
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest.0.finalize().as_bytes()[..16]);
    key
}

/// The queue, reusing the scripts of `scripts` whose inputs did not change (the same
/// `Params` must be given each time), and keeping this queue's scripts in it.
pub fn queue_with_scripts(g: &Gathered, p: &Params, scripts: &mut Scripts) -> Queue {
    let mut builder = QueueBuilder::new(
        g.as_of,
        p.policy,
        p.penalties,
        p.stale_after_days,
        g.newest_bank_data,
        p.lang,
        p.currency,
    );
    for b in g.bundles.values() {
        let invoices: Vec<_> = b
            .open_items
            .iter()
            .filter(|i| i.kind == InvoiceKind::Invoice)
            .cloned()
            .collect();
        if invoices.is_empty() {
            continue;
        }
        let a = assess(&b.facts, &g.portfolio, p.signals, g.as_of);
        let dispute_reasons = b
            .facts
            .disputes
            .iter()
            .map(|d| (d.invoice_id, d.reason.clone(), d.opened_on))
            .collect();
        builder.add(QueueCustomer {
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
        });
    }
    let mut queue = builder.finish();
    let mut kept = HashMap::with_capacity(queue.lines.len());
    for line in &mut queue.lines {
        let key = script_key(line, g.as_of);
        let script = match scripts.by_customer.remove(&line.customer_id) {
            Some((k, script)) if k == key => script,
            _ => render_script(line, p, g.as_of),
        };
        line.script = script.clone();
        kept.insert(line.customer_id, (key, script));
    }
    scripts.by_customer = kept;
    queue
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
