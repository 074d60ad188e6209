//! Output safety: values from front matter and data records are escaped by the default theme, raw
//! HTML in Markdown is kept (or shown as text with `raw_html: false`), new-tab links get
//! `rel="noopener"`, and no permalink can put a file outside the output folder.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{TestSite, html, select_attrs, select_texts, snapshot};

// Without quotes or `: ; ! ?`, which the typography filter would turn into French punctuation in
// titles: the text shown is then exactly the value.
const SCRIPT: &str = "<script>alert(1)</script>";

/// A site on the default theme with one post and one record, both carrying HTML in their values.
fn hostile_site(extra_config: &str) -> TestSite {
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        &format!(
            "title: \"Site <b>test</b> & co\"\nbase_url: \"https://esc.example\"\n{extra_config}\
             collections:\n  challenges:\n    data: challenges.yml\n    permalink: \"/defis/:slug.html\"\n\
             \x20   listing: \"/defis/\"\n    template: challenge.html\n    listing_template: challenges.html\n"
        ),
    );
    site.write(
        "content/data/challenges.yml",
        &format!(
            "piege:\n  title: \"Défi {SCRIPT}\"\n  description: \"{SCRIPT} & <b>gras</b>\"\n  \
             administration: \"<img src=x onerror=alert(1)>\"\n  year: 2024\n"
        ),
    );
    site.write(
        "content/posts/2024-01-01-x.md",
        &format!(
            "---\ntitle: \"Billet {SCRIPT}\"\ndescription: \"Desc <i>x</i>\"\ntags: [\"<b>tag</b>\"]\n---\n\
             Corps avec <a href=\"https://ext.example\" target=\"_blank\">lien</a> et <em>brut</em>.\n\n\
             Un [lien Markdown](https://ext.example/md) et <a href=\"/local\" target=_blank rel=\"author\">moi</a>.\n"
        ),
    );
    site
}

/// Text of every `<script>` element of a page.
fn scripts(page: &str) -> Vec<String> {
    select_texts(&html(page), "script")
}

#[test]
fn front_matter_and_record_values_are_shown_as_text() {
    let site = hostile_site("");
    site.build_ok(&[]);
    for page in [
        "defis/piege.html",
        "defis/index.html",
        "blog/2024/01/01/x.html",
        "index.html",
    ] {
        let text = site.output(page);
        assert!(
            !scripts(&text).iter().any(|s| s.contains("alert")),
            "{page} runs a script from a value"
        );
        assert!(!text.contains("<img src=x"), "{page}");
        assert!(!text.contains("<b>gras"), "{page}");
    }
    let record = html(&site.output("defis/piege.html"));
    assert_eq!(select_texts(&record, "h1"), [format!("Défi {SCRIPT}")]);
    assert_eq!(
        select_texts(&record, "p.lead"),
        [format!("{SCRIPT} & <b>gras</b>")]
    );
    assert_eq!(
        select_attrs(&record, "meta[name=description]", "content"),
        [format!("{SCRIPT} & <b>gras</b>")],
        "escaped once, not twice"
    );
    let post = html(&site.output("blog/2024/01/01/x.html"));
    assert_eq!(select_texts(&post, "h1"), [format!("Billet {SCRIPT}")]);
    assert!(
        select_texts(&post, "a[rel=tag]").contains(&"<b>tag</b>".to_string()),
        "{:?}",
        select_texts(&post, "a[rel=tag]")
    );
}

#[test]
fn raw_html_in_bodies_is_kept_and_new_tabs_get_noopener() {
    let site = hostile_site("");
    site.build_ok(&[]);
    let post = html(&site.output("blog/2024/01/01/x.html"));
    assert_eq!(select_texts(&post, "em"), ["brut"], "raw HTML is kept");
    assert_eq!(
        select_attrs(&post, "a[href='https://ext.example']", "rel"),
        ["noopener"]
    );
    assert_eq!(
        select_attrs(&post, "a[href='/local']", "rel"),
        ["noopener author"]
    );
    // Markdown links never open a new tab, so they are left alone.
    assert_eq!(
        select_attrs(&post, "a[href='https://ext.example/md']", "target"),
        Vec::<String>::new()
    );
    for (href, target) in select_attrs(&post, "a[target]", "href")
        .into_iter()
        .zip(select_attrs(&post, "a[target]", "rel"))
    {
        assert!(target.contains("noopener"), "{href}");
    }
}

#[test]
fn raw_html_false_shows_html_in_bodies_as_text() {
    let site = hostile_site("raw_html: false\n");
    site.build_ok(&[]);
    let page = site.output("blog/2024/01/01/x.html");
    let post = html(&page);
    assert!(select_texts(&post, "article em").is_empty(), "{page}");
    assert!(
        page.contains("&lt;em&gt;brut&lt;/em&gt;"),
        "the tag is shown as text"
    );
    assert!(select_attrs(&post, "a[target]", "href").is_empty());
}

#[test]
fn permalinks_that_leave_the_output_folder_are_errors_naming_the_file() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "content/posts/2024-03-01-a.md",
            "---\ntitle: A\npermalink: ../../etc/x\n---\nTexte\n",
            "content/posts/2024-03-01-a.md:3:1: error: the permalink `/../../etc/x` goes outside the site",
        ),
        (
            "content/pages/b.md",
            "---\ntitle: B\npermalink: /a/../../b.html\n---\nTexte\n",
            "content/pages/b.md:3:1: error: the permalink `/a/../../b.html` goes outside the site",
        ),
        (
            "content/pages/c.md",
            "---\ntitle: C\npermalink: 'C:\\Windows\\x.html'\n---\nTexte\n",
            "content/pages/c.md:3:1: error: the permalink",
        ),
        (
            "content/data/challenges.yml",
            "piege:\n  title: Piège\n  slug: ../../../x\n",
            "content/data/challenges.yml:1:1: error: the record `piege`: the permalink `/defis/../../../x.html` goes outside the site",
        ),
        (
            "site.yml",
            "title: T\nbase_url: https://t.example\npermalinks:\n  post: /../:slug.html\n",
            "site.yml:4:9: error: `permalinks.post`: the permalink `/../:slug.html` goes outside the site",
        ),
        (
            "site.yml",
            "title: T\nbase_url: https://t.example\nlanguages:\n  \"..\": {}\n",
            "site.yml:3:1: error: `languages...`: the permalink `/..` goes outside the site",
        ),
    ];
    // What lies beside the site (a shared temporary folder: other programs' files may be
    // there) must be the same after each build.
    let beside = |site: &crate::support::TestSite| -> Vec<(std::ffi::OsString, Option<std::time::SystemTime>)> {
        let mut found: Vec<_> = std::fs::read_dir(site.path().parent().unwrap())
            .unwrap()
            .flatten()
            .filter(|e| {
                ["etc", "x", "b.html", "x.html"].contains(&e.file_name().to_str().unwrap_or(""))
            })
            .map(|e| (e.file_name(), e.metadata().ok().and_then(|m| m.modified().ok())))
            .collect();
        found.sort();
        found
    };
    for (file, text, expected) in cases {
        let site = hostile_site("");
        site.build_ok(&[]);
        let public = site.path().join("public");
        let before = snapshot(&public);
        let beside_before = beside(&site);
        site.write(file, text);
        let run = site.gazette(&["build"]);
        assert_eq!(run.code(), Some(1), "{file}: {}", run.stderr);
        assert!(
            run.stderr.contains(expected),
            "{file}: expected {expected}\n{}",
            run.stderr
        );
        assert!(run.stderr.contains("help:"), "{}", run.stderr);
        assert_eq!(snapshot(&public), before, "{file}");
        // Nothing appeared or changed beside the site either.
        assert_eq!(beside(&site), beside_before, "{file}");
    }
}

#[test]
fn an_absolute_path_permalink_stays_inside_the_output_folder() {
    let site = hostile_site("");
    site.write(
        "content/pages/abs.md",
        "---\ntitle: Abs\npermalink: /etc/passwd-gazette-test\n---\nTexte\n",
    );
    site.build_ok(&[]);
    // A permalink is a path of the site, so `/etc/...` is the site's own `etc/` folder.
    assert!(site.has_output("etc/passwd-gazette-test.html"));
    assert!(!std::path::Path::new("/etc/passwd-gazette-test.html").exists());
    assert!(!std::path::Path::new("/etc/passwd-gazette-test").exists());
}
