//! What is drawn over a screen: the help built from the keymap, a prompt, and the one
//! screen shown when the terminal is too small.

use crate::app::prompt::Prompt;
use crate::app::{App, Context};
use crate::ui::format::clean;
use crate::ui::text::{T, tr};
use crate::ui::theme::Theme;
use crate::ui::words;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// A box centred in `area`, at most `w`×`h`.
pub fn centred(area: Rect, w: u16, h: u16) -> Rect {
    area.centered(
        Constraint::Length(w.min(area.width)),
        Constraint::Length(h.min(area.height)),
    )
}

/// The help: every binding of the screen on show, then those of lists and of everywhere.
pub fn help_lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let lang = app.lang();
    let mut lines = Vec::new();
    for context in app.context().chain() {
        let bindings = app.keymap.bindings(context);
        if bindings.is_empty() {
            continue;
        }
        let title = match context {
            Context::Global => lang.pick("Partout", "Everywhere").to_string(),
            Context::List => lang.pick("Listes", "Lists").to_string(),
            _ => lang.pick("Cet écran", "This screen").to_string(),
        };
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::from(Span::styled(title, theme.header())));
        for b in bindings {
            lines.push(Line::from(vec![
                Span::styled(format!("{:<22}", b.keys_label()), theme.key()),
                Span::raw(b.description(lang).to_string()),
            ]));
        }
    }
    lines
}

pub fn help(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, scroll: usize) {
    let lang = app.lang();
    let lines = help_lines(app, theme);
    let rect = centred(area, 76, area.height.saturating_sub(2));
    let visible = usize::from(rect.height.saturating_sub(2));
    let scroll = scroll.min(lines.len().saturating_sub(visible));
    frame.render_widget(Clear, rect);
    let block = Block::new()
        .borders(Borders::ALL)
        .title(Line::from(tr(lang, T::HelpTitle)).style(theme.title()))
        .title_bottom(Line::from(tr(lang, T::HelpFooter)).style(theme.muted()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(u16::MAX as usize) as u16, 0)),
        rect,
    );
}

pub fn prompt(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, p: &Prompt) {
    let lang = app.lang();
    let height = (p.fields.len() as u16) * 2 + 3;
    let rect = centred(area, 64, height);
    frame.render_widget(Clear, rect);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.key())
        .title(Line::from(clean(&words::prompt_title(lang, &p.purpose))).style(theme.title()))
        .title_bottom(Line::from(tr(lang, T::PromptFooter)).style(theme.muted()));
    let mut lines = Vec::new();
    for (i, f) in p.fields.iter().enumerate() {
        let focused = i == p.focus;
        let mut label = vec![Span::styled(words::field(lang, f.label), theme.muted())];
        if focused && let Some(e) = p.error {
            label.push(Span::styled(
                format!("  {}", words::prompt_error(lang, e)),
                theme.danger(),
            ));
        }
        lines.push(Line::from(label));
        let cursor = if focused { "▏" } else { "" };
        let style = if focused {
            theme.selected()
        } else {
            theme.base()
        };
        lines.push(Line::from(vec![
            Span::raw(if focused { "▶ " } else { "  " }),
            Span::styled(format!("{}{cursor}", clean(&f.value)), style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// Below 80×24: one clear message, nothing else (no half-drawn panes).
pub fn too_small(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let lang = app.lang();
    let text = vec![
        Line::from(Span::styled(tr(lang, T::TooSmallTitle), theme.warn())),
        Line::from(format!(
            "{} {}×{} ({} {}×{}).",
            lang.pick("encours a besoin d'au moins", "encours needs at least"),
            MIN_WIDTH,
            MIN_HEIGHT,
            lang.pick("ici", "this one is"),
            area.width,
            area.height
        )),
        Line::from(lang.pick(
            "Agrandissez la fenêtre ou réduisez la police ; q pour quitter.",
            "Enlarge the window or use a smaller font; q to quit.",
        )),
    ];
    let rect = area.centered_vertically(Constraint::Length(5.min(area.height)));
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}
