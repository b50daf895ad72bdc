//! The pure core: no I/O, no clock, no SQL, no terminal. Every function that depends on
//! "today" takes the as-of date as an argument.

pub mod ageing;
pub mod dunning;
pub mod figures;
pub mod forecast;
pub mod letters;
pub mod matching;
pub mod model;
pub mod money;
pub mod names;
pub mod penalties;
pub mod signals;
