//! A whole Markdown file: decode, split, then render the body with each typography.
#![no_main]

use std::path::Path;

use gazette::markdown::{MarkdownOptions, Typography};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = Path::new("content/page.md");
    let Ok(text) = gazette::source::load::decode(data.to_vec(), file) else {
        return;
    };
    let body = match gazette::source::load::parse_document(&text, file, "page.md") {
        Ok(doc) => doc.body,
        Err(_) => text,
    };
    let typography = match data.first().map(|b| b % 3) {
        Some(0) => Typography::French,
        Some(1) => Typography::English,
        _ => Typography::None,
    };
    let rendered = gazette::markdown::render(
        &body,
        &MarkdownOptions {
            typography,
            highlight: data.len() % 2 == 0,
            raw_html: data.len() % 3 == 0,
            ..MarkdownOptions::default()
        },
    );
    let _ = gazette::markdown::reading_time(rendered.word_count);
});
