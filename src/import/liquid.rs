//! Liquid → tera: converts the Liquid tags and filters of a page body where tera has an
//! equivalent and keeps every other construct untouched (protected by `{% raw %}` in tera mode),
//! listing each one with its line.
//!
//! Two modes: [`Mode::Tera`] for pages that gazette renders through tera (`render: tera`), and
//! [`Mode::Markdown`] for posts and record bodies, which are not templates: there only
//! `{% highlight %}` (→ a fenced code block), `{% raw %}` and `{% comment %}` have an equivalent.

use std::collections::HashSet;

/// How the converted text will be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The body becomes a tera template.
    Tera,
    /// The body stays Markdown/HTML, never rendered through tera.
    Markdown,
}

/// What the converter knows about the site.
#[derive(Debug, Clone, Default)]
pub(crate) struct Env {
    /// Names of `_data` files (and of page front-matter keys) whose top level is a mapping:
    /// Liquid iterates them as `[key, value]` pairs.
    pub data_maps: HashSet<String>,
    /// Keys of `_config.yml` carried into `site.extra`.
    pub site_extra: HashSet<String>,
    /// `site.baseurl`.
    pub baseurl: String,
}

/// A Liquid construct left as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unconverted {
    /// 1-based line in the source file.
    pub line: usize,
    /// The construct as written.
    pub construct: String,
    /// Why it was not converted.
    pub reason: String,
}

/// The result of a conversion.
#[derive(Debug, Clone, Default)]
pub(crate) struct Converted {
    /// The new body.
    pub text: String,
    /// Constructs kept as they were.
    pub unconverted: Vec<Unconverted>,
    /// Number of constructs converted.
    pub converted: usize,
    /// True when the text holds tera constructs (the page must be rendered with tera).
    pub uses_tera: bool,
}

/// True when `text` holds anything Liquid would interpret.
pub(crate) fn has_liquid(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

#[derive(Debug)]
enum Token<'a> {
    Text(&'a str),
    /// `{{ ... }}`: inner text, whole text, offset.
    Output(&'a str, &'a str, usize),
    /// `{% ... %}`: tag name, arguments, whole text, offset.
    Tag(&'a str, &'a str, &'a str, usize),
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let rest = &text[pos..];
        let next = [rest.find("{{"), rest.find("{%")]
            .into_iter()
            .flatten()
            .min();
        let Some(start) = next else {
            tokens.push(Token::Text(rest));
            break;
        };
        if start > 0 {
            tokens.push(Token::Text(&rest[..start]));
        }
        let at = pos + start;
        let is_output = text[at..].starts_with("{{");
        let close = if is_output { "}}" } else { "%}" };
        match text[at + 2..].find(close) {
            Some(end) => {
                let whole = &text[at..at + 2 + end + 2];
                let inner = whole[2..whole.len() - 2]
                    .trim_start_matches('-')
                    .trim_end_matches('-')
                    .trim();
                if is_output {
                    tokens.push(Token::Output(inner, whole, at));
                } else {
                    let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
                    tokens.push(Token::Tag(name, args.trim(), whole, at));
                }
                pos = at + whole.len();
            }
            None => {
                tokens.push(Token::Text(&text[at..]));
                break;
            }
        }
    }
    tokens
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// One open block while converting.
struct Frame {
    /// The Liquid tag (`for`, `if`, `unless`, `case`, `capture`).
    tag: String,
    /// True when the opening tag was converted (its end tags are then converted too).
    converted: bool,
    /// For `case`: the converted subject, and whether a `when` was seen.
    case_subject: Option<String>,
    case_seen_when: bool,
    /// Names bound by this block (loop variables).
    bound: Vec<String>,
}

/// Converts `text` (a body starting at 1-based line `first_line` of its file).
pub(crate) fn convert(text: &str, mode: Mode, env: &Env, first_line: usize) -> Converted {
    let tokens = tokenize(text);
    let mut out = Converted::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut bound: Vec<String> = Vec::new();
    let mut i = 0;
    let line = |offset: usize| line_of(text, offset) + first_line - 1;
    let keep = |out: &mut Converted, whole: &str, offset: usize, reason: String| {
        out.unconverted.push(Unconverted {
            line: line(offset),
            construct: whole.to_string(),
            reason,
        });
        if mode == Mode::Tera {
            out.text.push_str("{% raw %}");
            out.text.push_str(whole);
            out.text.push_str("{% endraw %}");
        } else {
            out.text.push_str(whole);
        }
    };
    while i < tokens.len() {
        match &tokens[i] {
            Token::Text(t) => {
                if mode == Mode::Tera && t.contains("{#") {
                    out.text.push_str(&t.replace("{#", "{{ \"{#\" }}"));
                } else {
                    out.text.push_str(t);
                }
            }
            Token::Output(inner, whole, offset) => {
                if mode == Mode::Markdown {
                    keep(
                        &mut out,
                        whole,
                        *offset,
                        "a post or record body is not a template: write the value itself".into(),
                    );
                } else {
                    let scope = Scope {
                        env,
                        bound: &bound,
                        in_loop: stack.iter().any(|f| f.tag == "for"),
                    };
                    match output_expression(inner, &scope) {
                        Ok(expr) => {
                            out.text.push_str(&format!("{{{{ {expr} }}}}"));
                            out.converted += 1;
                            out.uses_tera = true;
                        }
                        Err(reason) => keep(&mut out, whole, *offset, reason),
                    }
                }
            }
            Token::Tag(name, args, whole, offset) => {
                let name = *name;
                // Blocks whose content is not Liquid: find their end first.
                if matches!(name, "raw" | "comment" | "highlight") {
                    let end_name = format!("end{name}");
                    let end = tokens[i + 1..]
                        .iter()
                        .position(|t| matches!(t, Token::Tag(n, _, _, _) if *n == end_name));
                    let Some(end) = end.map(|e| e + i + 1) else {
                        keep(
                            &mut out,
                            whole,
                            *offset,
                            format!("`{{% {name} %}}` is never closed by `{{% {end_name} %}}`"),
                        );
                        i += 1;
                        continue;
                    };
                    let inner_start = offset + whole.len();
                    let inner_end = match &tokens[end] {
                        Token::Tag(_, _, _, o) => *o,
                        _ => inner_start,
                    };
                    let inner = &text[inner_start..inner_end];
                    match name {
                        "raw" if mode == Mode::Tera => out
                            .text
                            .push_str(&format!("{{% raw %}}{inner}{{% endraw %}}")),
                        "raw" => out.text.push_str(inner),
                        "comment" if mode == Mode::Tera && !inner.contains("#}") => {
                            out.text.push_str(&format!("{{#{inner}#}}"))
                        }
                        "comment" => {}
                        _ => {
                            let lang = args.split_whitespace().next().unwrap_or("");
                            let code = inner.trim_matches('\n');
                            if mode == Mode::Markdown {
                                out.text.push_str(&format!("```{lang}\n{code}\n```"));
                            } else {
                                let escaped = code
                                    .replace('&', "&amp;")
                                    .replace('<', "&lt;")
                                    .replace('>', "&gt;");
                                out.text.push_str(&format!(
                                    "{{% raw %}}<pre><code class=\"language-{lang}\">{escaped}</code></pre>{{% endraw %}}"
                                ));
                            }
                        }
                    }
                    out.converted += 1;
                    i = end + 1;
                    continue;
                }
                if mode == Mode::Markdown {
                    keep(&mut out, whole, *offset, "a post or record body is not a template: only highlight, raw and comment are converted".into());
                    i += 1;
                    continue;
                }
                let in_loop = stack.iter().any(|f| f.tag == "for");
                let result = {
                    let scope = Scope {
                        env,
                        bound: &bound,
                        in_loop,
                    };
                    convert_tag(name, args, &scope, &mut stack)
                };
                match result {
                    TagResult::Converted(tera, newly_bound) => {
                        out.text.push_str(&tera);
                        out.converted += 1;
                        out.uses_tera = true;
                        bound.extend(newly_bound);
                    }
                    TagResult::Kept(reason) => keep(&mut out, whole, *offset, reason),
                }
            }
        }
        i += 1;
    }
    for frame in stack {
        out.unconverted.push(Unconverted {
            line: first_line,
            construct: format!("{{% {} %}}", frame.tag),
            reason: "this block is never closed".into(),
        });
    }
    out
}

enum TagResult {
    /// Tera text and names bound from now on.
    Converted(String, Vec<String>),
    Kept(String),
}

struct Scope<'a> {
    env: &'a Env,
    bound: &'a [String],
    in_loop: bool,
}

fn convert_tag(name: &str, args: &str, scope: &Scope, stack: &mut Vec<Frame>) -> TagResult {
    let kept = |reason: &str| TagResult::Kept(reason.to_string());
    let open = |stack: &mut Vec<Frame>, tag: &str, converted: bool, bound: Vec<String>| {
        stack.push(Frame {
            tag: tag.into(),
            converted,
            case_subject: None,
            case_seen_when: false,
            bound,
        });
    };
    match name {
        "if" | "unless" => match condition(args, scope) {
            Ok(cond) => {
                open(stack, name, true, Vec::new());
                let cond = if name == "unless" {
                    format!("not ({cond})")
                } else {
                    cond
                };
                TagResult::Converted(format!("{{% if {cond} %}}"), Vec::new())
            }
            Err(reason) => {
                open(stack, name, false, Vec::new());
                TagResult::Kept(reason)
            }
        },
        "elsif" => match stack.last() {
            Some(f) if f.converted && f.tag == "if" => match condition(args, scope) {
                Ok(cond) => TagResult::Converted(format!("{{% elif {cond} %}}"), Vec::new()),
                Err(reason) => TagResult::Kept(format!(
                    "{reason} (the `if` above was converted: fix this branch by hand)"
                )),
            },
            _ => kept("its `if` was not converted"),
        },
        "else" => match stack.last() {
            Some(f) if f.converted && f.tag == "case" => {
                if f.case_seen_when {
                    TagResult::Converted("{% else %}".into(), Vec::new())
                } else {
                    kept("`else` before any `when`")
                }
            }
            Some(f) if f.converted => TagResult::Converted("{% else %}".into(), Vec::new()),
            _ => kept("its block was not converted"),
        },
        "endif" | "endunless" | "endfor" | "endcapture" | "endcase" => {
            let Some(frame) = stack.pop() else {
                return kept("there is no open block to close");
            };
            if !frame.converted {
                return kept("its block was not converted");
            }
            let tera = match name {
                "endfor" => "{% endfor %}",
                "endcapture" => "{% endset %}",
                "endcase" if !frame.case_seen_when => "",
                _ => "{% endif %}",
            };
            // Loop variables end with the loop; captured names live on.
            let _ = frame.bound;
            TagResult::Converted(tera.into(), Vec::new())
        }
        "for" => match for_loop(args, scope) {
            Ok((tera, var)) => {
                open(stack, "for", true, vec![var.clone()]);
                TagResult::Converted(tera, vec![var])
            }
            Err(reason) => {
                open(stack, "for", false, Vec::new());
                TagResult::Kept(reason)
            }
        },
        "break" | "continue" => {
            if stack.iter().any(|f| f.tag == "for" && f.converted) {
                TagResult::Converted(format!("{{% {name} %}}"), Vec::new())
            } else {
                kept("its loop was not converted")
            }
        }
        "assign" => {
            let Some((var, value)) = args.split_once('=') else {
                return kept("expected `assign name = value`");
            };
            let var = var.trim();
            if !is_identifier(var) {
                return kept("the variable name cannot be used in tera");
            }
            match output_expression(value.trim(), scope) {
                Ok(expr) => {
                    let expr = expr.strip_suffix(" | default(value=\"\")").unwrap_or(&expr);
                    let set = if scope.in_loop { "set_global" } else { "set" };
                    TagResult::Converted(
                        format!("{{% {set} {} = {expr} %}}", tera_name(var)),
                        vec![var.to_string()],
                    )
                }
                Err(reason) => kept(&reason),
            }
        }
        "capture" => {
            let var = args.trim();
            if !is_identifier(var) {
                open(stack, "capture", false, Vec::new());
                return kept("the variable name cannot be used in tera");
            }
            open(stack, "capture", true, Vec::new());
            let set = if scope.in_loop { "set_global" } else { "set" };
            TagResult::Converted(
                format!("{{% {set} {} %}}", tera_name(var)),
                vec![var.to_string()],
            )
        }
        "case" => match operand(args.trim(), scope) {
            Ok(subject) => {
                stack.push(Frame {
                    tag: "case".into(),
                    converted: true,
                    case_subject: Some(subject),
                    case_seen_when: false,
                    bound: Vec::new(),
                });
                TagResult::Converted(String::new(), Vec::new())
            }
            Err(reason) => {
                open(stack, "case", false, Vec::new());
                TagResult::Kept(reason)
            }
        },
        "when" => {
            let Some(frame) = stack.last_mut() else {
                return kept("`when` outside `case`");
            };
            let (true, Some(subject)) = (frame.converted, frame.case_subject.clone()) else {
                return kept("its `case` was not converted");
            };
            let mut parts = Vec::new();
            for value in split_top(args, &[",", " or "]) {
                match operand(value.trim(), scope) {
                    Ok(v) => parts.push(format!("{subject} == {v}")),
                    Err(reason) => return kept(&reason),
                }
            }
            let keyword = if frame.case_seen_when { "elif" } else { "if" };
            frame.case_seen_when = true;
            TagResult::Converted(
                format!("{{% {keyword} {} %}}", parts.join(" or ")),
                Vec::new(),
            )
        }
        "include" | "include_relative" => kept(
            "includes are not converted: write the equivalent in the page or in a template of templates/",
        ),
        _ => kept(&format!(
            "tera has no equivalent of the Liquid tag `{name}`"
        )),
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn tera_name(name: &str) -> String {
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

/// `item in collection [reversed] [limit: n] [offset: n]`.
fn for_loop(args: &str, scope: &Scope) -> Result<(String, String), String> {
    let (var, rest) = args
        .split_once(" in ")
        .ok_or("expected `for item in list`")?;
    let var = var.trim();
    if !is_identifier(var) {
        return Err("the loop variable cannot be used in tera".into());
    }
    let mut words: Vec<&str> = rest.split_whitespace().collect();
    let target = words.first().copied().ok_or("the loop has no list")?;
    words.remove(0);
    let mut reversed = false;
    let (mut limit, mut offset) = (None, None);
    let mut iter = words.iter().peekable();
    while let Some(word) = iter.next() {
        let (key, inline) = match word.split_once(':') {
            Some((k, v)) => (k, v),
            None => (*word, ""),
        };
        let value = if inline.is_empty() && key != "reversed" {
            iter.next().copied().unwrap_or("")
        } else {
            inline
        };
        match key {
            "reversed" => reversed = true,
            "limit" => {
                limit = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| "the loop's `limit` is not a number")?,
                )
            }
            "offset" => {
                offset = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| "the loop's `offset` is not a number")?,
                )
            }
            other => return Err(format!("the loop option `{other}` has no tera equivalent")),
        }
    }
    if target.starts_with('(') {
        return Err("Liquid ranges `(a..b)` are not converted".into());
    }
    let (mut expr, is_map) = path(target, scope)?;
    if is_map {
        // tera maps have no order: sorted by key, so the output is the same at every build.
        expr = format!("{expr} | pairs | sort(attribute=\"0\")");
    }
    // Liquid iterates nothing over a missing value; tera refuses: an empty list stands in.
    expr = format!("{expr} | default(value=[], boolean=true)");
    if reversed {
        expr = format!("{expr} | reverse");
    }
    if limit.is_some() || offset.is_some() {
        let start = offset.unwrap_or(0);
        let end = limit.map(|l| (start + l).to_string()).unwrap_or_default();
        expr = format!(
            "({expr})[{}:{end}]",
            if start == 0 {
                String::new()
            } else {
                start.to_string()
            }
        );
    }
    Ok((
        format!("{{% for {} in {expr} %}}", tera_name(var)),
        var.to_string(),
    ))
}

/// Splits `text` on any of `separators` outside quotes.
fn split_top<'a>(text: &'a str, separators: &[&str]) -> Vec<&'a str> {
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
fn condition(text: &str, scope: &Scope) -> Result<String, String> {
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

fn comparison(text: &str, scope: &Scope) -> Result<String, String> {
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
                " contains " => format!("{r} in {l}"),
                "<>" => format!("{l} != {r}"),
                _ => format!("{l} {op} {r}"),
            });
        }
    }
    operand(text, scope)
}

/// A literal or a variable path.
fn operand(text: &str, scope: &Scope) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("an empty value".into());
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
            return Err("`empty` and `blank` are only converted in `== empty`".into());
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
fn path(text: &str, scope: &Scope) -> Result<(String, bool), String> {
    let segments =
        path_segments(text).ok_or_else(|| format!("`{text}` is not a value tera can read"))?;
    let mut iter = segments.into_iter();
    let Some(Segment::Name(root)) = iter.next() else {
        return Err(format!("`{text}` is not a value tera can read"));
    };
    let rest: Vec<Segment> = iter.collect();
    let mut expr;
    let mut skip = 0;
    let mut is_map = false;
    match root.as_str() {
        "site" => match rest.first() {
            Some(Segment::Name(n)) if n == "data" => match rest.get(1) {
                Some(Segment::Name(file)) => {
                    expr = if is_identifier(file) && !file.contains('-') {
                        format!("data.{file}")
                    } else {
                        format!("data[\"{file}\"]")
                    };
                    is_map = rest.len() == 2 && scope.env.data_maps.contains(file);
                    skip = 2;
                }
                _ => return Err("`site.data` must be followed by a data file name".into()),
            },
            Some(Segment::Name(n)) if n == "title" || n == "description" => {
                expr = format!("site.{n}");
                skip = 1;
            }
            Some(Segment::Name(n)) if n == "url" => {
                expr = "site.base_url".into();
                skip = 1;
            }
            Some(Segment::Name(n)) if n == "baseurl" => {
                expr = serde_json::Value::String(scope.env.baseurl.clone()).to_string();
                skip = 1;
            }
            Some(Segment::Name(n)) if scope.env.site_extra.contains(n) => {
                expr = format!("site.extra[\"{n}\"]");
                skip = 1;
            }
            Some(Segment::Name(n)) => {
                return Err(format!(
                    "`site.{n}` has no equivalent in gazette's templates"
                ));
            }
            _ => return Err("`site` alone has no equivalent".into()),
        },
        "page" => match rest.first() {
            Some(Segment::Name(n))
                if [
                    "title",
                    "url",
                    "description",
                    "image",
                    "lang",
                    "tags",
                    "date",
                ]
                .contains(&n.as_str()) =>
            {
                expr = format!("page.{n}");
                skip = 1;
            }
            Some(Segment::Name(n)) if n == "content" => {
                return Err("`page.content` is the page itself".into());
            }
            Some(Segment::Name(n)) => {
                expr = format!("page.extra?[\"{n}\"]");
                is_map = rest.len() == 1 && scope.env.data_maps.contains(&format!("page.{n}"));
                skip = 1;
            }
            _ => return Err("`page` alone has no equivalent".into()),
        },
        "forloop" => match rest.first() {
            Some(Segment::Name(n))
                if ["index", "index0", "first", "last", "length"].contains(&n.as_str()) =>
            {
                expr = format!("loop.{n}");
                skip = 1;
            }
            _ => return Err("this `forloop` value has no tera equivalent".into()),
        },
        name if scope.bound.iter().any(|b| b == name) => expr = tera_name(name),
        name => {
            return Err(format!(
                "`{name}` is not a value gazette gives to pages (only site, page and variables set in the page are)"
            ));
        }
    }
    for segment in rest.into_iter().skip(skip) {
        match segment {
            Segment::Name(n) if n == "size" => expr = format!("({expr} | length)"),
            Segment::Name(n) if n == "first" || n == "last" => expr = format!("({expr} | {n})"),
            Segment::Name(n) if is_identifier(&n) && !n.contains('-') => {
                expr = format!("{expr}?.{n}")
            }
            Segment::Name(n) => expr = format!("{expr}?[\"{n}\"]"),
            Segment::Index(inner) => {
                let index = operand(&inner, scope)?;
                expr = format!("{expr}?[{index}]");
            }
        }
    }
    Ok((expr, is_map))
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

/// `value | filter: arg, arg | filter` → tera, ending with a default so that a missing value
/// prints nothing, as in Liquid.
fn output_expression(text: &str, scope: &Scope) -> Result<String, String> {
    let parts = split_top(text, &["|"]);
    let mut expr = operand(parts[0], scope)?;
    for filter in &parts[1..] {
        let (name, args) = filter.split_once(':').unwrap_or((filter, ""));
        let name = name.trim();
        let args: Vec<String> = if args.trim().is_empty() {
            Vec::new()
        } else {
            split_top(args, &[","])
                .into_iter()
                .map(|a| operand(a, scope))
                .collect::<Result<_, _>>()?
        };
        let arg = |n: usize| {
            args.get(n)
                .cloned()
                .ok_or_else(|| format!("the filter `{name}` needs an argument"))
        };
        expr = match name {
            "size" => format!("{expr} | length"),
            "upcase" => format!("{expr} | upper"),
            "downcase" => format!("{expr} | lower"),
            "capitalize" | "first" | "last" | "reverse" | "sort" | "slugify" | "length" => {
                format!("{expr} | {name}")
            }
            "strip" => format!("{expr} | trim"),
            "lstrip" => format!("{expr} | trim_start"),
            "rstrip" => format!("{expr} | trim_end"),
            "uniq" => format!("{expr} | unique"),
            "escape" | "xml_escape" | "escape_once" => format!("{expr} | escape_html"),
            "number_of_words" => format!("{expr} | wordcount"),
            "newline_to_br" => format!("{expr} | newlines_to_br"),
            "join" => format!(
                "{expr} | join(sep={})",
                arg(0).unwrap_or_else(|_| "\" \"".into())
            ),
            "split" => format!("{expr} | split(pat={})", arg(0)?),
            "replace" => format!("{expr} | replace(from={}, to={})", arg(0)?, arg(1)?),
            "truncate" => format!("{expr} | truncate(length={})", arg(0)?),
            "default" => format!("{expr} | default(value={})", arg(0)?),
            "prepend" => format!("({} ~ {expr})", arg(0)?),
            "append" => format!("({expr} ~ {})", arg(0)?),
            "absolute_url" => format!("{expr} | abs_url"),
            "relative_url" => expr,
            "modulo" => format!("({expr} % {})", arg(0)?),
            "plus" => format!("({expr} + {})", arg(0)?),
            "minus" => format!("({expr} - {})", arg(0)?),
            "times" => format!("({expr} * {})", arg(0)?),
            "divided_by" => format!("({expr} // {})", arg(0)?),
            _ => {
                return Err(format!(
                    "tera has no equivalent of the Liquid filter `{name}`"
                ));
            }
        };
    }
    Ok(format!("{expr} | default(value=\"\")"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        Env {
            data_maps: ["defis".to_string()].into(),
            site_extra: ["email".to_string()].into(),
            baseurl: String::new(),
        }
    }

    #[test]
    fn converts_common_constructs() {
        let cases = [
            ("{{ site.title }}", "{{ site.title | default(value=\"\") }}"),
            (
                "{{ page.section_id }}",
                "{{ page.extra?[\"section_id\"] | default(value=\"\") }}",
            ),
            (
                "{{ site.email | upcase }}",
                "{{ site.extra[\"email\"] | upper | default(value=\"\") }}",
            ),
            (
                "{% assign x = 'a' %}{{ x }}",
                "{% set x = \"a\" %}{{ x | default(value=\"\") }}",
            ),
            (
                "{% for d in site.data.defis %}{{ d[1].title }}{% endfor %}",
                "{% for d in data.defis | pairs | sort(attribute=\"0\") | default(value=[], boolean=true) %}{{ d?[1]?.title | default(value=\"\") }}{% endfor %}",
            ),
            ("{% if a == 1 %}", "{% raw %}{% if a == 1 %}{% endraw %}"),
            (
                "{% if page.x == 'y' and page.z %}A{% elsif page.w %}B{% else %}C{% endif %}",
                "{% if page.extra?[\"x\"] == \"y\" and (page.extra?[\"z\"]) %}A{% elif page.extra?[\"w\"] %}B{% else %}C{% endif %}",
            ),
            (
                "{% unless page.x %}A{% endunless %}",
                "{% if not (page.extra?[\"x\"]) %}A{% endif %}",
            ),
            (
                "{% capture c %}hi{% endcapture %}{{ c }}",
                "{% set c %}hi{% endset %}{{ c | default(value=\"\") }}",
            ),
            (
                "{% include a.html %}",
                "{% raw %}{% include a.html %}{% endraw %}",
            ),
            (
                "{% raw %}{{ x }}{% endraw %}",
                "{% raw %}{{ x }}{% endraw %}",
            ),
            ("a {# b", "a {{ \"{#\" }} b"),
            (
                "{% for x in page.list limit: 2 %}{{ forloop.index }}{% endfor %}",
                "{% for x in (page.extra?[\"list\"] | default(value=[], boolean=true))[:2] %}{{ loop.index | default(value=\"\") }}{% endfor %}",
            ),
            (
                "{{ page.tags | join: ', ' }}",
                "{{ page.tags | join(sep=\", \") | default(value=\"\") }}",
            ),
        ];
        for (liquid, tera) in cases {
            assert_eq!(
                convert(liquid, Mode::Tera, &env(), 1).text,
                tera,
                "{liquid}"
            );
        }
    }

    #[test]
    fn unconverted_constructs_are_listed_with_their_line() {
        let out = convert(
            "a\n{% include x.html %}\n{{ paginator.posts }}\n",
            Mode::Tera,
            &env(),
            5,
        );
        let lines: Vec<usize> = out.unconverted.iter().map(|u| u.line).collect();
        assert_eq!(lines, vec![6, 7]);
    }

    #[test]
    fn markdown_mode_converts_highlight_and_keeps_the_rest() {
        let out = convert(
            "{% highlight python %}\nx = 1\n{% endhighlight %}\n{{ site.title }}\n",
            Mode::Markdown,
            &env(),
            1,
        );
        assert_eq!(out.text, "```python\nx = 1\n```\n{{ site.title }}\n");
        assert_eq!(out.unconverted.len(), 1);
        assert!(!out.uses_tera);
    }

    #[test]
    fn tags_inside_an_unconverted_loop_stay_too() {
        let out = convert(
            "{% for p in paginator.posts %}{{ p.title }}{% endfor %}",
            Mode::Tera,
            &env(),
            1,
        );
        assert_eq!(out.unconverted.len(), 3);
        assert_eq!(out.converted, 0);
    }
}
