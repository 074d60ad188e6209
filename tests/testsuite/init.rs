//! `gazette init`: a new site that builds, checks clean and previews at once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{gazette_in, html};

#[test]
fn a_new_site_builds_and_checks_clean_in_one_or_two_languages() {
    for langs in ["fr", "fr,en", "en"] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("nouveau-site");
        let run = gazette_in(
            tmp.path(),
            &["init", dir.to_str().unwrap(), "--lang", langs],
        );
        assert!(run.success(), "{langs}: {}", run.stderr);
        let build = gazette_in(&dir, &["build"]);
        assert!(build.success(), "{langs}: {}", build.stderr);
        assert!(
            !build.stderr.contains("warning"),
            "{langs}: {}",
            build.stderr
        );
        let check = gazette_in(&dir, &["check"]);
        assert!(check.success(), "{langs}: {}", check.stderr);
        assert!(
            check.stderr.contains("No problem found"),
            "{}",
            check.stderr
        );
        let home = html(&std::fs::read_to_string(dir.join("public/index.html")).unwrap());
        let text: String = home.root_element().text().collect();
        for key in [
            "skip_to_content",
            "footer_text",
            "read_more",
            "published_on",
        ] {
            assert!(!text.contains(key), "{langs}: raw key {key}");
        }
        if langs == "fr,en" {
            assert!(dir.join("public/en/index.html").is_file());
        }
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let run = gazette_in(tmp.path(), &["init", "."]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("this folder is not empty"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

/// A site needs no themes/ folder: the default theme is built into gazette; `gazette theme
/// eject` copies it into the site, which then uses that copy; an unknown theme is a clear error.
#[test]
fn the_default_theme_is_built_in_and_can_be_ejected() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    assert!(gazette_in(tmp.path(), &["init", dir.to_str().unwrap()]).success());
    assert!(!dir.join("themes").exists());
    assert!(gazette_in(&dir, &["build"]).success());
    let site_css = dir.join("public/css/site.css");
    assert!(site_css.is_file());

    let eject = gazette_in(&dir, &["theme", "eject", "default"]);
    assert!(eject.success(), "{}", eject.stderr);
    assert!(dir.join("themes/default/templates/base.html").is_file());
    let css = dir.join("themes/default/static/css/site.css");
    std::fs::write(&css, "body { color: rebeccapurple }\n").unwrap();
    assert!(gazette_in(&dir, &["build"]).success());
    assert!(
        std::fs::read_to_string(&site_css)
            .unwrap()
            .contains("rebeccapurple")
    );
    assert_eq!(
        gazette_in(&dir, &["theme", "eject", "default"]).code(),
        Some(1)
    );

    let yml = std::fs::read_to_string(dir.join("site.yml")).unwrap();
    std::fs::write(
        dir.join("site.yml"),
        yml.replace("  name: default", "  name: inconnu"),
    )
    .unwrap();
    let run = gazette_in(&dir, &["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr
            .contains("the theme `inconnu` is neither in themes/inconnu nor built into gazette"),
        "{}",
        run.stderr
    );
}
