//! The built-in themes: the demo site and a new site build with each of them without a themes/
//! folder, with no raw interface key on any page, the settings of `theme:` in site.yml reach the
//! pages, and a mistake in them is reported at its line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use crate::support::{copy_dir, gazette_in, repo_root};

/// The built-in themes.
pub const THEMES: [&str; 2] = ["default", "dsfr"];

/// The demo site (site.yml, content/, assets/, without themes/) copied into `dir`, naming
/// `theme`, so the built-in theme is used.
pub fn demo_with_theme(dir: &Path, theme: &str) {
    let root = repo_root();
    std::fs::create_dir_all(dir).unwrap();
    copy_dir(&root.join("content"), &dir.join("content"));
    copy_dir(&root.join("assets"), &dir.join("assets"));
    let config = std::fs::read_to_string(root.join("site.yml")).unwrap();
    let named = config.replacen("  name: default ", &format!("  name: {theme} "), 1);
    assert!(
        config.contains("  name: default "),
        "site.yml names its theme"
    );
    std::fs::write(dir.join("site.yml"), named).unwrap();
}

/// Every `.html` file under `dir`.
pub fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walk(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The keys of a theme's i18n.yml (every language).
fn theme_keys(theme: &str) -> Vec<String> {
    let text =
        std::fs::read_to_string(repo_root().join("themes").join(theme).join("i18n.yml")).unwrap();
    let value: serde_json::Value = serde_yaml::from_str(&text).unwrap();
    let mut keys: Vec<String> = value
        .as_object()
        .unwrap()
        .values()
        .flat_map(|strings| strings.as_object().unwrap().keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Pages of `output` showing a raw key of either theme in their text (a key has `_`: prose
/// never does), outside `<code>`, where the guide writes settings such as `footer_menu`.
pub(crate) fn pages_with_raw_keys(output: &Path) -> Vec<String> {
    let keys: Vec<String> = THEMES
        .iter()
        .flat_map(|t| theme_keys(t))
        .filter(|k| k.contains('_'))
        .collect();
    let mut found = Vec::new();
    for file in html_files(output) {
        let page = crate::support::html(&std::fs::read_to_string(&file).unwrap());
        let text: String = page
            .root_element()
            .descendants()
            .filter(|node| {
                !node.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| matches!(e.name(), "code" | "pre"))
                })
            })
            .filter_map(|node| node.value().as_text().map(|t| t.to_string()))
            .collect();
        for key in &keys {
            if text.contains(key.as_str()) {
                found.push(format!("{}: {key}", file.display()));
            }
        }
    }
    found
}

#[test]
fn the_demo_builds_with_each_built_in_theme_without_a_raw_key() {
    for theme in THEMES {
        let tmp = tempfile::tempdir().unwrap();
        demo_with_theme(tmp.path(), theme);
        let run = gazette_in(tmp.path(), &["build"]);
        assert!(run.success(), "{theme}: {}", run.stderr);
        assert!(
            !run.stderr.contains("interface string"),
            "{theme}: {}",
            run.stderr
        );
        let output = tmp.path().join("public");
        let pages = html_files(&output);
        assert!(pages.len() > 50, "{theme}: {} pages", pages.len());
        assert_eq!(
            pages_with_raw_keys(&output),
            Vec::<String>::new(),
            "{theme}"
        );
        // The settings of `theme:` reach every page: the compliance statement and its link.
        let home = std::fs::read_to_string(output.join("index.html")).unwrap();
        assert!(
            home.contains("Accessibilité\u{a0}: partiellement conforme"),
            "{theme}"
        );
        assert!(home.contains("href=\"/accessibilite.html\""), "{theme}");
        assert!(
            home.contains("href=\"/donnees-personnelles.html\""),
            "{theme}"
        );
        assert!(home.contains("href=\"/plan-du-site.html\""), "{theme}");
        if theme == "default" {
            assert!(
                home.contains("<img src=\"/favicon.svg\" alt=\"\""),
                "the header's icon"
            );
        }
        let english = std::fs::read_to_string(output.join("en/index.html")).unwrap();
        assert!(
            english.contains("Accessibility: partially compliant"),
            "{theme}"
        );
        // The site map lists the posts and records.
        let map = std::fs::read_to_string(output.join("plan-du-site.html")).unwrap();
        assert!(
            map.contains("/defis/") && map.contains("/communaute/") && map.contains("/blog/20"),
            "{theme}"
        );
    }
}

#[test]
fn the_dsfr_theme_has_the_state_header_and_no_hard_coded_path() {
    let tmp = tempfile::tempdir().unwrap();
    demo_with_theme(tmp.path(), "dsfr");
    assert!(gazette_in(tmp.path(), &["build"]).success());
    let output = tmp.path().join("public");
    let post = std::fs::read_to_string(output.join("blog/2024/02/06/mise-en-forme-markdown.html"))
        .unwrap();
    for expected in [
        "<p class=\"fr-logo\">République<br>Française</p>",
        "fr-header__service-tagline",
        "class=\"fr-breadcrumb",
        "class=\"fr-tag\"",
        "tabindex=\"0\" role=\"group\" aria-label=\"Code",
        // Fingerprinted (`asset()`): a deploy never leaves a stale stylesheet in a browser.
        "/dsfr/css/dsfr.min.",
    ] {
        assert!(post.contains(expected), "{expected}");
    }
    assert!(output.join("dsfr/css/dsfr.min.css").is_file());
    let blog = std::fs::read_to_string(output.join("blog/index.html")).unwrap();
    assert!(blog.contains("fr-pagination") && blog.contains("fr-card"));
    // No script is needed to read a page: the only one is DSFR's core, a module for dark mode.
    let scripts = blog.matches("<script").count();
    assert_eq!(scripts, 1, "{blog}");
}

#[test]
fn both_themes_ship_the_same_copies_of_gazettes_scripts() {
    // gazette's own scripts (search, video placeholders) are copied into each theme, which must
    // stand alone: a fix to one copy must reach the other.
    let themes = crate::support::repo_root().join("themes");
    for script in ["static/js/search.js", "static/js/embeds.js"] {
        let default = std::fs::read(themes.join("default").join(script)).unwrap();
        let dsfr = std::fs::read(themes.join("dsfr").join(script)).unwrap();
        assert!(default == dsfr, "themes/*/{script} differ");
    }
}

#[test]
fn a_video_in_the_dsfr_theme_loads_only_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    crate::support::copy_dir(
        &crate::support::repo_root().join("themes/dsfr"),
        &tmp.path().join("themes/dsfr"),
    );
    std::fs::write(
        tmp.path().join("site.yml"),
        "title: Essai\nbase_url: https://essai.example\nlanguage: fr\ntheme: dsfr\n",
    )
    .unwrap();
    std::fs::create_dir_all(tmp.path().join("content/posts")).unwrap();
    std::fs::write(
        tmp.path().join("content/posts/2024-03-02-video.md"),
        "---\ntitle: Vidéo\n---\nAvant.\n\n![Le bootcamp](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n",
    )
    .unwrap();
    let run = gazette_in(tmp.path(), &["build"]);
    assert!(run.success(), "{}", run.stderr);
    let output = tmp.path().join("public");
    let post = std::fs::read_to_string(output.join("blog/2024/03/02/video.html")).unwrap();
    assert!(post.contains("class=\"video-embed"), "{post}");
    assert!(
        post.contains("<script src=\"/js/embeds.") && post.contains(".js\" defer>"),
        "{post}"
    );
    assert!(output.join("js/embeds.js").is_file());
    let css = std::fs::read_to_string(output.join("css/gazette-dsfr.css")).unwrap();
    assert!(css.contains(".video-embed__load"));
}

#[test]
fn a_new_site_with_the_dsfr_theme_builds_without_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site-etat");
    let run = gazette_in(
        tmp.path(),
        &[
            "init",
            dir.to_str().unwrap(),
            "--theme",
            "dsfr",
            "--lang",
            "fr,en",
        ],
    );
    assert!(run.success(), "{}", run.stderr);
    assert!(
        std::fs::read_to_string(dir.join("site.yml"))
            .unwrap()
            .contains("  name: dsfr")
    );
    let build = gazette_in(&dir, &["build"]);
    assert!(build.success(), "{}", build.stderr);
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    assert!(!dir.join("themes").exists(), "the theme is built in");
    let home = std::fs::read_to_string(dir.join("public/index.html")).unwrap();
    assert!(home.contains("fr-header") && home.contains("Accessibilité\u{a0}: non conforme"));
    assert_eq!(
        pages_with_raw_keys(&dir.join("public")),
        Vec::<String>::new()
    );
    let refused = gazette_in(tmp.path(), &["init", "autre", "--theme", "dsfrr"]);
    assert!(!refused.success());
    assert!(
        refused.stderr.contains("default, dsfr"),
        "{}",
        refused.stderr
    );
}

#[test]
fn theme_settings_mistakes_are_reported_at_their_line() {
    let tmp = tempfile::tempdir().unwrap();
    demo_with_theme(tmp.path(), "default");
    let config = std::fs::read_to_string(tmp.path().join("site.yml")).unwrap();
    let line = config
        .lines()
        .position(|l| l.starts_with("  favicon:"))
        .unwrap()
        + 1;
    let broken = config
        .replace(
            "  favicon: /favicon.svg",
            "  favicon: /favicon.svg\n  colors: { accent: \"#ffd700\" }",
        )
        .replace("compliance: partial", "compliance: partiel");
    std::fs::write(tmp.path().join("site.yml"), broken).unwrap();
    let run = gazette_in(tmp.path(), &["build"]);
    assert!(!run.success());
    assert!(
        run.stderr.contains("unknown variant `partiel`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `partial`"),
        "{}",
        run.stderr
    );
    let fixed = std::fs::read_to_string(tmp.path().join("site.yml"))
        .unwrap()
        .replace("partiel", "full");
    std::fs::write(tmp.path().join("site.yml"), fixed).unwrap();
    let run = gazette_in(tmp.path(), &["build"]);
    assert!(!run.success());
    assert!(
        run.stderr.contains(&format!("site.yml:{}:", line + 1)),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("too light to read on white"),
        "{}",
        run.stderr
    );
}
