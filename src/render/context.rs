//! The values templates see: the site, a page, a post, a record, a tag, built from the model.

use crate::markdown;
use crate::render::feed;
use crate::site::{Page, Post, Record, RenderedBody, Site};
use crate::text::{dates, url};
use std::collections::BTreeMap;
use tera::Value;

/// One language's share of the site.
pub(crate) struct Language {
    pub(crate) code: String,
    pub(crate) prefix: String,
    pub(crate) home_url: String,
    /// Indices into `Site::posts`, newest first.
    pub(crate) posts: Vec<usize>,
    /// `site` as seen from this language.
    pub(crate) site: Value,
}

/// Template values built once per build and shared by every page (tera values are reference counted).
pub(crate) struct Shared {
    pub(crate) languages: Vec<Language>,
    /// Post cards, computed only for the posts the rendered listings show.
    pub(crate) post_cards: Vec<Option<Value>>,
    pub(crate) records: Vec<Vec<Value>>,
}

impl Shared {
    pub(crate) fn card(&self, i: usize) -> Value {
        self.post_cards
            .get(i)
            .cloned()
            .flatten()
            .unwrap_or_else(Value::none)
    }
}

pub(crate) fn body_fields(
    map: &mut BTreeMap<&'static str, Value>,
    body: &RenderedBody,
    with_content: bool,
) {
    if with_content {
        map.insert("content", Value::safe_string(&body.html));
    }
    map.insert("summary", Value::safe_string(&body.summary));
    map.insert("word_count", Value::from(body.word_count));
    map.insert("reading_time", Value::from(body.reading_time));
    map.insert("toc", Value::from_serializable(&body.toc));
}

pub(crate) fn tag_list(site: &Site, lang: &str, names: &[String]) -> Value {
    let items: Vec<Value> = names
        .iter()
        .map(|name| {
            let slug = markdown::slugify(name);
            // `site.tags` is sorted by language then slug: a binary search keeps posts with many
            // tags on sites with many tags linear (a scan here took minutes for 100,000 tags).
            let found = site
                .tags
                .binary_search_by(|t| {
                    (t.lang.as_str(), t.slug.as_str()).cmp(&(lang, slug.as_str()))
                })
                .ok()
                .and_then(|i| site.tags.get(i))
                .or_else(|| site.tags.iter().find(|t| t.slug == slug && t.lang == lang));
            let url = found.map(|t| t.url.clone()).unwrap_or_default();
            let mut m = BTreeMap::new();
            m.insert("name", Value::from(name.as_str()));
            m.insert("slug", Value::from(slug));
            m.insert("url", Value::from(url));
            Value::from(m)
        })
        .collect();
    Value::from(items)
}

pub(crate) fn post_value(site: &Site, index: usize, post: &Post, with_content: bool) -> Value {
    let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
    m.insert("kind", Value::from("post"));
    m.insert("title", Value::from(post.title.as_str()));
    m.insert("url", Value::from(post.url.as_str()));
    m.insert(
        "permalink",
        Value::from(url::absolute(site.config.base(), &post.url)),
    );
    m.insert(
        "date",
        Value::from(post.date.format("%Y-%m-%d").to_string()),
    );
    m.insert("datetime", Value::from(dates::rfc3339(post.date)));
    m.insert("author", Value::from(post.author.as_str()));
    m.insert("description", Value::from(post.description.as_str()));
    m.insert("image", Value::from(post.image.as_str()));
    m.insert("twitter", Value::from(post.twitter.as_str()));
    m.insert("lang", Value::from(post.lang.as_str()));
    m.insert("slug", Value::from(post.slug.as_str()));
    m.insert("draft", Value::from(post.draft));
    m.insert("tags", tag_list(site, &post.lang, &post.tags));
    m.insert("extra", Value::from_serializable(&post.extra));
    m.insert(
        "translations",
        translations(site, post.translation_key.as_deref(), &post.lang),
    );
    body_fields(&mut m, &post.body, with_content);
    if with_content {
        // Posts are newest first: the previous (older) post is the next index.
        let neighbour = |i: Option<usize>| -> Value {
            match i.and_then(|i| site.posts.get(i)) {
                Some(p) => {
                    let mut n = BTreeMap::new();
                    n.insert("title", Value::from(p.title.as_str()));
                    n.insert("url", Value::from(p.url.as_str()));
                    Value::from(n)
                }
                None => Value::none(),
            }
        };
        m.insert("previous", neighbour(index.checked_add(1)));
        m.insert("next", neighbour(index.checked_sub(1)));
    }
    Value::from(m)
}

pub(crate) fn translations(site: &Site, key: Option<&str>, own_lang: &str) -> Value {
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    if let Some(key) = key {
        let posts = site
            .posts
            .iter()
            .filter(|p| p.translation_key.as_deref() == Some(key))
            .map(|p| (&p.lang, &p.url));
        let pages = site
            .pages
            .iter()
            .filter(|p| p.translation_key.as_deref() == Some(key))
            .map(|p| (&p.lang, &p.url));
        for (lang, url) in posts.chain(pages) {
            if lang != own_lang {
                out.insert(lang.clone(), Value::from(url.as_str()));
            }
        }
    }
    Value::from(out)
}

pub(crate) fn page_value(site: &Site, page: &Page) -> Value {
    page_value_with(site, page, &page.body)
}

pub(crate) fn page_value_with(site: &Site, page: &Page, body: &RenderedBody) -> Value {
    let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
    m.insert("kind", Value::from("page"));
    m.insert("title", Value::from(page.title.as_str()));
    m.insert("url", Value::from(page.url.as_str()));
    m.insert(
        "permalink",
        Value::from(url::absolute(site.config.base(), &page.url)),
    );
    m.insert("description", Value::from(page.description.as_str()));
    m.insert("image", Value::from(page.image.as_str()));
    m.insert("lang", Value::from(page.lang.as_str()));
    m.insert("tags", Value::from(Vec::<Value>::new()));
    m.insert("extra", Value::from_serializable(&page.extra));
    m.insert(
        "translations",
        translations(site, page.translation_key.as_deref(), &page.lang),
    );
    body_fields(&mut m, body, true);
    Value::from(m)
}

pub(crate) fn record_value(site: &Site, collection: usize, record: &Record) -> Value {
    let name = &site.collections[collection].name;
    let link = |&(c, r): &(usize, usize)| -> Value {
        let target = &site.collections[c].records[r];
        let mut m = BTreeMap::new();
        m.insert("key", Value::from(target.key.as_str()));
        m.insert("title", Value::from(target.title.as_str()));
        m.insert("url", Value::from(target.url.as_str()));
        m.insert("fields", Value::from_serializable(&target.fields));
        Value::from(m)
    };
    let group = |groups: &BTreeMap<String, Vec<(usize, usize)>>| -> Value {
        let map: BTreeMap<String, Value> = groups
            .iter()
            .map(|(k, list)| {
                (
                    k.clone(),
                    Value::from(list.iter().map(link).collect::<Vec<_>>()),
                )
            })
            .collect();
        Value::from(map)
    };
    let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
    m.insert("key", Value::from(record.key.as_str()));
    m.insert("title", Value::from(record.title.as_str()));
    m.insert("url", Value::from(record.url.as_str()));
    m.insert(
        "permalink",
        Value::from(url::absolute(site.config.base(), &record.url)),
    );
    m.insert("collection", Value::from(name.as_str()));
    m.insert("slug", Value::from(record.slug.as_str()));
    m.insert("fields", Value::from_serializable(&record.fields));
    m.insert(
        "content",
        record
            .body
            .as_ref()
            .map_or_else(Value::none, |b| Value::safe_string(&b.html)),
    );
    m.insert("links", group(&record.links));
    m.insert("related", group(&record.related));
    Value::from(m)
}

/// `site` as templates see it in one language: the language's title, description, menu and
/// listing URLs, and the list of all languages for a switcher.
pub(crate) fn site_value(site: &Site, lang: &str) -> Value {
    let config = &site.config;
    let settings = config.languages.get(lang);
    let prefix = config.lang_prefix(lang);
    let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
    let title = settings
        .and_then(|l| l.title.as_deref())
        .unwrap_or(&config.title);
    let description = settings
        .and_then(|l| l.description.as_deref())
        .unwrap_or(&config.description);
    let menu = settings
        .and_then(|l| l.menu.as_ref())
        .unwrap_or(&config.menu);
    m.insert("title", Value::from(title));
    m.insert("description", Value::from(description));
    m.insert("lang_prefix", Value::from(prefix.as_str()));
    m.insert("home_url", Value::from(format!("{prefix}/")));
    let languages: Vec<Value> = config
        .language_codes()
        .iter()
        .map(|code| {
            let mut l = BTreeMap::new();
            let other = config.languages.get(code);
            l.insert("code", Value::from(code.as_str()));
            l.insert(
                "home_url",
                Value::from(format!("{}/", config.lang_prefix(code))),
            );
            l.insert(
                "title",
                Value::from(
                    other
                        .and_then(|o| o.title.as_deref())
                        .unwrap_or(&config.title),
                ),
            );
            Value::from(l)
        })
        .collect();
    m.insert("languages", Value::from(languages));
    m.insert("base_url", Value::from(config.base()));
    m.insert("language", Value::from(config.language.as_str()));
    m.insert("author", Value::from(config.author.as_str()));
    m.insert("twitter", Value::from(config.twitter.as_str()));
    m.insert("menu", Value::from_serializable(menu));
    let footer_menu = settings
        .and_then(|l| l.footer_menu.as_ref())
        .unwrap_or(&config.footer_menu);
    m.insert("footer_menu", Value::from_serializable(footer_menu));
    m.insert("extra", Value::from_serializable(&config.extra));
    m.insert("home_posts", Value::from(config.home_posts));
    m.insert(
        "blog_url",
        Value::from(prefix.clone() + &url::normalize_permalink(&config.permalinks.blog)),
    );
    m.insert(
        "tags_url",
        Value::from(prefix.clone() + &url::normalize_permalink(&config.permalinks.tags)),
    );
    m.insert(
        "feed_url",
        Value::from(format!("{prefix}/{}", config.feed.rss)),
    );
    m.insert(
        "atom_url",
        Value::from(format!("{prefix}/{}", config.feed.atom)),
    );
    Value::from(m)
}

/// The site's languages, the default one first, with their posts.
pub(crate) fn languages(site: &Site) -> Vec<Language> {
    site.config
        .language_codes()
        .into_iter()
        .map(|code| {
            let prefix = site.config.lang_prefix(&code);
            Language {
                posts: site
                    .posts
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.lang == code)
                    .map(|(i, _)| i)
                    .collect(),
                site: site_value(site, &code),
                home_url: format!("{prefix}/"),
                prefix,
                code,
            }
        })
        .collect()
}

pub(crate) fn tag_value(site: &Site, t: usize) -> Value {
    let tag = &site.tags[t];
    let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
    m.insert("name", Value::from(tag.name.as_str()));
    m.insert("slug", Value::from(tag.slug.as_str()));
    m.insert("url", Value::from(tag.url.as_str()));
    m.insert("count", Value::from(tag.posts.len()));
    m.insert(
        "feed_url",
        Value::from(feed::tag_feed_url(&tag.url, &site.config.feed.rss)),
    );
    Value::from(m)
}
