//! Walks the site folder into a sorted list of source files with their kind; reads no file.

use crate::diagnostic::Rule;
use crate::source::layout::Kind;
use crate::source::layout::{self, Folder, is_ignored_name};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;
use crate::source::config::Config;

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct SourceFile {
    /// What the file is.
    pub kind: Kind,
    /// Path relative to the site folder (what diagnostics show).
    pub path: PathBuf,
    /// Path relative to the file's own folder (`content/posts/`, `templates/`, `assets/`...):
    /// the template name, the output path of a static file, the page's `:path`.
    pub relative: String,
}

/// All source files, each list sorted by path so builds are reproducible.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    /// Every file found.
    pub files: Vec<SourceFile>,
}

impl Sources {
    /// The files of one kind.
    pub(crate) fn of<'a>(&'a self, kind: &'a Kind) -> impl Iterator<Item = &'a SourceFile> + 'a {
        self.files.iter().filter(move |f| &f.kind == kind)
    }
}

/// Walks `root` (the site folder) following `config`: every folder of the layout.
pub(crate) fn discover(root: &Path, config: &Config) -> (Sources, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let theme = layout::theme_folder(root, config);
    if theme.starts_with(layout::CACHE) {
        if let Err(e) = crate::themes::materialize(config.theme_name(), &root.join(&theme)) {
            problems.push(
                Diagnostic::error(
                    Rule::Discover,
                    &theme,
                    crate::msg!(
                        "cannot set up the built-in theme `{name}`: {e}",
                        name = config.theme_name(),
                        e
                    ),
                )
                .help(crate::msg!("check that you may write in the site folder (gazette keeps the theme in .gazette-cache/)")),
            );
        }
    } else if config.names_theme() && !config.without_theme() && !root.join(&theme).is_dir() {
        problems.push(
            Diagnostic::error(
                Rule::Config,
                crate::source::config::FILE_NAME,
                crate::msg!(
                    "the theme `{name}` is neither in {folder} nor built into gazette (built-in: {builtin})",
                    name = config.theme_name(),
                    folder = theme.display(),
                    builtin = crate::themes::BUILTIN.join(", ")
                ),
            )
            .help(crate::msg!("write `theme: default` in site.yml (or `theme: none` for your own templates alone), or put the theme's folder under themes/")),
        );
    }
    for folder in layout::folders(root, config) {
        walk(root, &folder, &config.include, &mut files, &mut problems);
    }
    files.sort();
    (Sources { files }, problems)
}

/// True when `path` (inside `folder`) is, or is inside, a hidden file or folder site.yml's
/// `include` names.
fn is_included(include: &[String], folder: &Path, path: &Path) -> bool {
    let Some(relative) = path.strip_prefix(folder).ok().and_then(Path::to_str) else {
        return false;
    };
    let relative = relative.replace('\\', "/");
    include.iter().any(|entry| {
        let entry = entry.trim_matches('/');
        !entry.is_empty() && (relative == entry || relative.starts_with(&format!("{entry}/")))
    })
}

/// An error when `path` (reached through a link) really lies outside the site folder `site`
/// (canonical).
fn link_out_of_site(root: &Path, site: &Path, path: &Path) -> Option<Diagnostic> {
    let target = std::fs::canonicalize(path).ok()?;
    if target.starts_with(site) {
        return None;
    }
    let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    Some(
        Diagnostic::error(
            Rule::Discover,
            shown,
            crate::msg!(
                "this is a link to {target}, outside the site folder: gazette never publishes files from outside the site",
                target = target.display()
            ),
        )
        .help(crate::msg!("copy the file or folder into the site instead of linking to it")),
    )
}

fn walk(
    root: &Path,
    layout: &Folder,
    include: &[String],
    files: &mut Vec<SourceFile>,
    problems: &mut Vec<Diagnostic>,
) {
    let folder = &root.join(&layout.path);
    if !folder.is_dir() {
        return;
    }
    // Links are followed so a site can share folders inside itself, and walkdir reports loops
    // instead of hanging; a link leading out of the site folder is refused (it would publish
    // whatever it points to, /etc/passwd included).
    let site = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut walker = WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(folder);
                let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
                let help = if error.loop_ancestor().is_some() {
                    "this folder contains a link to one of its parents: remove the link"
                } else {
                    "check that the file exists and can be read"
                };
                problems.push(
                    Diagnostic::error(
                        Rule::Discover,
                        shown,
                        crate::msg!("cannot read this folder entry: {error}", error),
                    )
                    .help(help),
                );
                continue;
            }
        };
        if entry.depth() > 0
            && is_ignored_name(&entry.file_name().to_string_lossy())
            && !is_included(include, folder, entry.path())
        {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if (entry.depth() == 0 || entry.path_is_symlink())
            && let Some(problem) = link_out_of_site(root, &site, entry.path())
        {
            problems.push(problem);
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(folder) else {
            continue;
        };
        let Some(relative) = relative.to_str().map(|s| s.replace('\\', "/")) else {
            let shown = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_path_buf();
            problems.push(
                Diagnostic::error(
                    Rule::Discover,
                    shown,
                    crate::msg!("this file name is not valid UTF-8"),
                )
                .help(crate::msg!(
                    "rename the file using letters, digits and dashes"
                )),
            );
            continue;
        };
        if let Some(kind) = layout.kind_of(&relative) {
            let path = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_path_buf();
            files.push(SourceFile {
                kind,
                path,
                relative,
            });
        }
    }
}
