//! The last step of an import: the written site is loaded and rendered with gazette's own model,
//! every old URL is looked up in it, and a redirect page is written for each URL that moved.

use crate::diagnostic::Rule;
use std::collections::HashSet;
use std::path::Path;

use super::report::{Served, UrlMapping};
use super::{Ctx, Identity, OldUrl, urls};
use crate::diagnostic::{Diagnostic, Text};
use crate::msg;
use crate::pipeline::Rendered;
use crate::site::Site;

/// Loads the written site with gazette's model, maps every old URL to where it lives now, writes
/// redirect pages for those that moved, and reverts Liquid conversions that do not render.
pub(super) fn verify(ctx: &mut Ctx) -> Vec<Diagnostic> {
    let rendered = match render_reverting(ctx) {
        Ok(rendered) => rendered,
        Err(problems) => return problems,
    };
    ctx.report.build = rendered.warnings.clone();
    let site = &rendered.site;
    let outputs: HashSet<String> = rendered.outputs.iter().map(|o| o.path.clone()).collect();
    let mut redirects = Redirects::default();
    let old_urls = std::mem::take(&mut ctx.old_urls);
    // Files that stand for a page of the old site: its old path and where its content is now.
    let mut known: HashSet<String> = HashSet::new();
    for old in &old_urls {
        let new_url = new_url(site, &old.identity);
        known.insert(urls::served_file(&old.url));
        if let Some(new) = &new_url {
            known.insert(urls::served_file(new));
        }
        let served = served(old, new_url, &outputs, &mut redirects);
        ctx.report.urls.push(UrlMapping {
            old: old.url.clone(),
            kind: old.kind.clone(),
            source: old.source.clone(),
            served,
        });
    }
    ctx.report.published_now = published_now(&rendered.outputs, &known);
    write_redirect_pages(ctx, site, redirects)
}

/// Pages of the new site made from content (posts, pages, records) at no URL of the old site nor
/// where an old page's content now lives: published now, not by Jekyll (a privacy risk when it
/// is a draft, an unpublished file or a collection Jekyll did not output). (URL, source file).
fn published_now(
    outputs: &[crate::output::Output],
    known: &HashSet<String>,
) -> Vec<(String, String)> {
    let content = Path::new(crate::source::layout::CONTENT);
    let mut found: Vec<(String, String)> = outputs
        .iter()
        .filter(|o| o.path.ends_with(".html") && !known.contains(&o.path))
        .filter_map(|o| {
            let source = o.source.as_deref()?;
            source.starts_with(content).then(|| {
                (
                    format!("/{}", o.path.trim_end_matches("index.html")),
                    source.display().to_string(),
                )
            })
        })
        .collect();
    found.sort();
    found
}

/// Renders the written site; while pages fail because of their converted Liquid, puts their
/// Liquid back and renders again.
fn render_reverting(ctx: &mut Ctx) -> Result<Rendered, Vec<Diagnostic>> {
    let options = crate::site::BuildOptions {
        future: ctx.config.future,
        ..Default::default()
    };
    for _ in 0..8 {
        match crate::pipeline::render_site(&ctx.dest, &options) {
            Ok(rendered) => return Ok(rendered),
            Err(problems) => {
                let reverted = revert_failed_pages(ctx, &problems);
                if reverted == 0 {
                    ctx.report.build = problems.clone();
                    return Err(problems.into_iter().filter(Diagnostic::is_error).collect());
                }
            }
        }
    }
    Err(vec![
        Diagnostic::error(
            Rule::Import,
            &ctx.dest,
            "the imported site still does not build after reverting Liquid conversions",
        )
        .help("run `gazette build` in the destination to see why"),
    ])
}

/// Pages whose converted Liquid fails in tera get their original body back (Liquid untouched).
fn revert_failed_pages(ctx: &mut Ctx, problems: &[Diagnostic]) -> usize {
    let mut reverted = 0;
    let failed: Vec<String> = ctx
        .tera_pages
        .keys()
        .filter(|file| {
            problems
                .iter()
                .any(|p| p.is_error() && p.file == Path::new(file.as_str()))
        })
        .cloned()
        .collect();
    for file in failed {
        let Some((original, source, unconverted)) = ctx.tera_pages.remove(&file) else {
            continue;
        };
        let reason = problems
            .iter()
            .find(|p| p.file == Path::new(&file))
            .map(|p| p.message.clone())
            .unwrap_or_else(|| Text::from(""));
        if ctx.write(&file, original.as_bytes()).is_ok() {
            reverted += 1;
            ctx.report.notes.push(
                msg!("{file}: the converted Liquid did not render in tera, so the page keeps its Liquid untouched:", file = source)
                    .then(" ", reason),
            );
            // What the page now shows as written is Liquid left unconverted.
            for u in unconverted {
                ctx.report
                    .unconverted
                    .push((source.clone(), u.line, u.construct, u.reason));
            }
        }
    }
    reverted
}

/// Where what an old URL belonged to lives in the new site.
fn new_url(site: &Site, identity: &Identity) -> Option<String> {
    match identity {
        Identity::File(file) => {
            let file = Path::new(file);
            site.posts
                .iter()
                .find(|p| p.file == file)
                .map(|p| p.url.clone())
                .or_else(|| {
                    site.pages
                        .iter()
                        .find(|p| p.file == file)
                        .map(|p| p.url.clone())
                })
        }
        Identity::Record(collection, key) => site
            .collections
            .iter()
            .find(|c| &c.name == collection)
            .and_then(|c| c.index.get(key).map(|&i| c.records[i].url.clone()))
            .filter(|u| !u.is_empty()),
        Identity::Tag(name) => {
            let slug = crate::site::tag_slug(name);
            // A tag of the site's language first: Jekyll had one page per tag for all languages.
            let mut tags: Vec<_> = site.tags.iter().filter(|t| t.slug == slug).collect();
            tags.sort_by_key(|t| t.lang != site.config.language);
            tags.first().map(|t| t.url.clone())
        }
        Identity::Term(taxonomy, name) => {
            let slug = crate::site::tag_slug(name);
            let mut terms: Vec<_> = (site.terms.iter())
                .filter(|t| &t.taxonomy == taxonomy && t.slug == slug)
                .collect();
            terms.sort_by_key(|t| t.lang != site.config.language);
            terms.first().map(|t| t.url.clone())
        }
        Identity::Archive(year, month) => site
            .archives
            .iter()
            .find(|a| a.lang == site.config.language && a.year == *year && a.month == *month)
            .map(|a| a.url.clone()),
        Identity::Blog(lang, n) => Some(blog_page_url(site, lang, *n)),
        Identity::Feed => Some(format!("/{}", site.config.feed.rss)),
        Identity::Fixed(url) => Some(url.clone()),
    }
}

/// The URL of page `n` of a language's blog listing.
fn blog_page_url(site: &Site, lang: &str, n: usize) -> String {
    let first = site.config.lang_prefix(lang)
        + &crate::text::url::normalize_permalink(&site.config.permalinks.blog);
    if n == 1 {
        return first;
    }
    let base = if first.ends_with('/') {
        first
    } else {
        format!("{first}/")
    };
    crate::text::url::normalize_permalink(&format!(
        "{base}{}",
        site.config.pagination.path.replace(":num", &n.to_string())
    ))
}

/// Redirect pages to write: (file served at the old URL, target URL), one per file; and the
/// same moves by old URL, for the host's redirect rules.
#[derive(Default)]
struct Redirects {
    pages: Vec<(String, String)>,
    planned: HashSet<String>,
    moved: Vec<(String, String)>,
}

impl Redirects {
    fn add(&mut self, old: &OldUrl, target: &str) {
        let file = urls::served_file(&old.url);
        if self.planned.insert(file.clone()) {
            self.pages.push((file, target.to_string()));
            self.moved.push((old.url.clone(), target.to_string()));
        }
    }
}

/// How the new site serves an old URL whose content now lives at `new_url`; plans a redirect
/// page when it moved.
fn served(
    old: &OldUrl,
    new_url: Option<String>,
    outputs: &HashSet<String>,
    redirects: &mut Redirects,
) -> Served {
    let old_served = urls::served_by(&old.url, outputs);
    match new_url {
        // A `redirect_from` path became an alias: gazette writes the redirect page itself.
        Some(new) if old.kind == "redirect_from" && old_served.is_some() => Served::Redirect(new),
        Some(new) if old_served.is_some() && urls::served_by(&new, outputs) == old_served => {
            Served::Same(new)
        }
        Some(new) if old_served.is_some() => Served::Lost(msg!(
            "another page of the new site is at this path; the content is now at {new}",
            new
        )),
        // A rule of _redirects is kept even when its target is missing (it was on the old site too).
        Some(new) if old.kind == "redirect" || old.kind == "redirect_to" => {
            redirects.add(old, &new);
            Served::Redirect(new)
        }
        Some(new)
            if new.starts_with("http")
                || urls::served_by(&new, outputs).is_some()
                || redirects.planned.contains(&urls::served_file(&new)) =>
        {
            redirects.add(old, &new);
            Served::Redirect(new)
        }
        Some(new) => Served::Lost(msg!("the new site has no page at {new}", new)),
        None => Served::Lost(msg!(
            "this content is not in the new site (see the files skipped)"
        )),
    }
}

fn write_redirect_pages(ctx: &mut Ctx, site: &Site, redirects: Redirects) -> Vec<Diagnostic> {
    let base = site.config.base().to_string();
    let mut problems = Vec::new();
    if let Err(d) = super::netlify::write_moved_rules(ctx, &site.config, &redirects.moved) {
        problems.push(d);
    }
    for (file, target) in redirects.pages {
        let html = crate::render::redirect_page(&crate::text::url::absolute(&base, &target));
        if let Err(d) = ctx.write(
            &format!("{}/{file}", crate::source::layout::ASSETS),
            html.as_bytes(),
        ) {
            problems.push(d);
        }
        ctx.report.count("redirect pages");
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Output;

    #[test]
    fn pages_from_content_at_no_old_url_are_published_now() {
        let outputs = vec![
            Output::generated(
                "/about.html",
                "a",
                Some(Path::new("content/pages/about.md")),
            ),
            Output::generated(
                "/members/jane/",
                "j",
                Some(Path::new("content/members/jane.md")),
            ),
            Output::generated("/tag/x/", "t", None),
            Output::generated("/css/site.css", "c", Some(Path::new("content/pages/x.md"))),
            Output::generated("/listing/", "l", Some(Path::new("site.yml"))),
        ];
        let known: HashSet<String> = ["about.html".to_string()].into();
        assert_eq!(
            published_now(&outputs, &known),
            vec![(
                "/members/jane/".to_string(),
                "content/members/jane.md".to_string()
            )]
        );
    }
}
