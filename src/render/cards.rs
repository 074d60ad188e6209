//! Post cards: a post as an item of a listing shows it (`posts`, `paginator.items`, `all_posts`,
//! `posts_by_tag`). A site keeps a card for every post its listings show while they render, and
//! a site of many posts makes them again for each batch of listings, so cards are made directly
//! (not through serde, whose maps name every key with an allocation of its own) and compact:
//! their keys are static names, what many cards hold alike is one value they share (a tag's link,
//! an author, an empty list or map), a front-matter key read directly shares its value with
//! `extra`, and `toc` is filled only when a template names it (a post's headings, as template
//! values, were half of a card's memory on a 10,000-post site). They hold what
//! [`Contexts::post`] gives a card, key for key and in the same order (tested below).

use crate::render::context::{Contexts, PAGE_KEYS, to_value};
use crate::site::Site;
use crate::text::{dates, url};
use std::collections::HashMap;
use tera::Value;
use tera::value::Key;

/// Makes the cards of one site, with what many cards share made once.
pub(crate) struct CardMaker<'a> {
    site: &'a Site,
    /// Each tag's link, by language and name as written.
    tag_links: HashMap<(&'a str, &'a str), Value>,
    /// `authors` of each post, by the posts' language, authors and their records.
    authors: HashMap<AuthorsKey<'a>, Value>,
    /// True when some template names `toc`: cards then carry their post's headings.
    toc: bool,
    empty_map: Value,
    empty_list: Value,
}

/// What a post's `authors` depends on: its language, its authors' names and their records.
type AuthorsKey<'a> = (&'a str, &'a [String], Option<&'a [Option<usize>]>);

impl<'a> CardMaker<'a> {
    pub(crate) fn new(site: &'a Site, contexts: &Contexts<'a>, toc: bool) -> CardMaker<'a> {
        let mut tag_links = HashMap::new();
        let mut authors = HashMap::new();
        for (i, post) in site.posts.iter().enumerate() {
            for name in &post.tags {
                tag_links
                    .entry((post.lang.as_str(), name.as_str()))
                    .or_insert_with(|| {
                        let link = contexts.tags(&post.lang, std::slice::from_ref(name));
                        link.first().map(to_value).unwrap_or_else(Value::none)
                    });
            }
            authors
                .entry(authors_key(site, i))
                .or_insert_with(|| to_value(&crate::render::browse_context::authors(site, i)));
        }
        CardMaker {
            site,
            tag_links,
            authors,
            toc,
            empty_map: Value::from(tera::Map::new()),
            empty_list: Value::from(Vec::<Value>::new()),
        }
    }

    /// The card of post `index`.
    pub(crate) fn card(&self, contexts: &Contexts<'a>, index: usize) -> Value {
        let site = self.site;
        let post = &site.posts[index];
        let body = &post.body;
        let extra = if post.extra.is_empty() {
            self.empty_map.clone()
        } else {
            to_value(&post.extra)
        };
        let mut card = tera::Map::with_capacity(PAGE_KEYS.len() + post.extra.len());
        let mut put = |key: &'static str, value: Value| card.insert(Key::Str(key), value);
        put("kind", Value::from("post"));
        put("title", Value::from(post.title.as_str()));
        put("url", Value::from(post.url.as_str()));
        put(
            "permalink",
            Value::from(url::absolute(site.config.base(), &post.url)),
        );
        put("date", Value::from(dates::iso_day(post.date)));
        put("datetime", Value::from(dates::rfc3339(post.date)));
        put("author", Value::from(post.author.as_str()));
        put("description", Value::from(post.description.as_str()));
        put("image", Value::from(post.image.as_str()));
        put("twitter", Value::from(post.twitter.as_str()));
        put("lang", Value::from(post.lang.as_str()));
        put("slug", Value::from(post.slug.as_str()));
        put("draft", Value::from(post.draft));
        let tags = (post.tags.iter()).map(|tag| self.tag_link(&post.lang, tag));
        put("tags", Value::from(tags.collect::<Vec<_>>()));
        put("extra", extra.clone());
        // A front-matter key read directly: the value `extra` holds, not a copy of it.
        for (key, value) in extra.as_map().into_iter().flatten() {
            if !PAGE_KEYS.contains(&key.as_str().unwrap_or_default()) {
                card.insert(key.clone(), value.clone());
            }
        }
        let mut put = |key: &'static str, value: Value| card.insert(Key::Str(key), value);
        let translations = contexts.post_translations(index);
        put(
            "translations",
            if translations.is_empty() {
                self.empty_map.clone()
            } else {
                to_value(&translations)
            },
        );
        put("summary", Value::safe_string(&body.summary));
        put("word_count", Value::from(body.word_count));
        put("reading_time", Value::from(body.reading_time));
        put(
            "toc",
            if self.toc && !body.toc.is_empty() {
                to_value(&body.toc)
            } else {
                self.empty_list.clone()
            },
        );
        let authors = self.authors.get(&authors_key(site, index)).cloned();
        put(
            "authors",
            authors.unwrap_or_else(|| self.empty_list.clone()),
        );
        put(
            "taxonomies",
            if post.taxonomies.is_empty() {
                self.empty_map.clone()
            } else {
                to_value(&crate::render::browse_context::of_post(site, index))
            },
        );
        Value::from(card)
    }

    fn tag_link(&self, lang: &str, name: &str) -> Value {
        self.tag_links
            .get(&(lang, name))
            .cloned()
            .unwrap_or_else(Value::none)
    }
}

/// What `authors` of post `i` depends on.
fn authors_key(site: &Site, i: usize) -> AuthorsKey<'_> {
    let post = &site.posts[i];
    let records = site.authors.of_post.get(i).map(Vec::as_slice);
    (post.lang.as_str(), post.authors.as_slice(), records)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// On a site of posts with tags shared and not, an author, headings and front-matter keys of
    /// their own, a compact card holds what the post's context holds, headings left empty only
    /// when asked.
    #[test]
    fn compact_cards_hold_what_the_post_context_holds() {
        let root = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = root.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "site.yml",
            "title: T\nbase_url: https://t.example\nlanguage: fr\n\
             taxonomies:\n  categories: { permalink: \"/categorie/:slug/\" }\n",
        );
        write(
            "content/posts/2024-01-01-un.md",
            "---\ntitle: Un\nauthor: Ada\ntags: [a, b]\nsection_id: 3\nbadges: [x, y]\n\
             categories: [Guides]\n---\n# Un\n\n## Deux\n\ntexte\n",
        );
        write(
            "content/posts/2024-01-02-deux.md",
            "---\ntitle: Deux\ntags: [b, c]\n---\n## Trois\n",
        );
        let (site, problems) = crate::site::load(root.path(), &Default::default());
        let site = site.unwrap_or_else(|| panic!("the site loads: {problems:?}"));
        let contexts = Contexts::new(&site);
        let with_toc = CardMaker::new(&site, &contexts, true);
        let without_toc = CardMaker::new(&site, &contexts, false);
        let mut read_directly = 0;
        for i in 0..site.posts.len() {
            let expected = to_value(&contexts.post(i, false));
            let made = with_toc.card(&contexts, i);
            assert_eq!(made, expected, "post {i}");
            let keys = |v: &Value| -> Vec<String> {
                (v.as_map().unwrap().keys())
                    .map(|k| k.as_str().unwrap_or_default().to_string())
                    .collect()
            };
            assert_eq!(keys(&made), keys(&expected), "post {i}: the keys' order");
            let card = without_toc.card(&contexts, i);
            let toc = card.get_from_path("toc").and_then(Value::as_array);
            assert_eq!(toc.map(<[Value]>::len), Some(0), "post {i}");
            let (mut card, mut expected) = (card.into_map().unwrap(), expected.into_map().unwrap());
            card.shift_remove(&Key::Str("toc"));
            expected.shift_remove(&Key::Str("toc"));
            assert_eq!(card, expected, "post {i}");
            read_directly += card
                .keys()
                .filter(|k| !PAGE_KEYS.contains(&k.as_str().unwrap_or_default()))
                .count();
        }
        assert!(site.posts.iter().all(|p| !p.body.toc.is_empty()));
        assert_eq!(read_directly, 3, "section_id, badges and categories");
    }

    /// On the demo site (two languages, translations, authors who are records of the people
    /// collection), every card holds what the post's context holds, key for key, in order.
    #[test]
    fn the_demo_sites_cards_hold_what_the_post_contexts_hold() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, problems) = crate::site::load(root, &Default::default());
        let site = site.unwrap_or_else(|| panic!("the demo loads: {problems:?}"));
        let contexts = Contexts::new(&site);
        let maker = CardMaker::new(&site, &contexts, true);
        let keys = |v: &Value| -> Vec<String> {
            (v.as_map().unwrap().keys())
                .map(|k| k.as_str().unwrap_or_default().to_string())
                .collect()
        };
        let mut with_records = 0;
        for i in 0..site.posts.len() {
            let (made, expected) = (maker.card(&contexts, i), to_value(&contexts.post(i, false)));
            assert_eq!(made, expected, "{}", site.posts[i].file.display());
            assert_eq!(keys(&made), keys(&expected));
            let url = made.get_from_path("authors.0.url");
            with_records +=
                usize::from(url.and_then(|u| u.as_str()).is_some_and(|u| !u.is_empty()));
        }
        assert!(with_records > 0, "some authors are records");
        assert!(site.posts.iter().any(|p| p.translation_key.is_some()));
    }

    /// The preview's first batch waits only for its own cards, the others being made after it:
    /// every page is the same as when all cards are made first (basic: listings, tags, feeds).
    #[test]
    fn cards_made_after_the_first_batch_give_the_same_pages() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let (site, problems) = crate::site::load(&root, &Default::default());
        let site = site.unwrap_or_else(|| panic!("the site loads: {problems:?}"));
        let render = |first: usize| {
            let mut templates = crate::render::Templates::load(&site).unwrap();
            assert!(
                !templates.reads_all_posts,
                "the cards are made after the first batch"
            );
            // The home page first, as the preview makes it: a listing whose cards come first.
            let mut jobs = crate::site::plan::jobs(&site);
            let home = jobs
                .iter()
                .position(|j| matches!(j, crate::site::plan::Job::Home(_)));
            jobs.swap(0, home.unwrap());
            assert!(!crate::site::plan::job_posts(&site, &jobs[0]).is_empty());
            let mut pages = Vec::new();
            crate::render::render_in_batches(
                &site,
                &mut templates,
                &jobs,
                &mut crate::render::Kept::default(),
                crate::render::Batches { first, size: 4 },
                |batch, problems| {
                    assert!(problems.is_empty(), "{problems:?}");
                    pages.extend(
                        batch
                            .into_iter()
                            .map(|(_, o)| (o.path, format!("{:?}", o.body))),
                    );
                },
            );
            pages.sort();
            pages
        };
        let all_first = render(0);
        assert!(all_first.len() > 20, "{} pages", all_first.len());
        for first in [1, 3] {
            assert_eq!(render(first), all_first, "first batch of {first}");
        }
    }
}
