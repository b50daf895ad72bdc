//! The cockpit headless: the real `update`, effects run against the real `StoreSource` over
//! the generated database, frames drawn on ratatui's `TestBackend`.

use super::data::{actor, open, today};
use super::timing::{Stats, time};
use encours::app::keymap::KeyPress;
use encours::app::msg::{Effect, Msg};
use encours::app::source::DataSource as _;
use encours::app::store_source::{SourceSettings, StoreSource};
use encours::app::{App, AppConfig, ColourMode, Keymap, update};
use encours::config::Settings;
use encours::locale::Language;
use encours::runtime::executor;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;
use std::time::{Duration, Instant};

pub struct Cockpit {
    app: App,
    source: StoreSource,
    terminal: Terminal<TestBackend>,
}

impl Cockpit {
    fn run(&mut self, mut effects: Vec<Effect>) {
        let actor = actor();
        while !effects.is_empty() {
            let effect = effects.remove(0);
            if let Some(msg) = executor::execute(&mut self.source, &effect, today(), &actor) {
                effects.extend(update(&mut self.app, msg));
            }
        }
    }

    pub fn draw(&mut self) {
        let app = &self.app;
        self.terminal.draw(|f| encours::ui::render(f, app)).unwrap();
    }

    /// A key as the runtime handles it: `update` and a frame at once (loads go to the data
    /// worker's thread), then the loads it asked for and the frame that shows their data.
    /// Returns both times from the key.
    pub fn press(&mut self, spec: &str) -> (Duration, Duration) {
        let key = KeyPress::parse(spec).unwrap();
        let start = Instant::now();
        let effects = update(&mut self.app, Msg::Key(key));
        self.draw();
        let felt = start.elapsed();
        self.run(effects);
        self.draw();
        (felt, start.elapsed())
    }

    pub fn text(&self) -> String {
        let buffer = self.terminal.backend().buffer();
        buffer.content().iter().map(|c| c.symbol()).collect()
    }
}

/// Opens the database and draws the overview, as `encours` does minus the terminal set-up:
/// a first frame at once (panes loading), then the frame with all four panes' data.
/// Returns the cockpit and the times from the start to each frame.
pub fn start(db: &Path, settings: &Settings, w: u16, h: u16) -> (Cockpit, Duration, Duration) {
    let started = Instant::now();
    let store = open(db);
    let source_settings = SourceSettings::from_settings(settings, Language::En)
        .unwrap_or_else(|e| panic!("built-in dunning policy: {e}"));
    let source = StoreSource::new(store, source_settings).filing_when_idle();
    let cfg = AppConfig {
        lang: Language::En,
        currency: settings.general.currency,
        today: today(),
        colour: ColourMode::Ansi16,
        read_only: false,
    };
    let mut c = Cockpit {
        app: App::new(cfg, Keymap::defaults()),
        source,
        terminal: Terminal::new(TestBackend::new(w, h)).unwrap(),
    };
    let effects = update(&mut c.app, Msg::Resize(w, h));
    c.run(effects);
    let effects = c.app.start();
    c.draw();
    let first = started.elapsed();
    c.run(effects);
    c.draw();
    let full = started.elapsed();
    // The worker files the computed start views once it has answered them.
    c.source.idle();
    (c, first, full)
}

/// Key presses that walk every screen: scroll, drill down, back, switch.
pub const KEYS: &[&str] = &[
    "2", "j", "j", "j", "k", "enter", "j", "esc", "3", "j", "j", "4", "j", "j", "5", "6", "j", "7",
    "1", "2", "G", "g", "enter", "esc", "3", "enter", "esc", "1",
];

/// Empties the start views' snapshot: the next start computes them (and files them).
pub fn forget_snapshot(db: &Path) {
    open(db)
        .conn()
        .execute("DELETE FROM view_snapshots", [])
        .unwrap();
}

/// (first frame, first full frame) over `runs` starts, and the full frame's text. `cold`:
/// each start finds no snapshot of the start views (as the first start after an import
/// with no `encours watch` running); otherwise each finds the one the previous start filed.
pub fn start_samples(
    db: &Path,
    settings: &Settings,
    runs: usize,
    cold: bool,
) -> (Stats, Stats, String) {
    let mut text = String::new();
    let (mut firsts, mut fulls) = (Vec::new(), Vec::new());
    if !cold {
        // Files the snapshot, as an earlier start or `encours watch` would have.
        start(db, settings, 200, 50);
    }
    for _ in 0..runs.max(1) {
        if cold {
            forget_snapshot(db);
        }
        let (c, first, full) = start(db, settings, 200, 50);
        text = c.text();
        firsts.push(first);
        fulls.push(full);
    }
    (Stats::new(firsts), Stats::new(fulls), text)
}

/// (key to redrawn frame, key to the frame showing the data it asked for) over every key.
pub fn key_samples(db: &Path, settings: &Settings, runs: usize) -> (Stats, Stats) {
    let (mut felt, mut with_data) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        let (mut c, _, _) = start(db, settings, 200, 50);
        for k in KEYS {
            let (f, d) = c.press(k);
            felt.push(f);
            with_data.push(d);
        }
    }
    (Stats::new(felt), Stats::new(with_data))
}

/// Drawing alone, on each screen in turn, 200×50.
pub fn frame_samples(db: &Path, settings: &Settings, runs: usize) -> Stats {
    let (mut c, _, _) = start(db, settings, 200, 50);
    let mut all = Vec::new();
    for screen in ["1", "2", "3", "4", "5", "6", "7"] {
        c.press(screen);
        for _ in 0..runs.max(1) * 5 {
            all.push(time(|| c.draw()).1);
        }
    }
    Stats::new(all)
}
