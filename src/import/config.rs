//! `_config.yml` → what site.yml needs: title, base URL, permalink style, pagination (jekyll-paginate
//! and jekyll-paginate-v2), `defaults`, collections, `include`/`exclude`, `future`, and the other
//! keys kept for templates under `extra`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// The parts of a Jekyll configuration the import uses.
#[derive(Debug, Clone, Default)]
pub(crate) struct JekyllConfig {
    /// `title`.
    pub title: String,
    /// `description`, folded to one line.
    pub description: String,
    /// `url`.
    pub url: String,
    /// `baseurl`.
    pub baseurl: String,
    /// `permalink` (a style name or a template); `date` by default.
    pub permalink: String,
    /// Posts per listing page (`pagination.per_page` or `paginate`).
    pub per_page: Option<usize>,
    /// Path of page N under a listing, with `:num` (`page:num/`).
    pub paginate_path: String,
    /// The listing URL of jekyll-paginate (v1), from `paginate_path`.
    pub paginate_v1_listing: Option<String>,
    /// `defaults`: (scope path, scope type, values).
    pub defaults: Vec<(String, Option<String>, Map<String, Value>)>,
    /// Declared collections with their `permalink` and `output`.
    pub collections: BTreeMap<String, (Option<String>, bool)>,
    /// `include`.
    pub include: Vec<String>,
    /// `exclude`.
    pub exclude: Vec<String>,
    /// `future`.
    pub future: bool,
    /// `timezone`: the zone Jekyll builds dates (and so URLs) in.
    pub timezone: Option<String>,
    /// jekyll-paginate-v2 is enabled (in `plugins`, with `pagination.enabled`).
    pub paginate_v2: bool,
    /// jekyll-paginate-v2 lists oldest first (its `sort_reverse` is not set).
    pub oldest_first: bool,
    /// jekyll-paginate-v2's tag pages (`autopages.tags`): their permalink with `:tag`, and
    /// whether tag names are slugified (`slugify.mode` other than `none`).
    pub autopage_tags: Option<(String, bool)>,
    /// `plugins` and `gems`: the plugins the site enables.
    pub plugins: Vec<String>,
    /// `collections_dir`: the folder holding `_posts`, `_drafts` and the collections (empty: SRC).
    pub collections_dir: String,
    /// The site language (`lang`, `locale`, or the `locale` default for every path).
    pub language: Option<String>,
    /// `author` when it is a name.
    pub author: String,
    /// `twitter_username` or `twitter.username`.
    pub twitter: String,
    /// Other keys, for `site.extra`.
    pub extra: Map<String, Value>,
    /// `layouts_dir` (`_layouts` by default).
    pub layouts_dir: String,
    /// `includes_dir` (`_includes` by default).
    pub includes_dir: String,
    /// Where jekyll-feed writes its (Atom) feed: `feed.path`, `feed.xml` by default.
    pub feed_path: String,
    /// jekyll-archives' settings, when the plugin is enabled.
    pub archives: Option<super::archives::JekyllArchives>,
    /// jekyll-polyglot's settings, when the plugin is enabled.
    pub polyglot: Option<super::polyglot::Polyglot>,
}

/// Keys Jekyll itself reads: they are not copied into `extra`.
const JEKYLL_KEYS: &[&str] = &[
    "title",
    "description",
    "url",
    "baseurl",
    "permalink",
    "paginate",
    "paginate_path",
    "pagination",
    "defaults",
    "collections",
    "include",
    "exclude",
    "future",
    "plugins",
    "gems",
    "jekyll-archives",
    "markdown",
    "kramdown",
    "highlighter",
    "sass",
    "source",
    "destination",
    "safe",
    "incremental",
    "encoding",
    "timezone",
    "collections_dir",
    "keep_files",
    "lsi",
    "excerpt_separator",
    "show_drafts",
    "limit_posts",
    "unpublished",
    "whitelist",
    "plugins_dir",
    "layouts_dir",
    "data_dir",
    "includes_dir",
    "port",
    "host",
    "livereload",
    "webrick",
    "quiet",
    "verbose",
    "strict_front_matter",
    "liquid",
    "autopages",
    "lang",
    "locale",
    "author",
    "twitter_username",
    "twitter",
];

/// A folder named by `key` (relative to the site, without `./` or slashes at the ends), else `default`.
fn folder_key(map: &Map<String, Value>, key: &str, default: &str) -> String {
    let folder = text(map.get(key));
    let folder = folder.trim_start_matches("./").trim_matches('/');
    if folder.is_empty() || folder.split('/').any(|p| p == "..") {
        default.to_string()
    } else {
        folder.to_string()
    }
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    crate::source::yaml::one_or_many(value)
}

fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// Reads a parsed `_config.yml` (an empty map when the file is absent).
pub(crate) fn read(value: &Value, notes: &mut Vec<crate::diagnostic::Text>) -> JekyllConfig {
    let empty = Map::new();
    let map = value.as_object().unwrap_or(&empty);
    let mut config = JekyllConfig {
        title: text(map.get("title")),
        description: text(map.get("description")),
        url: text(map.get("url")),
        baseurl: text(map.get("baseurl")).trim_end_matches('/').to_string(),
        permalink: map
            .get("permalink")
            .and_then(Value::as_str)
            .unwrap_or("date")
            .to_string(),
        paginate_path: "page:num/".into(),
        include: string_list(map.get("include")),
        exclude: string_list(map.get("exclude")),
        future: map.get("future").and_then(Value::as_bool).unwrap_or(false),
        plugins: [
            string_list(map.get("plugins")),
            string_list(map.get("gems")),
        ]
        .concat(),
        timezone: map
            .get("timezone")
            .and_then(Value::as_str)
            .map(str::to_string),
        collections_dir: text(map.get("collections_dir"))
            .trim_matches('/')
            .trim_start_matches("./")
            .to_string(),
        author: map
            .get("author")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        twitter: twitter(map),
        layouts_dir: folder_key(map, "layouts_dir", "_layouts"),
        includes_dir: folder_key(map, "includes_dir", "_includes"),
        feed_path: map
            .get("feed")
            .and_then(|f| f.get("path"))
            .and_then(Value::as_str)
            .map(|p| p.trim().trim_start_matches('/').to_string())
            .filter(|p| !p.is_empty() && !p.split('/').any(|part| part == ".."))
            .unwrap_or_else(|| "feed.xml".into()),
        defaults: defaults(map),
        collections: collections(map),
        ..JekyllConfig::default()
    };
    read_paginate_v1(map, &mut config);
    read_pagination_v2(map, &mut config);
    config.autopage_tags = autopage_tags(map);
    config.archives = super::archives::read(map, &config.plugins);
    config.polyglot = super::polyglot::read(map, &config.plugins);
    config.language = match &config.polyglot {
        Some(polyglot) => Some(polyglot.default.clone()),
        None => language(map, &config.defaults),
    };
    config.extra = map
        .iter()
        .filter(|(key, _)| !JEKYLL_KEYS.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    if config.future {
        notes.push(crate::msg!("`future: true`: gazette leaves out posts dated after today unless built with `gazette build --future`"));
    }
    if map.get("timezone").is_some() {
        notes.push(crate::msg!("`timezone` has no equivalent in gazette: dates are read as written (the old URLs of dates written with another offset are computed in that zone)"));
    }
    config
}

impl JekyllConfig {
    /// The value `defaults` gives `key` for the file `path` (relative to SRC) of type `kind`
    /// (`pages`, `posts`, `drafts` or a collection's name), as Jekyll's `FrontmatterDefaults#find`:
    /// among the rules whose scope applies, the longest path wins, then a rule with a type, then
    /// the later rule. The front matter wins over it (the caller asks only when it lacks `key`).
    pub(crate) fn default_value(&self, path: &str, kind: &str, key: &str) -> Option<&Value> {
        let mut best: Option<((usize, bool), &Value)> = None;
        for (scope, scope_kind, values) in &self.defaults {
            let Some(value) = values.get(key) else {
                continue;
            };
            let scope = scope.trim_start_matches("./").trim_matches('/');
            let path_applies = scope.is_empty()
                || path == scope
                || path.starts_with(&format!("{scope}/"))
                || glob_applies(scope, path);
            let kind_applies = scope_kind.as_deref().is_none_or(|k| k == kind);
            if !(path_applies && kind_applies) {
                continue;
            }
            let rank = (scope.len(), scope_kind.is_some());
            if best.as_ref().is_none_or(|(b, _)| rank >= *b) {
                best = Some((rank, value));
            }
        }
        best.map(|(_, v)| v)
    }
}

/// A scope path with `*` (one path segment each), as Jekyll matches them.
fn glob_applies(scope: &str, path: &str) -> bool {
    if !scope.contains('*') {
        return false;
    }
    let scope: Vec<&str> = scope.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    path.len() >= scope.len()
        && scope
            .iter()
            .zip(&path)
            .all(|(s, p)| *s == "*" || s == p || segment_matches(s, p))
}

/// One segment with `*` wildcards (`2020-*`).
fn segment_matches(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            let Some(at) = rest.find(part) else {
                return false;
            };
            rest = &rest[at + part.len()..];
        }
    }
    true
}

/// `twitter_username`, or `twitter` as a name or as a map with a `username`.
fn twitter(map: &Map<String, Value>) -> String {
    match map.get("twitter_username").or_else(|| map.get("twitter")) {
        Some(Value::String(s)) => s.trim_start_matches('@').to_string(),
        Some(Value::Object(t)) => text(t.get("username")),
        _ => String::new(),
    }
}

/// jekyll-paginate (v1): `paginate` and `paginate_path`.
fn read_paginate_v1(map: &Map<String, Value>, config: &mut JekyllConfig) {
    // Without the plugin in `plugins`, Jekyll paginates nothing.
    if !config.plugins.iter().any(|p| p == "jekyll-paginate") {
        return;
    }
    let Some(per_page) = map.get("paginate").and_then(Value::as_u64) else {
        return;
    };
    config.per_page = Some(per_page as usize);
    let path = map
        .get("paginate_path")
        .and_then(Value::as_str)
        .unwrap_or("/page:num/");
    // v1: `/blog/page:num/` → the listing is `/blog/`, page N is `page:num/` under it.
    if let Some((listing, page)) = path
        .rsplit_once('/')
        .filter(|(_, p)| p.contains(":num"))
        .or_else(|| path.trim_end_matches('/').rsplit_once('/'))
    {
        config.paginate_v1_listing =
            Some(format!("{}/", listing.trim_end_matches('/')).replace("//", "/"));
        config.paginate_path = format!("{}/", page.trim_matches('/'));
    }
}

/// jekyll-paginate-v2's `autopages.tags` when enabled: (permalink, slugified).
fn autopage_tags(map: &Map<String, Value>) -> Option<(String, bool)> {
    let autopages = map.get("autopages")?.as_object()?;
    if autopages.get("enabled").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    let tags = autopages.get("tags").and_then(Value::as_object);
    if tags.and_then(|t| t.get("enabled")).and_then(Value::as_bool) == Some(false) {
        return None;
    }
    let permalink = tags
        .and_then(|t| t.get("permalink"))
        .and_then(Value::as_str)
        .unwrap_or("/tag/:tag")
        .to_string();
    let slugified = tags
        .and_then(|t| t.get("slugify"))
        .and_then(|s| s.get("mode"))
        .and_then(Value::as_str)
        .is_some_and(|mode| mode != "none");
    Some((permalink, slugified))
}

/// jekyll-paginate-v2: an enabled `pagination` map (its values win over v1's).
fn read_pagination_v2(map: &Map<String, Value>, config: &mut JekyllConfig) {
    let Some(Value::Object(pagination)) = map.get("pagination") else {
        return;
    };
    if !pagination
        .get("enabled")
        .and_then(Value::as_bool)
        .unwrap_or(false)
        || !config.plugins.iter().any(|p| p == "jekyll-paginate-v2")
    {
        return;
    }
    config.paginate_v2 = true;
    config.oldest_first = !pagination
        .get("sort_reverse")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if let Some(per_page) = pagination.get("per_page").and_then(Value::as_u64) {
        config.per_page = Some(per_page as usize);
    }
    if let Some(permalink) = pagination.get("permalink").and_then(Value::as_str) {
        let path = permalink.trim_start_matches('/');
        config.paginate_path = if path.contains(":num") {
            path.to_string()
        } else {
            "page:num/".into()
        };
    }
}

/// `defaults`: (scope path, scope type, values) for each rule.
fn defaults(map: &Map<String, Value>) -> Vec<(String, Option<String>, Map<String, Value>)> {
    let Some(Value::Array(rules)) = map.get("defaults") else {
        return Vec::new();
    };
    rules
        .iter()
        .map(|rule| {
            let scope = rule.get("scope");
            let path = scope
                .and_then(|s| s.get("path"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let kind = scope
                .and_then(|s| s.get("type"))
                .and_then(Value::as_str)
                .map(str::to_string);
            let values = rule
                .get("values")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            (path, kind, values)
        })
        .collect()
}

/// `collections`, as a map of settings or a list of names.
fn collections(map: &Map<String, Value>) -> BTreeMap<String, (Option<String>, bool)> {
    let mut out = BTreeMap::new();
    match map.get("collections") {
        Some(Value::Object(collections)) => {
            for (name, settings) in collections {
                let permalink = settings
                    .get("permalink")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let output = settings
                    .get("output")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                out.insert(name.clone(), (permalink, output));
            }
        }
        Some(Value::Array(names)) => {
            for name in names.iter().filter_map(Value::as_str) {
                out.insert(name.to_string(), (None, false));
            }
        }
        _ => {}
    }
    out
}

/// `lang` or `locale`, else the one a `defaults` rule gives every file.
/// The language code of the Jekyll site in `src` (its `_config.yml`'s `lang` or `locale`, at the
/// top or for every path in `defaults`), read as the import reads it; None without a readable
/// `_config.yml`.
pub fn site_language(src: &std::path::Path) -> Option<String> {
    let text = std::fs::read_to_string(src.join("_config.yml")).ok()?;
    let value = crate::source::yaml::parse(&text, std::path::Path::new("_config.yml"), 1).ok()?;
    let map = value.value.as_object()?;
    let locale = language(map, &defaults(map)).unwrap_or_else(|| "en".into());
    Some(super::language_code(&locale))
}

fn language(
    map: &Map<String, Value>,
    defaults: &[(String, Option<String>, Map<String, Value>)],
) -> Option<String> {
    map.get("lang")
        .or_else(|| map.get("locale"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            defaults
                .iter()
                .find(|(p, t, _)| p.is_empty() && t.is_none())
                .and_then(|(_, _, v)| {
                    v.get("lang")
                        .or_else(|| v.get("locale"))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
        })
}

/// Writes a string as a YAML scalar (JSON quoting is valid YAML).
pub(crate) fn quote(text: &str) -> String {
    Value::String(text.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(yaml: &str) -> JekyllConfig {
        let value = crate::source::yaml::parse(yaml, std::path::Path::new("_config.yml"), 1)
            .map(|parsed| parsed.value)
            .unwrap_or_default();
        read(&value, &mut Vec::new())
    }

    #[test]
    fn defaults_pick_the_longest_path_then_the_typed_rule() {
        let c = config(
            "defaults:\n\
             - {scope: {path: ''}, values: {permalink: /all/}}\n\
             - {scope: {path: '', type: posts}, values: {permalink: /posts/}}\n\
             - {scope: {path: docs}, values: {permalink: /docs/}}\n\
             - {scope: {path: 'docs/*/old'}, values: {permalink: /old/}}\n",
        );
        let find = |path: &str, kind: &str| {
            c.default_value(path, kind, "permalink")
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        assert_eq!(find("about.md", "pages").as_deref(), Some("/all/"));
        assert_eq!(find("_posts/a.md", "posts").as_deref(), Some("/posts/"));
        assert_eq!(find("docs/a.md", "pages").as_deref(), Some("/docs/"));
        assert_eq!(find("docs/v1/old/a.md", "pages").as_deref(), Some("/old/"));
        assert_eq!(find("documents/a.md", "pages").as_deref(), Some("/all/"));
        assert_eq!(c.default_value("about.md", "pages", "layout"), None);
    }

    #[test]
    fn pagination_needs_its_plugin() {
        let v2 = "pagination: {enabled: true, per_page: 3}\n";
        assert!(!config(v2).paginate_v2);
        assert!(config(&format!("{v2}plugins: [jekyll-paginate-v2]\n")).paginate_v2);
        let v1 = "paginate: 4\npaginate_path: /blog/page:num/\n";
        assert_eq!(config(v1).paginate_v1_listing, None);
        let with = config(&format!("{v1}plugins: [jekyll-paginate]\n"));
        assert_eq!(with.paginate_v1_listing.as_deref(), Some("/blog/"));
        assert_eq!(with.per_page, Some(4));
    }
}
