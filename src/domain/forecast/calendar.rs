//! Working days: banks move money on weekdays that are not public holidays, so a payment
//! scheduled on a Saturday leaves on Monday and a "last working day" payroll on Friday.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Easter Sunday (Gregorian, anonymous algorithm of Meeus/Jones/Butcher).
pub fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// The eleven French public holidays of metropolitan France (Code du travail L3133-1).
/// Good Friday and 26 December (Alsace-Moselle only) are left out.
pub fn is_french_holiday(date: NaiveDate) -> bool {
    let fixed = matches!(
        (date.month(), date.day()),
        (1, 1) | (5, 1) | (5, 8) | (7, 14) | (8, 15) | (11, 1) | (11, 11) | (12, 25)
    );
    if fixed {
        return true;
    }
    let Some(easter) = easter(date.year()) else {
        return false;
    };
    // Easter Monday, Ascension Thursday, Whit Monday.
    [1u64, 39, 50]
        .iter()
        .any(|&offset| easter.checked_add_days(Days::new(offset)) == Some(date))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WorkCalendar {
    pub french_holidays: bool,
}

impl WorkCalendar {
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        !(weekend || self.french_holidays && is_french_holiday(date))
    }

    /// The date itself if it is a working day, else the next one.
    pub fn on_or_after(&self, mut date: NaiveDate) -> NaiveDate {
        // At most a long weekend plus a holiday: the bound only guards against a bad calendar.
        for _ in 0..10 {
            if self.is_working_day(date) {
                return date;
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => return date,
            }
        }
        date
    }

    /// The date itself if it is a working day, else the previous one.
    pub fn on_or_before(&self, mut date: NaiveDate) -> NaiveDate {
        for _ in 0..10 {
            if self.is_working_day(date) {
                return date;
            }
            match date.pred_opt() {
                Some(prev) => date = prev,
                None => return date,
            }
        }
        date
    }

    pub fn last_working_day(&self, year: i32, month: u32) -> Option<NaiveDate> {
        last_day_of_month(year, month).map(|d| self.on_or_before(d))
    }
}

pub fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// `day` of the month, or the month's last day when the month is shorter (31 → 30 April).
pub fn day_in_month(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let last = last_day_of_month(year, month)?;
    NaiveDate::from_ymd_opt(year, month, day.min(last.day()).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_dates_are_known_ones() {
        assert_eq!(easter(2024), Some(d(2024, 3, 31)));
        assert_eq!(easter(2025), Some(d(2025, 4, 20)));
        assert_eq!(easter(2026), Some(d(2026, 4, 5)));
    }

    #[test]
    fn french_holidays_include_the_moving_ones() {
        // 2026: Easter 5 April → Easter Monday 6 April, Ascension 14 May, Whit Monday 25 May.
        assert!(is_french_holiday(d(2026, 4, 6)));
        assert!(is_french_holiday(d(2026, 5, 14)));
        assert!(is_french_holiday(d(2026, 5, 25)));
        assert!(is_french_holiday(d(2026, 7, 14)));
        assert!(!is_french_holiday(d(2026, 4, 3)));
    }

    #[test]
    fn last_working_day_steps_back_over_weekends_and_holidays() {
        let cal = WorkCalendar {
            french_holidays: true,
        };
        // 31 January 2026 is a Saturday → Friday 30.
        assert_eq!(cal.last_working_day(2026, 1), Some(d(2026, 1, 30)));
        // 31 May 2026 is a Sunday → Friday 29.
        assert_eq!(cal.last_working_day(2026, 5), Some(d(2026, 5, 29)));
        // 31 March 2026 is a Tuesday: itself.
        assert_eq!(cal.last_working_day(2026, 3), Some(d(2026, 3, 31)));
        // 1 November 2026 is a Sunday; 11 November (Wednesday) is a holiday → Thursday 12.
        assert_eq!(cal.on_or_after(d(2026, 11, 11)), d(2026, 11, 12));
    }

    #[test]
    fn short_months_cap_the_day() {
        assert_eq!(day_in_month(2026, 2, 31), Some(d(2026, 2, 28)));
        assert_eq!(day_in_month(2028, 2, 30), Some(d(2028, 2, 29)));
        assert_eq!(day_in_month(2026, 4, 31), Some(d(2026, 4, 30)));
    }
}
