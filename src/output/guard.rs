//! What stands at a path of the output folder, looked at without following links: gazette never
//! writes, replaces or removes anything through a link, and never takes over what it did not write.

use std::fs;
use std::path::Path;

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

/// The first folder on the way from `output` to `relative` (an output path) that is not a real
/// folder, with what stands there instead: a link, or a file. `real` remembers the folders
/// already found real, so that a build looks at each folder once.
pub(crate) fn blocked_folder(
    output: &Path,
    relative: &str,
    real: &mut std::collections::HashSet<String>,
) -> Option<(String, Found)> {
    let names: Vec<&str> = relative.split('/').collect();
    let mut prefix = String::new();
    for name in &names[..names.len().saturating_sub(1)] {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(name);
        if real.contains(&prefix) {
            continue;
        }
        match found_at(&output.join(&prefix)) {
            Found::Folder => {
                real.insert(prefix.clone());
            }
            // Nothing from here on: the folders will be created.
            Found::Nothing => return None,
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
