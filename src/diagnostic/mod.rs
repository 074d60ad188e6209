//! Diagnostics as data (file, line, column, message, hint) and the one place they are rendered for people.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub mod catalogue;
mod text;

pub use text::{Lang, Text};

/// How bad a finding is: errors fail the build, warnings never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// Worth fixing, but the site is still built.
    Warning,
}

/// The rule or stage that found a problem: stable names in `--format json` and in `rules:`
/// documentation, and what code may branch on (never on a message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rule {
    /// A link to a `#part` of a page that has none.
    #[serde(rename = "anchor")]
    Anchor,
    /// A profile picture too small or not square.
    #[serde(rename = "avatar")]
    Avatar,
    /// A collection of records and its data file.
    #[serde(rename = "collection")]
    Collection,
    /// `site.yml`.
    #[serde(rename = "config")]
    Config,
    /// A post's date.
    #[serde(rename = "date")]
    Date,
    /// Finding the files of the site.
    #[serde(rename = "discover")]
    Discover,
    /// Posts dated in the future, left out of the build (without `--future`).
    #[serde(rename = "future-post")]
    FuturePost,
    /// A key written twice in one YAML mapping.
    #[serde(rename = "duplicate-key")]
    DuplicateKey,
    /// Two pages at one address.
    #[serde(rename = "duplicate-url")]
    DuplicateUrl,
    /// A file that is not UTF-8 text.
    #[serde(rename = "encoding")]
    Encoding,
    /// A link to another site that does not answer.
    #[serde(rename = "external-link")]
    ExternalLink,
    /// The front matter of a Markdown file.
    #[serde(rename = "front-matter")]
    FrontMatter,
    /// A social-network handle that is not one.
    #[serde(rename = "handle")]
    Handle,
    /// An address that should use https.
    #[serde(rename = "https")]
    Https,
    /// Interface strings (`t()`) missing in a language.
    #[serde(rename = "i18n")]
    I18n,
    /// An image that is missing or written with other capitals.
    #[serde(rename = "image")]
    Image,
    /// A picture still heavy once made smaller (`images.max_kb`).
    #[serde(rename = "image-weight")]
    ImageWeight,
    /// A Markdown image without a description for those who cannot see it.
    #[serde(rename = "image-alt")]
    ImageAlt,
    /// The Jekyll importer.
    #[serde(rename = "import")]
    Import,
    /// A language the site does not declare.
    #[serde(rename = "language")]
    Language,
    /// A link to a page of the site that does not exist.
    #[serde(rename = "link")]
    Link,
    /// `gazette new`.
    #[serde(rename = "new")]
    New,
    /// The output folder: where it is, what is in it.
    #[serde(rename = "output")]
    Output,
    /// An address (permalink, slug, alias) that cannot be a path of the site.
    #[serde(rename = "permalink")]
    Permalink,
    /// A post's date that differs from its file name.
    #[serde(rename = "post-date")]
    PostDate,
    /// A key every post must have (`rules.posts.required`).
    #[serde(rename = "post-required")]
    PostRequired,
    /// A tag not in the site's list (`rules.posts.allowed_tags`).
    #[serde(rename = "post-tag")]
    PostTag,
    /// How many tags a post has (`rules.posts`).
    #[serde(rename = "post-tags")]
    PostTags,
    /// A post's author who is no record of the authors' collection (`rules.posts.known_authors`).
    #[serde(rename = "post-author")]
    PostAuthor,
    /// Reading a file.
    #[serde(rename = "read")]
    Read,
    /// A record's Markdown body.
    #[serde(rename = "record-body")]
    RecordBody,
    /// A Sass stylesheet that does not compile.
    #[serde(rename = "style")]
    Style,
    /// A record field whose value is not one of those allowed.
    #[serde(rename = "record-enum")]
    RecordEnum,
    /// A field every record must have.
    #[serde(rename = "record-required")]
    RecordRequired,
    /// A record's `link_to` that differs from its page's address.
    #[serde(rename = "record-url")]
    RecordUrl,
    /// A reference to a record that does not exist.
    #[serde(rename = "reference")]
    Reference,
    /// The preview server.
    #[serde(rename = "serve")]
    Serve,
    /// A post's tags.
    #[serde(rename = "tags")]
    Tags,
    /// A template: missing, or failing to parse or render.
    #[serde(rename = "template")]
    Template,
    /// Watching the files for the preview.
    #[serde(rename = "watch")]
    Watch,
    /// Writing the output files.
    #[serde(rename = "write")]
    Write,
    /// YAML that cannot be read.
    #[serde(rename = "yaml")]
    Yaml,
    /// A YAML value Jekyll (YAML 1.1) read differently.
    #[serde(rename = "yaml-1.1")]
    Yaml11,
}

impl Rule {
    /// The rule's stable name (`front-matter`, `post-tag`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Anchor => "anchor",
            Rule::Avatar => "avatar",
            Rule::Collection => "collection",
            Rule::Config => "config",
            Rule::Date => "date",
            Rule::Discover => "discover",
            Rule::DuplicateKey => "duplicate-key",
            Rule::DuplicateUrl => "duplicate-url",
            Rule::Encoding => "encoding",
            Rule::ExternalLink => "external-link",
            Rule::FrontMatter => "front-matter",
            Rule::Handle => "handle",
            Rule::Https => "https",
            Rule::I18n => "i18n",
            Rule::Image => "image",
            Rule::ImageWeight => "image-weight",
            Rule::ImageAlt => "image-alt",
            Rule::Import => "import",
            Rule::Language => "language",
            Rule::Link => "link",
            Rule::New => "new",
            Rule::Output => "output",
            Rule::Permalink => "permalink",
            Rule::PostDate => "post-date",
            Rule::FuturePost => "future-post",
            Rule::PostRequired => "post-required",
            Rule::PostTag => "post-tag",
            Rule::PostTags => "post-tags",
            Rule::PostAuthor => "post-author",
            Rule::Read => "read",
            Rule::RecordBody => "record-body",
            Rule::RecordEnum => "record-enum",
            Rule::RecordRequired => "record-required",
            Rule::RecordUrl => "record-url",
            Rule::Reference => "reference",
            Rule::Serve => "serve",
            Rule::Tags => "tags",
            Rule::Template => "template",
            Rule::Watch => "watch",
            Rule::Write => "write",
            Rule::Style => "style",
            Rule::Yaml => "yaml",
            Rule::Yaml11 => "yaml-1.1",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in the user's files.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A short stable identifier of the rule or stage that found it (`yaml`, `front-matter`, ...).
    pub rule: Rule,
    /// The file, relative to the site folder when it is inside it.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem is about the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// What is wrong, in plain words.
    #[serde(serialize_with = "english")]
    pub message: Text,
    /// How to fix it.
    #[serde(serialize_with = "english_help")]
    pub help: Option<Text>,
}

impl Diagnostic {
    /// An error about `file` at `line:column`.
    pub(crate) fn error(rule: Rule, file: impl Into<PathBuf>, message: impl Into<Text>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            rule,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
        }
    }

    /// A warning about `file`.
    pub(crate) fn warning(rule: Rule, file: impl Into<PathBuf>, message: impl Into<Text>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(rule, file, message)
        }
    }

    /// Sets the position (1-based line and column).
    pub(crate) fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Sets the hint telling how to fix the problem.
    pub(crate) fn help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, leaving out what is unknown.
    pub(crate) fn location(&self) -> String {
        let path = self.file.display();
        match (self.line, self.column) {
            (0, _) => format!("{path}"),
            (line, 0) => format!("{path}:{line}"),
            (line, column) => format!("{path}:{line}:{column}"),
        }
    }
}

/// Sorts diagnostics for display: by file, errors before warnings, then by position.
pub(crate) fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.severity, a.line, a.column, &a.message)
            .cmp(&(&b.file, b.severity, b.line, b.column, &b.message))
    });
}

/// Renders diagnostics for a terminal, in `lang`: grouped by file, with the offending line and a
/// caret, the hint, and a final count. `root` is the site folder, used to read snippets.
pub fn render_text(diagnostics: &[Diagnostic], root: &Path, lang: Lang) -> String {
    let mut sorted = diagnostics.to_vec();
    sort(&mut sorted);
    let mut out = String::new();
    for severity in [Severity::Error, Severity::Warning] {
        for d in sorted.iter().filter(|d| d.severity == severity) {
            render_one(&mut out, d, root, lang);
        }
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if !diagnostics.is_empty() {
        let _ = writeln!(out, "{}", summary_line(errors, warnings, lang));
    }
    out
}

/// `2 errors, 1 warning` (`2 erreurs, 1 avertissement`).
pub fn summary_line(errors: usize, warnings: usize, lang: Lang) -> String {
    let errors = match errors {
        1 => crate::msg!("1 error"),
        n => crate::msg!("{n} errors", n),
    };
    let warnings = match warnings {
        1 => crate::msg!("1 warning"),
        n => crate::msg!("{n} warnings", n),
    };
    format!("{}, {}", errors.in_lang(lang), warnings.in_lang(lang))
}

/// What a diagnostic's severity is called, in `lang`.
fn label(severity: Severity, lang: Lang) -> String {
    match severity {
        Severity::Error => crate::msg!("error"),
        Severity::Warning => crate::msg!("warning"),
    }
    .in_lang(lang)
}

fn render_one(out: &mut String, d: &Diagnostic, root: &Path, lang: Lang) {
    let label = label(d.severity, lang);
    let _ = writeln!(
        out,
        "{}: {label}: {}",
        d.location(),
        d.message.in_lang(lang)
    );
    if let Some(line_text) = source_line(root, d) {
        let number = d.line.to_string();
        let pad = " ".repeat(number.len());
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{number} | {line_text}");
        if d.column > 0 {
            let caret_pad: String = line_text
                .chars()
                .take(d.column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} | {caret_pad}^");
        }
    }
    if let Some(help) = &d.help {
        let _ = writeln!(
            out,
            "  = {}: {}",
            crate::msg!("help").in_lang(lang),
            help.in_lang(lang)
        );
    }
    out.push('\n');
}

fn source_line(root: &Path, d: &Diagnostic) -> Option<String> {
    if d.line == 0 {
        return None;
    }
    let path = if d.file.is_absolute() {
        d.file.clone()
    } else {
        root.join(&d.file)
    };
    // A line is quoted only from a file inside the site: the preview shows these messages over
    // HTTP, and a link in the site must not make it print lines of another file.
    let site = std::fs::canonicalize(root).ok()?;
    if !std::fs::canonicalize(&path).ok()?.starts_with(site) {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let line = text.lines().nth(d.line - 1)?;
    let line = line.trim_end_matches('\r');
    // Very long lines (minified HTML, a whole paragraph) are cut so the caret stays readable.
    Some(line.chars().take(200).collect())
}

/// Prints a progress or timing note to stderr (the one place gazette's library prints).
pub(crate) fn note(text: &str) {
    eprintln!("{text}");
}

/// Renders diagnostics as JSON lines, one object a line, for CI tooling; messages in `lang`.
pub fn render_json(diagnostics: &[Diagnostic], lang: Lang) -> String {
    let mut sorted = diagnostics.to_vec();
    sort(&mut sorted);
    let mut out = String::new();
    for d in &sorted {
        let Ok(mut object) = serde_json::to_value(d) else {
            continue;
        };
        if let Some(fields) = object.as_object_mut() {
            fields.insert("message".into(), d.message.in_lang(lang).into());
            let help = d.help.as_ref().map(|h| h.in_lang(lang));
            fields.insert("help".into(), help.into());
        }
        out.push_str(&object.to_string());
        out.push('\n');
    }
    out
}

fn english<S: serde::Serializer>(text: &Text, to: S) -> Result<S::Ok, S::Error> {
    to.serialize_str(&text.in_lang(Lang::En))
}

fn english_help<S: serde::Serializer>(help: &Option<Text>, to: S) -> Result<S::Ok, S::Error> {
    match help {
        Some(text) => to.serialize_some(&text.in_lang(Lang::En)),
        None => to.serialize_none(),
    }
}

/// Finds the closest candidate to `wrong` for a "did you mean" hint, if one is close enough.
pub(crate) fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wrong_folded = deunicode::deunicode(wrong).to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let folded = deunicode::deunicode(c).to_lowercase();
            (
                strsim::normalized_damerau_levenshtein(&wrong_folded, &folded),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Converts a byte offset in `text` into a 1-based (line, column), column counted in characters.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_leaves_out_unknown_parts() {
        let d = Diagnostic::error(Rule::Read, "a.md", "m");
        assert_eq!(d.location(), "a.md");
        assert_eq!(d.clone().at(3, 0).location(), "a.md:3");
        assert_eq!(d.at(3, 7).location(), "a.md:3:7");
    }

    #[test]
    fn did_you_mean_folds_accents() {
        let tags = ["développement", "données", "design"];
        assert_eq!(did_you_mean("developement", tags), Some("développement"));
        assert_eq!(did_you_mean("zzz", tags), None);
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, text.len()), (3, 2));
    }
}
