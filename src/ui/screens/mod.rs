//! One module per screen. Each draws from the view models in `app.data` and the screen's
//! state; when the data is not there yet it says "loading", when a list is empty it says why.

pub mod customer;
pub mod forecast;
pub mod imports;
pub mod invoice;
pub mod matching;
pub mod overview;
pub mod queue;
pub mod receivables;
pub mod signals;

use super::Ctx;
use super::text::{T, tr};
use super::widgets::message;
use crate::app::views::Notice;
use ratatui::Frame;
use ratatui::layout::Rect;

/// "loading…" in a pane whose data has not arrived.
pub fn loading(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    frame.render_widget(
        message(tr(ctx.app.lang(), T::Loading), ctx.theme.muted()),
        area,
    );
}

/// Why a list is empty: the notice if any, else `fallback`.
pub fn empty(frame: &mut Frame, area: Rect, ctx: &Ctx, notice: Option<Notice>, fallback: T) {
    let lang = ctx.app.lang();
    let text = match notice {
        Some(n) => super::words::notice(lang, n),
        None => tr(lang, fallback),
    };
    frame.render_widget(message(text, ctx.theme.muted()), area);
}

/// Grade letter and its style; `·` when there is none.
pub fn grade_span<'a>(ctx: &Ctx, grade: Option<char>) -> ratatui::text::Span<'a> {
    match grade {
        Some(g) => ratatui::text::Span::styled(g.to_string(), ctx.theme.grade(g)),
        None => ratatui::text::Span::styled("·", ctx.theme.muted()),
    }
}
