//! Reads over the ledger tables: the overview figures, the ageing table, the bank position,
//! the parts of the queue, forecast and matching views that the store alone can give, and
//! the imports.

use super::SourceSettings;
use crate::app::source::SourceResult;
use crate::app::views::*;
use crate::domain::ageing::AgeingReport;
use crate::domain::figures;
use crate::import::{ImportError, ImportWarning};
use crate::locale::{Language, refusals};
use crate::store::ageing::ageing_report;
use crate::store::bank_sums::BankLines;
use crate::store::intel::figures as figures_store;
use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;

const TOP_OVERDUE: usize = 10;

/// The date of the newest bank data on or before `as_of`: the latest closing balance (as
/// `net_cash` found it) or the latest booked line, whichever is newer.
fn bank_data_as_of(
    conn: &Connection,
    closing: Option<NaiveDate>,
    as_of: NaiveDate,
) -> SourceResult<Option<NaiveDate>> {
    let booked = crate::store::bank_keys::newest_booking_day(conn, as_of)?;
    Ok(closing.max(booked))
}

fn is_stale(s: &SourceSettings, as_of: NaiveDate, bank: Option<NaiveDate>) -> bool {
    bank.is_none_or(|d| (as_of - d).num_days() > i64::from(s.stale_after_days))
}

fn report(conn: &Connection, s: &SourceSettings, as_of: NaiveDate) -> SourceResult<AgeingReport> {
    Ok(ageing_report(
        conn,
        as_of,
        s.buckets.clone(),
        s.default_terms_days,
    )?)
}

pub(super) fn overview(
    conn: &Connection,
    s: &SourceSettings,
    as_of: NaiveDate,
    lines: BankLines<'_>,
) -> SourceResult<OverviewView> {
    let r = report(conn, s, as_of)?;
    let cash =
        figures_store::net_cash_from(conn, &s.full.figures, s.default_terms_days, as_of, lines)?;
    // Without any bank balance there is no net cash to speak of, only the payables.
    let net_cash = cash.bank_balance_date.map(|_| cash.net);
    let bank_as_of = bank_data_as_of(conn, cash.bank_balance_date, as_of)?;
    let anything_open = !r.customers.is_empty();
    let headline = Headline {
        net_cash,
        dso_days: anything_open.then(|| {
            figures::dso_countback(
                r.total.open,
                &figures_store::countback_sales(conn, as_of).unwrap_or_default(),
            )
            .days
            .round_dp(1)
        }),
        overdue_percent: figures::ratio(r.total.overdue, r.total.open)
            .map(|r| (r * Decimal::ONE_HUNDRED).round_dp(1)),
        bank_as_of,
        bank_stale: is_stale(s, as_of, bank_as_of),
    };
    let top_overdue = r
        .customers
        .iter()
        .filter(|c| c.totals.overdue > Decimal::ZERO)
        .take(TOP_OVERDUE)
        .map(|c| TopOverdue {
            customer_id: c.customer_id,
            code: c.code.clone(),
            name: c.name.clone(),
            overdue: c.totals.overdue,
            oldest_days_late: c.oldest_days_past_due,
        })
        .collect();
    let notice = r.customers.is_empty().then_some(Notice::NoData);
    Ok(OverviewView {
        as_of: Some(as_of),
        company: s.company.clone(),
        headline,
        ageing: AgeingSummary {
            labels: r.labels,
            buckets: r.total.buckets,
            open: r.total.open,
            overdue: r.total.overdue,
            invoices: r.total.invoices,
            top_overdue,
        },
        notice,
    })
}

pub(super) fn receivables(
    conn: &Connection,
    s: &SourceSettings,
    as_of: NaiveDate,
) -> SourceResult<ReceivablesView> {
    let r = report(conn, s, as_of)?;
    Ok(ReceivablesView {
        as_of: Some(as_of),
        labels: r.labels,
        rows: r
            .customers
            .into_iter()
            .map(|c| ReceivableRow {
                customer_id: c.customer_id,
                code: c.code,
                name: c.name,
                open: c.totals.open,
                overdue: c.totals.overdue,
                buckets: c.totals.buckets,
                oldest_days_late: c.oldest_days_past_due,
                invoices: c.totals.invoices,
                grade: None,
            })
            .collect(),
        total_open: r.total.open,
        total_overdue: r.total.overdue,
        total_buckets: r.total.buckets,
    })
}

/// The imports and the refusals, each warning and refusal in the reader's language: they are
/// stored as the readers wrote them (`locale::refusals`).
pub(super) fn imports(conn: &Connection, lang: Language) -> SourceResult<ImportsView> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, file_name, format, imported_at, who, statements, transactions_inserted,
                transactions_duplicate + invoices_duplicate, customers_inserted + customers_updated,
                invoices_inserted, settlements_inserted, supplier_invoices_inserted,
                ratings_inserted, warnings
         FROM imports ORDER BY id DESC LIMIT 200",
    )?;
    let imports = stmt
        .query_map([], |r| {
            let warnings: String = r.get(13)?;
            let n = |i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as usize);
            Ok(ImportRow {
                import_id: r.get(0)?,
                file_name: r.get(1)?,
                format: r.get(2)?,
                at: r.get(3)?,
                who: r.get(4)?,
                statements: n(5)?,
                transactions: n(6)?,
                duplicates: n(7)?,
                customers: n(8)?,
                invoices: n(9)?,
                settlements: n(10)?,
                supplier_invoices: n(11)?,
                ratings: n(12)?,
                warnings: serde_json::from_str::<Vec<ImportWarning>>(&warnings)
                    .map(|ws| ws.iter().map(|w| refusals::warning(w, lang)).collect())
                    .unwrap_or_default(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let rejections = conn
        .prepare_cached(
            "SELECT file_name, at, who, reason, error FROM import_rejections
             ORDER BY id DESC LIMIT 100",
        )?
        .query_map([], |r| {
            let parts: Option<String> = r.get(4)?;
            let parts = parts.and_then(|p| serde_json::from_str::<ImportError>(&p).ok());
            Ok(RejectionRow {
                file_name: r.get(0)?,
                at: r.get(1)?,
                who: r.get(2)?,
                // Refusals recorded before their parts were kept show their English text.
                reason: match parts {
                    Some(error) => refusals::refusal(&error, lang),
                    None => r.get(3)?,
                },
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ImportsView {
        imports,
        rejections,
    })
}
