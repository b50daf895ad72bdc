//! Every CSV profile: bank, invoices, customers, ratings.
#![no_main]

use encours::import::{Format, ParseContext, parse_as, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = text::decode(data);
    let ctx = ParseContext::default();
    for format in [Format::BankCsv, Format::InvoiceCsv, Format::CustomerCsv, Format::RatingCsv] {
        let _ = parse_as(format, &text, &ctx);
    }
});
