//! jekyll-archives: the plugin writing a page per tag, category, year, month and day of the
//! published posts (`jekyll-archives:` in _config.yml: `enabled`, `permalinks`). Its pages are
//! old URLs; gazette serves them with its own pages: tags (`permalinks.tag`), a `categories`
//! taxonomy, and year and month archives (`archives.path`, `archives.month_path`), at the
//! plugin's addresses. Day pages have no equivalent: they redirect to their month's page.
//! Names are slugified as the plugin does (Jekyll's default `slugify`: accents kept), so a
//! name whose gazette slug folds accents moves, with a redirect page listed in the report.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDateTime};
use serde_json::{Map, Value};

use super::config::quote;
use super::{Ctx, Identity};

/// `jekyll-archives:` of _config.yml, with the plugin's defaults.
#[derive(Debug, Clone, Default)]
pub(crate) struct JekyllArchives {
    /// The kinds enabled: `year`, `month`, `day`, `tags`, `categories`.
    pub enabled: Vec<String>,
    /// The permalink of each kind (`year`, `month`, `day`, `tag`, `category`).
    pub permalinks: BTreeMap<String, String>,
}

impl JekyllArchives {
    /// True when the plugin writes pages of `kind` (`year`, `month`, `day`, `tags`, `categories`).
    pub(crate) fn enabled(&self, kind: &str) -> bool {
        self.enabled.iter().any(|k| k == kind)
    }

    fn permalink(&self, kind: &str) -> &str {
        self.permalinks.get(kind).map_or("", String::as_str)
    }
}

/// A published post, as the archives see it.
#[derive(Debug, Clone)]
pub(crate) struct ArchivedPost {
    pub date: NaiveDateTime,
    /// Its categories as written (folders above `_posts/`, then the front matter's).
    pub categories: Vec<String>,
}

/// Reads `jekyll-archives:` when the plugin is enabled (`plugins` or `gems`).
pub(crate) fn read(map: &Map<String, Value>, plugins: &[String]) -> Option<JekyllArchives> {
    if !plugins.iter().any(|p| p == "jekyll-archives") {
        return None;
    }
    let settings = map.get("jekyll-archives").and_then(Value::as_object);
    const ALL: [&str; 5] = ["year", "month", "day", "tags", "categories"];
    let enabled = match settings.and_then(|s| s.get("enabled")) {
        Some(Value::Bool(true)) => ALL.iter().map(|k| k.to_string()).collect(),
        Some(Value::String(s)) if s == "all" => ALL.iter().map(|k| k.to_string()).collect(),
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    let mut permalinks: BTreeMap<String, String> = [
        ("year", "/:year/"),
        ("month", "/:year/:month/"),
        ("day", "/:year/:month/:day/"),
        ("tag", "/tag/:name/"),
        ("category", "/category/:name/"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    if let Some(given) = settings
        .and_then(|s| s.get("permalinks"))
        .and_then(Value::as_object)
    {
        for (kind, pattern) in given {
            if let Some(p) = pattern.as_str() {
                permalinks.insert(kind.clone(), p.to_string());
            }
        }
    }
    Some(JekyllArchives {
        enabled,
        permalinks,
    })
}

/// Jekyll's `Utils.slugify` in its default mode, which the plugin uses for names: every run of
/// characters other than letters, marks and digits becomes `-`, lower-cased, accents kept.
pub(crate) fn jekyll_slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// A Jekyll URL template with its placeholders filled, as the plugin's pages are written.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut url = template.to_string();
    for (name, value) in values {
        url = url.replace(&format!(":{name}"), value);
    }
    super::urls::clean(&url)
}

/// The old URLs of the plugin's pages, from the published posts.
pub(crate) fn old_urls(ctx: &mut Ctx) {
    let Some(plugin) = ctx.config.archives.clone() else {
        return;
    };
    if plugin.enabled("tags") {
        let tags: Vec<String> = ctx.published_tags.keys().cloned().collect();
        for tag in tags {
            let slug = jekyll_slug(&tag);
            let url = fill(plugin.permalink("tag"), &[("name", &slug), ("type", "tag")]);
            ctx.old_url(url, "tag", "", Identity::Tag(tag));
        }
    }
    let posts = std::mem::take(&mut ctx.archived_posts);
    if plugin.enabled("categories") {
        let mut names: Vec<&String> = posts.iter().flat_map(|p| &p.categories).collect();
        names.sort();
        names.dedup();
        for name in names {
            let slug = jekyll_slug(name);
            let values = [("name", slug.as_str()), ("type", "category")];
            let url = fill(plugin.permalink("category"), &values);
            ctx.old_url(
                url,
                "category",
                "",
                Identity::Term("categories".into(), name.clone()),
            );
        }
    }
    let mut dates: Vec<(i32, u32, u32)> = posts
        .iter()
        .map(|p| (p.date.year(), p.date.month(), p.date.day()))
        .collect();
    dates.sort_unstable();
    dates.dedup();
    let mut seen = std::collections::HashSet::new();
    for (year, month, day) in dates {
        let (y, m, d) = (year.to_string(), format!("{month:02}"), format!("{day:02}"));
        let kinds = [
            ("year", None, vec![("year", y.as_str())]),
            ("month", Some(month), vec![("year", &y), ("month", &m)]),
            (
                "day",
                Some(month),
                vec![("year", &y), ("month", &m), ("day", &d)],
            ),
        ];
        for (kind, archive_month, values) in kinds {
            let mut values = values;
            values.push(("type", kind));
            let url = fill(plugin.permalink(kind), &values);
            if plugin.enabled(kind) && seen.insert(url.clone()) {
                ctx.old_url(url, kind, "", Identity::Archive(year, archive_month));
            }
        }
    }
    ctx.archived_posts = posts;
}

/// site.yml's `archives:` and `taxonomies:` lines for the plugin's pages, and the tag pages'
/// pattern (`permalinks.tag`), when the plugin is enabled.
pub(crate) fn site_yml(ctx: &mut Ctx) {
    let Some(plugin) = ctx.config.archives.clone() else {
        return;
    };
    let mut y = String::new();
    let dates = ["year", "month", "day"];
    if dates.iter().any(|k| plugin.enabled(k)) {
        let year = gazette_pattern(plugin.permalink("year"), "year", &[":year"]);
        let month = gazette_pattern(plugin.permalink("month"), "month", &[":year", ":month"]);
        let _ = writeln!(
            y,
            "\n# jekyll-archives' year and month pages (its day pages redirect to their month).\narchives:\n  months: true"
        );
        if let Some(path) = year {
            let _ = writeln!(y, "  path: {}", quote(&path));
        }
        if let Some(path) = month {
            let _ = writeln!(y, "  month_path: {}", quote(&path));
        }
        if plugin.enabled("day") {
            ctx.report.notes.push(crate::msg!("jekyll-archives wrote a page for each day with posts: gazette has none, so each day's address redirects to its month's page"));
        }
    }
    if plugin.enabled("categories") {
        let pattern =
            (plugin.permalink("category").replace(":name", ":slug")).replace(":type", "category");
        let list = match pattern.split_once(":slug") {
            Some((folder, _)) if folder.len() > 1 && folder.ends_with('/') => folder.to_string(),
            _ => "/categories/".to_string(),
        };
        let list = super::site_yml::free_list_path(ctx, &list);
        let _ = writeln!(
            y,
            "\n# jekyll-archives' category pages: one page per category, all its posts on it.\ntaxonomies:\n  categories:\n    permalink: {}\n    list: {}\n    paginate: false\n    feed: false",
            quote(&pattern),
            quote(&list)
        );
    }
    if plugin.enabled("tags") && ctx.site_yml.tag_permalink.is_none() {
        ctx.site_yml.tag_permalink =
            Some((plugin.permalink("tag").replace(":name", ":slug")).replace(":type", "tag"));
    }
    ctx.site_yml.archives = y;
}

/// gazette's pattern for the plugin's `kind` pages, when its placeholders are the ones gazette
/// knows (`:type` is the kind's name); None otherwise (gazette's default, with redirects).
fn gazette_pattern(pattern: &str, kind: &str, needed: &[&str]) -> Option<String> {
    let pattern = pattern.replace(":type", kind);
    let known = pattern
        .split(['/', '-', '.', '_'])
        .filter_map(|part| part.find(':').map(|at| &part[at..]))
        .all(|p| needed.contains(&p));
    (known && needed.iter().all(|p| pattern.contains(p))).then(|| super::urls::clean(&pattern))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_slugified_as_jekyll_does() {
        for (name, slug) in [
            ("Logiciel libre", "logiciel-libre"),
            ("données", "données"),
            ("C++ & Rust!", "c-rust"),
            ("  2024 ", "2024"),
        ] {
            assert_eq!(jekyll_slug(name), slug, "{name}");
        }
    }

    #[test]
    fn the_plugins_defaults_and_settings() {
        let map: Map<String, Value> = serde_json::from_str(
            r#"{"jekyll-archives": {"enabled": ["year", "tags"], "permalinks": {"year": "/archive/:year/"}}}"#,
        )
        .unwrap_or_default();
        let plugin = read(&map, &["jekyll-archives".into()]).unwrap_or_default();
        assert!(plugin.enabled("year") && plugin.enabled("tags") && !plugin.enabled("day"));
        assert_eq!(plugin.permalink("year"), "/archive/:year/");
        assert_eq!(plugin.permalink("tag"), "/tag/:name/");
        assert!(read(&map, &[]).is_none());
        assert_eq!(
            gazette_pattern("/:type/:year/", "year", &[":year"]).as_deref(),
            Some("/year/:year/")
        );
        assert_eq!(gazette_pattern("/:year/:name/", "year", &[":year"]), None);
    }
}
