//! What the index holds: each post, page and record of one language as a document, with the
//! text of each part and its weight.

use crate::site::Site;
use crate::site::plan;

/// One result of a search: a post, a page or a record's page.
pub(crate) struct Document {
    /// Its address, under the site's base path.
    pub(crate) url: String,
    pub(crate) title: String,
    /// `post`, `page`, or the collection's name.
    pub(crate) kind: String,
    /// `YYYY-MM-DD` for posts, empty otherwise.
    pub(crate) date: String,
    /// A sentence shown under the title.
    pub(crate) excerpt: String,
    /// The tag names shown, and their slugs (the filters).
    pub(crate) tags: Vec<(String, String)>,
    /// Other names of its tags that find it (the names written in another language).
    pub(crate) tag_aliases: Vec<String>,
    /// The plain text of its body and fields.
    pub(crate) body: String,
    /// Its description.
    pub(crate) description: String,
}

/// Every document of the `l`-th language `lang`: posts (newest first), pages, then records.
pub(crate) fn of_language(site: &Site, l: usize, lang: &str) -> Vec<Document> {
    let base = site.config.base_path();
    let mut docs = Vec::new();
    let aliases = tag_aliases(site, lang);
    for &i in site.posts_by_language.get(l).into_iter().flatten() {
        let post = &site.posts[i];
        let tags: Vec<(String, String)> = post
            .tags
            .iter()
            .map(|t| (t.clone(), crate::site::tag_slug(t)))
            .collect();
        // Other names that find it as a tag does: the tags' names in another language, and the
        // values of the other taxonomies (categories).
        let tag_aliases = (tags.iter())
            .flat_map(|(name, _)| aliases.get(name.as_str()).into_iter().flatten())
            .chain(post.taxonomies.values().flatten())
            .cloned()
            .collect();
        docs.push(Document {
            url: format!("{base}{}", post.url),
            title: post.title.clone(),
            kind: "post".into(),
            date: crate::text::dates::iso_day(post.date),
            excerpt: excerpt(&post.description, &post.body.summary),
            tags,
            tag_aliases,
            body: plain_text(&post.body.full_html()),
            description: post.description.clone(),
        });
    }
    for page in site.pages.iter().filter(|p| p.lang == lang) {
        if page.is_blog_listing()
            || page.extra.get("search").and_then(|v| v.as_bool()) == Some(false)
        {
            continue;
        }
        docs.push(Document {
            url: format!("{base}{}", page.url),
            title: page.title.clone(),
            kind: "page".into(),
            date: String::new(),
            excerpt: excerpt(&page.description, &page.body.summary),
            tags: Vec::new(),
            tag_aliases: Vec::new(),
            body: plain_text(&page.body.html),
            description: page.description.clone(),
        });
    }
    for (c, collection) in site.collections.iter().enumerate() {
        if !collection.config.has_language(lang) {
            continue;
        }
        for (r, record) in collection.records.iter().enumerate() {
            if record.url.is_empty() {
                continue;
            }
            let field = |name: &str| -> Option<&str> {
                let localized = (l > 0)
                    .then(|| record.fields.get(&format!("{name}_{lang}")))
                    .flatten();
                localized.or_else(|| record.fields.get(name))?.as_str()
            };
            let mut body = String::new();
            for (key, value) in &record.fields {
                if key
                    .rsplit_once('_')
                    .is_some_and(|(_, code)| site.config.has_language(code))
                {
                    continue;
                }
                if let Some(text) = field(key).filter(|t| !t.contains("://") && !t.starts_with('/'))
                {
                    body.push_str(text);
                    body.push('\n');
                }
                let _ = value;
            }
            let html = match record.other_bodies.get(lang) {
                Some((b, _)) if l > 0 => Some(&b.html),
                _ => record.body.as_ref().map(|b| &b.html),
            };
            if let Some(html) = html {
                body.push_str(&plain_text(html));
            }
            let description = ["description", "bio", "title", "role"]
                .iter()
                .find_map(|k| field(k))
                .unwrap_or_default()
                .to_string();
            let title = (l > 0)
                .then(|| {
                    record
                        .fields
                        .get(&format!("title_{lang}"))
                        .and_then(|v| v.as_str())
                })
                .flatten()
                .unwrap_or(&record.title);
            docs.push(Document {
                url: format!("{base}{}", plan::record_url(site, c, r, l)),
                title: title.to_string(),
                kind: collection.name.clone(),
                date: String::new(),
                excerpt: excerpt(&description, ""),
                tags: Vec::new(),
                tag_aliases: Vec::new(),
                body,
                description,
            });
        }
    }
    docs
}

/// Tag name in `lang` → the names written in posts that site.yml translates to it
/// (`languages.en.tags: {développement: development}`): an English search for "développement"
/// finds the posts tagged "development".
fn tag_aliases<'a>(site: &'a Site, lang: &str) -> std::collections::HashMap<&'a str, Vec<String>> {
    let mut aliases: std::collections::HashMap<&str, Vec<String>> = Default::default();
    if let Some(language) = site.config.languages.get(lang) {
        for (written, translated) in &language.tags {
            aliases
                .entry(translated.as_str())
                .or_default()
                .push(written.clone());
        }
    }
    aliases
}

/// The sentence under a result: the description, else the start of the summary, at most about
/// 200 characters.
fn excerpt(description: &str, summary_html: &str) -> String {
    let text = if description.trim().is_empty() {
        plain_text(summary_html)
    } else {
        description.to_string()
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= 200 {
        return text;
    }
    let cut: String = text.chars().take(200).collect();
    match cut.rfind(' ') {
        Some(space) => format!("{}…", &cut[..space]),
        None => format!("{cut}…"),
    }
}

/// The text of `html`: tags left out, the common character references read.
pub(crate) fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_text(&rest[..open], &mut out);
        out.push(' ');
        rest = match rest[open..].find('>') {
            Some(close) => &rest[open + close + 1..],
            None => "",
        };
    }
    push_text(rest, &mut out);
    out
}

fn push_text(text: &str, out: &mut String) {
    if !text.contains('&') {
        out.push_str(text);
        return;
    }
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let end = after.find(';').filter(|&e| e <= 10);
        let (replacement, used) = match end.map(|e| &after[..=e]) {
            Some("&amp;") => ("&", 5),
            Some("&lt;") => ("<", 4),
            Some("&gt;") => (">", 4),
            Some("&quot;") => ("\"", 6),
            Some("&#39;" | "&#x27;") => ("'", end.map_or(1, |e| e + 1)),
            Some("&nbsp;") => (" ", 6),
            Some(other) => (" ", other.len()),
            None => ("&", 1),
        };
        out.push_str(replacement);
        rest = &after[used..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            plain_text("<p>Données &amp; <em>accès</em></p>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["Données", "&", "accès"]
        );
    }
}
