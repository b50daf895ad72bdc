//! Open receivables, aggregated while they stream out of the store.
//!
//! Every scenario dates a receipt from the customer and the due date only, so invoices are
//! summed per (customer, due date, doubtful) as they arrive: a million invoices become at
//! most one line per customer and due date. Due dates far outside the horizon are clamped to
//! a date that lands on the same side of it in every scenario, which bounds the lines per
//! customer whatever the data.

use super::super::ageing::OpenItem;
use super::super::model::{CustomerId, InvoiceKind};
use super::delays::{MAX_DELAY, MIN_DELAY};
use super::inputs::{Commitment, CommitmentKind};
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The largest number of days a custom scenario may push a customer's receipts, and the
/// largest extra delay of the prudent scenario (validated in config).
pub const MAX_SHIFT_DAYS: i64 = 365;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ReceiptKey {
    pub customer: CustomerId,
    pub due: NaiveDate,
    /// Disputed, or more than `doubtful_after_days` past due on the as-of date.
    pub doubtful: bool,
}

/// The receivables part of working capital (BFR), as of the forecast date.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReceivablesTotals {
    /// Open invoices less unapplied credit notes.
    pub open: Decimal,
    pub overdue: Decimal,
    pub doubtful: Decimal,
    pub disputed: Decimal,
    pub credit_notes: Decimal,
    pub invoices: u64,
}

pub struct ReceivablesAccumulator {
    as_of: NaiveDate,
    doubtful_after_days: i64,
    lowest_due: NaiveDate,
    highest_due: NaiveDate,
    lines: BTreeMap<ReceiptKey, Decimal>,
    credits: HashMap<CustomerId, Decimal>,
    totals: ReceivablesTotals,
}

impl ReceivablesAccumulator {
    pub fn new(as_of: NaiveDate, horizon_end: NaiveDate, doubtful_after_days: i64) -> Self {
        // Whatever the scenario, a receipt lands between due + MIN_DELAY and
        // due + MAX_DELAY + two shifts (prudent extra, custom push).
        let back = (MAX_DELAY + 2 * MAX_SHIFT_DAYS + 1) as u64;
        let ahead = (-MIN_DELAY + 1) as u64;
        ReceivablesAccumulator {
            as_of,
            doubtful_after_days,
            lowest_due: as_of.checked_sub_days(Days::new(back)).unwrap_or(as_of),
            highest_due: horizon_end
                .checked_add_days(Days::new(ahead))
                .unwrap_or(horizon_end),
            lines: BTreeMap::new(),
            credits: HashMap::new(),
            totals: ReceivablesTotals::default(),
        }
    }

    pub fn add(&mut self, item: &OpenItem) {
        if item.kind == InvoiceKind::CreditNote {
            // Stored negative; a credit note is deducted from what the customer pays next.
            let credit = item.open.abs();
            *self.credits.entry(item.customer_id).or_default() += credit;
            self.totals.credit_notes += credit;
            self.totals.open -= credit;
            return;
        }
        if item.open <= Decimal::ZERO {
            return;
        }
        let late = (self.as_of - item.due_date).num_days();
        let doubtful = item.disputed || late > self.doubtful_after_days;
        self.totals.open += item.open;
        self.totals.invoices += 1;
        if late > 0 {
            self.totals.overdue += item.open;
        }
        if doubtful {
            self.totals.doubtful += item.open;
        }
        if item.disputed {
            self.totals.disputed += item.open;
        }
        let key = ReceiptKey {
            customer: item.customer_id,
            due: item.due_date.clamp(self.lowest_due, self.highest_due),
            doubtful,
        };
        *self.lines.entry(key).or_default() += item.open;
    }

    /// Lines held so far: the memory the accumulator uses.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Nets credit notes and applies commitments, each taking the customer's oldest dues first.
    pub fn finish(mut self, commitments: &[Commitment]) -> ReceiptBook {
        let mut credits: Vec<(CustomerId, Decimal)> = self.credits.drain().collect();
        credits.sort();
        for (customer, credit) in credits {
            take_oldest(&mut self.lines, customer, credit);
        }
        let mut sorted: Vec<&Commitment> = commitments
            .iter()
            .filter(|c| c.amount > Decimal::ZERO)
            .collect();
        sorted.sort_by(|a, b| a.customer_id.cmp(&b.customer_id).then(a.date.cmp(&b.date)));
        let mut committed = Vec::new();
        for c in sorted {
            let taken = take_oldest(&mut self.lines, c.customer_id, c.amount);
            committed.push(CommittedReceipt {
                customer: c.customer_id,
                date: c.date,
                amount: taken,
                promised: c.amount,
                kind: c.kind,
            });
        }
        let mut per_customer: HashMap<CustomerId, Decimal> = HashMap::new();
        for (key, amount) in &self.lines {
            *per_customer.entry(key.customer).or_default() += *amount;
        }
        for c in &committed {
            *per_customer.entry(c.customer).or_default() += c.amount;
        }
        ReceiptBook {
            as_of: self.as_of,
            lines: self.lines,
            committed,
            per_customer,
            totals: self.totals,
        }
    }
}

/// Removes up to `amount` from the customer's lines, oldest due first; returns what it took.
fn take_oldest(
    lines: &mut BTreeMap<ReceiptKey, Decimal>,
    customer: CustomerId,
    amount: Decimal,
) -> Decimal {
    let from = ReceiptKey {
        customer,
        due: NaiveDate::MIN,
        doubtful: false,
    };
    let to = ReceiptKey {
        customer,
        due: NaiveDate::MAX,
        doubtful: true,
    };
    let mut left = amount;
    let mut emptied = Vec::new();
    for (key, open) in lines.range_mut(from..=to) {
        if left <= Decimal::ZERO {
            break;
        }
        let take = left.min(*open);
        *open -= take;
        left -= take;
        if open.is_zero() {
            emptied.push(*key);
        }
    }
    for key in emptied {
        lines.remove(&key);
    }
    amount - left
}

/// A promise or instalment, as far as open invoices cover it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommittedReceipt {
    pub customer: CustomerId,
    pub date: NaiveDate,
    /// The part of the promise that open invoices cover (never more than is owed).
    pub amount: Decimal,
    pub promised: Decimal,
    pub kind: CommitmentKind,
}

/// Receivables ready for the scenarios.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptBook {
    pub as_of: NaiveDate,
    pub lines: BTreeMap<ReceiptKey, Decimal>,
    pub committed: Vec<CommittedReceipt>,
    /// Open amount per customer after credit notes (promised parts included).
    pub per_customer: HashMap<CustomerId, Decimal>,
    pub totals: ReceivablesTotals,
}

impl ReceiptBook {
    /// The `n` customers owing the most, ties broken by id so that runs repeat.
    pub fn biggest_debtors(&self, n: usize) -> Vec<CustomerId> {
        let mut all: Vec<(CustomerId, Decimal)> =
            self.per_customer.iter().map(|(&c, &a)| (c, a)).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        all.into_iter()
            .filter(|(_, a)| *a > Decimal::ZERO)
            .take(n)
            .map(|(c, _)| c)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn item(customer: CustomerId, due: NaiveDate, open: Decimal, disputed: bool) -> OpenItem {
        OpenItem {
            invoice_id: 0,
            customer_id: customer,
            number: String::new(),
            kind: if open < Decimal::ZERO {
                InvoiceKind::CreditNote
            } else {
                InvoiceKind::Invoice
            },
            issue_date: d(2026, 1, 1),
            due_date: due,
            open,
            disputed,
        }
    }

    #[test]
    fn invoices_of_a_customer_due_the_same_day_share_a_line() {
        let as_of = d(2026, 3, 2);
        let mut acc = ReceivablesAccumulator::new(as_of, d(2026, 5, 31), 90);
        acc.add(&item(1, d(2026, 3, 10), dec!(100), false));
        acc.add(&item(1, d(2026, 3, 10), dec!(250), false));
        acc.add(&item(2, d(2026, 3, 10), dec!(40), false));
        // 100 days past due: doubtful.
        acc.add(&item(2, d(2025, 11, 22), dec!(60), false));
        acc.add(&item(2, d(2026, 4, 1), dec!(10), true));
        assert_eq!(acc.len(), 4);
        let book = acc.finish(&[]);
        assert_eq!(book.totals.open, dec!(460));
        assert_eq!(book.totals.overdue, dec!(60));
        assert_eq!(book.totals.doubtful, dec!(70));
        assert_eq!(book.totals.disputed, dec!(10));
        let k = ReceiptKey {
            customer: 1,
            due: d(2026, 3, 10),
            doubtful: false,
        };
        assert_eq!(book.lines[&k], dec!(350));
    }

    #[test]
    fn far_due_dates_are_clamped() {
        let as_of = d(2026, 3, 2);
        let mut acc = ReceivablesAccumulator::new(as_of, d(2026, 5, 31), 90);
        for year in [2015, 2016, 2017] {
            acc.add(&item(1, d(year, 1, 1), dec!(1), false));
        }
        for year in [2030, 2031] {
            acc.add(&item(1, d(year, 1, 1), dec!(1), false));
        }
        // Three very old dues share the lowest line, two far-future ones the highest.
        assert_eq!(acc.len(), 2);
    }

    #[test]
    fn credit_notes_and_promises_take_the_oldest_dues_first() {
        let as_of = d(2026, 3, 2);
        let mut acc = ReceivablesAccumulator::new(as_of, d(2026, 5, 31), 90);
        acc.add(&item(1, d(2026, 2, 1), dec!(300), false));
        acc.add(&item(1, d(2026, 3, 1), dec!(500), false));
        acc.add(&item(1, d(2026, 1, 1), dec!(-100), false));
        let promise = Commitment {
            customer_id: 1,
            date: d(2026, 3, 20),
            amount: dec!(400),
            kind: CommitmentKind::Promise,
        };
        let book = acc.finish(&[promise]);
        // Credit 100 leaves 200 due 1 Feb; the promise of 400 takes those 200 and 200 of the
        // 500 due 1 March, which keeps 300 at its predicted date.
        assert_eq!(book.committed[0].amount, dec!(400));
        assert_eq!(book.lines.len(), 1);
        assert_eq!(book.lines.values().next(), Some(&dec!(300)));
        assert_eq!(book.per_customer[&1], dec!(700));
        assert_eq!(book.totals.open, dec!(700));
    }

    #[test]
    fn a_promise_never_exceeds_what_is_owed() {
        let as_of = d(2026, 3, 2);
        let mut acc = ReceivablesAccumulator::new(as_of, d(2026, 5, 31), 90);
        acc.add(&item(1, d(2026, 2, 1), dec!(300), false));
        let promise = Commitment {
            customer_id: 1,
            date: d(2026, 3, 20),
            amount: dec!(1000),
            kind: CommitmentKind::Promise,
        };
        let book = acc.finish(&[promise]);
        assert_eq!(book.committed[0].amount, dec!(300));
        assert_eq!(book.committed[0].promised, dec!(1000));
        assert!(book.lines.is_empty());
    }
}
