//! MT940, CFONB 120 and QIF: the line-based bank readers.
#![no_main]

use encours::import::{Format, ParseContext, parse_as, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = text::decode(data);
    let ctx = ParseContext::default();
    for format in [Format::Mt940, Format::Cfonb120, Format::Qif] {
        let _ = parse_as(format, &text, &ctx);
    }
});
