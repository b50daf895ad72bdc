//! Rules 3 and 4: the payer is known; the amount settles one of its open invoices, or
//! exactly one combination of them.

use super::Rule;
use super::amounts::{Combination, Settle, Units, find_combination, settles};
use super::evidence::{Note, Why};
use super::payer::{How, Payer};
use super::rules::Matcher;
use crate::domain::model::CustomerId;

/// Rule 4 tries at most this many of the customer's oldest invoices...
const MAX_COMBINATION_CANDIDATES: usize = 24;
/// ...found among at most this many of its invoices, so one large customer cannot slow the
/// run down.
const MAX_SCAN: usize = 4096;

impl Matcher<'_> {
    /// Rules 3 and 4. True when the credit was used.
    pub(super) fn by_payer(&mut self, c: usize) -> bool {
        let Payer::Known(customer, how) = self.pre.payers[c] else {
            return false;
        };
        self.one_invoice(c, customer, how) || self.combination(c, customer, how)
    }

    /// Rule 3: the amount settles exactly one open invoice of the customer (exactly, less its
    /// early-payment discount, or within the fee tolerance), issued on or before the payment.
    fn one_invoice(&mut self, c: usize, customer: CustomerId, how: How) -> bool {
        let pay = self.left[c];
        let tol = self.tolerance;
        let credit = &self.credits[c];
        let (invoices, open_now, discounted) = (self.invoices, &self.open, &self.discounted);
        let Some(book) = self.books.get(customer, discounted) else {
            return false;
        };
        let mut found: Vec<(u32, Settle)> = Vec::new();
        let near = book.open_between(open_now, pay - tol, pay + tol);
        let discount = book.discounted_between(pay, pay + tol);
        for inv in near.chain(discount) {
            let i = inv as usize;
            if invoices[i].issue_date > credit.date
                || invoices[i].currency != credit.currency
                || found.iter().any(|(f, _)| *f == inv)
            {
                continue;
            }
            if let Some(s) = settles(pay, open_now[i], discounted.get(&inv).copied(), tol) {
                found.push((inv, s));
            }
        }
        let Some(best) = found.iter().map(|(_, s)| s.tier()).min() else {
            return false;
        };
        found.retain(|(_, s)| s.tier() == best);
        if let [(inv, settle)] = found.as_slice() {
            self.settle(
                c,
                *inv,
                *settle,
                Rule::KnownPayerAmount,
                Why::PayerAmount(how),
            );
            return true;
        }
        // Several invoices fit as well: which one was paid cannot be told.
        self.amount_hints
            .entry(c)
            .or_default()
            .extend(found.iter().map(|(i, _)| *i));
        false
    }

    /// Rule 4: the amount is the sum of exactly one set of 2..=max_combination open invoices
    /// among the customer's oldest, issued on or before the payment.
    fn combination(&mut self, c: usize, customer: CustomerId, how: How) -> bool {
        let pay = self.left[c];
        let credit = &self.credits[c];
        let (invoices, open_now, discounted) = (self.invoices, &self.open, &self.discounted);
        let Some(book) = self.books.get(customer, discounted) else {
            return false;
        };
        let picked: Vec<u32> = book
            .by_date
            .iter()
            .take(MAX_SCAN)
            .copied()
            .filter(|&i| {
                let o = open_now[i as usize];
                let inv = &invoices[i as usize];
                o > 0
                    && o <= pay
                    && inv.issue_date <= credit.date
                    && inv.currency == credit.currency
            })
            .take(MAX_COMBINATION_CANDIDATES)
            .collect();
        let amounts: Vec<Units> = picked.iter().map(|&i| open_now[i as usize]).collect();
        match find_combination(&amounts, pay, self.params.max_combination) {
            Combination::Unique(set) => {
                let why = Why::Combination {
                    how,
                    first: self.decisions_len(),
                    count: set.len() as u32,
                };
                for k in set {
                    self.give(
                        c,
                        picked[k],
                        amounts[k],
                        Rule::KnownPayerCombination,
                        why,
                        Note::None,
                    );
                }
                true
            }
            Combination::Ambiguous(set) => {
                self.amount_hints
                    .entry(c)
                    .or_default()
                    .extend(set.iter().map(|&k| picked[k]));
                false
            }
            Combination::None => false,
        }
    }
}
