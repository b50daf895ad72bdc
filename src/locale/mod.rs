//! Language choice and the number and date formats that go with it.

use crate::domain::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub mod refusals;
mod refusals_fr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    Fr,
    #[default]
    En,
}

impl Language {
    /// French when `LANG` (or `LC_ALL`, `LC_MESSAGES`, which take precedence as in POSIX)
    /// starts with `fr`; the value is passed in so that tests need not touch the environment.
    pub fn from_env_value(value: Option<&str>) -> Language {
        match value {
            Some(v) if v.to_ascii_lowercase().starts_with("fr") => Language::Fr,
            _ => Language::En,
        }
    }

    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Language::Fr => fr,
            Language::En => en,
        }
    }
}

/// Groups the integer part in threes.
fn group(int_part: &str, sep: &str) -> String {
    let digits: Vec<char> = int_part.chars().collect();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len());
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(*c);
    }
    out
}

/// `12 345,67 €` in French (a plain space groups the digits: the narrow no-break space is
/// not one cell wide in every terminal font), `€12,345.67` in English.
pub fn money(amount: Decimal, currency: Currency, lang: Language) -> String {
    format_money(amount, currency, currency.exponent(), lang)
}

/// Whole units only, for narrow panes: `12 346 €`, `€12,346`.
pub fn money_short(amount: Decimal, currency: Currency, lang: Language) -> String {
    format_money(amount, currency, 0, lang)
}

fn format_money(amount: Decimal, currency: Currency, decimals: u32, lang: Language) -> String {
    let rounded = amount.round_dp_with_strategy(
        decimals,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    let text = format!("{:.*}", decimals as usize, rounded.abs());
    let (int_part, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let (thousands, mark) = match lang {
        Language::Fr => (" ", ","),
        Language::En => (",", "."),
    };
    let number = match frac {
        Some(f) => format!("{}{mark}{f}", group(int_part, thousands)),
        None => group(int_part, thousands),
    };
    match (lang, currency.symbol()) {
        (Language::Fr, Some(sym)) => format!("{sign}{number} {sym}"),
        (Language::En, Some(sym)) => format!("{sign}{sym}{number}"),
        (_, None) => format!("{sign}{number} {currency}"),
    }
}

/// An ageing bucket's name for a reader: the domain names the first one in English, the
/// others are day ranges ("1-30", "91+") that read the same in both languages.
pub fn ageing_bucket(label: &str, lang: Language) -> &str {
    match label {
        "not due" => lang.pick("non échu", "not due"),
        other => other,
    }
}

pub fn date(d: NaiveDate, lang: Language) -> String {
    match lang {
        Language::Fr => d.format("%d/%m/%Y").to_string(),
        Language::En => d.format("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn french_and_english_money() {
        assert_eq!(
            money(dec!(12345.67), Currency::EUR, Language::Fr),
            "12 345,67 €"
        );
        assert_eq!(
            money(dec!(12345.67), Currency::EUR, Language::En),
            "€12,345.67"
        );
        assert_eq!(money(dec!(-5), Currency::EUR, Language::En), "-€5.00");
        assert_eq!(money(dec!(0.5), Currency::EUR, Language::Fr), "0,50 €");
        assert_eq!(
            money(dec!(1234567), Currency::EUR, Language::Fr),
            "1 234 567,00 €"
        );
        let chf = Currency::parse("CHF").unwrap();
        assert_eq!(money(dec!(100), chf, Language::En), "100.00 CHF");
    }

    #[test]
    fn short_money_rounds_to_units() {
        assert_eq!(
            money_short(dec!(12345.67), Currency::EUR, Language::Fr),
            "12 346 €"
        );
        assert_eq!(
            money_short(dec!(12345.67), Currency::EUR, Language::En),
            "€12,346"
        );
        assert_eq!(
            money_short(dec!(-99.5), Currency::EUR, Language::En),
            "-€100"
        );
    }

    #[test]
    fn language_from_lang() {
        assert_eq!(Language::from_env_value(Some("fr_FR.UTF-8")), Language::Fr);
        assert_eq!(Language::from_env_value(Some("en_GB.UTF-8")), Language::En);
        assert_eq!(Language::from_env_value(None), Language::En);
    }
}
