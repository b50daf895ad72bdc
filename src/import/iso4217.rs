//! Invoice currencies are checked against the ISO 4217 list. `Currency::parse` keeps any
//! three letters because bank files carry codes we have no table for; an invoice, though,
//! is typed by a person or an ERP, and `EUT` or `XYZ` there is a typo that would put the
//! invoice in its own currency bucket forever.

use crate::domain::money::Currency;

/// Active ISO 4217 currency codes, plus HRK (withdrawn in 2023, still on older invoices).
/// Precious metals, bond units and the test/no-currency codes are left out on purpose.
const CODES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
    "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF", "IDR",
    "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW",
    "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA",
    "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD",
    "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG",
    "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE",
    "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP",
    "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
    "ZWL",
];

/// Reads a currency as invoices write it: an ISO code in any case, or the euro, pound and
/// Swiss-franc spellings that leave no doubt. `$` is refused: too many dollars share it.
pub fn parse_currency(raw: &str) -> Option<Currency> {
    let t = raw.trim();
    let code = match t.to_uppercase().as_str() {
        "€" | "EURO" | "EUROS" => "EUR".to_string(),
        "£" => "GBP".to_string(),
        "FR." | "SFR" => "CHF".to_string(),
        other => other.to_string(),
    };
    if CODES.binary_search(&code.as_str()).is_err() {
        return None;
    }
    Currency::parse(&code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_for_binary_search() {
        assert!(CODES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn known_codes_and_symbols_are_read() {
        assert_eq!(parse_currency(" eur "), Some(Currency::EUR));
        assert_eq!(parse_currency("€"), Some(Currency::EUR));
        assert_eq!(
            parse_currency("NOK").map(|c| c.to_string()),
            Some("NOK".into())
        );
        assert_eq!(
            parse_currency("£").map(|c| c.to_string()),
            Some("GBP".into())
        );
    }

    #[test]
    fn typos_and_ambiguous_symbols_are_refused() {
        for raw in ["EUT", "XYZ", "XXX", "$", "EU", "EURO2", ""] {
            assert_eq!(parse_currency(raw), None, "{raw}");
        }
    }
}
