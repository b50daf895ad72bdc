//! The whole bytes path: size and emptiness checks, decoding, detection, then the reader.
#![no_main]

use encours::import::{ParseContext, parse_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_bytes(data, &ParseContext::default());
});
