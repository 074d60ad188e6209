//! What the programme's heaviest posts cost a visitor in pictures: the ten posts whose pictures
//! weigh most on the site Jekyll built, each loaded in headless Chromium at 1280 pixels wide from
//! Jekyll's output and from gazette's, scrolled to the end (so that lazy pictures load too), the
//! bytes of every picture read from the browser's own record of what it fetched (Resource Timing,
//! `encodedBodySize`). Together, gazette's pictures of the ten posts must be at least five times
//! lighter (issue 18), and each post's at least twice: a post whose photos were already made
//! small for the web (900-pixel JPEGs of tapestries, last run) gains what WebP gains over JPEG,
//! not more (last run: 8.9× in all; 2.3× to 21.6× by post).
//!
//! Called by corpus_screens.rs, which builds both sites.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;

use crate::browser::{Driver, StaticServer, runtime};
use crate::support::{html, repo_root, select_attrs};

/// How many posts are measured.
const POSTS: usize = 10;
/// How much lighter gazette's pictures of the ten posts must be, together.
const FACTOR: f64 = 5.0;
/// How much lighter each post's pictures must be.
const EACH: f64 = 2.0;

const IMAGE_EXTENSIONS: [&str; 7] = [".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif"];

/// The posts (addresses) of the Jekyll output in `jekyll` whose `<img>` files weigh most.
fn heaviest_posts(jekyll: &Path, address: &str) -> Vec<(u64, String)> {
    let mut posts: Vec<(u64, String)> = walkdir::WalkDir::new(jekyll.join("blog"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            let path = e.path().to_string_lossy().to_string();
            path.ends_with(".html") && !path.contains("/page") && e.depth() >= 4
        })
        .map(|e| {
            let page = html(&std::fs::read_to_string(e.path()).unwrap());
            let weight: u64 = select_attrs(&page, "img", "src")
                .iter()
                .filter_map(|src| {
                    let local = src.strip_prefix(address).unwrap_or(src);
                    let local = local.split(['?', '#']).next()?.strip_prefix('/')?;
                    let decoded = gazette::text::escape::percent_decode_lossy(local);
                    std::fs::metadata(jekyll.join(decoded))
                        .ok()
                        .map(|m| m.len())
                })
                .sum();
            let url = format!(
                "/{}",
                e.path().strip_prefix(jekyll).unwrap().to_string_lossy()
            );
            (weight, url)
        })
        .collect();
    posts.sort_by(|a, b| b.cmp(a));
    posts.truncate(POSTS);
    posts
}

const SCROLL_AND_COUNT: &str = r#"
const done = arguments[arguments.length - 1];
const extensions = arguments[0];
let y = 0;
function step() {
  y += 600;
  window.scrollTo(0, y);
  if (y < document.documentElement.scrollHeight) { setTimeout(step, 60); return; }
  setTimeout(() => {
    let bytes = 0;
    for (const e of performance.getEntriesByType('resource')) {
      const path = new URL(e.name).pathname.toLowerCase();
      if (extensions.some(x => path.endsWith(x))) bytes += e.encodedBodySize;
    }
    done(bytes);
  }, 700);
}
step();
"#;

/// Bytes of pictures each page of `pages` loads, from the site in `root` served on `port`.
fn image_bytes(root: &Path, port: u16, pages: &[(u64, String)]) -> Vec<u64> {
    let _server = StaticServer::start_on(root, port);
    let driver = Driver::start();
    runtime().block_on(async {
        let client = driver.client().await;
        client.set_window_size(1280, 900).await.unwrap();
        let mut all = Vec::new();
        for (_, path) in pages {
            client
                .goto(&format!("http://localhost:{port}{path}"))
                .await
                .unwrap();
            let bytes = client
                .execute_async(SCROLL_AND_COUNT, vec![serde_json::json!(IMAGE_EXTENSIONS)])
                .await
                .unwrap();
            all.push(bytes.as_u64().unwrap_or(0));
        }
        client.close().await.unwrap();
        all
    })
}

/// Measures both sites (built for `http://localhost:{port}`), writes the figures beside the
/// screenshots, and asserts the factors.
pub(crate) fn assert_posts_load_lighter_pictures(jekyll: &Path, ours: &Path, port: u16) {
    let address = format!("http://localhost:{port}");
    let posts = heaviest_posts(jekyll, &address);
    assert_eq!(
        posts.len(),
        POSTS,
        "the corpus has fewer posts than expected"
    );
    let theirs = image_bytes(jekyll, port, &posts);
    let mine = image_bytes(ours, port, &posts);
    let mut report = String::from("post jekyll-bytes gazette-bytes ratio\n");
    let mut under = Vec::new();
    for (((_, path), jekyll_bytes), gazette_bytes) in posts.iter().zip(&theirs).zip(&mine) {
        let ratio = *jekyll_bytes as f64 / (*gazette_bytes).max(1) as f64;
        let _ = writeln!(report, "{path} {jekyll_bytes} {gazette_bytes} {ratio:.1}");
        if ratio < EACH {
            under.push(format!("{path}: {ratio:.1}×"));
        }
    }
    let (total_theirs, total_mine) = (theirs.iter().sum::<u64>(), mine.iter().sum::<u64>());
    let total = total_theirs as f64 / total_mine.max(1) as f64;
    let _ = writeln!(report, "total {total_theirs} {total_mine} {total:.1}");
    let folder = repo_root().join("target/screenshots/eig-site");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("image-bytes.txt"), &report).unwrap();
    println!("{report}");
    assert!(
        total >= FACTOR,
        "the ten posts' pictures are {total:.1}× lighter than on Jekyll's site, not {FACTOR}×"
    );
    assert!(
        under.is_empty(),
        "posts whose pictures are not {EACH}× lighter than on Jekyll's site: {under:?}"
    );
}
