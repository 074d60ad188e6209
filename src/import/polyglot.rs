//! jekyll-polyglot: a site built once per language of `languages:`, the default language
//! (`default_lang`) at the root and each other one under `/<lang>/`. A document is in its
//! front-matter `lang` (or the language its path starts with, with `lang_from_path`), else in the
//! default language; documents of different languages with the same URL are translations of
//! each other. A language without its own version of a URL gets the default language's (or
//! another's) at its prefix; static files are copied under every prefix, but for the folders of
//! `exclude_from_localization`.
//!
//! gazette has languages too: each non-default language gets its prefix in site.yml, each
//! document keeps its `lang` and the URL polyglot gave it; the fallback copies become redirects
//! to the version that exists (listed in the report); static files are copied as polyglot did.

use serde_json::{Map, Value};

use super::{Ctx, Identity, OldUrl, urls};
use crate::source::load::Document;

/// The plugin's settings.
#[derive(Debug, Clone, Default)]
pub(crate) struct Polyglot {
    /// `languages`, each once.
    pub languages: Vec<String>,
    /// `default_lang` (`en` unless given).
    pub default: String,
    /// `exclude_from_localization`: paths whose static files are only at the root.
    pub exclude: Vec<String>,
    /// `lang_from_path`: a document's language may come from its first folder.
    pub lang_from_path: bool,
}

/// Reads the plugin's settings when it is enabled (`plugins` or `gems`) with `languages`.
pub(crate) fn read(map: &Map<String, Value>, plugins: &[String]) -> Option<Polyglot> {
    if !plugins.iter().any(|p| p == "jekyll-polyglot") {
        return None;
    }
    let list = |key: &str| -> Vec<String> {
        match map.get(key) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    };
    let mut languages = Vec::new();
    for lang in list("languages") {
        if !languages.contains(&lang) {
            languages.push(lang);
        }
    }
    let default = map
        .get("default_lang")
        .and_then(Value::as_str)
        .unwrap_or("en")
        .to_string();
    if !languages.contains(&default) {
        languages.insert(0, default.clone());
    }
    Some(Polyglot {
        languages,
        default,
        exclude: list("exclude_from_localization"),
        lang_from_path: map.get("lang_from_path").and_then(Value::as_bool) == Some(true),
    })
}

impl Polyglot {
    /// The language of a document: its `lang` when it is one of the site's, else its first
    /// folder's (with `lang_from_path`), else the default.
    pub(crate) fn lang_of(&self, file: &str, doc: &Document) -> String {
        if let Some(lang) = doc
            .str("lang")
            .filter(|l| self.languages.iter().any(|x| x == l))
        {
            return lang.to_string();
        }
        if self.lang_from_path {
            let mut parts = file.split('/');
            let first = parts.next().unwrap_or("");
            let folder = if first.starts_with('_') {
                parts.next().unwrap_or("")
            } else {
                first
            };
            if file.contains('/') && self.languages.iter().any(|l| l == folder) {
                return folder.to_string();
            }
        }
        self.default.clone()
    }

    /// The URL shared by a document's translations: Jekyll's URL without the `/<lang>/` or
    /// `.<lang>.` parts polyglot removes.
    fn coordinated(&self, url: &str) -> String {
        let mut url = url.to_string();
        for lang in &self.languages {
            for (open, close) in [('/', '/'), ('/', '.'), ('.', '/'), ('.', '.')] {
                url = url.replace(&format!("{open}{lang}{close}"), "/");
            }
        }
        url
    }

    /// The address polyglot wrote a document of language `lang` at (`url` coordinated, under the
    /// language's prefix).
    fn localized(&self, url: &str, lang: &str) -> String {
        let url = self.coordinated(url);
        if lang == self.default {
            url
        } else {
            urls::clean(&format!("/{lang}{url}"))
        }
    }
}

/// The URL Jekyll wrote a document at, for a polyglot site (unchanged otherwise).
pub(crate) fn localize(ctx: &Ctx, file: &str, doc: &Document, url: String) -> String {
    match &ctx.config.polyglot {
        Some(p) => p.localized(&url, &p.lang_of(file, doc)),
        None => url,
    }
}

/// On a polyglot site, the `lang` a document must say when its front matter does not say it
/// (a language from its folder, or one that is not of the site: polyglot used the default).
pub(crate) fn lang_to_write(ctx: &Ctx, file: &str, doc: &Document) -> Option<String> {
    let p = ctx.config.polyglot.as_ref()?;
    let lang = p.lang_of(file, doc);
    let written = doc.str("lang");
    let implied = written.is_none() && lang == p.default;
    (written != Some(lang.as_str()) && !implied).then(|| super::config::quote(&lang))
}

/// The old URLs of polyglot's other copies: each document's URL under every language without
/// its own version (a redirect to the version that exists), and static files under each prefix
/// (copied, but for `exclude_from_localization`).
pub(crate) fn copies(ctx: &mut Ctx) {
    let Some(p) = ctx.config.polyglot.clone() else {
        return;
    };
    let others: Vec<&String> = p.languages.iter().filter(|l| **l != p.default).collect();
    let split = |url: &str| -> (String, String) {
        for lang in &others {
            if let Some(rest) = url.strip_prefix(&format!("/{lang}/")) {
                return (lang.to_string(), format!("/{rest}"));
            }
        }
        (p.default.clone(), url.to_string())
    };
    // Documents by the URL they share with their translations: (language, old URL).
    let mut by_url: std::collections::BTreeMap<String, Vec<(String, OldUrl)>> =
        std::collections::BTreeMap::new();
    let mut statics = Vec::new();
    let mut plugin_files = Vec::new();
    for old in &ctx.old_urls {
        match (&old.identity, old.kind.as_str()) {
            (_, "plugin") => plugin_files.push(old.clone()),
            (Identity::Fixed(_), "static") => statics.push(old.clone()),
            (Identity::File(_) | Identity::Record(..), "post" | "page")
            | (Identity::Record(..), _) => {
                let (lang, shared) = split(&old.url);
                by_url
                    .entry(urls::served_file(&shared))
                    .or_default()
                    .push((lang, old.clone()));
            }
            _ => {}
        }
    }
    for (shared, versions) in &by_url {
        translations(ctx, shared, versions);
        let fallback = versions
            .iter()
            .find(|(lang, _)| *lang == p.default)
            .or_else(|| versions.first())
            .map(|(_, old)| old.clone());
        let Some(fallback) = fallback else { continue };
        let shared = split(&fallback.url).1;
        for lang in &p.languages {
            if versions.iter().any(|(l, _)| l == lang) {
                continue;
            }
            let url = if *lang == p.default {
                shared.clone()
            } else {
                urls::clean(&format!("/{lang}{shared}"))
            };
            ctx.old_url(url, "fallback", &fallback.source, fallback.identity.clone());
        }
    }
    // The plugins ran once per language too (jekyll-feed, jekyll-sitemap): gazette writes each
    // language's feed under its prefix; the other files lead to the root's.
    for old in plugin_files {
        for lang in &others {
            let url = format!("/{lang}{}", old.url);
            let feed = format!("/{}", ctx.config.feed_path);
            let identity = match &old.identity {
                Identity::Feed => Identity::Fixed(url.clone()),
                Identity::Fixed(path) if *path == feed => Identity::Fixed(url.clone()),
                other => other.clone(),
            };
            ctx.old_url(url, "plugin", &old.source, identity);
        }
    }
    for old in statics {
        let path = old.url.trim_start_matches('/');
        if p.exclude.iter().any(|e| {
            let e = e.trim_start_matches('/');
            path.starts_with(e)
        }) {
            continue;
        }
        let Ok(bytes) = std::fs::read(ctx.dest.join(crate::source::layout::ASSETS).join(path))
        else {
            continue;
        };
        for lang in &others {
            let url = format!("/{lang}/{path}");
            let dest = format!("{}{url}", crate::source::layout::ASSETS);
            if ctx.write(&dest, &bytes).is_ok() {
                ctx.old_url(url.clone(), "static", &old.source, Identity::Fixed(url));
            }
        }
    }
}

/// Versions of one URL in several languages are translations: each written file gets the same
/// `translation_key` (the shared URL's file), unless it names one already.
fn translations(ctx: &mut Ctx, shared: &str, versions: &[(String, OldUrl)]) {
    let langs: std::collections::BTreeSet<&String> = versions.iter().map(|(l, _)| l).collect();
    if langs.len() < 2 {
        return;
    }
    for (_, old) in versions {
        let Identity::File(dest) = &old.identity else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(ctx.dest.join(dest)) else {
            continue;
        };
        let Some(front) = text.strip_prefix("---\n") else {
            continue;
        };
        let end = front.find("\n---").unwrap_or(0);
        let named = front[..end].lines().any(|l| {
            l.starts_with("translation_key:") || l.starts_with("lang-ref:") || l.starts_with("ref:")
        });
        if !named {
            let key = super::config::quote(&format!("/{}", shared.trim_end_matches("index.html")));
            let _ = ctx.write(
                dest,
                format!("---\ntranslation_key: {key}\n{front}").as_bytes(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_coordinated_and_prefixed_as_polyglot_does() {
        let p = Polyglot {
            languages: vec!["fr".into(), "en".into()],
            default: "fr".into(),
            ..Polyglot::default()
        };
        assert_eq!(p.localized("/about/", "en"), "/en/about/");
        assert_eq!(p.localized("/en/about/", "en"), "/en/about/");
        assert_eq!(p.localized("/fr/about/", "fr"), "/about/");
        assert_eq!(
            p.localized("/2021/03/04/hello.html", "fr"),
            "/2021/03/04/hello.html"
        );
    }
}
