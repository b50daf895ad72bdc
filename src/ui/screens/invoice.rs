//! An invoice: its figures, every allocation (undone ones kept and marked), its history.

use super::loading;
use crate::app::views::InvoiceView;
use crate::domain::model::InvoiceKind;
use crate::ui::Ctx;
use crate::ui::format::clean;
use crate::ui::text::{T, tr};
use crate::ui::widgets::{pairs, pane};
use crate::ui::words;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, ctx: &Ctx, view: Option<&InvoiceView>, scroll: usize) {
    let lang = ctx.app.lang();
    let (t, f) = (&ctx.theme, &ctx.fmt);
    let title = match view {
        Some(v) => {
            let kind = if v.kind == InvoiceKind::CreditNote {
                T::CreditNote
            } else {
                T::Invoice
            };
            format!(
                "{} {} · {}",
                tr(lang, kind),
                clean(&v.number),
                clean(&v.customer_name)
            )
        }
        None => tr(lang, T::Invoice).to_string(),
    };
    let block = pane(title, t);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(v) = view else {
        return loading(frame, inner, ctx);
    };
    let due = if v.due_date_given {
        f.date(v.due_date)
    } else {
        format!("{} {}", f.date(v.due_date), tr(lang, T::DueFromTerms))
    };
    let late_style = if v.days_late > 0 && v.open > rust_decimal::Decimal::ZERO {
        t.warn()
    } else {
        t.base()
    };
    let mut lines = vec![
        pairs(
            vec![
                (tr(lang, T::Issued).into(), f.date(v.issue_date), t.base()),
                (tr(lang, T::Due).into(), due, t.base()),
                (
                    tr(lang, T::Late).into(),
                    if v.days_late > 0 {
                        f.days(v.days_late)
                    } else {
                        "—".into()
                    },
                    late_style,
                ),
            ],
            t,
        ),
        pairs(
            vec![
                (tr(lang, T::Amount).into(), f.money(v.amount), t.base()),
                (tr(lang, T::Deposit).into(), f.money(v.prepaid), t.base()),
                (tr(lang, T::Remaining).into(), f.money(v.open), late_style),
            ],
            t,
        ),
        pairs(
            vec![
                (
                    tr(lang, T::Reference).into(),
                    v.payment_reference
                        .as_deref()
                        .map(clean)
                        .unwrap_or_else(|| "—".into()),
                    t.base(),
                ),
                (
                    tr(lang, T::ImportedFrom).into(),
                    v.imported_from
                        .as_deref()
                        .map(clean)
                        .unwrap_or_else(|| "—".into()),
                    t.muted(),
                ),
            ],
            t,
        ),
    ];
    if v.disputed {
        lines.push(Line::from(Span::styled(
            tr(lang, T::Disputed).to_uppercase(),
            t.danger(),
        )));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled(
        tr(lang, T::Allocations),
        t.header(),
    )));
    if v.allocations.is_empty() {
        lines.push(Line::from(Span::styled("—", t.muted())));
    }
    for a in &v.allocations {
        let style = if a.undone.is_some() {
            t.muted()
        } else {
            t.base()
        };
        let mut spans = vec![
            Span::styled(
                format!("{}  {:>12}  ", f.date(a.paid_on), f.money(a.amount)),
                style,
            ),
            Span::styled(format!("{} ", clean(&a.rule)), t.key()),
            Span::styled(clean(&a.source), style),
        ];
        if let Some((at, reason)) = &a.undone {
            spans.push(Span::styled(
                format!(
                    "  [{} {} {}]",
                    tr(lang, T::Undone),
                    clean(at),
                    clean(reason)
                ),
                t.warn(),
            ));
        }
        lines.push(Line::from(spans));
        lines.push(Line::from(vec![
            Span::styled(format!("    {} ", tr(lang, T::Evidence)), t.muted()),
            Span::raw(clean(&a.evidence)),
            Span::styled(format!(" ({})", clean(&a.who)), t.muted()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled(tr(lang, T::History), t.header())));
    if v.history.is_empty() {
        lines.push(Line::from(Span::styled("—", t.muted())));
    }
    for e in &v.history {
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", f.stamp(e.at)), t.muted()),
            Span::raw(format!(
                "{} {} ",
                words::event_kind(lang, &e.kind),
                clean(&e.text)
            )),
            Span::styled(format!("({})", clean(&e.who)), t.muted()),
        ]));
    }
    let max = lines.len().saturating_sub(usize::from(inner.height));
    let scroll = scroll.min(max).min(usize::from(u16::MAX)) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
