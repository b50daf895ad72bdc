//! Matching through the store.

mod bulk;
mod manual;
mod rules;
mod support;
