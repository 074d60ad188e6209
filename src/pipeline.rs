//! The one pipeline of gazette: load the site, render it, run the content rules, and (for a build)
//! write it. `build`, `check` and the preview all go through here.

use crate::progress::Phase;
use crate::progress::PhaseTimer;
use crate::progress::set_phase;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::output::fresh;
use crate::output::write::{self, WriteReport};
use crate::output::{Output, OutputRef};
use crate::render::Templates;
use crate::site::{BuildOptions, Site};

/// The result of rendering a site in memory.
pub struct Rendered {
    /// The validated site.
    pub(crate) site: Site,
    /// Every output file.
    pub outputs: Vec<Output>,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
}

/// Loads and renders the site in `root` without writing anything. Errors come with every other
/// problem found.
pub fn render_site(root: &Path, options: &BuildOptions) -> Result<Rendered, Vec<Diagnostic>> {
    let (site, mut templates, mut problems) = prepare(root, options)?;
    let timer = PhaseTimer::start();
    set_phase(Phase::Rendering);
    let rendered = crate::render::render(&site, &mut templates);
    timer.lap("render");
    match rendered {
        Ok(outputs) => {
            let views: Vec<OutputRef> = outputs.iter().map(Output::as_ref).collect();
            problems.extend(crate::site::unreadable_bodies(&site));
            problems.extend(content_rules(&site, &views, None));
            timer.lap("check");
            if problems.iter().any(Diagnostic::is_error) {
                return Err(problems);
            }
            Ok(Rendered {
                site,
                outputs,
                warnings: problems,
            })
        }
        Err(found) => {
            problems.extend(found);
            Err(problems)
        }
    }
}

/// The site in `root` loaded, with its templates and the bodies of `render: tera` posts, ready
/// to render; with the warnings found so far, or every problem when it cannot be rendered.
fn prepare(
    root: &Path,
    options: &BuildOptions,
) -> Result<(Site, Templates, Vec<Diagnostic>), Vec<Diagnostic>> {
    let timer = PhaseTimer::start();
    set_phase(Phase::Loading);
    let (site, mut problems) = load_site(root, options);
    timer.lap("load");
    let Some(mut site) = site else {
        return Err(problems);
    };
    let mut templates = match Templates::load(&site) {
        Ok(t) => t,
        Err(found) => {
            problems.extend(found);
            return Err(problems);
        }
    };
    problems.append(&mut templates.warnings);
    if let Err(found) = crate::render::expand_post_bodies(&mut site, &mut templates, None) {
        problems.extend(found);
        return Err(problems);
    }
    crate::markdown::forget_highlights();
    timer.lap("templates");
    Ok((site, templates, problems))
}

/// The content rules of site.yml (`rules:`) over a rendered site, as every build and every
/// preview update runs them: errors fail the build (the preview shows them over the page),
/// warnings are shown.
pub(crate) fn content_rules(
    site: &Site,
    outputs: &[OutputRef],
    scanned: Option<std::collections::HashMap<String, crate::check::links::Scanned>>,
) -> Vec<Diagnostic> {
    let options = crate::check::CheckOptions {
        external: false,
        image_alt: false,
    };
    drafts_only_warn(
        site,
        crate::check::run_scanned(site, outputs, &options, scanned),
    )
}

/// A draft is work in progress: what the content rules find in it is a warning (shown in the
/// preview's panel, printed by `build --drafts` and `check --drafts`) until `draft:` is removed;
/// then the same findings are errors.
fn drafts_only_warn(site: &Site, mut found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let drafts: Vec<&Path> = site
        .posts
        .iter()
        .filter(|p| p.draft)
        .map(|p| p.file.as_path())
        .collect();
    if drafts.is_empty() {
        return found;
    }
    for d in &mut found {
        if d.is_error() && drafts.contains(&d.file.as_path()) {
            d.severity = crate::diagnostic::Severity::Warning;
        }
    }
    found
}

/// Checks without building: loads the site leniently (so that every mistake is found at once),
/// renders it in memory, and runs the rules. Returns every diagnostic, load problems included.
pub fn check_site(root: &Path, build_options: &BuildOptions, external: bool) -> Vec<Diagnostic> {
    let (site, mut problems) = crate::site::load_lenient(root, build_options);
    let Some(site) = site else { return problems };
    let mut site = site;
    let outputs = match Templates::load(&site) {
        Ok(mut templates) => {
            match crate::render::expand_post_bodies(&mut site, &mut templates, None)
                .and_then(|()| crate::render::render(&site, &mut templates))
            {
                Ok(mut outputs) => {
                    problems.extend(publish_images(&site, &mut outputs).1);
                    outputs
                }
                Err(found) => {
                    problems.extend(found);
                    Vec::new()
                }
            }
        }
        Err(found) => {
            problems.extend(found);
            Vec::new()
        }
    };
    let options = crate::check::CheckOptions {
        external,
        image_alt: true,
    };
    let outputs: Vec<OutputRef> = outputs.iter().map(crate::output::Output::as_ref).collect();
    problems.extend(drafts_only_warn(
        &site,
        crate::check::run(&site, &outputs, &options),
    ));
    crate::check::dedup(problems)
}

/// The site's pictures published in smaller copies (see [`crate::media`]); a copy whose path is
/// already taken is dropped with an error.
fn publish_images(
    site: &Site,
    outputs: &mut Vec<Output>,
) -> (crate::media::ImageReport, Vec<Diagnostic>) {
    let (report, mut warnings) = crate::media::publish_images(
        &site.root,
        &site.config.images,
        &site.config.base_url,
        outputs,
    );
    if report.made + report.cached > 0 {
        warnings.extend(crate::output::duplicate_outputs(outputs));
    }
    (report, warnings)
}

/// Where highlighted code blocks are kept between builds, in the site folder.
pub(crate) const HIGHLIGHT_CACHE: &str = ".gazette-cache/highlight.bin";

/// Loads the site in `root`: a post whose text did not change since the last build takes its
/// body from the site's cache of rendered bodies, and code blocks seen before (syntect takes
/// seconds on thousands of blocks) from its cache of highlighted blocks, read only when a block
/// is missing; both caches are brought up to date when the site loads.
pub(crate) fn load_site(root: &Path, options: &BuildOptions) -> (Option<Site>, Vec<Diagnostic>) {
    let cache = root.join(HIGHLIGHT_CACHE);
    crate::markdown::highlight_cache_at(&cache);
    let bodies = crate::site::BodyCache::open(root);
    let (site, problems) = crate::site::load_with(root, options, Some(&bodies));
    if site.is_some() {
        save_highlight_cache(&cache);
        bodies.finish();
    }
    (site, problems)
}

fn save_highlight_cache(path: &Path) {
    let Some(bytes) = crate::markdown::highlight_cache_bytes() else {
        return;
    };
    // The cache only saves time: a site folder that cannot be written still builds.
    if let Some(folder) = path.parent() {
        let _ = std::fs::create_dir_all(folder);
    }
    let temp = path.with_extension("tmp");
    if std::fs::write(&temp, bytes).is_ok() {
        let _ = std::fs::rename(&temp, path);
    }
}

/// What a finished build did.
pub struct Summary {
    /// Files written, unchanged and removed.
    pub write: WriteReport,
    /// Number of output files.
    pub outputs: usize,
    /// Posts built.
    pub posts: usize,
    /// Tags.
    pub tags: usize,
    /// Collections and their record counts.
    pub collections: Vec<(String, usize)>,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Pictures made smaller now or found in the cache.
    pub images: crate::media::ImageReport,
    /// Wall time.
    pub elapsed: Duration,
    /// True when nothing changed since the last build, which was therefore neither rendered nor
    /// written again (its warnings are shown again).
    pub unchanged_sources: bool,
}

impl Summary {
    /// The summary of a build that found its sources and outputs as the last build left them.
    fn unchanged(record: &fresh::Record, started: Instant) -> Summary {
        Summary {
            write: WriteReport {
                written: 0,
                unchanged: record.outputs,
                removed: 0,
            },
            outputs: record.outputs,
            posts: record.posts,
            tags: record.tags,
            collections: record.collections.clone(),
            warnings: record.warnings(),
            images: crate::media::ImageReport {
                made: 0,
                cached: record.images,
                removed: 0,
            },
            elapsed: started.elapsed(),
            unchanged_sources: true,
        }
    }

    /// A line saying that nothing was done, when nothing needed to be.
    pub fn unchanged_line(&self) -> Option<crate::diagnostic::Text> {
        self.unchanged_sources.then(|| {
            crate::msg!(
                "Nothing changed since the last build (sources, options, output files): nothing was rendered again"
            )
        })
    }
}

impl Summary {
    /// One line for the terminal.
    pub fn line(&self, output: &Path) -> crate::diagnostic::Text {
        let collections: String = self
            .collections
            .iter()
            .map(|(n, c)| format!(", {c} {n}"))
            .collect();
        crate::msg!(
            "Built {files} files into {folder} ({written} written, {unchanged} unchanged, {removed} removed): {posts} posts, {tags} tags{collections} in {ms} ms",
            files = self.outputs,
            folder = output.display(),
            written = self.write.written,
            unchanged = self.write.unchanged,
            removed = self.write.removed,
            posts = self.posts,
            tags = self.tags,
            collections,
            ms = self.elapsed.as_millis()
        )
    }
}

impl Summary {
    /// One line about the pictures, when pages show some.
    pub fn images_line(&self) -> Option<crate::diagnostic::Text> {
        let images = self.images;
        if images.removed > 0 {
            return Some(crate::msg!(
                "Pictures: {made} made smaller now, {cached} taken from the cache, {removed} no longer used removed from it ({folder})",
                made = images.made,
                cached = images.cached,
                removed = images.removed,
                folder = crate::media::IMAGE_CACHE
            ));
        }
        (images.made + images.cached > 0).then(|| {
            crate::msg!(
                "Pictures: {made} made smaller now, {cached} taken from the cache ({folder})",
                made = images.made,
                cached = images.cached,
                folder = crate::media::IMAGE_CACHE
            )
        })
    }
}

/// Builds the site in `root` into `output`. Nothing is written unless the whole site rendered.
pub fn build(
    root: &Path,
    output: &Path,
    options: &BuildOptions,
) -> Result<Summary, Vec<Diagnostic>> {
    let started = Instant::now();
    let output: PathBuf = if output.is_absolute() {
        output.to_path_buf()
    } else {
        root.join(output)
    };
    let output = write::output_folder(root, &output).map_err(|d| vec![d])?;
    // Computed before anything is read: a file changed during this build changes the next one's.
    let timer = PhaseTimer::start();
    let inputs = fresh::fingerprint(root, &output, &format!("{options:?}"));
    timer.lap("fingerprint of the sources");
    if let Some(inputs) = inputs {
        let _lock = write::lock(&output).map_err(|d| vec![d])?;
        let record = fresh::up_to_date(root, &output, inputs);
        timer.lap("output files checked");
        if let Some(record) = record {
            return Ok(Summary::unchanged(&record, started));
        }
    }
    let (site, mut templates, mut warnings) = prepare(root, options)?;
    set_phase(Phase::Rendering);
    // The output folder's lock is held from the first staged file to the last moved into place:
    // two builds never mix their files.
    let mut stage = write::Writer::new(root, &output);
    let streamed = render_and_stage(&site, &mut templates, &mut stage);
    let timer = PhaseTimer::start();
    let views: Vec<OutputRef> = streamed.outputs.iter().map(Output::as_ref).collect();
    let mut problems = streamed.problems;
    problems.extend(crate::site::unreadable_bodies(&site));
    problems.extend(content_rules(&site, &views, streamed.scanned));
    timer.lap("check");
    warnings.extend(streamed.image_warnings);
    if let Some(error) = streamed.write_error {
        problems.push(error);
    }
    if problems.iter().any(Diagnostic::is_error) {
        // The stage is dropped: what it staged goes, the output folder is as it was.
        warnings.extend(problems);
        return Err(warnings);
    }
    warnings.extend(problems);
    set_phase(Phase::Writing);
    fresh::forget(root, &output);
    let report = stage.commit(Some(&streamed.keep)).map_err(|d| vec![d])?;
    timer.lap("write");
    // The whole site is written: the cached copies of pictures it no longer shows can go.
    let mut images = streamed.images;
    images.removed = crate::media::prune_cache(root, &site.config.images, &streamed.outputs);
    set_phase(Phase::Idle);
    let summary = Summary {
        write: report,
        outputs: streamed.keep.iter().filter(|k| **k).count(),
        posts: site.posts.len(),
        tags: site.tags.len(),
        collections: site
            .collections
            .iter()
            .map(|c| (c.name.clone(), c.records.len()))
            .collect(),
        warnings,
        images,
        elapsed: started.elapsed(),
        unchanged_sources: false,
    };
    free_later((site, templates, streamed.outputs));
    if let Some(inputs) = inputs {
        let lang = options
            .lang
            .unwrap_or_else(|| crate::diagnostic::Lang::of_site_folder(root));
        fresh::remember(
            root,
            &output,
            &fresh::Built {
                inputs,
                outputs: summary.outputs,
                posts: summary.posts,
                tags: summary.tags,
                collections: summary.collections.clone(),
                images: images.made + images.cached,
                warnings: &summary.warnings,
                lang,
            },
        );
    }
    Ok(summary)
}

/// Frees `value` on a thread of its own. Freeing the model of a site of 100,000 posts (millions
/// of small allocations) took 0.45 s that a build need not wait for: it reports and exits
/// meanwhile, and a process that exits is done with its memory anyway.
fn free_later<T: Send + 'static>(value: T) {
    // When no thread can be started, the closure and `value` are dropped here.
    let _ = std::thread::Builder::new()
        .name("gazette-free".to_string())
        .spawn(move || drop(value));
}

/// Pages rendered per batch by a build: enough to keep every core busy, few enough that memory
/// holds a bounded share of a 100,000-post site (each batch is staged, then dropped).
const BATCH: usize = 500;

/// What a build rendered and staged, its generated files' bytes already dropped.
struct Streamed {
    /// Every output in order (pages, feeds and sitemap, the site's files, copies of pictures,
    /// the browser editor), generated bytes replaced by nothing.
    outputs: Vec<Output>,
    /// Which of `outputs` are written (the others lost a clash of paths).
    keep: Vec<bool>,
    /// Errors of rendering and clashes of paths.
    problems: Vec<Diagnostic>,
    /// The links and anchors of each page, when the content rules check links.
    scanned: Option<std::collections::HashMap<String, crate::check::links::Scanned>>,
    images: crate::media::ImageReport,
    image_warnings: Vec<Diagnostic>,
    /// The first file that could not be staged (a full disk).
    write_error: Option<Diagnostic>,
}

/// Renders the site in batches, each handed to `stage` (and its links scanned when the content
/// rules check links, its pictures published) before it is dropped; then the files made from
/// the whole site: feeds, sitemap, the site's own files, copies of pictures, the editor. After
/// a problem, rendering goes on to find every other one, but nothing more is staged.
///
/// Batches are staged on a thread of their own while the next one renders: rendering is the
/// processor's work, staging mostly the kernel's (folders made one after the other, as they
/// wait on their parent's lock anyway, then the files), and done in turn they left a core idle
/// for a third of the time at 100,000 posts.
fn render_and_stage(site: &Site, templates: &mut Templates, stage: &mut write::Writer) -> Streamed {
    std::thread::scope(|scope| {
        // A rendezvous: the stage holds two batches (one whose files are written, one whose
        // folders are made) while the next renders, so memory holds three.
        let (sender, batches) = std::sync::mpsc::sync_channel::<Vec<Output>>(0);
        let stager = scope.spawn(move || stage_batches(stage, batches));
        let mut streamed = render_batches(site, templates, &sender);
        drop(sender);
        streamed.write_error = match stager.join() {
            Ok(error) => error,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        streamed
    })
}

/// Stages the batches `render_batches` sends until the first that cannot be staged (a full
/// disk), whose error it returns; the batches after it are not received.
fn stage_batches(
    stage: &mut write::Writer,
    batches: std::sync::mpsc::Receiver<Vec<Output>>,
) -> Option<Diagnostic> {
    for batch in batches {
        if let Err(error) = stage.add(batch) {
            return Some(error);
        }
    }
    stage.flush().err()
}

/// The rendering half of [`render_and_stage`]: every batch goes to `stager` unless a problem
/// was found or the stager stopped.
fn render_batches(
    site: &Site,
    templates: &mut Templates,
    stager: &std::sync::mpsc::SyncSender<Vec<Output>>,
) -> Streamed {
    let timer = PhaseTimer::start();
    let scan_links = site.config.rules.links.is_some();
    let jobs = crate::site::plan::jobs(site);
    let mut files = crate::render::other_outputs(site, &templates.asset_paths);
    let mut publisher = crate::media::Publisher::new(
        &site.root,
        &site.config.images,
        &site.config.base_url,
        &files,
    );
    let mut streamed = Streamed {
        outputs: Vec::new(),
        keep: Vec::new(),
        problems: Vec::new(),
        scanned: scan_links.then(std::collections::HashMap::new),
        images: crate::media::ImageReport::default(),
        image_warnings: Vec::new(),
        write_error: None,
    };
    // Once the stager stopped (its receiving end dropped), nothing more is sent.
    let mut stager_stopped = false;
    // `publisher`: the pages' pictures are published (None for files that are not pages).
    let mut hand_over = |mut batch: Vec<Output>,
                         streamed: &mut Streamed,
                         publisher: Option<&mut crate::media::Publisher>| {
        if let Some(scanned) = &mut streamed.scanned {
            scanned.extend(crate::check::links::scan_owned(&batch));
        }
        if let Some(publisher) = publisher {
            publisher.pages(&mut batch);
        }
        streamed.outputs.extend(batch.iter().map(without_bytes));
        let failed = stager_stopped || streamed.problems.iter().any(Diagnostic::is_error);
        if !failed && stager.send(batch).is_err() {
            stager_stopped = true;
        }
    };
    crate::render::render_in_batches(
        site,
        templates,
        &jobs,
        &mut crate::render::Kept::default(),
        crate::render::Batches {
            first: 0,
            size: BATCH,
        },
        |batch, found| {
            streamed.problems.extend(found);
            let batch = batch.into_iter().map(|(_, o)| o).collect();
            hand_over(batch, &mut streamed, publisher.as_mut());
        },
    );
    // The last batch may still be staging: its time is counted with the other files'.
    timer.lap("render and stage the pages");
    let pages = streamed.outputs.iter().map(|o| o.path.as_str());
    let generated = crate::render::feeds_and_sitemap(site, pages);
    hand_over(generated, &mut streamed, publisher.as_mut());
    let copies = match publisher {
        Some(publisher) => {
            let (copies, report, warnings) = publisher.finish(&mut files);
            streamed.images = report;
            streamed.image_warnings = warnings;
            copies
        }
        None => Vec::new(),
    };
    hand_over(files, &mut streamed, None);
    hand_over(copies, &mut streamed, None);
    // The browser editor, only when site.yml asks for it (`admin: {publish: true}`).
    let admin = crate::admin::outputs(&site.config, &site.root, &streamed.outputs);
    hand_over(admin, &mut streamed, None);
    let (keep, clashes) = crate::output::clashes(&streamed.outputs);
    streamed.keep = keep;
    streamed.problems.extend(clashes);
    timer.lap("render and stage the other files");
    streamed
}

/// An output kept for the content rules and the summary once staged: its path, source, and
/// for a copied file the file it copies; a generated file's bytes are left out.
fn without_bytes(output: &Output) -> Output {
    Output {
        path: output.path.clone(),
        body: match &output.body {
            crate::output::Body::Bytes(_) => crate::output::Body::Bytes(Vec::new()),
            crate::output::Body::Copy(from) => crate::output::Body::Copy(from.clone()),
        },
        source: output.source.clone(),
    }
}
