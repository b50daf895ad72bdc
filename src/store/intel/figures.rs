//! The key figures of DOMAIN.md from the store, as of a date.

use super::Params;
use super::history::{
    bank_position_from, daily_sales, for_each_paid_invoice, payables_due, sum_between,
};
use crate::domain::ageing::{OpenItem, days_past_due};
use crate::domain::figures::{
    CeiInputs, FigureSettings, KeyFigures, Lateness, NetCash, PeriodSales, UnpaidCost, cei,
    countback_periods, dso_countback, dso_simple, net_cash, ratio, sales_to_recover,
};
use crate::domain::model::InvoiceKind;
use crate::store::StoreResult;
use crate::store::ageing::{customer_names, for_each_open_item};
use crate::store::bank_sums::BankLines;
use chrono::{Duration, Months, NaiveDate};
use rusqlite::Connection;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Months of sales the countback walks through at most.
const COUNTBACK_MONTHS: u32 = 24;
/// How many of the costliest overdue invoices the figures list.
const COSTLIEST: usize = 10;

fn period_sales(
    daily: &BTreeMap<NaiveDate, Decimal>,
    periods: &[(NaiveDate, NaiveDate)],
) -> Vec<PeriodSales> {
    periods
        .iter()
        .map(|(start, end)| PeriodSales {
            start: *start,
            end: *end,
            sales: sum_between(daily, *start, *end),
        })
        .collect()
}

/// Sales of each countback month, newest first: what DSO by countback walks through.
pub fn countback_sales(conn: &Connection, as_of: NaiveDate) -> StoreResult<Vec<PeriodSales>> {
    let periods = countback_periods(as_of, COUNTBACK_MONTHS);
    let oldest = periods.last().map_or(as_of, |(s, _)| *s);
    let daily = daily_sales(conn, oldest - Duration::days(1), as_of)?;
    Ok(period_sales(&daily, &periods))
}

/// Net cash as DOMAIN.md defines it: the bank balances, less the payables due within the
/// horizon, the short-term credit drawn and the other short-term debts. The overview's
/// headline and `report figures` both read it here, so they never disagree.
pub fn net_cash_as_of(
    conn: &Connection,
    figures: &FigureSettings,
    default_terms_days: u32,
    as_of: NaiveDate,
) -> StoreResult<NetCash> {
    net_cash_from(conn, figures, default_terms_days, as_of, BankLines::Sql)
}

/// `net_cash_as_of` with the lines since each balance summed by `lines`.
pub fn net_cash_from(
    conn: &Connection,
    figures: &FigureSettings,
    default_terms_days: u32,
    as_of: NaiveDate,
    lines: BankLines<'_>,
) -> StoreResult<NetCash> {
    let (bank, bank_date) = bank_position_from(conn, as_of, lines)?;
    let payables = payables_due(
        conn,
        as_of + Duration::days(i64::from(figures.payables_horizon_days)),
        default_terms_days,
    )?;
    Ok(net_cash(
        bank,
        bank_date,
        payables,
        figures.short_term_credit_drawn,
        figures.other_short_term_debts,
    ))
}

/// Open, overdue and not yet due receivables, and the costliest overdue invoices, from
/// open items given in any order.
#[derive(Default)]
struct OpenTotals {
    open: Decimal,
    overdue: Decimal,
    current: Decimal,
    /// (open, invoice, customer, number, days late), largest first, then by invoice id.
    costliest: Vec<(Decimal, i64, i64, String, i64)>,
}

impl OpenTotals {
    fn add(&mut self, item: &OpenItem, as_of: NaiveDate) {
        self.open += item.open;
        let late = days_past_due(as_of, item.due_date);
        if item.kind == InvoiceKind::Invoice && late > 0 {
            self.overdue += item.open;
            // A short list kept sorted; the id breaks ties so that the order items come
            // in (a scan, or the kept gather) does not matter.
            let better = |l: &(Decimal, i64, i64, String, i64)| {
                (item.open, std::cmp::Reverse(item.invoice_id)) > (l.0, std::cmp::Reverse(l.1))
            };
            if self.costliest.len() < COSTLIEST || self.costliest.last().is_some_and(better) {
                self.costliest.push((
                    item.open,
                    item.invoice_id,
                    item.customer_id,
                    item.number.clone(),
                    late,
                ));
                self.costliest
                    .sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                self.costliest.truncate(COSTLIEST);
            }
        } else {
            self.current += item.open;
        }
    }
}

/// Where the sales the key figures read start (exclusive): the oldest countback month, the
/// CEI period or the last 90 days, whichever is earliest.
pub(super) fn sales_window(p: &Params, as_of: NaiveDate) -> NaiveDate {
    let periods = countback_periods(as_of, COUNTBACK_MONTHS);
    let oldest = periods.last().map_or(as_of, |(s, _)| *s);
    let cei_start = as_of - Duration::days(i64::from(p.figures.cei_period_days));
    oldest.min(cei_start).min(as_of - Duration::days(90)) - Duration::days(1)
}

pub fn key_figures(conn: &Connection, p: &Params, as_of: NaiveDate) -> StoreResult<KeyFigures> {
    let mut totals = OpenTotals::default();
    for_each_open_item(conn, as_of, p.default_terms_days, None, |item| {
        totals.add(&item, as_of)
    })?;
    let daily = daily_sales(conn, sales_window(p, as_of), as_of)?;
    let cei_start = as_of - Duration::days(i64::from(p.figures.cei_period_days));
    let mut opening = Decimal::ZERO;
    for_each_open_item(conn, cei_start, p.default_terms_days, None, |item| {
        opening += item.open;
    })?;
    let lateness_start = as_of
        .checked_sub_months(Months::new(p.figures.lateness_months))
        .unwrap_or(NaiveDate::MIN);
    let mut lateness = Lateness::default();
    for_each_paid_invoice(
        conn,
        as_of,
        lateness_start + Duration::days(1),
        p.default_terms_days,
        None,
        |paid| lateness.add(paid.amount, paid.days_late()),
    )?;
    let names = customer_names(conn)?;
    let cash = net_cash_as_of(conn, p.figures, p.default_terms_days, as_of)?;
    assemble(p, as_of, totals, &daily, opening, lateness, cash, |c| {
        names.get(&c).map(|n| n.1.clone())
    })
}

/// The key figures from a cockpit's kept intelligence (`Live`, refreshed by the caller) as
/// of its date: the open items of its gather, its lateness, and the kept sales and CEI
/// opening. Equal to `key_figures` on the same data (tests/intel_refresh.rs).
pub fn key_figures_live(
    conn: &Connection,
    p: &Params,
    live: &mut super::Live,
) -> StoreResult<KeyFigures> {
    let as_of = live.gathered.as_of;
    let mut totals = OpenTotals::default();
    for b in live.gathered.bundles.values() {
        for item in &b.open_items {
            totals.add(item, as_of);
        }
    }
    let lateness = live.gathered.lateness;
    let cash = net_cash_from(
        conn,
        p.figures,
        p.default_terms_days,
        as_of,
        BankLines::Kept(live.bank_sums(conn)?),
    )?;
    let kept = live.kept(conn, p)?;
    let (daily, opening) = (kept.daily.clone(), kept.opening());
    let g = &live.gathered;
    assemble(p, as_of, totals, &daily, opening, lateness, cash, |c| {
        g.bundles.get(&c).map(|b| b.row.name.clone())
    })
}

#[allow(clippy::too_many_arguments)]
fn assemble(
    p: &Params,
    as_of: NaiveDate,
    totals: OpenTotals,
    daily: &BTreeMap<NaiveDate, Decimal>,
    opening: Decimal,
    lateness: Lateness,
    net_cash: NetCash,
    name: impl Fn(i64) -> Option<String>,
) -> StoreResult<KeyFigures> {
    let OpenTotals {
        open,
        overdue,
        current,
        costliest,
    } = totals;
    let periods = countback_periods(as_of, COUNTBACK_MONTHS);
    let cei_start = as_of - Duration::days(i64::from(p.figures.cei_period_days));
    let countback = period_sales(daily, &periods);
    let sales_90 = sum_between(daily, as_of - Duration::days(89), as_of);
    let dso = dso_countback(open, &countback);
    // Only the periods the countback used are worth showing.
    let used = countback
        .iter()
        .scan(open, |left, period| {
            if *left <= Decimal::ZERO {
                return None;
            }
            *left -= period.sales.max(Decimal::ZERO);
            Some(*period)
        })
        .collect();

    let cei_inputs = CeiInputs {
        opening_receivables: opening,
        period_sales: sum_between(daily, cei_start + Duration::days(1), as_of),
        closing_receivables: open,
        closing_current: current,
    };

    let costliest_unpaid = costliest
        .into_iter()
        .map(
            |(amount, invoice_id, customer_id, number, days_late)| UnpaidCost {
                invoice_id,
                customer_id,
                customer: name(customer_id).unwrap_or_default(),
                number,
                days_late,
                open: amount,
                sales_needed: sales_to_recover(amount, p.figures.net_margin_percent)
                    .unwrap_or_default(),
            },
        )
        .collect();

    Ok(KeyFigures {
        as_of,
        open,
        overdue,
        overdue_ratio: ratio(overdue, open),
        dso_countback: dso,
        dso_simple: dso_simple(open, sales_90),
        sales_90_days: sales_90,
        countback: used,
        average_days_late: lateness.average_days(),
        lateness,
        france_average_days_late: p.figures.france_average_days_late,
        cei: cei(&cei_inputs),
        cei_inputs,
        net_cash,
        net_margin_percent: p.figures.net_margin_percent,
        overdue_sales_needed: sales_to_recover(overdue, p.figures.net_margin_percent),
        costliest_unpaid,
    })
}
