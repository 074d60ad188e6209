//! Inputs that once crashed or misled gazette, found by the fuzz targets in `fuzz/`: each input is
//! kept under tests/fixtures/regressions/<target>-<kind>-<hash> and replayed here through the same
//! checks the fuzz target makes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Component, Path};

use crate::support::{TestSite, fixtures, snapshot};

fn input(name: &str) -> String {
    String::from_utf8(std::fs::read(fixtures().join("regressions").join(name)).unwrap()).unwrap()
}

/// The `post_names` target's property: a permalink judged safe maps to a file inside the output.
fn assert_safe_stays_inside(text: &str) {
    let permalink =
        gazette::text::url::expand(text, &[("slug", "a"), ("year", "2024"), ("title", text)]);
    if gazette::text::url::check_safe(&permalink).is_ok() {
        let path = gazette::text::url::output_path(&permalink);
        assert!(
            Path::new(&path)
                .components()
                .all(|c| matches!(c, Component::Normal(_))),
            "{permalink:?} was judged safe but is written to {path:?}"
        );
    }
}

/// fuzz/post_names, crash 3b3699e5: `/.?:ys__`1` passed the permalink check, but the file it names
/// is `.` (the query was hidden from the check); `/..?x` would have been written beside the output.
#[test]
fn post_names_crash_3b3699e5_query_hides_dot_segments() {
    let text = input("post_names-crash-3b3699e5");
    assert_safe_stays_inside(&text);
    for hidden in ["/..?x", "/..#x", "/a/..?/b", "/.?x"] {
        assert_safe_stays_inside(hidden);
        assert!(gazette::text::url::check_safe(hidden).is_err(), "{hidden}");
    }
    // End to end: such a permalink is an error naming the file, and nothing is written.
    let site = TestSite::fixture("minimal");
    site.build_ok(&[]);
    let before = snapshot(&site.path().join("public"));
    site.write(
        "content/posts/2024-02-01-fuite.md",
        "---\ntitle: Fuite\npermalink: \"/..?x\"\n---\nTexte\n",
    );
    let run = site.gazette(&["build"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/posts/2024-02-01-fuite.md:3:1: error: the permalink `/..?x` goes outside the site"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&site.path().join("public")), before);
}
