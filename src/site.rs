//! The site model: validates loaded files into posts, pages, tags and cross-linked collection records.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::config::{CollectionConfig, Config};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::discover::{Kind, SourceFile, Sources};
use crate::load::{self, DataFile, Document};
use crate::markdown::{self, Heading, MarkdownOptions, Typography};
use crate::url;

/// What to include in a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Build drafts (`_` file names, `draft: true`).
    pub drafts: bool,
    /// Build posts dated after today.
    pub future: bool,
    /// Replace `base_url` of site.yml.
    pub base_url: Option<String>,
    /// "Today", for future posts; the real date when None.
    pub today: Option<NaiveDate>,
}

/// A blog post.
#[derive(Debug, Clone)]
pub struct Post {
    /// The source file, relative to the site folder.
    pub file: PathBuf,
    /// Title.
    pub title: String,
    /// Publication date and time (midnight when only a date is known).
    pub date: NaiveDateTime,
    /// URL slug.
    pub slug: String,
    /// Path from the site root, starting with `/`.
    pub url: String,
    /// Language code.
    pub lang: String,
    /// Author's name.
    pub author: String,
    /// Description (front matter) used in meta tags.
    pub description: String,
    /// Image path or URL.
    pub image: String,
    /// Author's Twitter handle.
    pub twitter: String,
    /// Tags as written.
    pub tags: Vec<String>,
    /// A draft (built only with `--drafts`).
    pub draft: bool,
    /// A template named in front matter.
    pub template: Option<String>,
    /// Old URLs that redirect here.
    pub aliases: Vec<String>,
    /// Front-matter keys gazette does not know.
    pub extra: Map<String, Value>,
    /// Rendered body and facts about it.
    pub body: RenderedBody,
    /// The key shared with its translations.
    pub translation_key: Option<String>,
}

/// A standalone page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The source file.
    pub file: PathBuf,
    /// Title.
    pub title: String,
    /// Path from the site root.
    pub url: String,
    /// Language code.
    pub lang: String,
    /// Description.
    pub description: String,
    /// Image.
    pub image: String,
    /// Template named in front matter.
    pub template: Option<String>,
    /// Old URLs that redirect here.
    pub aliases: Vec<String>,
    /// Other front-matter keys.
    pub extra: Map<String, Value>,
    /// Rendered body.
    pub body: RenderedBody,
    /// The key shared with its translations.
    pub translation_key: Option<String>,
}

/// HTML of a Markdown body and facts about it.
#[derive(Debug, Clone, Default)]
pub struct RenderedBody {
    /// Full HTML.
    pub html: String,
    /// Summary HTML.
    pub summary: String,
    /// Headings.
    pub toc: Vec<Heading>,
    /// Words of text.
    pub word_count: usize,
    /// Reading time in minutes.
    pub reading_time: usize,
}

/// A tag and its posts.
#[derive(Debug, Clone)]
pub struct Tag {
    /// Display name (the first spelling met).
    pub name: String,
    /// URL slug, accents folded.
    pub slug: String,
    /// Path of its first page.
    pub url: String,
    /// The language of its posts: each language has its own tags.
    pub lang: String,
    /// Indices into `Site::posts`, newest first.
    pub posts: Vec<usize>,
}

/// A collection record.
#[derive(Debug, Clone)]
pub struct Record {
    /// Key in the data file.
    pub key: String,
    /// Title (the `title` field, else the key).
    pub title: String,
    /// URL slug.
    pub slug: String,
    /// Path of its page.
    pub url: String,
    /// Fields as written.
    pub fields: Map<String, Value>,
    /// The Markdown body, if a body file names this record.
    pub body: Option<RenderedBody>,
    /// The body file.
    pub body_file: Option<PathBuf>,
    /// 1-based line of the record's key in the data file.
    pub line: usize,
    /// Direct references: field → (collection index, record index).
    pub links: BTreeMap<String, Vec<(usize, usize)>>,
    /// References both ways, grouped by the other collection's name.
    pub related: BTreeMap<String, Vec<(usize, usize)>>,
}

/// A named set of records.
#[derive(Debug, Clone)]
pub struct Collection {
    /// Name in site.yml.
    pub name: String,
    /// Its configuration.
    pub config: CollectionConfig,
    /// Records sorted by key.
    pub records: Vec<Record>,
    /// Key → index into `records`.
    pub index: HashMap<String, usize>,
    /// The data file.
    pub file: PathBuf,
}

/// The whole validated site.
#[derive(Debug, Clone)]
pub struct Site {
    /// The site folder.
    pub root: PathBuf,
    /// Configuration, with the base URL override applied.
    pub config: Config,
    /// Posts, newest first.
    pub posts: Vec<Post>,
    /// Pages, by URL.
    pub pages: Vec<Page>,
    /// Tags sorted by language, then slug (`render` relies on this order to find a tag).
    pub tags: Vec<Tag>,
    /// For each language of `Config::language_codes` (default first), its posts' indices, newest first.
    pub posts_by_language: Vec<Vec<usize>>,
    /// Collections in site.yml order (sorted by name).
    pub collections: Vec<Collection>,
    /// Data files by name.
    pub data: BTreeMap<String, DataFile>,
    /// Every source file found.
    pub sources: Sources,
}

/// Loads and validates the site in `root`. Returns the site when no error was found, and every
/// diagnostic (errors and warnings) in any case.
pub fn load(root: &Path, options: &BuildOptions) -> (Option<Site>, Vec<Diagnostic>) {
    let (site, problems) = load_lenient(root, options);
    let has_errors = problems.iter().any(Diagnostic::is_error);
    (if has_errors { None } else { site }, problems)
}

/// Like [`load`], but returns the site even when errors were found (without the files in error),
/// so that `gazette check` can report every content mistake at once. None only when site.yml
/// cannot be read.
pub fn load_lenient(root: &Path, options: &BuildOptions) -> (Option<Site>, Vec<Diagnostic>) {
    let mut config = match Config::load(root) {
        Ok(config) => config,
        Err(problems) => return (None, problems),
    };
    if let Some(base) = &options.base_url {
        config.base_url = base.clone();
    }
    let (sources, mut problems) = crate::discover::discover(root, &config);
    crate::write::test_pause_after_discovery();
    let today = options
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());

    let documents: Vec<(SourceFile, Result<Document, Diagnostic>)> = sources
        .files
        .par_iter()
        .filter(|f| matches!(f.kind, Kind::Post | Kind::Page | Kind::Body(_)))
        .map(|f| {
            let doc = load::read_text(root, &f.path)
                .and_then(|text| load::parse_document(&text, &f.path, &f.relative));
            (f.clone(), doc)
        })
        .collect();

    let mut data = BTreeMap::new();
    for file in sources.of(&Kind::Data) {
        let (loaded, found) = load::load_data(root, &file.path, &file.relative);
        problems.extend(found);
        if let Some(loaded) = loaded {
            data.insert(loaded.name.clone(), loaded);
        }
    }

    let mut post_docs = Vec::new();
    let mut page_docs = Vec::new();
    let mut body_docs: BTreeMap<String, Vec<Document>> = BTreeMap::new();
    for (file, doc) in documents {
        match doc {
            Err(d) => problems.push(d),
            Ok(mut doc) => {
                apply_defaults(&config, &mut doc);
                match file.kind {
                    Kind::Post => post_docs.push(doc),
                    Kind::Page => page_docs.push(doc),
                    Kind::Body(name) => body_docs.entry(name).or_default().push(doc),
                    _ => {}
                }
            }
        }
    }

    let posts: Vec<Result<Option<Post>, Vec<Diagnostic>>> = post_docs
        .par_iter()
        .map(|doc| post_from(doc, &config, options, today))
        .collect();
    let mut kept_posts = Vec::new();
    for post in posts {
        match post {
            Ok(Some(post)) => kept_posts.push(post),
            Ok(None) => {}
            Err(found) => problems.extend(found),
        }
    }
    // Newest first; the file path breaks ties so the order never depends on thread timing.
    kept_posts.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.file.cmp(&b.file)));

    let pages: Vec<Result<Option<Page>, Vec<Diagnostic>>> = page_docs
        .par_iter()
        .map(|doc| page_from(doc, &config, options))
        .collect();
    let mut kept_pages = Vec::new();
    for page in pages {
        match page {
            Ok(Some(page)) => kept_pages.push(page),
            Ok(None) => {}
            Err(found) => problems.extend(found),
        }
    }
    kept_pages.sort_by(|a, b| a.url.cmp(&b.url));

    let tags = build_tags(&kept_posts, &config);
    let posts_by_language = posts_by_language(&kept_posts, &config);
    let collections = build_collections(&config, &data, &mut body_docs, &mut problems);

    let site = Site {
        root: root.to_path_buf(),
        config,
        posts: kept_posts,
        pages: kept_pages,
        tags,
        posts_by_language,
        collections,
        data,
        sources,
    };
    (Some(site), problems)
}

/// True when `path` (relative to the site folder) is where `discover` finds posts: a Markdown file
/// under `content/posts/` whose path has no hidden, backup or swap name in it.
pub fn is_post_path(path: &Path) -> bool {
    let Ok(rest) = path.strip_prefix(Path::new("content").join("posts")) else {
        return false;
    };
    let names: Vec<String> = rest
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(last) = names.last() else {
        return false;
    };
    let lower = last.to_ascii_lowercase();
    (lower.ends_with(".md") || lower.ends_with(".markdown"))
        && !names.iter().any(|n| crate::discover::is_ignored_name(n))
}

/// A changed post file: its path, its name under `content/posts/` when it exists, its new post.
type PostUpdate = (
    PathBuf,
    Option<String>,
    Result<Option<Post>, Vec<Diagnostic>>,
);

/// Updates `site` after the post files `changed` (relative paths under `content/posts/`, see
/// [`is_post_path`]) were edited, created or deleted, giving the same site as a fresh [`load`].
/// When any of them has an error, `site` is left as it was and the problems are returned.
pub fn update_posts(
    site: &mut Site,
    changed: &[PathBuf],
    options: &BuildOptions,
) -> Vec<Diagnostic> {
    let today = options
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let posts_folder = Path::new("content").join("posts");
    let results: Vec<PostUpdate> = changed
        .par_iter()
        .map(|path| {
            if !site.root.join(path).is_file() {
                return (path.clone(), None, Ok(None));
            }
            let relative = path
                .strip_prefix(&posts_folder)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let post = load::read_text(&site.root, path)
                .and_then(|text| load::parse_document(&text, path, &relative))
                .map_err(|d| vec![d])
                .and_then(|mut doc| {
                    apply_defaults(&site.config, &mut doc);
                    post_from(&doc, &site.config, options, today)
                });
            (path.clone(), Some(relative), post)
        })
        .collect();
    let problems: Vec<Diagnostic> = results
        .iter()
        .filter_map(|(_, _, r)| r.as_ref().err())
        .flatten()
        .cloned()
        .collect();
    if problems.iter().any(Diagnostic::is_error) {
        return problems;
    }
    // An edit that keeps a post's date keeps its place: it is replaced where it is, and the tags
    // are rebuilt only when the posts' order, languages or tags changed.
    let mut reorder = false;
    let mut retag = false;
    for (path, relative, post) in results {
        let old = site.posts.iter().position(|p| p.file == path);
        match (old, post) {
            (Some(i), Ok(Some(post))) if site.posts[i].date == post.date => {
                retag |= site.posts[i].tags != post.tags || site.posts[i].lang != post.lang;
                site.posts[i] = post;
            }
            (_, post) => {
                reorder = true;
                site.posts.retain(|p| p.file != path);
                if let Ok(Some(post)) = post {
                    site.posts.push(post);
                }
            }
        }
        let entry = relative.map(|relative| SourceFile {
            kind: Kind::Post,
            path: path.clone(),
            relative,
        });
        let known = entry
            .as_ref()
            .is_some_and(|e| site.sources.files.binary_search(e).is_ok());
        if !known {
            site.sources.files.retain(|f| f.path != path);
            if let Some(entry) = entry {
                let at = site
                    .sources
                    .files
                    .binary_search(&entry)
                    .unwrap_or_else(|at| at);
                site.sources.files.insert(at, entry);
            }
        }
    }
    if reorder {
        site.posts
            .sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.file.cmp(&b.file)));
    }
    if reorder || retag {
        site.tags = build_tags(&site.posts, &site.config);
        site.posts_by_language = posts_by_language(&site.posts, &site.config);
    }
    problems
}

fn apply_defaults(config: &Config, doc: &mut Document) {
    let under_content = doc.file.strip_prefix("content").unwrap_or(&doc.file);
    let under_content = under_content.to_string_lossy().replace('\\', "/");
    for rule in &config.defaults {
        if under_content.starts_with(rule.path.trim_start_matches('/')) {
            for (key, value) in &rule.values {
                doc.front
                    .entry(key.clone())
                    .or_insert_with(|| value.clone());
            }
        }
    }
}

/// Front-matter keys gazette reads itself; the others go to `extra`.
const POST_KEYS: &[&str] = &[
    "title",
    "date",
    "author",
    "description",
    "image",
    "twitter",
    "tags",
    "lang",
    "slug",
    "permalink",
    "aliases",
    "template",
    "draft",
    "published",
    "typography",
    "translation_key",
    "lang-ref",
];

/// The most tags one post may have (each tag's page and feed repeat the post's whole tag list).
pub const MAX_TAGS_PER_POST: usize = 256;

/// Date and slug read from a post's file name: `YYYY-MM-DD-slug.md` or `YY-MM-DD-slug.md`.
pub fn parse_post_file_name(name: &str) -> Option<(NaiveDate, String)> {
    let stem = name.trim_start_matches('_');
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let mut parts = stem.splitn(4, '-');
    let year = parts.next()?;
    let month = parts.next()?;
    let day = parts.next()?;
    let slug = parts.next()?;
    if !(year.len() == 4 || year.len() == 2)
        || month.len() != 2
        || day.len() != 2
        || slug.is_empty()
    {
        return None;
    }
    let mut year: i32 = year.parse().ok()?;
    if year < 100 {
        year += 2000;
    }
    let date = NaiveDate::from_ymd_opt(year, month.parse().ok()?, day.parse().ok()?)?;
    Some((date, slug.to_string()))
}

/// Reads a front-matter date: `2024-01-05`, `2024-01-05 10:30`, `2024-01-05 10:30:00 +0100`, RFC 3339.
pub fn parse_date(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(dt.naive_local());
    }
    for format in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z"] {
        if let Ok(dt) = chrono::DateTime::parse_from_str(text, format) {
            return Some(dt.naive_local());
        }
    }
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return Some(dt);
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(|d| d.and_time(NaiveTime::MIN))
}

fn string_field(doc: &Document, key: &str, problems: &mut Vec<Diagnostic>) -> Option<String> {
    match doc.front.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => None,
        _ => {
            problems.push(
                Diagnostic::error(
                    "front-matter",
                    &doc.file,
                    format!("`{key}` must be a single piece of text"),
                )
                .at(doc.key_line(key), 1)
                .help(format!("write it as `{key}: \"...\"` on one line")),
            );
            None
        }
    }
}

fn string_list(doc: &Document, key: &str, problems: &mut Vec<Diagnostic>) -> Vec<String> {
    match doc.front.get(key) {
        None | Some(Value::Null) => Vec::new(),
        // Jekyll accepted `tags: a b c`; a single text with spaces is split the same way.
        Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| match item {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => {
                    problems.push(
                        Diagnostic::error(
                            "front-matter",
                            &doc.file,
                            format!("each item of `{key}` must be text"),
                        )
                        .at(doc.key_line(key), 1)
                        .help(format!("write `{key}: [first, second]`")),
                    );
                    None
                }
            })
            .collect(),
        Some(_) => {
            problems.push(
                Diagnostic::error("front-matter", &doc.file, format!("`{key}` must be a list"))
                    .at(doc.key_line(key), 1)
                    .help(format!("write `{key}: [first, second]`")),
            );
            Vec::new()
        }
    }
}

fn flag(doc: &Document, key: &str) -> Option<bool> {
    match doc.front.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.as_str() {
            "true" | "yes" => Some(true),
            "false" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn render_body(doc: &Document, lang: &str, is_html: bool, config: &Config) -> RenderedBody {
    if is_html {
        return RenderedBody {
            html: doc.body.clone(),
            ..RenderedBody::default()
        };
    }
    let typography = if !flag(doc, "typography").unwrap_or(config.typography) {
        Typography::None
    } else if lang == "fr" {
        Typography::French
    } else if lang == "en" {
        Typography::English
    } else {
        Typography::None
    };
    let rendered = markdown::render(
        &doc.body,
        &MarkdownOptions {
            typography,
            highlight: true,
            raw_html: config.raw_html,
        },
    );
    RenderedBody {
        summary: rendered.summary_html.unwrap_or_default(),
        reading_time: markdown::reading_time(rendered.word_count),
        word_count: rendered.word_count,
        toc: rendered.toc,
        html: rendered.html,
    }
}

/// A file's language: its `lang` key, else the first folder of its path when that is a language
/// code of the site (`posts/en/...`), else the site's default language.
fn language_of(doc: &Document, config: &Config, problems: &mut Vec<Diagnostic>) -> String {
    if let Some(lang) = string_field(doc, "lang", problems) {
        if !config.has_language(&lang) {
            let known = config.language_codes().join(", ");
            problems.push(
                Diagnostic::error(
                    "language",
                    &doc.file,
                    format!("the language `{lang}` is not declared in site.yml"),
                )
                .at(doc.key_line("lang"), 1)
                .help(format!(
                    "use one of: {known}, or declare it under `languages:` in site.yml"
                )),
            );
        }
        return lang;
    }
    doc.relative
        .split_once('/')
        .map(|(first, _)| first)
        .filter(|first| config.has_language(first))
        .map_or_else(|| config.language.clone(), str::to_string)
}

fn translation_key(doc: &Document) -> Option<String> {
    doc.str("translation_key")
        .or_else(|| doc.str("lang-ref"))
        .map(str::to_string)
}

fn post_from(
    doc: &Document,
    config: &Config,
    options: &BuildOptions,
    today: NaiveDate,
) -> Result<Option<Post>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let file_name = doc.relative.rsplit('/').next().unwrap_or(&doc.relative);
    if flag(doc, "published") == Some(false) {
        return Ok(None);
    }
    let draft = file_name.starts_with('_') || flag(doc, "draft") == Some(true);
    if draft && !options.drafts {
        return Ok(None);
    }
    let from_name = parse_post_file_name(file_name);
    let date = match doc.front.get("date") {
        Some(Value::String(text)) => {
            match parse_date(text) {
                Some(date) => Some(date),
                None => {
                    problems.push(
                    Diagnostic::error("date", &doc.file, format!("`{text}` is not a date gazette can read"))
                        .at(doc.key_line("date"), 1)
                        .help("write the date as YYYY-MM-DD, e.g. date: 2024-01-05 (or 2024-01-05 10:30)"),
                );
                    None
                }
            }
        }
        Some(other) if !other.is_null() => {
            problems.push(
                Diagnostic::error("date", &doc.file, "`date` must be a date like 2024-01-05")
                    .at(doc.key_line("date"), 1)
                    .help("write the date as YYYY-MM-DD, e.g. date: 2024-01-05"),
            );
            None
        }
        _ => from_name.as_ref().map(|(d, _)| d.and_time(NaiveTime::MIN)),
    };
    let Some(date) = date else {
        if problems.is_empty() {
            problems.push(
                Diagnostic::error("date", &doc.file, "this post has no date: its file name does not start with one and it has no `date:`")
                    .at(1, 1)
                    .help("name the file YYYY-MM-DD-title.md (e.g. 2024-01-05-bonjour.md) or add `date: 2024-01-05` to the front matter"),
            );
        }
        return Err(problems);
    };
    if date.date() > today && !options.future {
        return Ok(None);
    }
    let stem = file_name.trim_start_matches('_');
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let slug = string_field(doc, "slug", &mut problems)
        .or_else(|| from_name.map(|(_, slug)| slug))
        .unwrap_or_else(|| stem.to_string());
    let lang = language_of(doc, config, &mut problems);
    let title = string_field(doc, "title", &mut problems).unwrap_or_else(|| slug.replace('-', " "));
    // A language's posts live under its prefix (`/en/blog/...`) unless the pattern places `:lang` itself.
    let prefix = if config.permalinks.post.contains(":lang") {
        String::new()
    } else {
        config.lang_prefix(&lang)
    };
    let url = match string_field(doc, "permalink", &mut problems) {
        Some(permalink) => url::normalize_permalink(&permalink),
        None => {
            prefix
                + &url::expand(
                    &config.permalinks.post,
                    &[
                        ("year", &format!("{:04}", chrono::Datelike::year(&date))),
                        ("month", &format!("{:02}", chrono::Datelike::month(&date))),
                        ("day", &format!("{:02}", chrono::Datelike::day(&date))),
                        ("slug", &slug),
                        ("title", &slug),
                        ("lang", &lang),
                    ],
                )
        }
    };
    if let Err(message) = url::check_safe(&url) {
        problems.push(
            Diagnostic::error("permalink", &doc.file, message)
                .at(doc.key_line("permalink"), 1)
                .help("a permalink is a path inside the site, like /blog/2024/bonjour.html"),
        );
    }
    let tags = string_list(doc, "tags", &mut problems);
    if tags.len() > MAX_TAGS_PER_POST {
        // Every tag's page and feed lists the post with all its tags: n tags cost n² bytes.
        problems.push(
            Diagnostic::error(
                "tags",
                &doc.file,
                format!(
                    "this post has {} tags; a post may have at most {MAX_TAGS_PER_POST}",
                    tags.len()
                ),
            )
            .at(doc.key_line("tags"), 1)
            .help("keep the few tags readers browse by (usually fewer than 10)"),
        );
    }
    let aliases = string_list(doc, "aliases", &mut problems);
    for alias in &aliases {
        if let Err(message) = url::check_safe(&url::normalize_permalink(alias)) {
            problems.push(
                Diagnostic::error("permalink", &doc.file, message)
                    .at(doc.key_line("aliases"), 1)
                    .help("an alias is an old path of the site, like /old/page.html"),
            );
        }
    }
    let template = string_field(doc, "template", &mut problems);
    let post = Post {
        file: doc.file.clone(),
        author: string_field(doc, "author", &mut problems).unwrap_or_else(|| config.author.clone()),
        description: string_field(doc, "description", &mut problems).unwrap_or_default(),
        image: string_field(doc, "image", &mut problems).unwrap_or_default(),
        twitter: string_field(doc, "twitter", &mut problems).unwrap_or_default(),
        body: render_body(doc, &lang, false, config),
        extra: extra_keys(doc, POST_KEYS),
        translation_key: translation_key(doc),
        title,
        date,
        slug,
        url,
        lang,
        tags,
        draft,
        template,
        aliases,
    };
    if problems.iter().any(Diagnostic::is_error) {
        Err(problems)
    } else {
        Ok(Some(post))
    }
}

fn extra_keys(doc: &Document, known: &[&str]) -> Map<String, Value> {
    doc.front
        .iter()
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn page_from(
    doc: &Document,
    config: &Config,
    options: &BuildOptions,
) -> Result<Option<Page>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    if flag(doc, "published") == Some(false)
        || (flag(doc, "draft") == Some(true) && !options.drafts)
    {
        return Ok(None);
    }
    let is_html = doc.relative.to_ascii_lowercase().ends_with(".html");
    // A `render: tera` page keeps its source: render.rs runs it through tera (then Markdown).
    let keep_source = is_html || renders_with_tera(doc);
    let path = doc
        .relative
        .rsplit_once('.')
        .map_or(doc.relative.as_str(), |(s, _)| s);
    let slug = path.rsplit('/').next().unwrap_or(path);
    let lang = language_of(doc, config, &mut problems);
    let url = match string_field(doc, "permalink", &mut problems) {
        Some(permalink) => url::normalize_permalink(&permalink),
        None if path == "index" => "/".to_string(),
        None => url::expand(
            &config.permalinks.page,
            &[("path", path), ("slug", slug), ("lang", &lang)],
        ),
    };
    if let Err(message) = url::check_safe(&url) {
        problems.push(
            Diagnostic::error("permalink", &doc.file, message)
                .at(doc.key_line("permalink"), 1)
                .help("a permalink is a path inside the site, like /a-propos.html"),
        );
    }
    let aliases = string_list(doc, "aliases", &mut problems);
    let page = Page {
        file: doc.file.clone(),
        title: string_field(doc, "title", &mut problems).unwrap_or_else(|| slug.replace('-', " ")),
        description: string_field(doc, "description", &mut problems).unwrap_or_default(),
        image: string_field(doc, "image", &mut problems).unwrap_or_default(),
        template: string_field(doc, "template", &mut problems),
        extra: extra_keys(doc, POST_KEYS),
        body: render_body(doc, &lang, keep_source, config),
        translation_key: translation_key(doc),
        url,
        lang,
        aliases,
    };
    if problems.iter().any(Diagnostic::is_error) {
        Err(problems)
    } else {
        Ok(Some(page))
    }
}

/// True when the front matter says `render: tera`: the body is a tera template.
pub fn renders_with_tera(doc: &Document) -> bool {
    doc.str("render") == Some("tera")
}

/// Each language's posts (indices into `posts`), in the order of `Config::language_codes`.
fn posts_by_language(posts: &[Post], config: &Config) -> Vec<Vec<usize>> {
    let codes = config.language_codes();
    let mut lists = vec![Vec::new(); codes.len()];
    for (i, post) in posts.iter().enumerate() {
        if let Some(l) = codes.iter().position(|c| *c == post.lang) {
            lists[l].push(i);
        }
    }
    lists
}

fn build_tags(posts: &[Post], config: &Config) -> Vec<Tag> {
    let mut by_slug: BTreeMap<(String, String), Tag> = BTreeMap::new();
    // A tag name's slug, computed once per spelling.
    let mut slugs: HashMap<&str, String> = HashMap::new();
    // Oldest first, so a tag's display name is the spelling of the first post that used it.
    for (index, post) in posts.iter().enumerate().rev() {
        for name in &post.tags {
            let slug = slugs
                .entry(name.as_str())
                .or_insert_with(|| {
                    let slug = markdown::slugify(name);
                    if slug.is_empty() {
                        "tag".to_string()
                    } else {
                        slug
                    }
                })
                .clone();
            let tag = by_slug
                .entry((post.lang.clone(), slug.clone()))
                .or_insert_with(|| Tag {
                    name: name.clone(),
                    url: config.lang_prefix(&post.lang)
                        + &url::expand(&config.permalinks.tag, &[("slug", &slug)]),
                    lang: post.lang.clone(),
                    slug,
                    posts: Vec::new(),
                });
            if tag.posts.last() != Some(&index) {
                tag.posts.push(index);
            }
        }
    }
    let mut tags: Vec<Tag> = by_slug.into_values().collect();
    for tag in &mut tags {
        tag.posts.reverse();
    }
    tags
}

fn build_collections(
    config: &Config,
    data: &BTreeMap<String, DataFile>,
    body_docs: &mut BTreeMap<String, Vec<Document>>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Collection> {
    let mut collections = Vec::new();
    for (name, collection_config) in &config.collections {
        let data_name = collection_config
            .data
            .trim_end_matches(".yml")
            .trim_end_matches(".yaml");
        let data_path = PathBuf::from("content/data").join(&collection_config.data);
        let Some(data_file) = data.get(data_name) else {
            if !problems.iter().any(|p| p.file == data_path) {
                problems.push(
                    Diagnostic::error(
                        "collection",
                        crate::config::FILE_NAME,
                        format!(
                            "the collection `{name}` reads {}, which does not exist",
                            data_path.display()
                        ),
                    )
                    .help(format!(
                        "create {} or change `collections.{name}.data` in site.yml",
                        data_path.display()
                    )),
                );
            }
            continue;
        };
        let records_map = match &data_file.value {
            Value::Object(map) => map.clone(),
            Value::Null => Map::new(),
            _ => {
                problems.push(
                    Diagnostic::error("collection", &data_file.file, "a collection's data file must map each record's key to its fields")
                        .at(1, 1)
                        .help("write `Record name:` at the start of a line, then its fields indented below"),
                );
                continue;
            }
        };
        let key_lines: HashMap<String, usize> = crate::yaml::top_level_key_lines(&data_file.text)
            .into_iter()
            .collect();
        let bodies = body_docs.remove(name).unwrap_or_default();
        let mut bodies_by_key: HashMap<String, Document> = HashMap::new();
        for body in bodies {
            match body.str(&collection_config.body_key).map(str::to_string) {
                Some(key) if records_map.contains_key(&key) => {
                    bodies_by_key.insert(key, body);
                }
                Some(key) => {
                    let suggestion = did_you_mean(&key, records_map.keys().map(String::as_str));
                    let help = match suggestion {
                        Some(s) => format!(
                            "did you mean `{s}`? The value must be a key of {}",
                            data_file.file.display()
                        ),
                        None => format!(
                            "use the exact key of a record in {}",
                            data_file.file.display()
                        ),
                    };
                    problems.push(
                        Diagnostic::error(
                            "record-body",
                            &body.file,
                            format!("no record of `{name}` is named `{key}`"),
                        )
                        .at(body.key_line(&collection_config.body_key), 1)
                        .help(help),
                    );
                }
                None => problems.push(
                    Diagnostic::error(
                        "record-body",
                        &body.file,
                        format!("this file does not say which record of `{name}` it belongs to"),
                    )
                    .at(1, 1)
                    .help(format!(
                        "add `{}: <record key>` to its front matter",
                        collection_config.body_key
                    )),
                ),
            }
        }
        let mut keys: Vec<&String> = records_map.keys().collect();
        keys.sort();
        let mut records = Vec::new();
        for key in keys {
            let line = key_lines.get(key.as_str()).copied().unwrap_or(1);
            let Some(fields) = records_map.get(key).and_then(Value::as_object).cloned() else {
                problems.push(
                    Diagnostic::error(
                        "collection",
                        &data_file.file,
                        format!("the record `{key}` has no fields"),
                    )
                    .at(line, 1)
                    .help("indent the record's fields under its key, one `field: value` per line"),
                );
                continue;
            };
            let body_doc = bodies_by_key.get(key.as_str());
            let body_name = body_doc.map(|d| {
                d.relative
                    .rsplit('/')
                    .next()
                    .unwrap_or(&d.relative)
                    .to_string()
            });
            let from_name = body_name.as_deref().and_then(parse_post_file_name);
            let slug = match (
                &from_name,
                body_name.as_deref(),
                fields.get("slug").and_then(Value::as_str),
            ) {
                (_, _, Some(slug)) => slug.to_string(),
                (Some((_, slug)), _, _) => slug.clone(),
                (None, Some(name), _) => name.rsplit_once('.').map_or(name, |(s, _)| s).to_string(),
                (None, None, _) => markdown::slugify(key),
            };
            let year = match fields.get("year") {
                Some(Value::Number(n)) => Some(n.to_string()),
                Some(Value::String(s)) => Some(s.clone()),
                _ => from_name
                    .as_ref()
                    .map(|(d, _)| chrono::Datelike::year(d).to_string()),
            };
            let has_page = body_doc.is_some() || !collection_config.body_required;
            if has_page && collection_config.permalink.contains(":year") && year.is_none() {
                problems.push(
                    Diagnostic::error(
                        "collection",
                        &data_file.file,
                        format!("the record `{key}` has no `year`, which its URL needs"),
                    )
                    .at(line, 1)
                    .help(
                        "add `year: 2024` to the record, or a body file named YYYY-MM-DD-name.md",
                    ),
                );
                continue;
            }
            // A record without a page (`body_required`, no body file) has no URL.
            let url = if has_page {
                url::expand(
                    &collection_config.permalink,
                    &[
                        ("year", year.as_deref().unwrap_or("")),
                        ("slug", &slug),
                        ("key", &markdown::slugify(key)),
                    ],
                )
            } else {
                String::new()
            };
            if let Err(message) = url::check_safe(&url) {
                problems.push(
                    Diagnostic::error("permalink", &data_file.file, format!("the record `{key}`: {message}"))
                        .at(line, 1)
                        .help("a record's `slug` and `year` are parts of a path inside the site: use letters, digits and dashes"),
                );
                continue;
            }
            let lang = config.language.clone();
            records.push(Record {
                title: match collection_config.title_field.as_str() {
                    "key" => key.clone(),
                    field => fields
                        .get(field)
                        .and_then(Value::as_str)
                        .unwrap_or(key)
                        .to_string(),
                },
                body: body_doc.map(|d| render_body(d, &lang, false, config)),
                body_file: body_doc.map(|d| d.file.clone()),
                key: key.clone(),
                slug,
                url,
                fields,
                line,
                links: BTreeMap::new(),
                related: BTreeMap::new(),
            });
        }
        let index = records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.key.clone(), i))
            .collect();
        collections.push(Collection {
            name: name.clone(),
            config: collection_config.clone(),
            records,
            index,
            file: data_file.file.clone(),
        });
    }
    resolve_references(&mut collections, data, problems);
    collections
}

/// Resolves reference fields to records, both ways; a key that names no record is an error.
fn resolve_references(
    collections: &mut [Collection],
    data: &BTreeMap<String, DataFile>,
    problems: &mut Vec<Diagnostic>,
) {
    let position: HashMap<String, usize> = collections
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.clone(), i))
        .collect();
    let mut reverse: Vec<(usize, usize, String, usize, usize)> = Vec::new();
    for ci in 0..collections.len() {
        let references = collections[ci].config.references.clone();
        let text = data
            .values()
            .find(|d| d.file == collections[ci].file)
            .map(|d| d.text.clone())
            .unwrap_or_default();
        for ri in 0..collections[ci].records.len() {
            for (field, target_name) in &references {
                let Some(&ti) = position.get(target_name) else {
                    continue;
                };
                let record = &collections[ci].records[ri];
                let keys: Vec<String> = match record.fields.get(field) {
                    Some(Value::String(s)) => vec![s.clone()],
                    Some(Value::Array(items)) => items
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                    _ => Vec::new(),
                };
                let mut found = Vec::new();
                for key in keys {
                    match collections[ti].index.get(&key) {
                        Some(&target) => found.push((ti, target)),
                        None => {
                            let line = crate::yaml::field_line(&text, record.line, field)
                                .unwrap_or(record.line);
                            let item_line = text
                                .lines()
                                .enumerate()
                                .skip(line.saturating_sub(1))
                                .take(200)
                                .find(|(_, l)| l.contains(key.as_str()))
                                .map_or(line, |(i, _)| i + 1);
                            let suggestion = did_you_mean(
                                &key,
                                collections[ti].records.iter().map(|r| r.key.as_str()),
                            );
                            let help = match suggestion {
                                Some(s) => format!(
                                    "did you mean `{s}`? Keys are matched exactly, accents, dashes and capitals included"
                                ),
                                None => format!(
                                    "add a record `{key}` to {}, or correct the name",
                                    collections[ti].file.display()
                                ),
                            };
                            let message = format!(
                                "`{}` (in `{field}` of `{}`) is not a record of `{target_name}`",
                                key, record.key
                            );
                            let file = &collections[ci].file;
                            let diagnostic = if collections[ci].config.allow_missing_references {
                                Diagnostic::warning("reference", file, message)
                            } else {
                                Diagnostic::error("reference", file, message)
                            };
                            problems.push(diagnostic.at(item_line, 1).help(help));
                        }
                    }
                }
                for &(tc, tr) in &found {
                    reverse.push((tc, tr, collections[ci].name.clone(), ci, ri));
                }
                collections[ci].records[ri]
                    .links
                    .insert(field.clone(), found);
            }
        }
    }
    for ci in 0..collections.len() {
        for ri in 0..collections[ci].records.len() {
            let direct: Vec<(usize, usize)> = collections[ci].records[ri]
                .links
                .values()
                .flatten()
                .copied()
                .collect();
            for (tc, tr) in direct {
                let name = collections[tc].name.clone();
                collections[ci].records[ri]
                    .related
                    .entry(name)
                    .or_default()
                    .push((tc, tr));
            }
        }
    }
    for (tc, tr, source_name, ci, ri) in reverse {
        collections[tc].records[tr]
            .related
            .entry(source_name)
            .or_default()
            .push((ci, ri));
    }
    let titles: Vec<Vec<String>> = collections
        .iter()
        .map(|c| c.records.iter().map(|r| r.title.clone()).collect())
        .collect();
    for collection in collections.iter_mut() {
        for record in &mut collection.records {
            for list in record.related.values_mut() {
                list.sort_by(|a, b| titles[a.0][a.1].cmp(&titles[b.0][b.1]));
                list.dedup();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_dates_and_slugs() {
        let cases = [
            (
                "2018-12-05-offre-stage.md",
                Some(("2018-12-05", "offre-stage")),
            ),
            (
                "18-12-05-offre-stage.md",
                Some(("2018-12-05", "offre-stage")),
            ),
            ("_19-01-02-brouillon.md", Some(("2019-01-02", "brouillon"))),
            ("2018-13-05-bad-month.md", None),
            ("hello.md", None),
            ("2018-12-05-.md", None),
        ];
        for (name, expected) in cases {
            let got = parse_post_file_name(name).map(|(d, s)| (d.to_string(), s));
            assert_eq!(
                got,
                expected.map(|(d, s)| (d.to_string(), s.to_string())),
                "{name}"
            );
        }
    }

    #[test]
    fn dates_in_several_forms() {
        for text in [
            "2024-01-05",
            "2024-01-05 10:30",
            "2024-01-05 10:30:00 +0100",
            "2024-01-05T10:30:00Z",
        ] {
            assert_eq!(
                parse_date(text).map(|d| d.date().to_string()),
                Some("2024-01-05".into()),
                "{text}"
            );
        }
        assert_eq!(parse_date("5 janvier"), None);
    }
}
