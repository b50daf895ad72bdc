//! Supplier accounts (401) of a FEC: the invoices to pay, for the cash forecast. A supplier
//! invoice is the net credit of one supplier in one entry that moves no bank or cash
//! account; opening balances count line by line. It is paid when all its lines are lettered.

use super::{EntryKey, JournalKind, Line, Numbering, assign_numbers, is_cash, is_supplier};
use crate::domain::model::{NewSupplierInvoice, SourceLocation};
use crate::import::{ImportBatch, ParseContext};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

struct Doc<'a> {
    first: &'a Line,
    net: Decimal,
    lettered: bool,
    opening: bool,
}

pub(super) fn import(
    lines: &[Line],
    journals: &HashMap<String, JournalKind>,
    ctx: &ParseContext,
    batch: &mut ImportBatch,
) {
    let payments: HashSet<EntryKey> = lines
        .iter()
        .filter(|l| is_cash(&l.account))
        .map(Line::key)
        .collect();
    let mut docs: Vec<Doc<'_>> = Vec::new();
    let mut by_entry: HashMap<(EntryKey, &str), usize> = HashMap::new();
    for l in lines.iter().filter(|l| is_supplier(&l.account)) {
        let opening = journals.get(&l.journal) == Some(&JournalKind::Opening);
        if opening {
            docs.push(Doc {
                first: l,
                net: l.net(),
                lettered: l.letter.is_some(),
                opening,
            });
            continue;
        }
        if payments.contains(&l.key()) {
            continue;
        }
        match by_entry.get(&(l.key(), l.party_code())) {
            Some(&i) => {
                docs[i].net += l.net();
                docs[i].lettered &= l.letter.is_some();
            }
            None => {
                by_entry.insert((l.key(), l.party_code()), docs.len());
                docs.push(Doc {
                    first: l,
                    net: l.net(),
                    lettered: l.letter.is_some(),
                    opening,
                });
            }
        }
    }
    let credit_notes = docs.iter().filter(|d| d.net > Decimal::ZERO).count();
    if credit_notes > 0 {
        batch.warn(
            SourceLocation::Unknown,
            format!("{credit_notes} supplier credit note(s) were left out of the payables"),
        );
    }
    docs.retain(|d| d.net < Decimal::ZERO);
    let keys: Vec<Numbering> = docs
        .iter()
        .map(|d| {
            let l = d.first;
            let fallback = match (&l.piece_ref, d.opening) {
                (_, true) => format!("AN-{}-{}", l.party_code(), l.entry),
                (Some(p), false) => format!("{p}-{}", l.entry),
                (None, false) => format!("{}-{}", l.journal, l.entry),
            };
            Numbering {
                scope: l.party_code().to_string(),
                piece: l.piece_ref.clone(),
                fallback,
            }
        })
        .collect();
    for (d, number) in docs.iter().zip(assign_numbers(&keys)) {
        let l = d.first;
        batch.supplier_invoices.push(NewSupplierInvoice {
            number,
            supplier_code: l.party_code().to_string(),
            supplier_name: l.party_name().unwrap_or(l.party_code()).to_string(),
            issue_date: l.document_date(),
            due_date: None,
            amount: -d.net,
            currency: ctx.default_currency,
            paid: d.lettered,
            location: SourceLocation::Line(l.line),
        });
    }
}
