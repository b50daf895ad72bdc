//! The tight spots: the lowest point, and every stretch of days that ends below the alert
//! threshold, with what causes it (the outflows that drain it, the receipts that come too
//! late or not at all).

use super::periods::DailySeries;
use super::recurring::OutflowKind;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// How many outflows and how many missing receipts a risk period names.
pub const CAUSES_PER_KIND: usize = 3;
/// Outflows this many days before a risk period still count among its causes.
pub const LEAD_DAYS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LowestPoint {
    pub date: NaiveDate,
    pub balance: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CauseKind {
    Outflow {
        kind: OutflowKind,
    },
    /// Due by the end of the risk period, but expected after it (habits, a push).
    LateReceipt,
    /// Disputed or long overdue: counted only in part, or not at all.
    DoubtfulReceipt,
    /// The period starts below the threshold.
    OpeningBelowThreshold,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cause {
    pub kind: CauseKind,
    pub label: String,
    pub amount: Decimal,
    /// The outflow's date, or when the missing receipt is expected (None: not counted).
    pub date: Option<NaiveDate>,
    /// For receipts: the earliest due date among the customer's invoices concerned.
    pub due: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskPeriod {
    pub start: NaiveDate,
    /// Inclusive.
    pub end: NaiveDate,
    pub lowest_date: NaiveDate,
    pub lowest_balance: Decimal,
    /// Threshold − lowest balance: what it would take to stay above the threshold.
    pub shortfall: Decimal,
    pub causes: Vec<Cause>,
}

/// The first day with the lowest end-of-day balance.
pub fn lowest_point(series: &DailySeries, balances: &[Decimal]) -> Option<LowestPoint> {
    let (index, balance) = balances
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(&b.0)))?;
    Some(LowestPoint {
        date: series.date(index),
        balance: *balance,
    })
}

/// A maximal run of days below the threshold: (first, last, lowest) day indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub first: usize,
    pub last: usize,
    pub lowest: usize,
}

pub fn runs_below(balances: &[Decimal], threshold: Decimal) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut current: Option<Run> = None;
    for (i, &b) in balances.iter().enumerate() {
        if b < threshold {
            let run = current.get_or_insert(Run {
                first: i,
                last: i,
                lowest: i,
            });
            run.last = i;
            if b < balances[run.lowest] {
                run.lowest = i;
            }
        } else if let Some(run) = current.take() {
            runs.push(run);
        }
    }
    runs.extend(current);
    runs
}

/// Keeps the `n` largest causes, largest first (ties: earlier date, then label).
pub fn largest(mut causes: Vec<Cause>, n: usize) -> Vec<Cause> {
    causes.sort_by(|a, b| {
        b.amount
            .cmp(&a.amount)
            .then(a.date.cmp(&b.date))
            .then(a.label.cmp(&b.label))
    });
    causes.truncate(n);
    causes
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn runs_are_maximal_and_keep_their_lowest_day() {
        let b = [
            dec!(50),
            dec!(10),
            dec!(5),
            dec!(12),
            dec!(40),
            dec!(-3),
            dec!(1),
        ];
        let runs = runs_below(&b, dec!(20));
        assert_eq!(
            runs,
            [
                Run {
                    first: 1,
                    last: 3,
                    lowest: 2
                },
                Run {
                    first: 5,
                    last: 6,
                    lowest: 5
                }
            ]
        );
        assert!(runs_below(&b, dec!(-10)).is_empty());
    }
}
