//! Small scanners over raw HTML in Markdown: links and their kinds, `rel=noopener`, the `<!-- more -->` marker.

/// Adds `rel="noopener"` to every `<a …>` tag with `target="_blank"` that lacks it, so a page
/// opened in a new tab cannot reach back to ours through `window.opener`. Only raw HTML can set a
/// target: Markdown links never do.
pub(crate) fn add_noopener(html: &str) -> String {
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
pub(crate) fn find_a_tag(html: &str) -> Option<usize> {
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
pub(crate) fn tag_end(html: &str) -> usize {
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
pub(crate) fn noopener_tag(tag: &str) -> String {
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
pub(crate) fn attributes(tag: &str) -> Vec<(String, String)> {
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

pub(crate) fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
}
