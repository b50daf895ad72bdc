//! The ageing buckets as one stacked bar and a legend with the figures. Widths are shared
//! out by the largest-remainder method in integers: no floating point near money.

use crate::ui::format::Fmt;
use crate::ui::theme::Theme;
use crate::ui::words;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

pub struct AgeingBar<'a> {
    pub labels: &'a [String],
    pub buckets: &'a [Decimal],
    pub theme: &'a Theme,
    pub fmt: Fmt,
}

/// Splits `width` cells in proportion to `values` (negatives count as zero).
pub fn shares(values: &[Decimal], width: u16) -> Vec<u16> {
    let cents: Vec<u128> = values
        .iter()
        .map(|v| {
            (v.max(&Decimal::ZERO) * Decimal::ONE_HUNDRED)
                .round()
                .to_u128()
                .unwrap_or(0)
        })
        .collect();
    let total: u128 = cents.iter().sum();
    if total == 0 || width == 0 {
        return vec![0; values.len()];
    }
    let w = u128::from(width);
    let mut out: Vec<u16> = cents.iter().map(|c| (c * w / total) as u16).collect();
    let mut rest: Vec<(usize, u128)> = cents
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c * w % total))
        .collect();
    rest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let used: u16 = out.iter().sum();
    for (i, _) in rest
        .into_iter()
        .take(usize::from(width.saturating_sub(used)))
    {
        out[i] += 1;
    }
    out
}

/// Narrowest legend item: glyph, label, amount.
const ITEM: u16 = 18;

fn per_row(width: u16) -> u16 {
    (width / ITEM).max(1)
}

/// Rows the bar and its legend take at `width` for `n` buckets.
pub fn height(width: u16, n: usize) -> u16 {
    1 + (n as u16).div_ceil(per_row(width))
}

impl Widget for AgeingBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let n = self.buckets.len();
        let mut x = area.x;
        for (i, w) in shares(self.buckets, area.width).into_iter().enumerate() {
            let style = self.theme.bucket(i, n);
            let glyph = self.theme.bucket_glyph(i);
            for _ in 0..w {
                if x < area.right() {
                    buf[(x, area.y)].set_symbol(glyph).set_style(style);
                    x += 1;
                }
            }
        }
        let per_row = per_row(area.width);
        let item = area.width / per_row;
        for (i, (label, amount)) in self.labels.iter().zip(self.buckets).enumerate() {
            let row = area.y + 1 + (i as u16) / per_row;
            if row >= area.bottom() {
                break;
            }
            let col = area.x + (i as u16 % per_row) * item;
            let width = item.min(area.right().saturating_sub(col));
            let label = words::bucket(self.fmt.lang, label);
            let amount = self.fmt.money_short(*amount);
            let pad = usize::from(width)
                .saturating_sub(3 + label.chars().count() + amount.chars().count());
            let line = Line::from(vec![
                Span::styled(self.theme.bucket_glyph(i), self.theme.bucket(i, n)),
                Span::raw(" "),
                Span::styled(label, self.theme.muted()),
                Span::raw(" ".repeat(pad.max(1))),
                Span::raw(amount),
            ]);
            buf.set_line(col, row, &line, width);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn shares_fill_the_width_exactly() {
        assert_eq!(shares(&[dec!(1), dec!(1), dec!(1)], 10), [4, 3, 3]);
        assert_eq!(shares(&[dec!(0), dec!(5), dec!(-3)], 7), [0, 7, 0]);
        assert_eq!(shares(&[dec!(0), dec!(0)], 7), [0, 0]);
        let s = shares(&[dec!(123456.78), dec!(0.01), dec!(999)], 33);
        assert_eq!(s.iter().sum::<u16>(), 33);
    }
}
