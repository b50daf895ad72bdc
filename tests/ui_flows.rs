//! Flows: key sequences through the real `update`, effects carried out against the fixture,
//! frames drawn after each step.

mod support;

use encours::app::msg::{Command, Effect, Msg};
use encours::app::source::Outcome;
use encours::app::{App, AppConfig, ColourMode, KeyPress, Keymap, Tab, update};
use encours::locale::Language;
use rust_decimal_macros::dec;
use support::fixture::FixtureSource;
use support::fixture::data::d;
use support::harness::Harness;

fn selected_line(h: &mut Harness) -> String {
    h.text()
        .lines()
        .find(|l| l.contains('▶'))
        .unwrap_or_default()
        .to_string()
}

fn selected_name(h: &Harness) -> String {
    let key = h.app.screens.queue.key.unwrap();
    h.app
        .data
        .queue
        .as_ref()
        .unwrap()
        .lines
        .iter()
        .find(|l| l.customer_id == key)
        .unwrap()
        .name
        .clone()
}

fn queue_names(h: &Harness) -> Vec<String> {
    h.app
        .data
        .queue
        .as_ref()
        .unwrap()
        .lines
        .iter()
        .map(|l| l.name.clone())
        .collect()
}

#[test]
fn drill_down_and_back_keeps_the_selection() {
    let mut h = Harness::new(120, 40);
    h.keys("2 j j");
    assert!(selected_line(&mut h).contains("Hôtel des Arènes"));
    h.keys("enter");
    assert!(h.text().contains("Customer · Hôtel des Arènes (C004)"));
    h.keys("j enter");
    let text = h.text();
    assert!(
        text.contains("Invoice F2026-0301 · Hôtel des Arènes"),
        "{text}"
    );
    assert!(text.contains("Receivables › Hôtel des Arènes › F2026-0301"));
    h.keys("esc");
    assert!(
        selected_line(&mut h).contains("F2026-0301"),
        "the customer page kept its selection"
    );
    h.keys("backspace");
    assert_eq!(h.app.tab, Tab::Receivables);
    assert!(h.app.pages.is_empty());
    assert!(
        selected_line(&mut h).contains("Hôtel des Arènes"),
        "the list kept its selection"
    );
}

#[test]
fn a_promise_takes_the_line_off_the_queue_and_moves_the_forecast() {
    let mut h = Harness::new(120, 40);
    let before = h.app.data.forecast.clone().unwrap();
    let c003_before = before
        .inflows
        .iter()
        .find(|i| i.customer_id == 3)
        .unwrap()
        .expected;
    h.keys("4");
    assert_eq!(queue_names(&h)[0], "Transports Leroy & Fils");
    h.keys("p");
    assert!(
        h.text()
            .contains("Promise to pay · Transports Leroy & Fils")
    );
    // Default: in a week, the amount at stake. Change the date to in 10 days.
    h.keys("ctrl-u '+10 tab ctrl-u '20000 enter");
    assert!(h.app.prompt.is_none());
    let names = queue_names(&h);
    assert!(
        !names.contains(&"Transports Leroy & Fils".to_string()),
        "{names:?}"
    );
    assert_eq!(names.len(), 8);
    let text = h.text();
    assert!(
        text.contains("Promise recorded for Transports Leroy & Fils"),
        "{text}"
    );
    assert!(
        selected_line(&mut h).contains("Hôtel des Arènes"),
        "the next line is selected"
    );
    let recorded = &h.source.outcomes[0];
    assert_eq!(
        recorded.outcome,
        Outcome::Promise {
            date: d(6, 25),
            amount: dec!(20000)
        }
    );
    assert_eq!(recorded.who, "claire");
    let after = h.app.data.forecast.clone().unwrap();
    let c003_after = after
        .inflows
        .iter()
        .find(|i| i.customer_id == 3)
        .unwrap()
        .expected;
    assert_ne!(c003_before, c003_after);
    assert_eq!(c003_after, d(6, 25));
    assert_ne!(before.points, after.points, "the forecast moved");
    h.keys("1");
    assert!(h.text().contains("Today's reminders · 8 lines"));
}

#[test]
fn one_key_per_outcome_and_undo() {
    let mut h = Harness::new(120, 40);
    h.keys("4");
    let first = queue_names(&h);
    for (key, kind) in [
        ("r", "reached"),
        ("n", "no_answer"),
        ("m", "voicemail"),
        ("w", "letter_written"),
    ] {
        let top = queue_names(&h)[0].clone();
        h.keys(key);
        assert!(!queue_names(&h).contains(&top), "{key} takes {top} off");
        assert_eq!(h.source.outcomes.last().unwrap().outcome.kind(), kind);
    }
    assert_eq!(queue_names(&h).len(), first.len() - 4);
    h.keys("u");
    assert!(
        queue_names(&h).contains(&first[3]),
        "undo brings the last line back"
    );
    assert!(
        h.text()
            .contains("Undone: letter_written: Menuiserie Girard")
    );
    // Plan and snooze ask first, then take the line off.
    let selected = selected_name(&h);
    h.keys("e");
    h.type_text("3 x 1000: 30/06, 30/07, 30/08");
    h.keys("enter");
    assert!(!queue_names(&h).contains(&selected));
    let selected = selected_name(&h);
    h.keys("z enter");
    assert!(!queue_names(&h).contains(&selected));
    assert!(
        matches!(h.source.outcomes.last().unwrap().outcome, Outcome::Snooze { until } if until == d(6, 22))
    );
}

#[test]
fn a_note_keeps_the_line_and_a_dispute_needs_a_reason() {
    let mut h = Harness::new(120, 40);
    h.keys("4");
    let top = queue_names(&h)[0].clone();
    h.keys("c");
    h.type_text("called, will call back");
    h.keys("enter");
    assert_eq!(queue_names(&h)[0], top, "a note keeps the line");
    h.keys("d enter");
    assert!(
        h.text().contains("required"),
        "an empty reason is refused in the prompt"
    );
    h.type_text("goods damaged");
    h.keys("enter");
    assert!(!queue_names(&h).contains(&top));
    h.keys("esc 2 / 'leroy enter enter");
    let text = h.text();
    assert!(text.contains("note called, will call back"), "{text}");
    assert!(text.contains("dispute goods damaged"), "{text}");
    assert!(text.contains("whole account €31,350 goods"), "{text}");
}

#[test]
fn help_is_built_from_the_keymap() {
    let mut h = Harness::new(120, 40);
    h.keys("4 ?");
    let text = h.text();
    for wanted in [
        "Promise to pay: date and amount",
        "Snooze until a date",
        "Next line",
        "Quit (the terminal is restored)",
    ] {
        assert!(text.contains(wanted), "{wanted} in\n{text}");
    }
    h.keys("esc");
    assert!(h.app.help.is_none());
    // A user keymap changes what the help says.
    let keymap = Keymap::from_layers(&[
        ("config/keymap.toml", encours::app::keymap::DEFAULT_KEYMAP),
        ("mine.toml", "[[queue]]\nkeys = [\"P\"]\naction = \"promise\"\nen = \"Promise (my key)\"\nfr = \"Promesse\"\n"),
    ])
    .unwrap();
    let mut h = Harness::new(120, 40);
    h.app.keymap = keymap;
    h.keys("4 ?");
    let text = h.text();
    let line = text
        .lines()
        .find(|l| l.contains("Promise (my key)"))
        .unwrap();
    assert!(line.contains("│P "), "{line}");
    h.keys("esc P");
    assert!(h.app.prompt.is_some());
}

#[test]
fn read_only_sessions_refuse_changes() {
    let cfg = AppConfig {
        lang: Language::En,
        currency: Default::default(),
        today: d(6, 15),
        colour: ColourMode::None,
        read_only: true,
    };
    let mut h = Harness::new(120, 40);
    h.app.cfg = cfg;
    h.keys("4 r p");
    assert!(h.source.outcomes.is_empty());
    assert!(h.app.prompt.is_none());
    assert!(h.text().contains("Read-only session"));
}

#[test]
fn update_sends_effects_and_never_writes_itself() {
    let cfg = AppConfig {
        lang: Language::En,
        currency: Default::default(),
        today: d(6, 15),
        colour: ColourMode::Ansi16,
        read_only: false,
    };
    let mut app = App::new(cfg, Keymap::defaults());
    let start = app.start();
    assert_eq!(start.len(), 4);
    assert_eq!(app.pending, 4);
    // Without data, outcome keys do nothing.
    assert!(
        update(&mut app, Msg::Key(KeyPress::ch('4')))
            .iter()
            .all(|e| matches!(e, Effect::Load(_)))
    );
    assert!(update(&mut app, Msg::Key(KeyPress::ch('r'))).is_empty());
    // With a queue loaded, `r` is one write effect for the selected customer.
    let source = FixtureSource::new();
    let queue = encours::app::source::DataSource::queue(&source, d(6, 15)).unwrap();
    update(&mut app, Msg::Loaded(encours::app::Loaded::Queue(queue)));
    let effects = update(&mut app, Msg::Key(KeyPress::ch('r')));
    assert!(
        matches!(
            &effects[..],
            [Effect::Write(Command::Outcome {
                customer: 3,
                outcome: Outcome::Reached,
                ..
            })]
        ),
        "{effects:?}"
    );
    assert_eq!(
        update(&mut app, Msg::Key(KeyPress::ch('q'))),
        vec![Effect::Quit]
    );
    assert!(app.quit);
}

#[test]
fn an_inbox_notice_is_not_hidden_by_the_reload_that_follows_it() {
    let mut h = Harness::new(120, 40);
    h.msg(Msg::Notice {
        text: "Imported releve.xml (camt053): 12 bank line(s)".into(),
        problem: false,
        reload: true,
    });
    h.msg(Msg::DataChanged);
    assert!(h.text().contains("Imported releve.xml"), "{}", h.text());
    // A reload with nothing to tell still says so.
    h.keys("j");
    h.msg(Msg::DataChanged);
    assert!(h.text().contains("New data loaded"), "{}", h.text());
}
