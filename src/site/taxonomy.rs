//! Tags: one per spelling-folded name and language, with their posts.

use crate::markdown::{self};
use crate::site::Post;
use crate::source::config::Config;
use crate::text::url;
use std::collections::{BTreeMap, HashMap};

/// A tag and its posts.
#[derive(Debug, Clone)]
pub(crate) struct Tag {
    /// Display name (the first spelling met).
    pub name: String,
    /// URL slug, accents folded.
    pub slug: String,
    /// Path of its first page.
    pub url: String,
    /// The language of its posts: each language has its own tags.
    pub lang: String,
    /// Indices into `Site::posts`, newest first.
    pub posts: Vec<usize>,
}

pub(crate) fn build_tags(posts: &[Post], config: &Config) -> Vec<Tag> {
    let mut by_slug: BTreeMap<(String, String), Tag> = BTreeMap::new();
    // A tag name's slug, computed once per spelling.
    let mut slugs: HashMap<&str, String> = HashMap::new();
    // Oldest first, so a tag's display name is the spelling of the first post that used it.
    for (index, post) in posts.iter().enumerate().rev() {
        for name in &post.tags {
            let slug = slugs
                .entry(name.as_str())
                .or_insert_with(|| {
                    let slug = markdown::slugify(name);
                    if slug.is_empty() {
                        "tag".to_string()
                    } else {
                        slug
                    }
                })
                .clone();
            let tag = by_slug
                .entry((post.lang.clone(), slug.clone()))
                .or_insert_with(|| Tag {
                    name: name.clone(),
                    url: config.lang_prefix(&post.lang)
                        + &url::expand(&config.permalinks.tag, &[("slug", &slug)]),
                    lang: post.lang.clone(),
                    slug,
                    posts: Vec::new(),
                });
            if tag.posts.last() != Some(&index) {
                tag.posts.push(index);
            }
        }
    }
    let mut tags: Vec<Tag> = by_slug.into_values().collect();
    for tag in &mut tags {
        tag.posts.reverse();
    }
    tags
}
