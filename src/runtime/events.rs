//! Terminal input on its own thread, turned into application messages.

use crate::app::keymap::{Key, KeyPress};
use crate::app::msg::Msg;
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;
use std::time::Duration;

/// A crossterm key as the application's key; None for keys it has no use for.
pub fn key_press(k: KeyEvent) -> Option<KeyPress> {
    if k.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let alt = k.modifiers.contains(KeyModifiers::ALT);
    let key = match k.code {
        KeyCode::Char(c) if ctrl => Key::Char(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Delete => Key::Delete,
        KeyCode::Tab if k.modifiers.contains(KeyModifiers::SHIFT) => Key::BackTab,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::F(n) => Key::F(n),
        _ => return None,
    };
    Some(KeyPress { key, ctrl, alt })
}

/// Reads the terminal until `stop` is set or the receiver is gone.
pub fn spawn_input(out: Sender<Msg>, stop: Arc<AtomicBool>) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("encours-input".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match event::poll(Duration::from_millis(150)) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(_) => break,
                }
                let msg = match event::read() {
                    Ok(Event::Key(k)) => key_press(k).map(Msg::Key),
                    Ok(Event::Resize(w, h)) => Some(Msg::Resize(w, h)),
                    Ok(_) => None,
                    Err(_) => break,
                };
                if let Some(msg) = msg
                    && out.send(msg).is_err()
                {
                    break;
                }
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_convert() {
        let k = |code, m| key_press(KeyEvent::new(code, m));
        assert_eq!(
            k(KeyCode::Char('G'), KeyModifiers::SHIFT),
            Some(KeyPress::ch('G'))
        );
        assert_eq!(
            k(KeyCode::Char('C'), KeyModifiers::CONTROL),
            KeyPress::parse("ctrl-c").ok()
        );
        assert_eq!(
            k(KeyCode::Tab, KeyModifiers::SHIFT),
            Some(KeyPress::plain(Key::BackTab))
        );
        assert_eq!(k(KeyCode::CapsLock, KeyModifiers::NONE), None);
    }
}
