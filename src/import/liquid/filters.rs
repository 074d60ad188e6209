//! Liquid filters (`value | filter: arg`) → tera filters and operators.

use super::expressions::{Scope, operand, split_top};

/// `value | filter: arg, arg | filter` → tera, ending with a default so that a missing value
/// prints nothing, as in Liquid.
pub(super) fn output_expression(text: &str, scope: &Scope) -> Result<String, String> {
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
