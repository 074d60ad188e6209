//! Liquid whose value is known when importing, written as its value so that it is never printed
//! raw: `{{ site.<setting> }}` and `{{ page.<key> }}` (without filters) become the setting or the
//! front-matter value, `{% include name %}` (no parameters) becomes the text of `_includes/name`
//! when that text has no Liquid left, and `{% post_url … %}` and `{% link … %}` become the URL
//! Jekyll gave that post or file (with `baseurl`, as Jekyll 4 writes it). Links are resolved once every URL of the
//! old site is known ([`resolve_links`]); until then they are markers in the written files.

use serde_json::Value;

use super::{Ctx, Identity};
use crate::source::load::Document;

/// Encloses a link to resolve: `\u{1}post_url NAME\u{1}`.
const MARK: char = '\u{1}';

/// How deep includes inline includes.
const MAX_DEPTH: usize = 5;

/// `text` with the Liquid whose value is known written as its value, outside `{% raw %}` blocks;
/// then a `{% capture x %}` of plain text printed with `{{ x }}` or `{{ x | markdownify }}` (the
/// usual way to put a Markdown include in an HTML page) becomes that text, or its HTML.
pub(crate) fn substitute(ctx: &Ctx, doc: &Document, text: &str) -> String {
    let text = substitute_at(ctx, doc, text, 0, false);
    inline_captures(&text)
}

/// [`substitute`] for a page, which may become a template: `{{ site.url }}` stays, so that the
/// converter makes it the address the site is built for (`site.base_url`: the preview's, a
/// `--base-url`'s), not the production address written in `_config.yml`.
pub(crate) fn substitute_in_page(ctx: &Ctx, doc: &Document, text: &str) -> String {
    let text = substitute_at(ctx, doc, text, 0, true);
    inline_captures(&text)
}

fn substitute_at(
    ctx: &Ctx,
    doc: &Document,
    text: &str,
    depth: usize,
    keep_address: bool,
) -> String {
    if !text.contains("{{") && !text.contains("{%") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = next_construct(rest) {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let close = if after.starts_with("{{") { "}}" } else { "%}" };
        let Some(end) = after.find(close) else {
            out.push_str(after);
            return out;
        };
        let construct = &after[..end + 2];
        let inner = construct[2..construct.len() - 2].trim_matches('-').trim();
        if close == "%}" && (inner == "raw" || inner.starts_with("raw ")) {
            // Copy the raw block as it is, up to its end tag.
            let Some(raw_end) = after.find("endraw") else {
                out.push_str(after);
                return out;
            };
            let block_end = after[raw_end..]
                .find("%}")
                .map_or(after.len(), |i| raw_end + i + 2);
            out.push_str(&after[..block_end]);
            rest = &after[block_end..];
            continue;
        }
        let is_address = inner == "site.url";
        match value_of(ctx, doc, close, inner).filter(|_| !(keep_address && is_address)) {
            Some(value) => out.push_str(&value),
            // An include is inlined only when it becomes plain text: one that reads loop
            // variables (`{{ post.image }}`) stays an include, reported with its loop.
            None => match include(ctx, inner)
                .filter(|_| depth < MAX_DEPTH)
                .map(|included| substitute_at(ctx, doc, &included, depth + 1, keep_address))
                .filter(|text| !text.contains("{{") && !text.contains("{%"))
            {
                Some(included) => out.push_str(&included),
                None => out.push_str(construct),
            },
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

fn next_construct(text: &str) -> Option<usize> {
    match (text.find("{{"), text.find("{%")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The text of `_includes/<name>` for `include <name>` without parameters, if that file exists.
fn include(ctx: &Ctx, inner: &str) -> Option<String> {
    let name = inner.strip_prefix("include ")?.trim();
    let safe = !name.is_empty()
        && !name.contains(char::is_whitespace)
        && !name.contains(['{', '}', '\\'])
        && !name.split('/').any(|part| part == ".." || part.is_empty());
    if !safe {
        return None;
    }
    let path = ctx.src.join("_includes").join(name);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// `{% capture x %}plain text{% endcapture %}` then `{{ x }}` / `{{ x | markdownify }}`: the
/// text (or its HTML) where it is printed, and the capture removed when nothing else reads it.
fn inline_captures(text: &str) -> String {
    let mut text = text.to_string();
    let mut from = 0;
    while let Some(found) = text[from..].find("{% capture ") {
        let start = from + found;
        let Some(open_end) = text[start..].find("%}").map(|i| start + i + 2) else {
            break;
        };
        let name = text[start + 11..open_end - 2].trim().to_string();
        let Some(close) = text[open_end..].find("{% endcapture %}") else {
            break;
        };
        let content = text[open_end..open_end + close].to_string();
        let block_end = open_end + close + "{% endcapture %}".len();
        let plain = !content.contains("{{") && !content.contains("{%");
        let simple_name = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !(plain && simple_name) {
            from = block_end;
            continue;
        }
        let html =
            crate::markdown::render(&content, &crate::markdown::MarkdownOptions::default()).html;
        let mut rest = text[block_end..].to_string();
        for (pattern, value) in [
            (format!("{{{{ {name} | markdownify }}}}"), html.as_str()),
            (format!("{{{{ {name}|markdownify }}}}"), html.as_str()),
            (format!("{{{{ {name} }}}}"), content.as_str()),
        ] {
            rest = rest.replace(&pattern, value);
        }
        let still_read = reads(&rest, &name);
        if still_read {
            text = format!("{}{rest}", &text[..block_end]);
            from = block_end;
        } else {
            text = format!("{}{rest}", &text[..start]);
            from = start;
        }
    }
    text
}

/// True when a Liquid construct of `text` names the variable `name`.
fn reads(text: &str, name: &str) -> bool {
    let mut rest = text;
    while let Some(start) = next_construct(rest) {
        let after = &rest[start + 2..];
        let end = after.find(['}', '%']).unwrap_or(after.len());
        let inner = &after[..end];
        if inner
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == name)
        {
            return true;
        }
        rest = &after[end..];
    }
    false
}

/// The value of one construct, or a link marker; None to keep it as it is.
fn value_of(ctx: &Ctx, doc: &Document, close: &str, inner: &str) -> Option<String> {
    if close == "%}" {
        let (tag, argument) = inner.split_once(char::is_whitespace)?;
        let argument = argument.trim();
        let simple = !argument.is_empty()
            && !argument.contains(char::is_whitespace)
            && !argument.contains(['{', '}', MARK]);
        return (matches!(tag, "post_url" | "link") && simple)
            .then(|| format!("{MARK}{tag} {argument}{MARK}"));
    }
    let (root, key) = inner.split_once('.')?;
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !is_key {
        return None;
    }
    match root {
        "site" => setting(ctx, key),
        "page" => scalar(doc.front.get(key)?),
        _ => None,
    }
}

/// A scalar setting of `_config.yml` as Liquid prints it.
pub(crate) fn setting(ctx: &Ctx, key: &str) -> Option<String> {
    let c = &ctx.config;
    match key {
        "title" => Some(c.title.clone()),
        "description" => Some(c.description.clone()),
        "url" => Some(c.url.clone()),
        "baseurl" => Some(c.baseurl.clone()),
        other => scalar(c.extra.get(other)?),
    }
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Ctx {
    /// Writes the URL each link marker names into the files holding one (and into the originals
    /// kept to revert Liquid conversions); a marker naming nothing gets its Liquid back and is
    /// reported.
    pub(crate) fn resolve_links(&mut self) -> Result<(), crate::diagnostic::Diagnostic> {
        for dest in std::mem::take(&mut self.with_links) {
            let Ok(text) = std::fs::read_to_string(self.dest.join(&dest)) else {
                continue;
            };
            let resolved = self.resolve_in(&dest, &text);
            self.write(&dest, resolved.as_bytes())?;
        }
        let originals: Vec<(String, String)> = self
            .tera_pages
            .iter()
            .filter(|(_, (text, _, _))| text.contains(MARK))
            .map(|(dest, (text, _, _))| (dest.clone(), text.clone()))
            .collect();
        for (dest, text) in originals {
            let resolved = self.resolve_in(&dest, &text);
            if let Some(entry) = self.tera_pages.get_mut(&dest) {
                entry.0 = resolved;
            }
        }
        Ok(())
    }

    fn resolve_in(&mut self, dest: &str, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut parts = text.split(MARK);
        out.push_str(parts.next().unwrap_or(""));
        while let Some(link) = parts.next() {
            let (tag, argument) = link.split_once(' ').unwrap_or((link, ""));
            match self.link_url(tag, argument) {
                Some(url) => out.push_str(&format!("{}{url}", self.config.baseurl)),
                None => {
                    out.push_str(&format!("{{% {tag} {argument} %}}"));
                    self.report.unconverted.push((
                        dest.to_string(),
                        0,
                        format!("{{% {tag} {argument} %}}"),
                        crate::msg!("names no published file of the Jekyll site"),
                    ));
                }
            }
            out.push_str(parts.next().unwrap_or(""));
        }
        out
    }

    /// The old URL of the post (`post_url 2020-01-01-name`) or file (`link path/to/file.md`).
    fn link_url(&self, tag: &str, argument: &str) -> Option<String> {
        let argument = argument.trim_matches(['"', '\'']).trim_start_matches('/');
        self.old_urls
            .iter()
            .filter(|o| matches!(o.identity, Identity::File(_) | Identity::Record(..)))
            .find(|o| match tag {
                "post_url" => {
                    o.kind == "post" && {
                        let stem = o.source.rsplit_once('.').map_or(&*o.source, |(s, _)| s);
                        stem.ends_with(&format!("_posts/{argument}"))
                            || stem.rsplit('/').next() == Some(argument)
                    }
                }
                _ => o.source == argument,
            })
            .map(|o| o.url.clone())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_markdown_capture_printed_with_markdownify_becomes_html() {
        let page =
            "<div>\n{% capture t %}Some *terms*.{% endcapture %}\n{{ t | markdownify }}\n</div>";
        assert_eq!(
            super::inline_captures(page),
            "<div>\n\n<p>Some <em>terms</em>.</p>\n\n</div>"
        );
        let still_used = "{% capture t %}x{% endcapture %}{{ t }}{% if t %}y{% endif %}";
        assert_eq!(
            super::inline_captures(still_used),
            "{% capture t %}x{% endcapture %}x{% if t %}y{% endif %}"
        );
    }

    #[test]
    fn constructs_are_found_in_order() {
        assert_eq!(super::next_construct("a {% b %} {{ c }}"), Some(2));
        assert_eq!(super::next_construct("a {{ c }} {% b %}"), Some(2));
        assert_eq!(super::next_construct("plain"), None);
    }
}
