//! Matching against the database: load the open items, let the domain decide, write the
//! allocations in one `BEGIN IMMEDIATE` transaction, undo what reversals take back, and leave
//! a trail in `events`. Invoices' amounts are never updated: their open amount is derived
//! from the allocations, and only their settled day and first payment day (schema steps 6
//! and 7) follow them.
//!
//! Write-off rows (rules `discount` and `fee`) carry the bank line's id so that they are
//! undone with it, but they do not use its money: a bank line's unallocated part is its amount
//! less its other active allocations.

pub mod load;
pub mod manual;
pub mod pages;
pub mod reversals;
mod set_aside;
mod write;
pub(crate) use write::insert_allocation;

pub use manual::{accept_suggestion, assign, assign_to_customer, undo_allocation};
pub use pages::{Pending, suggestions_for, suggestions_page};
pub use reversals::ReversalDone;

use crate::domain::matching::{
    CreditLine, MatchOutcome, MatchParams, Overpayment, Rule, Suggestion, Unmatched, decide,
    match_credits, suggest_for,
};
use crate::domain::model::{CustomerId, InvoiceId, TransactionId};
use crate::domain::money::{Currency, from_minor};
use crate::store::{Actor, Store, StoreError, StoreResult, date_from_sql};
use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, params};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Count and amount of the allocations one rule made.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleTotal {
    pub count: usize,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

/// What a matching run did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RunSummary {
    /// Ids of the allocation rows written, in order.
    pub allocation_ids: Vec<i64>,
    pub by_rule: BTreeMap<Rule, RuleTotal>,
    /// Bank credits that got at least one allocation.
    pub credits_matched: usize,
    pub overpayments: Vec<Overpayment>,
    pub reversals: Vec<ReversalDone>,
    /// Credits with money left and no automatic match, each with its suggestions.
    pub left: Vec<CreditSuggestions>,
}

/// A bank credit waiting for a person, with what it might pay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreditSuggestions {
    pub transaction_id: TransactionId,
    pub date: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    /// What is still unallocated.
    #[serde(with = "rust_decimal::serde::str")]
    pub left: Decimal,
    pub currency: Currency,
    pub counterparty_name: Option<String>,
    pub counterparty_iban: Option<String>,
    pub remittance: String,
    /// Already handled once (a remainder, or a match undone by a person): automatic rules
    /// leave it alone.
    pub reviewed: bool,
    pub suggestions: Vec<Suggestion>,
}

/// One stored allocation, as the cockpit lists them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredAllocation {
    pub id: i64,
    pub invoice_id: InvoiceId,
    pub invoice_number: String,
    pub customer_id: CustomerId,
    pub transaction_id: Option<TransactionId>,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub paid_on: NaiveDate,
    pub rule: String,
    pub evidence: String,
    pub who: String,
    pub undone_at: Option<String>,
    pub undone_reason: Option<String>,
}

/// Appends one row to the event log.
pub(crate) fn event(
    tx: &Transaction<'_>,
    actor: &Actor,
    kind: &str,
    customer: Option<CustomerId>,
    invoice: Option<InvoiceId>,
    detail: &serde_json::Value,
) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO events (at, who, customer_id, invoice_id, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        actor.stamp(),
        actor.who,
        customer,
        invoice,
        kind,
        detail.to_string()
    ])?;
    Ok(())
}

/// Runs matching over the whole database in one write transaction.
pub fn run_matching(
    store: &mut Store,
    params: &MatchParams,
    actor: &Actor,
) -> StoreResult<RunSummary> {
    // Every row the run writes refers to invoices and bank lines it has just read inside the
    // same write transaction, so SQLite's foreign-key checks (a seek into each parent table
    // per allocation, a sixth of the run) cannot fail: they are off for the run and back on
    // after, whatever the outcome. The pragma only takes effect outside a transaction.
    store.conn().pragma_update(None, "foreign_keys", false)?;
    let run = store.write(|tx| {
        // The run writes an allocation per credit into indexes in invoice order, not file
        // order: with SQLite's default 2 MB page cache the same pages are spilled and read
        // back over and over. A larger cache for the length of the run, then the usual one.
        let cache: i64 = tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        tx.pragma_update(None, "cache_size", RUN_CACHE_KIB)?;
        let run = run_in(tx, params, actor);
        tx.pragma_update(None, "cache_size", cache)?;
        run
    });
    store.conn().pragma_update(None, "foreign_keys", true)?;
    run
}

/// The page cache for a matching run, in KiB (negative: SQLite's unit for a size).
const RUN_CACHE_KIB: i64 = -65_536;

fn run_in(tx: &Transaction<'_>, params: &MatchParams, actor: &Actor) -> StoreResult<RunSummary> {
    // The evidence is written in the language of whoever runs the rules.
    let params = &MatchParams {
        lang: actor.lang,
        ..params.clone()
    };
    let load::RunInputs {
        credits,
        invoices,
        paid_before,
        payers,
    } = load::run_inputs(tx)?;
    let decided = decide(&credits.untouched, &invoices, &payers, params);
    let mut outcome = decided.outcome();
    let reviewed = suggest_for(&credits.reviewed, &invoices, &payers, params);
    let currency_of = CurrencyOf::new(&credits.untouched);
    // The suggestions for the credits left (0.5–0.9 s for 118,000 of them at the large
    // size) are worked out on a thread of their own while this one writes what the rules
    // decided: they read only the rules' state in memory.
    let (written, suggestions) = std::thread::scope(|scope| {
        let suggesting = std::thread::Builder::new()
            .name("encours-suggest".into())
            .spawn_scoped(scope, move || decided.suggestions());
        let written = write::insert_allocations(
            tx,
            &outcome.allocations,
            |id| currency_of.get(id),
            invoices.iter().map(|i| i.id).zip(paid_before).collect(),
            actor,
        );
        let suggestions = match suggesting {
            Ok(thread) => thread.join().map_err(|_| {
                StoreError::Invalid("the thread working out suggestions failed".into())
            }),
            Err(e) => Err(StoreError::Invalid(format!(
                "cannot start the thread working out suggestions: {e}"
            ))),
        };
        (written, suggestions)
    });
    for (left, list) in outcome.unmatched.iter_mut().zip(suggestions?) {
        left.suggestions = list;
    }
    let mut summary = RunSummary {
        allocation_ids: written?,
        ..RunSummary::default()
    };
    let mut matched: Vec<TransactionId> = Vec::new();
    for a in &outcome.allocations {
        let total = summary.by_rule.entry(a.rule).or_default();
        total.count += 1;
        total.amount += a.amount;
        if matched.last() != Some(&a.transaction_id) {
            matched.push(a.transaction_id);
        }
    }
    matched.sort_unstable();
    matched.dedup();
    summary.credits_matched = matched.len();
    summary.overpayments = outcome.overpayments.clone();
    let mark = load::reversal_mark(tx)?;
    let (reversals, new_mark) = reversals::apply(tx, mark, actor)?;
    summary.reversals = reversals;
    let reversed: HashSet<TransactionId> = summary
        .reversals
        .iter()
        .map(|r| r.found.credit_id)
        .collect();
    let untouched = ById::new(&credits.untouched);
    let reviewed_lines = ById::new(&credits.reviewed);
    summary.left = outcome
        .unmatched
        .iter()
        .filter_map(|u| untouched.get(u.transaction_id).map(|c| (c, u, false)))
        .chain(
            reviewed
                .iter()
                .filter_map(|u| reviewed_lines.get(u.transaction_id).map(|c| (c, u, true))),
        )
        .filter(|(c, _, _)| !reversed.contains(&c.id))
        .map(|(c, u, r)| credit_suggestions(c, u, r))
        .collect();
    let by_rule: serde_json::Map<String, serde_json::Value> = summary
        .by_rule
        .iter()
        .map(|(rule, t)| {
            (
                rule.as_str().to_string(),
                serde_json::json!({"count": t.count, "amount": t.amount.to_string()}),
            )
        })
        .collect();
    event(
        tx,
        actor,
        "matching_run",
        None,
        None,
        &serde_json::json!({
            "allocations": summary.allocation_ids.len(),
            "credits_matched": summary.credits_matched,
            "by_rule": by_rule,
            "overpayments": summary.overpayments.len(),
            "left": summary.left.len(),
            "reversals": summary.reversals.len(),
            "reversals_scanned_to": new_mark,
        }),
    )?;
    Ok(summary)
}

/// The currency of a run's credits by id: a look-up per allocation written, so none at all
/// in the usual case of credits all in one currency.
enum CurrencyOf {
    One(Currency),
    Many(HashMap<TransactionId, Currency>),
}

impl CurrencyOf {
    fn new(credits: &[CreditLine]) -> CurrencyOf {
        let first = credits.first().map_or(Currency::default(), |c| c.currency);
        if credits.iter().all(|c| c.currency == first) {
            CurrencyOf::One(first)
        } else {
            CurrencyOf::Many(credits.iter().map(|c| (c.id, c.currency)).collect())
        }
    }

    fn get(&self, id: TransactionId) -> Currency {
        match self {
            CurrencyOf::One(c) => *c,
            CurrencyOf::Many(map) => map.get(&id).copied().unwrap_or_default(),
        }
    }
}

/// Credit lines found by id through a sorted list of ids: cheaper than a hash map of a
/// million lines when only the ones left unmatched are looked up. Ids are unique (primary
/// key).
struct ById<'c> {
    lines: &'c [CreditLine],
    sorted: Vec<(TransactionId, u32)>,
}

impl<'c> ById<'c> {
    fn new(lines: &'c [CreditLine]) -> ById<'c> {
        let mut sorted: Vec<(TransactionId, u32)> = lines
            .iter()
            .enumerate()
            .map(|(k, c)| (c.id, k as u32))
            .collect();
        sorted.sort_unstable();
        ById { lines, sorted }
    }

    fn get(&self, id: TransactionId) -> Option<&'c CreditLine> {
        let at = self.sorted.binary_search_by_key(&id, |e| e.0).ok()?;
        self.lines.get(self.sorted[at].1 as usize)
    }
}

fn credit_suggestions(c: &CreditLine, u: &Unmatched, reviewed: bool) -> CreditSuggestions {
    CreditSuggestions {
        transaction_id: c.id,
        date: c.date,
        amount: c.amount,
        left: u.left,
        currency: c.currency,
        counterparty_name: c.counterparty_name.clone(),
        counterparty_iban: c.counterparty_iban.clone(),
        remittance: c.remittance.clone(),
        reviewed,
        suggestions: u.suggestions.clone(),
    }
}

/// What a run would do now, without writing anything.
pub fn preview(conn: &Connection, params: &MatchParams) -> StoreResult<MatchOutcome> {
    let credits = load::credits(conn)?;
    let invoices = load::open_invoices(conn, None, None)?;
    let payers = load::payers(conn)?;
    Ok(match_credits(
        &credits.untouched,
        &invoices,
        &payers,
        params,
    ))
}

/// For each bank credit with money left, the invoices it might pay, best first, with their
/// score components: what the cockpit shows for a person to accept or reject. Credits the
/// automatic rules would settle are left out (a run will take them).
pub fn suggestions(conn: &Connection, params: &MatchParams) -> StoreResult<Vec<CreditSuggestions>> {
    Ok(pages::suggestions_for(conn, params, None)?.credits)
}

/// Every allocation of a bank line (undone ones included: the trail is whole).
pub fn allocations_of_transaction(
    conn: &Connection,
    transaction: TransactionId,
) -> StoreResult<Vec<StoredAllocation>> {
    allocations_where(conn, "a.transaction_id = ?1", transaction)
}

/// Every allocation to an invoice.
pub fn allocations_of_invoice(
    conn: &Connection,
    invoice: InvoiceId,
) -> StoreResult<Vec<StoredAllocation>> {
    allocations_where(conn, "a.invoice_id = ?1", invoice)
}

pub(crate) fn allocations_where(
    conn: &Connection,
    condition: &str,
    value: i64,
) -> StoreResult<Vec<StoredAllocation>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT a.id, a.invoice_id, i.number, i.customer_id, a.transaction_id, a.amount_minor,
                i.currency, a.paid_on, a.rule, a.evidence, a.who, a.undone_at, a.undone_reason
         FROM allocations a JOIN invoices i ON i.id = a.invoice_id
         WHERE {condition} ORDER BY a.id"
    ))?;
    let mut rows = stmt.query([value])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let currency = Currency::parse(&r.get::<_, String>(6)?).unwrap_or_default();
        out.push(StoredAllocation {
            id: r.get(0)?,
            invoice_id: r.get(1)?,
            invoice_number: r.get(2)?,
            customer_id: r.get(3)?,
            transaction_id: r.get(4)?,
            amount: from_minor(r.get(5)?, currency),
            paid_on: date_from_sql(&r.get::<_, String>(7)?)?,
            rule: r.get(8)?,
            evidence: r.get(9)?,
            who: r.get(10)?,
            undone_at: r.get(11)?,
            undone_reason: r.get(12)?,
        });
    }
    Ok(out)
}
