//! Tags: one per spelling-folded name and language, with their posts.

use crate::diagnostic::Rule;
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

/// The URL slug of a tag: its name with accents folded (`Données` → `donnees`). A name with no
/// letter or digit (`..`, an emoji) gets its characters' code points (`🚀` → `u1f680`), so that it
/// still has a page of its own and never merges with another tag.
pub(crate) fn tag_slug(name: &str) -> String {
    let slug = markdown::slugify(name);
    if !slug.is_empty() {
        return slug;
    }
    let points: Vec<String> = name
        .trim()
        .chars()
        .take(8)
        .map(|c| format!("u{:x}", c as u32))
        .collect();
    if points.is_empty() {
        "u0".to_string()
    } else {
        points.join("-")
    }
}

/// The tags of `posts`, one per slug and language, with a warning for each tag whose name has no
/// letter or digit to make its URL from.
pub(crate) fn build_tags(
    root: &std::path::Path,
    posts: &[Post],
    config: &Config,
    problems: &mut Vec<crate::diagnostic::Diagnostic>,
) -> Vec<Tag> {
    let mut by_slug: BTreeMap<(String, String), Tag> = BTreeMap::new();
    // A tag name's slug, computed once per spelling.
    let mut slugs: HashMap<&str, String> = HashMap::new();
    // Oldest first, so a tag's display name is the spelling of the first post that used it.
    for (index, post) in posts.iter().enumerate().rev() {
        for name in &post.tags {
            let slug = slugs
                .entry(name.as_str())
                .or_insert_with(|| {
                    let slug = tag_slug(name);
                    let url = url::expand(&config.permalinks.tag, &[("slug", &slug)]);
                    if let Err(message) = url::check_safe(&url) {
                        problems.push(
                            crate::diagnostic::Diagnostic::error(Rule::Tags, &post.file, message)
                                .at(line_of(&root.join(&post.file), name), 0)
                                .help(crate::msg!("shorten this tag: a tag is a word or two readers browse by")),
                        );
                    }
                    if markdown::slugify(name).is_empty() {
                        problems.push(
                            crate::diagnostic::Diagnostic::warning(
                                Rule::Tags,
                                &post.file,
                                crate::msg!("the tag `{name}` has no letter or digit to make its address from: its page is at {url}", name, url = url::expand(&config.permalinks.tag, &[("slug", &slug)])),
                            )
                            .help(crate::msg!("give the tag a name with letters, e.g. `fusée` rather than `🚀`")),
                        );
                    }
                    slug
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

/// The 1-based line of the first line of `file` that mentions `text` (0 when none does), to point
/// at a tag in a post's front matter.
fn line_of(file: &std::path::Path, text: &str) -> usize {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|t| t.lines().position(|l| l.contains(text)))
        .map_or(0, |i| i + 1)
}

/// A value of a taxonomy of site.yml (`categories: [Guides]`) and its posts, in one language.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    /// The taxonomy's name (the front-matter key).
    pub taxonomy: String,
    /// Display name (the first spelling met).
    pub name: String,
    /// URL slug, accents folded: spellings that fold alike are one value.
    pub slug: String,
    /// Path of its first page.
    pub url: String,
    pub lang: String,
    /// Indices into `Site::posts`, newest first.
    pub posts: Vec<usize>,
}

/// The values of every taxonomy of site.yml but tags, sorted by taxonomy, language and slug.
pub(crate) fn build_terms(posts: &[Post], config: &Config) -> Vec<Term> {
    let mut by_key: BTreeMap<(String, String, String), Term> = BTreeMap::new();
    for (index, post) in posts.iter().enumerate().rev() {
        for (taxonomy, values) in &post.taxonomies {
            let Some(settings) = config.taxonomies.get(taxonomy) else {
                continue;
            };
            for name in values {
                let slug = tag_slug(name);
                let term = by_key
                    .entry((taxonomy.clone(), post.lang.clone(), slug.clone()))
                    .or_insert_with(|| Term {
                        taxonomy: taxonomy.clone(),
                        name: name.clone(),
                        url: config.lang_prefix(&post.lang)
                            + &url::expand(&settings.permalink_of(taxonomy), &[("slug", &slug)]),
                        lang: post.lang.clone(),
                        slug,
                        posts: Vec::new(),
                    });
                if term.posts.last() != Some(&index) {
                    term.posts.push(index);
                }
            }
        }
    }
    let mut terms: Vec<Term> = by_key.into_values().collect();
    for term in &mut terms {
        term.posts.reverse();
    }
    terms
}
