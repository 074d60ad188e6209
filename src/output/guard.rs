//! What stands at a path of the output folder, looked at without following links: gazette never
//! writes, replaces or removes anything through a link, and never takes over what it did not write.

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::state::Manifest;

/// What is at a path inside the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    Nothing,
    File,
    Folder,
    Link,
}

/// What is at `path`, without following a link there.
pub(crate) fn found_at(path: &Path) -> Found {
    match fs::symlink_metadata(path) {
        Err(_) => Found::Nothing,
        Ok(meta) if meta.file_type().is_symlink() => Found::Link,
        Ok(meta) if meta.is_dir() => Found::Folder,
        Ok(_) => Found::File,
    }
}

/// What [`blocked_folder`] found of the folders of an output folder, so that a build looks at
/// each folder once.
#[derive(Default)]
pub(crate) struct Folders {
    /// Folders found real.
    real: std::collections::HashSet<String>,
    /// Folders found missing: nothing under them exists.
    missing: std::collections::HashSet<String>,
}

impl Folders {
    /// True when a folder on the way to `relative` was found missing (so nothing is at `relative`).
    pub(crate) fn under_missing(&self, relative: &str) -> bool {
        (relative.match_indices('/')).any(|(at, _)| self.missing.contains(&relative[..at]))
    }
}

/// The first folder on the way from `output` to `relative` (an output path) that is not a real
/// folder, with what stands there instead: a link, or a file. `seen` remembers the folders
/// already found real or missing.
pub(crate) fn blocked_folder(
    output: &Path,
    relative: &str,
    seen: &mut Folders,
) -> Option<(String, Found)> {
    let names: Vec<&str> = relative.split('/').collect();
    let mut prefix = String::new();
    for name in &names[..names.len().saturating_sub(1)] {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(name);
        if seen.real.contains(&prefix) {
            continue;
        }
        if seen.missing.contains(&prefix) {
            return None;
        }
        match found_at(&output.join(&prefix)) {
            Found::Folder => {
                seen.real.insert(prefix.clone());
            }
            // Nothing from here on: the folders will be created.
            Found::Nothing => {
                seen.missing.insert(prefix);
                return None;
            }
            other => return Some((prefix, other)),
        }
    }
    None
}

/// True when every file under `folder` (relative to `output`) is one gazette wrote and no longer
/// writes, and there is no link: such a folder may be cleared to make room for a file.
pub(crate) fn only_stale_files(
    output: &Path,
    folder: &str,
    previous: &Manifest,
    wanted: &std::collections::HashSet<&str>,
) -> bool {
    walkdir::WalkDir::new(output.join(folder))
        .into_iter()
        .all(|entry| match entry {
            Ok(e) if e.file_type().is_dir() => true,
            Ok(e) if e.file_type().is_file() => e
                .path()
                .strip_prefix(output)
                .ok()
                .and_then(Path::to_str)
                .is_some_and(|p| previous.contains_key(p) && !wanted.contains(p)),
            _ => false,
        })
}

/// True when `path` (an output path read from a manifest, a file the importer writes) is a plain
/// relative path inside its folder: names separated by `/`, no `.`, `..`, root, drive, backslash or NUL.
pub(crate) fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0'])
        && path
            .split('/')
            .all(|name| !name.is_empty() && name != "." && name != "..")
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// `path` made absolute with its nearest existing parent resolved (links included), then `.` and
/// `..` removed by name: `nothere/../templates` is `templates`, whatever exists.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    use std::path::Component;
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut lexical = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    // The folder may not exist yet: resolve its nearest existing parent.
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
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

/// Writes `bytes` to `relative` inside `folder`, creating folders: refused when `relative` is not a
/// plain relative path or when a link stands on the way or at the path (the one way the importer
/// writes, so nothing it reads can make it write elsewhere).
pub(crate) fn write_inside(folder: &Path, relative: &str, bytes: &[u8]) -> std::io::Result<()> {
    let refuse = |why: &str| {
        Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!("{relative} {why}"),
        ))
    };
    if !is_safe_relative(relative) {
        return refuse("would be outside the destination folder");
    }
    if blocked_folder(folder, relative, &mut Folders::default()).is_some()
        || found_at(&folder.join(relative)) == Found::Link
    {
        return refuse("would be written through a link or over a file");
    }
    let path = folder.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, bytes)
}
