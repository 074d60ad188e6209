//! `minify: true`: every page of the demo, in both themes, shows the same text with and without
//! it (read by a real HTML parser, scraper/html5ever), preformatted text byte for byte, in fewer
//! bytes; stylesheets are smaller and still fingerprinted after their final bytes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use crate::support::{gazette_in, html, visible_words};
use crate::themes::{demo_with_theme, html_files};

/// The text of every `pre` and `textarea` of a page, as the parser reads it.
fn preformatted(page: &str) -> Vec<String> {
    let doc = html(page);
    let selector = scraper::Selector::parse("pre, textarea").unwrap();
    doc.select(&selector)
        .map(|e| e.text().collect::<String>())
        .collect()
}

fn build(dir: &Path, minify: bool) -> std::path::PathBuf {
    if minify {
        let yml = std::fs::read_to_string(dir.join("site.yml")).unwrap();
        std::fs::write(dir.join("site.yml"), format!("{yml}\nminify: true\n")).unwrap();
    }
    let run = gazette_in(
        dir,
        &["build", "--output", if minify { "mini" } else { "plain" }],
    );
    assert!(run.success(), "{}", run.stderr);
    dir.join(if minify { "mini" } else { "plain" })
}

fn total_size(files: &[std::path::PathBuf]) -> u64 {
    files
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum()
}

#[test]
fn minified_pages_show_the_same_text_in_fewer_bytes() {
    for theme in ["default", "dsfr"] {
        let tmp = tempfile::tempdir().unwrap();
        demo_with_theme(tmp.path(), theme);
        let plain = build(tmp.path(), false);
        let mini = build(tmp.path(), true);
        let pages = html_files(&plain);
        assert!(pages.len() > 50, "{theme}: {} pages", pages.len());
        let mut minified_pages = Vec::new();
        for page in &pages {
            let relative = page.strip_prefix(&plain).unwrap();
            let other = mini.join(relative);
            let a = std::fs::read_to_string(page).unwrap();
            let b = std::fs::read_to_string(&other)
                .unwrap_or_else(|e| panic!("{theme}: {}: {e}", relative.display()));
            assert_eq!(
                visible_words(&a),
                visible_words(&b),
                "{theme}: {} reads differently",
                relative.display()
            );
            assert_eq!(
                preformatted(&a),
                preformatted(&b),
                "{theme}: {}",
                relative.display()
            );
            // The head says the same (title, description).
            let title = |p: &str| crate::support::select_texts(&html(p), "title");
            assert_eq!(title(&a), title(&b));
            minified_pages.push(other);
        }
        let (before, after) = (total_size(&pages), total_size(&minified_pages));
        assert!(
            after < before,
            "{theme}: {after} bytes, not fewer than {before}"
        );
        eprintln!("{theme}: HTML {before} → {after} bytes");
        // The stylesheets are smaller, and the fingerprinted copy a page links is the minified one.
        let index = std::fs::read_to_string(mini.join("index.html")).unwrap();
        let doc = html(&index);
        let sheets = crate::support::select_attrs(&doc, "link[rel=stylesheet]", "href");
        assert!(!sheets.is_empty());
        for sheet in sheets {
            let path = sheet.trim_start_matches('/');
            let (stem, ending) = path.rsplit_once('.').unwrap();
            let plain_name = format!("{}.{ending}", stem.rsplit_once('.').unwrap().0);
            let small = std::fs::read(mini.join(path)).unwrap();
            assert_eq!(small, std::fs::read(mini.join(&plain_name)).unwrap());
            let full = std::fs::read(plain.join(&plain_name)).unwrap();
            assert!(small.len() <= full.len(), "{theme}: {plain_name}");
        }
    }
}
