//! Date texts turned into dates once per distinct text, for reads of many rows.

use super::{StoreResult, date_from_sql_bytes};
use chrono::NaiveDate;

/// Due dates already parsed, by their text: a portfolio has a few hundred distinct due
/// dates for its hundreds of thousands of open items, and checking and converting each
/// one's text cost 3 % of the report's instructions. Two slots per hash of the text, each
/// keeping its text to tell a hit, so that a collision only costs a parse.
pub(crate) struct DueDates(Vec<Option<([u8; 10], NaiveDate)>>);

impl DueDates {
    const SLOTS_LOG2: u32 = 12;

    pub(crate) fn new() -> DueDates {
        DueDates(vec![None; 1 << Self::SLOTS_LOG2])
    }

    pub(crate) fn parse(&mut self, text: &[u8]) -> StoreResult<NaiveDate> {
        let Ok(key) = <[u8; 10]>::try_from(text) else {
            return date_from_sql_bytes(text);
        };
        let [a, b, c, d, e, f, g, h, i, j] = key;
        // Two odd multiplications: the first keeps every bit of the first eight bytes, the
        // second carries the last two (the day) up to the bits that pick the slot.
        let mixed = u64::from_le_bytes([a, b, c, d, e, f, g, h])
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            ^ u64::from(u16::from_le_bytes([i, j]));
        let at = (mixed.wrapping_mul(0xff51_afd7_ed55_8ccd) >> (64 - Self::SLOTS_LOG2)) as usize;
        for slot in [at, at ^ 1] {
            if let Some((seen, date)) = self.0[slot]
                && seen == key
            {
                return Ok(date);
            }
        }
        let date = date_from_sql_bytes(text)?;
        let free = if self.0[at].is_none() { at } else { at ^ 1 };
        self.0[free] = Some((key, date));
        Ok(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every day of eleven years, read three times in an order that mixes them, and texts
    /// that are not dates: each answer is the parser's own.
    #[test]
    fn a_cached_date_is_the_parsed_date() {
        let mut cache = DueDates::new();
        let first = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let days: Vec<String> = (0..4_018)
            .map(|n| (first + chrono::Days::new(n)).to_string())
            .collect();
        for round in 0..3 {
            for k in 0..days.len() {
                let text = &days[(k * 7 + round * 13) % days.len()];
                assert_eq!(
                    cache.parse(text.as_bytes()).unwrap(),
                    date_from_sql_bytes(text.as_bytes()).unwrap(),
                    "{text}"
                );
            }
        }
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "20260101",
            "2026-01-0x",
            "2026-01-01T00",
        ] {
            assert_eq!(
                cache.parse(bad.as_bytes()).is_ok(),
                date_from_sql_bytes(bad.as_bytes()).is_ok(),
                "{bad}"
            );
            if let Ok(date) = cache.parse(bad.as_bytes()) {
                assert_eq!(date, date_from_sql_bytes(bad.as_bytes()).unwrap(), "{bad}");
            }
        }
    }
}
