//! The cockpit's state and its rules, without a terminal: screens as plain structs, a
//! navigation stack for drill-down, a keymap, and `update(&mut App, Msg) -> Vec<Effect>`.
//! Data comes in as view models (`views`) through `Msg::Loaded`; changes go out as
//! `Effect::Write` commands, carried out by the runtime through a [`source::DataSource`].
//!
//! Invariants: nothing here reads the clock (`AppConfig::today` is given), performs I/O or
//! draws; `ui` reads an `App` and never changes it (bar the scroll cache in `Selection`).

pub mod action;
pub mod keymap;
pub mod keys;
pub mod msg;
pub mod nav;
pub mod prompt;
pub mod screens;
pub mod source;
pub mod store_source;
mod update;
pub mod views;

pub use action::Action;
pub use keymap::{Context, Key, KeyPress, Keymap};
pub use msg::{Command, Effect, Failure, Loaded, Msg, Request, Status};
pub use nav::{Page, Selection, Tab};
pub use update::update;

use crate::domain::money::Currency;
use crate::locale::Language;
use chrono::NaiveDate;
use prompt::Prompt;
use screens::Screens;
use views::*;

/// How much colour the terminal gets. Decided by the runtime from `NO_COLOR` and `COLORTERM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColourMode {
    /// `NO_COLOR`: attributes only (bold, reversed, underline).
    None,
    /// The 16 ANSI colours, which every terminal has and the user's theme controls.
    #[default]
    Ansi16,
    /// 24-bit colours, only when `COLORTERM` says `truecolor` or `24bit`.
    TrueColor,
}

impl ColourMode {
    /// `NO_COLOR` set to anything non-empty wins (no-color.org); then `COLORTERM`.
    pub fn detect(no_color: Option<&str>, colorterm: Option<&str>) -> ColourMode {
        if no_color.is_some_and(|v| !v.is_empty()) {
            return ColourMode::None;
        }
        match colorterm.map(str::to_ascii_lowercase).as_deref() {
            Some("truecolor" | "24bit") => ColourMode::TrueColor,
            _ => ColourMode::Ansi16,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppConfig {
    pub lang: Language,
    pub currency: Currency,
    /// The cockpit's "today": every figure is as of this date.
    pub today: NaiveDate,
    pub colour: ColourMode,
    pub read_only: bool,
}

/// The latest answer of each kind; `None` until first loaded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Data {
    pub overview: Option<OverviewView>,
    pub receivables: Option<ReceivablesView>,
    pub signals: Option<SignalsView>,
    pub queue: Option<QueueView>,
    pub forecast: Option<ForecastView>,
    pub matching: Option<MatchingView>,
    pub imports: Option<ImportsView>,
}

#[derive(Debug, Clone)]
pub struct App {
    pub cfg: AppConfig,
    pub keymap: Keymap,
    pub tab: Tab,
    /// Drill-down pages above the tab, the last one shown.
    pub pages: Vec<Page>,
    pub data: Data,
    pub screens: Screens,
    pub prompt: Option<Prompt>,
    /// Open help, with its scroll position.
    pub help: Option<usize>,
    pub status: Option<Status>,
    /// Effects sent and not answered yet: the interface shows that it is working.
    pub pending: usize,
    pub size: (u16, u16),
    pub quit: bool,
    /// The call-list line the runtime was last asked to hold for this operator.
    pub claimed: Option<crate::domain::model::CustomerId>,
}

impl App {
    pub fn new(cfg: AppConfig, keymap: Keymap) -> App {
        App {
            cfg,
            keymap,
            tab: Tab::Overview,
            pages: Vec::new(),
            data: Data::default(),
            screens: Screens::default(),
            prompt: None,
            help: None,
            status: None,
            pending: 0,
            size: (80, 24),
            quit: false,
            claimed: None,
        }
    }

    /// The loads of the first screen. The overview shows four datasets at once.
    pub fn start(&mut self) -> Vec<Effect> {
        let effects = vec![
            Effect::Load(Request::Overview),
            Effect::Load(Request::Signals),
            Effect::Load(Request::Queue),
            Effect::Load(Request::Forecast(self.screens.forecast.request.clone())),
        ];
        self.pending += effects.len();
        effects
    }

    pub fn page(&self) -> Option<&Page> {
        self.pages.last()
    }

    /// The keymap section in force for what is on screen.
    pub fn context(&self) -> Context {
        match self.page() {
            Some(p) => p.context(),
            None => self.tab.context(),
        }
    }

    pub fn lang(&self) -> Language {
        self.cfg.lang
    }

    /// Lines moved by PageUp/PageDown: about a screenful.
    pub fn page_len(&self) -> isize {
        (self.size.1 as isize - 8).max(1)
    }
}
