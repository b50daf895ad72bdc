//! A CSV profile says how to read one exporter's CSV: which columns hold what, how numbers
//! and dates are written. The header row is found wherever it is, after any preamble lines.
//! Users' profiles live in `config/default.toml` under `[[import.csv_profiles]]`; the
//! built-in ones (`config/csv_profiles.toml`, embedded) come after them, the generic profile
//! that recognises common French, English and German headers last.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CsvKind {
    #[default]
    Bank,
    Invoices,
    Customers,
    Ratings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DecimalMark {
    Dot,
    Comma,
    #[default]
    Auto,
}

/// Column names are matched case- and accent-insensitively against the header. Each field
/// lists the accepted names, so one profile can cover an exporter's language variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct CsvProfile {
    pub name: String,
    pub kind: CsvKind,
    /// A profile applies when every one of these header names is present.
    pub detect_headers: Vec<String>,
    /// `None`: guess among `;`, `,`, tab and `|` from the header line.
    pub delimiter: Option<char>,
    pub decimal_mark: DecimalMark,
    /// `true` for `dd/mm/yyyy` (French, German), `false` for `mm/dd/yyyy`.
    pub day_first: bool,
    /// Decide the day/month order from the file's own dates (a `13/02` settles it), falling
    /// back to `day_first` when every date fits both.
    pub guess_date_order: bool,
    /// Rows without a booking date are pending lines (Revolut leaves "Date completed"
    /// empty): leave them out with a warning instead of refusing the file.
    pub skip_undated: bool,
    /// Columns, by accepted header names. For `label` every listed column present is used,
    /// joined in file order (German `VWZ1`…`VWZ14`); for the others the first name found wins.
    pub columns: CsvColumns,
    /// Rows whose `status` column holds one of these values are left out with a warning
    /// (e.g. Qonto's `pending`).
    pub skip_statuses: Vec<String>,
    /// The account these lines belong to when the file does not say (IBAN or a name).
    pub account: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct CsvColumns {
    pub date: Vec<String>,
    pub value_date: Vec<String>,
    pub amount: Vec<String>,
    pub debit: Vec<String>,
    pub credit: Vec<String>,
    pub currency: Vec<String>,
    pub label: Vec<String>,
    pub counterparty: Vec<String>,
    pub counterparty_iban: Vec<String>,
    pub reference: Vec<String>,
    pub bank_ref: Vec<String>,
    pub balance: Vec<String>,
    pub status: Vec<String>,
    pub fee: Vec<String>,
    /// The bank's own code for the kind of line (card, transfer, `SEPA-Basislastschrift`).
    pub type_code: Vec<String>,
    /// Our account, when the export has a column for it (IBAN or account number).
    pub account: Vec<String>,
    // invoices and customers
    pub invoice_number: Vec<String>,
    pub kind: Vec<String>,
    pub customer_code: Vec<String>,
    pub customer_name: Vec<String>,
    pub issue_date: Vec<String>,
    pub due_date: Vec<String>,
    pub open_amount: Vec<String>,
    pub siren: Vec<String>,
    pub vat_id: Vec<String>,
    pub email: Vec<String>,
    pub phone: Vec<String>,
    pub contact: Vec<String>,
    pub payment_terms: Vec<String>,
    pub credit_limit: Vec<String>,
    pub segment: Vec<String>,
    pub disputed: Vec<String>,
    // ratings
    pub grade: Vec<String>,
    pub score: Vec<String>,
    pub insurer_limit: Vec<String>,
    pub insolvency: Vec<String>,
    pub source: Vec<String>,
    pub note: Vec<String>,
}

/// The built-in profiles, embedded so that the binary needs no file, and kept as TOML so
/// that users can copy one into their own config and edit it.
pub const BUILTIN_PROFILES_TOML: &str = include_str!("../../config/csv_profiles.toml");

#[derive(Deserialize)]
struct ProfilesFile {
    import: ProfilesSection,
}

#[derive(Deserialize)]
struct ProfilesSection {
    csv_profiles: Vec<CsvProfile>,
}

/// Parses a TOML text holding `[[import.csv_profiles]]` blocks.
pub fn parse_profiles(toml_text: &str) -> Result<Vec<CsvProfile>, String> {
    toml::from_str::<ProfilesFile>(toml_text)
        .map(|f| f.import.csv_profiles)
        .map_err(|e| e.to_string())
}

/// The built-in profiles, parsed once.
pub fn builtin_profiles() -> &'static [CsvProfile] {
    static PROFILES: std::sync::OnceLock<Vec<CsvProfile>> = std::sync::OnceLock::new();
    // The embedded file is checked by a test, so an error here cannot reach a user; an
    // empty list would still leave the user's own profiles working.
    PROFILES.get_or_init(|| parse_profiles(BUILTIN_PROFILES_TOML).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profiles_parse_and_end_with_the_generic_one() {
        let profiles = parse_profiles(BUILTIN_PROFILES_TOML).unwrap();
        let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Qonto",
                "Revolut Business",
                "Crédit Agricole",
                "GLS Bank",
                "generic"
            ]
        );
        assert!(profiles.iter().all(|p| p.kind == CsvKind::Bank));
        let generic = profiles.last().unwrap();
        assert!(generic.detect_headers.is_empty());
        assert!(generic.guess_date_order);
        assert_eq!(builtin_profiles().len(), profiles.len());
    }

    #[test]
    fn a_typo_in_a_profile_is_refused() {
        let err = parse_profiles("[[import.csv_profiles]]\nname = \"x\"\n[import.csv_profiles.columns]\ndate_ = [\"Date\"]\n").unwrap_err();
        assert!(err.contains("date_"), "{err}");
    }
}
