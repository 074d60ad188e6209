//! Turns the site model into output files in memory: tera templates (the only module that knows tera),
//! listings, feeds, sitemap and redirects, rendered in parallel. No file is written here.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Kwargs, State, Tera, Value};

use crate::diagnostic::Diagnostic;
use crate::discover::Kind;
use crate::site::{Page, Post, Record, RenderedBody, Site};
use crate::{dates, feed, markdown, url};

/// The bytes of one output file, or the source file to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Generated content.
    Bytes(Vec<u8>),
    /// A file copied as it is (absolute path).
    Copy(PathBuf),
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the output folder, with `/`.
    pub path: String,
    /// What goes in it.
    pub body: Body,
    /// The source file it comes from, when there is one (for "two pages on one URL").
    pub source: Option<PathBuf>,
}

impl Output {
    fn generated(url: &str, bytes: impl Into<Vec<u8>>, source: Option<&Path>) -> Output {
        Output {
            path: url::output_path(url),
            body: Body::Bytes(bytes.into()),
            source: source.map(Path::to_path_buf),
        }
    }
}

/// The templates of a site, parsed once, with gazette's filters and functions.
pub struct Templates {
    tera: Tera,
    /// Non-fatal findings: interface strings missing in a language.
    pub warnings: Vec<Diagnostic>,
    /// Template name → file, to point errors at the file.
    files: HashMap<String, PathBuf>,
}

/// The prefix of the theme's template names (the site's own templates have none, so they win).
pub const THEME_PREFIX: &str = "theme/";

impl Templates {
    /// Parses the theme's and the site's templates (the site's win on equal names).
    pub fn load(site: &Site) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let mut problems = Vec::new();
        if let Err(error) = tera.set_fallback_prefixes([THEME_PREFIX]) {
            problems.push(Diagnostic::error(
                "template",
                "templates",
                error.to_string(),
            ));
        }
        tera.autoescape_on(vec![".html", ".xml", ".htm"]);
        let mut files = HashMap::new();
        let mut sources = Vec::new();
        for file in &site.sources.files {
            let Some(name) = template_name(file) else {
                continue;
            };
            match crate::load::read_text(&site.root, &file.path) {
                Ok(text) => {
                    files.insert(name.clone(), file.path.clone());
                    sources.push((name, text));
                }
                Err(d) => problems.push(d),
            }
        }
        // A `render: tera` page's body is a template of its own, named after its file.
        for page in site.pages.iter().filter(|p| renders_with_tera(p)) {
            let name = page_template_name(page);
            files.insert(name.clone(), page.file.clone());
            sources.push((name, page.body.html.clone()));
        }
        // Templates are checked against the known functions and filters when added.
        register_functions(&mut tera, site);
        if let Err(error) = tera.add_raw_templates(sources) {
            problems.push(template_error(&error, &files, None));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let warnings = missing_interface_strings(site, &files);
        Ok(Templates {
            tera,
            files,
            warnings,
        })
    }

    /// True when a template of this name exists (in the site or the theme).
    pub fn has(&self, name: &str) -> bool {
        self.tera
            .get_template_names()
            .any(|n| n == name || n.strip_prefix(THEME_PREFIX) == Some(name))
    }

    fn render(
        &self,
        name: &str,
        context: &Context,
        source: Option<&Path>,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| template_error(&e, &self.files, source))
    }
}

/// Checks that `text` is a template tera can parse (only the syntax: gazette's filters and
/// functions are not known here). Returns tera's message when it is not.
pub fn check_template(text: &str) -> Result<(), String> {
    let mut tera = Tera::new();
    tera.add_raw_template("check.html", text)
        .map(|_| ())
        .map_err(|e| {
            let mut message = e.to_string();
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                message.push_str(": ");
                message.push_str(&c.to_string());
                cause = c.source();
            }
            message
        })
}

/// True for a page whose front matter says `render: tera`.
fn renders_with_tera(page: &Page) -> bool {
    page.extra.get("render").and_then(serde_json::Value::as_str) == Some("tera")
}

fn page_template_name(page: &Page) -> String {
    format!("page-body:{}", page.file.display())
}

/// The name tera knows a template file by: its path under `templates/`, with the theme's behind
/// a prefix so that the site's own templates win; None for other files.
pub fn template_name(file: &crate::discover::SourceFile) -> Option<String> {
    match file.kind {
        Kind::Template { theme: true } => Some(format!("{THEME_PREFIX}{}", file.relative)),
        Kind::Template { theme: false } => Some(file.relative.clone()),
        _ => None,
    }
}

fn template_error(
    error: &tera::Error,
    files: &HashMap<String, PathBuf>,
    source: Option<&Path>,
) -> Diagnostic {
    use tera::ErrorKind;
    let file_of = |name: &str| {
        files
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name))
    };
    let for_page = source
        .map(|s| format!(" (while rendering {})", s.display()))
        .unwrap_or_default();
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            Diagnostic::error("template", file_of(report.filename()), format!("{}{for_page}", report.message()))
                .at(span.start_line, span.start_col + 1)
                .help("fix the template at this place; the tera documentation lists what templates may contain")
        }
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            "template",
            source.map_or_else(|| PathBuf::from("templates"), Path::to_path_buf),
            format!("the template `{name}` does not exist{for_page}"),
        )
        .help("create it in templates/ or in the theme, or correct the name"),
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            "template",
            file_of(current),
            format!("`{current}` extends `{parent}`, which does not exist"),
        )
        .help("correct the name in {% extends %} or create the parent template"),
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Diagnostic::error(
            "template",
            file_of(tpl),
            format!(
                "templates extend each other in a circle: {}",
                inheritance_chain.join(" → ")
            ),
        )
        .help("one of these templates must not extend another"),
        ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::error(
            "template",
            file_of(tpl),
            format!(
                "templates include each other in a circle: {}",
                include_chain.join(" → ")
            ),
        )
        .help("remove one of these {% include %}"),
        _ => {
            let mut message = error.to_string();
            let mut cause = std::error::Error::source(error);
            while let Some(c) = cause {
                message.push_str(": ");
                message.push_str(&c.to_string());
                cause = c.source();
            }
            Diagnostic::error(
                "template",
                source.map_or_else(|| PathBuf::from("templates"), Path::to_path_buf),
                format!("{message}{for_page}"),
            )
            .help("check the template named in the message")
        }
    }
}

fn register_functions(tera: &mut Tera, site: &Site) {
    let base = site.config.base().to_string();
    let default_lang = site.config.language.clone();
    tera.register_filter("abs_url", move |path: String, _: Kwargs, _: &State| {
        url::absolute(&base, &path)
    });
    tera.register_filter("slugify", |text: String, _: Kwargs, _: &State| {
        markdown::slugify(&text)
    });
    let lang_for_dates = default_lang.clone();
    let date_formats: HashMap<String, String> = site
        .config
        .languages
        .iter()
        .filter_map(|(code, l)| l.date_format.clone().map(|f| (code.clone(), f)))
        .collect();
    let lang_for_fields = default_lang.clone();
    tera.register_filter(
        "localized",
        move |fields: &tera::Map, kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let field: String = kwargs.must_get("field")?;
            let lang: String = state
                .get::<String>("lang")?
                .unwrap_or_else(|| lang_for_fields.clone());
            let translated = tera::value::Key::from(format!("{field}_{lang}"));
            let plain = tera::value::Key::from(field);
            Ok(fields
                .get(&translated)
                .filter(|_| lang != lang_for_fields)
                .or_else(|| fields.get(&plain))
                .cloned()
                .unwrap_or_else(Value::none))
        },
    );
    tera.register_filter("date", move |value: String, kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
        let lang: String = match kwargs.get::<String>("lang")? {
            Some(lang) => lang,
            None => state.get::<String>("lang")?.unwrap_or_else(|| lang_for_dates.clone()),
        };
        let format: String =
            kwargs.get("format")?.or_else(|| date_formats.get(&lang).cloned()).unwrap_or_else(|| "long".to_string());
        let date = dates::parse(&value).ok_or_else(|| tera::Error::message(format!("`{value}` is not a date (expected YYYY-MM-DD)")))?;
        dates::format(date, &format, &lang).ok_or_else(|| {
            tera::Error::message(format!("unknown date format `{format}`: use long, full, short, month, year, iso, rfc3339 or rfc822"))
        })
    });
    let strings = Arc::new(interface_strings(site));
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let key: String = kwargs.must_get("key")?;
            let lang: String = match kwargs.get::<String>("lang")? {
                Some(lang) => lang,
                None => state
                    .get::<String>("lang")?
                    .unwrap_or_else(|| default_lang.clone()),
            };
            Ok(strings
                .get(&lang)
                .and_then(|m| m.get(&key))
                .or_else(|| strings.get(&default_lang).and_then(|m| m.get(&key)))
                .cloned()
                .unwrap_or(key))
        },
    );
}

/// Keys used with `t(key="...")` in templates but missing from `data.i18n` for a language.
fn missing_interface_strings(site: &Site, files: &HashMap<String, PathBuf>) -> Vec<Diagnostic> {
    let strings = interface_strings(site);
    if strings.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut names: Vec<(&String, &PathBuf)> = files.iter().collect();
    names.sort();
    for (name, path) in names {
        // A site template overriding a theme template hides it: only check what is used.
        if name
            .strip_prefix(THEME_PREFIX)
            .is_some_and(|plain| files.contains_key(plain))
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(site.root.join(path)) else {
            continue;
        };
        for (index, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(start) = rest.find("t(key=\"") {
                let after = &rest[start + 7..];
                let Some(end) = after.find('"') else { break };
                let key = &after[..end];
                // `t(key="role_" ~ role)` builds its key at render time: only literal keys are checked.
                let literal = after[end + 1..].trim_start().starts_with([')', ',']);
                for lang in site.config.language_codes().into_iter().filter(|_| literal) {
                    if !strings.get(&lang).is_some_and(|m| m.contains_key(key)) {
                        let column = line.len() - rest.len() + start + 1;
                        found.push(
                            Diagnostic::warning(
                                "i18n",
                                path.clone(),
                                format!("the interface string `{key}` has no `{lang}` text"),
                            )
                            .at(index + 1, column)
                            .help(format!(
                                "add `{key}: ...` under `{lang}:` in content/data/i18n.yml"
                            )),
                        );
                    }
                }
                rest = &after[end..];
            }
        }
    }
    found
}

/// `data.i18n`: language → key → text.
fn interface_strings(site: &Site) -> HashMap<String, HashMap<String, String>> {
    let mut out = HashMap::new();
    if let Some(serde_json::Value::Object(langs)) = site.data.get("i18n").map(|d| &d.value) {
        for (lang, strings) in langs {
            if let serde_json::Value::Object(strings) = strings {
                let map = strings
                    .iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect();
                out.insert(lang.clone(), map);
            }
        }
    }
    out
}

/// One language's share of the site.
struct Language {
    code: String,
    prefix: String,
    home_url: String,
    /// Indices into `Site::posts`, newest first.
    posts: Vec<usize>,
    /// `site` as seen from this language.
    site: Value,
}

/// Template values built once per build and shared by every page (tera values are reference counted).
struct Shared {
    languages: Vec<Language>,
    /// Post cards, computed only for the posts the rendered listings show.
    post_cards: Vec<Option<Value>>,
    records: Vec<Vec<Value>>,
}

impl Shared {
    fn card(&self, i: usize) -> Value {
        self.post_cards
            .get(i)
            .cloned()
            .flatten()
            .unwrap_or_else(Value::none)
    }
}

fn body_fields(map: &mut BTreeMap<&'static str, Value>, body: &RenderedBody, with_content: bool) {
    if with_content {
        map.insert("content", Value::safe_string(&body.html));
    }
    map.insert("summary", Value::safe_string(&body.summary));
    map.insert("word_count", Value::from(body.word_count));
    map.insert("reading_time", Value::from(body.reading_time));
    map.insert("toc", Value::from_serializable(&body.toc));
}

fn tag_list(site: &Site, lang: &str, names: &[String]) -> Value {
    let items: Vec<Value> = names
        .iter()
        .map(|name| {
            let slug = markdown::slugify(name);
            // `site.tags` is sorted by language then slug: a binary search keeps posts with many
            // tags on sites with many tags linear (a scan here took minutes for 100,000 tags).
            let found = site
                .tags
                .binary_search_by(|t| {
                    (t.lang.as_str(), t.slug.as_str()).cmp(&(lang, slug.as_str()))
                })
                .ok()
                .and_then(|i| site.tags.get(i))
                .or_else(|| site.tags.iter().find(|t| t.slug == slug && t.lang == lang));
            let url = found.map(|t| t.url.clone()).unwrap_or_default();
            let mut m = BTreeMap::new();
            m.insert("name", Value::from(name.as_str()));
            m.insert("slug", Value::from(slug));
            m.insert("url", Value::from(url));
            Value::from(m)
        })
        .collect();
    Value::from(items)
}

fn post_value(site: &Site, index: usize, post: &Post, with_content: bool) -> Value {
    let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
    m.insert("kind", Value::from("post"));
    m.insert("title", Value::from(post.title.as_str()));
    m.insert("url", Value::from(post.url.as_str()));
    m.insert(
        "permalink",
        Value::from(url::absolute(site.config.base(), &post.url)),
    );
    m.insert(
        "date",
        Value::from(post.date.format("%Y-%m-%d").to_string()),
    );
    m.insert("datetime", Value::from(dates::rfc3339(post.date)));
    m.insert("author", Value::from(post.author.as_str()));
    m.insert("description", Value::from(post.description.as_str()));
    m.insert("image", Value::from(post.image.as_str()));
    m.insert("twitter", Value::from(post.twitter.as_str()));
    m.insert("lang", Value::from(post.lang.as_str()));
    m.insert("slug", Value::from(post.slug.as_str()));
    m.insert("draft", Value::from(post.draft));
    m.insert("tags", tag_list(site, &post.lang, &post.tags));
    m.insert("extra", Value::from_serializable(&post.extra));
    m.insert(
        "translations",
        translations(site, post.translation_key.as_deref(), &post.lang),
    );
    body_fields(&mut m, &post.body, with_content);
    if with_content {
        // Posts are newest first: the previous (older) post is the next index.
        let neighbour = |i: Option<usize>| -> Value {
            match i.and_then(|i| site.posts.get(i)) {
                Some(p) => {
                    let mut n = BTreeMap::new();
                    n.insert("title", Value::from(p.title.as_str()));
                    n.insert("url", Value::from(p.url.as_str()));
                    Value::from(n)
                }
                None => Value::none(),
            }
        };
        m.insert("previous", neighbour(index.checked_add(1)));
        m.insert("next", neighbour(index.checked_sub(1)));
    }
    Value::from(m)
}

fn translations(site: &Site, key: Option<&str>, own_lang: &str) -> Value {
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    if let Some(key) = key {
        let posts = site
            .posts
            .iter()
            .filter(|p| p.translation_key.as_deref() == Some(key))
            .map(|p| (&p.lang, &p.url));
        let pages = site
            .pages
            .iter()
            .filter(|p| p.translation_key.as_deref() == Some(key))
            .map(|p| (&p.lang, &p.url));
        for (lang, url) in posts.chain(pages) {
            if lang != own_lang {
                out.insert(lang.clone(), Value::from(url.as_str()));
            }
        }
    }
    Value::from(out)
}

fn page_value(site: &Site, page: &Page) -> Value {
    page_value_with(site, page, &page.body)
}

fn page_value_with(site: &Site, page: &Page, body: &RenderedBody) -> Value {
    let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
    m.insert("kind", Value::from("page"));
    m.insert("title", Value::from(page.title.as_str()));
    m.insert("url", Value::from(page.url.as_str()));
    m.insert(
        "permalink",
        Value::from(url::absolute(site.config.base(), &page.url)),
    );
    m.insert("description", Value::from(page.description.as_str()));
    m.insert("image", Value::from(page.image.as_str()));
    m.insert("lang", Value::from(page.lang.as_str()));
    m.insert("tags", Value::from(Vec::<Value>::new()));
    m.insert("extra", Value::from_serializable(&page.extra));
    m.insert(
        "translations",
        translations(site, page.translation_key.as_deref(), &page.lang),
    );
    body_fields(&mut m, body, true);
    Value::from(m)
}

fn record_value(site: &Site, collection: usize, record: &Record) -> Value {
    let name = &site.collections[collection].name;
    let link = |&(c, r): &(usize, usize)| -> Value {
        let target = &site.collections[c].records[r];
        let mut m = BTreeMap::new();
        m.insert("key", Value::from(target.key.as_str()));
        m.insert("title", Value::from(target.title.as_str()));
        m.insert("url", Value::from(target.url.as_str()));
        m.insert("fields", Value::from_serializable(&target.fields));
        Value::from(m)
    };
    let group = |groups: &BTreeMap<String, Vec<(usize, usize)>>| -> Value {
        let map: BTreeMap<String, Value> = groups
            .iter()
            .map(|(k, list)| {
                (
                    k.clone(),
                    Value::from(list.iter().map(link).collect::<Vec<_>>()),
                )
            })
            .collect();
        Value::from(map)
    };
    let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
    m.insert("key", Value::from(record.key.as_str()));
    m.insert("title", Value::from(record.title.as_str()));
    m.insert("url", Value::from(record.url.as_str()));
    m.insert(
        "permalink",
        Value::from(url::absolute(site.config.base(), &record.url)),
    );
    m.insert("collection", Value::from(name.as_str()));
    m.insert("slug", Value::from(record.slug.as_str()));
    m.insert("fields", Value::from_serializable(&record.fields));
    m.insert(
        "content",
        record
            .body
            .as_ref()
            .map_or_else(Value::none, |b| Value::safe_string(&b.html)),
    );
    m.insert("links", group(&record.links));
    m.insert("related", group(&record.related));
    Value::from(m)
}

/// `site` as templates see it in one language: the language's title, description, menu and
/// listing URLs, and the list of all languages for a switcher.
fn site_value(site: &Site, lang: &str) -> Value {
    let config = &site.config;
    let settings = config.languages.get(lang);
    let prefix = config.lang_prefix(lang);
    let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
    let title = settings
        .and_then(|l| l.title.as_deref())
        .unwrap_or(&config.title);
    let description = settings
        .and_then(|l| l.description.as_deref())
        .unwrap_or(&config.description);
    let menu = settings
        .and_then(|l| l.menu.as_ref())
        .unwrap_or(&config.menu);
    m.insert("title", Value::from(title));
    m.insert("description", Value::from(description));
    m.insert("lang_prefix", Value::from(prefix.as_str()));
    m.insert("home_url", Value::from(format!("{prefix}/")));
    let languages: Vec<Value> = config
        .language_codes()
        .iter()
        .map(|code| {
            let mut l = BTreeMap::new();
            let other = config.languages.get(code);
            l.insert("code", Value::from(code.as_str()));
            l.insert(
                "home_url",
                Value::from(format!("{}/", config.lang_prefix(code))),
            );
            l.insert(
                "title",
                Value::from(
                    other
                        .and_then(|o| o.title.as_deref())
                        .unwrap_or(&config.title),
                ),
            );
            Value::from(l)
        })
        .collect();
    m.insert("languages", Value::from(languages));
    m.insert("base_url", Value::from(config.base()));
    m.insert("language", Value::from(config.language.as_str()));
    m.insert("author", Value::from(config.author.as_str()));
    m.insert("twitter", Value::from(config.twitter.as_str()));
    m.insert("menu", Value::from_serializable(menu));
    let footer_menu = settings
        .and_then(|l| l.footer_menu.as_ref())
        .unwrap_or(&config.footer_menu);
    m.insert("footer_menu", Value::from_serializable(footer_menu));
    m.insert("extra", Value::from_serializable(&config.extra));
    m.insert("home_posts", Value::from(config.home_posts));
    m.insert(
        "blog_url",
        Value::from(prefix.clone() + &url::normalize_permalink(&config.permalinks.blog)),
    );
    m.insert(
        "tags_url",
        Value::from(prefix.clone() + &url::normalize_permalink(&config.permalinks.tags)),
    );
    m.insert(
        "feed_url",
        Value::from(format!("{prefix}/{}", config.feed.rss)),
    );
    m.insert(
        "atom_url",
        Value::from(format!("{prefix}/{}", config.feed.atom)),
    );
    Value::from(m)
}

/// A listing cut into pages: the URL of page `n` (1-based).
fn page_url(first: &str, pattern: &str, n: usize) -> String {
    if n == 1 {
        return first.to_string();
    }
    let first = if first.ends_with('/') {
        first.to_string()
    } else {
        format!("{first}/")
    };
    url::normalize_permalink(&format!(
        "{first}{}",
        pattern.replace(":num", &n.to_string())
    ))
}

fn paginator(
    items: Vec<Value>,
    current: usize,
    total_pages: usize,
    total_items: usize,
    first: &str,
    pattern: &str,
) -> Value {
    let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
    m.insert("items", Value::from(items));
    m.insert("current", Value::from(current));
    m.insert("total_pages", Value::from(total_pages));
    m.insert("total_items", Value::from(total_items));
    m.insert("base_url", Value::from(first));
    m.insert("first_url", Value::from(first));
    m.insert(
        "last_url",
        Value::from(page_url(first, pattern, total_pages)),
    );
    if current > 1 {
        m.insert(
            "previous_url",
            Value::from(page_url(first, pattern, current - 1)),
        );
    }
    if current < total_pages {
        m.insert(
            "next_url",
            Value::from(page_url(first, pattern, current + 1)),
        );
    }
    // A window of pages around the current one: listing every page on every page would make a
    // 1,000-page blog render a million links.
    let window =
        current.saturating_sub(PAGER_WINDOW).max(1)..=(current + PAGER_WINDOW).min(total_pages);
    let pages: Vec<Value> = window
        .map(|n| {
            let mut p = BTreeMap::new();
            p.insert("number", Value::from(n));
            p.insert("url", Value::from(page_url(first, pattern, n)));
            Value::from(p)
        })
        .collect();
    m.insert("pages", Value::from(pages));
    Value::from(m)
}

/// How many page links `paginator.pages` shows on each side of the current page.
const PAGER_WINDOW: usize = 4;

/// One HTML page to render, by indices into the [`Site`] it was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    /// A post's page.
    Post(usize),
    /// A page.
    Page(usize),
    /// The home page of a language (index into the site's languages), when no page has its URL.
    Home(usize),
    /// Page `n` (1-based) of a language's blog listing.
    Blog(usize, usize),
    /// Page `n` of a tag's listing.
    Tag(usize, usize),
    /// The list of a language's tags.
    Tags(usize),
    /// A collection record's page.
    Record(usize, usize),
    /// A collection's listing.
    Listing(usize),
    /// The 404 page.
    NotFound,
}

/// The site's languages, the default one first, with their posts.
fn languages(site: &Site) -> Vec<Language> {
    site.config
        .language_codes()
        .into_iter()
        .map(|code| {
            let prefix = site.config.lang_prefix(&code);
            Language {
                posts: site
                    .posts
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.lang == code)
                    .map(|(i, _)| i)
                    .collect(),
                site: site_value(site, &code),
                home_url: format!("{prefix}/"),
                prefix,
                code,
            }
        })
        .collect()
}

/// Every page a full build renders with templates, in build order.
pub fn jobs(site: &Site) -> Vec<Job> {
    let languages = languages(site);
    let size = site.config.pagination.size.max(1);
    let mut jobs: Vec<Job> = Vec::new();
    jobs.extend((0..site.posts.len()).map(Job::Post));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    for (l, language) in languages.iter().enumerate() {
        if !site.pages.iter().any(|p| p.url == language.home_url) {
            jobs.push(Job::Home(l));
        }
        jobs.extend((1..=language.posts.len().div_ceil(size).max(1)).map(|n| Job::Blog(l, n)));
        jobs.push(Job::Tags(l));
    }
    let tag_size = tag_page_size(site);
    for (t, tag) in site.tags.iter().enumerate() {
        jobs.extend((1..=tag.posts.len().div_ceil(tag_size).max(1)).map(|n| Job::Tag(t, n)));
    }
    for (c, collection) in site.collections.iter().enumerate() {
        // A record without a URL (`body_required` and no body file) has no page.
        let with_page =
            (0..collection.records.len()).filter(|&r| !collection.records[r].url.is_empty());
        jobs.extend(with_page.map(|r| Job::Record(c, r)));
        if collection.config.listing.is_some() {
            jobs.push(Job::Listing(c));
        }
    }
    jobs.push(Job::NotFound);
    jobs
}

/// The posts (indices) of each language of the site (the default one first), newest first.
pub fn posts_by_language(site: &Site) -> Vec<Vec<usize>> {
    site.posts_by_language.clone()
}

/// The posts (indices) whose cards a listing job shows.
pub fn job_posts(site: &Site, job: &Job) -> Vec<usize> {
    job_posts_in(site, &site.posts_by_language, job)
}

/// [`job_posts`] with the posts of each language already listed ([`posts_by_language`]).
pub fn job_posts_in(site: &Site, by_language: &[Vec<usize>], job: &Job) -> Vec<usize> {
    let size = site.config.pagination.size.max(1);
    let of_language = |l: usize| -> &[usize] { by_language.get(l).map_or(&[], Vec::as_slice) };
    match *job {
        Job::Home(l) => of_language(l)
            .iter()
            .take(site.config.home_posts)
            .copied()
            .collect(),
        Job::Blog(l, n) => of_language(l)
            .iter()
            .skip((n - 1) * size)
            .take(size)
            .copied()
            .collect(),
        Job::Tag(t, n) => {
            let size = tag_page_size(site);
            site.tags[t]
                .posts
                .iter()
                .skip((n - 1) * size)
                .take(size)
                .copied()
                .collect()
        }
        // A page rendered with tera may list any post.
        Job::Page(i) if site.pages.get(i).is_some_and(renders_with_tera) => {
            (0..site.posts.len()).collect()
        }
        _ => Vec::new(),
    }
}

/// Renders the template pages `jobs` of `site`: each output with its job, and every problem found.
pub fn render_jobs(
    site: &Site,
    templates: &mut Templates,
    jobs: &[Job],
) -> (Vec<(Job, Output)>, Vec<Diagnostic>) {
    let mut tera_globals = Context::new();
    tera_globals.insert_value("site", site_value(site, &site.config.language));
    let data: BTreeMap<String, Value> = site
        .data
        .iter()
        .map(|(k, v)| (k.clone(), Value::from_serializable(&v.value)))
        .collect();
    tera_globals.insert_value("data", Value::from(data));

    let mut wanted = vec![false; site.posts.len()];
    let by_language = posts_by_language(site);
    for job in jobs {
        for i in job_posts_in(site, &by_language, job) {
            wanted[i] = true;
        }
    }
    let shared = Shared {
        languages: languages(site),
        post_cards: site
            .posts
            .par_iter()
            .enumerate()
            .map(|(i, p)| wanted[i].then(|| post_value(site, i, p, false)))
            .collect(),
        records: site
            .collections
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                c.records
                    .iter()
                    .map(|r| record_value(site, ci, r))
                    .collect()
            })
            .collect(),
    };
    let collections: BTreeMap<String, Value> = site
        .collections
        .iter()
        .zip(&shared.records)
        .map(|(c, values)| (c.name.clone(), Value::from(values.clone())))
        .collect();
    tera_globals.insert_value("collections", Value::from(collections));
    let size = site.config.pagination.size.max(1);

    // Site-wide values go into tera's global context once; every render reads them by reference.
    *templates.tera.global_context() = tera_globals;
    let templates = &*templates;

    let results: Vec<(Job, Result<Output, Diagnostic>)> = jobs
        .par_iter()
        .map(|job| (*job, render_job(site, templates, &shared, job, size)))
        .collect();
    let mut outputs = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for (job, result) in results {
        match result {
            Ok(output) => outputs.push((job, output)),
            Err(d) => problems.push(d),
        }
    }
    (outputs, problems)
}

/// The outputs made without templates: feeds, the sitemap of `pages` (the paths of the template
/// pages) when the site wants one, robots.txt, alias redirects and static files.
pub fn extra_outputs<'a>(site: &Site, pages: impl Iterator<Item = &'a str>) -> Vec<Output> {
    let mut outputs = feed::feeds(site);
    if site.config.sitemap {
        outputs.push(sitemap_output(site, pages));
    }
    outputs.extend(other_outputs(site));
    outputs
}

/// `sitemap.xml` listing `pages` (the paths of the template pages).
pub fn sitemap_output<'a>(site: &Site, pages: impl Iterator<Item = &'a str>) -> Output {
    Output::generated("/sitemap.xml", feed::sitemap_of_paths(site, pages), None)
}

/// robots.txt, alias redirects and static files.
pub fn other_outputs(site: &Site) -> Vec<Output> {
    let mut outputs = vec![Output::generated("/robots.txt", feed::robots(site), None)];
    outputs.extend(aliases(site));
    for file in &site.sources.files {
        if file.kind == Kind::Static {
            outputs.push(Output {
                path: file.relative.clone(),
                body: Body::Copy(site.root.join(&file.path)),
                source: Some(file.path.clone()),
            });
        }
    }
    outputs
}

/// Checks that no two outputs share a path; the later one of a pair is dropped.
pub fn check_duplicates(outputs: &mut Vec<Output>) -> Vec<Diagnostic> {
    duplicate_outputs(outputs)
}

/// Renders every output of `site`. Returns all outputs, or every problem found.
pub fn render(site: &Site, templates: &mut Templates) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let jobs = jobs(site);
    let (rendered, mut problems) = render_jobs(site, templates, &jobs);
    let mut outputs: Vec<Output> = rendered.into_iter().map(|(_, o)| o).collect();
    let pages: Vec<String> = outputs.iter().map(|o| o.path.clone()).collect();
    outputs.extend(extra_outputs(site, pages.iter().map(String::as_str)));
    problems.extend(duplicate_outputs(&mut outputs));
    if problems.is_empty() {
        Ok(outputs)
    } else {
        Err(problems)
    }
}

fn render_job(
    site: &Site,
    templates: &Templates,
    shared: &Shared,
    job: &Job,
    size: usize,
) -> Result<Output, Diagnostic> {
    let config = &site.config;
    let mut context = Context::new();
    let (url, template, source): (String, String, Option<&Path>) = match job {
        Job::Post(i) => {
            let post = &site.posts[*i];
            context.insert_value("page", post_value(site, *i, post, true));
            context.insert("lang", &post.lang);
            (
                post.url.clone(),
                post.template.clone().unwrap_or_else(|| "post.html".into()),
                Some(post.file.as_path()),
            )
        }
        Job::Page(i) => {
            let page = &site.pages[*i];
            context.insert("lang", &page.lang);
            if renders_with_tera(page) {
                // The body sees `page` (without content), `posts` and every global.
                context.insert_value("page", page_value(site, page));
                let all: Vec<Value> = (0..site.posts.len()).map(|i| shared.card(i)).collect();
                context.insert_value("posts", Value::from(all));
                let html = templates.render(
                    &page_template_name(page),
                    &context,
                    Some(page.file.as_path()),
                )?;
                let is_markdown = !page
                    .file
                    .to_string_lossy()
                    .to_ascii_lowercase()
                    .ends_with(".html");
                let html = if is_markdown {
                    let options = markdown::MarkdownOptions {
                        typography: markdown::Typography::None,
                        highlight: true,
                        raw_html: site.config.raw_html,
                    };
                    markdown::render(&html, &options).html
                } else {
                    html
                };
                context.insert_value(
                    "page",
                    page_value_with(
                        site,
                        page,
                        &RenderedBody {
                            html,
                            ..page.body.clone()
                        },
                    ),
                );
            } else {
                context.insert_value("page", page_value(site, page));
            }
            (
                page.url.clone(),
                page.template.clone().unwrap_or_else(|| "page.html".into()),
                Some(page.file.as_path()),
            )
        }
        Job::Home(l) => {
            let language = &shared.languages[*l];
            let latest: Vec<Value> = job_posts(site, job)
                .into_iter()
                .map(|i| shared.card(i))
                .collect();
            context.insert_value("posts", Value::from(latest));
            context.insert("lang", &language.code);
            (language.home_url.clone(), "index.html".into(), None)
        }
        Job::Blog(l, n) => {
            let language = &shared.languages[*l];
            let first =
                language.prefix.clone() + &url::normalize_permalink(&config.permalinks.blog);
            let total = language.posts.len().div_ceil(size).max(1);
            let items: Vec<Value> = job_posts(site, job)
                .into_iter()
                .map(|i| shared.card(i))
                .collect();
            context.insert("lang", &language.code);
            context.insert_value(
                "paginator",
                paginator(
                    items,
                    *n,
                    total,
                    language.posts.len(),
                    &first,
                    &config.pagination.path,
                ),
            );
            (
                page_url(&first, &config.pagination.path, *n),
                "blog.html".into(),
                None,
            )
        }
        Job::Tag(t, n) => {
            let tag = &site.tags[*t];
            let size = tag_page_size(site);
            let total = tag.posts.len().div_ceil(size).max(1);
            let items: Vec<Value> = job_posts(site, job)
                .into_iter()
                .map(|i| shared.card(i))
                .collect();
            context.insert_value("tag", tag_value(site, *t));
            context.insert("lang", &tag.lang);
            context.insert_value(
                "paginator",
                paginator(
                    items,
                    *n,
                    total,
                    tag.posts.len(),
                    &tag.url,
                    &config.pagination.path,
                ),
            );
            (
                page_url(&tag.url, &config.pagination.path, *n),
                "tag.html".into(),
                None,
            )
        }
        Job::Tags(l) => {
            let language = &shared.languages[*l];
            let tags: Vec<Value> = (0..site.tags.len())
                .filter(|&t| site.tags[t].lang == language.code)
                .map(|t| tag_value(site, t))
                .collect();
            context.insert_value("tags", Value::from(tags));
            context.insert("lang", &language.code);
            (
                language.prefix.clone() + &url::normalize_permalink(&config.permalinks.tags),
                "tags.html".into(),
                None,
            )
        }
        Job::Record(c, r) => {
            let collection = &site.collections[*c];
            let record = &collection.records[*r];
            context.insert_value("record", shared.records[*c][*r].clone());
            let source = record
                .body_file
                .as_deref()
                .unwrap_or(collection.file.as_path());
            (
                record.url.clone(),
                collection.config.template.clone(),
                Some(source),
            )
        }
        Job::Listing(c) => {
            let collection = &site.collections[*c];
            context.insert_value("records", Value::from(shared.records[*c].clone()));
            context.insert("collection", &collection.name);
            let url = collection.config.listing.clone().unwrap_or_default();
            let template = collection
                .config
                .listing_template
                .clone()
                .unwrap_or_else(|| format!("{}.html", collection.name));
            (
                url::normalize_permalink(&url),
                template,
                Some(Path::new(crate::config::FILE_NAME)),
            )
        }
        Job::NotFound => ("/404.html".into(), "404.html".into(), None),
    };
    if !context.contains_key("lang") {
        context.insert("lang", &config.language);
    }
    // Pages in another language than the default see `site` in their language.
    let lang = context
        .get("lang")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    if let Some(language) = shared
        .languages
        .iter()
        .find(|l| l.code == lang && l.code != config.language)
    {
        context.insert_value("site", language.site.clone());
    }
    context.insert("current_url", &url);
    context.insert("canonical", &url::absolute(config.base(), &url));
    if !templates.has(&template) {
        let line = source.map_or(0, |s| key_line(&site.root, s, "template"));
        return Err(Diagnostic::error("template", source.map_or_else(|| PathBuf::from("templates"), Path::to_path_buf), format!("the template `{template}` does not exist"))
            .at(line, if line > 0 { 1 } else { 0 })
            .help(format!("create templates/{template} or use one of the theme's templates (post.html, page.html...)")));
    }
    let html = templates.render(&template, &context, source)?;
    Ok(Output::generated(&url, html, source))
}

/// Posts per tag page: the pagination size, or all of them when tag pages are not paginated.
/// How many posts a tag listing page shows.
pub fn tag_page_size(site: &Site) -> usize {
    if site.config.pagination.tags {
        site.config.pagination.size.max(1)
    } else {
        usize::MAX
    }
}

fn key_line(root: &Path, file: &Path, key: &str) -> usize {
    std::fs::read_to_string(root.join(file))
        .ok()
        .and_then(|text| {
            text.lines()
                .position(|l| l.starts_with(&format!("{key}:")))
                .map(|i| i + 1)
        })
        .unwrap_or(0)
}

fn tag_value(site: &Site, t: usize) -> Value {
    let tag = &site.tags[t];
    let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
    m.insert("name", Value::from(tag.name.as_str()));
    m.insert("slug", Value::from(tag.slug.as_str()));
    m.insert("url", Value::from(tag.url.as_str()));
    m.insert("count", Value::from(tag.posts.len()));
    m.insert(
        "feed_url",
        Value::from(feed::tag_feed_url(&tag.url, &site.config.feed.rss)),
    );
    Value::from(m)
}

fn aliases(site: &Site) -> Vec<Output> {
    let targets = site
        .posts
        .iter()
        .map(|p| (&p.aliases, &p.url, &p.file))
        .chain(site.pages.iter().map(|p| (&p.aliases, &p.url, &p.file)));
    let mut out = Vec::new();
    for (aliases, target, file) in targets {
        for alias in aliases {
            let absolute = url::absolute(site.config.base(), target);
            let html = redirect_page(&absolute);
            out.push(Output::generated(
                &url::normalize_permalink(alias),
                html,
                Some(file),
            ));
        }
    }
    out
}

/// A page that sends the reader (and search engines) to `target`.
pub fn redirect_page(target: &str) -> String {
    let target = crate::feed::escape(target);
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Redirection</title>\
         <link rel=\"canonical\" href=\"{target}\"><meta http-equiv=\"refresh\" content=\"0; url={target}\">\
         <meta name=\"robots\" content=\"noindex\"></head>\
         <body><p>Cette page a déménagé : <a href=\"{target}\">{target}</a>.</p></body></html>\n"
    )
}

/// Two outputs on one path: an error naming both sources; the later one is dropped.
fn duplicate_outputs(outputs: &mut Vec<Output>) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, Option<PathBuf>> = HashMap::with_capacity(outputs.len());
    let mut problems = Vec::new();
    outputs.retain(|o| match seen.get(&o.path) {
        Some(first) => {
            let first_name = first.as_ref().map_or_else(
                || "a page gazette generates".to_string(),
                |p| p.display().to_string(),
            );
            let file = o.source.clone().unwrap_or_else(|| PathBuf::from(&o.path));
            problems.push(
                Diagnostic::error(
                    "duplicate-url",
                    file,
                    format!(
                        "two pages would be written to /{}: this one and {first_name}",
                        o.path
                    ),
                )
                .help("give one of them another `permalink` or `slug`"),
            );
            false
        }
        None => {
            seen.insert(o.path.clone(), o.source.clone());
            true
        }
    });
    problems
}

#[cfg(test)]
mod pager_tests {
    use super::*;

    #[test]
    fn pages_are_a_window_around_the_current_one() {
        let numbers = |current: usize, total: usize| -> Vec<u64> {
            let value = paginator(
                Vec::new(),
                current,
                total,
                total * 10,
                "/blog/",
                "page/:num/",
            );
            let pages = value
                .get_from_path("pages")
                .and_then(|p| p.as_array().map(<[Value]>::to_vec));
            pages
                .unwrap_or_default()
                .iter()
                .filter_map(|p| p.get_from_path("number").and_then(Value::as_u64))
                .collect()
        };
        assert_eq!(numbers(50, 100), (46..=54).collect::<Vec<_>>());
        assert_eq!(numbers(1, 100), (1..=5).collect::<Vec<_>>());
        assert_eq!(numbers(100, 100), (96..=100).collect::<Vec<_>>());
        assert_eq!(numbers(1, 1), vec![1]);
    }
}
