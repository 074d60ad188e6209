//! `rules.yaml_1_1`: values that YAML 1.1 (Jekyll, many tools) and YAML 1.2 (gazette) read
//! differently, such as `yes`, `off` or `012`. They are warnings: the fix is to quote them.

use super::{Context, Lang, finding};
use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::load::Document;

/// The rule's message for `value`, English and French side by side.
pub(crate) fn text(lang: Lang, value: &str) -> (String, String) {
    let number = value.bytes().all(|b| b.is_ascii_digit());
    let (en_reading, fr_reading) = if number {
        (
            "a number written with leading zeros (octal in YAML 1.1, decimal in YAML 1.2)",
            "un nombre écrit avec des zéros en tête (octal en YAML 1.1, décimal en YAML 1.2)",
        )
    } else {
        (
            "true or false in YAML 1.1, but text in YAML 1.2",
            "vrai ou faux en YAML 1.1, mais du texte en YAML 1.2",
        )
    };
    lang.pick(
        (
            format!("`{value}` is read differently by different tools: {en_reading}"),
            format!(
                "put it in quotes (`\"{value}\"`) if it is text{}",
                if number {
                    ", or write the number without leading zeros"
                } else {
                    ", or write true / false"
                }
            ),
        ),
        (
            format!("`{value}` n'est pas lu de la même façon par tous les outils : {fr_reading}"),
            format!(
                "mettez-le entre guillemets (`\"{value}\"`) si c'est du texte{}",
                if number {
                    ", ou écrivez le nombre sans zéro en tête"
                } else {
                    ", ou écrivez true / false"
                }
            ),
        ),
    )
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
                text(ctx.lang, &value),
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
                text(ctx.lang, &value),
            ));
        }
    }
    found
}
