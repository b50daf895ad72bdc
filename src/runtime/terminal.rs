//! Terminal set-up and restore. Restored on every way out: normal exit and errors (the guard's
//! `Drop`), and panics (ratatui's hook restores before the panic message is printed; ours,
//! installed first, writes the panic to the log file).

use super::log::Log;
use ratatui::DefaultTerminal;

pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    /// Raw mode and the alternate screen; mouse capture stays off so that selecting text to
    /// copy works, also over SSH.
    pub fn enter(log: &Log) -> std::io::Result<TerminalGuard> {
        let log = log.clone();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            log.line(&format!("panic: {info}"));
            previous(info);
        }));
        let terminal = ratatui::try_init()?;
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = self.terminal.show_cursor();
        ratatui::restore();
    }
}
