//! Fingerprinted assets: `{{ asset(path="css/site.css") }}` gives `/css/site.3f2a1b9c.css`, a
//! copy of the file named after a hash of its final bytes (after Sass compilation and
//! minification), so that a browser never keeps a stale stylesheet after a deploy: a changed
//! file gets a new name, and an unchanged one keeps its name (and `_headers` lets browsers keep
//! it a year). The plain copy stays published for old links.
//!
//! Stylesheets, scripts, fonts, icons and other small files are fingerprinted (see
//! [`FINGERPRINTED`]); pictures go through `resize_image`. A site file (`assets/`) wins over the
//! theme's file of the same name (`static/`), as everywhere else.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use crate::output::{Body, Output};
use crate::site::Site;
use crate::source::layout::{self, Kind};

/// The endings of the files `asset()` fingerprints: what a page loads in its `<head>` or a
/// stylesheet loads, never the photos of posts (hashing 100 MB on every build would cost more
/// than it saves).
const FINGERPRINTED: &[&str] = &[
    "css",
    "js",
    "mjs",
    "map",
    "json",
    "webmanifest",
    "svg",
    "ico",
    "woff",
    "woff2",
    "ttf",
    "otf",
    "eot",
];

/// One fingerprinted file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Asset {
    /// Its output path with the fingerprint (`css/site.3f2a1b9c.css`).
    pub(crate) fingerprinted: String,
    /// Its final bytes, or the file to copy.
    pub(crate) body: Body,
    /// The source file (relative to the site folder).
    pub(crate) source: PathBuf,
}

/// Every fingerprinted file of a site, by plain output path (`css/site.css`).
pub(crate) type Assets = BTreeMap<String, Asset>;

/// The shared, refreshable table `asset()` reads (made again before each render, so the preview
/// gives pages the new name after an edit).
pub(crate) type SharedAssets = Arc<RwLock<Assets>>;

/// True when a file at `path` (output path or source path) is one `asset()` fingerprints.
pub(crate) fn is_fingerprinted_kind(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(_, ending)| FINGERPRINTED.iter().any(|e| e.eq_ignore_ascii_case(ending)))
}

/// The fingerprinted files of `site`: its compiled stylesheets and its static files of the
/// [`FINGERPRINTED`] kinds, the site's own winning over the theme's.
pub(crate) fn assets(site: &Site) -> Assets {
    let mut out = Assets::new();
    let minify = site.config.minify;
    for style in &site.styles {
        let css = if minify {
            crate::output::minify::css(&style.css)
        } else {
            style.css.clone()
        };
        let hash = short_hash(css.as_bytes());
        out.insert(
            style.output.clone(),
            Asset {
                fingerprinted: with_fingerprint(&style.output, &hash),
                body: Body::Bytes(css.into_bytes()),
                source: style.file.clone(),
            },
        );
    }
    for file in visible_static_files(site) {
        if !is_fingerprinted_kind(&file.relative) || out.contains_key(&file.relative) {
            continue;
        }
        let absolute = site.root.join(&file.path);
        let css = minify && file.relative.to_ascii_lowercase().ends_with(".css");
        let (hash, body) = if css {
            let Ok(text) = std::fs::read_to_string(&absolute) else {
                continue;
            };
            let text = crate::output::minify::css(&text);
            (short_hash(text.as_bytes()), Body::Bytes(text.into_bytes()))
        } else {
            let Some(hash) = file_hash(&absolute) else {
                continue;
            };
            (hash, Body::Copy(absolute))
        };
        out.insert(
            file.relative.clone(),
            Asset {
                fingerprinted: with_fingerprint(&file.relative, &hash),
                body,
                source: file.path.clone(),
            },
        );
    }
    out
}

/// The static files of `site` that are published: a theme's file is hidden by the site's own
/// file of the same name (the site's `assets/css/site.css`, or `assets/css/site.scss` compiled,
/// replaces the theme's).
pub(crate) fn visible_static_files(
    site: &Site,
) -> impl Iterator<Item = &crate::source::discover::SourceFile> {
    let theme = layout::theme_folder(&site.root, &site.config);
    let own: std::collections::HashSet<&str> = site
        .sources
        .files
        .iter()
        .filter(|f| f.kind == Kind::Static && !f.path.starts_with(&theme))
        .map(|f| f.relative.as_str())
        .chain(
            site.styles
                .iter()
                .filter(|s| !s.file.starts_with(&theme))
                .map(|s| s.output.as_str()),
        )
        .collect();
    site.sources.files.iter().filter(move |f| {
        f.kind == Kind::Static
            && (!f.path.starts_with(&theme) || !own.contains(f.relative.as_str()))
    })
}

/// The files templates name through `asset()`: the literal paths of `asset(path="…")` in their
/// text, or None when a template computes a path (`asset(path=page.style)`): then every file.
pub(crate) type Wanted = Option<std::collections::BTreeSet<String>>;

/// The files the template texts `texts` name through `asset()` (see [`Wanted`]).
pub(crate) fn wanted_by<'t>(texts: impl Iterator<Item = &'t str>) -> Wanted {
    let mut wanted = std::collections::BTreeSet::new();
    for text in texts {
        for (at, _) in text.match_indices("asset(") {
            // `asset(` inside a longer name (`my_asset(`) is another function.
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let args = text[at + "asset(".len()..].trim_start();
            let value = args
                .strip_prefix("path")
                .map(str::trim_start)
                .and_then(|a| a.strip_prefix('='))
                .map(str::trim_start)?;
            let quote = value
                .chars()
                .next()
                .filter(|q| matches!(q, '"' | '\'' | '`'))?;
            let literal = &value[1..];
            let end = literal.find(quote)?;
            // `asset(path="css/" ~ name)` joins strings at render time.
            if !literal[end + 1..].trim_start().starts_with([')', ',']) {
                return None;
            }
            wanted.insert(plain_path(&literal[..end]).to_string());
        }
    }
    Some(wanted)
}

/// The fingerprinted copies of the files of `assets` templates want, to publish beside the
/// plain files.
pub(crate) fn outputs(assets: &Assets, wanted: &Wanted) -> Vec<Output> {
    assets
        .iter()
        .filter(|(plain, _)| wanted.as_ref().is_none_or(|w| w.contains(*plain)))
        .map(|(_, asset)| Output {
            path: asset.fingerprinted.clone(),
            body: asset.body.clone(),
            source: Some(asset.source.clone()),
        })
        .collect()
}

/// `css/site.css` with fingerprint `3f2a1b9c` → `css/site.3f2a1b9c.css` (in the same folder, so
/// that the file's relative links, such as a stylesheet's fonts, still work).
fn with_fingerprint(path: &str, hash: &str) -> String {
    let (folder, name) = match path.rsplit_once('/') {
        Some((folder, name)) => (format!("{folder}/"), name),
        None => (String::new(), path),
    };
    match name.rsplit_once('.') {
        Some((stem, ending)) if !stem.is_empty() => format!("{folder}{stem}.{hash}.{ending}"),
        _ => format!("{folder}{name}.{hash}"),
    }
}

/// The fingerprint of some bytes: 8 hex digits of a 64-bit FNV-1a hash, the same on every
/// machine and every version of Rust (what matters is that other bytes give another name).
pub(crate) fn short_hash(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let folded = (hash >> 32) ^ (hash & 0xffff_ffff);
    let mut text = format!("{folded:08x}");
    // `_headers` tells a fingerprint from a word by its digits and letters: always have both.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        text.replace_range(0..1, "0");
    }
    if !text.bytes().any(|b| b.is_ascii_alphabetic()) {
        text.replace_range(0..1, "a");
    }
    text
}

/// The fingerprint of the file at `path`, remembered by size and modification time so that the
/// preview does not read every stylesheet again on each keystroke.
fn file_hash(path: &Path) -> Option<String> {
    type Stamp = (u64, std::time::SystemTime);
    static KNOWN: Mutex<Option<HashMap<PathBuf, (Stamp, String)>>> = Mutex::new(None);
    let meta = std::fs::metadata(path).ok()?;
    let stamp = (meta.len(), meta.modified().ok()?);
    if let Ok(known) = KNOWN.lock()
        && let Some((seen, hash)) = known.as_ref().and_then(|k| k.get(path))
        && *seen == stamp
    {
        return Some(hash.clone());
    }
    let bytes = std::fs::read(path).ok()?;
    let hash = short_hash(&bytes);
    if let Ok(mut known) = KNOWN.lock() {
        known
            .get_or_insert_with(HashMap::new)
            .insert(path.to_path_buf(), (stamp, hash.clone()));
    }
    Some(hash)
}

/// The plain path an `asset(path=…)` argument names: `/css/site.css`, `css/site.css` and
/// `./css/site.css` all name `css/site.css`.
pub(crate) fn plain_path(path: &str) -> &str {
    path.trim_start_matches("./").trim_start_matches('/')
}

/// The known asset closest to `wanted`, for a "did you mean" hint.
pub(crate) fn closest<'a>(assets: &'a Assets, wanted: &str) -> Option<&'a str> {
    assets
        .keys()
        .map(|k| (strsim::jaro_winkler(k, wanted), k.as_str()))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_go_before_the_ending_in_the_same_folder() {
        assert_eq!(
            with_fingerprint("css/site.css", "3f2a1b9c"),
            "css/site.3f2a1b9c.css"
        );
        assert_eq!(
            with_fingerprint("dsfr/css/dsfr.min.css", "3f2a1b9c"),
            "dsfr/css/dsfr.min.3f2a1b9c.css"
        );
        assert_eq!(with_fingerprint("LICENSE", "3f2a1b9c"), "LICENSE.3f2a1b9c");
        assert_eq!(with_fingerprint(".env", "3f2a1b9c"), ".env.3f2a1b9c");
    }

    #[test]
    fn fingerprints_are_stable_and_recognised_by_the_headers() {
        assert_eq!(short_hash(b"body{}"), short_hash(b"body{}"));
        assert_ne!(short_hash(b"body{}"), short_hash(b"body{ }"));
        for text in ["", "a", "body{}", "x".repeat(1000).as_str()] {
            let name = with_fingerprint("css/site.css", &short_hash(text.as_bytes()));
            assert!(super::super::headers::is_fingerprinted(&name), "{name}");
        }
    }

    #[test]
    fn the_files_templates_want_are_read_from_their_text() {
        let texts = [
            "<link href=\"{{ asset(path=\"css/site.css\") }}\">{{ asset( path = '/js/a.js' ) }}",
            "{{ my_asset(x) }}",
        ];
        let wanted = wanted_by(texts.iter().copied()).unwrap();
        assert_eq!(
            wanted.into_iter().collect::<Vec<_>>(),
            ["css/site.css", "js/a.js"]
        );
        assert_eq!(
            wanted_by(["{{ asset(path=page.style) }}"].into_iter()),
            None
        );
        assert_eq!(
            wanted_by(["{{ asset(path=\"css/\" ~ name) }}"].into_iter()),
            None
        );
        assert_eq!(wanted_by(["rien"].into_iter()), Some(Default::default()));
    }

    #[test]
    fn only_small_files_a_page_loads_are_fingerprinted() {
        assert!(is_fingerprinted_kind("css/site.css"));
        assert!(is_fingerprinted_kind("dsfr/js/dsfr.module.min.js"));
        assert!(is_fingerprinted_kind("fonts/Marianne.WOFF2"));
        assert!(!is_fingerprinted_kind("img/photo.jpg"));
        assert!(!is_fingerprinted_kind("README"));
        assert_eq!(plain_path("/css/site.css"), "css/site.css");
        assert_eq!(plain_path("./css/site.css"), "css/site.css");
    }
}
