//! What the books say: the overview figures, receivables, a customer, an invoice, imports.

use super::Notice;
use crate::domain::model::{CustomerId, InvoiceId, InvoiceKind, Segment};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The header line of the overview: the four figures the owner reads first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Headline {
    /// Bank balances − payables due within 30 days; None without bank data.
    pub net_cash: Option<Decimal>,
    /// Days sales outstanding, countback method; None without sales.
    pub dso_days: Option<Decimal>,
    /// Overdue ÷ open, in percent; None when nothing is open.
    pub overdue_percent: Option<Decimal>,
    /// Date of the newest bank data (closing balance or booked line).
    pub bank_as_of: Option<NaiveDate>,
    /// The newest bank data is older than `bank.stale_after_days`: reminders may chase
    /// invoices already paid.
    pub bank_stale: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AgeingSummary {
    /// Bucket labels as the domain gives them ("not due", "1-30", ...).
    pub labels: Vec<String>,
    pub buckets: Vec<Decimal>,
    pub open: Decimal,
    pub overdue: Decimal,
    pub invoices: usize,
    /// The customers with the most overdue, largest first.
    pub top_overdue: Vec<TopOverdue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopOverdue {
    pub customer_id: CustomerId,
    pub code: String,
    pub name: String,
    pub overdue: Decimal,
    pub oldest_days_late: i64,
}

/// The ledger half of the overview; the signals, queue and forecast panes come from their
/// own views, shared with their screens.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OverviewView {
    pub as_of: Option<NaiveDate>,
    pub company: String,
    pub headline: Headline,
    pub ageing: AgeingSummary,
    pub notice: Option<Notice>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReceivableRow {
    pub customer_id: CustomerId,
    pub code: String,
    pub name: String,
    pub open: Decimal,
    pub overdue: Decimal,
    /// One amount per bucket label of the view.
    pub buckets: Vec<Decimal>,
    pub oldest_days_late: i64,
    pub invoices: usize,
    /// Risk grade A–D when signals are computed.
    pub grade: Option<char>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReceivablesView {
    pub as_of: Option<NaiveDate>,
    pub labels: Vec<String>,
    pub rows: Vec<ReceivableRow>,
    pub total_open: Decimal,
    pub total_overdue: Decimal,
    pub total_buckets: Vec<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// One open invoice or credit note of a customer.
#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceLine {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub kind: InvoiceKind,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub amount: Decimal,
    pub open: Decimal,
    /// Negative: days until due.
    pub days_late: i64,
    pub disputed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromiseStatus {
    Pending,
    Kept,
    Broken,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PromiseView {
    pub date: NaiveDate,
    pub amount: Decimal,
    pub status: PromiseStatus,
    pub made_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DisputeView {
    pub invoice_number: String,
    pub open: Decimal,
    pub reason: String,
    pub since: Option<NaiveDate>,
}

impl DisputeView {
    /// A customer's disputes: each disputed open invoice (number, open amount) under the
    /// latest dispute's reason, or, when no open invoice is marked disputed, that dispute
    /// against the overdue total so that it is not lost from the card.
    pub fn list<'a>(
        disputed: impl Iterator<Item = (&'a str, Decimal)>,
        events: &[EventView],
        overdue: Decimal,
    ) -> Vec<DisputeView> {
        let last = events.iter().find(|e| e.kind == "dispute" && !e.undone);
        let mut disputes: Vec<DisputeView> = disputed
            .map(|(number, open)| DisputeView {
                invoice_number: number.to_string(),
                open,
                reason: last.map(|e| e.text.clone()).unwrap_or_default(),
                since: last.map(|e| e.at.date()),
            })
            .collect();
        if disputes.is_empty()
            && let Some(e) = last
        {
            disputes.push(DisputeView {
                invoice_number: String::new(),
                open: overdue,
                reason: e.text.clone(),
                since: Some(e.at.date()),
            });
        }
        disputes
    }
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    pub at: NaiveDateTime,
    pub who: String,
    /// The outcome (`promise`, `no_answer`...) or the stored kind (`limit_set`...): the
    /// interface names the ones it knows and shows the others as they are.
    pub kind: String,
    pub date: Option<NaiveDate>,
    pub amount: Option<Decimal>,
    /// A reason, a note, or the detail of an unknown kind.
    pub text: String,
    /// Undone later (the trail keeps it).
    pub undone: bool,
}

/// Late-payment penalties due as of the date (French B2B rules).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Penalties {
    /// Late interest; None while the rate table is not configured.
    pub interest: Option<Decimal>,
    /// 40 € per late invoice for professional debtors.
    pub indemnities: Decimal,
    pub late_invoices: usize,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomerView {
    pub customer_id: CustomerId,
    pub code: String,
    pub name: String,
    pub siren: Option<String>,
    pub contact: Contact,
    pub segment: Segment,
    pub terms_days: Option<u32>,
    pub credit_limit: Option<Decimal>,
    /// Open invoices minus unapplied credit notes.
    pub exposure: Decimal,
    pub overdue: Decimal,
    pub limit_use_percent: Option<u32>,
    pub labels: Vec<String>,
    pub buckets: Vec<Decimal>,
    pub grade: Option<char>,
    pub score: Option<u8>,
    pub reasons: Vec<String>,
    pub promises: Vec<PromiseView>,
    pub disputes: Vec<DisputeView>,
    pub open_invoices: Vec<InvoiceLine>,
    pub penalties: Penalties,
    /// Newest first.
    pub events: Vec<EventView>,
}

/// A payment, credit note or ledger settlement allocated to an invoice.
#[derive(Debug, Clone, PartialEq)]
pub struct AllocationView {
    pub paid_on: NaiveDate,
    pub amount: Decimal,
    /// The matching rule (`ledger`, `reference`, `manual`, ...).
    pub rule: String,
    pub evidence: String,
    /// What paid: the bank line's payer and text, or the credit note's number.
    pub source: String,
    pub who: String,
    /// When and why it was undone; undone allocations stay visible.
    pub undone: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceView {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub kind: InvoiceKind,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    /// False when the due date was derived from the terms.
    pub due_date_given: bool,
    pub amount: Decimal,
    pub prepaid: Decimal,
    pub open: Decimal,
    pub days_late: i64,
    pub disputed: bool,
    pub payment_reference: Option<String>,
    pub imported_from: Option<String>,
    pub allocations: Vec<AllocationView>,
    pub history: Vec<EventView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub import_id: i64,
    pub file_name: String,
    pub format: String,
    pub at: String,
    pub who: String,
    pub statements: usize,
    pub transactions: usize,
    pub duplicates: usize,
    pub customers: usize,
    pub invoices: usize,
    pub settlements: usize,
    pub supplier_invoices: usize,
    pub ratings: usize,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RejectionRow {
    pub file_name: String,
    pub at: String,
    pub who: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportsView {
    /// Newest first.
    pub imports: Vec<ImportRow>,
    pub rejections: Vec<RejectionRow>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn dispute(day: u32, text: &str, undone: bool) -> EventView {
        EventView {
            at: NaiveDate::from_ymd_opt(2026, 3, day)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .unwrap(),
            who: "anne".into(),
            kind: "dispute".into(),
            date: None,
            amount: None,
            text: text.into(),
            undone,
        }
    }

    #[test]
    fn disputed_invoices_carry_the_latest_live_dispute_reason() {
        // The trail is newest first; an undone dispute no longer speaks for the customer.
        let events = [
            dispute(9, "withdrawn", true),
            dispute(5, "damaged goods", false),
        ];
        let list = DisputeView::list([("F-1", dec!(120))].into_iter(), &events, dec!(500));
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].invoice_number, "F-1");
        assert_eq!(list[0].open, dec!(120));
        assert_eq!(list[0].reason, "damaged goods");
        assert_eq!(list[0].since, NaiveDate::from_ymd_opt(2026, 3, 5));
    }

    #[test]
    fn a_dispute_without_a_disputed_open_invoice_stands_against_the_overdue_total() {
        let events = [dispute(5, "price", false)];
        let list = DisputeView::list(std::iter::empty(), &events, dec!(500));
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].invoice_number, "");
        assert_eq!(list[0].open, dec!(500));
        assert!(DisputeView::list(std::iter::empty(), &[], dec!(500)).is_empty());
    }
}
