//! The imported site's site.yml: title, address, languages, permalinks, pagination, feeds,
//! collections, `defaults` and the other keys of `_config.yml`, each commented for the person
//! who will edit it.

use std::fmt::Write as _;

use serde_json::Value;

use super::{Ctx, config};
use crate::diagnostic::Diagnostic;

/// Writes the new site's site.yml.
pub(super) fn write(ctx: &mut Ctx) -> Result<(), Diagnostic> {
    if super::netlify::hosted_on_netlify(&ctx.src) {
        ctx.report.notes.push(crate::msg!("the Jekyll site was published by Netlify (it has _redirects or netlify.toml): site.yml says `redirects: netlify`, so the build writes _redirects with the site's rules, a forced 301! rule for each old URL that moved and one for each alias, after the Jekyll site's own rules (forced `!` wherever the import wrote an HTML redirect page, which Netlify would serve instead)"));
    }
    super::archives::site_yml(ctx);
    let mut y = String::new();
    write_site_keys(ctx, &mut y);
    let default_blog = write_permalinks(ctx, &mut y);
    write_languages(ctx, &mut y, &default_blog);
    write_content_keys(ctx, &mut y);
    ctx.write("site.yml", y.as_bytes())?;
    ctx.report.count("site.yml");
    Ok(())
}

/// The site's title, description, address, language and author.
fn write_site_keys(ctx: &mut Ctx, y: &mut String) {
    use config::quote;
    let c = &ctx.config;
    let base = if c.url.starts_with("http://") || c.url.starts_with("https://") {
        format!("{}{}", c.url.trim_end_matches('/'), c.baseurl)
    } else {
        ctx.report.notes.push(crate::msg!(
            "_config.yml has no `url`: set `base_url` in site.yml to the site's address"
        ));
        "http://localhost".into()
    };
    let _ = writeln!(
        y,
        "# Imported from a Jekyll site by `gazette import jekyll`. Every key is described in gazette's documentation."
    );
    let title = if c.title.is_empty() {
        "Site".to_string()
    } else {
        c.title.clone()
    };
    let _ = writeln!(y, "title: {}", quote(&title));
    let _ = writeln!(y, "description: {}", quote(&c.description));
    let _ = writeln!(y, "base_url: {}", quote(&base));
    let _ = writeln!(y, "language: {}", quote(&ctx.language));
    if !ctx.layouts.names.is_empty() {
        // The site's own layouts: headings as kramdown wrote them, without gazette's `#` links.
        let _ = writeln!(y, "heading_anchors: false");
    }
    if super::netlify::hosted_on_netlify(&ctx.src) {
        // Netlify published the Jekyll site: its redirects keep working as server rules.
        let _ = writeln!(y, "redirects: netlify");
    }
    if !c.author.is_empty() {
        let _ = writeln!(y, "author: {}", quote(&c.author));
    }
    if !c.twitter.is_empty() {
        let _ = writeln!(y, "twitter: {}", quote(&c.twitter));
    }
}

/// The `permalinks:` block; returns the blog listing's URL.
fn write_permalinks(ctx: &Ctx, y: &mut String) -> String {
    use config::quote;
    let s = &ctx.site_yml;
    let _ = writeln!(y, "\npermalinks:");
    let _ = writeln!(y, "  post: {}", quote(&s.post_permalink));
    let _ = writeln!(y, "  page: \"/:path.html\"");
    let tag = s
        .tag_permalink
        .clone()
        .unwrap_or_else(|| "/tag/:slug/".into());
    let tags_index = format!(
        "{}/",
        tag.split(":slug")
            .next()
            .unwrap_or("/tag/")
            .trim_end_matches('/')
    );
    let _ = writeln!(y, "  tag: {}", quote(&tag));
    let _ = writeln!(y, "  tags: {}", quote(&free_list_path(ctx, &tags_index)));
    let default_blog = s
        .blogs
        .get(&ctx.language)
        .or_else(|| s.blogs.values().next())
        .cloned()
        .unwrap_or_else(|| "/blog/".into());
    let _ = writeln!(y, "  blog: {}", quote(&default_blog));
    default_blog
}

/// Where gazette's list of a taxonomy's values goes: `wanted`, unless a page of the site is
/// there (a Jekyll site's own `/tags/` page): then `/tags-list/`, outside the values' pages.
pub(super) fn free_list_path(ctx: &Ctx, wanted: &str) -> String {
    let taken = |url: &str| ctx.page_files.contains_key(&super::urls::served_file(url));
    if !taken(wanted) {
        return wanted.to_string();
    }
    let folder = wanted.trim_end_matches('/');
    let other = format!("{}-list/", if folder.is_empty() { "/tags" } else { folder });
    if taken(&other) {
        format!("{}-gazette/", other.trim_end_matches('/'))
    } else {
        other
    }
}

/// The `languages:` block, when language folders hold another language than the site's.
fn write_languages(ctx: &mut Ctx, y: &mut String, default_blog: &str) {
    use config::quote;
    let other_langs: Vec<(String, String)> = ctx
        .lang_folders
        .iter()
        .filter(|(_, lang)| **lang != ctx.language)
        .map(|(f, l)| (f.clone(), l.clone()))
        .collect();
    if other_langs.is_empty() {
        return;
    }
    let _ = writeln!(
        y,
        "\n# Languages: files under a language's folder are in that language; its posts, blog and tags live under its prefix.\nlanguages:\n  {}: {{}}",
        ctx.language
    );
    for (folder, lang) in &other_langs {
        let _ = writeln!(y, "  {lang}:\n    prefix: {}", quote(&format!("/{folder}")));
        if let Some(url) = ctx.site_yml.blogs.get(lang)
            && *url != format!("/{folder}{default_blog}")
        {
            ctx.report.notes.push(crate::msg!("the {lang} blog listing was at {url}; gazette puts it at /{folder}{default_blog} (a redirect page is written)", lang, url, folder, default_blog));
        }
    }
}

/// Pagination, feeds, collections, defaults and the other keys of _config.yml.
fn write_content_keys(ctx: &Ctx, y: &mut String) {
    use config::quote;
    let (c, s) = (&ctx.config, &ctx.site_yml);
    let _ = writeln!(
        y,
        "\npagination:\n  size: {}\n  path: {}",
        c.per_page.unwrap_or(10),
        quote(&c.paginate_path)
    );
    if c.oldest_first {
        let _ = writeln!(
            y,
            "  oldest_first: true  # jekyll-paginate-v2 listed the oldest posts first (no sort_reverse)"
        );
    }
    // jekyll-feed's Atom feed at its `feed.path`; gazette's RSS feed stays at feed.xml.
    let atom = if c.feed_path == "feed.xml" {
        "atom.xml"
    } else {
        c.feed_path.as_str()
    };
    let _ = writeln!(y, "\nfeed:\n  rss: \"feed.xml\"\n  atom: {}", quote(atom));
    // Hidden files Jekyll published because `include` names them: gazette publishes them too.
    let hidden: Vec<String> = c
        .include
        .iter()
        .map(|i| i.trim_matches('/').to_string())
        .filter(|i| i.split('/').any(|part| part.starts_with('.')))
        .map(|i| quote(&i))
        .collect();
    if !hidden.is_empty() {
        let _ = writeln!(y, "\ninclude: [{}]", hidden.join(", "));
    }
    y.push_str(&s.archives);
    if !s.collections.is_empty() {
        let _ = writeln!(
            y,
            "\n# Inferred from _data and the collection folders: check `body_key` and `references`.\ncollections:\n{}",
            s.collections
        );
    }
    if !s.defaults.is_empty() {
        let _ = writeln!(
            y,
            "\n# Jekyll's `defaults`, most specific first (the first rule that sets a key wins).\ndefaults:"
        );
        for (path, values) in &s.defaults {
            let _ = writeln!(
                y,
                "  - path: {}\n    values: {}",
                quote(path),
                Value::Object(values.clone())
            );
        }
    }
    if !c.extra.is_empty() {
        let _ = writeln!(
            y,
            "\n# Other keys of _config.yml, for templates (`site.extra.<key>`).\nextra: {}",
            Value::Object(c.extra.clone())
        );
    }
}
