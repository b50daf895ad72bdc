//! One pass over each table, folded into one bundle per customer: what the signals, the queue
//! and the customer page all start from.

use super::Params;
use super::customers::{CustomerRow, load_customers};
use super::history::{
    first_invoice_dates, for_each_customer_invoices, for_each_paid_invoice, newest_bank_date,
};
use super::payers::{bank_facts, payer_directory};
use super::state::{DunningState, load_states};
use crate::domain::ageing::OpenItem;
use crate::domain::dunning::queue::UnmatchedCredit;
use crate::domain::figures::Lateness;
use crate::domain::model::{CustomerId, InvoiceKind};
use crate::domain::money::{Currency, from_minor};
use crate::domain::signals::facts::{DisputeFact, RatingFact, history_start};
use crate::domain::signals::{CustomerFacts, PortfolioFacts};
use crate::store::ageing::for_each_open_item;
use crate::store::{StoreResult, date_from_sql, date_to_sql};
use chrono::{Duration, Months, NaiveDate};
use rusqlite::{Connection, params};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone)]
pub struct Bundle {
    pub row: CustomerRow,
    pub facts: CustomerFacts,
    /// Open invoices and unapplied credit notes (negative).
    pub open_items: Vec<OpenItem>,
    /// Paid over `[figures] lateness_months`, for the average days late.
    pub lateness: Lateness,
    pub state: DunningState,
    pub unmatched_credit: Option<UnmatchedCredit>,
}

#[derive(Debug, Clone)]
pub struct Gathered {
    pub as_of: NaiveDate,
    pub bundles: BTreeMap<CustomerId, Bundle>,
    pub portfolio: PortfolioFacts,
    pub newest_bank_data: Option<NaiveDate>,
    pub lateness: Lateness,
}

pub fn gather(
    conn: &Connection,
    p: &Params,
    as_of: NaiveDate,
    only: Option<CustomerId>,
) -> StoreResult<Gathered> {
    let rows = load_customers(conn, only)?;
    let mut states = load_states(conn, as_of, only, p.policy.rules.promise_grace_days)?;
    let dir = payer_directory(conn, as_of, &rows, only)?;
    let mut bank = bank_facts(
        conn,
        as_of,
        &dir,
        p.signals.bounced_payment.within_days,
        p.policy.rules.unmatched_credit_days,
    )?;
    let mut ratings = latest_ratings(conn, as_of, p.signals.external_rating.max_age_days)?;
    let mut first = first_invoice_dates(conn, as_of, only)?;
    let new_since = as_of - Duration::days(i64::from(p.signals.changed_payer_account.within_days));

    let mut bundles: BTreeMap<CustomerId, Bundle> = BTreeMap::new();
    for row in rows {
        let mut facts = CustomerFacts::new(row.id, row.code.clone(), row.name.clone());
        facts.credit_limit = row.credit_limit;
        facts.first_invoice = first.remove(&row.id);
        facts.reversals = bank.reversals.remove(&row.id).unwrap_or_default();
        facts.new_payer_accounts = dir.new_accounts(row.id, new_since);
        facts.rating = row.siren.as_ref().and_then(|s| ratings.remove(s.trim()));
        let state = states.remove(&row.id).unwrap_or_default();
        facts.unanswered_attempts = state.contact.unanswered;
        for (promise, s) in &state.promises {
            if let crate::domain::dunning::outcome::PromiseState::Broken { paid, .. } = s {
                facts
                    .broken_promises
                    .push(crate::domain::signals::facts::BrokenPromiseFact {
                        promised_on: promise.promised_on,
                        amount: promise.amount,
                        paid: *paid,
                    });
            }
        }
        bundles.insert(
            row.id,
            Bundle {
                unmatched_credit: bank.unmatched.remove(&row.id),
                row,
                facts,
                open_items: Vec::new(),
                lateness: Lateness::default(),
                state,
            },
        );
    }

    let mut total_open = Decimal::ZERO;
    for_each_open_item(conn, as_of, p.default_terms_days, only, |mut item| {
        total_open += item.open;
        let Some(b) = bundles.get_mut(&item.customer_id) else {
            return;
        };
        if b.state
            .disputes
            .iter()
            .any(|d| d.invoice_id == item.invoice_id)
        {
            item.disputed = true;
        }
        b.facts.exposure += item.open;
        if item.kind == InvoiceKind::Invoice && item.due_date < as_of {
            b.facts.overdue += item.open;
        }
        b.open_items.push(item);
    })?;
    if only.is_some() {
        total_open = Decimal::ZERO;
        for_each_open_item(conn, as_of, p.default_terms_days, None, |item| {
            total_open += item.open;
        })?;
    }

    let flagged = p.lang.pick(
        "marquée en litige dans l'export",
        "marked disputed in the export",
    );
    for b in bundles.values_mut() {
        for item in b
            .open_items
            .iter()
            .filter(|i| i.disputed && i.kind == InvoiceKind::Invoice)
        {
            let row = b
                .state
                .disputes
                .iter()
                .find(|d| d.invoice_id == item.invoice_id);
            b.facts.disputes.push(DisputeFact {
                invoice_id: item.invoice_id,
                number: item.number.clone(),
                opened_on: row.map(|d| d.opened_on),
                reason: row.map_or_else(|| flagged.to_string(), |d| d.reason.clone()),
                open: item.open,
            });
        }
    }

    let lateness_start = as_of
        .checked_sub_months(Months::new(p.figures.lateness_months))
        .unwrap_or(NaiveDate::MIN);
    let since = history_start(as_of, p.signals).min(lateness_start);
    let mut lateness = Lateness::default();
    for_each_paid_invoice(conn, as_of, since, p.default_terms_days, only, |paid| {
        let recent = paid.paid_on > lateness_start;
        if recent {
            lateness.add(paid.amount, paid.days_late());
        }
        if let Some(b) = bundles.get_mut(&paid.customer_id) {
            b.facts.add_paid(&paid, as_of, p.signals);
            if recent {
                b.lateness.add(paid.amount, paid.days_late());
            }
        }
    })?;

    let recent_start = as_of - Duration::days(i64::from(p.signals.atypical_order.recent_days));
    let from = recent_start
        .checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    // Only a recent invoice's number is ever shown (the largest of the recent window).
    for_each_customer_invoices(
        conn,
        from,
        as_of,
        recent_start,
        only,
        |customer, invoices| {
            if let Some(b) = bundles.get_mut(&customer) {
                b.facts.set_invoice_history(invoices, as_of, p.signals);
            }
        },
    )?;

    Ok(Gathered {
        as_of,
        bundles,
        portfolio: PortfolioFacts {
            total_exposure: total_open,
        },
        newest_bank_data: newest_bank_date(conn, as_of)?,
        lateness,
    })
}

/// Per SIREN: the latest rating on or before `as_of`, keeping the latest insurer limit
/// given and any insolvency notice of the last `max_age_days` (a newer grade from another
/// source must not hide an insolvency).
fn latest_ratings(
    conn: &Connection,
    as_of: NaiveDate,
    max_age_days: u32,
) -> StoreResult<HashMap<String, RatingFact>> {
    let oldest = as_of - Duration::days(i64::from(max_age_days));
    let mut stmt = conn.prepare_cached(
        "SELECT siren, date, source, grade, score, insurer_limit_minor, insolvency, note
         FROM external_ratings WHERE date <= ?1 AND date >= ?2 ORDER BY siren, date, id",
    )?;
    let mut rows = stmt.query(params![date_to_sql(as_of), date_to_sql(oldest)])?;
    let mut out: HashMap<String, RatingFact> = HashMap::new();
    while let Some(r) = rows.next()? {
        let siren: String = r.get(0)?;
        let fact = RatingFact {
            date: date_from_sql(&r.get::<_, String>(1)?)?,
            source: r.get(2)?,
            grade: r.get(3)?,
            score: r.get::<_, Option<i64>>(4)?.map(|s| s.clamp(0, 100) as u8),
            insurer_limit: r
                .get::<_, Option<i64>>(5)?
                .map(|m| from_minor(m, Currency::EUR)),
            insolvency: r.get(6)?,
            note: r.get(7)?,
        };
        match out.get_mut(siren.trim()) {
            Some(prev) => {
                let insolvency = prev.insolvency || fact.insolvency;
                let limit = fact.insurer_limit.or(prev.insurer_limit);
                let note = if fact.insolvency || !prev.insolvency {
                    fact.note.clone()
                } else {
                    prev.note.clone()
                };
                *prev = RatingFact {
                    insolvency,
                    insurer_limit: limit,
                    note,
                    ..fact
                };
            }
            None => {
                out.insert(siren.trim().to_string(), fact);
            }
        }
    }
    Ok(out)
}
