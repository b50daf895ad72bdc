//! The forecast's time grid: one period per day for the first days (when a payroll or a big
//! receipt decides the week), then calendar weeks (Monday to Sunday) to the horizon.

use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PeriodSpan {
    pub start: NaiveDate,
    /// Inclusive.
    pub end: NaiveDate,
    pub daily: bool,
}

/// Daily periods from `as_of` for `daily_days` days, then Monday-to-Sunday weeks (the first
/// and last cut short to fit) up to `horizon_end` inclusive.
pub fn layout(as_of: NaiveDate, daily_days: u32, horizon_end: NaiveDate) -> Vec<PeriodSpan> {
    let mut spans = Vec::new();
    let mut day = as_of;
    let mut left = daily_days;
    while left > 0 && day <= horizon_end {
        spans.push(PeriodSpan {
            start: day,
            end: day,
            daily: true,
        });
        left -= 1;
        match day.succ_opt() {
            Some(next) => day = next,
            None => return spans,
        }
    }
    while day <= horizon_end {
        let to_sunday = 6 - u64::from(day.weekday().num_days_from_monday());
        let end = day
            .checked_add_days(Days::new(to_sunday))
            .unwrap_or(horizon_end)
            .min(horizon_end);
        spans.push(PeriodSpan {
            start: day,
            end,
            daily: false,
        });
        match end.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    spans
}

/// One row of the forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub daily: bool,
    /// Receipts counted in full.
    pub inflow: Decimal,
    /// Doubtful receipts (disputed, long overdue) at their probability: shown apart.
    pub doubtful_inflow: Decimal,
    pub outflow: Decimal,
    /// Balance at the end of the period's last day.
    pub balance: Decimal,
    /// Lowest end-of-day balance within the period.
    pub lowest_balance: Decimal,
    /// Some day of the period ends below the alert threshold.
    pub at_risk: bool,
}

impl Period {
    pub fn net(&self) -> Decimal {
        self.inflow + self.doubtful_inflow - self.outflow
    }
}

/// Day-by-day flows over the horizon; index 0 is the as-of date.
#[derive(Debug, Clone, PartialEq)]
pub struct DailySeries {
    pub start: NaiveDate,
    pub opening: Decimal,
    pub inflow: Vec<Decimal>,
    pub doubtful_inflow: Vec<Decimal>,
    pub outflow: Vec<Decimal>,
}

impl DailySeries {
    pub fn new(start: NaiveDate, end: NaiveDate, opening: Decimal) -> DailySeries {
        let days = ((end - start).num_days() + 1).max(0) as usize;
        DailySeries {
            start,
            opening,
            inflow: vec![Decimal::ZERO; days],
            doubtful_inflow: vec![Decimal::ZERO; days],
            outflow: vec![Decimal::ZERO; days],
        }
    }

    pub fn len(&self) -> usize {
        self.inflow.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inflow.is_empty()
    }

    /// Index of `date`, None outside the horizon.
    pub fn index(&self, date: NaiveDate) -> Option<usize> {
        let i = (date - self.start).num_days();
        (i >= 0 && (i as usize) < self.len()).then_some(i as usize)
    }

    pub fn date(&self, index: usize) -> NaiveDate {
        self.start
            .checked_add_days(Days::new(index as u64))
            .unwrap_or(self.start)
    }

    /// End-of-day balances.
    pub fn balances(&self) -> Vec<Decimal> {
        let mut balance = self.opening;
        (0..self.len())
            .map(|i| {
                balance += self.inflow[i] + self.doubtful_inflow[i] - self.outflow[i];
                balance
            })
            .collect()
    }

    pub fn periods(&self, spans: &[PeriodSpan], threshold: Decimal) -> Vec<Period> {
        let balances = self.balances();
        spans
            .iter()
            .filter_map(|span| {
                let from = self.index(span.start)?;
                let to = self.index(span.end)?;
                let sum = |v: &[Decimal]| v[from..=to].iter().copied().sum::<Decimal>();
                let lowest = balances[from..=to].iter().copied().min()?;
                Some(Period {
                    start: span.start,
                    end: span.end,
                    daily: span.daily,
                    inflow: sum(&self.inflow),
                    doubtful_inflow: sum(&self.doubtful_inflow),
                    outflow: sum(&self.outflow),
                    balance: balances[to],
                    lowest_balance: lowest,
                    at_risk: lowest < threshold,
                })
            })
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

    #[test]
    fn thirty_days_then_calendar_weeks_to_thirteen_weeks() {
        // As of Monday 2 March 2026: horizon end = 2 March + 90 days = Sunday 31 May.
        // Days 2–31 March (30 daily periods); then Wednesday 1 – Sunday 5 April (cut short),
        // and the full weeks from Monday 6 April to Sunday 31 May: 8 of them.
        let spans = layout(d(2026, 3, 2), 30, d(2026, 5, 31));
        assert_eq!(spans.len(), 30 + 1 + 8);
        assert!(spans[..30].iter().all(|s| s.daily && s.start == s.end));
        assert_eq!(spans[29].start, d(2026, 3, 31));
        assert_eq!(
            (spans[30].start, spans[30].end),
            (d(2026, 4, 1), d(2026, 4, 5))
        );
        assert_eq!(
            (spans[31].start, spans[31].end),
            (d(2026, 4, 6), d(2026, 4, 12))
        );
        assert_eq!(
            spans.last().map(|s| (s.start, s.end)),
            Some((d(2026, 5, 25), d(2026, 5, 31)))
        );
        // Contiguous, no gap, no overlap.
        for w in spans.windows(2) {
            assert_eq!(w[0].end.succ_opt(), Some(w[1].start));
        }
    }

    #[test]
    fn the_last_week_is_cut_at_the_horizon() {
        // As of Thursday 5 March 2026, 2 weeks, 3 daily days: 5, 6, 7 March, then Sunday 8
        // (end of that week), then 9–15, then 16–18 (horizon end = 5 March + 13 days).
        let spans = layout(d(2026, 3, 5), 3, d(2026, 3, 18));
        let bounds: Vec<_> = spans.iter().map(|s| (s.start, s.end)).collect();
        assert_eq!(
            bounds,
            [
                (d(2026, 3, 5), d(2026, 3, 5)),
                (d(2026, 3, 6), d(2026, 3, 6)),
                (d(2026, 3, 7), d(2026, 3, 7)),
                (d(2026, 3, 8), d(2026, 3, 8)),
                (d(2026, 3, 9), d(2026, 3, 15)),
                (d(2026, 3, 16), d(2026, 3, 18)),
            ]
        );
    }

    #[test]
    fn weekly_periods_sum_their_days_and_keep_the_lowest() {
        // Opening 100. Day 0 +50, day 1 −120, day 2 +30: balances 150, 30, 60.
        let mut s = DailySeries::new(d(2026, 3, 2), d(2026, 3, 4), dec!(100));
        s.inflow[0] = dec!(50);
        s.outflow[1] = dec!(120);
        s.doubtful_inflow[2] = dec!(30);
        let span = PeriodSpan {
            start: d(2026, 3, 2),
            end: d(2026, 3, 4),
            daily: false,
        };
        let p = &s.periods(&[span], dec!(40))[0];
        assert_eq!(
            (p.inflow, p.doubtful_inflow, p.outflow),
            (dec!(50), dec!(30), dec!(120))
        );
        assert_eq!(p.balance, dec!(60));
        assert_eq!(p.lowest_balance, dec!(30));
        assert!(p.at_risk);
        assert_eq!(p.net(), dec!(-40));
    }
}
