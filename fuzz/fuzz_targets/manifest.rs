//! The manifest reader: whatever a (doctored) manifest holds, every path it keeps is a plain
//! relative path, so a build can never remove a file outside its output folder.
#![no_main]

use std::path::{Component, Path};

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for path in gazette::fuzzing::manifest_paths(text) {
        assert!(!path.is_empty() && !path.contains('\\') && !path.contains('\0'), "{path:?}");
        assert!(
            Path::new(&path)
                .components()
                .all(|c| matches!(c, Component::Normal(_))),
            "{path:?}"
        );
        assert!(path.split('/').all(|n| n != ".." && n != "."), "{path:?}");
    }
});
