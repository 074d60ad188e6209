//! Liquid tags → tera tags: blocks (`if`, `unless`, `for`, `case`, `capture`) are tracked on a
//! stack so that the branches and end tags of a block follow what was done with its opening tag.

use super::expressions::{
    INCLUDE_PARAMS, Scope, condition, is_identifier, operand, path, split_top, tera_name,
};
use super::filters::output_expression;
use crate::diagnostic::Text;
use crate::msg;

/// One open block while converting.
pub(super) struct Frame {
    /// The Liquid tag (`for`, `if`, `unless`, `case`, `capture`).
    pub(super) tag: String,
    /// True when the opening tag was converted (its end tags are then converted too).
    converted: bool,
    /// For `case`: the converted subject, and whether a `when` was seen.
    case_subject: Option<String>,
    case_seen_when: bool,
    /// Names bound by this block (loop variables).
    bound: Vec<String>,
}

impl Frame {
    fn new(tag: &str, converted: bool, bound: Vec<String>) -> Self {
        Frame {
            tag: tag.into(),
            converted,
            case_subject: None,
            case_seen_when: false,
            bound,
        }
    }
}

pub(super) enum TagResult {
    /// Tera text and names bound from now on.
    Converted(String, Vec<String>),
    Kept(Text),
}

fn converted(tera: impl Into<String>) -> TagResult {
    TagResult::Converted(tera.into(), Vec::new())
}

fn kept(reason: Text) -> TagResult {
    TagResult::Kept(reason)
}

/// Converts the tag `name` with its arguments, opening or closing blocks on `stack`.
pub(super) fn convert_tag(
    name: &str,
    args: &str,
    scope: &Scope,
    stack: &mut Vec<Frame>,
) -> TagResult {
    match name {
        "if" | "unless" => open_if(name, args, scope, stack),
        "elsif" => elsif(args, scope, stack),
        "else" => else_branch(stack),
        "endif" | "endunless" | "endfor" | "endcapture" | "endcase" => close_block(name, stack),
        "for" => open_for(args, scope, stack),
        "break" | "continue" => {
            if stack.iter().any(|f| f.tag == "for" && f.converted) {
                converted(format!("{{% {name} %}}"))
            } else {
                kept(msg!("its loop was not converted"))
            }
        }
        "assign" => assign(args, scope),
        "capture" => open_capture(args, scope, stack),
        "case" => open_case(args, scope, stack),
        "when" => when(args, scope, stack),
        "include" => include(args, scope),
        "include_relative" => kept(msg!(
            "`include_relative` is not converted: copy the file's text into the page"
        )),
        _ => kept(msg!(
            "tera has no equivalent of the Liquid tag `{name}`",
            name
        )),
    }
}

/// `include name.html key=value…`: a tera include of `templates/includes/name.html` (converted
/// from `_includes/`), its parameters set first as `include_params` (Liquid's `include.key`).
fn include(args: &str, scope: &Scope) -> TagResult {
    let args = args.trim();
    let (name, params) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
    if name.contains("{{") || !scope.env.includes.contains(name) {
        return kept(msg!(
            "`{name}` is not a file of _includes/ converted to templates/includes/",
            name
        ));
    }
    let mut entries = Vec::new();
    for param in split_top(params.trim(), &[" ", "\t", "\n"]) {
        if param.trim().is_empty() {
            continue;
        }
        let Some((key, value)) = param.split_once('=') else {
            return kept(msg!(
                "the include parameter `{param}` is not `key=value`",
                param
            ));
        };
        if !is_identifier(key.trim()) {
            return kept(msg!(
                "the include parameter `{key}` cannot be used in tera",
                key
            ));
        }
        match operand(value, scope) {
            Ok(v) => entries.push(format!("{}: {v}", serde_json::Value::from(key.trim()))),
            Err(reason) => return TagResult::Kept(reason),
        }
    }
    let name = serde_json::Value::from(format!("includes/{name}"));
    let set = if entries.is_empty() {
        String::new()
    } else {
        // A plain `set`: the include is rendered in the same scope, inside a loop too.
        format!("{{% set {INCLUDE_PARAMS} = {{{}}} %}}", entries.join(", "))
    };
    converted(format!("{set}{{% include {name} %}}"))
}

/// `if` and `unless` (an `if not`).
fn open_if(name: &str, args: &str, scope: &Scope, stack: &mut Vec<Frame>) -> TagResult {
    match condition(args, scope) {
        Ok(cond) => {
            stack.push(Frame::new(name, true, Vec::new()));
            let cond = if name == "unless" {
                format!("not ({cond})")
            } else {
                cond
            };
            converted(format!("{{% if {cond} %}}"))
        }
        Err(reason) => {
            stack.push(Frame::new(name, false, Vec::new()));
            TagResult::Kept(reason)
        }
    }
}

fn elsif(args: &str, scope: &Scope, stack: &[Frame]) -> TagResult {
    match stack.last() {
        Some(f) if f.converted && f.tag == "if" => match condition(args, scope) {
            Ok(cond) => converted(format!("{{% elif {cond} %}}")),
            Err(reason) => TagResult::Kept(reason.then(
                " ",
                msg!("(the `if` above was converted: fix this branch by hand)"),
            )),
        },
        _ => kept(msg!("its `if` was not converted")),
    }
}

fn else_branch(stack: &[Frame]) -> TagResult {
    match stack.last() {
        Some(f) if f.converted && f.tag == "case" => {
            if f.case_seen_when {
                converted("{% else %}")
            } else {
                kept(msg!("`else` before any `when`"))
            }
        }
        Some(f) if f.converted => converted("{% else %}"),
        _ => kept(msg!("its block was not converted")),
    }
}

fn close_block(name: &str, stack: &mut Vec<Frame>) -> TagResult {
    let Some(frame) = stack.pop() else {
        return kept(msg!("there is no open block to close"));
    };
    if !frame.converted {
        return kept(msg!("its block was not converted"));
    }
    let tera = match name {
        "endfor" => "{% endfor %}",
        "endcapture" => "{% endset %}",
        // A `case` without `when` wrote no `if` to close.
        "endcase" if !frame.case_seen_when => "",
        _ => "{% endif %}",
    };
    // Loop variables end with the loop; captured names live on.
    let _ = frame.bound;
    converted(tera)
}

fn open_for(args: &str, scope: &Scope, stack: &mut Vec<Frame>) -> TagResult {
    match for_loop(args, scope) {
        Ok((tera, var)) => {
            stack.push(Frame::new("for", true, vec![var.clone()]));
            TagResult::Converted(tera, vec![var])
        }
        Err(reason) => {
            stack.push(Frame::new("for", false, Vec::new()));
            TagResult::Kept(reason)
        }
    }
}

/// `assign name = value`: a tera `set`, global inside a loop so that it outlives the loop as in
/// Liquid.
fn assign(args: &str, scope: &Scope) -> TagResult {
    let Some((var, value)) = args.split_once('=') else {
        return kept(msg!("expected `assign name = value`"));
    };
    let var = var.trim();
    // Liquid stores `assign site.tags = …` under the name `site.tags`, which no later read can
    // reach (`site.tags` reads `site`): it has no effect, and neither has its conversion.
    if var.contains('.') && var.split('.').all(is_identifier) {
        return converted(format!("{{# Liquid `assign {var}` had no effect #}}"));
    }
    if !is_identifier(var) {
        return kept(msg!("the variable name cannot be used in tera"));
    }
    match output_expression(value.trim(), scope) {
        Ok(expr) => {
            let expr = expr.strip_suffix(" | verbatim").unwrap_or(&expr);
            let set = if scope.in_loop { "set_global" } else { "set" };
            TagResult::Converted(
                format!("{{% {set} {} = {expr} %}}", tera_name(var)),
                vec![var.to_string()],
            )
        }
        Err(reason) => kept(reason),
    }
}

fn open_capture(args: &str, scope: &Scope, stack: &mut Vec<Frame>) -> TagResult {
    let var = args.trim();
    if !is_identifier(var) {
        stack.push(Frame::new("capture", false, Vec::new()));
        return kept(msg!("the variable name cannot be used in tera"));
    }
    stack.push(Frame::new("capture", true, Vec::new()));
    let set = if scope.in_loop { "set_global" } else { "set" };
    TagResult::Converted(
        format!("{{% {set} {} %}}", tera_name(var)),
        vec![var.to_string()],
    )
}

/// `case` writes nothing itself: each `when` becomes an `if`/`elif` comparing the subject.
fn open_case(args: &str, scope: &Scope, stack: &mut Vec<Frame>) -> TagResult {
    match operand(args.trim(), scope) {
        Ok(subject) => {
            let mut frame = Frame::new("case", true, Vec::new());
            frame.case_subject = Some(subject);
            stack.push(frame);
            converted(String::new())
        }
        Err(reason) => {
            stack.push(Frame::new("case", false, Vec::new()));
            TagResult::Kept(reason)
        }
    }
}

fn when(args: &str, scope: &Scope, stack: &mut [Frame]) -> TagResult {
    let Some(frame) = stack.last_mut() else {
        return kept(msg!("`when` outside `case`"));
    };
    let (true, Some(subject)) = (frame.converted, frame.case_subject.clone()) else {
        return kept(msg!("its `case` was not converted"));
    };
    let mut parts = Vec::new();
    for value in split_top(args, &[",", " or "]) {
        match operand(value.trim(), scope) {
            Ok(v) => parts.push(format!("{subject} == {v}")),
            Err(reason) => return kept(reason),
        }
    }
    let keyword = if frame.case_seen_when { "elif" } else { "if" };
    frame.case_seen_when = true;
    converted(format!("{{% {keyword} {} %}}", parts.join(" or ")))
}

/// The options of a `for` tag.
#[derive(Default)]
struct LoopOptions {
    reversed: bool,
    limit: Option<usize>,
    offset: Option<usize>,
}

impl LoopOptions {
    /// `reversed`, `limit: n`, `offset: n` (the value may follow the colon or the next word).
    fn parse<'a>(mut words: impl Iterator<Item = &'a str>) -> Result<Self, Text> {
        let mut options = LoopOptions::default();
        while let Some(word) = words.next() {
            let (key, inline) = word.split_once(':').unwrap_or((word, ""));
            let value = if inline.is_empty() && key != "reversed" {
                words.next().unwrap_or("")
            } else {
                inline
            };
            match key {
                "reversed" => options.reversed = true,
                "limit" => {
                    options.limit = Some(
                        value
                            .parse::<usize>()
                            .map_err(|_| msg!("the loop's `limit` is not a number"))?,
                    )
                }
                "offset" => {
                    options.offset = Some(
                        value
                            .parse::<usize>()
                            .map_err(|_| msg!("the loop's `offset` is not a number"))?,
                    )
                }
                other => {
                    return Err(msg!(
                        "the loop option `{other}` has no tera equivalent",
                        other
                    ));
                }
            }
        }
        Ok(options)
    }
}

/// `item in collection [reversed] [limit: n] [offset: n]`: the tera tag and the loop variable.
fn for_loop(args: &str, scope: &Scope) -> Result<(String, String), Text> {
    let (var, rest) = args
        .split_once(" in ")
        .ok_or_else(|| msg!("expected `for item in list`"))?;
    let var = var.trim();
    if !is_identifier(var) {
        return Err(msg!("the loop variable cannot be used in tera"));
    }
    let mut words = rest.split_whitespace();
    let target = words.next().ok_or_else(|| msg!("the loop has no list"))?;
    let options = LoopOptions::parse(words)?;
    if target.starts_with('(') {
        return Err(msg!("Liquid ranges `(a..b)` are not converted"));
    }
    let list = loop_list(target, &options, scope)?;
    Ok((
        format!("{{% for {} in {list} %}}", tera_name(var)),
        var.to_string(),
    ))
}

/// The tera expression a loop iterates over.
fn loop_list(target: &str, options: &LoopOptions, scope: &Scope) -> Result<String, Text> {
    let (mut expr, is_map) = path(target, scope)?;
    if is_map {
        // `[key, value]` pairs in the order of the file, as Liquid iterates a Ruby hash.
        expr = format!("{expr} | pairs");
    }
    // Liquid iterates nothing over a missing value; tera refuses: an empty list stands in.
    expr = format!("{expr} | default(value=[], boolean=true)");
    if options.reversed {
        expr = format!("{expr} | reverse");
    }
    if options.limit.is_some() || options.offset.is_some() {
        let start = options.offset.unwrap_or(0);
        let end = options
            .limit
            .map(|l| (start + l).to_string())
            .unwrap_or_default();
        expr = format!(
            "({expr})[{}:{end}]",
            if start == 0 {
                String::new()
            } else {
                start.to_string()
            }
        );
    }
    Ok(expr)
}
