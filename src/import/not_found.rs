//! The site's own page at `/404.html` (what static hosts show for a missing address): gazette
//! writes `/404.html` from the template `404.html`, so the page becomes the site's
//! `templates/404.html`, its title and text inside the theme's frame.

use super::Ctx;
use crate::source::load::Document;

/// Writes `templates/404.html` from the 404 page `file`; returns why it cannot when its body has
/// Liquid (a template gazette cannot run as it is).
pub(crate) fn write(
    ctx: &mut Ctx,
    file: &str,
    doc: &Document,
) -> Result<(), crate::diagnostic::Text> {
    if super::liquid::has_liquid(&doc.body) {
        return Err(crate::msg!(
            "the 404 page has Liquid: gazette's theme writes /404.html; write its text into templates/404.html"
        ));
    }
    let lower = file.to_ascii_lowercase();
    let body = if lower.ends_with(".md") || lower.ends_with(".markdown") {
        crate::markdown::render(&doc.body, &crate::markdown::MarkdownOptions::default()).html
    } else {
        doc.body.clone()
    };
    let title = crate::text::escape::escape_html(doc.str("title").unwrap_or("404"));
    let template = format!(
        "{{% extends \"base.html\" %}}\n\n\
         {{% block title %}}{title}{{% endblock title %}}\n\n\
         {{% block content %}}\n\
         <article class=\"wrap page not-found\">\n  <header class=\"page__header\"><h1>{title}</h1></header>\n  <div class=\"prose\">\n\
         {{% raw %}}{body}{{% endraw %}}\n  </div>\n</article>\n\
         {{% endblock content %}}\n"
    );
    let dest = format!("{}/404.html", crate::source::layout::TEMPLATES);
    ctx.write(&dest, template.as_bytes())
        .map_err(|d| d.message)?;
    ctx.report.count("templates");
    ctx.old_url(
        "/404.html".into(),
        "page",
        file,
        super::Identity::Fixed("/404.html".into()),
    );
    ctx.report.notes.push(crate::msg!(
        "{file}: the 404 page became {dest} (its title and text in the theme's frame)",
        file,
        dest
    ));
    Ok(())
}
