//! The ageing table per customer: sorted, filtered, every bucket when the width allows.

use super::{empty, grade_span, loading};
use crate::app::screens::visible_rows;
use crate::ui::Ctx;
use crate::ui::format::clean;
use crate::ui::text::{T, tr};
use crate::ui::widgets::{pairs, pane, right, selectable_table, table, window};
use crate::ui::words;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row};

pub fn draw(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let lang = ctx.app.lang();
    let state = &ctx.app.screens.receivables;
    let block = pane(tr(lang, T::TabReceivables), &ctx.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(view) = &ctx.app.data.receivables else {
        return loading(frame, inner, ctx);
    };
    let rows = visible_rows(view, state);
    let [info, body, total] = inner.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    let arrow = if state.reversed { "↑" } else { "↓" };
    let mut items = vec![(
        tr(lang, T::SortedBy).to_string(),
        format!("{} {arrow}", words::sort(lang, state.sort)),
        ctx.theme.base(),
    )];
    if !state.filter.is_empty() {
        items.push((
            tr(lang, T::Filter).to_string(),
            format!("\"{}\"", clean(&state.filter)),
            ctx.theme.key(),
        ));
    }
    items.push((
        String::new(),
        format!("{}/{}", rows.len(), view.rows.len()),
        ctx.theme.muted(),
    ));
    frame.render_widget(Paragraph::new(pairs(items, &ctx.theme)), info);
    if rows.is_empty() {
        return empty(frame, body, ctx, None, T::Empty);
    }
    // Every bucket on wide terminals; on 80 columns the totals and the oldest delay only.
    let with_buckets = inner.width >= 112;
    let money_w = if with_buckets { 9 } else { 11 };
    let mut widths = vec![
        Constraint::Length(8),
        Constraint::Min(16),
        Constraint::Length(money_w),
        Constraint::Length(money_w),
    ];
    let mut header = vec![
        Line::from(tr(lang, T::Code)),
        Line::from(tr(lang, T::Customer)),
        right(tr(lang, T::Open).into()),
        right(tr(lang, T::Overdue).into()),
    ];
    if with_buckets {
        for label in &view.labels {
            widths.push(Constraint::Length(9));
            header.push(right(words::bucket(lang, label)));
        }
    }
    widths.extend([Constraint::Length(7), Constraint::Length(5)]);
    header.push(right(tr(lang, T::Oldest).into()));
    header.push(Line::from(tr(lang, T::Grade)));
    let f = &ctx.fmt;
    let shown = window(body.height.saturating_sub(1), rows.len(), &state.selection);
    let table_rows: Vec<Row> = rows[shown.clone()]
        .iter()
        .map(|r| {
            let mut cells = vec![
                Line::from(clean(&r.code)),
                Line::from(clean(&r.name)),
                right(f.money_short(r.open)),
                right(f.money_short(r.overdue)).style(if r.overdue > rust_decimal::Decimal::ZERO {
                    ctx.theme.warn()
                } else {
                    ctx.theme.base()
                }),
            ];
            if with_buckets {
                cells.extend(r.buckets.iter().map(|b| right(f.money_short(*b))));
            }
            cells.push(right(if r.oldest_days_late > 0 {
                f.days(r.oldest_days_late)
            } else {
                String::new()
            }));
            cells.push(Line::from(grade_span(ctx, r.grade)));
            Row::new(cells)
        })
        .collect();
    selectable_table(
        frame,
        body,
        table(table_rows, widths, Row::new(header), &ctx.theme),
        shown,
        &state.selection,
        &ctx.theme,
    );
    let mut t = vec![
        (
            tr(lang, T::Total).to_string(),
            String::new(),
            ctx.theme.base(),
        ),
        (
            tr(lang, T::Open).to_string(),
            f.money_short(view.total_open),
            ctx.theme.base(),
        ),
        (
            tr(lang, T::Overdue).to_string(),
            f.money_short(view.total_overdue),
            ctx.theme.warn(),
        ),
    ];
    if with_buckets {
        for (label, amount) in view.labels.iter().zip(&view.total_buckets) {
            t.push((
                words::bucket(lang, label),
                f.money_short(*amount),
                ctx.theme.base(),
            ));
        }
    }
    frame.render_widget(Paragraph::new(pairs(t, &ctx.theme)), total);
}
