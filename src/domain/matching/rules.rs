//! The matcher: the state the rules share (open amounts, what is left of each credit, the
//! decisions so far) and the passes that apply them.
//!
//! The expensive reading (indexes, text scanning, payer names) happens first, in parallel
//! and read-only; the decisions are then taken one credit at a time, oldest first, because
//! each one changes what the next can use.

use super::amounts::{Settle, Units, discounted, from_units, settles, to_units};
use super::books::Books;
use super::evidence::{Decision, Note, Renderer, Why};
use super::hashing::threads_for;
use super::index::RefIndex;
use super::payer::PayerIndex;
use super::prepass::{self, HitKind, Prepass};
use super::{
    CreditLine, MatchOutcome, MatchParams, OpenInvoice, Overpayment, PayerDirectory, Rule,
    Unmatched,
};
use crate::domain::model::TransactionId;
use crate::domain::money::Currency;
use std::collections::HashMap;

pub(super) struct Matcher<'a> {
    pub credits: &'a [CreditLine],
    pub invoices: &'a [OpenInvoice],
    pub params: &'a MatchParams,
    pub payers: PayerIndex,
    pub tolerance: Units,
    /// Current open amount per invoice (0 when unusable).
    pub open: Vec<Units>,
    /// Open amount less the early-payment discount, for untouched invoices that offer one.
    pub discounted: HashMap<u32, Units>,
    pub books: Books,
    /// What is left to allocate per credit (0 when unusable).
    pub left: Vec<Units>,
    pub pre: Prepass,
    /// Invoices that rules 3–4 found fitting equally well, per credit: for suggestions.
    pub amount_hints: HashMap<usize, Vec<u32>>,
    pub threads: usize,
    decisions: Vec<Decision>,
    overpaid: Vec<usize>,
}

/// The rules' decisions, with the suggestions for the credits left still to work out: a
/// matching run writes the decisions while another thread suggests (`matching::decide`).
pub struct Decided<'a> {
    matcher: Matcher<'a>,
    unmatched: Vec<usize>,
}

impl Decided<'_> {
    /// The allocations, over-payments and credits left (listed without suggestions): what
    /// `match_credits` gives but the suggestions.
    pub fn outcome(&self) -> MatchOutcome {
        self.matcher.outcome(&self.unmatched)
    }

    /// The suggestions for each credit left, in the order of [`Decided::outcome`]'s
    /// `unmatched`: each the very list `match_credits` gives it.
    pub fn suggestions(mut self) -> Vec<Vec<super::Suggestion>> {
        super::suggest::all(&mut self.matcher, &self.unmatched)
    }
}

impl<'a> Matcher<'a> {
    pub(super) fn new(
        credits: &'a [CreditLine],
        invoices: &'a [OpenInvoice],
        directory: &PayerDirectory,
        params: &'a MatchParams,
    ) -> Matcher<'a> {
        let mut open = Vec::with_capacity(invoices.len());
        let mut discounts = HashMap::new();
        for (i, inv) in invoices.iter().enumerate() {
            let units = to_units(inv.open).filter(|u| *u > 0).unwrap_or(0);
            open.push(units);
            if let Some(pct) = inv.discount_percent
                && units > 0
                && let Some(target) = discounted(units, pct, inv.currency)
            {
                discounts.insert(i as u32, target);
            }
        }
        let usable: Vec<Option<Currency>> = open
            .iter()
            .zip(invoices)
            .map(|(o, inv)| (*o > 0).then_some(inv.currency))
            .collect();
        let left: Vec<Units> = credits
            .iter()
            .map(|c| to_units(c.amount).filter(|u| *u > 0).unwrap_or(0))
            .collect();
        let threads = threads_for(credits.len().max(invoices.len()));
        let payers = PayerIndex::new(directory);
        let pre = {
            let refs = RefIndex::build(invoices, &usable, threads);
            let mut currencies = usable.iter().flatten();
            let first = currencies.next().copied();
            let one_currency = first.filter(|f| currencies.all(|c| c == f));
            let cx = prepass::Context {
                credits,
                usable: &usable,
                one_currency,
                refs: &refs,
                payers: &payers,
            };
            prepass::run(&cx, threads)
        };
        Matcher {
            credits,
            invoices,
            params,
            payers,
            tolerance: to_units(params.fee_tolerance.max(rust_decimal::Decimal::ZERO)).unwrap_or(0),
            books: Books::new(invoices, &open),
            open,
            discounted: discounts,
            left,
            pre,
            amount_hints: HashMap::new(),
            threads,
            decisions: Vec::with_capacity(credits.len() + credits.len() / 8),
            overpaid: Vec::new(),
        }
    }

    fn chronological(&self) -> Vec<usize> {
        // Sort plain keys, not indexes into the credits: a million random reads avoided.
        let mut keyed: Vec<(chrono::NaiveDate, i64, u32)> = self
            .credits
            .iter()
            .enumerate()
            .map(|(c, credit)| (credit.date, credit.id, c as u32))
            .collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, _, c)| c as usize).collect()
    }

    /// Rules 1–4 over every credit, then suggestions for the credits left that `want` names
    /// (the others are listed with none: the cockpit asks for a page at a time).
    pub(super) fn run(self, want: &dyn Fn(TransactionId) -> bool) -> MatchOutcome {
        let decided = self.decide();
        decided.matcher.finish(&decided.unmatched, want)
    }

    /// Rules 1–4 over every credit, oldest first; the credits left for a person.
    pub(super) fn decide(mut self) -> Decided<'a> {
        let order = self.chronological();
        let mut pending = Vec::new();
        for c in order {
            if self.left[c] > 0 && !self.by_reference(c) {
                pending.push(c);
            }
        }
        let mut unmatched = Vec::new();
        for c in pending {
            if !self.by_payer(c) {
                unmatched.push(c);
            }
        }
        Decided {
            matcher: self,
            unmatched,
        }
    }

    /// Suggestions for every credit, no rule applied: what a person sees when choosing.
    pub(super) fn suggest_only(mut self, want: &dyn Fn(TransactionId) -> bool) -> Vec<Unmatched> {
        for c in 0..self.credits.len() {
            if matches!(self.pre.payers[c], super::payer::Payer::Unknown) {
                self.pre.payers[c] = self.payers.resolve(&self.credits[c]);
            }
        }
        let all: Vec<usize> = self.chronological();
        self.finish(&all, want).unmatched
    }

    fn finish(mut self, unmatched: &[usize], want: &dyn Fn(TransactionId) -> bool) -> MatchOutcome {
        // A credit's suggestions depend on the state the rules left (open amounts, books,
        // hints), never on which other credits are being suggested for: a subset gives each
        // credit exactly what the whole would.
        let asked: Vec<bool> = unmatched
            .iter()
            .map(|&c| want(self.credits[c].id))
            .collect();
        let wanted: Vec<usize> = unmatched
            .iter()
            .zip(&asked)
            .filter_map(|(&c, &a)| a.then_some(c))
            .collect();
        let mut suggestions = super::suggest::all(&mut self, &wanted).into_iter();
        let mut outcome = self.outcome(unmatched);
        for (left, _) in outcome
            .unmatched
            .iter_mut()
            .zip(&asked)
            .filter(|(_, a)| **a)
        {
            left.suggestions = suggestions.next().unwrap_or_default();
        }
        outcome
    }

    /// What the rules decided, the credits left listed without suggestions. Suggesting
    /// reads the state the rules left and changes none of it (the books it builds are a
    /// cache), so this is the same before or after.
    fn outcome(&self, unmatched: &[usize]) -> MatchOutcome {
        let renderer = Renderer {
            credits: self.credits,
            invoices: self.invoices,
            payers: &self.payers,
            lang: self.params.lang,
        };
        let allocations = renderer.all(&self.decisions, self.threads);
        let left = |c: usize| from_units(self.left[c], self.credits[c].currency);
        MatchOutcome {
            allocations,
            overpayments: self
                .overpaid
                .iter()
                .map(|&c| Overpayment {
                    transaction_id: self.credits[c].id,
                    left: left(c),
                })
                .collect(),
            unmatched: unmatched
                .iter()
                .map(|&c| Unmatched {
                    transaction_id: self.credits[c].id,
                    left: left(c),
                    suggestions: Vec::new(),
                })
                .collect(),
        }
    }

    pub(super) fn candidate(&self, credit: usize, invoice: u32) -> bool {
        self.open[invoice as usize] > 0
            && self.invoices[invoice as usize].currency == self.credits[credit].currency
    }

    /// Rules 1 and 2. True when the credit was used (fully, or with an over-payment left).
    fn by_reference(&mut self, c: usize) -> bool {
        let hits = self.pre.hits(c);
        let open = &self.open;
        let live = |kind: HitKind| {
            hits.iter()
                .filter(move |h| h.kind == kind && open[h.invoice as usize] > 0)
        };
        if let Some(h) = live(HitKind::Structured).next() {
            let listed = vec![(h.invoice, Why::Structured)];
            self.allocate_listed(c, listed, Rule::StructuredReference);
            return true;
        }
        let strong: Vec<(u32, Why)> = live(HitKind::Strong)
            .map(|h| (h.invoice, Why::Text { quote: h.quote }))
            .collect();
        if !strong.is_empty() {
            self.allocate_listed(c, strong, Rule::ReferenceInText);
            return true;
        }
        // A short number ("12") counts only when the amount settles that very invoice, and
        // no other short number fits as well.
        let pay = self.left[c];
        let fitting: Vec<(u32, Why)> = live(HitKind::Weak)
            .filter(|h| {
                let i = h.invoice;
                settles(
                    pay,
                    open[i as usize],
                    self.discounted.get(&i).copied(),
                    self.tolerance,
                )
                .is_some()
            })
            .map(|h| (h.invoice, Why::Text { quote: h.quote }))
            .collect();
        if fitting.len() == 1 {
            self.allocate_listed(c, fitting, Rule::ReferenceInText);
            return true;
        }
        false
    }

    /// Allocates a credit to the invoices it names, oldest first, each up to its open amount.
    fn allocate_listed(&mut self, c: usize, mut listed: Vec<(u32, Why)>, rule: Rule) {
        let invoices = self.invoices;
        if listed.len() > 1 {
            listed
                .sort_by_key(|(i, _)| (invoices[*i as usize].issue_date, invoices[*i as usize].id));
        }
        if let [(inv, why)] = listed.as_slice() {
            let open = self.open[*inv as usize];
            let disc = self.discounted.get(inv).copied();
            if let Some(how) = settles(self.left[c], open, disc, self.tolerance)
                && how != Settle::Exact
            {
                self.settle(c, *inv, how, rule, *why);
                return;
            }
        }
        for (inv, why) in listed {
            if self.left[c] == 0 {
                break;
            }
            let open = self.open[inv as usize];
            let amount = self.left[c].min(open);
            let note = if amount < open {
                Note::Partial { open }
            } else {
                Note::None
            };
            self.give(c, inv, amount, rule, why, note);
        }
        if self.left[c] > 0 {
            self.overpaid.push(c);
        }
    }

    /// Settles one invoice with one payment, writing off a discount or fee, or keeping an
    /// over-payment on the bank line.
    pub(super) fn settle(&mut self, c: usize, inv: u32, how: Settle, rule: Rule, why: Why) {
        let pay = self.left[c];
        match how {
            Settle::Exact => self.give(c, inv, pay, rule, why, Note::None),
            Settle::Discount { shortfall } | Settle::Fee { shortfall } => {
                let discount = matches!(how, Settle::Discount { .. });
                let note = Note::Short {
                    paid: pay,
                    shortfall,
                    discount,
                };
                self.give(c, inv, pay, rule, why, note);
                let write_off = if discount {
                    Rule::DiscountWriteOff
                } else {
                    Rule::FeeWriteOff
                };
                self.reduce(c, inv, shortfall, write_off, why, note);
            }
            Settle::Over { extra } => {
                let open = self.open[inv as usize];
                self.give(c, inv, open, rule, why, Note::Over { extra });
                self.overpaid.push(c);
            }
        }
    }

    /// Allocates `amount` of credit `c` to invoice `inv`.
    pub(super) fn give(
        &mut self,
        c: usize,
        inv: u32,
        amount: Units,
        rule: Rule,
        why: Why,
        note: Note,
    ) {
        if amount <= 0 {
            return;
        }
        self.left[c] -= amount;
        self.reduce(c, inv, amount, rule, why, note);
    }

    /// Lowers the invoice's open amount; write-offs do it without using the credit's money.
    fn reduce(&mut self, c: usize, inv: u32, amount: Units, rule: Rule, why: Why, note: Note) {
        let i = inv as usize;
        self.open[i] -= amount;
        if !self.discounted.is_empty() {
            self.discounted.remove(&inv);
        }
        if self.open[i] > 0 {
            self.books.moved(self.invoices[i].customer_id, inv);
        }
        self.decisions.push(Decision {
            credit: c as u32,
            invoice: inv,
            amount,
            rule,
            why,
            note,
        });
    }

    pub(super) fn decisions_len(&self) -> u32 {
        self.decisions.len() as u32
    }
}
