//! TEMPORARY placeholder until the real markdown module lands (same API).
use pulldown_cmark::{Options, Parser, html};
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typography { French, English, None }
#[derive(Debug, Clone)]
pub struct MarkdownOptions { pub typography: Typography, pub highlight: bool }
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading { pub level: u8, pub id: String, pub title: String }
#[derive(Debug, Clone, Default)]
pub struct Rendered { pub html: String, pub summary_html: Option<String>, pub toc: Vec<Heading>, pub word_count: usize }
pub fn render(source: &str, _options: &MarkdownOptions) -> Rendered {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(source, Options::all()));
    Rendered { word_count: source.split_whitespace().count(), summary_html: Some(out.clone()), html: out, toc: vec![] }
}
pub fn highlight_css() -> String { String::new() }
pub fn slugify(text: &str) -> String {
    let folded = deunicode::deunicode(text).to_lowercase();
    folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-")
}
pub fn reading_time(words: usize) -> usize { words.div_ceil(220).max(1) }
