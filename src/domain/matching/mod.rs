//! Matching bank credits to invoices (lettrage). Pure: the store gathers the open items and
//! writes back what comes out.
//!
//! Rules, in order (DOMAIN.md "Matching bank lines to invoices"):
//! 1. a structured reference (RF creditor reference, invoice number or payment reference in
//!    the structured field) equal to an invoice;
//! 2. invoice numbers found in the free text, normalised;
//! 3. a known payer (learned IBAN or name, or the customer's own name) and an amount that
//!    settles exactly one of its open invoices;
//! 4. a known payer and an amount equal to exactly one combination of its open invoices;
//! 5. otherwise suggestions with their score components, for a person to decide.
//!
//! Rules 1–2 run over every credit first, oldest first, so that a payment quoting an invoice
//! is never beaten to it by an anonymous payment of the same amount; rules 3–5 run next.
//! Everything is indexed by hash: no loop visits all invoices for one credit.
//!
//! Amounts are carried internally as integer thousandths (`units`), which every currency's
//! minor unit divides, so sums and comparisons are exact and cheap.

mod amounts;
mod books;
mod by_payer;
mod evidence;
mod hashing;
mod index;
pub mod names;
mod payer;
mod prepass;
mod reversal;
mod rules;
pub use rules::Decided;
mod scan;
mod suggest;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_edge;
pub mod words;

pub use names::name_key;
pub use reversal::{
    PastCredit, REVERSAL_WINDOW_DAYS, ReversalCandidate, ReversalFound, find_reversals,
};

use super::model::{CustomerId, InvoiceId, TransactionId};
use super::money::Currency;
use crate::locale::Language;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// A bank credit with something left to allocate.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CreditLine {
    pub id: TransactionId,
    pub date: NaiveDate,
    /// The part not yet allocated (amount − active allocations), positive.
    pub amount: Decimal,
    pub currency: Currency,
    pub counterparty_name: Option<String>,
    pub counterparty_iban: Option<String>,
    pub remittance: String,
    pub structured_ref: Option<String>,
}

/// An invoice with an open amount.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OpenInvoice {
    pub id: InvoiceId,
    pub number: String,
    /// `text::normalise_reference(number)`.
    pub number_key: String,
    pub payment_reference: Option<String>,
    pub customer_id: CustomerId,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub open: Decimal,
    pub currency: Currency,
    /// Early-payment discount in percent: a payment short by that share settles the invoice.
    pub discount_percent: Option<Decimal>,
}

/// A payer learned from a person's match: a counterparty name key and/or IBAN.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PayerAlias {
    pub customer_id: CustomerId,
    pub name_key: Option<String>,
    pub iban: Option<String>,
}

/// Who pays for whom: the customers' own names and the learned aliases.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PayerDirectory {
    pub customers: Vec<(CustomerId, String)>,
    pub aliases: Vec<PayerAlias>,
}

/// The `[matching]` settings, as the domain needs them.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchParams {
    pub max_combination: usize,
    pub min_suggestion_score: u8,
    /// A payment short of (or above) an invoice by at most this much still settles it.
    pub fee_tolerance: Decimal,
    /// How many suggestions to keep per credit.
    pub max_suggestions: usize,
    /// The language of the evidence and reasons the rules write. The store sets it from the
    /// acting person for every write; callers set it only for suggestions they show.
    pub lang: Language,
}

impl Default for MatchParams {
    fn default() -> Self {
        MatchParams {
            max_combination: 4,
            min_suggestion_score: 30,
            fee_tolerance: Decimal::new(200, 2),
            max_suggestions: 3,
            lang: Language::En,
        }
    }
}

/// Why an allocation exists. The text form (`as_str`, also its JSON form) is what the
/// `allocations.rule` column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    StructuredReference,
    ReferenceInText,
    KnownPayerAmount,
    KnownPayerCombination,
    /// A suggestion a person accepted.
    SuggestionAccepted,
    /// A person's own assignment.
    Manual,
    /// The early-payment discount the customer took: settles the invoice, consumes no money.
    DiscountWriteOff,
    /// Bank fees or a rounding difference within `fee_tolerance`: settles, consumes no money.
    FeeWriteOff,
}

impl Rule {
    pub const ALL: [Rule; 8] = [
        Rule::StructuredReference,
        Rule::ReferenceInText,
        Rule::KnownPayerAmount,
        Rule::KnownPayerCombination,
        Rule::SuggestionAccepted,
        Rule::Manual,
        Rule::DiscountWriteOff,
        Rule::FeeWriteOff,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::StructuredReference => "structured_ref",
            Rule::ReferenceInText => "ref_in_text",
            Rule::KnownPayerAmount => "payer_amount",
            Rule::KnownPayerCombination => "payer_combination",
            Rule::SuggestionAccepted => "accepted",
            Rule::Manual => "manual",
            Rule::DiscountWriteOff => "discount",
            Rule::FeeWriteOff => "fee",
        }
    }

    pub fn parse(s: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Write-offs settle an invoice without using any of the payment's money: they are not
    /// subtracted from what is left to allocate on the bank line.
    pub fn consumes_payment(self) -> bool {
        !matches!(self, Rule::DiscountWriteOff | Rule::FeeWriteOff)
    }

    pub fn label(self) -> &'static str {
        match self {
            Rule::StructuredReference => "structured reference",
            Rule::ReferenceInText => "invoice number in text",
            Rule::KnownPayerAmount => "known payer, amount",
            Rule::KnownPayerCombination => "known payer, combination",
            Rule::SuggestionAccepted => "suggestion accepted",
            Rule::Manual => "manual",
            Rule::DiscountWriteOff => "early-payment discount",
            Rule::FeeWriteOff => "fees / rounding",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Rule::StructuredReference => "référence structurée",
            Rule::ReferenceInText => "numéro de facture dans le libellé",
            Rule::KnownPayerAmount => "payeur connu, montant",
            Rule::KnownPayerCombination => "payeur connu, combinaison",
            Rule::SuggestionAccepted => "suggestion acceptée",
            Rule::Manual => "manuel",
            Rule::DiscountWriteOff => "escompte",
            Rule::FeeWriteOff => "frais / arrondi",
        }
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One part of a bank credit given to one invoice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allocation {
    pub transaction_id: TransactionId,
    pub invoice_id: InvoiceId,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub paid_on: NaiveDate,
    pub rule: Rule,
    /// A sentence a person can check: what was seen, where.
    pub evidence: String,
}

/// What each score part contributed (reference 0–40, amount 0–30, payer 0–20, date 0–10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ScoreComponents {
    pub reference: u8,
    pub amount: u8,
    pub payer: u8,
    pub date: u8,
}

impl ScoreComponents {
    pub fn total(&self) -> u8 {
        self.reference + self.amount + self.payer + self.date
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub invoice_id: InvoiceId,
    pub invoice_number: String,
    pub customer_id: CustomerId,
    #[serde(with = "rust_decimal::serde::str")]
    pub open: Decimal,
    pub score: u8,
    pub components: ScoreComponents,
    /// Why it is suggested, in words.
    pub reason: String,
}

/// A credit that no rule settled, with what a person might pick.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unmatched {
    pub transaction_id: TransactionId,
    #[serde(with = "rust_decimal::serde::str")]
    pub left: Decimal,
    pub suggestions: Vec<Suggestion>,
}

/// A credit larger than what it paid: the rest stays unallocated on the bank line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overpayment {
    pub transaction_id: TransactionId,
    #[serde(with = "rust_decimal::serde::str")]
    pub left: Decimal,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct MatchOutcome {
    pub allocations: Vec<Allocation>,
    pub overpayments: Vec<Overpayment>,
    pub unmatched: Vec<Unmatched>,
}

/// Runs the rules over `credits` against `invoices`. Deterministic for the same input.
pub fn match_credits(
    credits: &[CreditLine],
    invoices: &[OpenInvoice],
    payers: &PayerDirectory,
    params: &MatchParams,
) -> MatchOutcome {
    match_credits_suggesting(credits, invoices, payers, params, &|_| true)
}

/// `match_credits`, with suggestions worked out only for the credits left that `want`
/// names (the others are listed in `unmatched` with none): rule 5 costs as much as the
/// rest, and a screen shows a page of credits at a time. Each credit asked for gets
/// exactly the suggestions `match_credits` gives it.
pub fn match_credits_suggesting(
    credits: &[CreditLine],
    invoices: &[OpenInvoice],
    payers: &PayerDirectory,
    params: &MatchParams,
    want: &dyn Fn(TransactionId) -> bool,
) -> MatchOutcome {
    rules::Matcher::new(credits, invoices, payers, params).run(want)
}

/// The rules' decisions over `credits`, their suggestions still to work out
/// ([`Decided::suggestions`]): `outcome()` then `suggestions()` give what `match_credits`
/// gives, and the two may run on different threads.
pub fn decide<'a>(
    credits: &'a [CreditLine],
    invoices: &'a [OpenInvoice],
    payers: &'a PayerDirectory,
    params: &'a MatchParams,
) -> Decided<'a> {
    rules::Matcher::new(credits, invoices, payers, params).decide()
}

/// Suggestions for credits without running the automatic rules on them first: what a person
/// sees when assigning by hand.
pub fn suggest_for(
    credits: &[CreditLine],
    invoices: &[OpenInvoice],
    payers: &PayerDirectory,
    params: &MatchParams,
) -> Vec<Unmatched> {
    // Nothing to suggest for: the matcher's indexes over every open invoice would be built
    // for nothing (a run's usual case: no credit was reviewed before).
    if credits.is_empty() {
        return Vec::new();
    }
    suggest_for_some(credits, invoices, payers, params, &|_| true)
}

/// `suggest_for`, for the credits `want` names only (the others are listed with none).
pub fn suggest_for_some(
    credits: &[CreditLine],
    invoices: &[OpenInvoice],
    payers: &PayerDirectory,
    params: &MatchParams,
    want: &dyn Fn(TransactionId) -> bool,
) -> Vec<Unmatched> {
    if !credits.iter().any(|c| want(c.id)) {
        // The matcher's order (oldest first) without building its indexes.
        let mut order: Vec<&CreditLine> = credits.iter().collect();
        order.sort_unstable_by_key(|c| (c.date, c.id));
        return order
            .into_iter()
            .map(|c| Unmatched {
                transaction_id: c.id,
                left: c.amount,
                suggestions: Vec::new(),
            })
            .collect();
    }
    rules::Matcher::new(credits, invoices, payers, params).suggest_only(want)
}
