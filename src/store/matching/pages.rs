//! The matching screen's credits, and their suggestions a page at a time. Suggestions for a
//! hundred thousand credits cost more memory than the cockpit may hold, and a person reads a
//! page of them: the list comes without, and each page asks for its own.

use super::{CreditSuggestions, load};
use crate::domain::matching::{
    CreditLine, MatchParams, Unmatched, match_credits_suggesting, suggest_for_some,
};
use crate::domain::model::TransactionId;
use crate::store::StoreResult;
use rusqlite::Connection;
use std::collections::{HashMap, HashSet};

/// The credits left for a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub credits: Vec<CreditSuggestions>,
    /// The automatic rules would allocate nothing over the credits as they stand (the usual
    /// case after a run): the state they leave is the state they found, so a credit's
    /// suggestions follow from that credit alone (`suggestions_page`).
    pub rules_idle: bool,
}

/// Every credit a person must look at (the automatic rules run over all of them first: the
/// ones they would settle are left out, a run will take them), with the suggestions worked
/// out for those in `only` (`None`: all); the others are listed with none.
pub fn suggestions_for(
    conn: &Connection,
    params: &MatchParams,
    only: Option<&HashSet<TransactionId>>,
) -> StoreResult<Pending> {
    let want = |id: TransactionId| only.is_none_or(|o| o.contains(&id));
    let credits = load::credits(conn)?;
    let invoices = load::open_invoices(conn, None, None)?;
    let payers = load::payers(conn)?;
    let outcome = match_credits_suggesting(&credits.untouched, &invoices, &payers, params, &want);
    let reviewed = suggest_for_some(&credits.reviewed, &invoices, &payers, params, &want);
    drop((invoices, payers));
    Ok(Pending {
        rules_idle: outcome.allocations.is_empty(),
        credits: assemble(credits, outcome.unmatched, reviewed),
    })
}

/// The suggestions of the credits `ids` (those still waiting for a person), each exactly as
/// `suggestions_for` gives it. When the list said the rules were idle, only these credits
/// are read and matched: no decision was taken before any of them in the whole run, so each
/// meets the same open invoices alone. Otherwise (or if the rules now take one of these) the
/// whole run again.
pub fn suggestions_page(
    conn: &Connection,
    params: &MatchParams,
    ids: &[TransactionId],
    rules_idle: bool,
) -> StoreResult<Vec<CreditSuggestions>> {
    let asked: HashSet<TransactionId> = ids.iter().copied().collect();
    if rules_idle {
        let credits = load::credits_among(conn, ids)?;
        let invoices = load::open_invoices(conn, None, None)?;
        let payers = load::payers(conn)?;
        let all = |_: TransactionId| true;
        let outcome =
            match_credits_suggesting(&credits.untouched, &invoices, &payers, params, &all);
        if outcome.allocations.is_empty() {
            let reviewed = suggest_for_some(&credits.reviewed, &invoices, &payers, params, &all);
            drop((invoices, payers));
            return Ok(assemble(credits, outcome.unmatched, reviewed));
        }
    }
    let mut page = suggestions_for(conn, params, Some(&asked))?.credits;
    page.retain(|c| asked.contains(&c.transaction_id));
    Ok(page)
}

/// The credits left, in the matcher's order (untouched, then reviewed), their text moved
/// out of the lines read rather than copied.
fn assemble(
    mut credits: load::Credits,
    unmatched: Vec<Unmatched>,
    reviewed: Vec<Unmatched>,
) -> Vec<CreditSuggestions> {
    let untouched = credits.untouched.len();
    let at: HashMap<TransactionId, usize> = credits
        .untouched
        .iter()
        .chain(&credits.reviewed)
        .enumerate()
        .map(|(k, c)| (c.id, k))
        .collect();
    let mut out = Vec::with_capacity(unmatched.len() + reviewed.len());
    let listed = unmatched
        .into_iter()
        .map(|u| (u, false))
        .chain(reviewed.into_iter().map(|u| (u, true)));
    for (u, r) in listed {
        let Some(&k) = at.get(&u.transaction_id) else {
            continue;
        };
        let line: &mut CreditLine = if k < untouched {
            &mut credits.untouched[k]
        } else {
            &mut credits.reviewed[k - untouched]
        };
        out.push(CreditSuggestions {
            transaction_id: line.id,
            date: line.date,
            amount: line.amount,
            left: u.left,
            currency: line.currency,
            counterparty_name: line.counterparty_name.take(),
            counterparty_iban: line.counterparty_iban.take(),
            remittance: std::mem::take(&mut line.remittance),
            reviewed: r,
            suggestions: u.suggestions,
        });
    }
    out
}
