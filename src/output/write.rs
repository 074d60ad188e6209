//! Writes outputs into the output folder: only files whose bytes changed, each through a temporary
//! file renamed into place, stale files removed, and nothing outside the folder ever touched.

use crate::testing::injected_fault;
use crate::testing::test_hook;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Body, Output};
use crate::diagnostic::Diagnostic;

/// The manifest gazette keeps in its output folder: what it wrote, so it can skip unchanged files
/// and remove only its own stale files.
pub(crate) const MANIFEST: &str = ".gazette-manifest";
const LOCK: &str = ".gazette-lock";
const TEMP_SUFFIX: &str = ".gazette-tmp";

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    hash: u64,
    len: u64,
    mtime: i128,
}

/// Refuses an output folder that is the site folder, inside nothing safe, or a parent of it.
pub(crate) fn check_output_folder(source: &Path, output: &Path) -> Result<(), Diagnostic> {
    let source = fs::canonicalize(source).unwrap_or_else(|_| source.to_path_buf());
    let output_abs = absolute(output);
    if output_abs == source || source.starts_with(&output_abs) {
        return Err(Diagnostic::error(
            "output",
            output,
            "the output folder is the site folder or contains it: building there would overwrite your sources",
        )
        .help("choose an output folder inside or beside the site, e.g. --output public"));
    }
    for protected in crate::source::layout::SOURCE_FOLDERS {
        if output_abs.starts_with(source.join(protected)) {
            return Err(Diagnostic::error("output", output, format!("the output folder is inside the site's {protected}/ folder"))
                .help("choose an output folder outside content/, templates/, themes/ and assets/, e.g. public"));
        }
    }
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    // The folder may not exist yet: canonicalize its nearest existing parent.
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.iter().rev() {
        out.push(name);
    }
    out
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

fn mtime_of(meta: &fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

fn read_manifest(output: &Path) -> Option<HashMap<String, Entry>> {
    let text = fs::read_to_string(output.join(MANIFEST)).ok()?;
    let mut map = HashMap::new();
    for line in text.lines().skip(1) {
        let mut parts = line.splitn(4, '\t');
        let (Some(hash), Some(len), Some(mtime), Some(path)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(hash), Ok(len), Ok(mtime)) =
            (u64::from_str_radix(hash, 16), len.parse(), mtime.parse())
        else {
            continue;
        };
        map.insert(path.to_string(), Entry { hash, len, mtime });
    }
    Some(map)
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
            "output",
            output,
            format!("cannot create the output folder: {e}"),
        )
        .help("check that you may write in the folder that contains it")
    };
    fs::create_dir_all(output).map_err(folder_error)?;
    let path = output.join(LOCK);
    let busy = || {
        Diagnostic::error(
            "output",
            output,
            "another gazette build is writing to this output folder",
        )
        .help("wait for it to finish, then build again")
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
                    "output",
                    output,
                    format!("cannot write in the output folder: {e}"),
                )
                .help("check that you may write in this folder (its permissions, or a read-only disk)")
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

/// Writes `outputs` into `output`: only new or changed files, through temporary files renamed
/// into place; gazette's stale files are removed, and nothing else.
pub(crate) fn write(output: &Path, outputs: &[Output]) -> Result<WriteReport, Diagnostic> {
    for o in outputs {
        check_inside(o)?;
    }
    remove_leftover_temps(output);
    let manifest_found = output.join(MANIFEST).exists();
    let previous = read_manifest(output);
    let previous = match previous {
        Some(previous) => previous,
        None => {
            let has_foreign_files = fs::read_dir(output)
                .map(|entries| entries.flatten().any(|e| e.file_name() != LOCK))
                .unwrap_or(false);
            if has_foreign_files {
                return Err(Diagnostic::error(
                    "output",
                    output,
                    "this output folder already holds files that gazette did not write",
                )
                .help("gazette only writes into an empty folder or one it built itself: empty this folder or choose another with --output"));
            }
            HashMap::new()
        }
    };

    // Hash in parallel; compare with the manifest and with the file on disk (size and time), so a
    // file changed by hand in the output is rewritten too.
    let plans: Result<Vec<(usize, Entry, bool)>, Diagnostic> = outputs
        .par_iter()
        .enumerate()
        .map(|(i, o)| {
            let (hash, len) = match &o.body {
                Body::Bytes(bytes) => (hash_bytes(bytes), bytes.len() as u64),
                Body::Copy(from) => match fs::read(from) {
                    Ok(bytes) => (hash_bytes(&bytes), bytes.len() as u64),
                    // Found at discovery, gone or unreadable now: fail before writing anything.
                    Err(e) => {
                        return Err(Diagnostic::error(
                            "read",
                            o.source.clone().unwrap_or_else(|| from.clone()),
                            format!("cannot read this file: {e}"),
                        )
                        .help("it may have been moved or deleted during the build: build again"));
                    }
                },
            };
            let target = output.join(&o.path);
            let unchanged = previous.get(&o.path).is_some_and(|old| {
                old.hash == hash
                    && old.len == len
                    && fs::metadata(&target)
                        .is_ok_and(|m| m.len() == len && mtime_of(&m) == old.mtime)
            });
            Ok((
                i,
                Entry {
                    hash,
                    len,
                    mtime: 0,
                },
                unchanged,
            ))
        })
        .collect();
    let plans = plans?;
    if !manifest_found {
        // Claim the folder before writing anything else, so a first build that fails half-way
        // (disk full) is still recognised as gazette's by the build that repairs it.
        save_manifest(output, &BTreeMap::new())?;
    }

    write_changed(output, outputs, &plans, &previous)
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
        && ![MANIFEST, LOCK].contains(&o.path.as_str());
    if inside {
        return Ok(());
    }
    let source = o
        .source
        .clone()
        .unwrap_or_else(|| PathBuf::from(crate::source::config::FILE_NAME));
    Err(Diagnostic::error(
        "permalink",
        source,
        format!(
            "this file's output `{}` would be written outside the output folder",
            o.path
        ),
    )
    .help("give it a permalink inside the site, made of names separated by `/`, without `..`"))
}

/// Removes temporary files a killed build left behind (a build that ends normally leaves none).
fn remove_leftover_temps(output: &Path) {
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

fn write_changed(
    output: &Path,
    outputs: &[Output],
    plans: &[(usize, Entry, bool)],
    previous: &HashMap<String, Entry>,
) -> Result<WriteReport, Diagnostic> {
    let mut report = WriteReport::default();
    let mut folders: Vec<PathBuf> = plans
        .iter()
        .filter(|(_, _, unchanged)| !unchanged)
        .filter_map(|(i, _, _)| {
            output
                .join(&outputs[*i].path)
                .parent()
                .map(Path::to_path_buf)
        })
        .collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        fs::create_dir_all(folder).map_err(|e| write_error(folder, &e))?;
    }
    let written: Vec<Result<(String, Entry), Diagnostic>> = plans
        .par_iter()
        .map(|(i, planned, unchanged)| {
            let o = &outputs[*i];
            let target = output.join(&o.path);
            if !*unchanged {
                write_one(&target, &o.body)?;
            }
            let mtime = fs::metadata(&target).map(|m| mtime_of(&m)).unwrap_or(0);
            Ok((o.path.clone(), Entry { mtime, ..*planned }))
        })
        .collect();
    let mut manifest: BTreeMap<String, Entry> = BTreeMap::new();
    let mut first_error = None;
    for (result, (_, _, unchanged)) in written.into_iter().zip(plans) {
        match result {
            Ok((path, entry)) => {
                if *unchanged {
                    report.unchanged += 1;
                } else {
                    report.written += 1;
                }
                manifest.insert(path, entry);
            }
            Err(d) => {
                first_error.get_or_insert(d);
            }
        }
    }
    if let Some(error) = first_error {
        // Keep what was written in the manifest so the next build knows these files are ours.
        let mut merged: BTreeMap<String, Entry> =
            previous.iter().map(|(k, v)| (k.clone(), *v)).collect();
        merged.extend(manifest);
        let _ = save_manifest(output, &merged);
        return Err(error);
    }
    let mut stale: Vec<&String> = previous
        .keys()
        .filter(|p| !manifest.contains_key(*p))
        .collect();
    stale.sort();
    for path in stale {
        let target = output.join(path);
        if fs::remove_file(&target).is_ok() {
            report.removed += 1;
        }
        remove_empty_parents(output, &target);
    }
    save_manifest(output, &manifest)?;
    Ok(report)
}

fn write_error(path: &Path, error: &std::io::Error) -> Diagnostic {
    let disk_full = error.raw_os_error() == Some(28);
    let message = if disk_full {
        format!("the disk is full: {} could not be written", path.display())
    } else {
        format!("cannot write {}: {error}", path.display())
    };
    Diagnostic::error("write", path, message)
        .help("files already replaced are complete and the others are unchanged; free some space or fix the permissions, then build again: the next successful build repairs the folder")
}

fn write_one(target: &Path, body: &Body) -> Result<(), Diagnostic> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let temp = target.with_file_name(format!(".{name}{TEMP_SUFFIX}"));
    let result = (|| -> std::io::Result<()> {
        injected_fault()?;
        match body {
            Body::Bytes(bytes) => {
                let mut file = fs::File::create(&temp)?;
                file.write_all(bytes)?;
            }
            Body::Copy(from) => {
                fs::copy(from, &temp)?;
            }
        }
        if let Some(ms) = test_hook("GAZETTE_TEST_SLOW_WRITE_MS") {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        fs::rename(&temp, target)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&temp);
        write_error(target, &e)
    })
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

fn save_manifest(output: &Path, manifest: &BTreeMap<String, Entry>) -> Result<(), Diagnostic> {
    let mut text = String::with_capacity(manifest.len() * 80);
    text.push_str("# gazette manifest: files this folder holds from the last build (hash, size, time, path)\n");
    for (path, e) in manifest {
        text.push_str(&format!(
            "{:016x}\t{}\t{}\t{}\n",
            e.hash, e.len, e.mtime, path
        ));
    }
    let target = output.join(MANIFEST);
    write_one(&target, &Body::Bytes(text.into_bytes()))
}
