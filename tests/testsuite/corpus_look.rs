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

    // No interface key of a theme shown raw on any page.
    assert_eq!(
        crate::themes::pages_with_raw_keys(&public),
        Vec::<String>::new()
    );
    // No HTML shown as text where Jekyll's page had none, and no broken image Jekyll had not.
    let mut escaped = Vec::new();
    let mut broken = Vec::new();
    let mut broken_in_jekyll = 0;
    // The site's address (`url:` of its _config.yml), under which its pages name its images.
    let config = fs::read_to_string(src.join("_config.yml")).unwrap();
    let hosts: Vec<String> = config
        .lines()
        .filter_map(|l| l.strip_prefix("url:"))
        .map(|u| {
            u.trim()
                .trim_matches(['"', '\''])
                .trim_end_matches('/')
                .to_string()
        })
        .collect();
    for page in &pages {
        let jekyll = fs::read_to_string(reference.join(page)).unwrap();
        let Ok(ours) = fs::read_to_string(public.join(page)) else {
            continue;
        };
        if html_shown_as_text(&ours) > html_shown_as_text(&jekyll) {
            escaped.push(page.clone());
        }
        let theirs_missing = missing_images(&jekyll, page, &hosts, |path| src.join(path).is_file());
        broken_in_jekyll += theirs_missing.len();
        for image in missing_images(&ours, page, &hosts, |path| public.join(path).is_file()) {
            if !theirs_missing.contains(&image) {
                broken.push(format!("/{page}: {image}"));
            }
        }
    }
    // The site has images missing since Jekyll's time (tests/expected/eig-site-check.txt): the
    // comparison must see them, or it proves nothing.
    assert!(
        broken_in_jekyll > 0,
        "no broken image found in Jekyll's pages"
    );
    println!(
        "images broken in Jekyll's pages: {broken_in_jekyll}; broken only in gazette's: {}",
        broken.len()
    );
    assert!(
        escaped.is_empty(),
        "pages showing HTML tags as text: {escaped:?}"
    );
    assert!(
        broken.is_empty(),
        "images broken here but not in Jekyll's site: {broken:?}"
    );
}

/// How many HTML tags a page shows as text (`<strong>` printed escaped).
fn html_shown_as_text(page: &str) -> usize {
    let words = visible_words(page).join(" ");
    [
        "<strong", "<em>", "<a href", "<br", "<p>", "</p>", "<span", "<div", "<b>", "<i>",
    ]
    .iter()
    .map(|tag| words.matches(tag).count())
    .sum()
}

/// The images of a page (its `<img src>`, on this site) whose file `exists` says is missing,
/// as paths from the site's root.
fn missing_images(
    page: &str,
    page_path: &str,
    hosts: &[String],
    exists: impl Fn(&str) -> bool,
) -> Vec<String> {
    let doc = crate::support::html(page);
    let folder = page_path.rsplit_once('/').map_or("", |(folder, _)| folder);
    crate::support::select_attrs(&doc, "img", "src")
        .into_iter()
        .filter_map(|src| {
            // An address on the site's own host: only the path counts.
            let path = hosts
                .iter()
                .find_map(|host| src.strip_prefix(host.as_str()))
                .unwrap_or(&src);
            if path.contains("://") || path.starts_with("data:") || path.is_empty() {
                return None;
            }
            let path = path.split(['?', '#']).next().unwrap_or(path);
            let path = match path.strip_prefix('/') {
                Some(rooted) => rooted.to_string(),
                None if folder.is_empty() => path.to_string(),
                None => format!("{folder}/{path}"),
            };
            let path = gazette::text::escape::percent_decode_lossy(&path);
            let path = path.trim_start_matches('/').to_string();
            (!exists(&path)).then_some(path)
        })
        .collect()
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

#[test]
fn the_page_checks_see_what_they_look_for() {
    let page = "<html><body><p>&lt;strong&gt;Bonjour&lt;/strong&gt; <img src=\"/img/a.png\"><img src=\"b%20c.png\"></p></body></html>";
    assert_eq!(html_shown_as_text(page), 1);
    let hosts = vec!["https://example.org".to_string()];
    assert_eq!(
        missing_images(page, "blog/x.html", &hosts, |p| p == "img/a.png"),
        vec!["blog/b c.png".to_string()]
    );
}
