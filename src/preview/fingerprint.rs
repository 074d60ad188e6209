//! Fingerprints of what the outputs made without templates are made from, so the preview makes
//! them again only when their inputs changed.

use crate::preview::deps::Revisions;
use crate::site::Site;

/// A hash of `value`, stable within one run (fingerprints are never stored).
pub(crate) fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// What the feeds are made from: the latest posts of the blog and of each tag, by revision.
pub(crate) fn feeds_fingerprint(site: &Site, revisions: &Revisions) -> u64 {
    let limit = site.config.feed.limit;
    let post = |i: usize| {
        let p = &site.posts[i];
        (
            revisions.of(&p.file),
            &p.file,
            &p.url,
            &p.title,
            p.date,
            // A post written as a template also changes with what its template reads.
            p.body_template.as_ref().map(|_| &p.body.html),
        )
    };
    let blog: Vec<_> = (0..site.posts.len().min(limit)).map(post).collect();
    let tags: Vec<_> = site
        .tags
        .iter()
        .map(|t| {
            (
                &t.name,
                &t.url,
                t.posts
                    .iter()
                    .take(limit)
                    .map(|&i| post(i))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    hash_of(&(blog, tags))
}

/// What the sitemap is made from: the pages' paths and the posts' dates.
pub(crate) fn sitemap_fingerprint(site: &Site, pages: &[String]) -> u64 {
    let dates: Vec<_> = site.posts.iter().map(|p| (&p.url, p.date)).collect();
    hash_of(&(pages, dates))
}

/// What posts give the outputs made without templates: the redirects from their old addresses.
pub(crate) fn aliases_fingerprint(site: &Site) -> u64 {
    let posts: Vec<_> = site
        .posts
        .iter()
        .map(|p| (&p.aliases, &p.url, &p.file, &p.lang))
        .collect();
    hash_of(&posts)
}
