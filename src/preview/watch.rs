//! Watches a site's sources (site.yml, content/, templates/, themes/, assets/) with notify, debounced,
//! or by polling where file system events do not arrive; hands over batches of changed paths,
//! leaving out editors' swap, backup and lock files.

use crate::diagnostic::Rule;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

use crate::diagnostic::Diagnostic;
use crate::source::layout::is_ignored_name;

/// How long the debouncer waits for an editor's burst of events (write, rename, chmod) to end.
const DEBOUNCE: Duration = Duration::from_millis(15);

/// A running watcher; dropping it stops watching.
pub(crate) enum Watch {
    /// Native events (inotify, FSEvents, ReadDirectoryChangesW).
    Events(Debouncer<RecommendedWatcher, RecommendedCache>),
    /// Polling.
    Poll(Debouncer<PollWatcher, NoCache>),
}

/// True when a changed path is one gazette should react to: not a swap, backup or lock file of an
/// editor (`*.swp`, `*~`, `.#*`, vim's `4913`), nor in a hidden folder.
pub(crate) fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let mut components = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let Some(first) = components.next() else {
        return false;
    };
    if first == crate::source::config::FILE_NAME && relative.components().count() == 1 {
        return true;
    }
    crate::source::layout::SOURCE_FOLDERS.contains(&first.as_str())
        && !relative
            .components()
            .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
}

/// Starts watching `root` (an absolute path). Each batch of relevant changed paths (absolute) is
/// sent on `changes`; watcher errors are printed.
pub(crate) fn start(
    root: &Path,
    poll: Option<Duration>,
    changes: Sender<Vec<PathBuf>>,
) -> Result<Watch, Diagnostic> {
    let filter_root = root.to_path_buf();
    let lang = crate::diagnostic::Lang::of_site_folder(root);
    let handler = move |result: DebounceEventResult| match result {
        Ok(events) => {
            // Reading a file (gazette reads them all on a rebuild) is no change: only writes,
            // creations, removals and renames count.
            let mut paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                .flat_map(|e| e.paths.iter())
                .filter(|p| is_relevant(&filter_root, p))
                .cloned()
                .collect();
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                let _ = changes.send(paths);
            }
        }
        Err(errors) => {
            for error in errors {
                let warning = crate::msg!("warning: watching files: {error}", error);
                eprintln!("{}", warning.in_lang(lang));
            }
        }
    };
    let failed = |error: notify::Error| {
        Diagnostic::error(Rule::Watch, root, crate::msg!("cannot watch the site's files: {error}", error))
            .help(crate::msg!("try `gazette serve --poll`, which checks the files regularly instead of waiting for system events"))
    };
    let mut watch = match poll {
        None => Watch::Events(new_debouncer(DEBOUNCE, None, handler).map_err(failed)?),
        Some(interval) => {
            let config = notify::Config::default().with_poll_interval(interval);
            Watch::Poll(
                new_debouncer_opt::<_, PollWatcher, NoCache>(
                    DEBOUNCE, None, handler, NoCache, config,
                )
                .map_err(failed)?,
            )
        }
    };
    // The site folder itself only for site.yml (and folders created later); the rest recursively.
    watch
        .add(root, RecursiveMode::NonRecursive)
        .map_err(failed)?;
    for folder in crate::source::layout::SOURCE_FOLDERS {
        let path = root.join(folder);
        if path.is_dir() {
            watch.add(&path, RecursiveMode::Recursive).map_err(failed)?;
        }
    }
    Ok(watch)
}

impl Watch {
    fn add(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watch::Events(d) => d.watch(path, mode),
            Watch::Poll(d) => d.watch(path, mode),
        }
    }

    /// Starts watching a folder of [`crate::source::layout::SOURCE_FOLDERS`] created after the start.
    pub(crate) fn add_folder(&mut self, path: &Path) {
        if let Err(error) = self.add(path, RecursiveMode::Recursive) {
            // The folders watched later are the site's top-level source folders.
            let lang = crate::diagnostic::Lang::of_site_folder(path.parent().unwrap_or(path));
            let folder = path.display();
            let warning = crate::msg!("warning: cannot watch {folder}: {error}", folder, error);
            eprintln!("{}", warning.in_lang(lang));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn editor_files_are_left_out() {
        let root = Path::new("/site");
        for (path, relevant) in [
            ("/site/site.yml", true),
            ("/site/content/posts/a.md", true),
            ("/site/templates/base.html", true),
            ("/site/content/posts/.a.md.swp", false),
            ("/site/content/posts/a.md~", false),
            ("/site/content/posts/.#a.md", false),
            ("/site/content/posts/4913", false),
            ("/site/public/index.html", false),
            ("/site/target/x", false),
            ("/elsewhere/content/a.md", false),
        ] {
            assert_eq!(is_relevant(root, Path::new(path)), relevant, "{path}");
        }
    }
}
