//! The importer's `_redirects` reader: whatever a Jekyll site's `_redirects` holds, a rule that
//! becomes an HTML page names a file inside the new site.
#![no_main]

use std::path::{Component, Path};

use gazette::fuzzing::{RuleKind, redirect_rules};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for rule in redirect_rules(text) {
        if let RuleKind::Page { from, .. } = rule.kind {
            let file = gazette::text::url::output_path(&from);
            assert!(
                Path::new(&file)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_))),
                "{from:?} → {file:?}"
            );
            assert!(!file.contains('\\') && !file.contains('\0'), "{from:?}");
        }
    }
});
