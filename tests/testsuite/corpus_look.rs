//! The programme's real site, imported and built, reads like the site real Jekyll built from it:
//! every one of the 444 HTML pages of ../shared/corpus/eig-site.jekyll (Jekyll 4.3 and
//! jekyll-paginate-v2, not written by us) is compared, by its visible text, with the page gazette
//! writes at the same path. A page under the bar must be explained in
//! tests/expected/eig-site-look-exceptions.txt (at most 10), and an explained page that is back
//! over the bar must leave that list.
//!
//! Runs when `GAZETTE_CORPUS` names the corpus, as the other real-site tests.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::support::{gazette_in, import_jekyll, repo_root, text_similarity, visible_words};

/// The similarity every page must reach.
const BAR: f64 = 0.98;
/// The most pages the exceptions file may explain.
const MAX_EXCEPTIONS: usize = 10;

fn exceptions() -> BTreeMap<String, String> {
    let text = fs::read_to_string(repo_root().join("tests/expected/eig-site-look-exceptions.txt"))
        .unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (page, why) = l.split_once(' ').unwrap_or((l, ""));
            (page.to_string(), why.trim().to_string())
        })
        .collect()
}

fn html_pages(root: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    pages.sort();
    pages
}

#[test]
fn every_page_reads_like_the_page_jekyll_built() {
    let Some(src) = crate::import_corpus::corpus() else {
        return;
    };
    let reference = src.parent().unwrap().join("eig-site.jekyll");
    assert!(
        reference.is_dir(),
        "{} is missing: the corpus holds what Jekyll built",
        reference.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let (_, site) = import_jekyll(&src, tmp.path());
    let build = gazette_in(&site, &["build"]);
    assert!(build.success(), "build failed:\n{}", build.stderr);
    let public = site.join("public");

    let pages = html_pages(&reference);
    assert_eq!(pages.len(), 444, "the corpus's Jekyll build has 444 pages");
    let mut scores: Vec<(f64, String)> = pages
        .iter()
        .map(|page| {
            let jekyll = fs::read_to_string(reference.join(page)).unwrap();
            let score = match fs::read_to_string(public.join(page)) {
                Ok(ours) => text_similarity(&visible_words(&jekyll), &visible_words(&ours)),
                Err(_) => 0.0,
            };
            (score, page.clone())
        })
        .collect();
    scores.sort_by(|a, b| a.0.total_cmp(&b.0));
    // GAZETTE_LOOK_DIFF=communaute/2018/x.html prints what differs on that page.
    if let Ok(page) = std::env::var("GAZETTE_LOOK_DIFF") {
        print_differences(&reference.join(&page), &public.join(&page));
    }
    let mean = scores.iter().map(|s| s.0).sum::<f64>() / scores.len() as f64;
    let over = scores.iter().filter(|s| s.0 >= BAR).count();
    println!(
        "visible text of the imported site against Jekyll's: {over} of {} pages ≥ {BAR}, mean {mean:.4}; the worst:",
        scores.len()
    );
    for (score, page) in scores.iter().take(12) {
        println!("  {score:.4}  /{page}");
    }

    let explained = exceptions();
    assert!(
        explained.len() <= MAX_EXCEPTIONS,
        "at most {MAX_EXCEPTIONS} pages may be explained"
    );
    let under: Vec<&(f64, String)> = scores.iter().filter(|s| s.0 < BAR).collect();
    let unexplained: Vec<String> = under
        .iter()
        .filter(|(_, page)| !explained.contains_key(page))
        .map(|(score, page)| format!("/{page} ({score:.4})"))
        .collect();
    assert!(
        unexplained.is_empty(),
        "pages under {BAR} that tests/expected/eig-site-look-exceptions.txt does not explain: {unexplained:?}"
    );
    let stale: Vec<&String> = explained
        .keys()
        .filter(|page| !under.iter().any(|(_, p)| p == *page))
        .collect();
    assert!(
        stale.is_empty(),
        "pages explained in tests/expected/eig-site-look-exceptions.txt that now reach {BAR}: remove them: {stale:?}"
    );
}

/// The words that differ between Jekyll's page and gazette's, for a person investigating.
fn print_differences(jekyll: &Path, ours: &Path) {
    let a = visible_words(&fs::read_to_string(jekyll).unwrap_or_default());
    let b = visible_words(&fs::read_to_string(ours).unwrap_or_default());
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let b: Vec<&str> = b.iter().map(String::as_str).collect();
    let diff = similar::TextDiff::configure().diff_slices(&a, &b);
    for op in diff.ops() {
        let (tag, old, new) = op.as_tag_tuple();
        if tag != similar::DiffTag::Equal {
            println!(
                "{tag:?}: Jekyll «{}» gazette «{}»",
                a[old].join(" "),
                b[new].join(" ")
            );
        }
    }
}
