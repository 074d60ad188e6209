//! `rules.links`: every internal link, image and `#anchor` of the rendered pages must lead
//! somewhere. Pages are read with a small attribute scanner (href, src, id) rather than a full
//! HTML parser: gazette's own output is well formed, and the scan stays cheap on 10,000 pages.

use crate::diagnostic::{Rule, Text};
use crate::msg;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use super::{Context, find_in_file, finding, is_under};
use crate::diagnostic::{Diagnostic, Severity};
use crate::output::{Body, OutputRef};
use crate::source::config::LinkRules;
use crate::source::layout::Kind;
use crate::text::escape::percent_decode_lossy;

/// One `href` or `src` of a page, HTML entities decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link<'a> {
    /// The attribute's value.
    pub url: Cow<'a, str>,
    /// True for `<img src>` (reported as an image rather than a link).
    pub image: bool,
}

/// What a rendered HTML page links to and which anchors it has.
#[derive(Debug)]
pub(crate) struct Page<'a> {
    /// The output.
    pub output: OutputRef<'a>,
    /// Its links.
    pub links: Vec<Link<'a>>,
    /// Its `id` (and `<a name>`) values.
    pub ids: HashSet<Cow<'a, str>>,
}

/// What can be wrong with a link.
pub(crate) enum Msg<'a> {
    /// No page or file at that address.
    Missing { url: &'a str, image: bool },
    /// A file with other capitals exists.
    WrongCase {
        url: &'a str,
        actual: &'a str,
        image: bool,
    },
    /// The page exists, the anchor does not.
    Anchor {
        url: &'a str,
        anchor: &'a str,
        page: &'a str,
    },
}

/// The rule's messages (sentences of the catalogue); `pages` > 1 when a template repeats it.
pub(crate) fn text(msg: &Msg, pages: usize) -> (Text, Text) {
    let (message, hint) = match msg {
        Msg::Missing { url, image: true } => (
            msg!("the image `{url}` does not exist", url),
            msg!(
                "put the file in assets/ (assets/img/a.png is served as /img/a.png) or correct the path"
            ),
        ),
        Msg::Missing { url, image: false } => (
            msg!("the link `{url}` leads to no page of the site", url),
            msg!(
                "correct the address: copy it from the address bar of the page on the preview (gazette serve)"
            ),
        ),
        Msg::WrongCase {
            url,
            actual,
            image: true,
        } => (
            msg!(
                "the image `{url}` does not exist: the file is named `/{actual}`",
                url,
                actual
            ),
            msg!(
                "write `/{actual}`: capital letters count on the web server, even if they do not on your computer",
                actual
            ),
        ),
        Msg::WrongCase {
            url,
            actual,
            image: false,
        } => (
            msg!(
                "the link `{url}` does not exist: the file is named `/{actual}`",
                url,
                actual
            ),
            msg!(
                "write `/{actual}`: capital letters count on the web server, even if they do not on your computer",
                actual
            ),
        ),
        Msg::Anchor { url, anchor, page } => (
            msg!(
                "the link `{url}` leads to {page}, which has no `#{anchor}`",
                url,
                page,
                anchor
            ),
            msg!(
                "check the heading's anchor on that page (titles give anchors like #mon-titre), or remove `#...`"
            ),
        ),
    };
    if pages > 1 {
        let repeated = msg!(
            "(on {pages} pages: it comes from a template or a data file)",
            pages
        );
        return (message.then(" ", repeated), hint);
    }
    (message, hint)
}

/// The links and anchors of one page, kept after the page itself is gone: a build hands its
/// pages to the writer in batches and checks the links once every page is known.
#[derive(Debug, Default)]
pub(crate) struct Scanned {
    links: Vec<Link<'static>>,
    ids: HashSet<Cow<'static, str>>,
}

/// The links and anchors of each generated HTML output of `outputs`, by output path.
pub(crate) fn scan_owned(outputs: &[crate::output::Output]) -> Vec<(String, Scanned)> {
    outputs
        .par_iter()
        .filter(|o| o.path.ends_with(".html") || o.path.ends_with(".htm"))
        .filter_map(|o| {
            let Body::Bytes(bytes) = &o.body else {
                return None;
            };
            let html = crate::text::utf8::as_str(bytes)?;
            let (links, ids) = scan_html(html);
            let links = links
                .into_iter()
                .map(|l| Link {
                    url: Cow::Owned(l.url.into_owned()),
                    image: l.image,
                })
                .collect();
            let ids = ids
                .into_iter()
                .map(|id| Cow::Owned(id.into_owned()))
                .collect();
            Some((o.path.clone(), Scanned { links, ids }))
        })
        .collect()
}

/// The pages of `outputs` with the links and anchors scanned earlier (see [`scan_owned`]).
pub(crate) fn pages_of_scanned<'a>(
    outputs: &[OutputRef<'a>],
    scanned: &mut HashMap<String, Scanned>,
) -> Vec<Page<'a>> {
    outputs
        .iter()
        .filter_map(|output| {
            let found = scanned.remove(output.path)?;
            Some(Page {
                output: *output,
                links: found.links,
                ids: found.ids,
            })
        })
        .collect()
}

/// Scans every generated HTML output.
pub(crate) fn scan<'a>(_ctx: &Context, outputs: &[OutputRef<'a>]) -> Vec<Page<'a>> {
    outputs
        .par_iter()
        .filter(|o| o.path.ends_with(".html") || o.path.ends_with(".htm"))
        .filter_map(|output| {
            let output = *output;
            let Body::Bytes(bytes) = output.body else {
                return None;
            };
            let html = crate::text::utf8::as_str(bytes)?;
            let (links, ids) = scan_html(html);
            Some(Page {
                output,
                links,
                ids: ids.into_iter().collect(),
            })
        })
        .collect()
}

/// Reads the `href`/`src` values and the `id`s of an HTML text. Skips comments and the contents of
/// `<script>` and `<style>`.
pub(crate) fn scan_html(html: &str) -> (Vec<Link<'_>>, Vec<Cow<'_, str>>) {
    let b = html.as_bytes();
    let len = b.len();
    let mut links = Vec::new();
    let mut ids = Vec::new();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        i += p;
        if b[i..].starts_with(b"<!--") {
            i = html[i + 4..].find("-->").map_or(len, |e| i + 4 + e + 3);
            continue;
        }
        let mut j = i + 1;
        if j >= len || !b[j].is_ascii_alphabetic() {
            i = j;
            continue;
        }
        while j < len && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        let tag = &html[i + 1..j];
        loop {
            while j < len && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= len {
                break;
            }
            if b[j] == b'>' {
                j += 1;
                break;
            }
            if b[j] == b'/' {
                j += 1;
                continue;
            }
            let name_start = j;
            while j < len && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/') {
                j += 1;
            }
            if j == name_start {
                j += 1;
                continue;
            }
            let name = &html[name_start..j];
            while j < len && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = None;
            if j < len && b[j] == b'=' {
                j += 1;
                while j < len && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < len && (b[j] == b'"' || b[j] == b'\'') {
                    let quote = b[j];
                    let start = j + 1;
                    let end = b[start..]
                        .iter()
                        .position(|&c| c == quote)
                        .map_or(len, |e| start + e);
                    value = Some(&html[start..end]);
                    j = (end + 1).min(len);
                } else {
                    let start = j;
                    while j < len && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = Some(&html[start..j]);
                }
            }
            if let Some(value) = value {
                if name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src") {
                    let image = tag.eq_ignore_ascii_case("img") && name.eq_ignore_ascii_case("src");
                    links.push(Link {
                        url: decode_entities(value),
                        image,
                    });
                } else if name.eq_ignore_ascii_case("id")
                    || (tag.eq_ignore_ascii_case("a") && name.eq_ignore_ascii_case("name"))
                {
                    ids.push(decode_entities(value));
                }
            }
        }
        i = j;
        if tag.eq_ignore_ascii_case("script") || tag.eq_ignore_ascii_case("style") {
            let close = format!("</{tag}");
            i = find_ignore_case(&html[i..], &close).map_or(len, |e| i + e);
        }
    }
    (links, ids)
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let h = haystack.as_bytes();
    let n = needle.as_bytes();
    h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
}

/// Decodes the entities gazette and Markdown write in attributes.
fn decode_entities(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    Cow::Owned(
        value
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&#x2F;", "/")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// Where a link leads, as far as this site is concerned.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// Not ours to check (mailto:, tel:, javascript:, data:, ...).
    Skip,
    /// Another site.
    External(String),
    /// A path of this site (decoded, without query) and an optional anchor.
    Internal {
        path: String,
        anchor: Option<String>,
    },
}

/// Classifies `url` found on the page written at `page_path` (relative to the output folder).
/// Under a base path (`base` = `https://org.github.io/site`), a root-relative link must start
/// with `/site/`: one that does not leaves the site once published, and leads nowhere here.
pub(crate) fn target(url: &str, page_path: &str, base: &str) -> Target {
    let found = target_at_root(url, page_path, base);
    let base_path = crate::text::url::base_path_of(base).trim_start_matches('/');
    let root_relative = url.trim_start().starts_with('/') && !url.trim_start().starts_with("//");
    // The same host without the base path: the published site is not there.
    if !base_path.is_empty()
        && let Target::External(ref full) = found
        && let Some(host) = base.strip_suffix(&format!("/{base_path}"))
        && let Some(rest) = full.strip_prefix(host)
        && rest.starts_with('/')
    {
        return Target::Internal {
            path: format!("..{}", rest.split(['#', '?']).next().unwrap_or(rest)),
            anchor: None,
        };
    }
    match found {
        Target::Internal { path, anchor } if !base_path.is_empty() && root_relative => {
            let inside = path
                .strip_prefix(base_path)
                .filter(|rest| rest.is_empty() || rest.starts_with('/'))
                .map(|rest| rest.trim_start_matches('/').to_string());
            Target::Internal {
                // `..` names no output: the link is reported as leading nowhere.
                path: inside.unwrap_or_else(|| format!("../{path}")),
                anchor,
            }
        }
        other => other,
    }
}

fn target_at_root(url: &str, page_path: &str, base: &str) -> Target {
    let url = url.trim();
    if url.is_empty() {
        return Target::Skip;
    }
    // The common case, a plain absolute path (`/blog/x.html`, `/tag/a/`), without allocating twice.
    if url.starts_with('/')
        && !url.contains("//")
        && !url.contains("/.")
        && !url.contains(['#', '?', '%'].as_slice())
    {
        return Target::Internal {
            path: url[1..].to_string(),
            anchor: None,
        };
    }
    let lower = url.get(..12).unwrap_or(url).to_ascii_lowercase();
    let mut rest = url;
    if lower.starts_with("http://") || lower.starts_with("https://") || url.starts_with("//") {
        let local = [
            base,
            base.trim_start_matches("https:")
                .trim_start_matches("http:"),
        ]
        .into_iter()
        .filter(|b| !b.is_empty() && *b != "//")
        .find_map(|b| {
            url.strip_prefix(b)
                .filter(|r| r.is_empty() || r.starts_with(['/', '#', '?']))
        });
        match local {
            Some(r) => rest = if r.is_empty() { "/" } else { r },
            None => return Target::External(url.to_string()),
        }
    } else if let Some(colon) = url.find(':')
        && !url[..colon].contains(['/', '?', '#'])
    {
        return Target::Skip;
    }
    let (path_part, anchor) = match rest.split_once('#') {
        Some((p, a)) => (p, (!a.is_empty()).then(|| percent_decode_lossy(a))),
        None => (rest, None),
    };
    let path_part = path_part.split('?').next().unwrap_or(path_part);
    let path = if path_part.is_empty() {
        page_path.to_string()
    } else if path_part.starts_with('/') {
        normalize(path_part)
    } else {
        let dir = page_path.rsplit_once('/').map_or("", |(d, _)| d);
        normalize(&format!("/{dir}/{path_part}"))
    };
    Target::Internal {
        path: percent_decode_lossy(&path),
        anchor,
    }
}

/// Resolves `.` and `..`; keeps a trailing slash; drops the leading one.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    out
}

/// The output path serving `path`: `x/` → `x/index.html`; `x` → `x`, `x.html` or `x/index.html`.
pub(crate) fn resolve<'c>(ctx: &Context<'c>, path: &str) -> Result<&'c str, Option<&'c str>> {
    // Most links name a file exactly (`/css/site.css`, `/a.html`): no allocation for those.
    if let Some((found, _)) = ctx.outputs.get_key_value(path) {
        return Ok(found);
    }
    let candidates: Vec<String> = if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![
            path.to_string(),
            format!("{path}.html"),
            format!("{path}/index.html"),
        ]
    };
    for candidate in &candidates {
        if let Some((found, _)) = ctx.outputs.get_key_value(candidate.as_str()) {
            return Ok(found);
        }
    }
    Err(candidates
        .iter()
        .find_map(|c| ctx.with_other_capitals(&c.to_lowercase())))
}

struct Broken {
    page: usize,
    url: String,
    rule: Rule,
    kind: BrokenKind,
}

enum BrokenKind {
    Missing { image: bool },
    WrongCase { actual: String, image: bool },
    Anchor { anchor: String, page: String },
}

/// Checks the internal links of every page.
pub(crate) fn check_internal(ctx: &Context, rules: &LinkRules, pages: &[Page]) -> Vec<Diagnostic> {
    let by_path: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.output.path, i))
        .collect();
    // Links naming the published address are links inside the site, in the preview too.
    let base = ctx.site.config.published_base();
    let broken: Vec<Broken> = pages
        .par_iter()
        .enumerate()
        .flat_map_iter(|(index, page)| {
            let mut found = Vec::new();
            let mut seen = HashSet::new();
            for link in &page.links {
                // The same link twice on a page (menus, tag lists) is looked at once.
                if !seen.insert(&*link.url) {
                    continue;
                }
                let Target::Internal { path, anchor } = target(&link.url, page.output.path, base)
                else {
                    continue;
                };
                if is_under(&path, &rules.ignore)
                    || is_under(&path, &ctx.unchecked)
                    || (rules.images_only && !link.image)
                {
                    continue;
                }
                let rule = if link.image { Rule::Image } else { Rule::Link };
                match resolve(ctx, &path) {
                    Ok(found_path) => {
                        let Some(anchor) = anchor else { continue };
                        let Some(&target_index) = by_path.get(found_path) else {
                            continue;
                        };
                        if !pages[target_index].ids.contains(anchor.as_str()) {
                            found.push(Broken {
                                page: index,
                                url: link.url.to_string(),
                                rule: Rule::Anchor,
                                kind: BrokenKind::Anchor {
                                    anchor,
                                    page: format!("/{found_path}"),
                                },
                            });
                        }
                    }
                    Err(Some(actual)) => found.push(Broken {
                        page: index,
                        url: link.url.to_string(),
                        rule,
                        kind: BrokenKind::WrongCase {
                            actual: actual.to_string(),
                            image: link.image,
                        },
                    }),
                    Err(None) => found.push(Broken {
                        page: index,
                        url: link.url.to_string(),
                        rule,
                        kind: BrokenKind::Missing { image: link.image },
                    }),
                }
            }
            found
        })
        .collect();
    report(ctx, pages, broken)
}

/// Turns broken links into diagnostics: on the source file (with its line) when the link is
/// written there, else once per link for all the pages a template puts it on.
fn report(ctx: &Context, pages: &[Page], broken: Vec<Broken>) -> Vec<Diagnostic> {
    let root = &ctx.site.root;
    let mut texts: HashMap<PathBuf, Option<String>> = HashMap::new();
    let mut in_source = Vec::new();
    let mut from_templates: Vec<(String, Rule, Vec<usize>, Broken)> = Vec::new();
    for b in broken {
        let source = pages[b.page].output.source;
        let written = source.as_ref().and_then(|file| {
            let text = texts
                .entry(file.to_path_buf())
                .or_insert_with(|| std::fs::read_to_string(root.join(file)).ok());
            let needles = needles(&b.url);
            text.as_ref()
                .and_then(|t| needles.iter().find(|n| t.contains(n.as_str())).cloned())
        });
        match (source, written) {
            (Some(file), Some(needle)) => in_source.push((file, needle, b)),
            _ => match from_templates
                .iter_mut()
                .find(|(url, rule, _, _)| *url == b.url && *rule == b.rule)
            {
                Some(entry) => entry.2.push(b.page),
                None => from_templates.push((b.url.clone(), b.rule, vec![b.page], b)),
            },
        }
    }
    let mut out = Vec::new();
    let mut reported = HashSet::new();
    for (file, needle, b) in in_source {
        let (line, column) = find_in_file(root, file, &needle, 1).unwrap_or((0, 0));
        reported.insert(b.url.clone());
        out.push(finding(
            Severity::Error,
            b.rule,
            file,
            line,
            column,
            message(&b, 1),
        ));
    }
    // Where else a link can be written: site.yml (menu), data files, templates.
    let mut origins: Vec<PathBuf> = vec![PathBuf::from(crate::source::config::FILE_NAME)];
    origins.extend(ctx.site.data.values().map(|d| d.file.clone()));
    origins.extend(
        ctx.site
            .sources
            .files
            .iter()
            .filter(|f| matches!(f.kind, Kind::Template { .. }))
            .map(|f| f.path.clone()),
    );
    for (_, _, on_pages, b) in from_templates {
        // A post's broken link also shows in listings: the post's finding is enough.
        if reported.contains(&b.url) {
            continue;
        }
        let origin = origins.iter().find_map(|file| {
            needles(&b.url).iter().find_map(|n| {
                find_in_file(root, file, &format!("\"{n}"), 1)
                    .map(|(l, c)| (file.clone(), l, c + 1))
            })
        });
        let (file, line, column) =
            origin.unwrap_or_else(|| (PathBuf::from(&pages[b.page].output.path), 0, 0));
        out.push(finding(
            Severity::Error,
            b.rule,
            file,
            line,
            column,
            message(&b, on_pages.len()),
        ));
    }
    out
}

fn message(b: &Broken, pages: usize) -> (Text, Text) {
    match &b.kind {
        BrokenKind::Missing { image } => text(
            &Msg::Missing {
                url: &b.url,
                image: *image,
            },
            pages,
        ),
        BrokenKind::WrongCase { actual, image } => text(
            &Msg::WrongCase {
                url: &b.url,
                actual,
                image: *image,
            },
            pages,
        ),
        BrokenKind::Anchor { anchor, page } => text(
            &Msg::Anchor {
                url: &b.url,
                anchor,
                page,
            },
            pages,
        ),
    }
}

/// How a link may be written in the source file: as rendered, percent-decoded, or `&` escaped.
fn needles(url: &str) -> Vec<String> {
    let mut out = vec![
        url.to_string(),
        percent_decode_lossy(url),
        url.replace('&', "&amp;"),
    ];
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_reads_attributes_and_skips_scripts() {
        let html = r#"<!DOCTYPE html><!-- <a href="/no"> --><p id="top">x</p><a class=x href='/a/?q=1#b'>a</a>
<img alt="é > è" src=/img/a.png><script>var s = "<a href='/js'>";</script><h2 id="t&amp;d">T</h2>
<a name="old"></a><link rel="stylesheet" href="/css/site.css"/><p>1 < 2</p>"#;
        let (links, ids) = scan_html(html);
        let urls: Vec<&str> = links.iter().map(|l| &*l.url).collect();
        assert_eq!(urls, ["/a/?q=1#b", "/img/a.png", "/css/site.css"]);
        assert_eq!(
            links.iter().map(|l| l.image).collect::<Vec<_>>(),
            [false, true, false]
        );
        assert_eq!(ids, ["top", "t&d", "old"]);
    }

    #[test]
    fn scanner_survives_broken_html() {
        for html in [
            "<",
            "<a",
            "<a href=",
            "<a href=\"x",
            "<!--",
            "<script>",
            "<a =x>",
            "<a b c=d",
        ] {
            let _ = scan_html(html);
        }
    }

    #[test]
    fn targets() {
        let base = "https://example.org";
        let internal = |p: &str, a: Option<&str>| Target::Internal {
            path: p.into(),
            anchor: a.map(str::to_string),
        };
        assert_eq!(
            target("/a/b.html#x", "blog/p.html", base),
            internal("a/b.html", Some("x"))
        );
        assert_eq!(
            target("#x", "blog/p.html", base),
            internal("blog/p.html", Some("x"))
        );
        assert_eq!(
            target("../img/a%20b.png", "blog/2024/p.html", base),
            internal("blog/img/a b.png", None)
        );
        assert_eq!(
            target("https://example.org/tag/", "p.html", base),
            internal("tag/", None)
        );
        assert_eq!(
            target("https://example.org", "p.html", base),
            internal("", None)
        );
        assert_eq!(
            target("https://example.org.evil/x", "p.html", base),
            Target::External("https://example.org.evil/x".into())
        );
        assert_eq!(target("mailto:a@b.c", "p.html", base), Target::Skip);
        assert_eq!(
            target("//cdn.example/x.js", "p.html", base),
            Target::External("//cdn.example/x.js".into())
        );
        assert_eq!(target("/", "p.html", base), internal("", None));
    }
}
