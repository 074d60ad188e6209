//! A build with nothing to do does nothing: same sources, options and output files as the last
//! build, so nothing is rendered or written, and its warnings are shown again. Anything changed
//! (a source, an option, an output file) makes the whole build run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::time::Duration;

use crate::support::{TestSite, snapshot};

const NOTHING_CHANGED: &str = "Nothing changed since the last build";

/// Files changed within a few clock ticks of a build are not trusted by the next one (their
/// times could stay the same through another change): the tests wait that long.
fn settle() {
    std::thread::sleep(Duration::from_millis(120));
}

/// The site's warnings and messages without the last line (its time in ms) and the line saying
/// nothing changed.
fn messages(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| !l.starts_with("Built ") && !l.starts_with(NOTHING_CHANGED))
        .map(str::to_string)
        .collect()
}

/// Builds again with nothing changed: the build must do nothing (so that the tests below, which
/// change one thing, show that this one thing is what made the build run).
fn assert_fresh(site: &TestSite) {
    settle();
    let run = site.build_ok(&[]);
    assert!(run.stderr.contains(NOTHING_CHANGED), "{}", run.stderr);
    settle();
}

fn output_times(site: &TestSite) -> Vec<(String, std::time::SystemTime)> {
    let mut times: Vec<_> = walkdir::WalkDir::new(site.path().join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().display().to_string(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect();
    times.sort();
    times
}

#[test]
fn a_second_build_with_nothing_changed_writes_nothing_and_shows_the_same_warnings() {
    // The fixture's post dated 2099 gives a warning, which the second build must show again.
    let site = TestSite::fixture("basic");
    settle();
    let first = site.build_ok(&[]);
    assert!(!first.stderr.contains(NOTHING_CHANGED), "{}", first.stderr);
    assert!(first.stderr.contains("warning"), "{}", first.stderr);
    let before = snapshot(&site.path().join("public"));
    let times = output_times(&site);
    settle();
    let second = site.build_ok(&[]);
    assert!(second.stderr.contains(NOTHING_CHANGED), "{}", second.stderr);
    assert_eq!(messages(&first.stderr), messages(&second.stderr));
    let summary = |s: &str| {
        let line = s
            .lines()
            .find(|l| l.starts_with("Built "))
            .unwrap()
            .to_string();
        line[..line.rfind(" in ").unwrap()].to_string()
    };
    assert_eq!(
        summary(&first.stderr).replace("(50 written, 0 unchanged", "(0 written, 50 unchanged"),
        summary(&second.stderr)
    );
    assert_eq!(before, snapshot(&site.path().join("public")));
    assert_eq!(times, output_times(&site), "no file was written again");
}

#[test]
fn a_changed_added_or_removed_source_is_built() {
    let site = TestSite::fixture("basic");
    settle();
    site.build_ok(&[]);
    assert_fresh(&site);
    let post = "content/posts/2023-03-14-premier-billet.md";
    let text = fs::read_to_string(site.path().join(post)).unwrap();
    // Same length, other words: the file's times tell the change.
    site.write(post, &text.replace("Premier billet", "Premier bidule"));
    settle();
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains(NOTHING_CHANGED), "{}", run.stderr);
    assert!(
        site.output("blog/2023/03/14/premier-billet.html")
            .contains("Premier bidule")
    );
    assert_fresh(&site);
    site.write(
        "content/posts/2023-10-01-nouveau.md",
        "---\ntitle: Un nouveau billet\n---\nBonjour.\n",
    );
    settle();
    site.build_ok(&[]);
    assert!(site.has_output("blog/2023/10/01/nouveau.html"));
    settle();
    site.remove("content/posts/2023-10-01-nouveau.md");
    settle();
    site.build_ok(&[]);
    assert!(!site.has_output("blog/2023/10/01/nouveau.html"));
    settle();
    site.write("templates/extra-partial.html", "rien");
    settle();
    let run = site.build_ok(&[]);
    assert!(
        !run.stderr.contains(NOTHING_CHANGED),
        "a new template: {}",
        run.stderr
    );
    assert_fresh(&site);
    site.write("assets/css/extra.css", "body { color: black }");
    settle();
    let run = site.build_ok(&[]);
    assert!(
        !run.stderr.contains(NOTHING_CHANGED),
        "a new asset: {}",
        run.stderr
    );
    assert!(site.has_output("css/extra.css"));
    // A folder the build does not read (a repository's build folder, notes) changes nothing.
    assert_fresh(&site);
    site.write("notes/todo.txt", "relire");
    settle();
    let run = site.build_ok(&[]);
    assert!(run.stderr.contains(NOTHING_CHANGED), "{}", run.stderr);
}

#[test]
fn an_output_file_changed_or_removed_by_hand_is_written_again() {
    let site = TestSite::fixture("basic");
    settle();
    site.build_ok(&[]);
    let page = site
        .path()
        .join("public/blog/2023/03/14/premier-billet.html");
    let good = fs::read(&page).unwrap();
    assert_fresh(&site);
    fs::write(&page, b"vandalised").unwrap();
    settle();
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains(NOTHING_CHANGED), "{}", run.stderr);
    assert_eq!(fs::read(&page).unwrap(), good);
    assert_fresh(&site);
    fs::remove_file(&page).unwrap();
    settle();
    site.build_ok(&[]);
    assert_eq!(fs::read(&page).unwrap(), good);
    // The whole folder emptied (its manifest kept in the cache): every file is written again,
    // and the next build finds them all as they were written.
    let before = snapshot(&site.path().join("public"));
    for entry in fs::read_dir(site.path().join("public")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            fs::remove_dir_all(&path).unwrap();
        } else {
            fs::remove_file(&path).unwrap();
        }
    }
    settle();
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains(NOTHING_CHANGED), "{}", run.stderr);
    assert_eq!(snapshot(&site.path().join("public")), before);
    assert_fresh(&site);
}

#[test]
fn other_options_build_again() {
    let site = TestSite::fixture("basic");
    settle();
    site.build_ok(&[]);
    assert_fresh(&site);
    let run = site.build_ok(&["--drafts"]);
    assert!(!run.stderr.contains(NOTHING_CHANGED), "{}", run.stderr);
    assert!(site.has_output("blog/2024/02/01/brouillon.html"));
    settle();
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains(NOTHING_CHANGED), "{}", run.stderr);
    assert!(!site.has_output("blog/2024/02/01/brouillon.html"));
    assert_fresh(&site);
    let run = site.build_ok(&["--base-url", "https://elsewhere.example"]);
    assert!(!run.stderr.contains(NOTHING_CHANGED), "{}", run.stderr);
}

#[test]
fn a_failed_build_leaves_no_record_behind() {
    let site = TestSite::fixture("basic");
    settle();
    site.build_ok(&[]);
    assert_fresh(&site);
    let post = "content/posts/2023-03-14-premier-billet.md";
    let good = fs::read_to_string(site.path().join(post)).unwrap();
    site.write(post, "---\ntitle: [oops\n---\n");
    settle();
    assert!(!site.gazette(&["build"]).success());
    settle();
    site.write(post, &good);
    settle();
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains(NOTHING_CHANGED), "{}", run.stderr);
}

/// The highlight cache (.gazette-cache/highlight.bin) is written only when it changes: a build
/// that highlights no block anew and uses every cached block leaves the file as it was; a new
/// block is added to it, and a block no post has any more leaves it.
#[test]
fn the_highlight_cache_is_written_only_when_it_changes() {
    let site = TestSite::fixture("minimal");
    let cache = site.path().join(".gazette-cache/highlight.bin");
    let code = |name: &str| format!("---\ntitle: {name}\n---\n```rust\nfn {name}() {{}}\n```\n");
    site.write("content/posts/2024-02-01-un.md", &code("premier_bloc"));
    site.build_ok(&[]);
    let first = fs::read(&cache).unwrap();
    let written = fs::metadata(&cache).unwrap().modified().unwrap();
    settle();
    // Another output folder: a whole build, every page rendered, nothing highlighted anew.
    site.build_ok(&["--output", "ailleurs"]);
    assert_eq!(fs::metadata(&cache).unwrap().modified().unwrap(), written);
    assert_eq!(fs::read(&cache).unwrap(), first);

    site.write("content/posts/2024-02-02-deux.md", &code("second_bloc"));
    site.build_ok(&[]);
    let both = fs::read(&cache).unwrap();
    assert!(both.len() > first.len(), "the new block is saved");
    site.remove("content/posts/2024-02-02-deux.md");
    site.build_ok(&[]);
    assert_eq!(
        fs::read(&cache).unwrap(),
        first,
        "the block no post has is forgotten"
    );
}

/// A post's body comes from the cache of rendered bodies only while its text and how it is
/// rendered are the same: an edit, or another typography in site.yml, shows at once, and a build
/// from the cache writes what a build without it writes.
#[test]
fn the_cache_of_rendered_bodies_never_shows_an_old_body() {
    let site = TestSite::fixture("minimal");
    let post = "content/posts/2024-02-01-cache.md";
    let text = |words: &str| {
        format!("---\ntitle: Cache\n---\n\"{words}\" : oui.\n\n```rust\nfn un() {{}}\n```\n")
    };
    let same_without_cache = |folder: &str| {
        let built = snapshot(&site.path().join(folder));
        fs::remove_file(site.path().join(".gazette-cache/bodies.bin")).unwrap();
        let clean = format!("{folder}-sans-cache");
        site.build_ok(&["--output", &clean]);
        assert_eq!(built, snapshot(&site.path().join(&clean)), "{folder}");
        built
    };
    let page_with = |files: &std::collections::BTreeMap<String, Vec<u8>>, words: &str| {
        files
            .iter()
            .filter(|(path, bytes)| {
                path.ends_with(".html") && String::from_utf8_lossy(bytes).contains(words)
            })
            .count()
    };
    site.write(post, &text("Premier texte"));
    site.build_ok(&[]);
    assert!(site.path().join(".gazette-cache/bodies.bin").is_file());
    // Another output folder: every body comes from the cache.
    site.build_ok(&["--output", "du-cache"]);
    same_without_cache("du-cache");

    site.write(post, &text("Second texte"));
    site.build_ok(&["--output", "modifie"]);
    let edited = same_without_cache("modifie");
    assert!(page_with(&edited, "Second texte") > 0);
    assert_eq!(page_with(&edited, "Premier texte"), 0);
    let french = edited
        .iter()
        .find(|(path, _)| path.ends_with("/cache.html"))
        .map(|(_, bytes)| bytes.clone())
        .unwrap();

    let config = fs::read_to_string(site.path().join("site.yml")).unwrap();
    site.write("site.yml", &format!("{config}typography: false\n"));
    site.build_ok(&["--output", "sans-typo"]);
    let plain = same_without_cache("sans-typo");
    let page = plain
        .iter()
        .find(|(path, _)| path.ends_with("/cache.html"))
        .map(|(_, bytes)| bytes.clone())
        .unwrap();
    assert_ne!(page, french, "the typography setting changes the body");
}

/// The cache of highlighted blocks is read only when a body is rendered again, and keeps the
/// blocks of every post in use: a build whose bodies all come from the cache of bodies leaves it
/// as it was; after an edit, it holds the edited post's new block and the other post's block (in
/// use through its cached body), and no longer the edited post's old block.
#[test]
fn the_cache_of_highlighted_blocks_keeps_the_blocks_in_use() {
    let site = TestSite::fixture("minimal");
    let post = |name: &str, code: &str| {
        site.write(
            &format!("content/posts/2024-02-01-{name}.md"),
            &format!("---\ntitle: {name}\n---\nTexte.\n\n```rust\nfn {code}() {{}}\n```\n"),
        );
    };
    let cache = site.path().join(".gazette-cache/highlight.bin");
    let holds = |name: &str| {
        let bytes = fs::read(&cache).unwrap();
        String::from_utf8_lossy(&bytes).contains(name)
    };
    post("un", "bloc_premier");
    post("deux", "bloc_second");
    site.build_ok(&[]);
    assert!(holds("bloc_premier") && holds("bloc_second"));
    let before = fs::read(&cache).unwrap();
    site.build_ok(&["--output", "du-cache"]);
    assert_eq!(
        fs::read(&cache).unwrap(),
        before,
        "nothing highlighted, nothing written"
    );

    post("deux", "bloc_remplace");
    site.build_ok(&["--output", "modifie"]);
    assert!(holds("bloc_premier"), "the block of a cached body is kept");
    assert!(holds("bloc_remplace"));
    assert!(!holds("bloc_second"), "a block no post shows is dropped");
    let built = snapshot(&site.path().join("modifie"));
    let (_, page) = built.iter().find(|(p, _)| p.ends_with("/un.html")).unwrap();
    assert!(String::from_utf8_lossy(page).contains("bloc_premier"));
}

/// A cache of highlighted blocks from another version, cut short, or with a doctored count of
/// blocks is never trusted and never makes a build fail or ask for the memory it names.
#[test]
fn a_doctored_cache_of_highlighted_blocks_is_ignored() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/posts/2024-02-01-code.md",
        "---\ntitle: Code\n---\n```rust\nfn bloc() {}\n```\n",
    );
    site.build_ok(&[]);
    let cache = site.path().join(".gazette-cache/highlight.bin");
    let real = fs::read(&cache).unwrap();
    let magic_end = real.iter().position(|b| *b == b'\n').unwrap() + 1;
    let built = snapshot(&site.path().join("public"));
    let mut doctored = real[..magic_end].to_vec();
    doctored.extend_from_slice(&u32::MAX.to_le_bytes());
    doctored.extend_from_slice(&real[magic_end + 4..]);
    let older = String::from_utf8_lossy(&real[..magic_end]).replace(" v3", " v2");
    let variants: [(&str, Vec<u8>); 4] = [
        ("a count of 4 billion blocks", doctored),
        (
            "another version",
            [older.as_bytes(), &real[magic_end..]].concat(),
        ),
        ("cut short", real[..real.len() / 2].to_vec()),
        ("empty", Vec::new()),
    ];
    for (i, (what, bytes)) in variants.into_iter().enumerate() {
        fs::write(&cache, &bytes).unwrap();
        let out = format!("out-{i}");
        site.build_ok(&["--output", &out]);
        assert_eq!(snapshot(&site.path().join(&out)), built, "{what}");
    }
}
