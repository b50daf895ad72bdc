//! Two operators' cockpits on one database file: the call-list line each one has selected is
//! claimed for them, shown as taken to the other, and let go when they move on, leave the
//! call list or record an outcome. Driven through the real `update` and executor.

mod support;

use encours::app::keymap::KeyPress;
use encours::app::msg::{Effect, Msg, Status};
use encours::app::store_source::{SourceSettings, StoreSource};
use encours::app::{App, AppConfig, ColourMode, Keymap, update};
use encours::config::Settings;
use encours::domain::money::Currency;
use encours::locale::Language;
use encours::runtime::executor;
use encours::store::{Actor, OpenOptions, Store, claims};
use support::books::{self, d};

fn clock() -> chrono::NaiveDateTime {
    d(6, 15).and_hms_opt(9, 0, 0).unwrap()
}

struct Operator {
    app: App,
    source: StoreSource,
    actor: Actor,
}

impl Operator {
    fn open(path: &std::path::Path, who: &str) -> Operator {
        let store = Store::open(path, OpenOptions::default()).unwrap();
        let settings = SourceSettings::from_settings(&Settings::defaults(), Language::En).unwrap();
        let cfg = AppConfig {
            lang: Language::En,
            currency: Currency::EUR,
            today: d(6, 15),
            colour: ColourMode::None,
            read_only: false,
        };
        let mut op = Operator {
            app: App::new(cfg, Keymap::defaults()),
            source: StoreSource::new(store, settings).with_operator(who, clock),
            actor: Actor::new(who, clock()),
        };
        let start = op.app.start();
        op.run(start);
        op
    }

    /// Carries out the effects as the runtime's worker would, feeding answers back.
    fn run(&mut self, mut effects: Vec<Effect>) -> Vec<Effect> {
        let mut seen = Vec::new();
        while !effects.is_empty() {
            let effect = effects.remove(0);
            seen.push(effect.clone());
            if let Some(msg) = executor::execute(&mut self.source, &effect, d(6, 15), &self.actor) {
                effects.extend(update(&mut self.app, msg));
            }
        }
        seen
    }

    fn key(&mut self, c: char) -> Vec<Effect> {
        let effects = update(&mut self.app, Msg::Key(KeyPress::ch(c)));
        self.run(effects)
    }

    fn msg(&mut self, msg: Msg) {
        let effects = update(&mut self.app, msg);
        self.run(effects);
    }

    fn queue_ids(&self) -> Vec<i64> {
        let q = self.app.data.queue.as_ref().expect("queue loaded");
        q.lines.iter().map(|l| l.customer_id).collect()
    }

    fn selected(&self) -> i64 {
        self.app.screens.queue.key.expect("a selected line")
    }
}

fn holders(path: &std::path::Path) -> Vec<(i64, String)> {
    let store = Store::open(path, OpenOptions::default()).unwrap();
    let mut got: Vec<(i64, String)> = claims::active(store.conn(), clock())
        .unwrap()
        .into_iter()
        .map(|c| (c.customer_id, c.who))
        .collect();
    got.sort();
    got
}

fn books_on_disk() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let mut store = Store::open(&path, OpenOptions::default()).unwrap();
    books::write(&mut store);
    (dir, path)
}

#[test]
fn the_selected_line_is_claimed_and_follows_the_selection() {
    let (_dir, path) = books_on_disk();
    let mut alice = Operator::open(&path, "alice");
    assert!(holders(&path).is_empty(), "the overview claims nothing");
    alice.key('4');
    let first = alice.selected();
    assert_eq!(holders(&path), [(first, "alice".to_string())]);
    alice.key('j');
    let second = alice.selected();
    assert_ne!(first, second, "the books have at least two queue lines");
    assert_eq!(
        holders(&path),
        [(second, "alice".to_string())],
        "moving on lets go of the line before"
    );
    // Scrolling back and forth keeps exactly one claim.
    alice.key('k');
    alice.key('j');
    assert_eq!(holders(&path), [(second, "alice".to_string())]);
    alice.key('1');
    assert!(holders(&path).is_empty(), "leaving the call list releases");
}

#[test]
fn a_colleague_sees_the_line_taken_and_is_told_when_selecting_it() {
    let (_dir, path) = books_on_disk();
    let mut alice = Operator::open(&path, "alice");
    alice.key('4');
    let taken = alice.selected();
    let mut bob = Operator::open(&path, "bob");
    bob.key('4');
    let line = |op: &Operator| {
        op.app
            .data
            .queue
            .as_ref()
            .unwrap()
            .lines
            .iter()
            .find(|l| l.customer_id == taken)
            .unwrap()
            .clone()
    };
    assert!(
        line(&bob)
            .claimed_by
            .as_deref()
            .is_some_and(|w| w.starts_with("alice@")),
        "{:?}",
        line(&bob).claimed_by
    );
    assert_eq!(bob.selected(), taken, "both start on the first line");
    match &bob.app.status {
        Some(Status::ClaimedBy(who)) => assert!(who.starts_with("alice@"), "{who}"),
        other => panic!("bob is not told: {other:?}"),
    }
    assert_eq!(
        holders(&path),
        [(taken, "alice".to_string())],
        "bob does not take alice's line"
    );
    // Bob moves to the next line and holds it; alice still holds hers.
    bob.key('j');
    let bobs = bob.selected();
    let mut expected = vec![(taken, "alice".to_string()), (bobs, "bob".to_string())];
    expected.sort();
    assert_eq!(holders(&path), expected);
}

#[test]
fn an_outcome_releases_the_line_and_the_next_one_is_claimed() {
    let (_dir, path) = books_on_disk();
    let mut alice = Operator::open(&path, "alice");
    alice.key('4');
    let worked = alice.selected();
    let effects = alice.key('n');
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Write(_))),
        "{effects:?}"
    );
    let next = alice.selected();
    assert_ne!(next, worked, "the handled line left the list");
    assert_eq!(holders(&path), [(next, "alice".to_string())]);
}

#[test]
fn read_only_sessions_claim_nothing() {
    let (_dir, path) = books_on_disk();
    let mut viewer = Operator::open(&path, "viewer");
    viewer.app.cfg.read_only = true;
    let effects = viewer.key('4');
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Claim(_))),
        "{effects:?}"
    );
    assert!(holders(&path).is_empty());
}

#[test]
fn a_colleagues_outcome_reaches_the_other_cockpit_through_the_cached_queue() {
    let (_dir, path) = books_on_disk();
    let mut alice = Operator::open(&path, "alice");
    let mut bob = Operator::open(&path, "bob");
    alice.key('4');
    bob.key('4');
    let worked = alice.selected();
    // Alice's claim moved the database's version; bob's reload still shows the line.
    bob.msg(Msg::DataChanged);
    assert!(bob.queue_ids().contains(&worked));
    alice.key('n');
    assert!(!alice.queue_ids().contains(&worked));
    // Bob's runtime sees the database change (PRAGMA data_version) and reloads: the queue he
    // is shown must not come from the gather cached before alice's outcome.
    bob.msg(Msg::DataChanged);
    assert!(
        !bob.queue_ids().contains(&worked),
        "the line alice handled is still on bob's list"
    );
}
