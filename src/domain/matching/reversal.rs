//! Returned transfers and rejected debits: a debit that takes back an earlier credit undoes
//! what that credit paid, so its invoices are open again.

use super::amounts::to_units;
use super::names::name_key;
use super::scan::compact;
use crate::domain::model::TransactionId;
use crate::domain::money::Currency;
use crate::import::text::normalise_reference;
use crate::locale::Language;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;

/// A reversal takes back a credit booked at most this many days before it.
pub const REVERSAL_WINDOW_DAYS: i64 = 60;

/// A bank line that may take back an earlier credit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReversalCandidate {
    pub id: TransactionId,
    pub date: NaiveDate,
    /// Signed as booked: only debits (negative) can take back a customer's payment.
    pub amount: Decimal,
    pub currency: Currency,
    /// The bank marked it as a reversal (RvslInd, RC mark, returned transfer).
    pub flagged: bool,
    pub counterparty_name: Option<String>,
    pub counterparty_iban: Option<String>,
    pub remittance: String,
    pub structured_ref: Option<String>,
}

/// A credit that a reversal could take back.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PastCredit {
    pub id: TransactionId,
    pub date: NaiveDate,
    /// The full booked amount, positive.
    pub amount: Decimal,
    pub currency: Currency,
    pub counterparty_name: Option<String>,
    pub counterparty_iban: Option<String>,
    pub remittance: String,
    pub structured_ref: Option<String>,
    /// Has active allocations: an unflagged debit only mirrors a credit that paid something.
    pub matched: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReversalFound {
    pub reversal_id: TransactionId,
    pub credit_id: TransactionId,
    /// Why this debit takes back that credit, in words.
    pub reason: String,
}

/// What the two lines share besides the amount, in words; empty when nothing.
fn agreement(r: &ReversalCandidate, c: &PastCredit, lang: Language) -> Vec<&'static str> {
    let mut same = Vec::new();
    if let (Some(a), Some(b)) = (&r.counterparty_iban, &c.counterparty_iban)
        && compact(a) == compact(b)
        && !a.trim().is_empty()
    {
        same.push(lang.pick("même IBAN", "same IBAN"));
    }
    let (a, b) = (
        name_key(r.counterparty_name.as_deref().unwrap_or("")),
        name_key(c.counterparty_name.as_deref().unwrap_or("")),
    );
    if !a.is_empty() && a == b {
        same.push(lang.pick("même contrepartie", "same counterparty"));
    }
    if let (Some(a), Some(b)) = (&r.structured_ref, &c.structured_ref)
        && !compact(a).is_empty()
        && compact(a) == compact(b)
    {
        same.push(lang.pick("même référence", "same reference"));
    }
    let (a, b) = (
        normalise_reference(&r.remittance),
        normalise_reference(&c.remittance),
    );
    if b.len() >= 6 && a.contains(&b) {
        same.push(lang.pick("même libellé", "same text"));
    }
    same
}

/// Pairs each debit that takes back a credit with that credit. A flagged reversal takes
/// back the latest credit of the same amount and currency within the window that shares its
/// counterparty or reference, or the only such credit when none does; an unflagged debit
/// only a matched credit it shares a counterparty or reference with. Each line is used once.
/// The reasons are written in `lang`.
pub fn find_reversals(
    candidates: &[ReversalCandidate],
    credits: &[PastCredit],
    lang: Language,
) -> Vec<ReversalFound> {
    let mut by_amount: HashMap<(Currency, i64), Vec<usize>> = HashMap::new();
    for (i, c) in credits.iter().enumerate() {
        if let Some(u) = to_units(c.amount).filter(|u| *u > 0) {
            by_amount.entry((c.currency, u)).or_default().push(i);
        }
    }
    for list in by_amount.values_mut() {
        list.sort_by_key(|&i| (credits[i].date, credits[i].id));
    }
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_key(|&i| (candidates[i].date, candidates[i].id));
    let mut used = vec![false; credits.len()];
    let mut out = Vec::new();
    for r in order.into_iter().map(|i| &candidates[i]) {
        let Some(units) = to_units(r.amount).filter(|u| *u < 0) else {
            continue;
        };
        let Some(list) = by_amount.get(&(r.currency, -units)) else {
            continue;
        };
        let in_window: Vec<usize> = list
            .iter()
            .copied()
            .filter(|&i| {
                let days = (r.date - credits[i].date).num_days();
                !used[i] && (0..=REVERSAL_WINDOW_DAYS).contains(&days) && credits[i].id != r.id
            })
            .collect();
        let agreeing = in_window
            .iter()
            .rev()
            .map(|&i| (i, agreement(r, &credits[i], lang)))
            .find(|(i, same)| !same.is_empty() && (r.flagged || credits[*i].matched));
        let chosen = match agreeing {
            Some((i, same)) => Some((i, same.join(", "))),
            None if r.flagged && in_window.len() == 1 => Some((
                in_window[0],
                match lang {
                    Language::Fr => format!(
                        "le seul crédit de ce montant dans les {REVERSAL_WINDOW_DAYS} jours précédents"
                    ),
                    Language::En => format!(
                        "the only credit of that amount in the {REVERSAL_WINDOW_DAYS} days before"
                    ),
                },
            )),
            None => None,
        };
        let Some((i, why)) = chosen else {
            continue;
        };
        used[i] = true;
        let credit = &credits[i];
        let reason = match (lang, r.flagged) {
            (Language::Fr, flagged) => format!(
                "la ligne bancaire n° {} du {} ({}) reprend le crédit du {} ({} {}) : {} ; {why}",
                r.id,
                r.date.format("%d/%m/%Y"),
                r.amount,
                credit.date.format("%d/%m/%Y"),
                credit.amount,
                credit.currency,
                if flagged {
                    "marquée comme rejet par la banque"
                } else {
                    "un débit qui lui répond"
                }
            ),
            (Language::En, flagged) => format!(
                "bank line #{} of {} ({}) takes back the credit of {} ({} {}): {}; {why}",
                r.id,
                r.date,
                r.amount,
                credit.date,
                credit.amount,
                credit.currency,
                if flagged {
                    "marked as a reversal by the bank"
                } else {
                    "a debit mirroring it"
                }
            ),
        };
        out.push(ReversalFound {
            reversal_id: r.id,
            credit_id: credit.id,
            reason,
        });
    }
    out
}
