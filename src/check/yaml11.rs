//! `rules.yaml_1_1`: values that YAML 1.1 (Jekyll, many tools) and YAML 1.2 (gazette) read
//! differently, such as `yes`, `off` or `012`. They are warnings: the fix is to quote them.

use super::{Context, finding};
use crate::diagnostic::{Diagnostic, Severity};
use crate::diagnostic::{Rule, Text};
use crate::msg;
use crate::source::load::Document;

/// The rule's message for `value`.
pub(crate) fn text(value: &str) -> (Text, Text) {
    if value.bytes().all(|b| b.is_ascii_digit()) {
        (
            msg!(
                "`{value}` is read differently by different tools: a number written with leading zeros (octal in YAML 1.1, decimal in YAML 1.2)",
                value
            ),
            msg!(
                "put it in quotes (`\"{value}\"`) if it is text, or write the number without leading zeros",
                value
            ),
        )
    } else {
        (
            msg!(
                "`{value}` is read differently by different tools: true or false in YAML 1.1, but text in YAML 1.2",
                value
            ),
            msg!(
                "put it in quotes (`\"{value}\"`) if it is text, or write true / false",
                value
            ),
        )
    }
}

/// Looks at every data file and every front matter.
pub(crate) fn check(ctx: &Context, documents: &[Document]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for data in ctx.site.data.values() {
        for (line, column, value) in crate::source::yaml::ambiguous_scalars(&data.text) {
            found.push(finding(
                Severity::Warning,
                Rule::Yaml11,
                &data.file,
                line,
                column,
                text(&value),
            ));
        }
    }
    for doc in documents {
        for (line, column, value) in crate::source::yaml::ambiguous_scalars(&doc.front_text) {
            found.push(finding(
                Severity::Warning,
                Rule::Yaml11,
                &doc.file,
                line + doc.front_line - 1,
                column,
                text(&value),
            ));
        }
    }
    found
}
