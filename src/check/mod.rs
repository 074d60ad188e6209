//! Content rules: the mistakes a site's authors make (a missing key, an unknown tag, an image
//! path with the wrong capital letter, a broken link), found before publishing and told in plain
//! words, in English or French.
//!
//! Each rule lives in its own file under `check/` and is a function over the [`Site`] model (and,
//! for links, over the rendered outputs) returning diagnostics; [`run`] collects them all. Which
//! rules run is said by `rules:` in site.yml ([`crate::source::config::RulesConfig`]). Each rule
//! writes its messages and hints as sentences of the catalogue ([`crate::diagnostic::catalogue`]),
//! put into the run's language when shown.

pub(crate) mod alt_text;
pub(crate) mod authors;
pub(crate) mod external;
pub(crate) mod handles;
pub(crate) mod images;
pub(crate) mod links;
pub(crate) mod posts;
pub(crate) mod records;
pub(crate) mod yaml11;

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Severity};
use crate::output::{Body, OutputRef};
use crate::site::Site;

pub use crate::diagnostic::Lang;

impl Lang {
    /// The language of the run's messages: `--lang`, else the site's when gazette speaks it,
    /// else English.
    pub(crate) fn for_site(site: &Site) -> Lang {
        site.messages
    }
}

/// How to check.
#[derive(Debug, Clone)]
pub(crate) struct CheckOptions {
    /// Also request external links (`--external`).
    pub external: bool,
    /// Look for Markdown images without alt text (`gazette check`; builds skip it).
    pub image_alt: bool,
}

/// What every rule may look at: the site and its outputs by path.
pub(crate) struct Context<'a> {
    /// The site model.
    pub site: &'a Site,
    /// Every output file by its path relative to the output folder.
    pub outputs: HashMap<&'a str, OutputRef<'a>>,
    /// Output paths by their lowercase form, to tell "wrong capitals" from "missing": made the
    /// first time a path is missing (110,000 paths lowercased took 25 ms a build).
    lowercase: std::sync::OnceLock<HashMap<String, &'a str>>,
    /// Where the pages of collections that could not be read would be: links there are not
    /// checked (their data file's error is the root cause).
    pub unchecked: Vec<String>,
}

impl<'a> Context<'a> {
    /// Indexes `outputs` for the rules.
    pub(crate) fn new(site: &'a Site, outputs: &[OutputRef<'a>]) -> Context<'a> {
        let outputs: HashMap<&str, OutputRef> = outputs.iter().map(|o| (o.path, *o)).collect();
        Context {
            site,
            outputs,
            lowercase: std::sync::OnceLock::new(),
            unchecked: unchecked_prefixes(site),
        }
    }

    /// The output path that is `lowercase` once lowercased, if one is.
    pub(crate) fn with_other_capitals(&self, lowercase: &str) -> Option<&'a str> {
        self.lowercase
            .get_or_init(|| {
                self.outputs
                    .keys()
                    .map(|p| (p.to_lowercase(), *p))
                    .collect()
            })
            .get(lowercase)
            .copied()
    }

    /// The file on disk behind an output path, for copied files (images).
    pub(crate) fn source_of(&self, output_path: &str) -> Option<&'a Path> {
        match self.outputs.get(output_path)?.body {
            Body::Copy(path) => Some(path.as_path()),
            Body::Bytes(_) => None,
        }
    }
}

/// The URL prefixes of the pages of the collections that could not be read (`/communaute/`,
/// `/en/communaute/`): the folder part of their permalink and their listing, in each language.
fn unchecked_prefixes(site: &Site) -> Vec<String> {
    let mut prefixes = Vec::new();
    for name in &site.unreadable_collections {
        let Some(config) = site.config.collections.get(name) else {
            continue;
        };
        let folder = config.permalink.split(':').next().unwrap_or("");
        let folder = &folder[..folder.rfind('/').map_or(0, |i| i + 1)];
        for path in [Some(folder), config.listing.as_deref()]
            .into_iter()
            .flatten()
        {
            // A permalink starting with `:` has no folder of its own: nothing to leave out.
            if path.trim_matches('/').is_empty() {
                continue;
            }
            for code in site.config.language_codes() {
                let prefix = site.config.lang_prefix(&code);
                prefixes.push(format!("{prefix}/{}", path.trim_start_matches('/')));
            }
        }
    }
    prefixes
}

/// One line per collection that could not be read, instead of a broken link for each link to
/// its pages.
fn unchecked_notes(site: &Site) -> Vec<Diagnostic> {
    site.unreadable_collections
        .iter()
        .filter_map(|name| {
            let config = site.config.collections.get(name)?;
            let file = crate::source::layout::data_folder().join(&config.data);
            Some(
                Diagnostic::warning(
                    crate::diagnostic::Rule::Link,
                    &file,
                    crate::msg!(
                        "the links to the pages of `{name}` were not checked: this file could not be read",
                        name
                    ),
                )
                .help(crate::msg!(
                    "fix the error of this file first: its links are checked again at the next run"
                )),
            )
        })
        .collect()
}

/// A diagnostic from a rule: its `(message, hint)`, sentences of the catalogue.
pub(crate) fn finding(
    severity: Severity,
    rule: crate::diagnostic::Rule,
    file: impl Into<std::path::PathBuf>,
    line: usize,
    column: usize,
    text: (crate::diagnostic::Text, crate::diagnostic::Text),
) -> Diagnostic {
    let (message, hint) = text;
    let d = match severity {
        Severity::Error => Diagnostic::error(rule, file, message),
        Severity::Warning => Diagnostic::warning(rule, file, message),
    };
    d.at(line, column).help(hint)
}

/// Runs every configured rule over a rendered site. `outputs` may be empty when rendering failed;
/// the link rules then have nothing to look at.
pub(crate) fn run(site: &Site, outputs: &[OutputRef], options: &CheckOptions) -> Vec<Diagnostic> {
    run_scanned(site, outputs, options, None)
}

/// [`run`] over outputs whose pages' links were scanned before their bytes were dropped
/// (`scanned`, by output path: see [`links::scan_owned`]); None to scan them here.
pub(crate) fn run_scanned(
    site: &Site,
    outputs: &[OutputRef],
    options: &CheckOptions,
    scanned: Option<HashMap<String, links::Scanned>>,
) -> Vec<Diagnostic> {
    let ctx = Context::new(site, outputs);
    let rules = &site.config.rules;
    let mut found = Vec::new();
    let documents = if rules.posts.is_some() || rules.yaml_1_1 || options.image_alt {
        posts::read_documents(site)
    } else {
        Vec::new()
    };
    if let Some(post_rules) = &rules.posts {
        found.extend(posts::check(&ctx, post_rules, &documents));
    }
    let known_authors = rules.posts.as_ref().is_some_and(|r| r.known_authors);
    found.extend(authors::check(&ctx, known_authors));
    for collection in &site.collections {
        if let Some(record_rules) = rules.collections.get(&collection.name) {
            found.extend(records::check(&ctx, collection, record_rules));
        }
    }
    found.extend(images::check_data(&ctx));
    if options.image_alt {
        found.extend(alt_text::check(&documents));
    }
    if rules.yaml_1_1 {
        found.extend(yaml11::check(&ctx, &documents));
    }
    if let Some(link_rules) = &rules.links {
        let pages = match scanned {
            Some(mut scanned) => links::pages_of_scanned(outputs, &mut scanned),
            None => links::scan(&ctx, outputs),
        };
        if link_rules.internal {
            found.extend(links::check_internal(&ctx, link_rules, &pages));
            found.extend(unchecked_notes(ctx.site));
        }
        if options.external {
            found.extend(external::check(&ctx, link_rules, &pages));
        }
    }
    dedup(found)
}

/// Drops repeats: the same rule at the same place (a post's image checked both in its front
/// matter and in the rendered page).
pub(crate) fn dedup(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    diagnostics.retain(|d| {
        d.line == 0 || seen.insert((d.file.clone(), d.line, d.column, d.rule, d.message.clone()))
    });
    diagnostics
}

/// True when a required value is not really given: absent, blank text, or an empty list or
/// mapping (`author: ""` or `tags: []` do not satisfy `required`). An explicit `null` does: sites
/// write `twitter: null` for "none", as the programme's own rules accepted.
pub(crate) fn is_blank(value: Option<&serde_json::Value>) -> bool {
    match value {
        None => true,
        Some(serde_json::Value::Null) => false,
        Some(serde_json::Value::String(s)) => s.trim().is_empty(),
        Some(serde_json::Value::Array(items)) => items.is_empty(),
        Some(serde_json::Value::Object(map)) => map.is_empty(),
        Some(_) => false,
    }
}

/// The 1-based line (and column) of the first occurrence of `needle` in the file `file` of the
/// site, searching from line `from`; None when it is not there.
pub(crate) fn find_in_file(
    root: &Path,
    file: &Path,
    needle: &str,
    from: usize,
) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    let start = text
        .lines()
        .take(from.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum::<usize>()
        .min(text.len());
    let offset = text.get(start..)?.find(needle)? + start;
    Some(crate::diagnostic::line_col(&text, offset))
}

/// The column of the first `value` on line `line` (1-based) of the file `file` of the site, or 1
/// when it is not there.
pub(crate) fn column_on_line(root: &Path, file: &Path, line: usize, value: &str) -> usize {
    std::fs::read_to_string(root.join(file))
        .ok()
        .and_then(|t| {
            t.lines()
                .nth(line.saturating_sub(1))
                .and_then(|l| l.find(value).map(|c| column_at(l, c)))
        })
        .unwrap_or(1)
}

/// The 1-based column of byte `offset` of `line`, counted in characters as editors show it.
pub(crate) fn column_at(line: &str, offset: usize) -> usize {
    line[..offset].chars().count() + 1
}

/// True when the site path `path` (without a leading `/`) lies under one of `prefixes`, which
/// authors write in site.yml with or without the leading `/`.
pub(crate) fn is_under(path: &str, prefixes: &[String]) -> bool {
    prefixes
        .iter()
        .any(|prefix| path.starts_with(prefix.trim_start_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::escape::percent_decode_lossy;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode_lossy("Pr%C3%A9di.png"), "Prédi.png");
        assert_eq!(percent_decode_lossy("a%2"), "a%2");
        assert_eq!(percent_decode_lossy("100%"), "100%");
        assert_eq!(percent_decode_lossy("a%zzb"), "a%zzb");
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(column_at("title: Prédi", 0), 1);
        assert_eq!(column_at("é: x", 4), 4);
    }

    #[test]
    fn prefixes_with_or_without_slash() {
        let prefixes = vec!["/drafts".to_string(), "old/".to_string()];
        assert!(is_under("drafts/a.md", &prefixes));
        assert!(is_under("old/b.md", &prefixes));
        assert!(!is_under("posts/old/c.md", &prefixes));
    }

    #[test]
    fn languages() {
        assert_eq!(Lang::from_code("fr-FR"), Some(Lang::Fr));
        assert_eq!(Lang::from_code("EN"), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
    }
}
