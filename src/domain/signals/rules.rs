//! The thirteen rules. Each looks at the facts and, when its threshold is crossed, returns
//! the signal with the numbers that crossed it.

use super::facts::{CustomerFacts, PortfolioFacts};
use super::settings::SignalSettings;
use super::{Evidence, RatingReason, Signal};
use chrono::{Duration, Months, NaiveDate};
use rust_decimal::Decimal;

pub fn evaluate(
    f: &CustomerFacts,
    p: &PortfolioFacts,
    s: &SignalSettings,
    as_of: NaiveDate,
) -> Vec<Signal> {
    [
        lateness_trend(f, s),
        frequent_lateness(f, s),
        broken_promise(f, s, as_of),
        partial_payments(f, s),
        credit_limit(f, s),
        atypical_order(f, s),
        new_customer(f, s, as_of),
        disputes(f, s, as_of),
        bounced_payment(f, s, as_of),
        silence(f, s),
        concentration(f, p, s),
        changed_payer_account(f, s, as_of),
        external_rating(f, s, as_of),
    ]
    .into_iter()
    .flatten()
    .filter(|sig| sig.weight > 0)
    .collect()
}

fn signal(weight: u32, evidence: Evidence) -> Option<Signal> {
    Some(Signal {
        kind: evidence.kind(),
        weight,
        evidence,
    })
}

fn days_ago(as_of: NaiveDate, days: u32) -> NaiveDate {
    as_of - Duration::days(i64::from(days))
}

fn lateness_trend(f: &CustomerFacts, s: &SignalSettings) -> Option<Signal> {
    let t = &s.lateness_trend;
    if f.lateness_recent.invoices < t.min_invoices || f.lateness_previous.invoices < t.min_invoices
    {
        return None;
    }
    let recent = f.lateness_recent.average_days()?;
    let previous = f.lateness_previous.average_days()?;
    if recent - previous < Decimal::from(t.min_increase_days) {
        return None;
    }
    signal(
        t.weight,
        Evidence::LatenessTrend {
            recent_days: recent,
            recent_months: t.recent_months,
            previous_days: previous,
            previous_months: t.previous_months,
        },
    )
}

fn frequent_lateness(f: &CustomerFacts, s: &SignalSettings) -> Option<Signal> {
    let t = &s.frequent_lateness;
    let l = &f.lateness_frequency;
    if l.invoices < t.min_invoices.max(1) {
        return None;
    }
    let share = l.late_share_percent()?;
    if share < Decimal::from(t.late_share_percent) {
        return None;
    }
    signal(
        t.weight,
        Evidence::FrequentLateness {
            late: l.late_invoices,
            invoices: l.invoices,
            share_percent: share,
            months: t.months,
        },
    )
}

fn broken_promise(f: &CustomerFacts, s: &SignalSettings, as_of: NaiveDate) -> Option<Signal> {
    let t = &s.broken_promise;
    let since = days_ago(as_of, t.within_days);
    let recent: Vec<_> = f
        .broken_promises
        .iter()
        .filter(|b| b.promised_on >= since && b.promised_on <= as_of)
        .collect();
    let latest = recent.iter().max_by_key(|b| b.promised_on)?;
    signal(
        t.weight,
        Evidence::BrokenPromise {
            count: recent.len() as u32,
            promised_on: latest.promised_on,
            amount: latest.amount,
            paid: latest.paid,
        },
    )
}

fn partial_payments(f: &CustomerFacts, s: &SignalSettings) -> Option<Signal> {
    let t = &s.partial_payments;
    let recent = f.partial_recent;
    let share = recent.share_percent()?;
    let previous = f.partial_previous.share_percent();
    let many = recent.partial >= t.min_invoices.max(1);
    let rising = recent.partial > 0
        && previous.is_some_and(|prev| share - prev >= Decimal::from(t.rising_points));
    if !many && !rising {
        return None;
    }
    signal(
        t.weight,
        Evidence::PartialPayments {
            partial: recent.partial,
            invoices: recent.invoices,
            months: t.months,
            share_percent: share,
            previous_share_percent: previous,
        },
    )
}

fn credit_limit(f: &CustomerFacts, s: &SignalSettings) -> Option<Signal> {
    let t = &s.credit_limit;
    let limit = f.credit_limit?;
    if f.exposure <= Decimal::ZERO {
        return None;
    }
    let usage = (limit > Decimal::ZERO).then(|| f.exposure * Decimal::ONE_HUNDRED / limit);
    let breach = usage.is_none_or(|u| u > Decimal::ONE_HUNDRED);
    let warning = usage.is_some_and(|u| u >= Decimal::from(t.warning_percent));
    if !breach && !warning {
        return None;
    }
    signal(
        if breach {
            t.breach_weight
        } else {
            t.warning_weight
        },
        Evidence::CreditLimit {
            exposure: f.exposure,
            limit,
            usage_percent: usage,
            breach,
        },
    )
}

fn atypical_order(f: &CustomerFacts, s: &SignalSettings) -> Option<Signal> {
    let t = &s.atypical_order;
    if f.history_invoices < t.min_history {
        return None;
    }
    let median = f.median_invoice.filter(|m| *m > Decimal::ZERO)?;
    let recent = f.largest_recent.as_ref()?;
    if recent.amount < median * t.factor {
        return None;
    }
    signal(
        t.weight,
        Evidence::AtypicalOrder {
            number: recent.number.clone(),
            amount: recent.amount,
            median,
            ratio: recent.amount / median,
        },
    )
}

fn new_customer(f: &CustomerFacts, s: &SignalSettings, as_of: NaiveDate) -> Option<Signal> {
    let t = &s.new_customer;
    let first = f.first_invoice?;
    let cutoff = as_of
        .checked_sub_months(Months::new(t.history_months))
        .unwrap_or(NaiveDate::MIN);
    if first <= cutoff || f.exposure <= t.exposure_above {
        return None;
    }
    signal(
        t.weight,
        Evidence::NewCustomer {
            first_invoice: first,
            exposure: f.exposure,
            threshold: t.exposure_above,
        },
    )
}

fn disputes(f: &CustomerFacts, s: &SignalSettings, as_of: NaiveDate) -> Option<Signal> {
    let t = &s.disputes;
    if f.disputes.is_empty() {
        return None;
    }
    let since = days_ago(as_of, t.new_within_days);
    let newest = f
        .disputes
        .iter()
        .max_by_key(|d| (d.opened_on, d.invoice_id))?;
    let is_new = newest.opened_on.is_some_and(|d| d >= since);
    let count = f.disputes.len() as u32;
    if count < t.several && !is_new {
        return None;
    }
    signal(
        t.weight,
        Evidence::Disputes {
            count,
            amount: f.disputes.iter().map(|d| d.open).sum(),
            newest_number: newest.number.clone(),
            newest_opened: newest.opened_on,
            reason: newest.reason.clone(),
        },
    )
}

fn bounced_payment(f: &CustomerFacts, s: &SignalSettings, as_of: NaiveDate) -> Option<Signal> {
    let t = &s.bounced_payment;
    let since = days_ago(as_of, t.within_days);
    let recent: Vec<_> = f
        .reversals
        .iter()
        .filter(|r| r.date >= since && r.date <= as_of)
        .collect();
    let latest = recent.iter().max_by_key(|r| r.date)?;
    signal(
        t.weight,
        Evidence::BouncedPayment {
            count: recent.len() as u32,
            date: latest.date,
            amount: latest.amount.abs(),
        },
    )
}

fn silence(f: &CustomerFacts, s: &SignalSettings) -> Option<Signal> {
    let t = &s.silence;
    if f.unanswered_attempts < t.attempts {
        return None;
    }
    signal(
        t.weight,
        Evidence::Silence {
            attempts: f.unanswered_attempts,
        },
    )
}

pub(super) fn concentration(
    f: &CustomerFacts,
    p: &PortfolioFacts,
    s: &SignalSettings,
) -> Option<Signal> {
    let t = &s.concentration;
    if p.total_exposure <= Decimal::ZERO || f.exposure <= Decimal::ZERO {
        return None;
    }
    let share = f.exposure * Decimal::ONE_HUNDRED / p.total_exposure;
    if share <= Decimal::from(t.share_percent) {
        return None;
    }
    signal(
        t.weight,
        Evidence::Concentration {
            share_percent: share,
            exposure: f.exposure,
            total: p.total_exposure,
        },
    )
}

fn changed_payer_account(
    f: &CustomerFacts,
    s: &SignalSettings,
    as_of: NaiveDate,
) -> Option<Signal> {
    let t = &s.changed_payer_account;
    let since = days_ago(as_of, t.within_days);
    let newest = f
        .new_payer_accounts
        .iter()
        .filter(|a| a.first_seen >= since && a.first_seen <= as_of)
        .max_by_key(|a| a.first_seen)?;
    signal(
        t.weight,
        Evidence::ChangedPayerAccount {
            iban: newest.iban.clone(),
            first_seen: newest.first_seen,
        },
    )
}

fn external_rating(f: &CustomerFacts, s: &SignalSettings, as_of: NaiveDate) -> Option<Signal> {
    let t = &s.external_rating;
    let r = f.rating.as_ref()?;
    if r.date > as_of || r.date < days_ago(as_of, t.max_age_days) {
        return None;
    }
    let cover_exceeded = r.insurer_limit.is_some_and(|l| f.exposure > l);
    let low_score = r.score.is_some_and(|sc| u32::from(sc) < t.min_score);
    let (reason, weight) = if r.insolvency {
        (RatingReason::Insolvency, t.insolvency_weight)
    } else if cover_exceeded {
        (RatingReason::InsurerLimit, t.insurer_limit_weight)
    } else if low_score {
        (RatingReason::LowScore, t.low_score_weight)
    } else {
        return None;
    };
    signal(
        weight,
        Evidence::ExternalRating {
            reason,
            source: r.source.clone(),
            date: r.date,
            grade: r.grade.clone(),
            score: r.score,
            insurer_limit: r.insurer_limit,
            exposure: f.exposure,
            note: r.note.clone(),
        },
    )
}
