//! `rules.posts`: required front-matter keys, tag count and allowed tags, handles, images, and a
//! `date:` that agrees with the file name.

use crate::diagnostic::{Rule, Text};
use crate::msg;
use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;
use serde_json::Value;

use super::handles;
use super::images;
use super::{Context, column_at, column_on_line, finding, is_under};
use crate::diagnostic::{Diagnostic, Severity, did_you_mean};
use crate::source::config::PostRules;
use crate::source::layout::Kind;
use crate::source::load::Document;

/// What can be wrong with a post.
pub(crate) enum Msg<'a> {
    /// A required key is absent.
    Required { key: &'a str },
    /// Too few or too many tags.
    TagCount {
        count: usize,
        min: usize,
        max: Option<usize>,
    },
    /// A tag outside the allowed list.
    UnknownTag {
        tag: &'a str,
        suggestion: Option<&'a str>,
        allowed: &'a [String],
    },
    /// `date:` and the file name disagree.
    Date { date: String, from_name: String },
}

/// The rule's messages (sentences of the catalogue).
pub(crate) fn text(msg: &Msg) -> (Text, Text) {
    match msg {
        Msg::Required { key } => (
            msg!("this post has no `{key}`, which every post needs", key),
            msg!(
                "add a line `{key}: ...` between the two `---` lines at the top",
                key
            ),
        ),
        Msg::TagCount { count, min, max } => match max {
            Some(max) => (
                msg!(
                    "this post has {count} tags: it needs between {min} and {max}",
                    count,
                    min,
                    max
                ),
                msg!("keep between {min} and {max} tags in `tags:`", min, max),
            ),
            None => (
                msg!(
                    "this post has {count} tags: it needs at least {min}",
                    count,
                    min
                ),
                msg!("keep at least {min} tags in `tags:`", min),
            ),
        },
        Msg::UnknownTag {
            tag,
            suggestion,
            allowed,
        } => {
            let message = msg!("the tag `{tag}` is not in the list of tags", tag);
            let hint = match suggestion {
                Some(s) => msg!("did you mean `{s}`?", s),
                None => msg!(
                    "use one of: {list} (or add it to `rules.posts.allowed_tags` in site.yml)",
                    list = allowed.join(", ")
                ),
            };
            (message, hint)
        }
        Msg::Date { date, from_name } => (
            msg!(
                "the date {date} differs from the file name's date {from_name}",
                date,
                from_name
            ),
            msg!(
                "make them agree: the file name gives the post's address, `date:` its displayed date"
            ),
        ),
    }
}

/// Reads the front matter of every post, page and record body again (the model keeps values,
/// not which keys were written nor where). Files that cannot be read were already reported.
pub(crate) fn read_documents(site: &crate::site::Site) -> Vec<Document> {
    site.sources
        .files
        .par_iter()
        .filter(|f| matches!(f.kind, Kind::Post | Kind::Page | Kind::Body(_)))
        .filter_map(|f| {
            let text = crate::source::load::read_text(&site.root, &f.path).ok()?;
            crate::source::load::parse_document(&text, &f.path, &f.relative).ok()
        })
        .collect()
}

/// Runs the post rules over every post that `rules.skip` does not leave out.
pub(crate) fn check(ctx: &Context, rules: &PostRules, documents: &[Document]) -> Vec<Diagnostic> {
    // `documents` also holds pages and record bodies: keep the posts only.
    let posts: HashSet<&PathBuf> = ctx.site.posts.iter().map(|p| &p.file).collect();
    documents
        .par_iter()
        .filter(|d| posts.contains(&d.file))
        .filter(|d| !is_skipped(rules, d))
        .flat_map_iter(|doc| check_post(ctx, rules, doc))
        .collect()
}

/// True when the post sits under one of the folders of `rules.skip` (given from `content/`, with
/// or without a leading `/`).
fn is_skipped(rules: &PostRules, doc: &Document) -> bool {
    let under = doc
        .file
        .strip_prefix("content")
        .unwrap_or(&doc.file)
        .to_string_lossy()
        .replace('\\', "/");
    is_under(&under, &rules.skip)
}

/// Every rule over one post, in the order its findings are listed.
fn check_post(ctx: &Context, rules: &PostRules, doc: &Document) -> Vec<Diagnostic> {
    let mut found = missing_keys(rules, doc);
    found.extend(tag_findings(rules, doc));
    found.extend(bad_handles(ctx, rules, doc));
    found.extend(bad_images(ctx, rules, doc));
    found.extend(date_mismatch(ctx, rules, doc));
    found
}

/// Every finding of this rule is an error in the post's file.
fn error(doc: &Document, line: usize, column: usize, rule: Rule, text: (Text, Text)) -> Diagnostic {
    finding(Severity::Error, rule, doc.file.clone(), line, column, text)
}

/// `post-required`: each key of `rules.required` absent from the front matter, reported on the
/// first line since there is no line to point at.
fn missing_keys(rules: &PostRules, doc: &Document) -> Vec<Diagnostic> {
    rules
        .required
        .iter()
        .filter(|key| super::is_blank(doc.front.get(*key)))
        .map(|key| {
            // An empty `key:` is pointed at; a missing one is reported at the front matter's start.
            let line = if doc.front.contains_key(key) {
                doc.key_line(key)
            } else {
                1
            };
            error(
                doc,
                line,
                1,
                Rule::PostRequired,
                text(&Msg::Required { key }),
            )
        })
        .collect()
}

/// The tags of a post: a YAML list, or words separated by spaces as Jekyll accepts them.
fn tags_of(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Value::String(s) => s.split_whitespace().map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// `post-tags` and `post-tag`: the number of tags, then each tag outside `rules.allowed_tags`.
/// Posts without `tags:` are left to `rules.required`.
fn tag_findings(rules: &PostRules, doc: &Document) -> Vec<Diagnostic> {
    let Some(tags_value) = doc.front.get("tags") else {
        return Vec::new();
    };
    let tags = tags_of(tags_value);
    let line = doc.key_line("tags");
    let mut found = Vec::new();
    let min = rules.min_tags.unwrap_or(0);
    if tags.len() < min || rules.max_tags.is_some_and(|max| tags.len() > max) {
        let msg = Msg::TagCount {
            count: tags.len(),
            min,
            max: rules.max_tags,
        };
        found.push(error(doc, line, 1, Rule::PostTags, text(&msg)));
    }
    // An empty list allows every tag.
    if !rules.allowed_tags.is_empty() {
        found.extend(
            tags.iter()
                .filter(|tag| !rules.allowed_tags.contains(*tag))
                .map(|tag| unknown_tag(rules, doc, line, tag)),
        );
    }
    found
}

/// `post-tag`: a tag outside the allowed list, at the place it is written, with the closest
/// allowed tag when one is close enough.
fn unknown_tag(rules: &PostRules, doc: &Document, tags_line: usize, tag: &str) -> Diagnostic {
    let suggestion = did_you_mean(tag, rules.allowed_tags.iter().map(String::as_str));
    let (line, column) = tag_position(doc, tags_line, tag);
    let msg = Msg::UnknownTag {
        tag,
        suggestion,
        allowed: &rules.allowed_tags,
    };
    error(doc, line, column, Rule::PostTag, text(&msg))
}

/// `handle`: each key of `rules.handles` written as an address or with `@`.
fn bad_handles(ctx: &Context, rules: &PostRules, doc: &Document) -> Vec<Diagnostic> {
    let root = &ctx.site.root;
    let mut found = Vec::new();
    for key in &rules.handles {
        if let Some(value) = doc.str(key)
            && let Some(handle) = handles::bad_handle(value)
        {
            let line = doc.key_line(key);
            let column = column_on_line(root, &doc.file, line, value);
            let text = handles::text(key, value, &handle);
            found.push(error(doc, line, column, Rule::Handle, text));
        }
    }
    found
}

/// `image`: each key of `rules.images` naming an image that is not served (or not as written).
fn bad_images(ctx: &Context, rules: &PostRules, doc: &Document) -> Vec<Diagnostic> {
    let root = &ctx.site.root;
    let mut found = Vec::new();
    for key in &rules.images {
        if let Some(value) = doc.str(key)
            && let Err(message) = images::check_value(ctx, key, value, false)
        {
            let line = doc.key_line(key);
            let column = column_on_line(root, &doc.file, line, value);
            found.push(error(doc, line, column, Rule::Image, message));
        }
    }
    found
}

/// `post-date`: a `date:` whose day differs from the one in the file name (which gives the
/// post's address). Only when both read as dates: this rule compares, it does not parse.
fn date_mismatch(ctx: &Context, rules: &PostRules, doc: &Document) -> Option<Diagnostic> {
    if !rules.date_matches_file_name {
        return None;
    }
    let date = doc.str("date")?;
    let file_name = doc.relative.rsplit('/').next().unwrap_or(&doc.relative);
    let (from_name, ..) = crate::site::parse_post_file_name(file_name)?;
    let written = crate::site::parse_date(date)?.date();
    if written == from_name {
        return None;
    }
    let line = doc.key_line("date");
    let column = column_on_line(&ctx.site.root, &doc.file, line, date);
    let msg = Msg::Date {
        date: written.to_string(),
        from_name: from_name.to_string(),
    };
    Some(error(doc, line, column, Rule::PostDate, text(&msg)))
}

/// Where a tag is written: on the `tags:` line, or on a `- tag` line below it.
fn tag_position(doc: &Document, tags_line: usize, tag: &str) -> (usize, usize) {
    let first = doc.front_line;
    for (index, line) in doc.front_text.lines().enumerate() {
        let file_line = index + first;
        if file_line < tags_line {
            continue;
        }
        if file_line > tags_line && !line.starts_with([' ', '-', '\t']) {
            break;
        }
        if let Some(col) = find_word(line, tag) {
            return (file_line, column_at(line, col));
        }
    }
    (tags_line, 1)
}

/// Finds `word` in `line` as a whole item (not inside a longer tag).
fn find_word(line: &str, word: &str) -> Option<usize> {
    let mut start = 0;
    while let Some(pos) = line.get(start..)?.find(word) {
        let at = start + pos;
        let before = line[..at].chars().next_back();
        let after = line[at + word.len()..].chars().next();
        let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '-' && c != '_');
        if edge(before) && edge(after) {
            return Some(at);
        }
        start = at + word.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(find_word("tags: [design-x, design]", "design"), Some(17));
        assert_eq!(find_word("tags: [data]", "design"), None);
    }
}
