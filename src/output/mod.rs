//! The site as files in memory (path and bytes), the check that no two share a path, and writing them.

pub mod interrupt;
pub(crate) mod write;

use crate::diagnostic::Diagnostic;
use crate::text::url;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The bytes of one output file, or the source file to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Generated content.
    Bytes(Vec<u8>),
    /// A file copied as it is (absolute path).
    Copy(PathBuf),
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the output folder, with `/`.
    pub path: String,
    /// What goes in it.
    pub body: Body,
    /// The source file it comes from, when there is one (for "two pages on one URL").
    pub source: Option<PathBuf>,
}

impl Output {
    pub(crate) fn generated(url: &str, bytes: impl Into<Vec<u8>>, source: Option<&Path>) -> Output {
        Output {
            path: url::output_path(url),
            body: Body::Bytes(bytes.into()),
            source: source.map(Path::to_path_buf),
        }
    }
}

/// Two outputs on one path: an error naming both sources; the later one is dropped.
pub(crate) fn duplicate_outputs(outputs: &mut Vec<Output>) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, Option<PathBuf>> = HashMap::with_capacity(outputs.len());
    let mut problems = Vec::new();
    outputs.retain(|o| match seen.get(&o.path) {
        Some(first) => {
            let first_name = first.as_ref().map_or_else(
                || "a page gazette generates".to_string(),
                |p| p.display().to_string(),
            );
            let file = o.source.clone().unwrap_or_else(|| PathBuf::from(&o.path));
            problems.push(
                Diagnostic::error(
                    "duplicate-url",
                    file,
                    format!(
                        "two pages would be written to /{}: this one and {first_name}",
                        o.path
                    ),
                )
                .help("give one of them another `permalink` or `slug`"),
            );
            false
        }
        None => {
            seen.insert(o.path.clone(), o.source.clone());
            true
        }
    });
    problems
}
