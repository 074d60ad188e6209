//! Images named in front matter and data: the path's form, the file's existence (with capitals
//! compared exactly, as the static host does), and the size of avatars (read from the header only).

use crate::diagnostic::{Rule, Text};
use crate::msg;
use serde_json::Value;

use super::{Context, column_at, finding};
use crate::diagnostic::{Diagnostic, Severity};

/// What can be wrong with an image.
pub(crate) enum Msg<'a> {
    /// Neither `/path` nor an http(s) URL.
    NotAbsolute { field: &'a str, value: &'a str },
    /// No such file.
    Missing { field: &'a str, value: &'a str },
    /// A file with other capitals exists.
    WrongCase {
        field: &'a str,
        value: &'a str,
        actual: &'a str,
    },
    /// The avatar is not square.
    NotSquare {
        field: &'a str,
        value: &'a str,
        width: usize,
        height: usize,
    },
    /// The avatar is too small.
    TooSmall {
        field: &'a str,
        value: &'a str,
        width: usize,
        min: u32,
    },
    /// The file's size cannot be read.
    Unreadable { field: &'a str, value: &'a str },
}

/// The rule's messages (sentences of the catalogue).
pub(crate) fn text(msg: &Msg) -> (Text, Text) {
    match msg {
        Msg::NotAbsolute { field, value } => (
            msg!(
                "`{field}` must be a path starting with `/` or an address starting with http(s)://, not `{value}`",
                field,
                value
            ),
            msg!(
                "write the path from the site's root, e.g. `/{path}`",
                path = value.trim_start_matches("./")
            ),
        ),
        Msg::Missing { field, value } => (
            msg!(
                "the image `{value}` (in `{field}`) does not exist",
                value,
                field
            ),
            msg!(
                "put the file in assets/ (assets/img/a.png is served as /img/a.png) or correct the path"
            ),
        ),
        Msg::WrongCase {
            field,
            value,
            actual,
        } => (
            msg!(
                "the image `{value}` (in `{field}`) does not exist: the file is named `/{actual}`",
                value,
                field,
                actual
            ),
            msg!(
                "write `/{actual}`: capital letters count on the web server, even if they do not on your computer",
                actual
            ),
        ),
        Msg::NotSquare {
            field,
            value,
            width,
            height,
        } => (
            msg!(
                "the picture `{value}` (in `{field}`) is {width}×{height} pixels: it must be square",
                value,
                field,
                width,
                height
            ),
            msg!("crop the picture to a square (same width and height) before adding it"),
        ),
        Msg::TooSmall {
            field,
            value,
            width,
            min,
        } => (
            msg!(
                "the picture `{value}` (in `{field}`) is {width} pixels wide: it must be at least {min}",
                value,
                field,
                width,
                min
            ),
            msg!("use a larger picture, at least {min}×{min} pixels", min),
        ),
        Msg::Unreadable { field, value } => (
            msg!(
                "the size of the picture `{value}` (in `{field}`) cannot be read",
                value,
                field
            ),
            msg!("save it again as PNG, JPEG, GIF or WebP"),
        ),
    }
}

/// True for `http://` and `https://` addresses (and `//host/...`).
pub(crate) fn is_external(value: &str) -> bool {
    let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || value.starts_with("//")
}

/// Where an image path is served from: `/img/a.png` → `img/a.png`, without query or fragment,
/// percent escapes decoded.
pub(crate) fn output_path(value: &str) -> String {
    let path = value.split(['?', '#']).next().unwrap_or(value);
    crate::text::escape::percent_decode_lossy(path.trim_start_matches('/'))
}

/// Checks one image value: `Ok(Some(output path))` when it is a local image that exists, `Ok(None)`
/// for external or empty values, `Err(message)` when something is wrong. `relative_ok` accepts
/// paths without the leading `/` (resolved from the site's root).
pub(crate) fn check_value<'c>(
    ctx: &Context<'c>,
    field: &str,
    value: &str,
    relative_ok: bool,
) -> Result<Option<&'c str>, (Text, Text)> {
    let value = value.trim();
    if value.is_empty() || is_external(value) {
        return Ok(None);
    }
    if !value.starts_with('/') && !relative_ok {
        return Err(text(&Msg::NotAbsolute { field, value }));
    }
    let path = output_path(value);
    if let Some((found, _)) = ctx.outputs.get_key_value(path.as_str()) {
        return Ok(Some(found));
    }
    match ctx.with_other_capitals(&path.to_lowercase()) {
        Some(actual) => Err(text(&Msg::WrongCase {
            field,
            value,
            actual,
        })),
        None => Err(text(&Msg::Missing { field, value })),
    }
}

/// Checks that the avatar at `output` is square and wide enough.
pub(crate) fn check_avatar(
    ctx: &Context,
    field: &str,
    value: &str,
    output: &str,
    min_width: u32,
) -> Option<(Text, Text)> {
    let file = ctx.source_of(output)?;
    if value.ends_with(".svg") {
        return None;
    }
    let Ok(size) = imagesize::size(file) else {
        return Some(text(&Msg::Unreadable { field, value }));
    };
    if size.width != size.height {
        return Some(text(&Msg::NotSquare {
            field,
            value,
            width: size.width,
            height: size.height,
        }));
    }
    if size.width < min_width as usize {
        return Some(text(&Msg::TooSmall {
            field,
            value,
            width: size.width,
            min: min_width,
        }));
    }
    None
}

/// `rules.data_images`: image fields at any depth of data files.
pub(crate) fn check_data(ctx: &Context) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (name, fields) in &ctx.site.config.rules.data_images {
        let Some(data) = ctx
            .site
            .data
            .get(name.trim_end_matches(".yml").trim_end_matches(".yaml"))
        else {
            continue;
        };
        let mut values = Vec::new();
        collect(&data.value, fields, &mut values);
        let mut from_line = 1;
        for (field, value) in values {
            if let Err(text) = check_value(ctx, &field, &value, true) {
                let (line, column) = value_position(&data.text, &field, &value, from_line);
                from_line = line.max(1);
                found.push(finding(
                    Severity::Error,
                    Rule::Image,
                    &data.file,
                    line,
                    column,
                    text,
                ));
            }
        }
    }
    found
}

fn collect(value: &Value, fields: &[String], out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match item {
                    Value::String(s) if fields.contains(key) => out.push((key.clone(), s.clone())),
                    _ => collect(item, fields, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, fields, out)),
        _ => {}
    }
}

/// The line and column of `field: value` in YAML text, searching from `from_line`.
pub(crate) fn value_position(
    text: &str,
    field: &str,
    value: &str,
    from_line: usize,
) -> (usize, usize) {
    for (index, line) in text.lines().enumerate().skip(from_line.saturating_sub(1)) {
        if crate::source::yaml::key_of_line(line).as_deref() == Some(field)
            && let Some(col) = line.find(value)
        {
            return (index + 1, column_at(line, col));
        }
    }
    (0, 0)
}
