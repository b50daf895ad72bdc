//! The forecast over a real (in-memory) database: positions per account, payment history from
//! allocations, supplier invoices, saved runs compared with the bank. Figures worked by hand.

mod forecast_fixture;

use encours::domain::forecast::{
    BalanceSource, ForecastParams, Scenario, ScenarioKind, accuracy::RunAccuracy,
};
use encours::domain::model::NewStatement;
use encours::domain::money::Currency;
use encours::import::{Format, ImportBatch};
use encours::store::{Store, forecast, forecast_runs};
use forecast_fixture::{account, actor, balance, company, d, line, write};
use rust_decimal_macros::dec;

#[test]
fn opening_position_per_account_and_summed() {
    let mut store = Store::open_in_memory().unwrap();
    let usd = Currency::parse("USD").unwrap();
    let mut batch = ImportBatch::new(Format::Camt053);
    batch.statements = vec![
        // A: an older closing (28 Feb) and a newer one (27 Mar: 10,000), then +500 on 30 Mar
        // and +900 on 3 April, after the as-of date → 10,500 at 30 March.
        NewStatement {
            account: account("FR7600000000000000000000001", Currency::EUR),
            closing: balance(d(2026, 2, 28), dec!(7000), Currency::EUR),
            ..Default::default()
        },
        NewStatement {
            account: account("FR7600000000000000000000001", Currency::EUR),
            closing: balance(d(2026, 3, 27), dec!(10000), Currency::EUR),
            transactions: vec![
                line(d(2026, 3, 30), dec!(500), "a"),
                line(d(2026, 4, 3), dec!(900), "b"),
            ],
            ..Default::default()
        },
        // B: only an opening balance of 2,000 on 1 March, then −300 and +1,000 → 2,700 at 15 March.
        NewStatement {
            account: account("FR7600000000000000000000002", Currency::EUR),
            opening: balance(d(2026, 3, 1), dec!(2000), Currency::EUR),
            transactions: vec![
                line(d(2026, 3, 2), dec!(-300), "c"),
                line(d(2026, 3, 15), dec!(1000), "d"),
            ],
            ..Default::default()
        },
        // C: in dollars: shown, not summed.
        NewStatement {
            account: account("US0000000000000000000000003", usd),
            closing: balance(d(2026, 3, 31), dec!(1000), usd),
            ..Default::default()
        },
        // D: no stated balance at all, one line of +100: flagged as transactions only.
        NewStatement {
            account: account("FR7600000000000000000000004", Currency::EUR),
            transactions: vec![line(d(2026, 3, 3), dec!(100), "e")],
            ..Default::default()
        },
    ];
    write(&mut store, &batch, "bank");
    let pos = forecast::opening_position(store.conn(), d(2026, 3, 31), Currency::EUR).unwrap();
    assert_eq!(pos.accounts.len(), 4);
    let a = &pos.accounts[0];
    assert_eq!(
        (a.balance, a.date, a.source),
        (dec!(10500), d(2026, 3, 30), BalanceSource::Closing)
    );
    let b = &pos.accounts[1];
    assert_eq!(
        (b.balance, b.date, b.source),
        (
            dec!(2700),
            d(2026, 3, 15),
            BalanceSource::OpeningPlusTransactions
        )
    );
    assert!(!pos.accounts[2].in_total);
    assert_eq!(pos.accounts[3].source, BalanceSource::TransactionsOnly);
    // 10,500 + 2,700 + 100; the position is no fresher than its stalest account (3 March).
    assert_eq!(pos.total, dec!(13300));
    assert_eq!(pos.date, Some(d(2026, 3, 3)));
    // Looking back to 10 March: A's closing of 28 February (7,000) is the latest known.
    let back = forecast::opening_position(store.conn(), d(2026, 3, 10), Currency::EUR).unwrap();
    assert_eq!(back.accounts[0].balance, dec!(7000));
    assert_eq!(back.accounts[1].balance, dec!(1700));
}

fn two_weeks() -> ForecastParams {
    ForecastParams {
        horizon_weeks: 2,
        daily_days: 7,
        alert_threshold: dec!(28000),
        ..ForecastParams::default()
    }
}

#[test]
fn history_comes_from_fully_paid_invoices() {
    let store = company();
    let table = forecast::payment_history(store.conn(), d(2026, 3, 2), 30, 6).unwrap();
    // Garage Martin: three invoices, each 6 days late (F2 paid in two parts the same day).
    assert_eq!(
        table.customer(1).map(|h| (h.len(), h.median())),
        Some((3, Some(6)))
    );
    // Hôtel Petit's F5 is only partly paid: no history.
    assert!(table.customer(2).is_none());
    // A 1-month window only keeps F3 (paid 11 February).
    let recent = forecast::payment_history(store.conn(), d(2026, 3, 2), 30, 1).unwrap();
    assert_eq!(recent.portfolio().len(), 1);
    let paid = forecast::paid_invoices(store.conn(), d(2026, 3, 2), 30).unwrap();
    assert_eq!(paid.len(), 3);
}

#[test]
fn forecast_from_the_database() {
    let store = company();
    let p = two_weeks();
    let f = forecast::build_forecast(store.conn(), d(2026, 3, 2), 30, &p, &Scenario::standard())
        .unwrap();
    let e = f.scenario(ScenarioKind::Expected).unwrap();
    // Daily 2–8 March, then the week 9–15 March.
    assert_eq!(e.periods.len(), 8);
    // Hôtel Petit's 400 (due 1 Feb, no history: portfolio 6 days → 7 Feb, passed) comes on
    // day one: 30,400. 4 March: supplier −3,000 → 27,400, below the 28,000 threshold.
    // Garage Martin: own median 6 shrunk toward the portfolio's (also 6) = 6 → 11 March.
    assert_eq!(e.periods[0].inflow, dec!(400));
    assert_eq!(e.periods[2].outflow, dec!(3000));
    assert_eq!(e.periods[2].balance, dec!(27400));
    assert_eq!(e.periods[7].inflow, dec!(12000));
    assert_eq!(e.closing, dec!(39400));
    // Risk: 4 → 10 March at 27,400, below 28,000, caused by the supplier and the garage,
    // due 5 March but expected on the 11th, after the period.
    assert_eq!(e.risk_periods.len(), 1);
    let r = &e.risk_periods[0];
    assert_eq!(
        (r.start, r.end, r.lowest_balance),
        (d(2026, 3, 4), d(2026, 3, 10), dec!(27400))
    );
    assert_eq!(r.causes[0].label, "Matières SA");
    assert_eq!(r.causes[1].label, "Garage Martin");
    // Optimistic: the garage on its due date, 5 March: the dip lasts one day.
    let o = f.scenario(ScenarioKind::Optimistic).unwrap();
    assert_eq!(o.risk_periods[0].end, d(2026, 3, 4));
    // Net cash: 30,000 − 3,000 due within 30 days. Receivables: 12,400.
    assert_eq!(f.net_cash.net, dec!(27000));
    assert_eq!(f.receivables.open, dec!(12400));
}

#[test]
fn a_saved_forecast_is_compared_with_the_bank() {
    let mut store = company();
    let p = two_weeks();
    let f = forecast::build_forecast(store.conn(), d(2026, 3, 2), 30, &p, &[Scenario::expected()])
        .unwrap();
    let ids = store
        .write(|tx| forecast_runs::save_forecast(tx, &f, &p, &actor()))
        .unwrap();
    assert_eq!(ids.len(), 1);
    // Before any new bank data: nothing to compare yet.
    let none = forecast_runs::accuracy(store.conn(), d(2026, 3, 16), Currency::EUR, 10).unwrap();
    assert!(none[0].weeks.is_empty());
    // The bank then showed: −3,000 on 4 March, −500 of fees on 6 March, +12,400 on 13 March,
    // a transfer of 5,000 to our own savings account (not a flow), closing 15 March 33,900.
    let mut batch = ImportBatch::new(Format::Camt053);
    let mut transfer = line(d(2026, 3, 10), dec!(-5000), "virement épargne");
    transfer.counterparty_iban = Some("FR7600000000000000000000009".into());
    batch.statements = vec![
        NewStatement {
            account: account("FR7600000000000000000000001", Currency::EUR),
            opening: balance(d(2026, 3, 2), dec!(30000), Currency::EUR),
            closing: balance(d(2026, 3, 15), dec!(33900), Currency::EUR),
            transactions: vec![
                line(d(2026, 3, 4), dec!(-3000), "fournisseur"),
                line(d(2026, 3, 6), dec!(-500), "frais"),
                transfer,
                line(d(2026, 3, 13), dec!(12400), "garage"),
            ],
        },
        NewStatement {
            account: account("FR7600000000000000000000009", Currency::EUR),
            closing: balance(d(2026, 3, 15), dec!(5000), Currency::EUR),
            ..Default::default()
        },
    ];
    write(&mut store, &batch, "march");
    let runs: Vec<RunAccuracy> =
        forecast_runs::accuracy(store.conn(), d(2026, 3, 16), Currency::EUR, 10).unwrap();
    let acc = &runs[0];
    assert_eq!(acc.scenario, "expected");
    assert_eq!(acc.weeks.len(), 2);
    // Week 2–8 March: forecast in 400, out 3,000, balance 27,400. Bank: in 0, out 3,500,
    // balance 26,500 (both accounts: 26,500 + 0) → error −900.
    let w1 = &acc.weeks[0];
    assert_eq!((w1.start, w1.end), (d(2026, 3, 2), d(2026, 3, 8)));
    assert_eq!((w1.forecast_inflow, w1.actual_inflow), (dec!(400), dec!(0)));
    assert_eq!(
        (w1.forecast_outflow, w1.actual_outflow),
        (dec!(3000), dec!(3500))
    );
    assert_eq!(
        (w1.forecast_balance, w1.actual_balance),
        (dec!(27400), dec!(26500))
    );
    // Week 9–15 March: forecast 39,400; bank 33,900 + 5,000 savings = 38,900 → −500.
    // The transfer is neither in nor out.
    let w2 = &acc.weeks[1];
    assert_eq!(
        (w2.actual_inflow, w2.actual_outflow),
        (dec!(12400), dec!(0))
    );
    assert_eq!(w2.error, dec!(-500));
    assert_eq!(acc.mean_absolute_error, Some(dec!(700)));
    assert_eq!(acc.bias, Some(dec!(-700)));
}

#[test]
fn open_promises_and_plan_instalments_move_receipts_and_cancelled_ones_do_not() {
    let store = company();
    assert!(
        forecast::load_commitments(store.conn(), d(2026, 3, 2), Currency::EUR)
            .unwrap()
            .is_empty()
    );
    store
        .conn()
        .execute_batch(
            "INSERT INTO promises (customer_id, made_on, promised_on, amount_minor, currency) VALUES
                (1, '2026-02-25', '2026-03-05', 800000, 'EUR'),
                (1, '2026-02-10', '2026-02-20', 100000, 'EUR');
             INSERT INTO promises (customer_id, made_on, promised_on, amount_minor, currency, status)
                VALUES (1, '2026-02-26', '2026-03-04', 50000, 'EUR', 'cancelled');
             INSERT INTO payment_plans (id, customer_id, made_on) VALUES (7, 2, '2026-02-27');
             INSERT INTO plan_instalments (plan_id, due_on, amount_minor, currency) VALUES
                (7, '2026-03-31', 150000, 'EUR');",
        )
        .unwrap();
    let list = forecast::load_commitments(store.conn(), d(2026, 3, 2), Currency::EUR).unwrap();
    // The promise dated before the as-of date has passed, the cancelled one does not count:
    // the 8,000 promise and the plan's instalment remain.
    assert_eq!(list.len(), 2);
    assert_eq!((list[0].date, list[0].amount), (d(2026, 3, 5), dec!(8000)));
    assert_eq!((list[1].customer_id, list[1].date), (2, d(2026, 3, 31)));
    // 8,000 of Garage Martin's 12,000 comes on the promised 5 March, the other 4,000 in the
    // week of 9 March (11 March, as predicted).
    let p = two_weeks();
    let f = forecast::build_forecast(store.conn(), d(2026, 3, 2), 30, &p, &[Scenario::expected()])
        .unwrap();
    assert_eq!(f.scenarios[0].periods[3].inflow, dec!(8000));
    assert_eq!(f.scenarios[0].periods[7].inflow, dec!(4000));
}
