//! `update`: one message in, state changed, effects out. Keys go to the open prompt first,
//! then the help, then the keymap of what is on screen.

use super::msg::{Loaded, Msg, Request, Status};
use super::nav::{Page, Tab};
use super::prompt::{PromptEvent, Purpose, Submit};
use super::screens::{self, queue_write};
use super::{Action, App, Effect};

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut effects = step(app, msg);
    if let Some(claim) = claim_change(app) {
        effects.push(claim);
    }
    effects
}

/// The line being worked is the call list's selection while the call list (or a page opened
/// from it) is on screen. Any change, including the line leaving the list after an outcome,
/// moves the operator's claim; read-only sessions hold nothing. Leaving the cockpit is
/// not a move: the runtime lets go of everything on the way out.
fn claim_change(app: &mut App) -> Option<Effect> {
    if app.quit {
        return None;
    }
    let working = (app.tab == Tab::Queue && !app.cfg.read_only)
        .then(|| app.data.queue.as_ref().and(app.screens.queue.key))
        .flatten();
    if working == app.claimed {
        return None;
    }
    app.claimed = working;
    Some(Effect::Claim(working))
}

fn step(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => {
            if app.prompt.is_some() {
                return prompt_key(app, key);
            }
            if app.help.is_some() {
                return help_key(app, key);
            }
            match app.keymap.lookup(app.context(), key) {
                Some(action) => {
                    // A new action replaces the last message, as a new line would.
                    app.status = None;
                    on_action(app, action)
                }
                None => vec![],
            }
        }
        Msg::Resize(w, h) => {
            app.size = (w, h);
            vec![]
        }
        Msg::Tick => vec![],
        Msg::Loaded(loaded) => {
            app.pending = app.pending.saturating_sub(1);
            let matching = matches!(loaded, Loaded::Matching(_) | Loaded::MatchSuggestions(_));
            store(app, loaded);
            if matching && app.tab == Tab::Matching {
                // The list came, or a page of it: ask for what the cursor now needs.
                screens::ask_match_page(app)
            } else {
                vec![]
            }
        }
        Msg::Done(status) => {
            app.pending = app.pending.saturating_sub(1);
            app.status = Some(status);
            reload_all(app)
        }
        Msg::Failed(failure) => {
            app.pending = app.pending.saturating_sub(1);
            app.status = Some(Status::Failed(failure));
            vec![]
        }
        Msg::Claimed { customer, held_by } => {
            if let Some(who) = held_by {
                if let Some(line) = app
                    .data
                    .queue
                    .as_mut()
                    .and_then(|q| q.lines.iter_mut().find(|l| l.customer_id == customer))
                {
                    line.claimed_by = Some(who.clone());
                }
                if app.claimed == Some(customer) {
                    app.status = Some(Status::ClaimedBy(who));
                }
            }
            vec![]
        }
        Msg::DataChanged => {
            // An inbox notice says more than "reloaded": the poll that follows an import
            // must not hide which file came in.
            if !matches!(app.status, Some(Status::Notice(..))) {
                app.status = Some(Status::Reloaded);
            }
            reload_all(app)
        }
        Msg::Notice {
            text,
            problem,
            reload,
        } => {
            app.status = Some(Status::Notice(text, problem));
            if reload { reload_all(app) } else { vec![] }
        }
    }
}

fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => {
            app.quit = true;
            vec![Effect::Quit]
        }
        Action::Help => {
            app.help = Some(0);
            vec![]
        }
        Action::Back => {
            app.pages.pop();
            vec![]
        }
        Action::Refresh => reload_all(app),
        Action::NextScreen => go(app, app.tab.next()),
        Action::PrevScreen => go(app, app.tab.prev()),
        Action::GoOverview => go(app, Tab::Overview),
        Action::GoReceivables => go(app, Tab::Receivables),
        Action::GoSignals => go(app, Tab::Signals),
        Action::GoQueue => go(app, Tab::Queue),
        Action::GoForecast => go(app, Tab::Forecast),
        Action::GoMatching => go(app, Tab::Matching),
        Action::GoImports => go(app, Tab::Imports),
        Action::Undo => queue_write(app, super::Command::Undo),
        _ => screens::on_action(app, action),
    }
}

/// Switches screen: drill-down pages are left, the screen's data is asked for if missing.
fn go(app: &mut App, tab: Tab) -> Vec<Effect> {
    app.tab = tab;
    app.pages.clear();
    let mut released = Vec::new();
    if tab == Tab::Matching {
        // Listing the credits left runs the automatic rules over all of them, the cockpit's
        // largest computation: the other screens' data make way for it (and for the list),
        // and are asked for again when their screen is shown (the start views come back
        // from their snapshot in a tenth of a second). The overview stays: it is small and
        // the headline above every screen is drawn from it.
        let kept = super::Data {
            matching: app.data.matching.take(),
            overview: app.data.overview.take(),
            imports: app.data.imports.take(),
            ..super::Data::default()
        };
        let others = std::mem::replace(&mut app.data, kept);
        if others != super::Data::default() {
            released.push(Effect::Release(Box::new(others)));
        }
    }
    let missing = match tab {
        Tab::Overview => [
            app.data.overview.is_none().then_some(Request::Overview),
            app.data.signals.is_none().then_some(Request::Signals),
            app.data.queue.is_none().then_some(Request::Queue),
            app.data.forecast.is_none().then(|| forecast_request(app)),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Tab::Receivables => app
            .data
            .receivables
            .is_none()
            .then_some(Request::Receivables)
            .into_iter()
            .collect(),
        Tab::Signals => app
            .data
            .signals
            .is_none()
            .then_some(Request::Signals)
            .into_iter()
            .collect(),
        Tab::Queue => app
            .data
            .queue
            .is_none()
            .then_some(Request::Queue)
            .into_iter()
            .collect(),
        Tab::Forecast => app
            .data
            .forecast
            .is_none()
            .then(|| forecast_request(app))
            .into_iter()
            .collect(),
        Tab::Matching => app
            .data
            .matching
            .is_none()
            .then_some(Request::Matching)
            .into_iter()
            .collect(),
        Tab::Imports => app
            .data
            .imports
            .is_none()
            .then_some(Request::Imports)
            .into_iter()
            .collect::<Vec<_>>(),
    };
    // Released first: the worker frees the old data before it computes the new.
    let mut effects = released;
    effects.extend(loads(app, missing));
    if tab == Tab::Matching {
        // The list may have been reloaded while another screen was on show.
        effects.extend(screens::ask_match_page(app));
    }
    effects
}

fn forecast_request(app: &App) -> Request {
    Request::Forecast(app.screens.forecast.request.clone())
}

fn loads(app: &mut App, requests: Vec<Request>) -> Vec<Effect> {
    app.pending += requests.len();
    requests.into_iter().map(Effect::Load).collect()
}

/// Asks again for everything loaded so far, and for the open pages: after a write, or when
/// someone else changed the data. Selections are kept because they follow identities.
pub(crate) fn reload_all(app: &mut App) -> Vec<Effect> {
    let d = &app.data;
    let mut requests: Vec<Request> = [
        d.overview.is_some().then_some(Request::Overview),
        d.receivables.is_some().then_some(Request::Receivables),
        d.signals.is_some().then_some(Request::Signals),
        d.queue.is_some().then_some(Request::Queue),
        d.forecast.is_some().then(|| forecast_request(app)),
        d.matching.is_some().then_some(Request::Matching),
        d.imports.is_some().then_some(Request::Imports),
    ]
    .into_iter()
    .flatten()
    .collect();
    for page in &app.pages {
        requests.push(match page {
            Page::Customer { id, .. } => Request::Customer(*id),
            Page::Invoice { id, .. } => Request::Invoice(*id),
        });
    }
    if requests.is_empty() {
        requests.push(Request::Overview);
    }
    loads(app, requests)
}

fn store(app: &mut App, loaded: Loaded) {
    let s = &mut app.screens;
    match loaded {
        Loaded::Overview(v) => {
            app.data.overview = Some(v);
            let keys = screens::overview_keys(app);
            app.screens.overview.sync(&keys);
        }
        Loaded::Receivables(v) => {
            app.data.receivables = Some(v);
            screens::resync_receivables(app);
        }
        Loaded::Signals(v) => {
            s.signals
                .sync(&v.rows.iter().map(|r| r.customer_id).collect::<Vec<_>>());
            app.data.signals = Some(v);
        }
        Loaded::Queue(v) => {
            s.queue
                .sync(&v.lines.iter().map(|l| l.customer_id).collect::<Vec<_>>());
            app.data.queue = Some(v);
        }
        Loaded::Forecast(v) => {
            s.forecast
                .selection
                .sync(&v.inflows.iter().map(|i| i.customer_id).collect::<Vec<_>>());
            app.data.forecast = Some(v);
        }
        Loaded::Matching(v) => {
            let before = s.matching.selection.key;
            s.matching
                .selection
                .sync(&v.rows.iter().map(|r| r.transaction_id).collect::<Vec<_>>());
            if s.matching.selection.key != before {
                s.matching.suggestion = 0;
            }
            // A new list: every row's suggestions are to be asked for again.
            s.matching.asked.clear();
            app.data.matching = Some(v);
        }
        Loaded::MatchSuggestions(v) => screens::store_match_suggestions(app, v),
        Loaded::Imports(v) => {
            s.imports
                .sync(&v.imports.iter().map(|r| r.import_id).collect::<Vec<_>>());
            app.data.imports = Some(v);
        }
        Loaded::Customer(v) => {
            for page in app.pages.iter_mut() {
                if let Page::Customer {
                    id,
                    view,
                    selection,
                } = page
                    && *id == v.customer_id
                {
                    selection.sync(
                        &v.open_invoices
                            .iter()
                            .map(|i| i.invoice_id)
                            .collect::<Vec<_>>(),
                    );
                    *view = Some(v.clone());
                }
            }
        }
        Loaded::Invoice(v) => {
            for page in app.pages.iter_mut() {
                if let Page::Invoice { id, view, .. } = page
                    && *id == v.invoice_id
                {
                    *view = Some(v.clone());
                }
            }
        }
    }
}

fn prompt_key(app: &mut App, key: super::KeyPress) -> Vec<Effect> {
    let (today, lang) = (app.cfg.today, app.cfg.lang);
    let Some(prompt) = app.prompt.as_mut() else {
        return vec![];
    };
    let event = prompt.handle(key, today, lang);
    let live_filter = (prompt.purpose == Purpose::Filter).then(|| prompt.value(0).to_string());
    match event {
        PromptEvent::Editing => {
            if let Some(filter) = live_filter {
                app.screens.receivables.filter = filter;
                screens::resync_receivables(app);
            }
            vec![]
        }
        PromptEvent::Cancelled => {
            if live_filter.is_some() {
                app.screens.receivables.filter.clear();
                screens::resync_receivables(app);
            }
            app.prompt = None;
            vec![]
        }
        PromptEvent::Submitted(submit) => {
            app.prompt = None;
            match submit {
                Submit::Filter(filter) => {
                    app.screens.receivables.filter = filter;
                    screens::resync_receivables(app);
                    vec![]
                }
                Submit::Command(command) => queue_write(app, command),
            }
        }
    }
}

fn help_key(app: &mut App, key: super::KeyPress) -> Vec<Effect> {
    let action = app.keymap.lookup(super::Context::List, key);
    let scroll = app.help.unwrap_or(0);
    app.help = match action {
        Some(Action::Down) => Some(scroll + 1),
        Some(Action::Up) => Some(scroll.saturating_sub(1)),
        Some(Action::PageDown) => Some(scroll + app.page_len().max(1) as usize),
        Some(Action::PageUp) => Some(scroll.saturating_sub(app.page_len().max(1) as usize)),
        Some(Action::Top) => Some(0),
        // Any other key (Esc, ?, q...) closes the help.
        _ => None,
    };
    vec![]
}
