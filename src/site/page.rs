//! Pages: Markdown or HTML files with a URL of their own.

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Rule;
use crate::site::BuildOptions;
use crate::site::RenderedBody;
use crate::site::fields::extra_keys;
use crate::site::fields::flag;
use crate::site::fields::language_of;
use crate::site::fields::render_body;
use crate::site::fields::string_field;
use crate::site::fields::string_list;
use crate::site::fields::translation_key;
use crate::site::post::POST_KEYS;
use crate::site::renders_with_tera;
use crate::source::config::Config;
use crate::source::load::Document;
use crate::text::url;
use serde_json::{Map, Value};
use std::path::PathBuf;

/// A standalone page.
#[derive(Debug, Clone)]
pub(crate) struct Page {
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
    /// The line of the file where the body starts (for messages about a `render: tera` body).
    pub body_line: usize,
}

impl Page {
    /// True when its front matter says `render: tera`: the body is a template, which may list
    /// any post.
    pub(crate) fn renders_with_tera(&self) -> bool {
        self.extra.get("render").and_then(Value::as_str) == Some("tera")
    }

    /// True when its front matter says `listing: blog`: the page is the text of its language's
    /// blog listing, rendered on every page of it with `paginator` (as a Jekyll paginated
    /// `index.html`), and not published on its own.
    pub(crate) fn is_blog_listing(&self) -> bool {
        self.extra.get("listing").and_then(Value::as_str) == Some("blog")
    }
}

pub(crate) fn page_from(
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
            Diagnostic::error(Rule::Permalink, &doc.file, message)
                .at(doc.key_line("permalink"), 1)
                .help(crate::msg!(
                    "a permalink is a path inside the site, like /a-propos.html"
                )),
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
        body_line: doc.body_line,
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
