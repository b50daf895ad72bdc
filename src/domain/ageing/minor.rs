//! The ageing report summed in integers: what the store feeds it with, open amounts in
//! minor units, are added as integer thousandths per customer and bucket, and become the
//! very `Decimal`s the general accumulator gives.

use super::{AgeingReport, BucketTotals, Buckets, report};
use crate::domain::model::{CustomerId, InvoiceKind};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Rows of buckets in integer thousandths of a currency unit (every minor unit, 0, 2 or 3
/// decimals, is a whole number of them), with the largest number of decimals seen per
/// bucket. A bucket then becomes the very `Decimal` that adding the items' amounts one by
/// one gives: the same value, and the same scale (a sum of decimals keeps the largest scale
/// of its terms). All rows live in two flat vectors: one random access per item, not three.
struct MinorRows {
    n: usize,
    thousandths: Vec<i128>,
    /// 0 while the bucket is empty (it stays `Decimal::ZERO`), else decimals + 1.
    scale: Vec<u8>,
}

/// The most decimals a currency's minor unit has (`Currency::exponent`).
const MAX_EXPONENT: u32 = 3;
/// Thousandths per minor unit, by the currency's decimals.
const PER_MINOR: [i128; 4] = [1000, 100, 10, 1];

impl MinorRows {
    fn push_row(&mut self) -> usize {
        self.thousandths.resize(self.thousandths.len() + self.n, 0);
        self.scale.resize(self.scale.len() + self.n, 0);
        self.thousandths.len() / self.n - 1
    }

    fn add(&mut self, row: usize, bucket: usize, thousandths: i128, exponent: u32) {
        let at = row * self.n + bucket;
        self.thousandths[at] += thousandths;
        self.scale[at] = self.scale[at].max(exponent as u8 + 1);
    }

    fn totals(&self, row: usize, invoices: usize) -> BucketTotals {
        let mut out = BucketTotals::new(self.n);
        let range = row * self.n..(row + 1) * self.n;
        for (slot, (sum, scale)) in out.buckets.iter_mut().zip(
            self.thousandths[range.clone()]
                .iter()
                .zip(&self.scale[range]),
        ) {
            if let Some(scale) = u32::from(*scale).checked_sub(1) {
                // Every term is a multiple of 10^(3 - its exponent), so of 10^(3 - scale).
                let mantissa = sum / PER_MINOR[scale as usize];
                *slot = Decimal::try_from_i128_with_scale(mantissa, scale).unwrap_or_default();
            }
        }
        out.invoices = invoices;
        out
    }
}

/// The ageing report's accumulator for open amounts in minor units, as the store reads
/// them: integer additions per item instead of `Decimal` ones, and customers found through
/// a cheap hash of their id. Gives exactly the report [`AgeingAccumulator`] gives for the
/// same items.
pub struct MinorAgeing {
    as_of: NaiveDate,
    /// `as_of` as a day number (`Datelike::num_days_from_ce`).
    as_of_day: i64,
    buckets: Buckets,
    /// Row 0 is the total; customers follow.
    rows: MinorRows,
    total_invoices: usize,
    /// The row of each customer id below [`DIRECT_IDS`] (0: none yet). Ids are rowids, so
    /// dense: a plain vector is one cache-friendly access where a hash table missed the
    /// cache on most items (the store hands items over in issue-date order, customers
    /// shuffled).
    direct: Vec<u32>,
    /// Rows of the other ids (negative, huge), which no store writes but which must work.
    row_of: HashMap<CustomerId, usize, BuildHasherDefault<IdHasher>>,
    /// Per customer row (from 1): id, invoices, days past due of the oldest.
    customers: Vec<(CustomerId, usize, i64)>,
}

/// Customer ids found through [`MinorAgeing::direct`]: 4 MB of `u32` at most.
const DIRECT_IDS: i64 = 1 << 20;

impl MinorAgeing {
    pub fn new(as_of: NaiveDate, buckets: Buckets) -> Self {
        let mut rows = MinorRows {
            n: buckets.len(),
            thousandths: Vec::new(),
            scale: Vec::new(),
        };
        rows.push_row();
        MinorAgeing {
            as_of,
            as_of_day: i64::from(as_of.num_days_from_ce()),
            buckets,
            rows,
            total_invoices: 0,
            direct: Vec::new(),
            row_of: HashMap::default(),
            customers: Vec::new(),
        }
    }

    /// One open item: `open_minor` (positive) in minor units of a currency with `exponent`
    /// decimals (0 to 3); a credit note counts negative, as in [`AgeingAccumulator::add`].
    pub fn add(
        &mut self,
        customer_id: CustomerId,
        kind: InvoiceKind,
        due_date: NaiveDate,
        open_minor: i64,
        exponent: u32,
    ) {
        let exponent = exponent.min(MAX_EXPONENT);
        // `days_past_due`, by day numbers: a date difference is worked out through
        // 400-year cycles, twice the cost at an item per row.
        let late = self.as_of_day - i64::from(due_date.num_days_from_ce());
        let bucket = match kind {
            InvoiceKind::Invoice => self.buckets.index(late),
            InvoiceKind::CreditNote => 0,
        };
        let mut amount = i128::from(open_minor) * PER_MINOR[exponent as usize];
        if kind == InvoiceKind::CreditNote {
            amount = -amount;
        }
        self.rows.add(0, bucket, amount, exponent);
        self.total_invoices += 1;
        let row = self.row_of(customer_id);
        self.rows.add(row, bucket, amount, exponent);
        let entry = &mut self.customers[row - 1];
        entry.1 += 1;
        if kind == InvoiceKind::Invoice && late > entry.2 {
            entry.2 = late;
        }
    }

    /// The row of `customer_id`, made on its first item.
    fn row_of(&mut self, customer_id: CustomerId) -> usize {
        let slot = if (0..DIRECT_IDS).contains(&customer_id) {
            let at = customer_id as usize;
            if at >= self.direct.len() {
                self.direct.resize(at + 1, 0);
            }
            match self.direct[at] {
                0 => Some(at),
                row => return row as usize,
            }
        } else {
            if let Some(&row) = self.row_of.get(&customer_id) {
                return row;
            }
            None
        };
        let row = self.rows.push_row();
        match slot {
            // One row per customer seen: 2^32 of them would not fit in memory first.
            Some(at) => self.direct[at] = row as u32,
            None => {
                self.row_of.insert(customer_id, row);
            }
        }
        self.customers.push((customer_id, 0, 0));
        row
    }

    /// As [`AgeingAccumulator::finish`].
    pub fn finish(self, names: impl FnMut(CustomerId) -> (String, String)) -> AgeingReport {
        let rows = &self.rows;
        let customers = self
            .customers
            .iter()
            .enumerate()
            .map(|(k, &(id, invoices, oldest))| (id, rows.totals(k + 1, invoices), oldest));
        report(
            self.as_of,
            &self.buckets,
            rows.totals(0, self.total_invoices),
            customers,
            names,
        )
    }
}

/// Customer ids are small integers: one multiplication spreads them over the table.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_i64(&mut self, n: i64) {
        self.0 = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ageing::days_past_due;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The days past due worked out by day numbers are the definition's, across leap days,
    /// centuries (1900 not leap, 2000 leap) and long spans, and before the due date.
    #[test]
    fn days_late_by_day_numbers_follow_the_definition() {
        let pairs = [
            (d(1900, 3, 1), d(1900, 2, 28)),
            (d(2000, 3, 1), d(2000, 2, 28)),
            (d(2025, 1, 1), d(2024, 12, 31)),
            (d(2026, 11, 23), d(1601, 1, 1)),
            (d(2026, 11, 23), d(2026, 11, 23)),
            (d(2026, 11, 23), d(2028, 2, 29)),
            (d(2100, 3, 1), d(2096, 2, 29)),
        ];
        for (as_of, due) in pairs {
            let mut acc = MinorAgeing::new(as_of, Buckets::default());
            acc.add(7, InvoiceKind::Invoice, due, 100, 2);
            let report = acc.finish(|_| (String::new(), String::new()));
            let late = days_past_due(as_of, due);
            let customer = &report.customers[0];
            assert_eq!(customer.oldest_days_past_due, late.max(0), "{as_of} {due}");
            let bucket = Buckets::default().index(late);
            assert_eq!(customer.totals.buckets[bucket].to_string(), "1.00");
        }
    }
}
