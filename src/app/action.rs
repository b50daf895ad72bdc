//! Everything a key can ask for. The names (snake_case) are what `config/keymap.toml`
//! binds; which screen an action applies to is the keymap section it is bound in.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    // --- everywhere ---
    /// Leave the cockpit.
    Quit,
    /// Open or close the help built from the keymap.
    Help,
    /// Back to the previous page (the selection there is kept); closes help and prompts.
    Back,
    /// Reload every screen's data now.
    Refresh,
    /// Next / previous screen in the tab order.
    NextScreen,
    PrevScreen,
    GoOverview,
    GoReceivables,
    GoSignals,
    GoQueue,
    GoForecast,
    GoMatching,
    GoImports,
    // --- lists ---
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Drill down into the selected line.
    Open,
    // --- receivables ---
    /// Type to filter by code or name.
    Filter,
    /// Sort by the next column.
    Sort,
    /// Reverse the sort order.
    ReverseSort,
    // --- call list (also on the customer page) ---
    Reached,
    NoAnswer,
    Voicemail,
    /// Asks for the date and the amount.
    Promise,
    /// Asks for the reason.
    Dispute,
    /// Asks for the instalments agreed.
    Plan,
    /// Asks until when.
    Snooze,
    /// Asks for the text; the line stays in the queue.
    Note,
    LetterWritten,
    /// Undo the last outcome you recorded.
    Undo,
    // --- forecast ---
    /// Expected ↔ prudent.
    Scenario,
    /// Push the selected customer's receipts 30 days later, or bring them back.
    PushCustomer,
    /// Show the next lower pane (table, risk periods, customers) on small terminals.
    CyclePane,
    // --- matching ---
    Accept,
    Reject,
    /// Asks for the customer code.
    Assign,
    NextSuggestion,
    PrevSuggestion,
    // --- customer page ---
    /// Asks for the new limit (empty: none).
    SetLimit,
    /// Asks for the segment.
    SetSegment,
}
