//! Post file names, dates and permalinks: the rules a Jekyll site's `_posts` depend on.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = gazette::site::parse_post_file_name(text);
    let _ = gazette::text::dates::parse_date(text);
    let _ = gazette::text::dates::parse(text);
    let _ = gazette::text::slug::slugify(text);
    let permalink = gazette::text::url::expand(text, &[("slug", "a"), ("year", "2024"), ("title", text)]);
    if gazette::text::url::check_safe(&permalink).is_ok() {
        let path = gazette::text::url::output_path(&permalink);
        // A permalink judged safe must stay inside the output folder.
        assert!(
            !std::path::Path::new(&path)
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_))),
            "{permalink:?} -> {path:?}"
        );
    }
    let _ = gazette::text::url::absolute("https://example.org/", text);
});
