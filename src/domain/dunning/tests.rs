use super::outcome::*;
use super::queue::*;
use super::*;
use crate::domain::ageing::OpenItem;
use crate::domain::model::InvoiceKind;
use crate::domain::money::Currency;
use crate::domain::penalties::{Debtor, PenaltySettings, SemesterRate};
use crate::domain::signals::Grade;
use crate::locale::Language;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(super) const POLICY: &str = include_str!("../../../config/policy.toml");

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) fn today() -> NaiveDate {
    d(2026, 6, 30)
}

fn policy() -> Policy {
    Policy::from_file(toml::from_str(POLICY).unwrap()).unwrap()
}

fn penalties() -> PenaltySettings {
    PenaltySettings {
        margin_points: dec!(10),
        indemnity: dec!(40),
        contractual_floor_multiple: dec!(3),
        small_claim_limit: dec!(5000),
        agency_fee_low_percent: dec!(10),
        agency_fee_high_percent: dec!(15),
        ecb_rates: vec![SemesterRate {
            from: d(2026, 1, 1),
            rate: dec!(2.15),
        }],
        legal_rates: vec![SemesterRate {
            from: d(2026, 1, 1),
            rate: dec!(2.62),
        }],
    }
}

/// An invoice `days_late` days past due today.
fn inv(id: i64, days_late: i64, open: Decimal) -> OpenItem {
    let due = today() - Duration::days(days_late);
    OpenItem {
        invoice_id: id,
        customer_id: id / 100,
        number: format!("F{id}"),
        kind: InvoiceKind::Invoice,
        issue_date: due - Duration::days(30),
        due_date: due,
        open,
        disputed: false,
    }
}

fn customer(id: i64, invoices: Vec<OpenItem>) -> QueueCustomer {
    QueueCustomer {
        customer_id: id,
        code: format!("C{id}"),
        name: format!("Client {id}"),
        segment: crate::domain::model::Segment::Standard,
        contact: Contact::default(),
        debtor: Debtor {
            contractual_rate: None,
            professional: true,
        },
        score: 0,
        grade: Grade::A,
        risk_reason: None,
        invoices,
        dispute_reasons: Vec::new(),
        promises: Vec::new(),
        plans: Vec::new(),
        snoozed_until: None,
        contact_state: ContactState::default(),
        unmatched_credit: None,
    }
}

fn run_at(as_of: NaiveDate, customers: Vec<QueueCustomer>) -> Queue {
    let p = policy();
    let pen = penalties();
    let mut b = QueueBuilder::new(as_of, &p, &pen, 3, Some(as_of), Language::En, Currency::EUR);
    for c in customers {
        b.add(c);
    }
    b.finish()
}

fn run(customers: Vec<QueueCustomer>) -> Queue {
    run_at(today(), customers)
}

#[test]
fn the_default_ladder_is_domain_md() {
    let p = policy();
    let l = p.ladder_for(crate::domain::model::Segment::Standard);
    let got: Vec<(u8, i32, Channel)> = l
        .levels()
        .iter()
        .map(|l| (l.level, l.offset_days, l.channel))
        .collect();
    assert_eq!(
        got,
        [
            (0, -5, Channel::Email),
            (1, 1, Channel::Email),
            (2, 7, Channel::Phone),
            (3, 15, Channel::Letter),
            (4, 30, Channel::RegisteredLetter),
            (5, 45, Channel::Escalation),
        ]
    );
    assert_eq!(l.due_level(-6).map(|l| l.level), None);
    assert_eq!(l.due_level(-5).map(|l| l.level), Some(0));
    assert_eq!(l.due_level(0).map(|l| l.level), Some(0));
    assert_eq!(l.due_level(14).map(|l| l.level), Some(2));
    assert_eq!(l.due_level(400).map(|l| l.level), Some(5));
}

#[test]
fn one_line_per_customer_at_its_highest_level_listing_every_invoice() {
    let q = run(vec![customer(
        1,
        vec![
            inv(101, 3, dec!(100)),
            inv(102, 20, dec!(200)),
            inv(103, 8, dec!(300)),
        ],
    )]);
    assert_eq!(q.lines.len(), 1);
    let line = &q.lines[0];
    assert_eq!(line.level, 3);
    assert_eq!(line.channel, Channel::Letter);
    assert_eq!(line.template, "reminder_letter");
    assert_eq!(line.invoices.len(), 3);
    assert_eq!(line.cash_at_stake, dec!(600));
    assert_eq!(line.max_days_late, 20);
    assert!(
        line.reason
            .starts_with("3 invoice(s), oldest F102 20 days late; level 3 (letter)")
    );
}

#[test]
fn disputed_invoices_are_left_out_of_the_chase_and_shown_apart() {
    let mut disputed = inv(101, 40, dec!(900));
    disputed.disputed = true;
    let mut c = customer(1, vec![disputed, inv(102, 8, dec!(100))]);
    c.dispute_reasons
        .push((101, "goods damaged".into(), Some(d(2026, 6, 1))));
    let q = run(vec![c]);
    // Without the dispute the line would be at level 4 (40 days).
    assert_eq!(q.lines[0].level, 2);
    assert_eq!(q.lines[0].cash_at_stake, dec!(100));
    assert_eq!(q.disputes.len(), 1);
    assert_eq!(q.disputes[0].number, "F101");
    assert_eq!(q.disputes[0].reason.as_deref(), Some("goods damaged"));
}

fn promise(level: Option<u8>, promised_on: NaiveDate, amount: Decimal) -> PromiseRecord {
    PromiseRecord {
        id: 1,
        invoice_id: None,
        made_on: d(2026, 6, 20),
        promised_on,
        amount,
        level,
    }
}

fn with_promise(as_of: NaiveDate, p: PromiseRecord, payments: &[Payment]) -> QueueCustomer {
    let mut c = customer(1, vec![inv(101, 10, dec!(1000))]);
    let state = evaluate_promise(&p, payments, as_of, policy().rules.promise_grace_days);
    c.promises.push((p, state));
    c
}

#[test]
fn a_promise_holds_the_chase_until_its_date_plus_grace() {
    let p = promise(Some(2), d(2026, 7, 3), dec!(1000));
    // Grace is 3 days: held up to and including 6 July.
    for as_of in [d(2026, 6, 30), d(2026, 7, 3), d(2026, 7, 6)] {
        let q = run_at(as_of, vec![with_promise(as_of, p.clone(), &[])]);
        assert!(q.lines.is_empty(), "{as_of}");
        assert!(matches!(
            q.held[0].reason,
            HoldReason::Promise { until, .. } if until == d(2026, 7, 6)
        ));
    }
    // 7 July: broken, the customer is back.
    let as_of = d(2026, 7, 7);
    let q = run_at(as_of, vec![with_promise(as_of, p, &[])]);
    assert_eq!(q.lines.len(), 1);
}

#[test]
fn a_broken_promise_raises_the_next_level() {
    // Made at level 2 (the call); the invoice is 17 days late on 7 July: its own level is 3
    // (15 days), the broken promise raises it to 3 too. Make it plainer: promise made at 3.
    let p = promise(Some(3), d(2026, 7, 3), dec!(1000));
    let as_of = d(2026, 7, 7);
    let part = [Payment {
        invoice_id: 101,
        paid_on: d(2026, 7, 1),
        amount: dec!(400),
    }];
    let q = run_at(as_of, vec![with_promise(as_of, p, &part)]);
    let line = &q.lines[0];
    assert_eq!(
        line.level, 4,
        "17 days late is level 3; the broken promise makes it 4"
    );
    assert_eq!(line.channel, Channel::RegisteredLetter);
    assert!(
        line.flags
            .iter()
            .any(|f| matches!(f, LineFlag::BrokenPromise { .. }))
    );
    assert!(
        line.reason
            .contains("broken promise: €1,000.00 by 2026-07-03")
    );
}

#[test]
fn a_kept_promise_neither_holds_nor_escalates() {
    let p = promise(Some(2), d(2026, 7, 3), dec!(1000));
    let paid = [Payment {
        invoice_id: 101,
        paid_on: d(2026, 7, 2),
        amount: dec!(1000),
    }];
    let as_of = d(2026, 7, 2);
    let c = with_promise(as_of, p, &paid);
    assert_eq!(c.promises[0].1, PromiseState::Kept);
    let q = run_at(as_of, vec![c]);
    assert!(q.held.is_empty());
    assert_eq!(q.lines[0].level, 2);
}

#[test]
fn an_invoice_promise_holds_that_invoice_only() {
    let mut c = customer(1, vec![inv(101, 20, dec!(1000)), inv(102, 8, dec!(50))]);
    let p = PromiseRecord {
        invoice_id: Some(101),
        ..promise(Some(3), d(2026, 7, 3), dec!(1000))
    };
    let state = evaluate_promise(&p, &[], today(), 3);
    c.promises.push((p, state));
    let q = run(vec![c]);
    assert_eq!(q.lines[0].level, 2);
    assert_eq!(q.lines[0].invoices.len(), 1);
    assert!(q.lines[0].flags.iter().any(|f| matches!(
        f,
        LineFlag::HeldByPromise { until, .. } if *until == d(2026, 7, 6)
    )));
}

#[test]
fn an_unmatched_credit_that_looks_like_theirs_stops_the_chase() {
    let mut c = customer(1, vec![inv(101, 20, dec!(1000))]);
    c.unmatched_credit = Some(UnmatchedCredit {
        date: d(2026, 6, 29),
        amount: dec!(1000),
        counterparty: "CLIENT 1".into(),
    });
    let q = run(vec![c]);
    assert!(q.lines.is_empty());
    assert!(matches!(q.held[0].reason, HoldReason::UnmatchedCredit(_)));
}

#[test]
fn stale_bank_data_is_said_first_and_flags_every_line() {
    let p = policy();
    let pen = penalties();
    let build = |newest| {
        let mut b = QueueBuilder::new(today(), &p, &pen, 3, newest, Language::En, Currency::EUR);
        b.add(customer(1, vec![inv(101, 20, dec!(1000))]));
        b.finish()
    };
    let fresh = build(Some(d(2026, 6, 27)));
    assert!(fresh.gate.is_none());
    assert!(fresh.lines[0].flags.is_empty());
    let stale = build(Some(d(2026, 6, 26)));
    assert_eq!(stale.gate.as_ref().unwrap().days_old, Some(4));
    assert!(matches!(
        stale.lines[0].flags[0],
        LineFlag::StaleData { .. }
    ));
    let none = build(None);
    assert!(none.gate.is_some());
}

#[test]
fn lines_are_ordered_by_cash_times_risk_then_days_late() {
    let mut a = customer(1, vec![inv(101, 10, dec!(1000))]);
    a.score = 0; // 1,000 × 1.0 = 1,000
    let mut b = customer(2, vec![inv(201, 10, dec!(800))]);
    b.score = 50; // 800 × 1.5 = 1,200
    b.grade = Grade::C;
    let c = customer(3, vec![inv(301, 12, dec!(1000))]); // 1,000, but 12 days late
    let q = run(vec![a, b, c]);
    let order: Vec<&str> = q.lines.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(order, ["C2", "C3", "C1"]);
    assert_eq!(q.lines[0].priority, dec!(1200));
}

#[test]
fn segments_follow_their_own_ladder() {
    let mut strategic = customer(1, vec![inv(101, 8, dec!(1000))]);
    strategic.segment = crate::domain::model::Segment::Strategic;
    let standard = customer(2, vec![inv(201, 8, dec!(1000))]);
    let mut watch = customer(3, vec![inv(301, 8, dec!(1000))]);
    watch.segment = crate::domain::model::Segment::Watch;
    let q = run(vec![strategic, standard, watch]);
    let level = |code: &str| q.lines.iter().find(|l| l.code == code).unwrap();
    assert_eq!(
        (level("C1").level, level("C1").channel),
        (1, Channel::Email)
    );
    assert_eq!(
        (level("C2").level, level("C2").channel),
        (2, Channel::Phone)
    );
    assert_eq!(
        (level("C3").level, level("C3").channel),
        (3, Channel::Letter)
    );
    // A new customer without a ladder of its own uses the default one.
    let mut new = customer(4, vec![inv(401, 8, dec!(1000))]);
    new.segment = crate::domain::model::Segment::New;
    assert_eq!(run(vec![new]).lines[0].level, 2);
}

pub(super) fn event(
    day: NaiveDate,
    kind: OutcomeKind,
    level: u8,
    invoices: Vec<i64>,
) -> RecordedOutcome {
    RecordedOutcome {
        id: 0,
        at: NaiveDateTime::new(day, chrono::NaiveTime::MIN),
        who: "marie".into(),
        kind,
        stamp: Stamp {
            level: Some(level),
            channel: None,
            invoices,
        },
    }
}

#[test]
fn a_level_dealt_with_waits_for_the_next_one() {
    let mut c = customer(1, vec![inv(101, 10, dec!(1000))]);
    c.contact_state
        .apply(&event(d(2026, 6, 27), OutcomeKind::Reached, 2, vec![101]));
    assert!(run(vec![c.clone()]).lines.is_empty());
    // Five days later the invoice is 15 days late: level 3 is due.
    let later = d(2026, 7, 5);
    let q = run_at(later, vec![c]);
    assert_eq!(q.lines[0].level, 3);
}

#[test]
fn no_answer_brings_the_line_back_after_the_retry_delay() {
    let mut c = customer(1, vec![inv(101, 10, dec!(1000))]);
    c.contact_state
        .apply(&event(today(), OutcomeKind::NoAnswer, 2, vec![101]));
    let q = run(vec![c.clone()]);
    assert!(q.lines.is_empty());
    assert!(matches!(q.held[0].reason, HoldReason::AwaitingRetry { .. }));
    let tomorrow = today() + Duration::days(1);
    assert_eq!(run_at(tomorrow, vec![c]).lines.len(), 1);
}

#[test]
fn snooze_and_plan_hold_and_a_broken_plan_escalates() {
    let mut c = customer(1, vec![inv(101, 10, dec!(1000))]);
    c.snoozed_until = Some(d(2026, 7, 10));
    assert!(matches!(
        run(vec![c.clone()]).held[0].reason,
        HoldReason::Snoozed { .. }
    ));
    c.snoozed_until = None;
    let plan = PlanRecord {
        id: 1,
        made_on: d(2026, 6, 25),
        level: Some(3),
        instalments: vec![
            Instalment {
                date: d(2026, 7, 1),
                amount: dec!(500),
            },
            Instalment {
                date: d(2026, 8, 1),
                amount: dec!(500),
            },
        ],
    };
    let state = evaluate_plan(&plan, &[], today(), 3);
    c.plans.push((plan.clone(), state));
    assert!(matches!(
        run(vec![c.clone()]).held[0].reason,
        HoldReason::Plan { .. }
    ));
    // 5 July: the first instalment (1 July + 3 days grace) did not come.
    let as_of = d(2026, 7, 5);
    c.plans = vec![(plan.clone(), evaluate_plan(&plan, &[], as_of, 3))];
    let q = run_at(as_of, vec![c]);
    // 15 days late is level 3; the plan was agreed at level 3 and broken: level 4.
    assert_eq!(q.lines[0].level, 4);
    assert!(
        q.lines[0]
            .flags
            .iter()
            .any(|f| matches!(f, LineFlag::BrokenPlan { .. }))
    );
}

#[test]
fn escalation_chooses_the_template_by_the_small_claim_limit() {
    let small = run(vec![customer(1, vec![inv(101, 50, dec!(3000))])]);
    assert_eq!(small.lines[0].level, 5);
    assert_eq!(small.lines[0].template, "small_claim_summary");
    let large = run(vec![customer(2, vec![inv(201, 50, dec!(4990))])]);
    // 4,990 + 50 days of interest at 12.15 % (83.05) is above 5,000.
    assert_eq!(large.lines[0].template, "order_for_payment_summary");
    assert_eq!(large.lines[0].claim.indemnities, dec!(40));
}
