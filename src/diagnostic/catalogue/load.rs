//! Reading the site: site.yml, files, YAML, front matter, records.

/// (English, French).
#[rustfmt::skip]
pub(super) const SENTENCES: &[(&str, &str)] = &[
];
