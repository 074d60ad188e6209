//! What a YAML reading error means for the writer: the line where the slip starts (a quote opened
//! two lines above the place the parser gave up, a line indented one space too far) and a hint
//! for that slip, told apart from the others (indentation is not quoting).

use std::path::Path;

use crate::diagnostic::{Diagnostic, Rule, Text, did_you_mean};
use crate::msg;

/// The kinds of slips a writer makes in YAML, each with where it starts (1-based line in the
/// fragment, column).
#[derive(Debug, PartialEq, Eq)]
enum Slip {
    /// A `"` or `'` that opens a value and is never closed on its line.
    UnclosedQuote { line: usize, column: usize },
    /// An apostrophe inside a value written between `'…'` ends the value early.
    ApostropheInSingleQuotes { line: usize, column: usize },
    /// A key indented by `found` spaces where the lines around use `expected`.
    Indentation {
        line: usize,
        found: usize,
        expected: usize,
    },
    /// A tab used to indent.
    Tab { line: usize },
    /// A plain value that contains `: `.
    ColonInValue { line: usize, column: usize },
}

/// The diagnostic for a YAML reading error of `text` (found in `file`, starting at 1-based line
/// `first_line`).
pub(super) fn to_diagnostic(
    error: &serde_yaml::Error,
    text: &str,
    file: &Path,
    first_line: usize,
) -> Diagnostic {
    let full = error.to_string();
    let mut reason = strip_location(&full, first_line);
    // serde_yaml puts the path of the value first (`b[3]: …`): our own messages read better alone.
    if let Some(at) = reason.find(": this YAML ") {
        reason = reason[at + 2..].to_string();
    }
    let (error_line, error_column) = error.location().map_or((1, 0), |l| (l.line(), l.column()));
    let in_file = |line: usize| line + first_line - 1;
    // A value of the wrong kind or name is not a slip of the YAML syntax: no slip explains it.
    let about_values = [
        "unknown field",
        "unknown variant",
        "invalid type",
        "invalid value",
        "missing field",
    ]
    .iter()
    .any(|kind| reason.contains(kind));
    if let Some(slip) = slip_before(text, error_line).filter(|_| !about_values) {
        let (line, column, message, help) = describe(slip);
        return Diagnostic::error(Rule::Yaml, file, message)
            .at(in_file(line), column)
            .help(help);
    }
    let unknown_field = reason
        .find("unknown field `")
        .map(|at| &reason[at + "unknown field `".len()..]);
    let message = match unknown_field {
        Some(rest) => {
            let key = rest.split('`').next().unwrap_or("");
            msg!(
                "this YAML cannot be read: `{key}` is not a key gazette knows here",
                key
            )
        }
        None => msg!("this YAML cannot be read: {reason}", reason),
    };
    let diagnostic =
        Diagnostic::error(Rule::Yaml, file, message).at(in_file(error_line), error_column);
    match hint_for(&reason) {
        Some(help) => diagnostic.help(help),
        None => diagnostic,
    }
}

/// The message, hint and position of a slip.
fn describe(slip: Slip) -> (usize, usize, Text, Text) {
    match slip {
        Slip::UnclosedQuote { line, column } => (
            line,
            column,
            msg!("this YAML cannot be read: the quote opened here is never closed"),
            msg!("close the quote at the end of the value, on the same line: title: \"…\""),
        ),
        Slip::ApostropheInSingleQuotes { line, column } => (
            line,
            column,
            msg!(
                "this YAML cannot be read: the apostrophe in this value ends the text opened by `'`"
            ),
            msg!(
                "put the value between double quotes: title: \"l'été\" (or write the apostrophe twice: 'l''été')"
            ),
        ),
        Slip::Indentation {
            line,
            found,
            expected,
        } => (
            line,
            found + 1,
            msg!(
                "this YAML cannot be read: this line is indented by {found} spaces, the lines around it by {expected}",
                found,
                expected
            ),
            msg!(
                "indentation matters in YAML: indent this line by {expected} spaces, so that it lines up with the other fields of its record",
                expected
            ),
        ),
        Slip::Tab { line } => (
            line,
            1,
            msg!("this YAML cannot be read: this line is indented with a tab"),
            msg!("YAML does not allow tabs for indentation: use spaces"),
        ),
        Slip::ColonInValue { line, column } => (
            line,
            column,
            msg!("this YAML cannot be read: this value contains `: `"),
            msg!(
                "a value that contains `: ` must be put in quotes, e.g. title: \"Bilan : une année\""
            ),
        ),
    }
}

/// The slip that explains an error found at `error_line` (1-based, in `text`): an unclosed
/// quote at or above it, else a slip on that line itself.
fn slip_before(text: &str, error_line: usize) -> Option<Slip> {
    let lines: Vec<&str> = text.lines().collect();
    let upto = error_line.min(lines.len());
    let quote = (0..upto).find_map(|i| quote_slip(lines[i], i + 1));
    if quote.is_some() {
        return quote;
    }
    let index = error_line.checked_sub(1)?;
    let line = *lines.get(index)?;
    if line.starts_with(' ') && line.trim_start_matches(' ').starts_with('\t')
        || line.starts_with('\t')
    {
        return Some(Slip::Tab { line: error_line });
    }
    if let Some(slip) = indentation_slip(&lines, index) {
        return Some(slip);
    }
    colon_in_value(line).map(|column| Slip::ColonInValue {
        line: error_line,
        column,
    })
}

/// The value written after `key: ` or `- ` on a line, with its byte offset; None for a line
/// with no value (a comment, a key opening a block).
fn value_of(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') {
        return None;
    }
    let start = line.len() - trimmed.len();
    let (offset, value) = match trimmed.strip_prefix("- ") {
        Some(item) if !item.contains(": ") => (start + 2, item),
        _ => {
            let at = if trimmed.starts_with(['"', '\'']) {
                // A quoted key: its `: ` comes after the closing quote.
                let quote = trimmed.chars().next()?;
                trimmed[1..].find(quote).map(|close| close + 2)?
            } else {
                0
            };
            let colon = trimmed[at..].find(": ")? + at;
            (start + colon + 2, &trimmed[colon + 2..])
        }
    };
    let value_start = value.len() - value.trim_start().len();
    Some((offset + value_start, value.trim()))
}

/// A quote that opens a value and is not closed on its line (YAML allows it, but writers never
/// mean it), or an apostrophe that closes a `'…'` value too early.
fn quote_slip(line: &str, number: usize) -> Option<Slip> {
    let (offset, value) = value_of(line)?;
    let column = line[..offset].chars().count() + 1;
    if let Some(rest) = value.strip_prefix('"') {
        let mut escaped = false;
        let closed = rest.chars().any(|c| {
            let ends = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            ends
        });
        return (!closed).then_some(Slip::UnclosedQuote {
            line: number,
            column,
        });
    }
    let rest = value.strip_prefix('\'')?;
    // `''` is an apostrophe inside a single-quoted value.
    let unescaped = rest.replace("''", "");
    match unescaped.find('\'') {
        None => Some(Slip::UnclosedQuote {
            line: number,
            column,
        }),
        Some(close) => {
            let after = unescaped[close + 1..].trim();
            (!after.is_empty() && !after.starts_with('#')).then_some(
                Slip::ApostropheInSingleQuotes {
                    line: number,
                    column,
                },
            )
        }
    }
}

/// A key line indented to a depth none of the blocks above it opened.
fn indentation_slip(lines: &[&str], index: usize) -> Option<Slip> {
    let indent_of = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let line = lines[index];
    crate::source::yaml::key_of_line(line)?;
    let found = indent_of(line);
    // The depths open at this line: each earlier key line closes the deeper ones.
    let mut open: Vec<usize> = Vec::new();
    let mut previous: Option<&str> = None;
    for l in &lines[..index] {
        let trimmed = l.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let depth = indent_of(l);
        while open.last().is_some_and(|&d| d > depth) {
            open.pop();
        }
        if open.last() != Some(&depth) {
            open.push(depth);
        }
        previous = Some(l);
    }
    let previous = previous?;
    let opens_block = previous.trim_end().ends_with(':');
    if open.contains(&found) || (opens_block && found > indent_of(previous)) {
        return None;
    }
    let sibling = indent_of(previous);
    let expected = open
        .iter()
        .copied()
        .min_by_key(|&d| (d.abs_diff(found), usize::from(d != sibling)))?;
    Some(Slip::Indentation {
        line: index + 1,
        found,
        expected,
    })
}

/// The column of a `: ` inside a plain value (`title: Bilan : une année`).
fn colon_in_value(line: &str) -> Option<usize> {
    let (offset, value) = value_of(line)?;
    if value.starts_with(['"', '\'', '[', '{']) {
        return None;
    }
    // A comment (` #…`) is not part of the value.
    let value = value.find(" #").map_or(value, |comment| &value[..comment]);
    let at = value.find(": ")?;
    Some(line[..offset + at].chars().count() + 1)
}

/// serde_yaml writes positions counted in the fragment (" at line N column M") inside its
/// messages: the first one (the error itself) is dropped since gazette shows the file position;
/// later ones (where a list or quote started) are turned into file lines.
fn strip_location(message: &str, first_line: usize) -> String {
    let mut out = String::new();
    let mut rest = message;
    let mut first = true;
    while let Some(start) = rest.find(" at line ") {
        out.push_str(&rest[..start]);
        let after = &rest[start + " at line ".len()..];
        let digits = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let line: usize = after[..digits].parse().unwrap_or(0);
        let mut tail = &after[digits..];
        if let Some(column) = tail.strip_prefix(" column ") {
            let digits = column
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(column.len());
            tail = &column[digits..];
        }
        if !first && line > 0 {
            out.push_str(&format!(" started on line {}", line + first_line - 1));
        }
        first = false;
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// A hint for the parser's reason when no slip of the writer's explains it.
fn hint_for(reason: &str) -> Option<Text> {
    // serde_yaml names the enclosing key first for nested values (`pagination: unknown field …`).
    let unknown = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|start| {
            reason
                .find(start)
                .map(|at| (&reason[at + start.len()..], *start))
        });
    if let Some((rest, start)) = unknown {
        let values = start.starts_with("unknown variant");
        let (field, expected) = rest.split_once('`')?;
        let candidates: Vec<&str> = expected
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        let known = candidates.join(", ");
        return Some(match did_you_mean(field, candidates.iter().copied()) {
            Some(close) if values => msg!(
                "did you mean `{close}`? Known values here: {known}",
                close,
                known
            ),
            Some(close) => msg!(
                "did you mean `{close}`? Known keys here: {known}",
                close,
                known
            ),
            None => msg!("remove `{field}` or use one of: {known}", field, known),
        });
    }
    let hint = if reason.contains("repetition limit exceeded")
        || reason.contains("expands to a huge document")
    {
        msg!(
            "this YAML repeats anchors (`&name`) through aliases (`*name`) so often that it would expand to a huge document: write the values out, or use fewer aliases"
        )
    } else if reason.contains("recursion limit exceeded") {
        msg!("this YAML nests lists or mappings more than 128 levels deep: flatten it")
    } else if reason.contains("quoted scalar") {
        msg!(
            "a quote `\"` or `'` opened on this line or above is never closed: close it at the end of the value"
        )
    } else if reason.contains("flow sequence") {
        msg!("a list written `[a, b]` must end with `]` on the same line")
    } else if reason.contains("flow mapping") {
        msg!("a mapping written `{a: 1}` must end with `}`")
    } else if reason.contains("mapping values are not allowed") {
        msg!("a value that contains `: ` must be put in quotes, e.g. title: \"Bilan : une année\"")
    } else if reason.contains("did not find expected key")
        || reason.contains("could not find expected ':'")
        || reason.contains("expected '-' indicator")
    {
        msg!(
            "check the indentation of this line and of the one above: fields of one record line up under each other, list items start with `- `"
        )
    } else if reason.contains("found character that cannot start any token") {
        msg!("a value starting with `@`, `` ` `` or `%` must be put in quotes")
    } else if reason.contains("invalid type") && reason.contains("expected a boolean") {
        // `headers: oui`, `sitemap: non`: YAML's yes and no are English words, without quotes.
        msg!("write `true` (yes) or `false` (no) here")
    } else if reason.contains("invalid type") {
        msg!("check the kind of value expected here (text, number, list or mapping)")
    } else {
        return None;
    };
    Some(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slip(text: &str) -> Option<Slip> {
        let error = serde_yaml::from_str::<serde_yaml::Value>(text).err()?;
        slip_before(text, error.location().map_or(1, |l| l.line()))
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        assert_eq!(
            slip("a:\n  title: \"Bonjour\n  role: \"x\"\nb: 1\n"),
            Some(Slip::UnclosedQuote {
                line: 2,
                column: 10
            })
        );
        assert_eq!(
            slip("title: \"Oups\ntags: [a]\n"),
            Some(Slip::UnclosedQuote { line: 1, column: 8 })
        );
    }

    #[test]
    fn a_yes_or_no_in_french_asks_for_true_or_false() {
        #[derive(Debug, serde::Deserialize)]
        struct Settings {
            #[allow(dead_code)]
            headers: bool,
        }
        let Err(error) = serde_yaml::from_str::<Settings>("headers: oui\n") else {
            panic!("`headers: oui` was read as a yes/no");
        };
        let reason = error.to_string();
        let hint = hint_for(&reason).map(|h| h.to_string());
        assert_eq!(
            hint.as_deref(),
            Some("write `true` (yes) or `false` (no) here"),
            "{reason}"
        );
    }

    #[test]
    fn an_apostrophe_in_single_quotes_is_told_apart() {
        assert_eq!(
            slip("a:\n  title: 'l'été'\n"),
            Some(Slip::ApostropheInSingleQuotes {
                line: 2,
                column: 10
            })
        );
    }

    #[test]
    fn an_indentation_slip_is_not_a_quoting_problem() {
        for text in [
            "a:\n  role: dev\n   github: x\n",
            "a:\n  role: dev\n github: x\n",
            "a:\n  role: dev\n    github: x\n",
        ] {
            match slip(text) {
                Some(Slip::Indentation {
                    line: 3,
                    expected: 2,
                    ..
                }) => {}
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_colon_in_a_plain_value_asks_for_quotes() {
        assert_eq!(
            slip("a:\n  title: Bilan : une année: x\n"),
            Some(Slip::ColonInValue {
                line: 2,
                column: 16
            })
        );
    }
}
