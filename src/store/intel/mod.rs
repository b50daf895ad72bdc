//! Receivables intelligence over the store: the rows the domain needs are gathered here,
//! streamed and folded into per-customer accumulators, and handed to the pure computations
//! in `domain::{figures, signals, dunning, penalties}`.
//!
//! Entry points for the cockpit and the command line:
//! - [`figures::key_figures`], [`signals::assess_all`], [`signals::check`]
//! - [`queue::build_queue`] (today's queue, with scripts rendered)
//! - [`outcomes::record_outcome`], [`outcomes::undo_last_outcome`], [`outcomes::history`]
//! - [`view::customer_view`] (everything about one customer)
//! - [`Live`]: what a cockpit keeps (gather, assessments, queue, the key figures' and the
//!   forecast's own reads), refreshed for the changed customers after a write
//! - [`customers::find_customer`]

pub mod changes;
pub mod customers;
mod delays_kept;
mod extend;
pub mod figures;
pub mod gather;
mod history;
mod kept;
pub mod live;
pub mod outcomes;
mod paid_down;
mod paid_kept;
mod payers;
pub mod queue;
pub mod signals;
pub mod state;
pub mod view;

pub use changes::Marks;
pub use gather::{Bundle, Gathered, Refreshed, gather, gather_marked, refresh, refresh_touched};
pub use live::Live;
pub use paid_kept::RefreshPaths;

use crate::config::Settings;
use crate::domain::ageing::Buckets;
use crate::domain::dunning::Policy;
use crate::domain::dunning::letter::Sender;
use crate::domain::figures::FigureSettings;
use crate::domain::letters::TemplateSet;
use crate::domain::money::Currency;
use crate::domain::penalties::PenaltySettings;
use crate::domain::signals::SignalSettings;
use crate::locale::Language;
use crate::policy::Dunning;

/// What the computations need from the settings, borrowed.
pub struct Params<'a> {
    pub figures: &'a FigureSettings,
    pub signals: &'a SignalSettings,
    pub penalties: &'a PenaltySettings,
    pub policy: &'a Policy,
    pub templates: &'a TemplateSet,
    pub buckets: Buckets,
    pub default_terms_days: u32,
    pub stale_after_days: u32,
    pub currency: Currency,
    pub lang: Language,
    pub sender: Sender,
}

impl<'a> Params<'a> {
    pub fn new(settings: &'a Settings, dunning: &'a Dunning, lang: Language) -> Self {
        let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        Params {
            figures: &settings.figures,
            signals: &settings.signals,
            penalties: &settings.penalties,
            policy: &dunning.policy,
            templates: &dunning.templates,
            buckets: settings.buckets(),
            default_terms_days: settings.general.default_terms_days,
            stale_after_days: settings.bank.stale_after_days,
            currency: settings.general.currency,
            lang,
            sender: Sender {
                name: settings.general.company_name.clone(),
                address: settings.letters.sender_address.clone(),
                email: opt(&settings.letters.sender_email),
                phone: opt(&settings.letters.sender_phone),
            },
        }
    }
}

/// Which customers a read covers. `Set` is a JSON array of ids, read through `json_each` so
/// that each query seeks its customer index once per id instead of scanning: what an
/// incremental refresh needs for the customers an import or an outcome touched.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    All,
    One(crate::domain::model::CustomerId),
    Set(&'a str),
}

impl Scope<'_> {
    pub fn only(&self) -> Option<crate::domain::model::CustomerId> {
        match self {
            Scope::One(c) => Some(*c),
            _ => None,
        }
    }

    /// The condition on `col` with the scope bound as parameter `?n`. One customer gets a
    /// plain equality: with `?n IS NULL OR col = ?n` for every scope, SQLite could not use
    /// an index on `col` and read the whole table for one customer.
    pub fn filter(&self, col: &str, n: usize) -> String {
        match self {
            Scope::Set(_) => format!("{col} IN (SELECT value FROM json_each(?{n}))"),
            Scope::One(_) => format!("{col} = ?{n}"),
            Scope::All => format!("?{n} IS NULL"),
        }
    }

    pub fn value(&self) -> rusqlite::types::Value {
        use rusqlite::types::Value;
        match self {
            Scope::All => Value::Null,
            Scope::One(c) => Value::Integer(*c),
            Scope::Set(s) => Value::Text((*s).to_string()),
        }
    }
}
