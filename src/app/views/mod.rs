//! View models: plain data, one struct per thing a screen shows. A [`DataSource`]
//! (`super::source`) fills them; the interface only reads them. Nothing here computes:
//! the domain does, the source gathers, these carry.
//!
//! Text that comes from the data (names, reasons, scripts) is kept as given; the interface
//! cleans control characters when it draws.
//!
//! [`DataSource`]: super::source::DataSource

use serde::{Deserialize, Serialize};

mod ledger;
mod work;

pub use ledger::*;
pub use work::*;

/// Why a list is empty or partial, in words the interface translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    /// This build does not compute it yet (weak signals, queue, forecast or matching before
    /// their modules are merged): the screen says so instead of pretending.
    NotComputedYet,
    /// There is no bank data at all: the forecast has no start and the queue cannot be trusted.
    NoBankData,
    /// The database holds no invoice yet.
    NoData,
}
