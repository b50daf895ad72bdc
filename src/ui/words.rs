//! Labels that depend on a value (an action, an outcome, a status), built on `text`.

use super::text::{T, tr};
use crate::app::Action;
use crate::app::msg::{Failure, Status};
use crate::app::nav::Tab;
use crate::app::prompt::{FieldLabel, PromptError, Purpose};
use crate::app::screens::SortKey;
use crate::app::source::Feature;
use crate::app::views::{Channel, Notice, PromiseStatus, Scenario};
use crate::domain::model::Segment;
use crate::locale::Language;

/// Short labels for the key bar.
pub fn action(lang: Language, a: Action) -> &'static str {
    use Action::*;
    let (fr, en) = match a {
        Quit => ("quitter", "quit"),
        Help => ("aide", "help"),
        Back => ("retour", "back"),
        Refresh => ("recharger", "reload"),
        NextScreen => ("écran suiv.", "next screen"),
        PrevScreen => ("écran préc.", "prev screen"),
        GoOverview => ("synthèse", "overview"),
        GoReceivables => ("balance", "receivables"),
        GoSignals => ("signaux", "signals"),
        GoQueue => ("relances", "call list"),
        GoForecast => ("prévision", "forecast"),
        GoMatching => ("lettrage", "matching"),
        GoImports => ("imports", "imports"),
        Up => ("haut", "up"),
        Down => ("bas", "down"),
        PageUp => ("page préc.", "page up"),
        PageDown => ("page suiv.", "page down"),
        Top => ("début", "top"),
        Bottom => ("fin", "bottom"),
        Open => ("ouvrir", "open"),
        Filter => ("filtrer", "filter"),
        Sort => ("trier", "sort"),
        ReverseSort => ("inverser", "reverse"),
        Reached => ("joint", "reached"),
        NoAnswer => ("pas de rép.", "no answer"),
        Voicemail => ("message", "voicemail"),
        Promise => ("promesse", "promise"),
        Dispute => ("litige", "dispute"),
        Plan => ("échéancier", "plan"),
        Snooze => ("reporter", "snooze"),
        Note => ("note", "note"),
        LetterWritten => ("courrier", "letter"),
        Undo => ("annuler", "undo"),
        Scenario => ("scénario", "scenario"),
        PushCustomer => ("décaler", "push"),
        CyclePane => ("panneau", "pane"),
        Accept => ("accepter", "accept"),
        Reject => ("rejeter", "reject"),
        Assign => ("affecter", "assign"),
        NextSuggestion => ("sugg. suiv.", "next sugg."),
        PrevSuggestion => ("sugg. préc.", "prev sugg."),
        SetLimit => ("plafond", "limit"),
        SetSegment => ("segment", "segment"),
    };
    lang.pick(fr, en)
}

/// The name of an outcome or of an event kind; unknown kinds are shown as stored.
pub fn event_kind(lang: Language, kind: &str) -> String {
    let pair = match kind {
        "reached" => ("joint", "reached"),
        "no_answer" => ("pas de réponse", "no answer"),
        "voicemail" => ("message laissé", "voicemail"),
        "promise" => ("promesse", "promise"),
        "dispute" => ("litige", "dispute"),
        "plan" => ("échéancier", "payment plan"),
        "snooze" => ("reporté", "snoozed"),
        "note" => ("note", "note"),
        "letter_written" => ("courrier écrit", "letter written"),
        "outcome_undone" => ("annulation", "undo"),
        "limit_set" => ("plafond modifié", "limit changed"),
        "segment_set" => ("segment modifié", "segment changed"),
        other => return other.replace('_', " "),
    };
    lang.pick(pair.0, pair.1).to_string()
}

pub fn tab(lang: Language, t: Tab) -> &'static str {
    tr(
        lang,
        match t {
            Tab::Overview => T::TabOverview,
            Tab::Receivables => T::TabReceivables,
            Tab::Signals => T::TabSignals,
            Tab::Queue => T::TabQueue,
            Tab::Forecast => T::TabForecast,
            Tab::Matching => T::TabMatching,
            Tab::Imports => T::TabImports,
        },
    )
}

pub fn sort(lang: Language, s: SortKey) -> &'static str {
    tr(
        lang,
        match s {
            SortKey::Overdue => T::SortOverdue,
            SortKey::Open => T::SortOpen,
            SortKey::OldestLate => T::SortOldest,
            SortKey::Name => T::SortName,
            SortKey::Code => T::SortCode,
        },
    )
}

pub fn channel(lang: Language, c: Channel) -> &'static str {
    tr(
        lang,
        match c {
            Channel::Email => T::ChannelEmail,
            Channel::Phone => T::ChannelPhone,
            Channel::Letter => T::ChannelLetter,
            Channel::RegisteredLetter => T::ChannelRegistered,
            Channel::Escalation => T::ChannelEscalation,
        },
    )
}

pub fn scenario(lang: Language, s: Scenario) -> &'static str {
    tr(
        lang,
        match s {
            Scenario::Expected => T::Expected,
            Scenario::Prudent => T::Prudent,
        },
    )
}

pub fn promise_status(lang: Language, s: PromiseStatus) -> &'static str {
    tr(
        lang,
        match s {
            PromiseStatus::Pending => T::Pending,
            PromiseStatus::Kept => T::Kept,
            PromiseStatus::Broken => T::Broken,
        },
    )
}

pub fn segment(lang: Language, s: Segment) -> &'static str {
    let (fr, en) = match s {
        Segment::Strategic => ("stratégique", "strategic"),
        Segment::Standard => ("standard", "standard"),
        Segment::Watch => ("à surveiller", "watch"),
        Segment::New => ("nouveau", "new"),
    };
    lang.pick(fr, en)
}

/// The domain names the first bucket in English (its name for a reader is
/// `locale::ageing_bucket`'s, as in the CLI); the rest are day ranges, here with their unit.
pub fn bucket(lang: Language, label: &str) -> String {
    if label == "not due" {
        crate::locale::ageing_bucket(label, lang).to_string()
    } else {
        format!("{label} {}", tr(lang, T::DaysShort))
    }
}

pub fn notice(lang: Language, n: Notice) -> &'static str {
    tr(
        lang,
        match n {
            Notice::NotComputedYet => T::NotComputedYet,
            Notice::NoBankData => T::NoBankDataHint,
            Notice::NoData => T::NoDataHint,
        },
    )
}

fn feature(lang: Language, f: Feature) -> &'static str {
    let (fr, en) = match f {
        Feature::Signals => ("Les signaux faibles", "Weak signals"),
        Feature::Queue => ("Les relances", "The call list"),
        Feature::Forecast => ("La prévision", "The forecast"),
        Feature::Matching => ("Le lettrage", "Matching"),
    };
    lang.pick(fr, en)
}

pub fn prompt_title(lang: Language, p: &Purpose) -> String {
    let (t, name) = match p {
        Purpose::Promise { name, .. } => (T::PromptPromise, Some(name)),
        Purpose::Dispute { name, .. } => (T::PromptDispute, Some(name)),
        Purpose::Plan { name, .. } => (T::PromptPlan, Some(name)),
        Purpose::Snooze { name, .. } => (T::PromptSnooze, Some(name)),
        Purpose::Note { name, .. } => (T::PromptNote, Some(name)),
        Purpose::SetLimit { .. } => (T::PromptLimit, None),
        Purpose::SetSegment { .. } => (T::PromptSegment, None),
        Purpose::Assign { .. } => (T::PromptAssign, None),
        Purpose::Filter => (T::Filter, None),
    };
    match name {
        Some(n) => format!("{} · {}", tr(lang, t), n),
        None => tr(lang, t).to_string(),
    }
}

pub fn field(lang: Language, f: FieldLabel) -> &'static str {
    tr(
        lang,
        match f {
            FieldLabel::Date => T::FieldDate,
            FieldLabel::Amount => T::FieldAmount,
            FieldLabel::Reason => T::FieldReason,
            FieldLabel::Detail => T::FieldDetail,
            FieldLabel::Until => T::FieldUntil,
            FieldLabel::Text => T::FieldText,
            FieldLabel::Limit => T::FieldLimit,
            FieldLabel::Segment => T::FieldSegment,
            FieldLabel::CustomerCode => T::FieldCustomerCode,
            FieldLabel::Filter => T::Filter,
        },
    )
}

pub fn prompt_error(lang: Language, e: PromptError) -> &'static str {
    tr(
        lang,
        match e {
            PromptError::BadDate => T::ErrBadDate,
            PromptError::DateInPast => T::ErrDateInPast,
            PromptError::BadAmount => T::ErrBadAmount,
            PromptError::Empty => T::ErrEmpty,
            PromptError::BadSegment => T::ErrBadSegment,
        },
    )
}

/// The status line, and whether it reports a problem.
pub fn status(lang: Language, s: &Status) -> (String, bool) {
    match s {
        Status::Recorded { name, outcome } => (
            format!(
                "{} {} {name}",
                capitalise(&event_kind(lang, outcome)),
                tr(lang, T::Recorded)
            ),
            false,
        ),
        Status::Undone(what) => (format!("{} {what}", tr(lang, T::UndoneStatus)), false),
        Status::MatchAccepted => (tr(lang, T::MatchAccepted).into(), false),
        Status::MatchRejected => (tr(lang, T::MatchRejected).into(), false),
        Status::SuggestionsLoading => (tr(lang, T::SuggestionsLoading).into(), true),
        Status::Assigned(code) => (format!("{} {code}", tr(lang, T::Assigned)), false),
        Status::LimitSet => (tr(lang, T::LimitSet).into(), false),
        Status::SegmentSet => (tr(lang, T::SegmentSet).into(), false),
        Status::Reloaded => (tr(lang, T::Reloaded).into(), false),
        Status::Notice(text, problem) => (text.clone(), *problem),
        Status::ClaimedBy(who) => (format!("{} {who}", tr(lang, T::AlreadyWorked)), true),
        Status::ReadOnly => (tr(lang, T::ReadOnly).into(), true),
        Status::Failed(Failure::NotAvailable(f)) => (
            format!(
                "{}{}{}",
                feature(lang, *f),
                lang.pick(" : ", ": "),
                tr(lang, T::NotAvailable)
            ),
            true,
        ),
        Status::Failed(Failure::Error(m)) => (format!("{} {m}", tr(lang, T::Failed)), true),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
