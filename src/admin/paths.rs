//! Which paths the editor's API may touch: files under `content/` and the pictures folder of the
//! editor (`assets/<admin.media>`), given relative to the site folder, never leaving it, never
//! through a link.

use std::path::{Component, Path, PathBuf};

/// Why a path is refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Refused;

/// The site-relative path `path` names when the editor may touch it: relative, made of plain
/// names (no `..`, no `.`, no backslash, no NUL, no hidden name), under `content/` or the
/// editor's pictures folder, with no symbolic link among its existing parts.
pub(crate) fn allowed(root: &Path, media_folder: &str, path: &str) -> Result<PathBuf, Refused> {
    let path = path.trim_start_matches("./");
    if path.is_empty() || path.contains('\\') || path.contains('\0') || path.starts_with('/') {
        return Err(Refused);
    }
    if path
        .split('/')
        .any(|segment| segment.is_empty() || segment == "." || segment == "..")
    {
        return Err(Refused);
    }
    let relative = PathBuf::from(path);
    let mut parts = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(name) => {
                let name = name.to_str().ok_or(Refused)?;
                if name.starts_with('.') {
                    return Err(Refused);
                }
                parts.push(name);
            }
            _ => return Err(Refused),
        }
    }
    let joined = parts.join("/");
    let inside = |prefix: &str| {
        joined == prefix.trim_end_matches('/')
            || joined.starts_with(&format!("{}/", prefix.trim_end_matches('/')))
    };
    if !inside(crate::source::layout::CONTENT) && !inside(media_folder) {
        return Err(Refused);
    }
    // No existing part may be a link (it could lead out of the site).
    let mut walked = root.to_path_buf();
    for part in &parts {
        walked.push(part);
        match std::fs::symlink_metadata(&walked) {
            Ok(meta) if meta.file_type().is_symlink() => return Err(Refused),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(PathBuf::from(joined))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn only_content_and_the_media_folder() {
        let root = std::env::temp_dir();
        let media = "assets/img/uploads";
        for bad in [
            "../etc/passwd",
            "/etc/passwd",
            "content/../site.yml",
            "site.yml",
            "themes/default/templates/base.html",
            "assets/other.png",
            "content/./x.md",
            "content\\x.md",
            "content/.git/config",
            "contentx/a.md",
            "",
        ] {
            assert_eq!(allowed(&root, media, bad), Err(Refused), "{bad}");
        }
        assert_eq!(
            allowed(&root, media, "content/posts/a.md").unwrap(),
            PathBuf::from("content/posts/a.md")
        );
        assert!(allowed(&root, media, "assets/img/uploads/a.png").is_ok());
    }
}
