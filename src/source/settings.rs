//! Settings of site.yml kept beside `config.rs`: the host's redirect file, and how visitors find
//! and browse the site (search, related posts, archives).

use crate::diagnostic::Text;
use serde::{Deserialize, Deserializer, Serialize};

/// Redirect files a host reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RedirectsFile {
    /// `_redirects` for Netlify: one `old new 301!` rule a line. Forced (`!`), because Netlify
    /// serves a file found at the old address rather than apply a plain rule, and the HTML
    /// redirect page is such a file.
    Netlify,
    /// `_redirects` for Cloudflare Pages: one `old new 301` rule a line. Cloudflare applies every
    /// rule whatever the files, and refuses the `!` of Netlify.
    Cloudflare,
}

impl RedirectsFile {
    /// The status written at the end of a permanent redirect rule.
    pub(crate) fn permanent(self) -> &'static str {
        match self {
            RedirectsFile::Netlify => "301!",
            RedirectsFile::Cloudflare => "301",
        }
    }
}

/// `search:` in site.yml: a search page (its template `search.html`) and the index it reads,
/// built with the site. `search: true`, or `search: {url: /recherche/}`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SearchConfig {
    /// Build the index and the search page.
    pub(crate) enabled: bool,
    /// The search page's path (under each language's prefix).
    pub(crate) url: String,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: false,
            url: "/search/".into(),
        }
    }
}

/// `search: {…}` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchSettings {
    #[serde(default = "yes")]
    enabled: bool,
    url: Option<String>,
}

fn yes() -> bool {
    true
}

/// A setting written as a switch (`true`), a number, or its settings.
#[derive(Deserialize)]
#[serde(untagged)]
enum Written<T> {
    Switch(bool),
    Number(usize),
    Settings(T),
}

impl<'de> Deserialize<'de> for SearchConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut config = SearchConfig::default();
        match Written::<SearchSettings>::deserialize(deserializer)? {
            Written::Switch(on) => config.enabled = on,
            Written::Number(_) => {
                return Err(serde::de::Error::custom(
                    "expected true, false or settings such as {url: /recherche/}",
                ));
            }
            Written::Settings(settings) => {
                config.enabled = settings.enabled;
                if let Some(url) = settings.url {
                    config.url = url;
                }
            }
        }
        Ok(config)
    }
}

/// `related:` in site.yml: under each post, the posts sharing the most of its tags (a rarer
/// shared tag weighs more), computed once per build. `related: 3`, or `{limit: 3}`.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct RelatedConfig {
    /// How many related posts each post shows (0: none).
    pub(crate) limit: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelatedSettings {
    limit: usize,
}

impl<'de> Deserialize<'de> for RelatedConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let limit = match Written::<RelatedSettings>::deserialize(deserializer)? {
            Written::Switch(on) => usize::from(on) * 3,
            Written::Number(n) => n,
            Written::Settings(settings) => settings.limit,
        };
        Ok(RelatedConfig { limit })
    }
}

/// `archives:` in site.yml: a page for each year of the blog (`/blog/2024/`), and for each month
/// when asked (`/blog/2024/05/`), in each language. `archives: true`, or
/// `{months: true, paginate: 50}`; `path: "/:year/"` and `month_path: "/:year/:month/"` put the
/// pages elsewhere (as Jekyll's jekyll-archives does).
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct ArchivesConfig {
    /// Write the year pages.
    pub(crate) enabled: bool,
    /// Write month pages too.
    pub(crate) months: bool,
    /// Posts per archive page (0: all of the year on one page).
    pub(crate) paginate: usize,
    /// The path of a year's page, with `:year` (the blog's path then `:year/` unless given).
    pub(crate) path: Option<String>,
    /// The path of a month's page, with `:year` and `:month` (`:month` is two digits).
    pub(crate) month_path: Option<String>,
}

impl ArchivesConfig {
    /// The archive path patterns that cannot be used, each with the setting's key, what is wrong
    /// and how to fix it: a pattern must name the parts that tell archives apart, and only them.
    pub(crate) fn problems(&self) -> Vec<(String, Text, Text)> {
        let checks = [
            ("archives.path", &self.path, &[":year"][..]),
            (
                "archives.month_path",
                &self.month_path,
                &[":year", ":month"][..],
            ),
        ];
        let mut problems = Vec::new();
        for (key, pattern, needed) in checks {
            let Some(pattern) = pattern else { continue };
            let parts = needed.join(" ");
            let unknown = pattern
                .split(['/', '-', '.', '_'])
                .filter_map(|part| part.find(':').map(|at| &part[at..]))
                .find(|p| !needed.contains(p));
            if needed.iter().any(|p| !pattern.contains(p)) {
                problems.push((
                    key.to_string(),
                    crate::msg!(
                        "`{pattern}` must contain {parts}, or archives would share one address",
                        pattern,
                        parts
                    ),
                    crate::msg!(
                        "write e.g. `/archives/{example}/`",
                        example = needed.join("/")
                    ),
                ));
            } else if let Some(unknown) = unknown {
                problems.push((
                    key.to_string(),
                    crate::msg!("`{unknown}` is not a part of an archive's address", unknown),
                    crate::msg!("use only {parts}", parts),
                ));
            }
        }
        problems
    }

    /// The path of the first page of a year (`month` None) or month archive, before any language
    /// prefix; `blog` is the blog listing's path, ending with `/`.
    pub(crate) fn url(&self, blog: &str, year: i32, month: Option<u32>) -> String {
        let (year, month) = (year.to_string(), month.map(|m| format!("{m:02}")));
        let pattern = match (&month, &self.path, &self.month_path) {
            (None, Some(path), _) => path.clone(),
            (None, None, _) => format!("{blog}:year/"),
            (Some(_), _, Some(path)) => path.clone(),
            (Some(_), _, None) => format!("{blog}:year/:month/"),
        };
        crate::text::url::expand(
            &pattern,
            &[("year", &year), ("month", month.as_deref().unwrap_or(""))],
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArchivesSettings {
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    months: bool,
    #[serde(default)]
    paginate: usize,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    month_path: Option<String>,
}

impl<'de> Deserialize<'de> for ArchivesConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(
            match Written::<ArchivesSettings>::deserialize(deserializer)? {
                Written::Switch(enabled) => ArchivesConfig {
                    enabled,
                    ..ArchivesConfig::default()
                },
                Written::Number(_) => {
                    return Err(serde::de::Error::custom(
                        "expected true, false or settings such as {months: true, paginate: 50}",
                    ));
                }
                Written::Settings(s) => ArchivesConfig {
                    enabled: s.enabled,
                    months: s.months || s.month_path.is_some(),
                    paginate: s.paginate,
                    path: s.path,
                    month_path: s.month_path,
                },
            },
        )
    }
}

/// One taxonomy of `taxonomies:` in site.yml besides the built-in tags: a list-valued
/// front-matter key (`categories: [Guides]`) whose every value gets a page listing its posts
/// (paginated), a feed, and a page listing the values.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct TaxonomyConfig {
    /// The path of a value's page, with `:slug` (`/categories/:slug/` unless given).
    pub(crate) permalink: Option<String>,
    /// The path of the list of values (`/categories/` unless given).
    pub(crate) list: Option<String>,
    /// An RSS (and Atom) feed in each value's folder.
    pub(crate) feed: bool,
    /// Cut each value's page by `pagination.size`.
    pub(crate) paginate: bool,
    /// How much a shared value counts for related posts (a shared tag counts 1).
    pub(crate) weight: f64,
}

impl Default for TaxonomyConfig {
    fn default() -> Self {
        TaxonomyConfig {
            permalink: None,
            list: None,
            feed: true,
            paginate: true,
            weight: 1.0,
        }
    }
}

impl TaxonomyConfig {
    /// The pattern of a value's page of taxonomy `name`.
    pub(crate) fn permalink_of(&self, name: &str) -> String {
        self.permalink
            .clone()
            .unwrap_or_else(|| format!("/{name}/:slug/"))
    }

    /// The list page of taxonomy `name` (without language prefix).
    pub(crate) fn list_of(&self, name: &str) -> String {
        self.list.clone().unwrap_or_else(|| format!("/{name}/"))
    }
}

impl crate::source::config::Config {
    /// The taxonomies of site.yml with pages (every one but `tags`, built in), by name.
    pub(crate) fn extra_taxonomies(&self) -> impl Iterator<Item = (&String, &TaxonomyConfig)> {
        self.taxonomies.iter().filter(|(name, _)| *name != "tags")
    }

    /// The paths of the settings of this file, checked like every path of site.yml.
    pub(crate) fn browse_paths(&self) -> Vec<(String, String)> {
        let mut paths = vec![("search.url".to_string(), self.search.url.clone())];
        for (key, path) in [
            ("archives.path", &self.archives.path),
            ("archives.month_path", &self.archives.month_path),
        ] {
            if let Some(path) = path {
                paths.push((key.to_string(), path.clone()));
            }
        }
        for (name, taxonomy) in self.extra_taxonomies() {
            paths.push((
                format!("taxonomies.{name}.permalink"),
                taxonomy.permalink_of(name),
            ));
            paths.push((format!("taxonomies.{name}.list"), taxonomy.list_of(name)));
        }
        paths
    }
}
