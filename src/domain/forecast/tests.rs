//! Forecast rules with figures worked by hand, and the scenario ordering as a property.

use super::super::ageing::OpenItem;
use super::super::model::{CustomerId, InvoiceKind};
use super::*;
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::HashMap;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn open_item(customer: CustomerId, due: NaiveDate, open: Decimal, disputed: bool) -> OpenItem {
    OpenItem {
        invoice_id: 0,
        customer_id: customer,
        number: format!("F-{customer}-{due}"),
        kind: InvoiceKind::Invoice,
        issue_date: d(2025, 1, 1),
        due_date: due,
        open,
        disputed,
    }
}

fn opening(total: Decimal, date: NaiveDate) -> OpeningPosition {
    OpeningPosition::new(
        vec![AccountPosition {
            account_id: 1,
            key: "FR76".into(),
            name: None,
            currency: params().currency,
            date,
            balance: total,
            source: BalanceSource::Closing,
            in_total: true,
        }],
        params().currency,
    )
}

fn params() -> ForecastParams {
    ForecastParams {
        delays: DelayModel {
            min_history: 3,
            shrinkage: 0,
            prudent_percentile: 80,
        },
        ..ForecastParams::default()
    }
}

fn monthly(name: &str, kind: OutflowKind, amount: Decimal, day: DayRule) -> RecurringItem {
    RecurringItem {
        name: name.into(),
        kind,
        amount,
        schedule: Schedule::Monthly(day),
        start: d(2024, 1, 1),
        end: None,
    }
}

struct Case {
    as_of: NaiveDate,
    opening: Decimal,
    items: Vec<OpenItem>,
    history: Vec<(CustomerId, i64)>,
    commitments: Vec<Commitment>,
    suppliers: Vec<SupplierDue>,
    names: Vec<(CustomerId, &'static str)>,
}

impl Case {
    fn inputs(&self, p: &ForecastParams) -> ForecastInputs {
        let mut acc = ReceivablesAccumulator::new(
            self.as_of,
            p.horizon_end(self.as_of),
            p.doubtful_after_days,
        );
        for item in &self.items {
            acc.add(item);
        }
        let mut delays = DelayTable::default();
        for &(c, days) in &self.history {
            delays.add(c, days, 1);
        }
        ForecastInputs {
            as_of: self.as_of,
            opening: opening(self.opening, self.as_of.pred_opt().unwrap()),
            receipts: acc.finish(&self.commitments),
            delays,
            suppliers: self.suppliers.clone(),
            names: self
                .names
                .iter()
                .map(|&(c, n)| (c, n.to_string()))
                .collect::<HashMap<_, _>>(),
            notes: Vec::new(),
        }
    }
}

fn day(s: &ScenarioForecast, date: NaiveDate) -> &Period {
    s.periods
        .iter()
        .find(|p| p.start <= date && date <= p.end)
        .unwrap()
}

#[test]
fn a_promise_moves_a_receipt() {
    // Customer 1 owes 12,000 due Tuesday 10 March 2026 and has paid 6 days late three times:
    // expected on Monday 16 March. It then promises 8,000 on 25 March: 8,000 moves there,
    // the other 4,000 keeps its expected date.
    let mut case = Case {
        as_of: d(2026, 3, 2),
        opening: dec!(50000),
        items: vec![open_item(1, d(2026, 3, 10), dec!(12000), false)],
        history: vec![(1, 6), (1, 6), (1, 6)],
        commitments: vec![],
        suppliers: vec![],
        names: vec![(1, "Garage Martin SARL")],
    };
    let p = params();
    let before = compute(&case.inputs(&p), &p, &[Scenario::expected()]);
    let s = &before.scenarios[0];
    assert_eq!(day(s, d(2026, 3, 16)).inflow, dec!(12000));
    assert_eq!(day(s, d(2026, 3, 16)).balance, dec!(62000));

    case.commitments.push(Commitment {
        customer_id: 1,
        date: d(2026, 3, 25),
        amount: dec!(8000),
        kind: CommitmentKind::Promise,
    });
    let after = compute(&case.inputs(&p), &p, &Scenario::standard());
    let s = &after.scenarios[0];
    assert_eq!(day(s, d(2026, 3, 16)).inflow, dec!(4000));
    assert_eq!(day(s, d(2026, 3, 16)).balance, dec!(54000));
    assert_eq!(day(s, d(2026, 3, 25)).inflow, dec!(8000));
    assert_eq!(day(s, d(2026, 3, 25)).balance, dec!(62000));
    // A promise holds in every scenario: the optimistic one gets the rest on its due date.
    let o = after.scenario(ScenarioKind::Optimistic).unwrap();
    assert_eq!(day(o, d(2026, 3, 10)).inflow, dec!(4000));
    assert_eq!(day(o, d(2026, 3, 25)).inflow, dec!(8000));
}

#[test]
fn payroll_leaves_on_the_last_working_day() {
    // 31 January 2026 is a Saturday: the payroll of 39,000 leaves on Friday 30; 28 February
    // is a Saturday too: Friday 27, inside the weekly period Monday 23 Feb – Sunday 1 March.
    let mut p = params();
    p.recurring = vec![monthly(
        "Salaires",
        OutflowKind::Payroll,
        dec!(39000),
        DayRule::LastWorkingDay,
    )];
    let case = Case {
        as_of: d(2026, 1, 5),
        opening: dec!(100000),
        items: vec![],
        history: vec![],
        commitments: vec![],
        suppliers: vec![],
        names: vec![],
    };
    let f = compute(&case.inputs(&p), &p, &[Scenario::expected()]);
    let s = &f.scenarios[0];
    assert_eq!(day(s, d(2026, 1, 30)).outflow, dec!(39000));
    assert_eq!(day(s, d(2026, 1, 31)).outflow, dec!(0));
    assert_eq!(day(s, d(2026, 1, 30)).balance, dec!(61000));
    let week = day(s, d(2026, 2, 27));
    assert_eq!((week.start, week.end), (d(2026, 2, 23), d(2026, 3, 1)));
    assert_eq!(week.outflow, dec!(39000));
    assert_eq!(week.balance, dec!(22000));
}

fn tight_month() -> (Case, ForecastParams) {
    let mut p = params();
    p.horizon_weeks = 5; // 2 March → 5 April 2026
    p.alert_threshold = dec!(20000);
    p.prudent_biggest_debtors = 1;
    p.recurring = vec![
        monthly(
            "Salaires",
            OutflowKind::Payroll,
            dec!(39000),
            DayRule::LastWorkingDay,
        ),
        monthly("Loyer", OutflowKind::Rent, dec!(4200), DayRule::Day(5)),
        monthly("URSSAF", OutflowKind::Social, dec!(15000), DayRule::Day(15)),
    ];
    let case = Case {
        as_of: d(2026, 3, 2),
        opening: dec!(30000),
        items: vec![
            open_item(1, d(2026, 3, 20), dec!(25000), false),
            open_item(2, d(2026, 3, 25), dec!(10000), false),
        ],
        history: vec![(1, 20), (1, 20), (1, 20), (2, 0), (2, 0), (2, 0)],
        commitments: vec![],
        suppliers: vec![],
        names: vec![(1, "Transports Martin"), (2, "Boulangerie Petit")],
    };
    (case, p)
}

#[test]
fn risk_periods_are_detected_and_explained() {
    // Opening 30,000. Rent 4,200 on Thu 5 March → 25,800. URSSAF 15,000 on the 15th, a
    // Sunday → Mon 16 March → 10,800: below 20,000. Boulangerie Petit pays 10,000 on its due
    // date, 25 March → 20,800: the first risk period is 16–24 March, 9,200 short.
    // Payroll 39,000 on Tuesday 31 March → −18,200, until the horizon (5 April).
    // Transports Martin's 25,000, due 20 March, comes 20 days late on 9 April, after both
    // periods: paid on time it would have ended the first on the 20th and softened the
    // second, so both name it.
    let (case, p) = tight_month();
    let f = compute(&case.inputs(&p), &p, &Scenario::standard());
    let s = f.scenario(ScenarioKind::Expected).unwrap();
    assert_eq!(s.risk_periods.len(), 2);
    let first = &s.risk_periods[0];
    assert_eq!((first.start, first.end), (d(2026, 3, 16), d(2026, 3, 24)));
    assert_eq!(
        (first.lowest_date, first.lowest_balance),
        (d(2026, 3, 16), dec!(10800))
    );
    assert_eq!(first.shortfall, dec!(9200));
    assert_eq!(first.causes.len(), 2);
    assert_eq!(first.causes[0].label, "URSSAF");
    assert_eq!(first.causes[0].amount, dec!(15000));
    assert_eq!(first.causes[0].date, Some(d(2026, 3, 16)));
    assert_eq!(first.causes[1].label, "Transports Martin");
    // Rent (5 March) is more than 6 days before the period: not a cause.
    assert!(first.causes.iter().all(|c| c.label != "Loyer"));

    let second = &s.risk_periods[1];
    assert_eq!((second.start, second.end), (d(2026, 3, 31), d(2026, 4, 5)));
    assert_eq!(second.lowest_balance, dec!(-18200));
    assert_eq!(second.shortfall, dec!(38200));
    // Boulangerie Petit paid on 25 March, in time: not a cause.
    assert_eq!(second.causes.len(), 2);
    assert_eq!(second.causes[0].label, "Salaires");
    assert_eq!(
        second.causes[0].kind,
        CauseKind::Outflow {
            kind: OutflowKind::Payroll
        }
    );
    let late = &second.causes[1];
    assert_eq!(late.kind, CauseKind::LateReceipt);
    assert_eq!(late.label, "Transports Martin");
    assert_eq!(late.amount, dec!(25000));
    assert_eq!(
        (late.due, late.date),
        (Some(d(2026, 3, 20)), Some(d(2026, 4, 9)))
    );

    assert_eq!(
        s.lowest.map(|l| (l.date, l.balance)),
        Some((d(2026, 3, 31), dec!(-18200)))
    );
    assert_eq!(s.receipts_after_horizon, dec!(25000));
    assert!(day(s, d(2026, 3, 16)).at_risk && !day(s, d(2026, 3, 25)).at_risk);
    let last = s.periods.last().unwrap();
    assert!(last.at_risk && !last.daily);

    // Optimistic: Transports Martin on its due date (20 March): 10,800 + 25,000 = 35,800,
    // then 45,800 on the 25th and 6,800 after the payroll.
    let o = f.scenario(ScenarioKind::Optimistic).unwrap();
    assert_eq!(day(o, d(2026, 3, 20)).balance, dec!(35800));
    assert_eq!(o.lowest.map(|l| l.balance), Some(dec!(6800)));
    assert_eq!(o.risk_periods[1].start, d(2026, 3, 31));
}

#[test]
fn custom_toggles_push_a_customer_and_drop_an_item() {
    // Without the payroll and with Boulangerie Petit 8 days later (Thursday 2 April): 10,800
    // from 16 March until 2 April (20,800): one risk period, 16 March – 1 April.
    let (case, p) = tight_month();
    let toggles = Toggles {
        push: vec![Push {
            customer: 2,
            days: 8,
        }],
        drop: vec![ItemKey::recurring("salaires")],
    };
    let f = compute(&case.inputs(&p), &p, &[Scenario::custom(toggles)]);
    let s = &f.scenarios[0];
    assert_eq!(s.risk_periods.len(), 1);
    assert_eq!(
        (s.risk_periods[0].start, s.risk_periods[0].end),
        (d(2026, 3, 16), d(2026, 4, 1))
    );
    assert_eq!(day(s, d(2026, 4, 2)).inflow, dec!(10000));
    assert_eq!(s.closing, dec!(20800));
    // Dropping a customer removes its receipts.
    let f = compute(
        &case.inputs(&p),
        &p,
        &[Scenario::custom(Toggles {
            push: vec![],
            drop: vec![ItemKey::Customer(2)],
        })],
    );
    assert_eq!(f.scenarios[0].inflow, dec!(0));
}

#[test]
fn receipts_falling_on_a_weekend_arrive_on_the_next_working_day() {
    // Due Friday 13 March, paid 1 day late on average → Saturday 14 → Monday 16 March.
    // 5 April 2026 is Easter Sunday, 6 Easter Monday: a receipt due on the 4th (Saturday)
    // with no delay comes on Tuesday 7 April.
    let p = params();
    let case = Case {
        as_of: d(2026, 3, 2),
        opening: dec!(0),
        items: vec![
            open_item(1, d(2026, 3, 13), dec!(100), false),
            open_item(2, d(2026, 4, 4), dec!(50), false),
        ],
        history: vec![(1, 1), (1, 1), (1, 1), (2, 0), (2, 0), (2, 0)],
        commitments: vec![],
        suppliers: vec![],
        names: vec![],
    };
    let f = compute(&case.inputs(&p), &p, &[Scenario::expected()]);
    let s = &f.scenarios[0];
    assert_eq!(day(s, d(2026, 3, 14)).inflow, dec!(0));
    assert_eq!(day(s, d(2026, 3, 16)).inflow, dec!(100));
    let week = day(s, d(2026, 4, 7));
    assert_eq!((week.start, week.inflow), (d(2026, 4, 6), dec!(50)));
}

#[test]
fn doubtful_receipts_are_counted_at_their_probability_and_shown_apart() {
    // A disputed 10,000 invoice and one 120 days past due (4,000), probability 0.5:
    // expected counts 5,000 + 2,000 apart from sure receipts, prudent nothing.
    let p = params();
    let case = Case {
        as_of: d(2026, 3, 2),
        opening: dec!(0),
        items: vec![
            open_item(1, d(2026, 3, 20), dec!(10000), true),
            open_item(2, d(2025, 11, 2), dec!(4000), false),
            open_item(2, d(2026, 3, 5), dec!(1000), false),
        ],
        history: vec![],
        commitments: vec![],
        suppliers: vec![],
        names: vec![(1, "A"), (2, "B")],
    };
    let f = compute(&case.inputs(&p), &p, &Scenario::standard());
    let e = f.scenario(ScenarioKind::Expected).unwrap();
    assert_eq!((e.inflow, e.doubtful_inflow), (dec!(1000), dec!(7000)));
    let pr = f.scenario(ScenarioKind::Prudent).unwrap();
    assert_eq!((pr.inflow, pr.doubtful_inflow), (dec!(1000), dec!(0)));
    assert_eq!(f.receivables.doubtful, dec!(14000));
    assert_eq!(f.doubtful[0].amount, dec!(10000));
    assert_eq!(f.doubtful[1].amount, dec!(4000));
}

#[test]
fn net_cash_deducts_payables_due_within_thirty_days() {
    // Bank 30,000 − supplier invoices due 20 March (6,000; within 30 days of 2 March) −
    // drawn credit 5,000 = 19,000. The 4,000 due 20 April is outside the 30 days.
    let mut p = params();
    p.short_term_debt = dec!(5000);
    let supplier = |due, amount| SupplierDue {
        supplier_code: "F01".into(),
        supplier_name: "Matières SA".into(),
        due,
        amount,
        invoices: 1,
    };
    let case = Case {
        as_of: d(2026, 3, 2),
        opening: dec!(30000),
        items: vec![],
        history: vec![],
        commitments: vec![],
        suppliers: vec![
            supplier(d(2026, 3, 20), dec!(6000)),
            supplier(d(2026, 4, 20), dec!(4000)),
        ],
        names: vec![],
    };
    let f = compute(&case.inputs(&p), &p, &[Scenario::expected()]);
    assert_eq!(f.net_cash.payables_due, dec!(6000));
    assert_eq!(f.net_cash.net, dec!(19000));
    assert!(!f.net_cash.alert);
    let s = &f.scenarios[0];
    assert_eq!(day(s, d(2026, 3, 20)).outflow, dec!(6000));
    assert_eq!(s.outflow, dec!(10000));
}

#[test]
fn a_million_invoices_aggregate_into_few_lines() {
    // 1,000,000 open invoices of 20,000 customers, due on 60 distinct dates: the accumulator
    // holds one line per (customer, due date), never the invoices.
    let as_of = d(2026, 3, 2);
    let mut acc = ReceivablesAccumulator::new(as_of, d(2026, 5, 31), 90);
    let mut item = open_item(0, as_of, dec!(100), false);
    for n in 0..1_000_000i64 {
        item.customer_id = n % 20_000;
        item.due_date = as_of + chrono::Days::new((n / 20_000 % 60) as u64);
        acc.add(&item);
    }
    assert!(acc.len() <= 20_000 * 60, "{}", acc.len());
    let book = acc.finish(&[]);
    assert_eq!(book.totals.open, dec!(100000000));
    assert_eq!(book.totals.invoices, 1_000_000);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn prudent_expected_optimistic_are_ordered_at_every_date(
        items in prop::collection::vec((0i64..6, -150i64..120, 1i64..50_000, any::<bool>()), 0..40),
        history in prop::collection::vec((0i64..6, -20i64..120), 0..60),
        promises in prop::collection::vec((0i64..6, -10i64..100, 1i64..30_000), 0..4),
        opening_cents in -5_000_000i64..5_000_000,
        biggest in 0usize..4,
        extra in 0i64..60,
        probability in 0u32..=100,
    ) {
        let as_of = d(2026, 3, 2);
        let mut p = params();
        p.prudent_biggest_debtors = biggest;
        p.prudent_extra_days = extra;
        p.doubtful_probability = Decimal::new(probability.into(), 2);
        p.recurring = vec![monthly("Loyer", OutflowKind::Rent, dec!(4200), DayRule::Day(5))];
        let shift = |days: i64| as_of + chrono::Duration::days(days);
        let case = Case {
            as_of,
            opening: Decimal::new(opening_cents, 2),
            items: items
                .iter()
                .map(|&(c, due, cents, disputed)| open_item(c, shift(due), Decimal::new(cents * 100, 2), disputed))
                .collect(),
            history: history.clone(),
            commitments: promises
                .iter()
                .map(|&(c, at, cents)| Commitment {
                    customer_id: c,
                    date: shift(at),
                    amount: Decimal::new(cents * 100, 2),
                    kind: CommitmentKind::Promise,
                })
                .collect(),
            suppliers: vec![],
            names: vec![],
        };
        let f = compute(&case.inputs(&p), &p, &Scenario::standard());
        let balances = |k: ScenarioKind| -> Vec<Decimal> {
            // Daily periods give the first 30 days; every period's lowest and closing
            // balance cover the rest.
            f.scenario(k).unwrap().periods.iter().flat_map(|p| [p.balance, p.lowest_balance]).collect()
        };
        let (e, pr, o) = (
            balances(ScenarioKind::Expected),
            balances(ScenarioKind::Prudent),
            balances(ScenarioKind::Optimistic),
        );
        for i in 0..e.len() {
            prop_assert!(pr[i] <= e[i], "prudent {} > expected {} at {}", pr[i], e[i], i);
            prop_assert!(e[i] <= o[i], "expected {} > optimistic {} at {}", e[i], o[i], i);
        }
    }
}
