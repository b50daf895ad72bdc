//! Keys as the application sees them, independent of the terminal library, and how they
//! are written in the keymap file and shown on screen.

/// A key as the application sees it, independent of the terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Char(char),
    Enter,
    Esc,
    Backspace,
    Delete,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyPress {
    pub key: Key,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeyPress {
    pub fn plain(key: Key) -> Self {
        KeyPress {
            key,
            ctrl: false,
            alt: false,
        }
    }

    pub fn ch(c: char) -> Self {
        Self::plain(Key::Char(c))
    }

    /// Parses `j`, `G`, `?`, `enter`, `ctrl-c`, `alt-x`, `f1`, `space`, `pagedown`...
    pub fn parse(spec: &str) -> Result<KeyPress, String> {
        let mut rest = spec;
        let (mut ctrl, mut alt) = (false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
                ctrl = true;
                rest = &rest[5..];
            } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
                alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let key = match (chars.next(), chars.next()) {
            (Some(c), None) => Key::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => Key::Enter,
                "esc" | "escape" => Key::Esc,
                "backspace" => Key::Backspace,
                "delete" | "del" => Key::Delete,
                "tab" => Key::Tab,
                "backtab" | "shift-tab" => Key::BackTab,
                "up" => Key::Up,
                "down" => Key::Down,
                "left" => Key::Left,
                "right" => Key::Right,
                "home" => Key::Home,
                "end" => Key::End,
                "pageup" | "pgup" => Key::PageUp,
                "pagedown" | "pgdn" => Key::PageDown,
                "space" => Key::Char(' '),
                f if f.starts_with('f')
                    && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
                {
                    Key::F(f[1..].parse().unwrap_or(1))
                }
                _ => return Err(format!("'{spec}' is not a key I know")),
            },
        };
        Ok(KeyPress { key, ctrl, alt })
    }

    /// How the key is written in the help and the key bar.
    pub fn label(&self) -> String {
        let base = match self.key {
            Key::Char(' ') => "Space".to_string(),
            Key::Char(c) => c.to_string(),
            Key::Enter => "Enter".into(),
            Key::Esc => "Esc".into(),
            Key::Backspace => "Bksp".into(),
            Key::Delete => "Del".into(),
            Key::Tab => "Tab".into(),
            Key::BackTab => "S-Tab".into(),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::Home => "Home".into(),
            Key::End => "End".into(),
            Key::PageUp => "PgUp".into(),
            Key::PageDown => "PgDn".into(),
            Key::F(n) => format!("F{n}"),
        };
        match (self.ctrl, self.alt) {
            (true, _) => format!("C-{base}"),
            (_, true) => format!("M-{base}"),
            _ => base,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_specs() {
        assert_eq!(KeyPress::parse("G").unwrap(), KeyPress::ch('G'));
        assert_eq!(KeyPress::parse("-").unwrap(), KeyPress::ch('-'));
        assert_eq!(
            KeyPress::parse("pagedown").unwrap(),
            KeyPress::plain(Key::PageDown)
        );
        assert_eq!(KeyPress::parse("f1").unwrap(), KeyPress::plain(Key::F(1)));
        assert!(KeyPress::parse("f13").is_err());
        assert_eq!(KeyPress::parse("ctrl-r").unwrap().label(), "C-r");
    }
}
