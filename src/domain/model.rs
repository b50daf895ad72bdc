//! The records the rest of the program agrees on. Importers produce the `New*` records;
//! the store persists them and hands back the stored forms with their ids.

use super::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub type CustomerId = i64;
pub type InvoiceId = i64;
pub type TransactionId = i64;
pub type AccountId = i64;

/// Where a record came from in its file, for messages that name the place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SourceLocation {
    #[default]
    Unknown,
    /// 1-based physical line number.
    Line(usize),
    /// An XML path such as `Document/BkToCstmrStmt/Stmt[2]/Ntry[3]/Amt`.
    XmlPath(String),
}

impl std::fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceLocation::Unknown => f.write_str("(unknown place)"),
            SourceLocation::Line(n) => write!(f, "line {n}"),
            SourceLocation::XmlPath(p) => write!(f, "{p}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Segment {
    Strategic,
    #[default]
    Standard,
    Watch,
    New,
}

impl Segment {
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Strategic => "strategic",
            Segment::Standard => "standard",
            Segment::Watch => "watch",
            Segment::New => "new",
        }
    }

    pub fn parse(s: &str) -> Option<Segment> {
        match s.trim().to_ascii_lowercase().as_str() {
            "strategic" | "strategique" | "stratégique" => Some(Segment::Strategic),
            "standard" | "" => Some(Segment::Standard),
            "watch" | "surveillance" | "a surveiller" | "à surveiller" => Some(Segment::Watch),
            "new" | "nouveau" => Some(Segment::New),
            _ => None,
        }
    }
}

/// A customer as an import knows it. `code` is the customer's key in the company's books
/// (FEC auxiliary account, ERP customer number); when an export has none, the importer
/// derives one from the SIREN/VAT id or the name so that the same customer maps to one row.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NewCustomer {
    pub code: String,
    pub name: String,
    /// 9-digit SIREN for French companies.
    pub siren: Option<String>,
    pub vat_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub contact_name: Option<String>,
    pub payment_terms_days: Option<u32>,
    pub credit_limit: Option<Decimal>,
    pub segment: Option<Segment>,
    /// Professional debtor (B2B): the 40 € indemnity applies. Defaults to true.
    pub professional: Option<bool>,
    pub location: SourceLocation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    #[default]
    Invoice,
    CreditNote,
}

impl InvoiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceKind::Invoice => "invoice",
            InvoiceKind::CreditNote => "credit_note",
        }
    }
}

/// A customer invoice or credit note. `amount` is the total including tax, always
/// positive; `kind` says which way it counts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NewInvoice {
    pub number: String,
    pub kind: InvoiceKind,
    /// Must match a `NewCustomer::code` in the same batch or a customer already stored.
    pub customer_code: String,
    pub issue_date: NaiveDate,
    /// None when the export does not give it: the customer's terms, else the default terms,
    /// fill it in at ageing time. An invoice is never dropped for lack of a due date.
    pub due_date: Option<NaiveDate>,
    pub amount: Decimal,
    pub currency: Currency,
    /// Amount already paid when the invoice was exported (prepaid/deposit), reduces the open amount.
    pub prepaid: Decimal,
    pub disputed: bool,
    /// Structured payment reference printed on the invoice (RF reference, PaymentID).
    pub payment_reference: Option<String>,
    /// Early-payment discount rate in percent, if the terms offer one: a payment short by
    /// exactly that share still settles the invoice.
    pub discount_percent: Option<Decimal>,
    pub location: SourceLocation,
}

/// A settlement that the company's own books record (FEC lettering): the invoice was paid or
/// offset on `date`. Used as the answer key for matching and as payment history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerSettlement {
    pub invoice_number: String,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub currency: Currency,
    /// The FEC lettering code (EcritureLet) that ties the entries together.
    pub lettering_code: String,
    pub location: SourceLocation,
}

/// A supplier invoice to pay: an outflow for the forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSupplierInvoice {
    pub number: String,
    pub supplier_code: String,
    pub supplier_name: String,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub amount: Decimal,
    pub currency: Currency,
    pub paid: bool,
    pub location: SourceLocation,
}

/// How a bank file names the account it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AccountRef {
    /// IBAN without spaces, upper-case, when the file gives one.
    pub iban: Option<String>,
    /// Any other account identifier (national account number, `Othr/Id`, OFX ACCTID, card number).
    pub number: Option<String>,
    pub bank_code: Option<String>,
    pub currency: Option<Currency>,
}

impl AccountRef {
    /// The key an account is stored under: the IBAN, else bank code + number.
    pub fn key(&self) -> Option<String> {
        if let Some(iban) = &self.iban {
            return Some(iban.clone());
        }
        self.number.as_ref().map(|n| match &self.bank_code {
            Some(b) => format!("{b}/{n}"),
            None => n.clone(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Balance {
    pub date: NaiveDate,
    /// Signed: negative is an overdraft.
    pub amount: Decimal,
    pub currency: Currency,
}

/// One bank line. `amount` is signed: positive is money in (a credit on our account).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NewBankTransaction {
    pub booking_date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    pub amount: Decimal,
    pub currency: Currency,
    pub counterparty_name: Option<String>,
    /// IBAN without spaces, upper-case.
    pub counterparty_iban: Option<String>,
    /// Free text (Ustrd, :86:, label, memo), lines joined with a space.
    pub remittance: String,
    /// Structured creditor reference (RF…, Strd/CdtrRefInf/Ref, ISR/ESR reference, +++…+++).
    pub structured_ref: Option<String>,
    /// The bank's own id for the line (AcctSvcrRef, FITID, :61: bank reference).
    pub bank_ref: Option<String>,
    /// A returned transfer or rejected direct debit: it undoes an earlier line.
    pub reversal: bool,
    /// Bank transaction code as given (BkTxCd, TRNTYPE, CFONB operation code, :61: type).
    pub type_code: Option<String>,
    pub location: SourceLocation,
}

/// One statement of one account; a file may hold several.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NewStatement {
    pub account: AccountRef,
    pub opening: Option<Balance>,
    pub closing: Option<Balance>,
    pub transactions: Vec<NewBankTransaction>,
}

/// An external signal about a customer keyed by SIREN: a rating agency grade, a
/// credit-insurer limit, or an insolvency notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExternalRating {
    pub siren: String,
    pub date: NaiveDate,
    pub source: String,
    /// The grade as the source writes it (e.g. "B", "3", "++").
    pub grade: Option<String>,
    /// A normalised score 0 (worst) – 100 (best) when the source's scale is known.
    pub score: Option<u8>,
    pub insurer_limit: Option<Decimal>,
    pub insolvency: bool,
    pub note: Option<String>,
    pub location: SourceLocation,
}
