//! Puts it together: dated receipts and outflows per scenario, day by day over the horizon,
//! then the periods, the lowest point and the risk periods with their causes.

use super::super::model::CustomerId;
use super::calendar::WorkCalendar;
use super::delays::{DelayEstimates, DelayTable};
use super::inputs::{ForecastParams, ItemKey, OpeningPosition, Outflow, SupplierDue};
use super::periods::{DailySeries, Period, layout};
use super::receipts::{ReceiptBook, ReceivablesTotals};
use super::recurring::OutflowKind;
use super::risk::{
    CAUSES_PER_KIND, Cause, CauseKind, LEAD_DAYS, LowestPoint, RiskPeriod, Run, largest,
    lowest_point, runs_below,
};
use super::scenario::{ReceiptRules, Scenario};
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Everything gathered from the store (or built by hand in tests).
#[derive(Debug, Clone)]
pub struct ForecastInputs {
    pub as_of: NaiveDate,
    pub opening: OpeningPosition,
    pub receipts: ReceiptBook,
    pub delays: DelayTable,
    pub suppliers: Vec<SupplierDue>,
    /// Customer names for the explanations.
    pub names: HashMap<CustomerId, String>,
    /// Things the reader should know (stale bank data, a table that could not be read).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioForecast {
    pub scenario: Scenario,
    pub periods: Vec<Period>,
    pub lowest: Option<LowestPoint>,
    pub risk_periods: Vec<RiskPeriod>,
    pub inflow: Decimal,
    pub doubtful_inflow: Decimal,
    pub outflow: Decimal,
    pub closing: Decimal,
    /// Receipts this scenario expects after the horizon.
    pub receipts_after_horizon: Decimal,
}

/// Trésorerie nette (DOMAIN.md): bank balances − short-term debts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetCash {
    pub bank: Decimal,
    /// Unpaid supplier invoices due within `payables_within_days` (overdue ones included).
    pub payables_due: Decimal,
    pub short_term_debt: Decimal,
    pub net: Decimal,
    /// Zero or negative.
    pub alert: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedAmount {
    pub customer_id: CustomerId,
    pub name: String,
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    pub as_of: NaiveDate,
    pub horizon_end: NaiveDate,
    pub currency: super::super::money::Currency,
    pub alert_threshold: Decimal,
    pub opening: OpeningPosition,
    pub scenarios: Vec<ScenarioForecast>,
    /// Every scheduled outflow in the horizon, before any toggle.
    pub outflows: Vec<Outflow>,
    /// The receivables part of working capital (BFR).
    pub receivables: ReceivablesTotals,
    /// Supplier invoices unpaid as of the date, due within the horizon (or overdue).
    pub payables_in_horizon: Decimal,
    pub net_cash: NetCash,
    /// Customers with doubtful receipts, largest first, with the probability applied.
    pub doubtful: Vec<NamedAmount>,
    pub doubtful_probability: Decimal,
    pub biggest_debtors: Vec<NamedAmount>,
    pub notes: Vec<String>,
}

impl Forecast {
    pub fn scenario(&self, kind: super::scenario::ScenarioKind) -> Option<&ScenarioForecast> {
        self.scenarios.iter().find(|s| s.scenario.kind == kind)
    }
}

/// The dated outflows in `[as_of, horizon_end]`: recurring items and supplier invoices
/// (overdue ones on the first day: they are owed now).
pub fn scheduled_outflows(
    as_of: NaiveDate,
    horizon_end: NaiveDate,
    params: &ForecastParams,
    suppliers: &[SupplierDue],
) -> Vec<Outflow> {
    let cal = WorkCalendar {
        french_holidays: params.french_holidays,
    };
    let mut out = Vec::new();
    for item in &params.recurring {
        for date in item.occurrences(as_of, horizon_end, cal) {
            out.push(Outflow {
                key: ItemKey::recurring(&item.name),
                label: item.name.clone(),
                kind: item.kind,
                date,
                amount: item.amount,
            });
        }
    }
    for s in suppliers {
        if s.due > horizon_end || s.amount <= Decimal::ZERO {
            continue;
        }
        out.push(Outflow {
            key: ItemKey::Supplier(s.supplier_code.clone()),
            label: if s.invoices > 1 {
                format!("{} ({} invoices)", s.supplier_name, s.invoices)
            } else {
                s.supplier_name.clone()
            },
            kind: OutflowKind::Supplier,
            date: s.due.max(as_of),
            amount: s.amount,
        });
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(b.amount.cmp(&a.amount)));
    out
}

struct Context<'a> {
    inputs: &'a ForecastInputs,
    params: &'a ForecastParams,
    estimates: DelayEstimates,
    biggest: Vec<CustomerId>,
    outflows: Vec<Outflow>,
    horizon_end: NaiveDate,
}

impl Context<'_> {
    fn name(&self, customer: CustomerId) -> String {
        self.inputs
            .names
            .get(&customer)
            .cloned()
            .unwrap_or_else(|| format!("customer #{customer}"))
    }

    fn rules<'s>(&'s self, scenario: &'s Scenario) -> ReceiptRules<'s> {
        ReceiptRules {
            scenario,
            as_of: self.inputs.as_of,
            estimates: &self.estimates,
            biggest: self.biggest.iter().copied().collect(),
            extra_days: self.params.prudent_extra_days,
            doubtful_probability: self.params.doubtful_probability,
            currency: self.params.currency,
            calendar: WorkCalendar {
                french_holidays: self.params.french_holidays,
            },
        }
    }

    fn run(&self, scenario: &Scenario) -> ScenarioForecast {
        let as_of = self.inputs.as_of;
        let rules = self.rules(scenario);
        let mut series = DailySeries::new(as_of, self.horizon_end, self.inputs.opening.total);
        let mut after = Decimal::ZERO;
        for (key, open) in &self.inputs.receipts.lines {
            let Some((date, amount)) = rules.receipt(key, *open) else {
                continue;
            };
            match series.index(date) {
                Some(i) if key.doubtful => series.doubtful_inflow[i] += amount,
                Some(i) => series.inflow[i] += amount,
                None => after += amount,
            }
        }
        for c in &self.inputs.receipts.committed {
            let Some(date) = rules.committed(c.customer, c.date) else {
                continue;
            };
            match series.index(date) {
                Some(i) => series.inflow[i] += c.amount,
                None => after += c.amount,
            }
        }
        for o in &self.outflows {
            if scenario.toggles.drops(&o.key) {
                continue;
            }
            if let Some(i) = series.index(o.date) {
                series.outflow[i] += o.amount;
            }
        }
        let spans = layout(as_of, self.params.daily_days, self.horizon_end);
        let threshold = self.params.alert_threshold;
        let balances = series.balances();
        let risk_periods = runs_below(&balances, threshold)
            .into_iter()
            .map(|run| self.explain(&rules, &series, &balances, run))
            .collect();
        ScenarioForecast {
            scenario: scenario.clone(),
            periods: series.periods(&spans, threshold),
            lowest: lowest_point(&series, &balances),
            risk_periods,
            inflow: series.inflow.iter().copied().sum(),
            doubtful_inflow: series.doubtful_inflow.iter().copied().sum(),
            outflow: series.outflow.iter().copied().sum(),
            closing: balances.last().copied().unwrap_or(series.opening),
            receipts_after_horizon: after,
        }
    }

    fn explain(
        &self,
        rules: &ReceiptRules<'_>,
        series: &DailySeries,
        balances: &[Decimal],
        run: Run,
    ) -> RiskPeriod {
        let threshold = self.params.alert_threshold;
        let low_date = series.date(run.lowest);
        let mut causes = Vec::new();
        if run.first == 0 && series.opening < threshold {
            causes.push(Cause {
                kind: CauseKind::OpeningBelowThreshold,
                label: "opening balance".into(),
                amount: threshold - series.opening,
                date: Some(series.start),
                due: None,
            });
        }
        let window_start = series.date(run.first.saturating_sub(LEAD_DAYS));
        let drains = self
            .outflows
            .iter()
            .filter(|o| o.date >= window_start && o.date <= low_date)
            .filter(|o| !rules.scenario.toggles.drops(&o.key))
            .map(|o| Cause {
                kind: CauseKind::Outflow { kind: o.kind },
                label: o.label.clone(),
                amount: o.amount,
                date: Some(o.date),
                due: None,
            })
            .collect();
        causes.extend(largest(drains, CAUSES_PER_KIND));
        let last = series.date(run.last);
        causes.extend(largest(self.missing_receipts(rules, last), CAUSES_PER_KIND));
        RiskPeriod {
            start: series.date(run.first),
            end: series.date(run.last),
            lowest_date: low_date,
            lowest_balance: balances[run.lowest],
            shortfall: threshold - balances[run.lowest],
            causes,
        }
    }

    /// Receipts due by `by` (the risk period's last day) that the scenario does not count by
    /// then, per customer: paid on time, they would have shortened or avoided the period.
    fn missing_receipts(&self, rules: &ReceiptRules<'_>, by: NaiveDate) -> Vec<Cause> {
        // (customer, doubtful) → (missing amount, earliest due, latest expected date)
        type Missing = (Decimal, NaiveDate, Option<NaiveDate>);
        let mut per: BTreeMap<(CustomerId, bool), Missing> = BTreeMap::new();
        for (key, open) in &self.inputs.receipts.lines {
            if key.due > by {
                continue;
            }
            let (missing, expected) = match rules.receipt(key, *open) {
                Some((date, _)) if date > by => (*open, Some(date)),
                Some((date, counted)) => (*open - counted, Some(date)),
                None => (*open, None),
            };
            if missing <= Decimal::ZERO {
                continue;
            }
            let entry = per.entry((key.customer, key.doubtful)).or_insert((
                Decimal::ZERO,
                key.due,
                expected,
            ));
            entry.0 += missing;
            entry.1 = entry.1.min(key.due);
            entry.2 = entry.2.max(expected);
        }
        per.into_iter()
            .map(|((customer, doubtful), (amount, due, expected))| Cause {
                kind: if doubtful {
                    CauseKind::DoubtfulReceipt
                } else {
                    CauseKind::LateReceipt
                },
                label: self.name(customer),
                amount,
                date: expected,
                due: Some(due),
            })
            .collect()
    }
}

/// Computes the scenarios side by side over the same inputs.
pub fn compute(
    inputs: &ForecastInputs,
    params: &ForecastParams,
    scenarios: &[Scenario],
) -> Forecast {
    let as_of = inputs.as_of;
    let horizon_end = params.horizon_end(as_of);
    let ctx = Context {
        inputs,
        params,
        estimates: inputs.delays.estimates(params.delays),
        biggest: inputs
            .receipts
            .biggest_debtors(params.prudent_biggest_debtors),
        outflows: scheduled_outflows(as_of, horizon_end, params, &inputs.suppliers),
        horizon_end,
    };
    let within = as_of
        .checked_add_days(Days::new(params.payables_within_days.max(0) as u64))
        .unwrap_or(as_of);
    let payables_due: Decimal = inputs
        .suppliers
        .iter()
        .filter(|s| s.due <= within)
        .map(|s| s.amount)
        .sum();
    let bank = inputs.opening.total;
    let net = bank - payables_due - params.short_term_debt;
    let mut doubtful: HashMap<CustomerId, Decimal> = HashMap::new();
    for (key, open) in &inputs.receipts.lines {
        if key.doubtful {
            *doubtful.entry(key.customer).or_default() += *open;
        }
    }
    let named = |pairs: Vec<(CustomerId, Decimal)>| -> Vec<NamedAmount> {
        pairs
            .into_iter()
            .map(|(customer_id, amount)| NamedAmount {
                customer_id,
                name: ctx.name(customer_id),
                amount,
            })
            .collect()
    };
    let mut doubtful: Vec<(CustomerId, Decimal)> = doubtful.into_iter().collect();
    doubtful.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let biggest = ctx
        .biggest
        .iter()
        .map(|&c| {
            (
                c,
                inputs
                    .receipts
                    .per_customer
                    .get(&c)
                    .copied()
                    .unwrap_or_default(),
            )
        })
        .collect();
    Forecast {
        as_of,
        horizon_end,
        currency: params.currency,
        alert_threshold: params.alert_threshold,
        opening: inputs.opening.clone(),
        scenarios: scenarios.iter().map(|s| ctx.run(s)).collect(),
        receivables: inputs.receipts.totals.clone(),
        payables_in_horizon: inputs
            .suppliers
            .iter()
            .filter(|s| s.due <= horizon_end)
            .map(|s| s.amount)
            .sum(),
        net_cash: NetCash {
            bank,
            payables_due,
            short_term_debt: params.short_term_debt,
            net,
            alert: net <= Decimal::ZERO,
        },
        doubtful: named(doubtful),
        doubtful_probability: params.doubtful_probability,
        biggest_debtors: named(biggest),
        notes: inputs.notes.clone(),
        outflows: ctx.outflows,
    }
}
