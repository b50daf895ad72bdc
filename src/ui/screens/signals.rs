//! Customers by risk grade, each with the signals that put it there, and its limit use.

use super::{empty, grade_span, loading};
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
    let Some(s) = &ctx.app.data.signals else {
        let block = pane(tr(lang, T::WeakSignals), t);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        return loading(frame, inner, ctx);
    };
    let wide = area.width >= 110;
    let (list_area, detail_area) = if wide {
        let [a, b] = area.layout(&Layout::horizontal([
            Constraint::Fill(3),
            Constraint::Fill(2),
        ]));
        (a, b)
    } else {
        let rows = (s.rows.len() as u16 + 4).clamp(5, area.height / 2);
        let [a, b] = area.layout(&Layout::vertical([
            Constraint::Length(rows),
            Constraint::Fill(1),
        ]));
        (a, b)
    };
    let block = pane(
        format!("{} · {}", tr(lang, T::WeakSignals), s.rows.len()),
        t,
    );
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    if s.rows.is_empty() {
        return empty(frame, inner, ctx, s.notice, T::Empty);
    }
    let header = Row::new(vec![
        Line::from(tr(lang, T::Grade)),
        right(tr(lang, T::Score).into()),
        Line::from(tr(lang, T::Customer)),
        Line::from(tr(lang, T::MainReason)),
        right(tr(lang, T::LimitUse).into()),
    ]);
    let selection = &ctx.app.screens.signals;
    let shown = window(inner.height.saturating_sub(1), s.rows.len(), selection);
    let rows: Vec<Row> = s.rows[shown.clone()]
        .iter()
        .map(|r| {
            let use_style = match r.limit_use_percent {
                Some(p) if p >= 100 => t.danger(),
                Some(p) if p >= 90 => t.warn(),
                _ => t.base(),
            };
            Row::new(vec![
                Line::from(grade_span(ctx, Some(r.grade))),
                right(r.score.to_string()),
                Line::from(clean(&r.name)),
                Line::from(clean(&r.main_reason)),
                right(
                    r.limit_use_percent
                        .map(|p| format!("{p} %"))
                        .unwrap_or_else(|| "—".into()),
                )
                .style(use_style),
            ])
        })
        .collect();
    let widths = vec![
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Length(if wide { 24 } else { 20 }),
        Constraint::Fill(1),
        Constraint::Length(7),
    ];
    selectable_table(
        frame,
        inner,
        table(rows, widths, header, t),
        shown,
        selection,
        t,
    );

    let selected = s
        .rows
        .get(ctx.app.screens.signals.index.min(s.rows.len() - 1));
    let title = selected.map(|r| clean(&r.name)).unwrap_or_default();
    let block = pane(format!("{} · {}", tr(lang, T::EverySignal), title), t);
    let inner = block.inner(detail_area);
    frame.render_widget(block, detail_area);
    let Some(r) = selected else { return };
    let mut lines = vec![pairs(
        vec![
            (
                tr(lang, T::Exposure).into(),
                f.money_short(r.exposure),
                t.base(),
            ),
            (
                tr(lang, T::Limit).into(),
                r.credit_limit
                    .map(|l| f.money_short(l))
                    .unwrap_or_else(|| tr(lang, T::NoLimit).into()),
                t.base(),
            ),
        ],
        t,
    )];
    for reason in &r.reasons {
        lines.push(Line::from(vec![
            Span::styled("• ", t.warn()),
            Span::raw(clean(reason)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}
