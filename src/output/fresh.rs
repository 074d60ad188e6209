//! A build with nothing to do does nothing. After each successful build, gazette records a
//! fingerprint of everything the build read (site.yml and every file of the source folders, by
//! size, times and inode; its options; gazette itself; the day, which decides what a future-dated post shows),
//! with what the build printed. The next build of the same folder into the same output computes
//! the fingerprint again from metadata alone; when it matches and every output file is still as
//! that build wrote it (size and time, from the manifest of [`super::state`]), nothing is read,
//! rendered or written, and the recorded warnings are shown again, as cargo replays the warnings
//! of a fresh crate.
//!
//! The record is removed before any write, and written only after a complete one: a build that
//! fails or is interrupted leaves none, so the next build does the whole work.

use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Lang, Rule, Severity, Text};

/// What a successful build left to be shown again when nothing changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Record {
    /// The fingerprint of the inputs the build read (hex).
    inputs: String,
    /// A hash of the output manifest the build saved (hex): the record speaks of these outputs.
    manifest: String,
    /// Number of output files.
    pub(crate) outputs: usize,
    /// Posts built.
    pub(crate) posts: usize,
    /// Tags.
    pub(crate) tags: usize,
    /// Collections and their record counts.
    pub(crate) collections: Vec<(String, usize)>,
    /// Pictures the pages show (made or taken from the cache).
    pub(crate) images: usize,
    /// The warnings the build printed, in the language it printed them.
    warnings: Vec<Warning>,
}

/// A warning as the build printed it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Warning {
    severity: Severity,
    rule: Rule,
    file: PathBuf,
    line: usize,
    column: usize,
    message: String,
    help: Option<String>,
}

/// What the record needs of a finished build.
pub(crate) struct Built<'a> {
    pub(crate) inputs: u64,
    pub(crate) outputs: usize,
    pub(crate) posts: usize,
    pub(crate) tags: usize,
    pub(crate) collections: Vec<(String, usize)>,
    pub(crate) images: usize,
    pub(crate) warnings: &'a [Diagnostic],
    pub(crate) lang: Lang,
}

impl Record {
    /// The recorded warnings, as diagnostics to print again.
    pub(crate) fn warnings(&self) -> Vec<Diagnostic> {
        self.warnings
            .iter()
            .map(|w| Diagnostic {
                severity: w.severity,
                rule: w.rule,
                file: w.file.clone(),
                line: w.line,
                column: w.column,
                message: Text::Plain(w.message.clone()),
                help: w.help.clone().map(Text::Plain),
            })
            .collect()
    }
}

/// Where the record of builds of `site_root` into `output` is kept: beside the output's manifest.
fn record_path(site_root: &Path, output: &Path) -> PathBuf {
    super::state::manifest_path(site_root, output).with_extension("fresh.json")
}

/// The fingerprint of everything a build of `root` into `output` with these options reads, from
/// metadata alone; None when some file cannot be described (the build then does the whole work).
/// `options` is the build's options as text: drafts, future posts, base URL, language.
pub(crate) fn fingerprint(root: &Path, output: &Path, options: &str) -> Option<u64> {
    let root = fs::canonicalize(root).ok()?;
    let output = fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf());
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    options.hash(&mut hasher);
    output.hash(&mut hasher);
    // gazette itself: a new version renders differently (its built-in themes included).
    let exe = std::env::current_exe().ok()?;
    FileStamp::of(&fs::metadata(exe).ok()?).hash(&mut hasher);
    // Future-dated posts appear on their day, and templates may print today's date.
    chrono::Local::now().date_naive().hash(&mut hasher);
    let mut variables: Vec<(String, String)> = std::env::vars()
        .filter(|(k, _)| k.starts_with("GAZETTE_") && k != "GAZETTE_TIMINGS")
        .collect();
    variables.sort();
    variables.hash(&mut hasher);
    // A build reads site.yml and the source folders (content, templates, themes, assets, sass;
    // see `source::layout`), nothing else: the rest of the folder (a repository's `target/`,
    // `node_modules/`, the output) is not walked. Every top-level file is stamped all the same,
    // in case a later version reads one.
    let mut top: Vec<(std::ffi::OsString, bool)> = fs::read_dir(&root)
        .ok()?
        .map(|e| {
            let e = e.ok()?;
            Some((e.file_name(), e.file_type().ok()?.is_dir()))
        })
        .collect::<Option<_>>()?;
    top.sort();
    let sources = crate::source::layout::SOURCE_FOLDERS;
    // (folder or file, how deep to go): a source folder wholly, any other file alone (a link
    // among them is described, never walked).
    let walked: Vec<(PathBuf, usize)> = top
        .into_iter()
        .filter_map(|(name, is_dir)| {
            let source = sources.iter().any(|s| name == *s);
            (source || !is_dir).then(|| (root.join(name), if source { usize::MAX } else { 0 }))
        })
        .filter(|(path, _)| *path != output)
        .collect();
    // A file changed so recently that a change right after this walk could keep its times (file
    // times move by clock ticks of a few milliseconds) is not trusted: no fingerprint, the whole
    // work is done (git's "racily clean" files).
    let recent = settled_before()?;
    let walker = walked.iter().flat_map(|(path, depth)| {
        walkdir::WalkDir::new(path)
            .max_depth(*depth)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| e.path() != output)
    });
    // The walk lists the files, one folder after another, in the order the file system gives
    // them; sorted once by their bytes (walkdir's sort by name takes each name apart at every
    // comparison: a third of the fingerprint's time at 100,000 posts), their stamps are read in
    // parallel.
    let mut listed: Vec<(PathBuf, bool)> = Vec::new();
    for entry in walker {
        let entry = entry.ok()?;
        let is_file = entry.file_type().is_file();
        listed.push((entry.into_path(), is_file));
    }
    listed.sort_unstable_by(|a, b| {
        a.0.as_os_str()
            .as_encoded_bytes()
            .cmp(b.0.as_os_str().as_encoded_bytes())
    });
    let stamps: Vec<Option<_>> = listed
        .par_iter()
        .map(|(path, is_file)| {
            if !is_file {
                return Some(None);
            }
            // Links are followed, as by the walk.
            let stamp = FileStamp::of(&fs::metadata(path).ok()?);
            stamp.settled(recent).then_some(Some(stamp))
        })
        .collect::<Option<_>>()?;
    for ((path, _), stamp) in listed.iter().zip(stamps) {
        path.strip_prefix(&root).ok()?.hash(&mut hasher);
        stamp.hash(&mut hasher);
    }
    Some(hasher.finish())
}

/// How recent a change must be for its file's times not to be trusted.
const RACY_NANOS: i128 = 50_000_000;

/// The time (nanoseconds since 1970) before which a file's last change must lie for its
/// [`FileStamp`] to be trusted; None when the clock is before 1970.
pub(crate) fn settled_before() -> Option<i128> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(now.as_nanos() as i128 - RACY_NANOS)
}

/// Size, modification and change times, inode: what changes when a file's bytes do (the change
/// time cannot be set back by a tool that restores modification times).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FileStamp {
    len: u64,
    modified: i128,
    changed: i128,
    inode: u64,
}

impl FileStamp {
    pub(crate) fn of(meta: &fs::Metadata) -> FileStamp {
        let modified = super::write::mtime_of(meta);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            let changed = i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec());
            FileStamp {
                len: meta.len(),
                modified,
                changed,
                inode: meta.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            FileStamp {
                len: meta.len(),
                modified,
                changed: 0,
                inode: 0,
            }
        }
    }

    /// Whether the file was last changed before `before` (see [`settled_before`]): a change
    /// right after this stamp was taken could otherwise keep it, file times moving by clock ticks
    /// of a few milliseconds.
    pub(crate) fn settled(&self, before: i128) -> bool {
        self.modified < before && self.changed < before
    }
}

fn hash_text(text: &str) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// The record of the last build when its inputs had the fingerprint `inputs` and every output it
/// wrote is still there as written; None when anything differs.
pub(crate) fn up_to_date(site_root: &Path, output: &Path, inputs: u64) -> Option<Record> {
    // A new or emptied output folder (its lock file just made) is not up to date, whatever the
    // record says: its manifest need not be read.
    if !super::stage::has_foreign_files(output) {
        return None;
    }
    let record: Record =
        serde_json::from_slice(&fs::read(record_path(site_root, output)).ok()?).ok()?;
    if record.inputs != format!("{inputs:016x}") {
        return None;
    }
    let manifest_text = fs::read_to_string(super::state::manifest_path(site_root, output)).ok()?;
    if record.manifest != hash_text(&manifest_text) {
        return None;
    }
    let manifest = super::state::parse(&manifest_text);
    if manifest.len() != record.outputs {
        return None;
    }
    let intact = manifest.par_iter().all(|(path, entry)| {
        fs::symlink_metadata(output.join(path)).is_ok_and(|m| {
            m.is_file() && m.len() == entry.len && super::write::mtime_of(&m) == entry.mtime
        })
    });
    intact.then_some(record)
}

/// Forgets the last build's record, before anything is written.
pub(crate) fn forget(site_root: &Path, output: &Path) {
    let _ = fs::remove_file(record_path(site_root, output));
}

/// Records a successful build (after its outputs and manifest were written). The record only
/// saves time: when it cannot be written, the next build does the whole work.
pub(crate) fn remember(site_root: &Path, output: &Path, built: &Built) {
    let Ok(manifest_text) = fs::read_to_string(super::state::manifest_path(site_root, output))
    else {
        return;
    };
    let record = Record {
        inputs: format!("{:016x}", built.inputs),
        manifest: hash_text(&manifest_text),
        outputs: built.outputs,
        posts: built.posts,
        tags: built.tags,
        collections: built.collections.clone(),
        images: built.images,
        warnings: built
            .warnings
            .iter()
            .map(|d| Warning {
                severity: d.severity,
                rule: d.rule,
                file: d.file.clone(),
                line: d.line,
                column: d.column,
                message: d.message.in_lang(built.lang),
                help: d.help.as_ref().map(|h| h.in_lang(built.lang)),
            })
            .collect(),
    };
    let Ok(bytes) = serde_json::to_vec(&record) else {
        return;
    };
    let path = record_path(site_root, output);
    let temp = path.with_extension("tmp");
    if fs::write(&temp, bytes).is_ok() {
        let _ = fs::rename(&temp, &path);
    }
}
