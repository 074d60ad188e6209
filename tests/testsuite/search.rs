//! Search: the index built with the site (`search: true`) and the search page of each built-in
//! theme, in a real browser; the index's words folded and stemmed ("developpement" finds
//! "développement").

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::browser::{Driver, StaticServer, runtime};
use crate::support::{gazette_in, html, select_texts};
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};

/// Types `query` into the search page at `url` and returns, once results show, each result's
/// `{title, tags, kind}` in order, the time from typing to the first result shown (ms), and the
/// bytes the page fetched of the index.
async fn search(client: &fantoccini::Client, url: &str, query: &str) -> (Vec<Value>, f64, u64) {
    client.goto(url).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let ready = client
            .execute(
                "return document.querySelector('[data-search][data-ready]') !== null",
                vec![],
            )
            .await
            .unwrap();
        if ready == json!(true) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the search page of {url} never got ready"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    client
        .execute(
            "window.__t0 = performance.now(); const i = document.querySelector('input[type=search]');
             i.value = arguments[0]; i.dispatchEvent(new Event('input'));",
            vec![json!(query)],
        )
        .await
        .unwrap();
    let found = loop {
        let value = client
            .execute(
                "const items = [...document.querySelectorAll('[data-search-results] li')];
                 if (!items.length) return null;
                 const mark = performance.getEntriesByName('gazette-search-shown').pop();
                 const bytes = performance.getEntriesByType('resource')
                   .filter(e => e.name.includes('/search-index/'))
                   .reduce((sum, e) => sum + (e.encodedBodySize || e.transferSize || 0), 0);
                 return {ms: mark ? mark.startTime - window.__t0 : -1, bytes,
                   items: items.map(li => ({title: li.querySelector('a').textContent,
                     href: li.querySelector('a').getAttribute('href'),
                     tags: (li.querySelector('.search-result__tags') || {}).textContent || '',
                     kind: li.querySelector('.search-result__meta').textContent}))};",
                vec![],
            )
            .await
            .unwrap();
        if !value.is_null() {
            break value;
        }
        assert!(Instant::now() < deadline, "no result for {query} on {url}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    (
        found["items"].as_array().unwrap().clone(),
        found["ms"].as_f64().unwrap_or(-1.0),
        found["bytes"].as_u64().unwrap_or(0),
    )
}

/// The demo site built with `theme` into a folder a static server serves.
fn built_demo(theme: &str) -> (tempfile::TempDir, StaticServer) {
    let site = crate::publish::demo();
    let yml = site.path().join("site.yml");
    let text = std::fs::read_to_string(&yml).unwrap();
    std::fs::write(
        &yml,
        text.replace("  name: default ", &format!("  name: {theme} ")),
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}/");
    let build = gazette_in(
        site.path(),
        &["build", "--base-url", &base, "--output", "public"],
    );
    assert!(build.success(), "{}", build.stderr);
    let server = StaticServer::start_on(&site.path().join("public"), port);
    (site, server)
}

#[test]
#[ignore = "needs chromium and chromedriver: run by .ci/browser.sh"]
fn typing_developpement_finds_the_posts_tagged_developpement_first_in_both_languages_and_themes() {
    let driver = Driver::start();
    for theme in ["default", "dsfr"] {
        let (_site, server) = built_demo(theme);
        runtime().block_on(async {
            let client = driver.client().await;
            for (page, tag) in [("/recherche/", "développement"), ("/en/recherche/", "development")] {
                let url = format!("http://127.0.0.1:{}{page}", server.port());
                let (items, ms, bytes) = search(&client, &url, "developpement").await;
                eprintln!("{theme} {page}: {} results, first shown in {ms:.0} ms, index fetched {bytes} bytes", items.len());
                let tagged = items.iter().take_while(|i| i["tags"].as_str().unwrap().contains(tag)).count();
                assert!(tagged >= 1, "{theme} {page}: the first results are not tagged {tag}: {items:#?}");
                assert!(
                    items[tagged..].iter().all(|i| !i["tags"].as_str().unwrap().contains(tag)),
                    "{theme} {page}: a post tagged {tag} comes after one that is not: {items:#?}"
                );
                assert!(bytes < 300_000, "{bytes}");
            }
            client.close().await.unwrap();
        });
    }
}

/// Opens `url` (a search page with its query in the address) and returns, once results show,
/// the status line and each result's `{tags, kind}`.
async fn results_of(client: &fantoccini::Client, url: &str) -> (String, Vec<Value>) {
    client.goto(url).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found = client
            .execute(
                "const items = [...document.querySelectorAll('[data-search-results] li')];
                 const status = document.querySelector('[data-search-status]').textContent;
                 if (!items.length || !status) return null;
                 return {status, items: items.map(li => ({
                   tags: (li.querySelector('.search-result__tags') || {}).textContent || '',
                   kind: li.querySelector('.search-result__meta').textContent}))};",
                vec![],
            )
            .await
            .unwrap();
        if !found.is_null() {
            return (
                found["status"].as_str().unwrap().to_string(),
                found["items"].as_array().unwrap().clone(),
            );
        }
        assert!(Instant::now() < deadline, "no result on {url}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[test]
#[ignore = "needs chromium and chromedriver: run by .ci/browser.sh"]
fn the_filters_keep_the_documents_of_a_tag_or_of_a_kind() {
    let driver = Driver::start();
    let (site, server) = built_demo("default");
    let meta = meta(&site.path().join("public"), "fr");
    let tagged = meta["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t[1] == "developpement")
        .unwrap()[2]
        .as_u64()
        .unwrap();
    runtime().block_on(async {
        let client = driver.client().await;
        let page = format!("http://127.0.0.1:{}/recherche/", server.port());
        // A tag alone: every document of the tag, and only them.
        let (status, items) = results_of(&client, &format!("{page}?tag=developpement")).await;
        assert!(
            status.starts_with(&tagged.to_string()),
            "{status} ({tagged} tagged)"
        );
        assert!(
            (items.iter()).all(|i| i["tags"].as_str().unwrap().contains("développement")),
            "{items:#?}"
        );
        // A query and a kind: pages only.
        let (_, items) = results_of(&client, &format!("{page}?q=guide&kind=page")).await;
        let label = client
            .execute(
                "return document.querySelector('select[name=kind] option[value=page]').textContent",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            (items.iter()).all(|i| i["kind"] == label),
            "{label}: {items:#?}"
        );
        client.close().await.unwrap();
    });
}

/// The index files of the demo's language `lang`.
fn meta(out: &Path, lang: &str) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(out.join("search-index").join(lang).join("meta.json")).unwrap(),
    )
    .unwrap()
}

#[test]
fn the_demo_builds_a_search_page_and_index_in_each_language() {
    let site = crate::publish::demo();
    let build = gazette_in(site.path(), &["build", "--output", "public"]);
    assert!(build.success(), "{}", build.stderr);
    let out = site.path().join("public");
    for (lang, page) in [
        ("fr", "recherche/index.html"),
        ("en", "en/recherche/index.html"),
    ] {
        let meta = meta(&out, lang);
        assert_eq!(meta["lang"], lang);
        let kinds: Vec<&str> = meta["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        for kind in ["post", "page", "challenges", "people"] {
            assert!(kinds.contains(&kind), "{lang}: {kinds:?}");
        }
        // The slice holding the stem of "développement" lists documents under it.
        let slices = meta["slices"].as_array().unwrap();
        let n = slices
            .iter()
            .position(|s| {
                s[0].as_str().unwrap() <= "developp" && "developp" <= s[1].as_str().unwrap()
            })
            .unwrap();
        let slice: Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(format!("search-index/{lang}/t/{n}.json"))).unwrap(),
        )
        .unwrap();
        let stem = if lang == "en" {
            "developpe"
        } else {
            "developp"
        };
        assert!(
            slice
                .get(stem)
                .is_some_and(|l| l.as_array().unwrap().len() >= 4),
            "{lang}: {stem}"
        );
        let doc = html(&std::fs::read_to_string(out.join(page)).unwrap());
        assert_eq!(select_texts(&doc, "h1").len(), 1);
        assert_eq!(
            crate::support::select_attrs(&doc, "link[data-search-index]", "href"),
            [format!("/search-index/{lang}/meta.json")]
        );
    }
}

/// The figures of search on a big site: `GAZETTE_SEARCH_SITE` names the output folder of a site
/// built with `search: true` and a `search.html` (scripts/bench's 10,000 posts); prints the time
/// from typing to the first result shown and the bytes of index fetched, for a few queries.
#[test]
#[ignore = "needs chromium, chromedriver and GAZETTE_SEARCH_SITE"]
fn search_figures_on_a_big_site() {
    let Ok(out) = std::env::var("GAZETTE_SEARCH_SITE") else {
        return;
    };
    let driver = Driver::start();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = StaticServer::start_on(Path::new(&out), port);
    runtime().block_on(async {
        let client = driver.client().await;
        for query in ["developpement", "données ouvertes", "accessib", "projet"] {
            let url = format!("http://127.0.0.1:{}/search/", server.port());
            let (items, ms, bytes) = search(&client, &url, query).await;
            eprintln!(
                "{query}: {} results shown, first in {ms:.0} ms, {bytes} bytes of index",
                items.len()
            );
            assert!(bytes < 300_000, "{query}: {bytes}");
        }
        client.close().await.unwrap();
    });
}
