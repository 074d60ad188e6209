//! Cutting a body into text, `{{ … }}` outputs and `{% … %}` tags.

#[derive(Debug)]
pub(super) enum Token<'a> {
    Text(&'a str),
    /// `{{ ... }}`: inner text, whole text, offset.
    Output(&'a str, &'a str, usize),
    /// `{% ... %}`.
    Tag(Tag<'a>),
}

/// A `{% name args %}` tag.
#[derive(Debug)]
pub(super) struct Tag<'a> {
    pub(super) name: &'a str,
    pub(super) args: &'a str,
    /// The tag as written, delimiters included.
    pub(super) whole: &'a str,
    /// Byte offset of `whole` in the body.
    pub(super) offset: usize,
}

pub(super) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let rest = &text[pos..];
        let next = [rest.find("{{"), rest.find("{%")]
            .into_iter()
            .flatten()
            .min();
        let Some(start) = next else {
            tokens.push(Token::Text(rest));
            break;
        };
        if start > 0 {
            tokens.push(Token::Text(&rest[..start]));
        }
        let at = pos + start;
        let Some((token, len)) = delimited(text, at) else {
            // An opening without its closing delimiter: the rest is text.
            tokens.push(Token::Text(&text[at..]));
            break;
        };
        tokens.push(token);
        pos = at + len;
    }
    tokens
}

/// The `{{ … }}` or `{% … %}` starting at `at` and its length, if it is closed.
fn delimited(text: &str, at: usize) -> Option<(Token<'_>, usize)> {
    let is_output = text[at..].starts_with("{{");
    let close = if is_output { "}}" } else { "%}" };
    let end = text[at + 2..].find(close)?;
    let whole = &text[at..at + 2 + end + 2];
    let inner = whole[2..whole.len() - 2]
        .trim_start_matches('-')
        .trim_end_matches('-')
        .trim();
    if is_output {
        return Some((Token::Output(inner, whole, at), whole.len()));
    }
    let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    let tag = Tag {
        name,
        args: args.trim(),
        whole,
        offset: at,
    };
    Some((Token::Tag(tag), whole.len()))
}

pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}
