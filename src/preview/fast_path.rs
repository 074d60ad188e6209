//! The preview's fast path for edits of posts that keep their place: only the pages that show
//! the edited posts are fingerprinted and rendered again.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::output::Output;
use crate::preview::deps::{self, Changes};
use crate::preview::fingerprint::feeds_fingerprint;
use crate::preview::live::{Files, Live, Update};
use crate::render;
use crate::site::Site;
use crate::site::plan::Job;

/// A post as it was before an edit: what decides whether the edit can take the fast path.
pub(crate) struct Before {
    index: usize,
    file: PathBuf,
    date: chrono::NaiveDateTime,
    lang: String,
    url: String,
    tags: Vec<String>,
    /// The values of the other taxonomies and the authors: their pages list the post.
    lists: (std::collections::BTreeMap<String, Vec<String>>, Vec<String>),
    aliases: Vec<String>,
    translation_key: Option<String>,
}

impl Before {
    pub(crate) fn of(site: &Site, file: &Path) -> Option<Before> {
        let index = site.posts.iter().position(|p| p.file == file)?;
        let p = &site.posts[index];
        Some(Before {
            index,
            file: p.file.clone(),
            date: p.date,
            lang: p.lang.clone(),
            url: p.url.clone(),
            tags: p.tags.clone(),
            lists: (p.taxonomies.clone(), p.authors.clone()),
            aliases: p.aliases.clone(),
            translation_key: p.translation_key.clone(),
        })
    }

    /// True when the post at the same place has kept everything but its text, title and
    /// translation key: then no page's place, URL or listing changed, only what shows the post.
    fn same_place(&self, site: &Site) -> bool {
        site.posts.get(self.index).is_some_and(|p| {
            p.file == self.file
                && p.date == self.date
                && p.lang == self.lang
                && p.url == self.url
                && p.tags == self.tags
                && p.taxonomies == self.lists.0
                && p.authors == self.lists.1
                && p.aliases == self.aliases
        })
    }
}

impl Live {
    /// The fast path for edits of existing posts that kept their place (see [`Before::same_place`]):
    /// only the pages that show the edited posts are fingerprinted again (their own page, their
    /// neighbours', the listing pages and translations that show them), the rest of the dependency
    /// map is unchanged by construction. None when the edit does not qualify.
    pub(crate) fn post_edit(
        &mut self,
        before: &[Before],
        post_count: usize,
        warnings: &[Diagnostic],
    ) -> Result<Option<Update>, Vec<Diagnostic>> {
        let (Some(site), Some(templates)) = (self.site.as_ref(), self.templates.as_mut()) else {
            return Ok(None);
        };
        if site.posts.len() != post_count || !before.iter().all(|b| b.same_place(site)) {
            return Ok(None);
        }
        let jobs = jobs_showing(site, before);
        // The set of pages is the same: a job without a node is no page of the site (a home page
        // replaced by a page).
        let mut map = deps::map_some(site, &self.revisions, &jobs);
        map.retain(|(_, key, _)| self.nodes.contains_key(key));
        let changes = Changes::default();
        let dirty: Vec<Job> = map
            .iter()
            .filter(|(_, key, node)| {
                let closure = self.template_deps.closure(&node.template);
                let old = self.nodes.get(key).map(|(n, _)| n);
                deps::dirty_reason(old, node, &closure, &changes).is_some()
            })
            .map(|(job, _, _)| *job)
            .collect();
        let (rendered, problems) = render::render_jobs(site, templates, &dirty);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut next = Replaced::new(&self.files);
        let count = rendered.len();
        for (job, output) in rendered {
            let same_path = self
                .nodes
                .get(&crate::site::plan::key(site, &job))
                .is_some_and(|(_, path)| *path == output.path);
            if !same_path {
                return Ok(None);
            }
            next.put(output);
        }
        // The feeds show the latest posts; the sitemap (URLs and dates) and the other outputs
        // (aliases, robots.txt, static files) cannot have changed.
        let fingerprint = feeds_fingerprint(site, &self.revisions);
        let mut extras = self.extras.clone();
        if let Some((old, paths)) = extras.first_mut()
            && *old != fingerprint
        {
            let made = crate::render::feed::feeds(site);
            let new_paths: BTreeSet<String> = made.iter().map(|o| o.path.clone()).collect();
            if new_paths != *paths {
                return Ok(None);
            }
            made.into_iter().for_each(|output| next.put(output));
            *old = fingerprint;
        }
        for (_, key, node) in map {
            if let Some(entry) = self.nodes.get_mut(&key) {
                entry.0 = node;
            }
        }
        self.files = Arc::new(next.files);
        self.extras = extras;
        Ok(Some(Update {
            changed: next.changed,
            rendered: count,
            pages: self.nodes.len(),
            reloaded: false,
            warnings: warnings.to_vec(),
            elapsed: Duration::ZERO,
            styles_only: false,
            shown_early: Vec::new(),
        }))
    }
}

/// The last good outputs with some of them replaced, and the paths whose bytes changed.
struct Replaced {
    files: Files,
    changed: Vec<String>,
}

impl Replaced {
    fn new(files: &Files) -> Replaced {
        Replaced {
            files: files.clone(),
            changed: Vec::new(),
        }
    }

    fn put(&mut self, output: Output) {
        let body = Arc::new(output.body);
        if self.files.get(&output.path) != Some(&body) {
            self.changed.push(output.path.clone());
        }
        self.files.insert(output.path, body);
    }
}

/// The template pages that show the edited posts: their own pages and their neighbours', the
/// pages of their translations, and the listing pages (home, blog, tags) where their cards are.
fn jobs_showing(site: &Site, before: &[Before]) -> Vec<Job> {
    // Posts whose card changed: the edited ones and those sharing a translation key with them.
    let mut keys: HashSet<&str> = HashSet::new();
    for b in before {
        keys.extend(b.translation_key.as_deref());
        keys.extend(site.posts[b.index].translation_key.as_deref());
    }
    let mut cards: BTreeSet<usize> = before.iter().map(|b| b.index).collect();
    if !keys.is_empty() {
        let translated = |p: &&crate::site::Post| {
            p.translation_key
                .as_deref()
                .is_some_and(|k| keys.contains(k))
        };
        cards.extend(
            site.posts
                .iter()
                .enumerate()
                .filter(|(_, p)| translated(p))
                .map(|(i, _)| i),
        );
    }
    let mut jobs: HashSet<Job> = HashSet::new();
    for &i in &cards {
        jobs.insert(Job::Post(i));
        if i + 1 < site.posts.len() {
            jobs.insert(Job::Post(i + 1));
        }
        if i > 0 {
            jobs.insert(Job::Post(i - 1));
        }
    }
    for (i, page) in site.pages.iter().enumerate() {
        if page
            .translation_key
            .as_deref()
            .is_some_and(|k| keys.contains(k))
        {
            jobs.insert(Job::Page(i));
        }
    }
    jobs.extend(listings_showing(site, &cards));
    jobs.extend(browsing_showing(site, &cards));
    jobs.into_iter().collect()
}

/// The pages that show one of `cards` as a related post, an author's post, in a taxonomy value's
/// listing or in an archive.
fn browsing_showing(site: &Site, cards: &BTreeSet<usize>) -> HashSet<Job> {
    let mut jobs = HashSet::new();
    for (j, related) in site.related.iter().enumerate() {
        if related.iter().any(|i| cards.contains(i)) {
            jobs.insert(Job::Post(j));
        }
    }
    let languages = site.config.language_codes().len();
    if let Some(c) = site.authors.collection {
        for (r, posts) in site.authors.posts_of.iter().enumerate() {
            if posts.iter().any(|i| cards.contains(i))
                && !site.collections[c].records[r].url.is_empty()
            {
                jobs.extend((0..languages).map(|l| Job::Record(c, r, l)));
            }
        }
    }
    let mut paged = |lists: Vec<(&[usize], usize)>, job: &dyn Fn(usize, usize) -> Job| {
        for (x, (posts, size)) in lists.into_iter().enumerate() {
            for (at, i) in posts.iter().enumerate() {
                if cards.contains(i) {
                    jobs.insert(job(x, at / size.max(1) + 1));
                }
            }
        }
    };
    let terms = (0..site.terms.len())
        .map(|t| {
            (
                site.terms[t].posts.as_slice(),
                crate::site::plan::term_page_size(site, t),
            )
        })
        .collect();
    paged(terms, &Job::Term);
    let size = crate::site::plan::archive_page_size(site);
    let archives = site
        .archives
        .iter()
        .map(|a| (a.posts.as_slice(), size))
        .collect();
    paged(archives, &Job::Archive);
    jobs
}

/// The listing pages (home, blog pages, tag pages) that show a card of one of `cards`.
fn listings_showing(site: &Site, cards: &BTreeSet<usize>) -> HashSet<Job> {
    let mut jobs = HashSet::new();
    let size = site.config.pagination.size.max(1);
    for (l, posts) in crate::site::plan::posts_by_language(site)
        .iter()
        .enumerate()
    {
        for &i in cards {
            if let Ok(at) = posts.binary_search(&i) {
                if at < site.config.home_posts {
                    jobs.insert(Job::Home(l));
                }
                // The site map lists every post of its language.
                if crate::site::plan::has_site_map(site) {
                    jobs.insert(Job::SiteMap(l));
                }
                jobs.insert(Job::Blog(l, at / size + 1));
            }
        }
    }
    let tag_size = crate::site::plan::tag_page_size(site);
    for (t, tag) in site.tags.iter().enumerate() {
        for (at, i) in tag.posts.iter().enumerate() {
            if cards.contains(i) {
                jobs.insert(Job::Tag(t, at / tag_size + 1));
            }
        }
    }
    jobs
}

/// What the card of each post of `files` shows (None for a file that is no post), to tell
/// whether pages listing every post (`all_posts`) must be made again: a change of text alone
/// leaves the card as it was unless `with_text` (a template reads summaries or word counts).
pub(crate) fn card_hashes(site: &Site, files: &[PathBuf], with_text: bool) -> Vec<Option<u64>> {
    files
        .iter()
        .map(|file| {
            let p = site.posts.iter().find(|p| &p.file == file)?;
            let text = with_text.then_some((&p.body.summary, p.body.word_count));
            Some(crate::preview::fingerprint::hash_of(&(
                (&p.title, &p.url, p.date, &p.lang, &p.tags, p.draft),
                (&p.description, &p.image, &p.author, &p.twitter),
                (&p.translation_key, serde_json::to_string(&p.extra).ok()),
                text,
            )))
        })
        .collect()
}
