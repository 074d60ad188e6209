//! The Jekyll importer's rules: dates and slugs from post file names, front-matter dates,
//! permalink templates and the file each old URL was served from.
#![no_main]

use gazette::import::urls;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The input is split in two: a file name or date, and a permalink template.
    let (name, template) = text
        .split_once('\n')
        .unwrap_or((text, "/:categories/:year/:month/:day/:title:output_ext"));
    let dated = urls::date_from_file_name(name);
    let _ = urls::parse_front_date(name);
    let _ = gazette::text::slug::slugify_pretty(name);
    let _ = gazette::text::slug::slugify_default(name);
    let placeholders = urls::Placeholders {
        date: dated
            .as_ref()
            .map(|(d, _)| d.and_hms_opt(0, 0, 0).unwrap_or_default()),
        title: name.to_string(),
        slug: gazette::text::slug::slugify_default(name),
        name: gazette::text::slug::slugify_default(name),
        ..Default::default()
    };
    let url = urls::expand(template, &placeholders);
    let _ = urls::clean(&url);
    let _ = urls::served_file(&url);
    let _ = urls::style_template(template);
    let _ = urls::page_template(name, ".html", template);
});
