//! Writes outputs into the output folder: only files whose bytes changed, each through a temporary
//! file renamed into place, stale files removed, and nothing outside the folder ever touched.
//! What gazette wrote is remembered in the site's cache ([`super::state`]); a file it did not
//! write is never overwritten or removed, and no link is ever followed ([`super::guard`]).

use crate::diagnostic::Rule;
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::guard::{self, Found, absolute};
use super::state::{self, Entry, Manifest};
use super::{Body, Output};
use crate::diagnostic::Diagnostic;
use crate::testing::{injected_fault, test_hook};

const LOCK: &str = ".gazette-lock";
const TEMP_SUFFIX: &str = ".gazette-tmp";
/// The folder inside the output folder where a build stages its files until it commits them.
pub(crate) const STAGING: &str = ".gazette-tmp";

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written because they were new or changed.
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Stale files removed.
    pub removed: usize,
}

/// The output folder as an absolute path without `.` or `..`, refused when it is the site folder
/// or one of its parents, or inside a folder of the site's sources, its `.git` or its cache.
pub(crate) fn output_folder(source: &Path, output: &Path) -> Result<PathBuf, Diagnostic> {
    let source = fs::canonicalize(source).unwrap_or_else(|_| absolute(source));
    let output_abs = absolute(output);
    if output_abs == source || source.starts_with(&output_abs) {
        return Err(Diagnostic::error(
            Rule::Output,
            output,
            crate::msg!("the output folder is the site folder or contains it: building there would overwrite your sources"),
        )
        .help(crate::msg!("choose an output folder inside or beside the site, e.g. --output public")));
    }
    let protected = crate::source::layout::SOURCE_FOLDERS
        .iter()
        .chain(&[".git", super::state::CACHE]);
    for folder in protected {
        if output_abs.starts_with(source.join(folder)) {
            return Err(Diagnostic::error(Rule::Output, output, crate::msg!("the output folder is inside the site's {folder}/ folder", folder))
                .help(crate::msg!("choose an output folder outside content/, templates/, themes/, assets/, .git/ and .gazette-cache/, e.g. public")));
        }
    }
    Ok(output_abs)
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// A stamp of a source file as the file system describes it (size, time, inode); 0 when it
/// cannot be read.
fn source_stamp(path: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let Ok(meta) = fs::metadata(path) else {
        return 0;
    };
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    meta.len().hash(&mut hasher);
    mtime_of(&meta).hash(&mut hasher);
    #[cfg(unix)]
    std::os::unix::fs::MetadataExt::ino(&meta).hash(&mut hasher);
    hasher.finish().max(1)
}

/// A file's modification time in nanoseconds, as the manifest keeps it; 0 when unknown.
pub(crate) fn mtime_of(meta: &fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

/// The writer of a build: a [`Stage`] opened (and the output folder's lock taken) when the first
/// files are handed over, so a build that fails or is stopped before then leaves no trace, not
/// even an empty output folder it would have created.
pub(crate) struct Writer {
    site_root: PathBuf,
    output: PathBuf,
    /// Dropped in this order: the staged files go, then the lock, then the output folder if
    /// this build made it and it is still empty.
    open: Option<(Stage, OutputLock)>,
    _made: FolderMade,
}

impl Writer {
    /// A writer into `output` (an absolute path) for the site in `site_root`.
    pub(crate) fn new(site_root: &Path, output: &Path) -> Writer {
        Writer {
            site_root: site_root.to_path_buf(),
            output: output.to_path_buf(),
            open: None,
            _made: FolderMade::before_creating(output),
        }
    }

    fn open_now(&self) -> Result<(Stage, OutputLock), Diagnostic> {
        let lock = lock(&self.output)?;
        let stage = Stage::open(&self.site_root, &self.output)?;
        super::interrupt::staging_started(super::interrupt::Traces {
            staging: stage.folder.clone(),
            lock: lock.path.clone(),
            made_output: self._made.0.clone(),
        });
        crate::testing::test_pause("GAZETTE_TEST_AFTER_STAGING");
        Ok((stage, lock))
    }

    /// [`Stage::add`].
    pub(crate) fn add(&mut self, outputs: &[Output]) -> Result<(), Diagnostic> {
        if self.open.is_none() {
            self.open = Some(self.open_now()?);
        }
        match &mut self.open {
            Some((stage, _)) => stage.add(outputs),
            None => Ok(()),
        }
    }

    /// [`Stage::commit`], then the lock is released.
    pub(crate) fn commit(mut self, keep: Option<&[bool]>) -> Result<WriteReport, Diagnostic> {
        let (stage, lock) = match self.open.take() {
            Some(open) => open,
            None => self.open_now()?,
        };
        // Ctrl-C waits for the write to finish and the lock to be released (dropped in reverse
        // order), so an interrupted build never says "nothing was written" after writing.
        let _critical = super::interrupt::CriticalSection::enter();
        let report = stage.commit(keep);
        drop(lock);
        report
    }
}

/// An output folder a build is about to create: dropped, it is removed again when it is still
/// empty (a first build that failed), and left alone otherwise.
struct FolderMade(Option<PathBuf>);

impl FolderMade {
    /// Remembers whether `output` exists yet.
    fn before_creating(output: &Path) -> FolderMade {
        FolderMade((!output.exists()).then(|| output.to_path_buf()))
    }
}

impl Drop for FolderMade {
    fn drop(&mut self) {
        if let Some(folder) = &self.0 {
            // Fails, as it should, unless the folder is empty.
            let _ = fs::remove_dir(folder);
        }
    }
}

/// An exclusive lock on the output folder, released when dropped.
pub(crate) struct OutputLock {
    file: fs::File,
    path: PathBuf,
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Remove the file while still holding the lock: a build waiting on this file then finds
        // it gone (see `lock`) instead of locking a file nobody else sees.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// True when `path` still names the very file `file` is open on.
fn same_file(file: &fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

/// Takes the output folder's lock, so two builds never interleave their files.
pub(crate) fn lock(output: &Path) -> Result<OutputLock, Diagnostic> {
    let folder_error = |e: std::io::Error| {
        Diagnostic::error(
            Rule::Output,
            output,
            crate::msg!("cannot create the output folder: {e}", e),
        )
        .help(crate::msg!(
            "check that you may write in the folder that contains it"
        ))
    };
    fs::create_dir_all(output).map_err(folder_error)?;
    let path = output.join(LOCK);
    let busy = || {
        Diagnostic::error(
            Rule::Output,
            output,
            crate::msg!("another gazette build is writing to this output folder"),
        )
        .help(crate::msg!("wait for it to finish, then build again"))
    };
    // A lock file removed by the build that held it is retried: its successor is a new file.
    for _ in 0..3 {
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| {
                Diagnostic::error(
                    Rule::Output,
                    output,
                    crate::msg!("cannot write in the output folder: {e}", e),
                )
                .help(crate::msg!(
                    "check that you may write in this folder (its permissions, or a read-only disk)"
                ))
            })?;
        match file.try_lock() {
            Ok(()) if same_file(&file, &path) => return Ok(OutputLock { file, path }),
            Ok(()) => {
                let _ = file.unlock();
            }
            Err(_) => return Err(busy()),
        }
    }
    Err(busy())
}

/// A write in two steps, so that a build can hand its pages over in batches and drop them:
/// [`Stage::add`] puts the bytes of each new or changed file in a staging folder inside the
/// output folder and leaves every other file as it is; [`Stage::commit`] then moves them into
/// place and removes stale files. A stage dropped (or a build interrupted) before its commit
/// leaves the output folder as it was: its staging folder is removed then or by the next build.
/// The caller holds the output folder's [`lock`] from [`Stage::open`] to the commit.
pub(crate) struct Stage {
    site_root: PathBuf,
    output: PathBuf,
    previous: Manifest,
    claimed: bool,
    /// `output/.gazette-tmp`, holding the staged files by number.
    folder: PathBuf,
    files: Vec<StagedFile>,
}

/// One output handed to a [`Stage`].
struct StagedFile {
    path: String,
    source: Option<PathBuf>,
    entry: Entry,
    /// Its bytes are those of the file already in place.
    unchanged: bool,
}

impl Stage {
    /// Starts a write into `output`: removes what a killed build left (temporary files, a
    /// staging folder) and refuses a folder holding files gazette did not write.
    pub(crate) fn open(site_root: &Path, output: &Path) -> Result<Stage, Diagnostic> {
        remove_leftover_temps(output);
        let known = state::read(site_root, output);
        let claimed = known.is_some();
        let previous = match known {
            Some(previous) => previous,
            None if has_foreign_files(output) => {
                return Err(Diagnostic::error(
                    Rule::Output,
                    output,
                    crate::msg!("this output folder already holds files that gazette did not write"),
                )
                .help(crate::msg!("gazette only writes into an empty folder or one it built itself (it remembers those in the site's .gazette-cache/ folder): empty this folder or choose another with --output")));
            }
            None => Manifest::new(),
        };
        // The output folder exists: the caller's lock file is in it.
        let folder = output.join(STAGING);
        fs::create_dir(&folder).map_err(|e| write_error(&folder, &e))?;
        Ok(Stage {
            site_root: site_root.to_path_buf(),
            output: output.to_path_buf(),
            previous,
            claimed,
            folder,
            files: Vec::new(),
        })
    }

    /// Stages `outputs` (in parallel): each file whose bytes differ from what the last build
    /// wrote there (or that was changed by hand since) is written to the staging folder; the
    /// output folder itself is not touched.
    pub(crate) fn add(&mut self, outputs: &[Output]) -> Result<(), Diagnostic> {
        for o in outputs {
            check_inside(o)?;
        }
        let plans = plan(&self.output, outputs, &self.previous)?;
        let first = self.files.len();
        let folder = &self.folder;
        let staged: Vec<Result<(), Diagnostic>> = plans
            .par_iter()
            .filter(|(_, _, unchanged)| !unchanged)
            .map(|(i, _, _)| {
                let target = self.output.join(&outputs[*i].path);
                stage_one(&folder.join((first + i).to_string()), &outputs[*i].body)
                    .map_err(|e| write_error(&target, &e))
            })
            .collect();
        if let Some(error) = staged.into_iter().find_map(Result::err) {
            let state = crate::msg!(
                "{written} changed files were written, {failed} were not (they are as they were)",
                written = 0,
                failed = outputs.len()
            );
            return Err(Diagnostic {
                message: error.message.clone().then("; ", state),
                ..error
            });
        }
        self.files
            .extend(plans.into_iter().map(|(i, entry, unchanged)| StagedFile {
                path: outputs[i].path.clone(),
                source: outputs[i].source.clone(),
                entry,
                unchanged,
            }));
        Ok(())
    }

    /// Moves the staged files into place (of the outputs added, those `keep` marks, all when
    /// None: the others lost a clash of paths), removes the stale files of the last build, and
    /// remembers what is there now. Only this step changes the output folder.
    /// The caller is in the write phase ([`super::interrupt::CriticalSection`]).
    pub(crate) fn commit(mut self, keep: Option<&[bool]>) -> Result<WriteReport, Diagnostic> {
        crate::testing::test_marker("GAZETTE_TEST_WRITING");
        let kept: Vec<usize> = (0..self.files.len())
            .filter(|i| keep.is_none_or(|k| k.get(*i).copied().unwrap_or(false)))
            .collect();
        let wanted: HashSet<&str> = kept.iter().map(|i| self.files[*i].path.as_str()).collect();
        make_room(&self.output, &self.files, &kept, &self.previous, &wanted)?;
        if !self.claimed {
            // Claim the folder before writing anything else, so a first build that fails half-way
            // (disk full) is still recognised as gazette's by the build that repairs it.
            state::save(&self.site_root, &self.output, &BTreeMap::new())?;
        }
        let report = self.move_into_place(&kept);
        let _ = fs::remove_dir_all(&self.folder);
        super::interrupt::staging_ended();
        report
    }

    fn move_into_place(&mut self, kept: &[usize]) -> Result<WriteReport, Diagnostic> {
        let output = &self.output;
        let mut report = WriteReport::default();
        let created = create_folders(output, &self.files, kept)?;
        let slow = test_hook("GAZETTE_TEST_SLOW_WRITE_MS");
        let moved: Vec<Result<(String, Entry), Diagnostic>> = kept
            .par_iter()
            .map(|i| {
                let file = &self.files[*i];
                let target = output.join(&file.path);
                if !file.unchanged {
                    if let Some(ms) = slow {
                        std::thread::sleep(std::time::Duration::from_millis(ms));
                    }
                    fs::rename(self.folder.join(i.to_string()), &target)
                        .map_err(|e| write_error(&target, &e))?;
                }
                let mtime = fs::symlink_metadata(&target)
                    .map(|m| mtime_of(&m))
                    .unwrap_or(0);
                Ok((
                    file.path.clone(),
                    Entry {
                        mtime,
                        ..file.entry
                    },
                ))
            })
            .collect();
        let mut manifest: BTreeMap<String, Entry> = BTreeMap::new();
        let mut first_error = None;
        let mut failed = 0;
        for (result, i) in moved.into_iter().zip(kept) {
            match result {
                Ok((path, entry)) => {
                    if self.files[*i].unchanged {
                        report.unchanged += 1;
                    } else {
                        report.written += 1;
                    }
                    manifest.insert(path, entry);
                }
                Err(d) => {
                    failed += 1;
                    first_error.get_or_insert(d);
                }
            }
        }
        if let Some(error) = first_error {
            // Keep what was written in the manifest so the next build knows these files are ours.
            let mut merged: BTreeMap<String, Entry> =
                self.previous.iter().map(|(k, v)| (k.clone(), *v)).collect();
            merged.extend(manifest);
            let _ = state::save(&self.site_root, output, &merged);
            remove_empty_folders(&created);
            let state = crate::msg!(
                "{written} changed files were written, {failed} were not (they are as they were)",
                written = report.written,
                failed
            );
            return Err(Diagnostic {
                message: error.message.clone().then("; ", state),
                ..error
            });
        }
        report.removed = remove_stale(output, &self.previous, &manifest);
        state::save(&self.site_root, output, &manifest)?;
        Ok(report)
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        // Committed or not, the staging folder goes; uncommitted, the output is as it was.
        if fs::symlink_metadata(&self.folder).is_ok_and(|m| m.is_dir()) {
            let _ = fs::remove_dir_all(&self.folder);
        }
        super::interrupt::staging_ended();
    }
}

/// Writes one staged file.
fn stage_one(staged: &Path, body: &Body) -> std::io::Result<()> {
    injected_fault()?;
    match body {
        Body::Bytes(bytes) => {
            let mut file = fs::File::create_new(staged)?;
            file.write_all(bytes)
        }
        Body::Copy(from) => fs::copy(from, staged).map(|_| ()),
    }
}

/// True when `output` holds anything but gazette's lock file.
fn has_foreign_files(output: &Path) -> bool {
    fs::read_dir(output)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name() != LOCK && e.file_name() != STAGING)
        })
        .unwrap_or(false)
}

/// Makes sure each output can be written at its path: no link on the way or at the path; a file
/// or folder of gazette's that is no longer wanted and stands in the way (a page that became a
/// folder, or the reverse) is removed first; anything else in the way is an error naming it.
fn make_room(
    output: &Path,
    files: &[StagedFile],
    kept: &[usize],
    previous: &Manifest,
    wanted: &HashSet<&str>,
) -> Result<(), Diagnostic> {
    let stale = |path: &str| previous.contains_key(path) && !wanted.contains(path);
    let mut real = HashSet::new();
    for o in kept.iter().map(|i| &files[*i]) {
        if let Some((folder, found)) = guard::blocked_folder(output, &o.path, &mut real) {
            if found == Found::File && stale(&folder) {
                let _ = fs::remove_file(output.join(&folder));
            } else {
                return Err(in_the_way(output, &folder, found, o));
            }
        }
        let target = output.join(&o.path);
        match guard::found_at(&target) {
            Found::Nothing => {}
            Found::File if previous.contains_key(&o.path) => {}
            Found::Folder if guard::only_stale_files(output, &o.path, previous, wanted) => {
                fs::remove_dir_all(&target).map_err(|e| write_error(&target, &e))?;
            }
            found => return Err(in_the_way(output, &o.path, found, o)),
        }
    }
    Ok(())
}

/// The error for something gazette did not write (or a link) standing where `o` goes.
fn in_the_way(output: &Path, at: &str, found: Found, o: &StagedFile) -> Diagnostic {
    let what = match found {
        Found::Link => "is a link: gazette never writes through a link",
        Found::Folder => "is a folder holding files gazette did not write",
        _ => "is a file gazette did not write",
    };
    let made_from = o
        .source
        .as_ref()
        .map_or_else(String::new, |s| format!(" (made from {})", s.display()));
    Diagnostic::error(
        Rule::Output,
        output.join(at),
        format!(
            "{what}; the page /{}{made_from} must be written there",
            o.path
        ),
    )
    .help(crate::msg!(
        "move it out of the output folder (or delete it if it is not needed), then build again"
    ))
}

/// Hashes every output (in parallel) and compares it with the manifest and with the file on disk
/// (size and time), so a file changed by hand in the output is rewritten too.
fn plan(
    output: &Path,
    outputs: &[Output],
    previous: &Manifest,
) -> Result<Vec<(usize, Entry, bool)>, Diagnostic> {
    outputs
        .par_iter()
        .enumerate()
        .map(|(i, o)| {
            let target = output.join(&o.path);
            let old = previous.get(&o.path);
            let target_unchanged = |old: &Entry, len: u64| {
                fs::symlink_metadata(&target)
                    .is_ok_and(|m| m.is_file() && m.len() == len && mtime_of(&m) == old.mtime)
            };
            let (hash, len, source) = match &o.body {
                Body::Bytes(bytes) => (hash_bytes(bytes), bytes.len() as u64, 0),
                Body::Copy(from) => {
                    // A copied file whose source has not changed since the last build, and whose
                    // copy is still as written, is not read again (100 MB of photos in a site).
                    let stamp = source_stamp(from);
                    match old.filter(|old| {
                        stamp != 0 && old.source == stamp && target_unchanged(old, old.len)
                    }) {
                        Some(old) => (old.hash, old.len, stamp),
                        None => match fs::read(from) {
                            Ok(bytes) => (hash_bytes(&bytes), bytes.len() as u64, stamp),
                            // Found at discovery, gone or unreadable now: fail before writing
                            // anything.
                            Err(e) => {
                                return Err(Diagnostic::error(
                                    Rule::Read,
                                    o.source.clone().unwrap_or_else(|| from.clone()),
                                    crate::msg!("cannot read this file: {e}", e),
                                )
                                .help(crate::msg!(
                                    "it may have been moved or deleted during the build: build again"
                                )));
                            }
                        },
                    }
                }
            };
            let unchanged =
                old.is_some_and(|old| old.hash == hash && old.len == len && target_unchanged(old, len));
            let entry = Entry {
                hash,
                len,
                mtime: 0,
                source,
            };
            Ok((i, entry, unchanged))
        })
        .collect()
}

/// Refuses an output path that is empty, absolute, or has `..`: it could only come from a bug or a
/// path check missed upstream, and would write outside the output folder.
fn check_inside(o: &Output) -> Result<(), Diagnostic> {
    use std::path::Component;
    let path = Path::new(&o.path);
    let inside = !o.path.is_empty()
        && !o.path.contains('\\')
        && path.components().all(|c| matches!(c, Component::Normal(_)))
        && o.path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
        && ![state::LEGACY_MANIFEST, LOCK].contains(&o.path.as_str())
        && o.path.split('/').next() != Some(STAGING);
    if inside {
        return Ok(());
    }
    let source = o
        .source
        .clone()
        .unwrap_or_else(|| PathBuf::from(crate::source::config::FILE_NAME));
    Err(Diagnostic::error(
        Rule::Permalink,
        source,
        format!(
            "this file's output `{}` would be written outside the output folder",
            o.path
        ),
    )
    .help(crate::msg!(
        "give it a permalink inside the site, made of names separated by `/`, without `..`"
    )))
}

/// Removes temporary files and the staging folder a killed build left behind (a build that ends
/// normally leaves none). A link in their place is removed, never followed.
fn remove_leftover_temps(output: &Path) {
    let staging = output.join(STAGING);
    match fs::symlink_metadata(&staging) {
        Ok(m) if m.is_dir() => {
            let _ = fs::remove_dir_all(&staging);
        }
        Ok(_) => {
            let _ = fs::remove_file(&staging);
        }
        Err(_) => {}
    }
    for entry in walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() && entry.file_name().to_string_lossy().ends_with(TEMP_SUFFIX)
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Creates the folders the changed files need; returns those it created. Folders are made a
/// depth at a time, each depth in parallel (100,000 posts need 100,000 folders; at 100,000 posts
/// the write phase went from 11.2 to 9.4 s, most of it the kernel's work in one big folder).
fn create_folders(
    output: &Path,
    files: &[StagedFile],
    kept: &[usize],
) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut folders: Vec<PathBuf> = kept
        .iter()
        .map(|i| &files[*i])
        .filter(|f| !f.unchanged)
        .filter_map(|f| output.join(&f.path).parent().map(Path::to_path_buf))
        .collect();
    folders.sort();
    folders.dedup();
    let mut missing: Vec<PathBuf> = folders
        .par_iter()
        .flat_map_iter(|folder| {
            folder
                .ancestors()
                .take_while(|f| f.starts_with(output) && *f != output)
                .take_while(|f| fs::symlink_metadata(f).is_err())
                .map(Path::to_path_buf)
                .collect::<Vec<_>>()
        })
        .collect();
    missing.sort_by(|a, b| {
        (a.components().count(), a.as_path()).cmp(&(b.components().count(), b.as_path()))
    });
    missing.dedup();
    let mut created = Vec::new();
    for depth in missing.chunk_by(|a, b| a.components().count() == b.components().count()) {
        let made: Vec<(&PathBuf, std::io::Result<()>)> = depth
            .par_iter()
            .map(|folder| (folder, fs::create_dir(folder)))
            .collect();
        let mut failed = None;
        for (folder, result) in made {
            match result {
                Ok(()) => created.push(folder.clone()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    failed.get_or_insert((folder, e));
                }
            }
        }
        if let Some((folder, e)) = failed {
            remove_empty_folders(&created);
            return Err(write_error(folder, &e));
        }
    }
    Ok(created)
}

/// Removes the folders of `created` that are empty, deepest first.
fn remove_empty_folders(created: &[PathBuf]) {
    let mut folders = created.to_vec();
    folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    for folder in folders {
        let _ = fs::remove_dir(folder);
    }
}

/// Removes the files of the last build that this build did not write, when they are still plain
/// files reached without a link; returns how many went.
fn remove_stale(output: &Path, previous: &Manifest, manifest: &BTreeMap<String, Entry>) -> usize {
    let mut stale: Vec<&String> = previous
        .keys()
        .filter(|p| !manifest.contains_key(*p))
        .collect();
    stale.sort();
    let mut removed = 0;
    let mut real = HashSet::new();
    for path in stale {
        let target = output.join(path);
        if guard::blocked_folder(output, path, &mut real).is_some()
            || guard::found_at(&target) != Found::File
        {
            continue;
        }
        if fs::remove_file(&target).is_ok() {
            removed += 1;
        }
        remove_empty_parents(output, &target);
    }
    removed
}

fn write_error(path: &Path, error: &std::io::Error) -> Diagnostic {
    let disk_full = error.raw_os_error() == Some(28);
    let message = if disk_full {
        format!("the disk is full: {} could not be written", path.display())
    } else {
        format!("cannot write {}: {error}", path.display())
    };
    Diagnostic::error(Rule::Write, path, message)
        .help(crate::msg!("files already replaced are complete and the others are unchanged; free some space or fix the permissions, then build again: the next successful build repairs the folder"))
}

fn remove_empty_parents(output: &Path, file: &Path) {
    let mut folder = file.parent();
    while let Some(dir) = folder {
        if dir == output || !dir.starts_with(output) || fs::remove_dir(dir).is_err() {
            break;
        }
        folder = dir.parent();
    }
}
