//! Styles by meaning (selected, warning, danger...), resolved for the terminal's colours.
//! Without colour every meaning still shows through an attribute: the selection is reversed
//! and bold with a `▶` marker, warnings bold, dangers bold and underlined.

use crate::app::ColourMode;
use ratatui::style::{Color, Modifier, Style};

/// Drawn before the selected line of every list, whatever the colours.
pub const MARKER: &str = "▶ ";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub mode: ColourMode,
}

impl Theme {
    pub fn new(mode: ColourMode) -> Theme {
        Theme { mode }
    }

    fn colour(&self, ansi: Color, rgb: (u8, u8, u8)) -> Option<Color> {
        match self.mode {
            ColourMode::None => None,
            ColourMode::Ansi16 => Some(ansi),
            ColourMode::TrueColor => Some(Color::Rgb(rgb.0, rgb.1, rgb.2)),
        }
    }

    fn fg(&self, ansi: Color, rgb: (u8, u8, u8)) -> Style {
        match self.colour(ansi, rgb) {
            Some(c) => Style::new().fg(c),
            None => Style::new(),
        }
    }

    pub fn base(&self) -> Style {
        Style::new()
    }

    /// The selected line: reversed and bold in every mode, so it never depends on colour.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan, (95, 175, 215))
            .add_modifier(Modifier::BOLD)
    }

    pub fn header(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn muted(&self) -> Style {
        match self.mode {
            ColourMode::None => Style::new().add_modifier(Modifier::DIM),
            _ => self.fg(Color::DarkGray, (138, 138, 138)),
        }
    }

    pub fn good(&self) -> Style {
        self.fg(Color::Green, (95, 175, 95))
    }

    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow, (215, 175, 0))
            .add_modifier(Modifier::BOLD)
    }

    pub fn danger(&self) -> Style {
        let s = self
            .fg(Color::Red, (215, 95, 95))
            .add_modifier(Modifier::BOLD);
        match self.mode {
            ColourMode::None => s.add_modifier(Modifier::UNDERLINED),
            _ => s,
        }
    }

    pub fn accent(&self) -> Style {
        self.fg(Color::Blue, (95, 135, 215))
    }

    /// The active tab and the keys in the key bar.
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan, (95, 175, 215))
            .add_modifier(Modifier::BOLD)
    }

    pub fn tab_active(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn grade(&self, grade: char) -> Style {
        match grade {
            'A' => self.good(),
            'B' => self.fg(Color::Cyan, (95, 175, 175)),
            'C' => self.warn(),
            _ => self.danger(),
        }
    }

    /// One style per ageing bucket, from "not due" to the oldest.
    pub fn bucket(&self, index: usize, count: usize) -> Style {
        let last = count.saturating_sub(1);
        match index {
            0 => self.good(),
            i if i >= last => self.fg(Color::Magenta, (175, 95, 175)),
            1 => self.fg(Color::Yellow, (215, 175, 0)),
            2 => self.fg(Color::LightRed, (215, 135, 95)),
            _ => self.fg(Color::Red, (215, 95, 95)),
        }
    }

    /// Fill characters for the ageing bar: distinct even without colour.
    pub fn bucket_glyph(&self, index: usize) -> &'static str {
        ["█", "▓", "▒", "░", "▚", "▞"][index.min(5)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_colour_means_no_colour_at_all() {
        let t = Theme::new(ColourMode::None);
        for s in [
            t.title(),
            t.warn(),
            t.danger(),
            t.good(),
            t.grade('D'),
            t.bucket(3, 5),
            t.key(),
            t.selected(),
        ] {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
        assert!(
            t.selected()
                .add_modifier
                .contains(Modifier::REVERSED | Modifier::BOLD)
        );
    }

    #[test]
    fn sixteen_colours_unless_truecolor_is_announced() {
        assert_eq!(
            Theme::new(ColourMode::Ansi16).warn().fg,
            Some(Color::Yellow)
        );
        assert!(matches!(
            Theme::new(ColourMode::TrueColor).warn().fg,
            Some(Color::Rgb(..))
        ));
    }
}
