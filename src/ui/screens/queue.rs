//! The call list: today's lines in order, and for the selected one who to call, what is owed,
//! why, and what to say.

use super::{grade_span, loading};
use crate::app::views::{QueueLine, QueueView};
use crate::ui::Ctx;
use crate::ui::format::clean;
use crate::ui::text::{T, tr};
use crate::ui::widgets::{pairs, pane, right, selectable_table, table, window};
use crate::ui::words;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let lang = ctx.app.lang();
    let t = &ctx.theme;
    let Some(q) = &ctx.app.data.queue else {
        let block = pane(tr(lang, T::TodaysReminders), t);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        return loading(frame, inner, ctx);
    };
    let wide = area.width >= 110;
    let (list_area, detail_area) = if q.lines.is_empty() {
        (area, Rect::default())
    } else if wide {
        let [a, b] = area.layout(&Layout::horizontal([
            Constraint::Fill(3),
            Constraint::Fill(2),
        ]));
        (a, b)
    } else {
        let rows = (q.lines.len() as u16 + 4).clamp(5, area.height / 2);
        let [a, b] = area.layout(&Layout::vertical([
            Constraint::Length(rows),
            Constraint::Fill(1),
        ]));
        (a, b)
    };
    let title = format!(
        "{} · {} {} · {} {}",
        tr(lang, T::TodaysReminders),
        q.lines.len(),
        tr(lang, T::Lines),
        ctx.fmt.money_short(q.at_stake()),
        tr(lang, T::AtStake)
    );
    let block = pane(title, t);
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    list(frame, inner, ctx, q);
    let selected = q.lines.get(
        ctx.app
            .screens
            .queue
            .index
            .min(q.lines.len().saturating_sub(1)),
    );
    let block = pane(selected.map(|l| clean(&l.name)).unwrap_or_default(), t);
    let inner = block.inner(detail_area);
    frame.render_widget(block, detail_area);
    if let Some(l) = selected {
        detail(frame, inner, ctx, l);
    }
}

fn list(frame: &mut Frame, area: Rect, ctx: &Ctx, q: &QueueView) {
    let lang = ctx.app.lang();
    let (t, f) = (&ctx.theme, &ctx.fmt);
    let gate = u16::from(q.stale_bank_data.is_some());
    let apart = u16::from(!q.disputed.is_empty());
    let [gate_area, table_area, apart_area] = area.layout(&Layout::vertical([
        Constraint::Length(gate * 2),
        Constraint::Fill(1),
        Constraint::Length(apart),
    ]));
    if let Some(d) = q.stale_bank_data {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                format!("⚠ {} {}", tr(lang, T::StaleGate), f.date(d)),
                t.warn(),
            )))
            .wrap(Wrap { trim: true }),
            gate_area,
        );
    }
    if q.lines.is_empty() {
        let text = match q.notice {
            Some(n) => words::notice(lang, n),
            None => tr(lang, T::QueueDone),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, t.muted())).wrap(Wrap { trim: true }),
            table_area,
        );
    } else {
        let header = Row::new(vec![
            Line::from(tr(lang, T::Customer)),
            Line::from(tr(lang, T::Level)),
            right(tr(lang, T::AtStake).into()),
            right(tr(lang, T::Late).into()),
            Line::from(tr(lang, T::Grade)),
        ]);
        let selection = &ctx.app.screens.queue;
        let shown = window(
            table_area.height.saturating_sub(1),
            q.lines.len(),
            selection,
        );
        let rows: Vec<Row> = q.lines[shown.clone()]
            .iter()
            .map(|l| {
                let late = l.invoices.iter().map(|i| i.days_late).max().unwrap_or(0);
                Row::new(vec![
                    Line::from(clean(&l.name)),
                    Line::from(format!("{} {}", l.level, words::channel(lang, l.channel))),
                    right(f.money_short(l.at_stake)),
                    right(f.days(late)),
                    Line::from(grade_span(ctx, l.grade)),
                ])
            })
            .collect();
        let widths = vec![
            Constraint::Fill(1),
            Constraint::Length(13),
            Constraint::Length(10),
            Constraint::Length(6),
            Constraint::Length(5),
        ];
        selectable_table(
            frame,
            table_area,
            table(rows, widths, header, t),
            shown,
            selection,
            t,
        );
    }
    if !q.disputed.is_empty() {
        let items: Vec<String> = q
            .disputed
            .iter()
            .map(|d| {
                format!(
                    "{} {} {}",
                    clean(&d.name),
                    clean(&d.number),
                    f.money_short(d.open)
                )
            })
            .collect();
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(format!("{}: ", tr(lang, T::DisputedApart)), t.muted()),
                Span::raw(items.join(" · ")),
            ])),
            apart_area,
        );
    }
}

fn detail(frame: &mut Frame, area: Rect, ctx: &Ctx, l: &QueueLine) {
    let lang = ctx.app.lang();
    let (t, f) = (&ctx.theme, &ctx.fmt);
    let opt = |o: &Option<String>| o.as_deref().map(clean).unwrap_or_else(|| "—".into());
    let mut lines = vec![
        pairs(
            vec![
                (tr(lang, T::Contact).into(), opt(&l.contact.name), t.base()),
                (tr(lang, T::Phone).into(), opt(&l.contact.phone), t.key()),
            ],
            t,
        ),
        pairs(
            vec![(tr(lang, T::Email).into(), opt(&l.contact.email), t.base())],
            t,
        ),
        pairs(
            vec![
                (
                    tr(lang, T::Level).into(),
                    format!("{} · {}", l.level, words::channel(lang, l.channel)),
                    t.base(),
                ),
                (tr(lang, T::Owner).into(), clean(&l.owner), t.base()),
            ],
            t,
        ),
        Line::from(Span::styled(clean(&l.reason), t.warn())),
    ];
    if let Some(d) = l.held_until {
        lines.push(Line::from(Span::styled(
            format!("{} {}", tr(lang, T::HeldUntil), f.date(d)),
            t.muted(),
        )));
    }
    if let Some(who) = &l.claimed_by {
        lines.push(Line::from(Span::styled(
            format!("{} {}", tr(lang, T::ClaimedBy), clean(who)),
            t.warn(),
        )));
    }
    for i in &l.invoices {
        lines.push(Line::from(vec![
            Span::raw(format!("  {:<14} ", clean(&i.number))),
            Span::raw(format!("{:>11} ", f.money(i.open))),
            Span::styled(
                f.days(i.days_late),
                if i.days_late > 0 { t.warn() } else { t.muted() },
            ),
        ]));
    }
    lines.push(Line::from(Span::styled(tr(lang, T::Script), t.header())));
    // The script is written line by line (numbered steps): keep its lines.
    lines.extend(l.script.lines().map(|line| Line::from(clean(line))));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
