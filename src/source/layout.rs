//! The folder layout of a site, written once: which folders hold what, and what each path of a
//! site folder is. Discovery walks these folders, the preview classifies changed paths with
//! them, the watcher watches them and the writer refuses to write into them.

use std::path::{Path, PathBuf};

use crate::source::config::Config;

/// The folder of the site's content (posts, pages, data, record bodies).
pub(crate) const CONTENT: &str = "content";
/// The site's own templates, which win over the theme's.
pub(crate) const TEMPLATES: &str = "templates";
/// The themes, one folder each (`themes/<name>/templates`, `themes/<name>/static`).
pub(crate) const THEMES: &str = "themes";
/// Files copied as they are into the output.
pub(crate) const ASSETS: &str = "assets";
/// gazette's cache in the site folder (highlighted code, external links, what was written where,
/// the built-in themes in use): never published, safe to delete.
pub(crate) const CACHE: &str = ".gazette-cache";
/// The file of a theme holding its interface strings, by language.
pub(crate) const THEME_STRINGS: &str = "i18n.yml";
/// Sass partials (`_name.scss`) that stylesheets import, as Jekyll's `_sass/`.
pub(crate) const SASS: &str = "sass";
/// Every top-level folder that holds sources: what the preview watches and what no output
/// folder may be.
pub(crate) const SOURCE_FOLDERS: [&str; 5] = [CONTENT, TEMPLATES, THEMES, ASSETS, SASS];

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
    /// A Sass stylesheet (`.scss`, `.sass`) among the static files: compiled into a `.css` file.
    Style,
    /// The theme's own interface strings (`themes/<name>/i18n.yml`), which the site's
    /// `content/data/i18n.yml` overrides key by key.
    ThemeStrings,
    /// A Sass partial: a file of `sass/`, or a static file whose name starts with `_`, that
    /// stylesheets import; never published itself.
    SassPartial,
}

/// Posts, Markdown files named `YYYY-MM-DD-slug.md` (in folders by language or year if wished).
pub(crate) const POSTS: &str = "content/posts";
/// Pages with addresses of their own.
pub(crate) const PAGES: &str = "content/pages";
/// Data files (`*.yml`), each readable by templates as `data.<name>`, some holding collections.
pub(crate) const DATA: &str = "content/data";

/// [`POSTS`] as a path.
pub(crate) fn posts_folder() -> PathBuf {
    PathBuf::from(POSTS)
}

/// [`PAGES`] as a path.
pub(crate) fn pages_folder() -> PathBuf {
    PathBuf::from(PAGES)
}

/// [`DATA`] as a path.
pub(crate) fn data_folder() -> PathBuf {
    PathBuf::from(DATA)
}

/// Says what a file is from its path inside a folder.
type Classifier = Box<dyn Fn(&str) -> Option<Kind> + Send + Sync>;

/// One folder of a site and what the files in it are, given their path inside it (`None`: not a
/// source file, such as a non-Markdown file among posts).
pub(crate) struct Folder {
    /// Relative to the site folder.
    pub(crate) path: PathBuf,
    classify: Classifier,
}

impl Folder {
    fn new(path: PathBuf, classify: impl Fn(&str) -> Option<Kind> + Send + Sync + 'static) -> Self {
        Folder {
            path,
            classify: Box::new(classify),
        }
    }

    /// What the file at `relative` (inside this folder, with `/` separators) is.
    pub(crate) fn kind_of(&self, relative: &str) -> Option<Kind> {
        (self.classify)(relative)
    }
}

/// Where the site's theme lives, relative to the site folder: its folder under `themes/` when the
/// site has one; else, for a theme named in site.yml and built into gazette, the copy of it kept
/// in the site's cache. (A site naming no theme and having no `themes/default/` uses its own
/// templates alone.)
pub(crate) fn theme_folder(root: &Path, config: &Config) -> PathBuf {
    let name = config.theme_name();
    let own = Path::new(THEMES).join(name);
    let built_in = config.names_theme() && crate::themes::is_builtin(name);
    if root.join(&own).is_dir() || !built_in {
        own
    } else {
        Path::new(CACHE).join("themes").join(name)
    }
}

/// Every folder of the site in `root` with `config`, in the order discovery walks them (the
/// theme's templates and static files before the site's own, which override them).
pub(crate) fn folders(root: &Path, config: &Config) -> Vec<Folder> {
    let markdown = [".md", ".markdown"];
    let mut folders = vec![
        Folder::new(posts_folder(), move |rel| {
            ends_with_any(rel, &markdown).then_some(Kind::Post)
        }),
        Folder::new(pages_folder(), |rel| {
            ends_with_any(rel, &[".md", ".markdown", ".html"]).then_some(Kind::Page)
        }),
        Folder::new(data_folder(), |rel| {
            (ends_with_any(rel, &[".yml", ".yaml"]) && !rel.contains('/')).then_some(Kind::Data)
        }),
    ];
    for (name, collection) in &config.collections {
        if let Some(bodies) = &collection.bodies {
            let name = name.clone();
            folders.push(Folder::new(Path::new(CONTENT).join(bodies), move |rel| {
                ends_with_any(rel, &markdown).then(|| Kind::Body(name.clone()))
            }));
        }
    }
    let theme = theme_folder(root, config);
    folders.extend([
        Folder::new(theme.clone(), |rel| {
            (rel == THEME_STRINGS).then_some(Kind::ThemeStrings)
        }),
        Folder::new(theme.join("templates"), |_| {
            Some(Kind::Template { theme: true })
        }),
        Folder::new(PathBuf::from(TEMPLATES), |_| {
            Some(Kind::Template { theme: false })
        }),
        Folder::new(theme.join("static"), static_kind),
        Folder::new(PathBuf::from(ASSETS), static_kind),
        Folder::new(PathBuf::from(SASS), |rel| {
            ends_with_any(rel, SASS_ENDINGS).then_some(Kind::SassPartial)
        }),
    ]);
    folders
}

const SASS_ENDINGS: &[&str] = &[".scss", ".sass"];

/// What a file among the static files is: a stylesheet to compile, a partial, or a file to copy.
fn static_kind(relative: &str) -> Option<Kind> {
    if !ends_with_any(relative, SASS_ENDINGS) {
        return Some(Kind::Static);
    }
    let name = relative.rsplit('/').next().unwrap_or(relative);
    Some(if name.starts_with('_') {
        Kind::SassPartial
    } else {
        Kind::Style
    })
}

/// What the file at `path` (relative to the site folder) is, by the layout alone: None for a
/// file no folder claims, or one with a hidden, backup or swap name on its way.
pub(crate) fn kind_of(path: &Path, folders: &[Folder]) -> Option<Kind> {
    folders.iter().find_map(|folder| {
        let rest = path.strip_prefix(&folder.path).ok()?;
        if rest
            .components()
            .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
        {
            return None;
        }
        let relative = rest.to_str()?.replace('\\', "/");
        folder.kind_of(&relative)
    })
}

/// True when `path` (relative to the site folder) is where discovery finds posts: a Markdown file
/// under `content/posts/` whose path has no hidden, backup or swap name in it. Needs no
/// configuration, so the preview can tell a post edit before reloading anything.
pub(crate) fn is_post_path(path: &Path) -> bool {
    let Ok(rest) = path.strip_prefix(posts_folder()) else {
        return false;
    };
    rest.to_str()
        .is_some_and(|rel| ends_with_any(rel, &[".md", ".markdown"]))
        && !rest
            .components()
            .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
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

fn ends_with_any(name: &str, endings: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    endings.iter().any(|e| lower.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_by_their_folder() {
        let config =
            Config::from_text("title: T\ntheme: default\n").unwrap_or_else(|_| unreachable!());
        let folders = folders(Path::new("/nowhere"), &config);
        let kind = |p: &str| kind_of(Path::new(p), &folders);
        assert_eq!(kind("content/posts/2024/2024-01-05-a.md"), Some(Kind::Post));
        assert_eq!(kind("content/posts/notes.txt"), None);
        assert_eq!(kind("content/posts/.2024-01-05-a.md.swp"), None);
        assert_eq!(kind("content/pages/en/about.html"), Some(Kind::Page));
        assert_eq!(kind("content/data/people.yml"), Some(Kind::Data));
        assert_eq!(kind("content/data/sub/people.yml"), None);
        assert_eq!(
            kind("templates/post.html"),
            Some(Kind::Template { theme: false })
        );
        assert_eq!(
            kind(".gazette-cache/themes/default/templates/base.html"),
            Some(Kind::Template { theme: true })
        );
        assert_eq!(
            kind(".gazette-cache/themes/default/static/css/site.css"),
            Some(Kind::Static)
        );
        assert_eq!(kind("assets/img/a.png"), Some(Kind::Static));
        assert_eq!(kind("assets/css/main.scss"), Some(Kind::Style));
        assert_eq!(kind("assets/css/_base.scss"), Some(Kind::SassPartial));
        assert_eq!(kind("sass/foundation/_grid.scss"), Some(Kind::SassPartial));
        assert_eq!(kind("sass/notes.txt"), None);
        assert_eq!(kind("site.yml"), None);
        assert_eq!(
            kind(".gazette-cache/themes/default/i18n.yml"),
            Some(Kind::ThemeStrings)
        );
        assert_eq!(kind(".gazette-cache/themes/default/notes.yml"), None);
        assert!(is_post_path(Path::new("content/posts/a.md")));
        assert!(!is_post_path(Path::new("content/posts/~a.md~")));
    }
}
