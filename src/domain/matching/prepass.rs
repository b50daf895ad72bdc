//! The read-only first look at every credit, in parallel: which invoices its references
//! name, how strongly, and who the payer is when no reference settles it. The decisions are
//! taken afterwards, in order, by the rules.

use super::CreditLine;
use super::hashing::par_ranges;
use super::index::RefIndex;
use super::payer::{Payer, PayerIndex};
use super::scan::{Strength, TextScan, compact, letter_prefix_len, rf_inner, strength};
use crate::domain::money::Currency;
use crate::import::text::normalise_reference;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum HitKind {
    /// The structured reference designates this invoice, and only it.
    Structured,
    /// A long number in the text names it.
    Strong,
    /// A short number names it: counts only if the amount fits.
    Weak,
    /// A reference names it and other invoices as well.
    Ambiguous,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hit {
    pub invoice: u32,
    pub kind: HitKind,
    /// Where in the remittance text it was read (empty for the structured field).
    pub quote: (u32, u32),
}

pub(super) struct Prepass {
    hits: Vec<Hit>,
    /// Credit `c`'s hits are `hits[offsets[c]..offsets[c + 1]]`.
    offsets: Vec<u32>,
    /// The payer, for credits no reference settles (else `Unknown`, not looked at).
    pub payers: Vec<Payer>,
}

impl Prepass {
    pub(super) fn hits(&self, c: usize) -> &[Hit] {
        &self.hits[self.offsets[c] as usize..self.offsets[c + 1] as usize]
    }
}

pub(super) struct Context<'a> {
    pub credits: &'a [CreditLine],
    /// The currency of each invoice still open, `None` for the others.
    pub usable: &'a [Option<Currency>],
    /// The one currency of all open invoices, when they share one.
    pub one_currency: Option<Currency>,
    pub refs: &'a RefIndex,
    pub payers: &'a PayerIndex,
}

pub(super) fn run(cx: &Context<'_>, threads: usize) -> Prepass {
    let parts = par_ranges(cx.credits.len(), threads, |range| {
        let mut scan = TextScan::default();
        let mut hits = Vec::with_capacity(range.len() * 2);
        let mut ends = Vec::with_capacity(range.len());
        let mut payers = Vec::with_capacity(range.len());
        for c in range {
            let before = hits.len();
            structured(cx, c, &mut hits);
            if !hits[before..].iter().any(|h| h.kind == HitKind::Structured) {
                in_text(cx, c, &mut scan, &mut hits);
            }
            let settled = hits[before..]
                .iter()
                .any(|h| matches!(h.kind, HitKind::Structured | HitKind::Strong));
            payers.push(if settled {
                Payer::Unknown
            } else {
                cx.payers.resolve(&cx.credits[c])
            });
            ends.push(hits.len() as u32);
        }
        (hits, ends, payers)
    });
    let mut out = Prepass {
        hits: Vec::with_capacity(parts.iter().map(|p| p.0.len()).sum()),
        offsets: Vec::with_capacity(cx.credits.len() + 1),
        payers: Vec::with_capacity(cx.credits.len()),
    };
    out.offsets.push(0);
    for (hits, ends, payers) in parts {
        let base = out.hits.len() as u32;
        out.hits.extend(hits);
        out.offsets.extend(ends.into_iter().map(|e| base + e));
        out.payers.extend(payers);
    }
    out
}

/// The index holds open invoices only; their currency needs checking only when the invoices
/// are in several currencies (reading it costs a memory access per hit).
fn usable(cx: &Context<'_>, c: usize, inv: u32) -> bool {
    match cx.one_currency {
        Some(only) => only == cx.credits[c].currency,
        None => cx.usable[inv as usize] == Some(cx.credits[c].currency),
    }
}

/// Rule 1's evidence: the invoices the structured reference designates.
fn structured(cx: &Context<'_>, c: usize, hits: &mut Vec<Hit>) {
    let Some(s) = cx.credits[c].structured_ref.as_deref() else {
        return;
    };
    let compacted = compact(s);
    let mut forms = vec![normalise_reference(s), compacted.clone()];
    if let Some(inner) = rf_inner(&compacted) {
        forms.push(inner.to_string());
        forms.push(normalise_reference(inner));
    }
    let mut found: Vec<u32> = Vec::new();
    let mut seen: Vec<u64> = Vec::new();
    for form in forms.iter().filter(|f| !f.is_empty()) {
        cx.refs.lookup(form, &mut seen, |inv, _| {
            if usable(cx, c, inv) && !found.contains(&inv) {
                found.push(inv);
            }
        });
    }
    if found.is_empty() {
        // "2024-000123" for "FA-2024-000123": the letters left out, enough digits kept.
        for form in &forms {
            let tail = letter_prefix_len(form).map_or(form.as_str(), |p| &form[p..]);
            if tail.len() >= 5 {
                cx.refs.lookup_tail(tail, &mut seen, |inv| {
                    if usable(cx, c, inv) && !found.contains(&inv) {
                        found.push(inv);
                    }
                });
            }
        }
    }
    let kind = if found.len() == 1 {
        HitKind::Structured
    } else {
        HitKind::Ambiguous
    };
    hits.extend(found.into_iter().map(|invoice| Hit {
        invoice,
        kind,
        quote: (0, 0),
    }));
}

/// Rule 2's evidence: invoices named in the free text.
fn in_text(cx: &Context<'_>, c: usize, scan: &mut TextScan, hits: &mut Vec<Hit>) {
    let start = hits.len();
    let mut found: Vec<u32> = Vec::new();
    // "FA 2024 12" is read both as "FA202412" and as "202412" behind the prefix "FA": look
    // each key up once.
    let mut seen: Vec<u64> = Vec::new();
    scan.scan(&cx.credits[c].remittance);
    scan.candidates(|cand| {
        found.clear();
        cx.refs.lookup(cand.key, &mut seen, |inv, _| {
            if usable(cx, c, inv) && !found.contains(&inv) {
                found.push(inv);
            }
        });
        let mut looked_up = cand.key;
        if found.is_empty() {
            looked_up = letter_prefix_len(cand.key).map_or(cand.key, |p| &cand.key[p..]);
            cx.refs.lookup_tail(looked_up, &mut seen, |inv| {
                if usable(cx, c, inv) && !found.contains(&inv) {
                    found.push(inv);
                }
            });
        }
        let kind = match found.as_slice() {
            [] => return,
            [_] => match strength(looked_up, cand.announced) {
                Strength::Strong => HitKind::Strong,
                Strength::Weak => HitKind::Weak,
            },
            _ => HitKind::Ambiguous,
        };
        for &invoice in &found {
            // One entry per invoice, the strongest reading kept.
            match hits[start..].iter_mut().find(|h| h.invoice == invoice) {
                Some(h) if kind < h.kind => {
                    h.kind = kind;
                    h.quote = cand.quote;
                }
                Some(_) => {}
                None => hits.push(Hit {
                    invoice,
                    kind,
                    quote: cand.quote,
                }),
            }
        }
    });
}
