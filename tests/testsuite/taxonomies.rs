//! Taxonomies besides tags (`taxonomies:` in site.yml): any list-valued front-matter key gets a
//! page per value (accents folded into one), paginated, with its feed, a list of its values, and
//! weighs on related posts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{TestSite, html, select_attrs, select_texts};

fn categorised(settings: &str) -> TestSite {
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        &format!(
            "title: Catégories\nbase_url: https://cat.example\nlanguage: fr\npagination: {{ size: 2 }}\n{settings}"
        ),
    );
    let posts = [
        ("2024-01-01-un", "[Guides]", "[a]"),
        ("2024-01-02-deux", "[\"Données ouvertes\", guides]", "[b]"),
        ("2024-01-03-trois", "[\"donnees ouvertes\"]", "[a]"),
        ("2024-01-04-quatre", "[Guides]", "[b]"),
    ];
    for (name, categories, tags) in posts {
        site.write(
            &format!("content/posts/{name}.md"),
            &format!("---\ntitle: {name}\ncategories: {categories}\ntags: {tags}\n---\n\nTexte.\n"),
        );
    }
    site
}

#[test]
fn each_value_has_a_paginated_page_a_feed_and_the_taxonomy_a_list() {
    let site = categorised(
        "taxonomies:\n  categories: { permalink: \"/categorie/:slug/\", list: /categories/ }\n",
    );
    site.build_ok(&[]);
    let guides = html(&site.output("categorie/guides/index.html"));
    assert_eq!(select_texts(&guides, "h1"), ["Guides"]);
    // Three posts (`guides` and `Guides` are one value), two a page.
    assert_eq!(
        select_texts(&guides, ".card__title a"),
        ["2024-01-04-quatre", "2024-01-02-deux"]
    );
    let second = html(&site.output("categorie/guides/page/2/index.html"));
    assert_eq!(select_texts(&second, ".card__title a"), ["2024-01-01-un"]);
    // Accents folded: "Données ouvertes" and "donnees ouvertes" are one value.
    let open = html(&site.output("categorie/donnees-ouvertes/index.html"));
    assert_eq!(select_texts(&open, ".card__title a").len(), 2);
    let feed = feed_rs::parser::parse(site.output("categorie/guides/feed.xml").as_bytes()).unwrap();
    assert_eq!(feed.entries.len(), 3);
    let list = html(&site.output("categories/index.html"));
    assert_eq!(
        select_attrs(&list, ".tag-index a", "href"),
        ["/categorie/donnees-ouvertes/", "/categorie/guides/"]
    );
    let post = html(&site.output("blog/2024/01/02/deux.html"));
    assert_eq!(
        select_attrs(&post, ".post__terms a", "href"),
        ["/categorie/donnees-ouvertes/", "/categorie/guides/"]
    );
}

#[test]
fn related_posts_weigh_each_taxonomy_as_site_yml_says() {
    // `un` shares its tag with `trois` and its category with `deux` and `quatre`.
    let by_tags = categorised("related: 1\ntaxonomies:\n  categories: { weight: 0.1 }\n");
    by_tags.build_ok(&[]);
    let post = html(&by_tags.output("blog/2024/01/01/un.html"));
    assert_eq!(select_texts(&post, ".related a"), ["2024-01-03-trois"]);
    let by_categories = categorised("related: 1\ntaxonomies:\n  categories: { weight: 10 }\n");
    by_categories.build_ok(&[]);
    let post = html(&by_categories.output("blog/2024/01/01/un.html"));
    assert_eq!(select_texts(&post, ".related a"), ["2024-01-02-deux"]);
}
