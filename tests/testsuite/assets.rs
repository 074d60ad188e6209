//! Fingerprinted assets (`asset(path=…)`): the links of built pages, parsed with a real HTML
//! parser, lead to files of the output named after a hash of their bytes; the preview serves the
//! same names over HTTP and gives pages the new name after an edit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use gazette::preview::live::Live;
use gazette::site::BuildOptions;

use crate::serve::Server;
use crate::support::{TestSite, html, select_attrs};

/// 64-bit FNV-1a folded to 32 bits, written here again from its definition (not taken from
/// gazette) so that a wrong hash in gazette fails the test.
fn fnv_fingerprint(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let mut text = format!("{:08x}", (hash >> 32) ^ (hash & 0xffff_ffff));
    // A name `_headers` tells from a word: a digit and a letter, always (the first one changed).
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        text.replace_range(0..1, "0");
    }
    if !text.bytes().any(|b| b.is_ascii_alphabetic()) {
        text.replace_range(0..1, "a");
    }
    text
}

fn small_site(base_url: &str) -> TestSite {
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        &format!("title: \"Actifs\"\nbase_url: \"{base_url}\"\nlanguage: fr\ntheme: default\n"),
    )
    .write(
        "content/posts/2024-03-10-billet.md",
        "---\ntitle: \"Un billet\"\n---\n\nDu texte.\n",
    );
    site
}

/// The stylesheets and scripts a page links, in order.
fn linked_assets(page: &str) -> Vec<String> {
    let doc = html(page);
    let mut found = select_attrs(&doc, "link[rel=stylesheet]", "href");
    found.extend(select_attrs(&doc, "script[src]", "src"));
    found
}

/// Checks that `address` (under `base_path`) is a fingerprinted copy in `public` whose name
/// carries the hash of its bytes and whose bytes are those of the plain file; returns the plain
/// output path.
fn assert_fingerprinted(public: &Path, base_path: &str, address: &str) -> String {
    let path = address
        .strip_prefix(base_path)
        .unwrap_or_else(|| panic!("{address} is not under {base_path}"))
        .trim_start_matches('/');
    let bytes = std::fs::read(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (stem, ending) = path.rsplit_once('.').unwrap();
    let (plain_stem, hash) = stem.rsplit_once('.').unwrap();
    assert_eq!(
        hash,
        fnv_fingerprint(&bytes),
        "{path}: not the hash of its bytes"
    );
    let plain = format!("{plain_stem}.{ending}");
    assert_eq!(
        std::fs::read(public.join(&plain)).unwrap(),
        bytes,
        "{plain} stays, with the same bytes"
    );
    plain
}

#[test]
fn pages_link_fingerprinted_copies_under_the_base_path() {
    let site = small_site("https://exemple.gouv.fr/programme/");
    // The site's own stylesheet, in Sass, replaces the theme's: the hash is the compiled CSS's.
    site.write(
        "assets/css/site.scss",
        "$accent: #000091;\nbody { color: $accent; }\n",
    );
    site.build_ok(&[]);
    let public = site.path().join("public");
    let page = site.output("index.html");
    let links = linked_assets(&page);
    let plains: Vec<String> = links
        .iter()
        .map(|l| assert_fingerprinted(&public, "/programme", l))
        .collect();
    assert_eq!(
        plains,
        ["css/site.css", "css/highlight.css", "js/embeds.js"],
        "{links:?}"
    );
    let css = std::fs::read_to_string(public.join("css/site.css")).unwrap();
    assert!(css.contains("color: #000091"), "compiled Sass: {css}");
    // The host may keep these a year: `_headers` names them immutable.
    site.write(
        "site.yml",
        "title: \"Actifs\"\nbase_url: \"https://exemple.gouv.fr/programme/\"\nlanguage: fr\ntheme: default\nheaders: true\n",
    );
    site.build_ok(&[]);
    let headers = site.output("_headers");
    let stylesheet = links[0].trim_start_matches("/programme/");
    assert!(
        headers.contains(&format!(
            "/programme/{stylesheet}\n  Cache-Control: public, max-age=31536000, immutable"
        )) || headers
            .contains("/programme/css/*\n  Cache-Control: public, max-age=31536000, immutable"),
        "{headers}"
    );
    // Another edit, another name; the plain address stays for old links.
    site.write("assets/css/site.scss", "body { color: #e1000f; }\n");
    site.build_ok(&[]);
    let after = linked_assets(&site.output("index.html"));
    assert_ne!(after[0], links[0]);
    assert_fingerprinted(&public, "/programme", &after[0]);
    assert_eq!(after[1], links[1], "an unchanged file keeps its name");
}

#[test]
fn both_themes_link_only_fingerprinted_styles_and_scripts() {
    for theme in ["default", "dsfr"] {
        let site = TestSite::empty_with_theme();
        site.write(
            "site.yml",
            &format!("title: \"Actifs\"\nbase_url: \"https://exemple.fr\"\nlanguage: fr\ntheme: {theme}\nsearch: true\n"),
        )
        .write(
            "content/posts/2024-03-10-billet.md",
            "---\ntitle: \"Un billet\"\n---\n\n![Une vidéo](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n",
        );
        site.build_ok(&[]);
        let public = site.path().join("public");
        for page in [
            "index.html",
            "blog/2024/03/10/billet.html",
            "search/index.html",
        ] {
            if !site.has_output(page) {
                assert_ne!(page, "index.html", "{theme}");
                continue;
            }
            let links = linked_assets(&site.output(page));
            assert!(!links.is_empty(), "{theme} {page}");
            for link in links {
                assert_fingerprinted(&public, "", &link);
            }
        }
    }
}

#[test]
fn an_unknown_asset_is_an_error_at_the_template_line_with_a_hint() {
    let site = small_site("https://exemple.fr");
    let base =
        std::fs::read_to_string(site.path().join("themes/default/templates/base.html")).unwrap();
    let line = base
        .lines()
        .position(|l| l.contains("asset(path=\"css/highlight.css\")"))
        .unwrap()
        + 1;
    site.write(
        "templates/base.html",
        &base.replace("css/highlight.css", "css/higlight.css"),
    );
    let run = site.gazette(&["build"]);
    assert!(!run.success());
    assert!(
        run.stderr.contains(&format!("templates/base.html:{line}:")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "asset(): `css/higlight.css` is not among the site's assets/ files nor the theme's static/ files; did you mean `css/highlight.css`?"
        ),
        "{}",
        run.stderr
    );
    // In French for a French site.
    let run = site.gazette_native(&["build"]);
    assert!(
        run.stderr
            .contains("vouliez-vous dire `css/highlight.css` ?"),
        "{}",
        run.stderr
    );
    // A picture is not what asset() is for: the message says what to use.
    site.write(
        "templates/base.html",
        &base.replace("css/highlight.css", "img/photo.jpg"),
    );
    let run = site.gazette(&["build"]);
    assert!(
        run.stderr.contains("use url() for other files"),
        "{}",
        run.stderr
    );
}

fn options() -> BuildOptions {
    BuildOptions {
        today: chrono::NaiveDate::from_ymd_opt(2030, 1, 1),
        ..BuildOptions::default()
    }
}

#[test]
fn a_stylesheet_edit_in_the_preview_gives_pages_the_new_name() {
    let site = small_site("https://exemple.fr");
    let root = site.path();
    let mut live = Live::new(root, &options());
    live.update(&[]).unwrap();
    crate::support::assert_live_same_as_clean(&live, root, &options(), "first build");
    let stylesheet = |live: &Live| {
        let files = live.files();
        let body = files.get("index.html").unwrap();
        let gazette::output::Body::Bytes(bytes) = &**body else {
            panic!("index.html is generated")
        };
        linked_assets(std::str::from_utf8(bytes).unwrap())[0].clone()
    };
    let before = stylesheet(&live);
    let theme_css = "themes/default/static/css/site.css";
    let mut css = std::fs::read_to_string(root.join(theme_css)).unwrap();
    css.push_str("\n.nouveau { color: red; }\n");
    site.write(theme_css, &css);
    let update = live.update(&[root.join(theme_css)]).unwrap();
    let after = stylesheet(&live);
    assert_ne!(before, after, "the page names the new bytes");
    assert!(live.files().contains_key(after.trim_start_matches('/')));
    assert!(!live.files().contains_key(before.trim_start_matches('/')));
    assert!(
        update.changed.iter().any(|p| p.ends_with(".html")),
        "pages changed, so the browser reloads rather than swapping stylesheets: {:?}",
        update.changed
    );
    crate::support::assert_live_same_as_clean(&live, root, &options(), "theme CSS edited");
    // A new site stylesheet replacing the theme's.
    site.write("assets/css/site.css", "body { margin: 0; }\n");
    live.update(&[root.join("assets/css/site.css")]).unwrap();
    assert_ne!(stylesheet(&live), after);
    crate::support::assert_live_same_as_clean(&live, root, &options(), "site CSS added");
    // A CSS edit saved with a broken post: the update fails; once the post is fixed, the pages
    // name the new stylesheet all the same.
    let before = stylesheet(&live);
    let post = "content/posts/2024-03-10-billet.md";
    site.write("assets/css/site.css", "body { margin: 1px; }\n");
    site.write(post, "---\ntitle: \"Cassé\ntags: [\n---\n");
    assert!(
        live.update(&[root.join("assets/css/site.css"), root.join(post)])
            .is_err()
    );
    site.write(post, "---\ntitle: \"Réparé\"\n---\n\nDu texte.\n");
    live.update(&[root.join(post)]).unwrap();
    assert_ne!(stylesheet(&live), before);
    crate::support::assert_live_same_as_clean(&live, root, &options(), "after a failed update");
}

#[test]
fn the_preview_serves_fingerprinted_files_over_http() {
    let site = small_site("https://exemple.fr");
    let server = Server::start(site.path(), &[]);
    let (status, _, page) = server.get("/");
    assert_eq!(status, 200);
    let links = linked_assets(&page);
    assert_eq!(links.len(), 3, "{links:?}");
    for link in &links {
        let (status, head, body) = server.get(link);
        assert_eq!(status, 200, "{link}: {head}");
        let plain = link
            .rsplit_once('.')
            .unwrap()
            .0
            .rsplit_once('.')
            .unwrap()
            .0
            .to_string()
            + "."
            + link.rsplit_once('.').unwrap().1;
        assert_eq!(
            fnv_fingerprint(body.as_bytes()),
            link.split('.').rev().nth(1).unwrap()
        );
        assert_eq!(server.get(&plain).2, body, "{plain}");
    }
    // A CSS edit: the page soon names the new file, which is served.
    let theme_css = "themes/default/static/css/site.css";
    let css = std::fs::read_to_string(site.path().join(theme_css)).unwrap() + "\n.x{color:red}\n";
    site.write(theme_css, &css);
    let deadline = Instant::now() + Duration::from_secs(15);
    let fresh = loop {
        let (_, _, page) = server.get("/");
        let now = linked_assets(&page);
        if now.first() != links.first() {
            break now[0].clone();
        }
        assert!(
            Instant::now() < deadline,
            "the page never named the new stylesheet"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let (status, _, body) = server.get(&fresh);
    assert_eq!(status, 200);
    assert!(body.ends_with(".x{color:red}\n"));
    assert_eq!(server.get(&links[0]).0, 404, "the old name is gone");
}
