//! Property test: sites made of generated front matter and Markdown never make the build panic;
//! it either succeeds or reports diagnostics that each name a file.
//!
//! 64 cases by default so `cargo test` stays fast; `PROPTEST_CASES=1000` (CI) runs more.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::panic::AssertUnwindSafe;

use gazette::site::BuildOptions;
use proptest::prelude::*;

use crate::support::{copy_dir, fixtures};

/// A YAML scalar as an author might type it: plain, quoted, odd, or broken.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Zéèàç' ]{0,20}",
        "\"[^\"\\\\\n]{0,20}\"",
        Just("2024-01-05".to_string()),
        Just("2024-13-45 25:61".to_string()),
        Just("yes".to_string()),
        Just("~".to_string()),
        Just("[a, b]".to_string()),
        Just("{x: 1}".to_string()),
        Just("&a x".to_string()),
        Just("*a".to_string()),
        Just("\"unterminated".to_string()),
        Just("../../etc/x".to_string()),
        Just("/blog/:slug/".to_string()),
        "\\PC{0,12}",
    ]
}

fn front_matter() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("title"),
        Just("date"),
        Just("tags"),
        Just("permalink"),
        Just("draft"),
        Just("published"),
        Just("lang"),
        Just("description"),
        Just("aliases"),
        Just("template"),
        Just("typography"),
        Just("autre"),
    ];
    prop::collection::vec((key, scalar(), 0usize..3), 0..7).prop_map(|fields| {
        let mut text = String::new();
        for (key, value, indent) in fields {
            text.push_str(&"  ".repeat(indent));
            text.push_str(key);
            text.push_str(": ");
            text.push_str(&value);
            text.push('\n');
        }
        text
    })
}

fn markdown() -> impl Strategy<Value = String> {
    let block = prop_oneof![
        "[a-zA-Zéà«»:;!?' ]{0,60}",
        "#{1,7} [a-z ]{0,10}",
        Just("> > citation".to_string()),
        Just("- a\n  - b\n    - c".to_string()),
        Just("1. un\n2. deux".to_string()),
        Just("```rust\nfn main() {}\n```".to_string()),
        Just("```\nnon fermé".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |".to_string()),
        Just("<div><a href=\"https://x.example\" target=\"_blank\">x</a>".to_string()),
        Just("<!-- more -->".to_string()),
        Just("[^1]\n\n[^1]: note".to_string()),
        Just("[lien](../x.md) ![img](/x.png)".to_string()),
        Just("---".to_string()),
        Just("***gras** *ital".to_string()),
        "\\PC{0,30}",
    ];
    prop::collection::vec(block, 0..8).prop_map(|blocks| blocks.join("\n\n"))
}

/// One file: a name (date-shaped or not, with odd characters) and its text.
fn post() -> impl Strategy<Value = (String, String)> {
    let name = prop_oneof![
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]-[a-z-]{1,12}",
        "[0-9]{2}-[0-9]{2}-[0-9]{2}-[a-zé]{1,8}",
        "_?[a-zA-Z0-9 ._-]{1,16}",
    ];
    let has_front = prop::bool::weighted(0.85);
    (name, has_front, front_matter(), markdown()).prop_map(|(name, has_front, front, body)| {
        let text = if has_front {
            format!("---\n{front}---\n{body}\n")
        } else {
            body
        };
        (format!("{name}.md"), text)
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn generated_sites_build_or_name_a_file(
        posts in prop::collection::vec(post(), 1..5),
        pages in prop::collection::vec(post(), 0..3),
    ) {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join("minimal"), dir.path());
        let mut written = Vec::new();
        for (folder, files) in [("content/posts", &posts), ("content/pages", &pages)] {
            for (name, text) in files {
                let path = dir.path().join(folder).join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, text).unwrap();
                written.push(format!("{folder}/{name}"));
            }
        }
        let options = BuildOptions {
            today: chrono::NaiveDate::from_ymd_opt(2025, 1, 1),
            ..BuildOptions::default()
        };
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            gazette::pipeline::render_site(dir.path(), &options).map(|r| r.outputs.len())
        }));
        let result = match result {
            Ok(result) => result,
            Err(_) => return Err(TestCaseError::fail(format!("the build panicked on {written:?}"))),
        };
        if let Err(problems) = result {
            prop_assert!(problems.iter().any(|d| d.is_error()), "failed without an error");
            for d in &problems {
                prop_assert!(
                    !d.file.as_os_str().is_empty(),
                    "a diagnostic names no file: {:?}", d
                );
            }
        }
    }
}
