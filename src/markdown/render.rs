//! The pulldown-cmark event renderer: headings with ids and anchors, code blocks, footnotes, links, word counts.

use crate::markdown::Heading;
use crate::markdown::MarkdownOptions;
use crate::markdown::Rendered;
use crate::markdown::highlight::find_syntax;
use crate::markdown::highlight::highlight_memoized;
use crate::markdown::html_scan::add_noopener;
use crate::markdown::html_scan::is_more_marker;
use crate::markdown::typography::TypoState;
use crate::markdown::typography::typeset;
use crate::text::escape::escape_html_into;
use crate::text::slug::heading_id;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd, html};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use syntect::parsing::SyntaxReference;

pub(crate) struct HeadingState<'a> {
    /// Index in `out` of a placeholder replaced by the real start tag at the end.
    pub(crate) start: usize,
    pub(crate) explicit_id: Option<CowStr<'a>>,
    pub(crate) classes: Vec<CowStr<'a>>,
    pub(crate) attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    /// Source text, for the id.
    pub(crate) raw: String,
    /// Text after typography, for the table of contents.
    pub(crate) title: String,
}

/// A fenced code block being buffered for highlighting.
pub(crate) struct CodeState {
    pub(crate) lang: String,
    pub(crate) syntax: &'static SyntaxReference,
    pub(crate) code: String,
}

pub(crate) struct Footnote {
    pub(crate) number: usize,
    pub(crate) fragment: String,
    pub(crate) referenced: bool,
    pub(crate) defined: bool,
}

pub(crate) struct Renderer<'a, 'o> {
    /// A task list item's checkbox is wrapped in a `<label>` with the item's text, so that it has
    /// a name: true while that label is open.
    pub(crate) task_label_open: bool,
    pub(crate) source: &'a str,
    pub(crate) options: &'o MarkdownOptions,
    pub(crate) out: Vec<Event<'a>>,
    /// Adjacent text events are merged before typography.
    pub(crate) pending_text: Option<CowStr<'a>>,
    pub(crate) typo: TypoState,
    pub(crate) in_word: bool,
    pub(crate) word_count: usize,
    pub(crate) depth: usize,
    pub(crate) heading: Option<HeadingState<'a>>,
    pub(crate) code: Option<CodeState>,
    pub(crate) in_plain_code: bool,
    pub(crate) image_depth: usize,
    pub(crate) in_autolink: bool,
    pub(crate) raw_code_depth: usize,
    pub(crate) footnote_depth: usize,
    pub(crate) footnotes: HashMap<String, Footnote>,
    pub(crate) used_ids: HashSet<String>,
    pub(crate) toc: Vec<Heading>,
    pub(crate) html_block_start: Option<usize>,
    pub(crate) more_at: Option<usize>,
    pub(crate) paragraph_start: Option<usize>,
    pub(crate) first_paragraph: Option<(usize, usize)>,
    /// Index in `out` of the open paragraph's start, which may become a figure.
    pub(crate) paragraph_open: Option<usize>,
    /// The highlight memo's keys of the code blocks highlighted.
    pub(crate) highlighted: Vec<u64>,
}

impl<'a, 'o> Renderer<'a, 'o> {
    pub(crate) fn new(source: &'a str, options: &'o MarkdownOptions) -> Self {
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
            toc: Vec::new(),
            html_block_start: None,
            more_at: None,
            paragraph_start: None,
            paragraph_open: None,
            first_paragraph: None,
            task_label_open: false,
            highlighted: Vec::new(),
        }
    }

    pub(crate) fn event(&mut self, event: Event<'a>) {
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
            Event::TaskListMarker(checked) => {
                let checked = if checked { " checked" } else { "" };
                let html = format!("<label><input type=\"checkbox\" disabled{checked}> ");
                self.out.push(Event::InlineHtml(CowStr::from(html)));
                self.task_label_open = true;
            }
            Event::Start(tag) => {
                self.depth += 1;
                self.start(tag);
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
                self.out.push(Event::Html(html));
            }
            Event::InlineHtml(html) => {
                if !self.options.raw_html {
                    self.push_html_as_text(html);
                    return;
                }
                self.track_raw_code(&html);
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

    /// Ends the label of a task list item's checkbox, where the item's own text ends.
    fn close_task_label(&mut self) {
        if std::mem::take(&mut self.task_label_open) {
            self.out
                .push(Event::InlineHtml(CowStr::Borrowed("</label>")));
        }
    }

    pub(crate) fn start(&mut self, tag: Tag<'a>) {
        if matches!(tag, Tag::List(_)) {
            self.close_task_label();
        }
        // A wide table scrolls in its own box, which keyboard users must be able to reach.
        if matches!(tag, Tag::Table(_)) {
            self.out.push(Event::Html(CowStr::Borrowed(
                "<div class=\"table-scroll\" tabindex=\"0\">",
            )));
        }
        match tag {
            Tag::Paragraph => {
                self.block_boundary();
                if self.first_paragraph.is_none() && self.footnote_depth == 0 {
                    self.paragraph_start = Some(self.out.len());
                }
                self.paragraph_open = Some(self.out.len());
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
                            syntax,
                            code: String::new(),
                        });
                    }
                    None => {
                        self.in_plain_code = true;
                        self.out
                            .push(Event::Html(CowStr::from(plain_code_start(lang))));
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

    pub(crate) fn end(&mut self, tag: TagEnd) {
        if matches!(tag, TagEnd::Item | TagEnd::Paragraph) {
            self.close_task_label();
        }
        if tag == TagEnd::Table {
            self.out.push(Event::End(tag));
            self.out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            return;
        }
        match tag {
            TagEnd::Paragraph => {
                self.block_boundary();
                let open = self.paragraph_open.take();
                if open.is_some_and(|open| {
                    super::figure::make_figure(&mut self.out, open, self.options.typography)
                }) {
                    // A photo is no summary: the next paragraph is.
                    self.paragraph_start = None;
                    return;
                }
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
                    Some(code) => match highlight_memoized(
                        &code.code,
                        code.syntax,
                        &code.lang,
                        &mut self.highlighted,
                    ) {
                        Some(html) => self.out.push(Event::Html(CowStr::from(html))),
                        None => {
                            self.out
                                .push(Event::Html(CowStr::from(plain_code_start(&code.lang))));
                            self.out.push(Event::Text(CowStr::from(code.code)));
                            self.out.push(Event::Html(CowStr::Borrowed(PLAIN_CODE_END)));
                        }
                    },
                    None => self.out.push(Event::Html(CowStr::Borrowed(PLAIN_CODE_END))),
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
                self.video_in_place_of_image();
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
    pub(crate) fn block_boundary(&mut self) {
        self.in_word = false;
        self.typo = TypoState::default();
    }

    pub(crate) fn flush_text(&mut self) {
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

    pub(crate) fn finish_heading(&mut self, level: pulldown_cmark::HeadingLevel) {
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
        anchor.push_str(&self.options.anchor_label);
        anchor.push_str("\">#</a>");
        self.toc.push(Heading {
            level: level as u8,
            id: id.clone(),
            title: heading.title.trim().to_owned(),
        });
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
        // No label: the site turned the anchor links off (`heading_anchors: false`).
        if !self.options.anchor_label.is_empty() {
            self.out.push(Event::InlineHtml(CowStr::from(anchor)));
        }
        self.out.push(Event::End(TagEnd::Heading(level)));
    }

    /// `base`, or `base-1`, `base-2`… whichever is still free on this page.
    pub(crate) fn unique_id(&mut self, base: String) -> String {
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
    pub(crate) fn footnote(&mut self, label: &str) -> &mut Footnote {
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

    pub(crate) fn footnote_reference(&mut self, label: &str) -> String {
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
        }
        html.push_str("><a href=\"#fn-");
        escape_html_into(&mut html, &fragment);
        let _ = write!(html, "\">{number}</a></sup>");
        html
    }

    pub(crate) fn footnote_definition(&mut self, label: &str) -> String {
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
    pub(crate) fn track_raw_code(&mut self, html: &str) {
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
    /// The image just closed, when its address is a video: replaced by the video's placeholder
    /// (see [`super::embeds`]).
    fn video_in_place_of_image(&mut self) {
        let Some(start) = self
            .out
            .iter()
            .rposition(|e| matches!(e, Event::Start(Tag::Image { .. })))
        else {
            return;
        };
        let Event::Start(Tag::Image { dest_url, .. }) = &self.out[start] else {
            return;
        };
        let Some(video) = super::embeds::video(dest_url) else {
            return;
        };
        let url = dest_url.to_string();
        let title: String = self.out[start..]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let french = matches!(self.options.typography, super::Typography::French);
        let html = super::embeds::placeholder(&video, &url, &title, french);
        self.out.truncate(start);
        self.out.push(Event::InlineHtml(CowStr::from(html)));
    }

    pub(crate) fn push_html_as_text(&mut self, html: CowStr<'a>) {
        let trimmed = html.trim();
        if trimmed.starts_with("<!--") || trimmed.is_empty() {
            return;
        }
        self.out.push(Event::Text(html));
    }

    pub(crate) fn finish(mut self) -> Rendered {
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
            highlighted: self.highlighted,
        }
    }
}

/// Counts words, continuing a word across text events (`in_word`).
/// Letters and digits make words; `-`, `_`, `.`, `,`, `:`, `/`, `@` inside a
/// word don't split it (`peut-être`, `10:30`, `3,14`); apostrophes do (`l'État`).
pub(crate) fn count_words(text: &str, in_word: &mut bool) -> usize {
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

/// The end of a code block that is not highlighted.
const PLAIN_CODE_END: &str = "</code></pre>\n";

/// The start of a code block that is not highlighted, as pulldown-cmark writes it (`<code
/// class="language-x">`) in a `<pre>` reachable with the keyboard (see [`pre_start`]).
fn plain_code_start(lang: &str) -> String {
    let mut html = crate::markdown::highlight::pre_start(lang, "");
    html.push_str("<code");
    if !lang.is_empty() {
        html.push_str(" class=\"language-");
        crate::text::escape::escape_html_into(&mut html, lang);
        html.push('"');
    }
    html.push('>');
    html
}
