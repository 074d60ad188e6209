//! Pictures published for the web: every JPEG, PNG or WebP picture a page shows (a Markdown
//! image, a front-matter `image:`, a theme's `<img>`) is published in a few widths as WebP and in
//! its own format, without its metadata, and the page's `<img>` tag lists them (`srcset`, real
//! `width` and `height`, lazy loading). The copies are kept in `.gazette-cache/images/`.
//!
//! The image crates are used in `codec.rs` only.

mod card;
mod codec;
mod process;
mod prune;
mod rewrite;
mod strip;

use crate::diagnostic::{Diagnostic, Rule};
use crate::output::fresh::{FileStamp, settled_before};
use crate::output::{Body, Output};
use crate::source::config::ImagesConfig;
use process::{Outcome, Processed, Settings};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub(crate) use codec::Format;

/// Where the copies are kept, in the site folder.
pub(crate) const IMAGE_CACHE: &str = ".gazette-cache/images";

/// What publishing the pictures did.
#[derive(Debug, Default, Clone, Copy)]
pub struct ImageReport {
    /// Pictures decoded and resized during this run.
    pub made: usize,
    /// Pictures whose copies were already in the cache.
    pub cached: usize,
    /// Copies no longer used, removed from the cache after the build.
    pub removed: usize,
}

/// After a complete, successful build whose outputs are `outputs`: removes from the image cache
/// the copies it did not use (see [`prune`]); returns how many. Nothing when pictures are not
/// processed (the build did not look at the cache).
pub(crate) fn prune_cache(root: &Path, config: &ImagesConfig, outputs: &[Output]) -> usize {
    if !config.process {
        return 0;
    }
    prune::prune(&root.join(IMAGE_CACHE), outputs)
}

/// Publishes the pictures the pages of `outputs` show: adds their copies to `outputs` and points
/// the pages' `<img>` tags at them. A picture that cannot be decoded is published as it is, with
/// a warning naming its file.
pub(crate) fn publish_images(
    root: &Path,
    config: &ImagesConfig,
    base_url: &str,
    outputs: &mut Vec<Output>,
) -> (ImageReport, Vec<Diagnostic>) {
    let Some(mut publisher) = Publisher::new(root, config, base_url, outputs) else {
        return (ImageReport::default(), Vec::new());
    };
    publisher.pages(outputs);
    let (copies, report, warnings) = publisher.finish(outputs);
    outputs.extend(copies);
    (report, warnings)
}

/// Publishes pictures for pages handed over in batches (a build streams its pages): each
/// picture is made smaller the first time a page shows it, and every page is pointed at the
/// copies of the pictures it shows.
pub(crate) struct Publisher<'a> {
    root: &'a Path,
    config: &'a ImagesConfig,
    site_url: rewrite::SiteUrl,
    /// The pictures the site publishes (output path → file, format).
    sources: HashMap<String, (PathBuf, Format)>,
    /// Pictures already looked at, made smaller or not.
    tried: HashSet<String>,
    processed: HashMap<String, Processed>,
    report: ImageReport,
    warnings: Vec<Diagnostic>,
}

impl<'a> Publisher<'a> {
    /// A publisher for the pictures among `files` (the site's copied files), or None when there
    /// is nothing to do: pictures are not processed, or the site has none.
    pub(crate) fn new(
        root: &'a Path,
        config: &'a ImagesConfig,
        base_url: &str,
        files: &[Output],
    ) -> Option<Publisher<'a>> {
        if !config.process {
            return None;
        }
        let sources = raster_sources(files);
        if sources.is_empty() {
            // No picture to make smaller: the pages need not be read (13,000 pages of a blog
            // whose posts name pictures it does not hold took 1.5 s).
            return None;
        }
        remove_abandoned_parts(&root.join(IMAGE_CACHE));
        Some(Publisher {
            root,
            config,
            site_url: rewrite::SiteUrl::new(base_url),
            sources,
            tried: HashSet::new(),
            processed: HashMap::new(),
            report: ImageReport::default(),
            warnings: Vec::new(),
        })
    }

    /// The pictures templates asked for with `resize_image` so far.
    fn requested() -> HashSet<String> {
        REQUESTED
            .lock()
            .map(|r| r.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Makes the copies of the pictures `pages` show that are not made yet, and points the
    /// pages' `<img>` tags at the copies.
    pub(crate) fn pages(&mut self, pages: &mut [Output]) {
        let timer = crate::progress::PhaseTimer::start();
        let mut shown = shown_pictures(pages, &self.site_url);
        timer.lap("images: pictures the pages show");
        // The pages' templates may have asked for copies with `resize_image` as they rendered.
        shown.extend(Self::requested());
        self.process(shown);
        timer.lap("images: copies made or found");
        let rewriter = rewrite::Rewriter {
            site_url: &self.site_url,
            sizes: &self.config.sizes,
            processed: &self.processed,
        };
        if self.processed.is_empty() {
            return;
        }
        pages.par_iter_mut().for_each(|output| {
            if let Body::Bytes(bytes) = &output.body
                && output.path.ends_with(".html")
                && memchr::memmem::find(bytes, b"<img").is_some()
                && let Some(html) = crate::text::utf8::as_str(bytes)
                && let Some(new_html) = rewriter.rewrite(html, &output.path)
            {
                output.body = Body::Bytes(new_html.into_bytes());
            }
        });
        timer.lap("images: pages pointed at the copies");
    }

    /// Makes the copies of the pictures of `wanted` (output paths) not looked at yet.
    fn process(&mut self, wanted: HashSet<String>) {
        let mut wanted: Vec<(String, PathBuf, Format)> = wanted
            .into_iter()
            .filter(|path| !self.tried.contains(path))
            .filter_map(|path| {
                let (file, format) = self.sources.get(&path)?;
                Some((path, file.clone(), *format))
            })
            .collect();
        if wanted.is_empty() {
            return;
        }
        wanted.sort_by(|a, b| a.0.cmp(&b.0));
        let settings = Settings {
            widths: self.config.widths.clone(),
            quality: self.config.quality,
        };
        let cache = self.root.join(IMAGE_CACHE);
        let results: Vec<(String, PathBuf, Result<Outcome, String>)> = wanted
            .into_par_iter()
            .map(|(path, file, format)| {
                let outcome = process::process(&file, format, &settings, &cache);
                (path, file, outcome)
            })
            .collect();
        for (path, file, outcome) in results {
            self.tried.insert(path.clone());
            let made = match outcome {
                Ok(Outcome::Made(p)) => {
                    self.report.made += 1;
                    p
                }
                Ok(Outcome::Cached(p)) => {
                    self.report.cached += 1;
                    p
                }
                Err(error) => {
                    self.warnings
                        .push(unreadable(relative(self.root, &file), &error));
                    continue;
                }
            };
            self.warnings.extend(too_heavy(
                relative(self.root, &file),
                &made,
                self.config.max_kb,
            ));
            self.processed.insert(path, made);
        }
    }

    /// Once every page was handed over: the site's own pictures in `files` are published
    /// without their metadata; gives the copies to publish (sorted by path), what was done,
    /// and the warnings.
    pub(crate) fn finish(
        mut self,
        files: &mut [Output],
    ) -> (Vec<Output>, ImageReport, Vec<Diagnostic>) {
        self.process(Self::requested());
        for output in files.iter_mut() {
            if let Some(p) = self.processed.get(&output.path)
                && let Some(name) = &p.stripped
            {
                output.body = Body::Copy(p.folder.join(name));
            }
        }
        let mut copies = cards(self.root, self.config, &self.sources, &mut self.warnings);
        for (path, p) in &self.processed {
            let source = self.sources.get(path).map(|(f, _)| f.clone());
            copies.extend(p.copies.iter().map(|copy| Output {
                path: rewrite::copy_output_path(path, copy),
                body: Body::Copy(p.folder.join(copy.file_name())),
                source: source.clone(),
            }));
        }
        copies.sort_by(|a, b| a.path.cmp(&b.path));
        (copies, self.report, self.warnings)
    }
}

/// Pictures templates asked for with `resize_image` (output paths): their copies are made even
/// when no `<img>` shows them (a background, an `og:image`).
static REQUESTED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Which copy `resize_image` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CopyKind {
    /// WebP, at least the width asked for.
    Webp,
    /// The widest copy in the picture's own format (JPEG, PNG).
    Original,
    /// The social card: 1200×630 around the centre, JPEG.
    Card,
}

/// Pictures templates asked a social card of (output paths).
static REQUESTED_CARDS: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// The upright size of each picture templates asked about, with the stamp of the file it was
/// read from: `resize_image` is called on every page that shows a picture (twice on a post page
/// of the default theme), and the preview asks again after each change.
static PICTURE_SIZES: Mutex<BTreeMap<PathBuf, SizeRead>> = Mutex::new(BTreeMap::new());

/// A picture's upright size (None: not a picture gazette reads), with the stamp of the file it
/// was read from.
type SizeRead = (FileStamp, Option<(u32, u32)>);

/// The upright size of the picture at `file`, read once for each version of the file; None
/// when it is missing or cannot be read as a picture.
fn picture_size(file: &Path) -> Option<(u32, u32)> {
    remembered_size(file, |file| codec::upright_size(file).ok())
}

/// [`picture_size`], reading with `read` the files it has no size of for their current stamp.
/// A file changed too recently for its stamp to be trusted (the rule of the build's own
/// fingerprint) is read each time and not remembered.
fn remembered_size(
    file: &Path,
    read: impl FnOnce(&Path) -> Option<(u32, u32)>,
) -> Option<(u32, u32)> {
    let stamp = FileStamp::of(&std::fs::metadata(file).ok()?);
    if let Ok(sizes) = PICTURE_SIZES.lock()
        && let Some((known, size)) = sizes.get(file)
        && *known == stamp
    {
        return *size;
    }
    let size = read(file);
    let settled = settled_before().is_some_and(|before| stamp.settled(before));
    if settled && let Ok(mut sizes) = PICTURE_SIZES.lock() {
        sizes.insert(file.to_path_buf(), (stamp, size));
    }
    size
}

/// A copy as `resize_image` gives it to a template.
#[derive(Debug, serde::Serialize)]
pub(crate) struct ResizedCopy {
    /// Its address (WebP), or the picture's own when it is not processed.
    pub(crate) url: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// `resize_image(path="/img/a.jpg", width=480)`: the copy of the picture `path` (served from
/// `assets/`) at least `width` pixels wide (the widest made when none is), which the build
/// publishes; for [`CopyKind::Original`], the widest copy in the picture's own format (JPEG,
/// PNG) instead of WebP; for [`CopyKind::Card`], its social card. Width and height are 0 for a
/// picture gazette cannot read (it is then given back as written).
pub(crate) fn resized_copy(
    root: &Path,
    config: &ImagesConfig,
    base_url: &str,
    path: &str,
    width: u32,
    kind: CopyKind,
) -> ResizedCopy {
    let own_format = kind == CopyKind::Original;
    let site_url = rewrite::SiteUrl::new(base_url);
    let base_path = site_url.base_path.as_str();
    let as_it_is = || ResizedCopy {
        url: path.to_string(),
        width: 0,
        height: 0,
    };
    // Another site's picture, or a missing or broken file (the image rules report those), is
    // given back as it is: a theme never fails a build over a writer's picture.
    let Some(output_path) = rewrite::output_path_of(path, "", &site_url) else {
        return as_it_is();
    };
    let file = root.join(crate::source::layout::ASSETS).join(&output_path);
    let Some((w, h)) = picture_size(&file) else {
        return as_it_is();
    };
    let extension = Path::new(&output_path).extension().and_then(|e| e.to_str());
    let Some(format) = extension
        .and_then(Format::from_extension)
        .filter(|_| config.process)
    else {
        return ResizedCopy {
            url: rewrite::url_of(base_path, &output_path),
            width: w,
            height: h,
        };
    };
    if kind == CopyKind::Card {
        if let Ok(mut requested) = REQUESTED_CARDS.lock() {
            requested.insert(output_path.clone());
        }
        let (width, height) = card::card_size(w, h);
        return ResizedCopy {
            url: rewrite::url_of(base_path, &card::card_output_path(&output_path)),
            width,
            height,
        };
    }
    let widths = process::widths_for(w, &config.widths);
    let widest = widths.last().copied().unwrap_or(w);
    // The source's own format exists at the widest width only (what social networks that
    // refuse WebP get).
    let chosen = if own_format {
        widest
    } else {
        widths
            .iter()
            .copied()
            .find(|&made| made >= width)
            .unwrap_or(widest)
    };
    let copy = process::Copy {
        width: chosen,
        height: codec::scaled_height(w, h, chosen),
        extension: if own_format {
            process::own_format(format).extension().to_string()
        } else {
            "webp".to_string()
        },
        bytes: 0,
    };
    if let Ok(mut requested) = REQUESTED.lock() {
        requested.insert(output_path.clone());
    }
    ResizedCopy {
        url: rewrite::url_of(base_path, &rewrite::copy_output_path(&output_path, &copy)),
        width: copy.width,
        height: copy.height,
    }
}

/// The social cards templates asked for, as outputs (a picture that cannot be read is a
/// warning, and its card is left out).
fn cards(
    root: &Path,
    config: &ImagesConfig,
    sources: &HashMap<String, (PathBuf, Format)>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Output> {
    let requested = REQUESTED_CARDS
        .lock()
        .map(|r| r.clone())
        .unwrap_or_default();
    let cache = root.join(IMAGE_CACHE);
    let made: Vec<(String, PathBuf, Result<PathBuf, String>)> = requested
        .par_iter()
        .filter_map(|path| {
            let (file, format) = sources.get(path)?;
            let card = card::make_card(file, *format, config.quality, &cache);
            Some((path.clone(), file.clone(), card))
        })
        .collect();
    let mut outputs = Vec::new();
    for (path, file, card) in made {
        match card {
            Ok(card) => outputs.push(Output {
                path: card::card_output_path(&path),
                body: Body::Copy(card),
                source: Some(file),
            }),
            Err(error) => warnings.push(unreadable(relative(root, &file), &error)),
        }
    }
    outputs
}

/// For the preview, which shows the pictures as they are but must answer the addresses
/// `resize_image` gives templates: the cache file of the copy at `key` (`img/a.480w.webp`),
/// made now if needed, from the picture the site serves beside it (`source_of("img/a.jpg")`).
pub(crate) fn copy_on_demand(
    root: &Path,
    config: &ImagesConfig,
    key: &str,
    source_of: impl Fn(&str) -> Option<PathBuf>,
) -> Option<PathBuf> {
    if let Some(stem) = card::card_source_stem(key) {
        return ["jpg", "jpeg", "png", "webp", "JPG", "JPEG", "PNG"]
            .iter()
            .find_map(|extension| {
                let file = source_of(&format!("{stem}.{extension}"))?;
                let format = Format::from_extension(extension)?;
                card::make_card(&file, format, config.quality, &root.join(IMAGE_CACHE)).ok()
            });
    }
    let (rest, extension) = key.rsplit_once('.')?;
    let (stem, width) = rest.rsplit_once('.')?;
    let width: u32 = width.strip_suffix('w')?.parse().ok()?;
    let settings = Settings {
        widths: config.widths.clone(),
        quality: config.quality,
    };
    ["jpg", "jpeg", "png", "webp", "JPG", "JPEG", "PNG"]
        .iter()
        .find_map(|source_extension| {
            let file = source_of(&format!("{stem}.{source_extension}"))?;
            let format = Format::from_extension(source_extension)?;
            let processed =
                match process::process(&file, format, &settings, &root.join(IMAGE_CACHE)) {
                    Ok(Outcome::Made(p) | Outcome::Cached(p)) => p,
                    Err(_) => return None,
                };
            let copy = processed
                .copies
                .iter()
                .find(|c| c.width == width && c.extension == extension)?;
            Some(processed.folder.join(copy.file_name()))
        })
}

/// The copied files gazette can process, by output path.
fn raster_sources(outputs: &[Output]) -> HashMap<String, (PathBuf, Format)> {
    outputs
        .iter()
        .filter_map(|o| {
            let Body::Copy(file) = &o.body else {
                return None;
            };
            let extension = Path::new(&o.path).extension()?.to_str()?;
            Some((
                o.path.clone(),
                (file.clone(), Format::from_extension(extension)?),
            ))
        })
        .collect()
}

/// The output paths of the pictures some page shows in an `<img>`.
fn shown_pictures(outputs: &[Output], site_url: &rewrite::SiteUrl) -> HashSet<String> {
    outputs
        .par_iter()
        .filter_map(|o| match &o.body {
            Body::Bytes(bytes) if o.path.ends_with(".html") => {
                memchr::memmem::find(bytes, b"<img")?;
                let html = crate::text::utf8::as_str(bytes)?;
                Some(img_sources(html, &o.path, site_url))
            }
            _ => None,
        })
        .flatten()
        .collect()
}

/// The output paths named by the `src` of the `<img>` tags of one page.
fn img_sources(html: &str, page_path: &str, site_url: &rewrite::SiteUrl) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rewrite::find_img(rest) {
        let tag_and_after = &rest[start..];
        let end = crate::markdown::tag_end(tag_and_after);
        let src = crate::markdown::tag_attributes(&tag_and_after[..end])
            .into_iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("src"));
        if let Some((_, src)) = src
            && let Some(path) = rewrite::output_path_of(&src, page_path, site_url)
        {
            found.push(path);
        }
        rest = &tag_and_after[end.max(1)..];
    }
    found
}

/// Removes the temporary folders an interrupted build left in the cache (`….part-…`), once they
/// are an hour old: no picture takes that long, so none is being written by a running build.
fn remove_abandoned_parts(cache: &Path) {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    for entry in entries.flatten() {
        let abandoned = entry.file_name().to_string_lossy().contains(".part-")
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600);
        if abandoned {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `file` as messages name it: from the site folder, as every other diagnostic.
fn relative<'a>(root: &Path, file: &'a Path) -> &'a Path {
    file.strip_prefix(root).unwrap_or(file)
}

/// The warning for a picture that cannot be decoded.
fn unreadable(file: &Path, error: &str) -> Diagnostic {
    Diagnostic::warning(
        Rule::Image,
        file.to_path_buf(),
        crate::msg!(
            "this picture cannot be read ({error}): it is published as it is, without smaller copies",
            error
        ),
    )
    .help(crate::msg!(
        "open it in an image editor and save it again as JPEG or PNG, or replace it"
    ))
}

/// The warning for a picture whose widest copy is still heavier than `max_kb` kilobytes.
fn too_heavy(file: &Path, processed: &Processed, max_kb: u64) -> Option<Diagnostic> {
    let widest = processed
        .copies
        .iter()
        .filter(|c| c.extension == "webp")
        .max_by_key(|c| c.width)?;
    let kb = widest.bytes.div_ceil(1024);
    (kb > max_kb).then(|| {
        Diagnostic::warning(
            Rule::ImageWeight,
            file.to_path_buf(),
            crate::msg!(
                "this picture still weighs {kb} KB once made smaller ({width} pixels wide, WebP), more than {max} KB",
                kb,
                width = widest.width,
                max = max_kb
            ),
        )
        .help(crate::msg!(
            "crop it to what matters, or lower `images.quality` in site.yml (or raise `images.max_kb`)"
        ))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::{codec, picture_size, remembered_size};
    use std::cell::Cell;
    use std::fs;
    use std::path::Path;
    use std::time::{Duration, SystemTime};

    /// Writes `bytes` to `path`, modified at `when`.
    fn write_at(path: &std::path::Path, bytes: &[u8], when: SystemTime) {
        fs::write(path, bytes).unwrap();
        let file = fs::File::options().write(true).open(path).unwrap();
        file.set_modified(when).unwrap();
    }

    /// Writes `bytes` to `path`, dated `age` ago.
    fn write_dated(path: &std::path::Path, bytes: &[u8], age: Duration) {
        write_at(path, bytes, SystemTime::now() - age);
    }

    #[test]
    fn a_picture_s_size_is_read_upright_and_again_when_the_file_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("photo.jpg");
        // EXIF orientation 6: turn 90° clockwise to show it upright.
        write_dated(&path, &codec::test_jpeg(64, 32, 6), Duration::from_secs(60));
        // Its change time (which cannot be set back) must be settled too for the size to be kept.
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(picture_size(&path), Some((32, 64)));
        // Read once for this version of the file: asked again, the file is not read.
        let reads = Cell::new(0);
        let counted = |file: &Path| {
            reads.set(reads.get() + 1);
            codec::upright_size(file).ok()
        };
        assert_eq!(remembered_size(&path, counted), Some((32, 64)));
        assert_eq!(reads.get(), 0);
        // Other bytes of the same length under the same modification time (as a tool restoring
        // times leaves them): read again, the change time has moved.
        let stamp = fs::metadata(&path).unwrap().modified().unwrap();
        let length = fs::metadata(&path).unwrap().len() as usize;
        write_at(&path, &vec![0u8; length], stamp);
        assert_eq!(remembered_size(&path, counted), None);
        assert_eq!(reads.get(), 1);
        // Replaced by another picture: its own size, not the one remembered.
        write_dated(&path, &codec::test_jpeg(80, 40, 1), Duration::from_secs(30));
        assert_eq!(picture_size(&path), Some((80, 40)));
        // Changed just now, to bytes that are no picture, then to a picture again: read each
        // time, as a second change within the clock's tick could keep the stamp.
        write_dated(&path, b"not a picture", Duration::ZERO);
        assert_eq!(picture_size(&path), None);
        write_dated(&path, &codec::test_jpeg(10, 20, 1), Duration::ZERO);
        assert_eq!(picture_size(&path), Some((10, 20)));
        assert_eq!(remembered_size(&path, counted), Some((10, 20)));
        assert_eq!(reads.get(), 2);
        fs::remove_file(&path).unwrap();
        assert_eq!(picture_size(&path), None);
    }
}
