//! Reading typed fields out of front matter, with a diagnostic for each wrong type.

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Rule;
use crate::markdown::{self, Heading, MarkdownOptions, Typography};
use crate::source::config::Config;
use crate::source::load::Document;
use serde_json::{Map, Value};

/// Where the compressed HTML of a post is kept until its page is rendered.
#[derive(Debug, Clone)]
pub(crate) enum Packed {
    /// In memory.
    Here(Vec<u8>),
    /// In the site's cache of rendered bodies, read back each time it is wanted (a build of a
    /// large site: see [`super::body_cache::Stored`]).
    Stored(super::body_cache::Stored),
}

/// HTML of a Markdown body and facts about it.
#[derive(Debug, Clone, Default)]
pub(crate) struct RenderedBody {
    /// Full HTML (empty once packed: read a post's with [`RenderedBody::full_html`]).
    pub html: String,
    /// The full HTML compressed, for the posts of a large site (see [`RenderedBody::pack`]).
    pub packed: Option<Packed>,
    /// Summary HTML.
    pub summary: String,
    /// Headings.
    pub toc: Vec<Heading>,
    /// Words of text.
    pub word_count: usize,
    /// Reading time in minutes.
    pub reading_time: usize,
    /// The keys of its highlighted code blocks in the highlight cache.
    pub highlighted: Vec<u64>,
}

pub(crate) fn string_field(
    doc: &Document,
    key: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    match doc.front.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => None,
        _ => {
            problems.push(
                Diagnostic::error(
                    Rule::FrontMatter,
                    &doc.file,
                    crate::msg!("`{key}` must be a single piece of text", key),
                )
                .at(doc.key_line(key), 1)
                .help(crate::msg!("write it as `{key}: \"...\"` on one line", key)),
            );
            None
        }
    }
}

pub(crate) fn string_list(
    doc: &Document,
    key: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<String> {
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
                            Rule::FrontMatter,
                            &doc.file,
                            crate::msg!("each item of `{key}` must be text", key),
                        )
                        .at(doc.key_line(key), 1)
                        .help(crate::msg!("write `{key}: [first, second]`", key)),
                    );
                    None
                }
            })
            .collect(),
        Some(_) => {
            problems.push(
                Diagnostic::error(
                    Rule::FrontMatter,
                    &doc.file,
                    crate::msg!("`{key}` must be a list", key),
                )
                .at(doc.key_line(key), 1)
                .help(crate::msg!("write `{key}: [first, second]`", key)),
            );
            Vec::new()
        }
    }
}

pub(crate) fn flag(doc: &Document, key: &str) -> Option<bool> {
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

pub(crate) fn render_body(
    doc: &Document,
    lang: &str,
    is_html: bool,
    config: &Config,
) -> RenderedBody {
    if is_html {
        return RenderedBody {
            html: doc.body.clone(),
            ..RenderedBody::default()
        };
    }
    rendered_body(&doc.body, &markdown_options(doc, lang, config))
}

/// The Markdown body of `doc`, in language `lang`: from `bodies` when it was rendered before.
pub(crate) fn post_body(
    doc: &Document,
    lang: &str,
    config: &Config,
    bodies: Option<&super::BodyCache>,
) -> RenderedBody {
    let options = markdown_options(doc, lang, config);
    match bodies {
        Some(cache) => cache.rendered(&doc.body, &options),
        None => rendered_body(&doc.body, &options),
    }
}

/// How the Markdown body of `doc`, in language `lang`, is rendered.
pub(crate) fn markdown_options(doc: &Document, lang: &str, config: &Config) -> MarkdownOptions {
    let typography = if !flag(doc, "typography").unwrap_or(config.typography) {
        Typography::None
    } else if lang == "fr" {
        Typography::French
    } else if lang == "en" {
        Typography::English
    } else {
        Typography::None
    };
    MarkdownOptions {
        typography,
        highlight: true,
        raw_html: config.raw_html,
        anchor_label: config.anchor_label(lang),
    }
}

/// The HTML of the Markdown `text` and facts about it.
pub(crate) fn rendered_body(text: &str, options: &MarkdownOptions) -> RenderedBody {
    let rendered = markdown::render(text, options);
    RenderedBody {
        summary: rendered.summary_html.unwrap_or_default(),
        reading_time: markdown::reading_time(rendered.word_count),
        word_count: rendered.word_count,
        toc: rendered.toc,
        html: rendered.html,
        packed: None,
        highlighted: rendered.highlighted,
    }
}

impl RenderedBody {
    /// The full HTML, however it is kept. HTML left in the cache file that cannot be read back
    /// comes out empty, and the build that asked for it fails (see
    /// [`super::body_cache::Stored::html`]).
    pub(crate) fn full_html(&self) -> std::borrow::Cow<'_, str> {
        match &self.packed {
            Some(Packed::Here(packed)) => {
                std::borrow::Cow::Owned(crate::text::packed::unpack(packed))
            }
            Some(Packed::Stored(stored)) => std::borrow::Cow::Owned(stored.html()),
            None => std::borrow::Cow::Borrowed(&self.html),
        }
    }

    /// Keeps the full HTML compressed: on a site of many posts, the HTML of all of them would
    /// otherwise be most of a build's memory.
    pub(crate) fn pack(&mut self) {
        if self.packed.is_none() {
            self.packed = Some(Packed::Here(crate::text::packed::pack(&self.html)));
            self.html = String::new();
        }
    }

    /// Keeps the full HTML as text again (a small site, where packing would only cost time).
    pub(crate) fn unpack(&mut self) {
        if self.packed.is_some() {
            self.html = self.full_html().into_owned();
            self.packed = None;
        }
    }

    /// The HTML left in the cache file, when it is.
    pub(crate) fn stored(&self) -> Option<&super::body_cache::Stored> {
        match &self.packed {
            Some(Packed::Stored(stored)) => Some(stored),
            _ => None,
        }
    }
}

/// The body of a post written as a template (`render: tera`, as Jekyll renders the Liquid of
/// every post before its Markdown): the template, made into HTML once the site's templates
/// can render it.
#[derive(Debug, Clone)]
pub(crate) struct BodyTemplate {
    /// The body as written: tera, then Markdown.
    pub source: String,
    /// How its Markdown is rendered.
    pub options: MarkdownOptions,
    /// The line of the file where the body starts (for messages).
    pub first_line: usize,
}

/// A file's language: its `lang` key, else the first folder of its path when that is a language
/// code of the site (`posts/en/...`), else the site's default language.
pub(crate) fn language_of(
    doc: &Document,
    config: &Config,
    problems: &mut Vec<Diagnostic>,
) -> String {
    if let Some(lang) = string_field(doc, "lang", problems) {
        if !config.has_language(&lang) {
            let known = config.language_codes().join(", ");
            problems.push(
                Diagnostic::error(
                    Rule::Language,
                    &doc.file,
                    crate::msg!("the language `{lang}` is not declared in site.yml", lang),
                )
                .at(doc.key_line("lang"), 1)
                .help(crate::msg!(
                    "use one of: {known}, or declare it under `languages:` in site.yml",
                    known
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

pub(crate) fn translation_key(doc: &Document) -> Option<String> {
    doc.str("translation_key")
        .or_else(|| doc.str("lang-ref"))
        .map(str::to_string)
}

pub(crate) fn extra_keys(doc: &Document, known: &[&str]) -> Map<String, Value> {
    doc.front
        .iter()
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
