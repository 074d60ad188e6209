//! A site kept rendered in memory and brought up to date file change by file change: the model is
//! patched (posts) or reloaded (anything else), then only the pages the dependency map ([`deps`])
//! cannot prove unaffected are re-rendered. The last good outputs stay in place while a change has
//! errors.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::output::{Body, Output, OutputRef};
use crate::preview::deps::{self, Changes, Closure, Node, Revisions, TemplateDeps};
pub(crate) use crate::preview::early::{Early, EarlyPages};
use crate::preview::early::{early_after, render_viewed_first};
use crate::preview::fast_path::{self, Before};
use crate::preview::fingerprint::{aliases_fingerprint, feeds_fingerprint, sitemap_fingerprint};
use crate::progress::PhaseTimer;
use crate::render::{self, Templates};
use crate::site::plan::{self, Job, Key};
use crate::site::{self, BuildOptions, Site};
use crate::source::layout::{self, Kind};

/// Output path → content, shared with the server without copying.
pub(crate) type Files = BTreeMap<String, Arc<Body>>;

/// The site in memory.
pub struct Live {
    pub(super) root: PathBuf,
    pub(super) options: BuildOptions,
    pub(super) site: Option<Site>,
    pub(super) templates: Option<Templates>,
    pub(super) template_deps: TemplateDeps,
    pub(super) revisions: Revisions,
    pub(super) files: Arc<Files>,
    /// Output path → the source file it was made from, for the content rules' messages.
    pub(super) sources: HashMap<String, PathBuf>,
    /// Template page → what it was made from and where it went.
    pub(super) nodes: HashMap<Key, (Node, String)>,
    /// The outputs made without templates, in groups (feeds, sitemap, the others): a fingerprint of
    /// what each group was made from and the paths it made.
    pub(super) extras: Vec<(u64, BTreeSet<String>)>,
    /// Files changed since the last successful render.
    pub(super) pending: BTreeSet<PathBuf>,
    /// The warnings of the model as loaded or patched (the same as a fresh load would give).
    pub(super) model_warnings: Vec<Diagnostic>,
    /// The warnings of the templates as last parsed.
    pub(super) template_warnings: Vec<Diagnostic>,
    /// Values of records and data from the last render, kept while only posts change.
    pub(super) kept: render::Kept,
    /// The names `asset()` gave files at the last render (plain → fingerprinted).
    pub(super) asset_names: BTreeMap<String, String>,
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
    /// Every warning the site has now (model, templates, content rules): what a build of the same
    /// files would print.
    pub warnings: Vec<Diagnostic>,
    /// Wall time.
    pub elapsed: Duration,
    /// True when every file saved was a stylesheet (`.css`, `.scss`, `.sass`): pages changed only
    /// by the new fingerprinted names of their stylesheets (`asset()`).
    pub styles_only: bool,
    /// Output paths already shown, made again, before the rest of the update was rendered
    /// ([`Early`]): browsers showing them were reloaded then.
    pub shown_early: Vec<String>,
}

impl Update {
    /// True when only stylesheets changed, so a browser can swap them without reloading (taking
    /// their new addresses from the page).
    pub(crate) fn css_only(&self) -> bool {
        !self.changed.is_empty()
            && (self.styles_only || self.changed.iter().all(|p| p.ends_with(".css")))
    }
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
            sources: HashMap::new(),
            nodes: HashMap::new(),
            extras: Vec::new(),
            pending: BTreeSet::new(),
            model_warnings: Vec::new(),
            template_warnings: Vec::new(),
            kept: render::Kept::default(),
            asset_names: BTreeMap::new(),
        }
    }

    /// The language of gazette's messages for this site: `--lang`, else the site's (read from
    /// site.yml's text while the site cannot be loaded), else English.
    pub fn lang(&self) -> crate::check::Lang {
        match (&self.site, self.options.lang) {
            (Some(site), _) => crate::check::Lang::for_site(site),
            (None, Some(lang)) => lang,
            (None, None) => crate::diagnostic::Lang::of_site_folder(&self.root),
        }
    }

    /// The path the site is published under (`/site`, or empty): the preview serves it there too.
    pub(crate) fn base_path(&self) -> String {
        self.site
            .as_ref()
            .map(|site| site.config.base_path().to_string())
            .unwrap_or_default()
    }

    /// `images:` of site.yml (the defaults before the site could be read).
    pub(crate) fn images_config(&self) -> crate::source::config::ImagesConfig {
        self.site
            .as_ref()
            .map(|site| site.config.images.clone())
            .unwrap_or_default()
    }

    /// The last good outputs.
    pub fn files(&self) -> Arc<Files> {
        Arc::clone(&self.files)
    }

    /// Brings the site up to date after `changed` files (absolute, or relative to the site folder)
    /// changed, appeared or vanished. On error the last good outputs stay, and the changes are
    /// remembered for the next call.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Update, Vec<Diagnostic>> {
        self.update_early(changed, None)
    }

    /// [`Live::update`], showing the pages `early` names as soon as they are made again when
    /// the update renders many pages.
    pub(crate) fn update_early(
        &mut self,
        changed: &[PathBuf],
        early: Option<Early>,
    ) -> Result<Update, Vec<Diagnostic>> {
        let started = Instant::now();
        for path in changed {
            let relative = path.strip_prefix(&self.root).unwrap_or(path).to_path_buf();
            self.revisions.bump(&relative);
            self.pending.insert(relative);
        }
        let styles_only = !self.pending.is_empty()
            && self.pending.iter().all(|p| {
                p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    ["css", "scss", "sass"].contains(&e.to_ascii_lowercase().as_str())
                })
            });
        // A stylesheet's change is swapped in the page without reloading it: nothing to show
        // early (the pages change only by the stylesheet's new name).
        let early = early.filter(|_| !styles_only);
        let timer = PhaseTimer::start();
        let mut update = self.rebuild(early)?;
        timer.lap("update: rebuild");
        // The same content rules as a build, over the same outputs: what the preview shows is
        // what `gazette build` would refuse.
        let found = self.content_rules();
        timer.lap("update: content rules");
        if found.iter().any(Diagnostic::is_error) {
            let mut problems = update.warnings;
            problems.extend(found);
            return Err(problems);
        }
        // Every current warning, not only those of the files just saved: the preview lists them all.
        let mut warnings = self.model_warnings.clone();
        warnings.extend(self.template_warnings.iter().cloned());
        warnings.extend(found);
        update.warnings = distinct(warnings);
        timer.lap("update: warnings");
        update.styles_only = styles_only;
        self.pending.clear();
        update.elapsed = started.elapsed();
        Ok(update)
    }

    fn rebuild(&mut self, early: Option<Early>) -> Result<Update, Vec<Diagnostic>> {
        let timer = PhaseTimer::start();
        let mut update = Update::default();
        let pending = self.sort_pending();
        let mut changes = Changes {
            templates: pending.templates.clone(),
            posts: !pending.posts.is_empty(),
            pages: self.pending.iter().any(|p| p.starts_with(layout::PAGES)),
            ..Changes::default()
        };
        let mut model_changed = if pending.patchable {
            // Pages listing every post are made again only when a card changed.
            let with_text = self.template_deps.lists_post_text();
            let cards = |site: Option<&Site>| {
                site.map(|s| fast_path::card_hashes(s, &pending.posts, with_text))
            };
            let cards_before = cards(self.site.as_ref());
            if let Some(fast) = self.patch_posts(&pending.posts, &mut update)? {
                timer.lap("fast path");
                return Ok(fast);
            }
            changes.posts = cards_before.is_none() || cards_before != cards(self.site.as_ref());
            !pending.posts.is_empty()
        } else {
            // Records or data may have changed: their values are made again.
            self.kept.forget();
            self.reload_model(&mut changes, &mut update)?;
            true
        };
        timer.lap("model");
        self.refresh_templates(&pending, &mut changes, update.reloaded)?;
        if let (Some(site), Some(templates)) = (self.site.as_mut(), self.templates.as_mut()) {
            render::expand_post_bodies(site, templates, None)?;
        }
        timer.lap("templates");
        let (Some(site), Some(templates)) = (self.site.as_ref(), self.templates.as_mut()) else {
            return Err(Vec::new());
        };
        // A stylesheet or script with new bytes has a new name: every page linking it through
        // `asset()` is made again, and so is its fingerprinted copy.
        // (Remembered only once the update succeeds: after a failed one, the next does it all.)
        let mut asset_names = None;
        if templates.reads_assets {
            let names = render::asset_names(site, &templates.asset_paths);
            if names != self.asset_names {
                changes.everything |= !self.asset_names.is_empty();
                model_changed = true;
                asset_names = Some(names);
            }
        }
        let jobs = plan::jobs(site);
        let map = deps::map(site, &self.revisions, &jobs);
        let dirty = dirty_jobs(&map, &self.nodes, &self.template_deps, &changes);
        timer.lap("dependency map");
        let (rendered, problems) = match early {
            Some(early) if dirty.len() >= early_after() => {
                let (rendered, problems, shown) =
                    render_viewed_first(site, templates, dirty, &mut self.kept, &self.files, early);
                update.shown_early = shown;
                (rendered, problems)
            }
            _ => render::render_jobs_keeping(site, templates, &dirty, &mut self.kept),
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        timer.lap("render");
        update.rendered = rendered.len();
        update.pages = jobs.len();
        let mut next = NextFiles::from(&self.files, &self.sources);
        let (nodes, page_paths, mut fresh) =
            merge_pages(site, &self.nodes, map, rendered, &mut next);
        let extras = if model_changed {
            let inputs = ExtraInputs {
                site,
                revisions: &self.revisions,
                everything: changes.everything,
                only_posts: pending.patchable
                    && pending.templates.is_empty()
                    && pending.statics.is_empty(),
                page_paths: &page_paths,
                assets: &templates.asset_paths,
            };
            refresh_extras(&inputs, &self.extras, &mut next, &mut fresh)
        } else {
            self.extras.clone()
        };
        timer.lap("feeds, sitemap, others");
        next.add(fresh)?;
        update.changed = next.changed_from(&self.files);
        // Static files are copied from disk when served: a change to one changes what is served.
        for path in &self.pending {
            if pending.is_static(path)
                && let Some(file) = site.sources.files.iter().find(|f| &f.path == path)
            {
                update.changed.push(file.relative.clone());
            }
        }
        timer.lap("merge");
        self.files = Arc::new(next.files);
        self.sources = next.sources;
        self.nodes = nodes;
        self.extras = extras;
        if let Some(names) = asset_names {
            self.asset_names = names;
        }
        Ok(update)
    }

    /// The content rules of site.yml over the outputs in memory.
    fn content_rules(&self) -> Vec<Diagnostic> {
        let Some(site) = self.site.as_ref() else {
            return Vec::new();
        };
        let outputs: Vec<OutputRef> = self
            .files
            .iter()
            .map(|(path, body)| OutputRef {
                path,
                body,
                source: self.sources.get(path).map(PathBuf::as_path),
            })
            .collect();
        crate::pipeline::content_rules(site, &outputs, None)
    }

    /// The pending changes sorted by what they touch, with the site's layout.
    fn sort_pending(&self) -> Pending {
        let folders = self
            .site
            .as_ref()
            .map(|site| layout::folders(&self.root, &site.config))
            .unwrap_or_default();
        let kinds: Vec<(PathBuf, Option<Kind>)> = self
            .pending
            .iter()
            .map(|p| (p.clone(), layout::kind_of(p, &folders)))
            .collect();
        let posts: Vec<PathBuf> = self
            .pending
            .iter()
            .filter(|p| layout::is_post_path(p))
            .cloned()
            .collect();
        let templates: BTreeSet<PathBuf> = kinds
            .iter()
            .filter(|(_, k)| matches!(k, Some(Kind::Template { .. })))
            .map(|(p, _)| p.clone())
            .collect();
        let known = |site: &Site, p: &Path| {
            site.sources.files.iter().any(|f| f.path == p) && self.root.join(p).is_file()
        };
        // The model can be patched when only posts changed, and templates or static files that
        // already existed and still do; anything else reloads it.
        let patchable = self.site.as_ref().is_some_and(|site| {
            kinds.iter().all(|(p, kind)| {
                layout::is_post_path(p)
                    || (matches!(kind, Some(Kind::Template { .. } | Kind::Static))
                        && known(site, p))
            })
        });
        Pending {
            posts,
            templates,
            statics: kinds
                .into_iter()
                .filter(|(_, k)| *k == Some(Kind::Static))
                .map(|(p, _)| p)
                .collect(),
            patchable,
        }
    }

    /// Patches the model for edited, added or removed posts; the update when the edit took the
    /// fast path (see [`Live::post_edit`]).
    fn patch_posts(
        &mut self,
        posts: &[PathBuf],
        update: &mut Update,
    ) -> Result<Option<Update>, Vec<Diagnostic>> {
        // Edits of existing posts only may take the fast path, which re-renders a saved post and
        // the listings showing it: not enough when a template lists every post (`all_posts`).
        let lists_every_post = self.template_deps.own.values().any(|f| f.all_posts);
        let before: Option<Vec<Before>> = self
            .site
            .as_ref()
            .filter(|_| {
                !posts.is_empty()
                    && !lists_every_post
                    && posts.len() == self.pending.len()
                    && self.templates.is_some()
                    && !self.nodes.is_empty()
            })
            .and_then(|site| posts.iter().map(|p| Before::of(site, p)).collect());
        let post_count = self.site.as_ref().map_or(0, |s| s.posts.len());
        if let Some(site) = self.site.as_mut() {
            let problems = crate::site::update::update_posts(site, posts, &self.options);
            if problems.iter().any(Diagnostic::is_error) {
                return Err(problems);
            }
            // The warnings of the saved posts replace theirs; the others stay. The notice about
            // future posts is made again from every post's date.
            let future = crate::site::refresh_future(site, posts, &self.options);
            self.model_warnings.retain(|d| {
                !posts.contains(&d.file) && d.rule != crate::diagnostic::Rule::FuturePost
            });
            self.model_warnings.extend(problems.iter().cloned());
            self.model_warnings.extend(future);
            self.model_warnings = distinct(std::mem::take(&mut self.model_warnings));
            update.warnings.extend(problems);
        }
        // A post written as a template is rendered with the site's templates first.
        let templated = self.site.as_ref().is_some_and(|site| {
            site.posts
                .iter()
                .any(|p| p.body_template.is_some() && posts.contains(&p.file))
        });
        match before {
            Some(before) if !templated => self.post_edit(&before, post_count, &update.warnings),
            _ => Ok(None),
        }
    }

    /// Loads the model again from the files, and says what the change touched.
    fn reload_model(
        &mut self,
        changes: &mut Changes,
        update: &mut Update,
    ) -> Result<(), Vec<Diagnostic>> {
        // The first load reads (and saves) the cache of highlighted code blocks a build keeps;
        // later ones find the blocks in memory.
        let (site, problems) = if self.site.is_none() {
            crate::pipeline::load_site(&self.root, &self.options)
        } else {
            site::load(&self.root, &self.options)
        };
        let Some(site) = site else {
            return Err(problems);
        };
        self.model_warnings.clone_from(&problems);
        update.warnings.extend(problems);
        update.reloaded = true;
        let data_folder = layout::data_folder();
        let is_body = |site: &Site, path: &Path| {
            site.sources
                .files
                .iter()
                .any(|f| f.path == path && matches!(f.kind, Kind::Body(_)))
        };
        for path in &self.pending {
            if path == Path::new(crate::source::config::FILE_NAME) || self.site.is_none() {
                changes.everything = true;
            }
            if path.starts_with(&data_folder)
                && let Some(stem) = path.file_stem()
            {
                changes.data.insert(stem.to_string_lossy().into_owned());
            }
            // The theme's strings are read through `t()`, as the site's `data.i18n`.
            if path.ends_with(layout::THEME_STRINGS) && path.starts_with(layout::THEMES) {
                changes.data.insert("i18n".to_string());
            }
            let in_collections = site.collections.iter().any(|c| &c.file == path)
                || is_body(&site, path)
                || self.site.as_ref().is_some_and(|old| is_body(old, path));
            // A file under content/ that is no post, page or known data: count it as collections data.
            if in_collections
                || (path.starts_with(layout::CONTENT)
                    && !layout::is_post_path(path)
                    && !path.starts_with(&data_folder))
            {
                changes.collections = true;
            }
        }
        self.site = Some(site);
        Ok(())
    }

    /// Parses the templates again when one changed or the model was reloaded (templates read
    /// data: the `t()` function holds the interface strings).
    fn refresh_templates(
        &mut self,
        pending: &Pending,
        changes: &mut Changes,
        reloaded: bool,
    ) -> Result<(), Vec<Diagnostic>> {
        let Some(site) = self.site.as_ref() else {
            return Err(Vec::new());
        };
        if self.templates.is_none() || !pending.templates.is_empty() || reloaded {
            let templates = Templates::load(site)?;
            self.template_warnings.clone_from(&templates.warnings);
            let template_deps = TemplateDeps::scan(site);
            if template_deps.template_files() != self.template_deps.template_files() {
                changes.everything = true;
            }
            self.templates = Some(templates);
            self.template_deps = template_deps;
        }
        Ok(())
    }
}

/// `diagnostics` without exact repeats, in their first order.
fn distinct(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    diagnostics
        .into_iter()
        .filter(|d| seen.insert(d.clone()))
        .collect()
}

/// The files changed since the last update, sorted by what they touch.
struct Pending {
    posts: Vec<PathBuf>,
    templates: BTreeSet<PathBuf>,
    statics: Vec<PathBuf>,
    /// Only posts changed, and templates or static files the model already knows.
    patchable: bool,
}

impl Pending {
    fn is_static(&self, path: &Path) -> bool {
        self.statics.iter().any(|p| p == path)
    }
}

/// The template pages the dependency map cannot prove unaffected by `changes`.
fn dirty_jobs(
    map: &[(Job, Key, Node)],
    nodes: &HashMap<Key, (Node, String)>,
    template_deps: &TemplateDeps,
    changes: &Changes,
) -> Vec<Job> {
    let mut closures: HashMap<&str, Closure> = HashMap::new();
    map.iter()
        .filter(|(_, key, node)| {
            let closure = closures
                .entry(node.template.as_str())
                .or_insert_with(|| template_deps.closure(&node.template));
            deps::dirty_reason(nodes.get(key).map(|(n, _)| n), node, closure, changes).is_some()
        })
        .map(|(job, _, _)| *job)
        .collect()
}

/// The outputs being assembled by an update: the last good ones, minus what goes, plus what
/// was made again.
struct NextFiles {
    files: Files,
    sources: HashMap<String, PathBuf>,
    /// Paths removed or written (compared with the last good outputs at the end).
    touched: BTreeSet<String>,
}

impl NextFiles {
    fn from(files: &Files, sources: &HashMap<String, PathBuf>) -> NextFiles {
        NextFiles {
            files: files.clone(),
            sources: sources.clone(),
            touched: BTreeSet::new(),
        }
    }

    fn remove(&mut self, path: &str) {
        self.files.remove(path);
        self.sources.remove(path);
        self.touched.insert(path.to_string());
    }

    /// Adds fresh outputs; every path still taken belongs to another page or file.
    fn add(&mut self, fresh: Vec<Output>) -> Result<(), Vec<Diagnostic>> {
        let mut problems = Vec::new();
        for output in fresh {
            let folder_taken = output
                .path
                .match_indices('/')
                .any(|(at, _)| self.files.contains_key(&output.path[..at]));
            let below = format!("{}/", output.path);
            let files_below = self
                .files
                .range(below.clone()..)
                .next()
                .is_some_and(|(p, _)| p.starts_with(&below));
            if self.files.contains_key(&output.path) || folder_taken || files_below {
                problems.push(crate::output::duplicate_path(&output, None));
                continue;
            }
            self.touched.insert(output.path.clone());
            if let Some(source) = output.source {
                self.sources.insert(output.path.clone(), source);
            }
            self.files.insert(output.path, Arc::new(output.body));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The paths whose content differs from `before` (removed and written back with the same
    /// bytes is no change).
    fn changed_from(&self, before: &Files) -> Vec<String> {
        self.touched
            .iter()
            .filter(|p| match (before.get(*p), self.files.get(*p)) {
                (Some(a), Some(b)) => a != b,
                (None, None) => false,
                _ => true,
            })
            .cloned()
            .collect()
    }
}

/// Template page → what it was made from and where it went.
type Nodes = HashMap<Key, (Node, String)>;

/// The new nodes, every page's path and the freshly rendered outputs.
type MergedPages = (Nodes, Vec<String>, Vec<Output>);

/// Template pages after an update: the new nodes with their paths, every page's path, and the
/// freshly rendered outputs; pages gone or rendered again are removed from `next`.
fn merge_pages(
    site: &Site,
    old: &HashMap<Key, (Node, String)>,
    map: Vec<(Job, Key, Node)>,
    rendered: Vec<(Job, Output)>,
    next: &mut NextFiles,
) -> MergedPages {
    let new_keys: HashSet<&Key> = map.iter().map(|(_, k, _)| k).collect();
    let mut by_key: HashMap<Key, Output> = rendered
        .into_iter()
        .map(|(job, o)| (plan::key(site, &job), o))
        .collect();
    for (key, (_, path)) in old {
        if !new_keys.contains(key) || by_key.contains_key(key) {
            next.remove(path);
        }
    }
    let mut nodes: HashMap<Key, (Node, String)> = HashMap::with_capacity(map.len());
    let mut page_paths: Vec<String> = Vec::with_capacity(map.len());
    let mut fresh: Vec<Output> = Vec::new();
    for (_, key, node) in map {
        let path = match by_key.remove(&key) {
            Some(output) => {
                let path = output.path.clone();
                fresh.push(output);
                path
            }
            None => match old.get(&key) {
                Some((_, path)) => path.clone(),
                None => continue,
            },
        };
        page_paths.push(path.clone());
        nodes.insert(key, (node, path));
    }
    (nodes, page_paths, fresh)
}

/// What the outputs made without templates are made from.
struct ExtraInputs<'a> {
    site: &'a Site,
    revisions: &'a Revisions,
    /// Everything may have changed (site.yml, first build).
    everything: bool,
    /// Only posts changed.
    only_posts: bool,
    page_paths: &'a [String],
    /// The files templates name through `asset()`.
    assets: &'a render::assets::Wanted,
}

/// Makes again the groups of outputs without templates (feeds, sitemap, the others) whose inputs
/// changed; returns the new fingerprints and paths of each group.
fn refresh_extras(
    inputs: &ExtraInputs,
    old: &[(u64, BTreeSet<String>)],
    next: &mut NextFiles,
    fresh: &mut Vec<Output>,
) -> Vec<(u64, BTreeSet<String>)> {
    let site = inputs.site;
    let fingerprints = [
        if inputs.everything {
            u64::MAX
        } else {
            feeds_fingerprint(site, inputs.revisions)
        },
        if inputs.everything {
            u64::MAX
        } else {
            sitemap_fingerprint(site, inputs.page_paths)
        },
        // The other outputs (static files, styles, redirects) are made again on every model
        // change but an edit of posts, which only changes their redirects.
        // (The search index reads every post's text: made again after any post edit.)
        if inputs.only_posts && !site.config.search.enabled {
            aliases_fingerprint(site)
        } else {
            u64::MAX
        },
    ];
    let mut extras = old.to_vec();
    extras.resize(fingerprints.len(), (0, BTreeSet::new()));
    for (group, fingerprint) in fingerprints.into_iter().enumerate() {
        let (previous, paths) = &extras[group];
        if fingerprint != u64::MAX && *previous == fingerprint {
            continue;
        }
        for path in paths {
            next.remove(path);
        }
        let made = match group {
            0 => crate::render::feed::feeds(site),
            1 if site.config.sitemap => vec![render::sitemap_output(
                site,
                inputs.page_paths.iter().map(String::as_str),
            )],
            1 => Vec::new(),
            _ => render::other_outputs(site, inputs.assets),
        };
        extras[group] = (fingerprint, made.iter().map(|o| o.path.clone()).collect());
        fresh.extend(made);
    }
    extras
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
