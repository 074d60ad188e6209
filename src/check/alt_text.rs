//! Markdown images without a description (`![](photo.jpg)`): a screen reader then says nothing,
//! or reads the file name. `gazette check` points at each one, with its line.

use super::{column_at, finding};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::source::load::Document;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rayon::prelude::*;

/// A warning for each image without alt text in the bodies of `documents`.
pub(crate) fn check(documents: &[Document]) -> Vec<Diagnostic> {
    documents
        .par_iter()
        .filter(|d| d.body.contains("!["))
        .flat_map_iter(missing_alt)
        .collect()
}

/// The images of one body whose description is empty.
fn missing_alt(doc: &Document) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // (start offset, destination, alt text so far) of the image being read.
    let mut open: Option<(usize, String, String)> = None;
    let parser = Parser::new_ext(&doc.body, crate::markdown::parser_options());
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                open = Some((range.start, dest_url.to_string(), String::new()));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, alt)) = &mut open {
                    alt.push_str(&text);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((start, image, alt)) = open.take()
                    && alt.trim().is_empty()
                {
                    let before = &doc.body[..start];
                    let line = doc.body_line + before.matches('\n').count();
                    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                    let column = column_at(&before[line_start..], before.len() - line_start);
                    found.push(finding(
                        Severity::Warning,
                        Rule::ImageAlt,
                        &doc.file,
                        line,
                        column,
                        (
                            crate::msg!(
                                "the image `{image}` has no description: a blind reader will not know what it shows",
                                image
                            ),
                            crate::msg!(
                                "write what it shows between the brackets: `![A team at work]({image})`",
                                image
                            ),
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    found
}
