use super::outcome::*;
use super::tests::{POLICY, d, event, today};
use super::*;
use rust_decimal_macros::dec;

#[test]
fn contact_state_counts_silence_and_resets_on_an_answer() {
    let mut s = ContactState::default();
    for k in [
        OutcomeKind::NoAnswer,
        OutcomeKind::Voicemail,
        OutcomeKind::NoAnswer,
    ] {
        s.apply(&event(today(), k, 2, vec![]));
    }
    assert_eq!(s.unanswered, 3);
    s.apply(&event(today(), OutcomeKind::Note, 2, vec![]));
    assert_eq!(s.unanswered, 3);
    s.apply(&event(today(), OutcomeKind::Reached, 2, vec![7]));
    assert_eq!(s.unanswered, 0);
    assert_eq!(s.done.get(&7), Some(&2));
    assert!(s.last_attempt.is_none());
}

#[test]
fn plan_states() {
    let plan = PlanRecord {
        id: 1,
        made_on: d(2026, 6, 1),
        level: None,
        instalments: vec![
            Instalment {
                date: d(2026, 6, 10),
                amount: dec!(300),
            },
            Instalment {
                date: d(2026, 7, 10),
                amount: dec!(300),
            },
        ],
    };
    let pay = |day, amount| Payment {
        invoice_id: 1,
        paid_on: day,
        amount,
    };
    let on_time = [pay(d(2026, 6, 9), dec!(300))];
    assert_eq!(
        evaluate_plan(&plan, &on_time, d(2026, 6, 20), 3),
        PlanState::Holding {
            next: Some(plan.instalments[1].clone())
        }
    );
    let short = [pay(d(2026, 6, 9), dec!(200))];
    assert_eq!(
        evaluate_plan(&plan, &short, d(2026, 6, 20), 3),
        PlanState::Broken {
            instalment: d(2026, 6, 10),
            missing: dec!(100)
        }
    );
    let all = [pay(d(2026, 6, 9), dec!(300)), pay(d(2026, 7, 9), dec!(300))];
    assert_eq!(
        evaluate_plan(&plan, &all, d(2026, 7, 9), 3),
        PlanState::Completed
    );
}

#[test]
fn invalid_ladders_are_refused_naming_the_key() {
    let bad = POLICY.replacen("offset_days = 7", "offset_days = -7", 1);
    let err = Policy::from_file(toml::from_str(&bad).unwrap()).unwrap_err();
    assert!(err.contains("ladders.default[2].offset_days"), "{err}");
    let bad = POLICY.replacen("[[ladders.watch]]", "[[ladders.vip]]", 1);
    let err = Policy::from_file(toml::from_str(&bad).unwrap()).unwrap_err();
    assert!(err.contains("ladders.vip"), "{err}");
    let bad = POLICY.replacen("owner = \"sales\"", "owner = \"sales\"\nescalate = true", 1);
    let err = toml::from_str::<PolicyFile>(&bad).unwrap_err().to_string();
    assert!(err.contains("escalate"), "{err}");
}

#[test]
fn outcomes_are_validated() {
    let past = Outcome::Promise {
        date: d(2026, 6, 1),
        amount: dec!(10),
        invoice: None,
    };
    assert!(past.validate(today()).is_err());
    let plan = Outcome::Plan {
        instalments: vec![
            Instalment {
                date: d(2026, 8, 1),
                amount: dec!(1),
            },
            Instalment {
                date: d(2026, 7, 1),
                amount: dec!(1),
            },
        ],
    };
    assert!(plan.validate(today()).is_err());
    for k in OutcomeKind::ALL {
        assert_eq!(OutcomeKind::from_event_kind(&k.event_kind()), Some(k));
    }
}
