//! Ways to browse the posts, computed once per build from the model: archives by year (and
//! month), related posts (from the tag → posts index, never comparing every pair of posts), and
//! posts' authors resolved to the records of the authors' collection.

use crate::site::{Collection, Post};
use crate::source::config::Config;
use rayon::prelude::*;
use std::collections::HashMap;

/// A year or month of a language's blog, with its posts.
#[derive(Debug, Clone)]
pub(crate) struct Archive {
    pub lang: String,
    pub year: i32,
    /// None for a year's page.
    pub month: Option<u32>,
    /// The first page's path: `/blog/2024/`, `/blog/2024/05/`.
    pub url: String,
    /// Indices into `Site::posts`, newest first.
    pub posts: Vec<usize>,
}

/// The archives of every language (years, then their months when `archives.months` asks),
/// newest first within each language.
pub(crate) fn archives(
    config: &Config,
    posts: &[Post],
    by_language: &[Vec<usize>],
) -> Vec<Archive> {
    if !config.archives.enabled {
        return Vec::new();
    }
    use chrono::Datelike;
    let blog = crate::text::url::normalize_permalink(&config.permalinks.blog);
    let blog = if blog.ends_with('/') {
        blog
    } else {
        format!("{blog}/")
    };
    let mut archives = Vec::new();
    for (lang, list) in config.language_codes().iter().zip(by_language) {
        let prefix = config.lang_prefix(lang);
        let mut years: Vec<Archive> = Vec::new();
        let mut months: Vec<Archive> = Vec::new();
        for &i in list {
            let date = posts[i].date;
            let (year, month) = (date.year(), date.month());
            if years.last().is_none_or(|a| a.year != year) {
                years.push(Archive {
                    lang: lang.clone(),
                    year,
                    month: None,
                    url: format!("{prefix}{}", config.archives.url(&blog, year, None)),
                    posts: Vec::new(),
                });
            }
            if let Some(a) = years.last_mut() {
                a.posts.push(i);
            }
            if config.archives.months {
                if months
                    .last()
                    .is_none_or(|a| a.year != year || a.month != Some(month))
                {
                    months.push(Archive {
                        lang: lang.clone(),
                        year,
                        month: Some(month),
                        url: format!("{prefix}{}", config.archives.url(&blog, year, Some(month))),
                        posts: Vec::new(),
                    });
                }
                if let Some(a) = months.last_mut() {
                    a.posts.push(i);
                }
            }
        }
        archives.extend(years);
        archives.extend(months);
    }
    archives
}

/// How many neighbours in each tag's list a post is compared with: a tag of 5,000 posts adds at
/// most this many candidates on each side (the nearest in time), so the work stays linear.
const WINDOW: usize = 64;

/// For each of the `count` posts, the `limit` posts sharing the most of its groups (tags, values
/// of taxonomies: each group's posts, newest first, and its weight), a rarer group weighing more
/// (ties: the nearest in time first). Empty lists when `limit` is 0.
pub(crate) fn related(count: usize, groups: &[(&[usize], f64)], limit: usize) -> Vec<Vec<usize>> {
    if limit == 0 {
        return vec![Vec::new(); count];
    }
    let mut post_tags: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (t, (list, _)) in groups.iter().enumerate() {
        for &p in *list {
            if let Some(of_post) = post_tags.get_mut(p) {
                of_post.push(t);
            }
        }
    }
    // A tag on few posts says more about them: weight ln(1 + posts of the site / posts of the tag).
    let total = count.max(1) as f64;
    let weights: Vec<f64> = groups
        .iter()
        .map(|(list, weight)| weight * (1.0 + total / list.len().max(1) as f64).ln())
        .collect();
    (0..count)
        .into_par_iter()
        .map(|i| {
            // Every (candidate, weight) the post's groups give, summed per candidate after a sort:
            // a few hundred pairs a post, cheaper than a hash map.
            let mut pairs: Vec<(usize, f64)> = Vec::new();
            for &t in &post_tags[i] {
                let list = groups[t].0;
                // Lists are in post order (newest first): a post's place is a binary search away.
                let at = list.binary_search(&i).unwrap_or_else(|e| e);
                let from = at.saturating_sub(WINDOW);
                let to = (at + WINDOW + 1).min(list.len());
                pairs.extend(
                    list[from..to]
                        .iter()
                        .filter(|&&j| j != i)
                        .map(|&j| (j, weights[t])),
                );
            }
            pairs.sort_unstable_by_key(|&(j, _)| j);
            let mut ranked: Vec<(usize, f64)> = Vec::with_capacity(pairs.len());
            for (j, w) in pairs {
                match ranked.last_mut() {
                    Some(last) if last.0 == j => last.1 += w,
                    _ => ranked.push((j, w)),
                }
            }
            let order = |a: &(usize, f64), b: &(usize, f64)| {
                b.1.total_cmp(&a.1)
                    .then_with(|| a.0.abs_diff(i).cmp(&b.0.abs_diff(i)))
                    .then_with(|| a.0.cmp(&b.0))
            };
            if ranked.len() > limit {
                ranked.select_nth_unstable_by(limit, order);
                ranked.truncate(limit);
            }
            ranked.sort_by(order);
            ranked.into_iter().map(|(j, _)| j).collect()
        })
        .collect()
}

/// The posts' authors resolved against the authors' collection (`authors:` of site.yml).
#[derive(Debug, Clone, Default)]
pub(crate) struct Authors {
    /// The collection's index in `Site::collections`, when site.yml names one that exists.
    pub collection: Option<usize>,
    /// For each post, for each name of `author:`, the record it names (None: a name alone).
    pub of_post: Vec<Vec<Option<usize>>>,
    /// For each record of the collection, its posts (indices into `Site::posts`, newest first).
    pub posts_of: Vec<Vec<usize>>,
}

/// Resolves each post's authors by the records' keys (accents, capitals and spaces folded, so
/// that `Lea Fontaine` is `Léa Fontaine`).
pub(crate) fn authors(config: &Config, posts: &[Post], collections: &[Collection]) -> Authors {
    let Some(name) = &config.authors else {
        return Authors::default();
    };
    let Some(c) = collections.iter().position(|c| &c.name == name) else {
        return Authors::default();
    };
    let collection = &collections[c];
    let by_folded: HashMap<String, usize> = collection
        .records
        .iter()
        .enumerate()
        .map(|(r, record)| (crate::text::slug::slugify(&record.key), r))
        .collect();
    let mut posts_of = vec![Vec::new(); collection.records.len()];
    let of_post: Vec<Vec<Option<usize>>> = posts
        .iter()
        .enumerate()
        .map(|(i, post)| {
            post.authors
                .iter()
                .map(|author| {
                    let r =
                        collection.index.get(author.trim()).copied().or_else(|| {
                            by_folded.get(&crate::text::slug::slugify(author)).copied()
                        });
                    if let Some(r) = r {
                        posts_of[r].push(i);
                    }
                    r
                })
                .collect()
        })
        .collect();
    Authors {
        collection: Some(c),
        of_post,
        posts_of,
    }
}
