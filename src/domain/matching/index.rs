//! The reference index: every way an open invoice can be named (its number normalised, its
//! number compact with zeros kept, its number without the letter prefix, its payment
//! reference), by hash.
//!
//! The table is cut into partitions by the top bits of the hash and built in parallel. Only
//! hashes are stored: a 64-bit key and an independent 32-bit check (see `hashing::Fnv`), so
//! a lookup never reads the invoice's text, which at a million invoices is what costs.

use super::OpenInvoice;
use super::hashing::{Fnv, Hashed, KeyBuild, Shapes, hash_bytes, par_ranges};
use super::scan::{compact, compact_eq, compact_shape, hash_compact, letter_prefix_len, rf_inner};
use crate::domain::money::Currency;
use crate::import::text::normalise_reference;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RefKind {
    /// The invoice number, normalised.
    Number = 0,
    /// The number with its zeros kept and separators dropped ("FA20240002" for
    /// "FA-2024-0002"): what a customer types when leaving out the dashes.
    Compact = 1,
    /// The number without its leading letters ("2024123" for "FA-2024-0123").
    Tail = 2,
    /// The payment reference printed on the invoice (RF…, structured communication).
    PaymentRef = 3,
}

const KINDS: [RefKind; 4] = [
    RefKind::Number,
    RefKind::Compact,
    RefKind::Tail,
    RefKind::PaymentRef,
];

/// A value is `check << 32 | kind << 29 | invoice`, or `CHAINED | node` when several share
/// the key.
const CHAINED: u64 = 1 << 31;
const INVOICE_MASK: u32 = (1 << 29) - 1;
/// Beyond this many invoices the index refuses to grow (half a billion): the caller splits.
pub(super) const MAX_INVOICES: usize = INVOICE_MASK as usize;
const NONE: u32 = u32::MAX;
const PART_BITS: u32 = 6;
const PARTS: usize = 1 << PART_BITS;
/// With more distinct letter prefixes than this, tails are indexed rather than tried.
const MAX_PREFIXES: usize = 8;

fn part_of(h: u64) -> usize {
    (h >> (64 - PART_BITS)) as usize
}

#[derive(Default)]
struct Part {
    map: HashMap<u64, u64, KeyBuild>,
    /// Linked nodes (value, next) for keys shared by several entries.
    nodes: Vec<(u64, u32)>,
}

impl Part {
    fn insert(&mut self, h: u64, value: u64) {
        match self.map.get_mut(&h) {
            None => {
                self.map.insert(h, value);
            }
            Some(slot) => {
                let next = if *slot & CHAINED != 0 {
                    (*slot & 0xffff_ffff & !CHAINED) as u32
                } else {
                    self.nodes.push((*slot, NONE));
                    (self.nodes.len() - 1) as u32
                };
                self.nodes.push((value, next));
                *slot = CHAINED | (self.nodes.len() - 1) as u64;
            }
        }
    }

    /// Calls `f(kind, invoice)` for the entries whose key and check are `h`'s.
    fn for_each(&self, h: Hashed, mut f: impl FnMut(RefKind, u32)) {
        let Some(&v) = self.map.get(&h.key) else {
            return;
        };
        let mut emit = |v: u64| {
            if (v >> 32) as u32 == h.check {
                let low = v as u32;
                f(KINDS[(low >> 29) as usize & 3], low & INVOICE_MASK);
            }
        };
        if v & CHAINED == 0 {
            emit(v);
            return;
        }
        let mut at = (v & 0xffff_ffff & !CHAINED) as u32;
        while at != NONE {
            let (value, next) = self.nodes[at as usize];
            emit(value);
            at = next;
        }
    }
}

pub(super) struct RefIndex {
    parts: Vec<Part>,
    shapes: Shapes,
    /// The letter prefixes of the invoice numbers ("FA", "AV") when there are few: a number
    /// quoted without its prefix is tried behind each. `None`: tails are indexed instead.
    prefixes: Option<Vec<Box<str>>>,
}

fn payment_forms(reference: &str) -> Vec<String> {
    let mut forms = vec![normalise_reference(reference), compact(reference)];
    if let Some(inner) = rf_inner(&forms[1]) {
        forms.push(inner.to_string());
    }
    forms.retain(|f| !f.is_empty());
    forms.sort();
    forms.dedup();
    forms
}

impl RefIndex {
    /// Indexes the invoices whose `usable` entry is set (open, with their currency).
    pub(super) fn build(
        invoices: &[OpenInvoice],
        usable: &[Option<Currency>],
        threads: usize,
    ) -> RefIndex {
        let mut prefixes: Option<Vec<Box<str>>> = Some(Vec::new());
        for (inv, _) in invoices.iter().zip(usable).filter(|(_, u)| u.is_some()) {
            let key = inv.number_key.as_str();
            if let (Some(list), Some(p)) = (prefixes.as_mut(), letter_prefix_len(key))
                && !list.iter().any(|q| **q == key[..p])
            {
                if list.len() == MAX_PREFIXES {
                    prefixes = None;
                    break;
                }
                list.push(key[..p].into());
            }
        }
        let index_tails = prefixes.is_none();
        // Pass 1, in parallel: the (hash, value) pairs of each range of invoices.
        let keyed: Vec<(Vec<(u64, u64)>, Shapes)> = par_ranges(invoices.len(), threads, |range| {
            let mut out = Vec::with_capacity(range.len() * 2);
            let mut shapes = Shapes::default();
            for i in range {
                if usable[i].is_some() && !invoices[i].number_key.is_empty() && i <= MAX_INVOICES {
                    keys_of(&invoices[i], i as u32, index_tails, &mut out, &mut shapes);
                }
            }
            (out, shapes)
        });
        // Pass 2, in parallel: each thread fills the partitions that fall to it.
        let threads = threads.clamp(1, PARTS);
        let mut counts = [0usize; PARTS];
        for (pairs, _) in &keyed {
            for (h, _) in pairs {
                counts[part_of(*h)] += 1;
            }
        }
        let built: Vec<Vec<(usize, Part)>> = par_ranges(threads, threads, |mine| {
            let own = |p: usize| mine.contains(&(p % threads));
            let mut parts: Vec<(usize, Part)> = (0..PARTS)
                .filter(|p| own(*p))
                .map(|p| {
                    let mut part = Part::default();
                    part.map.reserve(counts[p]);
                    (p, part)
                })
                .collect();
            let slot_of = |p: usize| parts.iter().position(|(q, _)| *q == p);
            let slots: Vec<Option<usize>> = (0..PARTS).map(slot_of).collect();
            for (pairs, _) in &keyed {
                for &(h, v) in pairs {
                    if let Some(s) = slots[part_of(h)] {
                        parts[s].1.insert(h, v);
                    }
                }
            }
            parts
        });
        let mut parts: Vec<Part> = (0..PARTS).map(|_| Part::default()).collect();
        for (p, part) in built.into_iter().flatten() {
            parts[p] = part;
        }
        let mut shapes = Shapes::default();
        for (_, s) in &keyed {
            shapes.merge(s);
        }
        RefIndex {
            parts,
            shapes,
            prefixes,
        }
    }

    fn each(&self, h: Hashed, f: impl FnMut(RefKind, u32)) {
        self.parts[part_of(h.key)].for_each(h, f);
    }

    /// Calls `f(invoice, kind)` for every invoice whose number (normalised or compact) or
    /// payment reference is exactly `key`. The key's hash is added to `seen`, so that
    /// `lookup_tail` does not look it up again.
    pub(super) fn lookup(&self, key: &str, seen: &mut Vec<u64>, mut f: impl FnMut(u32, RefKind)) {
        if !self.shapes.may_contain(&[key.as_bytes()]) {
            return;
        }
        let h = hash_bytes(key.as_bytes());
        // A direct reading is never skipped: it may be stronger than an earlier one.
        first_time(seen, h);
        {
            self.each(h, |kind, inv| {
                if kind != RefKind::Tail {
                    f(inv, kind);
                }
            });
        }
    }

    /// Calls `f(invoice)` for every invoice whose number is `tail` behind its letter prefix,
    /// skipping the keys already in `seen`.
    pub(super) fn lookup_tail(&self, tail: &str, seen: &mut Vec<u64>, mut f: impl FnMut(u32)) {
        if !tail.starts_with(|c: char| c.is_ascii_digit()) {
            return;
        }
        match &self.prefixes {
            Some(prefixes) => {
                for p in prefixes {
                    if !self.shapes.may_contain(&[p.as_bytes(), tail.as_bytes()]) {
                        continue;
                    }
                    let h = Fnv::new()
                        .bytes(p.as_bytes())
                        .bytes(tail.as_bytes())
                        .finish();
                    if !first_time(seen, h) {
                        continue;
                    }
                    self.each(h, |kind, inv| {
                        if matches!(kind, RefKind::Number | RefKind::Compact) {
                            f(inv);
                        }
                    });
                }
            }
            None => {
                if self.shapes.may_contain(&[tail.as_bytes()]) {
                    self.each(hash_bytes(tail.as_bytes()), |kind, inv| {
                        if kind == RefKind::Tail {
                            f(inv);
                        }
                    });
                }
            }
        }
    }
}

/// Records `h` in `seen`; false when it was there already.
fn first_time(seen: &mut Vec<u64>, h: Hashed) -> bool {
    if seen.contains(&h.key) {
        return false;
    }
    seen.push(h.key);
    true
}

fn entry(h: Hashed, kind: RefKind, invoice: u32) -> (u64, u64) {
    let low = ((kind as u32) << 29) | invoice;
    (h.key, (u64::from(h.check) << 32) | u64::from(low))
}

/// The hashed keys of one invoice.
fn keys_of(
    inv: &OpenInvoice,
    i: u32,
    index_tails: bool,
    out: &mut Vec<(u64, u64)>,
    shapes: &mut Shapes,
) {
    let key = inv.number_key.as_bytes();
    shapes.insert(&[key]);
    out.push(entry(hash_bytes(key), RefKind::Number, i));
    let with_zeros = !compact_eq(&inv.number, &[&inv.number_key]);
    if with_zeros {
        let (len, first) = compact_shape(&inv.number);
        shapes.insert_shape(len, first);
        out.push(entry(hash_compact(&inv.number), RefKind::Compact, i));
    }
    if index_tails {
        let full = compact(&inv.number);
        let mut tails = vec![&inv.number_key[..], &full[..]];
        tails.dedup();
        for form in tails {
            if let Some(p) = letter_prefix_len(form) {
                let tail = &form.as_bytes()[p..];
                shapes.insert(&[tail]);
                out.push(entry(hash_bytes(tail), RefKind::Tail, i));
            }
        }
    }
    if let Some(reference) = inv.payment_reference.as_deref() {
        for form in payment_forms(reference) {
            if form.as_bytes() != key {
                shapes.insert(&[form.as_bytes()]);
                out.push(entry(hash_bytes(form.as_bytes()), RefKind::PaymentRef, i));
            }
        }
    }
}
