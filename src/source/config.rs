//! The site configuration (`site.yml`): typed, with unknown keys refused.

use crate::diagnostic::Rule;
use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
pub(crate) use crate::source::settings::{
    ArchivesConfig, RedirectsFile, RelatedConfig, SearchConfig, TaxonomyConfig,
};
use crate::source::theme::ThemeSettings;

pub(crate) use crate::source::collection_config::{AdminConfig, CollectionConfig, RecordLayout};

/// Everything `site.yml` may say.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's name.
    pub(crate) title: String,
    /// One sentence about the site, used when a page has none.
    #[serde(default)]
    pub(crate) description: String,
    /// The address the site is published at, e.g. `https://example.org`.
    #[serde(default = "default_base_url")]
    pub(crate) base_url: String,
    /// The default language code.
    #[serde(default = "default_language")]
    pub(crate) language: String,
    /// The default author.
    #[serde(default)]
    pub(crate) author: String,
    /// The site's Twitter handle, without `@`.
    #[serde(default)]
    pub(crate) twitter: String,
    /// A short line under the site's name in the header (Jekyll's `tagline`, DSFR's baseline).
    #[serde(default)]
    pub(crate) tagline: String,
    /// The theme, by name (its folder under `themes/`, or a theme built into gazette when the site
    /// has no such folder; `none` for the site's own templates alone), alone or with its settings
    /// (`theme: {name: dsfr, accessibility: …}`, see [`ThemeSettings`]). Without a name,
    /// `themes/default/` is used if the site has it, and the site's own templates alone otherwise.
    #[serde(default, deserialize_with = "crate::source::theme::name_or_settings")]
    pub(crate) theme: ThemeSettings,
    /// How many posts the home page shows.
    #[serde(default = "default_home_posts")]
    pub(crate) home_posts: usize,
    /// Navigation links.
    #[serde(default)]
    pub(crate) menu: Vec<MenuItem>,
    /// Links in the footer.
    #[serde(default)]
    pub(crate) footer_menu: Vec<MenuItem>,
    /// URL patterns.
    #[serde(default)]
    pub(crate) permalinks: Permalinks,
    /// Listing pagination.
    #[serde(default)]
    pub(crate) pagination: Pagination,
    /// RSS and Atom feeds.
    #[serde(default)]
    pub(crate) feed: FeedConfig,
    /// Write sitemap.xml.
    #[serde(default = "default_true")]
    pub(crate) sitemap: bool,
    /// Minify the published HTML and CSS (`minify: true`; off by default, so that the published
    /// files stay readable).
    #[serde(default)]
    pub(crate) minify: bool,
    /// Hidden files and folders among the static files to publish anyway (`.htaccess`,
    /// `.well-known`), paths inside `assets/`, as Jekyll's `include`.
    #[serde(default)]
    pub(crate) include: Vec<String>,
    /// Also write the aliases as a redirect file the host understands: `netlify` or `cloudflare`
    /// (a `_redirects` file, see [`RedirectsFile`]). The HTML redirect pages are written anyway.
    #[serde(default)]
    pub(crate) redirects: Option<RedirectsFile>,
    /// Write `_headers` (Netlify, Cloudflare Pages): a year of browser cache for files whose
    /// names carry their content's fingerprint, and security headers. Unset: written when
    /// `redirects: netlify` is (the same hosts read both files).
    #[serde(default)]
    pub(crate) headers: Option<bool>,
    /// Named record sets.
    #[serde(default)]
    pub(crate) collections: BTreeMap<String, CollectionConfig>,
    /// Editing in the browser (Decap CMS at `/admin/`): served by `gazette serve` always, built
    /// into the output only when asked.
    #[serde(default)]
    pub(crate) admin: AdminConfig,
    /// Front-matter values given to every file under a path.
    #[serde(default)]
    pub(crate) defaults: Vec<DefaultRule>,
    /// The site's languages besides the default one's settings: code → settings.
    #[serde(default)]
    pub(crate) languages: BTreeMap<String, LanguageConfig>,
    /// French typography for French pages, curly quotes for English ones (a page may turn it off).
    #[serde(default = "default_true")]
    pub(crate) typography: bool,
    /// Keep raw HTML written in Markdown bodies (authors are trusted). `false` shows HTML tags as
    /// text and drops HTML comments; `.html` pages are never changed.
    #[serde(default = "default_true")]
    pub(crate) raw_html: bool,
    /// A `#` link beside every heading of a Markdown body (`false`: the headings keep their ids
    /// only, as Jekyll's kramdown writes them).
    #[serde(default = "default_true")]
    pub(crate) heading_anchors: bool,
    /// How photos and pictures are published: sizes, quality, weight limit.
    #[serde(default)]
    pub(crate) images: ImagesConfig,
    /// Free values for templates (`site.extra`).
    #[serde(default)]
    pub(crate) extra: serde_json::Map<String, serde_json::Value>,
    /// The search page and its index (`search: true`, or its settings).
    #[serde(default)]
    pub(crate) search: SearchConfig,
    /// The collection whose records are the posts' authors (`authors: people`).
    #[serde(default)]
    pub(crate) authors: Option<String>,
    /// Related posts under each post (`related: 3`, or its settings).
    #[serde(default)]
    pub(crate) related: RelatedConfig,
    /// List-valued front-matter keys with pages of their own besides tags (`categories`).
    #[serde(default)]
    pub(crate) taxonomies: BTreeMap<String, TaxonomyConfig>,
    /// Year (and month) pages of the blog: `archives: true`, or its settings.
    #[serde(default)]
    pub(crate) archives: ArchivesConfig,
    /// Content rules run by `gazette check`, `build` and `serve` (all off unless written here).
    #[serde(default)]
    pub(crate) rules: RulesConfig,
    /// The label of the `#` link beside headings in each language, from the interface strings
    /// (`anchor_label` in content/data/i18n.yml or the theme's i18n.yml); filled once they are read.
    #[serde(skip)]
    pub(crate) anchor_labels: BTreeMap<String, String>,
    /// In the preview, the address the site is published at (`base_url` then points at the
    /// preview): links naming it are still links inside the site, checked as such.
    #[serde(skip)]
    pub(crate) published_base_url: Option<String>,
}

/// `images:` in site.yml. Every JPEG, PNG or WebP picture a page shows is published in a few
/// widths, as WebP and in its own format, so that a phone does not load a camera's 6 MB photo.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct ImagesConfig {
    /// `false` publishes pictures as they are.
    pub(crate) process: bool,
    /// The widths made, in pixels (a picture is never enlarged).
    pub(crate) widths: Vec<u32>,
    /// Quality of the WebP and JPEG copies, 1–100.
    pub(crate) quality: u8,
    /// The `sizes` attribute of pictures that do not say their width: how wide they are shown.
    pub(crate) sizes: String,
    /// A warning for a picture whose largest copy still weighs more than this many kilobytes.
    pub(crate) max_kb: u64,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            process: true,
            widths: vec![480, 960, 1600],
            quality: 80,
            sizes: "(max-width: 960px) 100vw, 960px".to_string(),
            max_kb: 400,
        }
    }
}

/// A mistake in the setting `key` of site.yml: its name first, then what is wrong and the hint.
fn setting_problem(
    text: &str,
    key: &str,
    message: crate::diagnostic::Text,
    help: crate::diagnostic::Text,
) -> Diagnostic {
    let problem = Diagnostic::error(
        Rule::Config,
        FILE_NAME,
        crate::msg!("`{key}`:", key).then(" ", message),
    )
    .help(help);
    // At the setting's line in site.yml, when it is written there (a default is on no line).
    let path: Vec<&str> = key.split('.').collect();
    match crate::source::yaml::setting_position(text, &path) {
        Some((line, column)) => problem.at(line, column),
        None => problem,
    }
}

impl ImagesConfig {
    /// The mistakes in `images:`.
    fn validate(&self, text: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        if !(1..=100).contains(&self.quality) {
            problems.push(setting_problem(
                text,
                "images.quality",
                crate::msg!("must be between 1 and 100"),
                crate::msg!("80 is a good compromise between weight and sharpness"),
            ));
        }
        if self.widths.is_empty() || self.widths.iter().any(|w| !(16..=8192).contains(w)) {
            problems.push(setting_problem(
                text,
                "images.widths",
                crate::msg!("must list widths between 16 and 8192 pixels"),
                crate::msg!("e.g. [480, 960, 1600]"),
            ));
        }
        problems
    }
}

/// `rules:` in site.yml: which content mistakes `gazette check` (and every build) looks for.
/// Every part is optional; a site without `rules:` only gets the checks gazette always does.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct RulesConfig {
    /// Rules for blog posts; absent = no post rule.
    pub posts: Option<PostRules>,
    /// Rules for the records of each collection, by collection name.
    pub collections: BTreeMap<String, RecordRules>,
    /// Image fields of data files that are not collections: data file name → field names
    /// (looked for at any depth, e.g. `temoignages: [avatar]`).
    pub data_images: BTreeMap<String, Vec<String>>,
    /// Links of the rendered pages.
    pub links: Option<LinkRules>,
    /// Warn about values YAML 1.1 and YAML 1.2 read differently (`yes`, `no`, `on`, `off`, `012`).
    pub yaml_1_1: bool,
}

/// `rules.posts`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct PostRules {
    /// Front-matter keys every post must have.
    pub required: Vec<String>,
    /// Fewest tags a post may have.
    pub min_tags: Option<usize>,
    /// Most tags a post may have.
    pub max_tags: Option<usize>,
    /// When not empty, the only tags allowed.
    pub allowed_tags: Vec<String>,
    /// Front-matter keys holding a social handle (no `@`, no URL), e.g. `twitter`.
    pub handles: Vec<String>,
    /// Front-matter keys holding an image: an absolute path (`/img/a.png`) or an http(s) URL;
    /// local images must exist.
    pub images: Vec<String>,
    /// A `date:` must agree with the date in the file name when both give one.
    pub date_matches_file_name: bool,
    /// Every name of `author:` must be a record of the collection `authors:` names (a warning).
    pub known_authors: bool,
    /// Paths under content/ whose posts these rules skip (e.g. `posts/en/`).
    pub skip: Vec<String>,
}

/// `rules.collections.<name>`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct RecordRules {
    /// Fields every record must have.
    pub required: Vec<String>,
    /// Fields with a fixed set of allowed values: field → values (`promotion: [1, 2, 3, dig]`).
    pub enums: BTreeMap<String, Vec<serde_json::Value>>,
    /// Fields holding a social handle, not a URL and without `@`.
    pub handles: Vec<String>,
    /// Fields holding a web address that must start with `https://`.
    pub https: Vec<String>,
    /// Fields holding an image (absolute path or http(s) URL); local images must exist.
    pub images: Vec<String>,
    /// A field that must equal the record's page URL as gazette computes it (e.g. `link_to`).
    pub url_field: Option<String>,
    /// An avatar field: its image must be square and at least `min_width` pixels wide.
    pub avatar: Option<AvatarRule>,
}

/// `rules.collections.<name>.avatar`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AvatarRule {
    /// The field holding the image path.
    pub field: String,
    /// Smallest width in pixels.
    #[serde(default)]
    pub min_width: u32,
}

/// `rules.links`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct LinkRules {
    /// Check that internal links, images and `#anchors` of rendered pages resolve.
    pub internal: bool,
    /// With `internal`: check only images (for a site whose pages link to files published by
    /// other means).
    pub images_only: bool,
    /// Path prefixes not checked (files published by other means), e.g. `/docs/`.
    pub ignore: Vec<String>,
    /// `--external`: requests at once.
    pub concurrency: usize,
    /// `--external`: seconds before a request gives up.
    pub timeout: u64,
    /// `--external`: days a result stays in `.gazette-cache/external-links.json`.
    pub cache_days: u64,
}

impl Default for LinkRules {
    fn default() -> Self {
        LinkRules {
            internal: true,
            images_only: false,
            ignore: Vec::new(),
            concurrency: 8,
            timeout: 10,
            cache_days: 7,
        }
    }
}

/// One language of the site.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LanguageConfig {
    /// URL prefix: `""` for the default language, `/en` for English...; `/<code>` when not given
    /// (and `""` for the default language).
    #[serde(default)]
    pub prefix: Option<String>,
    /// The site's title in this language.
    #[serde(default)]
    pub title: Option<String>,
    /// The site's description in this language.
    #[serde(default)]
    pub description: Option<String>,
    /// The site's tagline in this language.
    #[serde(default)]
    pub tagline: Option<String>,
    /// The default format of the `date` filter: long, full, short...
    #[serde(default)]
    pub date_format: Option<String>,
    /// Navigation links in this language (the top-level `menu` otherwise).
    #[serde(default)]
    pub menu: Option<Vec<MenuItem>>,
    /// Footer links in this language (the top-level `footer_menu` otherwise).
    #[serde(default)]
    pub footer_menu: Option<Vec<MenuItem>>,
    /// Tag names in this language, by the name posts write (`données: data`): posts of this
    /// language are listed under the translated tag, at its own address.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A navigation link.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MenuItem {
    /// Link text.
    pub title: String,
    /// Target URL.
    pub url: String,
}

/// URL patterns for each kind of page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct Permalinks {
    /// Posts: `:year :month :day :slug :lang`.
    pub post: String,
    /// Pages: `:path` (the file path under content/pages without extension), `:slug`.
    pub page: String,
    /// One tag's page: `:slug`.
    pub tag: String,
    /// The list of all tags.
    pub tags: String,
    /// The blog index.
    pub blog: String,
    /// The site map page ("Plan du site"), for a theme that has a `sitemap.html` template.
    pub sitemap: String,
}

impl Default for Permalinks {
    fn default() -> Self {
        Permalinks {
            post: "/blog/:year/:month/:day/:slug.html".into(),
            page: "/:path.html".into(),
            tag: "/tag/:slug/".into(),
            tags: "/tag/".into(),
            blog: "/blog/".into(),
            sitemap: "/plan-du-site.html".into(),
        }
    }
}

/// How listings are cut into pages.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct Pagination {
    /// Items per page.
    pub size: usize,
    /// Path of page N under the listing, with `:num`.
    pub path: String,
    /// Cut tag pages into pages too (else one page lists all the tag's posts).
    pub tags: bool,
    /// List the blog and tag pages oldest post first (jekyll-paginate-v2's order unless its
    /// `sort_reverse` is set); newest first by default.
    pub oldest_first: bool,
}

impl Default for Pagination {
    fn default() -> Self {
        Pagination {
            size: 10,
            path: "page/:num/".into(),
            tags: true,
            oldest_first: false,
        }
    }
}

/// Feed settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct FeedConfig {
    /// Items per feed.
    pub limit: usize,
    /// RSS file name, relative to the site root and to each tag's folder.
    pub rss: String,
    /// Atom file name; empty for no Atom feed.
    pub atom: String,
    /// Also write feeds for each tag, in the tag's folder.
    pub tags: bool,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            limit: 20,
            rss: "feed.xml".into(),
            atom: "atom.xml".into(),
            tags: true,
        }
    }
}

/// Front-matter values applied to files whose path (under content/) starts with `path`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DefaultRule {
    /// Path prefix under content/, e.g. `posts/en/`.
    pub path: String,
    /// Values applied when the file does not set them.
    pub values: serde_json::Map<String, serde_json::Value>,
}

fn default_base_url() -> String {
    "http://localhost".into()
}
fn default_language() -> String {
    "fr".into()
}
fn default_home_posts() -> usize {
    5
}
fn default_true() -> bool {
    true
}

/// The file name of the configuration inside a site folder.
pub(crate) const FILE_NAME: &str = "site.yml";

impl Config {
    /// The theme's name (`default` when site.yml names none).
    pub(crate) fn theme_name(&self) -> &str {
        self.theme.name.as_deref().unwrap_or("default")
    }

    /// True when site.yml names a theme.
    pub(crate) fn names_theme(&self) -> bool {
        self.theme.name.is_some()
    }

    /// True when site.yml says `theme: none`: the site's own templates alone.
    pub(crate) fn without_theme(&self) -> bool {
        self.theme.name.as_deref() == Some("none")
    }

    /// Reads and checks `site.yml` in `root`.
    pub(crate) fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(FILE_NAME);
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    return Err(vec![
                        Diagnostic::error(
                            Rule::Encoding,
                            FILE_NAME,
                            crate::msg!("site.yml is not valid UTF-8 text"),
                        )
                        .help(crate::msg!("save the file as UTF-8 in your editor")),
                    ]);
                }
            },
            Err(error) => {
                return Err(vec![
                    Diagnostic::error(
                        Rule::Config,
                        FILE_NAME,
                        crate::msg!(
                            "cannot read site.yml in {folder}: {error}",
                            folder = root.display(),
                            error
                        ),
                    )
                    .help(crate::msg!(
                        "run gazette in the site's folder, or give it with --source DIR"
                    )),
                ]);
            }
        };
        Config::from_text(&text)
    }

    /// Parses and checks the text of a `site.yml` (a leading BOM is allowed).
    pub fn from_text(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let config: Config =
            crate::source::yaml::parse_typed(text, Path::new(FILE_NAME), 1).map_err(|d| vec![d])?;
        let mut problems = config.validate(text);
        problems.extend(crate::source::theme::validate(&config, text));
        problems.extend(crate::source::collection_config::validate_listings(
            &config.collections,
            text,
        ));
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// The collection settings given per language: (site.yml key, language named).
    fn per_language_settings(&self) -> Vec<(String, &String)> {
        self.collections
            .iter()
            .flat_map(|(name, c)| {
                let permalinks = c
                    .permalinks
                    .keys()
                    .map(move |l| (format!("collections.{name}.permalinks.{l}"), l));
                let listings = c
                    .listings
                    .keys()
                    .map(move |l| (format!("collections.{name}.listings.{l}"), l));
                let languages = c
                    .languages
                    .iter()
                    .flatten()
                    .map(move |l| (format!("collections.{name}.languages"), l));
                permalinks.chain(listings).chain(languages)
            })
            .collect()
    }

    fn validate(&self, text: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        if self.pagination.size == 0 {
            problems.push(setting_problem(
                text,
                "pagination.size",
                crate::msg!("must be at least 1"),
                crate::msg!("set it to the number of posts per page, e.g. 10"),
            ));
        }
        if !self.pagination.path.contains(":num") {
            problems.push(setting_problem(
                text,
                "pagination.path",
                crate::msg!("must contain `:num`"),
                crate::msg!("e.g. page/:num/"),
            ));
        }
        problems.extend(self.images.validate(text));
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            problems.push(setting_problem(
                text,
                "base_url",
                crate::msg!("`{url}` is not an http(s) address", url = self.base_url),
                crate::msg!("write the full address, e.g. https://example.org"),
            ));
        }
        problems.extend(
            (self.archives.problems().into_iter())
                .map(|(key, message, help)| setting_problem(text, &key, message, help)),
        );
        for (name, collection) in &self.collections {
            problems.extend(collection.layout_problem(name).map(|(key, message, help)| {
                setting_problem(text, &format!("collections.{name}.{key}"), message, help)
            }));
            for (field, target) in &collection.references {
                if !self.collections.contains_key(target) {
                    problems.push(setting_problem(
                        text,
                        &format!("collections.{name}.references.{field}"),
                        crate::msg!("there is no collection named `{target}`", target),
                        crate::msg!("name one of the collections declared under `collections:`"),
                    ));
                }
            }
        }
        // Settings given per language name declared languages (a typo would be silently unused).
        let per_language = self.per_language_settings();
        for (key, lang) in per_language {
            if !self.has_language(lang) {
                problems.push(setting_problem(
                    text,
                    &key,
                    crate::msg!("`{lang}` is not a language of the site", lang),
                    crate::msg!(
                        "use one of: {allowed}",
                        allowed = self.language_codes().join(", ")
                    ),
                ));
            }
        }
        // Every path the config gives becomes part of an output file's name: none may leave the
        // output folder.
        let mut paths: Vec<(String, String)> = vec![
            ("permalinks.post".into(), self.permalinks.post.clone()),
            ("permalinks.page".into(), self.permalinks.page.clone()),
            ("permalinks.tag".into(), self.permalinks.tag.clone()),
            ("permalinks.tags".into(), self.permalinks.tags.clone()),
            ("permalinks.blog".into(), self.permalinks.blog.clone()),
            ("permalinks.sitemap".into(), self.permalinks.sitemap.clone()),
            ("pagination.path".into(), self.pagination.path.clone()),
            ("feed.rss".into(), self.feed.rss.clone()),
            ("feed.atom".into(), self.feed.atom.clone()),
        ];
        paths.extend(self.browse_paths());
        for (name, collection) in &self.collections {
            paths.push((
                format!("collections.{name}.permalink"),
                collection.permalink.clone(),
            ));
            if let Some(listing) = &collection.listing {
                paths.push((format!("collections.{name}.listing"), listing.clone()));
            }
            for (lang, pattern) in &collection.permalinks {
                paths.push((
                    format!("collections.{name}.permalinks.{lang}"),
                    pattern.clone(),
                ));
            }
            for (lang, listing) in &collection.listings {
                paths.push((
                    format!("collections.{name}.listings.{lang}"),
                    listing.clone(),
                ));
            }
        }
        for code in self.language_codes() {
            paths.push((format!("languages.{code}"), self.lang_prefix(&code)));
        }
        for (key, path) in paths {
            if let Err(message) =
                crate::text::url::check_safe(&crate::text::url::normalize_permalink(&path))
            {
                problems.push(setting_problem(
                    text,
                    &key,
                    message,
                    crate::msg!("write a path inside the site, made of names separated by `/`, e.g. /blog/:slug/"),
                ));
            }
        }
        problems
    }

    /// What screen readers say for the `#` link beside a heading in language `lang`: the site's
    /// `anchor_label` interface string, else gazette's own words; nothing when the site has no
    /// such links (`heading_anchors: false`).
    pub(crate) fn anchor_label(&self, lang: &str) -> std::borrow::Cow<'static, str> {
        if !self.heading_anchors {
            return "".into();
        }
        match self.anchor_labels.get(lang) {
            Some(label) => label.clone().into(),
            None => crate::markdown::anchor_label(lang).into(),
        }
    }

    /// The URL pattern of `collection`'s record pages in language `lang`.
    pub(crate) fn record_permalink(&self, collection: &CollectionConfig, lang: &str) -> String {
        if lang == self.language {
            return collection.permalink.clone();
        }
        match collection.permalinks.get(lang) {
            Some(pattern) => pattern.clone(),
            None => format!("{}{}", self.lang_prefix(lang), collection.permalink),
        }
    }

    /// The URL of `collection`'s listing in language `lang`, when it has one.
    pub(crate) fn listing_url(&self, collection: &CollectionConfig, lang: &str) -> Option<String> {
        let listing = collection.listing.as_ref()?;
        // A collection without pages in `lang` is listed in the default language.
        if lang == self.language || !collection.has_language(lang) {
            return Some(listing.clone());
        }
        Some(match collection.listings.get(lang) {
            Some(url) => url.clone(),
            None => format!("{}{listing}", self.lang_prefix(lang)),
        })
    }

    /// Every language code, the default one first.
    pub fn language_codes(&self) -> Vec<String> {
        let mut codes = vec![self.language.clone()];
        codes.extend(
            self.languages
                .keys()
                .filter(|c| **c != self.language)
                .cloned(),
        );
        codes
    }

    /// The URL prefix of a language (`""` for the default one, `/en` for English), without a trailing slash.
    pub fn lang_prefix(&self, lang: &str) -> String {
        let configured = self.languages.get(lang).and_then(|l| l.prefix.clone());
        let prefix = match configured {
            Some(prefix) => prefix,
            None if lang == self.language => String::new(),
            None => format!("/{lang}"),
        };
        let trimmed = prefix.trim_matches('/');
        if trimmed.is_empty() {
            String::new()
        } else {
            format!("/{trimmed}")
        }
    }

    /// True when `code` is a language of the site.
    pub(crate) fn has_language(&self, code: &str) -> bool {
        code == self.language || self.languages.contains_key(code)
    }

    /// The base URL without a trailing slash.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The address the site is published at, without a trailing slash: [`Config::base`], except
    /// in the preview, whose `base_url` is its own address.
    pub(crate) fn published_base(&self) -> &str {
        self.published_base_url
            .as_deref()
            .unwrap_or(&self.base_url)
            .trim_end_matches('/')
    }

    /// The path the site is published under, from `base_url`, without its final slash: `/site`
    /// for `https://org.github.io/site/`, empty for a site at the root of its host.
    pub(crate) fn base_path(&self) -> &str {
        crate::text::url::base_path_of(&self.base_url)
    }
}
