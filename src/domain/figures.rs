//! Key figures of the receivables (DOMAIN.md, "Key figures"): DSO by the countback method
//! and the overdue ratio. Pure: the store gathers the sales, these compute.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// The periods the countback walks through, newest first: the current month up to `as_of`,
/// then whole calendar months, `months` in all. Each is `(first day, last day)`.
pub fn countback_periods(as_of: NaiveDate, months: usize) -> Vec<(NaiveDate, NaiveDate)> {
    let mut periods = Vec::with_capacity(months);
    let mut end = as_of;
    for _ in 0..months {
        let Some(start) = end.with_day(1) else { break };
        periods.push((start, end));
        match start.pred_opt() {
            Some(previous_end) => end = previous_end,
            None => break,
        }
    }
    periods
}

/// DSO, countback: walk back period by period, taking each period's sales off the open
/// receivables until they are used up; whole periods count their days, the last one its
/// pro-rata share. `periods` are `(days, sales)`, newest first. When the receivables exceed
/// every period's sales, all the days are counted (the figure is then a floor). Rounded to
/// one decimal.
pub fn dso_countback(open: Decimal, periods: &[(u32, Decimal)]) -> Decimal {
    let mut remaining = open;
    let mut days = Decimal::ZERO;
    if remaining <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    for &(period_days, sales) in periods {
        let period_days = Decimal::from(period_days);
        if sales <= Decimal::ZERO {
            days += period_days;
            continue;
        }
        if remaining > sales {
            remaining -= sales;
            days += period_days;
        } else {
            days += period_days * remaining / sales;
            return days.round_dp(1);
        }
    }
    days.round_dp(1)
}

/// Overdue ÷ open, in percent with one decimal; None when nothing is open.
pub fn overdue_percent(overdue: Decimal, open: Decimal) -> Option<Decimal> {
    if open <= Decimal::ZERO {
        return None;
    }
    Some((overdue * Decimal::ONE_HUNDRED / open).round_dp(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_start_with_the_current_month_to_date() {
        let p = countback_periods(d(2026, 3, 15), 3);
        assert_eq!(
            p,
            [
                (d(2026, 3, 1), d(2026, 3, 15)),
                (d(2026, 2, 1), d(2026, 2, 28)),
                (d(2026, 1, 1), d(2026, 1, 31)),
            ]
        );
    }

    #[test]
    fn countback_uses_whole_months_then_a_share() {
        // 150 open; March (15 days) sold 60, February (28 days) sold 120: 15 + 28 × 90/120.
        assert_eq!(
            dso_countback(
                dec!(150),
                &[(15, dec!(60)), (28, dec!(120)), (31, dec!(100))]
            ),
            dec!(36.0)
        );
        assert_eq!(dso_countback(dec!(30), &[(31, dec!(60))]), dec!(15.5));
        assert_eq!(dso_countback(dec!(0), &[(31, dec!(60))]), dec!(0));
        // More open than all sales known: every day counts.
        assert_eq!(
            dso_countback(dec!(500), &[(31, dec!(60)), (30, dec!(0))]),
            dec!(61)
        );
    }

    #[test]
    fn overdue_ratio() {
        assert_eq!(overdue_percent(dec!(25), dec!(200)), Some(dec!(12.5)));
        assert_eq!(overdue_percent(dec!(0), dec!(0)), None);
    }
}
