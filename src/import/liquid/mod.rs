//! Liquid → tera: converts the Liquid tags and filters of a page body where tera has an
//! equivalent and keeps every other construct untouched (protected by `{% raw %}` in tera mode),
//! listing each one with its line.
//!
//! Three modes: [`Mode::Tera`] for pages that gazette renders through tera (`render: tera`),
//! [`Mode::TeraMarkdown`] for posts rendered through tera then Markdown (`render: tera`, as Jekyll
//! renders a post's Liquid), and [`Mode::Markdown`] for bodies that are not templates: there only
//! `{% highlight %}` (→ a fenced code block), `{% raw %}` and `{% comment %}` have an equivalent.

mod expressions;
mod filters;
mod tags;
#[cfg(test)]
mod tests;
mod tokens;

use std::collections::HashSet;

use crate::diagnostic::Text;
use crate::msg;

use expressions::Scope;
use filters::output_expression;
use tags::{Frame, TagResult, convert_tag};
use tokens::{Tag, Token, line_of, tokenize};

/// How the converted text will be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The body becomes a tera template.
    Tera,
    /// The body becomes a tera template whose output is Markdown (code blocks stay fenced).
    TeraMarkdown,
    /// The body stays Markdown/HTML, never rendered through tera.
    Markdown,
}

impl Mode {
    /// The converted body is a tera template.
    fn is_template(self) -> bool {
        self != Mode::Markdown
    }
}

/// What the converter knows about the site.
#[derive(Debug, Clone, Default)]
pub(crate) struct Env {
    /// Names of `_data` files (and of page front-matter keys) whose top level is a mapping:
    /// Liquid iterates them as `[key, value]` pairs.
    pub data_maps: HashSet<String>,
    /// Keys of `_config.yml` carried into `site.extra`.
    pub site_extra: HashSet<String>,
    /// `site.baseurl`.
    pub baseurl: String,
    /// Collections imported as data only (`output: false`): name → data file name.
    pub collection_data: std::collections::BTreeMap<String, String>,
    /// Names under `_includes/` converted into `templates/includes/`: `{% include %}` of one of
    /// them becomes a tera include.
    pub includes: HashSet<String>,
    /// True for a layout or include: names the file does not set (`post`, `content`,
    /// `include`…) come from the page or template that uses it.
    pub free_names: bool,
    /// A layout's own front matter, for `layout.*`.
    pub layout_front: serde_json::Map<String, serde_json::Value>,
}

/// A Liquid construct left as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unconverted {
    /// 1-based line in the source file.
    pub line: usize,
    /// The construct as written.
    pub construct: String,
    /// Why it was not converted.
    pub reason: Text,
}

/// The result of a conversion.
#[derive(Debug, Clone, Default)]
pub(crate) struct Converted {
    /// The new body.
    pub text: String,
    /// Constructs kept as they were.
    pub unconverted: Vec<Unconverted>,
    /// Number of constructs converted.
    pub converted: usize,
    /// True when the text holds tera constructs (the page must be rendered with tera).
    pub uses_tera: bool,
}

/// Every `{{ … }}` and `{% … %}` of `text` (whose first line is `first_line` of its file), as
/// left unconverted: what a page put back as written shows.
pub(crate) fn every_construct(text: &str, first_line: usize) -> Vec<Unconverted> {
    tokenize(text)
        .into_iter()
        .filter_map(|token| match token {
            Token::Output(_, whole, offset) => Some((whole, offset)),
            Token::Tag(tag) => Some((tag.whole, tag.offset)),
            Token::Text(_) => None,
        })
        .map(|(whole, offset)| Unconverted {
            line: line_of(text, offset) + first_line - 1,
            construct: whole.to_string(),
            reason: msg!("kept as written: the page's Liquid, converted, did not render in tera"),
        })
        .collect()
}

/// True when `text` holds anything Liquid would interpret.
pub(crate) fn has_liquid(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// Converts `text` (a body starting at 1-based line `first_line` of its file).
pub(crate) fn convert(text: &str, mode: Mode, env: &Env, first_line: usize) -> Converted {
    let tokens = tokenize(text);
    let mut converter = Converter {
        text,
        mode,
        env,
        first_line,
        out: Converted::default(),
        stack: Vec::new(),
        bound: Vec::new(),
    };
    let mut i = 0;
    while i < tokens.len() {
        i = match &tokens[i] {
            Token::Text(t) => {
                converter.plain_text(t);
                i + 1
            }
            Token::Output(inner, whole, offset) => {
                converter.output(inner, whole, *offset);
                i + 1
            }
            Token::Tag(tag) if matches!(tag.name, "raw" | "comment" | "highlight") => {
                converter.verbatim_block(&tokens, i, tag)
            }
            Token::Tag(tag) => {
                converter.tag(tag);
                i + 1
            }
        };
    }
    converter.finish()
}

/// The state of one conversion.
struct Converter<'a> {
    /// The whole body.
    text: &'a str,
    mode: Mode,
    env: &'a Env,
    first_line: usize,
    out: Converted,
    /// Blocks open at this point.
    stack: Vec<Frame>,
    /// Names set so far (`assign`, `capture`, loop variables).
    bound: Vec<String>,
}

impl Converter<'_> {
    fn in_loop(&self) -> bool {
        self.stack.iter().any(|f| f.tag == "for")
    }

    /// Keeps a construct as written (out of tera's reach in tera mode) and lists it.
    fn keep(&mut self, whole: &str, offset: usize, reason: Text) {
        self.out.unconverted.push(Unconverted {
            line: line_of(self.text, offset) + self.first_line - 1,
            construct: whole.to_string(),
            reason,
        });
        if self.mode.is_template() {
            self.out.text.push_str("{% raw %}");
            self.out.text.push_str(whole);
            self.out.text.push_str("{% endraw %}");
        } else {
            self.out.text.push_str(whole);
        }
    }

    fn plain_text(&mut self, text: &str) {
        // `{#` opens a comment in tera, not in Liquid.
        if self.mode.is_template() && text.contains("{#") {
            self.out.text.push_str(&text.replace("{#", "{{ \"{#\" }}"));
        } else {
            self.out.text.push_str(text);
        }
    }

    /// `{{ value | filters }}`.
    fn output(&mut self, inner: &str, whole: &str, offset: usize) {
        if !self.mode.is_template() {
            self.keep(
                whole,
                offset,
                msg!("a post or record body is not a template: write the value itself"),
            );
            return;
        }
        let scope = Scope {
            env: self.env,
            bound: &self.bound,
            in_loop: self.in_loop(),
        };
        match output_expression(inner, &scope) {
            Ok(expr) => {
                self.out.text.push_str(&format!("{{{{ {expr} }}}}"));
                self.out.converted += 1;
                self.out.uses_tera = true;
            }
            Err(reason) => self.keep(whole, offset, reason),
        }
    }

    /// `raw`, `comment` and `highlight` (the tag at `tokens[at]`) hold text that is not Liquid:
    /// their end tag is found first and what lies between is taken as it is. Returns the index
    /// of the token after the block.
    fn verbatim_block(&mut self, tokens: &[Token<'_>], at: usize, tag: &Tag<'_>) -> usize {
        let end_name = format!("end{}", tag.name);
        let end = tokens[at + 1..]
            .iter()
            .position(|t| matches!(t, Token::Tag(end) if end.name == end_name));
        let Some(end) = end.map(|e| e + at + 1) else {
            self.keep(
                tag.whole,
                tag.offset,
                msg!(
                    "`{% {tag} %}` is never closed by `{% {end_name} %}`",
                    tag = tag.name,
                    end_name
                ),
            );
            return at + 1;
        };
        let inner_start = tag.offset + tag.whole.len();
        let inner_end = match &tokens[end] {
            Token::Tag(end_tag) => end_tag.offset,
            _ => inner_start,
        };
        let inner = &self.text[inner_start..inner_end];
        let converted = verbatim(tag, inner, self.mode);
        self.out.text.push_str(&converted);
        self.out.converted += 1;
        end + 1
    }

    /// Any other tag: converted in tera mode when tera has an equivalent.
    fn tag(&mut self, tag: &Tag<'_>) {
        if !self.mode.is_template() {
            self.keep(
                tag.whole,
                tag.offset,
                msg!("a post or record body is not a template: only highlight, raw and comment are converted"),
            );
            return;
        }
        let scope = Scope {
            env: self.env,
            bound: &self.bound,
            in_loop: self.in_loop(),
        };
        match convert_tag(tag.name, tag.args, &scope, &mut self.stack) {
            TagResult::Converted(tera, newly_bound) => {
                self.out.text.push_str(&tera);
                self.out.converted += 1;
                self.out.uses_tera = true;
                self.bound.extend(newly_bound);
            }
            TagResult::Kept(reason) => self.keep(tag.whole, tag.offset, reason),
        }
    }

    /// The conversion, with the blocks left open listed.
    fn finish(mut self) -> Converted {
        for frame in self.stack {
            self.out.unconverted.push(Unconverted {
                line: self.first_line,
                construct: format!("{{% {} %}}", frame.tag),
                reason: msg!("this block is never closed"),
            });
        }
        self.out
    }
}

/// The text of a `raw`, `comment` or `highlight` block whose content is `inner`.
fn verbatim(tag: &Tag<'_>, inner: &str, mode: Mode) -> String {
    match tag.name {
        "raw" if mode.is_template() => format!("{{% raw %}}{inner}{{% endraw %}}"),
        "raw" => inner.to_string(),
        "comment" if mode.is_template() && !inner.contains("#}") => format!("{{#{inner}#}}"),
        "comment" => String::new(),
        _ => highlight(tag.args, inner, mode),
    }
}

/// `{% highlight lang %}`: a fenced code block in Markdown, the HTML of one in tera mode.
fn highlight(args: &str, inner: &str, mode: Mode) -> String {
    let lang = args.split_whitespace().next().unwrap_or("");
    let code = inner.trim_matches('\n');
    match mode {
        Mode::Markdown => return format!("```{lang}\n{code}\n```"),
        Mode::TeraMarkdown => return format!("{{% raw %}}```{lang}\n{code}\n```{{% endraw %}}"),
        Mode::Tera => {}
    }
    let escaped = crate::text::escape::escape_html(code);
    format!("{{% raw %}}<pre><code class=\"language-{lang}\">{escaped}</code></pre>{{% endraw %}}")
}
