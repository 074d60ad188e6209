//! Every save of the editor goes through the build's own checks before anything is written: the
//! site is put together again in a scratch copy made of hard links (cheap, nothing copied) under
//! `.gazette-cache/`, with the saved files in it, and rendered with its content rules as a build
//! would. A save the build would refuse is refused with the build's own messages; the files on
//! disk stay as they were.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diagnostic::Diagnostic;
use crate::site::BuildOptions;

use crate::admin::api::Change;

/// The errors the build would give once `changes` are made, when there are some: with
/// `site_was_fine`, every error; otherwise (the site already had errors) those in the changed
/// files only, so that one broken page elsewhere does not block every save.
pub(crate) fn refused(
    root: &Path,
    changes: &[Change],
    options: &BuildOptions,
    site_was_fine: bool,
) -> Result<(), Vec<Diagnostic>> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let scratch = root.join(crate::source::layout::CACHE).join(format!(
        "admin-check-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let result = check_in(root, &scratch, changes, options, site_was_fine);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn check_in(
    root: &Path,
    scratch: &Path,
    changes: &[Change],
    options: &BuildOptions,
    site_was_fine: bool,
) -> Result<(), Vec<Diagnostic>> {
    let copy_failed = |e: std::io::Error| {
        vec![Diagnostic::error(
            crate::diagnostic::Rule::Serve,
            crate::source::layout::CACHE,
            crate::msg!("cannot check the save before writing it: {e}", e),
        )]
    };
    std::fs::create_dir_all(scratch).map_err(copy_failed)?;
    std::fs::copy(
        root.join(crate::source::config::FILE_NAME),
        scratch.join(crate::source::config::FILE_NAME),
    )
    .map_err(copy_failed)?;
    for folder in crate::source::layout::SOURCE_FOLDERS {
        link_tree(&root.join(folder), &scratch.join(folder)).map_err(copy_failed)?;
    }
    for (path, bytes) in changes {
        let target = scratch.join(path);
        // A linked file is the site's own: unlink it before writing, never write through it.
        let _ = std::fs::remove_file(&target);
        if let Some(bytes) = bytes {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(copy_failed)?;
            }
            std::fs::write(&target, bytes).map_err(copy_failed)?;
        }
    }
    let Err(problems) = crate::pipeline::render_site(scratch, options) else {
        return Ok(());
    };
    let changed: Vec<&Path> = changes.iter().map(|(p, _)| p.as_path()).collect();
    let errors: Vec<Diagnostic> = problems
        .into_iter()
        .filter(Diagnostic::is_error)
        .filter(|d| site_was_fine || changed.contains(&d.file.as_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `from` mirrored at `to`: folders made, files hard-linked (copied where links cannot be
/// made); links and hidden names left out, as a build leaves them.
fn link_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(());
    };
    std::fs::create_dir_all(to)?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let (source, target) = (entry.path(), to.join(&name));
        if kind.is_dir() {
            link_tree(&source, &target)?;
        } else if kind.is_file() && std::fs::hard_link(&source, &target).is_err() {
            std::fs::copy(&source, &target)?;
        }
    }
    Ok(())
}
