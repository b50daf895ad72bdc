pub mod domain;
pub mod import;
