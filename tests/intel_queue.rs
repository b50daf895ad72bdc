//! Today's queue through the store: outcomes recorded as events change tomorrow's queue.

mod intel_support;

use encours::domain::dunning::Channel;
use encours::domain::dunning::outcome::{Instalment, Outcome, Stamp};
use encours::domain::dunning::queue::{HoldReason, LineFlag, Queue};
use encours::store::intel::outcomes::{history, record_outcome, undo_last_outcome};
use encours::store::intel::queue::build_queue;
use intel_support::*;

/// Today is 30 June 2026; bank data is fresh unless a test says otherwise.
fn today() -> chrono::NaiveDate {
    d(2026, 6, 30)
}

fn fixture() -> (Fixture, i64) {
    let mut f = Fixture::new();
    let c = f.customer("DUP", "Dupont Frères", |c| {
        c.email = Some("compta@dupont.fr".into());
        c.phone = Some("01 23 45 67 89".into());
        c.contact_name = Some("Mme Leroy".into());
    });
    // 10 days late on 30 June: level 2 (call).
    f.invoice("DUP", "F-100", d(2026, 6, 20), "1200.00");
    f.bank_line(today(), "50.00", "Someone Else", None, false);
    (f, c)
}

fn queue_on(f: &Fixture, day: chrono::NaiveDate) -> Queue {
    build_queue(f.store.conn(), &f.params(), day).unwrap()
}

fn stamp_of(f: &Fixture, day: chrono::NaiveDate) -> Stamp {
    queue_on(f, day).lines[0].stamp()
}

#[test]
fn the_line_carries_what_the_cockpit_needs() {
    let (f, c) = fixture();
    let q = queue_on(&f, today());
    assert!(q.gate.is_none());
    let line = &q.lines[0];
    assert_eq!(line.customer_id, c);
    assert_eq!((line.level, line.channel), (2, Channel::Phone));
    assert_eq!(line.owner.as_str(), "accounts");
    assert_eq!(line.invoices[0].number, "F-100");
    assert_eq!(line.invoices[0].days_late, 10);
    assert_eq!(line.cash_at_stake, dec("1200.00"));
    assert_eq!(line.contact.email.as_deref(), Some("compta@dupont.fr"));
    let script = line.script.as_deref().unwrap();
    assert!(script.contains("Dupont Frères (DUP), level 2"), "{script}");
    assert!(script.contains("Contact: Mme Leroy"), "{script}");
    assert!(script.contains("F-100"), "{script}");
}

#[test]
fn an_escalation_line_has_its_last_call_script() {
    let (f, _) = fixture();
    // 60 days late: past the default ladder's level 5 (45 days).
    let day = d(2026, 8, 19);
    let mut f = f;
    f.bank_line(day, "10.00", "Someone Else", None, false);
    let q = queue_on(&f, day);
    let line = &q.lines[0];
    assert_eq!((line.level, line.channel), (5, Channel::Escalation));
    let script = line.script.as_deref().unwrap_or_default();
    assert!(
        script.contains("Last call before legal recovery - Dupont Frères (DUP), level 5"),
        "{script}"
    );
    assert!(script.contains("F-100"), "{script}");
    assert!(
        script.contains("40.00"),
        "the indemnity is stated: {script}"
    );
}

#[test]
fn a_promise_holds_until_date_plus_grace_then_escalates_when_broken() {
    let (mut f, c) = fixture();
    let stamp = stamp_of(&f, today());
    let promise = Outcome::Promise {
        date: d(2026, 7, 3),
        amount: dec("1200.00"),
        invoice: None,
    };
    record_outcome(&mut f.store, &actor_on(today()), c, &promise, &stamp).unwrap();
    for day in [today(), d(2026, 7, 6)] {
        let q = queue_on(&f, day);
        assert!(q.lines.is_empty(), "{day}");
        assert!(
            matches!(q.held[0].reason, HoldReason::Promise { until, .. } if until == d(2026, 7, 6))
        );
    }
    // 7 July, nothing came: the promise made at level 2 is broken and level 3 is due
    // (the invoice is 17 days late, level 3 anyway: make the promise at level 3 to see the
    // escalation itself in the next test).
    let q = queue_on(&f, d(2026, 7, 7));
    assert_eq!(q.lines[0].level, 3);
    assert!(
        q.lines[0]
            .flags
            .iter()
            .any(|x| matches!(x, LineFlag::BrokenPromise { .. }))
    );
}

#[test]
fn a_broken_promise_raises_the_level_above_the_invoices_own() {
    let (mut f, c) = fixture();
    // A letter went out at level 3 on 30 June (recorded with its stamp), and on 1 July the
    // customer promised to pay by 2 July.
    let mut stamp = stamp_of(&f, today());
    stamp.level = Some(3);
    let promise = Outcome::Promise {
        date: d(2026, 7, 2),
        amount: dec("1200.00"),
        invoice: None,
    };
    record_outcome(&mut f.store, &actor_on(d(2026, 7, 1)), c, &promise, &stamp).unwrap();
    // A partial payment does not keep it.
    let inv = f.invoice_id("F-100");
    f.pay(inv, d(2026, 7, 2), "200.00", None);
    // 6 July: 16 days late is level 3 by the ladder; the broken promise makes it 4.
    let q = queue_on(&f, d(2026, 7, 6));
    assert_eq!(q.lines[0].level, 4);
    assert_eq!(q.lines[0].channel, Channel::RegisteredLetter);
    assert_eq!(q.lines[0].template, "formal_notice");
    assert_eq!(q.lines[0].cash_at_stake, dec("1000.00"));
}

#[test]
fn reached_closes_the_level_until_the_next_one() {
    let (mut f, c) = fixture();
    let stamp = stamp_of(&f, today());
    let reached = Outcome::Reached {
        note: Some("will check with the accountant".into()),
    };
    record_outcome(&mut f.store, &actor_on(today()), c, &reached, &stamp).unwrap();
    assert!(queue_on(&f, today()).lines.is_empty());
    assert!(queue_on(&f, d(2026, 7, 4)).lines.is_empty());
    // 5 July: 15 days late, level 3 (letter) is due.
    let q = queue_on(&f, d(2026, 7, 5));
    assert_eq!((q.lines[0].level, q.lines[0].channel), (3, Channel::Letter));
}

#[test]
fn no_answer_comes_back_tomorrow_and_silence_becomes_a_signal() {
    let (mut f, c) = fixture();
    for (i, day) in [today(), d(2026, 7, 1), d(2026, 7, 2)]
        .into_iter()
        .enumerate()
    {
        let q = queue_on(&f, day);
        assert_eq!(q.lines.len(), 1, "day {i}: the line is back");
        assert!(
            !q.lines[0].reason.contains("no answer"),
            "{}",
            q.lines[0].reason
        );
        let stamp = q.lines[0].stamp();
        record_outcome(&mut f.store, &actor_on(day), c, &Outcome::NoAnswer, &stamp).unwrap();
        assert!(queue_on(&f, day).lines.is_empty(), "handled today");
    }
    let q = queue_on(&f, d(2026, 7, 3));
    assert!(
        q.lines[0]
            .reason
            .contains("no answer after 3 contact attempts"),
        "{}",
        q.lines[0].reason
    );
}

#[test]
fn a_dispute_takes_the_invoice_out_of_the_chase_and_undo_brings_it_back() {
    let (mut f, c) = fixture();
    let other = f.invoice("DUP", "F-101", d(2026, 6, 27), "300.00");
    let disputed = f.invoice_id("F-100");
    let stamp = stamp_of(&f, today());
    let dispute = Outcome::Dispute {
        invoice: disputed,
        reason: "goods damaged on delivery".into(),
    };
    let before = f.event_count();
    record_outcome(&mut f.store, &actor_on(today()), c, &dispute, &stamp).unwrap();
    let q = queue_on(&f, today());
    assert_eq!(q.disputes.len(), 1);
    assert_eq!(q.disputes[0].invoice_id, disputed);
    assert_eq!(
        q.disputes[0].reason.as_deref(),
        Some("goods damaged on delivery")
    );
    // The other invoice (3 days late) is still chased, at its own level.
    assert_eq!(q.lines[0].invoices.len(), 1);
    assert_eq!(q.lines[0].invoices[0].invoice_id, other);
    assert_eq!(q.lines[0].level, 1);

    let undone = undo_last_outcome(&mut f.store, &actor_on(today()), c)
        .unwrap()
        .unwrap();
    assert_eq!(undone.kind.as_str(), "dispute");
    // Nothing deleted: the dispute event is still there, with its undo after it.
    assert_eq!(f.event_count(), before + 2);
    let h = history(f.store.conn(), c).unwrap();
    assert!(
        h.iter()
            .any(|e| e.kind == "outcome.dispute" && e.undone && e.who == "marie")
    );
    assert!(h.iter().any(|e| e.kind == "outcome.undo"));
    let q = queue_on(&f, today());
    assert!(q.disputes.is_empty());
    assert_eq!(q.lines[0].level, 2);
    // Undoing again finds nothing left to undo.
    assert!(
        undo_last_outcome(&mut f.store, &actor_on(today()), c)
            .unwrap()
            .is_none()
    );
}

#[test]
fn an_unmatched_credit_that_looks_like_theirs_holds_the_chase() {
    let (mut f, c) = fixture();
    f.alias(c, Some("FR7611112222333344445555666"), None);
    let tx = f.bank_line(
        d(2026, 6, 29),
        "1200.00",
        "VIR DIVERS",
        Some("FR7611112222333344445555666"),
        false,
    );
    let q = queue_on(&f, today());
    assert!(q.lines.is_empty());
    assert!(
        matches!(&q.held[0].reason, HoldReason::UnmatchedCredit(u) if u.amount == dec("1200.00"))
    );
    // Once someone matches it, the invoice is paid and nothing is due.
    let inv = f.invoice_id("F-100");
    f.pay(inv, d(2026, 6, 29), "1200.00", Some(tx));
    let q = queue_on(&f, today());
    assert!(q.lines.is_empty() && q.held.is_empty());
}

#[test]
fn a_credit_from_a_name_like_the_customers_holds_it_too() {
    let (mut f, _) = fixture();
    f.bank_line(d(2026, 6, 28), "1200.00", "SARL DUPONT FRERES", None, false);
    let q = queue_on(&f, today());
    assert!(q.lines.is_empty());
    assert_eq!(q.held.len(), 1);
}

#[test]
fn the_stale_bank_data_gate_comes_first() {
    let (f, _) = fixture();
    // Newest bank line is 30 June; on 4 July it is 4 days old (the limit is 3).
    let q = queue_on(&f, d(2026, 7, 4));
    let gate = q.gate.as_ref().unwrap();
    assert_eq!(gate.newest, Some(today()));
    assert_eq!(gate.days_old, Some(4));
    assert!(q.lines.iter().all(|l| {
        l.flags
            .iter()
            .any(|x| matches!(x, LineFlag::StaleData { .. }))
    }));
    assert!(queue_on(&f, d(2026, 7, 3)).gate.is_none());
}

#[test]
fn snooze_and_plan_hold_and_undo_releases() {
    let (mut f, c) = fixture();
    let stamp = stamp_of(&f, today());
    let snooze = Outcome::Snooze {
        until: d(2026, 7, 10),
        reason: Some("owner on holiday".into()),
    };
    record_outcome(&mut f.store, &actor_on(today()), c, &snooze, &stamp).unwrap();
    assert!(matches!(
        queue_on(&f, today()).held[0].reason,
        HoldReason::Snoozed { .. }
    ));
    undo_last_outcome(&mut f.store, &actor_on(today()), c).unwrap();
    assert_eq!(queue_on(&f, today()).lines.len(), 1);

    let plan = Outcome::Plan {
        instalments: vec![
            Instalment {
                date: d(2026, 7, 5),
                amount: dec("600.00"),
            },
            Instalment {
                date: d(2026, 8, 5),
                amount: dec("600.00"),
            },
        ],
    };
    record_outcome(&mut f.store, &actor_on(today()), c, &plan, &stamp).unwrap();
    assert!(matches!(
        queue_on(&f, d(2026, 7, 8)).held[0].reason,
        HoldReason::Plan { .. }
    ));
    // 9 July: the first instalment (5 July + 3 days) never came.
    let q = queue_on(&f, d(2026, 7, 9));
    assert!(
        q.lines[0]
            .flags
            .iter()
            .any(|x| matches!(x, LineFlag::BrokenPlan { .. }))
    );
    assert_eq!(q.lines[0].level, 3);
}

#[test]
fn invalid_outcomes_are_refused_and_leave_no_trace() {
    let (mut f, c) = fixture();
    let before = f.event_count();
    let past = Outcome::Promise {
        date: d(2026, 6, 1),
        amount: dec("10.00"),
        invoice: None,
    };
    assert!(
        record_outcome(
            &mut f.store,
            &actor_on(today()),
            c,
            &past,
            &Stamp::default()
        )
        .is_err()
    );
    let other = f.customer("OTH", "Other", |_| {});
    let foreign = f.invoice("OTH", "G-1", d(2026, 6, 1), "10.00");
    let dispute = Outcome::Dispute {
        invoice: foreign,
        reason: "x".into(),
    };
    let err = record_outcome(
        &mut f.store,
        &actor_on(today()),
        c,
        &dispute,
        &Stamp::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("another customer"), "{err}");
    assert_eq!(f.event_count(), before);
    let _ = other;
}
