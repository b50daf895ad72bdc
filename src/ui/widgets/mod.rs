//! Drawing pieces shared by the screens.

pub mod ageing_bar;
pub mod cash_chart;
pub mod keybar;
pub mod overlay;

use super::theme::{MARKER, Theme};
use crate::app::Selection;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, HighlightSpacing, Paragraph, Row, Table, TableState, Wrap};

/// A bordered pane with a title.
pub fn pane<'a>(title: impl Into<Line<'a>>, theme: &Theme) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .border_style(theme.muted())
        .title(title.into().style(theme.title()))
}

/// Draws `table` (of `len` rows) with its selected line reversed and bold behind the `▶`
/// marker, scrolled so the selection stays in view without jumping (the offset is kept in
/// the selection between frames).
pub fn selectable_table(
    frame: &mut Frame,
    area: Rect,
    table: Table<'_>,
    len: usize,
    selection: &Selection,
    theme: &Theme,
) {
    let table = table
        .column_spacing(1)
        .row_highlight_style(theme.selected())
        .highlight_symbol(MARKER)
        .highlight_spacing(HighlightSpacing::Always);
    let selected = (len > 0).then(|| selection.index.min(len - 1));
    let mut state = TableState::new()
        .with_offset(selection.offset.get().min(len.saturating_sub(1)))
        .with_selected(selected);
    frame.render_stateful_widget(table, area, &mut state);
    selection.offset.set(state.offset());
}

/// A table with a bold header row.
pub fn table<'a>(
    rows: Vec<Row<'a>>,
    widths: Vec<Constraint>,
    header: Row<'a>,
    theme: &Theme,
) -> Table<'a> {
    Table::new(rows, widths).header(header.style(theme.header()))
}

/// A line of text for a notice in an empty pane.
pub fn message<'a>(text: impl Into<String>, style: Style) -> Paragraph<'a> {
    Paragraph::new(Line::from(Span::styled(text.into(), style))).wrap(Wrap { trim: true })
}

/// `label value` pairs on one line, labels muted.
pub fn pairs<'a>(items: Vec<(String, String, Style)>, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    for (i, (label, value, style)) in items.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        if !label.is_empty() {
            spans.push(Span::styled(format!("{label} "), theme.muted()));
        }
        spans.push(Span::styled(value, style));
    }
    Line::from(spans)
}

/// Like `pairs`, leaving out the items that would not fit in `width` whole.
pub fn pairs_fit<'a>(items: Vec<(String, String, Style)>, theme: &Theme, width: u16) -> Line<'a> {
    let mut used = 0;
    let mut kept = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let len = item.0.chars().count() + item.1.chars().count() + if i > 0 { 3 } else { 1 };
        if i > 0 && used + len > usize::from(width) {
            break;
        }
        used += len;
        kept.push(item);
    }
    pairs(kept, theme)
}

/// Right-aligned cell text.
pub fn right<'a>(s: String) -> Line<'a> {
    Line::from(s).right_aligned()
}
