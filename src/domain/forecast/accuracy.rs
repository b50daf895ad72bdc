//! How far saved forecasts were from what the bank then showed, week by week.
//!
//! A saved forecast's periods are grouped by the calendar week (Monday–Sunday) their last day
//! falls in; the daily periods of a week form one group, each weekly period its own. The
//! store measures the same spans in the bank data, and only weeks the bank data fully
//! covers are compared.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SavedPoint {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Receipts, doubtful ones included at their probability.
    pub inflow: Decimal,
    pub outflow: Decimal,
    pub balance: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SavedRun {
    pub id: i64,
    pub as_of: NaiveDate,
    pub scenario: String,
    pub created_at: String,
    pub who: String,
    pub opening: Decimal,
    pub points: Vec<SavedPoint>,
}

/// A span of consecutive saved periods ending in the same calendar week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekSpan {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub inflow: Decimal,
    pub outflow: Decimal,
    /// The forecast balance at `end`.
    pub balance: Decimal,
}

pub fn week_spans(points: &[SavedPoint]) -> Vec<WeekSpan> {
    let mut spans: Vec<WeekSpan> = Vec::new();
    for p in points {
        let week = p.end.iso_week();
        match spans.last_mut() {
            Some(last) if last.end.iso_week() == week && last.end < p.start => {
                last.end = p.end;
                last.inflow += p.inflow;
                last.outflow += p.outflow;
                last.balance = p.balance;
            }
            _ => spans.push(WeekSpan {
                start: p.start,
                end: p.end,
                inflow: p.inflow,
                outflow: p.outflow,
                balance: p.balance,
            }),
        }
    }
    spans
}

/// What the bank showed over one span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActualSpan {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub inflow: Decimal,
    pub outflow: Decimal,
    /// End-of-day balance at `end`, summed over the accounts.
    pub balance: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekComparison {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub forecast_inflow: Decimal,
    pub actual_inflow: Decimal,
    pub forecast_outflow: Decimal,
    pub actual_outflow: Decimal,
    pub forecast_balance: Decimal,
    pub actual_balance: Decimal,
    /// Actual − forecast balance: positive when the forecast was too gloomy.
    pub error: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunAccuracy {
    pub run_id: i64,
    pub as_of: NaiveDate,
    pub scenario: String,
    pub created_at: String,
    pub who: String,
    pub weeks: Vec<WeekComparison>,
    /// Mean of |error| over the weeks compared; None when no week is over yet.
    pub mean_absolute_error: Option<Decimal>,
    /// Mean of error: a forecast that is always too gloomy has a positive bias.
    pub bias: Option<Decimal>,
}

/// Compares a run with the actual spans (matched by start and end; others are skipped).
pub fn compare(run: &SavedRun, actual: &[ActualSpan]) -> RunAccuracy {
    let weeks: Vec<WeekComparison> = week_spans(&run.points)
        .into_iter()
        .filter_map(|w| {
            let a = actual
                .iter()
                .find(|a| a.start == w.start && a.end == w.end)?;
            Some(WeekComparison {
                start: w.start,
                end: w.end,
                forecast_inflow: w.inflow,
                actual_inflow: a.inflow,
                forecast_outflow: w.outflow,
                actual_outflow: a.outflow,
                forecast_balance: w.balance,
                actual_balance: a.balance,
                error: a.balance - w.balance,
            })
        })
        .collect();
    let n = Decimal::from(weeks.len() as u64);
    let mean = |f: &dyn Fn(&WeekComparison) -> Decimal| {
        (!weeks.is_empty()).then(|| (weeks.iter().map(f).sum::<Decimal>() / n).round_dp(2))
    };
    RunAccuracy {
        run_id: run.id,
        as_of: run.as_of,
        scenario: run.scenario.clone(),
        created_at: run.created_at.clone(),
        who: run.who.clone(),
        mean_absolute_error: mean(&|w| w.error.abs()),
        bias: mean(&|w| w.error),
        weeks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn point(
        start: NaiveDate,
        end: NaiveDate,
        inflow: Decimal,
        outflow: Decimal,
        balance: Decimal,
    ) -> SavedPoint {
        SavedPoint {
            start,
            end,
            inflow,
            outflow,
            balance,
        }
    }

    #[test]
    fn saved_forecast_against_the_bank_week_by_week() {
        // Saved on Thursday 5 March 2026, opening 10,000: daily Thu 5, Fri 6, Sun 8 (Sat 7
        // flat), then the week of Monday 9 to Sunday 15.
        let run = SavedRun {
            id: 7,
            as_of: d(2026, 3, 5),
            scenario: "expected".into(),
            created_at: "2026-03-05T08:00:00".into(),
            who: "anne".into(),
            opening: dec!(10000),
            points: vec![
                point(
                    d(2026, 3, 5),
                    d(2026, 3, 5),
                    dec!(1000),
                    dec!(0),
                    dec!(11000),
                ),
                point(
                    d(2026, 3, 6),
                    d(2026, 3, 6),
                    dec!(0),
                    dec!(4000),
                    dec!(7000),
                ),
                point(d(2026, 3, 7), d(2026, 3, 7), dec!(0), dec!(0), dec!(7000)),
                point(d(2026, 3, 8), d(2026, 3, 8), dec!(500), dec!(0), dec!(7500)),
                point(
                    d(2026, 3, 9),
                    d(2026, 3, 15),
                    dec!(6000),
                    dec!(2000),
                    dec!(11500),
                ),
                point(
                    d(2026, 3, 16),
                    d(2026, 3, 22),
                    dec!(1000),
                    dec!(1000),
                    dec!(11500),
                ),
            ],
        };
        let spans = week_spans(&run.points);
        // Week 1: 5–8 March, in 1,500, out 4,000, balance 7,500. Week 2: 9–15. Week 3: 16–22.
        assert_eq!(spans.len(), 3);
        assert_eq!(
            (spans[0].start, spans[0].end),
            (d(2026, 3, 5), d(2026, 3, 8))
        );
        assert_eq!(
            (spans[0].inflow, spans[0].outflow, spans[0].balance),
            (dec!(1500), dec!(4000), dec!(7500))
        );
        // The bank showed: week 1 in 900 out 4,000 → 6,900; week 2 in 7,000 out 2,100 → 11,800.
        // Week 3 is not over in the bank data: not compared.
        let actual = [
            ActualSpan {
                start: d(2026, 3, 5),
                end: d(2026, 3, 8),
                inflow: dec!(900),
                outflow: dec!(4000),
                balance: dec!(6900),
            },
            ActualSpan {
                start: d(2026, 3, 9),
                end: d(2026, 3, 15),
                inflow: dec!(7000),
                outflow: dec!(2100),
                balance: dec!(11800),
            },
        ];
        let acc = compare(&run, &actual);
        assert_eq!(acc.weeks.len(), 2);
        // Errors: 6,900 − 7,500 = −600; 11,800 − 11,500 = +300.
        assert_eq!(acc.weeks[0].error, dec!(-600));
        assert_eq!(acc.weeks[1].error, dec!(300));
        // MAE (600 + 300) / 2 = 450; bias (−600 + 300) / 2 = −150.
        assert_eq!(acc.mean_absolute_error, Some(dec!(450)));
        assert_eq!(acc.bias, Some(dec!(-150)));
    }
}
