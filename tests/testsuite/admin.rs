//! `/admin/` and its API (`POST /api/v1`, Decap CMS's local backend) against a real `gazette
//! serve`: the configuration made from site.yml, what the API refuses (paths outside the site's
//! content, other hosts, other sites' pages, clients of other machines), saves checked as a
//! build and written only where they change; and the editor written into a build only when
//! site.yml asks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::{Value, json};

use crate::serve::Server;
use crate::support::TestSite;

/// The admin fixture with the default theme.
fn admin_site() -> TestSite {
    TestSite::fixture_with_theme("admin_site")
}

/// Sends one HTTP request to `address` naming `host`; status and body.
fn send(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !headers.iter().any(|(name, _)| *name == "Host") {
        request.push_str(&format!("Host: {address}\r\n"));
    }
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
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
    (status, body.to_string())
}

/// Calls the API with `action` and `params`: status and JSON answer.
fn api(server: &Server, action: &str, params: Value) -> (u16, Value) {
    let body = json!({"action": action, "params": params}).to_string();
    let origin = format!("http://{}", server.address());
    let (status, text) = send(
        &server.address(),
        "POST",
        "/api/v1",
        &[("Content-Type", "application/json"), ("Origin", &origin)],
        &body,
    );
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn persist(path: &str, raw: &str) -> Value {
    json!({
        "branch": "main",
        "dataFiles": [{"slug": "x", "path": path, "raw": raw}],
        "assets": [],
        "options": {"commitMessage": "x", "useWorkflow": false, "status": ""},
    })
}

#[test]
fn the_editor_configuration_follows_site_yml() {
    let site = admin_site();
    let server = Server::start(site.path(), &[]);
    let (status, text) = send(&server.address(), "GET", "/admin/config.yml", &[], "");
    assert_eq!(status, 200, "{text}");
    let config: Value = serde_yaml::from_str(&text).unwrap();
    let api_url = format!("http://{}/api/v1", server.address());
    assert_eq!(config["local_backend"]["url"], json!(api_url));
    assert_eq!(config["backend"]["name"], json!("proxy"));
    assert_eq!(config["media_folder"], json!("assets/img/uploads"));
    assert_eq!(config["public_folder"], json!("/img/uploads"));
    let collections = config["collections"].as_array().unwrap();
    let posts = collections
        .iter()
        .find(|c| c["name"] == "posts-fr")
        .unwrap();
    assert_eq!(posts["folder"], json!("content/posts"));
    assert_eq!(posts["slug"], json!("{{year}}-{{month}}-{{day}}-{{slug}}"));
    let field = |collection: &Value, name: &str| -> Value {
        collection["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no field {name}: {collection}"))
    };
    let tags = field(posts, "tags");
    assert_eq!(tags["widget"], json!("select"));
    assert_eq!(tags["multiple"], json!(true));
    assert_eq!(tags["options"], json!(["design", "données", "communauté"]));
    assert_eq!(
        (tags["min"].clone(), tags["max"].clone()),
        (json!(1), json!(2))
    );
    assert_eq!(field(posts, "image")["widget"], json!("image"));
    assert_eq!(field(posts, "image")["required"], json!(true));
    assert_eq!(field(posts, "title")["required"], json!(true));
    let people = collections.iter().find(|c| c["name"] == "people").unwrap();
    assert_eq!(people["folder"], json!("content/people"));
    assert_eq!(people["identifier_field"], json!("name"));
    let role = field(people, "role");
    assert_eq!(
        (role["widget"].clone(), role["options"].clone()),
        (json!("select"), json!(["fellow", "mentor", "staff"]))
    );
    assert_eq!(field(people, "year")["widget"], json!("number"));
    assert_eq!(field(people, "bio")["required"], json!(false));

    // It follows site.yml without a restart.
    let yml = std::fs::read_to_string(site.path().join("site.yml")).unwrap();
    site.write(
        "site.yml",
        &yml.replace("[design, données, communauté]", "[design, événement]"),
    );
    let (_, text) = send(&server.address(), "GET", "/admin/config.yml", &[], "");
    assert!(text.contains("événement"), "{text}");

    let (status, page) = send(&server.address(), "GET", "/admin/", &[], "");
    assert_eq!(status, 200);
    assert!(
        page.contains("<script src=\"decap-cms.js\"></script>") && page.contains("cms-config-url"),
        "{page}"
    );
    assert!(
        !page.contains("data-gazette-reload"),
        "the editor is not reloaded by the preview"
    );
    let (status, _) = send(&server.address(), "GET", "/admin/decap-cms.js", &[], "");
    assert_eq!(status, 200);
}

#[test]
fn the_api_refuses_paths_outside_the_content() {
    let site = admin_site();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), site.path().join("content/linked")).unwrap();
    let server = Server::start(site.path(), &["--lang", "en"]);
    let site_yml = std::fs::read(site.path().join("site.yml")).unwrap();
    for path in [
        "site.yml",
        "../secret.md",
        "/etc/passwd",
        "content/../site.yml",
        "content/./posts/x.md",
        "themes/default/templates/base.html",
        "templates/base.html",
        "assets/elsewhere.png",
        "content/linked/secret.md",
        "content\\..\\site.yml",
    ] {
        let (status, answer) = api(&server, "getEntry", json!({"branch": "main", "path": path}));
        assert_eq!(status, 403, "getEntry {path}: {answer}");
        assert!(
            answer["error"]
                .as_str()
                .unwrap()
                .contains("outside the site's content"),
            "{answer}"
        );
        let (status, _) = api(
            &server,
            "persistEntry",
            persist(path, "---\ntitle: x\n---\n"),
        );
        assert_eq!(status, 403, "persistEntry {path}");
        let (status, _) = api(
            &server,
            "deleteFile",
            json!({"branch": "main", "path": path, "options": {"commitMessage": "x"}}),
        );
        assert_eq!(status, 403, "deleteFile {path}");
        let (status, _) = api(
            &server,
            "persistMedia",
            json!({"branch": "main", "asset": {"path": path, "content": "eA==", "encoding": "base64"}, "options": {"commitMessage": "x"}}),
        );
        assert_eq!(status, 403, "persistMedia {path}");
    }
    let (status, _) = api(
        &server,
        "entriesByFolder",
        json!({"branch": "main", "folder": "content/linked", "extension": "md", "depth": 1}),
    );
    assert_eq!(status, 403);
    let (status, _) = api(
        &server,
        "getMedia",
        json!({"branch": "main", "mediaFolder": "assets"}),
    );
    assert_eq!(status, 403);
    assert_eq!(
        std::fs::read(site.path().join("site.yml")).unwrap(),
        site_yml
    );
    assert_eq!(
        std::fs::read_to_string(outside.path().join("secret.md")).unwrap(),
        "secret"
    );
    assert!(!site.path().join("content/posts/x.md").exists());

    // Inside the content, it answers as decap-server does.
    let (status, entries) = api(
        &server,
        "entriesByFolder",
        json!({"branch": "main", "folder": "content/people", "extension": "md", "depth": 1}),
    );
    assert_eq!(status, 200);
    let paths: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "content/people/2024-01-01-camille-besnard.md",
            "content/people/2024-01-01-yanis-haddad.md"
        ]
    );
    assert!(
        entries[0]["data"]
            .as_str()
            .unwrap()
            .contains("name: \"Camille Besnard\"")
    );
    let (status, info) = api(&server, "info", Value::Null);
    assert_eq!((status, info["type"].clone()), (200, json!("local_fs")));
    let (status, _) = api(&server, "nothingLikeThis", Value::Null);
    assert_eq!(status, 422);
}

#[test]
fn the_api_refuses_other_hosts_and_other_sites_pages() {
    let site = admin_site();
    let server = Server::start(site.path(), &[]);
    let body = json!({"action": "info"}).to_string();
    // DNS rebinding: a name that is not this machine's.
    let (status, _) = send(
        &server.address(),
        "POST",
        "/api/v1",
        &[("Host", "evil.example:1111")],
        &body,
    );
    assert_eq!(status, 403);
    let (status, _) = send(
        &server.address(),
        "GET",
        "/admin/config.yml",
        &[("Host", "evil.example")],
        "",
    );
    assert_eq!(status, 403);
    // A page of another site posting to the preview.
    let (status, _) = send(
        &server.address(),
        "POST",
        "/api/v1",
        &[("Origin", "http://evil.example")],
        &body,
    );
    assert_eq!(status, 403);
    let (status, _) = send(
        &server.address(),
        "POST",
        "/api/v1",
        &[(
            "Host",
            &format!("localhost:{}", server.address().rsplit(':').next().unwrap()),
        )],
        &body,
    );
    assert_eq!(status, 200);
}

/// This machine's address on its network, when it has one (not loopback).
fn network_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    // No packet is sent: connecting a UDP socket only picks the route and so the local address.
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[test]
fn clients_of_other_machines_are_refused() {
    let Some(ip) = network_address() else {
        eprintln!("no network address on this machine: only the loopback case is checked");
        return;
    };
    let site = admin_site();
    let server = Server::start(site.path(), &["--bind", "0.0.0.0"]);
    let port = server.address().rsplit(':').next().unwrap().to_string();
    let from_network = format!("{ip}:{port}");
    let body = json!({"action": "info"}).to_string();
    for host in [from_network.as_str(), &format!("127.0.0.1:{port}")] {
        let (status, text) = send(&from_network, "POST", "/api/v1", &[("Host", host)], &body);
        assert_eq!(status, 403, "{text}");
        let (status, _) = send(&from_network, "GET", "/admin/", &[("Host", host)], "");
        assert_eq!(status, 403);
    }
    // The preview itself is still served to the network when asked with --bind.
    let (status, _) = send(&from_network, "GET", "/", &[], "");
    assert_eq!(status, 200);
    let (status, _) = send(&format!("127.0.0.1:{port}"), "POST", "/api/v1", &[], &body);
    assert_eq!(status, 200);
}

#[test]
fn a_post_breaking_a_rule_is_refused_with_the_build_message_and_nothing_written() {
    let site = admin_site();
    let server = Server::start(site.path(), &["--lang", "en"]);
    let path = "content/posts/2024-02-01-hors-liste.md";
    let raw = "---\ntitle: Hors liste\ntags:\n  - cuisine\nimage: /img/photo.png\n---\nTexte.\n";
    let (status, answer) = api(&server, "persistEntry", persist(path, raw));
    assert_eq!(status, 422, "{answer}");
    let refused = answer["error"].as_str().unwrap().to_string();
    assert!(!site.path().join(path).exists(), "nothing is written");

    // The message is the one the build gives for the same file.
    let copy = admin_site();
    copy.write(path, raw);
    let check = copy.gazette(&["check"]);
    assert!(!check.success());
    let finding = check
        .stdout
        .lines()
        .chain(check.stderr.lines())
        .find(|l| l.contains("cuisine"))
        .unwrap()
        .to_string();
    assert!(
        refused.contains(finding.trim()),
        "refused with:\n{refused}\nbuild says:\n{finding}"
    );

    // An existing post made wrong is refused too, its file untouched.
    let existing = "content/posts/2024-01-10-premier-billet.md";
    let before = std::fs::read(site.path().join(existing)).unwrap();
    let (status, _) = api(
        &server,
        "persistEntry",
        persist(
            existing,
            "---\ntitle: \"Premier billet\"\ntags: [design]\n---\n\nSans image.\n",
        ),
    );
    assert_eq!(status, 422);
    assert_eq!(std::fs::read(site.path().join(existing)).unwrap(), before);

    // A right one is written, with its picture.
    let png = std::fs::read(site.path().join("assets/img/photo.png")).unwrap();
    let mut params = persist(
        "content/posts/2024-02-02-juste.md",
        "---\ntitle: Juste\ntags:\n  - design\nimage: /img/uploads/neuve.png\n---\nTexte.\n",
    );
    params["assets"] = json!([{"path": "assets/img/uploads/neuve.png", "content": base64(&png), "encoding": "base64"}]);
    let (status, answer) = api(&server, "persistEntry", params);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        std::fs::read(site.path().join("assets/img/uploads/neuve.png")).unwrap(),
        png
    );
    assert!(site.gazette(&["check"]).success());
}

#[test]
fn a_record_saved_by_the_editor_changes_only_its_changed_field() {
    let site = admin_site();
    let server = Server::start(site.path(), &[]);
    let path = "content/people/2024-01-01-camille-besnard.md";
    let before = std::fs::read_to_string(site.path().join(path)).unwrap();
    // What Decap sends: every field again, in its own order and quoting.
    let raw = "---\nname: Camille Besnard\nrole: fellow\ntitle: Développeuse principale\nyear: 2024\nbio: Développeuse web passée par une coopérative.\n---\n\nCamille aime les outils simples.\n";
    let (status, answer) = api(&server, "persistEntry", persist(path, raw));
    assert_eq!(status, 200, "{answer}");
    let after = std::fs::read_to_string(site.path().join(path)).unwrap();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(before.lines().count(), after.lines().count(), "{after}");
    assert_eq!(
        changed,
        [(
            "title: \"Développeuse\"",
            "title: \"Développeuse principale\""
        )]
    );
    // A role outside the list is refused.
    let (status, answer) = api(
        &server,
        "persistEntry",
        persist(path, &raw.replace("role: fellow", "role: chef")),
    );
    assert_eq!(status, 422, "{answer}");
    assert_eq!(
        std::fs::read_to_string(site.path().join(path)).unwrap(),
        after
    );
}

#[test]
fn a_build_writes_the_editor_only_when_site_yml_asks() {
    let site = admin_site();
    site.build_ok(&[]);
    assert!(!site.has_output("admin/index.html"));
    let yml = std::fs::read_to_string(site.path().join("site.yml")).unwrap();
    site.write("site.yml", &format!("{yml}admin:\n  publish: true\n  backend: {{name: github, repo: org/site, branch: main}}\n"));
    site.build_ok(&[]);
    assert!(site.output("admin/index.html").contains("decap-cms.js"));
    assert!(site.has_output("admin/decap-cms.js"));
    let config: Value = serde_yaml::from_str(&site.output("admin/config.yml")).unwrap();
    assert_eq!(
        config["backend"],
        json!({"name": "github", "repo": "org/site", "branch": "main"})
    );
    assert!(config.get("local_backend").is_none());
    assert_eq!(config["site_url"], json!("https://atelier.example"));
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                A[((n >> (18 - 6 * i)) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}
