//! An invoice's page: its figures as of the date, every allocation (undone ones kept), its
//! history.

use super::SourceSettings;
use super::customer::invoice_events;
use crate::app::source::{SourceError, SourceResult};
use crate::app::views::*;
use crate::domain::ageing::days_past_due;
use crate::domain::model::{InvoiceId, InvoiceKind};
use crate::domain::money::from_minor;
use crate::store::date_from_sql;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

pub(super) fn invoice(
    conn: &Connection,
    s: &SourceSettings,
    id: InvoiceId,
    as_of: NaiveDate,
) -> SourceResult<InvoiceView> {
    type Row = (
        String,
        String,
        i64,
        String,
        String,
        Option<String>,
        String,
        i64,
        i64,
        bool,
        Option<String>,
        Option<String>,
    );
    let row: Option<Row> = conn
        .prepare_cached(
            "SELECT i.number, i.kind, i.customer_id, c.name, i.issue_date, i.due_date,
                    COALESCE(i.due_date, date(i.issue_date, '+' || COALESCE(c.payment_terms_days, ?2) || ' days')),
                    i.amount_minor, i.prepaid_minor, i.disputed, i.payment_reference, imp.file_name
             FROM invoices i JOIN customers c ON c.id = i.customer_id
             LEFT JOIN imports imp ON imp.id = i.import_id WHERE i.id = ?1",
        )?
        .query_row(params![id, s.default_terms_days], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?))
        })
        .optional()?;
    let Some((
        number,
        kind,
        customer_id,
        customer_name,
        issue,
        due_given,
        due,
        amount,
        prepaid,
        disputed,
        reference,
        file,
    )) = row
    else {
        return Err(SourceError::NotFound(format!("invoice {id}")));
    };
    let kind = if kind == "credit_note" {
        InvoiceKind::CreditNote
    } else {
        InvoiceKind::Invoice
    };
    let mut stmt = conn.prepare_cached(
        "SELECT a.paid_on, a.amount_minor, a.rule, a.evidence, a.who, a.undone_at, a.undone_reason,
                a.invoice_id, t.counterparty_name, t.remittance, cn.number, inv.number, a.lettering_code
         FROM allocations a
         LEFT JOIN bank_transactions t ON t.id = a.transaction_id
         LEFT JOIN invoices cn ON cn.id = a.credit_note_id
         LEFT JOIN invoices inv ON inv.id = a.invoice_id
         WHERE a.invoice_id = ?1 OR a.credit_note_id = ?1 ORDER BY a.paid_on, a.id",
    )?;
    let mut allocations = Vec::new();
    let mut settled = 0i64;
    let mut rows = stmt.query([id])?;
    while let Some(r) = rows.next()? {
        let paid_on = date_from_sql(&r.get::<_, String>(0)?)?;
        let minor: i64 = r.get(1)?;
        let undone_at: Option<String> = r.get(5)?;
        if undone_at.is_none() && paid_on <= as_of {
            settled += minor;
        }
        let on_invoice_side = r.get::<_, i64>(7)? == id;
        let source = match (
            r.get::<_, Option<String>>(8)?,
            r.get::<_, Option<String>>(10)?,
            r.get::<_, Option<String>>(12)?,
        ) {
            (Some(payer), _, _) => format!(
                "{payer} · {}",
                r.get::<_, Option<String>>(9)?.unwrap_or_default()
            ),
            (None, Some(cn), _) if on_invoice_side => format!("credit note {cn}"),
            (None, Some(_), _) => format!(
                "invoice {}",
                r.get::<_, Option<String>>(11)?.unwrap_or_default()
            ),
            (None, None, Some(code)) => format!("lettering {code}"),
            _ => String::new(),
        };
        allocations.push(AllocationView {
            paid_on,
            amount: from_minor(minor, s.currency),
            rule: r.get(2)?,
            evidence: r.get(3)?,
            source,
            who: r.get(4)?,
            undone: undone_at.map(|at| {
                (
                    at,
                    r.get::<_, Option<String>>(6)
                        .ok()
                        .flatten()
                        .unwrap_or_default(),
                )
            }),
        });
    }
    let due_date = date_from_sql(&due)?;
    let open = (amount - prepaid - settled).max(0);
    Ok(InvoiceView {
        invoice_id: id,
        number,
        kind,
        customer_id,
        customer_name,
        issue_date: date_from_sql(&issue)?,
        due_date,
        due_date_given: due_given.is_some(),
        amount: from_minor(amount, s.currency),
        prepaid: from_minor(prepaid, s.currency),
        open: from_minor(open, s.currency),
        days_late: days_past_due(as_of, due_date),
        disputed,
        payment_reference: reference,
        imported_from: file,
        allocations,
        history: invoice_events(conn, id)?,
    })
}
