//! The dependency map of a rendered site: for every template page, a stable key, the files and
//! facts its output was made from (a fingerprint), the templates it uses through inheritance and
//! includes, and the data it reads. Deciding what to re-render is a comparison of two maps; when
//! the map cannot prove a page unaffected, the page is re-rendered.

use crate::preview::fingerprint::hash_of;
use crate::site::plan::Key;
use crate::site::plan::key;
use crate::site::plan::language_code;
use crate::site::plan::template_of;
use crate::text::words::{find_word, mentions};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::site::Site;
use crate::site::plan::Job;

/// Content revision of each source file: bumped by the watcher for every change it reports, so a
/// fingerprint made of revisions changes whenever one of its files did.
#[derive(Debug, Default, Clone)]
pub(crate) struct Revisions {
    /// Keyed by the path as text: hashing strings is much faster than hashing paths.
    pub(crate) map: HashMap<String, u64>,
    pub(crate) next: u64,
}

impl Revisions {
    /// Notes that `path` (relative to the site folder) changed.
    pub(crate) fn bump(&mut self, path: &Path) {
        self.next += 1;
        self.map
            .insert(path.to_string_lossy().into_owned(), self.next);
    }

    /// The revision of `path` (0 if it never changed while watched).
    pub(crate) fn of(&self, path: &Path) -> u64 {
        self.map
            .get(path.to_string_lossy().as_ref())
            .copied()
            .unwrap_or(0)
    }
}

/// What one template page was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    /// Hash of the page's own inputs: source file revisions, neighbours, listing items, counts.
    pub fingerprint: u64,
    /// The template it is rendered with, as the site names it.
    pub template: String,
}

/// What the templates use, found by reading their text: `{% extends %}`, `{% include %}`,
/// `{% import %}` targets, and mentions of `data`, `collections` and the `t()` function.
#[derive(Debug, Clone, Default)]
pub(crate) struct TemplateDeps {
    /// Template name (as tera knows it, theme ones under `theme/`) → its file.
    pub(crate) files: HashMap<String, PathBuf>,
    /// Template name → facts read from its own text.
    pub(crate) own: HashMap<String, TemplateFacts>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct TemplateFacts {
    pub(crate) references: Vec<String>,
    /// A reference that is not a plain string, or a component: anything may be used.
    pub(crate) unsure: bool,
    pub(crate) data: DataReads,
    pub(crate) collections: bool,
    /// True when it reads `all_posts` or `posts_by_tag`: every post's card.
    pub(crate) all_posts: bool,
    /// True when it reads `all_pages`: every page.
    pub(crate) all_pages: bool,
    /// True when it reads what a post's text gives its card (`summary`, `word_count`,
    /// `reading_time`, `toc`).
    pub(crate) post_text: bool,
}

/// Which data files a template reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DataReads {
    /// Every data file (`data` used as a whole or with a computed key).
    pub all: bool,
    /// Data files by name.
    pub names: BTreeSet<String>,
}

/// Everything one page's template uses, its own file and all it extends or includes, transitively.
#[derive(Debug, Clone, Default)]
pub(crate) struct Closure {
    /// Template files.
    pub files: BTreeSet<PathBuf>,
    /// True when the templates use something the scan cannot follow: any template change counts.
    pub unsure: bool,
    /// Data files read.
    pub data: DataReads,
    /// True when `collections` is read.
    pub collections: bool,
    /// True when every post's card is read (`all_posts`, `posts_by_tag`).
    pub all_posts: bool,
    /// True when every page is read (`all_pages`).
    pub all_pages: bool,
    /// True when what a post's text gives its card is read (`summary`, `word_count`…).
    pub post_text: bool,
}

use crate::render::THEME_PREFIX;

impl TemplateDeps {
    /// Reads the site's templates.
    pub(crate) fn scan(site: &Site) -> TemplateDeps {
        let mut deps = TemplateDeps::default();
        for file in &site.sources.files {
            let Some(name) = crate::render::template_name(file) else {
                continue;
            };
            let text = std::fs::read_to_string(site.root.join(&file.path)).unwrap_or_default();
            deps.files.insert(name.clone(), file.path.clone());
            deps.own.insert(name, facts(&text));
        }
        deps
    }

    /// True when a template that lists every post (`all_posts`) shows, itself or through what
    /// it includes, what a post's text gives its card (`summary`, `word_count`…).
    pub(crate) fn lists_post_text(&self) -> bool {
        self.own
            .iter()
            .filter(|(_, facts)| facts.all_posts)
            .any(|(name, _)| self.closure(name).post_text)
    }

    /// The set of template files (as tera resolves names: the site's own first, then the theme's).
    pub(crate) fn template_files(&self) -> BTreeSet<PathBuf> {
        self.files.values().cloned().collect()
    }

    pub(crate) fn resolve(&self, name: &str) -> Option<&str> {
        if let Some((k, _)) = self.own.get_key_value(name) {
            return Some(k.as_str());
        }
        self.own
            .get_key_value(&format!("{THEME_PREFIX}{name}"))
            .map(|(k, _)| k.as_str())
    }

    /// What rendering `template` uses.
    pub(crate) fn closure(&self, template: &str) -> Closure {
        let mut closure = Closure::default();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut stack: Vec<&str> = Vec::new();
        match self.resolve(template) {
            Some(name) => stack.push(name),
            None => closure.unsure = true,
        }
        while let Some(name) = stack.pop() {
            if !seen.insert(name) {
                continue;
            }
            let Some(facts) = self.own.get(name) else {
                continue;
            };
            if let Some(file) = self.files.get(name) {
                closure.files.insert(file.clone());
            }
            closure.unsure |= facts.unsure;
            closure.collections |= facts.collections;
            closure.all_posts |= facts.all_posts;
            closure.all_pages |= facts.all_pages;
            closure.post_text |= facts.post_text;
            closure.data.all |= facts.data.all;
            closure.data.names.extend(facts.data.names.iter().cloned());
            for reference in &facts.references {
                // A theme template's own name resolves the same way (the site's copy wins).
                let plain = reference.strip_prefix(THEME_PREFIX).unwrap_or(reference);
                let target = if reference.starts_with(THEME_PREFIX) {
                    self.resolve(reference)
                } else {
                    self.resolve(plain)
                };
                match target {
                    Some(t) => stack.push(t),
                    None => closure.unsure = true,
                }
            }
        }
        closure
    }
}

/// Reads the dependencies a template's text declares.
fn facts(text: &str) -> TemplateFacts {
    let mut facts = TemplateFacts::default();
    let mut rest = text;
    while let Some(open) = rest.find("{%") {
        let after = &rest[open + 2..];
        let close = after.find("%}").unwrap_or(after.len());
        let tag = after[..close].trim_start_matches('-').trim();
        rest = &after[close.min(after.len())..];
        let mut words = tag.splitn(2, char::is_whitespace);
        let keyword = words.next().unwrap_or("");
        let argument = words.next().unwrap_or("").trim();
        match keyword {
            "extends" | "include" | "import" => match quoted(argument) {
                Some(name) => facts.references.push(name),
                None => facts.unsure = true,
            },
            "component" => facts.unsure = true,
            _ => {}
        }
    }
    if text.contains("{{<") {
        facts.unsure = true;
    }
    facts.collections = mentions(text, "collections");
    facts.all_posts = crate::render::reads_every_post(text);
    facts.all_pages = crate::render::reads_every_page(text);
    facts.post_text = ["summary", "word_count", "reading_time", "toc"]
        .iter()
        .any(|name| mentions(text, name));
    // `t()` reads the i18n data file.
    if text.contains("t(") {
        facts.data.names.insert("i18n".into());
    }
    let mut search = text;
    while let Some(at) = find_word(search, "data") {
        let after = &search[at + 4..];
        if let Some(field) = after.strip_prefix('.') {
            let name: String = field
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            facts.data.names.insert(name);
        } else if let Some(index) = after.strip_prefix('[').and_then(quoted) {
            facts.data.names.insert(index);
        } else {
            facts.data.all = true;
        }
        search = after;
    }
    facts
}

/// The string a template argument starts with, in single or double quotes.
fn quoted(text: &str) -> Option<String> {
    let text = text.trim();
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &text[1..];
    let end = inner.find(quote)?;
    Some(inner[..end].to_string())
}

/// Per-site values that many fingerprints share.
struct Context<'a> {
    pub(crate) site: &'a Site,
    pub(crate) revisions: &'a Revisions,
    /// Hash of each post as a card: its file's revision, URL and translations (empty when the
    /// context is made for a few jobs: computed on demand then).
    pub(crate) cards: Vec<u64>,
    /// Hash of the posts and pages sharing each translation key.
    pub(crate) translations: HashMap<&'a str, u64>,
    /// The posts of each language.
    pub(crate) by_language: Vec<Vec<usize>>,
    /// Hash of each collection's records as templates see them.
    pub(crate) collections: Vec<u64>,
}

/// The hash of each translation key's posts and pages (their language, URL and file), posts first.
fn translations_hashes(site: &Site) -> HashMap<&str, u64> {
    let mut parts: HashMap<&str, Vec<(&str, &str, &Path)>> = HashMap::new();
    for p in &site.posts {
        if let Some(key) = p.translation_key.as_deref() {
            parts
                .entry(key)
                .or_default()
                .push((&p.lang, &p.url, &p.file));
        }
    }
    for p in &site.pages {
        if let Some(key) = p.translation_key.as_deref() {
            parts
                .entry(key)
                .or_default()
                .push((&p.lang, &p.url, &p.file));
        }
    }
    parts.into_iter().map(|(k, v)| (k, hash_of(&v))).collect()
}

impl<'a> Context<'a> {
    /// The context for every job of `site` (`all`), or for a few (cards computed on demand).
    pub(crate) fn new(site: &'a Site, revisions: &'a Revisions, all: bool) -> Context<'a> {
        use rayon::prelude::*;
        let mut context = Context {
            site,
            revisions,
            cards: Vec::new(),
            translations: translations_hashes(site),
            by_language: crate::site::plan::posts_by_language(site),
            collections: site
                .collections
                .iter()
                .map(|c| {
                    // Records hold fields, bodies and links: hash their debug text (records are few).
                    hash_of(&(format!("{:?}", c.records), revisions.of(&c.file)))
                })
                .collect(),
        };
        if all {
            let cards = (0..site.posts.len())
                .into_par_iter()
                .map(|i| context.card(i))
                .collect();
            context.cards = cards;
        }
        context
    }

    pub(crate) fn translations_hash(&self, key: Option<&str>) -> u64 {
        key.map_or(0, |k| self.translations.get(k).copied().unwrap_or(0))
    }

    /// The hash of post `i` as a card.
    pub(crate) fn card(&self, i: usize) -> u64 {
        if let Some(&card) = self.cards.get(i) {
            return card;
        }
        let p = &self.site.posts[i];
        hash_of(&(
            self.revisions.of(&p.file),
            &p.file,
            &p.url,
            &p.title,
            self.translations_hash(p.translation_key.as_deref()),
            // A post written as a template also changes with what its template reads.
            p.body_template.as_ref().map(|_| &p.body.html),
        ))
    }

    /// The cards of the posts of record `r` of collection `c` when it is an author.
    fn authored(&self, c: usize, r: usize) -> Vec<u64> {
        let site = self.site;
        (site.authors.collection == Some(c))
            .then(|| site.authors.posts_of.get(r))
            .flatten()
            .into_iter()
            .flatten()
            .map(|&i| self.card(i))
            .collect()
    }

    /// What a post's page shows of other posts and records: its related posts and its authors.
    fn browse_of_post(&self, i: usize) -> u64 {
        let site = self.site;
        let related: Vec<_> = (site.related.get(i).into_iter().flatten())
            .map(|&j| (&site.posts[j].title, &site.posts[j].url))
            .collect();
        let authors: Vec<Option<u64>> = site
            .authors
            .of_post
            .get(i)
            .into_iter()
            .flatten()
            .map(|r| {
                r.zip(site.authors.collection)
                    .map(|(_, c)| self.collections[c])
            })
            .collect();
        hash_of(&(related, authors))
    }

    /// [`Context::fingerprint`] of the pages of browsing: search, archives, taxonomies.
    fn browse_fingerprint(&self, job: &Job) -> u64 {
        let site = self.site;
        let listed =
            |posts: &[usize]| -> Vec<u64> { posts.iter().map(|&i| self.card(i)).collect() };
        match *job {
            Job::Search(l) => hash_of(&("search", l)),
            Job::Term(t, _) => {
                let term = &site.terms[t];
                hash_of(&(
                    "term",
                    &term.name,
                    &term.url,
                    term.posts.len(),
                    listed(&crate::site::plan::job_posts_in(
                        site,
                        &self.by_language,
                        job,
                    )),
                ))
            }
            Job::Terms(x, l) => {
                let name = crate::site::plan::taxonomy_name(site, x);
                let code = language_code(site, l);
                hash_of(&(
                    "terms",
                    site.terms
                        .iter()
                        .filter(|t| t.taxonomy == name && t.lang == code)
                        .map(|t| (&t.name, &t.url, t.posts.len()))
                        .collect::<Vec<_>>(),
                ))
            }
            Job::Archive(a, _) => {
                let archive = &site.archives[a];
                hash_of(&(
                    "archive",
                    &archive.url,
                    listed(&crate::site::plan::job_posts_in(
                        site,
                        &self.by_language,
                        job,
                    )),
                    archive.posts.len(),
                ))
            }
            _ => 0,
        }
    }

    /// [`Context::fingerprint`] of post `i`'s page.
    fn post_fingerprint(&self, i: usize) -> u64 {
        let site = self.site;
        let post = &site.posts[i];
        let neighbour = |i: Option<usize>| {
            i.and_then(|i| site.posts.get(i))
                .map(|p| (&p.title, &p.url))
        };
        hash_of(&(
            "post",
            self.card(i),
            neighbour(i.checked_add(1)),
            neighbour(i.checked_sub(1)),
            // Tag links come from the names (the slug and URL follow from them).
            &post.tags,
            self.browse_of_post(i),
        ))
    }

    pub(crate) fn fingerprint(&self, job: &Job) -> u64 {
        let site = self.site;
        let size = site.config.pagination.size.max(1);
        let listed =
            |posts: &[usize]| -> Vec<u64> { posts.iter().map(|&i| self.card(i)).collect() };
        match *job {
            Job::Post(i) => self.post_fingerprint(i),
            Job::Search(_) | Job::Archive(..) | Job::Term(..) | Job::Terms(..) => {
                self.browse_fingerprint(job)
            }
            Job::Page(i) => {
                let page = &site.pages[i];
                hash_of(&(
                    "page",
                    self.revisions.of(&page.file),
                    &page.url,
                    self.translations_hash(page.translation_key.as_deref()),
                ))
            }
            Job::Home(l) | Job::Blog(l, _) => {
                let in_language = self.by_language.get(l).map_or(0, Vec::len);
                hash_of(&(
                    "list",
                    listed(&crate::site::plan::job_posts_in(
                        site,
                        &self.by_language,
                        job,
                    )),
                    in_language,
                    in_language.div_ceil(size),
                    // A page giving the listing its text (`listing: blog`).
                    crate::site::plan::blog_listing_page(site, l)
                        .map(|p| self.revisions.of(&p.file)),
                ))
            }
            Job::Tag(t, _) => {
                let tag = &site.tags[t];
                hash_of(&(
                    "tag",
                    &tag.name,
                    &tag.url,
                    tag.posts.len(),
                    listed(&crate::site::plan::job_posts_in(
                        site,
                        &self.by_language,
                        job,
                    )),
                ))
            }
            Job::Tags(l) => {
                let code = language_code(site, l);
                hash_of(&(
                    "tags",
                    site.tags
                        .iter()
                        .filter(|t| t.lang == code)
                        .map(|t| (&t.name, &t.url, t.posts.len()))
                        .collect::<Vec<_>>(),
                ))
            }
            Job::Record(c, r, l) => {
                let collection = &site.collections[c];
                let record = &collection.records[r];
                let body = record.body_file.as_deref().map(|f| self.revisions.of(f));
                let others: Vec<_> = (record.other_bodies.values())
                    .map(|(_, file)| self.revisions.of(file))
                    .collect();
                // An author's page lists their posts.
                let posts = self.authored(c, r);
                hash_of(&(
                    "record",
                    self.collections[c],
                    &record.key,
                    body,
                    others,
                    l,
                    posts,
                ))
            }
            // The site map lists every title and address of its language.
            Job::SiteMap(l) => {
                let code = language_code(site, l);
                hash_of(&(
                    "sitemap",
                    site.posts
                        .iter()
                        .filter(|p| p.lang == code)
                        .map(|p| (&p.title, &p.url))
                        .collect::<Vec<_>>(),
                    site.pages
                        .iter()
                        .filter(|p| p.lang == code)
                        .map(|p| (&p.title, &p.url))
                        .collect::<Vec<_>>(),
                    site.tags
                        .iter()
                        .filter(|t| t.lang == code)
                        .map(|t| (&t.name, &t.url))
                        .collect::<Vec<_>>(),
                    &self.collections,
                ))
            }
            Job::Listing(c, l, n) => hash_of(&("listing", self.collections[c], l, n)),
            Job::NotFound(l) => hash_of(&("404", l)),
        }
    }
}

/// The dependency map of every template page of `site`.
pub(crate) fn map(site: &Site, revisions: &Revisions, jobs: &[Job]) -> Vec<(Job, Key, Node)> {
    map_with(Context::new(site, revisions, true), jobs)
}

/// The dependency map of a few template pages of `site` (the same nodes [`map`] gives them,
/// without the work done once for every page).
pub(crate) fn map_some(site: &Site, revisions: &Revisions, jobs: &[Job]) -> Vec<(Job, Key, Node)> {
    map_with(Context::new(site, revisions, false), jobs)
}

fn map_with(context: Context, jobs: &[Job]) -> Vec<(Job, Key, Node)> {
    use rayon::prelude::*;
    let site = context.site;
    jobs.par_iter()
        .map(|job| {
            (
                *job,
                key(site, job),
                Node {
                    fingerprint: context.fingerprint(job),
                    template: template_of(site, job),
                },
            )
        })
        .collect()
}

/// What changed since the last render, to decide which pages are dirty.
#[derive(Debug, Default, Clone)]
pub(crate) struct Changes {
    /// Changed template files.
    pub templates: BTreeSet<PathBuf>,
    /// Names of changed data files (`content/data/NAME.yml`).
    pub data: BTreeSet<String>,
    /// True when a collection's data or record body changed.
    pub collections: bool,
    /// True when a post was saved, added or removed.
    pub posts: bool,
    /// True when a page was saved, added or removed.
    pub pages: bool,
    /// Re-render everything (configuration changed, templates appeared or vanished...).
    pub everything: bool,
}

/// Why a page is re-rendered (or None when the map proves it unaffected).
pub(crate) fn dirty_reason(
    old: Option<&Node>,
    new: &Node,
    closure: &Closure,
    changes: &Changes,
) -> Option<&'static str> {
    let Some(old) = old else {
        return Some("new page");
    };
    if changes.everything {
        return Some("full rebuild");
    }
    if old.fingerprint != new.fingerprint {
        return Some("its content, neighbours or listed posts changed");
    }
    if old.template != new.template {
        return Some("its template changed");
    }
    if closure.unsure
        && (!changes.templates.is_empty() || !changes.data.is_empty() || changes.collections)
    {
        return Some("its templates use something the dependency map cannot follow");
    }
    if closure.files.iter().any(|f| changes.templates.contains(f)) {
        return Some("a template it uses changed");
    }
    if (closure.data.all && !changes.data.is_empty())
        || closure.data.names.iter().any(|n| changes.data.contains(n))
    {
        return Some("a data file it reads changed");
    }
    if closure.all_posts && changes.posts {
        return Some("it lists every post, and a post changed");
    }
    if closure.all_pages && changes.pages {
        return Some("it lists every page, and a page changed");
    }
    if closure.collections && changes.collections {
        return Some("the collections it reads changed");
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn template_facts_follow_tags_and_reads() {
        let f = facts(
            r#"{% extends "base.html" %}{%- include 'partials/card.html' -%}{{ data.partners.list }}{{ t(key="x") }}"#,
        );
        assert_eq!(
            f.references,
            vec!["base.html".to_string(), "partials/card.html".to_string()]
        );
        assert!(!f.unsure);
        assert!(!f.data.all);
        assert_eq!(
            f.data.names.iter().cloned().collect::<Vec<_>>(),
            vec!["i18n".to_string(), "partners".to_string()]
        );
        assert!(!f.collections);
    }

    #[test]
    fn computed_reads_are_unsure() {
        let f =
            facts(r#"{% include name %}{% for k, v in data %}{{ collections.people | length }}"#);
        assert!(f.unsure);
        assert!(f.data.all);
        assert!(f.collections);
        let g = facts("{{ page.data }} {{ metadata }}");
        assert!(!g.data.all && g.data.names.is_empty());
    }
}
