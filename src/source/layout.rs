//! The folder layout of a site, written once: what each path of a site folder is.

use std::path::Path;

/// True when `path` (relative to the site folder) is where `discover` finds posts: a Markdown file
/// under `content/posts/` whose path has no hidden, backup or swap name in it.
pub(crate) fn is_post_path(path: &Path) -> bool {
    let Ok(rest) = path.strip_prefix(Path::new("content").join("posts")) else {
        return false;
    };
    let names: Vec<String> = rest
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(last) = names.last() else {
        return false;
    };
    let lower = last.to_ascii_lowercase();
    (lower.ends_with(".md") || lower.ends_with(".markdown"))
        && !names
            .iter()
            .any(|n| crate::source::layout::is_ignored_name(n))
}

/// True for files that editors and systems leave beside real ones: swap files, backups,
/// lock files, vim's `4913` probe, hidden files.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == "Thumbs.db"
}

pub(crate) fn ends_with_any(name: &str, endings: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    endings.iter().any(|e| lower.ends_with(e))
}
