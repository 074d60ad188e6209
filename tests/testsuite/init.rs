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
