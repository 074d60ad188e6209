//! YAML parsing: the only module that knows serde_yaml, so that moving to a maintained fork touches one file.
//!
//! Values are read into `serde_json::Value` through our own visitor: a mapping that repeats a key keeps
//! the last value (as Jekyll's loader did) and the repeat is reported, instead of failing the whole file.

use crate::diagnostic::Rule;
use std::cell::RefCell;
use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::diagnostic::Diagnostic;

/// A mapping key that appeared twice in the same mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The repeated key.
    pub key: String,
}

/// The result of reading a YAML document loosely.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The document, as JSON-like data; `Null` for an empty document.
    pub value: Value,
    /// Keys repeated inside one mapping (the last value was kept).
    pub duplicates: Vec<DuplicateKey>,
}

thread_local! {
    static DUPLICATES: RefCell<Vec<DuplicateKey>> = const { RefCell::new(Vec::new()) };
    /// Bytes of text the document may still expand to (aliases repeat what they name).
    static BUDGET: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

/// How deeply lists and mappings written `[…]`/`{…}` may nest (serde_yaml's own limit, checked
/// first by a linear scan: its parser takes quadratic time on deep flow nesting).
const MAX_FLOW_DEPTH: usize = 128;

/// What a document may expand to through aliases: ten times its size, at least 1 MiB, at most
/// 64 MiB (serde_yaml limits how many aliases are replayed, not how much text they carry).
fn expansion_budget(text: &str) -> usize {
    text.len().saturating_mul(10).clamp(1 << 20, 64 << 20)
}

/// The position (1-based line and column) where `[`/`{` nesting first goes deeper than `limit`,
/// outside quotes and comments; None when it never does.
fn too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    for c in text.chars() {
        column += 1;
        if c == '\n' {
            // A quote opened inside a plain value (`l'été`) must not hide the rest of the file.
            (line, column, comment, quote) = (line + 1, 0, false, None);
        } else if comment {
        } else if let Some(q) = quote {
            if c == q && previous != '\\' {
                quote = None;
            }
        } else if c == '#' && previous.is_whitespace() {
            comment = true;
        } else if (c == '"' || c == '\'') && (previous.is_whitespace() || "[{,:".contains(previous))
        {
            quote = Some(c);
        } else if c == '[' || c == '{' {
            depth += 1;
            if depth > limit {
                return Some((line, column));
            }
        } else if c == ']' || c == '}' {
            depth = depth.saturating_sub(1);
        }
        previous = c;
    }
    None
}

/// Counts `bytes` of expanded text against the document's budget.
fn spend<E: de::Error>(bytes: usize) -> Result<(), E> {
    BUDGET.with(|budget| {
        let left = budget.get();
        if bytes > left {
            return Err(E::custom(
                "this YAML expands to a huge document through its aliases (`*name`)",
            ));
        }
        budget.set(left - bytes);
        Ok(())
    })
}

/// An error when `[`/`{` nest deeper than serde_yaml accepts, found before parsing.
fn refuse_deep_nesting(text: &str, file: &Path, first_line: usize) -> Result<(), Diagnostic> {
    if let Some((line, column)) = too_deep(text, MAX_FLOW_DEPTH) {
        return Err(Diagnostic::error(
            Rule::Yaml,
            file,
            crate::msg!(
                "this YAML nests lists or mappings more than {levels} levels deep",
                levels = MAX_FLOW_DEPTH
            ),
        )
        .at(line + first_line - 1, column)
        .help(crate::msg!(
            "flatten it: no real content needs that many levels"
        )));
    }
    Ok(())
}

/// Parses `text` (found in `file`, starting at 1-based line `first_line`) into a value.
pub fn parse(text: &str, file: &Path, first_line: usize) -> Result<Parsed, Diagnostic> {
    refuse_deep_nesting(text, file, first_line)?;
    DUPLICATES.with(|d| d.borrow_mut().clear());
    BUDGET.with(|b| b.set(expansion_budget(text)));
    let result = if text.trim().is_empty() {
        Ok(LooseValue(Value::Null))
    } else {
        serde_yaml::from_str::<LooseValue>(text)
    };
    BUDGET.with(|b| b.set(usize::MAX));
    let duplicates = DUPLICATES.with(|d| std::mem::take(&mut *d.borrow_mut()));
    match result {
        Ok(LooseValue(value)) => Ok(Parsed { value, duplicates }),
        Err(error) => Err(super::yaml_errors::to_diagnostic(
            &error, text, file, first_line,
        )),
    }
}

/// Parses `text` straight into a typed structure (site.yml), with "did you mean" for unknown keys.
pub(crate) fn parse_typed<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    first_line: usize,
) -> Result<T, Diagnostic> {
    refuse_deep_nesting(text, file, first_line)?;
    let source = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str::<T>(source)
        .map_err(|error| super::yaml_errors::to_diagnostic(&error, text, file, first_line))
}

/// A value written as one text or a list of texts (`tags: a` or `tags: [a, b]`), as a list;
/// anything else is an empty list.
pub(crate) fn one_or_many(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// `value` written as YAML text (block style), for files gazette writes for other tools (the
/// browser editor's configuration).
pub(crate) fn to_text(value: &Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

/// `text` as a double-quoted YAML scalar on one line: quotes, backslashes, line breaks and other
/// control characters escaped, so that no value can end the front matter (`---`) or a line.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// 1-based line numbers of the top-level keys of a YAML mapping, found by reading the text
/// (serde_yaml keeps no positions). Used to point diagnostics at a record.
pub fn top_level_key_lines(text: &str) -> Vec<(String, usize)> {
    let mut keys = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) || line.trim().is_empty() {
            continue;
        }
        if let Some(key) = key_of_line(line) {
            keys.push((key, index + 1));
        }
    }
    keys
}

/// The key written on a `key: value` line, unquoted; None when the line holds no key.
pub(crate) fn key_of_line(line: &str) -> Option<String> {
    let trimmed = line.trim_start().trim_start_matches("- ");
    let (key, quoted) = if let Some(rest) = trimmed.strip_prefix('"') {
        (rest.split_once('"')?.0, true)
    } else if let Some(rest) = trimmed.strip_prefix('\'') {
        (rest.split_once('\'')?.0, true)
    } else {
        let end = trimmed
            .find(": ")
            .or_else(|| trimmed.strip_suffix(':').map(str::len))?;
        (&trimmed[..end], false)
    };
    let key = if quoted { key } else { key.trim_end() };
    (!key.is_empty()).then(|| key.to_string())
}

/// The 1-based line, at or after `from_line`, where `field:` is written, staying inside the
/// block that starts at `from_line` (stops at the next line indented as little or less).
pub(crate) fn field_line(text: &str, from_line: usize, field: &str) -> Option<usize> {
    let mut lines = text.lines().enumerate().skip(from_line.saturating_sub(1));
    let (_, first) = lines.next()?;
    let base_indent = first.len() - first.trim_start().len();
    for (index, line) in lines {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent <= base_indent {
            break;
        }
        if key_of_line(line).as_deref() == Some(field) {
            return Some(index + 1);
        }
    }
    None
}

/// The 1-based line and column of the value of the setting at `path` in `text` (site.yml):
/// `["collections", "people", "group_by"]`; the deepest key of the path that is written when the
/// others are not (a setting written inline, `{paginate: 0}`, is on its parent's line).
pub(crate) fn setting_position(text: &str, path: &[&str]) -> Option<(usize, usize)> {
    let (first, rest) = path.split_first()?;
    let mut line = top_level_key_lines(text)
        .into_iter()
        .find(|(k, _)| k == first)
        .map(|(_, line)| line)?;
    for key in rest {
        match field_line(text, line, key) {
            Some(found) => line = found,
            None => break,
        }
    }
    let column = text
        .lines()
        .nth(line.saturating_sub(1))
        .and_then(|l| l.find(": ").map(|at| l[..at + 2].chars().count() + 1))
        .unwrap_or(1);
    Some((line, column))
}

/// Every 1-based line holding `key:` at the same indentation as its first occurrence, to report both
/// places of a repeated key.
pub(crate) fn lines_of_key(text: &str, key: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| key_of_line(line).as_deref() == Some(key))
        .map(|(i, _)| i + 1)
        .collect()
}

/// Open block mappings, innermost last: (indentation, key → lines).
type Mappings = Vec<(usize, Vec<(String, Vec<usize>)>)>;

/// Keys written twice in the same block mapping, found by reading the text (serde_yaml keeps no
/// positions): each repeated key with the 1-based lines of all its occurrences in that mapping.
/// Block scalars (`|`, `>`) are skipped.
pub(crate) fn repeated_keys(text: &str) -> Vec<(String, Vec<usize>)> {
    let mut stack: Mappings = Vec::new();
    let mut found = Vec::new();
    let close = |stack: &mut Mappings, found: &mut Vec<(String, Vec<usize>)>, keep_up_to: usize| {
        while stack.last().is_some_and(|(indent, _)| *indent > keep_up_to) {
            if let Some((_, keys)) = stack.pop() {
                found.extend(keys.into_iter().filter(|(_, lines)| lines.len() > 1));
            }
        }
    };
    let mut block_scalar_indent: Option<usize> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut indent = line.len() - trimmed.len();
        if let Some(parent) = block_scalar_indent {
            if indent > parent {
                continue;
            }
            block_scalar_indent = None;
        }
        let mut rest = trimmed;
        let mut new_item = false;
        while let Some(after) = rest.strip_prefix("- ") {
            new_item = true;
            indent += rest.len() - after.trim_start().len();
            rest = after.trim_start();
        }
        if rest == "---" || rest == "..." {
            close(&mut stack, &mut found, 0);
            stack.clear();
            continue;
        }
        let Some(key) = key_of_line(rest) else {
            continue;
        };
        close(&mut stack, &mut found, indent);
        if new_item {
            // `- key:` starts a new mapping even at the indentation of the previous item's keys.
            close(&mut stack, &mut found, indent.saturating_sub(1));
        }
        if stack.last().is_none_or(|(i, _)| *i < indent) {
            stack.push((indent, Vec::new()));
        }
        if let Some((_, keys)) = stack.last_mut() {
            match keys.iter_mut().find(|(k, _)| *k == key) {
                Some((_, lines)) => lines.push(index + 1),
                None => keys.push((key, vec![index + 1])),
            }
        }
        let value = rest.split_once(':').map_or("", |(_, v)| v).trim();
        let value = value.split(" #").next().unwrap_or(value).trim();
        if value.starts_with('|') || value.starts_with('>') {
            block_scalar_indent = Some(indent);
        }
    }
    while let Some((_, keys)) = stack.pop() {
        found.extend(keys.into_iter().filter(|(_, lines)| lines.len() > 1));
    }
    found.sort_by_key(|(_, lines)| lines.first().copied());
    found
}

/// Scalars that YAML 1.1 (Jekyll's Ruby loader) and YAML 1.2 (gazette) read differently:
/// returns (1-based line, 1-based column, the value) for each unquoted one.
pub fn ambiguous_scalars(text: &str) -> Vec<(usize, usize, String)> {
    const WORDS: [&str; 10] = ["yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off"];
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line);
        let value_start = if let Some(pos) = code.find(": ") {
            pos + 2
        } else if let Some(rest) = code.trim_start().strip_prefix("- ") {
            code.len() - rest.len()
        } else {
            continue;
        };
        let value = code[value_start..].trim();
        let value_column =
            value_start + (code[value_start..].len() - code[value_start..].trim_start().len());
        let ambiguous = WORDS.contains(&value)
            || ["YES", "NO", "ON", "OFF"].contains(&value)
            || (value.len() > 1
                && value.starts_with('0')
                && value.bytes().all(|b| b.is_ascii_digit()));
        if ambiguous {
            found.push((
                index + 1,
                code[..value_column].chars().count() + 1,
                value.to_string(),
            ));
        }
    }
    found
}

struct LooseValue(Value);

impl<'de> de::Deserialize<'de> for LooseValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor).map(LooseValue)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        spend(v.len())?;
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        spend(v.len())?;
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(LooseValue(item)) = seq.next_element()? {
            spend(8)?;
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(LooseValue(key)) = map.next_key()? {
            let key = match key {
                Value::String(s) => s,
                Value::Null => "null".to_string(),
                other => other.to_string(),
            };
            let LooseValue(value) = map.next_value()?;
            spend(key.len() + 8)?;
            if out.insert(key.clone(), value).is_some() {
                DUPLICATES.with(|d| d.borrow_mut().push(DuplicateKey { key }));
            }
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!something x`): keep the value, drop the tag.
        let (_, variant): (LooseValue, _) = data.variant()?;
        de::VariantAccess::newtype_variant::<LooseValue>(variant).map(|v| v.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_keep_the_last_value_and_are_reported() {
        let parsed =
            parse("a: 1\nb: 2\na: 3\n", Path::new("x.yml"), 1).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(parsed.value["a"], 3);
        assert_eq!(parsed.duplicates, vec![DuplicateKey { key: "a".into() }]);
        assert_eq!(lines_of_key("a: 1\nb: 2\na: 3\n", "a"), vec![1, 3]);
    }

    #[test]
    fn errors_carry_the_line_with_offset() {
        let error = parse("title: a\nbad: [\n", Path::new("p.md"), 2).err();
        let error = error.unwrap_or_else(|| panic!("expected an error"));
        assert!(error.line >= 3, "{error:?}");
    }

    #[test]
    fn numeric_keys_become_text() {
        let parsed = parse("2019: x\n", Path::new("x.yml"), 1).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(parsed.value["2019"], "x");
    }

    #[test]
    fn ambiguous_scalars_are_found() {
        let found = ambiguous_scalars("a: yes\nb: '00'\nc: 00\nd: 10\n- no\n");
        let values: Vec<&str> = found.iter().map(|f| f.2.as_str()).collect();
        assert_eq!(values, ["yes", "00", "no"]);
        assert_eq!((found[1].0, found[1].1), (3, 4));
    }

    #[test]
    fn repeated_keys_are_found_in_their_own_mapping_only() {
        let text = "A:\n  title: a\n  link: x\n  link: y\nB:\n  title: b\n  link: z\n  text: |\n    link: not a key\n    link: again\n- k: 1\n  k: 2\n- k: 3\n";
        let found = repeated_keys(text);
        assert_eq!(
            found,
            vec![
                ("link".to_string(), vec![3, 4]),
                ("k".to_string(), vec![11, 12])
            ]
        );
        assert_eq!(repeated_keys("a: 1\nb:\n  a: 2\n"), vec![]);
    }

    #[test]
    fn field_line_stays_in_its_block() {
        let text = "A:\n  x: 1\n  people:\n    - p\nB:\n  people: []\n";
        assert_eq!(field_line(text, 1, "people"), Some(3));
        assert_eq!(field_line(text, 5, "people"), Some(6));
        assert_eq!(field_line(text, 1, "nothing"), None);
    }
}
