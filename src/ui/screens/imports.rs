//! Recent imports with what each brought, the selected one's warnings, and refused files with
//! their reason.

use super::loading;
use crate::ui::Ctx;
use crate::ui::format::clean;
use crate::ui::text::{T, tr};
use crate::ui::widgets::{pane, right, selectable_table, table, window};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let lang = ctx.app.lang();
    let t = &ctx.theme;
    let Some(v) = &ctx.app.data.imports else {
        let block = pane(tr(lang, T::TabImports), t);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        return loading(frame, inner, ctx);
    };
    let [list_area, warn_area, refused_area] = area.layout(&Layout::vertical([
        Constraint::Fill(3),
        Constraint::Fill(1),
        Constraint::Fill(2),
    ]));
    let header = Row::new(vec![
        Line::from(tr(lang, T::When)),
        Line::from(tr(lang, T::File)),
        Line::from(tr(lang, T::Format)),
        Line::from(tr(lang, T::Counts)),
        right("⚠".into()),
    ]);
    let selection = &ctx.app.screens.imports;
    // Borders and header take three lines.
    let shown = window(
        list_area.height.saturating_sub(3),
        v.imports.len(),
        selection,
    );
    let rows: Vec<Row> = v.imports[shown.clone()]
        .iter()
        .map(|i| {
            let mut parts = Vec::new();
            let mut add = |n: usize, fr: &str, en: &str| {
                if n > 0 {
                    parts.push(format!("{n} {}", lang.pick(fr, en)));
                }
            };
            add(i.transactions, "op. banque", "bank lines");
            add(i.duplicates, "doublons", "duplicates");
            add(i.customers, "clients", "customers");
            add(i.invoices, "factures", "invoices");
            add(i.settlements, "lettrages", "settlements");
            add(i.supplier_invoices, "fact. fourn.", "supplier inv.");
            add(i.ratings, "notations", "ratings");
            Row::new(vec![
                Line::from(stamp(ctx, &i.at)),
                Line::from(clean(&i.file_name)),
                Line::from(clean(&i.format)),
                Line::from(parts.join(", ")),
                right(if i.warnings.is_empty() {
                    String::new()
                } else {
                    i.warnings.len().to_string()
                }),
            ])
        })
        .collect();
    let widths = vec![
        Constraint::Length(16),
        Constraint::Fill(2),
        Constraint::Length(12),
        Constraint::Fill(3),
        Constraint::Length(3),
    ];
    let block = pane(
        format!("{} · {}", tr(lang, T::TabImports), v.imports.len()),
        t,
    );
    selectable_table(
        frame,
        list_area,
        table(rows, widths, header, t).block(block),
        shown,
        selection,
        t,
    );

    let selected = v.imports.get(
        ctx.app
            .screens
            .imports
            .index
            .min(v.imports.len().saturating_sub(1)),
    );
    let warnings: Vec<Line> = selected
        .map(|i| i.warnings.iter().map(|w| Line::from(clean(w))).collect())
        .unwrap_or_default();
    let block = pane(tr(lang, T::Warnings), t);
    frame.render_widget(
        Paragraph::new(warnings)
            .wrap(Wrap { trim: true })
            .block(block),
        warn_area,
    );

    let block = pane(
        format!("{} · {}", tr(lang, T::Refused), v.rejections.len()),
        t,
    );
    let lines: Vec<Line> = v
        .rejections
        .iter()
        .flat_map(|r| {
            [
                Line::from(vec![
                    Span::styled(format!("{} ", stamp(ctx, &r.at)), t.muted()),
                    Span::styled(clean(&r.file_name), t.danger()),
                    Span::styled(format!(" ({})", clean(&r.who)), t.muted()),
                ]),
                Line::from(format!("  {}", clean(&r.reason))),
            ]
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        refused_area,
    );
}

/// A stored timestamp in the user's format; as stored when it does not parse.
fn stamp(ctx: &Ctx, at: &str) -> String {
    match chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S") {
        Ok(t) => ctx.fmt.stamp(t),
        Err(_) => clean(at),
    }
}
