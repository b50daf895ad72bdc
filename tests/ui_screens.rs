//! Flows on the other screens: receivables, forecast, matching, the customer page, and the
//! data changing under the user's feet.

mod support;

use encours::app::msg::Msg;
use encours::app::views::Scenario;
use encours::app::{Page, Tab};
use rust_decimal_macros::dec;
use support::harness::Harness;

fn selected_line(h: &mut Harness) -> String {
    h.text()
        .lines()
        .find(|l| l.contains('▶'))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn receivables_filter_and_sort() {
    let mut h = Harness::new(120, 40);
    h.keys("2 / 'moreau");
    assert!(h.text().contains("1/12"), "the filter applies as you type");
    h.keys("enter");
    assert!(selected_line(&mut h).contains("Imprimerie Moreau"));
    h.keys("/ esc");
    assert!(h.text().contains("12/12"), "Esc in the filter clears it");
    assert!(
        selected_line(&mut h).contains("Imprimerie Moreau"),
        "and keeps the selection"
    );
    h.keys("g s");
    let rows: Vec<String> = h
        .text()
        .lines()
        .filter(|l| l.contains("C00") || l.contains("C01"))
        .map(String::from)
        .collect();
    assert!(
        rows[0].contains("Transports Leroy") && rows[1].contains("Clinique"),
        "by open amount: {rows:?}"
    );
    h.keys("S");
    let rows: Vec<String> = h
        .text()
        .lines()
        .filter(|l| l.contains("C00") || l.contains("C01"))
        .map(String::from)
        .collect();
    assert!(rows[0].contains("Pharmacie Lefèvre"), "reversed: {rows:?}");
    // Accents and case are ignored.
    h.keys("/ 'ELECTRICITE enter");
    assert!(h.text().contains("Électricité Fournier"));
    assert!(h.text().contains("1/12"));
}

#[test]
fn new_data_appears_without_losing_the_selection() {
    let mut h = Harness::new(120, 40);
    h.keys("2 j");
    assert!(selected_line(&mut h).contains("Clinique Saint-Éloi"));
    h.source.simulate_other_operator();
    h.msg(Msg::DataChanged);
    let text = h.text();
    assert!(text.contains("Pépinières Vincent"), "{text}");
    assert!(text.contains("New data loaded"));
    assert!(selected_line(&mut h).contains("Clinique Saint-Éloi"));
    assert_eq!(h.app.screens.receivables.selection.index, 2);
}

#[test]
fn forecast_scenario_and_push() {
    let mut h = Harness::new(120, 40);
    h.keys("5");
    let expected = h.app.data.forecast.clone().unwrap();
    assert!(
        selected_line(&mut h).contains("€45,550"),
        "the biggest receipt is selected"
    );
    h.keys("p");
    let pushed = h.app.data.forecast.clone().unwrap();
    assert_eq!(pushed.request.pushed, vec![(3, 30)]);
    assert_eq!(
        pushed
            .inflows
            .iter()
            .find(|i| i.customer_id == 3)
            .unwrap()
            .pushed_days,
        Some(30)
    );
    assert_ne!(pushed.points, expected.points);
    for r in &pushed.risk_periods {
        assert!(
            r.causes
                .iter()
                .any(|c| c == "Transports Leroy & Fils pushed 30 days"),
            "{r:?}"
        );
    }
    h.keys("p");
    assert_eq!(
        h.app.data.forecast.clone().unwrap().points,
        expected.points,
        "pushing again brings it back"
    );
    h.keys("s");
    let prudent = h.app.data.forecast.clone().unwrap();
    assert_eq!(prudent.request.scenario, Scenario::Prudent);
    assert!(prudent.lowest.unwrap().1 < expected.lowest.unwrap().1);
    assert!(h.text().contains("Scenario prudent"));
}

#[test]
fn matching_accept_reject_assign() {
    let mut h = Harness::new(120, 40);
    h.keys("6 a");
    assert_eq!(h.app.data.matching.as_ref().unwrap().rows.len(), 3);
    assert!(h.text().contains("Match accepted"));
    assert!(
        h.source
            .allocations
            .iter()
            .any(|a| a.invoice == 104 && a.view.amount == dec!(3215.40))
    );
    h.keys("] ");
    assert!(h.text().contains("Suggestion 2/2"));
    h.keys("x");
    let row = &h.app.data.matching.as_ref().unwrap().rows[0];
    assert_eq!(row.suggestions.len(), 1);
    assert!(h.text().contains("Suggestion 1/1"));
    h.keys("G c 'C999 enter");
    assert!(h.text().contains("Failed: no customer with code C999"));
    h.keys("c 'C004 enter");
    assert_eq!(h.app.data.matching.as_ref().unwrap().rows.len(), 2);
}

#[test]
fn the_matching_screen_lets_the_other_screens_data_go_and_they_come_back() {
    let mut h = Harness::new(120, 40);
    h.keys("2 1");
    assert!(h.app.data.queue.is_some() && h.app.data.receivables.is_some());
    let key = encours::app::KeyPress::parse("6").unwrap();
    let effects = encours::app::update(&mut h.app, encours::app::Msg::Key(key));
    // Dropped on the worker's thread, not in the key's frame, before the list is computed.
    assert!(
        matches!(effects.first(), Some(encours::app::Effect::Release(d)) if d.queue.is_some()),
        "{:?}",
        effects
            .iter()
            .map(|e| format!("{e:?}").chars().take(20).collect::<String>())
            .collect::<Vec<_>>()
    );
    h.run(effects);
    let d = &h.app.data;
    assert!(d.matching.is_some());
    assert!(d.signals.is_none() && d.queue.is_none());
    assert!(d.forecast.is_none() && d.receivables.is_none());
    // The headline above the screen is the overview's: it stays, and says what it said.
    assert!(d.overview.is_some());
    let headline = h.text().lines().nth(1).unwrap_or_default().to_string();
    assert!(headline.contains("Net cash €"), "{headline}");
    h.keys("1");
    let d = &h.app.data;
    assert!(d.overview.is_some() && d.signals.is_some() && d.queue.is_some());
    assert!(d.forecast.is_some() && d.matching.is_some());
    assert!(h.text().contains("Aged receivables"));
}

#[test]
fn a_credit_whose_suggestions_are_on_their_way_says_so_and_accept_waits() {
    let mut h = Harness::new(120, 40);
    h.keys("6");
    let rows = &mut h.app.data.matching.as_mut().unwrap().rows;
    rows[0].suggestions.clear();
    rows[0].suggested = false;
    let text = h.text();
    assert!(text.contains("loading…"), "{text}");
    let line = h
        .text()
        .lines()
        .find(|l| l.contains('▶'))
        .unwrap()
        .to_string();
    assert!(line.contains(" …│"), "the score column waits: {line}");
    h.keys("a");
    assert!(h.text().contains("Suggestions still being worked out"));
    assert!(h.source.allocations.iter().all(|a| a.invoice != 104));
}

#[test]
fn customer_limit_and_segment() {
    let mut h = Harness::new(120, 40);
    h.keys("2 enter L");
    assert_eq!(h.app.prompt.as_ref().unwrap().value(0), "60000.00");
    h.keys("ctrl-u");
    h.type_text("75 000");
    h.keys("enter");
    assert!(
        h.text().contains("Limit €75,000 (61 % used)"),
        "{}",
        h.text()
    );
    h.keys("S ctrl-u 'surveillance enter");
    assert!(h.text().contains("Segment watch"));
    h.keys("S ctrl-u 'gold enter");
    assert!(h.text().contains("strategic, standard, watch or new"));
}

#[test]
fn tab_walks_every_screen_and_numbers_jump() {
    let mut h = Harness::new(80, 24);
    let mut seen = Vec::new();
    for _ in 0..7 {
        seen.push(h.app.tab);
        h.keys("tab");
    }
    assert_eq!(seen, Tab::ALL);
    assert_eq!(h.app.tab, Tab::Overview);
    h.keys("backtab");
    assert_eq!(h.app.tab, Tab::Imports);
    h.keys("3 enter");
    assert!(matches!(h.app.page(), Some(Page::Customer { id: 9, .. })));
    h.keys("1 enter");
    assert!(
        matches!(h.app.page(), Some(Page::Customer { id: 3, .. })),
        "overview opens the most overdue"
    );
}
