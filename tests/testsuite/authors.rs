//! Authors: `author:` (one name or a list) resolved against the collection `authors:` of
//! site.yml names; the post links to each author's page and shows their card, the author's page
//! lists their posts, a name that is no record stays text (a warning, with "did you mean", when
//! `rules.posts.known_authors` asks).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{TestSite, gazette_in, html, select_attrs, select_texts};

const SITE: &str = "title: Auteurs\nbase_url: https://auteurs.example\nlanguage: fr\nauthors: people\n\
collections:\n  people:\n    data: people.yml\n    permalink: \"/communaute/:slug.html\"\n    listing: /communaute/\n    template: person.html\n    listing_template: people.html\n";

const PEOPLE: &str = "\"Léa Fontaine\":\n  title: Designer\n  image: /img/lea.png\n  bio: Designer de services.\n\"Yanis Haddad\":\n  title: Data scientist\n";

fn authors_site(rules: &str) -> TestSite {
    let site = TestSite::empty_with_theme();
    site.write("site.yml", &format!("{SITE}{rules}"));
    site.write("content/data/people.yml", PEOPLE);
    site.write(
        "content/posts/2024-01-05-a-deux.md",
        "---\ntitle: À deux\nauthor: [\"Lea Fontaine\", \"Yanis Haddad\", \"Yanis Hadad\", \"Quelqu'un\"]\ntags: [essai]\n---\n\nTexte.\n",
    );
    site.write(
        "content/posts/2024-02-05-seule.md",
        "---\ntitle: Seule\nauthor: Léa Fontaine\ntags: [essai]\n---\n\nTexte.\n",
    );
    site
}

#[test]
fn a_post_links_to_its_authors_pages_and_their_pages_list_their_posts() {
    let site = authors_site("");
    site.build_ok(&[]);
    let post = html(&site.output("blog/2024/01/05/a-deux.html"));
    // Folded names find their record ("Lea" is "Léa"); the others stay text.
    assert_eq!(
        select_attrs(&post, "a.post__author", "href"),
        [
            "/communaute/lea-fontaine.html",
            "/communaute/yanis-haddad.html"
        ]
    );
    assert_eq!(
        select_texts(&post, "span.post__author"),
        ["Yanis Hadad", "Quelqu'un"]
    );
    // The card of a resolved author: name, role, photo.
    assert_eq!(
        select_texts(&post, ".author-card__role"),
        ["Designer", "Data scientist"]
    );
    assert_eq!(select_attrs(&post, ".author-card img", "src").len(), 1);
    let lea = html(&site.output("communaute/lea-fontaine.html"));
    assert_eq!(
        select_attrs(&lea, ".author-posts a", "href"),
        [
            "/blog/2024/02/05/seule.html",
            "/blog/2024/01/05/a-deux.html"
        ]
    );
    let yanis = html(&site.output("communaute/yanis-haddad.html"));
    assert_eq!(select_texts(&yanis, ".author-posts a"), ["À deux"]);
}

#[test]
fn unknown_authors_are_warned_about_with_the_closest_name_when_the_rule_asks() {
    let site = authors_site("rules:\n  posts:\n    known_authors: true\n");
    let run = site.gazette(&["check", "--format", "json"]);
    assert!(run.success(), "{}", run.stderr);
    let found: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v["rule"] == "post-author")
        .collect();
    assert_eq!(found.len(), 2, "{}", run.stdout);
    assert_eq!(found[0]["file"], "content/posts/2024-01-05-a-deux.md");
    assert_eq!(found[0]["line"], 3);
    assert_eq!(
        found[0]["message"],
        "the author `Yanis Hadad` is not in the collection `people`: the name is shown without a link"
    );
    assert_eq!(found[0]["help"], "did you mean `Yanis Haddad`?");
    assert_eq!(
        found[1]["help"],
        "write the name as in content/data/people.yml, or add this person there"
    );
    // Without the rule, no warning.
    let quiet = authors_site("");
    let run = quiet.gazette(&["check", "--format", "json"]);
    assert!(!run.stdout.contains("post-author"), "{}", run.stdout);
}

#[test]
fn in_the_demo_a_post_by_a_person_links_to_their_page_which_lists_it() {
    let site = crate::publish::demo();
    let build = gazette_in(site.path(), &["build", "--output", "public"]);
    assert!(build.success(), "{}", build.stderr);
    let out = site.path().join("public");
    let read = |p: &str| html(&std::fs::read_to_string(out.join(p)).unwrap());
    let post = "/blog/2025/09/08/la-deuxieme-promotion-fait-sa-rentree.html";
    let page = read(post.trim_start_matches('/'));
    let person = "/communaute/2025/karim-benali.html";
    assert_eq!(select_attrs(&page, "a.post__author", "href"), [person]);
    let person_page = read(person.trim_start_matches('/'));
    assert!(select_attrs(&person_page, ".author-posts a", "href").contains(&post.to_string()));
    // The English version of the person's page lists the English posts, or all of them.
    let english = read("en/communaute/2025/karim-benali.html");
    assert!(!select_attrs(&english, ".author-posts a", "href").is_empty());
    // Every post of the demo is written by a person of the community.
    assert!(!build.stderr.contains("post-author"), "{}", build.stderr);
}

#[test]
fn the_preview_updates_an_authors_page_when_one_of_their_posts_changes() {
    use gazette::preview::live::Live;
    let site = authors_site("");
    let root = site.path();
    let options = gazette::site::BuildOptions {
        today: chrono::NaiveDate::from_ymd_opt(2030, 1, 1),
        ..gazette::site::BuildOptions::default()
    };
    let mut live = Live::new(root, &options);
    live.update(&[]).unwrap();
    // A post's title shows on its author's page: the page follows an edit of the post alone.
    site.write(
        "content/posts/2024-02-05-seule.md",
        "---\ntitle: Seule, titre revu\nauthor: Léa Fontaine\ntags: [essai]\n---\n\nTexte.\n",
    );
    live.update(&[root.join("content/posts/2024-02-05-seule.md")])
        .unwrap();
    crate::support::assert_live_same_as_clean(&live, root, &options, "title edited");
    // A new post by an author.
    site.write(
        "content/posts/2024-03-05-nouveau.md",
        "---\ntitle: Nouveau\nauthor: Yanis Haddad\n---\n\nTexte.\n",
    );
    live.update(&[root.join("content/posts/2024-03-05-nouveau.md")])
        .unwrap();
    crate::support::assert_live_same_as_clean(&live, root, &options, "post added");
}
