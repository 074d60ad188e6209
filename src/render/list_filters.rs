//! Filters over lists, dates and text that Jekyll themes rely on and tera lacks: `where`,
//! `map`, `grouped` (Liquid's `group_by`), `strftime`, `markdownify`, `jsonify`, `strip_html`,
//! `truncatewords`, `url_encode`, `plain_tags`, and `verbatim` (a value printed as Liquid prints
//! it: nothing when missing, not escaped). `gazette import jekyll` converts Liquid layouts
//! to them; theme authors may use them too (themes/default/README.md lists them).

use crate::markdown;
use crate::text::dates;
use std::fmt::Write as _;
use tera::{Kwargs, State, Tera, TeraResult, Value};

pub(crate) fn register(tera: &mut Tera, raw_html: bool) {
    tera.register_filter("where", where_filter);
    tera.register_filter("map", map_filter);
    tera.register_filter("grouped", grouped);
    tera.register_filter("strftime", strftime);
    tera.register_filter(
        "markdownify",
        move |text: Value, _: Kwargs, _: &State| -> Value {
            let options = markdown::MarkdownOptions {
                raw_html,
                ..markdown::MarkdownOptions::default()
            };
            Value::safe_string(&markdown::render(&as_text(&text), &options).html)
        },
    );
    tera.register_filter("jsonify", |value: Value, _: Kwargs, _: &State| -> Value {
        Value::safe_string(&serde_json::to_string(&value).unwrap_or_default())
    });
    tera.register_filter("strip_html", |text: Value, _: Kwargs, _: &State| {
        strip_html(&as_text(&text))
    });
    tera.register_filter("truncatewords", truncatewords);
    tera.register_filter("url_encode", |text: Value, _: Kwargs, _: &State| {
        url_encode(&as_text(&text))
    });
    tera.register_filter("plain_tags", plain_tags);
    tera.register_filter("liquid_split", liquid_split);
    tera.register_filter("liquid_truncate", liquid_truncate);
    tera.register_filter("strip_newlines", |text: Value, _: Kwargs, _: &State| {
        as_text(&text).replace(['\r', '\n'], "")
    });
    tera.register_filter(
        "normalize_whitespace",
        |text: Value, _: Kwargs, _: &State| {
            as_text(&text)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        },
    );
    tera.register_filter("remove", |text: Value, kwargs: Kwargs, _: &State| {
        let pattern: String = kwargs.must_get("pat")?;
        TeraResult::Ok(as_text(&text).replace(&pattern, ""))
    });
    tera.register_filter("remove_first", |text: Value, kwargs: Kwargs, _: &State| {
        let pattern: String = kwargs.must_get("pat")?;
        TeraResult::Ok(as_text(&text).replacen(&pattern, "", 1))
    });
    tera.register_filter("replace_first", |text: Value, kwargs: Kwargs, _: &State| {
        let from: String = kwargs.must_get("from")?;
        let to: String = kwargs.must_get("to")?;
        TeraResult::Ok(as_text(&text).replacen(&from, &to, 1))
    });
    tera.register_filter("compact", |list: Value, _: Kwargs, _: &State| {
        items(&list)
            .into_iter()
            .filter(|v| !v.is_none() && !v.is_undefined())
            .collect::<Vec<Value>>()
    });
    tera.register_filter("concat", |list: Value, kwargs: Kwargs, _: &State| {
        let other: Value = kwargs.must_get("with")?;
        TeraResult::Ok([items(&list), items(&other)].concat())
    });
    tera.register_filter("array_to_sentence", array_to_sentence);
    tera.register_filter("verbatim", |value: Value, _: Kwargs, _: &State| -> Value {
        Value::safe_string(&as_text(&value))
    });
}

/// A value as Liquid prints it: strings as they are, none as nothing, numbers and lists as text.
fn as_text(value: &Value) -> String {
    if let Some(s) = value.as_str() {
        return s.to_string();
    }
    if value.is_none() || value.is_undefined() {
        return String::new();
    }
    if let Some(items) = value.as_array() {
        return items.iter().map(as_text).collect();
    }
    value.to_string()
}

/// The items of a list value (a missing value is an empty list, as in Liquid).
fn items(value: &Value) -> Vec<Value> {
    value.as_array().map(<[Value]>::to_vec).unwrap_or_default()
}

/// `attribute` of `item`, followed through dots (`fields.year`).
fn attribute<'v>(item: &'v Value, path: &'v str) -> Option<&'v Value> {
    item.get_from_path(path)
}

/// True when `found` equals `wanted` as Liquid's `where` compares (as text), or is a list holding it.
fn matches(found: Option<&Value>, wanted: &Value) -> bool {
    let wanted = as_text(wanted);
    match found {
        Some(v) if v.is_array() => items(v).iter().any(|i| as_text(i) == wanted),
        Some(v) => as_text(v) == wanted,
        None => wanted.is_empty(),
    }
}

/// `list | where(attribute="lang", value="fr")`: the items whose attribute equals the value.
fn where_filter(list: Value, kwargs: Kwargs, _: &State) -> TeraResult<Vec<Value>> {
    let attr: String = kwargs.must_get("attribute")?;
    let wanted: Value = kwargs.get("value")?.unwrap_or_else(Value::none);
    Ok(items(&list)
        .into_iter()
        .filter(|item| matches(attribute(item, &attr), &wanted))
        .collect())
}

/// `list | map(attribute="title")`: the attribute of each item (none where it has none).
fn map_filter(list: Value, kwargs: Kwargs, _: &State) -> TeraResult<Vec<Value>> {
    let attr: String = kwargs.must_get("attribute")?;
    Ok(items(&list)
        .iter()
        .map(|item| attribute(item, &attr).cloned().unwrap_or_else(Value::none))
        .collect())
}

/// `list | grouped(attribute="year")`: Liquid's `group_by`, a list of `{name, items, size}` in
/// the order each name first appears.
fn grouped(list: Value, kwargs: Kwargs, _: &State) -> TeraResult<Vec<Value>> {
    let attr: String = kwargs.must_get("attribute")?;
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for item in items(&list) {
        let name = attribute(&item, &attr).map(as_text).unwrap_or_default();
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, members)) => members.push(item),
            None => groups.push((name, vec![item])),
        }
    }
    Ok(groups
        .into_iter()
        .map(|(name, members)| {
            let mut map = tera::Map::new();
            map.insert("size".into(), Value::from(members.len()));
            map.insert("name".into(), Value::from(name));
            map.insert("items".into(), Value::from(members));
            Value::from(map)
        })
        .collect())
}

/// `date | strftime(format="%-d %B %Y")`: a date (`2018-12-05`, RFC 3339) in a C/Ruby `strftime`
/// format, as Liquid's `date` filter; nothing for a missing date, the value itself when it is
/// not a date.
fn strftime(value: Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let format: String = kwargs.must_get("format")?;
    let text = as_text(&value);
    let date = if text == "now" || text == "today" {
        Some(chrono::Local::now().naive_local())
    } else {
        dates::parse(&text)
    };
    let Some(date) = date else {
        return Ok(text);
    };
    let items: Vec<chrono::format::Item> = chrono::format::StrftimeItems::new(&format).collect();
    if items
        .iter()
        .any(|i| matches!(i, chrono::format::Item::Error))
    {
        return Err(tera::Error::message(format!(
            "`{format}` is not a strftime date format (e.g. \"%d/%m/%Y\")"
        )));
    }
    let mut out = String::new();
    // An item the date cannot give is an error, not a panic.
    write!(out, "{}", date.format_with_items(items.into_iter()))
        .map_err(|_| tera::Error::message(format!("the date format `{format}` failed")))?;
    Ok(out)
}

/// The text of an HTML fragment: tags (and scripts, styles) removed, entities kept.
fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let lower = after.get(..8).unwrap_or(after).to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            after.find("</script>").map(|e| e + 9)
        } else if lower.starts_with("<style") {
            after.find("</style>").map(|e| e + 8)
        } else if after.starts_with("<!--") {
            after.find("-->").map(|e| e + 3)
        } else {
            after.find('>').map(|e| e + 1)
        };
        match skip_to {
            Some(end) => rest = &after[end..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text | truncatewords(count=15)`: the first words, then `…` when some were cut.
fn truncatewords(text: Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let count: usize = kwargs.get("count")?.unwrap_or(15);
    let ending: String = kwargs.get("end")?.unwrap_or_else(|| "...".to_string());
    let text = as_text(&text);
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= count {
        return Ok(text);
    }
    Ok(format!("{}{ending}", words[..count.max(1)].join(" ")))
}

/// Percent-encodes everything but unreserved characters; spaces become `+`, as Liquid's `url_encode`.
fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char);
            }
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

/// `text | liquid_split(pat=",")`: Liquid's (Ruby's) `split`: a single space splits on runs of
/// whitespace and ignores it at both ends; empty items at the end are dropped.
fn liquid_split(text: Value, kwargs: Kwargs, _: &State) -> TeraResult<Vec<Value>> {
    let pattern: String = kwargs.get("pat")?.unwrap_or_else(|| " ".to_string());
    let text = as_text(&text);
    let mut parts: Vec<&str> = if pattern == " " {
        text.split_whitespace().collect()
    } else if pattern.is_empty() {
        text.char_indices()
            .map(|(i, c)| &text[i..i + c.len_utf8()])
            .collect()
    } else {
        text.split(pattern.as_str()).collect()
    };
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    Ok(parts.into_iter().map(Value::from).collect())
}

/// `text | liquid_truncate(length=20)`: Liquid's `truncate`: at most `length` characters, the
/// ending (`...` by default) included.
fn liquid_truncate(text: Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let length: usize = kwargs.get("length")?.unwrap_or(50);
    let ending: String = kwargs.get("end")?.unwrap_or_else(|| "...".to_string());
    let text = as_text(&text);
    if text.chars().count() <= length {
        return Ok(text);
    }
    let keep = length.saturating_sub(ending.chars().count());
    Ok(format!(
        "{}{ending}",
        text.chars().take(keep).collect::<String>()
    ))
}

/// `list | array_to_sentence(connector="et")`: `a, b, et c`, as Jekyll's `array_to_sentence_string`.
fn array_to_sentence(list: Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let connector: String = kwargs
        .get("connector")?
        .unwrap_or_else(|| "and".to_string());
    let words: Vec<String> = items(&list).iter().map(as_text).collect();
    Ok(match words.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [first, second] => format!("{first} {connector} {second}"),
        [rest @ .., last] => format!("{}, {connector} {last}", rest.join(", ")),
    })
}

/// `page.tags | plain_tags`: tag names, whether the list holds names (front matter) or gazette's
/// `{name, slug, url}` tags, so that a converted Jekyll template prints names as Jekyll did.
fn plain_tags(list: Value, _: Kwargs, _: &State) -> Vec<Value> {
    items(&list)
        .into_iter()
        .map(|item| match item.get_from_path("name") {
            Some(name) if item.is_map() => name.clone(),
            _ => item,
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    fn render(template: &str, context: &tera::Context) -> String {
        let mut tera = Tera::default();
        register(&mut tera, false);
        tera.add_raw_template("t", template).expect("template");
        tera.render("t", context).expect("render")
    }

    #[test]
    fn list_filters_behave_as_liquid() {
        let mut context = tera::Context::new();
        let posts = serde_json::json!([
            {"title": "A", "lang": "fr", "year": 2018, "tags": ["x", "y"]},
            {"title": "B", "lang": "en", "year": 2018, "tags": ["y"]},
            {"title": "C", "lang": "fr", "year": 2019, "tags": [{"name": "z"}]},
        ]);
        context.insert("posts", &posts);
        let out = render(
            "{{ posts | where(attribute=\"lang\", value=\"fr\") | map(attribute=\"title\") | join(sep=\",\") }}\
             |{{ posts | where(attribute=\"tags\", value=\"y\") | length }}\
             |{% for g in posts | grouped(attribute=\"year\") %}{{ g.name }}:{{ g.size }} {% endfor %}\
             |{{ posts[2].tags | plain_tags | join(sep=\",\") }}\
             |{{ \"  a  b \" | liquid_split | join(sep=\",\") }}|{{ \"a#b##\" | liquid_split(pat=\"#\") | length }}",
            &context,
        );
        assert_eq!(out, "A,C|2|2018:2 2019:1 |z|a,b|2");
    }

    #[test]
    fn dates_and_text_filters_behave_as_liquid() {
        let mut context = tera::Context::new();
        context.insert("d", "2018-12-05");
        context.insert("html", "<p>Un <b>deux</b><script>x</script> trois</p>");
        let out = render(
            "{{ d | strftime(format=\"%-d %B %Y\") }}|{{ d | strftime(format=\"%-m\") }}\
             |{{ html | strip_html }}|{{ \"un deux trois\" | truncatewords(count=2) }}\
             |{{ \"é a&b\" | url_encode }}|{{ \"*x*\" | markdownify }}",
            &context,
        );
        assert_eq!(
            out,
            "5 December 2018|12|Un deux trois|un deux...|%C3%A9+a%26b|<p><em>x</em></p>\n"
        );
    }

    #[test]
    fn text_filters_behave_as_liquid() {
        let mut context = tera::Context::new();
        context.insert("list", &serde_json::json!(["a", null, "b", "c"]));
        let out = render(
            "{{ \"Ceci est long\" | liquid_truncate(length=8) }}|{{ \"a\\nb\" | strip_newlines }}\
             |{{ \"a  b \" | normalize_whitespace }}|{{ \"abab\" | remove(pat=\"a\") }}\
             |{{ \"abab\" | remove_first(pat=\"a\") }}|{{ \"abab\" | replace_first(from=\"a\", to=\"x\") }}\
             |{{ list | compact | array_to_sentence(connector=\"et\") }}\
             |{{ list | compact | concat(with=[\"d\"]) | length }}",
            &context,
        );
        assert_eq!(out, "Ceci ...|ab|a b|bb|bab|xbab|a, b, et c|4");
    }

    #[test]
    fn a_bad_date_format_is_an_error_not_a_panic() {
        let mut tera = Tera::default();
        register(&mut tera, false);
        tera.add_raw_template("t", "{{ \"2018-12-05\" | strftime(format=\"%Q%\") }}")
            .expect("template");
        assert!(tera.render("t", &tera::Context::new()).is_err());
    }
}
