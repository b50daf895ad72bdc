//! Test support for the interface: the fixture data source and a headless driver.
#![allow(dead_code)]

pub mod books;
pub mod fixture;
pub mod harness;
