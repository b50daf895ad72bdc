use super::check::{CheckReason, Verdict, check_order};
use super::facts::*;
use super::settings::*;
use super::*;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const AS_OF: (i32, u32, u32) = (2026, 6, 30);

fn as_of() -> NaiveDate {
    d(AS_OF.0, AS_OF.1, AS_OF.2)
}

pub fn settings() -> SignalSettings {
    SignalSettings {
        grade_bounds: vec![20, 45, 70],
        lateness_trend: LatenessTrend {
            weight: 20,
            min_increase_days: 5,
            recent_months: 3,
            previous_months: 6,
            min_invoices: 2,
        },
        frequent_lateness: FrequentLateness {
            weight: 15,
            late_share_percent: 50,
            months: 12,
            min_invoices: 4,
        },
        broken_promise: BrokenPromise {
            weight: 25,
            within_days: 90,
        },
        partial_payments: PartialPayments {
            weight: 10,
            months: 6,
            min_invoices: 3,
            rising_points: 25,
        },
        credit_limit: CreditLimit {
            warning_percent: 90,
            warning_weight: 10,
            breach_weight: 25,
        },
        atypical_order: AtypicalOrder {
            weight: 10,
            factor: dec!(3),
            recent_days: 30,
            min_history: 5,
        },
        new_customer: NewCustomer {
            weight: 15,
            history_months: 6,
            exposure_above: dec!(10000),
        },
        disputes: Disputes {
            weight: 10,
            several: 2,
            new_within_days: 14,
        },
        bounced_payment: BouncedPayment {
            weight: 25,
            within_days: 180,
        },
        silence: Silence {
            weight: 15,
            attempts: 3,
        },
        concentration: Concentration {
            weight: 10,
            share_percent: 20,
        },
        changed_payer_account: ChangedPayerAccount {
            weight: 15,
            within_days: 90,
        },
        external_rating: ExternalRating {
            min_score: 40,
            low_score_weight: 20,
            insurer_limit_weight: 15,
            insolvency_weight: 100,
            max_age_days: 365,
        },
    }
}

fn facts() -> CustomerFacts {
    CustomerFacts::new(1, "C1".into(), "Client Un".into())
}

fn big_portfolio() -> PortfolioFacts {
    PortfolioFacts {
        total_exposure: dec!(1000000),
    }
}

fn kinds(f: &CustomerFacts) -> Vec<SignalKind> {
    assess(f, &big_portfolio(), &settings(), as_of())
        .signals
        .iter()
        .map(|s| s.kind)
        .collect()
}

fn paid(amount: Decimal, due: NaiveDate, paid_on: NaiveDate, payments: u32) -> PaidInvoice {
    PaidInvoice {
        customer_id: 1,
        invoice_id: 1,
        amount,
        due_date: due,
        paid_on,
        payments,
    }
}

#[test]
fn a_customer_with_nothing_to_say_is_grade_a_with_no_signal() {
    let a = assess(&facts(), &big_portfolio(), &settings(), as_of());
    assert!(a.signals.is_empty());
    assert_eq!((a.score, a.grade), (0, Grade::A));
}

#[test]
fn lateness_trend_compares_the_last_3_months_with_the_6_before() {
    let s = settings();
    let mut f = facts();
    // Previous window (Oct 2025 – Mar 2026): paid 6 days late twice.
    f.add_paid(
        &paid(dec!(1000), d(2026, 1, 1), d(2026, 1, 7), 1),
        as_of(),
        &s,
    );
    f.add_paid(
        &paid(dec!(1000), d(2026, 2, 1), d(2026, 2, 7), 1),
        as_of(),
        &s,
    );
    // Recent window (Apr – Jun 2026): 10 days late: +4, under the 5-day threshold.
    f.add_paid(
        &paid(dec!(1000), d(2026, 5, 1), d(2026, 5, 11), 1),
        as_of(),
        &s,
    );
    f.add_paid(
        &paid(dec!(1000), d(2026, 6, 1), d(2026, 6, 11), 1),
        as_of(),
        &s,
    );
    assert!(!kinds(&f).contains(&SignalKind::LatenessTrend));
    // One more recent invoice 28 days late: (10 + 10 + 28) / 3 = 16 days, +10 over 6.
    f.add_paid(
        &paid(dec!(1000), d(2026, 5, 20), d(2026, 6, 17), 1),
        as_of(),
        &s,
    );
    let a = assess(&f, &big_portfolio(), &s, as_of());
    let sig = a
        .signals
        .iter()
        .find(|x| x.kind == SignalKind::LatenessTrend)
        .unwrap();
    assert_eq!(
        sig.sentence(Language::En, Currency::EUR),
        "paid 16.0 days late on average over the last 3 months, 6.0 days over the 6 before"
    );
}

#[test]
fn frequent_lateness_needs_the_share_and_enough_invoices() {
    let s = settings();
    let mut f = facts();
    for (i, late) in [3, 0, 12, 0].into_iter().enumerate() {
        let due = d(2026, 1 + i as u32, 10);
        f.add_paid(
            &paid(dec!(500), due, due + chrono::Duration::days(late), 1),
            as_of(),
            &s,
        );
    }
    // 2 of 4 late = 50 %: at the threshold.
    assert!(kinds(&f).contains(&SignalKind::FrequentLateness));
    let mut f2 = facts();
    for i in 0..3 {
        let due = d(2026, 1 + i, 10);
        f2.add_paid(
            &paid(dec!(500), due, due + chrono::Duration::days(9), 1),
            as_of(),
            &s,
        );
    }
    // 3 of 3 late, but fewer than 4 invoices: not enough to judge.
    assert!(!kinds(&f2).contains(&SignalKind::FrequentLateness));
}

#[test]
fn broken_promise_counts_recent_ones_only() {
    let mut f = facts();
    f.broken_promises.push(BrokenPromiseFact {
        promised_on: d(2026, 1, 15),
        amount: dec!(800),
        paid: dec!(0),
    });
    // 166 days ago: older than 90 days.
    assert!(!kinds(&f).contains(&SignalKind::BrokenPromise));
    f.broken_promises.push(BrokenPromiseFact {
        promised_on: d(2026, 6, 10),
        amount: dec!(1200),
        paid: dec!(300),
    });
    let a = assess(&f, &big_portfolio(), &settings(), as_of());
    assert_eq!(a.signals[0].kind, SignalKind::BrokenPromise);
    assert_eq!(
        a.signals[0].sentence(Language::Fr, Currency::EUR),
        "promesse de 1 200,00 € pour le 10/06/2026 non tenue (300,00 € reçus)"
    );
}

#[test]
fn partial_payments_many_or_rising() {
    let s = settings();
    let mut f = facts();
    let due = d(2026, 3, 1);
    for payments in [2, 2, 1, 1] {
        f.add_paid(&paid(dec!(100), due, d(2026, 4, 1), payments), as_of(), &s);
    }
    // 2 partial of 4 in 6 months, under 3, and no previous period to rise from.
    assert!(!kinds(&f).contains(&SignalKind::PartialPayments));
    // Previous 6 months: 0 of 4 partial; now 50 %: a rise of 50 points.
    for _ in 0..4 {
        f.add_paid(
            &paid(dec!(100), d(2025, 10, 1), d(2025, 10, 20), 1),
            as_of(),
            &s,
        );
    }
    assert!(kinds(&f).contains(&SignalKind::PartialPayments));
}

#[test]
fn credit_limit_warns_at_90_percent_and_breaches_above() {
    let mut f = facts();
    f.credit_limit = Some(dec!(10000));
    f.exposure = dec!(8900);
    assert!(!kinds(&f).contains(&SignalKind::CreditLimit));
    f.exposure = dec!(9000);
    let a = assess(&f, &big_portfolio(), &settings(), as_of());
    assert_eq!(a.signals[0].weight, 10);
    f.exposure = dec!(10000.01);
    let a = assess(&f, &big_portfolio(), &settings(), as_of());
    assert_eq!(a.signals[0].weight, 25);
    assert!(
        a.signals[0]
            .sentence(Language::En, Currency::EUR)
            .starts_with("exposure €10,000.01 above the credit limit of €10,000.00")
    );
}

#[test]
fn atypical_order_is_three_times_the_median() {
    let s = settings();
    let mut f = facts();
    let mut invoices: Vec<(String, NaiveDate, Decimal)> = (1..=5)
        .map(|i| (format!("F{i}"), d(2026, i, 1), Decimal::from(900 + 100 * i)))
        .collect();
    // Median of 1,000 … 1,400 is 1,200; 3,500 is 2.9 ×: nothing.
    invoices.push(("BIG".into(), d(2026, 6, 20), dec!(3500)));
    f.set_invoice_history(&invoices, as_of(), &s);
    assert_eq!(f.median_invoice, Some(dec!(1200)));
    assert!(!kinds(&f).contains(&SignalKind::AtypicalOrder));
    invoices.push(("HUGE".into(), d(2026, 6, 25), dec!(3600)));
    f.set_invoice_history(&invoices, as_of(), &s);
    assert!(kinds(&f).contains(&SignalKind::AtypicalOrder));
}

#[test]
fn new_customer_with_large_exposure() {
    let mut f = facts();
    f.first_invoice = Some(d(2026, 2, 1));
    f.exposure = dec!(15000);
    assert!(kinds(&f).contains(&SignalKind::NewCustomer));
    f.first_invoice = Some(d(2025, 12, 1));
    assert!(!kinds(&f).contains(&SignalKind::NewCustomer));
}

#[test]
fn disputes_several_or_new() {
    let dispute = |id, opened| DisputeFact {
        invoice_id: id,
        number: format!("F{id}"),
        opened_on: opened,
        reason: "quantité".into(),
        open: dec!(100),
    };
    let mut f = facts();
    f.disputes.push(dispute(1, Some(d(2026, 5, 1))));
    assert!(!kinds(&f).contains(&SignalKind::Disputes));
    f.disputes.push(dispute(2, None));
    assert!(kinds(&f).contains(&SignalKind::Disputes));
    let mut g = facts();
    g.disputes.push(dispute(3, Some(d(2026, 6, 20))));
    assert!(kinds(&g).contains(&SignalKind::Disputes));
}

#[test]
fn bounced_payment_silence_and_changed_account() {
    let mut f = facts();
    f.reversals.push(ReversalFact {
        date: d(2026, 6, 2),
        amount: dec!(-450),
        counterparty: "CLIENT UN".into(),
    });
    f.unanswered_attempts = 2;
    f.new_payer_accounts.push(PayerAccountFact {
        iban: "FR7612345678901234567890123".into(),
        first_seen: d(2026, 6, 5),
    });
    let k = kinds(&f);
    assert!(k.contains(&SignalKind::BouncedPayment));
    assert!(!k.contains(&SignalKind::Silence));
    assert!(k.contains(&SignalKind::ChangedPayerAccount));
    f.unanswered_attempts = 3;
    assert!(kinds(&f).contains(&SignalKind::Silence));
}

#[test]
fn concentration_above_20_percent() {
    let mut f = facts();
    f.exposure = dec!(20000);
    let p = PortfolioFacts {
        total_exposure: dec!(100000),
    };
    assert!(assess(&f, &p, &settings(), as_of()).signals.is_empty());
    f.exposure = dec!(20001);
    let a = assess(&f, &p, &settings(), as_of());
    assert_eq!(a.signals[0].kind, SignalKind::Concentration);
}

#[test]
fn external_rating_insolvency_forces_grade_d() {
    let mut f = facts();
    f.exposure = dec!(5000);
    f.rating = Some(RatingFact {
        date: d(2026, 6, 1),
        source: "Infolegale".into(),
        grade: Some("B".into()),
        score: Some(55),
        insurer_limit: Some(dec!(8000)),
        insolvency: false,
        note: None,
    });
    assert!(kinds(&f).is_empty());
    f.rating.as_mut().unwrap().insurer_limit = Some(dec!(4000));
    assert!(kinds(&f).contains(&SignalKind::ExternalRating));
    f.rating.as_mut().unwrap().insolvency = true;
    let a = assess(&f, &big_portfolio(), &settings(), as_of());
    assert_eq!((a.score, a.grade), (100, Grade::D));
}

#[test]
fn score_sums_weights_and_grade_follows_bounds() {
    assert_eq!(Grade::from_score(19, &[20, 45, 70]), Grade::A);
    assert_eq!(Grade::from_score(20, &[20, 45, 70]), Grade::B);
    assert_eq!(Grade::from_score(69, &[20, 45, 70]), Grade::C);
    assert_eq!(Grade::from_score(70, &[20, 45, 70]), Grade::D);
    let mut f = facts();
    f.unanswered_attempts = 3; // 15
    f.credit_limit = Some(dec!(1000));
    f.exposure = dec!(2000); // breach: 25
    let a = assess(&f, &big_portfolio(), &settings(), as_of());
    assert_eq!(a.score, 40);
    assert_eq!(a.grade, Grade::B);
    // Heaviest first.
    assert_eq!(a.signals[0].kind, SignalKind::CreditLimit);
}

#[test]
fn order_check_answers_from_exposure_limit_and_grade() {
    let mut f = facts();
    f.credit_limit = Some(dec!(10000));
    f.exposure = dec!(6000);
    let a = assess(&f, &big_portfolio(), &settings(), as_of());
    let ok = check_order(&a, dec!(2000), None, 90);
    assert_eq!(ok.verdict, Verdict::Yes);
    assert_eq!(ok.headroom, Some(dec!(4000)));
    let near = check_order(&a, dec!(3500), None, 90);
    assert_eq!(near.verdict, Verdict::Caution);
    let over = check_order(&a, dec!(4500), None, 90);
    assert_eq!(over.verdict, Verdict::No);
    assert!(matches!(
        over.reasons[0].1,
        CheckReason::OverLimit { excess, .. } if excess == dec!(500)
    ));
    let insured = check_order(&a, dec!(1000), Some(dec!(5000)), 90);
    assert_eq!(insured.verdict, Verdict::Caution);
    // Grade D refuses whatever the limit says.
    f.rating = Some(RatingFact {
        date: d(2026, 6, 1),
        source: "BODACC".into(),
        grade: None,
        score: None,
        insurer_limit: None,
        insolvency: true,
        note: Some("redressement judiciaire".into()),
    });
    let a = assess(&f, &big_portfolio(), &settings(), as_of());
    assert_eq!(check_order(&a, dec!(10), None, 90).verdict, Verdict::No);
}

#[test]
fn every_signal_has_a_label_and_a_settings_key() {
    for kind in SignalKind::ALL {
        assert!(!kind.label(Language::Fr).is_empty());
        assert!(!kind.key().is_empty());
    }
}
