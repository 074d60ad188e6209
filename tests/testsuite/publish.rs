//! Publishing under a sub-path (a GitHub or GitLab Pages project site): every root-relative
//! address of every page is under the base path and leads to a file of the output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{copy_dir, gazette_in, html, repo_root, select_attrs};

/// A copy of the demo site (the repository's own content, theme and assets).
pub(crate) fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "assets", "themes"] {
        copy_dir(&repo_root().join(part), &dir.path().join(part));
    }
    std::fs::copy(repo_root().join("site.yml"), dir.path().join("site.yml")).unwrap();
    dir
}

/// Every address in `href`, `src` and `srcset` of every HTML page of `out`.
fn addresses(out: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = entry
            .path()
            .strip_prefix(out)
            .unwrap()
            .display()
            .to_string();
        let doc = html(&std::fs::read_to_string(entry.path()).unwrap());
        for (selector, attr) in [("[href]", "href"), ("[src]", "src"), ("[srcset]", "srcset")] {
            for value in select_attrs(&doc, selector, attr) {
                for candidate in value.split(',') {
                    let url = candidate
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_string();
                    found.push((page.clone(), url));
                }
            }
        }
    }
    found
}

#[test]
fn under_a_sub_path_every_link_stays_under_it_and_leads_somewhere() {
    let site = demo();
    let base = "http://127.0.0.1:8000/sous-dossier/";
    let build = gazette_in(site.path(), &["build", "--base-url", base]);
    assert!(build.success(), "{}", build.stderr);
    let out = site.path().join("public");
    let mut broken = BTreeSet::new();
    let mut checked = 0;
    for (page, url) in addresses(&out) {
        let local = if let Some(rest) = url.strip_prefix("http://127.0.0.1:8000") {
            rest.to_string()
        } else if url.starts_with('/') && !url.starts_with("//") {
            url.clone()
        } else {
            continue;
        };
        let Some(inside) = local.strip_prefix("/sous-dossier/") else {
            broken.insert(format!("{page}: {url} leaves /sous-dossier/"));
            continue;
        };
        let path = inside.split(['#', '?']).next().unwrap_or("");
        let file = gazette::text::url::output_path(&format!("/{path}"));
        let decoded = gazette::text::escape::percent_decode_lossy(&file);
        if !out.join(&decoded).is_file() && !out.join(path).is_file() {
            broken.insert(format!("{page}: {url} leads to no file"));
        }
        checked += 1;
    }
    assert!(checked > 1000, "only {checked} addresses checked");
    assert!(broken.is_empty(), "{} broken: {broken:#?}", broken.len());
    // The content rules (internal links included) agree.
    let check = gazette_in(site.path(), &["check", "--base-url", base]);
    assert!(check.success(), "{}", check.stderr);
}

#[test]
fn a_link_written_without_the_base_path_is_reported() {
    let site = demo();
    // Root-relative addresses are put under the base path at render time; an address naming the
    // host without the base path leaves the published site: it is an error.
    let yml = std::fs::read_to_string(site.path().join("site.yml")).unwrap();
    std::fs::write(
        site.path().join("site.yml"),
        yml.replace(
            "https://demo.gazette.example",
            "https://demo.gazette.example/site",
        ),
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/pages/sortie.md"),
        "---\ntitle: Sortie\n---\n\n[Hors du site](https://demo.gazette.example/blog/)\n",
    )
    .unwrap();
    let check = gazette_in(site.path(), &["check", "--format", "json"]);
    assert!(
        check
            .stdout
            .lines()
            .any(|l| l.contains("content/pages/sortie.md") && l.contains("\"error\"")),
        "{}{}",
        check.stdout,
        check.stderr
    );
}

/// The preview serves the site under its base path, as the host will.
#[test]
fn the_preview_serves_the_site_under_its_base_path() {
    let site = crate::support::TestSite::fixture_with_theme("serve_site");
    let yml = std::fs::read_to_string(site.path().join("site.yml")).unwrap();
    let base_line = yml
        .lines()
        .find(|l| l.starts_with("base_url:"))
        .unwrap()
        .to_string();
    site.write(
        "site.yml",
        &yml.replace(
            &base_line,
            "base_url: \"https://org.example/sous-dossier/\"",
        ),
    );
    let server = crate::serve::Server::start(site.path(), &[]);
    assert!(server.url.ends_with("/sous-dossier/"), "{}", server.url);
    let root = server.url.trim_end_matches("sous-dossier/").to_string();
    let address = root.trim_start_matches("http://").trim_end_matches('/');
    let (status, head, _) = crate::serve::raw_get(address, "/");
    assert_eq!(status, 302, "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("location: /sous-dossier/"),
        "{head}"
    );
    let (status, _, body) = crate::serve::raw_get(address, "/sous-dossier/");
    assert_eq!(status, 200);
    assert!(body.contains("href=\"/sous-dossier/"), "{body}");
    assert_eq!(crate::serve::raw_get(address, "/sous-dossier/blog/").0, 200);
    assert_eq!(crate::serve::raw_get(address, "/blog/").0, 404);
    // Absolute addresses (canonical, og:url, a page's own address) lead to the preview itself,
    // under the base path, never to the published site.
    let doc = crate::support::html(&body);
    let canonical = crate::support::select_attrs(&doc, "link[rel=canonical]", "href");
    assert_eq!(canonical, vec![server.url.clone()], "{body}");
    let og = crate::support::select_attrs(&doc, "meta[property='og:url']", "content");
    assert_eq!(og, vec![server.url.clone()], "{body}");
    assert!(!body.contains("org.example"), "{body}");
    let post = crate::serve::raw_get(address, "/sous-dossier/blog/").2;
    assert!(!post.contains("org.example"), "{post}");
}

/// The preview's absolute addresses are its own, but a link written with the published address
/// is still a link inside the site: the preview reports it when it leads nowhere, as the build
/// does.
#[test]
fn the_preview_checks_links_naming_the_published_address() {
    let site = crate::support::TestSite::fixture("check_clean");
    site.write(
        "content/pages/sortie.md",
        "---\ntitle: Sortie\n---\n\n[Nulle part](https://check.example/nulle-part.html)\n",
    );
    let built = gazette::pipeline::render_site(site.path(), &Default::default());
    let preview = gazette::site::BuildOptions {
        preview_origin: Some("http://127.0.0.1:1111".into()),
        ..Default::default()
    };
    let shown = gazette::preview::live::Live::new(site.path(), &preview).update(&[]);
    let about_sortie = |problems: &[gazette::diagnostic::Diagnostic]| {
        problems
            .iter()
            .filter(|d| d.file.ends_with("content/pages/sortie.md"))
            .count()
    };
    let built = built.err().unwrap_or_default();
    let shown = shown.err().unwrap_or_default();
    assert_eq!(about_sortie(&built), 1, "{built:?}");
    assert_eq!(about_sortie(&shown), 1, "{shown:?}");
}

/// `url(path=…)` gives templates a site address under the base path, wherever the template
/// writes it (here in a script, where addresses are not rewritten after rendering).
#[test]
fn the_url_function_puts_site_addresses_under_the_base_path() {
    for (base, prefix) in [
        ("https://exemple.org", ""),
        ("https://org.example/sous-dossier/", "/sous-dossier"),
    ] {
        let site = crate::support::TestSite::fixture("basic");
        site.write(
            "content/pages/adresses.md",
            "---\ntitle: Adresses\nrender: tera\n---\n\n<script>const feuille = \"{{ url(path=\"/css/site.css\") }}\";</script>\n<p>{{ url(path=\"blog/\") }} {{ url(path=\"https://ailleurs.example/\") }}</p>\n",
        );
        site.build_ok(&["--base-url", base]);
        let page = site.output("adresses.html");
        assert!(
            page.contains(&format!("const feuille = \"{prefix}/css/site.css\";")),
            "{page}"
        );
        assert!(
            page.contains(&format!("{prefix}/blog/ https://ailleurs.example/")),
            "{page}"
        );
    }
}

/// `redirects: netlify` (or `cloudflare`) writes the aliases as `_redirects` rules (after the
/// site's own rules), each leading to a page that exists, and keeps the HTML fallback pages; for
/// Netlify the rules are forced (`301!`), or Netlify would serve the fallback page instead.
#[test]
fn aliases_become_redirect_rules_the_host_understands() {
    for (base, prefix, host, status) in [
        ("https://exemple.org", "", "netlify", "301!"),
        (
            "https://org.example/sous-dossier/",
            "/sous-dossier",
            "cloudflare",
            "301",
        ),
    ] {
        let site = crate::support::TestSite::fixture("basic");
        let yml = std::fs::read_to_string(site.path().join("site.yml")).unwrap();
        site.write("site.yml", &format!("{yml}\nredirects: {host}\n"));
        site.write(
            "assets/_redirects",
            "/ancien-site/* https://ancien.example/:splat 301",
        );
        site.build_ok(&["--base-url", base]);
        let rules = site.output("_redirects");
        assert!(
            rules.starts_with("/ancien-site/* https://ancien.example/:splat 301\n")
                || host == "cloudflare",
            "{rules}"
        );
        // Cloudflare reads at most 100 rules after a pattern: the site's patterns go last.
        if host == "cloudflare" {
            assert!(
                rules.ends_with("\n/ancien-site/* https://ancien.example/:splat 301\n"),
                "{rules}"
            );
        }
        let mut followed = 0;
        for line in rules
            .lines()
            .filter(|l| !l.starts_with('#') && !l.contains('*'))
        {
            let parts: Vec<&str> = line.split_whitespace().collect();
            let [from, to, written] = parts[..] else {
                panic!("not a rule: {line}")
            };
            assert_eq!(written, status, "{line}");
            let to = to.strip_prefix(prefix).unwrap();
            let from = from.strip_prefix(prefix).unwrap();
            assert!(
                site.has_output(&gazette::text::url::output_path(to)),
                "{line}: no page at {to}"
            );
            assert!(
                site.has_output(&gazette::text::url::output_path(from)),
                "{line}: no fallback page at {from}"
            );
            followed += 1;
        }
        assert!(followed >= 1, "{rules}");
    }
}

/// An imported Jekyll site that Netlify published (it has `netlify.toml` or `_redirects`): every
/// old URL that moved is a 301 rule of the built `_redirects`, and following each rule of the
/// file against the built site leads to a page that exists (or to another site).
#[test]
fn moved_urls_of_an_imported_netlify_site_are_redirect_rules_that_lead_somewhere() {
    let tmp = tempfile::tempdir().unwrap();
    // Tags whose Jekyll URL had an accent and a space (moved to their slugs), on Netlify.
    let autopages = tmp.path().join("jekyll_autopages");
    copy_dir(
        &crate::support::fixtures().join("jekyll_autopages"),
        &autopages,
    );
    std::fs::write(
        autopages.join("netlify.toml"),
        "[build]\npublish = \"_site\"\n",
    )
    .unwrap();
    let cases = [
        (
            crate::support::fixtures().join("jekyll_netlify"),
            vec![
                "/page2/ /blog/page2/ 301!",
                "/team.html /about.html 301!",
                "/partner.html https://partner.example/ 301!",
            ],
        ),
        (
            autopages,
            vec![
                "/tag/donn%C3%A9es/ /tag/donnees/ 301!",
                "/tag/logiciel%20libre/ /tag/logiciel-libre/ 301!",
            ],
        ),
        (
            crate::support::fixtures().join("jekyll_basic"),
            // The site's own rule, forced: the import wrote an HTML page at /old.html.
            vec!["/old.html /about 301!", "/x/* /y/:splat 301"],
        ),
    ];
    for (n, (src, expected)) in cases.iter().enumerate() {
        let into = tmp.path().join(format!("import-{n}"));
        std::fs::create_dir(&into).unwrap();
        let (_, dest) = crate::support::import_jekyll(src, &into);
        let yml = std::fs::read_to_string(dest.join("site.yml")).unwrap();
        assert!(yml.contains("\nredirects: netlify\n"), "{yml}");
        let build = gazette_in(&dest, &["build"]);
        assert!(build.success(), "{}", build.stderr);
        let out = dest.join("public");
        let rules = std::fs::read_to_string(out.join("_redirects")).unwrap();
        for rule in expected {
            assert!(
                rules.lines().any(|l| l == *rule),
                "{rule} missing:\n{rules}"
            );
        }
        let mut followed = 0;
        for line in rules
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let parts: Vec<&str> = line.split_whitespace().collect();
            let [from, to, code] = parts[..] else {
                panic!("not a rule of three parts: {line}")
            };
            assert!(code.starts_with("30"), "{line}");
            if from.contains('*') {
                continue; // a pattern of the Jekyll site's own, for the host only
            }
            assert!(!from.contains(' ') && from.starts_with('/'), "{line}");
            if to.starts_with("https://") {
                followed += 1;
                continue;
            }
            assert!(served(&out, to), "{line}: the site has no page at {to}");
            // The HTML fallback page is there too, for hosts without _redirects.
            assert!(served(&out, from), "{line}: no fallback page at {from}");
            followed += 1;
        }
        let simple = expected.iter().filter(|r| !r.contains('*')).count();
        assert!(followed >= simple, "{rules}");
    }
}

/// True when a static host serves a page of `out` at `path` (percent-encoded, as in a rule):
/// the file, `path.html` (Netlify's pretty URLs) or the folder's index.html.
fn served(out: &Path, path: &str) -> bool {
    let decoded = gazette::text::escape::percent_decode_lossy(path.trim_start_matches('/'));
    let file = out.join(&decoded);
    (!decoded.is_empty() && !decoded.ends_with('/') && file.is_file())
        || out
            .join(format!("{}.html", decoded.trim_end_matches('/')))
            .is_file()
        || file.join("index.html").is_file()
}

/// `_headers` (Netlify, Cloudflare Pages syntax): written with `redirects: netlify` (or
/// `headers: true`, never with `headers: false`); the site's own rules first, security headers
/// for every file, a year of cache for fingerprinted files only (a folder of them as one rule),
/// all under the base path.
#[test]
fn headers_keep_fingerprinted_files_a_year_and_protect_every_page() {
    for (settings, base, prefix) in [
        ("redirects: netlify", "https://exemple.org", ""),
        (
            "headers: true",
            "https://org.example/sous-dossier/",
            "/sous-dossier",
        ),
    ] {
        let site = crate::support::TestSite::fixture("basic");
        let yml = std::fs::read_to_string(site.path().join("site.yml")).unwrap();
        site.write("site.yml", &format!("{yml}\n{settings}\n"));
        site.write("assets/_headers", "/embed/*\n  X-Frame-Options: ALLOWALL");
        site.write("assets/css/site.3f2a1b9c.css", "body{}");
        site.write("assets/css/print.css", "body{}");
        site.write("assets/build/app.1a2b3c4d.js", "");
        site.write("assets/build/vendor.9f8e7d6c.js", "");
        site.write("assets/docs/rapport.20240102.pdf", "%PDF");
        site.build_ok(&["--base-url", base]);
        let text = site.output("_headers");
        assert!(
            text.starts_with("/embed/*\n  X-Frame-Options: ALLOWALL\n"),
            "{text}"
        );
        // The syntax both hosts read: a path at the start of a line, then indented `Name: value`.
        let mut rules: Vec<(String, Vec<String>)> = Vec::new();
        for line in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            if let Some(header) = line.strip_prefix("  ") {
                let (name, value) = header.split_once(": ").expect(line);
                assert!(
                    !name.is_empty() && !value.is_empty() && !name.contains(' '),
                    "{line}"
                );
                rules.last_mut().expect(line).1.push(header.to_string());
            } else {
                assert!(line.starts_with('/') && !line.contains(' '), "{line}");
                rules.push((line.to_string(), Vec::new()));
            }
        }
        let headers_of = |path: &str| {
            rules
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, h)| h.clone())
                .unwrap_or_default()
        };
        assert_eq!(
            headers_of(&format!("{prefix}/*")),
            [
                "X-Content-Type-Options: nosniff",
                "Referrer-Policy: strict-origin-when-cross-origin"
            ]
        );
        let immutable = ["Cache-Control: public, max-age=31536000, immutable"];
        assert_eq!(
            headers_of(&format!("{prefix}/css/site.3f2a1b9c.css")),
            immutable
        );
        assert_eq!(
            headers_of(&format!("{prefix}/build/*")),
            immutable,
            "{text}"
        );
        // One Cache-Control rule per file at most (Cloudflare joins the values of two), none
        // for pages and files without a fingerprint (the hosts' short default applies).
        let cached: Vec<&String> = rules
            .iter()
            .filter(|(_, h)| h.iter().any(|h| h.starts_with("Cache-Control")))
            .map(|(p, _)| p)
            .collect();
        assert_eq!(cached.len(), 2, "{text}");
        assert!(!text.contains("rapport"), "{text}");
    }
    let site = crate::support::TestSite::fixture("basic");
    let yml = std::fs::read_to_string(site.path().join("site.yml")).unwrap();
    site.write(
        "site.yml",
        &format!("{yml}\nredirects: netlify\nheaders: false\n"),
    );
    site.write("assets/_headers", "/*\n  X-Robots-Tag: noindex");
    site.build_ok(&[]);
    // Not written by gazette: the site's own file is published as it is.
    assert_eq!(site.output("_headers"), "/*\n  X-Robots-Tag: noindex");
}

/// `gazette publish --setup` writes a recipe each host reads: valid YAML or TOML with the keys the
/// host requires, building with the host's address as base URL; an existing recipe is kept.
#[test]
fn hosting_recipes_parse_and_hold_what_each_host_requires() {
    let site = crate::support::TestSite::fixture("minimal");
    for host in ["github", "gitlab", "netlify"] {
        let run = site.gazette(&["publish", "--setup", host]);
        assert!(run.success(), "{host}: {}", run.stderr);
    }
    let read = |file: &str| std::fs::read_to_string(site.path().join(file)).unwrap();
    let yaml = |file: &str| {
        gazette::source::yaml::parse(&read(file), Path::new(file), 1)
            .unwrap_or_else(|d| panic!("{file}: {}", d.message))
            .value
    };
    let github = yaml(".github/workflows/gazette.yml");
    assert!(github["on"]["push"].is_object(), "{github}");
    assert_eq!(github["permissions"]["pages"], "write");
    let steps = github["jobs"]["build"]["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs.iter()
            .any(|r| r.starts_with("gazette build --base-url")),
        "{runs:?}"
    );
    assert!(
        steps
            .iter()
            .any(|s| s["uses"] == "actions/upload-pages-artifact@v3")
    );
    assert_eq!(github["jobs"]["deploy"]["needs"], "build");

    let gitlab = yaml(".gitlab-ci.yml");
    let script: Vec<&str> = gitlab["pages"]["script"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert!(
        script
            .iter()
            .any(|s| s.contains("gazette build --base-url \"$CI_PAGES_URL/\""))
    );
    assert_eq!(gitlab["pages"]["artifacts"]["paths"][0], "public");

    let netlify: toml::Value = toml::from_str(&read("netlify.toml")).unwrap();
    assert_eq!(netlify["build"]["publish"].as_str(), Some("public"));
    assert!(
        netlify["build"]["command"]
            .as_str()
            .unwrap()
            .ends_with("gazette build")
    );
    // A recipe is never replaced.
    let again = site.gazette(&["publish", "--setup", "netlify"]);
    assert_eq!(again.code(), Some(1), "{}", again.stderr);
}

/// Hidden files among the static files are published only when site.yml's `include` names them
/// (as Jekyll's `include`): `.htaccess`, `.well-known/`; other hidden files never are.
#[test]
fn hidden_files_are_published_only_when_included() {
    let site = crate::support::TestSite::fixture("minimal");
    site.write("assets/.htaccess", "ErrorDocument 404 /404.html\n");
    site.write("assets/.well-known/security.txt", "Contact: mailto:a@b.c\n");
    site.write("assets/.secret", "not for the web\n");
    site.build_ok(&[]);
    assert!(!site.has_output(".htaccess") && !site.has_output(".well-known/security.txt"));
    let yml = std::fs::read_to_string(site.path().join("site.yml")).unwrap();
    site.write(
        "site.yml",
        &format!("{yml}include: [\".htaccess\", \".well-known\"]\n"),
    );
    site.build_ok(&[]);
    assert!(site.has_output(".htaccess"));
    assert!(site.has_output(".well-known/security.txt"));
    assert!(!site.has_output(".secret"));
}
