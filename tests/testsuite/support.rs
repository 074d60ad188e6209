//! Helpers shared by the integration tests: fixture sites in temporary folders, the gazette
//! binary, and parsers for what it writes.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The folder holding fixture sites.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

/// The repository root (the demo site).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site copied into a temporary folder, so tests can change it and build it.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// Copies `tests/fixtures/<name>` into a new temporary folder.
    pub fn fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join(name), dir.path());
        TestSite { dir }
    }

    /// Copies a fixture and the repository's default theme beside it.
    pub fn fixture_with_theme(name: &str) -> TestSite {
        let site = TestSite::fixture(name);
        copy_dir(
            &repo_root().join("themes").join("default"),
            &site.path().join("themes").join("default"),
        );
        site
    }

    /// An empty site with the default theme, to be filled by `write`.
    pub fn empty_with_theme() -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &repo_root().join("themes").join("default"),
            &dir.path().join("themes").join("default"),
        );
        TestSite { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file of the site (creating folders).
    pub fn write(&self, relative: &str, text: &str) -> &Self {
        let path = self.path().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Removes a file of the site.
    pub fn remove(&self, relative: &str) -> &Self {
        fs::remove_file(self.path().join(relative)).unwrap();
        self
    }

    /// Runs `gazette <args>` in the site folder, its messages in English (`GAZETTE_LANG=en`):
    /// the suites that check behaviours, not languages, read English words.
    pub fn gazette(&self, args: &[&str]) -> Run {
        gazette_in(self.path(), args)
    }

    /// Runs `gazette <args>` in the site folder as a writer would, its messages in the site's
    /// language (no `GAZETTE_LANG`).
    pub fn gazette_native(&self, args: &[&str]) -> Run {
        run_gazette(self.path(), args, None)
    }

    /// `gazette build`, asserting success.
    pub fn build_ok(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        let run = self.gazette(&args);
        assert!(run.success(), "build failed:\n{}", run.stderr);
        run
    }

    /// A file of the output folder `public/`, as text.
    pub fn output(&self, relative: &str) -> String {
        let path = self.path().join("public").join(relative);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// True when the output folder holds this file.
    pub fn has_output(&self, relative: &str) -> bool {
        self.path().join("public").join(relative).is_file()
    }
}

/// What a run of the gazette binary did.
pub struct Run {
    pub output: Output,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn success(&self) -> bool {
        self.output.status.success()
    }
    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }
}

/// Runs the gazette binary with `args` in `dir`.
pub fn gazette_in(dir: &Path, args: &[&str]) -> Run {
    run_gazette(dir, args, Some("en"))
}

/// Runs the gazette binary with `args` in `dir` as a writer would: no `GAZETTE_LANG`, so it
/// speaks the language of the site (or of the Jekyll site being imported).
pub fn gazette_native_in(dir: &Path, args: &[&str]) -> Run {
    run_gazette(dir, args, None)
}

/// Runs the gazette binary with `args` in `dir`, `GAZETTE_LANG` set to `lang` or unset.
fn run_gazette(dir: &Path, args: &[&str], lang: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("GAZETTE_LANG");
    if let Some(lang) = lang {
        command.env("GAZETTE_LANG", lang);
    }
    let output = command.output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        output,
    }
}

/// Runs `gazette import jekyll SRC --into <tmp>/site`, asserting that it succeeds and leaves SRC
/// byte for byte as it was; returns the run and the new site's folder.
pub fn import_jekyll(src: &Path, tmp: &Path) -> (Run, PathBuf) {
    let dest = tmp.join("site");
    let before = snapshot(src);
    let run = gazette_in(
        tmp,
        &[
            "import",
            "jekyll",
            src.to_str().unwrap(),
            "--into",
            dest.to_str().unwrap(),
        ],
    );
    assert!(
        run.success(),
        "import failed:\n{}{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(snapshot(src), before, "the import modified the Jekyll site");
    (run, dest)
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, keyed by relative path (to compare whole folders).
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// Parses HTML.
pub fn html(text: &str) -> scraper::Html {
    scraper::Html::parse_document(text)
}

/// The texts of elements matching `selector`.
pub fn select_texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The values of attribute `attr` of elements matching `selector`.
pub fn select_attrs(doc: &scraper::Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// The words a visitor reads on a page: the text of `<body>` without scripts, styles and
/// templates, with spacing and quote styles normalised so that typography alone (a French
/// non-breaking space before `!`, `« »` or `" "`, curly or straight apostrophes) is no difference.
pub fn visible_words(page: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(page);
    let Some(body) = doc
        .select(&scraper::Selector::parse("body").unwrap())
        .next()
    else {
        return Vec::new();
    };
    let mut text = String::new();
    for node in body.descendants() {
        let Some(t) = node.value().as_text() else {
            continue;
        };
        let hidden = node.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| matches!(e.name(), "script" | "style" | "noscript" | "template"))
        });
        if !hidden {
            text.push_str(t);
            text.push(' ');
        }
    }
    let mut normal = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{a0}' | '\u{202f}' | '\u{2009}' => normal.push(' '),
            '’' | '‘' => normal.push('\''),
            // A quote mark is a word of its own: spaces inside quotes do not count.
            '“' | '”' | '«' | '»' | '"' => normal.push_str(" \" "),
            // French typography spaces these: a word of its own too.
            ';' | ':' | '!' | '?' => {
                normal.push(' ');
                normal.push(c);
                normal.push(' ');
            }
            c => normal.push(c),
        }
    }
    normal.split_whitespace().map(str::to_string).collect()
}

/// How alike two lists of words are: 2 × matching words / all words (1 for equal lists), from
/// a real diff (`similar`, Myers' algorithm, as `difflib` computes its ratio).
pub fn text_similarity(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let b: Vec<&str> = b.iter().map(String::as_str).collect();
    f64::from(similar::TextDiff::configure().diff_slices(&a, &b).ratio())
}

/// Asserts that the preview's outputs equal a clean build of the same folder, naming the first
/// difference (incremental updates must never drift from `gazette build`).
pub fn assert_live_same_as_clean(
    live: &gazette::preview::live::Live,
    root: &Path,
    options: &gazette::site::BuildOptions,
    step: &str,
) {
    let clean = gazette::preview::live::clean(root, options)
        .unwrap_or_else(|p| panic!("{step}: clean build failed: {p:?}"));
    let files = live.files();
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        clean.keys().collect::<Vec<_>>(),
        "{step}: not the same files"
    );
    for (path, body) in files.iter() {
        assert!(
            clean[path] == *body,
            "{step}: {path} differs from a clean build"
        );
    }
}
