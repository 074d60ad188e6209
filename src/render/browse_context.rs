//! The values of browsing a post's neighbourhood: its authors' cards (`page.authors`), its
//! related posts (`page.related`), an author's posts (`record.posts`), and an archive page.

use crate::site::{Site, plan};
use serde::Serialize;
use std::borrow::Cow;

/// Front-matter or YAML fields as written.
type Fields = serde_json::Map<String, serde_json::Value>;

/// An author of a post: `page.authors[]`. `url` is empty and `fields` empty when the name is
/// no record of the authors' collection (it is shown as text).
#[derive(Serialize)]
pub(crate) struct AuthorCard<'a> {
    name: &'a str,
    key: &'a str,
    url: &'a str,
    title: &'a str,
    fields: Cow<'a, Fields>,
}

/// A post in a list of links: `page.related[]`, `record.posts[]`.
#[derive(Serialize)]
pub(crate) struct PostItem<'a> {
    title: &'a str,
    url: &'a str,
    date: String,
    lang: &'a str,
}

static NO_FIELDS: std::sync::LazyLock<Fields> = std::sync::LazyLock::new(Fields::new);

/// The authors of post `i`, their records' pages in the post's language.
pub(crate) fn authors(site: &Site, i: usize) -> Vec<AuthorCard<'_>> {
    let post = &site.posts[i];
    let l = site
        .config
        .language_codes()
        .iter()
        .position(|c| *c == post.lang)
        .unwrap_or(0);
    let resolved = site.authors.of_post.get(i);
    post.authors
        .iter()
        .enumerate()
        .map(|(n, name)| {
            let record = resolved
                .and_then(|list| list.get(n).copied().flatten())
                .zip(site.authors.collection)
                .map(|(r, c)| (c, r, &site.collections[c].records[r]));
            match record {
                Some((c, r, record)) => AuthorCard {
                    name: &record.key,
                    key: &record.key,
                    url: plan::record_url(site, c, r, l),
                    title: &record.title,
                    fields: localized(&record.fields, &post.lang, l == 0),
                },
                None => AuthorCard {
                    name,
                    key: "",
                    url: "",
                    title: name,
                    fields: Cow::Borrowed(&NO_FIELDS),
                },
            }
        })
        .collect()
}

/// `fields` with each `field_<lang>` in place of `field`.
fn localized<'a>(fields: &'a Fields, lang: &str, default: bool) -> Cow<'a, Fields> {
    if default {
        return Cow::Borrowed(fields);
    }
    let suffix = format!("_{lang}");
    let mut out = fields.clone();
    for (key, value) in fields {
        if let Some(field) = key.strip_suffix(&suffix) {
            out.insert(field.to_string(), value.clone());
        }
    }
    Cow::Owned(out)
}

/// A post as a link.
pub(crate) fn item(site: &Site, i: usize) -> PostItem<'_> {
    let post = &site.posts[i];
    PostItem {
        title: &post.title,
        url: &post.url,
        date: crate::text::dates::iso_day(post.date),
        lang: &post.lang,
    }
}

/// The related posts of post `i`.
pub(crate) fn related(site: &Site, i: usize) -> Vec<PostItem<'_>> {
    site.related
        .get(i)
        .into_iter()
        .flatten()
        .map(|&j| item(site, j))
        .collect()
}

/// The posts of record `r` of collection `c` when it is an author: those of language `lang`,
/// or all of them when none is.
pub(crate) fn posts_of_author<'a>(
    site: &'a Site,
    c: usize,
    r: usize,
    lang: &str,
) -> Vec<PostItem<'a>> {
    if site.authors.collection != Some(c) {
        return Vec::new();
    }
    let all = site.authors.posts_of.get(r).map_or(&[][..], Vec::as_slice);
    let in_lang: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| site.posts[i].lang == lang)
        .collect();
    let chosen = if in_lang.is_empty() {
        all.to_vec()
    } else {
        in_lang
    };
    chosen.into_iter().map(|i| item(site, i)).collect()
}

/// `archive` on an archive page: its year, month (0 for a year) and first page's path; and
/// `archives`, the years of its language (`{year, url, count}`), newest first.
#[derive(Serialize)]
pub(crate) struct ArchiveContext<'a> {
    year: i32,
    month: u32,
    /// The first day of the period, `YYYY-MM-DD` (for `date(format="month")`).
    date: String,
    url: &'a str,
    count: usize,
    lang: &'a str,
}

/// Archive `a` of the site.
pub(crate) fn archive(site: &Site, a: usize) -> ArchiveContext<'_> {
    let archive = &site.archives[a];
    ArchiveContext {
        year: archive.year,
        month: archive.month.unwrap_or(0),
        date: format!("{:04}-{:02}-01", archive.year, archive.month.unwrap_or(1)),
        url: &archive.url,
        count: archive.posts.len(),
        lang: &archive.lang,
    }
}

/// The year archives of language `lang`, newest first.
pub(crate) fn years<'a>(site: &'a Site, lang: &str) -> Vec<ArchiveContext<'a>> {
    (0..site.archives.len())
        .filter(|&a| site.archives[a].lang == lang && site.archives[a].month.is_none())
        .map(|a| archive(site, a))
        .collect()
}

/// A value of a taxonomy: `term` on its page, each item of `terms` and of `page.taxonomies.*`.
#[derive(Serialize)]
pub(crate) struct TermContext<'a> {
    taxonomy: &'a str,
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
    /// Empty when the taxonomy has no feeds.
    feed_url: String,
}

/// Value `t` of the site's taxonomies.
pub(crate) fn term(site: &Site, t: usize) -> TermContext<'_> {
    let term = &site.terms[t];
    let feeds = site
        .config
        .taxonomies
        .get(&term.taxonomy)
        .is_some_and(|s| s.feed);
    TermContext {
        taxonomy: &term.taxonomy,
        name: &term.name,
        slug: &term.slug,
        url: &term.url,
        count: term.posts.len(),
        feed_url: if feeds {
            crate::render::feed::tag_feed_url(&term.url, &site.config.feed.rss)
        } else {
            String::new()
        },
    }
}

/// `taxonomy` on a value's page or a taxonomy's list: `{name, url}` (the list in `lang`).
pub(crate) fn taxonomy(site: &Site, name: &str, lang: &str) -> serde_json::Value {
    let x = site
        .config
        .extra_taxonomies()
        .position(|(n, _)| n == name)
        .unwrap_or(0);
    serde_json::json!({ "name": name, "url": plan::terms_url(site, x, lang) })
}

/// `terms`: the values of taxonomy `name` in language `lang`, sorted by slug.
pub(crate) fn terms<'a>(site: &'a Site, name: &str, lang: &str) -> Vec<TermContext<'a>> {
    (0..site.terms.len())
        .filter(|&t| site.terms[t].taxonomy == name && site.terms[t].lang == lang)
        .map(|t| term(site, t))
        .collect()
}

/// `page.taxonomies`: taxonomy name → the values of post `i`, linked to their pages.
pub(crate) fn of_post(
    site: &Site,
    i: usize,
) -> std::collections::BTreeMap<&str, Vec<TermContext<'_>>> {
    let post = &site.posts[i];
    post.taxonomies
        .iter()
        .map(|(name, values)| {
            let linked = values
                .iter()
                .filter_map(|value| {
                    let slug = crate::site::tag_slug(value);
                    let key = (name.as_str(), post.lang.as_str(), slug.as_str());
                    site.terms
                        .binary_search_by(|t| {
                            (t.taxonomy.as_str(), t.lang.as_str(), t.slug.as_str()).cmp(&key)
                        })
                        .ok()
                })
                .map(|t| term(site, t))
                .collect();
            (name.as_str(), linked)
        })
        .collect()
}
