//! Liquid filters (`value | filter: arg`) → tera filters and operators.

use super::expressions::{Scope, operand, split_top};
use crate::diagnostic::Text;
use crate::msg;

/// Liquid filters that read a list.
const LIST_FILTERS: &[&str] = &[
    "join",
    "sort",
    "sort_natural",
    "first",
    "last",
    "reverse",
    "uniq",
    "map",
    "where",
    "group_by",
    "compact",
    "concat",
    "array_to_sentence_string",
];

/// Liquid filters that read a number.
const NUMBER_FILTERS: &[&str] = &[
    "plus",
    "minus",
    "times",
    "divided_by",
    "modulo",
    "abs",
    "round",
    "ceil",
    "floor",
    "at_least",
    "at_most",
];

/// True when `text` names a variable (not a literal).
fn is_variable(text: &str) -> bool {
    let text = text.trim();
    !(text.starts_with(['"', '\''])
        || text.parse::<f64>().is_ok()
        || matches!(text, "true" | "false" | "nil" | "null"))
}

/// `value | filter: arg, arg | filter` → tera, ending with `verbatim` so that the value prints
/// as in Liquid: a missing value as nothing, HTML not escaped (Liquid does not escape).
pub(super) fn output_expression(text: &str, scope: &Scope) -> Result<String, Text> {
    let parts = split_top(text, &["|"]);
    let mut expr = operand(parts[0], scope)?;
    // Liquid's filters take a missing value as empty; tera's refuse it.
    if let Some(first) = parts.get(1).filter(|_| is_variable(parts[0])) {
        let name = first.split_once(':').map_or(*first, |(n, _)| n).trim();
        if LIST_FILTERS.contains(&name) {
            expr = format!("({expr} | default(value=[]))");
        } else if NUMBER_FILTERS.contains(&name) {
            expr = format!("({expr} | default(value=0))");
        } else if !matches!(name, "default" | "size" | "date" | "jsonify") {
            expr = format!("({expr} | default(value=\"\"))");
        }
    }
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
                .ok_or_else(|| msg!("the filter `{name}` needs an argument", name))
        };
        expr = match name {
            "size" => format!("{expr} | length"),
            "upcase" => format!("{expr} | upper"),
            "downcase" => format!("{expr} | lower"),
            "sort" if !args.is_empty() => format!("{expr} | sort(attribute={})", arg(0)?),
            "capitalize" | "first" | "last" | "reverse" | "sort" | "slugify" | "length" => {
                format!("{expr} | {name}")
            }
            "strip" => format!("{expr} | trim"),
            "lstrip" => format!("{expr} | trim_start"),
            "rstrip" => format!("{expr} | trim_end"),
            "uniq" => format!("{expr} | unique"),
            "escape" | "xml_escape" | "escape_once" | "cgi_escape" => {
                format!("{expr} | verbatim | escape_html")
            }
            "url_encode" | "uri_escape" => format!("{expr} | url_encode"),
            "strip_html" | "markdownify" | "jsonify" => format!("{expr} | {name}"),
            "where" => format!("{expr} | where(attribute={}, value={})", arg(0)?, arg(1)?),
            "map" => format!("{expr} | map(attribute={})", arg(0)?),
            "group_by" => format!("{expr} | grouped(attribute={})", arg(0)?),
            "date" => format!("{expr} | strftime(format={})", arg(0)?),
            "date_to_xmlschema" => format!("{expr} | strftime(format=\"%Y-%m-%dT%H:%M:%S%:z\")"),
            "date_to_string" => format!("{expr} | strftime(format=\"%d %b %Y\")"),
            "date_to_long_string" => format!("{expr} | strftime(format=\"%d %B %Y\")"),
            "truncatewords" => format!("{expr} | truncatewords(count={})", arg(0)?),
            "smartify" => expr,
            "number_of_words" => format!("{expr} | wordcount"),
            "newline_to_br" => format!("{expr} | newlines_to_br"),
            "join" => format!(
                "{expr} | join(sep={})",
                arg(0).unwrap_or_else(|_| "\" \"".into())
            ),
            "split" => format!("{expr} | liquid_split(pat={})", arg(0)?),
            "replace" => format!("{expr} | replace(from={}, to={})", arg(0)?, arg(1)?),
            "truncate" => match args.get(1) {
                Some(end) => format!("{expr} | liquid_truncate(length={}, end={end})", arg(0)?),
                None => format!("{expr} | liquid_truncate(length={})", arg(0)?),
            },
            "strip_newlines" | "normalize_whitespace" | "compact" => format!("{expr} | {name}"),
            "remove" | "remove_first" => format!("{expr} | {name}(pat={})", arg(0)?),
            "replace_first" => format!("{expr} | replace_first(from={}, to={})", arg(0)?, arg(1)?),
            "concat" => format!("{expr} | concat(with={})", arg(0)?),
            "array_to_sentence_string" => match args.first() {
                Some(connector) => format!("{expr} | array_to_sentence(connector={connector})"),
                None => format!("{expr} | array_to_sentence"),
            },
            "date_to_rfc822" => format!("{expr} | strftime(format=\"%a, %d %b %Y %H:%M:%S %z\")"),
            "at_least" => format!("[{expr}, {}] | sort | last", arg(0)?),
            "at_most" => format!("[{expr}, {}] | sort | first", arg(0)?),
            "abs" | "round" => format!("{expr} | {name}"),
            "ceil" => format!("{expr} | round(method=\"ceil\")"),
            "floor" => format!("{expr} | round(method=\"floor\")"),
            "default" => format!("{expr} | default(value={}, boolean=true)", arg(0)?),
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
                return Err(msg!(
                    "tera has no equivalent of the Liquid filter `{name}`",
                    name
                ));
            }
        };
    }
    Ok(format!("{expr} | verbatim"))
}
