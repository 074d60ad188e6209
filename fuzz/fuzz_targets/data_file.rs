//! A data file (content/data/*.yml): loose YAML parsing, duplicate keys and ambiguous scalars.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = Path::new("content/data/fuzz.yml");
    let Ok(text) = gazette::source::load::decode(data.to_vec(), file) else {
        return;
    };
    if let Ok(parsed) = gazette::source::yaml::parse(&text, file, 1) {
        let _ = gazette::source::load::duplicate_warnings(&parsed.duplicates, &text, file, 1);
    }
    let _ = gazette::source::yaml::ambiguous_scalars(&text);
    let _ = gazette::source::yaml::top_level_key_lines(&text);
});
