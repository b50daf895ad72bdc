//! Customer accounts (411) of a FEC: customers, invoices and credit notes, and the
//! settlements that lettering records.
//!
//! A lettering group (one customer account, one EcritureLet code) holds documents and
//! the movements that cleared them. Within it, payments and credit notes are allocated to
//! invoices oldest first, one settlement per (invoice, payment) pair dated on the payment's
//! entry. An invoice offset by a credit note gives a settlement on both, so that the credit
//! note is not counted again as an open credit. A debit from a bank journal (a returned
//! payment) first cancels the payment it undoes. Whatever the group leaves unexplained
//! (its counterpart is in another year's FEC) is settled on DateLet, the day the
//! lettering was done.

use super::{EntryKey, JournalKind, Line, Numbering, assign_numbers, is_customer};
use crate::domain::model::{
    InvoiceKind, LedgerSettlement, NewCustomer, NewInvoice, SourceLocation,
};
use crate::import::{ImportBatch, ParseContext};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};

struct Doc {
    customer: String,
    entry: EntryKey,
    opening: bool,
    date: NaiveDate,
    net: Decimal,
    line: usize,
    piece: Option<String>,
    letter: Option<String>,
    letter_date: Option<NaiveDate>,
    number: String,
}

struct Movement {
    customer: String,
    date: NaiveDate,
    net: Decimal,
    line: usize,
    letter: Option<String>,
}

pub(super) fn import(
    lines: &[Line],
    journals: &HashMap<String, JournalKind>,
    ctx: &ParseContext,
    batch: &mut ImportBatch,
) {
    let customer_lines: Vec<&Line> = lines.iter().filter(|l| is_customer(&l.account)).collect();
    push_customers(&customer_lines, batch);
    // A 411 credit balanced by a 416 debit moves the debt to doubtful receivables: the
    // invoice is still unpaid.
    let doubtful: HashSet<EntryKey> = lines
        .iter()
        .filter(|l| l.account.starts_with("416"))
        .map(Line::key)
        .collect();
    let mut docs: Vec<Doc> = Vec::new();
    let mut by_entry: HashMap<(EntryKey, String), usize> = HashMap::new();
    let mut movements: Vec<Movement> = Vec::new();
    let mut to_doubtful = 0usize;
    for l in customer_lines {
        let customer = l.party_code().to_string();
        match journals
            .get(&l.journal)
            .copied()
            .unwrap_or(JournalKind::Other)
        {
            JournalKind::Opening => docs.push(new_doc(l, customer, true)),
            JournalKind::Sales => {
                let key = (l.key(), customer.clone());
                match by_entry.get(&key) {
                    Some(&i) => {
                        let d = &mut docs[i];
                        d.net += l.net();
                        d.piece = d.piece.take().or_else(|| l.piece_ref.clone());
                        d.letter = d.letter.take().or_else(|| l.letter.clone());
                        d.letter_date = d.letter_date.or(l.letter_date);
                    }
                    None => {
                        by_entry.insert(key, docs.len());
                        docs.push(new_doc(l, customer, false));
                    }
                }
            }
            JournalKind::Other if l.net() < Decimal::ZERO && doubtful.contains(&l.key()) => {
                to_doubtful += 1
            }
            JournalKind::Other if !l.net().is_zero() => movements.push(Movement {
                customer,
                date: l.entry_date,
                net: l.net(),
                line: l.line,
                letter: l.letter.clone(),
            }),
            JournalKind::Other => {}
        }
    }
    docs.retain(|d| !d.net.is_zero());
    let keys: Vec<Numbering> = docs
        .iter()
        .map(|d| {
            let fallback = match (&d.piece, d.opening) {
                (_, true) => format!("AN-{}-{}", d.customer, d.entry.1),
                (Some(p), false) => format!("{p}-{}", d.entry.1),
                (None, false) => format!("{}-{}", d.entry.0, d.entry.1),
            };
            Numbering {
                scope: String::new(),
                piece: d.piece.clone(),
                fallback,
            }
        })
        .collect();
    for (d, number) in docs.iter_mut().zip(assign_numbers(&keys)) {
        d.number = number;
    }
    for d in &docs {
        batch.invoices.push(NewInvoice {
            number: d.number.clone(),
            kind: if d.net > Decimal::ZERO {
                InvoiceKind::Invoice
            } else {
                InvoiceKind::CreditNote
            },
            customer_code: d.customer.clone(),
            issue_date: d.date,
            due_date: None,
            amount: d.net.abs(),
            currency: ctx.default_currency,
            location: SourceLocation::Line(d.line),
            ..Default::default()
        });
    }
    let unlettered: Vec<&Movement> = movements
        .iter()
        .filter(|m| m.letter.is_none() && m.net < Decimal::ZERO)
        .collect();
    if !unlettered.is_empty() {
        let total: Decimal = unlettered.iter().map(|m| -m.net).sum();
        batch.warn(
            SourceLocation::Line(unlettered[0].line),
            format!("{} customer payment(s) totalling {total} carry no lettering code: they are not tied to invoices", unlettered.len()),
        );
    }
    if to_doubtful > 0 {
        batch.warn(
            SourceLocation::Unknown,
            format!(
                "{to_doubtful} transfer(s) to doubtful receivables (416) leave their invoices open"
            ),
        );
    }
    settle(&docs, &movements, ctx, batch);
}

fn new_doc(l: &Line, customer: String, opening: bool) -> Doc {
    Doc {
        customer,
        entry: l.key(),
        opening,
        date: l.document_date(),
        net: l.net(),
        line: l.line,
        piece: l.piece_ref.clone(),
        letter: l.letter.clone(),
        letter_date: l.letter_date,
        number: String::new(),
    }
}

fn push_customers(lines: &[&Line], batch: &mut ImportBatch) {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for l in lines {
        let code = l.party_code();
        let name = l.party_name().map(str::to_string);
        match index.get(code) {
            Some(&i) => {
                // A first line without a name gave the code as name; a later one may do better.
                let c: &mut NewCustomer = &mut batch.customers[i];
                if let (true, Some(n)) = (c.name == c.code, name) {
                    c.name = n;
                }
            }
            None => {
                index.insert(code, batch.customers.len());
                batch.customers.push(NewCustomer {
                    code: code.to_string(),
                    name: name.unwrap_or_else(|| code.to_string()),
                    location: SourceLocation::Line(l.line),
                    ..Default::default()
                });
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Doc(usize),
    Movement(usize),
}

struct Open {
    side: Side,
    date: NaiveDate,
    line: usize,
    left: Decimal,
}

fn settle(docs: &[Doc], movements: &[Movement], ctx: &ParseContext, batch: &mut ImportBatch) {
    // BTreeMap: groups come out in a stable order, so the settlements do too.
    let mut groups: BTreeMap<(String, String), (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let Some(letter) = &d.letter {
            groups
                .entry((d.customer.clone(), letter.clone()))
                .or_default()
                .0
                .push(i);
        }
    }
    for (i, m) in movements.iter().enumerate() {
        if let Some(letter) = &m.letter {
            groups
                .entry((m.customer.clone(), letter.clone()))
                .or_default()
                .1
                .push(i);
        }
    }
    for ((_, letter), (doc_ids, mov_ids)) in groups {
        let mut debits: Vec<Open> = Vec::new();
        let mut credits: Vec<Open> = Vec::new();
        for &i in &doc_ids {
            let d = &docs[i];
            let open = Open {
                side: Side::Doc(i),
                date: d.date,
                line: d.line,
                left: d.net.abs(),
            };
            if d.net > Decimal::ZERO {
                debits.push(open)
            } else {
                credits.push(open)
            }
        }
        for &i in &mov_ids {
            let m = &movements[i];
            let open = Open {
                side: Side::Movement(i),
                date: m.date,
                line: m.line,
                left: m.net.abs(),
            };
            if m.net > Decimal::ZERO {
                debits.push(open)
            } else {
                credits.push(open)
            }
        }
        debits.sort_by_key(|o| (o.date, o.line));
        credits.sort_by_key(|o| (o.date, o.line));
        cancel_returned_payments(&mut debits, &mut credits);
        let mut out = Vec::new();
        let push = |out: &mut Vec<LedgerSettlement>,
                    doc: usize,
                    date: NaiveDate,
                    amount: Decimal,
                    line: usize| {
            out.push(LedgerSettlement {
                invoice_number: docs[doc].number.clone(),
                date,
                amount,
                currency: ctx.default_currency,
                lettering_code: letter.clone(),
                location: SourceLocation::Line(line),
            });
        };
        let mut c = 0;
        for d in debits.iter_mut() {
            while d.left > Decimal::ZERO && c < credits.len() {
                let cr = &mut credits[c];
                if cr.left.is_zero() {
                    c += 1;
                    continue;
                }
                let x = d.left.min(cr.left);
                match (d.side, cr.side) {
                    (Side::Doc(inv), Side::Movement(_)) => push(&mut out, inv, cr.date, x, cr.line),
                    (Side::Doc(inv), Side::Doc(cn)) => {
                        let date = d.date.max(cr.date);
                        push(&mut out, inv, date, x, cr.line);
                        push(&mut out, cn, date, x, d.line);
                    }
                    (Side::Movement(_), Side::Doc(cn)) => push(&mut out, cn, d.date, x, d.line),
                    (Side::Movement(_), Side::Movement(_)) => {}
                }
                d.left -= x;
                cr.left -= x;
                if cr.left.is_zero() {
                    c += 1;
                }
            }
        }
        // The counterpart lies outside this file: the lettering still says it was settled.
        for o in debits.iter().chain(credits.iter()) {
            let Side::Doc(i) = o.side else { continue };
            if let (true, Some(date)) = (o.left > Decimal::ZERO, docs[i].letter_date) {
                push(&mut out, i, date, o.left, docs[i].line);
            }
        }
        batch.settlements.extend(out);
    }
}

/// A bank-journal debit on a lettered customer account undoes a payment (a returned
/// transfer, a bounced cheque): it cancels the latest payment on or before it, the one of
/// the same amount first. What is left of it stays a debit (a refund of a credit note).
fn cancel_returned_payments(debits: &mut Vec<Open>, credits: &mut [Open]) {
    for d in debits
        .iter_mut()
        .filter(|d| matches!(d.side, Side::Movement(_)))
    {
        let candidates = || {
            credits
                .iter()
                .enumerate()
                .filter(|(_, c)| {
                    matches!(c.side, Side::Movement(_))
                        && c.date <= d.date
                        && c.left > Decimal::ZERO
                })
                .map(|(i, _)| i)
        };
        let same = candidates().rfind(|&i| credits[i].left == d.left);
        let Some(i) = same.or_else(|| candidates().next_back()) else {
            continue;
        };
        let x = d.left.min(credits[i].left);
        credits[i].left -= x;
        d.left -= x;
    }
    debits.retain(|d| d.left > Decimal::ZERO);
}
