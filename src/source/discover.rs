//! Walks the site folder into a sorted list of source files with their kind; reads no file.

use crate::source::layout::ends_with_any;
use crate::source::layout::is_ignored_name;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;
use crate::source::config::Config;

/// What a source file is for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    /// `content/posts/**/*.md`.
    Post,
    /// `content/pages/**/*.{md,html}`.
    Page,
    /// `content/data/*.{yml,yaml}`.
    Data,
    /// A Markdown body of a record of the named collection.
    Body(String),
    /// A template; `theme` says whether it comes from the theme or the site's own `templates/`.
    Template {
        /// True for the theme's templates.
        theme: bool,
    },
    /// A file copied as is (theme `static/` or site `assets/`).
    Static,
}

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

/// Walks `root` (the site folder) following `config`.
pub(crate) fn discover(root: &Path, config: &Config) -> (Sources, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let content = root.join("content");
    walk(
        root,
        &content.join("posts"),
        &mut files,
        &mut problems,
        |rel| ends_with_any(rel, &[".md", ".markdown"]).then_some(Kind::Post),
    );
    walk(
        root,
        &content.join("pages"),
        &mut files,
        &mut problems,
        |rel| ends_with_any(rel, &[".md", ".markdown", ".html"]).then_some(Kind::Page),
    );
    walk(
        root,
        &content.join("data"),
        &mut files,
        &mut problems,
        |rel| (ends_with_any(rel, &[".yml", ".yaml"]) && !rel.contains('/')).then_some(Kind::Data),
    );
    for (name, collection) in &config.collections {
        if let Some(folder) = &collection.bodies {
            walk(
                root,
                &content.join(folder),
                &mut files,
                &mut problems,
                |rel| ends_with_any(rel, &[".md", ".markdown"]).then(|| Kind::Body(name.clone())),
            );
        }
    }
    walk(
        root,
        &root.join("themes").join(&config.theme).join("templates"),
        &mut files,
        &mut problems,
        |_| Some(Kind::Template { theme: true }),
    );
    walk(
        root,
        &root.join("templates"),
        &mut files,
        &mut problems,
        |_| Some(Kind::Template { theme: false }),
    );
    walk(
        root,
        &root.join("themes").join(&config.theme).join("static"),
        &mut files,
        &mut problems,
        |_| Some(Kind::Static),
    );
    walk(
        root,
        &root.join("assets"),
        &mut files,
        &mut problems,
        |_| Some(Kind::Static),
    );
    files.sort();
    (Sources { files }, problems)
}

fn walk(
    root: &Path,
    folder: &Path,
    files: &mut Vec<SourceFile>,
    problems: &mut Vec<Diagnostic>,
    classify: impl Fn(&str) -> Option<Kind>,
) {
    if !folder.is_dir() {
        return;
    }
    // Links are followed so a site can share folders, and walkdir reports loops instead of hanging.
    let walker = WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    let walker = walker
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
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
                        "discover",
                        shown,
                        format!("cannot read this folder entry: {error}"),
                    )
                    .help(help),
                );
                continue;
            }
        };
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
                Diagnostic::error("discover", shown, "this file name is not valid UTF-8")
                    .help("rename the file using letters, digits and dashes"),
            );
            continue;
        };
        if let Some(kind) = classify(&relative) {
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
