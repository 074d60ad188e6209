//! Pictures published in smaller copies: a tiny site with generated photos, built by the real
//! binary; the pages are read with an HTML parser and the copies decoded.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{TestSite, html, select_attrs};
use image::{ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};
use std::fs;
use std::path::Path;

/// A `width`×`height` JPEG of a gradient (something a resizer can get wrong).
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}

/// A `width`×`height` PNG with transparent corners.
fn png(width: u32, height: u32) -> Vec<u8> {
    let img = RgbaImage::from_fn(width, height, |x, _| {
        Rgba([200, 30, 30, if x < 4 { 0 } else { 255 }])
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgba8)
        .unwrap();
    out
}

/// `jpeg` with an EXIF block saying "turn 90° clockwise" (orientation 6) and holding a GPS
/// position, as a phone writes it.
fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let plain = jpeg(width, height);
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0: two entries (orientation, GPS IFD pointer), then no next IFD.
    tiff.extend([0, 2]);
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
    tiff.extend([0, 0, 0, 0]);
    // GPS IFD at 38: latitude reference "N".
    tiff.extend([0, 1]);
    tiff.extend([0x00, 0x01, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend([0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(&tiff);
    let length = (app1.len() + 2) as u16;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend(length.to_be_bytes());
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

fn site_with_pictures() -> TestSite {
    let site = TestSite::fixture("minimal");
    let img = site.path().join("assets/img");
    fs::create_dir_all(&img).unwrap();
    fs::write(img.join("grande photo.jpg"), jpeg(2000, 1000)).unwrap();
    fs::write(img.join("logo.png"), png(300, 100)).unwrap();
    fs::write(img.join("tournee.jpg"), jpeg_with_exif(400, 200)).unwrap();
    fs::write(img.join("casse.jpg"), b"not a picture at all").unwrap();
    site.write(
        "content/posts/2024-02-01-photos.md",
        "---\ntitle: Photos\n---\n![Une grande photo](/img/grande%20photo.jpg)\n\n![Le logo](/img/logo.png)\n\n![](/img/tournee.jpg)\n\n![Cassée](/img/casse.jpg)\n",
    );
    site
}

fn post_images(site: &TestSite) -> Vec<scraper::ElementRef<'static>> {
    let page = site.output("blog/2024/02/01/photos.html");
    let doc: &'static scraper::Html = Box::leak(Box::new(html(&page)));
    let selector = scraper::Selector::parse(".content img").unwrap();
    doc.select(&selector).collect()
}

fn decoded_size(path: &Path) -> (u32, u32) {
    let img = image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (img.width(), img.height())
}

#[test]
fn images_get_webp_copies_srcset_and_real_sizes() {
    let site = site_with_pictures();
    let run = site.build_ok(&[]);
    let imgs = post_images(&site);
    assert_eq!(imgs.len(), 4);
    let photo = imgs[0].value();
    assert_eq!(photo.attr("width"), Some("1600"));
    assert_eq!(photo.attr("height"), Some("800"));
    assert_eq!(photo.attr("src"), Some("/img/grande%20photo.1600w.jpg"));
    assert!(
        photo.attr("loading").is_none(),
        "the first picture is not lazy"
    );
    assert_eq!(photo.attr("decoding"), Some("async"));
    let srcset = photo.attr("srcset").unwrap();
    assert_eq!(
        srcset,
        "/img/grande%20photo.480w.webp 480w, /img/grande%20photo.960w.webp 960w, /img/grande%20photo.1600w.webp 1600w"
    );
    assert!(photo.attr("sizes").is_some());
    for (name, w, h) in [
        ("480w.webp", 480, 240),
        ("960w.webp", 960, 480),
        ("1600w.webp", 1600, 800),
        ("1600w.jpg", 1600, 800),
    ] {
        let path = site.path().join(format!("public/img/grande photo.{name}"));
        assert_eq!(decoded_size(&path), (w, h), "{name}");
    }
    // A picture narrower than the widest width is not enlarged; PNG keeps its format.
    let logo = imgs[1].value();
    assert_eq!(logo.attr("loading"), Some("lazy"));
    assert_eq!(logo.attr("src"), Some("/img/logo.300w.png"));
    assert_eq!(
        (logo.attr("width"), logo.attr("height")),
        (Some("300"), Some("100"))
    );
    assert_eq!(logo.attr("srcset"), Some("/img/logo.300w.webp 300w"));
    // Turned upright, metadata gone.
    let turned = imgs[2].value();
    assert_eq!(
        (turned.attr("width"), turned.attr("height")),
        (Some("200"), Some("400"))
    );
    for name in ["tournee.200w.jpg", "tournee.200w.webp"] {
        let path = site.path().join("public/img").join(name);
        assert_eq!(decoded_size(&path), (200, 400), "{name}");
        let bytes = fs::read(&path).unwrap();
        assert!(
            !bytes.windows(4).any(|w| w == b"Exif" || w == b"EXIF"),
            "{name} keeps EXIF"
        );
    }
    // The source itself, still published for old links, lost its GPS block but not its orientation.
    let original = fs::read(site.path().join("public/img/tournee.jpg")).unwrap();
    assert!(
        !original.windows(2).any(|w| w == [0x88, 0x25]),
        "GPS pointer kept"
    );
    let mut decoder = image::ImageReader::new(std::io::Cursor::new(&original))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    use image::ImageDecoder;
    assert_eq!(
        decoder.orientation().unwrap(),
        image::metadata::Orientation::Rotate90
    );
    assert_eq!(image::load_from_memory(&original).unwrap().width(), 400);
    // A broken file: a warning naming it, the page keeps the original.
    assert_eq!(imgs[3].value().attr("src"), Some("/img/casse.jpg"));
    assert!(run.stderr.contains("casse.jpg"), "{}", run.stderr);
    assert!(run.stderr.contains("cannot be read"), "{}", run.stderr);
    assert!(
        format!("{}{}", run.stdout, run.stderr)
            .contains("3 made smaller now, 0 taken from the cache"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_second_build_takes_every_copy_from_the_cache() {
    let site = site_with_pictures();
    site.build_ok(&[]);
    let first = site.output("blog/2024/02/01/photos.html");
    let run = site.build_ok(&[]);
    assert!(
        format!("{}{}", run.stdout, run.stderr)
            .contains("0 made smaller now, 3 taken from the cache"),
        "{}",
        run.stderr
    );
    assert_eq!(site.output("blog/2024/02/01/photos.html"), first);
    // The same bytes under another name are not made again either.
    fs::copy(
        site.path().join("assets/img/logo.png"),
        site.path().join("assets/img/logo2.png"),
    )
    .unwrap();
    site.write(
        "content/posts/2024-02-02-logo.md",
        "---\ntitle: Logo\n---\n![Le logo](/img/logo2.png)\n",
    );
    let run = site.build_ok(&[]);
    assert!(
        format!("{}{}", run.stdout, run.stderr)
            .contains("0 made smaller now, 4 taken from the cache"),
        "{}",
        run.stderr
    );
    assert!(site.has_output("img/logo2.300w.webp"));
}

#[test]
fn images_can_be_published_as_they_are() {
    let site = site_with_pictures();
    let config = fs::read_to_string(site.path().join("site.yml")).unwrap();
    site.write("site.yml", &format!("{config}images:\n  process: false\n"));
    site.build_ok(&[]);
    let srcs: Vec<String> = select_attrs(
        &html(&site.output("blog/2024/02/01/photos.html")),
        ".content img",
        "src",
    );
    assert_eq!(srcs[0], "/img/grande%20photo.jpg");
    assert!(!site.has_output("img/logo.300w.webp"));
}

#[test]
fn check_warns_about_missing_alt_text_and_heavy_pictures() {
    let site = site_with_pictures();
    let config = fs::read_to_string(site.path().join("site.yml")).unwrap();
    site.write("site.yml", &format!("{config}images:\n  max_kb: 1\n"));
    let run = site.gazette(&["check"]);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(
        all.contains("content/posts/2024-02-01-photos.md:8"),
        "{all}"
    );
    assert!(all.contains("has no description"), "{all}");
    assert!(all.contains("once made smaller"), "{all}");
    assert!(
        all.contains("\nassets/img/grande photo.jpg: warning"),
        "{all}"
    );
}

#[test]
fn the_default_theme_shows_a_post_cover_from_its_copies() {
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        "title: Essai\nbase_url: https://essai.example\nlanguage: fr\n",
    );
    fs::create_dir_all(site.path().join("assets/img")).unwrap();
    fs::write(
        site.path().join("assets/img/couverture.jpg"),
        jpeg(3000, 2000),
    )
    .unwrap();
    site.write(
        "content/posts/2024-03-01-couverture.md",
        "---\ntitle: Couverture\nimage: /img/couverture.jpg\n---\nUn billet illustré.\n",
    );
    site.build_ok(&[]);
    let page = html(&site.output("blog/2024/03/01/couverture.html"));
    let og = select_attrs(&page, r#"meta[property="og:image"]"#, "content");
    assert_eq!(
        og,
        vec!["https://essai.example/img/couverture.card.jpg".to_string()]
    );
    let og_width = select_attrs(&page, r#"meta[property="og:image:width"]"#, "content");
    assert_eq!(og_width, vec!["1200".to_string()]);
    // The social card: the centre of the photo at the networks' 1200×630.
    assert_eq!(
        decoded_size(&site.path().join("public/img/couverture.card.jpg")),
        (1200, 630)
    );
    let cover = page
        .select(&scraper::Selector::parse(".post__image").unwrap())
        .next()
        .unwrap();
    let cover = cover.value();
    assert_eq!(
        (cover.attr("width"), cover.attr("height")),
        (Some("1600"), Some("1067"))
    );
    assert_eq!(cover.attr("sizes"), Some("(max-width: 42rem) 100vw, 42rem"));
    assert!(
        cover
            .attr("srcset")
            .unwrap()
            .contains("/img/couverture.960w.webp 960w")
    );
    assert!(site.has_output("img/couverture.1600w.webp"));
}

#[test]
fn social_networks_get_a_raster_picture_with_its_size_in_both_themes() {
    for theme in ["default", "dsfr"] {
        let site = TestSite::empty_with_theme();
        crate::support::copy_dir(
            &crate::support::repo_root().join("themes/dsfr"),
            &site.path().join("themes/dsfr"),
        );
        site.write(
            "site.yml",
            &format!(
                "title: Essai\nbase_url: https://essai.example\nlanguage: fr\ntheme: {theme}\n"
            ),
        );
        fs::create_dir_all(site.path().join("assets/img")).unwrap();
        fs::write(site.path().join("assets/img/photo.jpg"), jpeg(2000, 1000)).unwrap();
        site.write(
            "assets/img/dessin.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
        site.write(
            "content/posts/2024-03-01-photo.md",
            "---\ntitle: Photo\nimage: /img/photo.jpg\n---\nTexte.\n",
        );
        site.write(
            "content/posts/2024-03-02-dessin.md",
            "---\ntitle: Dessin\nimage: /img/dessin.svg\n---\nTexte.\n",
        );
        site.build_ok(&[]);
        let meta = |page: &str, property: &str| {
            select_attrs(
                &html(page),
                &format!(r#"meta[property="{property}"]"#),
                "content",
            )
        };
        let photo = site.output("blog/2024/03/01/photo.html");
        assert_eq!(
            meta(&photo, "og:image"),
            vec!["https://essai.example/img/photo.card.jpg".to_string()],
            "{theme}"
        );
        assert_eq!(
            meta(&photo, "og:image:height"),
            vec!["630".to_string()],
            "{theme}"
        );
        // An SVG is shown by no social network: the theme's own raster card stands in.
        for page in [
            site.output("blog/2024/03/02/dessin.html"),
            site.output("index.html"),
        ] {
            let image = meta(&page, "og:image");
            assert_eq!(
                image,
                vec!["https://essai.example/img/og-default.png".to_string()],
                "{theme}"
            );
            assert_eq!(meta(&page, "og:image:width"), vec!["1200".to_string()]);
            assert_eq!(meta(&page, "og:image:height"), vec!["630".to_string()]);
            assert_eq!(meta(&page, "og:image:alt"), vec!["Essai".to_string()]);
        }
        let card = site.path().join("public/img/og-default.png");
        assert_eq!(decoded_size(&card), (1200, 630), "{theme}");
    }
}

#[test]
fn the_preview_makes_a_copy_named_by_resize_image_when_it_is_asked_for() {
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        "title: Essai\nbase_url: https://essai.example\nlanguage: fr\n",
    );
    fs::create_dir_all(site.path().join("assets/img")).unwrap();
    fs::write(
        site.path().join("assets/img/couverture.jpg"),
        jpeg(1200, 800),
    )
    .unwrap();
    site.write(
        "content/posts/2024-03-01-couverture.md",
        "---\ntitle: Couverture\nimage: /img/couverture.jpg\n---\nUn billet illustré.\n",
    );
    let server = crate::serve::Server::start(site.path(), &[]);
    let (status, _, page) = server.get("/blog/2024/03/01/couverture.html");
    assert_eq!(status, 200);
    let og = select_attrs(&html(&page), r#"meta[property="og:image"]"#, "content");
    let path = og[0].trim_start_matches("http://localhost").to_string();
    let path = &path[path.find("/img/").unwrap()..];
    assert_eq!(path, "/img/couverture.card.jpg");
    let (status, headers, _) = server.get(path);
    assert_eq!(status, 200, "{headers}");
    assert!(
        headers.to_ascii_lowercase().contains("image/jpeg"),
        "{headers}"
    );
    let (status, headers, _) = server.get("/img/couverture.1200w.jpg");
    assert_eq!(status, 200, "{headers}");
    let (status, headers, _) = server.get("/img/couverture.480w.webp");
    assert_eq!(status, 200, "{headers}");
    assert!(headers.contains("image/webp"), "{headers}");
    let (status, _, _) = server.get("/img/couverture.777w.webp");
    assert_eq!(status, 404);
}

#[test]
fn a_video_written_as_an_image_loads_nothing_from_its_host_until_asked() {
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        "title: Essai\nbase_url: https://essai.example\nlanguage: fr\n",
    );
    site.write(
        "content/posts/2024-03-02-video.md",
        "---\ntitle: Vidéo\n---\n![Le bootcamp en images](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n",
    );
    site.build_ok(&[]);
    let text = site.output("blog/2024/03/02/video.html");
    let page = html(&text);
    assert!(select_attrs(&page, "iframe", "src").is_empty());
    assert_eq!(
        select_attrs(&page, ".video-embed", "data-embed"),
        vec!["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ".to_string()]
    );
    // Every address the page loads by itself (src, stylesheets) is on the site.
    for (selector, attribute) in [("[src]", "src"), ("link[rel=stylesheet]", "href")] {
        for address in select_attrs(&page, selector, attribute) {
            assert!(
                !address.contains("youtube"),
                "{address} loaded before the click"
            );
        }
    }
    let link = select_attrs(&page, ".video-embed a", "href");
    assert_eq!(
        link,
        vec!["https://www.youtube.com/watch?v=dQw4w9WgXcQ".to_string()]
    );
    let button = crate::support::select_texts(&page, ".video-embed button");
    assert_eq!(button, vec!["Charger la vidéo depuis YouTube".to_string()]);
    assert!(site.has_output("js/embeds.js"));
}

/// Every host the open page requested, from the browser's own network log.
const HOSTS_REQUESTED: &str = r#"
const hosts = new Set();
for (const e of [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]) {
  hosts.add(new URL(e.name).host);
}
return [...hosts];
"#;

#[test]
#[ignore = "needs chromium and chromedriver: run by .ci/run"]
fn in_a_browser_a_video_requests_nothing_from_its_host_before_the_click() {
    use crate::browser::{Driver, StaticServer, runtime};
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        "title: Essai\nbase_url: https://essai.example\nlanguage: fr\n",
    );
    site.write(
        "content/posts/2024-03-02-video.md",
        "---\ntitle: Vidéo\n---\nAvant.\n\n![Le bootcamp en images](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n",
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}/");
    let run = site.gazette(&["build", "--base-url", &base, "--output", "public"]);
    assert!(run.success(), "{}", run.stderr);
    let _server = StaticServer::start_on(&site.path().join("public"), port);
    let driver = Driver::start();
    runtime().block_on(async {
        let client = driver.client().await;
        client
            .goto(&format!(
                "http://127.0.0.1:{}/blog/2024/03/02/video.html",
                port
            ))
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let hosts = client.execute(HOSTS_REQUESTED, vec![]).await.unwrap();
        let hosts: Vec<String> = serde_json::from_value(hosts).unwrap();
        assert_eq!(
            hosts,
            vec![format!("127.0.0.1:{port}")],
            "requested before the click"
        );
        let button = client
            .find(fantoccini::Locator::Css(".video-embed__load"))
            .await
            .unwrap();
        button.click().await.unwrap();
        let src = client
            .execute(
                "return document.querySelector('iframe') && document.querySelector('iframe').src",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            src,
            serde_json::json!("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
        );
        client.close().await.unwrap();
    });
}

#[test]
fn the_same_bytes_under_many_names_are_all_published_in_one_cold_build() {
    let site = TestSite::fixture("minimal");
    let img = site.path().join("assets/img");
    fs::create_dir_all(&img).unwrap();
    let bytes = jpeg(1000, 500);
    let mut body = String::from("---\ntitle: Copies\n---\n");
    for i in 0..8 {
        fs::write(img.join(format!("copie-{i}.jpg")), &bytes).unwrap();
        body.push_str(&format!("![Copie {i}](/img/copie-{i}.jpg)\n\n"));
    }
    site.write("content/posts/2024-02-03-copies.md", &body);
    site.build_ok(&[]);
    for i in 0..8 {
        let path = site.path().join(format!("public/img/copie-{i}.960w.webp"));
        assert_eq!(decoded_size(&path), (960, 480));
    }
    let leftovers: Vec<_> = fs::read_dir(site.path().join(".gazette-cache/images"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
#[ignore = "needs chromium and chromedriver: run by .ci/run"]
fn in_a_browser_a_photo_loads_as_a_small_webp() {
    use crate::browser::{Driver, StaticServer, runtime};
    let site = TestSite::fixture("minimal");
    fs::create_dir_all(site.path().join("assets/img")).unwrap();
    // Noise: a photo that compresses as badly as a camera's.
    let noisy = RgbImage::from_fn(3000, 2000, |x, y| {
        let n = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)).wrapping_mul(2_654_435_761);
        Rgb([(n >> 8) as u8, (n >> 16) as u8, (n >> 24) as u8])
    });
    let mut original = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut original, 92)
        .encode_image(&noisy)
        .unwrap();
    fs::write(site.path().join("assets/img/photo.jpg"), &original).unwrap();
    site.write(
        "content/posts/2024-02-04-photo.md",
        "---\ntitle: Photo\n---\n![Une photo](/img/photo.jpg)\n",
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}/");
    let run = site.gazette(&["build", "--base-url", &base, "--output", "public"]);
    assert!(run.success(), "{}", run.stderr);
    let _server = StaticServer::start_on(&site.path().join("public"), port);
    let driver = Driver::start();
    runtime().block_on(async {
        let client = driver.client().await;
        client
            .goto(&format!(
                "http://127.0.0.1:{port}/blog/2024/02/04/photo.html"
            ))
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let loaded = client
            .execute(
                "const img = document.querySelector('img'); \
                 const entry = performance.getEntriesByName(img.currentSrc)[0]; \
                 return [img.currentSrc, entry ? entry.transferSize : -1, img.naturalWidth];",
                vec![],
            )
            .await
            .unwrap();
        let (src, bytes) = (loaded[0].as_str().unwrap(), loaded[1].as_u64().unwrap());
        assert!(src.ends_with(".webp"), "{loaded}");
        assert!(
            bytes * 5 < original.len() as u64,
            "{loaded} vs {}",
            original.len()
        );
        client.close().await.unwrap();
    });
}

#[test]
fn a_captioned_photo_is_a_figure_whose_picture_gets_its_copies() {
    let site = site_with_pictures();
    site.write(
        "content/posts/2024-02-03-legende.md",
        "---\ntitle: Légende\n---\nAvant.\n\n![Une grande photo](/img/grande%20photo.jpg \"L'atelier du 12 mars, à Lyon\")\n\nTexte ![Le logo](/img/logo.png \"Pas une figure\") dans une phrase.\n",
    );
    site.build_ok(&[]);
    let doc = html(&site.output("blog/2024/02/03/legende.html"));
    let figures: Vec<_> = doc
        .select(&scraper::Selector::parse(".content figure").unwrap())
        .collect();
    assert_eq!(figures.len(), 1, "one figure");
    let figure = figures[0];
    let caption: Vec<String> = figure
        .select(&scraper::Selector::parse("figcaption").unwrap())
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(caption, ["L’atelier du 12 mars, à Lyon"]);
    let img = figure
        .select(&scraper::Selector::parse("img").unwrap())
        .next()
        .unwrap();
    let img = img.value();
    assert_eq!(img.attr("alt"), Some("Une grande photo"));
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("1600"), Some("800"))
    );
    assert!(img.attr("srcset").unwrap().contains(".480w.webp 480w"));
    assert_eq!(
        img.attr("title"),
        None,
        "the caption is not repeated as a tooltip"
    );
    // The image inside a sentence stays in its paragraph, with its title.
    let inline = select_attrs(&doc, ".content p img", "title");
    assert_eq!(inline, ["Pas une figure"]);
}

/// The names of the entries of the image cache (folders of copies and cards).
fn cache_entries(site: &TestSite) -> Vec<String> {
    let cache = site.path().join(".gazette-cache/images");
    let mut names: Vec<String> = fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.len() == 16)
        .collect();
    if let Ok(cards) = fs::read_dir(cache.join("cards")) {
        names.extend(
            cards
                .flatten()
                .map(|e| format!("cards/{}", e.file_name().to_string_lossy())),
        );
    }
    names.sort();
    names
}

#[test]
fn copies_no_longer_used_leave_the_cache_after_a_build() {
    let site = site_with_pictures();
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("no longer used"), "{}", run.stderr);
    let before = cache_entries(&site);
    assert_eq!(before.len(), 3, "{before:?}");
    // Not gazette's: never removed.
    site.write(".gazette-cache/images/LISEZMOI.txt", "à moi");
    // The logo leaves the post, the photo is replaced by other bytes.
    fs::write(
        site.path().join("assets/img/grande photo.jpg"),
        jpeg(1200, 600),
    )
    .unwrap();
    site.write(
        "content/posts/2024-02-01-photos.md",
        "---\ntitle: Photos\n---\n![Une grande photo](/img/grande%20photo.jpg)\n\n![](/img/tournee.jpg)\n",
    );
    let run = site.build_ok(&[]);
    assert!(
        run.stderr.contains(
            "1 made smaller now, 1 taken from the cache, 2 no longer used removed from it"
        ),
        "{}",
        run.stderr
    );
    let after = cache_entries(&site);
    assert_eq!(after.len(), 2, "{after:?}");
    assert_eq!(
        before.iter().filter(|e| after.contains(e)).count(),
        1,
        "the turned photo's copies stay: {before:?} {after:?}"
    );
    assert!(
        site.path()
            .join(".gazette-cache/images/LISEZMOI.txt")
            .is_file()
    );
    // Every copy the pages name is still published and readable.
    for src in post_images(&site)
        .iter()
        .filter_map(|i| i.value().attr("src"))
    {
        assert!(
            site.has_output(&src.trim_start_matches('/').replace("%20", " ")),
            "{src}"
        );
    }
    // Nothing more to remove: the line says nothing about it; the next build takes all from the cache.
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("no longer used"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("0 made smaller now, 2 taken from the cache"),
        "{}",
        run.stderr
    );
    // In French for a French site.
    site.write(
        "content/posts/2024-02-01-photos.md",
        "---\ntitle: Photos\n---\n![](/img/tournee.jpg)\n",
    );
    let run = site.gazette_native(&["build"]);
    assert!(
        run.stderr.contains("1 qui ne servaient plus retirées"),
        "{}",
        run.stderr
    );
}
