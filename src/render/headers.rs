//! `_headers` (Netlify, Cloudflare Pages): how long browsers may keep each file, and security
//! headers for every response.
//!
//! A file whose name carries its content's fingerprint (`site.3f2a1b9c.css`, as a theme's
//! fingerprinted assets are named) never changes at that address: it is kept a year
//! (`immutable`). A folder holding only such files gets one rule for all of them (`/build/*`),
//! other fingerprinted files one rule each. Every other file (HTML pages first) keeps the host's
//! own short lifetime: Netlify and Cloudflare Pages both serve `max-age=0, must-revalidate`, so a
//! page is checked on each visit. gazette writes no second `Cache-Control` that could match the
//! same file: Cloudflare Pages joins the values of two matching rules into one invalid header.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::output::{Body, Output};
use crate::site::Site;
use crate::source::layout::Kind;

/// The file Netlify and Cloudflare Pages read their headers from.
pub(crate) const HEADERS: &str = "_headers";

/// The lifetime of a file that never changes at its address.
const IMMUTABLE: &str = "Cache-Control: public, max-age=31536000, immutable";

/// Headers sent with every file: no guessing a file's type from its content; other sites see
/// which site a visitor came from, not which page.
const SECURITY: [&str; 2] = [
    "X-Content-Type-Options: nosniff",
    "Referrer-Policy: strict-origin-when-cross-origin",
];

/// True when the site writes `_headers`: `headers: true`, or `redirects: netlify` without
/// `headers: false`.
pub(crate) fn wanted(site: &Site) -> bool {
    site.config
        .headers
        .unwrap_or(site.config.redirects.is_some())
}

/// `_headers` for `outputs` (the other files of the build): the site's own rules
/// (`assets/_headers`) first, then gazette's.
pub(crate) fn headers_file(site: &Site, outputs: &[Output]) -> Option<Output> {
    if !wanted(site) {
        return None;
    }
    let own = site
        .sources
        .files
        .iter()
        .find(|f| f.kind == Kind::Static && f.relative == HEADERS);
    let mut text = own
        .and_then(|f| std::fs::read_to_string(site.root.join(&f.path)).ok())
        .unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    let paths = outputs.iter().map(|o| o.path.trim_start_matches('/'));
    text.push_str(&gazette_rules(site.config.base_path(), paths));
    Some(Output {
        path: HEADERS.to_string(),
        body: Body::Bytes(text.into_bytes()),
        source: own.map(|f| f.path.clone()),
    })
}

/// gazette's rules for a site under `base_path` whose files are at `paths` (relative).
fn gazette_rules<'a>(base_path: &str, paths: impl Iterator<Item = &'a str>) -> String {
    let mut text = String::from("# Written by gazette: security headers for every file.\n");
    let _ = writeln!(text, "{base_path}/*");
    for header in SECURITY {
        let _ = writeln!(text, "  {header}");
    }
    let immutable = immutable_rules(paths);
    if !immutable.is_empty() {
        text.push_str(
            "# Files named after their content's fingerprint never change: kept a year.\n",
        );
    }
    for rule in immutable {
        let _ = writeln!(text, "{base_path}/{rule}\n  {IMMUTABLE}");
    }
    text
}

/// The paths (relative, `*` for a whole folder) whose files are fingerprinted: a folder when
/// everything under it is, the file itself otherwise.
fn immutable_rules<'a>(paths: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    let paths: Vec<&str> = paths.collect();
    // Folder → true while every file under it is fingerprinted.
    let mut all_fingerprinted: BTreeMap<&str, bool> = BTreeMap::new();
    for path in &paths {
        let fingerprinted = is_fingerprinted(path);
        for (at, _) in path.match_indices('/') {
            let entry = all_fingerprinted.entry(&path[..at]).or_insert(true);
            *entry &= fingerprinted;
        }
    }
    paths
        .iter()
        .filter(|path| is_fingerprinted(path))
        .map(|path| {
            let folder = path
                .match_indices('/')
                .map(|(at, _)| &path[..at])
                .find(|folder| all_fingerprinted.get(folder).copied().unwrap_or(false));
            folder.map_or_else(|| (*path).to_string(), |f| format!("{f}/*"))
        })
        .collect()
}

/// True when a file's name carries a content fingerprint: a part between dots (or after a dash)
/// of 8 to 64 hexadecimal characters, with letters and digits both (`site.3f2a1b9c.css`,
/// `app-0d4e5f6a7b.js`), so that a date (`report.20240102.pdf`) is not taken for one.
pub(crate) fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((stem, _extension)) = name.rsplit_once('.') else {
        return false;
    };
    stem.split(['.', '-']).skip(1).any(|part| {
        (8..=64).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_hexdigit())
            && part.bytes().any(|b| b.is_ascii_digit())
            && part.bytes().any(|b| b.is_ascii_alphabetic())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_told_from_dates_and_words() {
        for name in [
            "css/site.3f2a1b9c.css",
            "main.min.0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9.css",
            "js/app-0d4e5f6a7b.js",
        ] {
            assert!(is_fingerprinted(name), "{name}");
        }
        for name in [
            "report.20240102.pdf",
            "css/site.css",
            "img/deadbeefcafe.png",
            "3f2a1b9c.css",
            "archive.3f2a1b9c",
        ] {
            assert!(!is_fingerprinted(name), "{name}");
        }
    }

    #[test]
    fn a_folder_of_fingerprinted_files_is_one_rule() {
        let rules = immutable_rules(
            [
                "build/app.1a2b3c4d.js",
                "build/deep/vendor.9f8e7d6c.js",
                "css/site.3f2a1b9c.css",
                "css/print.css",
                "index.html",
            ]
            .into_iter(),
        );
        let rules: Vec<&str> = rules.iter().map(String::as_str).collect();
        assert_eq!(rules, ["build/*", "css/site.3f2a1b9c.css"]);
        let text = gazette_rules(
            "/site",
            ["css/site.3f2a1b9c.css", "css/print.css"].into_iter(),
        );
        assert!(
            text.contains("/site/*\n  X-Content-Type-Options: nosniff\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "/site/css/site.3f2a1b9c.css\n  Cache-Control: public, max-age=31536000, immutable\n"
            ),
            "{text}"
        );
    }
}
