//! site.yml: typed parsing and validation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(config) = gazette::source::config::Config::from_text(text) {
            let _ = config.language_codes();
            for code in config.language_codes() {
                let _ = config.lang_prefix(&code);
            }
            let _ = config.base();
        }
    }
});
