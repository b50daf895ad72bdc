pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod import;
pub mod ingest;
pub mod locale;
pub mod store;
