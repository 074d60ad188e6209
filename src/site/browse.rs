//! Ways to browse the posts, computed once per build from the model: archives by year (and
//! month), related posts (from the tag → posts index, never comparing every pair of posts), and
//! posts' authors resolved to the records of the authors' collection; and the order and pages of
//! a collection's listing (`paginate`, `group_by`).

use crate::diagnostic::{Diagnostic, Rule};
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
                    url: format!("{prefix}{blog}{year}/"),
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
                        url: format!("{prefix}{blog}{year}/{month:02}/"),
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
///
/// Why a window and not every post of the tag: comparing each post with every post of its tags
/// is quadratic in a tag's size (a tag on half of the 10,000 bench posts is 25 million pairs,
/// seconds of build for one tag). What the window gives up is small: a tag of up to 129 posts
/// (2 × 64 + the post) is read whole, and such rare tags are the ones that weigh (a tag's weight
/// is ln(1 + posts / posts of the tag)), so a post sharing one is always found; a post far in
/// time sharing only common tags is left out for a nearer one sharing the same common tags,
/// which scores the same and comes first anyway (ties go to the nearest in time). The only loss
/// is a far post sharing two common tags against near posts sharing one of them.
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

/// What groups a record in its collection's listing (`group_by:` of the collection).
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum GroupKey {
    /// A number (a year, a promotion): the largest first, so held negated.
    Number(f64),
    /// A text, folded (accents, capitals) for the order.
    Text(String),
    /// No value: last.
    Missing,
}

/// The value of record `r`'s `group_by` field that groups it (None without the setting, or
/// when the field is missing, empty or a list).
pub(crate) fn group_value(collection: &Collection, r: usize) -> Option<&serde_json::Value> {
    use serde_json::Value;
    let field = collection.config.group_by.as_deref()?;
    match collection.records.get(r)?.fields.get(field)? {
        Value::String(s) if s.trim().is_empty() => None,
        value @ (Value::String(_) | Value::Number(_) | Value::Bool(_)) => Some(value),
        _ => None,
    }
}

fn group_key(value: Option<&serde_json::Value>) -> GroupKey {
    use serde_json::Value;
    match value {
        Some(Value::Number(n)) => GroupKey::Number(-n.as_f64().unwrap_or(0.0)),
        Some(Value::String(s)) => GroupKey::Text(crate::text::slug::slugify(s)),
        Some(other) => GroupKey::Text(other.to_string()),
        None => GroupKey::Missing,
    }
}

/// The records of `collection`'s listing in order: by key, or, with `group_by`, group after
/// group (numbers largest first, then texts in alphabetical order, then the records without the
/// field), by key within a group.
pub(crate) fn listing_order(collection: &Collection) -> Vec<usize> {
    let mut order: Vec<usize> = (0..collection.records.len()).collect();
    if collection.config.group_by.is_some() {
        let keys: Vec<GroupKey> = (0..collection.records.len())
            .map(|r| group_key(group_value(collection, r)))
            .collect();
        order.sort_by(|&a, &b| {
            keys[a]
                .partial_cmp(&keys[b])
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.cmp(&b))
        });
    }
    order
}

/// Records per page of `collection`'s listing (`paginate:`), or all of them.
pub(crate) fn listing_page_size(collection: &Collection) -> usize {
    match collection.config.paginate {
        Some(n) if n > 0 => n,
        _ => usize::MAX,
    }
}

/// How many pages `collection`'s listing has (at least one).
pub(crate) fn listing_pages(collection: &Collection) -> usize {
    collection
        .records
        .len()
        .div_ceil(listing_page_size(collection))
        .max(1)
}

/// An error for each collection whose `group_by` names a field none of its records has (every
/// record would fall in the group "without value"), with the closest field; `site_yml` is the
/// text of site.yml, to point at the line.
pub(crate) fn group_by_problems(collections: &[Collection], site_yml: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for collection in collections {
        let Some(field) = collection.config.group_by.as_deref() else {
            continue;
        };
        if field.trim().is_empty()
            || collection.records.is_empty()
            || (collection.records.iter()).any(|r| r.fields.contains_key(field))
        {
            continue;
        }
        let mut known: Vec<&str> = (collection.records.iter())
            .flat_map(|r| r.fields.keys().map(String::as_str))
            .collect();
        known.sort_unstable();
        known.dedup();
        let name = &collection.name;
        let help = match crate::diagnostic::did_you_mean(field, known.iter().copied()) {
            Some(s) => crate::msg!("did you mean `{s}`?", s),
            None => crate::msg!(
                "name a field of the records of `{name}`: {list}",
                name,
                list = known.join(", ")
            ),
        };
        let mut problem = Diagnostic::error(
            Rule::Config,
            crate::source::config::FILE_NAME,
            crate::msg!(
                "`collections.{name}.group_by`: no record of `{name}` has the field `{field}`",
                name,
                field
            ),
        )
        .help(help);
        if let Some((line, column)) =
            crate::source::yaml::setting_position(site_yml, &["collections", name, "group_by"])
        {
            problem = problem.at(line, column);
        }
        problems.push(problem);
    }
    problems
}

/// One group of a listing page: the value, the records (indices into the collection), and
/// whether the group began on an earlier page.
pub(crate) type ListingGroup<'a> = (Option<&'a serde_json::Value>, Vec<usize>, bool);

/// The records `page` of `collection`'s listing (consecutive in [`listing_order`]) cut into their
/// groups; `before` is the record shown just before the page, if any.
pub(crate) fn listing_groups<'a>(
    collection: &'a Collection,
    page: &[usize],
    before: Option<usize>,
) -> Vec<ListingGroup<'a>> {
    let mut groups: Vec<(GroupKey, ListingGroup<'a>)> = Vec::new();
    let previous = before.map(|r| group_key(group_value(collection, r)));
    for &r in page {
        let value = group_value(collection, r);
        let key = group_key(value);
        match groups.last_mut() {
            Some((last, group)) if *last == key => group.1.push(r),
            _ => {
                let continued = groups.is_empty() && previous.as_ref() == Some(&key);
                groups.push((key, (value, vec![r], continued)));
            }
        }
    }
    groups.into_iter().map(|(_, group)| group).collect()
}
