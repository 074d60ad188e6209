//! Every page of the demo site, built with each built-in theme, checked by axe-core (vendored by
//! scripts/vendor-npm in tests/vendor/axe-core) in headless Chromium: no violation allowed. Then
//! screenshots at 1280 and 390 pixels of the home, a post, a challenge, a person, the blog and a
//! tag page, written to target/screenshots/<theme>/ for a person to look at (CI keeps target/).
//! Needs `chromium` and `chromium-driver` (run by .ci/browser.sh).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::Client;
use serde_json::Value;

use crate::browser::{Driver, runtime};
use crate::support::{gazette_in, repo_root};
use crate::themes::{THEMES, demo_with_theme, html_files};

/// A static file server for a built site on a free loopback port (a thread per request, the
/// listener thread ends with the test process).
fn serve_folder(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root));
        }
    });
    address
}

fn answer(mut stream: std::net::TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut request = [0u8; 4096];
    let read = stream.read(&mut request).unwrap_or(0);
    let head = String::from_utf8_lossy(&request[..read]);
    let path = head.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let mut file = root.join(path.trim_start_matches('/'));
    if path.ends_with('/') {
        file = file.join("index.html");
    }
    let (status, body, file) = match std::fs::read(&file) {
        Ok(body) if !path.contains("..") => ("200 OK", body, file),
        _ => (
            "404 Not Found",
            std::fs::read(root.join("404.html")).unwrap_or_default(),
            root.join("404.html"),
        ),
    };
    let kind = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    let _ = stream.write_all(&body);
}

/// The demo site built with `theme` into a temporary folder: the folder and its output.
fn built_demo(theme: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    demo_with_theme(tmp.path(), theme);
    let run = gazette_in(tmp.path(), &["build"]);
    assert!(run.success(), "{theme}: {}", run.stderr);
    let output = tmp.path().join("public");
    (tmp, output)
}

/// The URL path of each HTML page of `output`.
fn page_paths(output: &Path) -> Vec<String> {
    html_files(output)
        .iter()
        .map(|f| {
            let relative = f
                .strip_prefix(output)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            format!(
                "/{}",
                relative.strip_suffix("index.html").unwrap_or(&relative)
            )
        })
        .collect()
}

const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ["violations"] })
  .then(results => done(results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " — " + n.failureSummary)
  }))))
  .catch(error => done([{ id: "axe-error", help: String(error), nodes: [] }]));
"#;

/// axe-core's violations on the page at `url`.
async fn violations(client: &Client, axe: &str, url: &str) -> Vec<Value> {
    client.goto(url).await.unwrap();
    client
        .execute(&format!("{axe}\nreturn true;"), vec![])
        .await
        .unwrap();
    let found = client.execute_async(RUN_AXE, vec![]).await.unwrap();
    found.as_array().cloned().unwrap_or_default()
}

#[test]
#[ignore = "needs chromium and chromedriver: run by .ci/run through .ci/browser.sh"]
fn axe_finds_no_violation_on_any_page_of_the_demo_with_either_theme() {
    let axe = std::fs::read_to_string(repo_root().join("tests/vendor/axe-core/axe.min.js"))
        .expect("axe-core is vendored: run scripts/vendor-npm axe");
    let report_dir = repo_root().join("target/axe");
    std::fs::create_dir_all(&report_dir).unwrap();
    let driver = Driver::start();
    let mut failures = Vec::new();
    for theme in THEMES {
        let (_site, output) = built_demo(theme);
        let base = serve_folder(output.clone());
        let paths = page_paths(&output);
        let found: Vec<(String, Vec<Value>)> = runtime().block_on(async {
            let client = driver.client().await;
            client.set_window_size(1280, 900).await.unwrap();
            let mut found = Vec::new();
            for path in &paths {
                found.push((
                    path.clone(),
                    violations(&client, &axe, &format!("{base}{path}")).await,
                ));
            }
            client.close().await.unwrap();
            found
        });
        let count: usize = found.iter().map(|(_, v)| v.len()).sum();
        eprintln!(
            "axe-core, theme {theme}: {} pages, {count} violations",
            paths.len()
        );
        let report: serde_json::Map<String, Value> = found
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(p, v)| (p.clone(), Value::from(v.clone())))
            .collect();
        std::fs::write(
            report_dir.join(format!("{theme}.json")),
            serde_json::to_string_pretty(&report).unwrap(),
        )
        .unwrap();
        for (path, list) in found.iter().filter(|(_, v)| !v.is_empty()) {
            failures.push(format!(
                "{theme} {path}: {}",
                serde_json::to_string_pretty(list).unwrap()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "axe-core violations:\n{}",
        failures.join("\n")
    );
}

/// The pages a person looks at, by name: (file name, path).
fn pages_to_show(output: &Path) -> Vec<(&'static str, String)> {
    let paths = page_paths(output);
    let first = |prefix: &str| {
        paths
            .iter()
            .find(|p| p.starts_with(prefix) && p.ends_with(".html"))
            .cloned()
            .unwrap_or_else(|| panic!("no page under {prefix}"))
    };
    vec![
        ("home", "/".to_string()),
        (
            "post",
            "/blog/2024/02/06/mise-en-forme-markdown.html".to_string(),
        ),
        ("challenge", first("/defis/20")),
        ("person", first("/communaute/20")),
        ("blog", "/blog/".to_string()),
        (
            "tag",
            paths
                .iter()
                .find(|p| p.starts_with("/tag/") && p.len() > 5 && !p.contains("/page/"))
                .cloned()
                .expect("a tag page"),
        ),
    ]
}

#[test]
#[ignore = "needs chromium and chromedriver: run by .ci/run through .ci/browser.sh"]
fn screenshots_of_the_demo_with_each_theme_at_two_widths() {
    let driver = Driver::start();
    for theme in THEMES {
        let (_site, output) = built_demo(theme);
        let base = serve_folder(output.clone());
        let folder = repo_root().join("target/screenshots").join(theme);
        std::fs::create_dir_all(&folder).unwrap();
        let pages = pages_to_show(&output);
        runtime().block_on(async {
            let client = driver.client().await;
            for width in [1280u32, 390] {
                for (name, path) in &pages {
                    client.set_window_size(width, 900).await.unwrap();
                    client.goto(&format!("{base}{path}")).await.unwrap();
                    // The whole page: the window as tall as the document.
                    let height = client
                        .execute("return document.documentElement.scrollHeight", vec![])
                        .await
                        .unwrap()
                        .as_u64()
                        .unwrap_or(900)
                        .clamp(600, 8000);
                    client.set_window_size(width, height as u32).await.unwrap();
                    let png = client.screenshot().await.unwrap();
                    assert!(png.starts_with(b"\x89PNG"), "{theme} {name}: a PNG");
                    std::fs::write(folder.join(format!("{name}-{width}.png")), png).unwrap();
                }
            }
            client.close().await.unwrap();
        });
        eprintln!("screenshots of theme {theme}: {}", folder.display());
    }
}
