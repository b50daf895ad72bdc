//! A CSV profile says how to read one exporter's CSV: which columns hold what, how numbers
//! and dates are written, how many preamble lines come before the header. Profiles live in
//! `config/default.toml` under `[[import.csv_profiles]]`; a generic profile that recognises
//! common French and English headers is tried last.

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
    /// Columns, by accepted header names.
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
