//! Saving what the editor sends without rewriting the whole file: Decap writes the front matter
//! again in its own style (quotes, order, lists), which would turn a one-field edit into a diff of
//! the whole file. Here only the values that changed are written again, each in the quoting its
//! old value used, and the fields it no longer sends are removed; comments, order and layout
//! stay. When that cannot be done safely, the editor's text is kept as it is.

use std::path::Path;

use serde_json::{Map, Value};

/// The text to write for a file whose current text is `old` when the editor saves `new`.
pub(crate) fn minimal_edit(old: &str, new: &str) -> String {
    try_minimal_edit(old, new).unwrap_or_else(|| new.to_string())
}

fn try_minimal_edit(old: &str, new: &str) -> Option<String> {
    if old.contains('\r') {
        return None;
    }
    let file = Path::new("edited.md");
    let before = crate::source::load::parse_document(old, file, "edited.md").ok()?;
    let after = crate::source::load::parse_document(new, file, "edited.md").ok()?;
    let lines: Vec<&str> = old.split('\n').collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return None;
    }
    let close = lines.iter().skip(1).position(|l| l.trim_end() == "---")? + 1;
    let mut front: Vec<String> = lines[1..close].iter().map(|l| l.to_string()).collect();
    for (key, value) in &after.front {
        if before.front.get(key) == Some(value) {
            continue;
        }
        match block_of(&front, key) {
            Some((start, end)) => {
                let line = format!("{}: {}", key_text(key), value_text(value, &front[start]));
                front.splice(start..end, [line]);
            }
            None => front.push(format!("{}: {}", key_text(key), value_text(value, ""))),
        }
    }
    // What the editor no longer sends was removed there.
    for key in before
        .front
        .keys()
        .filter(|k| !after.front.contains_key(*k))
    {
        if let Some((start, end)) = block_of(&front, key) {
            front.drain(start..end);
        }
    }
    let body_same = before.body.trim_end() == after.body.trim_end();
    let mut out = String::from("---\n");
    for line in &front {
        out.push_str(line);
        out.push('\n');
    }
    if body_same {
        out.push_str(&lines[close..].join("\n"));
    } else {
        out.push_str("---\n");
        out.push_str(&after.body);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    // Only if the result reads as what the editor meant.
    let check = crate::source::load::parse_document(&out, file, "edited.md").ok()?;
    (check.front == after.front && check.body.trim_end() == after.body.trim_end()).then_some(out)
}

/// The lines `start..end` of the front matter holding the top-level `key` and its value.
fn block_of(front: &[String], key: &str) -> Option<(usize, usize)> {
    let start = front.iter().position(|line| {
        !line.starts_with([' ', '\t', '#'])
            && crate::source::yaml::key_of_line(line).as_deref() == Some(key)
    })?;
    let mut end = start + 1;
    while end < front.len() {
        let line = &front[end];
        let continued =
            line.trim().is_empty() || line.starts_with([' ', '\t']) || line.starts_with("- ");
        if !continued {
            break;
        }
        end += 1;
    }
    // Trailing blank lines belong to what follows.
    while end > start + 1 && front[end - 1].trim().is_empty() {
        end -= 1;
    }
    Some((start, end))
}

/// A key as written: bare when it can be.
fn key_text(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        crate::source::yaml::quoted(key)
    }
}

/// A value on one line, strings quoted as the old line quoted its value.
fn value_text(value: &Value, old_line: &str) -> String {
    let old_value = old_line
        .split_once(':')
        .map(|(_, v)| v.trim_start())
        .unwrap_or("");
    match value {
        Value::String(text) => {
            if old_value.starts_with('\'') && !text.contains('\n') {
                format!("'{}'", text.replace('\'', "''"))
            } else if old_value.starts_with('"') || !plain_is_safe(text) {
                crate::source::yaml::quoted(text)
            } else {
                text.clone()
            }
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|v| value_text(v, "k: \"")).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Null => "null".to_string(),
        Value::Object(map) => Value::Object(Map::clone(map)).to_string(),
        other => other.to_string(),
    }
}

/// True when `text` reads back as this same string written without quotes.
fn plain_is_safe(text: &str) -> bool {
    if text.is_empty() || text.trim() != text || text.contains('\n') {
        return false;
    }
    let line = format!("k: {text}");
    crate::source::yaml::parse(&line, Path::new("value"), 1)
        .ok()
        .and_then(|parsed| parsed.value.get("k").cloned())
        == Some(Value::String(text.to_string()))
        && !text.contains(" #")
        && !text.starts_with(['[', '{', '&', '*', '!', '|', '>', '%', '@', '`', '#'])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const OLD: &str = "---\n# a person\nname: \"Camille Besnard\"\nyear: 2024\nrole: fellow\ntitle: \"Développeuse\"\nchallenges: [\"Cartographie des aides\"]\n---\n\nHer page.\n";

    #[test]
    fn one_changed_field_is_one_changed_line() {
        // What Decap writes: its own order and quoting.
        let new = "---\nname: Camille Besnard\ntitle: Data scientist\nyear: 2024\nrole: fellow\nchallenges:\n  - Cartographie des aides\n---\n\nHer page.\n";
        let out = minimal_edit(OLD, new);
        assert_eq!(out, OLD.replace("\"Développeuse\"", "\"Data scientist\""));
    }

    #[test]
    fn new_fields_go_at_the_end_and_a_new_body_replaces_the_old() {
        let new = "---\nname: Camille Besnard\nyear: 2024\nrole: fellow\ntitle: Développeuse\nchallenges: [Cartographie des aides]\nwebsite: https://example.org\n---\nA new text.\n";
        let out = minimal_edit(OLD, new);
        assert!(out.contains("challenges: [\"Cartographie des aides\"]\nwebsite: https://example.org\n---\nA new text.\n"), "{out}");
        assert!(out.starts_with("---\n# a person\n"), "{out}");
    }

    #[test]
    fn a_changed_list_is_written_on_one_line() {
        let new = "---\nname: Camille Besnard\nyear: 2024\nrole: fellow\ntitle: Développeuse\nchallenges:\n  - A\n  - \"B: c\"\n---\n\nHer page.\n";
        let out = minimal_edit(OLD, new);
        assert!(out.contains("challenges: [\"A\", \"B: c\"]\n"), "{out}");
    }
}
