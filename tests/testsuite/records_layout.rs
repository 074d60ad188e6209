//! Records one file per record (`layout: files`) and `gazette records split|join`: the demo's
//! people and challenges moved into files and back give the same built site, byte for byte,
//! with the same references; a record file's mistakes are reported in that file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{TestSite, copy_dir, repo_root, snapshot};

/// The demo site (the repository's own), copied.
fn demo() -> TestSite {
    let site = TestSite::empty_with_theme();
    let root = repo_root();
    std::fs::copy(root.join("site.yml"), site.path().join("site.yml")).unwrap();
    copy_dir(&root.join("content"), &site.path().join("content"));
    copy_dir(&root.join("assets"), &site.path().join("assets"));
    site
}

fn built(site: &TestSite) -> std::collections::BTreeMap<String, Vec<u8>> {
    let _ = std::fs::remove_dir_all(site.path().join("public"));
    let _ = std::fs::remove_dir_all(site.path().join(".gazette-cache/outputs"));
    site.build_ok(&[]);
    snapshot(&site.path().join("public"))
}

#[test]
fn split_then_join_keeps_the_built_site_and_the_files() {
    let site = demo();
    let yml = std::fs::read_to_string(site.path().join("site.yml")).unwrap();
    let bodies = snapshot(&site.path().join("content/people"));
    let before = built(&site);
    for collection in ["people", "challenges"] {
        let run = site.gazette(&["records", "split", collection]);
        assert!(run.success(), "{}", run.stderr);
    }
    assert!(!site.path().join("content/data/people.yml").exists());
    let camille = std::fs::read_to_string(
        site.path()
            .join("content/people/2024-09-16-camille-besnard.md"),
    )
    .unwrap();
    assert!(
        camille.starts_with("---\nname: \"Camille Besnard\"\nyear: 2024\nrole: fellow\n"),
        "{camille}"
    );
    assert!(
        camille.contains("challenges: [\"Cartographie des aides\"]\n---\n"),
        "{camille}"
    );
    // A record without a body file gets one named after its key (its address does not change).
    assert!(site.path().join("content/people/bastien-roux.md").is_file());
    let split_yml = std::fs::read_to_string(site.path().join("site.yml")).unwrap();
    assert!(
        split_yml.contains("  people:\n    layout: files\n    bodies: people\n"),
        "{split_yml}"
    );
    assert!(site.gazette(&["check"]).success());
    let after_split = built(&site);
    let differs: Vec<&String> = before
        .keys()
        .filter(|k| before.get(*k) != after_split.get(*k))
        .collect();
    assert!(
        differs.is_empty() && before.len() == after_split.len(),
        "pages changed by split: {differs:?}"
    );

    for collection in ["people", "challenges"] {
        let run = site.gazette(&["records", "join", collection]);
        assert!(run.success(), "{}", run.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(site.path().join("site.yml")).unwrap(),
        yml
    );
    assert_eq!(
        snapshot(&site.path().join("content/people")),
        bodies,
        "the body files are as they were"
    );
    let after_join = built(&site);
    assert!(before == after_join, "pages changed by join");
}

#[test]
fn a_record_file_mistake_points_into_the_record_file() {
    let site = TestSite::fixture_with_theme("admin_site");
    assert!(site.gazette(&["check"]).success());
    site.write(
        "content/people/2024-01-01-yanis-haddad.md",
        "---\nname: \"Yanis Haddad\"\nyear: 2024\nrole: chef\ntitle: \"Data scientist\"\n---\n",
    );
    let run = site.gazette(&["check"]);
    assert!(!run.success());
    let text = format!("{}{}", run.stdout, run.stderr);
    assert!(
        text.contains("content/people/2024-01-01-yanis-haddad.md:4:7"),
        "{text}"
    );
    // Two files for one record.
    site.write(
        "content/people/yanis-bis.md",
        "---\nname: \"Yanis Haddad\"\nyear: 2024\nrole: mentor\ntitle: \"x\"\n---\n",
    );
    let text = site.gazette(&["check"]).stderr;
    assert!(
        text.contains("yanis-bis.md:2:1: error: the record `Yanis Haddad` is already written in"),
        "{text}"
    );
    // Moving the wrong way is refused.
    let run = site.gazette(&["records", "split", "people"]);
    assert!(!run.success());
    assert!(
        run.stderr
            .contains("`people` is already written one file per record"),
        "{}",
        run.stderr
    );

    // `gazette new person` writes a record file of its own.
    let run = site.gazette(&["new", "person", "Léa Fontaine"]);
    assert!(run.success(), "{}", run.stderr);
    let file = run
        .stdout
        .lines()
        .next()
        .unwrap()
        .rsplit_once(':')
        .unwrap()
        .0
        .to_string();
    let text = std::fs::read_to_string(site.path().join(&file)).unwrap();
    assert!(
        file.starts_with("content/people/") && text.starts_with("---\nname: \"Léa Fontaine\"\n"),
        "{file}: {text}"
    );
    assert!(text.contains("# role:"), "{text}");
}
