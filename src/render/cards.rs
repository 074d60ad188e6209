//! Post cards: a post as an item of a listing shows it (`posts`, `paginator.items`, `all_posts`,
//! `posts_by_tag`). A site keeps a card for every post its listings show while they render, so
//! cards are made compact: their keys are static names (not one allocation per key and card),
//! the links of a tag are one value every card with that tag shares, a front-matter key read
//! directly shares its value with `extra`, and `toc` is filled only when a template names it
//! (a post's headings, as template values, were half of a card's memory on a 10,000-post site).

use crate::render::context::{Contexts, PAGE_KEYS, to_value};
use crate::site::Site;
use std::collections::HashMap;
use tera::Value;
use tera::value::Key;

/// Makes the cards of one site, with what many cards share made once.
pub(crate) struct CardMaker<'a> {
    site: &'a Site,
    /// Each tag's link, by language and name as written.
    tag_links: HashMap<(&'a str, &'a str), Value>,
    /// True when some template names `toc`: cards then carry their post's headings.
    toc: bool,
}

impl<'a> CardMaker<'a> {
    pub(crate) fn new(site: &'a Site, contexts: &Contexts<'a>, toc: bool) -> CardMaker<'a> {
        let mut tag_links = HashMap::new();
        for post in &site.posts {
            for name in &post.tags {
                tag_links
                    .entry((post.lang.as_str(), name.as_str()))
                    .or_insert_with(|| {
                        let link = contexts.tags(&post.lang, std::slice::from_ref(name));
                        link.first().map(to_value).unwrap_or_else(Value::none)
                    });
            }
        }
        CardMaker {
            site,
            tag_links,
            toc,
        }
    }

    /// The card of post `index`.
    pub(crate) fn card(&self, contexts: &Contexts<'a>, index: usize) -> Value {
        let post = &self.site.posts[index];
        let value = to_value(&contexts.card_context(index, self.toc));
        let Some(made) = value.into_map() else {
            return Value::none();
        };
        // A reference to `extra` (tera maps are reference counted), not a copy of it.
        let extra = made.get(&Key::Str("extra")).cloned();
        let extra = extra.as_ref().and_then(Value::as_map);
        let mut card = tera::Map::with_capacity(made.len());
        for (key, value) in made {
            let name = key.as_str().unwrap_or_default();
            let (key, value) = match PAGE_KEYS.iter().find(|k| **k == name) {
                Some(&"tags") => (
                    Key::Str("tags"),
                    Value::from(
                        post.tags
                            .iter()
                            .map(|tag| self.tag_link(&post.lang, tag))
                            .collect::<Vec<_>>(),
                    ),
                ),
                Some(known) => (Key::Str(known), value),
                // A front-matter key read directly: the value `extra` holds, not a copy of it.
                None => {
                    let shared = extra.and_then(|extra| extra.get(&key)).cloned();
                    (key, shared.unwrap_or(value))
                }
            };
            card.insert(key, value);
        }
        Value::from(card)
    }

    fn tag_link(&self, lang: &str, name: &str) -> Value {
        self.tag_links
            .get(&(lang, name))
            .cloned()
            .unwrap_or_else(Value::none)
    }
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
            "title: T\nbase_url: https://t.example\nlanguage: fr\n",
        );
        write(
            "content/posts/2024-01-01-un.md",
            "---\ntitle: Un\nauthor: Ada\ntags: [a, b]\nsection_id: 3\nbadges: [x, y]\n---\n\
             # Un\n\n## Deux\n\ntexte\n",
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
            assert_eq!(with_toc.card(&contexts, i), expected, "post {i}");
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
        assert_eq!(read_directly, 2, "section_id and badges");
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
