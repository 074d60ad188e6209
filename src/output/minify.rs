//! Smaller HTML and CSS when site.yml says `minify: true` (off by default): whitespace and
//! comments that change nothing a reader sees are dropped.
//!
//! A small, careful implementation rather than a crate: `minify-html` and `lightningcss` weigh
//! more than the rest of gazette's dependencies for a gain of a few percent once the host
//! compresses pages. The rules are the safe ones:
//! - HTML: a run of whitespace between tags becomes one space (or one line break), never
//!   nothing, so words and inline elements stay apart exactly as a browser shows them; the
//!   content of `pre`, `textarea`, `script` and `style`, the tags themselves (attributes) and
//!   comments are kept byte for byte.
//! - CSS: comments go (but `/*! … */`, licences), whitespace around `{ } ; ,` goes, other runs of
//!   whitespace become one space, the last `;` of a block goes; strings and `url(…)` are kept.

/// `html` with its whitespace collapsed outside `pre`, `textarea`, `script` and `style`.
pub(crate) fn html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let bytes = html.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'<' {
            let end = memchr::memchr(b'<', &bytes[at..]).map_or(bytes.len(), |e| at + e);
            collapse_text(&html[at..end], &mut out);
            at = end;
            continue;
        }
        let rest = &html[at..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            out.push_str(&rest[..end]);
            at += end;
            continue;
        }
        let tag_end = tag_end(rest);
        let name = tag_name(&rest[..tag_end]);
        out.push_str(&rest[..tag_end]);
        at += tag_end;
        if let Some(name) = name.filter(|n| KEPT.iter().any(|k| n.eq_ignore_ascii_case(k))) {
            // Everything up to the closing tag, as it is.
            let close = format!("</{name}");
            let inner = &html[at..];
            let end = find_ascii_case_insensitive(inner, &close).unwrap_or(inner.len());
            out.push_str(&inner[..end]);
            at += end;
        }
    }
    out
}

/// The elements whose content is kept byte for byte.
const KEPT: [&str; 4] = ["pre", "textarea", "script", "style"];

/// The length of the tag at the start of `text` (`<…>`), quotes respected; the whole text when
/// it never closes.
fn tag_end(text: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (i, &b) in text.as_bytes().iter().enumerate().skip(1) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i + 1,
            None => {}
        }
    }
    text.len()
}

/// The name of an opening tag (`<pre class="x">` → `pre`); None for closing tags, doctypes.
fn tag_name(tag: &str) -> Option<&str> {
    let inner = tag.strip_prefix('<')?;
    let end = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    (end > 0).then(|| &inner[..end])
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// HTML's whitespace (what a browser collapses): not the no-break space.
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// `text` with each run of whitespace made one space, or one line break when it held one.
fn collapse_text(text: &str, out: &mut String) {
    let mut run: Option<bool> = None;
    for c in text.chars() {
        if is_html_space(c) {
            let newline = c == '\n' || c == '\r';
            run = Some(run.unwrap_or(false) || newline);
            continue;
        }
        if let Some(newline) = run.take() {
            out.push(if newline { '\n' } else { ' ' });
        }
        out.push(c);
    }
    if let Some(newline) = run {
        out.push(if newline { '\n' } else { ' ' });
    }
}

/// `css` without comments and needless whitespace.
pub(crate) fn css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.char_indices().peekable();
    let mut pending_space = false;
    while let Some((i, c)) = chars.next() {
        match c {
            '/' if css[i..].starts_with("/*") => {
                let end = css[i + 2..].find("*/").map_or(css.len(), |e| i + 2 + e + 2);
                if css[i..].starts_with("/*!") {
                    out.push_str(&css[i..end]);
                } else {
                    // A comment separates like a space (`a/**/b` is two words).
                    pending_space = true;
                }
                while chars.peek().is_some_and(|&(j, _)| j < end) {
                    chars.next();
                }
            }
            '"' | '\'' => {
                flush_space(&mut out, &mut pending_space, c);
                let end = string_end(css, i, c);
                out.push_str(&css[i..end]);
                while chars.peek().is_some_and(|&(j, _)| j < end) {
                    chars.next();
                }
            }
            c if c.is_whitespace() => pending_space = true,
            _ => {
                if c == 'u' && css[i..].starts_with("url(") {
                    flush_space(&mut out, &mut pending_space, c);
                    let end = css[i..].find(')').map_or(css.len(), |e| i + e + 1);
                    out.push_str(&css[i..end]);
                    while chars.peek().is_some_and(|&(j, _)| j < end) {
                        chars.next();
                    }
                    continue;
                }
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
            }
        }
    }
    out
}

/// Writes the pending space before `next`, unless either side is a `{ } ; ,` (or the start, or a
/// kept comment).
fn flush_space(out: &mut String, pending: &mut bool, next: char) {
    if std::mem::take(pending)
        && !out.is_empty()
        && !out.ends_with(['{', '}', ';', ','])
        && !out.ends_with("*/")
        && !matches!(next, '{' | '}' | ';' | ',')
    {
        out.push(' ');
    }
}

/// Where the string starting at `start` (with `quote`) ends, escapes respected.
fn string_end(css: &str, start: usize, quote: char) -> usize {
    let mut escaped = false;
    for (j, c) in css[start + 1..].char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            return start + 1 + j + 1;
        }
    }
    css.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_whitespace_collapses_outside_preformatted_text() {
        let page = "<!DOCTYPE html>\n<html>\n  <body>\n    <p>Un   <a href=\"/x\">lien</a>\n\n   et du\ttexte</p>\n<pre><code>  a\n    b</code></pre>\n<textarea>  x  </textarea><script>if (a  <  b) {}</script>\n<style>a  { }</style><p title=\"a   b\">c</p><!--  gardé  -->\n</body></html>\n";
        assert_eq!(
            html(page),
            "<!DOCTYPE html>\n<html>\n<body>\n<p>Un <a href=\"/x\">lien</a>\net du texte</p>\n<pre><code>  a\n    b</code></pre>\n<textarea>  x  </textarea><script>if (a  <  b) {}</script>\n<style>a  { }</style><p title=\"a   b\">c</p><!--  gardé  -->\n</body></html>\n"
        );
        // The no-break space is text, not whitespace.
        assert_eq!(html("<p>a\u{a0} \u{a0}b</p>"), "<p>a\u{a0} \u{a0}b</p>");
        // Case and attributes on the kept elements.
        assert_eq!(
            html("<PRE class=\"x > y\">  a  </PRE>  <p>  b </p>"),
            "<PRE class=\"x > y\">  a  </PRE> <p> b </p>"
        );
    }

    #[test]
    fn css_loses_comments_and_needless_whitespace() {
        let sheet = "/* titre */\nbody {\n  margin : 0 ;\n  font: 1rem/1.5 \"Marianne  Sans\", sans-serif;\n}\n\na :hover, b { background: url( \"a b.png\" ) ; width: calc(1px + 2px); }\n/*! licence */\n@media (min-width: 40em) { p { x: y } }\n";
        assert_eq!(
            css(sheet),
            "body{margin : 0;font: 1rem/1.5 \"Marianne  Sans\",sans-serif}a :hover,b{background: url( \"a b.png\" );width: calc(1px + 2px)}/*! licence */@media (min-width: 40em){p{x: y}}"
        );
        assert_eq!(css("a{content:'}  ;'}"), "a{content:'}  ;'}");
    }
}
