//! The cash balance as columns from the zero line, with the alert threshold drawn across and
//! the lowest point marked. Drawn cell by cell with integer scaling (eighth blocks) rather than
//! ratatui's `Chart`, whose `f64` points would bring floating point next to money; it also
//! stays readable without colour (the threshold is a dotted line, the lowest point a `▼`).

use crate::app::views::ForecastPoint;
use crate::ui::format::Fmt;
use crate::ui::theme::Theme;
use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

const EIGHTHS: [&str; 8] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇"];

pub struct CashChart<'a> {
    pub points: &'a [ForecastPoint],
    pub threshold: Decimal,
    /// One column per week (the lowest balance of the week) instead of one per point.
    pub weekly: bool,
    pub theme: &'a Theme,
    pub fmt: Fmt,
}

/// (first day, balance) per bar: the points as given, or the lowest balance of each week.
pub fn series(points: &[ForecastPoint], weekly: bool) -> Vec<(NaiveDate, Decimal)> {
    let Some(first) = points.first().map(|p| p.start) else {
        return Vec::new();
    };
    if !weekly {
        return points.iter().map(|p| (p.start, p.balance)).collect();
    }
    let mut out: Vec<(i64, NaiveDate, Decimal)> = Vec::new();
    for p in points {
        let week = (p.start - first).num_days() / 7;
        match out.last_mut() {
            Some((w, _, v)) if *w == week => *v = (*v).min(p.balance),
            _ => out.push((week, p.start, p.balance)),
        }
    }
    out.into_iter().map(|(_, d, v)| (d, v)).collect()
}

impl Widget for CashChart<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let data = series(self.points, self.weekly);
        if data.is_empty() || area.width < 8 || area.height < 3 {
            return;
        }
        let ymin = data
            .iter()
            .map(|d| d.1)
            .chain([self.threshold, Decimal::ZERO])
            .min()
            .unwrap_or_default();
        let mut ymax = data
            .iter()
            .map(|d| d.1)
            .chain([self.threshold, Decimal::ZERO])
            .max()
            .unwrap_or_default();
        if ymax <= ymin {
            ymax = ymin + Decimal::ONE;
        }
        let (top_label, bottom_label, threshold_label) = (
            self.fmt.money_short(ymax),
            self.fmt.money_short(ymin),
            self.fmt.money_short(self.threshold),
        );
        let label_w = [&top_label, &bottom_label, &threshold_label]
            .iter()
            .map(|l| l.chars().count() as u16)
            .max()
            .unwrap_or(0)
            .min(area.width / 3)
            + 1;
        let plot_x = area.x + label_w;
        let plot_w = area.width.saturating_sub(label_w);
        let plot_h = area.height - 1;
        if plot_w < 2 || plot_h < 2 {
            return;
        }
        let total = i64::from(plot_h) * 8;
        let span = ymax - ymin;
        let level = |v: Decimal| -> i64 {
            ((v - ymin) * Decimal::from(total) / span)
                .round()
                .to_i64()
                .unwrap_or(0)
                .clamp(0, total)
        };
        let cell_y = |cell: i64| area.y + plot_h - 1 - cell.clamp(0, i64::from(plot_h) - 1) as u16;
        let base = (level(Decimal::ZERO) + 4) / 8;
        let threshold_cell = level(self.threshold) / 8;

        // Columns: each takes the lowest of the points that fall in it.
        let n = data.len();
        let w = usize::from(plot_w);
        let columns: Vec<Decimal> = (0..w)
            .map(|x| {
                let from = x * n / w;
                let to = ((x + 1) * n / w).max(from + 1).min(n);
                data[from..to].iter().map(|d| d.1).min().unwrap_or_default()
            })
            .collect();
        let lowest_col = columns
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(&b.0)))
            .map(|(i, _)| i);
        for (x, v) in columns.iter().enumerate() {
            let px = plot_x + x as u16;
            let style = if *v < self.threshold {
                self.theme.danger()
            } else {
                self.theme.accent()
            };
            let lv = level(*v);
            let mut top_cell = base;
            // Below the threshold, whole cells are shaded: visible without colour too.
            let full = if *v < self.threshold { "▓" } else { "█" };
            if lv >= base * 8 {
                let filled = lv - base * 8;
                for c in 0..filled / 8 {
                    buf[(px, cell_y(base + c))]
                        .set_symbol(full)
                        .set_style(style);
                }
                top_cell = base + filled / 8;
                if filled % 8 > 0 && top_cell < i64::from(plot_h) {
                    buf[(px, cell_y(top_cell))]
                        .set_symbol(EIGHTHS[(filled % 8) as usize])
                        .set_style(style);
                    top_cell += 1;
                }
            } else {
                for c in (lv / 8)..base {
                    buf[(px, cell_y(c))].set_symbol(full).set_style(style);
                }
            }
            if threshold_cell >= top_cell && threshold_cell < i64::from(plot_h) {
                let cell = &mut buf[(px, cell_y(threshold_cell))];
                if cell.symbol() == " " {
                    cell.set_symbol("┈").set_style(self.theme.warn());
                }
            }
            if Some(x) == lowest_col && top_cell < i64::from(plot_h) {
                buf[(px, cell_y(top_cell))]
                    .set_symbol("▼")
                    .set_style(self.theme.warn());
            }
        }

        let label_style = self.theme.muted();
        buf.set_stringn(
            area.x,
            area.y,
            &top_label,
            usize::from(label_w - 1),
            label_style,
        );
        // The threshold's label wins over the bottom one when they share a row.
        let ty = cell_y(threshold_cell);
        if ty != area.y + plot_h - 1 {
            buf.set_stringn(
                area.x,
                area.y + plot_h - 1,
                &bottom_label,
                usize::from(label_w - 1),
                label_style,
            );
        }
        if ty > area.y {
            buf.set_stringn(
                area.x,
                ty,
                &threshold_label,
                usize::from(label_w - 1),
                self.theme.warn(),
            );
        }
        // Dates under the first, middle and last columns.
        let xrow = area.y + plot_h;
        let first = self.fmt.day(data[0].0);
        let last = self.fmt.day(data[n - 1].0);
        buf.set_stringn(plot_x, xrow, &first, w, label_style);
        let last_x = (plot_x + plot_w).saturating_sub(last.chars().count() as u16);
        if last_x > plot_x + first.chars().count() as u16 {
            buf.set_stringn(last_x, xrow, &last, w, label_style);
        }
        let mid = self.fmt.day(data[n / 2].0);
        let mid_x = (plot_x + plot_w / 2).saturating_sub(mid.chars().count() as u16 / 2);
        if mid_x > plot_x + first.chars().count() as u16 + 1
            && mid_x + mid.chars().count() as u16 + 1 < last_x
        {
            buf.set_stringn(mid_x, xrow, &mid, w, label_style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn p(day: u32, balance: Decimal) -> ForecastPoint {
        let d = NaiveDate::from_ymd_opt(2026, 6, day).unwrap();
        ForecastPoint {
            start: d,
            end: d,
            inflow: dec!(0),
            outflow: dec!(0),
            balance,
        }
    }

    #[test]
    fn weeks_keep_their_lowest_balance() {
        let points: Vec<_> = (1..=14).map(|d| p(d, Decimal::from(100 - d))).collect();
        let s = series(&points, true);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].1, dec!(93));
        assert_eq!(s[1].1, dec!(86));
    }
}
