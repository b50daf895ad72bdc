//! A customer's page: who to call, how much is owed and how late, the limit, the grade and
//! why, promises, disputes, penalties as of today, open invoices and the contact history.

use super::{grade_span, loading};
use crate::app::Selection;
use crate::app::views::{CustomerView, EventView, PromiseStatus};
use crate::domain::model::InvoiceKind;
use crate::ui::Ctx;
use crate::ui::format::clean;
use crate::ui::text::{T, tr};
use crate::ui::widgets::ageing_bar::AgeingBar;
use crate::ui::widgets::{pairs, pairs_fit, pane, right, selectable_table, table, window};
use crate::ui::words;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Wrap};

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    ctx: &Ctx,
    view: Option<&CustomerView>,
    selection: &Selection,
) {
    let lang = ctx.app.lang();
    let title = match view {
        Some(v) => format!(
            "{} · {} ({})",
            tr(lang, T::Customer),
            clean(&v.name),
            clean(&v.code)
        ),
        None => tr(lang, T::Customer).to_string(),
    };
    let block = pane(title, &ctx.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(v) = view else {
        return loading(frame, inner, ctx);
    };
    let big = inner.height >= 30;
    let [top, middle, bottom] = inner.layout(&Layout::vertical([
        Constraint::Length(if big { 6 } else { 4 }),
        Constraint::Length(if big { 6 } else { 3 }),
        Constraint::Fill(1),
    ]));
    let [id_area, money_area] =
        top.layout(&Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).spacing(2));
    identity(frame, id_area, ctx, v);
    money(frame, money_area, ctx, v);
    let [why, promises, disputes] = middle.layout(
        &Layout::horizontal([
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Fill(2),
        ])
        .spacing(2),
    );
    reasons(frame, why, ctx, v);
    promise_list(frame, promises, ctx, v);
    dispute_list(frame, disputes, ctx, v);
    let (inv_area, hist_area) = if inner.width >= 110 {
        let [a, b] = bottom
            .layout(&Layout::horizontal([Constraint::Fill(3), Constraint::Fill(2)]).spacing(2));
        (a, b)
    } else {
        let [a, b] = bottom.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Fill(1),
        ]));
        (a, b)
    };
    invoices(frame, inv_area, ctx, v, selection);
    history(frame, hist_area, ctx, &v.events, T::History);
}

fn identity(frame: &mut Frame, area: Rect, ctx: &Ctx, v: &CustomerView) {
    let lang = ctx.app.lang();
    let t = &ctx.theme;
    let c = &v.contact;
    let opt = |o: &Option<String>| o.as_deref().map(clean).unwrap_or_else(|| "—".into());
    let mut grade = vec![
        Span::styled(format!("{} ", tr(lang, T::Segment)), t.muted()),
        Span::raw(words::segment(lang, v.segment)),
        Span::styled(format!("  {} ", tr(lang, T::Terms)), t.muted()),
        Span::raw(
            v.terms_days
                .map(|d| ctx.fmt.days(i64::from(d)))
                .unwrap_or_else(|| "—".into()),
        ),
        Span::styled(format!("  {} ", tr(lang, T::Grade)), t.muted()),
        grade_span(ctx, v.grade),
    ];
    if let Some(s) = v.score {
        grade.push(Span::raw(format!(" ({s})")));
    }
    let lines = vec![
        pairs(
            vec![(tr(lang, T::Contact).into(), opt(&c.name), t.base())],
            t,
        ),
        pairs(vec![(tr(lang, T::Phone).into(), opt(&c.phone), t.key())], t),
        pairs(
            vec![(tr(lang, T::Email).into(), opt(&c.email), t.base())],
            t,
        ),
        Line::from(grade),
        pairs(vec![("SIREN".into(), opt(&v.siren), t.base())], t),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

fn money(frame: &mut Frame, area: Rect, ctx: &Ctx, v: &CustomerView) {
    let lang = ctx.app.lang();
    let (t, f) = (&ctx.theme, &ctx.fmt);
    let limit = match (v.credit_limit, v.limit_use_percent) {
        (Some(l), Some(p)) => (
            format!("{} ({p} % {})", f.money_short(l), tr(lang, T::LimitUse)),
            if p >= 100 {
                t.danger()
            } else if p >= 90 {
                t.warn()
            } else {
                t.base()
            },
        ),
        (Some(l), None) => (f.money_short(l), t.base()),
        (None, _) => (tr(lang, T::NoLimit).to_string(), t.muted()),
    };
    let interest = match v.penalties.interest {
        Some(i) => f.money_short(i),
        None => tr(lang, T::RatesNotConfigured).to_string(),
    };
    let lines = vec![
        pairs(
            vec![
                (
                    tr(lang, T::Exposure).into(),
                    f.money_short(v.exposure),
                    t.base(),
                ),
                (
                    tr(lang, T::Overdue).into(),
                    f.money_short(v.overdue),
                    if v.overdue > rust_decimal::Decimal::ZERO {
                        t.warn()
                    } else {
                        t.base()
                    },
                ),
            ],
            t,
        ),
        pairs(vec![(tr(lang, T::Limit).into(), limit.0, limit.1)], t),
        pairs_fit(
            vec![
                (
                    tr(lang, T::Indemnities).into(),
                    f.money_short(v.penalties.indemnities),
                    t.base(),
                ),
                (tr(lang, T::Interest).into(), interest, t.muted()),
            ],
            t,
            area.width,
        ),
    ];
    let [text, bar] = area.layout(&Layout::vertical([
        Constraint::Length(3),
        Constraint::Fill(1),
    ]));
    frame.render_widget(Paragraph::new(lines), text);
    frame.render_widget(
        AgeingBar {
            labels: &v.labels,
            buckets: &v.buckets,
            theme: t,
            fmt: ctx.fmt,
        },
        bar,
    );
}

fn titled<'a>(ctx: &Ctx, title: T, mut lines: Vec<Line<'a>>) -> Paragraph<'a> {
    lines.insert(
        0,
        Line::from(Span::styled(tr(ctx.app.lang(), title), ctx.theme.header())),
    );
    Paragraph::new(lines).wrap(Wrap { trim: true })
}

fn reasons(frame: &mut Frame, area: Rect, ctx: &Ctx, v: &CustomerView) {
    let lines = if v.reasons.is_empty() {
        vec![Line::from(Span::styled("—", ctx.theme.muted()))]
    } else {
        v.reasons
            .iter()
            .map(|r| Line::from(format!("• {}", clean(r))))
            .collect()
    };
    frame.render_widget(titled(ctx, T::Reasons, lines), area);
}

fn promise_list(frame: &mut Frame, area: Rect, ctx: &Ctx, v: &CustomerView) {
    let lang = ctx.app.lang();
    let lines = if v.promises.is_empty() {
        vec![Line::from(Span::styled("—", ctx.theme.muted()))]
    } else {
        v.promises
            .iter()
            .map(|p| {
                let style = match p.status {
                    PromiseStatus::Broken => ctx.theme.danger(),
                    PromiseStatus::Kept => ctx.theme.good(),
                    PromiseStatus::Pending => ctx.theme.base(),
                };
                Line::from(vec![
                    Span::raw(format!(
                        "{} {} ",
                        ctx.fmt.day(p.date),
                        ctx.fmt.money_short(p.amount)
                    )),
                    Span::styled(words::promise_status(lang, p.status), style),
                ])
            })
            .collect()
    };
    frame.render_widget(titled(ctx, T::Promises, lines), area);
}

fn dispute_list(frame: &mut Frame, area: Rect, ctx: &Ctx, v: &CustomerView) {
    let lang = ctx.app.lang();
    let lines = if v.disputes.is_empty() {
        vec![Line::from(Span::styled("—", ctx.theme.muted()))]
    } else {
        v.disputes
            .iter()
            .map(|d| {
                let what = if d.invoice_number.is_empty() {
                    tr(lang, T::WholeAccount).to_string()
                } else {
                    clean(&d.invoice_number)
                };
                Line::from(vec![
                    Span::styled(
                        format!("{what} {} ", ctx.fmt.money_short(d.open)),
                        ctx.theme.warn(),
                    ),
                    Span::styled(clean(&d.reason), ctx.theme.muted()),
                ])
            })
            .collect()
    };
    frame.render_widget(titled(ctx, T::Disputes, lines), area);
}

fn invoices(frame: &mut Frame, area: Rect, ctx: &Ctx, v: &CustomerView, selection: &Selection) {
    let lang = ctx.app.lang();
    let f = &ctx.fmt;
    let header = Row::new(vec![
        Line::from(tr(lang, T::OpenInvoices)),
        right(tr(lang, T::Due).into()),
        right(tr(lang, T::Amount).into()),
        right(tr(lang, T::Remaining).into()),
        right(tr(lang, T::Late).into()),
    ]);
    // One line for the header.
    let shown = window(
        area.height.saturating_sub(1),
        v.open_invoices.len(),
        selection,
    );
    let rows: Vec<Row> = v.open_invoices[shown.clone()]
        .iter()
        .map(|i| {
            let mut number = clean(&i.number);
            if i.kind == InvoiceKind::CreditNote {
                number = format!("{number} ({})", tr(lang, T::CreditNote));
            }
            if i.disputed {
                number = format!("{number} [{}]", tr(lang, T::Disputed));
            }
            let late_style = if i.days_late > 0 {
                ctx.theme.warn()
            } else {
                ctx.theme.muted()
            };
            Row::new(vec![
                Line::from(number),
                right(f.day(i.due_date)),
                right(f.money_short(i.amount)),
                right(f.money_short(i.open)),
                right(if i.days_late > 0 {
                    f.days(i.days_late)
                } else {
                    String::new()
                })
                .style(late_style),
            ])
        })
        .collect();
    let widths = vec![
        Constraint::Fill(1),
        Constraint::Length(8),
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Length(6),
    ];
    selectable_table(
        frame,
        area,
        table(rows, widths, header, &ctx.theme),
        shown,
        selection,
        &ctx.theme,
    );
}

/// The event log, newest first; undone outcomes are kept and marked.
pub fn history(frame: &mut Frame, area: Rect, ctx: &Ctx, events: &[EventView], title: T) {
    let lang = ctx.app.lang();
    let f = &ctx.fmt;
    let mut lines = Vec::new();
    for e in events {
        let mut spans = vec![
            Span::styled(format!("{} ", f.stamp(e.at)), ctx.theme.muted()),
            Span::styled(
                format!("{} ", words::event_kind(lang, &e.kind)),
                ctx.theme.base(),
            ),
        ];
        if let Some(a) = e.amount {
            spans.push(Span::raw(format!("{} ", f.money_short(a))));
        }
        if let Some(d) = e.date {
            spans.push(Span::raw(format!("→ {} ", f.date(d))));
        }
        if !e.text.is_empty() {
            spans.push(Span::raw(format!("{} ", clean(&e.text))));
        }
        spans.push(Span::styled(
            format!("({})", clean(&e.who)),
            ctx.theme.muted(),
        ));
        if e.undone {
            spans.push(Span::styled(
                format!(" [{}]", tr(lang, T::Undone)),
                ctx.theme.warn(),
            ));
        }
        lines.push(Line::from(spans));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("—", ctx.theme.muted())));
    }
    frame.render_widget(titled(ctx, title, lines), area);
}
