//! Sass stylesheets compiled into CSS, as Jekyll does: every `.scss`/`.sass` file among the static
//! files (its front matter, if any, dropped) becomes a `.css` file at the same place; partials
//! (`_name.scss`, and the `sass/` folder, Jekyll's `_sass/`) are what they import. The only
//! module that knows the Sass compiler (grass, pure Rust).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Rule};
use crate::source::discover::Sources;
use crate::source::layout::{self, Kind};

/// A compiled stylesheet.
#[derive(Debug, Clone)]
pub(crate) struct Style {
    /// The Sass file, relative to the site folder.
    pub(crate) file: PathBuf,
    /// Where the CSS goes, relative to the output folder (`css/main.css`).
    pub(crate) output: String,
    /// The CSS.
    pub(crate) css: String,
}

/// Compiles every stylesheet of `sources` (in parallel); every file that does not compile is an
/// error at its line.
pub(crate) fn compile_all(root: &Path, sources: &Sources) -> (Vec<Style>, Vec<Diagnostic>) {
    let results: Vec<Result<Style, Diagnostic>> = sources
        .of(&Kind::Style)
        .collect::<Vec<_>>()
        .par_iter()
        .map(|file| {
            let css = compile(root, &file.path)?;
            let stem = file
                .relative
                .rsplit_once('.')
                .map_or(file.relative.as_str(), |(stem, _)| stem);
            Ok(Style {
                file: file.path.clone(),
                output: format!("{stem}.css"),
                css,
            })
        })
        .collect();
    let mut styles = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(style) => styles.push(style),
            Err(problem) => problems.push(problem),
        }
    }
    (styles, problems)
}

/// The CSS of the Sass file `file` (relative to `root`).
fn compile(root: &Path, file: &Path) -> Result<String, Diagnostic> {
    let text = std::fs::read_to_string(root.join(file)).map_err(|e| {
        Diagnostic::error(
            Rule::Read,
            file,
            crate::msg!("cannot read this stylesheet: {e}", e),
        )
        .help(crate::msg!("check that the file exists and is UTF-8 text"))
    })?;
    let (body, offset) = without_front_matter(&text);
    let syntax = if file.extension().is_some_and(|e| e == "sass") {
        grass::InputSyntax::Sass
    } else {
        grass::InputSyntax::Scss
    };
    let folder = root.join(file).parent().map(Path::to_path_buf);
    let site_files = SiteFiles {
        site: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
    };
    let options = grass::Options::default()
        .fs(&site_files)
        .logger(&grass::NullLogger)
        .input_syntax(syntax)
        .load_path(root.join(layout::SASS))
        .load_paths(folder.as_slice())
        // Jekyll 4's default output style.
        .style(grass::OutputStyle::Expanded);
    grass::from_string(body.to_string(), &options).map_err(|error| {
        let (message, place) = match error.kind() {
            grass::ErrorKind::ParseError { message, loc, .. } => {
                let name = loc.file.name().to_string();
                (
                    message,
                    Some((name, loc.begin.line + 1, loc.begin.column + 1)),
                )
            }
            other => (format!("{other:?}"), None),
        };
        // An error in the stylesheet itself is at its line; one in a partial names the partial.
        let (shown, line, column) = match place {
            Some((name, line, column)) if Path::new(&name).is_absolute() => {
                let partial = Path::new(&name);
                (
                    partial.strip_prefix(root).unwrap_or(partial).to_path_buf(),
                    line,
                    column,
                )
            }
            Some((_, line, column)) => (file.to_path_buf(), line + offset, column),
            None => (file.to_path_buf(), 0, 0),
        };
        Diagnostic::error(
            Rule::Style,
            shown,
            crate::msg!("this stylesheet does not compile: {message}", message),
        )
        .at(line, column)
        .help(crate::msg!(
            "fix the Sass at this line (or the partial it imports)"
        ))
    })
}

/// The files a stylesheet may import: those inside the site folder only (an `@import` of
/// `../../somewhere` must not publish another file's content).
#[derive(Debug)]
struct SiteFiles {
    site: PathBuf,
}

impl SiteFiles {
    fn inside(&self, path: &Path) -> bool {
        std::fs::canonicalize(path).is_ok_and(|p| p.starts_with(&self.site))
    }
}

impl grass::Fs for SiteFiles {
    fn is_dir(&self, path: &Path) -> bool {
        self.inside(path) && path.is_dir()
    }

    fn is_file(&self, path: &Path) -> bool {
        self.inside(path) && path.is_file()
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        if !self.inside(path) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "outside the site folder",
            ));
        }
        std::fs::read(path)
    }
}

/// The text after a front matter (`---` … `---`, as Jekyll requires to compile a file), and how
/// many lines the front matter took.
fn without_front_matter(text: &str) -> (&str, usize) {
    let mut offset = 0;
    let mut lines = 0;
    for line in text.split_inclusive('\n') {
        let is_fence = line.trim_end() == "---";
        if lines == 0 && !is_fence {
            return (text, 0);
        }
        offset += line.len();
        lines += 1;
        if lines > 1 && is_fence {
            return (&text[offset..], lines);
        }
    }
    (text, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_dropped_and_counted() {
        assert_eq!(without_front_matter("---\n---\na {}\n"), ("a {}\n", 2));
        assert_eq!(
            without_front_matter("---\ntitle: x\n---\n$c: red;\n"),
            ("$c: red;\n", 3)
        );
        assert_eq!(without_front_matter("a {}\n"), ("a {}\n", 0));
    }

    #[test]
    fn stylesheets_compile_with_partials_from_the_sass_folder() {
        let dir = tempfile_dir();
        std::fs::create_dir_all(dir.join("sass")).unwrap_or_default();
        std::fs::create_dir_all(dir.join("assets/css")).unwrap_or_default();
        std::fs::write(dir.join("sass/_colours.scss"), "$main: #123456;\n").unwrap_or_default();
        std::fs::write(
            dir.join("assets/css/main.scss"),
            "---\n---\n@import \"colours\";\nbody { color: $main; a { b: c } }\n",
        )
        .unwrap_or_default();
        let css = compile(&dir, Path::new("assets/css/main.scss")).unwrap_or_default();
        assert!(css.contains("color: #123456"), "{css}");
        assert!(css.contains("body a {"), "{css}");
        std::fs::write(
            dir.join("assets/css/bad.scss"),
            "a {}\nb { color: $nope; }\n",
        )
        .unwrap_or_default();
        let error = compile(&dir, Path::new("assets/css/bad.scss")).err();
        assert!(error.as_ref().is_some_and(|d| d.line == 2), "{error:?}");
        // A valid stylesheet beside the site folder cannot be pulled in.
        let outside = dir.with_file_name(format!("gazette-outside-{}.scss", std::process::id()));
        std::fs::write(&outside, "secret { a: b }\n").unwrap_or_default();
        let name = outside
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned());
        std::fs::write(
            dir.join("assets/css/escape.scss"),
            format!("@import \"../../../{}\";\n", name.unwrap_or_default()),
        )
        .unwrap_or_default();
        let escaped = compile(&dir, Path::new("assets/css/escape.scss"));
        let _ = std::fs::remove_file(&outside);
        assert!(escaped.is_err(), "{escaped:?}");
        let _ = std::fs::remove_dir_all(dir);
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gazette-styles-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }
}
