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

/// A group (tag, value of a taxonomy) of up to this many posts is read whole for each of its
/// posts; of a larger ("common") group, a post reads only its `limit` nearest posts on each side.
///
/// Why not every post of a common group: comparing each post with every post of its groups is
/// quadratic (a tag on half of the 10,000 bench posts is 25 million pairs, seconds of build for
/// one tag). Nothing is lost by it, because each candidate is then scored by every group it
/// shares with the post and ties go to the nearest in time: a post sharing a rare group is read
/// from that group's whole list; a post sharing one common group and nothing else scores as the
/// `limit` nearer ones of that group, and comes after them; a post sharing two common groups is
/// read from the list of the posts having that pair of groups ([`common_pairs`]), where the same
/// reasoning holds. Left out: a far post sharing three common groups when at least `limit`
/// nearer posts share two of them.
const WHOLE: usize = 129;
/// The most common groups of one post whose pairs are indexed (28 pairs): a post with more
/// pairs its first ones.
const MAX_COMMON: usize = 8;

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
    for tags in &mut post_tags {
        tags.dedup();
    }
    // A tag on few posts says more about them: weight ln(1 + posts of the site / posts of the tag).
    let total = count.max(1) as f64;
    let weights: Vec<f64> = groups
        .iter()
        .map(|(list, weight)| weight * (1.0 + total / list.len().max(1) as f64).ln())
        .collect();
    let common = |tags: &[usize]| -> Vec<usize> {
        (tags.iter().copied())
            .filter(|&t| groups[t].0.len() > WHOLE)
            .take(MAX_COMMON)
            .collect()
    };
    let pairs = common_pairs(&post_tags, &common);
    (0..count)
        .into_par_iter()
        .map(|i| {
            // The candidates: the nearest posts of each group, and of each pair of common groups;
            // each then scored by every group it shares with the post.
            let mut candidates: Vec<usize> = Vec::new();
            for &t in &post_tags[i] {
                nearest(groups[t].0, i, limit, &mut candidates);
            }
            let big = common(&post_tags[i]);
            for (a, &x) in big.iter().enumerate() {
                for &y in &big[a + 1..] {
                    if let Some(list) = pairs.get(&(x, y)) {
                        nearest(list, i, limit, &mut candidates);
                    }
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            let mut ranked: Vec<(usize, f64)> = (candidates.into_iter())
                .filter(|&j| j != i)
                .map(|j| (j, shared_weight(&post_tags[i], &post_tags[j], &weights)))
                .collect();
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

/// Adds to `into` the posts of `list` (in post order) that post `i` is compared with: all of
/// them when there are at most [`WHOLE`], else the `reach` nearest on each side of its place.
fn nearest(list: &[usize], i: usize, reach: usize, into: &mut Vec<usize>) {
    if list.len() <= WHOLE {
        into.extend_from_slice(list);
        return;
    }
    let at = list.binary_search(&i).unwrap_or_else(|e| e);
    into.extend_from_slice(&list[at.saturating_sub(reach)..(at + reach + 1).min(list.len())]);
}

/// The summed weights of the groups in both `a` and `b` (each sorted).
fn shared_weight(a: &[usize], b: &[usize], weights: &[f64]) -> f64 {
    let (mut x, mut y, mut sum) = (0, 0, 0.0);
    while x < a.len() && y < b.len() {
        match a[x].cmp(&b[y]) {
            std::cmp::Ordering::Less => x += 1,
            std::cmp::Ordering::Greater => y += 1,
            std::cmp::Ordering::Equal => {
                sum += weights[a[x]];
                x += 1;
                y += 1;
            }
        }
    }
    sum
}

/// For each pair of common groups (those `common` keeps of a post's groups), the posts having
/// both, in post order.
fn common_pairs(
    post_tags: &[Vec<usize>],
    common: &dyn Fn(&[usize]) -> Vec<usize>,
) -> HashMap<(usize, usize), Vec<usize>> {
    let mut pairs: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (p, tags) in post_tags.iter().enumerate() {
        let big = common(tags);
        for (a, &x) in big.iter().enumerate() {
            for &y in &big[a + 1..] {
                pairs.entry((x, y)).or_default().push(p);
            }
        }
    }
    pairs
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact answer: every post compared with every other.
    fn brute_force(count: usize, groups: &[(&[usize], f64)], limit: usize) -> Vec<Vec<usize>> {
        let total = count.max(1) as f64;
        let weights: Vec<f64> = (groups.iter())
            .map(|(list, w)| w * (1.0 + total / list.len().max(1) as f64).ln())
            .collect();
        let of: Vec<Vec<usize>> = (0..count)
            .map(|p| {
                (0..groups.len())
                    .filter(|&t| groups[t].0.contains(&p))
                    .collect()
            })
            .collect();
        (0..count)
            .map(|i| {
                let mut ranked: Vec<(usize, f64)> = (0..count)
                    .filter(|&j| j != i)
                    .map(|j| (j, shared_weight(&of[i], &of[j], &weights)))
                    .filter(|&(_, w)| w > 0.0)
                    .collect();
                ranked.sort_by(|a, b| {
                    b.1.total_cmp(&a.1)
                        .then_with(|| a.0.abs_diff(i).cmp(&b.0.abs_diff(i)))
                        .then_with(|| a.0.cmp(&b.0))
                });
                ranked.into_iter().take(limit).map(|(j, _)| j).collect()
            })
            .collect()
    }

    #[test]
    fn small_groups_give_the_exact_answer() {
        // 100 posts, tags by divisibility: every group is read whole.
        let lists: Vec<Vec<usize>> = (2..9)
            .map(|k| (0..100).filter(|p| p % k == 0).collect())
            .collect();
        let groups: Vec<(&[usize], f64)> = lists.iter().map(|l| (l.as_slice(), 1.0)).collect();
        assert_eq!(related(100, &groups, 4), brute_force(100, &groups, 4));
    }

    #[test]
    fn common_groups_read_near_posts_only_and_still_give_the_exact_answer() {
        // 600 posts with one or two of five common tags each, a rare tag on a few: no post
        // shares three common tags with another, so nothing may differ from comparing all pairs.
        let mut seed: u64 = 20261129;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            usize::try_from((seed >> 33) % n).unwrap_or(0)
        };
        let mut lists: Vec<Vec<usize>> = vec![Vec::new(); 6];
        for p in 0..600 {
            let first = next(5);
            lists[first].push(p);
            if next(2) == 0 {
                let second = (first + 1 + next(4)) % 5;
                lists[second].push(p);
            }
            if next(40) == 0 {
                lists[5].push(p);
            }
        }
        for list in &mut lists {
            list.sort_unstable();
        }
        assert!(lists[..5].iter().all(|l| l.len() > WHOLE));
        let groups: Vec<(&[usize], f64)> = lists.iter().map(|l| (l.as_slice(), 1.0)).collect();
        for limit in [1, 3, 5] {
            assert_eq!(
                related(600, &groups, limit),
                brute_force(600, &groups, limit)
            );
        }
    }

    #[test]
    fn a_far_post_sharing_two_common_tags_comes_before_near_posts_sharing_one() {
        // 400 posts: the first and the last have tags A and B; the others A or B, alternately.
        // Both tags are too large to be read whole, and the last post is far from the first.
        let a: Vec<usize> = (0..400)
            .filter(|p| p % 2 == 1 || *p == 0 || *p == 399)
            .collect();
        let b: Vec<usize> = (0..400).filter(|p| p % 2 == 0 || *p == 399).collect();
        let groups: Vec<(&[usize], f64)> = vec![(&a, 1.0), (&b, 1.0)];
        let related = related(400, &groups, 3);
        assert_eq!(related[0][0], 399);
        assert_eq!(related[399][0], 0);
        assert_eq!(related, brute_force(400, &groups, 3));
    }
}
