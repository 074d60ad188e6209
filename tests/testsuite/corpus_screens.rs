//! What a visitor sees: the programme's real site built by real Jekyll (../shared/corpus/
//! jekyll-reference.sh with `JEKYLL_LOCAL=1`, for http://localhost:4000) and the same site imported
//! and built by gazette (`--base-url http://localhost:4000`), each served in turn on port 4000 and
//! shown in headless Chromium at 1280 and 390 pixels wide. The first screen of ten pages is
//! compared pixel by pixel; every pair must be at least 95 % alike. Pages run no script in both
//! browsers, so the home page's slider rests on its first slide in both.
//!
//! The pairs and their scores are written to target/screenshots/eig-site/ for a person to look at.
//! The same two sites then serve corpus_image_bytes.rs: the pictures of the heaviest posts.
//! Needs chromium, chromium-driver and jekyll (run by .ci/run through .ci/browser.sh).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::browser::{Driver, StaticServer, runtime};
use crate::support::{gazette_in, import_jekyll, repo_root};

/// Both sites are built for this address (the corpus's own `_config_dev.yml` says so).
const PORT: u16 = 4000;
const WIDTHS: [u32; 2] = [1280, 390];
const HEIGHT: u32 = 900;
/// The share of alike pixels every pair must reach.
const BAR: f64 = 0.95;
/// Two pixels are alike when no channel differs by more than this (antialiasing, JPEG decoding).
const TOLERANCE: u8 = 24;

/// The first file (in path order) of the Jekyll output under `folder` whose path matches.
fn first_page(root: &Path, folder: &str) -> String {
    let mut found: Vec<String> = walkdir::WalkDir::new(root.join(folder))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            format!(
                "/{}",
                e.path().strip_prefix(root).unwrap().to_string_lossy()
            )
        })
        .collect();
    found.sort();
    found.into_iter().next().expect("a page")
}

/// The pages of the issue: home, blog, a post, challenges, a challenge, people, a person,
/// presentation, the English home, the terms of use.
fn pages(jekyll: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("home", "/".into()),
        ("blog", "/blog/".into()),
        ("post", first_page(jekyll, "blog/2019")),
        ("defis", "/defis.html".into()),
        ("defi", first_page(jekyll, "defis")),
        ("communaute", "/communaute.html".into()),
        ("personne", first_page(jekyll, "communaute")),
        ("presentation", "/presentation.html".into()),
        ("en", "/en/".into()),
        ("cgu", "/cgu.html".into()),
    ]
}

/// First-screen screenshots of `pages` of the site in `root`, served on [`PORT`].
fn screenshots(
    driver: &Driver,
    root: &Path,
    pages: &[(&'static str, String)],
) -> BTreeMap<(String, u32), Vec<u8>> {
    let _server = StaticServer::start_on(root, PORT);
    runtime().block_on(async {
        let client = driver.client_without_scripts().await;
        let mut shots = BTreeMap::new();
        for width in WIDTHS {
            client.set_window_size(width, HEIGHT).await.unwrap();
            for (name, path) in pages {
                client
                    .goto(&format!("http://localhost:{PORT}{path}"))
                    .await
                    .unwrap();
                // Fonts and images of the page come from the same server: let them arrive.
                std::thread::sleep(std::time::Duration::from_millis(300));
                let png = client.screenshot().await.unwrap();
                shots.insert(((*name).to_string(), width), png);
            }
        }
        client.close().await.unwrap();
        shots
    })
}

/// RGBA pixels and size of a PNG.
fn decode(png: &[u8]) -> (Vec<u8>, u32, u32) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(info.buffer_size());
    (pixels, info.width, info.height)
}

/// The share of pixels alike in two screenshots (pixels outside the smaller one count as unlike).
fn pixel_similarity(a: &[u8], b: &[u8]) -> f64 {
    let (a, aw, ah) = decode(a);
    let (b, bw, bh) = decode(b);
    let (w, h) = (aw.max(bw), ah.max(bh));
    let mut alike = 0u64;
    for y in 0..ah.min(bh) {
        for x in 0..aw.min(bw) {
            let (ia, ib) = (((y * aw + x) * 4) as usize, ((y * bw + x) * 4) as usize);
            if (0..3).all(|c| a[ia + c].abs_diff(b[ib + c]) <= TOLERANCE) {
                alike += 1;
            }
        }
    }
    alike as f64 / (u64::from(w) * u64::from(h)) as f64
}

#[test]
#[ignore = "needs chromium, chromedriver, jekyll and the corpus: run by .ci/run through .ci/browser.sh"]
fn the_imported_site_looks_like_the_site_jekyll_built() {
    let src =
        crate::import_corpus::corpus().expect("set GAZETTE_CORPUS to ../shared/corpus/eig-site");
    let tmp = tempfile::tempdir().unwrap();
    let jekyll = tmp.path().join("jekyll");
    std::fs::create_dir_all(&jekyll).unwrap();
    let script = src.parent().unwrap().join("jekyll-reference.sh");
    let built = Command::new("sh")
        .arg(&script)
        .arg(&src)
        .arg(&jekyll)
        .env("JEKYLL_LOCAL", "1")
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "real Jekyll failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let (_, site) = import_jekyll(&src, tmp.path());
    let ours: PathBuf = tmp.path().join("gazette");
    let base_url = format!("http://localhost:{PORT}");
    let run = gazette_in(
        &site,
        &[
            "build",
            "--base-url",
            &base_url,
            "--output",
            ours.to_str().unwrap(),
        ],
    );
    assert!(run.success(), "build failed:\n{}", run.stderr);

    let pages = pages(&jekyll);
    // A browser (and profile) for each site: both are served at the same address, and a shared
    // cache would show the first site's styles and pictures on the second's pages.
    let theirs = screenshots(&Driver::start(), &jekyll, &pages);
    let mine = screenshots(&Driver::start(), &ours, &pages);

    let folder = repo_root().join("target/screenshots/eig-site");
    std::fs::create_dir_all(&folder).unwrap();
    let mut report = String::from("page width jekyll-vs-gazette\n");
    let mut under = Vec::new();
    for ((name, width), jekyll_png) in &theirs {
        let gazette_png = &mine[&(name.clone(), *width)];
        std::fs::write(
            folder.join(format!("{name}-{width}-jekyll.png")),
            jekyll_png,
        )
        .unwrap();
        std::fs::write(
            folder.join(format!("{name}-{width}-gazette.png")),
            gazette_png,
        )
        .unwrap();
        let score = pixel_similarity(jekyll_png, gazette_png);
        let _ = writeln!(report, "{name} {width} {score:.4}");
        if score < BAR {
            under.push(format!("{name} at {width}px: {score:.4}"));
        }
    }
    std::fs::write(folder.join("scores.txt"), &report).unwrap();
    println!("{report}(pairs in {})", folder.display());
    let explained = exceptions();
    let unexplained: Vec<&String> = under
        .iter()
        .filter(|u| {
            !explained
                .iter()
                .any(|name| u.starts_with(&format!("{name} at ")))
        })
        .collect();
    assert!(
        unexplained.is_empty(),
        "pages under {BAR} pixel similarity that tests/expected/eig-site-screens-exceptions.txt does not explain: {unexplained:?} (see {})",
        folder.display()
    );
    crate::corpus_image_bytes::assert_posts_load_lighter_pictures(&jekyll, &ours, PORT);
    let stale: Vec<&String> = explained
        .iter()
        .filter(|name| !under.iter().any(|u| u.starts_with(&format!("{name} at "))))
        .collect();
    assert!(
        stale.is_empty(),
        "pages explained in tests/expected/eig-site-screens-exceptions.txt that now reach {BAR}: remove them: {stale:?}"
    );
}

/// Names of the pages the exceptions file explains.
fn exceptions() -> Vec<String> {
    std::fs::read_to_string(repo_root().join("tests/expected/eig-site-screens-exceptions.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}
