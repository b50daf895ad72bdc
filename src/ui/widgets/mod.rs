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
use std::ops::Range;

/// A bordered pane with a title.
pub fn pane<'a>(title: impl Into<Line<'a>>, theme: &Theme) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .border_style(theme.muted())
        .title(title.into().style(theme.title()))
}

/// Which rows of a `len`-row list a table with `lines` lines for rows (its header and
/// borders left out) shows:
/// scrolled as little as needed to keep the selection in view, so it does not jump (the
/// offset is kept in the selection between frames). Screens build only these rows: a
/// 20,000-customer list costs a screenful per frame, not 20,000 rows.
pub fn window(lines: u16, len: usize, selection: &Selection) -> Range<usize> {
    let visible = usize::from(lines).max(1);
    if len == 0 {
        selection.offset.set(0);
        return 0..0;
    }
    let selected = selection.index.min(len - 1);
    let mut offset = selection.offset.get();
    if selected < offset {
        offset = selected;
    } else if selected >= offset + visible {
        offset = selected + 1 - visible;
    }
    // A list that shrank under the offset shows its tail rather than blank lines.
    offset = offset.min(len.saturating_sub(visible));
    selection.offset.set(offset);
    offset..(offset + visible).min(len)
}

/// Draws `table`, whose rows are those of `shown` (from [`window`]), with the selected line
/// reversed and bold behind the `▶` marker.
pub fn selectable_table(
    frame: &mut Frame,
    area: Rect,
    table: Table<'_>,
    shown: Range<usize>,
    selection: &Selection,
    theme: &Theme,
) {
    let table = table
        .column_spacing(1)
        .row_highlight_style(theme.selected())
        .highlight_symbol(MARKER)
        .highlight_spacing(HighlightSpacing::Always);
    // `window` put the selection in `shown`; past the end means the list shrank under it.
    let selected = (!shown.is_empty())
        .then(|| selection.index.clamp(shown.start, shown.end - 1) - shown.start);
    let mut state = TableState::new().with_selected(selected);
    frame.render_stateful_widget(table, area, &mut state);
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

#[cfg(test)]
mod window_tests {
    use super::window;
    use crate::app::Selection;

    fn at(index: usize) -> Selection {
        Selection {
            index,
            ..Selection::default()
        }
    }

    #[test]
    fn the_window_follows_the_selection_without_jumping() {
        let mut s = at(0);
        assert_eq!(window(5, 100, &s), 0..5);
        s.index = 4;
        assert_eq!(window(5, 100, &s), 0..5, "still in view: no scroll");
        s.index = 5;
        assert_eq!(
            window(5, 100, &s),
            1..6,
            "one line past the bottom: one line of scroll"
        );
        s.index = 3;
        assert_eq!(
            window(5, 100, &s),
            1..6,
            "back up inside the view: no scroll"
        );
        s.index = 99;
        assert_eq!(window(5, 100, &s), 95..100);
        s.index = 0;
        assert_eq!(window(5, 100, &s), 0..5);
    }

    #[test]
    fn a_list_that_shrinks_or_is_short_shows_no_blank_tail() {
        let s = at(50);
        assert_eq!(window(10, 100, &s), 41..51);
        // Reloaded with 20 rows: the selection is clamped and the tail fills the view.
        assert_eq!(window(10, 20, &s), 10..20);
        assert_eq!(window(10, 3, &at(0)), 0..3);
        assert_eq!(window(10, 0, &at(0)), 0..0);
        assert_eq!(
            window(0, 5, &at(2)),
            2..3,
            "a one-line table still shows the selection"
        );
    }
}
