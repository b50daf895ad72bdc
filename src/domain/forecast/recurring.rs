//! Recurring outflows (payroll, rent, VAT, social charges, loan instalments): what the
//! company pays whatever its customers do. Each item expands into dated payments.

use super::calendar::{WorkCalendar, day_in_month};
use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutflowKind {
    Payroll,
    Rent,
    Vat,
    Social,
    Loan,
    Other,
    /// An imported supplier invoice, not a configured item.
    Supplier,
}

impl OutflowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutflowKind::Payroll => "payroll",
            OutflowKind::Rent => "rent",
            OutflowKind::Vat => "vat",
            OutflowKind::Social => "social",
            OutflowKind::Loan => "loan",
            OutflowKind::Other => "other",
            OutflowKind::Supplier => "supplier",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayRule {
    /// Day of the month (a 31 falls on the last day of shorter months); a payment that lands
    /// on a weekend or holiday leaves on the next working day, as a bank executes it.
    Day(u32),
    LastWorkingDay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// Every 7 days from the start date (moved to the next working day when needed).
    Weekly,
    Monthly(DayRule),
    /// Every third month counted from the start month.
    Quarterly(DayRule),
    /// Once a year, in the start month.
    Yearly(DayRule),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecurringItem {
    pub name: String,
    pub kind: OutflowKind,
    /// Paid out, positive.
    pub amount: Decimal,
    pub schedule: Schedule,
    pub start: NaiveDate,
    /// Last scheduled date included, if the item stops (a loan's last instalment).
    pub end: Option<NaiveDate>,
}

fn month_index(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

fn from_month_index(index: i64) -> Option<(i32, u32)> {
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    Some((year, index.rem_euclid(12) as u32 + 1))
}

impl RecurringItem {
    /// The payment dates that fall in `[from, to]`, after moving them to working days.
    pub fn occurrences(&self, from: NaiveDate, to: NaiveDate, cal: WorkCalendar) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        if to < from {
            return out;
        }
        let in_schedule =
            |nominal: NaiveDate| nominal >= self.start && self.end.is_none_or(|end| nominal <= end);
        match self.schedule {
            Schedule::Weekly => {
                // Start a week early: a Saturday date before `from` may be paid on Monday after it.
                let lead = (from - self.start).num_days().max(0) / 7;
                let mut nominal = self.start + Days::new(((lead - 1).max(0) * 7) as u64);
                while nominal <= to {
                    let paid = cal.on_or_after(nominal);
                    if in_schedule(nominal) && paid >= from && paid <= to {
                        out.push(paid);
                    }
                    match nominal.checked_add_days(Days::new(7)) {
                        Some(next) => nominal = next,
                        None => break,
                    }
                }
            }
            Schedule::Monthly(rule) | Schedule::Quarterly(rule) | Schedule::Yearly(rule) => {
                let step = match self.schedule {
                    Schedule::Quarterly(_) => 3,
                    Schedule::Yearly(_) => 12,
                    _ => 1,
                };
                let start_month = month_index(self.start);
                // One month early for the same reason as above.
                let first = (month_index(from) - 1).max(start_month);
                for index in first..=month_index(to) {
                    if (index - start_month) % step != 0 {
                        continue;
                    }
                    let Some((year, month)) = from_month_index(index) else {
                        continue;
                    };
                    let nominal = match rule {
                        DayRule::Day(day) => day_in_month(year, month, day),
                        DayRule::LastWorkingDay => cal.last_working_day(year, month),
                    };
                    let Some(nominal) = nominal else { continue };
                    let paid = cal.on_or_after(nominal);
                    if in_schedule(nominal) && paid >= from && paid <= to {
                        out.push(paid);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn item(schedule: Schedule, start: NaiveDate, end: Option<NaiveDate>) -> RecurringItem {
        RecurringItem {
            name: "x".into(),
            kind: OutflowKind::Other,
            amount: dec!(100),
            schedule,
            start,
            end,
        }
    }

    const CAL: WorkCalendar = WorkCalendar {
        french_holidays: true,
    };

    #[test]
    fn payroll_on_the_last_working_day() {
        // January 2026 ends on Saturday 31 → Friday 30; February on Saturday 28 → Friday 27;
        // March on Tuesday 31 → itself.
        let payroll = item(
            Schedule::Monthly(DayRule::LastWorkingDay),
            d(2024, 1, 1),
            None,
        );
        assert_eq!(
            payroll.occurrences(d(2026, 1, 1), d(2026, 3, 31), CAL),
            [d(2026, 1, 30), d(2026, 2, 27), d(2026, 3, 31)]
        );
    }

    #[test]
    fn a_day_on_a_weekend_or_holiday_moves_forward() {
        // The 15th: Sunday 15 March 2026 → Monday 16; Wednesday 15 April stays.
        // The 1st of May is a holiday (Friday) → Monday 4 May.
        let urssaf = item(Schedule::Monthly(DayRule::Day(15)), d(2024, 1, 1), None);
        assert_eq!(
            urssaf.occurrences(d(2026, 3, 1), d(2026, 4, 30), CAL),
            [d(2026, 3, 16), d(2026, 4, 15)]
        );
        let first = item(Schedule::Monthly(DayRule::Day(1)), d(2024, 1, 1), None);
        assert_eq!(
            first.occurrences(d(2026, 5, 1), d(2026, 5, 31), CAL),
            [d(2026, 5, 4)]
        );
    }

    #[test]
    fn a_payment_moved_into_the_window_is_kept() {
        // Nominal Saturday 28 February 2026, paid Monday 2 March: inside a March window.
        let rent = item(Schedule::Monthly(DayRule::Day(28)), d(2024, 1, 1), None);
        assert_eq!(
            rent.occurrences(d(2026, 3, 1), d(2026, 3, 10), CAL),
            [d(2026, 3, 2)]
        );
    }

    #[test]
    fn quarterly_yearly_weekly_and_bounds() {
        // Quarterly from January: Jan, Apr, Jul, Oct on the 20th (20 Jul 2026 is a Monday).
        let q = item(Schedule::Quarterly(DayRule::Day(20)), d(2025, 1, 1), None);
        assert_eq!(
            q.occurrences(d(2026, 2, 1), d(2026, 7, 31), CAL),
            [d(2026, 4, 20), d(2026, 7, 20)]
        );
        // Yearly in May (start month) on the 15th; ends before 2027.
        let y = item(
            Schedule::Yearly(DayRule::Day(15)),
            d(2025, 5, 1),
            Some(d(2026, 12, 31)),
        );
        assert_eq!(
            y.occurrences(d(2025, 1, 1), d(2027, 12, 31), CAL),
            [d(2025, 5, 15), d(2026, 5, 15)]
        );
        // Weekly from Monday 2 March 2026; Easter Monday 6 April moves to Tuesday 7.
        let w = item(Schedule::Weekly, d(2026, 3, 2), None);
        assert_eq!(
            w.occurrences(d(2026, 3, 31), d(2026, 4, 14), CAL),
            [d(2026, 4, 7), d(2026, 4, 13)]
        );
        // Nothing before the start date; 5 April 2026 is Easter Sunday and 6 Easter Monday,
        // so April's payment leaves on Tuesday 7.
        let late = item(Schedule::Monthly(DayRule::Day(5)), d(2026, 3, 10), None);
        assert_eq!(
            late.occurrences(d(2026, 3, 1), d(2026, 4, 30), CAL),
            [d(2026, 4, 7)]
        );
    }
}
