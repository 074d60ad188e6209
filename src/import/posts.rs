//! Posts: `_posts/**` and `<lang>/_posts/**` (`YYYY-MM-DD-` and `YY-MM-DD-` names), `_drafts/`
//! and `_`-prefixed files (kept as drafts), front-matter `date` over the file name, `published`,
//! front-matter permalinks with placeholders, and each post's Jekyll URL.

use chrono::{NaiveDateTime, NaiveTime};
use serde_json::Value;

use super::config::quote;
use super::{Ctx, Identity, rewrite, urls};
use crate::diagnostic::Diagnostic;
use crate::msg;
use crate::source::load::Document;

/// The gazette post permalink pattern closest to a Jekyll permalink style.
pub(crate) fn gazette_pattern(style: &str) -> String {
    let template = urls::style_template(style);
    let pattern = template
        .replace(":categories/", "")
        .replace(":categories", "")
        .replace(":title", ":slug")
        .replace(":output_ext", ".html");
    crate::text::url::normalize_permalink(&pattern)
}

/// A post's categories as its URL's `:categories` uses them: the folders above `_posts/`, then
/// the front matter's, lower-cased, each once (Jekyll 4).
pub(crate) fn categories(folder: &str, front: &serde_json::Map<String, Value>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    categories_as_written(folder, front)
        .into_iter()
        .map(|c| c.to_lowercase())
        .filter(|c| seen.insert(c.clone()))
        .collect()
}

/// A post's categories as `site.categories` groups them: the folders above `_posts/`, then the
/// front matter's `categories` and `category`, as written, each once.
fn categories_as_written(folder: &str, front: &serde_json::Map<String, Value>) -> Vec<String> {
    let mut out: Vec<String> = folder
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    for key in ["categories", "category"] {
        match front.get(key) {
            Some(Value::String(s)) => out.extend(s.split_whitespace().map(str::to_string)),
            Some(Value::Array(items)) => out.extend(items.iter().filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })),
            _ => {}
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.into_iter().filter(|c| seen.insert(c.clone())).collect()
}

/// Imports every post and draft.
pub(crate) fn import_posts(ctx: &mut Ctx, files: &[String], problems: &mut Vec<Diagnostic>) {
    ctx.site_yml.post_permalink = gazette_pattern(&ctx.config.permalink);
    let today = chrono::Local::now().naive_local();
    let collections_dir = ctx.config.collections_dir.clone();
    for file in files {
        if let Some(post) = PostFile::parse(file, &collections_dir) {
            import_post(ctx, &post, today, problems);
        }
    }
}

/// Where a post file sits: `<folder>/_posts/<rest>` or `<folder>/_drafts/<rest>`.
struct PostFile<'a> {
    /// The file, relative to SRC.
    file: &'a str,
    /// What comes before `_posts/` inside `collections_dir` (a language folder, categories),
    /// without its slash.
    folder: &'a str,
    /// True under `_drafts/`.
    in_drafts: bool,
    /// What comes after `_posts/` or `_drafts/`.
    rest: &'a str,
    /// The file name.
    name: &'a str,
}

impl<'a> PostFile<'a> {
    fn parse(file: &'a str, collections_dir: &str) -> Option<Self> {
        let at = file.find("_posts/").or_else(|| file.find("_drafts/"))?;
        let marker = if file[at..].starts_with("_posts/") {
            "_posts/"
        } else {
            "_drafts/"
        };
        let rest = &file[at + marker.len()..];
        let folder = file[..at].trim_end_matches('/');
        let folder = folder
            .strip_prefix(collections_dir)
            .filter(|_| !collections_dir.is_empty())
            .map_or(folder, |f| f.trim_start_matches('/'));
        Some(PostFile {
            file,
            folder,
            in_drafts: marker == "_drafts/",
            rest,
            name: rest.rsplit('/').next().unwrap_or(rest),
        })
    }

    /// Jekyll keeps `_drafts/` and `_`-prefixed posts out of the site.
    fn is_draft(&self) -> bool {
        self.in_drafts || self.name.starts_with('_')
    }

    /// The file name without its leading `_` and extension.
    fn stem(&self) -> &'a str {
        let stem = self.name.trim_start_matches('_');
        stem.rsplit_once('.').map_or(stem, |(s, _)| s)
    }

    /// The file written under content/posts/, in the same folders; HTML posts get a `.md` name.
    fn dest_file(&self, ext: &str) -> String {
        let folder_out = if self.folder.is_empty() {
            String::new()
        } else {
            format!("{}/", self.folder)
        };
        let drafts_out = if self.in_drafts { "drafts/" } else { "" };
        let rest_dir = self
            .rest
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| format!("{d}/"));
        let name = self.name;
        let out_name = if ext == ".md" || ext == ".markdown" {
            name.to_string()
        } else {
            format!("{}.md", &name[..name.len() - ext.len()])
        };
        format!(
            "{}/{folder_out}{drafts_out}{rest_dir}{out_name}",
            crate::source::layout::POSTS
        )
    }
}

fn import_post(
    ctx: &mut Ctx,
    post: &PostFile<'_>,
    today: NaiveDateTime,
    problems: &mut Vec<Diagnostic>,
) {
    let file = post.file;
    let lower = post.name.to_ascii_lowercase();
    let Some(ext) = [".md", ".markdown", ".html", ".htm"]
        .into_iter()
        .find(|e| lower.ends_with(e))
    else {
        ctx.report.skip(file, msg!("not a Markdown or HTML post: move it out of _posts/ (images belong with the static files)"));
        return;
    };
    let doc = match super::read_document(&ctx.src, file) {
        Ok((_, doc)) => doc,
        Err(reason) => {
            ctx.report.skip(file, super::unreadable(reason));
            return;
        }
    };
    let draft = post.is_draft();
    let from_name = urls::date_from_file_name(post.name.trim_start_matches('_'));
    let front_date = front_date(ctx, file, &doc);
    if !draft && from_name.is_none() {
        ctx.report.skip(
            file,
            msg!("Jekyll did not publish it: a post's file name must start with its date (YYYY-MM-DD-)"),
        );
        return;
    }
    let mut set: Vec<(&str, String)> = Vec::new();
    let date =
        match front_date.or_else(|| from_name.as_ref().map(|(d, _)| d.and_time(NaiveTime::MIN))) {
            Some(d) => d,
            None => {
                let d = draft_date(ctx, file, today);
                set.push(("date", quote(&d.format("%Y-%m-%d").to_string())));
                d
            }
        };
    if post.in_drafts {
        set.push(("draft", "true".into()));
    }
    if doc.front.get("title").is_none_or(Value::is_null) {
        // Jekyll titles a post without one from its file name: `no-keys` → `No Keys`.
        let name_slug = from_name
            .as_ref()
            .map_or_else(|| post.stem().to_string(), |(_, s)| s.clone());
        set.push(("title", quote(&titleize_slug(&name_slug))));
    }
    let slug = doc.str("slug").map(str::to_string).unwrap_or_else(|| {
        from_name
            .as_ref()
            .map_or_else(|| post.stem().to_string(), |(_, s)| s.clone())
    });
    let lang = match &ctx.config.polyglot {
        Some(polyglot) => polyglot.lang_of(file, &doc),
        None => ctx.lang_of(file),
    };
    // Jekyll reads a date written with an offset in the site's time zone; gazette as written.
    let jekyll_date = match doc.front.get("date") {
        Some(Value::String(text)) => urls::jekyll_date(text, ctx.config.timezone.as_deref()),
        _ => None,
    }
    .unwrap_or(date);
    let jekyll_url = jekyll_url(ctx, post, &doc, jekyll_date, &slug);
    let jekyll_url = super::polyglot::localize(ctx, file, &doc, jekyll_url);
    let gazette_url = gazette_url(ctx, &lang, date, &slug);
    if doc.front.contains_key("permalink")
        || urls::served_file(&gazette_url) != urls::served_file(&jekyll_url)
    {
        set.push(("permalink", quote(&jekyll_url)));
    }
    language_keys(ctx, file, &doc, &mut set);
    if let Some(template) = ctx.template_for(file, "posts", &doc) {
        set.push(("template", quote(&template)));
    }
    let dest_file = post.dest_file(ext);
    let published = published(ctx, file, &doc, &mut set);
    let visible = !draft && published && (jekyll_date <= today || ctx.config.future);
    if visible {
        if let Some(target) =
            super::redirects::redirect_to(&doc).filter(|_| ctx.redirects_enabled())
        {
            ctx.redirect_to(file, &jekyll_url, &target);
            return;
        }
        let identity = Identity::File(dest_file.clone());
        if let Some(aliases) = ctx.redirect_from(file, &doc, &jekyll_url, &identity) {
            set.push(("aliases", aliases));
        }
    }
    let remove = archive_categories(ctx, post, &doc, &mut set);
    let body = ctx.post_body(file, &doc, &dest_file, &mut set);
    if let Err(d) = ctx.write(&dest_file, rewrite(&doc, &set, &remove, &body).as_bytes()) {
        problems.push(d);
        return;
    }
    if draft {
        ctx.report.count("drafts");
        return;
    }
    ctx.report.count("posts");
    let future_hidden = jekyll_date > today && !ctx.config.future;
    if published && !future_hidden {
        *ctx.published_posts.entry(lang).or_default() += 1;
        for tag in front_list(&doc, "tags") {
            *ctx.published_tags.entry(tag).or_default() += 1;
        }
        ctx.archived_posts.push(super::archives::ArchivedPost {
            date: jekyll_date,
            categories: categories_as_written(post.folder, &doc.front),
        });
        ctx.old_url(jekyll_url, "post", file, Identity::File(dest_file));
    }
}

/// With jekyll-archives' category pages, the post's categories as one `categories` list (the
/// folders' included) for gazette's `categories` taxonomy; returns the keys to drop.
fn archive_categories(
    ctx: &Ctx,
    post: &PostFile<'_>,
    doc: &Document,
    set: &mut Vec<(&str, String)>,
) -> Vec<&'static str> {
    let categories = categories_as_written(post.folder, &doc.front);
    let enabled = (ctx.config.archives.as_ref()).is_some_and(|a| a.enabled("categories"));
    if !enabled || categories.is_empty() {
        return vec!["redirect_from"];
    }
    set.push(("categories", Value::from(categories).to_string()));
    vec!["redirect_from", "category"]
}

/// A front-matter list (`tags: [a, b]`, or one string of names separated by spaces).
fn front_list(doc: &Document, key: &str) -> Vec<String> {
    match doc.front.get(key) {
        Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Ruby's `Utils.titleize_slug`: each `-`-separated word capitalized (first letter up, rest down).
fn titleize_slug(slug: &str) -> String {
    slug.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().collect::<String>() + &chars.as_str().to_lowercase()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether Jekyll published the post: its `published`, else a `defaults` one (which applies to
/// posts, not to pages), written into the imported file so that gazette agrees.
fn published(ctx: &Ctx, file: &str, doc: &Document, set: &mut Vec<(&str, String)>) -> bool {
    if let Some(v) = doc.front.get("published") {
        return v.as_bool() != Some(false);
    }
    let default = ctx.config.default_value(file, "posts", "published");
    let published = default.and_then(Value::as_bool) != Some(false);
    if !published {
        set.push(("published", "false".into()));
    }
    published
}

/// The front-matter `date`, with a note when it is there but cannot be read.
fn front_date(ctx: &mut Ctx, file: &str, doc: &Document) -> Option<NaiveDateTime> {
    let front_date = match doc.front.get("date") {
        Some(Value::String(text)) => urls::parse_front_date(text),
        _ => None,
    };
    if doc.front.get("date").is_some_and(|d| !d.is_null()) && front_date.is_none() {
        ctx.report.notes.push(msg!(
            "{file}: the front-matter `date` is not a date gazette reads; fix it to YYYY-MM-DD",
            file
        ));
    }
    front_date
}

/// A draft without a date: Jekyll used the file's modification time.
fn draft_date(ctx: &Ctx, file: &str, today: NaiveDateTime) -> NaiveDateTime {
    let modified = std::fs::metadata(ctx.src.join(file))
        .and_then(|m| m.modified())
        .ok();
    modified.map_or(today, |m| {
        chrono::DateTime::<chrono::Local>::from(m).naive_local()
    })
}

/// The URL Jekyll gave the post.
fn jekyll_url(
    ctx: &Ctx,
    post: &PostFile<'_>,
    doc: &Document,
    date: NaiveDateTime,
    slug: &str,
) -> String {
    let placeholders = urls::Placeholders {
        date: Some(date),
        title: crate::text::slug::slugify_pretty(slug),
        slug: crate::text::slug::slugify_default(slug),
        name: crate::text::slug::slugify_default(post.stem()),
        categories: categories(post.folder, &doc.front).join("/"),
        output_ext: ".html".into(),
        ..urls::Placeholders::default()
    };
    let kind = if post.in_drafts { "drafts" } else { "posts" };
    let permalink = doc.str("permalink").or_else(|| {
        ctx.config
            .default_value(post.file, kind, "permalink")
            .and_then(Value::as_str)
    });
    match permalink {
        Some(p) => urls::expand(&urls::style_template(p), &placeholders),
        None => urls::expand(&urls::style_template(&ctx.config.permalink), &placeholders),
    }
}

/// The URL gazette gives the post without a permalink of its own.
fn gazette_url(ctx: &Ctx, lang: &str, date: NaiveDateTime, slug: &str) -> String {
    ctx.lang_prefix(lang)
        + &crate::text::url::expand(
            &ctx.site_yml.post_permalink,
            &[
                ("year", &date.format("%Y").to_string()),
                ("month", &date.format("%m").to_string()),
                ("day", &date.format("%d").to_string()),
                ("slug", slug),
                ("lang", lang),
            ],
        )
}

/// The post's `lang` (jekyll-polyglot's, when the front matter does not say it) and its
/// `translation_key` (from `ref`).
fn language_keys(ctx: &Ctx, file: &str, doc: &Document, set: &mut Vec<(&str, String)>) {
    if let Some(lang) = super::polyglot::lang_to_write(ctx, file, doc) {
        set.push(("lang", lang));
    }
    if let Some(reference) = translation_key(doc) {
        set.push(("translation_key", quote(&reference)));
    }
}

/// The `ref` of a post without `lang-ref` or `translation_key`: gazette's `translation_key`.
fn translation_key(doc: &Document) -> Option<String> {
    if doc.str("lang-ref").is_some() || doc.str("translation_key").is_some() {
        return None;
    }
    doc.front.get("ref").and_then(|v| {
        v.as_str()
            .map(str::to_string)
            .or_else(|| Some(v.to_string()))
    })
}
