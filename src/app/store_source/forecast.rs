//! The forecast screen from `store::forecast`: one scenario (or the expected one with the
//! pushed customers moved), its periods, lowest point, risk periods with their causes, and
//! each customer's receipts over the horizon so that a push can be chosen.

use super::SourceSettings;
use crate::app::source::SourceResult;
use crate::app::views::{
    CustomerInflow, ForecastPoint, ForecastRequest, ForecastView, Notice, RiskPeriod,
    Scenario as ViewScenario,
};
use crate::domain::forecast::calendar::WorkCalendar;
use crate::domain::forecast::scenario::ReceiptRules;
use crate::domain::forecast::{ForecastInputs, ForecastParams, Push, Scenario, Toggles, compute};
use crate::domain::model::CustomerId;
use crate::locale;
use crate::store::forecast::{forecast_inputs, forecast_inputs_live};
use crate::store::intel::Live;
use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

const INFLOW_ROWS: usize = 30;

fn scenario(request: &ForecastRequest) -> Scenario {
    if !request.pushed.is_empty() {
        return Scenario::custom(Toggles {
            push: request
                .pushed
                .iter()
                .map(|&(customer, days)| Push {
                    customer,
                    days: i64::from(days),
                })
                .collect(),
            ..Toggles::default()
        });
    }
    match request.scenario {
        ViewScenario::Expected => Scenario::expected(),
        ViewScenario::Prudent => Scenario::prudent(),
    }
}

pub(super) fn forecast(
    conn: &Connection,
    s: &SourceSettings,
    as_of: NaiveDate,
    request: &ForecastRequest,
) -> SourceResult<ForecastView> {
    let params = s.full.forecast_params();
    let inputs = forecast_inputs(conn, as_of, s.default_terms_days, &params)?;
    view(s, as_of, request, &params, &inputs)
}

/// The same from the cockpit's kept intelligence (already brought up to date).
pub(super) fn forecast_live(
    conn: &Connection,
    s: &SourceSettings,
    live: &mut Live,
    request: &ForecastRequest,
) -> SourceResult<ForecastView> {
    let params = s.full.forecast_params();
    let p = super::intel::params(s);
    let inputs = forecast_inputs_live(conn, &p, live, &params)?;
    view(s, live.gathered.as_of, request, &params, &inputs)
}

fn view(
    s: &SourceSettings,
    as_of: NaiveDate,
    request: &ForecastRequest,
    params: &ForecastParams,
    inputs: &ForecastInputs,
) -> SourceResult<ForecastView> {
    let chosen = scenario(request);
    let f = compute(inputs, params, std::slice::from_ref(&chosen));
    let Some(run) = f.scenarios.first() else {
        return Ok(ForecastView {
            request: request.clone(),
            notice: Some(Notice::NoData),
            ..ForecastView::default()
        });
    };
    let money = |d: Decimal| locale::money(d, s.currency, s.lang);
    let points = run
        .periods
        .iter()
        .map(|p| ForecastPoint {
            start: p.start,
            end: p.end,
            inflow: p.inflow + p.doubtful_inflow,
            outflow: p.outflow,
            balance: p.balance,
        })
        .collect();
    let risk_periods = run
        .risk_periods
        .iter()
        .map(|r| RiskPeriod {
            start: r.start,
            end: r.end,
            lowest: r.lowest_balance,
            causes: r
                .causes
                .iter()
                .map(|c| match c.date {
                    Some(d) => format!(
                        "{} {} ({})",
                        c.label,
                        money(c.amount),
                        locale::date(d, s.lang)
                    ),
                    None => format!("{} {}", c.label, money(c.amount)),
                })
                .collect(),
        })
        .collect();

    // Each customer's receipts as this scenario dates them: the amount in the horizon and
    // the date of its largest part.
    let rules = ReceiptRules {
        scenario: &chosen,
        as_of,
        estimates: &inputs.delays.estimates(params.delays),
        biggest: inputs
            .receipts
            .biggest_debtors(params.prudent_biggest_debtors)
            .into_iter()
            .collect(),
        extra_days: params.prudent_extra_days,
        doubtful_probability: params.doubtful_probability,
        currency: params.currency,
        calendar: WorkCalendar {
            french_holidays: params.french_holidays,
        },
    };
    let mut per: BTreeMap<CustomerId, (Decimal, NaiveDate, Decimal)> = BTreeMap::new();
    let mut add = |customer: CustomerId, date: NaiveDate, amount: Decimal| {
        if date > f.horizon_end {
            return;
        }
        let e = per
            .entry(customer)
            .or_insert((Decimal::ZERO, date, Decimal::ZERO));
        e.0 += amount;
        if amount > e.2 {
            e.1 = date;
            e.2 = amount;
        }
    };
    for (key, open) in &inputs.receipts.lines {
        if let Some((date, amount)) = rules.receipt(key, *open) {
            add(key.customer, date, amount);
        }
    }
    for c in &inputs.receipts.committed {
        if let Some(date) = rules.committed(c.customer, c.date) {
            add(c.customer, date, c.amount);
        }
    }
    let mut inflows: Vec<CustomerInflow> = per
        .into_iter()
        .map(|(customer_id, (amount, expected, _))| CustomerInflow {
            customer_id,
            name: inputs
                .names
                .get(&customer_id)
                .cloned()
                .unwrap_or_else(|| format!("#{customer_id}")),
            amount,
            expected,
            pushed_days: request
                .pushed
                .iter()
                .find(|(c, _)| *c == customer_id)
                .map(|(_, d)| *d),
        })
        .collect();
    inflows.sort_by(|a, b| {
        b.amount
            .cmp(&a.amount)
            .then(a.customer_id.cmp(&b.customer_id))
    });
    inflows.truncate(INFLOW_ROWS);

    Ok(ForecastView {
        request: request.clone(),
        opening: f.opening.total,
        opening_date: f.opening.date,
        points,
        threshold: f.alert_threshold,
        lowest: run.lowest.as_ref().map(|l| (l.date, l.balance)),
        risk_periods,
        uncertain: run.doubtful_inflow,
        inflows,
        notice: f.opening.date.is_none().then_some(Notice::NoBankData),
    })
}
