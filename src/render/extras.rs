//! Outputs made without page templates: feeds, sitemap, robots.txt, alias redirects, the host's
//! `_redirects` and `_headers`, static files.

use crate::output::Body;
use crate::output::Output;
use crate::render::feed;
use crate::site::Site;
use crate::source::config::RedirectsFile;
use crate::source::layout::Kind;
use crate::text::url;

/// The outputs made without templates: feeds, the sitemap of `pages` (the paths of the template
/// pages) when the site wants one, robots.txt, alias redirects and static files.
pub(crate) fn extra_outputs<'a>(
    site: &Site,
    pages: impl Iterator<Item = &'a str>,
    assets: &super::assets::Wanted,
) -> Vec<Output> {
    let mut outputs = feeds_and_sitemap(site, pages);
    outputs.extend(other_outputs(site, assets));
    outputs
}

/// The feeds, and `sitemap.xml` listing `pages` when site.yml asks for it.
pub(crate) fn feeds_and_sitemap<'a>(
    site: &Site,
    pages: impl Iterator<Item = &'a str>,
) -> Vec<Output> {
    let mut outputs = feed::feeds(site);
    if site.config.sitemap {
        outputs.push(sitemap_output(site, pages));
    }
    outputs
}

/// `sitemap.xml` listing `pages` (the paths of the template pages).
pub(crate) fn sitemap_output<'a>(site: &Site, pages: impl Iterator<Item = &'a str>) -> Output {
    Output::generated("/sitemap.xml", feed::sitemap_of_paths(site, pages), None)
}

/// robots.txt, alias redirects and static files, with the fingerprinted copies of the files
/// templates name through `asset()` (`assets`).
pub(crate) fn other_outputs(site: &Site, wanted: &super::assets::Wanted) -> Vec<Output> {
    let mut outputs = vec![Output::generated("/robots.txt", feed::robots(site), None)];
    outputs.extend(aliases(site));
    let redirects = redirects_file(site);
    let writes_redirects = redirects.is_some();
    outputs.extend(redirects);
    let writes_headers = super::headers::wanted(site);
    let assets = super::assets::assets(site);
    // A site's file hides the theme's file of the same name.
    for file in super::assets::visible_static_files(site) {
        // The site's own `_redirects` and `_headers` are the start of the generated ones.
        let merged = (writes_redirects && file.relative == REDIRECTS)
            || (writes_headers && file.relative == super::headers::HEADERS);
        if !merged {
            // The plain copy of a fingerprinted file has the same bytes (minified CSS included).
            let body = match assets.get(&file.relative) {
                Some(asset) => asset.body.clone(),
                None => Body::Copy(site.root.join(&file.path)),
            };
            outputs.push(Output {
                path: file.relative.clone(),
                body,
                source: Some(file.path.clone()),
            });
        }
    }
    outputs.extend(site.styles.iter().map(|style| Output {
        path: style.output.clone(),
        body: assets.get(&style.output).map_or_else(
            || Body::Bytes(style.css.clone().into_bytes()),
            |asset| asset.body.clone(),
        ),
        source: Some(style.file.clone()),
    }));
    // `asset()`'s copies, named after their bytes, beside the plain files.
    outputs.extend(super::assets::outputs(&assets, wanted));
    // The search index (the preview makes these outputs again as the build does).
    outputs.extend(crate::search::outputs(site));
    outputs.extend(super::headers::headers_file(site, &outputs));
    outputs
}

/// The redirect file Netlify and Cloudflare Pages read.
const REDIRECTS: &str = "_redirects";

/// `_redirects` when site.yml asks for it (`redirects: netlify` or `cloudflare`): the site's own
/// rules (`assets/_redirects`) first, then one permanent redirect for each alias of a post or
/// page, under the site's base path. For Cloudflare Pages, the site's own patterns (`/x/*`,
/// `/:year/…`) come last: Cloudflare counts every rule after a pattern as a pattern, and reads
/// no more than 100 of them (a rule for one address is matched before any pattern anyway).
fn redirects_file(site: &Site) -> Option<Output> {
    let host = site.config.redirects?;
    let permanent = host.permanent();
    let own = site
        .sources
        .files
        .iter()
        .find(|f| f.kind == Kind::Static && f.relative == REDIRECTS);
    let own_text = own
        .and_then(|f| std::fs::read_to_string(site.root.join(&f.path)).ok())
        .unwrap_or_default();
    let (mut text, patterns) = if host == RedirectsFile::Cloudflare {
        patterns_last(&own_text)
    } else {
        (own_text, String::new())
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    let base_path = site.config.base_path();
    let aliased = site
        .posts
        .iter()
        .map(|p| (&p.aliases, &p.url))
        .chain(site.pages.iter().map(|p| (&p.aliases, &p.url)));
    let mut rules = String::new();
    for (aliases, target) in aliased {
        for alias in aliases {
            let from = url::encode_path(&format!("{base_path}{}", url::normalize_permalink(alias)));
            let to = url::encode_path(&format!("{base_path}{target}"));
            rules.push_str(&format!("{from} {to} {permanent}\n"));
        }
    }
    // The site's own file stays as written when no post or page has an alias.
    if !rules.is_empty() {
        text.push_str("# Written by gazette from the aliases of posts and pages.\n");
        text.push_str(&rules);
    }
    if !patterns.is_empty() {
        text.push_str("# The site's own patterns, after every rule for one address.\n");
        text.push_str(&patterns);
    }
    Some(Output {
        path: REDIRECTS.to_string(),
        body: Body::Bytes(text.into_bytes()),
        source: own.map(|f| f.path.clone()),
    })
}

/// The rules of `text` for one address (with the comments), and its pattern rules apart: a
/// pattern's old address has `*` or a `:placeholder`.
fn patterns_last(text: &str) -> (String, String) {
    let (mut addresses, mut patterns) = (String::new(), String::new());
    for line in text.lines() {
        let from = line.split_whitespace().next().unwrap_or("");
        let pattern = !from.starts_with('#') && (from.contains('*') || from.contains("/:"));
        let part = if pattern {
            &mut patterns
        } else {
            &mut addresses
        };
        part.push_str(line);
        part.push('\n');
    }
    (addresses, patterns)
}

pub(crate) fn aliases(site: &Site) -> Vec<Output> {
    let targets = site
        .posts
        .iter()
        .map(|p| (&p.aliases, &p.url, &p.file, &p.lang))
        .chain(
            site.pages
                .iter()
                .map(|p| (&p.aliases, &p.url, &p.file, &p.lang)),
        );
    // The words of a redirect page are interface strings (`redirect_title`, `redirect_text`), so a
    // site may word them in any of its languages.
    let strings = crate::render::templates::interface_strings(site);
    let mut out = Vec::new();
    for (aliases, target, file, lang) in targets {
        for alias in aliases {
            let absolute = url::absolute(site.config.base(), target);
            let (default_title, default_moved) = redirect_text(lang);
            let string = |key: &str| strings.get(lang.as_str()).and_then(|s| s.get(key));
            let title = string("redirect_title").map_or(default_title, String::as_str);
            let moved = string("redirect_text").map_or_else(
                || default_moved.to_string(),
                |text| format!("{} ", text.trim_end()),
            );
            let html = redirect_page_with(&absolute, title, &moved);
            out.push(Output::generated(
                &url::normalize_permalink(alias),
                html,
                Some(file),
            ));
        }
    }
    out
}

/// A page that sends the reader (and search engines) to `target`, worded in French: the
/// importer's redirects (see [`redirect_page_in`] for another language).
pub(crate) fn redirect_page(target: &str) -> String {
    redirect_page_in(target, "fr")
}

/// A page that sends the reader (and search engines) to `target`, worded in language `lang`:
/// English for `en` (and `en-GB`…), French otherwise.
pub(crate) fn redirect_page_in(target: &str, lang: &str) -> String {
    let (title, moved) = redirect_text(lang);
    redirect_page_with(target, title, moved)
}

/// A redirect page to `target` with these words: `title`, and `moved` before the link.
fn redirect_page_with(target: &str, title: &str, moved: &str) -> String {
    let target = crate::text::escape::escape_html(target);
    let title = crate::text::escape::escape_html(title);
    let moved = crate::text::escape::escape_html(moved);
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title>\
         <link rel=\"canonical\" href=\"{target}\"><meta http-equiv=\"refresh\" content=\"0; url={target}\">\
         <meta name=\"robots\" content=\"noindex\"></head>\
         <body><p>{moved}<a href=\"{target}\">{target}</a>.</p></body></html>\n"
    )
}

/// The title and the words before the link of a redirect page in language `lang`.
fn redirect_text(lang: &str) -> (&'static str, &'static str) {
    let primary = lang.split(['-', '_']).next().unwrap_or(lang);
    if primary.eq_ignore_ascii_case("en") {
        ("Redirect", "This page has moved: ")
    } else {
        ("Redirection", "Cette page a déménagé : ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_go_after_the_rules_for_one_address() {
        let (addresses, patterns) = patterns_last(
            "# mine\n/x/* /y/:splat 301\n/a.html /b.html 301\n/news/:year/* /blog/:year/ 301\n",
        );
        assert_eq!(addresses, "# mine\n/a.html /b.html 301\n");
        assert_eq!(
            patterns,
            "/x/* /y/:splat 301\n/news/:year/* /blog/:year/ 301\n"
        );
    }

    #[test]
    fn redirect_pages_speak_the_page_language() {
        let french = redirect_page("https://example.org/a?b&c");
        assert!(french.contains("<title>Redirection</title>"), "{french}");
        assert!(
            french.contains("Cette page a déménagé : <a href=\"https://example.org/a?b&amp;c\">")
        );
        assert_eq!(redirect_page_in("/x", "fr"), redirect_page("/x"));
        for lang in ["en", "en-GB", "EN"] {
            let english = redirect_page_in("/x", lang);
            assert!(english.contains("<title>Redirect</title>"), "{english}");
            assert!(
                english.contains("This page has moved: <a href=\"/x\">/x</a>."),
                "{english}"
            );
            assert!(!english.contains("déménagé"), "{english}");
        }
    }
}
