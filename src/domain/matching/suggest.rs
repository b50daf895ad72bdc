//! Rule 5: for a credit no rule settled, the invoices a person is most likely to pick, each
//! with its score components (reference 0–40, amount 0–30, payer 0–20, date 0–10).

use super::amounts::{Settle, Units, from_units, money_text, settles};
use super::hashing::par_ranges;
use super::payer::Payer;
use super::prepass::HitKind;
use super::rules::Matcher;
use super::words::component_words;
use super::{ScoreComponents, Suggestion};
use chrono::Days;

/// Reference component of a suggestion, by what was seen.
const REF_NAMED: u8 = 40;
const REF_AMBIGUOUS: u8 = 30;
const REF_WEAK: u8 = 20;

/// Candidates per customer the payer may be: the oldest and the nearest in amount.
const PER_CUSTOMER_OLDEST: usize = 8;
const PER_CUSTOMER_NEAREST: usize = 4;
/// Invoices of anyone with the same open amount (the closest within the tolerance).
const SAME_AMOUNT: usize = 5;
const MAX_PAYER_CUSTOMERS: usize = 3;

/// Suggestions for each of `credits`, in parallel once the books they need are built.
pub(super) fn all(m: &mut Matcher<'_>, credits: &[usize]) -> Vec<Vec<Suggestion>> {
    for &c in credits {
        let customers: Vec<i64> = m.pre.payers[c]
            .customers()
            .iter()
            .take(MAX_PAYER_CUSTOMERS)
            .copied()
            .collect();
        for customer in customers {
            m.books.get(customer, &m.discounted);
        }
    }
    m.books.keep_open_by_date(&m.open);
    let mut by_amount: Vec<(Units, u32)> = Vec::new();
    if !credits.is_empty() {
        by_amount = m
            .open
            .iter()
            .enumerate()
            .filter(|(_, o)| **o > 0)
            .map(|(i, o)| (*o, i as u32))
            .collect();
        by_amount.sort_unstable();
    }
    let m: &Matcher<'_> = m;
    let by_amount = &by_amount;
    let parts = par_ranges(credits.len(), m.threads, |range| {
        range
            .map(|k| for_credit(m, by_amount, credits[k]))
            .collect::<Vec<_>>()
    });
    let mut all = Vec::with_capacity(credits.len());
    for part in parts {
        all.extend(part);
    }
    all
}

fn for_credit(m: &Matcher<'_>, by_amount: &[(Units, u32)], c: usize) -> Vec<Suggestion> {
    let pay = m.left[c];
    if pay <= 0 {
        return Vec::new();
    }
    let mut pool: Vec<(u32, u8)> = Vec::new();
    let mut add = |inv: u32, reference: u8| match pool.iter_mut().find(|(i, _)| *i == inv) {
        Some(entry) => entry.1 = entry.1.max(reference),
        None => pool.push((inv, reference)),
    };
    for hit in m.pre.hits(c) {
        let reference = match hit.kind {
            HitKind::Structured | HitKind::Strong => REF_NAMED,
            HitKind::Ambiguous => REF_AMBIGUOUS,
            HitKind::Weak => REF_WEAK,
        };
        add(hit.invoice, reference);
    }
    for &inv in m.amount_hints.get(&c).map_or(&[][..], Vec::as_slice) {
        add(inv, 0);
    }
    let payer = &m.pre.payers[c];
    for &customer in payer.customers().iter().take(MAX_PAYER_CUSTOMERS) {
        if let Some(book) = m.books.built(customer) {
            for &inv in book
                .by_date
                .iter()
                .filter(|&&i| m.open[i as usize] > 0)
                .take(PER_CUSTOMER_OLDEST)
            {
                add(inv, 0);
            }
            let at = book.by_open.partition_point(|&(o, _)| o < pay);
            let above = book.by_open[at..].iter().take(PER_CUSTOMER_NEAREST);
            let below = book.by_open[..at].iter().rev().take(PER_CUSTOMER_NEAREST);
            for &(_, inv) in above.chain(below) {
                add(inv, 0);
            }
            for &inv in &book.moved {
                add(inv, 0);
            }
        }
    }
    // Walk outwards from the payment's amount: the closest amounts first.
    let at = by_amount.partition_point(|&(o, _)| o < pay);
    let (mut up, mut down) = (at, at);
    for _ in 0..SAME_AMOUNT {
        let above = by_amount.get(up).filter(|(o, _)| *o - pay <= m.tolerance);
        let below = down
            .checked_sub(1)
            .and_then(|d| by_amount.get(d))
            .filter(|(o, _)| pay - *o <= m.tolerance);
        match (above, below) {
            (Some(&(a, ia)), Some(&(b, _))) if a - pay <= pay - b => {
                add(ia, 0);
                up += 1;
            }
            (Some(&(_, ia)), None) => {
                add(ia, 0);
                up += 1;
            }
            (_, Some(&(_, ib))) => {
                add(ib, 0);
                down -= 1;
            }
            (None, None) => break,
        }
    }
    let mut scored: Vec<(u32, ScoreComponents)> = pool
        .into_iter()
        .filter(|(inv, _)| m.candidate(c, *inv))
        .map(|(inv, reference)| (inv, score(m, c, inv, reference, payer)))
        .filter(|(_, s)| s.total() >= m.params.min_suggestion_score)
        .collect();
    let invoices = m.invoices;
    scored.sort_by(|(a, sa), (b, sb)| {
        let key = |i: &u32| (invoices[*i as usize].issue_date, invoices[*i as usize].id);
        sb.total()
            .cmp(&sa.total())
            .then_with(|| key(a).cmp(&key(b)))
    });
    scored.truncate(m.params.max_suggestions);
    scored
        .into_iter()
        .map(|(inv, components)| describe(m, c, inv, components))
        .collect()
}

/// The score components of one invoice for one credit; cheap, so that many candidates can
/// be weighed before any text is written.
fn score(m: &Matcher<'_>, c: usize, inv: u32, reference: u8, payer: &Payer) -> ScoreComponents {
    let credit = &m.credits[c];
    let invoice = &m.invoices[inv as usize];
    let pay = m.left[c];
    let open = m.open[inv as usize];
    let amount = match settles(pay, open, m.discounted.get(&inv).copied(), m.tolerance) {
        Some(Settle::Exact) => 30,
        Some(Settle::Discount { .. }) => 27,
        Some(_) => 25,
        None => {
            let (small, large) = if pay < open { (pay, open) } else { (open, pay) };
            (15 * i128::from(small) / i128::from(large.max(1))) as u8
        }
    };
    let payer = match payer {
        Payer::Known(customer, _) if *customer == invoice.customer_id => 20,
        Payer::Ambiguous(list) if list.contains(&invoice.customer_id) => 10,
        _ => 0,
    };
    let due = invoice
        .due_date
        .or_else(|| invoice.issue_date.checked_add_days(Days::new(30)))
        .unwrap_or(invoice.issue_date);
    let early = invoice
        .issue_date
        .checked_sub_days(Days::new(7))
        .unwrap_or(invoice.issue_date);
    let date = if credit.date < early {
        0
    } else if credit.date < invoice.issue_date {
        4
    } else if due
        .checked_add_days(Days::new(120))
        .is_none_or(|late| credit.date <= late)
    {
        10
    } else {
        6
    };
    ScoreComponents {
        reference,
        amount,
        payer,
        date,
    }
}

/// The suggestion as a person reads it.
fn describe(m: &Matcher<'_>, c: usize, inv: u32, components: ScoreComponents) -> Suggestion {
    let credit = &m.credits[c];
    let invoice = &m.invoices[inv as usize];
    let (pay, open) = (m.left[c], m.open[inv as usize]);
    let lang = m.params.lang;
    let money = |u: Units| money_text(u, credit.currency, lang);
    // The fixed phrases are the cockpit's (`words`); the amounts and the payer's name are
    // added where they say more.
    let [reference, amount, _, date] = component_words(components, lang);
    let mut reasons: Vec<String> = Vec::new();
    if components.reference >= REF_WEAK {
        reasons.push(reference.1.into());
    }
    match components.amount {
        30 | 27 | 25 => reasons.push(amount.1.into()),
        _ if pay < open => reasons.push(format!(
            "{} {} {} {}",
            lang.pick("paie", "pays"),
            money(pay),
            lang.pick("sur", "of"),
            money(open)
        )),
        _ => reasons.push(format!(
            "{} {} {}",
            money(pay - open),
            lang.pick("de plus que les", "more than the"),
            money(open) + lang.pick(" restant dus", " open")
        )),
    }
    let whom = m.payers.name_of(invoice.customer_id);
    match components.payer {
        20 => reasons.push(format!("{} {whom}", lang.pick("payé par", "paid by"))),
        10 => reasons.push(format!(
            "{} {whom}",
            lang.pick("payeur possible :", "payer may be")
        )),
        _ => {}
    }
    if components.date < 10 {
        reasons.push(date.1.into());
    }
    Suggestion {
        invoice_id: invoice.id,
        invoice_number: invoice.number.clone(),
        customer_id: invoice.customer_id,
        open: from_units(open, invoice.currency),
        score: components.total(),
        components,
        reason: reasons.join(lang.pick(" ; ", "; ")),
    }
}
