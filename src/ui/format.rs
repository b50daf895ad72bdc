//! Numbers, dates and text as the interface shows them, through `locale`.

use crate::domain::money::Currency;
use crate::locale::{self, Language};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy)]
pub struct Fmt {
    pub lang: Language,
    pub currency: Currency,
}

impl Fmt {
    pub fn money(&self, d: Decimal) -> String {
        locale::money(d, self.currency, self.lang)
    }

    /// Whole units, for tables and panes.
    pub fn money_short(&self, d: Decimal) -> String {
        locale::money_short(d, self.currency, self.lang)
    }

    pub fn date(&self, d: NaiveDate) -> String {
        locale::date(d, self.lang)
    }

    /// Day and month only: `15/06` or `06-15`.
    pub fn day(&self, d: NaiveDate) -> String {
        match self.lang {
            Language::Fr => d.format("%d/%m").to_string(),
            Language::En => d.format("%m-%d").to_string(),
        }
    }

    pub fn stamp(&self, at: NaiveDateTime) -> String {
        format!("{} {}", self.date(at.date()), at.format("%H:%M"))
    }

    /// One decimal, the language's mark: `12,5 %` / `12.5%`.
    pub fn percent(&self, p: Decimal) -> String {
        let text = format!("{:.1}", p.round_dp(1));
        match self.lang {
            Language::Fr => format!("{} %", text.replace('.', ",")),
            Language::En => format!("{text}%"),
        }
    }

    pub fn decimal1(&self, d: Decimal) -> String {
        let text = format!("{:.1}", d.round_dp(1));
        match self.lang {
            Language::Fr => text.replace('.', ","),
            Language::En => text,
        }
    }

    /// `12 j` / `12 d`, signed when not yet due.
    pub fn days(&self, n: i64) -> String {
        format!("{n} {}", self.lang.pick("j", "d"))
    }
}

/// Text from the data made safe to draw: control characters (an escape sequence in a
/// customer's name) and bidirectional overrides become nothing, tabs and newlines a space.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn escape_sequences_are_dropped() {
        assert_eq!(
            clean("Evil\u{1b}[2J\u{1b}]0;x\u{7} SA\u{202e}"),
            "Evil[2J]0;x SA"
        );
    }

    #[test]
    fn percent_and_days_follow_the_language() {
        let fr = Fmt {
            lang: Language::Fr,
            currency: Currency::EUR,
        };
        let en = Fmt {
            lang: Language::En,
            currency: Currency::EUR,
        };
        assert_eq!(fr.percent(dec!(12.46)), "12,5 %");
        assert_eq!(en.percent(dec!(12.46)), "12.5%");
        assert_eq!(
            fr.day(NaiveDate::from_ymd_opt(2026, 6, 5).unwrap()),
            "05/06"
        );
        assert_eq!(fr.days(3), "3 j");
    }
}
