//! Liquid values and conditions → tera expressions: literals, variable paths (`site.…`,
//! `page.…`, `forloop.…`, names set in the page) and comparisons joined by `and`/`or`.

use super::Env;
use crate::diagnostic::Text;
use crate::msg;

/// What an expression may read at its place in the body.
pub(super) struct Scope<'a> {
    pub(super) env: &'a Env,
    /// Names set earlier in the page (`assign`, `capture`, loop variables).
    pub(super) bound: &'a [String],
    /// True inside a `for`: assignments must then outlive the loop (`set_global`).
    pub(super) in_loop: bool,
}

pub(super) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

pub(super) fn tera_name(name: &str) -> String {
    const RESERVED: &[&str] = &[
        "loop", "self", "and", "or", "not", "is", "in", "none", "true", "false", "break",
        "continue",
    ];
    let name = name.replace('-', "_");
    if RESERVED.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Splits `text` on any of `separators` outside quotes.
pub(super) fn split_top<'a>(text: &'a str, separators: &[&str]) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut start = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None => {
                if let Some(sep) = separators.iter().find(|s| text[i..].starts_with(**s)) {
                    parts.push(&text[start..i]);
                    i += sep.len();
                    start = i;
                    continue;
                }
            }
        }
        i += 1;
    }
    parts.push(&text[start..]);
    parts
}

/// A Liquid condition: comparisons joined by `and`/`or`, evaluated right to left as Liquid does.
pub(super) fn condition(text: &str, scope: &Scope) -> Result<String, Text> {
    // Find the first `and`/`or`; Liquid groups the rest to the right.
    let mut quote = None;
    let bytes = text.as_bytes();
    for i in 0..bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None => {
                for op in [" and ", " or "] {
                    if text[i..].starts_with(op) {
                        let left = comparison(&text[..i], scope)?;
                        let right = condition(&text[i + op.len()..], scope)?;
                        return Ok(format!("{left} {} ({right})", op.trim()));
                    }
                }
            }
        }
    }
    comparison(text, scope)
}

fn comparison(text: &str, scope: &Scope) -> Result<String, Text> {
    let text = text.trim();
    for op in ["==", "!=", "<>", ">=", "<=", ">", "<", " contains "] {
        let parts = split_top(text, &[op]);
        if parts.len() == 2 {
            let left = parts[0].trim();
            let right = parts[1].trim();
            if ["empty", "blank"].contains(&right) && (op == "==" || op == "!=") {
                let l = operand(left, scope)?;
                return Ok(if op == "==" {
                    format!("not {l}")
                } else {
                    l.to_string()
                });
            }
            let l = operand(left, scope)?;
            let r = operand(right, scope)?;
            return Ok(match op {
                // Liquid's `contains` is false on a missing value; tera's `in` refuses one.
                " contains " => format!("{r} in ({l} | default(value=[]))"),
                "<>" => format!("{l} != {r}"),
                _ => format!("{l} {op} {r}"),
            });
        }
    }
    operand(text, scope)
}

/// A literal or a variable path.
pub(super) fn operand(text: &str, scope: &Scope) -> Result<String, Text> {
    let text = text.trim();
    if text.is_empty() {
        return Err(msg!("an empty value"));
    }
    if let Some(s) = string_literal(text) {
        return Ok(s);
    }
    if text.parse::<f64>().is_ok() {
        return Ok(text.to_string());
    }
    match text {
        "true" | "false" => return Ok(text.into()),
        "nil" | "null" => return Ok("none".into()),
        "empty" | "blank" => {
            return Err(msg!("`empty` and `blank` are only converted in `== empty`"));
        }
        _ => {}
    }
    path(text, scope).map(|(p, _)| p)
}

fn string_literal(text: &str) -> Option<String> {
    let quote = text.chars().next()?;
    if (quote == '"' || quote == '\'')
        && text.len() >= 2
        && text.ends_with(quote)
        && !text[1..text.len() - 1].contains(quote)
    {
        let inner = &text[1..text.len() - 1];
        return Some(serde_json::Value::String(inner.to_string()).to_string());
    }
    None
}

/// A variable path: returns the tera expression and whether it names a mapping (iterated in pairs).
pub(super) fn path(text: &str, scope: &Scope) -> Result<(String, bool), Text> {
    let unreadable = || msg!("`{text}` is not a value tera can read", text);
    let segments = path_segments(text).ok_or_else(unreadable)?;
    let mut iter = segments.into_iter();
    let Some(Segment::Name(root)) = iter.next() else {
        return Err(unreadable());
    };
    let rest: Vec<Segment> = iter.collect();
    let Root {
        mut expr,
        skip,
        is_map,
    } = root_expression(&root, &rest, scope)?;
    for segment in rest.into_iter().skip(skip) {
        expr = member(expr, segment, scope)?;
    }
    Ok((expr, is_map))
}

/// Where a path starts in tera.
struct Root {
    expr: String,
    /// Segments after the root name that `expr` already covers.
    skip: usize,
    /// True when `expr` names a mapping.
    is_map: bool,
}

impl Root {
    fn new(expr: String, skip: usize) -> Self {
        Root {
            expr,
            skip,
            is_map: false,
        }
    }
}

fn root_expression(root: &str, rest: &[Segment], scope: &Scope) -> Result<Root, Text> {
    match root {
        "site" => site_root(rest, scope),
        "page" => page_root(rest, scope),
        "forloop" => match rest.first() {
            Some(Segment::Name(n))
                if ["index", "index0", "first", "last", "length"].contains(&n.as_str()) =>
            {
                Ok(Root::new(format!("loop.{n}"), 1))
            }
            _ => Err(msg!("this `forloop` value has no tera equivalent")),
        },
        "paginator" => paginator_root(rest),
        // Parameters of `{% include x.html key=value %}` (see tags.rs).
        "include" if scope.env.free_names => Ok(Root::new(INCLUDE_PARAMS.into(), 0)),
        "layout" if scope.env.free_names => {
            let Some(Segment::Name(key)) = rest.first() else {
                return Err(msg!("`layout` alone has no equivalent"));
            };
            let value = scope.env.layout_front.get(key.as_str()).cloned();
            Ok(Root::new(
                value.unwrap_or(serde_json::Value::Null).to_string(),
                1,
            ))
        }
        name if scope.bound.iter().any(|b| b == name) || scope.env.free_names => {
            Ok(Root::new(tera_name(name), 0))
        }
        name => Err(msg!(
            "`{name}` is not a value gazette gives to pages (only site, page and variables set in the page are)",
            name
        )),
    }
}

/// The tera variable holding an include's parameters.
pub(super) const INCLUDE_PARAMS: &str = "include_params";

/// `paginator.…` (jekyll-paginate and paginate-v2) → gazette's `paginator`.
fn paginator_root(rest: &[Segment]) -> Result<Root, Text> {
    let Some(Segment::Name(n)) = rest.first() else {
        // `{% if paginator %}`: true on the pages of a listing.
        return Ok(Root::new("paginator".into(), 0));
    };
    let expr = match n.as_str() {
        "posts" => "paginator.items",
        "page" => "paginator.current",
        "total_pages" => "paginator.total_pages",
        "total_posts" => "paginator.total_items",
        "per_page" => "(paginator.items | length)",
        "previous_page_path" | "previous_page" => "paginator.previous_url",
        "next_page_path" | "next_page" => "paginator.next_url",
        "first_page_path" => "paginator.first_url",
        "last_page_path" => "paginator.last_url",
        other => {
            return Err(msg!(
                "`paginator.{other}` has no equivalent in gazette",
                other
            ));
        }
    };
    Ok(Root::new(expr.into(), 1))
}

/// `site.…`: the values gazette's `site` has, `_data` files and the keys kept in `site.extra`.
fn site_root(rest: &[Segment], scope: &Scope) -> Result<Root, Text> {
    let Some(Segment::Name(n)) = rest.first() else {
        return Err(msg!("`site` alone has no equivalent"));
    };
    let expr = match n.as_str() {
        "data" => return data_root(rest, scope),
        "title" | "description" => format!("site.{n}"),
        "posts" => "all_posts".into(),
        "pages" => "all_pages".into(),
        "tags" => {
            return Ok(Root {
                expr: "posts_by_tag".into(),
                skip: 1,
                is_map: rest.len() == 1,
            });
        }
        "url" => "site.base_url".into(),
        "baseurl" => serde_json::Value::String(scope.env.baseurl.clone()).to_string(),
        n if scope.env.site_extra.contains(n) => format!("site.extra[\"{n}\"]"),
        n if scope.env.collection_data.contains_key(n) => {
            format!("data[\"{}\"]", scope.env.collection_data[n])
        }
        n => {
            return Err(msg!(
                "`site.{n}` has no equivalent in gazette's templates",
                n
            ));
        }
    };
    Ok(Root::new(expr, 1))
}

/// `site.data.<file>…`.
fn data_root(rest: &[Segment], scope: &Scope) -> Result<Root, Text> {
    let Some(Segment::Name(file)) = rest.get(1) else {
        return Err(msg!("`site.data` must be followed by a data file name"));
    };
    let expr = if is_identifier(file) && !file.contains('-') {
        format!("data.{file}")
    } else {
        format!("data[\"{file}\"]")
    };
    Ok(Root {
        expr,
        skip: 2,
        is_map: rest.len() == 2 && scope.env.data_maps.contains(file),
    })
}

/// `page.…`: gazette's page fields and every other front-matter key.
fn page_root(rest: &[Segment], scope: &Scope) -> Result<Root, Text> {
    const FIELDS: &[&str] = &["title", "url", "description", "image", "lang", "date"];
    let Some(Segment::Name(n)) = rest.first() else {
        return Err(msg!("`page` alone has no equivalent"));
    };
    if FIELDS.contains(&n.as_str()) {
        return Ok(Root::new(format!("page.{n}"), 1));
    }
    if n == "content" && !scope.env.free_names {
        return Err(msg!("`page.content` is the page itself"));
    }
    if n == "content" || n == "excerpt" {
        return Ok(Root::new(
            format!(
                "page.{}",
                if n == "excerpt" { "summary" } else { "content" }
            ),
            1,
        ));
    }
    if n == "tags" {
        return Ok(Root::new("(page.tags | plain_tags)".into(), 1));
    }
    // Front-matter keys are readable directly on `page`, those gazette reads itself as well.
    Ok(Root {
        expr: member("page".into(), Segment::Name(n.clone()), scope)?,
        skip: 1,
        is_map: rest.len() == 1 && scope.env.data_maps.contains(&format!("page.{n}")),
    })
}

/// `expr` followed by one more segment of the path (Liquid's `size`, `first` and `last` are filters in tera).
fn member(expr: String, segment: Segment, scope: &Scope) -> Result<String, Text> {
    Ok(match segment {
        Segment::Name(n) if n == "size" => format!("({expr} | length)"),
        Segment::Name(n) if n == "first" || n == "last" => format!("({expr} | {n})"),
        // A post's tags are `{name, slug, url}` in gazette, names in Jekyll.
        Segment::Name(n) if n == "tags" => format!("({expr}?.tags | plain_tags)"),
        Segment::Name(n) if n == "excerpt" => format!("{expr}?.summary"),
        Segment::Name(n) if is_identifier(&n) && !n.contains('-') => format!("{expr}?.{n}"),
        Segment::Name(n) => format!("{expr}?[\"{n}\"]"),
        Segment::Index(inner) => {
            let index = operand(&inner, scope)?;
            // Liquid reads nothing at a missing key; tera refuses an undefined one.
            let literal = index.starts_with('"') || index.parse::<f64>().is_ok();
            if literal {
                format!("{expr}?[{index}]")
            } else {
                format!("{expr}?[({index} | default(value=\"\"))]")
            }
        }
    })
}

enum Segment {
    Name(String),
    Index(String),
}

fn path_segments(text: &str) -> Option<Vec<Segment>> {
    let mut segments = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut name = String::new();
    let flush = |name: &mut String, segments: &mut Vec<Segment>| {
        if !name.is_empty() {
            segments.push(Segment::Name(std::mem::take(name)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' || c == '-' || c == '?' {
            name.push(c);
        } else if c == '.' {
            flush(&mut name, &mut segments);
        } else if c == '[' {
            flush(&mut name, &mut segments);
            let mut depth = 1;
            let mut inner = String::new();
            i += 1;
            while i < chars.len() {
                match chars[i] {
                    '[' => depth += 1,
                    ']' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                inner.push(chars[i]);
                i += 1;
            }
            if depth != 0 {
                return None;
            }
            segments.push(Segment::Index(inner));
        } else {
            return None;
        }
        i += 1;
    }
    flush(&mut name, &mut segments);
    (!segments.is_empty()).then_some(segments)
}
