//! The cockpit's screens over the real modules (signals, queue, outcomes, forecast,
//! matching, claims), on books written with batches in code.

mod support;

use encours::app::source::{DataSource, Outcome};
use encours::app::store_source::{SourceSettings, StoreSource};
use encours::app::views::*;
use encours::config::Settings;
use encours::domain::model::TransactionId;
use encours::locale::Language;
use encours::store::{Actor, Store};
use support::books::{self, actor, d};

fn clock() -> chrono::NaiveDateTime {
    d(6, 15).and_hms_opt(9, 0, 0).unwrap()
}

fn source() -> StoreSource {
    let mut store = Store::open_in_memory().unwrap();
    books::write(&mut store);
    let settings = SourceSettings::from_settings(&Settings::defaults(), Language::En).unwrap();
    StoreSource::new(store, settings).with_operator("tester", clock)
}

fn today() -> chrono::NaiveDate {
    d(6, 15)
}

#[test]
fn signals_have_a_reason() {
    let s = source();
    let v = s.signals(today()).unwrap();
    assert!(!v.rows.is_empty());
    for r in &v.rows {
        assert!(!r.main_reason.is_empty(), "{r:?}");
        assert!(!r.reasons.is_empty());
        assert!(('A'..='D').contains(&r.grade));
    }
}

#[test]
fn promise_takes_the_line_off_and_moves_the_forecast_undo_brings_it_back() {
    let mut s = source();
    let q = s.queue(today()).unwrap();
    let line = q
        .lines
        .iter()
        .find(|l| l.invoices.iter().any(|i| i.days_late > 0))
        .expect("a line for an overdue customer")
        .clone();
    assert!(!line.script.is_empty());
    let before = s.forecast(today(), &ForecastRequest::default()).unwrap();
    s.record_outcome(
        &actor(),
        line.customer_id,
        &Outcome::Promise {
            date: d(8, 20),
            amount: line.at_stake,
        },
    )
    .unwrap();
    let q = s.queue(today()).unwrap();
    assert!(q.lines.iter().all(|l| l.customer_id != line.customer_id));
    let after = s.forecast(today(), &ForecastRequest::default()).unwrap();
    let inflow = |f: &ForecastView| {
        f.inflows
            .iter()
            .find(|i| i.customer_id == line.customer_id)
            .map(|i| (i.expected, i.amount))
    };
    assert_ne!(
        inflow(&before),
        inflow(&after),
        "the receipt moved to the promise"
    );
    assert_ne!(before.points, after.points);
    let undone = s.undo_last(&actor()).unwrap();
    assert!(undone.contains(&line.name), "{undone}");
    let q = s.queue(today()).unwrap();
    assert!(q.lines.iter().any(|l| l.customer_id == line.customer_id));
    assert_eq!(
        s.forecast(today(), &ForecastRequest::default())
            .unwrap()
            .points,
        before.points
    );
}

#[test]
fn pushing_a_customer_moves_its_receipts() {
    let s = source();
    let base = s.forecast(today(), &ForecastRequest::default()).unwrap();
    let first = base.inflows.first().expect("receipts in the horizon");
    let pushed = s
        .forecast(
            today(),
            &ForecastRequest {
                pushed: vec![(first.customer_id, 30)],
                ..ForecastRequest::default()
            },
        )
        .unwrap();
    let again = pushed
        .inflows
        .iter()
        .find(|i| i.customer_id == first.customer_id);
    assert!(again.is_none_or(|i| i.expected > first.expected && i.pushed_days == Some(30)));
    assert_ne!(base.points, pushed.points);
}

/// The matching screen's credits with their suggestions, asked for as the screen does:
/// the list first, then the suggestions of the credits in it.
fn suggested(s: &StoreSource) -> Vec<(TransactionId, Vec<Suggestion>)> {
    let m = s.matching(today()).unwrap();
    let ids: Vec<TransactionId> = m.rows.iter().map(|r| r.transaction_id).collect();
    s.match_suggestions(&ids, m.rules_idle).unwrap().rows
}

#[test]
fn accepting_a_suggestion_allocates_the_invoice() {
    let mut s = source();
    let (transaction, sug) = suggested(&s)
        .into_iter()
        .find_map(|(t, g)| g.first().map(|g| (t, g.clone())))
        .expect("a suggestion");
    assert_eq!(
        sug.components.total(),
        sug.score,
        "the score is the sum of its parts"
    );
    let (invoice, _, open) = sug.invoices[0].clone();
    s.accept_match(&actor(), transaction, &sug).unwrap();
    let inv = s.invoice(invoice, today()).unwrap();
    assert!(inv.open < open, "{} then {}", open, inv.open);
    // Rejecting hides the pair for good.
    if let Some((t, c)) = suggested(&s)
        .into_iter()
        .find_map(|(t, g)| g.first().map(|g| (t, g.customer_id)))
    {
        s.reject_match(&actor(), t, c).unwrap();
        let after = suggested(&s);
        let row = after.iter().find(|(id, _)| *id == t);
        assert!(row.is_none_or(|(_, g)| g.iter().all(|g| g.customer_id != c)));
    }
}

#[test]
fn a_claim_by_another_operator_shows() {
    let mut s = source();
    let line = s.queue(today()).unwrap().lines[0].clone();
    assert_eq!(line.claimed_by, None);
    let other = Actor::new("colleague", d(6, 15).and_hms_opt(8, 50, 0).unwrap());
    assert_eq!(s.claim(&other, line.customer_id).unwrap(), None);
    let q = s.queue(today()).unwrap();
    let seen = q
        .lines
        .iter()
        .find(|l| l.customer_id == line.customer_id)
        .unwrap();
    assert!(
        seen.claimed_by
            .as_deref()
            .is_some_and(|w| w.starts_with("colleague@"))
    );
    // My own claim is not someone else's, and I cannot take theirs.
    assert!(s.claim(&actor(), line.customer_id).unwrap().is_some());
    s.release_claims(&other).unwrap();
    assert_eq!(
        s.queue(today()).unwrap().lines[0].claimed_by,
        None,
        "released"
    );
}
