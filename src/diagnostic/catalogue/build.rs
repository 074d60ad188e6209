//! Building the site: templates, pages, output folder, preview.

/// (English, French).
#[rustfmt::skip]
pub(super) const SENTENCES: &[(&str, &str)] = &[
];
