//! Markdown to HTML: the only module that knows pulldown-cmark and syntect.
//!
//! [`render`] makes one pass over pulldown-cmark's events and, along the way,
//! gives every heading a unique id and an anchor link, highlights fenced code
//! with syntect (CSS classes prefixed with `hl-`), applies French or English
//! typography to visible text, numbers footnotes with prefixed ids, counts
//! words and collects links. The transformed events are then written with
//! [`pulldown_cmark::html::push_html`].

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Which typographic conventions to apply to prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typography {
    /// `« guillemets »`, narrow no-break spaces before `; ! ?`, no-break space before `:`,
    /// `’` apostrophes, `…`.
    French,
    /// “Curly” ‘quotes’ and ’ apostrophes.
    English,
    /// Text is left untouched.
    None,
}

#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    pub typography: Typography,
    /// Highlight fenced code blocks that name a known language.
    pub highlight: bool,
    /// Keep raw HTML written in the Markdown (authors are trusted). When false, HTML tags are shown
    /// as text and HTML comments are dropped.
    pub raw_html: bool,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        Self {
            typography: Typography::None,
            highlight: true,
            raw_html: true,
        }
    }
}

/// One entry of a page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
}

/// A link or image destination found in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    pub kind: LinkKind,
    /// Byte offset of the link in the Markdown source.
    pub offset: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// HTML of the text before a `<!-- more -->` line if present, else of the
    /// first paragraph; `None` if there is no paragraph.
    pub summary_html: Option<String>,
    pub toc: Vec<Heading>,
    /// Words of visible text (not code, not HTML tags). Elided articles count
    /// as words (`l'État` is two), hyphenated words as one (`peut-être`).
    pub word_count: usize,
    /// Every link and image destination in the source, raw HTML `href`/`src` included.
    pub links: Vec<Link>,
    /// Every id attribute gazette generated (heading ids, footnote ids), in document order.
    pub ids: Vec<String>,
}

const NNBSP: char = '\u{202F}';
const NBSP: char = '\u{A0}';
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const ANCHOR_LABEL: &str = "Lien vers cette section";
const HIGHLIGHT_THEME: &str = "InspiredGitHub";
const WORDS_PER_MINUTE: usize = 220;

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders Markdown to HTML, with everything gazette needs to know about the page.
#[must_use]
pub fn render(source: &str, options: &MarkdownOptions) -> Rendered {
    let mut renderer = Renderer::new(source, options);
    for (event, range) in Parser::new_ext(source, parser_options()).into_offset_iter() {
        renderer.event(event, range);
    }
    renderer.finish()
}

/// CSS for the `hl-` classes produced by code highlighting (InspiredGitHub, a light theme).
#[must_use]
pub fn highlight_css() -> String {
    let themes = ThemeSet::load_defaults();
    themes
        .themes
        .get(HIGHLIGHT_THEME)
        .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
        .unwrap_or_default()
}

/// URL slug: accents folded, lowercase ASCII letters and digits joined by `-`.
///
/// `"Développement durable !"` → `"developpement-durable"`; `""` if nothing is left.
#[must_use]
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    let mut push = |c: char, slug: &mut String| {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            push(c, &mut slug);
        } else if c.is_alphanumeric() {
            // Only letters and digits are transliterated: emoji and symbols
            // would otherwise become words ("😀" → "grinning").
            match deunicode::deunicode_char(c) {
                Some(folded) => folded.chars().for_each(|f| push(f, &mut slug)),
                None => push(' ', &mut slug),
            }
        } else {
            push(' ', &mut slug);
        }
    }
    slug
}

/// Readable heading id that keeps accented letters: lowercase, unicode letters
/// and digits kept, everything else collapsed to `-`, trimmed.
///
/// `"Qu'est-ce qu'un défi ?"` → `"qu-est-ce-qu-un-défi"`.
#[must_use]
pub fn heading_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !id.is_empty() {
                id.push('-');
            }
            pending_dash = false;
            id.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    id
}

/// Reading time in minutes at 220 words per minute, at least 1.
#[must_use]
pub fn reading_time(word_count: usize) -> usize {
    word_count.div_ceil(WORDS_PER_MINUTE).max(1)
}

// ---------------------------------------------------------------------------
// Rendering state machine
// ---------------------------------------------------------------------------

struct HeadingState<'a> {
    /// Index in `out` of a placeholder replaced by the real start tag at the end.
    start: usize,
    explicit_id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    /// Source text, for the id.
    raw: String,
    /// Text after typography, for the table of contents.
    title: String,
}

/// A fenced code block being buffered for highlighting.
struct CodeState<'a> {
    kind: CodeBlockKind<'a>,
    lang: String,
    syntax: &'static SyntaxReference,
    code: String,
}

struct Footnote {
    number: usize,
    fragment: String,
    referenced: bool,
    defined: bool,
}

struct Renderer<'a, 'o> {
    source: &'a str,
    options: &'o MarkdownOptions,
    out: Vec<Event<'a>>,
    /// Adjacent text events are merged before typography.
    pending_text: Option<CowStr<'a>>,
    typo: TypoState,
    in_word: bool,
    word_count: usize,
    depth: usize,
    heading: Option<HeadingState<'a>>,
    code: Option<CodeState<'a>>,
    in_plain_code: bool,
    image_depth: usize,
    in_autolink: bool,
    raw_code_depth: usize,
    footnote_depth: usize,
    footnotes: HashMap<String, Footnote>,
    used_ids: HashSet<String>,
    ids: Vec<String>,
    toc: Vec<Heading>,
    links: Vec<Link>,
    html_block_start: Option<usize>,
    more_at: Option<usize>,
    paragraph_start: Option<usize>,
    first_paragraph: Option<(usize, usize)>,
}

impl<'a, 'o> Renderer<'a, 'o> {
    fn new(source: &'a str, options: &'o MarkdownOptions) -> Self {
        Self {
            source,
            options,
            out: Vec::with_capacity(source.len() / 16 + 16),
            pending_text: None,
            typo: TypoState::default(),
            in_word: false,
            word_count: 0,
            depth: 0,
            heading: None,
            code: None,
            in_plain_code: false,
            image_depth: 0,
            in_autolink: false,
            raw_code_depth: 0,
            footnote_depth: 0,
            footnotes: HashMap::new(),
            used_ids: HashSet::new(),
            ids: Vec::new(),
            toc: Vec::new(),
            links: Vec::new(),
            html_block_start: None,
            more_at: None,
            paragraph_start: None,
            first_paragraph: None,
        }
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if let Event::Text(text) = event {
            if let Some(code) = &mut self.code {
                code.code.push_str(&text);
                return;
            }
            self.pending_text = Some(match self.pending_text.take() {
                None => text,
                Some(previous) => {
                    let mut merged = previous.into_string();
                    merged.push_str(&text);
                    CowStr::from(merged)
                }
            });
            return;
        }
        self.flush_text();
        match event {
            Event::Start(tag) => {
                self.depth += 1;
                self.start(tag, range);
            }
            Event::End(tag) => {
                self.depth = self.depth.saturating_sub(1);
                self.end(tag);
            }
            Event::Code(code) => {
                self.in_word = false;
                self.typo.prev = Some('x');
                if let Some(heading) = &mut self.heading {
                    heading.raw.push_str(&code);
                    heading.title.push_str(&code);
                }
                self.out.push(Event::Code(code));
            }
            Event::Html(html) => {
                if self.depth == 1 && self.more_at.is_none() && is_more_marker(&html) {
                    self.more_at = self.html_block_start;
                }
                if !self.options.raw_html {
                    self.push_html_as_text(html);
                    return;
                }
                self.scan_html(&html, &range);
                self.out.push(Event::Html(html));
            }
            Event::InlineHtml(html) => {
                if !self.options.raw_html {
                    self.push_html_as_text(html);
                    return;
                }
                self.track_raw_code(&html);
                self.scan_html(&html, &range);
                self.out.push(Event::InlineHtml(html));
            }
            Event::FootnoteReference(label) => {
                self.in_word = false;
                self.typo.prev = Some('0');
                let html = self.footnote_reference(&label);
                self.out.push(Event::InlineHtml(CowStr::from(html)));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.in_word = false;
                self.typo.prev = Some(' ');
                if let Some(heading) = &mut self.heading {
                    heading.raw.push(' ');
                    heading.title.push(' ');
                }
                self.out.push(event);
            }
            other => self.out.push(other),
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        match tag {
            Tag::Paragraph => {
                self.block_boundary();
                if self.first_paragraph.is_none() && self.footnote_depth == 0 {
                    self.paragraph_start = Some(self.out.len());
                }
                self.out.push(Event::Start(Tag::Paragraph));
            }
            Tag::Heading {
                level: _,
                id,
                classes,
                attrs,
            } => {
                self.block_boundary();
                self.heading = Some(HeadingState {
                    start: self.out.len(),
                    explicit_id: id,
                    classes,
                    attrs,
                    raw: String::new(),
                    title: String::new(),
                });
                self.out.push(Event::Html(CowStr::Borrowed("")));
            }
            Tag::CodeBlock(kind) => {
                self.block_boundary();
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or_default(),
                    CodeBlockKind::Indented => "",
                };
                let syntax = if self.options.highlight {
                    find_syntax(lang)
                } else {
                    None
                };
                match syntax {
                    Some(syntax) => {
                        self.code = Some(CodeState {
                            lang: lang.to_owned(),
                            kind,
                            syntax,
                            code: String::new(),
                        });
                    }
                    None => {
                        self.in_plain_code = true;
                        self.out.push(Event::Start(Tag::CodeBlock(kind)));
                    }
                }
            }
            Tag::HtmlBlock => {
                self.block_boundary();
                self.html_block_start = Some(self.out.len());
                self.out.push(Event::Start(Tag::HtmlBlock));
            }
            Tag::FootnoteDefinition(label) => {
                self.block_boundary();
                self.footnote_depth += 1;
                let html = self.footnote_definition(&label);
                self.out.push(Event::Html(CowStr::from(html)));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                self.in_autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                let dest = if link_type == LinkType::Email {
                    format!("mailto:{dest_url}")
                } else {
                    dest_url.to_string()
                };
                self.links.push(Link {
                    dest,
                    kind: LinkKind::Link,
                    offset: range.start,
                });
                self.out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                self.image_depth += 1;
                self.links.push(Link {
                    dest: dest_url.to_string(),
                    kind: LinkKind::Image,
                    offset: range.start,
                });
                self.out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript => self.out.push(Event::Start(tag)),
            other => {
                self.block_boundary();
                self.out.push(Event::Start(other));
            }
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.block_boundary();
                self.out.push(Event::End(tag));
                if let Some(start) = self.paragraph_start.take() {
                    self.first_paragraph = Some((start, self.out.len() - 1));
                }
            }
            TagEnd::Heading(level) => {
                self.block_boundary();
                self.finish_heading(level);
            }
            TagEnd::CodeBlock => {
                self.block_boundary();
                self.in_plain_code = false;
                match self.code.take() {
                    Some(code) => match highlight_memoized(&code.code, code.syntax, &code.lang) {
                        Some(html) => self.out.push(Event::Html(CowStr::from(html))),
                        None => {
                            self.out.push(Event::Start(Tag::CodeBlock(code.kind)));
                            self.out.push(Event::Text(CowStr::from(code.code)));
                            self.out.push(Event::End(TagEnd::CodeBlock));
                        }
                    },
                    None => self.out.push(Event::End(tag)),
                }
            }
            TagEnd::HtmlBlock => {
                self.block_boundary();
                self.html_block_start = None;
                self.out.push(Event::End(tag));
            }
            TagEnd::FootnoteDefinition => {
                self.block_boundary();
                self.footnote_depth = self.footnote_depth.saturating_sub(1);
                self.out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            TagEnd::Link => {
                self.in_autolink = false;
                self.out.push(Event::End(tag));
            }
            TagEnd::Image => {
                self.image_depth = self.image_depth.saturating_sub(1);
                self.out.push(Event::End(tag));
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => self.out.push(Event::End(tag)),
            other => {
                self.block_boundary();
                self.out.push(Event::End(other));
            }
        }
    }

    /// Words and quotes never continue across blocks.
    fn block_boundary(&mut self) {
        self.in_word = false;
        self.typo = TypoState::default();
    }

    fn flush_text(&mut self) {
        let Some(text) = self.pending_text.take() else {
            return;
        };
        let verbatim = self.raw_code_depth > 0 || self.in_autolink;
        if self.in_plain_code || self.image_depth > 0 {
            // Code, or an image's alt attribute: neither prose nor visible.
            self.out.push(Event::Text(text));
            return;
        }
        if self.raw_code_depth == 0 {
            self.word_count += count_words(&text, &mut self.in_word);
        }
        let text = if verbatim {
            if let Some(last) = text.chars().next_back() {
                self.typo.prev = Some(last);
            }
            if let Some(heading) = &mut self.heading {
                heading.raw.push_str(&text);
                heading.title.push_str(&text);
            }
            text
        } else {
            let typeset = typeset(text.clone(), self.options.typography, &mut self.typo);
            if let Some(heading) = &mut self.heading {
                heading.raw.push_str(&text);
                heading.title.push_str(&typeset);
            }
            typeset
        };
        self.out.push(Event::Text(text));
    }

    fn finish_heading(&mut self, level: pulldown_cmark::HeadingLevel) {
        let Some(heading) = self.heading.take() else {
            self.out.push(Event::End(TagEnd::Heading(level)));
            return;
        };
        let base = match &heading.explicit_id {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => {
                let id = heading_id(&heading.raw);
                if id.is_empty() {
                    "section".to_owned()
                } else {
                    id
                }
            }
        };
        let id = self.unique_id(base);
        let mut anchor = String::with_capacity(id.len() + 96);
        anchor.push_str(" <a class=\"anchor\" href=\"#");
        escape_html_into(&mut anchor, &id);
        anchor.push_str("\" aria-label=\"");
        anchor.push_str(ANCHOR_LABEL);
        anchor.push_str("\">#</a>");
        self.toc.push(Heading {
            level: level as u8,
            id: id.clone(),
            title: heading.title.trim().to_owned(),
        });
        self.ids.push(id.clone());
        let start = Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(id)),
            classes: heading.classes,
            attrs: heading.attrs,
        });
        match self.out.get_mut(heading.start) {
            Some(slot) => *slot = start,
            None => self.out.push(start),
        }
        self.out.push(Event::InlineHtml(CowStr::from(anchor)));
        self.out.push(Event::End(TagEnd::Heading(level)));
    }

    /// `base`, or `base-1`, `base-2`… whichever is still free on this page.
    fn unique_id(&mut self, base: String) -> String {
        if !self.used_ids.contains(&base) {
            self.used_ids.insert(base.clone());
            return base;
        }
        let mut n = 1usize;
        loop {
            let candidate = format!("{base}-{n}");
            if !self.used_ids.contains(&candidate) {
                self.used_ids.insert(candidate.clone());
                return candidate;
            }
            n += 1;
        }
    }

    /// The footnote for `label`, numbered and given free `fn-`/`fnref-` ids on first sight.
    fn footnote(&mut self, label: &str) -> &mut Footnote {
        let number = self.footnotes.len() + 1;
        match self.footnotes.entry(label.to_lowercase()) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => {
                let base = match heading_id(label) {
                    id if id.is_empty() => number.to_string(),
                    id => id,
                };
                let mut fragment = base.clone();
                let mut n = 1usize;
                while self.used_ids.contains(&format!("fn-{fragment}"))
                    || self.used_ids.contains(&format!("fnref-{fragment}"))
                {
                    fragment = format!("{base}-{n}");
                    n += 1;
                }
                self.used_ids.insert(format!("fn-{fragment}"));
                self.used_ids.insert(format!("fnref-{fragment}"));
                entry.insert(Footnote {
                    number,
                    fragment,
                    referenced: false,
                    defined: false,
                })
            }
        }
    }

    fn footnote_reference(&mut self, label: &str) -> String {
        let note = self.footnote(label);
        let first = !note.referenced;
        note.referenced = true;
        let (number, fragment) = (note.number, note.fragment.clone());
        let mut html = String::with_capacity(96);
        html.push_str("<sup class=\"footnote-reference\"");
        if first {
            html.push_str(" id=\"fnref-");
            escape_html_into(&mut html, &fragment);
            html.push('"');
            self.ids.push(format!("fnref-{fragment}"));
        }
        html.push_str("><a href=\"#fn-");
        escape_html_into(&mut html, &fragment);
        let _ = write!(html, "\">{number}</a></sup>");
        html
    }

    fn footnote_definition(&mut self, label: &str) -> String {
        let note = self.footnote(label);
        let first = !note.defined;
        note.defined = true;
        let (number, fragment, referenced) = (note.number, note.fragment.clone(), note.referenced);
        let mut html = String::with_capacity(128);
        html.push_str("<div class=\"footnote-definition\"");
        if first {
            html.push_str(" id=\"fn-");
            escape_html_into(&mut html, &fragment);
            html.push('"');
            self.ids.push(format!("fn-{fragment}"));
        }
        html.push_str("><sup class=\"footnote-definition-label\">");
        if referenced {
            html.push_str("<a href=\"#fnref-");
            escape_html_into(&mut html, &fragment);
            let _ = write!(html, "\">{number}</a>");
        } else {
            html.push_str(&number.to_string());
        }
        html.push_str("</sup>");
        html
    }

    /// Keeps prose rules out of inline `<code>`, `<kbd>`, `<pre>`… written as raw HTML.
    fn track_raw_code(&mut self, html: &str) {
        let Some(rest) = html.strip_prefix('<') else {
            return;
        };
        let (closing, rest) = match rest.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let end = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let name = rest.get(..end).unwrap_or_default();
        let is_code = ["code", "kbd", "samp", "pre", "script", "style"]
            .iter()
            .any(|tag| name.eq_ignore_ascii_case(tag));
        if !is_code || html.trim_end().ends_with("/>") {
            return;
        }
        if closing {
            self.raw_code_depth = self.raw_code_depth.saturating_sub(1);
        } else {
            self.raw_code_depth += 1;
        }
    }

    /// With `raw_html: false`: a tag is shown as text (escaped on output), a comment is dropped.
    fn push_html_as_text(&mut self, html: CowStr<'a>) {
        let trimmed = html.trim();
        if trimmed.starts_with("<!--") || trimmed.is_empty() {
            return;
        }
        self.out.push(Event::Text(html));
    }

    fn scan_html(&mut self, html: &str, range: &Range<usize>) {
        if !html.contains('=') {
            return;
        }
        let exact = self
            .source
            .get(range.start..)
            .is_some_and(|s| s.starts_with(html));
        for (pos, dest, kind) in html_links(html) {
            self.links.push(Link {
                dest: dest.to_owned(),
                kind,
                offset: range.start + if exact { pos } else { 0 },
            });
        }
    }

    fn finish(mut self) -> Rendered {
        self.flush_text();
        let mut html = String::with_capacity(self.source.len() + self.source.len() / 2 + 64);
        let summary_html = match self.more_at {
            Some(split) => {
                let rest = self.out.split_off(split.min(self.out.len()));
                html::push_html(&mut html, self.out.into_iter());
                let summary = (!html.trim().is_empty()).then(|| html.clone());
                html::push_html(&mut html, rest.into_iter());
                summary
            }
            None => {
                let summary = self
                    .first_paragraph
                    .and_then(|(start, end)| self.out.get(start..=end))
                    .map(|events| {
                        let mut summary = String::new();
                        html::push_html(&mut summary, events.iter().cloned());
                        summary
                    });
                html::push_html(&mut html, self.out.into_iter());
                summary
            }
        };
        let raw = self.options.raw_html;
        let (html, summary_html) = if raw {
            (
                add_noopener(&html),
                summary_html.map(|summary| add_noopener(&summary)),
            )
        } else {
            (html, summary_html)
        };
        Rendered {
            html,
            summary_html,
            toc: self.toc,
            word_count: self.word_count,
            links: self.links,
            ids: self.ids,
        }
    }
}

/// Adds `rel="noopener"` to every `<a …>` tag with `target="_blank"` that lacks it, so a page
/// opened in a new tab cannot reach back to ours through `window.opener`. Only raw HTML can set a
/// target: Markdown links never do.
fn add_noopener(html: &str) -> String {
    if !html.contains("_blank") {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(start) = find_a_tag(rest) {
        let (before, tag_and_after) = rest.split_at(start);
        out.push_str(before);
        let end = tag_end(tag_and_after);
        let (tag, after) = tag_and_after.split_at(end);
        out.push_str(&noopener_tag(tag));
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Byte offset of the next `<a` followed by whitespace.
fn find_a_tag(html: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(pos) = html.get(from..)?.find('<') {
        let at = from + pos;
        let is_a = bytes
            .get(at + 1)
            .is_some_and(|b| b.eq_ignore_ascii_case(&b'a'))
            && bytes.get(at + 2).is_some_and(u8::is_ascii_whitespace);
        if is_a {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Length of the tag at the start of `html` (through its `>`, quotes respected), or all of it.
fn tag_end(html: &str) -> usize {
    let mut quote = None;
    for (i, c) in html.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// One `<a …>` tag, with `noopener` added when it opens a new tab.
fn noopener_tag(tag: &str) -> String {
    let attrs = attributes(tag);
    let blank = attrs.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("target") && value.eq_ignore_ascii_case("_blank")
    });
    if !blank {
        return tag.to_owned();
    }
    match attrs
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("rel"))
    {
        Some((_, value))
            if value.split_ascii_whitespace().any(|v| {
                v.eq_ignore_ascii_case("noopener") || v.eq_ignore_ascii_case("noreferrer")
            }) =>
        {
            tag.to_owned()
        }
        Some(_) => {
            // Prepend to the existing value: `rel="x"` → `rel="noopener x"`.
            let lower = tag.to_ascii_lowercase();
            let Some(at) = lower.match_indices("rel").map(|(i, _)| i).find(|&i| {
                lower[..i].ends_with(|c: char| c.is_ascii_whitespace())
                    && lower[i + 3..].trim_start().starts_with('=')
            }) else {
                return tag.to_owned();
            };
            let eq = at + 3 + (lower[at + 3..].len() - lower[at + 3..].trim_start().len());
            let (head, value) = tag.split_at(eq + 1);
            let value = value.trim_start();
            match value.chars().next() {
                Some(q @ ('"' | '\'')) => format!("{head}{q}noopener {}", &value[1..]),
                _ => {
                    let end = value
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(value.len());
                    format!("{head}\"noopener {}\"{}", &value[..end], &value[end..])
                }
            }
        }
        None => {
            let body = tag.trim_end_matches('>');
            let (body, close) = match body.strip_suffix('/') {
                Some(body) => (body.trim_end(), " />"),
                None => (body.trim_end(), ">"),
            };
            format!("{body} rel=\"noopener\"{close}")
        }
    }
}

/// The attributes of a tag, as (name, unquoted value); a name without value has an empty value.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let inner = tag
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut chars = inner.char_indices().peekable();
    // Skip the tag name.
    while chars.peek().is_some_and(|(_, c)| !c.is_whitespace()) {
        chars.next();
    }
    let mut found = Vec::new();
    loop {
        while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
            chars.next();
        }
        let mut name = String::new();
        while let Some(&(_, c)) = chars.peek() {
            if c.is_whitespace() || c == '=' {
                break;
            }
            name.push(c);
            chars.next();
        }
        if name.is_empty() {
            if chars.next().is_none() {
                break;
            }
            continue;
        }
        while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek().is_some_and(|(_, c)| *c == '=') {
            chars.next();
            while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                chars.next();
            }
            match chars.peek().map(|(_, c)| *c) {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    for (_, c) in chars.by_ref() {
                        if c == q {
                            break;
                        }
                        value.push(c);
                    }
                }
                _ => {
                    while let Some(&(_, c)) = chars.peek() {
                        if c.is_whitespace() {
                            break;
                        }
                        value.push(c);
                        chars.next();
                    }
                }
            }
        }
        found.push((name, value));
    }
    found
}

fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
}

/// `href` and `src` attribute values of raw HTML, with their byte position.
fn html_links(html: &str) -> Vec<(usize, &str, LinkKind)> {
    let mut found = Vec::new();
    if html.trim_start().starts_with("<!--") {
        return found;
    }
    let bytes = html.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        let rest = bytes.get(i..).unwrap_or_default();
        let preceded_by_space = bytes.get(i - 1).is_some_and(u8::is_ascii_whitespace);
        let attr = if !preceded_by_space {
            None
        } else if starts_with_ignore_case(rest, b"href") {
            Some((4, LinkKind::Link))
        } else if starts_with_ignore_case(rest, b"src") {
            Some((3, LinkKind::Image))
        } else {
            None
        };
        let Some((name_len, kind)) = attr else {
            i += 1;
            continue;
        };
        let skip_spaces = |mut j: usize| {
            while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            j
        };
        let mut j = skip_spaces(i + name_len);
        if bytes.get(j) != Some(&b'=') {
            i += name_len;
            continue;
        }
        j = skip_spaces(j + 1);
        let (start, end) = match bytes.get(j) {
            Some(&quote @ (b'"' | b'\'')) => {
                let start = j + 1;
                let end = bytes
                    .get(start..)
                    .and_then(|r| r.iter().position(|&b| b == quote))
                    .map_or(bytes.len(), |p| start + p);
                (start, end)
            }
            Some(_) => {
                let end = bytes
                    .get(j..)
                    .and_then(|r| r.iter().position(|&b| b.is_ascii_whitespace() || b == b'>'))
                    .map_or(bytes.len(), |p| j + p);
                (j, end)
            }
            None => break,
        };
        if let Some(dest) = html.get(start..end) {
            found.push((i, dest, kind));
        }
        i = end.max(i + 1);
    }
    found
}

fn starts_with_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .get(..needle.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(needle))
}

/// Counts words, continuing a word across text events (`in_word`).
/// Letters and digits make words; `-`, `_`, `.`, `,`, `:`, `/`, `@` inside a
/// word don't split it (`peut-être`, `10:30`, `3,14`); apostrophes do (`l'État`).
fn count_words(text: &str, in_word: &mut bool) -> usize {
    let mut count = 0;
    let mut inside = *in_word;
    for c in text.chars() {
        if c.is_alphanumeric() {
            count += usize::from(!inside);
            inside = true;
        } else if !(inside
            && matches!(
                c,
                '-' | '\u{2010}' | '\u{2011}' | '_' | '.' | ',' | ':' | '/' | '@'
            ))
        {
            inside = false;
        }
    }
    *in_word = inside;
    count
}

fn escape_html_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

// ---------------------------------------------------------------------------
// Code highlighting
// ---------------------------------------------------------------------------

fn syntax_set() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The syntax for a fence token (`rust`, `python`, `yml`, `sh`…), if syntect knows it.
fn find_syntax(token: &str) -> Option<&'static SyntaxReference> {
    if token.is_empty() {
        return None;
    }
    let lower = token.to_ascii_lowercase();
    let token = match lower.as_str() {
        "text" | "txt" | "plain" | "plaintext" | "none" => return None,
        "shell" | "bash" | "zsh" | "console" | "shellsession" | "shell-session" => "sh",
        "python3" | "py3" => "py",
        "javascript" | "node" | "mjs" | "cjs" => "js",
        "golang" => "go",
        "c++" => "cpp",
        "jsonc" | "json5" => "json",
        "rs" => "rust",
        other => other,
    };
    syntax_set().find_syntax_by_token(token)
}

/// Highlighted code blocks by hash of (syntax, language, code), with whether this build used them.
/// syntect with the pure-Rust regex engine takes milliseconds per block, more than the rest of a
/// post: a block seen before (in this process or, through [`load_highlight_cache`], in the last
/// build) is not highlighted again.
type Memo = std::sync::Mutex<HashMap<u64, (std::sync::Arc<str>, bool)>>;

fn memo() -> &'static Memo {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    MEMO.get_or_init(Default::default)
}

fn memo_key(code: &str, syntax: &SyntaxReference, lang: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (code, &syntax.name, lang).hash(&mut hasher);
    hasher.finish()
}

fn highlight_memoized(code: &str, syntax: &'static SyntaxReference, lang: &str) -> Option<String> {
    let key = memo_key(code, syntax, lang);
    if let Ok(mut memo) = memo().lock()
        && let Some((html, used)) = memo.get_mut(&key)
    {
        *used = true;
        return Some(html.to_string());
    }
    let html = highlight(code, syntax, lang)?;
    if let Ok(mut memo) = memo().lock() {
        memo.insert(key, (std::sync::Arc::from(html.as_str()), true));
    }
    Some(html)
}

/// The version of the highlight cache format and of what produces it: a cache written by another
/// version of gazette is ignored.
const CACHE_MAGIC: &str = concat!(
    "gazette-highlight-cache ",
    env!("CARGO_PKG_VERSION"),
    " v1\n"
);

/// Fills the highlight memo from bytes written by [`highlight_cache_bytes`]; anything unreadable
/// is ignored (the cache only saves time).
pub fn load_highlight_cache(bytes: &[u8]) {
    let Some(mut rest) = bytes.strip_prefix(CACHE_MAGIC.as_bytes()) else {
        return;
    };
    let Ok(mut memo) = memo().lock() else { return };
    while rest.len() >= 12 {
        let (head, tail) = rest.split_at(12);
        let key = u64::from_le_bytes([
            head[0], head[1], head[2], head[3], head[4], head[5], head[6], head[7],
        ]);
        let len = u32::from_le_bytes([head[8], head[9], head[10], head[11]]) as usize;
        if tail.len() < len {
            return;
        }
        let (html, tail) = tail.split_at(len);
        if let Ok(html) = std::str::from_utf8(html) {
            memo.entry(key)
                .or_insert_with(|| (std::sync::Arc::from(html), false));
        }
        rest = tail;
    }
}

/// The highlighted blocks used since the last call, to save for the next build; forgets the others
/// so the cache never grows past what the site uses.
pub fn highlight_cache_bytes() -> Vec<u8> {
    let mut out = CACHE_MAGIC.as_bytes().to_vec();
    let Ok(mut memo) = memo().lock() else {
        return out;
    };
    memo.retain(|_, (_, used)| *used);
    let mut keys: Vec<&u64> = memo.keys().collect();
    keys.sort();
    for key in keys {
        let (html, _) = &memo[key];
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&(html.len() as u32).to_le_bytes());
        out.extend_from_slice(html.as_bytes());
    }
    for (_, used) in memo.values_mut() {
        *used = false;
    }
    out
}

/// Highlighted `<pre>` block, or `None` if syntect fails in any way.
fn highlight(code: &str, syntax: &'static SyntaxReference, lang: &str) -> Option<String> {
    // syntect has internal `unwrap`s; a panic there must not take a whole
    // build down, so it degrades to plain code like any other error.
    let body = catch_unwind(AssertUnwindSafe(|| {
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, syntax_set(), CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }))
    .ok()
    .flatten()?;
    let mut html = String::with_capacity(body.len() + lang.len() + 64);
    html.push_str("<pre class=\"code\" data-lang=\"");
    escape_html_into(&mut html, lang);
    html.push_str("\"><code>");
    html.push_str(&body);
    html.push_str("</code></pre>\n");
    Some(html)
}

// ---------------------------------------------------------------------------
// Typography
// ---------------------------------------------------------------------------

/// Context carried across the text events of one block.
#[derive(Debug, Default)]
struct TypoState {
    /// Last character written before the current text event.
    prev: Option<char>,
    /// A double quote is open.
    quote_open: bool,
}

fn is_hspace(c: char) -> bool {
    matches!(c, ' ' | '\t' | NBSP | NNBSP | '\u{2009}')
}

fn opens_context(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || "([{«‹“‘—–-/".contains(c))
}

/// Letters, digits and closing characters may be followed by French high punctuation.
fn closes_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || ")]}»”’'\"…%".contains(c))
}

/// What may follow `; : ! ?` for them to be treated as punctuation.
fn ends_punctuation(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || ".,;:!?)]}»”’'\"…".contains(c))
}

/// Start of a URL written as text (`https://…`, `www.…`, `mailto:…`): its length.
fn url_at(text: &str) -> Option<usize> {
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    let word = text.get(..end)?;
    let is_url = word.find("://").is_some_and(|p| {
        p > 0
            && word
                .bytes()
                .take(p)
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
    }) || word.starts_with("www.")
        || word.starts_with("mailto:");
    if !is_url {
        return None;
    }
    // Trailing punctuation belongs to the sentence, not to the URL.
    let url = word.trim_end_matches(|c: char| ".,;:!?)]}»\"'’”…".contains(c));
    Some(url.len())
}

fn needs_typesetting(text: &str) -> bool {
    // 0xAB / 0xBB: second byte of « and » (false positives only cost a scan).
    text.bytes().any(|b| {
        matches!(
            b,
            b'"' | b'\'' | b'.' | b';' | b':' | b'!' | b'?' | 0xAB | 0xBB
        )
    })
}

fn typeset<'a>(text: CowStr<'a>, typography: Typography, state: &mut TypoState) -> CowStr<'a> {
    if typography == Typography::None || !needs_typesetting(&text) {
        if let Some(last) = text.chars().next_back() {
            state.prev = Some(last);
        }
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    match typography {
        Typography::French => french(&text, state, &mut out),
        Typography::English => english(&text, state, &mut out),
        Typography::None => out.push_str(&text),
    }
    if let Some(last) = out.chars().next_back() {
        state.prev = Some(last);
    }
    CowStr::from(out)
}

fn last_char(out: &str, state: &TypoState) -> Option<char> {
    out.chars().next_back().or(state.prev)
}

/// Whether a double quote at this point opens (`true`) or closes a quotation.
fn quote_opens(before: Option<char>, next: Option<char>, state: &TypoState) -> bool {
    if opens_context(before) {
        !(state.quote_open && ends_punctuation(next))
    } else {
        !state.quote_open && next.is_some_and(char::is_alphanumeric)
    }
}

/// Where a URL written as text starts here, its length.
fn url_here(
    text: &str,
    i: usize,
    c: char,
    before: Option<char>,
    may_have_url: bool,
) -> Option<usize> {
    if !may_have_url || !c.is_ascii_alphanumeric() {
        return None;
    }
    if before.is_some_and(|b| b.is_alphanumeric() || "./-_:@".contains(b)) {
        return None;
    }
    url_at(text.get(i..)?)
}

fn may_have_url(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b':' => {
            bytes.get(i + 1..i + 3) == Some(b"//".as_slice())
                || (i >= 6 && bytes.get(i - 6..i) == Some(b"mailto".as_slice()))
        }
        b'w' => bytes.get(i..i + 4) == Some(b"www.".as_slice()),
        _ => false,
    })
}

fn trim_hspace_end(out: &mut String) {
    let len = out.trim_end_matches(is_hspace).len();
    out.truncate(len);
}

fn french(text: &str, state: &mut TypoState, out: &mut String) {
    let urls = may_have_url(text);
    let mut i = 0;
    loop {
        if !urls {
            i = copy_plain(text, i, out, &FRENCH_SPECIAL);
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let mut next_i = i + c.len_utf8();
        let next = text.get(next_i..).and_then(|rest| rest.chars().next());
        let before = last_char(out, state);
        if let Some(len) = url_here(text, i, c, before, urls) {
            out.push_str(text.get(i..i + len).unwrap_or_default());
            i += len.max(1);
            continue;
        }
        match c {
            '"' => {
                if quote_opens(before, next, state) {
                    state.quote_open = true;
                    out.push('«');
                    out.push(NNBSP);
                    next_i = skip_hspace(text, next_i);
                } else {
                    state.quote_open = false;
                    trim_hspace_end(out);
                    out.push(NNBSP);
                    out.push('»');
                }
            }
            '«' => {
                out.push('«');
                out.push(NNBSP);
                next_i = skip_hspace(text, next_i);
            }
            '»' => {
                trim_hspace_end(out);
                out.push(NNBSP);
                out.push('»');
            }
            '\'' => out.push('’'),
            '.' if text.get(next_i..).is_some_and(|r| r.starts_with("..")) => {
                out.push('…');
                next_i += 2;
            }
            ';' | ':' | '!' | '?' => {
                // The character before the (optional) spaces; a punctuation
                // mark (`?!`) is not a word, so it never gets a space.
                let trimmed = out.trim_end_matches(is_hspace).len();
                let before_word = match out.get(..trimmed) {
                    Some(kept) if !kept.is_empty() => kept.chars().next_back(),
                    _ => state.prev,
                };
                let ok = closes_word(before_word)
                    && ends_punctuation(next)
                    && !(c == ':' && text.get(next_i..).is_some_and(|r| r.starts_with("//")));
                if ok {
                    trim_hspace_end(out);
                    out.push(if c == ':' { NBSP } else { NNBSP });
                }
                out.push(c);
            }
            c => out.push(c),
        }
        i = next_i;
    }
}

fn english(text: &str, state: &mut TypoState, out: &mut String) {
    let urls = may_have_url(text);
    let mut i = 0;
    loop {
        if !urls {
            i = copy_plain(text, i, out, &ENGLISH_SPECIAL);
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let next_i = i + c.len_utf8();
        let next = text.get(next_i..).and_then(|rest| rest.chars().next());
        let before = last_char(out, state);
        if let Some(len) = url_here(text, i, c, before, urls) {
            out.push_str(text.get(i..i + len).unwrap_or_default());
            i += len.max(1);
            continue;
        }
        match c {
            '"' => {
                if quote_opens(before, next, state) {
                    state.quote_open = true;
                    out.push('“');
                } else {
                    state.quote_open = false;
                    out.push('”');
                }
            }
            '\'' => {
                if opens_context(before) && next.is_some_and(|n| !n.is_whitespace()) {
                    out.push('‘');
                } else {
                    out.push('’');
                }
            }
            c => out.push(c),
        }
        i = next_i;
    }
}

/// Bytes that may start something to typeset (0xC2 leads `«`, `»`).
const FRENCH_SPECIAL: [bool; 256] = byte_table(b"\"'.;:!?\xC2");
const ENGLISH_SPECIAL: [bool; 256] = byte_table(b"\"'");

const fn byte_table(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

/// Copies the run of characters from `i` that need no typesetting; returns where it stops.
/// The run ends on an ASCII or lead byte, so always on a character boundary.
fn copy_plain(text: &str, i: usize, out: &mut String, special: &[bool; 256]) -> usize {
    let rest = text.as_bytes().get(i..).unwrap_or_default();
    let run = rest
        .iter()
        .position(|&b| special[usize::from(b)])
        .unwrap_or(rest.len());
    out.push_str(text.get(i..i + run).unwrap_or_default());
    i + run
}

fn skip_hspace(text: &str, mut i: usize) -> usize {
    while let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) {
        if !is_hspace(c) {
            break;
        }
        i += c.len_utf8();
    }
    i
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn opts(typography: Typography) -> MarkdownOptions {
        MarkdownOptions {
            typography,
            highlight: true,
            raw_html: true,
        }
    }

    fn fr(source: &str) -> Rendered {
        render(source, &opts(Typography::French))
    }

    /// The HTML of a one-paragraph document, without `<p>` and `</p>\n`.
    fn paragraph(source: &str, typography: Typography) -> String {
        let html = render(source, &opts(typography)).html;
        html.strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>\n"))
            .unwrap_or_else(|| panic!("not one paragraph: {html:?}"))
            .to_owned()
    }

    #[test]
    fn heading_id_cases() {
        for (input, expected) in [
            ("Qu'est-ce qu'un défi ?", "qu-est-ce-qu-un-défi"),
            ("Été 2024 : bilan", "été-2024-bilan"),
            ("  --Hello__World--  ", "hello-world"),
            ("ÉCOLE Normale", "école-normale"),
            ("C++ & Rust", "c-rust"),
            ("🎉 !!", ""),
            ("", ""),
        ] {
            assert_eq!(heading_id(input), expected, "{input:?}");
        }
    }

    #[test]
    fn slugify_cases() {
        for (input, expected) in [
            ("Développement durable !", "developpement-durable"),
            ("développement", "developpement"),
            ("Intérêt général", "interet-general"),
            ("Ça coûte 10 €", "ca-coute-10"),
            ("Œuvre straße", "oeuvre-strasse"),
            ("  Hello,   World  ", "hello-world"),
            ("🎉🚀", ""),
            ("!!! ??? ---", ""),
            ("", ""),
        ] {
            assert_eq!(slugify(input), expected, "{input:?}");
        }
    }

    #[test]
    fn reading_time_cases() {
        for (words, minutes) in [(0, 1), (1, 1), (220, 1), (221, 2), (1000, 5)] {
            assert_eq!(reading_time(words), minutes, "{words}");
        }
    }

    #[test]
    fn heading_markup_and_anchor() {
        let r = fr("## Title");
        assert_eq!(
            r.html,
            "<h2 id=\"title\">Title <a class=\"anchor\" href=\"#title\" \
             aria-label=\"Lien vers cette section\">#</a></h2>\n"
        );
    }

    #[test]
    fn heading_ids_accents_uniqueness_explicit() {
        let r = fr(
            "# Qu'est-ce qu'un défi ?\n\n## Intro\n\n## Intro\n\n### Intro\n\n\
                    ## Autre {#custom .wide}\n\n## Le `main` fn\n\n#\n\n## Intro-1\n",
        );
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "qu-est-ce-qu-un-défi",
                "intro",
                "intro-1",
                "intro-2",
                "custom",
                "le-main-fn",
                "section",
                "intro-1-1"
            ]
        );
        assert!(r.html.contains("<h2 id=\"custom\" class=\"wide\">Autre <a"));
        assert!(r.html.contains("href=\"#qu-est-ce-qu-un-défi\""));
        assert_eq!(r.ids, ids);
    }

    #[test]
    fn toc_levels_and_titles() {
        let r = fr("# Un\n\nTexte\n\n## Deux *emphase*\n\n### Quoi ?\n");
        assert_eq!(
            r.toc,
            vec![
                Heading {
                    level: 1,
                    id: "un".into(),
                    title: "Un".into()
                },
                Heading {
                    level: 2,
                    id: "deux-emphase".into(),
                    title: "Deux emphase".into()
                },
                Heading {
                    level: 3,
                    id: "quoi".into(),
                    title: "Quoi\u{202F}?".into()
                },
            ]
        );
    }

    #[test]
    fn summary_cases() {
        let none = MarkdownOptions {
            typography: Typography::None,
            highlight: false,
            raw_html: true,
        };
        for (source, expected) in [
            ("First para.\n\nSecond.\n", Some("<p>First para.</p>\n")),
            (
                "# Title\n\n- tight item\n\nThe para.\n",
                Some("<p>The para.</p>\n"),
            ),
            (
                "One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n",
                Some("<p>One.</p>\n<p>Two.</p>\n"),
            ),
            ("Intro\n<!-- more -->\nRest\n", Some("<p>Intro</p>\n")),
            ("```\n<!-- more -->\n```\n\nPara.\n", Some("<p>Para.</p>\n")),
            ("# Only a title\n", None),
            ("", None),
        ] {
            assert_eq!(
                render(source, &none).summary_html.as_deref(),
                expected,
                "{source:?}"
            );
        }
        let r = render("One.\n\n<!-- more -->\n\nTwo.\n", &none);
        assert!(r.html.starts_with("<p>One.</p>\n"));
        assert!(r.html.ends_with("<p>Two.</p>\n"));
    }

    #[test]
    fn footnotes_tables_tasklists_strikethrough() {
        let r = fr("Texte[^n] et[^n].\n\n[^n]: La note.\n\n\
                    | a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] fait\n- [ ] à faire\n\n~~barré~~\n");
        assert!(r.html.contains(
            "<sup class=\"footnote-reference\" id=\"fnref-n\"><a href=\"#fn-n\">1</a></sup>"
        ));
        assert!(
            r.html
                .contains("<sup class=\"footnote-reference\"><a href=\"#fn-n\">1</a></sup>")
        );
        assert!(
            r.html
                .contains("<div class=\"footnote-definition\" id=\"fn-n\">")
        );
        assert!(r.html.contains("<a href=\"#fnref-n\">1</a>"));
        assert_eq!(r.ids, ["fnref-n", "fn-n"]);
        assert!(r.html.contains("<table><thead><tr><th>a</th>"));
        assert!(r.html.contains("<td>2</td>"));
        assert!(r.html.contains("type=\"checkbox\" checked=\"\""));
        assert!(r.html.contains("<del>barré</del>"));
    }

    #[test]
    fn footnote_ids_do_not_clash_with_headings() {
        let r = fr("# Fn 1\n\nA[^1].\n\n[^1]: Note.\n");
        let mut ids = r.ids.clone();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), r.ids.len(), "{:?}", r.ids);
        assert!(r.ids.contains(&"fn-1".to_owned()));
        assert!(r.ids.contains(&"fn-1-1".to_owned()));
    }

    #[test]
    fn code_highlighting() {
        for lang in ["rust", "python", "yaml", "yml", "sh", "bash", "js", "Rust"] {
            let r = fr(&format!("```{lang}\nlet x = \"a < b\";\n```\n"));
            assert!(
                r.html
                    .starts_with(&format!("<pre class=\"code\" data-lang=\"{lang}\"><code>")),
                "{lang}: {}",
                r.html
            );
            assert!(r.html.contains("class=\"hl-"), "{lang}");
            assert!(r.html.contains("&lt;"), "{lang}");
            assert!(!r.html.contains("« "), "typography in code: {lang}");
        }
    }

    #[test]
    fn code_fallbacks() {
        let plain = MarkdownOptions {
            typography: Typography::French,
            highlight: false,
            raw_html: true,
        };
        for (source, options, expected) in [
            (
                "```klingon\nx < \"y\" : z\n```\n",
                opts(Typography::French),
                "<pre><code class=\"language-klingon\">x &lt; \"y\" : z\n</code></pre>\n",
            ),
            (
                "```rust\nlet x = 'a';\n```\n",
                plain,
                "<pre><code class=\"language-rust\">let x = 'a';\n</code></pre>\n",
            ),
            (
                "```\n\"a\" : b\n```\n",
                opts(Typography::French),
                "<pre><code>\"a\" : b\n</code></pre>\n",
            ),
            (
                "    \"indented\" ?\n",
                opts(Typography::French),
                "<pre><code>\"indented\" ?\n</code></pre>\n",
            ),
        ] {
            assert_eq!(render(source, &options).html, expected, "{source:?}");
        }
    }

    #[test]
    fn french_typography() {
        for (input, expected) in [
            ("\"bonjour\"", "«\u{202F}bonjour\u{202F}»"),
            (
                "Il dit \"bonjour\" !",
                "Il dit «\u{202F}bonjour\u{202F}»\u{202F}!",
            ),
            ("Quoi ?", "Quoi\u{202F}?"),
            ("Quoi?", "Quoi\u{202F}?"),
            ("Quoi ?!", "Quoi\u{202F}?!"),
            ("Vraiment !", "Vraiment\u{202F}!"),
            ("Note : ceci", "Note\u{A0}: ceci"),
            ("Note: ceci", "Note\u{A0}: ceci"),
            ("Fin :", "Fin\u{A0}:"),
            ("a ; b", "a\u{202F}; b"),
            ("(vraiment ?)", "(vraiment\u{202F}?)"),
            ("Rendez-vous à 10:30.", "Rendez-vous à 10:30."),
            ("Voir https://x.fr/a?b=c.", "Voir https://x.fr/a?b=c."),
            ("Voir https://x.fr !", "Voir https://x.fr\u{202F}!"),
            ("Voir www.x.fr/l'a", "Voir www.x.fr/l'a"),
            ("a:b", "a:b"),
            ("l'État", "l’État"),
            ("Attends...", "Attends…"),
            ("« mot »", "«\u{202F}mot\u{202F}»"),
            ("«mot»", "«\u{202F}mot\u{202F}»"),
            (
                "Déjà\u{202F}? Oui\u{A0}: «\u{202F}x\u{202F}»",
                "Déjà\u{202F}? Oui\u{A0}: «\u{202F}x\u{202F}»",
            ),
            ("\"*emph*\" !", "«\u{202F}<em>emph</em>\u{202F}»\u{202F}!"),
            ("`a : \"b\"` ?", "<code>a : \"b\"</code>\u{202F}?"),
            (
                "<span title=\"a : b\" data-x='y'>c'est</span>",
                "<span title=\"a : b\" data-x='y'>c’est</span>",
            ),
            ("<code>l'a : b</code>", "<code>l'a : b</code>"),
            (
                "[l'lien](https://x.fr/l'a \"t'i\")",
                "<a href=\"https://x.fr/l&#x27;a\" title=\"t&#39;i\">l’lien</a>",
            ),
            (
                "<https://x.fr/l'a>",
                "<a href=\"https://x.fr/l&#x27;a\">https://x.fr/l'a</a>",
            ),
            ("? seul", "? seul"),
        ] {
            assert_eq!(paragraph(input, Typography::French), expected, "{input:?}");
        }
    }

    #[test]
    fn english_and_no_typography() {
        for (input, typography, expected) in [
            (
                "He said \"hello\" and 'hi', it's fine.",
                Typography::English,
                "He said “hello” and ‘hi’, it’s fine.",
            ),
            ("\"*emph*\"", Typography::English, "“<em>emph</em>”"),
            ("`\"code\"`", Typography::English, "<code>\"code\"</code>"),
            ("Quoi ?", Typography::English, "Quoi ?"),
            (
                "\"a\" -- b... l'x : ?",
                Typography::None,
                "\"a\" -- b... l'x : ?",
            ),
        ] {
            assert_eq!(paragraph(input, typography), expected, "{input:?}");
        }
    }

    #[test]
    fn raw_html_passes_through() {
        let source = "<div class=\"x\">\n\"a\" : b\n</div>\n";
        assert_eq!(fr(source).html, source);
    }

    #[test]
    fn word_count_cases() {
        for (source, words) in [
            ("L'État, c'est moi.", 5),
            ("Peut-être à 10:30, 3,14 %", 4),
            ("Un `code` deux\n\n```\nx y z\n```\n", 2),
            ("caf&eacute; noir, ab\\-cd", 3),
            ("**gras**suite et *fin*", 3),
            ("# Titre\n\nÉlève déjà là", 4),
            ("Texte <span class=\"a b c\">visible</span>", 2),
            ("![alt text](x.png) légende", 1),
            ("日本語 テキスト", 2),
            ("🎉 — !", 0),
            ("", 0),
        ] {
            assert_eq!(
                render(source, &opts(Typography::French)).word_count,
                words,
                "{source:?}"
            );
        }
    }

    #[test]
    fn links_collected_with_kinds() {
        let source = "[a](/a) ![b](/b.png) <https://c.fr> <me@x.fr> [r][ref] \
                      <a href=\"/raw\">x</a> <img src='/i.jpg'>\n\n[ref]: https://ref.fr\n";
        let r = fr(source);
        let got: Vec<(&str, LinkKind, usize)> = r
            .links
            .iter()
            .map(|l| (l.dest.as_str(), l.kind.clone(), l.offset))
            .collect();
        let at = |needle: &str| source.find(needle).unwrap();
        assert_eq!(
            got,
            [
                ("/a", LinkKind::Link, at("[a]")),
                ("/b.png", LinkKind::Image, at("![b]")),
                ("https://c.fr", LinkKind::Link, at("<https")),
                ("mailto:me@x.fr", LinkKind::Link, at("<me@")),
                ("https://ref.fr", LinkKind::Link, at("[r]")),
                ("/raw", LinkKind::Link, at("href")),
                ("/i.jpg", LinkKind::Image, at("src")),
            ]
        );
    }

    #[test]
    fn pathological_inputs_terminate() {
        let inputs = [
            ">".repeat(10_000),
            "> ".repeat(10_000),
            "[".repeat(10_000),
            "*".repeat(10_000),
            "> - ".repeat(5_000),
            "[a](".repeat(10_000),
            "\"".repeat(10_000),
            "**a".repeat(5_000),
            "<div>".repeat(10_000),
            "#".repeat(10_000),
            format!("```rust\n{}\n```", "{".repeat(10_000)),
        ];
        for input in &inputs {
            for typography in [Typography::French, Typography::English, Typography::None] {
                let r = render(input, &opts(typography));
                assert!(r.word_count <= input.len());
            }
        }
    }

    #[test]
    fn never_panics_on_noise() {
        const ALPHABET: &[&str] = &[
            "a",
            "é",
            " ",
            "\n",
            "\"",
            "'",
            ":",
            ";",
            "!",
            "?",
            ".",
            "«",
            "»",
            "`",
            "```",
            "*",
            "_",
            "#",
            ">",
            "-",
            "[",
            "]",
            "(",
            ")",
            "<",
            "/",
            "=",
            "^",
            "|",
            "~",
            "{#",
            "}",
            "https://",
            "\u{202F}",
            "\u{A0}",
            "<!-- more -->",
            "```rust\n",
            "\t",
            "1",
            "&",
            "\\",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..1_500 {
            let mut source = String::new();
            for _ in 0..(seed % 60) {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                source.push_str(ALPHABET[(seed >> 33) as usize % ALPHABET.len()]);
            }
            for typography in [Typography::French, Typography::English] {
                let r = render(&source, &opts(typography));
                let mut ids = r.ids.clone();
                ids.sort();
                ids.dedup();
                assert_eq!(ids.len(), r.ids.len(), "duplicate ids for {source:?}");
            }
        }
    }

    #[test]
    fn empty_input() {
        let r = fr("");
        assert_eq!(r.html, "");
        assert_eq!(r.summary_html, None);
        assert!(r.toc.is_empty() && r.links.is_empty() && r.ids.is_empty());
        assert_eq!(r.word_count, 0);
    }

    #[test]
    fn new_tab_links_get_noopener() {
        for (source, expected) in [
            (
                "<a href=\"https://x.example\" target=\"_blank\">x</a>",
                "<a href=\"https://x.example\" target=\"_blank\" rel=\"noopener\">x</a>",
            ),
            (
                "<a href='https://x.example' TARGET=_blank rel=\"external\">x</a>",
                "<a href='https://x.example' TARGET=_blank rel=\"noopener external\">x</a>",
            ),
            (
                "<a target=\"_blank\" rel=external href=\"/\">x</a>",
                "<a target=\"_blank\" rel=\"noopener external\" href=\"/\">x</a>",
            ),
            (
                "<a href=\"/\" target=\"_blank\" rel=\"noreferrer\">x</a>",
                "<a href=\"/\" target=\"_blank\" rel=\"noreferrer\">x</a>",
            ),
            (
                "<a href=\"/\" title=\"a > _blank\">x</a>",
                "<a href=\"/\" title=\"a > _blank\">x</a>",
            ),
            (
                "<abbr title=\"_blank\">x</abbr>",
                "<abbr title=\"_blank\">x</abbr>",
            ),
        ] {
            let html = render(source, &MarkdownOptions::default()).html;
            assert!(html.contains(expected), "{source}\n{html}");
        }
        // In a multi-line HTML block too.
        let html = render(
            "<div>\n<a href=\"https://x.example\"\n   target=\"_blank\">x</a>\n</div>\n",
            &MarkdownOptions::default(),
        )
        .html;
        assert!(
            html.contains("target=\"_blank\" rel=\"noopener\">"),
            "{html}"
        );
    }

    #[test]
    fn raw_html_can_be_turned_off() {
        let source = "Texte <b onclick=\"x()\">gras</b>\n\n<script>alert(1)</script>\n\n<!-- more -->\n\nFin\n";
        let kept = render(source, &MarkdownOptions::default());
        assert!(
            kept.html.contains("<script>alert(1)</script>"),
            "{}",
            kept.html
        );
        let off = render(
            source,
            &MarkdownOptions {
                raw_html: false,
                ..MarkdownOptions::default()
            },
        );
        assert!(!off.html.contains("<script"), "{}", off.html);
        assert!(!off.html.contains("<b "), "{}", off.html);
        assert!(
            off.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{}",
            off.html
        );
        assert!(
            off.html.contains("&lt;b onclick=\"x()\"&gt;gras"),
            "{}",
            off.html
        );
        assert!(
            !off.html.contains("more"),
            "comments are dropped: {}",
            off.html
        );
        assert_eq!(
            off.summary_html.as_deref(),
            Some(
                "<p>Texte &lt;b onclick=\"x()\"&gt;gras&lt;/b&gt;</p>\n&lt;script&gt;alert(1)&lt;/script&gt;\n"
            ),
            "the more marker still cuts the summary"
        );
    }

    #[test]
    fn css_has_prefixed_classes() {
        let css = highlight_css();
        assert!(css.contains(".hl-"), "{css}");
    }
}

#[cfg(test)]
mod highlight_cache_tests {
    use super::*;

    /// The default theme ships the CSS of the highlight classes (so a build never loads syntect's
    /// themes); it must match what this version of syntect generates.
    #[test]
    fn the_default_theme_ships_the_current_highlight_css() {
        let shipped = include_str!("../themes/default/static/css/highlight.css");
        assert_eq!(
            shipped,
            highlight_css(),
            "regenerate themes/default/static/css/highlight.css from markdown::highlight_css()"
        );
    }

    #[test]
    fn cached_blocks_survive_a_round_trip_and_give_the_same_html() {
        let source = "```rust\nfn cache_round_trip_marker() -> u8 { 42 }\n```\n";
        let options = MarkdownOptions {
            typography: Typography::None,
            highlight: true,
            raw_html: true,
        };
        let first = render(source, &options).html;
        let bytes = highlight_cache_bytes();
        assert!(bytes.len() > CACHE_MAGIC.len(), "the used block is saved");
        load_highlight_cache(&bytes);
        assert_eq!(render(source, &options).html, first);
        // Garbage and other versions are ignored, not trusted.
        load_highlight_cache(b"not a cache");
        load_highlight_cache(&bytes[..bytes.len() - 3]);
        assert_eq!(render(source, &options).html, first);
    }
}
