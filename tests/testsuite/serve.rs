//! `gazette serve`: incremental rebuilds equal clean builds, and the real server over HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gazette::preview::live::Live;
use gazette::site::BuildOptions;

use crate::support::TestSite;

fn options() -> BuildOptions {
    BuildOptions {
        today: chrono_today(),
        ..BuildOptions::default()
    }
}

fn chrono_today() -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(2030, 1, 1)
}

fn assert_same_as_clean(live: &Live, root: &Path, step: &str) {
    crate::support::assert_live_same_as_clean(live, root, &options(), step);
}

fn changed(site: &TestSite, paths: &[&str]) -> Vec<PathBuf> {
    paths.iter().map(|p| site.path().join(p)).collect()
}

fn post(title: &str, tags: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ntags: [{tags}]\n---\n\n{body}\n\n<!-- more -->\n\nLa suite.\n"
    )
}

#[test]
fn incremental_rebuilds_equal_a_clean_build() {
    let site = TestSite::fixture_with_theme("serve_site");
    let root = site.path();
    let mut live = Live::new(root, &options());
    live.update(&[]).unwrap();
    assert_same_as_clean(&live, root, "first build");

    // Each step: what to do to the files, then the paths a watcher would report.
    type Step = (&'static str, Box<dyn Fn(&TestSite)>, Vec<&'static str>);
    let steps: Vec<Step> = vec![
        (
            "edit a body",
            Box::new(|s| {
                s.write(
                    "content/posts/2024-03-10-billet-3.md",
                    &post(
                        "Billet numéro 3",
                        "\"impair\", \"commun\"",
                        "Corps modifié.",
                    ),
                );
            }),
            vec!["content/posts/2024-03-10-billet-3.md"],
        ),
        (
            "edit a title",
            Box::new(|s| {
                s.write(
                    "content/posts/2024-03-10-billet-3.md",
                    &post(
                        "Troisième billet",
                        "\"impair\", \"commun\"",
                        "Corps modifié.",
                    ),
                );
            }),
            vec!["content/posts/2024-03-10-billet-3.md"],
        ),
        (
            "change tags",
            Box::new(|s| {
                s.write(
                    "content/posts/2024-02-10-billet-2.md",
                    &post("Billet numéro 2", "\"nouvelle étiquette\"", "Deux."),
                );
            }),
            vec!["content/posts/2024-02-10-billet-2.md"],
        ),
        (
            "add a post",
            Box::new(|s| {
                s.write(
                    "content/posts/2024-06-10-billet-6.md",
                    &post("Billet six", "\"pair\", \"sixième\"", "Six."),
                );
            }),
            vec!["content/posts/2024-06-10-billet-6.md"],
        ),
        (
            "move a post in time",
            Box::new(|s| {
                s.write("content/posts/2024-01-10-billet-1.md", "---\ntitle: \"Billet numéro 1\"\ndate: 2024-07-01\ntags: [\"impair\"]\n---\n\nUn.\n");
            }),
            vec!["content/posts/2024-01-10-billet-1.md"],
        ),
        (
            "delete a post",
            Box::new(|s| {
                s.remove("content/posts/2024-04-10-billet-4.md");
            }),
            vec!["content/posts/2024-04-10-billet-4.md"],
        ),
        (
            "a draft appears",
            Box::new(|s| {
                s.write(
                    "content/posts/_2024-08-01-brouillon.md",
                    &post("Brouillon", "\"pair\"", "Pas encore."),
                );
            }),
            vec!["content/posts/_2024-08-01-brouillon.md"],
        ),
        (
            "override a partial",
            Box::new(|s| {
                s.write(
                    "templates/partials/post_card.html",
                    "<article class=\"card\">{{ post.title }}</article>\n",
                );
            }),
            vec!["templates/partials/post_card.html"],
        ),
        (
            "edit the overriding partial",
            Box::new(|s| {
                s.write(
                    "templates/partials/post_card.html",
                    "<article class=\"card\"><h2>{{ post.title }}</h2></article>\n",
                );
            }),
            vec!["templates/partials/post_card.html"],
        ),
        (
            "edit the theme's base",
            Box::new(|s| {
                let path = s.path().join("themes/default/templates/base.html");
                let text = std::fs::read_to_string(&path)
                    .unwrap()
                    .replace("</body>", "<footer>pied modifié</footer></body>");
                std::fs::write(path, text).unwrap();
            }),
            vec!["themes/default/templates/base.html"],
        ),
        (
            "edit the i18n data",
            Box::new(|s| {
                s.write("content/data/i18n.yml", "fr:\n  home: \"Maison\"\n");
            }),
            vec!["content/data/i18n.yml"],
        ),
        (
            "edit unread data",
            Box::new(|s| {
                s.write("content/data/liens.yml", "- \"https://autre.example\"\n");
            }),
            vec!["content/data/liens.yml"],
        ),
        (
            "edit a page",
            Box::new(|s| {
                s.write(
                    "content/pages/a-propos.md",
                    "---\ntitle: \"À propos de nous\"\n---\n\nAutre texte.\n",
                );
            }),
            vec!["content/pages/a-propos.md"],
        ),
        (
            "edit a stylesheet",
            Box::new(|s| {
                s.write("assets/css/extra.css", "body { color: red; }\n");
            }),
            vec!["assets/css/extra.css"],
        ),
        (
            "add an asset",
            Box::new(|s| {
                s.write(
                    "assets/img/logo.svg",
                    "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
                );
            }),
            vec!["assets/img/logo.svg"],
        ),
        (
            "remove the override",
            Box::new(|s| {
                s.remove("templates/partials/post_card.html");
            }),
            vec!["templates/partials/post_card.html"],
        ),
        (
            "edit site.yml",
            Box::new(|s| {
                let path = s.path().join("site.yml");
                let text = std::fs::read_to_string(&path)
                    .unwrap()
                    .replace("size: 2", "size: 3");
                std::fs::write(path, text).unwrap();
            }),
            vec!["site.yml"],
        ),
        (
            "an editor's swap file",
            Box::new(|s| {
                s.write("content/posts/.billet.md.swp", "binary");
            }),
            vec![],
        ),
        (
            "rename a post",
            Box::new(|s| {
                std::fs::rename(
                    s.path().join("content/posts/2024-05-10-billet-5.md"),
                    s.path().join("content/posts/2024-05-11-billet-cinq.md"),
                )
                .unwrap();
            }),
            vec![
                "content/posts/2024-05-10-billet-5.md",
                "content/posts/2024-05-11-billet-cinq.md",
            ],
        ),
    ];
    for (name, action, paths) in &steps {
        action(&site);
        let update = live
            .update(&changed(&site, paths))
            .unwrap_or_else(|p| panic!("{name}: {p:?}"));
        assert_same_as_clean(&live, root, name);
        if *name == "edit unread data" {
            assert_eq!(
                update.rendered, 0,
                "a data file no template reads re-rendered pages"
            );
        }
    }

    // Broken front matter: the update fails, the last good files stay; fixing it catches up.
    let before = live.files();
    site.write(
        "content/posts/2024-02-10-billet-2.md",
        "---\ntitle: \"Cassé\ntags: [\n---\n\nTexte.\n",
    );
    assert!(
        live.update(&changed(&site, &["content/posts/2024-02-10-billet-2.md"]))
            .is_err()
    );
    assert!(Arc::ptr_eq(&before, &live.files()) || *before == *live.files());
    site.write(
        "content/posts/2024-03-10-billet-3.md",
        &post("Encore trois", "\"impair\"", "Pendant la panne."),
    );
    assert!(
        live.update(&changed(&site, &["content/posts/2024-03-10-billet-3.md"]))
            .is_err()
    );
    site.write(
        "content/posts/2024-02-10-billet-2.md",
        &post("Réparé", "\"pair\"", "Deux réparé."),
    );
    live.update(&changed(&site, &["content/posts/2024-02-10-billet-2.md"]))
        .unwrap();
    assert_same_as_clean(&live, root, "after the fix");
}

#[test]
fn editing_a_post_rerenders_its_page_and_the_listings_that_show_it() {
    let site = TestSite::fixture_with_theme("serve_site");
    let mut live = Live::new(site.path(), &options());
    let first = live.update(&[]).unwrap();
    // Posts newest first: 5 4 | 3 2 | 1. Billet 3 is on blog page 2, impair page 2, commun page 2.
    site.write(
        "content/posts/2024-03-10-billet-3.md",
        &post(
            "Billet numéro 3",
            "\"impair\", \"commun\"",
            "Nouveau corps.",
        ),
    );
    let update = live
        .update(&changed(&site, &["content/posts/2024-03-10-billet-3.md"]))
        .unwrap();
    assert_eq!(
        update.rendered, 4,
        "expected the post, blog page 2 and one page of each of its tags (of {})",
        first.pages
    );
    assert!(
        update.changed.iter().any(|p| p.ends_with("billet-3.html")),
        "{:?}",
        update.changed
    );
    assert!(
        update.changed.iter().any(|p| p == "blog/page/2/index.html"),
        "{:?}",
        update.changed
    );
    assert!(
        update.changed.iter().any(|p| p == "feed.xml"),
        "{:?}",
        update.changed
    );
    assert!(
        !update.changed.iter().any(|p| p == "index.html"),
        "the home page does not show billet 3: {:?}",
        update.changed
    );

    // A new title also changes its neighbours' previous/next links.
    site.write(
        "content/posts/2024-03-10-billet-3.md",
        &post("Titre neuf", "\"impair\", \"commun\"", "Nouveau corps."),
    );
    let update = live
        .update(&changed(&site, &["content/posts/2024-03-10-billet-3.md"]))
        .unwrap();
    assert!(
        update.changed.iter().any(|p| p.ends_with("billet-2.html")),
        "{:?}",
        update.changed
    );
    assert!(
        update.changed.iter().any(|p| p.ends_with("billet-4.html")),
        "{:?}",
        update.changed
    );
    assert!(
        !update.changed.iter().any(|p| p.ends_with("billet-5.html")),
        "{:?}",
        update.changed
    );
}

/// A running `gazette serve`, killed on drop.
pub(crate) struct Server {
    child: Child,
    pub(crate) url: String,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    pub(crate) fn start(site: &Path, extra: &[&str]) -> Server {
        Server::start_with_env(site, extra, &[])
    }

    /// The preview of `site`, counted as a large site (`GAZETTE_TEST_EARLY_AFTER=1`: every
    /// update shows pages early) and held after each early batch until `marker` is removed
    /// (`GAZETTE_TEST_AFTER_EARLY`).
    pub(crate) fn start_held_after_early(site: &Path, marker: &Path) -> Server {
        Server::start_with_env(
            site,
            &[],
            &[
                ("GAZETTE_TEST_AFTER_EARLY", marker),
                ("GAZETTE_TEST_EARLY_AFTER", Path::new("1")),
            ],
        )
    }

    pub(crate) fn start_with_env(site: &Path, extra: &[&str], env: &[(&str, &Path)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .envs(env.iter().map(|(k, v)| (k, v)))
            .arg("serve")
            .args(if extra.contains(&"--port") {
                &[][..]
            } else {
                &["--port", "0"][..]
            })
            .args(extra)
            .current_dir(site)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let pipe = child.stderr.take().unwrap();
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let text = stderr.lock().unwrap().clone();
            // "Serving … at http://…" in the site's language: the address is what matters.
            if let Some(at) = text.find("http://") {
                let url = text[at..].split_whitespace().next().unwrap().to_string();
                return Server { child, url, stderr };
            }
            assert!(Instant::now() < deadline, "serve did not start:\n{text}");
            assert!(child.try_wait().unwrap().is_none(), "serve exited:\n{text}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub(crate) fn address(&self) -> String {
        self.url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string()
    }

    pub(crate) fn get(&self, path: &str) -> (u16, String, String) {
        raw(
            &self.address(),
            &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        )
    }

    /// Polls `path` until `check` accepts the body, or fails after 15 s.
    pub(crate) fn wait_for(
        &self,
        path: &str,
        what: &str,
        check: impl Fn(u16, &str) -> bool,
    ) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let (status, _, body) = self.get(path);
            if check(status, &body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "{path}: never {what}; last status {status}:\n{body}\n--- stderr:\n{}",
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `GET path` on `address`, closing the connection: status, headers and body.
pub(crate) fn raw_get(address: &str, path: &str) -> (u16, String, String) {
    raw(
        address,
        &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `request` as is and returns status, headers and body.
fn raw(address: &str, request: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

#[test]
fn serve_follows_edits_new_and_deleted_posts_and_broken_files() {
    let site = TestSite::fixture_with_theme("serve_site");
    let server = Server::start(site.path(), &["--future"]);
    let post_url = "/blog/2024/03/10/billet-3.html";

    let (status, head, body) = server.get(post_url);
    assert_eq!(status, 200, "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("cache-control: no-store"),
        "{head}"
    );
    assert!(
        body.contains("data-gazette-reload"),
        "the reload script is injected"
    );
    assert!(body.contains("Texte du billet 3"));

    // Edit a post: the new text is served.
    site.write(
        "content/posts/2024-03-10-billet-3.md",
        &post("Billet numéro 3", "\"impair\"", "Texte tout neuf du trois."),
    );
    server.wait_for(post_url, "shows the edit", |s, b| {
        s == 200 && b.contains("Texte tout neuf du trois")
    });

    // A new post appears on its page, in the blog index, its tag and the feed.
    site.write(
        "content/posts/2024-09-01-nouveau.md",
        &post("Un nouveau billet", "\"fraîcheur\"", "Tout nouveau."),
    );
    server.wait_for(
        "/blog/2024/09/01/nouveau.html",
        "serves the new post",
        |s, b| s == 200 && b.contains("Tout nouveau"),
    );
    let (_, _, blog) = server.get("/blog/");
    assert!(blog.contains("Un nouveau billet"), "blog index");
    let (status, _, tag) = server.get("/tag/fraicheur/");
    assert_eq!(status, 200);
    assert!(tag.contains("Un nouveau billet"));
    let (_, head, feed) = server.get("/feed.xml");
    assert!(feed.contains("Un nouveau billet"), "feed");
    assert!(
        head.to_ascii_lowercase().contains("application/rss+xml"),
        "{head}"
    );
    assert!(
        !feed.contains("data-gazette-reload"),
        "no script outside HTML"
    );

    // Deleting it removes it everywhere; its URL is the site's 404 page with status 404.
    site.remove("content/posts/2024-09-01-nouveau.md");
    let body = server.wait_for("/blog/2024/09/01/nouveau.html", "returns 404", |s, _| {
        s == 404
    });
    let (_, _, not_found) = server.get("/404.html");
    assert!(not_found.contains("<title>"), "the 404 page is the site's");
    assert!(
        body.contains("<title>"),
        "404 responses use the site's 404 page"
    );
    let (_, _, blog) = server.get("/blog/");
    assert!(!blog.contains("Un nouveau billet"));
    let (status, _, _) = server.get("/tag/fraicheur/");
    assert_eq!(status, 404);
    let (_, _, feed) = server.get("/feed.xml");
    assert!(!feed.contains("Un nouveau billet"));

    // Broken front matter: the overlay names the file, the last good page is still served.
    site.write(
        "content/posts/2024-03-10-billet-3.md",
        "---\ntitle: \"Cassé\ntags: [\n---\n\nTexte cassé.\n",
    );
    let body = server.wait_for(post_url, "shows the error overlay", |_, b| {
        b.contains("gazette-error")
    });
    assert!(
        body.contains("2024-03-10-billet-3.md"),
        "the overlay names the file:\n{body}"
    );
    assert!(
        body.contains("Texte tout neuf du trois"),
        "the last good page is served under the overlay"
    );
    let (_, _, home) = server.get("/");
    assert!(
        home.contains("gazette-error"),
        "the overlay is on every page"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while !server
        .stderr
        .lock()
        .unwrap()
        .contains("2024-03-10-billet-3.md")
    {
        assert!(Instant::now() < deadline, "the terminal shows the error");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Fixed: the overlay goes, the new text comes.
    site.write(
        "content/posts/2024-03-10-billet-3.md",
        &post("Billet numéro 3", "\"impair\"", "Réparé et servi."),
    );
    server.wait_for(post_url, "is fixed", |s, b| {
        s == 200 && b.contains("Réparé et servi") && !b.contains("gazette-error")
    });
}

#[test]
fn serve_refuses_paths_out_of_the_site_and_other_methods() {
    let site = TestSite::fixture_with_theme("serve_site");
    let server = Server::start(site.path(), &[]);
    let address = server.address();
    for path in [
        "/../site.yml",
        "/%2e%2e/site.yml",
        "/%2E%2E%2Fsite.yml",
        "/css/..%2f..%2fsite.yml",
        "//etc/passwd",
        "/a/..\\..\\site.yml",
        "/%252e%252e/x",
    ] {
        let (status, head, _) = raw(
            &address,
            &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        );
        assert!(
            status == 403 || status == 404 || status == 400,
            "{path}: {head}"
        );
    }
    let (status, head, _) = raw(
        &address,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 405, "{head}");
    let (status, head, body) = raw(
        &address,
        "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 200, "{head}");
    assert!(body.is_empty());
    // Folder URLs, `/x` → `/x.html`, folders without their slash.
    assert_eq!(server.get("/blog/").0, 200);
    assert_eq!(server.get("/a-propos").0, 200);
    assert_eq!(server.get("/blog").0, 301);
    let (status, head, _) = server.get("/css/extra.css");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase().contains("content-type: text/css"),
        "{head}"
    );
}

/// A link in assets/ pointing out of the site is not published: the build names it as an error,
/// and the preview serves nothing there (its overlay names the link).
#[test]
fn a_link_out_of_the_site_is_never_served() {
    let site = TestSite::fixture_with_theme("serve_site");
    std::os::unix::fs::symlink("/etc/hostname", site.path().join("assets/dehors.txt")).unwrap();
    let server = Server::start(site.path(), &[]);
    let (status, head, body) = server.get("/dehors.txt");
    let hostname = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    assert!(status == 403 || status == 404, "{head}");
    assert!(
        hostname.trim().is_empty() || !body.contains(hostname.trim()),
        "{body}"
    );
    let (_, _, page) = server.get("/");
    assert!(page.contains("assets/dehors.txt"), "{page}");
}

#[test]
fn a_taken_port_moves_to_the_next_one() {
    let site = TestSite::fixture_with_theme("serve_site");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = Server::start(site.path(), &["--port", &port.to_string()]);
    assert!(
        !server.url.ends_with(&format!(":{port}/")),
        "{}",
        server.url
    );
    assert_eq!(server.get("/").0, 200);
}

/// What a diagnostic is, without its wording: rule, file, line and severity.
fn findings(diagnostics: &[gazette::diagnostic::Diagnostic]) -> Vec<String> {
    let mut keys: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            format!(
                "{:?} {} {}:{}",
                d.severity,
                d.rule,
                d.file.display(),
                d.line
            )
        })
        .collect();
    keys.sort();
    keys
}

/// The preview runs the same pipeline as a build, content rules included: it refuses what the
/// build refuses and warns about what the build warns about, and a fix clears the finding.
#[test]
fn the_preview_reports_what_the_build_refuses() {
    for fixture in ["check_mistakes", "check_clean"] {
        let site = TestSite::fixture(fixture);
        let build = gazette::pipeline::render_site(site.path(), &options());
        let mut live = Live::new(site.path(), &options());
        match (build, live.update(&[])) {
            (Ok(built), Ok(update)) => {
                assert_eq!(
                    findings(&built.warnings),
                    findings(&update.warnings),
                    "{fixture}"
                )
            }
            (Err(refused), Err(shown)) => {
                assert!(refused.iter().any(|d| d.is_error()), "{fixture}");
                assert_eq!(findings(&refused), findings(&shown), "{fixture}");
            }
            (build, preview) => panic!(
                "{fixture}: build {:?} but preview {:?}",
                build.map(|b| b.warnings),
                preview.map(|u| u.warnings)
            ),
        }
    }

    // A post saved with a tag the rules do not allow: the preview refuses it at once, naming the
    // file and line; fixing the tag clears it.
    let site = TestSite::fixture("check_clean");
    let mut live = Live::new(site.path(), &options());
    live.update(&[]).unwrap();
    let file = "content/posts/2024-03-01-first.md";
    let original = std::fs::read_to_string(site.path().join(file)).unwrap();
    site.write(file, &original.replace("[\"design\"]", "[\"desing\"]"));
    let problems = live.update(&changed(&site, &[file])).unwrap_err();
    assert!(
        problems.iter().any(|d| d.file == Path::new(file)
            && d.line == 7
            && d.message.to_string().contains("desing")),
        "{problems:?}"
    );
    site.write(file, &original);
    let update = live.update(&changed(&site, &[file])).unwrap();
    assert!(
        findings(&update.warnings).is_empty(),
        "{:?}",
        update.warnings
    );
    assert_same_as_clean(&live, site.path(), "tag fixed");
}

/// The preview lists every current warning, not only those of the file just saved: after each
/// edit, its warnings are exactly those a build of the same files prints (load warnings of
/// untouched posts, the theme's, the content rules').
#[test]
fn the_preview_keeps_every_current_warning_as_a_build_would() {
    let site = TestSite::fixture_with_theme("serve_site");
    let config = std::fs::read_to_string(site.path().join("site.yml")).unwrap();
    site.write("site.yml", &format!("{config}\nrules:\n  yaml_1_1: true\n"));
    let rocket = "content/posts/2024-01-10-billet-1.md";
    site.write(
        rocket,
        &post("Billet 1", "\"🚀\", \"impair\"", "Une fusée."),
    );
    let mut live = Live::new(site.path(), &options());
    let first = live.update(&[]).unwrap();
    let same_as_build = |shown: &[gazette::diagnostic::Diagnostic], step: &str| {
        let built = gazette::pipeline::render_site(site.path(), &options())
            .unwrap_or_else(|p| panic!("{step}: {p:?}"));
        assert_eq!(findings(&built.warnings), findings(shown), "{step}");
    };
    same_as_build(&first.warnings, "first build");
    assert!(
        first.warnings.iter().any(|d| d.file == Path::new(rocket)),
        "{:?}",
        first.warnings
    );
    let other = "content/posts/2024-03-10-billet-3.md";
    let steps: [(&str, String); 3] = [
        (
            "edit another post",
            post("Billet numéro 3", "\"impair\"", "Modifié."),
        ),
        (
            "a YAML 1.1 value",
            "---\ntitle: \"Billet numéro 3\"\nen_une: yes\ntags: [\"impair\"]\n---\n\nCorps.\n"
                .into(),
        ),
        ("fixed", post("Billet numéro 3", "\"impair\"", "Corrigé.")),
    ];
    for (step, text) in steps {
        site.write(other, &text);
        let update = live.update(&changed(&site, &[other])).unwrap();
        same_as_build(&update.warnings, step);
    }
    site.write(
        rocket,
        &post("Billet 1", "\"fusée\", \"impair\"", "Une fusée."),
    );
    let update = live.update(&changed(&site, &[rocket])).unwrap();
    same_as_build(&update.warnings, "tag fixed");
    assert!(
        !update.warnings.iter().any(|d| d.file == Path::new(rocket)),
        "{:?}",
        update.warnings
    );
}

/// A client that sends half a request, or nothing, has its connection closed (a header-read
/// timeout, shortened here through the debug-build test hook), while a normal request is served.
#[test]
fn the_preview_closes_connections_that_never_finish_their_request() {
    let site = TestSite::fixture_with_theme("serve_site");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["serve", "--port", "0"])
        .current_dir(site.path())
        .env("GAZETTE_TEST_HEADER_TIMEOUT_MS", "300")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let address = loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "serve exited");
        if let Some(at) = line.find("http://") {
            let url = line[at..].split_whitespace().next().unwrap();
            break url
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .to_string();
        }
    };
    for partial in ["GET / HTTP/1.1\r\nHost: x\r\n", ""] {
        let mut stream = TcpStream::connect(&address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(partial.as_bytes()).unwrap();
        let started = Instant::now();
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{partial:?}: the connection stayed open {:?}",
            started.elapsed()
        );
    }
    let (status, _, _) = raw(
        &address,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 200);
    let _ = child.kill();
    let _ = child.wait();
}

/// Waits until the preview paused after showing its first pages (it made `marker`).
pub(crate) fn wait_for_pause(marker: &Path, server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !marker.exists() {
        assert!(
            Instant::now() < deadline,
            "the preview never showed pages early:\n{}",
            server.stderr.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn the_pages_browsers_show_are_served_before_the_rest_is_rendered() {
    // The first build serves the home page, and a template edit the page a browser shows, while
    // the other pages are still being rendered (GAZETTE_TEST_AFTER_EARLY holds the render there;
    // GAZETTE_TEST_EARLY_AFTER=1 makes this small site count as a large one).
    let site = TestSite::fixture("basic");
    let pause = tempfile::tempdir().unwrap();
    let marker = pause.path().join("early");
    let server = Server::start_held_after_early(site.path(), &marker);
    wait_for_pause(&marker, &server);
    let (status, _, home) = server.get("/");
    assert_eq!(status, 200, "{home}");
    // A post page is not made yet: its request waits for the render instead of a 404.
    let post = "/blog/2023/03/14/premier-billet.html";
    let address = server.address();
    let waiting = std::thread::spawn(move || {
        raw(
            &address,
            &format!("GET {post} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        )
    });
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !waiting.is_finished(),
        "the post page was answered before it was rendered"
    );
    fs::remove_file(&marker).unwrap();
    let (status, _, body) = waiting.join().unwrap();
    assert_eq!(status, 200, "{body}");
    server.wait_for(
        "/blog/2023/07/01/date-du-front-matter.html",
        "served",
        |s, _| s == 200,
    );

    // A browser shows the post: a template edit makes it first.
    let listener = TcpStream::connect(server.address()).unwrap();
    (&listener)
        .write_all(
            format!("GET /__gazette/events?page={post} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
        )
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let template = site.path().join("templates/post.html");
    let text = fs::read_to_string(&template).unwrap();
    let edited = text.replacen("</article>", "<p>edited-first</p></article>", 1);
    assert_ne!(text, edited);
    fs::write(&template, &edited).unwrap();
    wait_for_pause(&marker, &server);
    let (_, _, shown) = server.get(post);
    assert!(shown.contains("edited-first"), "{shown}");
    let (_, _, other) = server.get("/blog/2023/07/01/date-du-front-matter.html");
    assert!(
        !other.contains("edited-first"),
        "the other posts come after: {other}"
    );
    fs::remove_file(&marker).unwrap();
    server.wait_for(
        "/blog/2023/07/01/date-du-front-matter.html",
        "edited",
        |_, b| b.contains("edited-first"),
    );
    drop(listener);
}
