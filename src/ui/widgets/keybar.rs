//! The bottom line: the keys of the screen on show, from the keymap, as many as fit, with
//! help and quit always at the end.

use crate::app::{Action, App, Context};
use crate::ui::theme::Theme;
use crate::ui::words;
use ratatui::text::{Line, Span};

fn item(app: &App, context: Context, action: Action) -> Option<(String, String)> {
    let b = app.keymap.binding_for(context, action)?;
    let keys = b
        .keys
        .iter()
        .take(1)
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join("/");
    Some((keys, words::action(app.lang(), action).to_string()))
}

pub fn keybar<'a>(app: &App, theme: &Theme, width: u16) -> Line<'a> {
    let context = app.context();
    let mut items: Vec<(String, String)> = Vec::new();
    if app.prompt.is_some() {
        return Line::from(Span::styled(
            crate::ui::text::tr(app.lang(), crate::ui::text::T::PromptFooter),
            theme.muted(),
        ));
    }
    for b in app.keymap.bindings(context) {
        if let Some(i) = item(app, context, b.action) {
            items.push(i);
        }
    }
    if !matches!(context, Context::Imports | Context::Invoice) {
        items.extend(item(app, context, Action::Open));
    }
    if app.pages.is_empty() {
        items.extend(item(app, context, Action::NextScreen));
    } else {
        items.extend(item(app, context, Action::Back));
    }
    if matches!(context, Context::Queue | Context::Customer) {
        items.extend(item(app, context, Action::Undo));
    }
    let tail: Vec<(String, String)> = [Action::Help, Action::Quit]
        .iter()
        .filter_map(|a| item(app, context, *a))
        .collect();
    let cost = |i: &(String, String)| i.0.chars().count() + i.1.chars().count() + 3;
    let budget = usize::from(width).saturating_sub(tail.iter().map(cost).sum());
    let mut used = 0;
    let mut spans = Vec::new();
    let push = |spans: &mut Vec<Span<'a>>, (k, l): (String, String)| {
        spans.push(Span::styled(k, theme.key()));
        spans.push(Span::raw(format!(" {l}  ")));
    };
    for i in items {
        if used + cost(&i) > budget {
            break;
        }
        used += cost(&i);
        push(&mut spans, i);
    }
    for i in tail {
        push(&mut spans, i);
    }
    Line::from(spans)
}
