//! Faults during a build: an unwritable output folder, a full disk, a file vanishing between
//! discovery and load, SIGINT/SIGTERM at any moment, two builds at once. In every case the output
//! folder holds only complete files (old or new), no temporary file is left, and the exit code and
//! message say what happened.
//!
//! Faults are produced for real where the machine allows it (a small or read-only tmpfs when the
//! tests run as root; `chmod` otherwise) and through fault hooks compiled only into debug builds
//! (`GAZETTE_TEST_*` variables, see `src/write.rs`) where timing must be controlled.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{TestSite, snapshot};

const MANIFEST: &str = ".gazette-manifest";

/// The output folder's files, without gazette's manifest (whose times differ between builds).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(dir);
    files.remove(MANIFEST);
    files
}

/// What a clean build of `site` produces, built into a fresh folder.
fn clean_build(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let run = site.gazette(&["build", "--output", out.path().to_str().unwrap()]);
    assert!(run.success(), "{}", run.stderr);
    files(out.path())
}

/// Asserts every file of `now` is byte for byte either its `before` or its `after` version (never
/// truncated or mixed), and that no temporary or lock file is left.
fn assert_each_file_old_or_new(
    now: &BTreeMap<String, Vec<u8>>,
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) {
    for (path, bytes) in now {
        assert!(
            !path.ends_with(".gazette-tmp") && !path.ends_with(".gazette-lock"),
            "left behind: {path}"
        );
        let old = before.get(path) == Some(bytes);
        let new = after.get(path) == Some(bytes);
        assert!(old || new, "{path} is neither the old nor the new version");
    }
}

fn spawn(site: &Path, args: &[&str], env: &[(&str, &str)]) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .args(args)
        .current_dir(site)
        .env("GAZETTE_LANG", "en")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    command.spawn().unwrap()
}

/// Waits (at most 60 s) for a child and returns its exit code and stderr.
fn finish(mut child: Child) -> (Option<i32>, String) {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("gazette did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Waits (at most 30 s) until `found` is true.
fn wait_for(what: &str, found: impl Fn() -> bool) {
    let started = Instant::now();
    while !found() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn has_temp_file(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().ends_with(".gazette-tmp"))
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// A site whose next build changes every page: the first build's output, then a change.
fn built_then_changed() -> (TestSite, BTreeMap<String, Vec<u8>>) {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let before = snapshot(&site.path().join("public"));
    let yml = fs::read_to_string(site.path().join("site.yml")).unwrap();
    site.write(
        "site.yml",
        &yml.replace("Le Petit Journal", "Le Grand Journal"),
    );
    (site, before)
}

/// A tmpfs mounted on `dir` while the value lives (root only; `None` when mounting is refused).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, options: &str) -> Option<Tmpfs> {
        fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success(), "remount {options}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn skip(test: &str, why: &str) {
    eprintln!("SKIPPED {test}: {why}");
}

#[test]
fn unwritable_output_folder_fails_clearly_and_changes_nothing() {
    let site = TestSite::fixture("basic");
    let public = site.path().join("public");
    // As root, permissions are not enforced: use a tmpfs remounted read-only instead of chmod.
    let mount = Tmpfs::mount(&public, "size=16m");
    site.build_ok(&[]);
    let before = snapshot(&public);
    match &mount {
        Some(mount) => mount.remount("ro"),
        None => {
            use std::os::unix::fs::PermissionsExt as _;
            fs::set_permissions(&public, fs::Permissions::from_mode(0o555)).unwrap();
        }
    }
    site.write(
        "content/posts/2024-06-01-nouveau.md",
        "---\ntitle: Nouveau\n---\nTexte\n",
    );
    let run = site.gazette(&["build"]);
    if mount.is_none() {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(&public, fs::Permissions::from_mode(0o755)).unwrap();
    }
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("public: error: cannot write in the output folder"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("help:"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Build failed: nothing was written, the output folder is unchanged."),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&public), before);
}

#[test]
fn a_full_disk_names_the_file_and_the_next_build_repairs_the_folder() {
    let site = TestSite::fixture("basic");
    let public = site.path().join("public");
    let Some(mount) = Tmpfs::mount(&public, "size=400k") else {
        skip(
            "a_full_disk_names_the_file_and_the_next_build_repairs_the_folder",
            "cannot mount a tmpfs here (not root); the fault-hook test below covers the same path",
        );
        return;
    };
    site.build_ok(&[]);
    let before = snapshot(&public);
    // A post of 600 kB, on a disk of 400 kB: its page, the listings and feeds cannot all fit.
    let paragraph = "Une phrase assez longue pour remplir le disque rapidement. ".repeat(20);
    let body = format!("{paragraph}\n\n").repeat(500);
    site.write(
        "content/posts/2024-06-01-gros.md",
        &format!("---\ntitle: Gros\n---\n{body}"),
    );
    let run = site.gazette(&["build"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("error: the disk is full:")
            && run.stderr.contains("could not be written"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the next successful build repairs the folder"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("nothing was written"),
        "{}",
        run.stderr
    );
    assert!(!has_temp_file(&public));
    let expected = clean_build(&site);
    let mut now = snapshot(&public);
    now.remove(MANIFEST);
    assert_each_file_old_or_new(&now, &before, &expected);

    mount.remount("size=16m");
    site.build_ok(&[]);
    assert_eq!(
        files(&public),
        expected,
        "the next build repairs the folder"
    );
}

#[test]
fn a_write_failure_half_way_leaves_complete_files_and_is_repaired() {
    // Through the debug-build fault hook: the 6th file written fails as on a full disk.
    for first_build in [false, true] {
        let (site, before) = if first_build {
            (TestSite::fixture("basic"), BTreeMap::new())
        } else {
            built_then_changed()
        };
        let public = site.path().join("public");
        let child = spawn(
            site.path(),
            &["build"],
            &[("GAZETTE_TEST_FAIL_WRITE_AFTER", "5")],
        );
        let (code, stderr) = finish(child);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.contains("error: the disk is full:"), "{stderr}");
        assert!(
            stderr.contains("Build failed while writing: every file in the output folder is either complete and new or as it was"),
            "{stderr}"
        );
        assert!(!has_temp_file(&public));
        let expected = clean_build(&site);
        assert_each_file_old_or_new(&files(&public), &before, &expected);
        // The next build finishes the job, even after a failed first build.
        site.build_ok(&[]);
        assert_eq!(files(&public), expected, "first build: {first_build}");
    }
}

#[test]
fn a_file_vanishing_between_discovery_and_load_is_reported() {
    for (file, rule) in [
        (
            "content/posts/2023-03-14-premier-billet.md",
            "cannot read this file",
        ),
        ("assets/img/logo.gif", "cannot read this file"),
    ] {
        let (site, before) = built_then_changed();
        let marker = site.path().join("discovered");
        let child = spawn(
            site.path(),
            &["build"],
            &[("GAZETTE_TEST_AFTER_DISCOVER", marker.to_str().unwrap())],
        );
        wait_for("discovery", || marker.exists());
        fs::remove_file(site.path().join(file)).unwrap();
        fs::remove_file(&marker).unwrap();
        let (code, stderr) = finish(child);
        assert_eq!(code, Some(1), "{file}: {stderr}");
        assert!(
            stderr.contains(&format!("{file}: error: {rule}")),
            "{stderr}"
        );
        assert!(
            stderr.contains("nothing was written, the output folder is unchanged"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(snapshot(&site.path().join("public")), before, "{file}");
    }
}

/// Builds `site`, pausing at the debug hook `pause` (`GAZETTE_TEST_AFTER_…`), sends `sig` there
/// and checks the build stopped at once saying nothing was written.
fn interrupt_at(site: &TestSite, pause: &str, sig: &str) {
    let marker = site.path().join("paused");
    let child = spawn(
        site.path(),
        &["build"],
        &[(pause, marker.to_str().unwrap())],
    );
    wait_for(pause, || marker.exists());
    if pause == "GAZETTE_TEST_AFTER_STAGING" {
        assert!(site.path().join("public/.gazette-tmp").is_dir());
    }
    signal(&child, sig);
    let (code, stderr) = finish(child);
    assert_eq!(code, Some(130), "{sig}: {stderr}");
    assert!(
        stderr.contains("Interrupted: nothing was written, the output folder is unchanged."),
        "{stderr}"
    );
}

#[test]
fn an_interrupt_before_the_write_leaves_the_output_untouched() {
    for sig in ["INT", "TERM"] {
        let (site, before) = built_then_changed();
        interrupt_at(&site, "GAZETTE_TEST_AFTER_DISCOVER", sig);
        assert_eq!(snapshot(&site.path().join("public")), before, "{sig}");
    }
}

#[test]
fn an_interrupt_while_pages_are_staged_leaves_the_output_as_it_was() {
    // Pages are rendered in batches and staged in public/.gazette-tmp/ before anything is moved
    // into place: an interrupt then removes what the build made, the folder included when the
    // build created it.
    for (sig, first_build) in [("INT", false), ("TERM", true)] {
        let (site, before) = if first_build {
            (TestSite::fixture("basic"), BTreeMap::new())
        } else {
            built_then_changed()
        };
        interrupt_at(&site, "GAZETTE_TEST_AFTER_STAGING", sig);
        let public = site.path().join("public");
        if first_build {
            assert!(
                !public.exists(),
                "an output folder the build made is removed"
            );
        } else {
            assert_eq!(snapshot(&public), before, "{sig}");
        }
    }
}

#[test]
fn an_interrupt_during_the_write_lets_it_finish() {
    for sig in ["INT", "TERM"] {
        let (site, _) = built_then_changed();
        let public = site.path().join("public");
        let writing = site.path().join("writing");
        let child = spawn(
            site.path(),
            &["build"],
            &[
                ("GAZETTE_TEST_SLOW_WRITE_MS", "40"),
                ("GAZETTE_TEST_WRITING", writing.to_str().unwrap()),
            ],
        );
        // The marker appears when the staged files start being moved into place.
        wait_for("the write phase", || writing.exists());
        assert!(has_temp_file(&public), "the staged files are there");
        signal(&child, sig);
        let (code, stderr) = finish(child);
        assert_eq!(code, Some(130), "{sig}: {stderr}");
        assert!(
            stderr.contains("Interrupted after the write finished: the output folder is complete."),
            "{stderr}"
        );
        assert!(!has_temp_file(&public));
        assert!(!public.join(".gazette-lock").exists());
        assert_eq!(files(&public), clean_build(&site), "{sig}");
    }
}

#[test]
fn temporary_files_of_a_killed_build_are_cleaned_up() {
    let (site, _) = built_then_changed();
    let public = site.path().join("public");
    let writing = site.path().join("writing");
    let mut child = spawn(
        site.path(),
        &["build"],
        &[
            ("GAZETTE_TEST_SLOW_WRITE_MS", "200"),
            ("GAZETTE_TEST_WRITING", writing.to_str().unwrap()),
        ],
    );
    wait_for("the write phase", || writing.exists());
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(has_temp_file(&public), "SIGKILL leaves its temporary files");
    site.build_ok(&[]);
    assert!(!has_temp_file(&public));
    assert_eq!(files(&public), clean_build(&site));
}

#[test]
fn two_builds_at_once_never_interleave() {
    let (site, _) = built_then_changed();
    let public = site.path().join("public");
    let writing = site.path().join("writing");
    let first = spawn(
        site.path(),
        &["build"],
        &[
            ("GAZETTE_TEST_SLOW_WRITE_MS", "40"),
            ("GAZETTE_TEST_WRITING", writing.to_str().unwrap()),
        ],
    );
    wait_for("the write phase", || writing.exists());
    // Meanwhile a second build of another version of the site.
    site.write(
        "content/posts/2024-06-02-autre.md",
        "---\ntitle: Autre\n---\nTexte\n",
    );
    let second = site.gazette(&["build"]);
    assert_eq!(second.code(), Some(1), "{}", second.stderr);
    assert!(
        second
            .stderr
            .contains("public: error: another gazette build is writing to this output folder"),
        "{}",
        second.stderr
    );
    assert!(
        second.stderr.contains("help: wait for it to finish"),
        "{}",
        second.stderr
    );
    let (code, stderr) = finish(first);
    assert_eq!(code, Some(0), "{stderr}");
    // The first build's output, complete; then the second, once retried, wins entirely.
    assert!(!public.join("blog/2024/06/02/autre.html").exists());
    site.build_ok(&[]);
    assert_eq!(files(&public), clean_build(&site));
}
