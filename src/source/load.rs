//! Reads source files: text decoding, front-matter splitting (gray_matter) and YAML parsing with positions.

use crate::diagnostic::Rule;
use std::path::{Path, PathBuf};

use gray_matter::engine::Engine;
use gray_matter::{Matter, Pod};
use serde_json::{Map, Value};

use crate::diagnostic::Diagnostic;
use crate::source::yaml;

/// A Markdown or HTML file split into its front matter and its body.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the site folder.
    pub file: PathBuf,
    /// Path relative to the file's own folder (`2024-01-05-bonjour.md`, `en/hello.md`).
    pub relative: String,
    /// Front-matter keys and values (empty without front matter).
    pub front: Map<String, Value>,
    /// The raw front-matter text, to find a key's line for diagnostics.
    pub front_text: String,
    /// 1-based line of the first front-matter line in the file.
    pub front_line: usize,
    /// The body, with `\n` line endings.
    pub body: String,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
}

impl Document {
    /// The 1-based line of a front-matter key, or of the front matter's start when not found.
    pub fn key_line(&self, key: &str) -> usize {
        yaml::lines_of_key(&self.front_text, key)
            .first()
            .map_or(self.front_line.saturating_sub(1).max(1), |l| {
                l + self.front_line - 1
            })
    }

    /// A front-matter string value.
    pub(crate) fn str(&self, key: &str) -> Option<&str> {
        self.front.get(key).and_then(Value::as_str)
    }
}

/// Reads `root/file` as text: checks UTF-8 (pointing at the first bad byte), drops a BOM and
/// turns CRLF into LF so that every later position is counted the same way.
pub(crate) fn read_text(root: &Path, file: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(root.join(file)).map_err(|error| {
        Diagnostic::error(
            Rule::Read,
            file,
            crate::msg!("cannot read this file: {error}", error),
        )
        .help(crate::msg!(
            "check that the file still exists and that you may read it"
        ))
    })?;
    decode(bytes, file)
}

/// Decodes file bytes as in [`read_text`].
pub fn decode(bytes: Vec<u8>, file: &Path) -> Result<String, Diagnostic> {
    let text = crate::text::utf8::into_string(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        let (line, column) = crate::diagnostic::line_col(&prefix, prefix.len());
        Diagnostic::error(Rule::Encoding, file, crate::msg!("this file is not valid UTF-8 text"))
            .at(line, column)
            .help(crate::msg!("save the file as UTF-8 in your editor (it may have been saved as Latin-1 or Windows-1252)"))
    })?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

/// gray_matter only splits: the YAML is parsed by [`crate::source::yaml`] so errors carry file lines.
struct SplitOnly;

impl Engine for SplitOnly {
    fn parse(_: &str) -> gray_matter::Result<Pod> {
        Ok(Pod::Null)
    }
}

/// Splits `text` (already decoded) into a [`Document`], parsing its front matter.
pub fn parse_document(text: &str, file: &Path, relative: &str) -> Result<Document, Diagnostic> {
    let opens = text.lines().next().is_some_and(|l| l.trim_end() == "---");
    if !opens {
        return Ok(Document {
            file: file.to_path_buf(),
            relative: relative.to_string(),
            front: Map::new(),
            front_text: String::new(),
            front_line: 1,
            body: text.to_string(),
            body_line: 1,
        });
    }
    let Some(close_index) = text
        .lines()
        .skip(1)
        .position(|l| l.trim_end() == "---")
        .map(|i| i + 1)
    else {
        return Err(Diagnostic::error(
            Rule::FrontMatter,
            file,
            crate::msg!("the front matter opened by `---` on line 1 is never closed"),
        )
        .at(1, 1)
        .help(crate::msg!(
            "add a line with only `---` after the last front-matter line, before the text"
        )));
    };
    let mut matter = Matter::<SplitOnly>::new();
    // The default excerpt delimiter is `---`, which also matches Markdown table rules: name ours.
    matter.excerpt_delimiter = Some("<!-- gazette-no-excerpt -->".into());
    let parsed = matter.parse::<Pod>(text).map_err(|error| {
        Diagnostic::error(
            Rule::FrontMatter,
            file,
            crate::msg!("cannot split the front matter: {error}", error),
        )
        .at(1, 1)
    })?;
    let front_text = parsed.matter;
    let front_line = if front_text.is_empty() {
        2
    } else {
        text.find(&front_text)
            .map_or(2, |offset| crate::diagnostic::line_col(text, offset).0)
    };
    let leading_blank = text
        .lines()
        .skip(close_index + 1)
        .take_while(|l| l.is_empty())
        .count();
    let body_line = close_index + 2 + leading_blank;
    let front = match yaml::parse(&front_text, file, front_line)?.value {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        _ => {
            return Err(Diagnostic::error(
                Rule::FrontMatter,
                file,
                crate::msg!("the front matter must be a list of `key: value` lines"),
            )
            .at(front_line, 1)
            .help(crate::msg!(
                "write one `key: value` per line between the two `---` lines"
            )));
        }
    };
    Ok(Document {
        file: file.to_path_buf(),
        relative: relative.to_string(),
        front,
        front_text,
        front_line,
        body: parsed.content,
        body_line,
    })
}

/// A YAML data file from `content/data/`.
#[derive(Debug, Clone)]
pub(crate) struct DataFile {
    /// Path relative to the site folder.
    pub file: PathBuf,
    /// The name templates use: `data.<name>`.
    pub name: String,
    /// The parsed content.
    pub value: Value,
    /// The raw text, to find lines for diagnostics.
    pub text: String,
}

/// Reads and parses a data file; repeated keys become warnings naming both lines.
pub(crate) fn load_data(
    root: &Path,
    file: &Path,
    relative: &str,
) -> (Option<DataFile>, Vec<Diagnostic>) {
    let name = relative
        .trim_end_matches(".yml")
        .trim_end_matches(".yaml")
        .to_string();
    let text = match read_text(root, file) {
        Ok(text) => text,
        Err(d) => return (None, vec![d]),
    };
    match yaml::parse(&text, file, 1) {
        Ok(parsed) => {
            let warnings = duplicate_warnings(&parsed.duplicates, &text, file, 1);
            (
                Some(DataFile {
                    file: file.to_path_buf(),
                    name,
                    value: parsed.value,
                    text,
                }),
                warnings,
            )
        }
        Err(d) => (None, vec![d]),
    }
}

/// Warnings for keys repeated inside a mapping, with the line of each occurrence.
pub fn duplicate_warnings(
    duplicates: &[yaml::DuplicateKey],
    text: &str,
    file: &Path,
    first_line: usize,
) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    let mut repeated = yaml::repeated_keys(text);
    duplicates
        .iter()
        .filter(|d| seen.insert(d.key.clone()))
        .flat_map(|d| {
            // Each mapping that repeats the key (by text), else every line holding it.
            let in_mappings: Vec<Vec<usize>> = repeated
                .iter()
                .filter(|(k, _)| *k == d.key)
                .map(|(_, l)| l.clone())
                .collect();
            repeated.retain(|(k, _)| *k != d.key);
            let groups = if in_mappings.is_empty() {
                vec![yaml::lines_of_key(text, &d.key)]
            } else {
                in_mappings
            };
            groups.into_iter().map(move |lines| (d, lines))
        })
        .map(|(d, lines)| {
            let lines: Vec<usize> = lines.iter().map(|l| l + first_line - 1).collect();
            let last = lines.last().copied().unwrap_or(first_line);
            let shown: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            let (before, _) = shown.split_at(shown.len().saturating_sub(1));
            Diagnostic::warning(
                Rule::DuplicateKey,
                file,
                crate::msg!(
                    "the key `{key}` is written more than once in the same mapping (lines {lines} and {last})",
                    key = d.key,
                    lines = before.join(", "),
                    last
                ),
            )
            .at(last, 1)
            .help(crate::msg!("only the last value is used: delete or merge the other one"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Result<Document, Diagnostic> {
        parse_document(text, Path::new("p.md"), "p.md")
    }

    #[test]
    fn splits_front_matter_and_keeps_lines() {
        let d = doc("---\ntitle: A\ntags: [x]\n---\n\nBody\n").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(d.str("title"), Some("A"));
        assert_eq!(d.front_line, 2);
        assert_eq!(d.key_line("tags"), 3);
        assert_eq!(d.body_line, 6);
        assert!(d.body.starts_with("Body"));
    }

    #[test]
    fn a_table_rule_is_not_an_excerpt() {
        let d = doc("---\ntitle: A\n---\n| a | b |\n|---|---|\n| 1 | 2 |\n")
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(d.body.contains("|---|---|"));
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let e = doc("---\ntitle: A\nBody\n")
            .err()
            .unwrap_or_else(|| panic!("expected error"));
        assert_eq!((e.line, e.rule), (1, Rule::FrontMatter));
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let e = doc("---\ntitle: A\ndate: [oops\n---\nx\n")
            .err()
            .unwrap_or_else(|| panic!("expected error"));
        assert!(e.line >= 3, "{e:?}");
    }

    #[test]
    fn no_front_matter_is_fine() {
        let d = doc("Just text").unwrap_or_else(|e| panic!("{e:?}"));
        assert!(d.front.is_empty());
        assert_eq!(d.body, "Just text");
    }

    #[test]
    fn decode_handles_bom_crlf_and_bad_bytes() {
        let text = decode(
            b"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\nx".to_vec(),
            Path::new("a.md"),
        )
        .unwrap_or_default();
        assert_eq!(text, "---\ntitle: A\n---\nx");
        let e = decode(b"ok\nab\xff".to_vec(), Path::new("a.md"))
            .err()
            .unwrap_or_else(|| panic!("expected error"));
        assert_eq!((e.line, e.column), (2, 3));
    }
}
