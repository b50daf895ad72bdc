//! Importers: bytes in, domain records out. Each format has one module that turns the bytes
//! of one file into an [`ImportBatch`], or an [`ImportError`] that names the place and the field.
//! Nothing here touches the database: the store writes a batch in one transaction.
//!
//! Format and character set are detected from content ([`detect`]), never from the name alone.

pub(crate) mod bank_common;
pub mod bank_csv;
pub mod camt;
pub mod cfonb;
pub mod cii;
pub mod csv_profile;
pub mod csv_separator;
pub mod csv_stream;
pub mod csv_util;
pub mod customer_csv;
pub mod detect;
mod einvoice;
mod einvoice_xml;
pub mod fec;
pub mod invoice_csv;
pub mod iso4217;
pub mod mt940;
pub mod ofx;
pub mod party;
pub mod prehashed;
pub mod qif;
pub mod rating_csv;
pub mod text;
pub mod ubl;

pub use detect::{Detection, Format, detect};

use crate::domain::model::{
    AccountRef, ExternalRating, LedgerSettlement, NewBankTransaction, NewCustomer, NewInvoice,
    NewStatement, NewSupplierInvoice, SourceLocation,
};
use crate::domain::money::Currency;
use serde::Serialize;

/// Everything one file contributed. Most files fill one or two of these lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportBatch {
    pub format: Option<Format>,
    pub statements: Vec<NewStatement>,
    pub customers: Vec<NewCustomer>,
    pub invoices: Vec<NewInvoice>,
    pub settlements: Vec<LedgerSettlement>,
    pub supplier_invoices: Vec<NewSupplierInvoice>,
    pub ratings: Vec<ExternalRating>,
    /// Things the user should know that did not stop the import (a pending card line left out,
    /// an unknown column ignored).
    pub warnings: Vec<ImportWarning>,
}

impl ImportBatch {
    pub fn new(format: Format) -> Self {
        ImportBatch {
            format: Some(format),
            ..Default::default()
        }
    }

    pub fn transaction_count(&self) -> usize {
        self.statements.iter().map(|s| s.transactions.len()).sum()
    }

    pub fn warn(&mut self, location: SourceLocation, message: impl Into<String>) {
        self.warnings.push(ImportWarning {
            location,
            message: message.into(),
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ImportWarning {
    pub location: SourceLocation,
    pub message: String,
}

/// Why a file was refused. Displayed as
/// `FILE: line 12, field 'Montant': "12,3x" is not an amount. Fix the value and drop the file again.`
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, serde::Deserialize)]
#[error("{}{}{}: {message}{}", .file.as_deref().map(|f| format!("{f}: ")).unwrap_or_default(), .location, .field.as_deref().map(|f| format!(", field '{f}'")).unwrap_or_default(), .hint.as_deref().map(|h| format!(". {h}")).unwrap_or_default())]
pub struct ImportError {
    pub file: Option<String>,
    pub location: SourceLocation,
    pub field: Option<String>,
    pub message: String,
    /// What the user can do about it.
    pub hint: Option<String>,
}

impl ImportError {
    pub fn new(location: SourceLocation, message: impl Into<String>) -> Self {
        ImportError {
            file: None,
            location,
            field: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn at_line(line: usize, message: impl Into<String>) -> Self {
        Self::new(SourceLocation::Line(line), message)
    }

    pub fn at_path(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(SourceLocation::XmlPath(path.into()), message)
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
}

pub type ImportResult<T> = Result<T, ImportError>;

/// Where a streaming reader hands its bank lines as it reads them, so that a large export
/// is written while it is read instead of being held whole in an [`ImportBatch`].
pub trait BankLineSink {
    /// A refusal of the file converts into the sink's error, so that reading and writing
    /// stop at the first problem of either.
    type Error: From<ImportError>;

    /// A statement (one account of the file) starts; statements are numbered from 0 in the
    /// order of these calls.
    fn statement(&mut self, account: &AccountRef) -> Result<(), Self::Error>;

    /// A line of statement number `statement`.
    fn line(&mut self, statement: usize, line: NewBankTransaction) -> Result<(), Self::Error>;
}

/// Limits that keep a hostile file from exhausting memory.
pub const MAX_FILE_BYTES: usize = 512 * 1024 * 1024;

/// What a parser may need besides the text: the file's name for messages, and the user's
/// settings (CSV profiles, the currency to assume when a file states none).
#[derive(Debug, Clone)]
pub struct ParseContext {
    pub file_name: String,
    pub default_currency: Currency,
    /// Profiles tried in order for CSV files; the generic profile comes last.
    pub csv_profiles: Vec<csv_profile::CsvProfile>,
}

impl Default for ParseContext {
    fn default() -> Self {
        ParseContext {
            file_name: String::new(),
            default_currency: Currency::EUR,
            csv_profiles: Vec::new(),
        }
    }
}

/// Detects the format of `bytes` and parses them. The error names the file.
pub fn parse_bytes(bytes: &[u8], ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let (text, format) = decode_and_detect(bytes, ctx)?;
    parse_as(format, &text, ctx).map_err(|e| e.in_file(ctx.file_name.clone()))
}

/// The first half of [`parse_bytes`]: the file's text (borrowed from `bytes` when it needs
/// no conversion) and its format, or the refusal naming the file.
pub fn decode_and_detect<'b>(
    bytes: &'b [u8],
    ctx: &ParseContext,
) -> ImportResult<(std::borrow::Cow<'b, str>, Format)> {
    let in_file = |e: ImportError| e.in_file(ctx.file_name.clone());
    if bytes.len() > MAX_FILE_BYTES {
        return Err(in_file(
            ImportError::new(
                SourceLocation::Unknown,
                format!(
                    "the file is {} MB, over the {} MB limit",
                    bytes.len() >> 20,
                    MAX_FILE_BYTES >> 20
                ),
            )
            .hint("split the export by period"),
        ));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(in_file(
            ImportError::new(SourceLocation::Unknown, "the file is empty")
                .hint("export it again from the bank or accounting tool"),
        ));
    }
    let (text, _charset) = text::decode_borrowed(bytes);
    let format = match detect(&text) {
        Detection::Known(format) => format,
        Detection::Unsupported(what) => {
            return Err(in_file(
                ImportError::new(SourceLocation::Unknown, format!("this file is {what}"))
                    .hint("it was not imported"),
            ));
        }
        Detection::Unknown => {
            return Err(in_file(ImportError::new(
                SourceLocation::Line(1),
                "the format is not recognised (expected a bank statement: CAMT.053/054, MT940, OFX, CFONB 120, QIF, CSV; or invoices: FEC, UBL, Factur-X/CII, CSV)",
            )
            .hint("if it is a CSV export, add a profile for its columns under [[import.csv_profiles]] in your config file (see config/csv_profiles.toml)")));
        }
    };
    Ok((text, format))
}

/// Parses already-decoded text as the given format.
pub fn parse_as(format: Format, text: &str, ctx: &ParseContext) -> ImportResult<ImportBatch> {
    let parsed: ImportResult<ImportBatch> = match format {
        Format::Camt053 | Format::Camt054 => camt::parse(text, ctx),
        Format::Ofx => ofx::parse(text, ctx),
        Format::Mt940 => mt940::parse(text, ctx),
        Format::Cfonb120 => cfonb::parse(text, ctx),
        Format::Qif => qif::parse(text, ctx),
        Format::BankCsv => bank_csv::parse(text, ctx),
        Format::Fec => fec::parse(text, ctx),
        Format::Ubl => ubl::parse(text, ctx),
        Format::Cii => cii::parse(text, ctx),
        Format::InvoiceCsv => invoice_csv::parse(text, ctx),
        Format::CustomerCsv => customer_csv::parse(text, ctx),
        Format::RatingCsv => rating_csv::parse(text, ctx),
    };
    let mut batch = parsed?;
    batch.format = Some(format);
    Ok(batch)
}
