//! Each customer's open invoices, oldest first and by open amount. The raw lists are laid
//! out once, in one pass over the invoices; a customer's sorted book is made only when a
//! payment is attributed to that customer.

use super::OpenInvoice;
use super::amounts::Units;
use crate::domain::model::CustomerId;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Sorted vectors rather than trees: cheap to build for the many customers looked at once.
/// An entry of `by_open` is valid while the invoice's open amount is still the one it was
/// sorted under; invoices partly paid since are listed in `moved`.
pub(super) struct Book {
    /// Oldest first (issue date, then id).
    pub by_date: Vec<u32>,
    /// (open amount at the start of the run, invoice), by amount then invoice id.
    pub by_open: Vec<(Units, u32)>,
    /// (open amount less the early-payment discount, invoice), by amount then invoice id.
    pub by_discount: Vec<(Units, u32)>,
    /// Invoices partly paid during the run.
    pub moved: Vec<u32>,
}

impl Book {
    /// Invoices whose current open amount lies in `low..=high`.
    pub(super) fn open_between<'b>(
        &'b self,
        open: &'b [Units],
        low: Units,
        high: Units,
    ) -> impl Iterator<Item = u32> + 'b {
        let from = self.by_open.partition_point(|&(o, _)| o < low);
        self.by_open[from..]
            .iter()
            .take_while(move |&&(o, _)| o <= high)
            .filter(move |&&(o, i)| open[i as usize] == o)
            .map(|&(_, i)| i)
            .chain(self.moved.iter().copied().filter(move |&i| {
                let o = open[i as usize];
                o >= low && o <= high
            }))
    }

    /// Invoices whose discounted amount lies in `low..=high` (the caller checks the discount
    /// still applies).
    pub(super) fn discounted_between(
        &self,
        low: Units,
        high: Units,
    ) -> impl Iterator<Item = u32> + '_ {
        let from = self.by_discount.partition_point(|&(t, _)| t < low);
        self.by_discount[from..]
            .iter()
            .take_while(move |&&(t, _)| t <= high)
            .map(|&(_, i)| i)
    }
}

#[derive(Clone, Copy)]
struct Member {
    invoice: u32,
    open: Units,
    issued: NaiveDate,
    id: i64,
}

pub(super) struct Books {
    dense: HashMap<CustomerId, u32>,
    /// `members[start[c]..start[c + 1]]` are customer `c`'s open invoices.
    start: Vec<u32>,
    members: Vec<Member>,
    built: Vec<Option<Box<Book>>>,
    /// Invoices partly paid before their customer's book was built.
    pending_moves: HashMap<u32, Vec<u32>>,
}

impl Books {
    /// Lays the open invoices out by customer (a counting sort: two passes, no sorting).
    pub(super) fn new(invoices: &[OpenInvoice], open: &[Units]) -> Books {
        let mut dense: HashMap<CustomerId, u32> = HashMap::new();
        let mut owner = Vec::with_capacity(invoices.len());
        let mut counts: Vec<u32> = Vec::new();
        for (inv, o) in invoices.iter().zip(open) {
            if *o <= 0 {
                owner.push(u32::MAX);
                continue;
            }
            let next = dense.len() as u32;
            let d = *dense.entry(inv.customer_id).or_insert(next);
            if d as usize == counts.len() {
                counts.push(0);
            }
            counts[d as usize] += 1;
            owner.push(d);
        }
        let mut start = Vec::with_capacity(counts.len() + 1);
        let mut total = 0u32;
        for c in &counts {
            start.push(total);
            total += c;
        }
        start.push(total);
        let mut fill = start.clone();
        let blank = Member {
            invoice: 0,
            open: 0,
            issued: NaiveDate::MIN,
            id: 0,
        };
        let mut members = vec![blank; total as usize];
        for (i, d) in owner.iter().enumerate() {
            if *d != u32::MAX {
                let slot = &mut fill[*d as usize];
                members[*slot as usize] = Member {
                    invoice: i as u32,
                    open: open[i],
                    issued: invoices[i].issue_date,
                    id: invoices[i].id,
                };
                *slot += 1;
            }
        }
        let built = (0..counts.len()).map(|_| None).collect();
        Books {
            dense,
            start,
            members,
            built,
            pending_moves: HashMap::new(),
        }
    }

    /// The customer's book, built on first use.
    pub(super) fn get(
        &mut self,
        customer: CustomerId,
        discounted: &HashMap<u32, Units>,
    ) -> Option<&Book> {
        let d = *self.dense.get(&customer)? as usize;
        if self.built[d].is_none() {
            let slice = &self.members[self.start[d] as usize..self.start[d + 1] as usize];
            let mut dated: Vec<(NaiveDate, i64, u32)> =
                slice.iter().map(|m| (m.issued, m.id, m.invoice)).collect();
            dated.sort_unstable();
            // Equal amounts in id order, not in the order the invoices were loaded: which
            // ones a suggestion names must not depend on the query plan.
            let by_open = by_amount(slice.iter().map(|m| (m.open, m.id, m.invoice)));
            let by_discount = if discounted.is_empty() {
                Vec::new()
            } else {
                by_amount(
                    slice
                        .iter()
                        .filter_map(|m| discounted.get(&m.invoice).map(|&t| (t, m.id, m.invoice))),
                )
            };
            self.built[d] = Some(Box::new(Book {
                by_date: dated.into_iter().map(|(_, _, i)| i).collect(),
                by_open,
                by_discount,
                moved: self.pending_moves.remove(&(d as u32)).unwrap_or_default(),
            }));
        }
        self.built[d].as_deref()
    }

    /// The customer's book if it was built already (for read-only passes).
    pub(super) fn built(&self, customer: CustomerId) -> Option<&Book> {
        let d = *self.dense.get(&customer)? as usize;
        self.built[d].as_deref()
    }

    /// Leaves only the invoices still open in each built book's `by_date`, order kept. For
    /// the read-only passes at the end of a run: they want a customer's oldest open
    /// invoices, and after a run most of a book is paid, so each of them walked the paid
    /// entries again (most of the suggestions' time at a million invoices). Nothing may
    /// allocate after this: `by_date` is then no longer every member.
    pub(super) fn keep_open_by_date(&mut self, open: &[Units]) {
        for book in self.built.iter_mut().flatten() {
            book.by_date.retain(|&i| open[i as usize] > 0);
        }
    }

    /// Records that an invoice was partly paid (its open amount changed and is still above
    /// zero): its sorted entry no longer holds. A paid-off invoice needs nothing: its entry
    /// simply stops matching.
    pub(super) fn moved(&mut self, customer: CustomerId, invoice: u32) {
        let Some(&d) = self.dense.get(&customer) else {
            return;
        };
        let list = match self.built[d as usize].as_deref_mut() {
            Some(book) => &mut book.moved,
            None => self.pending_moves.entry(d).or_default(),
        };
        if !list.contains(&invoice) {
            list.push(invoice);
        }
    }
}

/// (amount, invoice) sorted by amount, then invoice id.
fn by_amount(entries: impl Iterator<Item = (Units, i64, u32)>) -> Vec<(Units, u32)> {
    let mut keyed: Vec<(Units, i64, u32)> = entries.collect();
    keyed.sort_unstable();
    keyed
        .into_iter()
        .map(|(amount, _, i)| (amount, i))
        .collect()
}
