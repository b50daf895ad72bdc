//! Weak signals and risk grades for every customer, and the order check.

use super::{Gathered, Params, gather};
use crate::domain::model::CustomerId;
use crate::domain::signals::check::{CheckAnswer, check_order};
use crate::domain::signals::{Assessment, assess};
use crate::store::StoreResult;
use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;

/// Assessments of the gathered customers, riskiest first, then by exposure. Customers with
/// nothing open and no signal are left out: there is nothing to say about them.
pub fn assess_gathered(g: &Gathered, p: &Params) -> Vec<Assessment> {
    let mut out: Vec<Assessment> = g
        .bundles
        .values()
        .map(|b| assess(&b.facts, &g.portfolio, p.signals, g.as_of))
        .filter(shown)
        .collect();
    sort_assessments(&mut out);
    out
}

/// Whether an assessment is listed: it has a signal or something owed.
pub(super) fn shown(a: &Assessment) -> bool {
    !a.signals.is_empty() || a.exposure != Decimal::ZERO
}

/// Riskiest first, then by exposure, then by name; the id settles the rest, so that a list
/// mended in place (`live`) comes out in a fresh list's order.
pub(super) fn sort_assessments(out: &mut [Assessment]) {
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| b.exposure.cmp(&a.exposure))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.customer_id.cmp(&b.customer_id))
    });
}

pub fn assess_all(conn: &Connection, p: &Params, as_of: NaiveDate) -> StoreResult<Vec<Assessment>> {
    let g = gather(conn, p, as_of, None)?;
    Ok(assess_gathered(&g, p))
}

pub fn assess_customer(
    conn: &Connection,
    p: &Params,
    as_of: NaiveDate,
    customer: CustomerId,
) -> StoreResult<Assessment> {
    let g = gather(conn, p, as_of, Some(customer))?;
    let b = g.bundles.get(&customer).ok_or_else(|| {
        crate::store::StoreError::Invalid(format!("no customer with id {customer}"))
    })?;
    Ok(assess(&b.facts, &g.portfolio, p.signals, as_of))
}

/// "Can we ship `amount` more to this customer?"
pub fn check(
    conn: &Connection,
    p: &Params,
    as_of: NaiveDate,
    customer: CustomerId,
    amount: Decimal,
) -> StoreResult<CheckAnswer> {
    let g = gather(conn, p, as_of, Some(customer))?;
    let b = g.bundles.get(&customer).ok_or_else(|| {
        crate::store::StoreError::Invalid(format!("no customer with id {customer}"))
    })?;
    let a = assess(&b.facts, &g.portfolio, p.signals, as_of);
    let cover = b.facts.rating.as_ref().and_then(|r| r.insurer_limit);
    Ok(check_order(
        &a,
        amount,
        cover,
        p.signals.credit_limit.warning_percent,
    ))
}
