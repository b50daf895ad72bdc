//! What any terminal must survive: every size from 1×1 up, no colour at all, hostile text.

mod support;

use encours::app::ColourMode;
use encours::locale::Language;
use ratatui::style::{Color, Modifier};
use support::fixture::FixtureSource;
use support::harness::Harness;

const SCREENS: &[&str] = &[
    "",
    "2",
    "3",
    "4",
    "5",
    "5 v",
    "5 v v",
    "6",
    "7",
    "2 enter",
    "2 enter enter",
    "4 ?",
    "4 p",
    "2 /",
];

#[test]
fn no_size_panics_on_any_screen() {
    let widths = [
        1u16, 2, 3, 5, 10, 20, 40, 79, 80, 81, 100, 119, 120, 200, 300,
    ];
    let heights = [1u16, 2, 3, 5, 10, 23, 24, 25, 40, 60, 100];
    for keys in SCREENS {
        let mut h = Harness::new(120, 40);
        h.keys(keys);
        for w in widths {
            for ht in heights {
                h.resize(w, ht);
                h.draw();
            }
        }
    }
}

#[test]
fn below_80x24_one_clear_message() {
    let mut h = Harness::new(79, 30);
    let text = h.text();
    assert!(text.contains("Terminal too small"), "{text}");
    assert!(text.contains("80×24") && text.contains("79×30"), "{text}");
    assert!(!text.contains("Aged receivables"));
    h.resize(80, 24);
    assert!(
        h.text().contains("Aged receivables"),
        "resize redraws the cockpit at once"
    );
    h.resize(100, 23);
    assert!(h.text().contains("Terminal too small"));
}

/// The cells of the row holding `needle`.
fn row_cells(h: &mut Harness, needle: &str) -> Vec<ratatui::buffer::Cell> {
    let y = h
        .row_of(needle)
        .unwrap_or_else(|| panic!("no row with {needle}"));
    let buffer = h.draw().buffer().clone();
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].clone())
        .collect()
}

fn assert_selected(cells: &[ratatui::buffer::Cell]) {
    let marker = cells
        .iter()
        .position(|c| c.symbol() == "▶")
        .expect("a ▶ marker on the selected row");
    let name = &cells[marker + 2];
    assert!(
        name.modifier.contains(Modifier::REVERSED | Modifier::BOLD),
        "{:?}",
        name
    );
}

#[test]
fn the_selected_row_is_marked_with_colours() {
    let mut h = Harness::new(120, 40);
    h.keys("2 j");
    let cells = row_cells(&mut h, "Clinique Saint-Éloi");
    assert_selected(&cells);
    // The others are not.
    let other = row_cells(&mut h, "Hôtel des Arènes");
    assert!(!other.iter().any(|c| c.symbol() == "▶"));
    assert!(
        !other
            .iter()
            .any(|c| c.modifier.contains(Modifier::REVERSED))
    );
    // Overdue in the warning colour, a D grade in the danger colour.
    let hotel = row_cells(&mut h, "Hôtel des Arènes");
    assert!(hotel.iter().any(|c| c.fg == Color::Yellow));
    assert!(
        hotel
            .iter()
            .any(|c| c.symbol() == "D" && c.fg == Color::Red)
    );
}

#[test]
fn no_color_keeps_the_selection_visible_and_uses_no_colour() {
    let mut h = Harness::with(
        120,
        40,
        Language::En,
        ColourMode::None,
        FixtureSource::new(),
    );
    for keys in ["", "2 j", "4", "5", "6", "2 enter"] {
        h.keys("1");
        h.keys(keys);
        let buffer = h.draw().buffer().clone();
        for cell in buffer.content() {
            assert_eq!(
                cell.fg,
                Color::Reset,
                "no foreground colour with NO_COLOR ({keys})"
            );
            assert_eq!(
                cell.bg,
                Color::Reset,
                "no background colour with NO_COLOR ({keys})"
            );
        }
    }
    let mut h = Harness::with(
        120,
        40,
        Language::En,
        ColourMode::None,
        FixtureSource::new(),
    );
    h.keys("2 j");
    assert_selected(&row_cells(&mut h, "Clinique Saint-Éloi"));
}

#[test]
fn truecolor_only_when_asked() {
    let mut h = Harness::with(
        120,
        40,
        Language::En,
        ColourMode::TrueColor,
        FixtureSource::new(),
    );
    let buffer = h.draw().buffer().clone();
    assert!(
        buffer
            .content()
            .iter()
            .any(|c| matches!(c.fg, Color::Rgb(..)))
    );
    let mut h = Harness::new(120, 40);
    let buffer = h.draw().buffer().clone();
    assert!(
        !buffer
            .content()
            .iter()
            .any(|c| matches!(c.fg, Color::Rgb(..)))
    );
}

#[test]
fn an_escape_sequence_in_a_name_is_drawn_harmlessly() {
    for keys in ["", "2", "4", "2 / 'boul enter enter", "5 v v"] {
        let mut h = Harness::with(
            120,
            40,
            Language::En,
            ColourMode::Ansi16,
            FixtureSource::with_hostile_name(),
        );
        h.keys(keys);
        let buffer = h.draw().buffer().clone();
        for cell in buffer.content() {
            assert!(
                !cell.symbol().chars().any(|c| c.is_control()),
                "control character drawn on '{keys}'"
            );
            assert!(
                !cell.symbol().contains('\u{202e}'),
                "bidi override drawn on '{keys}'"
            );
        }
    }
    let mut h = Harness::with(
        120,
        40,
        Language::En,
        ColourMode::Ansi16,
        FixtureSource::with_hostile_name(),
    );
    h.keys("2 / 'boul enter enter");
    let text = h.text();
    assert!(
        text.contains("Customer · Boulangerie[2J]0;pwned Martin (C001)"),
        "{text}"
    );
}

#[test]
fn money_and_dates_follow_the_language() {
    let mut fr = Harness::with(
        120,
        40,
        Language::Fr,
        ColourMode::Ansi16,
        FixtureSource::new(),
    );
    let text = fr.text();
    assert!(text.contains("Encours 167 762 €"), "{text}");
    assert!(text.contains("banque au 12/06/2026"), "{text}");
    let mut en = Harness::new(120, 40);
    let text = en.text();
    assert!(text.contains("Open €167,762"), "{text}");
    assert!(text.contains("bank data as of 2026-06-12"), "{text}");
}

#[test]
fn stale_bank_data_is_a_warning() {
    let mut source = FixtureSource::new();
    source.bank_as_of = support::fixture::data::d(6, 8);
    let mut h = Harness::with(120, 40, Language::En, ColourMode::Ansi16, source);
    let cells = row_cells(&mut h, "bank data as of");
    let stale: Vec<_> = cells.iter().filter(|c| c.fg == Color::Yellow).collect();
    assert!(!stale.is_empty());
    assert!(h.text().contains("2026-06-08 (STALE)"));
    h.keys("4");
    assert!(
        h.text().contains("Bank data is stale"),
        "the queue says so first"
    );
}

#[test]
fn empty_views_say_why_at_every_size() {
    use encours::app::msg::{Loaded, Msg};
    use encours::app::views::*;
    let mut h = Harness::new(120, 40);
    h.msg(Msg::Loaded(Loaded::Overview(OverviewView {
        notice: Some(Notice::NoData),
        ..Default::default()
    })));
    h.msg(Msg::Loaded(Loaded::Signals(SignalsView {
        rows: vec![],
        notice: Some(Notice::NotComputedYet),
    })));
    h.msg(Msg::Loaded(Loaded::Queue(QueueView {
        notice: Some(Notice::NoBankData),
        ..Default::default()
    })));
    h.msg(Msg::Loaded(Loaded::Forecast(ForecastView {
        notice: Some(Notice::NotComputedYet),
        ..Default::default()
    })));
    let text = h.text();
    assert!(text.contains("No invoices yet"), "{text}");
    assert!(text.contains("Not computed in this build yet."), "{text}");
    assert!(text.contains("No bank statement yet"), "{text}");
    assert!(
        text.contains("no bank data"),
        "the header says it too:\n{text}"
    );
    for keys in ["1", "2", "3", "4", "5", "6", "7"] {
        h.keys(keys);
        for (w, ht) in [(1, 1), (80, 24), (81, 25), (300, 100), (120, 3)] {
            h.resize(w, ht);
            h.draw();
        }
        h.resize(120, 40);
    }
}
