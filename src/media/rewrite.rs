//! `<img>` tags of the rendered pages pointed at the published copies: `src` at the widest copy
//! in the picture's own format, `srcset` listing the WebP copies, `sizes`, the real `width` and
//! `height` (no layout shift while the page loads), and lazy loading for all but a page's first
//! picture.

use super::process::{Copy, Processed};
use crate::markdown::{tag_attributes, tag_end};
use crate::text::escape::percent_decode_lossy;
use std::collections::HashMap;

/// Where a copy is published: beside the source, `img/photo.jpg` → `img/photo.480w.webp`.
pub(crate) fn copy_output_path(source_output: &str, copy: &Copy) -> String {
    format!(
        "{}.{}w.{}",
        output_stem(source_output),
        copy.width,
        copy.extension
    )
}

/// An output path without its extension (`img/a.jpg` → `img/a`), the start of its copies' names.
pub(crate) fn output_stem(source_output: &str) -> &str {
    match source_output.rfind('.') {
        Some(dot) if !source_output[dot..].contains('/') => &source_output[..dot],
        _ => source_output,
    }
}

/// What the rewriting needs to know about the site.
pub(crate) struct Rewriter<'a> {
    /// The site's address.
    pub(crate) site_url: &'a SiteUrl,
    /// `sizes` for pictures without a width of their own.
    pub(crate) sizes: &'a str,
    /// The processed pictures, by output path.
    pub(crate) processed: &'a HashMap<String, Processed>,
}

impl Rewriter<'_> {
    /// `html` of the page at `page_path` with its pictures' tags rewritten; None when it shows
    /// no processed picture.
    pub(crate) fn rewrite(&self, html: &str, page_path: &str) -> Option<String> {
        // The page is copied only from its first changed tag on: most pages change none.
        let mut out: Option<String> = None;
        let mut copied_to = 0;
        let mut at = 0;
        let mut first = true;
        while let Some(start) = find_img(&html[at..]) {
            let tag_start = at + start;
            let tag_end = tag_start + tag_end(&html[tag_start..]);
            if let Some(new_tag) = self.rewrite_tag(&html[tag_start..tag_end], page_path, first) {
                let out = out.get_or_insert_with(|| String::with_capacity(html.len() + 1024));
                out.push_str(&html[copied_to..tag_start]);
                out.push_str(&new_tag);
                copied_to = tag_end;
                first = false;
            }
            at = tag_end.max(tag_start + 1);
        }
        let mut out = out?;
        out.push_str(&html[copied_to..]);
        Some(out)
    }

    fn url(&self, output_path: &str) -> String {
        url_of(&self.site_url.base_path, output_path)
    }

    /// One `<img …>` tag pointed at its copies, or None when it is not a processed picture (or
    /// already has a `srcset` of its author's).
    fn rewrite_tag(&self, tag: &str, page_path: &str, first: bool) -> Option<String> {
        let attributes = tag_attributes(tag);
        let get = |name: &str| {
            attributes
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        if get("srcset").is_some() {
            return None;
        }
        let source = output_path_of(get("src")?, page_path, self.site_url)?;
        let processed = self.processed.get(&source)?;
        let widest = processed.copies.last()?;
        let fallback = processed
            .copies
            .iter()
            .rev()
            .find(|c| c.extension != "webp")
            .unwrap_or(widest);
        let srcset: Vec<String> = processed
            .copies
            .iter()
            .filter(|c| c.extension == "webp")
            .map(|c| format!("{} {}w", self.url(&copy_output_path(&source, c)), c.width))
            .collect();
        let declared_width = get("width")
            .and_then(|w| w.trim().parse::<u32>().ok())
            .or_else(|| get("style").and_then(css_width));
        // The author's `sizes` wins; a tag with a width of its own (an avatar) is shown that wide.
        let sizes = match (get("sizes"), declared_width) {
            (Some(own), _) => own.to_string(),
            (None, Some(w)) => format!("{w}px"),
            (None, None) => self.sizes.to_string(),
        };
        let mut new_tag = String::from("<img");
        let replaced = ["src", "srcset", "sizes", "decoding"];
        for (name, value) in &attributes {
            if !replaced.iter().any(|r| name.eq_ignore_ascii_case(r)) {
                push_attribute(&mut new_tag, name, value);
            }
        }
        push_attribute(
            &mut new_tag,
            "src",
            &self.url(&copy_output_path(&source, fallback)),
        );
        push_attribute(&mut new_tag, "srcset", &srcset.join(", "));
        push_attribute(&mut new_tag, "sizes", &sizes);
        let has_width = get("width").is_some();
        if !has_width && get("height").is_none() {
            push_attribute(&mut new_tag, "width", &fallback.width.to_string());
            push_attribute(&mut new_tag, "height", &fallback.height.to_string());
        } else if has_width
            && get("height").is_none()
            && let Some(w) = declared_width
        {
            let h = super::codec::scaled_height(fallback.width, fallback.height, w);
            push_attribute(&mut new_tag, "height", &h.to_string());
        }
        if !first && get("loading").is_none() {
            push_attribute(&mut new_tag, "loading", "lazy");
        }
        push_attribute(&mut new_tag, "decoding", "async");
        new_tag.push('>');
        Some(new_tag)
    }
}

/// The URL of an output path, as a page writes it (encoded where `srcset` needs it).
pub(crate) fn url_of(base_path: &str, output_path: &str) -> String {
    let mut url = format!("{base_path}/");
    for c in output_path.chars() {
        match c {
            ' ' => url.push_str("%20"),
            ',' => url.push_str("%2C"),
            '"' => url.push_str("%22"),
            '\'' => url.push_str("%27"),
            '<' => url.push_str("%3C"),
            '>' => url.push_str("%3E"),
            other => url.push(other),
        }
    }
    url
}

/// The width a `style` attribute gives in pixels (`width:262px`), the one a theme most often
/// writes instead of a `width` attribute.
fn css_width(style: &str) -> Option<u32> {
    style.split(';').find_map(|declaration| {
        let (property, value) = declaration.split_once(':')?;
        if !property.trim().eq_ignore_ascii_case("width") {
            return None;
        }
        value.trim().strip_suffix("px")?.trim().parse().ok()
    })
}

/// ` name="value"`, with the quotes the value allows.
fn push_attribute(tag: &mut String, name: &str, value: &str) {
    let quote = if value.contains('"') { '\'' } else { '"' };
    tag.push(' ');
    tag.push_str(name);
    tag.push('=');
    tag.push(quote);
    tag.push_str(value);
    tag.push(quote);
}

/// Byte offset of the next `<img` followed by whitespace.
pub(crate) fn find_img(html: &str) -> Option<usize> {
    // One vectorised pass over the page for its `<` (a page has hundreds of tags: searching
    // again from each of them cost a twentieth of the default theme's build).
    let bytes = html.as_bytes();
    memchr::memchr_iter(b'<', bytes).find(|&at| {
        bytes
            .get(at + 1..at + 4)
            .is_some_and(|name| name.eq_ignore_ascii_case(b"img"))
            && bytes.get(at + 4).is_some_and(u8::is_ascii_whitespace)
    })
}

/// Where the site is published, to recognise its own pictures in the addresses of pages.
pub(crate) struct SiteUrl {
    /// The sub-path (`/site`), or empty.
    pub(crate) base_path: String,
    /// `https://host`, without a final slash.
    pub(crate) origin: String,
}

impl SiteUrl {
    pub(crate) fn new(base_url: &str) -> SiteUrl {
        let base_path = crate::text::url::base_path_of(base_url).to_string();
        let trimmed = base_url.trim_end_matches('/');
        let origin = trimmed[..trimmed.len() - base_path.len()].to_string();
        SiteUrl { base_path, origin }
    }
}

/// The output path a `src` written in the page at `page_path` names: `/img/a.jpg`,
/// `/site/img/a.jpg` under a sub-path, `../img/a.jpg` relative to the page. None for another
/// site's address or a `data:` URL.
pub(crate) fn output_path_of(src: &str, page_path: &str, site_url: &SiteUrl) -> Option<String> {
    let src = src.trim();
    // The site's own address (`{{ site.url }}/img/a.png` in imported templates) is a local path.
    // (`{{ site.url }}/{{ page.image }}` doubles the slash: `https://host//img/a.png`.)
    let own = src
        .strip_prefix(site_url.origin.as_str())
        .filter(|path| !site_url.origin.is_empty() && path.starts_with('/'))
        .map(|path| format!("/{}", path.trim_start_matches('/')));
    let src = own.as_deref().unwrap_or(src);
    let base_path = site_url.base_path.as_str();
    let src = &src[..src.find(['?', '#']).unwrap_or(src.len())];
    if src.is_empty() || src.starts_with("//") || src.contains(':') {
        return None;
    }
    let joined = if let Some(path) = src.strip_prefix('/') {
        let under_base = (!base_path.is_empty())
            .then(|| src.strip_prefix(base_path)?.strip_prefix('/'))
            .flatten();
        under_base.unwrap_or(path).to_string()
    } else {
        let folder = &page_path[..page_path.rfind('/').map_or(0, |i| i + 1)];
        format!("{folder}{src}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(percent_decode_lossy(&parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::{SiteUrl, find_img, output_path_of};

    #[test]
    fn sources_resolve_to_output_paths() {
        assert_eq!(
            output_path_of("/img/a.jpg", "x/index.html", &SiteUrl::new("https://x.org")).as_deref(),
            Some("img/a.jpg")
        );
        assert_eq!(
            output_path_of(
                "/site/img/a.jpg",
                "x/index.html",
                &SiteUrl::new("https://x.org/site/")
            )
            .as_deref(),
            Some("img/a.jpg")
        );
        assert_eq!(
            output_path_of(
                "../img/a%20b.jpg?v=1",
                "x/index.html",
                &SiteUrl::new("https://x.org")
            )
            .as_deref(),
            Some("img/a b.jpg")
        );
        assert_eq!(
            output_path_of("a.png", "blog/p/index.html", &SiteUrl::new("https://x.org")).as_deref(),
            Some("blog/p/a.png")
        );
        assert_eq!(
            output_path_of(
                "https://x.org//img/a.png",
                "",
                &SiteUrl::new("https://x.org")
            )
            .as_deref(),
            Some("img/a.png")
        );
        assert_eq!(super::css_width("border:0; width: 262px"), Some(262));
        assert_eq!(
            output_path_of(
                "https://other.org/a.jpg",
                "index.html",
                &SiteUrl::new("https://x.org")
            ),
            None
        );
        assert_eq!(
            output_path_of(
                "https://x.org/site/img/a.jpg",
                "",
                &SiteUrl::new("https://x.org/site")
            )
            .as_deref(),
            Some("img/a.jpg")
        );
        assert_eq!(
            output_path_of("../../a.jpg", "index.html", &SiteUrl::new("https://x.org")),
            None
        );
    }

    #[test]
    fn an_img_tag_is_found_whatever_its_case_and_only_as_a_whole_name() {
        assert_eq!(find_img("<p>a</p><img src=x>"), Some(8));
        assert_eq!(find_img("<IMG\tsrc=x>"), Some(0));
        assert_eq!(find_img("<Img\nsrc=x>"), Some(0));
        assert_eq!(find_img("<imgur src=x><img>"), None);
        assert_eq!(find_img("<p>no picture</p>"), None);
        assert_eq!(find_img("ends with <img"), None);
        assert_eq!(find_img("é<b>é</b> <img alt=\"\">"), Some(12));
    }
}
