//! Where the user is: a tab (screen) and a stack of drill-down pages above it, and the
//! selection of each list, kept by identity so that a reload or a filter keeps it.

use super::keymap::Context;
use super::views::{CustomerView, InvoiceView};
use crate::domain::model::{CustomerId, InvoiceId};
use std::cell::Cell;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Overview,
    Receivables,
    Signals,
    Queue,
    Forecast,
    Matching,
    Imports,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Overview,
        Tab::Receivables,
        Tab::Signals,
        Tab::Queue,
        Tab::Forecast,
        Tab::Matching,
        Tab::Imports,
    ];

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }

    pub fn context(self) -> Context {
        match self {
            Tab::Overview => Context::Overview,
            Tab::Receivables => Context::Receivables,
            Tab::Signals => Context::Signals,
            Tab::Queue => Context::Queue,
            Tab::Forecast => Context::Forecast,
            Tab::Matching => Context::Matching,
            Tab::Imports => Context::Imports,
        }
    }
}

/// A list's selection: the index shown, and the identity of the selected item so that it
/// can be found again when the data or the order changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    pub index: usize,
    pub key: Option<i64>,
    /// First visible line, remembered between frames so that scrolling does not jump. The
    /// renderer updates it: it is a cache of the drawing, not application state.
    pub offset: Cell<usize>,
}

impl Selection {
    /// After the list changed: select the same item if it is still there, else the line
    /// now at the same place (so that a handled line is replaced by the next one).
    pub fn sync(&mut self, keys: &[i64]) {
        if let Some(key) = self.key
            && let Some(i) = keys.iter().position(|k| *k == key)
        {
            self.index = i;
            return;
        }
        self.index = self.index.min(keys.len().saturating_sub(1));
        self.key = keys.get(self.index).copied();
    }

    /// Moves by `delta` lines within `keys`, stopping at the ends.
    pub fn move_by(&mut self, delta: isize, keys: &[i64]) {
        if keys.is_empty() {
            self.index = 0;
            self.key = None;
            return;
        }
        let last = keys.len() - 1;
        let target = self.index.min(last) as isize + delta;
        self.index = target.clamp(0, last as isize) as usize;
        self.key = keys.get(self.index).copied();
    }

    pub fn select(&mut self, index: usize, keys: &[i64]) {
        self.index = 0;
        self.move_by(index as isize, keys);
    }
}

/// A page reached by drilling down; it carries its own data and selection, so going back
/// finds the page below exactly as it was left.
// A handful of pages on the stack: their size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    Customer {
        id: CustomerId,
        view: Option<CustomerView>,
        /// Among the open invoices.
        selection: Selection,
    },
    Invoice {
        id: InvoiceId,
        view: Option<InvoiceView>,
        scroll: usize,
    },
}

impl Page {
    pub fn customer(id: CustomerId) -> Page {
        Page::Customer {
            id,
            view: None,
            selection: Selection::default(),
        }
    }

    pub fn invoice(id: InvoiceId) -> Page {
        Page::Invoice {
            id,
            view: None,
            scroll: 0,
        }
    }

    pub fn context(&self) -> Context {
        match self {
            Page::Customer { .. } => Context::Customer,
            Page::Invoice { .. } => Context::Invoice,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_follows_its_item_then_falls_to_the_next_line() {
        let mut s = Selection::default();
        s.select(1, &[10, 20, 30]);
        assert_eq!(s.key, Some(20));
        s.sync(&[5, 10, 20, 30]);
        assert_eq!(s.index, 2);
        s.sync(&[5, 10, 30]);
        assert_eq!((s.index, s.key), (2, Some(30)));
        s.sync(&[5, 10]);
        assert_eq!((s.index, s.key), (1, Some(10)));
        s.sync(&[]);
        assert_eq!((s.index, s.key), (0, None));
    }

    #[test]
    fn moves_stop_at_the_ends() {
        let mut s = Selection::default();
        let keys = [1, 2, 3];
        s.move_by(-1, &keys);
        assert_eq!(s.index, 0);
        s.move_by(10, &keys);
        assert_eq!((s.index, s.key), (2, Some(3)));
    }

    #[test]
    fn tabs_cycle() {
        assert_eq!(Tab::Imports.next(), Tab::Overview);
        assert_eq!(Tab::Overview.prev(), Tab::Imports);
    }
}
