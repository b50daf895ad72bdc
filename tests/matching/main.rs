//! Matching through the store.

mod manual;
mod rules;
mod support;
