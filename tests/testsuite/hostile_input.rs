//! Hostile inputs end in a clear error naming the file (and line), never in publishing what is
//! outside the site, in a huge allocation, in a parse that takes minutes, or in a half-written
//! output: one regression test per item of the issue "Never delete, overwrite or publish what is
//! not ours".

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::symlink;
use std::time::{Duration, Instant};

use crate::support::{TestSite, snapshot};

fn post(title: &str, extra: &str) -> String {
    format!("---\ntitle: \"{title}\"\n{extra}---\n\nTexte.\n")
}

#[test]
fn links_out_of_the_site_are_errors_naming_the_link_and_nothing_is_published() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    fs::create_dir(outside.path().join("posts")).unwrap();
    fs::write(
        outside.path().join("posts/2024-01-01-dehors.md"),
        post("Dehors", ""),
    )
    .unwrap();
    for (link, target) in [
        ("assets/secret.txt", outside.path().join("secret.txt")),
        ("content/pages/host.md", outside.path().join("secret.txt")),
        ("content/posts/dehors", outside.path().join("posts")),
    ] {
        let site = TestSite::fixture("minimal");
        fs::create_dir_all(site.path().join(link).parent().unwrap()).unwrap();
        symlink(&target, site.path().join(link)).unwrap();
        let run = site.gazette(&["build"]);
        assert_eq!(run.code(), Some(1), "{link}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("{link}: error: this is a link to"))
                && run.stderr.contains("outside the site folder"),
            "{link}: {}",
            run.stderr
        );
        assert!(!site.path().join("public").exists(), "{link}");
    }
    // A link that stays inside the site is followed.
    let site = TestSite::fixture("minimal");
    site.write("shared/2024-01-01-partage.md", &post("Partagé", ""));
    symlink(
        site.path().join("shared"),
        site.path().join("content/posts/partage"),
    )
    .unwrap();
    site.build_ok(&[]);
    assert!(site.has_output("blog/2024/01/01/partage.html"));
}

#[test]
fn yaml_aliases_that_expand_to_a_huge_document_are_refused_quickly() {
    let site = TestSite::fixture("minimal");
    let big = "x".repeat(1 << 20);
    let refs = vec!["*a"; 500].join(", ");
    site.write(
        "content/data/bombe.yml",
        &format!("a: &a \"{big}\"\nb: [{refs}]\n"),
    );
    let started = Instant::now();
    let run = site.gazette(&["build"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/data/bombe.yml")
            && run.stderr.contains("expands to a huge document"),
        "{}",
        run.stderr
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn deep_flow_nesting_is_refused_before_parsing() {
    let site = TestSite::fixture("minimal");
    let depth = 100_000;
    site.write(
        "content/data/profond.yml",
        &format!("x: {}{}\n", "[".repeat(depth), "]".repeat(depth)),
    );
    let started = Instant::now();
    let run = site.gazette(&["build"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/data/profond.yml:1:") && run.stderr.contains("levels deep"),
        "{}",
        run.stderr
    );
    // The parser alone took 23 s on this input: the scan refuses it at once.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn feeds_stay_well_formed_whatever_a_title_holds() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/posts/2024-01-01-bizarre.md",
        "---\ntitle: \"A\\uFFFEB\\uFFFFC\\u0001D\"\n---\n\nTexte.\n",
    );
    site.build_ok(&[]);
    let feed = site.output("feed.xml");
    roxmltree::Document::parse(&feed).unwrap_or_else(|e| panic!("{e}:\n{feed}"));
    assert!(feed.contains("ABCD"), "{feed}");
}

#[test]
fn a_tag_without_letters_gets_its_own_page_and_a_warning() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/posts/2024-01-01-a.md",
        &post("A", "tags: [\"..\", \"🚀\", \"tag\"]\n"),
    );
    let run = site.build_ok(&[]);
    assert!(
        run.stderr.contains("the tag `..` has no letter or digit")
            && run.stderr.contains("the tag `🚀` has no letter or digit"),
        "{}",
        run.stderr
    );
    for page in [
        "tag/u2e-u2e/index.html",
        "tag/u1f680/index.html",
        "tag/tag/index.html",
    ] {
        assert!(site.has_output(page), "{page}");
    }
    let html = site.output("blog/2024/01/01/a.html");
    assert!(!html.contains("href=\"\""), "{html}");
}

#[test]
fn an_overlong_tag_or_slug_is_an_error_at_load_time_with_its_line() {
    let long = "x".repeat(300);
    for (file, text, line) in [
        (
            "content/posts/2024-01-01-a.md",
            post("A", &format!("tags: [\"{long}\"]\n")),
            3,
        ),
        (
            "content/posts/2024-01-02-b.md",
            post("B", &format!("slug: \"{long}\"\n")),
            0,
        ),
    ] {
        let site = TestSite::fixture("minimal");
        site.build_ok(&[]);
        let before = snapshot(&site.path().join("public"));
        site.write(file, &text);
        let run = site.gazette(&["build"]);
        assert_eq!(run.code(), Some(1), "{}", run.stderr);
        let at = if line > 0 {
            format!("{file}:{line}")
        } else {
            file.to_string()
        };
        assert!(
            run.stderr.contains(&at) && run.stderr.contains("at most 255"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
        assert_eq!(snapshot(&site.path().join("public")), before);
    }
}

#[test]
fn a_new_post_title_cannot_break_its_front_matter() {
    let site = TestSite::fixture("minimal");
    let title = "Bilan : \"2024\"\n---\nfin";
    let run = site.gazette(&["new", "post", title]);
    assert!(run.success(), "{}", run.stderr);
    let path = site.path().join(run.stdout.trim());
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches("\n---\n").count(), 1, "{text}");
    // The post parses, and its title is the one given.
    fs::write(
        &path,
        text.replace("image: /img/\n", "").replace("tags: []\n", ""),
    )
    .unwrap();
    // A new post is a draft (issue 15): built with --drafts.
    site.build_ok(&["--drafts"]);
    let built = walk(&site.path().join("public/blog"));
    let page = built
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "html"))
        .unwrap();
    let page = fs::read_to_string(page).unwrap();
    assert!(page.contains("Bilan"), "{page}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn a_template_that_renders_forever_is_named_while_it_runs() {
    use std::io::{BufRead, BufReader};
    let site = TestSite::fixture("minimal");
    site.write("content/pages/lent.md", "---\ntitle: Lent\n---\nTexte.\n");
    site.write(
        "templates/page.html",
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}",
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("build")
        .current_dir(site.path())
        .env("GAZETTE_TEST_SLOW_RENDER_MS", "300")
        .env("GAZETTE_LANG", "en")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let started = Instant::now();
    let mut said = String::new();
    for line in stderr.lines().map_while(Result::ok) {
        if line.contains("still rendering") {
            said = line;
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "nothing said");
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        said.contains("/lent.html")
            && said.contains("content/pages/lent.md")
            && said.contains("template page.html"),
        "{said}"
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn messages_never_quote_a_file_outside_the_site() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.yml");
    fs::write(&secret, "title: [unclosed SECRET-LINE\n").unwrap();
    let site = TestSite::fixture("minimal");
    fs::remove_file(site.path().join("site.yml")).unwrap();
    symlink(&secret, site.path().join("site.yml")).unwrap();
    let run = site.gazette(&["build"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("site.yml"), "{}", run.stderr);
    assert!(!run.stderr.contains("SECRET-LINE"), "{}", run.stderr);
}
