//! A site kept rendered in memory and brought up to date file change by file change: the model is
//! patched (posts) or reloaded (anything else), then only the pages the dependency map ([`deps`])
//! cannot prove unaffected are re-rendered. The last good outputs stay in place while a change has
//! errors.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::output::{Body, Output};
use crate::preview::deps::{self, Changes, Closure, Node, Revisions, TemplateDeps};
use crate::render::{self, Templates};
use crate::site::plan::{Job, Key};
use crate::site::{self, BuildOptions, Site};
use crate::source::discover::Kind;

/// Output path → content, shared with the server without copying.
pub(crate) type Files = BTreeMap<String, Arc<Body>>;

/// The site in memory.
pub struct Live {
    root: PathBuf,
    options: BuildOptions,
    site: Option<Site>,
    templates: Option<Templates>,
    template_deps: TemplateDeps,
    revisions: Revisions,
    files: Arc<Files>,
    /// Template page → what it was made from and where it went.
    nodes: HashMap<Key, (Node, String)>,
    /// The outputs made without templates, in groups (feeds, sitemap, the others): a fingerprint of
    /// what each group was made from and the paths it made.
    extras: Vec<(u64, BTreeSet<String>)>,
    /// Files changed since the last successful render.
    pending: BTreeSet<PathBuf>,
}

/// What an update did.
#[derive(Debug, Default, Clone)]
pub struct Update {
    /// Output paths whose content changed, appeared or disappeared.
    pub changed: Vec<String>,
    /// Template pages rendered.
    pub rendered: usize,
    /// Template pages in the site.
    pub pages: usize,
    /// True when the model was reloaded from scratch.
    pub reloaded: bool,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Wall time.
    pub elapsed: Duration,
}

impl Update {
    /// True when only stylesheets changed, so a browser can swap them without reloading.
    pub(crate) fn css_only(&self) -> bool {
        !self.changed.is_empty() && self.changed.iter().all(|p| p.ends_with(".css"))
    }
}

fn is_under(path: &Path, folder: &Path) -> bool {
    path.starts_with(folder)
}

impl Live {
    /// An empty site for `root`: call [`Live::update`] with no change to build it.
    pub fn new(root: &Path, options: &BuildOptions) -> Live {
        Live {
            root: root.to_path_buf(),
            options: options.clone(),
            site: None,
            templates: None,
            template_deps: TemplateDeps::default(),
            revisions: Revisions::default(),
            files: Arc::new(Files::new()),
            nodes: HashMap::new(),
            extras: Vec::new(),
            pending: BTreeSet::new(),
        }
    }

    /// The last good outputs.
    pub fn files(&self) -> Arc<Files> {
        Arc::clone(&self.files)
    }

    /// Brings the site up to date after `changed` files (absolute, or relative to the site folder)
    /// changed, appeared or vanished. On error the last good outputs stay, and the changes are
    /// remembered for the next call.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Update, Vec<Diagnostic>> {
        let started = Instant::now();
        for path in changed {
            let relative = path.strip_prefix(&self.root).unwrap_or(path).to_path_buf();
            self.revisions.bump(&relative);
            self.pending.insert(relative);
        }
        let mut update = self.rebuild()?;
        self.pending.clear();
        update.elapsed = started.elapsed();
        Ok(update)
    }

    fn rebuild(&mut self) -> Result<Update, Vec<Diagnostic>> {
        let trace = std::env::var_os("GAZETTE_TRACE").is_some();
        let t0 = Instant::now();
        let phase = |name: &str| {
            if trace {
                eprintln!("  {name}: {} ms", t0.elapsed().as_millis());
            }
        };
        let mut update = Update::default();
        let mut changes = Changes::default();
        let theme = self.site.as_ref().map(|s| s.config.theme.clone());
        let theme_folder = theme.map(|t| Path::new("themes").join(t));
        let is_template = |p: &Path| {
            is_under(p, Path::new("templates"))
                || theme_folder
                    .as_ref()
                    .is_some_and(|t| is_under(p, &t.join("templates")))
        };
        let is_static = |p: &Path| {
            is_under(p, Path::new("assets"))
                || theme_folder
                    .as_ref()
                    .is_some_and(|t| is_under(p, &t.join("static")))
        };
        let known = |site: &Site, p: &Path| {
            site.sources.files.iter().any(|f| f.path == p) && self.root.join(p).is_file()
        };
        let posts: Vec<PathBuf> = self
            .pending
            .iter()
            .filter(|p| crate::source::layout::is_post_path(p))
            .cloned()
            .collect();
        // The model can be patched when only posts changed, and templates or static files that
        // already existed and still do; anything else reloads it.
        let patchable = self.site.as_ref().is_some_and(|site| {
            self.pending.iter().all(|p| {
                crate::source::layout::is_post_path(p)
                    || ((is_template(p) || is_static(p)) && known(site, p))
            })
        });
        let templates_changed: BTreeSet<PathBuf> = self
            .pending
            .iter()
            .filter(|p| is_template(p))
            .cloned()
            .collect();
        changes.templates = templates_changed.clone();
        let model_changed;
        if patchable {
            model_changed = !posts.is_empty();
            // Edits of existing posts only may take the fast path.
            let before: Option<Vec<Before>> = self
                .site
                .as_ref()
                .filter(|_| {
                    !posts.is_empty()
                        && posts.len() == self.pending.len()
                        && self.templates.is_some()
                        && !self.nodes.is_empty()
                })
                .and_then(|site| posts.iter().map(|p| Before::of(site, p)).collect());
            let post_count = self.site.as_ref().map_or(0, |s| s.posts.len());
            if let Some(site) = self.site.as_mut() {
                let problems = crate::site::update::update_posts(site, &posts, &self.options);
                if problems.iter().any(Diagnostic::is_error) {
                    return Err(problems);
                }
                update.warnings.extend(problems);
            }
            phase("patch");
            if let Some(before) = before
                && let Some(fast) = self.post_edit(&before, post_count, &update.warnings)?
            {
                phase("fast path");
                return Ok(fast);
            }
        } else {
            let (site, problems) = site::load(&self.root, &self.options);
            let Some(site) = site else {
                return Err(problems);
            };
            update.warnings.extend(problems);
            update.reloaded = true;
            model_changed = true;
            let data_folder = Path::new("content").join("data");
            for path in &self.pending {
                if path == Path::new(crate::source::config::FILE_NAME) || self.site.is_none() {
                    changes.everything = true;
                }
                if is_under(path, &data_folder)
                    && let Some(stem) = path.file_stem()
                {
                    changes.data.insert(stem.to_string_lossy().into_owned());
                }
                let in_collections = site.collections.iter().any(|c| &c.file == path)
                    || site
                        .sources
                        .files
                        .iter()
                        .any(|f| &f.path == path && matches!(f.kind, Kind::Body(_)))
                    || self.site.as_ref().is_some_and(|old| {
                        old.sources
                            .files
                            .iter()
                            .any(|f| &f.path == path && matches!(f.kind, Kind::Body(_)))
                    });
                // A file under content/ that is no post, page or known data: count it as collections data.
                if in_collections
                    || (is_under(path, Path::new("content"))
                        && !crate::source::layout::is_post_path(path)
                        && !is_under(path, &data_folder))
                {
                    changes.collections = true;
                }
            }
            self.site = Some(site);
        }
        let Some(site) = self.site.as_ref() else {
            return Err(Vec::new());
        };

        // Templates read data (the `t()` function holds the interface strings): reload them too.
        if self.templates.is_none() || !templates_changed.is_empty() || update.reloaded {
            let templates = Templates::load(site)?;
            let template_deps = TemplateDeps::scan(site);
            if template_deps.template_files() != self.template_deps.template_files() {
                changes.everything = true;
            }
            self.templates = Some(templates);
            self.template_deps = template_deps;
        }
        let Some(templates) = self.templates.as_mut() else {
            return Err(Vec::new());
        };

        phase("templates");
        let jobs = crate::site::plan::jobs(site);
        let map = deps::map(site, &self.revisions, &jobs);
        phase("map");
        let mut closures: HashMap<String, Closure> = HashMap::new();
        let mut dirty = Vec::new();
        for (job, key, node) in &map {
            let closure = closures
                .entry(node.template.clone())
                .or_insert_with(|| self.template_deps.closure(&node.template));
            if deps::dirty_reason(self.nodes.get(key).map(|(n, _)| n), node, closure, &changes)
                .is_some()
            {
                dirty.push(*job);
            }
        }
        phase("dirty");
        let (rendered, problems) = render::render_jobs(site, templates, &dirty);
        phase("render");
        if !problems.is_empty() {
            return Err(problems);
        }
        update.rendered = rendered.len();
        update.pages = jobs.len();

        // The new set of outputs: the old ones of unaffected pages, the rendered ones, the extras.
        let mut files: Files = (*self.files).clone();
        let mut changed: BTreeSet<String> = BTreeSet::new();
        let new_keys: HashSet<&Key> = map.iter().map(|(_, k, _)| k).collect();
        let rendered_keys: HashSet<Key> = rendered
            .iter()
            .map(|(job, _)| crate::site::plan::key(site, job))
            .collect();
        for (key, (_, path)) in &self.nodes {
            if !new_keys.contains(key) || rendered_keys.contains(key) {
                files.remove(path);
                changed.insert(path.clone());
            }
        }
        let mut nodes: HashMap<Key, (Node, String)> = HashMap::with_capacity(map.len());
        let by_key: HashMap<Key, Output> = rendered
            .into_iter()
            .map(|(job, o)| (crate::site::plan::key(site, &job), o))
            .collect();
        let mut by_key = by_key;
        let mut page_paths: Vec<String> = Vec::with_capacity(map.len());
        let mut problems = Vec::new();
        let mut fresh: Vec<Output> = Vec::new();
        for (_, key, node) in map {
            let path = match by_key.remove(&key) {
                Some(output) => {
                    let path = output.path.clone();
                    fresh.push(output);
                    path
                }
                None => match self.nodes.get(&key) {
                    Some((_, path)) => path.clone(),
                    None => continue,
                },
            };
            page_paths.push(path.clone());
            nodes.insert(key, (node, path));
        }
        phase("merge");
        let mut extras = self.extras.clone();
        if model_changed {
            let fingerprints = [
                if changes.everything {
                    u64::MAX
                } else {
                    feeds_fingerprint(site, &self.revisions)
                },
                if changes.everything {
                    u64::MAX
                } else {
                    sitemap_fingerprint(site, &page_paths)
                },
                // The other outputs are cheap: made again on every model change.
                u64::MAX,
            ];
            extras.resize(fingerprints.len(), (0, BTreeSet::new()));
            for (group, fingerprint) in fingerprints.into_iter().enumerate() {
                let (old, paths) = &extras[group];
                if fingerprint != u64::MAX && *old == fingerprint {
                    continue;
                }
                for path in paths {
                    files.remove(path);
                    changed.insert(path.clone());
                }
                let made = match group {
                    0 => crate::render::feed::feeds(site),
                    1 if site.config.sitemap => vec![render::sitemap_output(
                        site,
                        page_paths.iter().map(String::as_str),
                    )],
                    1 => Vec::new(),
                    _ => render::other_outputs(site),
                };
                extras[group] = (fingerprint, made.iter().map(|o| o.path.clone()).collect());
                fresh.extend(made);
            }
        }
        phase("extras");
        for output in fresh {
            // Every path left in `files` belongs to another page or file: two on one path.
            if files.contains_key(&output.path) {
                let file = output
                    .source
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(&output.path));
                problems.push(
                    Diagnostic::error(
                        "duplicate-url",
                        file,
                        format!("two pages would be written to /{}", output.path),
                    )
                    .help("give one of them another `permalink` or `slug`"),
                );
                continue;
            }
            changed.insert(output.path.clone());
            files.insert(output.path, Arc::new(output.body));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        // Paths removed and written back with the same bytes did not change.
        changed.retain(|p| match (self.files.get(p), files.get(p)) {
            (Some(a), Some(b)) => a != b,
            (None, None) => false,
            _ => true,
        });
        update.changed = changed.into_iter().collect();
        phase("compare");
        // Static files are copied from disk when served: a change to one changes what is served.
        for path in &self.pending {
            if is_static(path)
                && let Some(file) = site.sources.files.iter().find(|f| &f.path == path)
            {
                update.changed.push(file.relative.clone());
            }
        }
        self.files = Arc::new(files);
        self.nodes = nodes;
        self.extras = extras;
        Ok(update)
    }
}

/// A post as it was before an edit: what decides whether the edit can take the fast path.
struct Before {
    index: usize,
    file: PathBuf,
    date: chrono::NaiveDateTime,
    lang: String,
    url: String,
    tags: Vec<String>,
    aliases: Vec<String>,
    translation_key: Option<String>,
}

impl Before {
    fn of(site: &Site, file: &Path) -> Option<Before> {
        let index = site.posts.iter().position(|p| p.file == file)?;
        let p = &site.posts[index];
        Some(Before {
            index,
            file: p.file.clone(),
            date: p.date,
            lang: p.lang.clone(),
            url: p.url.clone(),
            tags: p.tags.clone(),
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
                && p.aliases == self.aliases
        })
    }
}

impl Live {
    /// The fast path for edits of existing posts that kept their place (see [`Before::same_place`]):
    /// only the pages that show the edited posts are fingerprinted again (their own page, their
    /// neighbours', the listing pages and translations that show them), the rest of the dependency
    /// map is unchanged by construction. None when the edit does not qualify.
    fn post_edit(
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
        // Posts whose card changed: the edited ones and those sharing a translation key with them.
        let mut keys: HashSet<&str> = HashSet::new();
        for b in before {
            keys.extend(b.translation_key.as_deref());
            keys.extend(site.posts[b.index].translation_key.as_deref());
        }
        let mut cards: BTreeSet<usize> = before.iter().map(|b| b.index).collect();
        if !keys.is_empty() {
            for (i, p) in site.posts.iter().enumerate() {
                if p.translation_key
                    .as_deref()
                    .is_some_and(|k| keys.contains(k))
                {
                    cards.insert(i);
                }
            }
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
        let size = site.config.pagination.size.max(1);
        for (l, posts) in crate::site::plan::posts_by_language(site)
            .iter()
            .enumerate()
        {
            for &i in &cards {
                if let Ok(at) = posts.binary_search(&i) {
                    if at < site.config.home_posts {
                        jobs.insert(Job::Home(l));
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
        let jobs: Vec<Job> = jobs.into_iter().collect();
        // The set of pages is the same: a job without a node is no page of the site (a home page
        // replaced by a page).
        let mut map = deps::map_some(site, &self.revisions, &jobs);
        map.retain(|(_, key, _)| self.nodes.contains_key(key));
        let changes = Changes::default();
        let mut dirty = Vec::new();
        for (job, key, node) in &map {
            let closure = self.template_deps.closure(&node.template);
            if deps::dirty_reason(
                self.nodes.get(key).map(|(n, _)| n),
                node,
                &closure,
                &changes,
            )
            .is_some()
            {
                dirty.push(*job);
            }
        }
        let (rendered, problems) = render::render_jobs(site, templates, &dirty);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut files: Files = (*self.files).clone();
        let mut changed: Vec<String> = Vec::new();
        let mut put = |files: &mut Files, output: Output| {
            let body = Arc::new(output.body);
            if files.get(&output.path) != Some(&body) {
                changed.push(output.path.clone());
            }
            files.insert(output.path, body);
        };
        let count = rendered.len();
        for (job, output) in rendered {
            let same_path = self
                .nodes
                .get(&crate::site::plan::key(site, &job))
                .is_some_and(|(_, path)| *path == output.path);
            if !same_path {
                return Ok(None);
            }
            put(&mut files, output);
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
            for output in made {
                put(&mut files, output);
            }
            *old = fingerprint;
        }
        for (_, key, node) in map {
            if let Some(entry) = self.nodes.get_mut(&key) {
                entry.0 = node;
            }
        }
        self.files = Arc::new(files);
        self.extras = extras;
        Ok(Some(Update {
            changed,
            rendered: count,
            pages: self.nodes.len(),
            reloaded: false,
            warnings: warnings.to_vec(),
            elapsed: Duration::ZERO,
        }))
    }
}

fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// What the feeds are made from: the latest posts of the blog and of each tag, by revision.
fn feeds_fingerprint(site: &Site, revisions: &Revisions) -> u64 {
    let limit = site.config.feed.limit;
    let post = |i: usize| {
        let p = &site.posts[i];
        (revisions.of(&p.file), &p.file, &p.url, &p.title, p.date)
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
fn sitemap_fingerprint(site: &Site, pages: &[String]) -> u64 {
    let dates: Vec<_> = site.posts.iter().map(|p| (&p.url, p.date)).collect();
    hash_of(&(pages, dates))
}

/// Renders `root` from scratch in memory, the way `gazette build` does: what incremental updates
/// must equal.
pub fn clean(root: &Path, options: &BuildOptions) -> Result<Files, Vec<Diagnostic>> {
    let rendered = crate::pipeline::render_site(root, options)?;
    Ok(rendered
        .outputs
        .into_iter()
        .map(|o| (o.path, Arc::new(o.body)))
        .collect())
}
