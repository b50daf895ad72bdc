//! How late each customer pays: days between the due date and the payment of its paid
//! invoices, kept as a histogram so that a million invoices cost a few counters each.
//!
//! Percentiles use the nearest-rank rule (the p-th percentile is the smallest delay with at
//! least p % of the observations at or below it), so the median of 2, 5, 9, 30 is 5 and
//! the 80th percentile never falls below the median.

use super::super::model::CustomerId;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Delays are clamped to this range: a payment 3 years late is a recovery, not a habit,
/// and the bound keeps the receipts aggregation small (see `receipts`).
pub const MIN_DELAY: i64 = -90;
pub const MAX_DELAY: i64 = 365;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DelayHistogram {
    counts: BTreeMap<i64, u64>,
    n: u64,
    sum: i64,
}

impl DelayHistogram {
    pub fn add(&mut self, days_late: i64, count: u64) {
        if count == 0 {
            return;
        }
        let days = days_late.clamp(MIN_DELAY, MAX_DELAY);
        *self.counts.entry(days).or_insert(0) += count;
        self.n += count;
        self.sum += days * count as i64;
    }

    /// Takes back observations added earlier (a sliding history window).
    pub fn remove(&mut self, days_late: i64, count: u64) {
        let days = days_late.clamp(MIN_DELAY, MAX_DELAY);
        let Some(slot) = self.counts.get_mut(&days) else {
            return;
        };
        let count = count.min(*slot);
        *slot -= count;
        if *slot == 0 {
            self.counts.remove(&days);
        }
        self.n -= count;
        self.sum -= days * count as i64;
    }

    pub fn merge(&mut self, other: &DelayHistogram) {
        for (&days, &count) in &other.counts {
            self.add(days, count);
        }
    }

    pub fn len(&self) -> u64 {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Nearest-rank percentile, `p` in 1..=100.
    pub fn percentile(&self, p: u8) -> Option<i64> {
        if self.n == 0 {
            return None;
        }
        let p = u64::from(p.clamp(1, 100));
        let rank = (p * self.n).div_ceil(100).max(1);
        let mut seen = 0;
        for (&days, &count) in &self.counts {
            seen += count;
            if seen >= rank {
                return Some(days);
            }
        }
        self.counts.keys().next_back().copied()
    }

    pub fn median(&self) -> Option<i64> {
        self.percentile(50)
    }

    /// Mean in days, rounded half away from zero to whole days.
    pub fn mean_days(&self) -> Option<i64> {
        (self.n > 0).then(|| round_div(self.sum, self.n as i64))
    }

    pub fn mean(&self) -> Option<Decimal> {
        (self.n > 0).then(|| Decimal::from(self.sum) / Decimal::from(self.n))
    }
}

/// Integer division rounded half away from zero.
pub fn round_div(num: i64, den: i64) -> i64 {
    if den == 0 {
        return 0;
    }
    let q = num / den;
    let r = num % den;
    if 2 * r.abs() >= den.abs() {
        q + if (num < 0) != (den < 0) { -1 } else { 1 }
    } else {
        q
    }
}

/// How delays become a prediction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DelayModel {
    /// A customer with fewer paid invoices than this is predicted from the portfolio's mean
    /// delay.
    pub min_history: u32,
    /// Weight of the portfolio in a customer's estimate, in invoices: with `n` paid invoices
    /// the estimate is (n × own median + k × portfolio mean) / (n + k). 0 = own history only.
    pub shrinkage: u32,
    /// The percentile used by the prudent scenario.
    pub prudent_percentile: u8,
}

impl Default for DelayModel {
    fn default() -> Self {
        DelayModel {
            min_history: 3,
            shrinkage: 1,
            prudent_percentile: 80,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DelayEstimate {
    /// Days after the due date the payment is expected (negative: early).
    pub expected: i64,
    /// Days for the prudent scenario; never below `expected`.
    pub prudent: i64,
    /// Paid invoices behind the estimate (0 = portfolio only).
    pub history: u64,
    pub own: bool,
}

impl DelayModel {
    /// The estimate for a customer with history `own` (None or short: the portfolio's).
    ///
    /// The portfolio's part is its mean delay, not its median: a customer we know little
    /// about is drawn from the whole portfolio, long tail included, and the mean is what
    /// minimises the error on cash over many such customers (and is never worse than the
    /// naive "due date + portfolio mean" rule the backtest compares against). A customer
    /// with enough history gets its own median, which ignores the one-off outliers of a
    /// single customer, blended toward that mean by `shrinkage`.
    pub fn estimate(
        &self,
        own: Option<&DelayHistogram>,
        portfolio: &DelayHistogram,
    ) -> DelayEstimate {
        let pm = portfolio.mean_days().unwrap_or(0);
        let pp = portfolio
            .percentile(self.prudent_percentile)
            .unwrap_or(pm)
            .max(pm);
        let n = own.map_or(0, DelayHistogram::len);
        match own {
            Some(h) if n > 0 && n >= u64::from(self.min_history) => {
                let own_median = h.median().unwrap_or(pm);
                let own_prudent = h.percentile(self.prudent_percentile).unwrap_or(own_median);
                let (n, k) = (n as i64, i64::from(self.shrinkage));
                let expected = round_div(n * own_median + k * pm, n + k);
                let prudent = round_div(n * own_prudent + k * pp, n + k).max(expected);
                DelayEstimate {
                    expected,
                    prudent,
                    history: n as u64,
                    own: true,
                }
            }
            _ => DelayEstimate {
                expected: pm,
                prudent: pp,
                history: n,
                own: false,
            },
        }
    }
}

/// Every customer's payment history, filled row by row from the store.
#[derive(Debug, Clone, Default)]
pub struct DelayTable {
    customers: HashMap<CustomerId, DelayHistogram>,
    portfolio: DelayHistogram,
}

impl DelayTable {
    pub fn add(&mut self, customer: CustomerId, days_late: i64, count: u64) {
        self.customers
            .entry(customer)
            .or_default()
            .add(days_late, count);
        self.portfolio.add(days_late, count);
    }

    /// Replaces one customer's history (an incremental refresh read it again).
    pub fn set_customer(&mut self, customer: CustomerId, history: DelayHistogram) {
        if let Some(old) = self.customers.remove(&customer) {
            for (&days, &count) in &old.counts {
                self.portfolio.remove(days, count);
            }
        }
        if !history.is_empty() {
            self.portfolio.merge(&history);
            self.customers.insert(customer, history);
        }
    }

    pub fn portfolio(&self) -> &DelayHistogram {
        &self.portfolio
    }

    pub fn customer(&self, customer: CustomerId) -> Option<&DelayHistogram> {
        self.customers.get(&customer)
    }

    /// Every customer's estimate, computed once.
    pub fn estimates(&self, model: DelayModel) -> DelayEstimates {
        DelayEstimates {
            fallback: model.estimate(None, &self.portfolio),
            customers: self
                .customers
                .iter()
                .map(|(&c, h)| (c, model.estimate(Some(h), &self.portfolio)))
                .collect(),
            portfolio_mean: self.portfolio.mean(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DelayEstimates {
    pub fallback: DelayEstimate,
    pub customers: HashMap<CustomerId, DelayEstimate>,
    pub portfolio_mean: Option<Decimal>,
}

impl DelayEstimates {
    pub fn get(&self, customer: CustomerId) -> DelayEstimate {
        self.customers
            .get(&customer)
            .copied()
            .unwrap_or(self.fallback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hist(values: &[i64]) -> DelayHistogram {
        let mut h = DelayHistogram::default();
        for &v in values {
            h.add(v, 1);
        }
        h
    }

    #[test]
    fn nearest_rank_percentiles() {
        let h = hist(&[30, 2, 9, 5]);
        // Sorted 2, 5, 9, 30. Median: rank ceil(0.5 × 4) = 2 → 5. P80: rank ceil(3.2) = 4 → 30.
        assert_eq!(h.median(), Some(5));
        assert_eq!(h.percentile(80), Some(30));
        // Five values 1..5: median rank 3 → 3; P80 rank 4 → 4.
        let h = hist(&[5, 4, 3, 2, 1]);
        assert_eq!(h.median(), Some(3));
        assert_eq!(h.percentile(80), Some(4));
        assert_eq!(DelayHistogram::default().median(), None);
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_div(5, 2), 3);
        assert_eq!(round_div(-5, 2), -3);
        assert_eq!(round_div(7, 3), 2);
        assert_eq!(round_div(-7, 3), -2);
    }

    #[test]
    fn short_history_falls_back_to_the_portfolio() {
        let mut table = DelayTable::default();
        // Customer 1: 4 invoices paid 20, 22, 24, 40 days late. Customer 2: one invoice, 0 days.
        for v in [20, 22, 24, 40] {
            table.add(1, v, 1);
        }
        table.add(2, 0, 1);
        let model = DelayModel {
            min_history: 3,
            shrinkage: 0,
            prudent_percentile: 80,
        };
        let est = table.estimates(model);
        // Portfolio sorted: 0, 20, 22, 24, 40 → mean 106 / 5 = 21.2 → 21 (its median, 22,
        // is not used for the fallback); P80 rank 4 = 24.
        assert_eq!(
            est.get(2),
            DelayEstimate {
                expected: 21,
                prudent: 24,
                history: 1,
                own: false
            }
        );
        assert_eq!(est.get(99).expected, 21);
        // Customer 1 own: median rank 2 = 22, P80 rank ceil(3.2) = 4 = 40.
        assert_eq!(est.get(1).expected, 22);
        assert_eq!(est.get(1).prudent, 40);
    }

    #[test]
    fn shrinkage_pulls_toward_the_portfolio() {
        let mut portfolio = DelayHistogram::default();
        portfolio.add(10, 10); // portfolio median 10, P80 10
        let own = hist(&[30, 30, 30, 30]); // n = 4, median 30
        let model = DelayModel {
            min_history: 3,
            shrinkage: 2,
            prudent_percentile: 80,
        };
        // (4 × 30 + 2 × 10) / 6 = 140 / 6 = 23.33 → 23.
        let e = model.estimate(Some(&own), &portfolio);
        assert_eq!(e.expected, 23);
        assert_eq!(e.prudent, 23);
    }

    #[test]
    fn delays_are_clamped() {
        let h = hist(&[10_000, -500]);
        assert_eq!(h.percentile(100), Some(MAX_DELAY));
        assert_eq!(h.percentile(1), Some(MIN_DELAY));
    }
}
