//! `_data/**` → content/data/: YAML as written, JSON as YAML, CSV and TSV as lists of maps, files
//! in subfolders nested under their top folder; what Jekyll (YAML 1.1) and gazette (YAML 1.2)
//! read differently is noted.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Ctx;
use crate::diagnostic::{Diagnostic, Text};
use crate::msg;
use crate::source::layout;

/// Imports `_data`; returns each file's parsed value by name (for collections). A file in a
/// subfolder (`_data/team/members.yml`, `site.data.team.members` in Liquid) goes into one data
/// file per top folder (`data/team.yml` holding `members:`), so templates read `data.team.members`
/// as Liquid read `site.data.team.members`.
pub(crate) fn import_data(
    ctx: &mut Ctx,
    files: &[String],
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Value> {
    let mut values = BTreeMap::new();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let top_names: std::collections::HashSet<String> = files
        .iter()
        .map(|f| f.trim_start_matches("_data/"))
        .filter(|r| !r.contains('/'))
        .map(|r| r.rsplit_once('.').map_or(r, |(s, _)| s).to_string())
        .collect();
    for file in files {
        let relative = file.trim_start_matches("_data/");
        let (stem, ext) = relative.rsplit_once('.').unwrap_or((relative, ""));
        let Some((value, out_text)) = read_data(ctx, file, ext) else {
            continue;
        };
        let nested = stem
            .split_once('/')
            .filter(|(top, _)| !top_names.contains(*top));
        if let Some((top, rest)) = nested {
            let entry = values
                .entry(top.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            insert_nested(entry, rest, value);
            texts.remove(top);
            continue;
        }
        let name = stem.replace('/', "-");
        if stem.contains('/') {
            ctx.report.notes.push(msg!("{file}: gazette reads only content/data/*.yml, and _data has a file named like its folder: written as {name}.yml (data[\"{name}\"] in templates)", file, name));
        }
        if values.contains_key(&name) {
            ctx.report
                .skip(file, msg!("another data file is also named `{name}`", name));
            continue;
        }
        texts.insert(name.clone(), out_text);
        values.insert(name, value);
    }
    for (name, value) in &values {
        let text = texts
            .remove(name)
            .unwrap_or_else(|| serde_json::to_string_pretty(value).unwrap_or_default());
        if let Err(d) = ctx.write(&format!("{}/{name}.yml", layout::DATA), text.as_bytes()) {
            problems.push(d);
            continue;
        }
        if value.is_object() {
            ctx.env.data_maps.insert(name.clone());
        }
        ctx.report.count("data files");
    }
    values
}

/// Puts `value` at the `/`-separated `path` inside the map `into` (`a/b` → `into.a.b`).
fn insert_nested(into: &mut Value, path: &str, value: Value) {
    let mut here = into;
    let mut parts = path.split('/').peekable();
    while let Some(part) = parts.next() {
        let Value::Object(map) = here else { return };
        if parts.peek().is_none() {
            map.insert(part.to_string(), value);
            return;
        }
        here = map
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

/// A data file's value and the YAML text written for it; None when it is skipped.
fn read_data(ctx: &mut Ctx, file: &str, ext: &str) -> Option<(Value, String)> {
    let bytes = match std::fs::read(ctx.src.join(file)) {
        Ok(b) => b,
        Err(e) => {
            ctx.report
                .skip(file, msg!("cannot be read: {error}", error = e));
            return None;
        }
    };
    let text = match crate::source::load::decode(bytes, std::path::Path::new(file)) {
        Ok(t) => t,
        Err(d) => {
            ctx.report.skip(file, d.message);
            return None;
        }
    };
    match ext.to_ascii_lowercase().as_str() {
        "yml" | "yaml" => read_yaml_data(ctx, file, text),
        "json" => match serde_json::from_str::<Value>(&text) {
            // JSON is YAML: written as it is under a .yml name.
            Ok(v) => Some((v, text)),
            Err(e) => {
                ctx.report.skip(
                    file,
                    msg!(
                        "line {line}: this JSON cannot be read: {error}",
                        line = e.line(),
                        error = e
                    ),
                );
                None
            }
        },
        "csv" | "tsv" => {
            let separator = if ext.eq_ignore_ascii_case("tsv") {
                '\t'
            } else {
                ','
            };
            let v = read_csv(&text, separator);
            let json = serde_json::to_string_pretty(&v).unwrap_or_default();
            Some((v, json))
        }
        _ => {
            ctx.report.skip(
                file,
                msg!("not a data format gazette reads (YAML, JSON or CSV)"),
            );
            None
        }
    }
}

/// A YAML data file, written as it is; what Jekyll and gazette would read differently is noted.
fn read_yaml_data(ctx: &mut Ctx, file: &str, text: String) -> Option<(Value, String)> {
    let path = std::path::Path::new(file);
    let parsed = match crate::source::yaml::parse(&text, path, 1) {
        Ok(parsed) => parsed,
        Err(d) => {
            ctx.report.skip(file, super::at_line(d.line, d.message));
            return None;
        }
    };
    for d in crate::source::load::duplicate_warnings(&parsed.duplicates, &text, path, 1) {
        let note = super::report::at(&format!("{file}:{}", d.line), d.message);
        ctx.report.notes.push(match d.help {
            Some(help) => note.then(" (", help).then("", Text::from(")")),
            None => note,
        });
    }
    for (line, column, scalar) in crate::source::yaml::ambiguous_scalars(&text) {
        ctx.report.notes.push(msg!(
            "{file}:{line}:{column}: `{scalar}` is read differently by YAML 1.1 (Jekyll) and YAML 1.2 (gazette): put it in quotes to keep it as text",
            file,
            line,
            column,
            scalar
        ));
    }
    Some((parsed.value, text))
}

/// CSV with a header line → a list of maps, as Jekyll reads it.
fn read_csv(text: &str, separator: char) -> Value {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == separator && !quoted => row.push(std::mem::take(&mut field)),
            '\n' if !quoted => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    let mut rows = rows
        .into_iter()
        .filter(|r| !(r.len() == 1 && r[0].is_empty()));
    let header = rows.next().unwrap_or_default();
    Value::Array(
        rows.map(|r| {
            let map: Map<String, Value> = header
                .iter()
                .cloned()
                .zip(r.into_iter().map(Value::String))
                .collect();
            Value::Object(map)
        })
        .collect(),
    )
}
