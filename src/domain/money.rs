//! Money is a `Decimal` plus an ISO 4217 code in the domain, and integer minor units in SQLite.
//! The conversion refuses any amount that minor units cannot hold exactly, so nothing is ever
//! rounded away silently.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 currency code, upper-case ASCII.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    pub const EUR: Currency = Currency(*b"EUR");

    /// Accepts any three ASCII letters; unknown-but-well-formed codes are kept because banks
    /// export currencies we have no table for, and refusing them would refuse the whole file.
    pub fn parse(code: &str) -> Option<Currency> {
        let code = code.trim();
        let bytes = code.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        let mut out = [0u8; 3];
        for (slot, b) in out.iter_mut().zip(bytes) {
            *slot = b.to_ascii_uppercase();
        }
        Some(Currency(out))
    }

    pub fn as_str(&self) -> &str {
        // The constructor only admits ASCII letters.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// Number of decimal places of the minor unit (ISO 4217).
    pub fn exponent(&self) -> u32 {
        match self.as_str() {
            "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF"
            | "UGX" | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
            "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
            _ => 2,
        }
    }

    pub fn symbol(&self) -> Option<&'static str> {
        match self.as_str() {
            "EUR" => Some("€"),
            "USD" => Some("$"),
            "GBP" => Some("£"),
            _ => None,
        }
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Currency::parse(&value).ok_or_else(|| format!("'{value}' is not a currency code"))
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.as_str().to_string()
    }
}

impl Default for Currency {
    fn default() -> Self {
        Currency::EUR
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MinorUnitsError {
    #[error("{amount} {currency} has more decimals than the currency's minor unit ({exponent})")]
    TooPrecise {
        amount: Decimal,
        currency: Currency,
        exponent: u32,
    },
    #[error("{amount} {currency} is too large to store")]
    TooLarge { amount: Decimal, currency: Currency },
}

/// Exact conversion to integer minor units (cents for EUR).
pub fn to_minor(amount: Decimal, currency: Currency) -> Result<i64, MinorUnitsError> {
    let exponent = currency.exponent();
    let scaled = amount * Decimal::from(10i64.pow(exponent));
    if scaled.fract() != Decimal::ZERO {
        return Err(MinorUnitsError::TooPrecise {
            amount,
            currency,
            exponent,
        });
    }
    i64::try_from(scaled.trunc()).map_err(|_| MinorUnitsError::TooLarge { amount, currency })
}

pub fn from_minor(minor: i64, currency: Currency) -> Decimal {
    Decimal::new(minor, currency.exponent())
}

/// Rounds half away from zero to the currency's minor unit: the usual rule for
/// interest and penalties stated on a letter.
pub fn round_to_minor(amount: Decimal, currency: Currency) -> Decimal {
    amount.round_dp_with_strategy(
        currency.exponent(),
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn three_decimal_amounts_that_are_whole_cents_convert() {
        assert_eq!(to_minor(dec!(18.150), Currency::EUR), Ok(1815));
        assert_eq!(from_minor(1815, Currency::EUR), dec!(18.15));
    }

    #[test]
    fn sub_cent_amounts_are_refused_not_rounded() {
        assert!(matches!(
            to_minor(dec!(18.155), Currency::EUR),
            Err(MinorUnitsError::TooPrecise { .. })
        ));
        let kwd = Currency::parse("kwd").unwrap();
        assert_eq!(to_minor(dec!(18.155), kwd), Ok(18155));
    }

    #[test]
    fn currency_codes_are_validated() {
        assert_eq!(Currency::parse(" eur "), Some(Currency::EUR));
        assert_eq!(Currency::parse("EURO"), None);
        assert_eq!(Currency::parse("E1R"), None);
    }

    #[test]
    fn negative_amounts_round_trip() {
        assert_eq!(to_minor(dec!(-32.21), Currency::EUR), Ok(-3221));
        assert_eq!(from_minor(-3221, Currency::EUR), dec!(-32.21));
    }
}
