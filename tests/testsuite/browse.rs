//! Browsing the blog: archives by year (and month) with their pagination, and related posts by
//! shared tags (a rarer shared tag weighs more).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{TestSite, html, select_attrs, select_texts};

fn blog(settings: &str) -> TestSite {
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        &format!("title: Blog\nbase_url: https://blog.example\nlanguage: fr\n{settings}"),
    );
    let posts = [
        ("2023-12-20-hiver", "[données, rare]"),
        ("2024-01-05-janvier", "[données]"),
        ("2024-01-20-neige", "[données, rare]"),
        ("2024-03-10-printemps", "[design]"),
        ("2024-05-01-mai", "[données, design]"),
    ];
    for (name, tags) in posts {
        site.write(
            &format!("content/posts/{name}.md"),
            &format!("---\ntitle: {name}\ntags: {tags}\n---\n\nTexte.\n"),
        );
    }
    site
}

#[test]
fn each_year_and_month_has_its_archive_page_paginated() {
    let site = blog("archives: { months: true, paginate: 2 }\n");
    site.build_ok(&[]);
    let year = html(&site.output("blog/2024/index.html"));
    assert_eq!(
        select_texts(&year, ".card__title a"),
        ["2024-05-01-mai", "2024-03-10-printemps"]
    );
    // The years of the blog, newest first, the current one marked.
    assert_eq!(select_texts(&year, "nav .tag-list a"), ["2024", "2023"]);
    assert_eq!(
        select_attrs(&year, "nav .tag-list a[aria-current]", "href"),
        ["/blog/2024/"]
    );
    let second = html(&site.output("blog/2024/page/2/index.html"));
    assert_eq!(
        select_texts(&second, ".card__title a"),
        ["2024-01-20-neige", "2024-01-05-janvier"]
    );
    let january = html(&site.output("blog/2024/01/index.html"));
    assert_eq!(select_texts(&january, ".card__title a").len(), 2);
    assert!(site.has_output("blog/2023/index.html"));
    assert!(!site.has_output("blog/2024/page/3/index.html"));
}

#[test]
fn without_the_setting_there_is_no_archive_nor_related_post() {
    let site = blog("");
    site.build_ok(&[]);
    assert!(!site.has_output("blog/2024/index.html"));
    let post = html(&site.output("blog/2024/01/20/neige.html"));
    assert!(select_texts(&post, ".related a").is_empty());
}

#[test]
fn related_posts_share_the_rarest_tags_first() {
    let site = blog("related: 2\n");
    site.build_ok(&[]);
    // `neige` shares the rare tag with `hiver` only: it comes before the other `données` posts.
    let post = html(&site.output("blog/2024/01/20/neige.html"));
    assert_eq!(
        select_texts(&post, ".related a"),
        ["2023-12-20-hiver", "2024-01-05-janvier"]
    );
    // `printemps` shares `design` with `mai` alone.
    let spring = html(&site.output("blog/2024/03/10/printemps.html"));
    assert_eq!(select_texts(&spring, ".related a"), ["2024-05-01-mai"]);
}

/// `<loc>` → `<lastmod>` (empty when none) of the sitemap, read with a real XML parser.
fn sitemap_entries(text: &str) -> std::collections::BTreeMap<String, String> {
    let doc = roxmltree::Document::parse(text).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(|url| {
            let child = |name: &str| {
                url.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .unwrap_or_default()
                    .to_string()
            };
            (child("loc"), child("lastmod"))
        })
        .collect()
}

#[test]
fn every_archive_page_is_in_the_sitemap_dated_by_its_newest_post_and_has_no_feed_of_its_own() {
    let site = blog("archives: { months: true, paginate: 2 }\n");
    site.build_ok(&[]);
    let entries = sitemap_entries(&site.output("sitemap.xml"));
    let lastmod = |path: &str| {
        entries
            .get(&format!("https://blog.example{path}"))
            .unwrap_or_else(|| panic!("{path} is not in the sitemap: {entries:#?}"))
            .as_str()
    };
    // Each year, each of its pages, each month, dated by the newest post it shows.
    assert_eq!(lastmod("/blog/2024/"), "2024-05-01");
    assert_eq!(lastmod("/blog/2024/page/2/"), "2024-01-20");
    assert_eq!(lastmod("/blog/2024/01/"), "2024-01-20");
    assert_eq!(lastmod("/blog/2024/05/"), "2024-05-01");
    assert_eq!(lastmod("/blog/2023/"), "2023-12-20");
    assert_eq!(lastmod("/blog/2023/12/"), "2023-12-20");
    let archives = entries
        .keys()
        .filter(|loc| {
            let path = loc.trim_start_matches("https://blog.example/blog/");
            path.starts_with("20") && path.ends_with('/') && path.len() <= "2024/page/2/".len()
        })
        .count();
    // 2024: 2 pages + months 01, 03, 05; 2023: 1 page + month 12.
    assert_eq!(archives, 7, "{entries:#?}");
    // An archive is a past period: the blog's feed is the one to follow, so no feed per year
    // (Hugo's per-list-page feeds would repeat the blog's for the current year and never change
    // for the others).
    assert!(!site.has_output("blog/2024/feed.xml"));
    assert!(site.has_output("feed.xml"));
}
