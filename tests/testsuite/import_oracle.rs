//! The oracle for `gazette import jekyll`: real Jekyll. Each fixture site `tests/fixtures/jekyll_<family>`
//! exercises one family of Jekyll behaviour; the test builds it with real Jekyll 4.3 (Debian's
//! package and plugins, through `../shared/corpus/jekyll-reference.sh`, into a temporary folder),
//! imports it with gazette and builds the result, then asserts that:
//! - every file Jekyll wrote is served by gazette at the same path: the same kind of content, or a
//!   redirect page that the import report lists (a redirect Jekyll wrote must stay a redirect to
//!   the same target);
//! - each page of Jekyll's (its `<article>`, from the fixtures' layout) has its `<h1>` and the start
//!   of its first paragraph at that URL in gazette's site;
//! - no text marked `NOPUB` in the sources (drafts, unpublished, excluded files, `output: false`
//!   collections: personal data) is in gazette's output, since Jekyll did not publish it.
//!
//! Ignored by default, since it needs Jekyll: `.ci/run` runs it with
//! `cargo test --test testsuite import_oracle -- --ignored` (the script installs Jekyll with apt-get
//! when missing). `JEKYLL_REFERENCE` may name another script with the same arguments (SITE DEST);
//! `JEKYLL_FIXTURES=jekyll_a,jekyll_b` checks only those fixtures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{fixtures, gazette_in, html, repo_root, select_texts};

/// The fixture sites checked against real Jekyll, one family of Jekyll behaviour each.
const FIXTURES: &[&str] = &[
    "jekyll_collections_dir",
    "jekyll_include_exclude",
    "jekyll_collections_output",
    "jekyll_permalink_pretty",
    "jekyll_categories",
    "jekyll_pages_permalinks",
    "jekyll_redirects",
    "jekyll_not_found",
    "jekyll_permalink_ordinal",
    "jekyll_permalink_none",
    "jekyll_permalink_custom",
    "jekyll_drafts_future",
    "jekyll_data",
    "jekyll_paginate_v1",
    "jekyll_paginate_v2",
    "jekyll_defaults",
    "jekyll_paginate_home",
    "jekyll_baseurl",
    "jekyll_odd_names",
    "jekyll_liquid_posts",
    "jekyll_autopages",
    "jekyll_records",
    "jekyll_basic",
    "jekyll_includes",
    "jekyll_feed_path",
    "jekyll_archives",
    "jekyll_polyglot",
];

/// Files Jekyll writes that gazette cannot serve yet, with the reason (a change outside the
/// importer). Listed in the test's output; the test fails when one of them becomes served, so that
/// the list stays true.
const KNOWN_GAPS: &[(&str, &str, &str)] = &[
    (
        "jekyll_pages_permalinks",
        "assets/main.css",
        "gazette compiles the Sass (grass) and serves the CSS there, but not byte for byte as Jekyll's sassc formats it",
    ),
    (
        "jekyll_pages_permalinks",
        "assets/main.css.map",
        "the source map of the Sass Jekyll compiled: listed as not served",
    ),
    (
        "jekyll_polyglot",
        "en/feed.xml",
        "polyglot's English feed lists the French posts it copied under /en/; gazette's lists the English posts (the copies are redirects)",
    ),
    (
        "jekyll_polyglot",
        "sitemap.xml",
        "polyglot's sitemap lists the English-only page it copied at the root; in gazette that address is a redirect, which a sitemap does not list",
    ),
    (
        "jekyll_polyglot",
        "en/sitemap.xml",
        "gazette writes one sitemap for all languages: /en/sitemap.xml is a redirect page to it (listed in the report)",
    ),
    (
        "jekyll_polyglot",
        "en/robots.txt",
        "gazette writes one robots.txt: /en/robots.txt is a redirect page to it (listed in the report)",
    ),
];

/// Pages whose visible text differs from Jekyll's on purpose or for a reason outside the
/// importer, with the reason: listed in the test's output; the test fails when one of them
/// becomes alike, so that the list stays true.
const TEXT_GAPS: &[(&str, &str, &str)] = &[
    (
        "jekyll_basic",
        "blog/index.html",
        "`{% cycle %}` has no tera equivalent: the listing shows it as written, and the report lists it with its file and line",
    ),
    (
        "jekyll_basic",
        "blog/page2/index.html",
        "the same `{% cycle %}` on page 2 of the listing",
    ),
    (
        "jekyll_basic",
        "news/2020/04/04/code.html",
        "Jekyll runs Liquid inside `{% highlight %}` (here `{{ not liquid }}` prints nothing); gazette keeps the code as written",
    ),
    (
        "jekyll_paginate_home",
        "index.html",
        "a paginated listing on the home page: gazette's home shows the latest posts in its theme, and the listing's pages 2 and after move to /blog/",
    ),
];

/// jekyll-archives' pages that gazette makes in its own theme (its tag, category, year and month
/// pages: the site's `archive` layout is not used for them), so they read differently; the same
/// posts are listed ([`lists_same_posts`]). Listed like [`TEXT_GAPS`].
const ARCHIVE_PAGES: (&str, &[&str]) = (
    "jekyll_archives",
    &[
        "2020/index.html",
        "2020/04/index.html",
        "2020/06/index.html",
        "2020/11/index.html",
        "2021/index.html",
        "2021/01/index.html",
        "category/annonces/index.html",
        "category/guides/index.html",
        "category/news/index.html",
        "etiquette/logiciel-libre/index.html",
        "etiquette/open-data/index.html",
        "etiquette/rust/index.html",
    ],
);

/// Files gazette writes itself in its own way: compared by URL only.
const GENERATED: &[&str] = &["feed.xml", "atom.xml", "sitemap.xml", "robots.txt"];

/// Marks text that Jekyll does not publish: it must never appear in gazette's output.
const UNPUBLISHED: &str = "NOPUB";

/// What the comparison of one fixture found.
struct Outcome {
    fixture: String,
    jekyll_files: usize,
    served: usize,
    failures: Vec<String>,
    known_gaps: Vec<String>,
    gazette_only: Vec<String>,
}

#[test]
#[ignore = "needs real Jekyll: run by .ci/run"]
fn every_url_jekyll_writes_is_served_by_the_imported_site() {
    let only = std::env::var("JEKYLL_FIXTURES").unwrap_or_default();
    let outcomes: Vec<Outcome> = FIXTURES
        .iter()
        .filter(|f| only.is_empty() || only.split(',').any(|o| o.trim() == **f))
        .map(|f| compare(f))
        .collect();
    let mut summary = String::new();
    for o in &outcomes {
        let _ = writeln!(
            summary,
            "{}: {} files written by Jekyll, {} served by gazette{}",
            o.fixture,
            o.jekyll_files,
            o.served,
            if o.failures.is_empty() {
                ""
            } else {
                " — FAILED"
            }
        );
        for failure in &o.failures {
            let _ = writeln!(summary, "    {failure}");
        }
        for gap in &o.known_gaps {
            let _ = writeln!(summary, "    known gap: {gap}");
        }
        if !o.gazette_only.is_empty() {
            let _ = writeln!(
                summary,
                "    (pages gazette adds: {})",
                o.gazette_only.join(", ")
            );
        }
    }
    println!("{summary}");
    assert!(
        outcomes.iter().all(|o| o.failures.is_empty()),
        "gazette does not serve what Jekyll wrote:\n{summary}"
    );
}

/// Builds `fixture` with Jekyll and with gazette after import, and compares them.
fn compare(fixture: &str) -> Outcome {
    let src = fixtures().join(fixture);
    let tmp = tempfile::tempdir().unwrap();
    let jekyll_out = tmp.path().join("jekyll");
    build_with_jekyll(&src, &jekyll_out);
    let (_, dest) = crate::support::import_jekyll(&src, tmp.path());
    let build = gazette_in(&dest, &["build"]);
    assert!(
        build.success(),
        "{fixture}: the imported site does not build:\n{}",
        build.stderr
    );
    let report = fs::read_to_string(dest.join("import-report.txt")).unwrap();
    let public = dest.join("public");
    let jekyll_files = files_under(&jekyll_out);
    let gazette_files = files_under(&public);
    let mut outcome = Outcome {
        fixture: fixture.to_string(),
        jekyll_files: jekyll_files.len(),
        served: 0,
        failures: Vec::new(),
        known_gaps: Vec::new(),
        gazette_only: Vec::new(),
    };
    for file in &jekyll_files {
        let gap = KNOWN_GAPS
            .iter()
            .find(|(f, path, _)| *f == fixture && path == file);
        match (check_file(file, &jekyll_out, &public, &report), gap) {
            (Ok(()), None) => outcome.served += 1,
            (Ok(()), Some(_)) => outcome.failures.push(format!(
                "{}: served now, remove it from KNOWN_GAPS",
                url_of(file)
            )),
            (Err(why), None) => outcome.failures.push(format!("{}: {why}", url_of(file))),
            (Err(_), Some((_, _, reason))) => outcome
                .known_gaps
                .push(format!("{} not served: {reason}", url_of(file))),
        }
    }
    // With the site's own layouts converted, every page reads as Jekyll's did.
    if src.join("_layouts").is_dir() {
        for file in jekyll_files.iter().filter(|f| f.ends_with(".html")) {
            let theirs = fs::read_to_string(jekyll_out.join(file)).unwrap_or_default();
            let Ok(ours) = fs::read_to_string(public.join(file)) else {
                continue;
            };
            if redirect_target(&theirs).is_some() || redirect_target(&ours).is_some() {
                continue;
            }
            let score = crate::support::text_similarity(
                &crate::support::visible_words(&theirs),
                &crate::support::visible_words(&ours),
            );
            let archive_gap = (ARCHIVE_PAGES.0 == fixture && ARCHIVE_PAGES.1.contains(&file.as_str()))
                .then_some((fixture, file.as_str(), "a jekyll-archives page: gazette makes it in its own theme (the site's `archive` layout is not used), listing the same posts"));
            let gap = TEXT_GAPS
                .iter()
                .copied()
                .find(|(f, path, _)| *f == fixture && path == file)
                .or(archive_gap);
            match (score < 0.95, gap) {
                (true, None) => outcome.failures.push(format!(
                    "{}: its visible text is only {score:.3} alike Jekyll's",
                    url_of(file)
                )),
                (true, Some((_, _, reason))) => outcome.known_gaps.push(format!(
                    "{} reads differently ({score:.3} alike): {reason}",
                    url_of(file)
                )),
                (false, Some(_)) => outcome.failures.push(format!(
                    "{}: alike Jekyll's now, remove it from TEXT_GAPS",
                    url_of(file)
                )),
                (false, None) => {}
            }
        }
    }
    for file in &jekyll_files {
        if let Err(why) = lists_same_posts(file, &jekyll_out, &public) {
            outcome.failures.push(format!("{}: {why}", url_of(file)));
        }
    }
    // The report's old URLs are the importer's model of Jekyll: they must be what Jekyll wrote.
    let predicted = reported_old_files(&report);
    let written: BTreeSet<String> = jekyll_files.iter().map(|f| same_page(f)).collect();
    for file in &jekyll_files {
        let known_gap = KNOWN_GAPS
            .iter()
            .any(|(f, p, _)| *f == fixture && p == file);
        if !predicted.contains(&same_page(file)) && !known_gap {
            outcome.failures.push(format!(
                "{}: Jekyll wrote it, the import report does not list it as an old URL",
                url_of(file)
            ));
        }
    }
    for file in predicted.difference(&written) {
        outcome.failures.push(format!(
            "{}: the import report lists it as an old URL, Jekyll did not write it",
            url_of(file)
        ));
    }
    if report.contains("PUBLISHED NOW, NOT BY JEKYLL") {
        outcome
            .failures
            .push("the import report lists pages published now, not by Jekyll".into());
    }
    for file in &gazette_files {
        let text = fs::read(public.join(file)).unwrap_or_default();
        if String::from_utf8_lossy(&text).contains(UNPUBLISHED) {
            outcome.failures.push(format!(
                "{}: gazette publishes text Jekyll did not publish ({UNPUBLISHED})",
                url_of(file)
            ));
        }
        if file.ends_with(".html") && !jekyll_files.contains(file) {
            outcome.gazette_only.push(url_of(file));
        }
    }
    for file in &jekyll_files {
        let text = fs::read(jekyll_out.join(file)).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&text).contains(UNPUBLISHED),
            "{fixture}: the fixture is wrong, Jekyll published {file} with {UNPUBLISHED}"
        );
    }
    outcome
}

/// Runs the reference script: real Jekyll builds `site` into `out`.
fn build_with_jekyll(site: &Path, out: &Path) {
    let script = std::env::var_os("JEKYLL_REFERENCE").map_or_else(
        || repo_root().join("../shared/corpus/jekyll-reference.sh"),
        PathBuf::from,
    );
    let run = Command::new("sh")
        .arg(&script)
        .arg(site)
        .arg(out)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    assert!(
        run.status.success(),
        "Jekyll failed on {}:\n{}{}",
        site.display(),
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Every file under `dir`, relative, with `/`.
fn files_under(dir: &Path) -> BTreeSet<String> {
    crate::support::snapshot(dir).into_keys().collect()
}

/// The URL a static host serves `file` at (`a/index.html` → `/a/`).
fn url_of(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => format!("/{folder}"),
        _ => format!("/{file}"),
    }
}

/// Checks that gazette serves what Jekyll wrote at `file`.
fn check_file(file: &str, jekyll: &Path, public: &Path, report: &str) -> Result<(), String> {
    let mut ours = public.join(file);
    let extensionless = !file.rsplit('/').next().unwrap_or(file).contains('.');
    if !ours.is_file() && extensionless {
        // Static hosts (GitHub Pages, Netlify) serve `/a` from `a.html`.
        ours = public.join(format!("{file}.html"));
    }
    if !ours.is_file() {
        return Err("not served by gazette".into());
    }
    let theirs_bytes = fs::read(jekyll.join(file)).unwrap_or_default();
    let theirs = String::from_utf8_lossy(&theirs_bytes).into_owned();
    let is_page = file.ends_with(".html") || theirs.trim_start().starts_with("<!DOCTYPE html");
    // A feed (jekyll-feed's, wherever its `path` put it): gazette writes its own, which must
    // list every entry Jekyll's listed.
    if let Ok(feed) = feed_rs::parser::parse(theirs_bytes.as_slice()) {
        let ours_feed = feed_rs::parser::parse(fs::read(&ours).unwrap_or_default().as_slice())
            .map_err(|e| format!("gazette's feed does not parse: {e}"))?;
        let links = |f: &feed_rs::model::Feed| -> BTreeSet<String> {
            f.entries
                .iter()
                .flat_map(|e| e.links.iter().map(|l| site_path(&l.href)))
                .collect()
        };
        let missing: Vec<String> = links(&feed)
            .difference(&links(&ours_feed))
            .cloned()
            .collect();
        return match missing.is_empty() {
            true => Ok(()),
            false => Err(format!("the feed lacks {}", missing.join(", "))),
        };
    }
    if !GENERATED.contains(&file) && !is_page {
        return same_bytes(file, &theirs_bytes, &fs::read(&ours).unwrap_or_default());
    }
    if file == "sitemap.xml" {
        let ours = fs::read_to_string(&ours).unwrap_or_default();
        let missing: Vec<String> = locations(&theirs)
            .into_iter()
            .filter(|l| !locations(&ours).contains(l))
            .collect();
        return match missing.is_empty() {
            true => Ok(()),
            false => Err(format!("the sitemap lacks {}", missing.join(", "))),
        };
    }
    if !is_page {
        return Ok(());
    }
    let ours_text = fs::read_to_string(&ours).unwrap_or_default();
    if let Some(target) = redirect_target(&theirs) {
        return match redirect_target(&ours_text) {
            Some(t) if same_target(&t, &target) => Ok(()),
            Some(t) => Err(format!("Jekyll redirects to {target}, gazette to {t}")),
            None => Err(format!(
                "Jekyll redirects to {target}, gazette serves a page"
            )),
        };
    }
    let Some((title, excerpt)) = article_text(&theirs) else {
        return Ok(());
    };
    let links = crate::support::select_attrs(&html(&theirs), "article a", "href");
    let page = match redirect_target(&ours_text) {
        Some(target) => {
            let url = url_of(file);
            if !report
                .lines()
                .any(|l| l.contains(&format!(" {url} → redirect")))
            {
                return Err(format!(
                    "gazette redirects to {target}, and the report does not list it"
                ));
            }
            let path = target
                .split_once("://")
                .and_then(|(_, rest)| rest.split_once('/'))
                .map_or(target.as_str(), |(_, path)| path);
            let file = gazette::text::url::output_path(path);
            fs::read_to_string(public.join(&file))
                .map_err(|_| format!("gazette redirects to {target}, which it does not serve"))?
        }
        None => ours_text,
    };
    let doc = html(&page);
    let headings = normalize(
        &[select_texts(&doc, "title"), select_texts(&doc, "h1")]
            .concat()
            .join(" | "),
    );
    if !headings.contains(&title) {
        return Err(format!("title `{title}` not found (gazette: `{headings}`)"));
    }
    let body = normalize(&select_texts(&doc, "body").join(" "));
    if !body.contains(&excerpt) {
        return Err(format!("text `{excerpt}` not found"));
    }
    let ours_links: BTreeSet<String> = crate::support::select_attrs(&doc, "a", "href")
        .iter()
        .map(|h| site_path(h))
        .collect();
    for link in links {
        if !ours_links.contains(&site_path(&link)) {
            return Err(format!("the link to {link} is not in gazette's page"));
        }
    }
    Ok(())
}

/// A listing page of Jekyll's (the fixtures' `<ul class="archive">`: jekyll-archives' pages) must
/// link to the same posts in gazette's page at that URL, or in the page it redirects to.
fn lists_same_posts(file: &str, jekyll: &Path, public: &Path) -> Result<(), String> {
    let theirs = fs::read_to_string(jekyll.join(file)).unwrap_or_default();
    let links = crate::support::select_attrs(&html(&theirs), "ul.archive a", "href");
    if links.is_empty() {
        return Ok(());
    }
    let mut ours = fs::read_to_string(public.join(file)).unwrap_or_default();
    if let Some(target) = redirect_target(&ours) {
        let path = site_path(&target);
        ours = fs::read_to_string(public.join(gazette::text::url::output_path(&path)))
            .map_err(|_| format!("gazette redirects to {target}, which it does not serve"))?;
    }
    let ours_links: BTreeSet<String> = crate::support::select_attrs(&html(&ours), "a", "href")
        .iter()
        .map(|h| site_path(h))
        .collect();
    let missing: Vec<String> = links
        .iter()
        .filter(|l| !ours_links.contains(&site_path(l)))
        .cloned()
        .collect();
    match missing.is_empty() {
        true => Ok(()),
        false => Err(format!(
            "Jekyll's listing links to {}, gazette's does not",
            missing.join(", ")
        )),
    }
}

/// A file that is not a page must be what Jekyll wrote (JSON compared as values).
fn same_bytes(file: &str, theirs: &[u8], ours: &[u8]) -> Result<(), String> {
    if file.ends_with(".json") {
        let parse = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).ok();
        if parse(theirs).is_some() && parse(theirs) == parse(ours) {
            return Ok(());
        }
    }
    // A host's redirect rules: every rule of Jekyll's, to the same address with the same code
    // (gazette may force one with `!`: it writes an HTML page at the old address, which Netlify
    // would otherwise serve instead of the rule).
    if file == "_redirects" {
        let rules = |b: &[u8]| -> BTreeSet<(String, String, String)> {
            String::from_utf8_lossy(b)
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .filter_map(|l| {
                    let parts: Vec<&str> = l.split_whitespace().collect();
                    let code = parts.get(2).unwrap_or(&"301").trim_end_matches('!');
                    Some((
                        parts.first()?.to_string(),
                        parts.get(1)?.to_string(),
                        code.to_string(),
                    ))
                })
                .collect()
        };
        let missing: Vec<_> = rules(theirs).difference(&rules(ours)).cloned().collect();
        return match missing.is_empty() {
            true => Ok(()),
            false => Err(format!("gazette's _redirects lacks {missing:?}")),
        };
    }
    if theirs.trim_ascii_end() == ours.trim_ascii_end() {
        Ok(())
    } else {
        Err(format!(
            "gazette serves other content: `{}`",
            String::from_utf8_lossy(ours)
                .chars()
                .take(80)
                .collect::<String>()
        ))
    }
}

/// The files of the old URLs an import report lists (`  [kind] /url → …`).
fn reported_old_files(report: &str) -> BTreeSet<String> {
    let Some((_, mapping)) = report.split_once("URL mapping") else {
        return BTreeSet::new();
    };
    mapping
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix('['))
        .filter_map(|rest| rest.split_once("] "))
        // Rules of `_redirects` are the host's, not files Jekyll wrote.
        .filter(|(kind, _)| *kind != "redirect")
        .filter_map(|(_, rest)| rest.split_once(" → ").map(|(url, _)| url))
        .map(|url| same_page(&gazette::text::url::output_path(url)))
        .collect()
}

/// A file without its `.html` when its name has no other extension: `a.html` and `a` are the same
/// page for a static host (`/a` is served from either).
fn same_page(file: &str) -> String {
    match file.strip_suffix(".html") {
        Some(stem) if !stem.rsplit('/').next().unwrap_or(stem).contains('.') => stem.to_string(),
        _ => file.to_string(),
    }
}

/// The paths of a sitemap's `<loc>` addresses.
fn locations(sitemap: &str) -> BTreeSet<String> {
    sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</loc>").map(|(loc, _)| loc.trim()))
        .map(|loc| {
            loc.split_once("://")
                .and_then(|(_, r)| r.find('/').map(|i| r[i..].to_string()))
                .unwrap_or_else(|| loc.to_string())
        })
        .collect()
}

/// The `<h1>` of a page's `<article>` and the start of its first paragraph, if it has them.
fn article_text(page: &str) -> Option<(String, String)> {
    let doc = html(page);
    let title = normalize(select_texts(&doc, "article h1").first()?);
    // The first paragraph, or the article's text after its title (a document Jekyll did not
    // convert has no paragraph).
    let paragraph = match select_texts(&doc, "article p").first() {
        Some(p) => normalize(p),
        None => {
            let all = normalize(select_texts(&doc, "article").first()?);
            all.strip_prefix(&title).unwrap_or(&all).trim().to_string()
        }
    };
    let excerpt: String = paragraph.chars().take(40).collect();
    Some((title, excerpt.trim().to_string()))
}

/// The target of a redirect page (`<meta http-equiv="refresh" content="0; url=…">`).
fn redirect_target(page: &str) -> Option<String> {
    let doc = html(page);
    let selector = scraper::Selector::parse("meta[http-equiv=refresh]").unwrap();
    let content = doc.select(&selector).next()?.value().attr("content")?;
    let url = content.split_once("url=").map(|(_, u)| u)?;
    Some(url.trim().trim_matches(['"', '\'']).to_string())
}

/// A link of the fixtures' site without its host (`https://oracle.example/a` → `/a`).
fn site_path(href: &str) -> String {
    for host in ["https://oracle.example", "http://oracle.example"] {
        if let Some(path) = href.strip_prefix(host) {
            return if path.is_empty() {
                "/".into()
            } else {
                path.to_string()
            };
        }
    }
    href.to_string()
}

/// Two redirect targets are the same when their paths are, on whatever host the site is.
fn same_target(a: &str, b: &str) -> bool {
    fn path(u: &str) -> &str {
        if u.starts_with("https://oracle.example") || u.starts_with("http://oracle.example") {
            u.split_once("://")
                .and_then(|(_, r)| r.find('/').map(|i| &r[i..]))
                .unwrap_or("/")
        } else {
            u
        }
    }
    path(a) == path(b)
}

/// Whitespace (and no-break spaces) collapsed, typographic apostrophes made plain.
fn normalize(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
        .replace('\u{2019}', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
