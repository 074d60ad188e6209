//! Files Jekyll writes that are not pages. The plugins' own (jekyll-feed's feed, jekyll-sitemap's
//! sitemap and robots.txt) are old URLs that gazette serves with its own files. Files with front
//! matter that are not pages (`manifest.json`, `data.json`, `humans.txt`…):
//! Jekyll ran their Liquid and wrote them at their URL. When that Liquid only prints settings of
//! `_config.yml` (`{{ site.title }}`), the import writes the file as Jekyll did, as a static file;
//! otherwise it is skipped and reported.

use super::{Ctx, Identity};
use crate::diagnostic::{Diagnostic, Text};
use crate::msg;
use crate::source::load::Document;

/// Writes `doc` (from `file`, served at `url`) as a static file when its Liquid only prints
/// settings; returns why it was not written otherwise.
pub(crate) fn write(
    ctx: &mut Ctx,
    file: &str,
    doc: &Document,
    url: &str,
    problems: &mut Vec<Diagnostic>,
) -> Result<(), Text> {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".scss") || lower.ends_with(".sass") {
        return stylesheet(ctx, file, doc, url, problems);
    }
    let text = expand_settings(ctx, &doc.body).ok_or_else(|| {
        msg!("a Liquid template for a file that is not a page, with more than settings of _config.yml: write the file gazette should serve into assets/")
    })?;
    let path = crate::text::url::normalize_permalink(url);
    crate::text::url::check_safe(&path)?;
    let dest = format!(
        "{}/{}",
        crate::source::layout::ASSETS,
        path.trim_start_matches('/')
    );
    if let Err(d) = ctx.write(&dest, text.as_bytes()) {
        problems.push(d);
        return Ok(());
    }
    ctx.report.count("static files");
    ctx.old_url(path.clone(), "static", file, Identity::Fixed(path));
    Ok(())
}

/// A Sass stylesheet Jekyll compiled (it has front matter): gazette compiles it too, at the same
/// URL, from `assets/` (its partials come from `_sass/`, copied into `sass/`). Jekyll's source
/// map is not written.
fn stylesheet(
    ctx: &mut Ctx,
    file: &str,
    doc: &Document,
    url: &str,
    problems: &mut Vec<Diagnostic>,
) -> Result<(), Text> {
    let path = crate::text::url::normalize_permalink(url);
    crate::text::url::check_safe(&path)?;
    let body = expand_settings(ctx, &doc.body).ok_or_else(|| {
        msg!("Sass that Jekyll compiled to {path} holds Liquid gazette cannot run: write the stylesheet without Liquid into assets/", path)
    })?;
    let Some(stem) = path.strip_suffix(".css") else {
        return Err(msg!(
            "Sass that Jekyll compiled to {path}, not a .css address: compile it and put the CSS at assets{path}",
            path
        ));
    };
    let ext = if file.to_ascii_lowercase().ends_with(".sass") {
        "sass"
    } else {
        "scss"
    };
    let dest = format!("{}{stem}.{ext}", crate::source::layout::ASSETS);
    if let Err(d) = ctx.write(&dest, format!("---\n---\n{body}").as_bytes()) {
        problems.push(d);
        return Ok(());
    }
    ctx.report.count("stylesheets");
    ctx.old_url(path.clone(), "static", file, Identity::Fixed(path.clone()));
    // jekyll-sass-converter also wrote a source map beside the CSS; gazette writes none.
    let map = format!("{path}.map");
    ctx.old_url(map.clone(), "static", file, Identity::Fixed(map));
    Ok(())
}

/// The body with each `{{ site.<key> }}` replaced by that setting; None when it has other Liquid.
fn expand_settings(ctx: &Ctx, body: &str) -> Option<String> {
    if body.contains("{%") {
        return None;
    }
    let mut out = String::new();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}")?;
        let expression = after[..end].trim().trim_matches('-').trim();
        out.push_str(&super::known_values::setting(
            ctx,
            expression.strip_prefix("site.")?,
        )?);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Some(out)
}

/// The files jekyll-feed and jekyll-sitemap write, as old URLs (gazette writes its own feed,
/// sitemap and robots.txt at those paths); a file of the site at the same path wins, as in Jekyll.
pub(crate) fn plugin_outputs(ctx: &mut Ctx, files: &[String]) {
    let enabled = |name: &str| ctx.config.plugins.iter().any(|p| p == name);
    let mut outputs: Vec<(&str, Identity)> = Vec::new();
    // jekyll-feed writes an Atom feed at `feed.path`: gazette's Atom feed goes there (site.yml).
    let feed_path = ctx.config.feed_path.clone();
    if enabled("jekyll-feed") {
        let identity = if feed_path == "feed.xml" {
            Identity::Feed
        } else {
            Identity::Fixed(format!("/{feed_path}"))
        };
        outputs.push((feed_path.as_str(), identity));
    }
    if enabled("jekyll-sitemap") {
        outputs.push(("sitemap.xml", Identity::Fixed("/sitemap.xml".into())));
        outputs.push(("robots.txt", Identity::Fixed("/robots.txt".into())));
    }
    autopage_tags(ctx);
    super::archives::old_urls(ctx);
    for (path, identity) in outputs {
        let url = format!("/{path}");
        if files.iter().any(|f| f == path) || ctx.old_urls.iter().any(|o| o.url == url) {
            continue;
        }
        ctx.old_url(url, "plugin", "", identity);
    }
}

/// jekyll-paginate-v2's tag pages (`autopages`): one listing per tag of the published posts, at
/// its permalink with the tag as written (lower-cased) unless `slugify` says otherwise, paginated
/// like the blog. gazette has its own tag pages: these are old URLs sent there.
fn autopage_tags(ctx: &mut Ctx) {
    let enabled = ctx.config.plugins.iter().any(|p| p == "jekyll-paginate-v2");
    let Some((permalink, slugified)) = ctx.config.autopage_tags.clone().filter(|_| enabled) else {
        return;
    };
    let per_page = ctx.config.per_page.unwrap_or(10).max(1);
    let tags: Vec<(String, usize)> = ctx
        .published_tags
        .iter()
        .map(|(t, n)| (t.clone(), *n))
        .collect();
    for (tag, count) in tags {
        let name = if slugified {
            crate::text::slug::slugify_default(&tag)
        } else {
            tag.to_lowercase()
        };
        let mut first = crate::text::url::normalize_permalink(&permalink.replace(":tag", &name));
        if !first.ends_with('/') && !first.rsplit('/').next().unwrap_or("").contains('.') {
            first.push('/');
        }
        for n in 1..=count.div_ceil(per_page) {
            let url = if n == 1 {
                first.clone()
            } else {
                super::urls::clean(&format!(
                    "{first}{}",
                    ctx.config.paginate_path.replace(":num", &n.to_string())
                ))
            };
            ctx.old_url(url, "tag", "", Identity::Tag(tag.clone()));
        }
    }
}
