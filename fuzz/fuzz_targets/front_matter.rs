//! Front-matter splitting and parsing: any bytes, decoded as a file would be, then split.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = Path::new("content/_posts/2024-01-05-fuzz.md");
    if let Ok(text) = gazette::source::load::decode(data.to_vec(), file) {
        if let Ok(doc) = gazette::source::load::parse_document(&text, file, "2024-01-05-fuzz.md") {
            // Every key's line must be computable without panicking.
            for key in doc.front.keys() {
                let _ = doc.key_line(key);
            }
        }
    }
});
