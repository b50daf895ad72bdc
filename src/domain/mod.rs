//! The pure core: no I/O, no clock, no SQL, no terminal. Every function that depends on
//! "today" takes the as-of date as an argument.

pub mod ageing;
pub mod matching;
pub mod model;
pub mod money;
