//! `gazette build` on fixture sites: what is produced, and how bad input is reported.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use crate::support::{TestSite, html, select_attrs, select_texts, snapshot};

#[test]
fn posts_get_their_urls_from_file_names_and_front_matter() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    // Four-digit and two-digit years, and a front-matter date winning over the file name.
    for path in [
        "blog/2023/03/14/premier-billet.html",
        "blog/2023/05/02/deuxieme.html",
        "blog/2023/07/01/date-du-front-matter.html",
    ] {
        assert!(site.has_output(path), "{path} missing");
    }
    assert!(!site.has_output("blog/2023/06/10/date-du-front-matter.html"));
    let doc = html(&site.output("blog/2023/03/14/premier-billet.html"));
    assert_eq!(select_texts(&doc, "h1"), ["Premier billet"]);
    assert_eq!(select_texts(&doc, "time"), ["14 mars 2023"]);
    assert_eq!(
        select_attrs(&doc, "link[rel=canonical]", "href"),
        ["https://test.example/blog/2023/03/14/premier-billet.html"]
    );
    assert_eq!(select_texts(&doc, ".tags a"), ["Développement", "données"]);
    assert_eq!(
        select_attrs(&doc, ".tags a", "href"),
        ["/tag/developpement/", "/tag/donnees/"]
    );
}

#[test]
fn drafts_future_and_unpublished_posts() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    assert!(!site.has_output("blog/2024/02/01/brouillon.html"));
    assert!(!site.has_output("blog/2024/02/02/brouillon-explicite.html"));
    assert!(!site.has_output("blog/2099/01/01/futur.html"));
    assert!(!site.has_output("blog/2024/02/03/jamais.html"));

    site.build_ok(&["--drafts", "--future"]);
    assert!(site.has_output("blog/2024/02/01/brouillon.html"));
    assert!(site.has_output("blog/2024/02/02/brouillon-explicite.html"));
    assert!(site.has_output("blog/2099/01/01/futur.html"));
    assert!(
        !site.has_output("blog/2024/02/03/jamais.html"),
        "published: false is never built"
    );
    // The rebuild without them removes the stale files.
    site.build_ok(&[]);
    assert!(!site.has_output("blog/2099/01/01/futur.html"));
}

#[test]
fn blog_index_is_paginated_newest_first() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let first = html(&site.output("blog/index.html"));
    assert_eq!(
        select_texts(&first, ".posts a"),
        ["Un billet qui a déménagé", "Avec BOM"]
    );
    assert_eq!(
        select_attrs(&first, "a[rel=next]", "href"),
        ["/blog/page/2/"]
    );
    assert!(select_attrs(&first, "a[rel=prev]", "href").is_empty());
    let second = html(&site.output("blog/page/2/index.html"));
    assert_eq!(select_attrs(&second, "a[rel=prev]", "href"), ["/blog/"]);
    // 6 French posts by 2 a page.
    assert!(site.has_output("blog/page/3/index.html"));
    assert!(!site.has_output("blog/page/4/index.html"));
    let home = html(&site.output("index.html"));
    assert_eq!(select_texts(&home, ".latest a").len(), 3);
    assert_eq!(select_texts(&home, ".sponsor"), ["La fondation des tests"]);
}

#[test]
fn tags_fold_accents_in_urls_and_keep_them_for_display() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let tags = html(&site.output("tag/index.html"));
    assert_eq!(
        select_texts(&tags, ".tags a"),
        ["Développement", "données", "événement"]
    );
    assert_eq!(select_texts(&tags, ".count"), ["2", "3", "1"]);
    let tag = html(&site.output("tag/developpement/index.html"));
    assert_eq!(select_texts(&tag, "h1"), ["Développement"]);
    assert_eq!(
        select_texts(&tag, ".posts a"),
        ["Deuxième billet", "Premier billet"]
    );
    assert!(site.has_output("tag/donnees/page/2/index.html"));
}

#[test]
fn feeds_parse_with_absolute_urls() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    for file in [
        "feed.xml",
        "atom.xml",
        "tag/donnees/feed.xml",
        "tag/donnees/atom.xml",
    ] {
        let feed = feed_rs::parser::parse(site.output(file).as_bytes())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(!feed.entries.is_empty(), "{file}");
        assert!(feed.entries.len() <= 3, "{file}: feed.limit is 3");
        for entry in &feed.entries {
            let link = &entry.links[0].href;
            assert!(
                link.starts_with("https://test.example/blog/"),
                "{file}: {link}"
            );
            assert!(entry.published.is_some() || entry.updated.is_some());
        }
    }
    let feed = feed_rs::parser::parse(site.output("feed.xml").as_bytes()).unwrap();
    assert_eq!(
        feed.entries[0].title.as_ref().unwrap().content,
        "Un billet qui a déménagé"
    );
    let body = &feed.entries[0].summary.as_ref().unwrap().content;
    assert!(body.contains("<p>Nouvelle adresse.</p>"), "{body}");
    let atom = feed_rs::parser::parse(site.output("atom.xml").as_bytes()).unwrap();
    let body = atom.entries[0]
        .content
        .as_ref()
        .and_then(|c| c.body.as_ref())
        .unwrap();
    assert!(body.contains("<p>Nouvelle adresse.</p>"), "{body}");
}

#[test]
fn sitemap_lists_pages_and_robots_points_to_it() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let sitemap = site.output("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://test.example/blog/2023/03/14/premier-billet.html"));
    assert!(locs.contains(&"https://test.example/"));
    assert!(locs.contains(&"https://test.example/projets/2023/carte-des-fontaines.html"));
    assert!(!locs.iter().any(|l| l.ends_with("404.html")));
    assert!(
        !locs.iter().any(|l| l.contains("ancien/billet")),
        "redirects are not pages"
    );
    assert!(
        site.output("robots.txt")
            .contains("Sitemap: https://test.example/sitemap.xml")
    );
}

#[test]
fn collections_are_cross_linked_both_ways() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let project = html(&site.output("projets/2023/carte-des-fontaines.html"));
    assert_eq!(
        select_texts(&project, ".people a"),
        ["Ada Lovelace", "Émile Zola"]
    );
    assert_eq!(
        select_attrs(&project, ".people a", "href"),
        ["/membres/ada.html", "/membres/emile-zola.html"]
    );
    assert_eq!(
        select_texts(&project, ".content p"),
        ["Toutes les fontaines de la ville sur une carte."]
    );
    // Émile's record does not name the project, but the project names him: the link exists both ways.
    let emile = html(&site.output("membres/emile-zola.html"));
    assert_eq!(select_texts(&emile, ".projects a"), ["Carte des fontaines"]);
    let ada = html(&site.output("membres/ada.html"));
    assert_eq!(
        select_texts(&ada, ".projects a"),
        ["Carte des fontaines", "Registre ouvert"]
    );
    let listing = html(&site.output("projets/index.html"));
    assert_eq!(
        select_texts(&listing, ".records a"),
        ["Carte des fontaines", "Registre ouvert"]
    );
}

#[test]
fn pages_aliases_and_odd_files() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    assert_eq!(
        select_texts(&html(&site.output("a-propos.html")), "h1"),
        ["À propos"]
    );
    assert_eq!(
        select_texts(&html(&site.output("nous-ecrire/index.html")), "main p"),
        ["Écrivez-nous."]
    );
    assert!(
        site.has_output("vide.html"),
        "an empty file is a page, not an error"
    );
    let alias = site.output("ancien/billet.html");
    assert!(alias.contains("url=https://test.example/blog/2024/01/20/avec-alias.html"));
    assert!(alias.contains("rel=\"canonical\""));
    let crlf = html(&site.output("blog/2023/08/01/crlf.html"));
    assert_eq!(select_texts(&crlf, "h1"), ["Windows"]);
    assert_eq!(
        select_texts(&html(&site.output("blog/2023/09/01/bom.html")), "h1"),
        ["Avec BOM"]
    );
    assert!(site.has_output("img/logo.gif"));
    assert!(site.has_output("404.html"));
}

#[test]
fn base_url_can_be_overridden() {
    let site = TestSite::fixture("basic");
    site.build_ok(&["--base-url", "https://preview.example/"]);
    let doc = html(&site.output("a-propos.html"));
    assert_eq!(
        select_attrs(&doc, "link[rel=canonical]", "href"),
        ["https://preview.example/a-propos.html"]
    );
}

#[test]
fn an_unchanged_rebuild_writes_nothing() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let post = site
        .path()
        .join("public/blog/2023/03/14/premier-billet.html");
    let before = fs::metadata(&post).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let run = site.build_ok(&[]);
    assert!(run.stderr.contains("(0 written"), "{}", run.stderr);
    assert_eq!(fs::metadata(&post).unwrap().modified().unwrap(), before);
    // One changed post rewrites its page and what lists it, not everything.
    site.write(
        "content/posts/2023-03-14-premier-billet.md",
        "---\ntitle: \"Premier billet, corrigé\"\ntags: [données]\n---\nTexte.\n",
    );
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("(0 written"), "{}", run.stderr);
    assert!(
        site.output("blog/2023/03/14/premier-billet.html")
            .contains("Premier billet, corrigé")
    );
    // The tag it left is gone with its files.
    assert!(
        !site.has_output("tag/developpement/index.html")
            || site
                .output("tag/developpement/index.html")
                .contains("Deuxième")
    );
}

#[test]
fn files_left_by_hand_in_a_gazette_output_are_kept_and_foreign_folders_refused() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    fs::write(site.path().join("public/CNAME"), "test.example").unwrap();
    site.build_ok(&[]);
    assert!(
        site.has_output("CNAME"),
        "gazette only removes files it wrote"
    );

    let other = TestSite::fixture("basic");
    fs::create_dir_all(other.path().join("public")).unwrap();
    fs::write(other.path().join("public/important.txt"), "mine").unwrap();
    let run = other.gazette(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(run.stderr.contains("did not write"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(other.path().join("public/important.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn output_folder_must_not_hold_the_sources() {
    let site = TestSite::fixture("basic");
    for output in [".", "..", "content/out"] {
        let run = site.gazette(&["build", "--output", output]);
        assert_eq!(run.code(), Some(1), "--output {output}: {}", run.stderr);
        assert!(run.stderr.contains("output folder"), "{}", run.stderr);
    }
    assert!(site.path().join("content/posts").is_dir());
}

/// Each case: a file to write, and what the error output must contain (file:line and words).
const BAD_INPUTS: &[(&str, &str, &[&str])] = &[
    (
        "content/posts/2024-03-01-yaml.md",
        "---\ntitle: \"Oups\ntags: [a]\n---\nTexte\n",
        &["content/posts/2024-03-01-yaml.md:2", "YAML", "quote"],
    ),
    (
        "content/posts/2024-03-02-ferme.md",
        "---\ntitle: Jamais fermé\n\nLe texte commence sans ---\n",
        &["content/posts/2024-03-02-ferme.md:1:1", "never closed"],
    ),
    (
        "content/posts/2024-03-03-date.md",
        "---\ntitle: Date\ndate: 2024-13-45\n---\nTexte\n",
        &[
            "content/posts/2024-03-03-date.md:3",
            "not a date",
            "YYYY-MM-DD",
        ],
    ),
    (
        "content/posts/sans-date.md",
        "---\ntitle: Sans date\n---\nTexte\n",
        &["content/posts/sans-date.md:1", "no date"],
    ),
    (
        "content/posts/2024-03-04-gabarit.md",
        "---\ntitle: Gabarit\ntemplate: inexistant.html\n---\nTexte\n",
        &[
            "content/posts/2024-03-04-gabarit.md:3",
            "inexistant.html",
            "does not exist",
        ],
    ),
    (
        "content/pages/doublon.md",
        "---\ntitle: Doublon\npermalink: /a-propos.html\n---\nTexte\n",
        &["two pages would be written to /a-propos.html"],
    ),
    (
        "content/data/members.yml",
        "\"Ada Lovelace\":\n  bio: \"x\"\n  projects: [\"Carte des fontaine\"]\n",
        &[
            "content/data/members.yml:3",
            "Carte des fontaine",
            "did you mean `Carte des fontaines`",
        ],
    ),
    (
        "content/data/sponsors.yml",
        "main: [unclosed\n",
        &["content/data/sponsors.yml:2", "YAML"],
    ),
    (
        "site.yml",
        "title: x\ntitel: y\n",
        &["site.yml:2", "did you mean `title`"],
    ),
    (
        "templates/post.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ page.title }\n{% endblock main %}\n",
        &["templates/post.html:2"],
    ),
    (
        "content/posts/2024-03-05-evasion.md",
        "---\ntitle: Évasion\npermalink: /../../etc/x.html\n---\nTexte\n",
        &["content/posts/2024-03-05-evasion.md:3", "outside the site"],
    ),
];

#[test]
fn bad_input_fails_with_file_line_and_hint_and_leaves_the_output_untouched() {
    for (file, text, expected) in BAD_INPUTS {
        let site = TestSite::fixture("basic");
        site.build_ok(&[]);
        let before = snapshot(&site.path().join("public"));
        site.write(file, text);
        let run = site.gazette(&["build"]);
        assert_eq!(
            run.code(),
            Some(1),
            "{file}: expected failure\n{}",
            run.stderr
        );
        for needle in *expected {
            assert!(
                run.stderr.contains(needle),
                "{file}: expected `{needle}` in:\n{}",
                run.stderr
            );
        }
        assert!(
            run.stderr.contains("help:"),
            "{file}: no hint in:\n{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert_eq!(
            snapshot(&site.path().join("public")),
            before,
            "{file}: the output changed"
        );
    }
}

#[test]
fn invalid_utf8_is_reported_with_its_position() {
    let site = TestSite::fixture("basic");
    fs::write(
        site.path().join("content/posts/2024-04-01-latin1.md"),
        b"---\ntitle: ok\n---\nCaf\xe9\n",
    )
    .unwrap();
    let run = site.gazette(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr
            .contains("content/posts/2024-04-01-latin1.md:4:4"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("UTF-8"), "{}", run.stderr);
}

#[test]
fn every_problem_is_listed_not_only_the_first() {
    let site = TestSite::fixture("basic");
    site.write("content/posts/2024-05-01-a.md", "---\ntitle: [\n---\n");
    site.write("content/posts/2024-05-02-b.md", "---\ndate: hier\n---\n");
    site.write("content/pages/c.md", "---\ntitle: x\n");
    let run = site.gazette(&["build"]);
    assert_eq!(run.code(), Some(1));
    for file in ["2024-05-01-a.md", "2024-05-02-b.md", "pages/c.md"] {
        assert!(
            run.stderr.contains(file),
            "{file} missing from:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("3 errors"), "{}", run.stderr);
}

#[test]
fn new_post_creates_a_file_to_fill_in() {
    let site = TestSite::fixture("basic");
    let run = site.gazette(&["new", "post", "Bilan de l'année : réussites"]);
    assert!(run.success(), "{}", run.stderr);
    let path = run.stdout.trim();
    assert!(path.ends_with("-bilan-de-l-annee-reussites.md"), "{path}");
    let text = fs::read_to_string(site.path().join(path)).unwrap();
    assert!(text.contains("title: \"Bilan de l'année : réussites\""));
    // The new post builds (today's date is not in the future).
    site.build_ok(&[]);
}

/// The demo site at the repository root builds, and every internal link and image resolves.
#[test]
fn demo_site_builds_and_every_internal_link_resolves() {
    let out = tempfile::tempdir().unwrap();
    let run = crate::support::gazette_in(
        &crate::support::repo_root(),
        &["build", "--output", out.path().to_str().unwrap()],
    );
    assert!(run.success(), "{}", run.stderr);
    let files = snapshot(out.path());
    assert!(files.len() > 50, "{} files", files.len());
    let mut broken = Vec::new();
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let doc = html(&String::from_utf8_lossy(bytes));
        let links = select_attrs(&doc, "a[href]", "href")
            .into_iter()
            .chain(select_attrs(&doc, "img[src]", "src"))
            .chain(select_attrs(&doc, "link[href]", "href"));
        for link in links {
            let Some(target) = link.strip_prefix('/') else {
                continue;
            };
            if link.starts_with("//") {
                continue;
            }
            let target = target.split(['#', '?']).next().unwrap();
            let candidates = [
                target.to_string(),
                format!("{target}index.html"),
                format!("{target}.html"),
                format!("{target}/index.html"),
            ];
            if !candidates.iter().any(|c| files.contains_key(c.as_str())) {
                broken.push(format!("{path} → {link}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "broken internal links:\n{}",
        broken.join("\n")
    );
    for feed in ["feed.xml", "atom.xml"] {
        feed_rs::parser::parse(&files[feed][..]).unwrap_or_else(|e| panic!("{feed}: {e}"));
    }
}
