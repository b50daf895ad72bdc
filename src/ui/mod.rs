//! Drawing only: `render(frame, &app)` reads the application state and draws it. Nothing
//! here changes the state (bar the scroll offsets cached in `Selection`) or performs I/O.
//!
//! Layout: a tab line, the headline figures, the screen, a status line and the key bar.
//! Below 80×24 a single "enlarge the terminal" screen replaces it all.

pub mod format;
mod header;
pub mod screens;
pub mod text;
pub mod theme;
pub mod widgets;
pub mod words;

use crate::app::{App, Page, Tab};
use format::Fmt;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use theme::Theme;
use widgets::overlay;

/// Everything a screen's drawing needs besides the frame.
pub struct Ctx<'a> {
    pub app: &'a App,
    pub theme: Theme,
    pub fmt: Fmt,
}

pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = Theme::new(app.cfg.colour);
    if area.width < overlay::MIN_WIDTH || area.height < overlay::MIN_HEIGHT {
        overlay::too_small(frame, area, app, &theme);
        return;
    }
    let ctx = Ctx {
        app,
        theme,
        fmt: Fmt {
            lang: app.cfg.lang,
            currency: app.cfg.currency,
        },
    };
    let [tabs, headline, body, status, keys] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    header::tabs(frame, tabs, &ctx);
    header::headline(frame, headline, &ctx);
    match app.page() {
        Some(Page::Customer {
            view, selection, ..
        }) => screens::customer::draw(frame, body, &ctx, view.as_ref(), selection),
        Some(Page::Invoice { view, scroll, .. }) => {
            screens::invoice::draw(frame, body, &ctx, view.as_ref(), *scroll)
        }
        None => match app.tab {
            Tab::Overview => screens::overview::draw(frame, body, &ctx),
            Tab::Receivables => screens::receivables::draw(frame, body, &ctx),
            Tab::Signals => screens::signals::draw(frame, body, &ctx),
            Tab::Queue => screens::queue::draw(frame, body, &ctx),
            Tab::Forecast => screens::forecast::draw(frame, body, &ctx),
            Tab::Matching => screens::matching::draw(frame, body, &ctx),
            Tab::Imports => screens::imports::draw(frame, body, &ctx),
        },
    }
    header::status(frame, status, &ctx);
    frame.render_widget(widgets::keybar::keybar(app, &ctx.theme, keys.width), keys);
    if let Some(p) = &app.prompt {
        overlay::prompt(frame, area, app, &ctx.theme, p);
    } else if let Some(scroll) = app.help {
        overlay::help(frame, area, app, &ctx.theme, scroll);
    }
}
