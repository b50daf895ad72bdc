//! The tab line, the headline figures and the status line.

use super::Ctx;
use super::format::clean;
use super::text::{T, tr};
use super::words;
use crate::app::views::Headline;
use crate::app::{Page, Tab};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn tabs(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let app = ctx.app;
    let mut spans = Vec::new();
    for (i, tab) in Tab::ALL.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        let label = format!("{} {}", i + 1, words::tab(app.lang(), *tab));
        let style = if *tab == app.tab {
            ctx.theme.tab_active()
        } else {
            ctx.theme.muted()
        };
        spans.push(Span::styled(label, style));
    }
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let date = ctx.fmt.date(app.cfg.today);
    if usize::from(area.width) > used + date.chars().count() + 2 {
        let pad = usize::from(area.width) - used - date.chars().count();
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(date, ctx.theme.title()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Net cash, DSO, overdue ratio and bank freshness: the four figures read first.
pub fn headline(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let lang = ctx.app.lang();
    let (t, f) = (&ctx.theme, &ctx.fmt);
    let h: Headline = ctx
        .app
        .data
        .overview
        .as_ref()
        .map(|o| o.headline.clone())
        .unwrap_or_default();
    let dash = || "—".to_string();
    let mut spans = vec![Span::styled(
        format!("{} ", tr(lang, T::NetCash)),
        t.muted(),
    )];
    match h.net_cash {
        Some(c) => spans.push(Span::styled(
            f.money_short(c),
            if c <= rust_decimal::Decimal::ZERO {
                t.danger()
            } else {
                t.base()
            },
        )),
        None => spans.push(Span::raw(dash())),
    }
    spans.push(Span::styled(format!("  {} ", tr(lang, T::Dso)), t.muted()));
    spans.push(Span::raw(
        h.dso_days
            .map(|d| format!("{} {}", f.decimal1(d), tr(lang, T::DaysShort)))
            .unwrap_or_else(dash),
    ));
    spans.push(Span::styled(
        format!("  {} ", tr(lang, T::OverdueRatio)),
        t.muted(),
    ));
    spans.push(Span::raw(
        h.overdue_percent.map(|p| f.percent(p)).unwrap_or_else(dash),
    ));
    spans.push(Span::raw("  "));
    let bank = match h.bank_as_of {
        Some(d) if h.bank_stale => Span::styled(
            format!(
                "{} {} ({})",
                tr(lang, T::BankAsOf),
                f.date(d),
                tr(lang, T::Stale)
            ),
            t.warn(),
        ),
        Some(d) => Span::styled(format!("{} {}", tr(lang, T::BankAsOf), f.date(d)), t.good()),
        None => Span::styled(tr(lang, T::NoBankData).to_string(), t.warn()),
    };
    spans.push(bank);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The last message, else where we are (breadcrumb); "loading…" while effects are pending.
pub fn status(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let app = ctx.app;
    let lang = app.lang();
    let mut spans = Vec::new();
    if app.pending > 0 {
        spans.push(Span::styled(
            format!("{} ", tr(lang, T::Loading)),
            ctx.theme.muted(),
        ));
    }
    if let Some(s) = &app.status {
        let (text, bad) = words::status(lang, s);
        spans.push(Span::styled(
            clean(&text),
            if bad {
                ctx.theme.danger()
            } else {
                ctx.theme.good()
            },
        ));
    } else {
        let mut crumbs = vec![words::tab(lang, app.tab).to_string()];
        for p in &app.pages {
            crumbs.push(match p {
                Page::Customer { view: Some(v), .. } => clean(&v.name),
                Page::Customer { .. } => tr(lang, T::Customer).to_string(),
                Page::Invoice { view: Some(v), .. } => clean(&v.number),
                Page::Invoice { .. } => tr(lang, T::Invoice).to_string(),
            });
        }
        spans.push(Span::styled(crumbs.join(" › "), ctx.theme.muted()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
