//! Matching through the store.

mod bulk;
mod file_backed;
mod manual;
mod rules;
mod support;
