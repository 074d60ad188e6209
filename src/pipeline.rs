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
    let timer = PhaseTimer::start();
    set_phase(Phase::Loading);
    let cache = root.join(HIGHLIGHT_CACHE);
    if let Ok(bytes) = std::fs::read(&cache) {
        crate::markdown::load_highlight_cache(&bytes);
    }
    let (site, mut problems) = crate::site::load(root, options);
    if site.is_some() {
        save_highlight_cache(&cache);
    }
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
    timer.lap("templates");
    set_phase(Phase::Rendering);
    let rendered = crate::render::render(&site, &mut templates);
    timer.lap("render");
    match rendered {
        Ok(outputs) => {
            let views: Vec<OutputRef> = outputs.iter().map(Output::as_ref).collect();
            problems.extend(content_rules(&site, &views));
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

/// The content rules of site.yml (`rules:`) over a rendered site, as every build and every
/// preview update runs them: errors fail the build (the preview shows them over the page),
/// warnings are shown.
pub(crate) fn content_rules(site: &Site, outputs: &[OutputRef]) -> Vec<Diagnostic> {
    let options = crate::check::CheckOptions {
        external: false,
        image_alt: false,
    };
    drafts_only_warn(site, crate::check::run(site, outputs, &options))
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

fn save_highlight_cache(path: &Path) {
    let bytes = crate::markdown::highlight_cache_bytes();
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
    let mut rendered = render_site(root, options)?;
    let timer = PhaseTimer::start();
    let (mut images, image_warnings) = publish_images(&rendered.site, &mut rendered.outputs);
    rendered.warnings.extend(image_warnings);
    timer.lap("images");
    // The browser editor, only when site.yml asks for it (`admin: {publish: true}`).
    let admin = crate::admin::outputs(&rendered.site.config, root, &rendered.outputs);
    rendered.outputs.extend(admin);
    rendered
        .warnings
        .extend(crate::output::duplicate_outputs(&mut rendered.outputs));
    set_phase(Phase::Writing);
    // Dropped in reverse order: the lock is released before Ctrl-C is honoured again.
    let _critical = crate::output::interrupt::CriticalSection::enter();
    let _lock = write::lock(&output).map_err(|d| vec![d])?;
    fresh::forget(root, &output);
    let report = write::write(root, &output, &rendered.outputs).map_err(|d| vec![d])?;
    timer.lap("write");
    // The whole site is written: the cached copies of pictures it no longer shows can go.
    let site = &rendered.site;
    images.removed = crate::media::prune_cache(root, &site.config.images, &rendered.outputs);
    set_phase(Phase::Idle);
    let summary = Summary {
        write: report,
        outputs: rendered.outputs.len(),
        posts: rendered.site.posts.len(),
        tags: rendered.site.tags.len(),
        collections: rendered
            .site
            .collections
            .iter()
            .map(|c| (c.name.clone(), c.records.len()))
            .collect(),
        warnings: rendered.warnings,
        images,
        elapsed: started.elapsed(),
        unchanged_sources: false,
    };
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
