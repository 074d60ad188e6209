//! `gazette serve` in a real browser: headless Chromium through chromedriver (fantoccini) shows edits
//! without the test reloading the page. Needs `chromium` and `chromium-driver` (run by .ci/browser.sh).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

use crate::serve::Server;
use crate::support::TestSite;

/// chromedriver on a free loopback port, killed on drop.
pub(crate) struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Driver {
    pub(crate) fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is not installed (apt-get install chromium chromium-driver)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver {
            child,
            port,
            _profile: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) async fn client(&self) -> Client {
        self.client_with(true).await
    }

    /// A session whose pages run no script (what moves by itself, such as a slider, stays put).
    pub(crate) async fn client_without_scripts(&self) -> Client {
        self.client_with(false).await
    }

    async fn client_with(&self, scripts: bool) -> Client {
        let profile = self._profile.path().display().to_string();
        let mut caps = serde_json::Map::new();
        let mut chrome = json!({
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1000,500",
                format!("--user-data-dir={profile}"),
            ]
        });
        if !scripts {
            chrome["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
        }
        if std::path::Path::new("/usr/bin/chromium").exists() {
            chrome["binary"] = json!("/usr/bin/chromium");
        }
        caps.insert("goog:chromeOptions".into(), chrome);
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("cannot open a Chromium session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) async fn eval(client: &Client, script: &str) -> Value {
    client.execute(script, vec![]).await.unwrap_or(Value::Null)
}

/// Polls a script in the page until `check` accepts its value, or fails after 20 s.
pub(crate) async fn wait_until(
    client: &Client,
    script: &str,
    what: &str,
    check: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = eval(client, script).await;
        if check(&value) {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "the page never {what}; last value: {value}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn long_post(extra: &str) -> String {
    let paragraphs: String = (1..=60)
        .map(|i| format!("Paragraphe {i} pour faire une longue page.\n\n"))
        .collect();
    format!(
        "---\ntitle: \"Billet numéro 3\"\ntags: [\"impair\"]\n---\n\nDébut.\n\n<!-- more -->\n\n{paragraphs}{extra}\n"
    )
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
#[ignore = "needs chromium and chromedriver: run by .ci/run"]
fn an_edited_post_shows_in_the_browser_by_itself_keeping_the_scroll_position() {
    let site = TestSite::fixture_with_theme("serve_site");
    let post = "content/posts/2024-03-10-billet-3.md";
    site.write(post, &long_post("Fin de la version une."));
    let server = Server::start(site.path(), &[]);
    let driver = Driver::start();
    runtime().block_on(async {
        let client = driver.client().await;
        client.goto(&format!("{}blog/2024/03/10/billet-3.html", server.url)).await.unwrap();
        wait_until(&client, "return document.body.innerText", "loads", |v| v.as_str().is_some_and(|t| t.contains("version une"))).await;
        // Wait for the reload channel, then scroll down and mark this instance of the page.
        tokio::time::sleep(Duration::from_millis(500)).await;
        eval(&client, "window.scrollTo({top: 900, left: 0, behavior: 'instant'}); window.__gazetteTest = 'same page';").await;
        let scrolled = eval(&client, "return window.scrollY").await.as_f64().unwrap();
        let sizes = eval(&client, "return [document.documentElement.scrollHeight, window.innerHeight, document.body.innerText.length]").await;
        assert!(scrolled > 500.0, "the page is long enough to scroll: {scrolled} {sizes}");

        site.write(post, &long_post("Fin de la version deux."));
        wait_until(&client, "return document.body.innerText", "shows the edit", |v| {
            v.as_str().is_some_and(|t| t.contains("version deux"))
        })
        .await;
        // It was a reload by the page itself (the marker is gone), at the same scroll position.
        assert_eq!(eval(&client, "return window.__gazetteTest || null").await, Value::Null);
        let y = wait_until(&client, "return window.scrollY", "restores the scroll position", |v| {
            v.as_f64().is_some_and(|y| (y - scrolled).abs() < 2.0)
        })
        .await;
        assert!((y.as_f64().unwrap() - scrolled).abs() < 2.0);
        client.close().await.unwrap();
    });
}

#[test]
#[ignore = "needs chromium and chromedriver: run by .ci/run"]
fn a_stylesheet_change_is_swapped_in_without_reloading() {
    let site = TestSite::fixture_with_theme("serve_site");
    let server = Server::start(site.path(), &[]);
    let driver = Driver::start();
    runtime().block_on(async {
        let client = driver.client().await;
        client.goto(&server.url).await.unwrap();
        wait_until(&client, "return document.readyState", "loads", |v| {
            v == "complete"
        })
        .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        eval(&client, "window.__gazetteTest = 'same page';").await;
        let css = site.path().join("themes/default/static/css/site.css");
        let mut text = std::fs::read_to_string(&css).unwrap();
        text.push_str("\nbody { background-color: rgb(1, 2, 3) !important; }\n");
        std::fs::write(&css, text).unwrap();
        wait_until(
            &client,
            "return getComputedStyle(document.body).backgroundColor",
            "applies the new style",
            |v| v == "rgb(1, 2, 3)",
        )
        .await;
        assert_eq!(
            eval(&client, "return window.__gazetteTest || null").await,
            json!("same page"),
            "the page was not reloaded"
        );
        client.close().await.unwrap();
    });
}

/// The script that reads what the preview shows over the page: the warnings panel's text, the
/// error overlay's text, or null.
const SHOWN: &str = "var w=document.getElementById('gazette-warnings');var e=document.getElementById('gazette-error');\
return {warnings: w ? w.innerText : null, error: e ? e.innerText : null};";

fn shown(value: &Value, which: &str) -> Option<String> {
    value[which].as_str().map(str::to_string)
}

/// The writer's loop (issue 15): on a French site with content rules, a saved mistake shows on the
/// open page within a second, with its file:line and the French message (a warning in the
/// panel, an error in the overlay), and goes away once fixed. A closed panel stays closed until
/// the warnings change.
#[test]
#[ignore = "needs chromium and chromedriver: run by .ci/run"]
fn content_rule_findings_show_on_the_open_page_and_go_when_fixed() {
    let site = TestSite::fixture_with_theme("serve_site");
    let config = std::fs::read_to_string(site.path().join("site.yml")).unwrap();
    site.write(
        "site.yml",
        &format!("{config}\nrules:\n  posts:\n    allowed_tags: [impair, pair, commun]\n  yaml_1_1: true\n"),
    );
    // The demo site's interface strings, so that the theme itself gives no warning.
    let strings = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/data/i18n.yml"),
    )
    .unwrap();
    site.write("content/data/i18n.yml", &strings);
    let post = "content/posts/2024-03-10-billet-3.md";
    let version = |extra: &str, tag: &str| {
        format!(
            "---\ntitle: \"Billet numéro 3\"\n{extra}tags: [\"{tag}\"]\n---\n\nDébut du billet.\n"
        )
    };
    site.write(post, &version("", "impair"));
    let server = Server::start(site.path(), &[]);
    let driver = Driver::start();
    runtime().block_on(async {
        let client = driver.client().await;
        client
            .goto(&format!("{}blog/2024/03/10/billet-3.html", server.url))
            .await
            .unwrap();
        wait_until(&client, "return document.body.innerText", "loads", |v| {
            v.as_str().is_some_and(|t| t.contains("Début du billet"))
        })
        .await;
        assert_eq!(
            eval(&client, SHOWN).await,
            json!({"warnings": null, "error": null})
        );
        tokio::time::sleep(Duration::from_millis(500)).await;

        // A warning (a YAML 1.1 `yes`, line 3): the panel lists it.
        let saved = Instant::now();
        site.write(post, &version("en_une: yes\n", "impair"));
        let value = wait_until(&client, SHOWN, "shows the warnings panel", |v| {
            shown(v, "warnings").is_some_and(|t| t.contains("billet-3.md:3"))
        })
        .await;
        let within = saved.elapsed();
        let panel = shown(&value, "warnings").unwrap();
        assert!(panel.contains("1 avertissement"), "{panel}");
        assert!(
            panel.contains("n'est pas lu de la même façon par tous les outils"),
            "{panel}"
        );
        assert!(panel.contains("mettez-le entre guillemets"), "{panel}");
        assert!(within < Duration::from_secs(1), "shown after {within:?}");

        // Closed, it stays closed across reloads while the warnings are the same.
        client
            .execute(
                "document.querySelector('#gazette-warnings button').click()",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(eval(&client, SHOWN).await["warnings"], Value::Null);
        client.refresh().await.unwrap();
        wait_until(&client, "return document.readyState", "reloads", |v| {
            v == "complete"
        })
        .await;
        assert_eq!(eval(&client, SHOWN).await["warnings"], Value::Null);
        tokio::time::sleep(Duration::from_millis(500)).await;

        // An error (a tag typo): the overlay names the file, the line and the French message.
        let saved = Instant::now();
        site.write(post, &version("", "impaire"));
        let value = wait_until(&client, SHOWN, "shows the error overlay", |v| {
            shown(v, "error").is_some_and(|t| t.contains("billet-3.md:3"))
        })
        .await;
        let within = saved.elapsed();
        let overlay = shown(&value, "error").unwrap();
        assert!(
            overlay.contains("l'étiquette `impaire` n'est pas dans la liste des étiquettes"),
            "{overlay}"
        );
        assert!(
            overlay.contains("vouliez-vous dire `impair` ?"),
            "{overlay}"
        );
        assert!(within < Duration::from_secs(1), "shown after {within:?}");

        // Fixed: nothing is shown over the page any more.
        tokio::time::sleep(Duration::from_millis(300)).await;
        site.write(post, &version("", "impair"));
        wait_until(&client, SHOWN, "clears the findings", |v| {
            *v == json!({"warnings": null, "error": null})
        })
        .await;
        client.close().await.unwrap();
    });
}

/// `gazette new post` prints the preview address of its draft; the preview shows the draft there
/// with a visible "Brouillon" ribbon (a build without --drafts never has it).
#[test]
#[ignore = "needs chromium and chromedriver: run by .ci/run"]
fn a_new_draft_shows_in_the_preview_with_its_ribbon() {
    let site = TestSite::fixture_with_theme("serve_site");
    let strings = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/data/i18n.yml"),
    )
    .unwrap();
    site.write("content/data/i18n.yml", &strings);
    let new = site.gazette(&["new", "post", "Mon brouillon"]);
    assert!(new.success(), "{}", new.stderr);
    let address = new
        .stderr
        .lines()
        .find_map(|l| l.split("http://127.0.0.1:1111").nth(1))
        .unwrap_or_else(|| panic!("{}", new.stderr))
        .to_string();
    let server = Server::start(site.path(), &[]);
    let driver = Driver::start();
    runtime().block_on(async {
        let client = driver.client().await;
        client
            .goto(&format!("{}{}", server.url, address.trim_start_matches('/')))
            .await
            .unwrap();
        let ribbon = wait_until(
            &client,
            "var r=document.querySelector('.draft-ribbon');if(!r){return null;}var b=r.getBoundingClientRect();\
             return {text: r.innerText, visible: b.width>0 && b.height>0 && b.top<window.innerHeight && b.right>0 && getComputedStyle(r).visibility==='visible'};",
            "shows the draft ribbon",
            |v| !v.is_null(),
        )
        .await;
        assert_eq!(ribbon, json!({"text": "BROUILLON", "visible": true}));
        client.close().await.unwrap();
    });
}

/// A plain static server (Python's) for `dir` on a loopback port, killed on drop.
pub(crate) struct StaticServer {
    child: Child,
    port: u16,
}

impl StaticServer {
    /// On a free port.
    fn start(dir: &std::path::Path) -> StaticServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Self::start_on(dir, port)
    }

    /// On `port`, which must be free.
    pub(crate) fn start_on(dir: &std::path::Path, port: u16) -> StaticServer {
        assert!(
            std::net::TcpListener::bind(("127.0.0.1", port)).is_ok(),
            "port {port} is taken: stop what listens there"
        );
        let child = Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .arg("--directory")
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the static server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        StaticServer { child, port }
    }
}

impl StaticServer {
    /// The port it listens on.
    pub(crate) fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What failed on the open page: documents and resources of this origin answered with an
/// error, images that did not load, links of this origin that leave `prefix`.
const FAILURES: &str = r#"
const origin = location.origin;
const prefix = arguments[0];
const failed = [];
for (const e of [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]) {
  if (e.name.startsWith(origin) && (e.responseStatus >= 400)) failed.push(e.responseStatus + ' ' + e.name);
}
for (const img of document.images) {
  if (img.complete && img.naturalWidth === 0) failed.push('image ' + img.currentSrc);
}
for (const a of document.querySelectorAll('a[href], link[href]')) {
  if (a.href.startsWith(origin) && !a.href.startsWith(origin + prefix)) failed.push('leaves ' + prefix + ': ' + a.href);
}
return failed;
"#;

#[test]
#[ignore = "needs chromium and chromedriver: run by .ci/run"]
fn the_demo_published_under_a_sub_path_loads_every_page_without_a_failed_request() {
    let driver = Driver::start();
    for prefix in ["/sous-dossier/", "/"] {
        let site = crate::publish::demo();
        let host = tempfile::tempdir().unwrap();
        let server = StaticServer::start(host.path());
        let base = format!("http://127.0.0.1:{}{prefix}", server.port);
        let build = crate::support::gazette_in(
            site.path(),
            &["build", "--base-url", &base, "--output", "public"],
        );
        assert!(build.success(), "{}", build.stderr);
        // The host serves the output folder at the base path.
        let published = host.path().join(prefix.trim_matches('/'));
        crate::support::copy_dir(&site.path().join("public"), &published);
        let mut pages: Vec<String> = walkdir::WalkDir::new(&published)
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| {
                let relative = e.path().strip_prefix(&published).unwrap();
                format!("{base}{}", relative.display())
            })
            .collect();
        pages.sort();
        assert!(pages.len() > 50, "{}", pages.len());
        let failures = runtime().block_on(async {
            let client = driver.client().await;
            let mut failures = Vec::new();
            for page in &pages {
                client.goto(page).await.unwrap();
                let found = client
                    .execute(FAILURES, vec![json!(prefix)])
                    .await
                    .unwrap_or(Value::Null);
                for failure in found.as_array().into_iter().flatten() {
                    failures.push(format!("{page}: {}", failure.as_str().unwrap_or("?")));
                }
            }
            client.close().await.unwrap();
            failures
        });
        assert!(
            failures.is_empty(),
            "{prefix}: {} failures over {} pages:\n{}",
            failures.len(),
            pages.len(),
            failures.join("\n")
        );
    }
}

#[test]
#[ignore = "needs chromium and chromedriver: run by .ci/run"]
fn after_a_template_edit_the_page_the_browser_shows_reloads_before_the_rest_is_rendered() {
    // The reload script tells the preview which page it shows; a template edit then makes that
    // page first, and the browser reloads it while the other pages are still being rendered
    // (GAZETTE_TEST_AFTER_EARLY holds the render there; GAZETTE_TEST_EARLY_AFTER=1 makes this
    // small site count as a large one).
    let site = TestSite::fixture("basic");
    let pause = tempfile::tempdir().unwrap();
    let marker = pause.path().join("early");
    let server = Server::start_held_after_early(site.path(), &marker);
    // The first build pauses once the home page is served: let it finish.
    crate::serve::wait_for_pause(&marker, &server);
    std::fs::remove_file(&marker).unwrap();
    let (post, other) = (
        "blog/2023/03/14/premier-billet.html",
        "/blog/2023/07/01/date-du-front-matter.html",
    );
    server.wait_for(other, "served", |s, _| s == 200);
    let driver = Driver::start();
    runtime().block_on(async {
        let client = driver.client().await;
        client.goto(&format!("{}{post}", server.url)).await.unwrap();
        wait_until(&client, "return document.readyState", "loads", |v| {
            v == "complete"
        })
        .await;
        // Wait for the reload channel, then mark this instance of the page.
        tokio::time::sleep(Duration::from_millis(500)).await;
        eval(&client, "window.__gazetteTest = 'same page';").await;

        let template = site.path().join("templates/post.html");
        let text = std::fs::read_to_string(&template).unwrap();
        let edited = text.replacen("</article>", "<p>edited-first</p></article>", 1);
        assert_ne!(text, edited);
        std::fs::write(&template, &edited).unwrap();
        crate::serve::wait_for_pause(&marker, &server);
        // Held after the early batch: the browser has reloaded the page it shows, by itself.
        wait_until(
            &client,
            "return document.body.innerText",
            "shows the edit",
            |v| v.as_str().is_some_and(|t| t.contains("edited-first")),
        )
        .await;
        assert_eq!(
            eval(&client, "return window.__gazetteTest || null").await,
            Value::Null
        );
        let (_, _, not_yet) = server.get(other);
        assert!(
            !not_yet.contains("edited-first"),
            "the other posts come after: {not_yet}"
        );
        std::fs::remove_file(&marker).unwrap();
        server.wait_for(other, "edited", |_, b| b.contains("edited-first"));
        client.close().await.unwrap();
    });
}
