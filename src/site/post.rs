//! Posts: file names with dates, front-matter keys, defaults by path.

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Rule;
use crate::site::BuildOptions;
use crate::site::RenderedBody;
use crate::site::fields::BodyTemplate;
use crate::site::fields::extra_keys;
use crate::site::fields::flag;
use crate::site::fields::language_of;
use crate::site::fields::markdown_options;
use crate::site::fields::post_body;
use crate::site::fields::string_field;
use crate::site::fields::string_list;
use crate::site::fields::translation_key;
use crate::source::config::Config;
use crate::source::load::Document;
use crate::text::dates::parse_date;
use crate::text::url;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::{Map, Value};
use std::path::PathBuf;

/// A blog post.
#[derive(Debug, Clone)]
pub(crate) struct Post {
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
    /// Author's name (the names of `author: [a, b]` joined by commas).
    pub author: String,
    /// The names of `author:` as written (one or a list; empty for the site's default author).
    pub authors: Vec<String>,
    /// Description (front matter) used in meta tags.
    pub description: String,
    /// Image path or URL.
    pub image: String,
    /// Author's Twitter handle.
    pub twitter: String,
    /// Tags as written.
    pub tags: Vec<String>,
    /// The values of each taxonomy of site.yml but tags (`categories` → `[Guides]`), as written.
    pub taxonomies: std::collections::BTreeMap<String, Vec<String>>,
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
    /// The body as a template (`render: tera`): `body` is made from it when rendering.
    pub body_template: Option<BodyTemplate>,
}

pub(crate) fn apply_defaults(config: &Config, doc: &mut Document) {
    let under_content = doc
        .file
        .strip_prefix(crate::source::layout::CONTENT)
        .unwrap_or(&doc.file);
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

/// The order of posts everywhere: newest first; posts of the same date by file path, last
/// first, as Jekyll orders `site.posts`.
pub(crate) fn newest_first(a: &Post, b: &Post) -> std::cmp::Ordering {
    b.date.cmp(&a.date).then_with(|| b.file.cmp(&a.file))
}

/// Front-matter keys gazette reads itself; the others go to `extra`.
pub(crate) const POST_KEYS: &[&str] = &[
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
    // `lang-ref` (Jekyll's translation key) is read too, but stays in `extra`: the themes of
    // imported sites read it as `page.lang-ref`.
];

/// The most tags one post may have (each tag's page and feed repeat the post's whole tag list).
pub(crate) const MAX_TAGS_PER_POST: usize = 256;

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

/// The post of a Markdown file: None when it is not published in this build (`published:
/// false`, a draft without `--drafts`, a future post without `--future`); every problem found
/// otherwise.
pub(crate) fn post_from(
    doc: &Document,
    config: &Config,
    options: &BuildOptions,
    bodies: Option<&crate::site::BodyCache>,
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
    let Some(date) = date_of(doc, from_name.as_ref(), &mut problems) else {
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
    let url = url_of(doc, config, &date, &slug, &lang, &mut problems);
    let tags = translated_tags(tags_of(doc, &mut problems), config, &lang);
    let aliases = aliases_of(doc, &mut problems);
    let template = string_field(doc, "template", &mut problems);
    let authors = authors_of(doc, &mut problems);
    let taxonomies = config
        .extra_taxonomies()
        .map(|(name, _)| (name.clone(), string_list(doc, name, &mut problems)))
        .filter(|(_, values)| !values.is_empty())
        .collect();
    let post = Post {
        file: doc.file.clone(),
        author: if authors.is_empty() {
            config.author.clone()
        } else {
            authors.join(", ")
        },
        authors,
        taxonomies,
        description: string_field(doc, "description", &mut problems).unwrap_or_default(),
        image: string_field(doc, "image", &mut problems).unwrap_or_default(),
        twitter: string_field(doc, "twitter", &mut problems).unwrap_or_default(),
        body: post_body(doc, &lang, config, bodies),
        extra: extra_keys(doc, POST_KEYS),
        translation_key: translation_key(doc),
        body_template: crate::site::renders_with_tera(doc).then(|| BodyTemplate {
            source: doc.body.clone(),
            options: markdown_options(doc, &lang, config),
            first_line: doc.body_line,
        }),
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

/// The date of a post left out because it is dated after `today` (without `--future`); None for
/// every other post (published, a draft, `published: false`, no readable date).
pub(crate) fn future_date(
    doc: &Document,
    options: &BuildOptions,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let file_name = doc.relative.rsplit('/').next().unwrap_or(&doc.relative);
    let draft = file_name.starts_with('_') || flag(doc, "draft") == Some(true);
    if options.future || flag(doc, "published") == Some(false) || (draft && !options.drafts) {
        return None;
    }
    let from_name = parse_post_file_name(file_name);
    let date = date_of(doc, from_name.as_ref(), &mut Vec::new())?.date();
    (date > today).then_some(date)
}

/// One line saying that posts dated in the future are not published (and how to see them); None
/// when there is none. `future` is sorted.
pub(crate) fn future_notice(future: &[(NaiveDate, std::path::PathBuf)]) -> Option<Diagnostic> {
    let (_, first) = future.first()?;
    let list: Vec<String> = future
        .iter()
        .map(|(date, file)| format!("{date}, {}", file.display()))
        .collect();
    let (message, help) = match future.len() {
        1 => (
            crate::msg!(
                "1 post dated in the future is not published ({post}); use --future to see it",
                post = list[0]
            ),
            crate::msg!("it is published by the first build made on or after its date"),
        ),
        n => (
            crate::msg!(
                "{n} posts dated in the future are not published ({posts}); use --future to see them",
                n,
                posts = list.join("; ")
            ),
            crate::msg!("each is published by the first build made on or after its date"),
        ),
    };
    Some(Diagnostic::warning(Rule::FuturePost, first, message).help(help))
}

/// The post's date: its `date:` key, else the date of its file name; None with an error when it
/// has neither or `date:` cannot be read.
fn date_of(
    doc: &Document,
    from_name: Option<&(NaiveDate, String)>,
    problems: &mut Vec<Diagnostic>,
) -> Option<NaiveDateTime> {
    let date = match doc.front.get("date") {
        Some(Value::String(text)) => {
            let date = parse_date(text);
            if date.is_none() {
                problems.push(
                    Diagnostic::error(
                        Rule::Date,
                        &doc.file,
                        crate::msg!("`{text}` is not a date gazette can read", text),
                    )
                    .at(doc.key_line("date"), 1)
                    .help(crate::msg!(
                        "write the date as YYYY-MM-DD, e.g. date: 2024-01-05 (or 2024-01-05 10:30)"
                    )),
                );
            }
            date
        }
        Some(other) if !other.is_null() => {
            problems.push(
                Diagnostic::error(
                    Rule::Date,
                    &doc.file,
                    crate::msg!("`date` must be a date like 2024-01-05"),
                )
                .at(doc.key_line("date"), 1)
                .help(crate::msg!(
                    "write the date as YYYY-MM-DD, e.g. date: 2024-01-05"
                )),
            );
            None
        }
        _ => from_name.map(|(d, _)| d.and_time(NaiveTime::MIN)),
    };
    if date.is_none() && problems.is_empty() {
        problems.push(
            Diagnostic::error(Rule::Date, &doc.file, crate::msg!("this post has no date: its file name does not start with one and it has no `date:`"))
                .at(1, 1)
                .help(crate::msg!("name the file YYYY-MM-DD-title.md (e.g. 2024-01-05-bonjour.md) or add `date: 2024-01-05` to the front matter")),
        );
    }
    date
}

/// The post's URL: its `permalink:`, else the site's post pattern under its language's prefix.
fn url_of(
    doc: &Document,
    config: &Config,
    date: &NaiveDateTime,
    slug: &str,
    lang: &str,
    problems: &mut Vec<Diagnostic>,
) -> String {
    // A language's posts live under its prefix (`/en/blog/...`) unless the pattern places `:lang` itself.
    let prefix = if config.permalinks.post.contains(":lang") {
        String::new()
    } else {
        config.lang_prefix(lang)
    };
    let url = match string_field(doc, "permalink", problems) {
        Some(permalink) => url::normalize_permalink(&permalink),
        None => {
            prefix
                + &url::expand(
                    &config.permalinks.post,
                    &[
                        ("year", &format!("{:04}", chrono::Datelike::year(date))),
                        ("month", &format!("{:02}", chrono::Datelike::month(date))),
                        ("day", &format!("{:02}", chrono::Datelike::day(date))),
                        ("slug", slug),
                        ("title", slug),
                        ("lang", lang),
                    ],
                )
        }
    };
    if let Err(message) = url::check_safe(&url) {
        problems.push(
            Diagnostic::error(Rule::Permalink, &doc.file, message)
                .at(doc.key_line("permalink"), 1)
                .help(crate::msg!(
                    "a permalink is a path inside the site, like /blog/2024/bonjour.html"
                )),
        );
    }
    url
}

/// The tags in language `lang`: each written name replaced by its translation under
/// `languages.<lang>.tags` in site.yml (matched as tag pages are, accents and capitals folded).
fn translated_tags(tags: Vec<String>, config: &Config, lang: &str) -> Vec<String> {
    let Some(map) = config
        .languages
        .get(lang)
        .map(|l| &l.tags)
        .filter(|m| !m.is_empty())
    else {
        return tags;
    };
    tags.into_iter()
        .map(|name| {
            let slug = crate::site::tag_slug(&name);
            map.iter()
                .find(|(written, _)| crate::site::tag_slug(written) == slug)
                .map_or(name, |(_, translated)| translated.clone())
        })
        .collect()
}

/// The names of `author:`: one text, or a list of them (`author: [Léa Fontaine, Yanis Haddad]`).
pub(crate) fn authors_of(doc: &Document, problems: &mut Vec<Diagnostic>) -> Vec<String> {
    match doc.front.get("author") {
        Some(Value::Array(_)) => string_list(doc, "author", problems),
        _ => string_field(doc, "author", problems)
            .filter(|a| !a.trim().is_empty())
            .into_iter()
            .collect(),
    }
}

/// The post's tags, at most [`MAX_TAGS_PER_POST`].
fn tags_of(doc: &Document, problems: &mut Vec<Diagnostic>) -> Vec<String> {
    let tags = string_list(doc, "tags", problems);
    if tags.len() > MAX_TAGS_PER_POST {
        // Every tag's page and feed lists the post with all its tags: n tags cost n² bytes.
        problems.push(
            Diagnostic::error(
                Rule::Tags,
                &doc.file,
                crate::msg!(
                    "this post has {n} tags; a post may have at most {MAX_TAGS_PER_POST}",
                    n = tags.len(),
                    MAX_TAGS_PER_POST
                ),
            )
            .at(doc.key_line("tags"), 1)
            .help(crate::msg!(
                "keep the few tags readers browse by (usually fewer than 10)"
            )),
        );
    }
    tags
}

/// The post's old paths (`aliases:`), each a safe path of the site.
fn aliases_of(doc: &Document, problems: &mut Vec<Diagnostic>) -> Vec<String> {
    let aliases = string_list(doc, "aliases", problems);
    for alias in &aliases {
        if let Err(message) = url::check_safe(&url::normalize_permalink(alias)) {
            problems.push(
                Diagnostic::error(Rule::Permalink, &doc.file, message)
                    .at(doc.key_line("aliases"), 1)
                    .help(crate::msg!(
                        "an alias is an old path of the site, like /old/page.html"
                    )),
            );
        }
    }
    aliases
}
