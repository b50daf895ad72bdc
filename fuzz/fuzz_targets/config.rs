//! The layered TOML config loader, with the fuzzed text as the user's layer over defaults.
#![no_main]

use encours::config::Settings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Settings::from_layers(&[("fuzz.toml", text)]);
    }
});
