//! Never delete, overwrite or publish what is not gazette's: one regression test per promise of
//! the output folder (issue "Never delete, overwrite or publish what is not ours").

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use crate::support::{TestSite, snapshot};

/// The manifests gazette keeps for a site's output folders, in its cache (`.tsv`; beside them may
/// lie the no-change record, `.fresh.json`, written only when no source changed in the last 50 ms).
fn cache_manifests(site: &TestSite) -> Vec<PathBuf> {
    let dir = site.path().join(".gazette-cache/outputs");
    fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
                .collect()
        })
        .unwrap_or_default()
}

/// A manifest line claiming `path`.
fn claim(path: &str) -> String {
    format!("0000000000000001\t1\t0\t{path}\n")
}

#[test]
fn the_manifest_is_kept_in_the_cache_not_in_the_deployed_folder() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    assert!(!site.path().join("public/.gazette-manifest").exists());
    let manifests = cache_manifests(&site);
    assert_eq!(manifests.len(), 1, "{manifests:?}");
    let text = fs::read_to_string(&manifests[0]).unwrap();
    assert!(text.contains("\tindex.html\n"), "{text}");
}

#[test]
fn a_doctored_manifest_never_deletes_a_file_outside_the_output_folder() {
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    fs::write(&victim, "keep me").unwrap();
    let post = "content/posts/2023-03-14-premier-billet.md";

    // In the cache (as a doctored checkout of the cache would be).
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let manifest = cache_manifests(&site).remove(0);
    let mut text = fs::read_to_string(&manifest).unwrap();
    text.push_str(&claim(&format!("../{post}")));
    text.push_str(&claim(victim.to_str().unwrap()));
    text.push_str(&claim("blog/../../site.yml"));
    fs::write(&manifest, text).unwrap();
    let before = fs::read(site.path().join(post)).unwrap();
    site.build_ok(&[]);
    assert_eq!(fs::read(site.path().join(post)).unwrap(), before);
    assert!(site.path().join("site.yml").is_file());
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");

    // In a committed output folder, as older versions of gazette kept it.
    let site = TestSite::fixture("basic");
    site.write(
        "public/.gazette-manifest",
        &format!(
            "# old manifest\n{}{}",
            claim(&format!("../{post}")),
            claim(victim.to_str().unwrap())
        ),
    );
    let before = fs::read(site.path().join(post)).unwrap();
    site.build_ok(&[]);
    assert_eq!(fs::read(site.path().join(post)).unwrap(), before);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(
        !site.path().join("public/.gazette-manifest").exists(),
        "the old manifest would be deployed: it goes once read"
    );
}

#[test]
fn a_link_in_the_output_folder_is_never_written_through() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let elsewhere = tempfile::tempdir().unwrap();
    let public = site.path().join("public");
    fs::remove_dir_all(public.join("en")).unwrap();
    symlink(elsewhere.path(), public.join("en")).unwrap();
    let run = site.gazette(&["build"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("public/en: error: is a link"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    assert!(public.join("en").is_symlink(), "the link itself is left");
}

#[test]
fn a_file_gazette_did_not_write_is_never_overwritten_nor_removed() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    // A file written by hand where a new page goes.
    site.write("public/nouvelle-page.html", "written by hand");
    site.write(
        "content/pages/nouvelle-page.md",
        "---\ntitle: Nouvelle page\n---\nTexte.\n",
    );
    let before = snapshot(&site.path().join("public"));
    let run = site.gazette(&["build"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("public/nouvelle-page.html: error: is a file gazette did not write")
            && run.stderr.contains("content/pages/nouvelle-page.md"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&site.path().join("public")), before);
    // Once the page is gone again, the hand-written file is still there.
    site.remove("content/pages/nouvelle-page.md");
    site.build_ok(&[]);
    assert_eq!(site.output("nouvelle-page.html"), "written by hand");
}

#[test]
fn a_page_that_becomes_a_folder_and_back_builds_every_time() {
    let site = TestSite::fixture("basic");
    let page = "content/pages/notes.md";
    for (permalink, file) in [
        ("/notes.txt", "notes.txt"),
        ("/notes.txt/", "notes.txt/index.html"),
        ("/notes.txt", "notes.txt"),
    ] {
        site.write(
            page,
            &format!("---\ntitle: Notes\npermalink: {permalink}\n---\nTexte.\n"),
        );
        site.build_ok(&[]);
        assert!(site.has_output(file), "{permalink}");
    }
}

#[test]
fn a_page_inside_another_page_is_an_error_naming_both() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/pages/sous-page.md",
        "---\ntitle: Sous-page\npermalink: /a-propos.html/x.html\n---\nTexte.\n",
    );
    let run = site.gazette(&["build"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/pages/sous-page.md")
            && run.stderr.contains("content/pages/a-propos.md")
            && run.stderr.contains("/a-propos.html/x.html"),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn an_output_folder_inside_the_sources_is_refused_however_it_is_written() {
    let site = TestSite::fixture("basic");
    for output in [
        "nothere/../templates",
        "nothere/../assets/out",
        "./content/../content/x",
        ".git",
        ".gazette-cache/out",
    ] {
        let before = snapshot(site.path());
        let run = site.gazette(&["build", "--output", output]);
        assert_eq!(run.code(), Some(1), "{output}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("the output folder is inside the site's"),
            "{output}: {}",
            run.stderr
        );
        assert_eq!(snapshot(site.path()), before, "{output}");
    }
}

#[test]
fn a_failed_write_says_what_state_the_folder_is_in_and_leaves_no_empty_folder() {
    let site = TestSite::fixture("basic");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("build")
        .current_dir(site.path())
        .env("GAZETTE_LANG", "en")
        .env("GAZETTE_TEST_FAIL_WRITE_AFTER", "3")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    // The files were staged: the failure left the output as it was (here, not there at all),
    // and the message says so whichever batch failed.
    assert!(
        stderr.contains("the output folder was not changed"),
        "{stderr}"
    );
    let public = site.path().join("public");
    assert!(!public.exists() || walk_dirs(&public).len() == 1);
    let empty: Vec<PathBuf> = walk_dirs(&public)
        .into_iter()
        .filter(|d| fs::read_dir(d).unwrap().next().is_none() && d != &public)
        .collect();
    assert!(empty.is_empty(), "empty folders left: {empty:?}");
    site.build_ok(&[]);
}

fn walk_dirs(dir: &Path) -> Vec<PathBuf> {
    if !dir.exists() {
        return Vec::new();
    }
    let mut out = vec![dir.to_path_buf()];
    for entry in fs::read_dir(dir).unwrap().flatten() {
        if entry.file_type().unwrap().is_dir() {
            out.extend(walk_dirs(&entry.path()));
        }
    }
    out
}

#[test]
fn new_folders_moved_whole_and_new_files_moved_alone_give_the_clean_build() {
    // A build stages its files as they will be laid out and moves a folder the output lacks in
    // one rename: a new post's folder, a new folder under one that exists, a new file in an
    // existing folder, and a folder someone made (empty) in the output while nothing was there.
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    site.write(
        "content/posts/2024-03-01-tout-neuf.md",
        "---\ntitle: Tout neuf\n---\nUn billet dans un dossier neuf.\n",
    );
    site.write(
        "content/pages/guide/etapes/une.md",
        "---\ntitle: Une\npermalink: /guide/etapes/une/\n---\nÉtape.\n",
    );
    site.write("assets/nouveau.txt", "nouveau\n");
    fs::create_dir_all(site.path().join("public/guide")).unwrap();
    site.build_ok(&[]);
    let again = site.build_ok(&[]);
    assert!(again.stderr.contains("0 written"), "{}", again.stderr);
    let clean = tempfile::tempdir().unwrap();
    let out = clean.path().join("out");
    site.build_ok(&["--output", out.to_str().unwrap()]);
    let warm = snapshot(&site.path().join("public"));
    assert!(
        warm.contains_key("guide/etapes/une/index.html"),
        "{:?}",
        warm.keys()
    );
    assert!(warm.contains_key("nouveau.txt"), "{:?}", warm.keys());
    assert_eq!(warm, snapshot(&out));
    assert!(!site.path().join("public/.gazette-tmp").exists());
}
