//! The morning picture: receivables, weak signals, today's queue and the cash forecast, four
//! panes at once; on 80×24 each pane summarises.

use super::{empty, grade_span, loading};
use crate::ui::Ctx;
use crate::ui::format::clean;
use crate::ui::text::{T, tr};
use crate::ui::widgets::ageing_bar::AgeingBar;
use crate::ui::widgets::cash_chart::CashChart;
use crate::ui::widgets::{pairs, pane, right, selectable_table, window};
use crate::ui::words;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};

pub fn draw(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let [top, bottom] = area.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Fill(1),
    ]));
    let [ageing, signals] = top.layout(&Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Fill(1),
    ]));
    let [queue, forecast] = bottom.layout(&Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Fill(1),
    ]));
    draw_ageing(frame, ageing, ctx);
    draw_signals(frame, signals, ctx);
    draw_queue(frame, queue, ctx);
    draw_forecast(frame, forecast, ctx);
}

fn draw_ageing(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let lang = ctx.app.lang();
    let block = pane(tr(lang, T::AgedReceivables), &ctx.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(o) = &ctx.app.data.overview else {
        return loading(frame, inner, ctx);
    };
    let a = &o.ageing;
    if a.invoices == 0 {
        return empty(frame, inner, ctx, o.notice, T::Empty);
    }
    let [figures, bar, list] = inner.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(crate::ui::widgets::ageing_bar::height(
            inner.width,
            a.buckets.len(),
        )),
        Constraint::Fill(1),
    ]));
    let overdue_style = if a.overdue > rust_decimal::Decimal::ZERO {
        ctx.theme.warn()
    } else {
        ctx.theme.base()
    };
    frame.render_widget(
        Paragraph::new(pairs(
            vec![
                (
                    tr(lang, T::Open).into(),
                    ctx.fmt.money_short(a.open),
                    ctx.theme.base(),
                ),
                (
                    tr(lang, T::Overdue).into(),
                    ctx.fmt.money_short(a.overdue),
                    overdue_style,
                ),
            ],
            &ctx.theme,
        )),
        figures,
    );
    frame.render_widget(
        AgeingBar {
            labels: &a.labels,
            buckets: &a.buckets,
            theme: &ctx.theme,
            fmt: ctx.fmt,
        },
        bar,
    );
    let selection = &ctx.app.screens.overview;
    let shown = window(
        list.height.saturating_sub(1),
        a.top_overdue.len(),
        selection,
    );
    let rows: Vec<Row> = a.top_overdue[shown.clone()]
        .iter()
        .map(|t| {
            Row::new(vec![
                Line::from(clean(&t.name)),
                right(ctx.fmt.money_short(t.overdue)),
                right(ctx.fmt.days(t.oldest_days_late)),
            ])
        })
        .collect();
    let table = Table::new(
        rows,
        vec![
            Constraint::Fill(1),
            Constraint::Length(10),
            Constraint::Length(6),
        ],
    )
    .header(Row::new(vec![tr(lang, T::TopOverdue).to_string()]).style(ctx.theme.header()));
    selectable_table(frame, list, table, shown, selection, &ctx.theme);
}

fn draw_signals(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let lang = ctx.app.lang();
    let title = match &ctx.app.data.signals {
        Some(s) if !s.rows.is_empty() => format!("{} · {}", tr(lang, T::WeakSignals), s.rows.len()),
        _ => tr(lang, T::WeakSignals).to_string(),
    };
    let block = pane(title, &ctx.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(s) = &ctx.app.data.signals else {
        return loading(frame, inner, ctx);
    };
    if s.rows.is_empty() {
        return empty(frame, inner, ctx, s.notice, T::Empty);
    }
    // A pane shows a screenful: 19,000 flagged customers must not be laid out per frame.
    let lines: Vec<Line> = s
        .rows
        .iter()
        .take(usize::from(inner.height))
        .map(|r| {
            Line::from(vec![
                grade_span(ctx, Some(r.grade)),
                Span::raw(" "),
                Span::styled(format!("{:<18.18} ", clean(&r.name)), ctx.theme.base()),
                Span::styled(clean(&r.main_reason), ctx.theme.muted()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_queue(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let lang = ctx.app.lang();
    let title = match &ctx.app.data.queue {
        Some(q) if !q.lines.is_empty() => format!(
            "{} · {} {} · {} {}",
            tr(lang, T::TodaysReminders),
            q.lines.len(),
            tr(lang, T::Lines),
            ctx.fmt.money_short(q.at_stake()),
            tr(lang, T::AtStake)
        ),
        _ => tr(lang, T::TodaysReminders).to_string(),
    };
    let block = pane(title, &ctx.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(q) = &ctx.app.data.queue else {
        return loading(frame, inner, ctx);
    };
    let mut lines = Vec::new();
    if let Some(d) = q.stale_bank_data {
        lines.push(Line::from(Span::styled(
            format!("{} {}", tr(lang, T::StaleGate), ctx.fmt.date(d)),
            ctx.theme.warn(),
        )));
    }
    if q.lines.is_empty() {
        let text = match q.notice {
            Some(n) => words::notice(lang, n),
            None => tr(lang, T::QueueDone),
        };
        lines.push(Line::from(Span::styled(text, ctx.theme.muted())));
    }
    if !q.disputed.is_empty() {
        let total: rust_decimal::Decimal = q.disputed.iter().map(|d| d.open).sum();
        lines.push(Line::from(Span::styled(
            format!(
                "{} : {} · {}",
                tr(lang, T::DisputedApart),
                q.disputed.len(),
                ctx.fmt.money_short(total)
            )
            .replace(" : ", lang.pick(" : ", ": ")),
            ctx.theme.muted(),
        )));
    }
    // With lines to call, the notes go under them; without, they are all there is.
    let notes = if q.lines.is_empty() {
        inner.height
    } else {
        lines.len() as u16
    };
    let [table_area, notes_area] = inner.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(notes),
    ]));
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
        notes_area,
    );
    let with_channel = inner.width >= 50;
    let rows: Vec<Row> = q
        .lines
        .iter()
        .take(usize::from(table_area.height))
        .map(|l| {
            let mut cells = vec![Line::from(clean(&l.name)), Line::from(l.level.to_string())];
            if with_channel {
                cells.push(Line::from(words::channel(lang, l.channel)));
            }
            cells.push(right(ctx.fmt.money_short(l.at_stake)));
            Row::new(cells)
        })
        .collect();
    let mut widths = vec![Constraint::Fill(1), Constraint::Length(1)];
    if with_channel {
        widths.push(Constraint::Length(11));
    }
    widths.push(Constraint::Length(9));
    frame.render_widget(Table::new(rows, widths), table_area);
}

fn draw_forecast(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let lang = ctx.app.lang();
    let title = match &ctx.app.data.forecast {
        Some(f) if !f.points.is_empty() => format!(
            "{} · ┈ {} {}",
            tr(lang, T::ForecastPane),
            tr(lang, T::Threshold),
            ctx.fmt.money_short(f.threshold)
        ),
        _ => tr(lang, T::ForecastPane).to_string(),
    };
    let block = pane(title, &ctx.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(f) = &ctx.app.data.forecast else {
        return loading(frame, inner, ctx);
    };
    if f.points.is_empty() {
        return empty(frame, inner, ctx, f.notice, T::Empty);
    }
    let [summary, chart] = inner.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    let mut items = Vec::new();
    if let Some((d, v)) = f.lowest {
        let style = if v < f.threshold {
            ctx.theme.danger()
        } else {
            ctx.theme.base()
        };
        items.push((
            format!("▼ {}", tr(lang, T::Lowest)),
            format!("{} {}", ctx.fmt.day(d), ctx.fmt.money_short(v)),
            style,
        ));
    }
    frame.render_widget(Paragraph::new(pairs(items, &ctx.theme)), summary);
    frame.render_widget(
        CashChart {
            points: &f.points,
            threshold: f.threshold,
            weekly: true,
            theme: &ctx.theme,
            fmt: ctx.fmt,
        },
        chart,
    );
}
