//! `_layouts/` and `_includes/` → the imported site's own tera templates, so that its pages keep
//! their look: `_includes/x` becomes `templates/includes/x`, `_layouts/name.html` becomes
//! `templates/layouts/name.html`, and every document gets the template of its layout.
//!
//! Jekyll wraps a document in its layout, then that layout in its own `layout`, each one printing
//! the inner result as `{{ content }}`. In tera this is inheritance: a layout with a parent
//! `extends` it and fills the parent's block `layout_<parent>`, which stands where the parent
//! printed `{{ content }}`; the innermost layout prints the document's own `content`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Ctx, liquid, read_document};
use crate::diagnostic::Diagnostic;

/// The folder of converted includes and layouts inside `templates/`.
const INCLUDES: &str = "includes";
const LAYOUTS: &str = "layouts";
/// The template of a document without a layout: its content alone, as Jekyll writes it.
pub(crate) const NO_LAYOUT: &str = "layouts/_none.html";

/// What the import learnt about the layouts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layouts {
    /// Names of the layouts converted (`default`, `post`…).
    pub names: BTreeSet<String>,
}

impl Layouts {
    /// The gazette template of a document whose layout is `layout` (None: the site has no
    /// converted layouts, so gazette's theme renders it).
    pub(crate) fn template_of(&self, layout: Option<&Value>) -> Option<String> {
        if self.names.is_empty() {
            return None;
        }
        match layout {
            Some(Value::String(name)) if self.names.contains(name) => {
                Some(format!("{LAYOUTS}/{name}.html"))
            }
            // `layout: null`, `none`, or a layout that does not exist: Jekyll writes the content alone.
            _ => Some(NO_LAYOUT.to_string()),
        }
    }
}

/// Converts the files of `_includes/` and `_layouts/` among `files` (paths relative to SRC).
pub(crate) fn import_templates(ctx: &mut Ctx, files: &[String], problems: &mut Vec<Diagnostic>) {
    let includes_dir = format!("{}/", ctx.config.includes_dir);
    let layouts_dir = format!("{}/", ctx.config.layouts_dir);
    let includes: Vec<(&str, &str)> = files
        .iter()
        .filter_map(|f| f.strip_prefix(&includes_dir).map(|name| (f.as_str(), name)))
        .collect();
    let layouts: Vec<(&str, &str)> = files
        .iter()
        .filter_map(|f| f.strip_prefix(&layouts_dir).map(|name| (f.as_str(), name)))
        .filter(|(_, name)| !name.contains('/'))
        .collect();
    ctx.env.includes = includes.iter().map(|(_, n)| n.to_string()).collect();
    let mut env = ctx.env.clone();
    env.free_names = true;
    for (file, name) in includes {
        let text = match std::fs::read(ctx.src.join(file)) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).replace("\r\n", "\n"),
            Err(e) => {
                ctx.report
                    .skip(file, crate::msg!("cannot be read: {error}", error = e));
                continue;
            }
        };
        let converted = liquid::convert(&text, liquid::Mode::Tera, &env, 1);
        ctx.report_liquid(file, &converted);
        write_template(
            ctx,
            &format!("{INCLUDES}/{name}"),
            &converted.text,
            problems,
        );
        ctx.report.count("includes");
    }
    let read: Vec<Layout> = layouts
        .into_iter()
        .filter_map(|(file, name)| read_layout(ctx, file, name))
        .collect();
    let parents: BTreeSet<&str> = read.iter().filter_map(|l| l.parent.as_deref()).collect();
    let names: BTreeSet<String> = read.iter().map(|l| l.name.clone()).collect();
    for layout in &read {
        env.layout_front = layout.front.clone();
        let converted = liquid::convert(&layout.body, liquid::Mode::Tera, &env, layout.body_line);
        ctx.report_liquid(&layout.file, &converted);
        let parent = layout.parent.as_deref().filter(|p| names.contains(*p));
        let text = chain(
            &converted.text,
            &layout.name,
            parents.contains(layout.name.as_str()),
            parent,
        );
        write_template(
            ctx,
            &format!("{LAYOUTS}/{}.html", layout.name),
            &text,
            problems,
        );
        ctx.report.count("layouts");
    }
    if !names.is_empty() {
        write_template(ctx, NO_LAYOUT, "{{ content | verbatim }}", problems);
    }
    ctx.layouts = Layouts { names };
}

/// One file of `_layouts/`.
struct Layout {
    file: String,
    name: String,
    parent: Option<String>,
    front: serde_json::Map<String, Value>,
    body: String,
    body_line: usize,
}

fn read_layout(ctx: &mut Ctx, file: &str, name: &str) -> Option<Layout> {
    let (_, doc) = match read_document(&ctx.src, file) {
        Ok(read) => read,
        Err(reason) => {
            ctx.report.skip(file, reason);
            return None;
        }
    };
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let parent = doc
        .front
        .get("layout")
        .and_then(Value::as_str)
        .filter(|p| *p != stem)
        .map(str::to_string);
    Some(Layout {
        file: file.to_string(),
        name: stem.to_string(),
        parent,
        front: doc.front,
        body: doc.body,
        body_line: doc.body_line,
    })
}

/// The tera block standing for the `{{ content }}` of layout `name`.
fn block_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("layout_{clean}")
}

/// A converted layout body placed in its chain: its `{{ content }}` made a block when other
/// layouts wrap themselves in it, and the whole body filling its parent's block.
fn chain(converted: &str, name: &str, is_parent: bool, parent: Option<&str>) -> String {
    const CONTENT: &str = "{{ content | verbatim }}";
    let mut text = converted.to_string();
    if is_parent && let Some(at) = text.find(CONTENT) {
        let block = block_name(name);
        text.replace_range(
            at..at + CONTENT.len(),
            &format!("{{% block {block} %}}{CONTENT}{{% endblock {block} %}}"),
        );
    }
    match parent {
        Some(parent) => {
            let block = block_name(parent);
            format!(
                "{{% extends \"{LAYOUTS}/{parent}.html\" %}}{{% block {block} %}}{text}{{% endblock {block} %}}"
            )
        }
        None => text,
    }
}

fn write_template(ctx: &mut Ctx, name: &str, text: &str, problems: &mut Vec<Diagnostic>) {
    let relative = format!("{}/{name}", crate::source::layout::TEMPLATES);
    if let Err(d) = ctx.write(&relative, text.as_bytes()) {
        problems.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layout_chain_becomes_tera_inheritance() {
        let parent = chain(
            "<main>{{ content | verbatim }}</main>",
            "default",
            true,
            None,
        );
        assert_eq!(
            parent,
            "<main>{% block layout_default %}{{ content | verbatim }}{% endblock layout_default %}</main>"
        );
        let child = chain(
            "<article>{{ content | verbatim }}</article>",
            "post",
            false,
            Some("default"),
        );
        assert_eq!(
            child,
            "{% extends \"layouts/default.html\" %}{% block layout_default %}<article>{{ content | verbatim }}</article>{% endblock layout_default %}"
        );
    }
}
