//! A headless cockpit: the real `update` and `render`, effects carried out at once against a
//! `FixtureSource`, frames drawn on ratatui's `TestBackend`.

use super::fixture::FixtureSource;
use super::fixture::data::{TODAY, at, d};
use encours::app::keymap::{Key, KeyPress};
use encours::app::msg::{Effect, Msg};
use encours::app::{App, AppConfig, ColourMode, Keymap, update};
use encours::domain::money::Currency;
use encours::locale::Language;
use encours::runtime::executor;
use encours::store::Actor;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub struct Harness {
    pub app: App,
    pub source: FixtureSource,
    pub terminal: Terminal<TestBackend>,
    pub actor: Actor,
}

impl Harness {
    pub fn new(w: u16, h: u16) -> Harness {
        Harness::with(w, h, Language::En, ColourMode::Ansi16, FixtureSource::new())
    }

    pub fn with(
        w: u16,
        h: u16,
        lang: Language,
        colour: ColourMode,
        source: FixtureSource,
    ) -> Harness {
        let cfg = AppConfig {
            lang,
            currency: Currency::EUR,
            today: d(TODAY.0, TODAY.1),
            colour,
            read_only: false,
        };
        let mut h = Harness {
            app: App::new(cfg, Keymap::defaults()),
            source,
            terminal: Terminal::new(TestBackend::new(w, h)).unwrap(),
            actor: Actor::new("claire", at(6, 15, 9, 30)),
        };
        h.msg(Msg::Resize(w, h.terminal.backend().buffer().area.height));
        let effects = h.app.start();
        h.run(effects);
        h
    }

    /// Carries out effects and feeds their answers back until nothing is left.
    pub fn run(&mut self, mut effects: Vec<Effect>) {
        let today = self.app.cfg.today;
        let mut guard = 0;
        while let Some(effect) = (!effects.is_empty()).then(|| effects.remove(0)) {
            guard += 1;
            assert!(guard < 1000, "effects loop");
            if let Some(msg) = executor::execute(&mut self.source, &effect, today, &self.actor) {
                effects.extend(update(&mut self.app, msg));
            }
        }
    }

    pub fn msg(&mut self, msg: Msg) {
        let effects = update(&mut self.app, msg);
        self.run(effects);
    }

    pub fn press(&mut self, key: KeyPress) {
        self.msg(Msg::Key(key));
    }

    /// Space-separated key specs as in the keymap (`"j j enter"`, `"esc"`, `"ctrl-c"`);
    /// a token starting with `'` is typed as text (`'dubois`).
    pub fn keys(&mut self, specs: &str) {
        for spec in specs.split_whitespace() {
            match spec.strip_prefix('\'') {
                Some(text) => self.type_text(text),
                None => self.press(KeyPress::parse(spec).unwrap_or_else(|e| panic!("{e}"))),
            }
        }
    }

    /// Types text into an open prompt, character by character.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyPress::plain(Key::Char(c)));
        }
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.terminal.backend_mut().resize(w, h);
        self.msg(Msg::Resize(w, h));
    }

    pub fn draw(&mut self) -> &TestBackend {
        let app = &self.app;
        self.terminal.draw(|f| encours::ui::render(f, app)).unwrap();
        self.terminal.backend()
    }

    /// The frame as text, one line per row, trailing spaces kept out.
    pub fn text(&mut self) -> String {
        let buffer = self.draw().buffer().clone();
        let area = buffer.area;
        (0..area.height)
            .map(|y| {
                let line: String = (0..area.width)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect();
                line.trim_end().to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The row of the frame holding `needle`, if any.
    pub fn row_of(&mut self, needle: &str) -> Option<u16> {
        self.text()
            .lines()
            .position(|l| l.contains(needle))
            .map(|y| y as u16)
    }
}
