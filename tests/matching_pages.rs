//! The matching screen's suggestions, worked out a page at a time: on generated books, each
//! credit's suggestions equal those of the whole computation, scrolling asks for the next
//! page, and accept on a credit whose suggestions have not come does nothing.

use chrono::NaiveDate;
use encours::app::keymap::KeyPress;
use encours::app::msg::{Effect, Loaded, Msg, Request, Status};
use encours::app::source::DataSource;
use encours::app::store_source::{SourceSettings, StoreSource};
use encours::app::views::{MatchRow, Suggestion};
use encours::app::{App, AppConfig, ColourMode, Keymap, Tab, update};
use encours::config::Settings;
use encours::demo::generate;
use encours::domain::model::TransactionId;
use encours::domain::money::Currency;
use encours::import::ParseContext;
use encours::ingest::{IngestOutcome, ingest};
use encours::locale::Language;
use encours::runtime::executor;
use encours::store::matching::{self, CreditSuggestions};
use encours::store::{Actor, Store};
use std::collections::{HashMap, HashSet};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
}

fn actor() -> Actor {
    Actor::new("tester", today().and_hms_opt(9, 0, 0).unwrap())
}

/// Generated books, matched; with `one_more`, then one more statement left unmatched: some
/// of its credits the automatic rules would take (they must not be listed), the rest wait
/// for a person.
fn books(one_more: bool) -> Store {
    let settings = Settings::defaults();
    let ctx = ParseContext {
        file_name: String::new(),
        default_currency: settings.general.currency,
        csv_profiles: settings.import.csv_profiles.clone(),
    };
    let mut files = generate::build(11, 60, 3_000, today());
    let last = files.statements.pop().expect("statements");
    let mut named: Vec<(String, String)> = vec![
        ("c.csv".into(), files.customers_csv),
        ("f.csv".into(), files.invoices_csv),
    ];
    named.extend(files.statements);
    let mut store = Store::open_in_memory().unwrap();
    let import = |store: &mut Store, name: &str, content: &str| match ingest(
        store,
        content.as_bytes(),
        name,
        &ctx,
        &actor(),
    ) {
        Ok(IngestOutcome::Imported(_)) => {}
        other => panic!("{name}: {other:?}"),
    };
    for (name, content) in &named {
        import(&mut store, name, content);
    }
    matching::run_matching(&mut store, &settings.matching.params(), &actor()).unwrap();
    if one_more {
        import(&mut store, &last.0, &last.1);
    }
    store
}

fn source(store: Store) -> StoreSource {
    StoreSource::new(
        store,
        SourceSettings::from_settings(&Settings::defaults(), Language::En).unwrap(),
    )
}

/// What the screen shows of a suggestion, comparable with the store's.
fn shown(s: &Suggestion) -> (i64, i64, u8, String) {
    (
        s.customer_id,
        s.invoices[0].0,
        s.score,
        format!("{:?}", s.components),
    )
}

fn whole(c: &CreditSuggestions) -> Vec<(i64, i64, u8, String)> {
    c.suggestions
        .iter()
        .map(|g| {
            (
                g.customer_id,
                g.invoice_id,
                g.score,
                format!("{:?}", g.components),
            )
        })
        .collect()
}

#[test]
fn each_page_of_suggestions_equals_the_whole_computation() {
    pages_equal_the_whole(books(true), false);
}

#[test]
fn each_page_read_alone_equals_the_whole_computation_when_the_rules_are_idle() {
    pages_equal_the_whole(books(false), true);
}

fn pages_equal_the_whole(store: Store, idle: bool) {
    let params = Settings::defaults().matching.params();
    let all = matching::suggestions(store.conn(), &params).unwrap();
    let pending = matching::suggestions_for(store.conn(), &params, Some(&HashSet::new())).unwrap();
    assert_eq!(pending.rules_idle, idle);
    let light = pending.credits;
    assert!(all.len() > 20, "credits left for a person: {}", all.len());
    assert!(
        all.iter().filter(|c| !c.suggestions.is_empty()).count() > 10,
        "the books must give suggestions to compare"
    );
    // The same credits, in the same order, with what is left; no suggestion worked out.
    let ids = |v: &[CreditSuggestions]| {
        v.iter()
            .map(|c| (c.transaction_id, c.left, c.reviewed))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&light), ids(&all));
    assert!(light.iter().all(|c| c.suggestions.is_empty()));
    // The rules would take some of the last statement's credits: they are not listed.
    let unmatched_lines: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM bank_transactions t WHERE amount_minor > 0 AND reversal = 0
             AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.transaction_id = t.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    if idle {
        assert!(unmatched_lines as usize <= all.len());
    } else {
        assert!(
            unmatched_lines as usize > all.len(),
            "{unmatched_lines} credits without allocation, {} listed",
            all.len()
        );
    }

    // Store level: any subset, each credit exactly as the whole gives it.
    let by_id: HashMap<TransactionId, &CreditSuggestions> =
        all.iter().map(|c| (c.transaction_id, c)).collect();
    for chunk in all.chunks(7) {
        let asked: HashSet<TransactionId> = chunk.iter().map(|c| c.transaction_id).collect();
        let part = matching::suggestions_for(store.conn(), &params, Some(&asked))
            .unwrap()
            .credits;
        assert_eq!(ids(&part), ids(&all));
        for c in &part {
            if asked.contains(&c.transaction_id) {
                assert_eq!(c, by_id[&c.transaction_id], "credit {}", c.transaction_id);
            } else {
                assert!(c.suggestions.is_empty());
            }
        }
        // A page, read alone when the list said the rules were idle.
        let ids: Vec<TransactionId> = chunk.iter().map(|c| c.transaction_id).collect();
        let page = matching::suggestions_page(store.conn(), &params, &ids, idle).unwrap();
        assert_eq!(page.len(), chunk.len());
        for c in &page {
            assert_eq!(c, by_id[&c.transaction_id], "credit {}", c.transaction_id);
        }
    }

    // Through the cockpit's source: the list without suggestions, then pages of them.
    let s = source(store);
    let view = s.matching(today()).unwrap();
    assert_eq!(view.rules_idle, idle);
    assert_eq!(view.rows.len(), all.len());
    assert!(
        view.rows
            .iter()
            .all(|r| !r.suggested && r.suggestions.is_empty())
    );
    let listed: Vec<TransactionId> = view.rows.iter().map(|r| r.transaction_id).collect();
    for chunk in listed.chunks(11) {
        let got = s.match_suggestions(chunk, view.rules_idle).unwrap();
        assert_eq!(got.asked, chunk);
        assert_eq!(got.rows.len(), chunk.len());
        for (id, suggestions) in &got.rows {
            let mine: Vec<_> = suggestions.iter().map(shown).collect();
            assert_eq!(mine, whole(by_id[id]), "credit {id}");
            assert!(suggestions.iter().all(|g| !g.customer_name.is_empty()));
        }
    }
}

fn app() -> App {
    let cfg = AppConfig {
        lang: Language::En,
        currency: Currency::EUR,
        today: today(),
        colour: ColourMode::Ansi16,
        read_only: false,
    };
    let mut app = App::new(cfg, Keymap::defaults());
    // A page of 4 rows (the height less the frame's 8).
    update(&mut app, Msg::Resize(200, 12));
    app
}

fn press(app: &mut App, key: &str) -> Vec<Effect> {
    update(app, Msg::Key(KeyPress::parse(key).unwrap()))
}

/// Carries out the effects one by one, as the worker does; returns the requests seen.
fn run(app: &mut App, s: &mut StoreSource, mut effects: Vec<Effect>) -> Vec<Request> {
    let mut seen = Vec::new();
    while !effects.is_empty() {
        let effect = effects.remove(0);
        if let Effect::Load(r) = &effect {
            seen.push(r.clone());
        }
        if let Some(msg) = executor::execute(s, &effect, today(), &actor()) {
            effects.extend(update(app, msg));
        }
    }
    seen
}

fn rows(app: &App) -> &[MatchRow] {
    &app.data.matching.as_ref().unwrap().rows
}

fn asked_pages(requests: &[Request]) -> Vec<Vec<TransactionId>> {
    requests
        .iter()
        .filter_map(|r| match r {
            Request::MatchSuggestions { ids, .. } => Some(ids.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn scrolling_asks_for_the_next_page_and_accept_waits_for_the_suggestions() {
    let store = books(true);
    let params = Settings::defaults().matching.params();
    let all = matching::suggestions(store.conn(), &params).unwrap();
    let by_id: HashMap<TransactionId, &CreditSuggestions> =
        all.iter().map(|c| (c.transaction_id, c)).collect();
    let mut s = source(store);
    let mut app = app();
    let page = app.page_len() as usize;

    // Opening the screen asks for the list; its arrival asks for the first pages.
    let effects = press(&mut app, "6");
    assert_eq!(app.tab, Tab::Matching);
    assert_eq!(effects, vec![Effect::Load(Request::Matching)]);
    let Some(Msg::Loaded(Loaded::Matching(list))) =
        executor::execute(&mut s, &effects[0], today(), &actor())
    else {
        panic!("the list");
    };
    let n = list.rows.len();
    assert!(n > 7 * page, "{n} rows for pages of {page}");
    let effects = update(&mut app, Msg::Loaded(Loaded::Matching(list)));
    let first: Vec<TransactionId> = rows(&app)[..3 * page]
        .iter()
        .map(|r| r.transaction_id)
        .collect();
    assert_eq!(
        effects,
        vec![Effect::Load(Request::MatchSuggestions {
            ids: first,
            rules_idle: false
        })]
    );
    assert!(app.pending > 0, "the header says loading meanwhile");

    // Accept and reject before the suggestions came: nothing is written.
    assert!(!rows(&app)[0].suggested);
    assert_eq!(press(&mut app, "a"), vec![]);
    assert_eq!(app.status, Some(Status::SuggestionsLoading));
    assert_eq!(press(&mut app, "x"), vec![]);

    // The answer fills the rows asked for, exactly as the whole computation.
    let seen = run(&mut app, &mut s, effects);
    assert_eq!(asked_pages(&seen).len(), 1, "nothing more to ask: {seen:?}");
    for r in &rows(&app)[..3 * page] {
        assert!(r.suggested);
        let mine: Vec<_> = r.suggestions.iter().map(shown).collect();
        assert_eq!(mine, whole(by_id[&r.transaction_id]));
    }
    assert!(rows(&app)[3 * page..].iter().all(|r| !r.suggested));
    assert!(app.screens.matching.asked.is_empty());

    // Two pages down stay within what came; the next one reaches rows without suggestions
    // and asks for three pages ahead (the page behind came already).
    for _ in 0..2 {
        let effects = press(&mut app, "pagedown");
        assert_eq!(run(&mut app, &mut s, effects), vec![]);
    }
    let effects = press(&mut app, "pagedown");
    assert_eq!(app.screens.matching.selection.index, 3 * page);
    let pages = asked_pages(&run(&mut app, &mut s, effects));
    let expected: Vec<TransactionId> = rows(&app)[3 * page..6 * page]
        .iter()
        .map(|r| r.transaction_id)
        .collect();
    assert_eq!(pages, vec![expected]);
    assert!(rows(&app)[..6 * page].iter().all(|r| r.suggested));
    assert!(rows(&app)[6 * page..].iter().all(|r| !r.suggested));

    // Accept now acts on the suggestion on show, when there is one.
    let at = app.screens.matching.selection.index;
    let has = !rows(&app)[at].suggestions.is_empty();
    let effects = press(&mut app, "a");
    match has {
        true => assert!(
            matches!(effects.as_slice(), [Effect::Write(_)]),
            "{effects:?}"
        ),
        false => assert_eq!(effects, vec![]),
    }
}
