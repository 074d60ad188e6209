//! Writes outputs into the output folder: only files whose bytes changed, each through a temporary
//! file renamed into place, stale files removed, and nothing outside the folder ever touched.
//! What gazette wrote is remembered in the site's cache ([`super::state`]); a file it did not
//! write is never overwritten or removed, and no link is ever followed ([`super::guard`]).

use crate::diagnostic::Rule;
use std::fs;
use std::path::{Path, PathBuf};

use super::Output;
use super::guard::absolute;
use super::stage::Stage;
use crate::diagnostic::Diagnostic;

pub(super) const LOCK: &str = ".gazette-lock";
pub(super) const TEMP_SUFFIX: &str = ".gazette-tmp";
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
    pub(crate) fn add(&mut self, outputs: Vec<Output>) -> Result<(), Diagnostic> {
        if self.open.is_none() {
            self.open = Some(self.open_now()?);
        }
        match &mut self.open {
            Some((stage, _)) => stage.add(outputs),
            None => Ok(()),
        }
    }

    /// [`Stage::flush`].
    pub(crate) fn flush(&mut self) -> Result<(), Diagnostic> {
        match &mut self.open {
            Some((stage, _)) => stage.flush(),
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
pub(super) fn write_error(path: &Path, error: &std::io::Error) -> Diagnostic {
    let disk_full = error.raw_os_error() == Some(28);
    let message = if disk_full {
        format!("the disk is full: {} could not be written", path.display())
    } else {
        format!("cannot write {}: {error}", path.display())
    };
    Diagnostic::error(Rule::Write, path, message)
        .help(crate::msg!("files already replaced are complete and the others are unchanged; free some space or fix the permissions, then build again: the next successful build repairs the folder"))
}
