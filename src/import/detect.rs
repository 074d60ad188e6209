//! Refuses a source that is not a Jekyll site (no `_config.yml`), saying what it looks like
//! instead: importing it anyway would "succeed" with an empty or meaningless site.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Rule};

/// The configuration file names Jekyll reads by default.
pub(crate) const CONFIG_FILES: &[&str] = &["_config.yml", "_config.yaml"];

/// Other site generators, by the files that give them away.
fn looks_like(src: &Path) -> Option<&'static str> {
    let has = |name: &str| src.join(name).exists();
    let hugo_config = [
        "hugo.toml",
        "hugo.yaml",
        "hugo.yml",
        "hugo.json",
        "config.toml",
        "config.yaml",
        "config.yml",
        "config.json",
    ]
    .iter()
    .any(|n| has(n));
    if hugo_config && (has("content") || has("archetypes") || has("layouts") || has("themes")) {
        return Some("a Hugo site (a Hugo configuration file beside content/)");
    }
    if has("gridsome.config.js") || has("gridsome.server.js") {
        return Some("a Gridsome site (gridsome.config.js)");
    }
    if [
        ".eleventy.js",
        "eleventy.config.js",
        "eleventy.config.mjs",
        "eleventy.config.cjs",
    ]
    .iter()
    .any(|n| has(n))
    {
        return Some("an Eleventy site (.eleventy.js or eleventy.config.js)");
    }
    None
}

/// An error when `src` has no Jekyll configuration file; None for a Jekyll site.
pub(crate) fn refuse_non_jekyll(src: &Path) -> Option<Diagnostic> {
    if CONFIG_FILES.iter().any(|n| src.join(n).is_file()) {
        return None;
    }
    let message = match looks_like(src) {
        Some(what) => {
            format!("this is not a Jekyll site: it has no _config.yml, and it looks like {what}")
        }
        None => "this is not a Jekyll site: it has no _config.yml".to_string(),
    };
    Some(Diagnostic::error(Rule::Import, src, message).help(
        "`gazette import jekyll` reads Jekyll sites only: give the folder holding _config.yml",
    ))
}
