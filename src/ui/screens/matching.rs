//! Bank credits no rule could allocate, with the suggestion on show and why it scores.

use super::{empty, loading};
use crate::app::screens::current_match;
use crate::domain::matching::words::component_words;
use crate::ui::Ctx;
use crate::ui::format::clean;
use crate::ui::text::{T, tr};
use crate::ui::widgets::{pairs, pane, right, selectable_table, table, window};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let lang = ctx.app.lang();
    let (t, f) = (&ctx.theme, &ctx.fmt);
    let Some(m) = &ctx.app.data.matching else {
        let block = pane(tr(lang, T::TabMatching), t);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        return loading(frame, inner, ctx);
    };
    let (list_area, detail_area) = if area.width >= 110 {
        let [a, b] = area.layout(&Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Fill(1),
        ]));
        (a, b)
    } else {
        let rows = (m.rows.len() as u16 + 4).clamp(5, area.height / 2);
        let [a, b] = area.layout(&Layout::vertical([
            Constraint::Length(rows),
            Constraint::Fill(1),
        ]));
        (a, b)
    };
    let block = pane(
        format!("{} · {}", tr(lang, T::TabMatching), m.rows.len()),
        t,
    );
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    let (body, note) = match m.notice {
        Some(_) if !m.rows.is_empty() => {
            let [a, b] = inner.layout(&Layout::vertical([
                Constraint::Fill(1),
                Constraint::Length(1),
            ]));
            (a, Some(b))
        }
        _ => (inner, None),
    };
    if m.rows.is_empty() {
        return empty(frame, inner, ctx, m.notice, T::Empty);
    }
    if let (Some(area), Some(n)) = (note, m.notice) {
        frame.render_widget(
            Paragraph::new(Span::styled(crate::ui::words::notice(lang, n), t.muted())),
            area,
        );
    }
    let header = Row::new(vec![
        Line::from(tr(lang, T::Date)),
        right(tr(lang, T::Amount).into()),
        Line::from(tr(lang, T::Payer)),
        right(tr(lang, T::Score).into()),
    ]);
    let selection = &ctx.app.screens.matching.selection;
    let shown = window(body.height.saturating_sub(1), m.rows.len(), selection);
    let rows: Vec<Row> = m.rows[shown.clone()]
        .iter()
        .map(|r| {
            let best = match r.suggestions.first() {
                Some(s) => s.score.to_string(),
                // Worked out a page at a time: on their way.
                None if !r.suggested => "…".into(),
                None => "—".into(),
            };
            Row::new(vec![
                Line::from(f.date(r.date)),
                right(f.money(r.amount)),
                Line::from(r.payer.as_deref().map(clean).unwrap_or_else(|| "—".into())),
                right(best),
            ])
        })
        .collect();
    let widths = vec![
        Constraint::Length(10),
        Constraint::Length(13),
        Constraint::Fill(1),
        Constraint::Length(5),
    ];
    selectable_table(
        frame,
        body,
        table(rows, widths, header, t),
        shown,
        selection,
        t,
    );

    let Some((row, suggestion)) = current_match(ctx.app) else {
        return;
    };
    let n = row.suggestions.len();
    let title = match suggestion {
        Some(_) => format!(
            "{} {}/{}",
            tr(lang, T::Suggestion),
            ctx.app.screens.matching.suggestion.min(n - 1) + 1,
            n
        ),
        None => tr(lang, T::Suggestion).to_string(),
    };
    let block = pane(title, t);
    let inner = block.inner(detail_area);
    frame.render_widget(block, detail_area);
    let mut lines = vec![
        pairs(
            vec![
                (tr(lang, T::Amount).into(), f.money(row.amount), t.base()),
                (tr(lang, T::Left).into(), f.money(row.unallocated), t.warn()),
            ],
            t,
        ),
        pairs(
            vec![(
                "IBAN".into(),
                row.iban.as_deref().map(clean).unwrap_or_else(|| "—".into()),
                t.base(),
            )],
            t,
        ),
        pairs(
            vec![(tr(lang, T::Text).into(), clean(&row.remittance), t.base())],
            t,
        ),
        Line::raw(""),
    ];
    match suggestion {
        None if !row.suggested => {
            lines.push(Line::from(Span::styled(tr(lang, T::Loading), t.muted())))
        }
        None => lines.push(Line::from(Span::styled(
            tr(lang, T::NoSuggestion),
            t.muted(),
        ))),
        Some(s) => {
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", clean(&s.customer_name)), t.title()),
                Span::styled(format!("{} {}", tr(lang, T::Score), s.score), t.key()),
            ]));
            for (_, number, open) in &s.invoices {
                lines.push(Line::from(format!(
                    "  {:<14} {:>12}",
                    clean(number),
                    f.money(*open)
                )));
            }
            lines.push(Line::from(Span::styled(
                tr(lang, T::Components),
                t.header(),
            )));
            for (points, words) in component_words(s.components, lang) {
                let style = if points == 0 { t.muted() } else { t.good() };
                lines.push(Line::from(vec![
                    Span::styled(format!("  {points:>+4} "), style),
                    Span::raw(words),
                ]));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
