//! The cash forecast: the chart (daily then weekly), the table, the risk periods with their
//! causes, and the customers whose receipts can be pushed to see the effect at once.

use super::{empty, loading};
use crate::app::screens::LowerPane;
use crate::app::views::ForecastView;
use crate::ui::Ctx;
use crate::ui::format::clean;
use crate::ui::text::{T, tr};
use crate::ui::widgets::cash_chart::CashChart;
use crate::ui::widgets::{pairs_fit, pane, right, selectable_table, table, window};
use crate::ui::words;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let lang = ctx.app.lang();
    let t = &ctx.theme;
    let scenario = words::scenario(lang, ctx.app.screens.forecast.request.scenario);
    let block = pane(
        format!(
            "{} · {} {}",
            tr(lang, T::TabForecast),
            tr(lang, T::Scenario),
            scenario
        ),
        t,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(f) = &ctx.app.data.forecast else {
        return loading(frame, inner, ctx);
    };
    let [summary, rest] = inner.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    summary_line(frame, summary, ctx, f);
    if f.points.is_empty() {
        return empty(frame, rest, ctx, f.notice, T::Empty);
    }
    let chart_h = if rest.height >= 30 {
        rest.height * 45 / 100
    } else {
        8.min(rest.height / 2)
    };
    let [chart, lower] = rest.layout(&Layout::vertical([
        Constraint::Length(chart_h),
        Constraint::Fill(1),
    ]));
    frame.render_widget(
        CashChart {
            points: &f.points,
            threshold: f.threshold,
            weekly: false,
            theme: t,
            fmt: ctx.fmt,
        },
        chart,
    );
    if lower.width >= 110 {
        let [a, b, c] = lower.layout(&Layout::horizontal([
            Constraint::Fill(4),
            Constraint::Fill(3),
            Constraint::Fill(3),
        ]));
        points_table(frame, a, ctx, f);
        risks(frame, b, ctx, f);
        customers(frame, c, ctx, f);
    } else {
        match ctx.app.screens.forecast.pane {
            LowerPane::Table => points_table(frame, lower, ctx, f),
            LowerPane::RiskPeriods => risks(frame, lower, ctx, f),
            LowerPane::Customers => customers(frame, lower, ctx, f),
        }
    }
}

fn summary_line(frame: &mut Frame, area: Rect, ctx: &Ctx, f: &ForecastView) {
    let lang = ctx.app.lang();
    let (t, fm) = (&ctx.theme, &ctx.fmt);
    let mut items = vec![(
        tr(lang, T::Opening).to_string(),
        match f.opening_date {
            Some(d) => format!("{} ({})", fm.money_short(f.opening), fm.day(d)),
            None => "—".into(),
        },
        t.base(),
    )];
    if let Some((d, v)) = f.lowest {
        items.push((
            format!("▼ {}", tr(lang, T::Lowest)),
            format!("{} {}", fm.day(d), fm.money_short(v)),
            if v < f.threshold {
                t.danger()
            } else {
                t.base()
            },
        ));
    }
    items.push((
        format!("┈ {}", tr(lang, T::Threshold)),
        fm.money_short(f.threshold),
        t.warn(),
    ));
    if f.uncertain > rust_decimal::Decimal::ZERO {
        items.push((
            tr(lang, T::Uncertain).into(),
            fm.money_short(f.uncertain),
            t.muted(),
        ));
    }
    frame.render_widget(Paragraph::new(pairs_fit(items, t, area.width)), area);
}

fn points_table(frame: &mut Frame, area: Rect, ctx: &Ctx, f: &ForecastView) {
    let lang = ctx.app.lang();
    let (t, fm) = (&ctx.theme, &ctx.fmt);
    let header = Row::new(vec![
        Line::from(tr(lang, T::Period)),
        right(tr(lang, T::Inflow).into()),
        right(tr(lang, T::Outflow).into()),
        right(tr(lang, T::Balance).into()),
    ]);
    let rows: Vec<Row> = f
        .points
        .iter()
        .map(|p| {
            let period = if p.start == p.end {
                fm.day(p.start)
            } else {
                format!("{}–{}", fm.day(p.start), fm.day(p.end))
            };
            let style = if p.balance < f.threshold {
                t.danger()
            } else {
                t.base()
            };
            Row::new(vec![
                Line::from(period),
                right(fm.money_short(p.inflow)),
                right(fm.money_short(-p.outflow)),
                right(fm.money_short(p.balance)).style(style),
            ])
        })
        .collect();
    let widths = vec![
        Constraint::Length(11),
        Constraint::Fill(1),
        Constraint::Fill(1),
        Constraint::Fill(1),
    ];
    let block = pane(tr(lang, T::Balance), t);
    frame.render_widget(table(rows, widths, header, t).block(block), area);
}

fn risks(frame: &mut Frame, area: Rect, ctx: &Ctx, f: &ForecastView) {
    let lang = ctx.app.lang();
    let (t, fm) = (&ctx.theme, &ctx.fmt);
    let block = pane(
        format!("{} · {}", tr(lang, T::RiskPeriods), f.risk_periods.len()),
        t,
    );
    let mut lines = Vec::new();
    for r in &f.risk_periods {
        lines.push(Line::from(vec![
            Span::styled(
                format!("{}–{} ", fm.day(r.start), fm.day(r.end)),
                t.danger(),
            ),
            Span::raw(fm.money_short(r.lowest)),
        ]));
        for c in &r.causes {
            lines.push(Line::from(format!("  • {}", clean(c))));
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(tr(lang, T::NoRisk), t.good())));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}

fn customers(frame: &mut Frame, area: Rect, ctx: &Ctx, f: &ForecastView) {
    let lang = ctx.app.lang();
    let (t, fm) = (&ctx.theme, &ctx.fmt);
    let selection = &ctx.app.screens.forecast.selection;
    // The pane's borders take two lines.
    let shown = window(area.height.saturating_sub(2), f.inflows.len(), selection);
    let rows: Vec<Row> = f.inflows[shown.clone()]
        .iter()
        .map(|i| {
            let pushed = i.pushed_days.map(|d| format!("+{d}")).unwrap_or_default();
            Row::new(vec![
                Line::from(clean(&i.name)),
                right(fm.money_short(i.amount)),
                right(fm.day(i.expected)),
                Line::from(Span::styled(pushed, t.warn())),
            ])
        })
        .collect();
    let widths = vec![
        Constraint::Min(8),
        Constraint::Length(9),
        Constraint::Length(5),
        Constraint::Length(3),
    ];
    let title = match f.request.pushed.len() {
        0 => tr(lang, T::ExpectedReceipts).to_string(),
        n => format!(
            "{} · {} {n}",
            tr(lang, T::ExpectedReceipts),
            tr(lang, T::Pushed)
        ),
    };
    let table = Table::new(rows, widths).block(pane(title, t));
    selectable_table(frame, area, table, shown, selection, t);
}
