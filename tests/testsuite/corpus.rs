//! Every Markdown and YAML file of a real site loads without a panic.
//!
//! `GAZETTE_CORPUS` names the folder (CI: `../shared/corpus/eig-site`); without it the test says
//! loudly that it was skipped, unless `GAZETTE_REQUIRE_CORPUS=1`, which makes that a failure.
//! Errors are fine (the corpus is a Jekyll site, not a gazette one); panics are not.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use gazette::markdown::{MarkdownOptions, Typography};

fn corpus() -> Option<PathBuf> {
    let required = std::env::var("GAZETTE_REQUIRE_CORPUS").is_ok_and(|v| v == "1");
    match std::env::var_os("GAZETTE_CORPUS") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(
                dir.is_dir(),
                "GAZETTE_CORPUS={} is not a folder",
                dir.display()
            );
            Some(dir)
        }
        None if required => panic!("GAZETTE_REQUIRE_CORPUS=1 but GAZETTE_CORPUS is not set"),
        None => {
            eprintln!(
                "\n*** SKIPPED every_corpus_file_loads_without_a_panic: set GAZETTE_CORPUS=../shared/corpus/eig-site ***\n"
            );
            None
        }
    }
}

fn load_markdown(text: &str, file: &Path) -> bool {
    let doc = gazette::source::load::parse_document(text, file, &file.to_string_lossy());
    let body = match &doc {
        Ok(doc) => doc.body.as_str(),
        Err(_) => text,
    };
    for typography in [Typography::French, Typography::English] {
        let _ = gazette::markdown::render(
            body,
            &MarkdownOptions {
                typography,
                ..MarkdownOptions::default()
            },
        );
    }
    doc.is_ok()
}

#[test]
fn every_corpus_file_loads_without_a_panic() {
    let Some(root) = corpus() else {
        return;
    };
    let (mut markdown, mut yaml, mut errors) = (0, 0, 0);
    let mut panics = Vec::new();
    for entry in walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let name = path.to_string_lossy();
        if !entry.file_type().is_file() || name.contains("/.git/") {
            continue;
        }
        let is_md = name.ends_with(".md") || name.ends_with(".markdown");
        let is_yaml = name.ends_with(".yml") || name.ends_with(".yaml");
        if !is_md && !is_yaml {
            continue;
        }
        let relative = path.strip_prefix(&root).unwrap().to_path_buf();
        let bytes = std::fs::read(path).unwrap();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let Ok(text) = gazette::source::load::decode(bytes, &relative) else {
                return false;
            };
            if is_md {
                load_markdown(&text, &relative)
            } else {
                gazette::source::yaml::parse(&text, &relative, 1).is_ok()
            }
        }));
        match outcome {
            Ok(ok) => {
                if !ok {
                    errors += 1;
                }
            }
            Err(_) => panics.push(relative.display().to_string()),
        }
        if is_md {
            markdown += 1;
        } else {
            yaml += 1;
        }
    }
    eprintln!(
        "corpus {}: {markdown} Markdown and {yaml} YAML files loaded, {errors} with diagnostics, {} panics",
        root.display(),
        panics.len()
    );
    assert!(
        markdown + yaml > 0,
        "no Markdown or YAML file under {}",
        root.display()
    );
    assert!(panics.is_empty(), "panics on: {panics:?}");
}
