//! What the preview adds over the site's pages for the writer: the error overlay (the site cannot
//! be rebuilt) and the warnings panel (it was rebuilt, but `gazette build` would warn). Both are
//! injected into served HTML only, never into built files, and speak the site's language.

use std::hash::{Hash, Hasher};

use crate::check::Lang;
use crate::diagnostic::{self, Diagnostic};
use crate::text::escape::escape_html;

/// The error box shown over every page while the sources are broken.
pub(crate) fn overlay(text: &str, lang: Lang) -> String {
    let title = crate::msg!("gazette: the site cannot be rebuilt").in_lang(lang);
    let note = crate::msg!(
        "The preview shows the last good version; it reloads by itself once the file is fixed."
    )
    .in_lang(lang);
    format!(
        "<div id=\"gazette-error\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
         background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 ui-monospace,monospace;padding:2em\">\
         <h2 style=\"color:#ff8a80;font:bold 20px sans-serif;margin:0 0 1em\">{title}</h2>\
         <pre style=\"white-space:pre-wrap;margin:0\">{}</pre>\
         <p style=\"font-family:sans-serif;color:#bbb\">{note}</p></div>",
        escape_html(text)
    )
}

/// The small panel listing the site's current warnings (file:line, message, hint), in a corner
/// of every page; None when there is none. Closing it hides it until the warnings change.
pub(crate) fn warnings_panel(warnings: &[Diagnostic], lang: Lang) -> Option<String> {
    if warnings.is_empty() {
        return None;
    }
    let mut sorted = warnings.to_vec();
    diagnostic::sort(&mut sorted);
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    sorted.hash(&mut hasher);
    let key = hasher.finish();
    let count = sorted.len();
    let title = match count {
        1 => crate::msg!("gazette: 1 warning"),
        n => crate::msg!("gazette: {n} warnings", n),
    }
    .in_lang(lang);
    let note = crate::msg!("The site builds; these are worth fixing.").in_lang(lang);
    let close = crate::msg!("Close").in_lang(lang);
    let mut items = String::new();
    for d in sorted.iter().take(MAX_LISTED) {
        items.push_str("<li style=\"margin:.4em 0\"><code style=\"font:12px ui-monospace,monospace;color:#6d4c00\">");
        items.push_str(&escape_html(&d.location()));
        items.push_str("</code><br>");
        items.push_str(&escape_html(&d.message.in_lang(lang)));
        if let Some(help) = &d.help {
            items.push_str("<br><small style=\"color:#5d4037\">");
            items.push_str(&escape_html(&help.in_lang(lang)));
            items.push_str("</small>");
        }
        items.push_str("</li>");
    }
    if count > MAX_LISTED {
        let more = count - MAX_LISTED;
        items.push_str("<li style=\"list-style:none\">");
        items.push_str(
            &crate::msg!("… and {more} more: the terminal lists them all.", more).in_lang(lang),
        );
        items.push_str("</li>");
    }
    Some(format!(
        "<aside id=\"gazette-warnings\" data-key=\"{key:x}\" role=\"status\" style=\"position:fixed;right:1em;bottom:1em;\
         z-index:2147483646;max-width:min(36em,90vw);max-height:45vh;overflow:auto;background:#fff8e1;color:#3e2723;\
         border:2px solid #f9a825;border-radius:6px;box-shadow:0 2px 12px rgba(0,0,0,.3);font:14px/1.4 sans-serif;\
         padding:.7em 1em;text-align:left\">\
         <button type=\"button\" aria-label=\"{close}\" title=\"{close}\" style=\"float:right;border:0;background:none;\
         font-size:20px;line-height:1;cursor:pointer;color:#3e2723\">×</button>\
         <strong>{title}</strong><div style=\"font-size:12px;color:#5d4037\">{note}</div>\
         <ul style=\"margin:.3em 0 0;padding-left:1.2em\">{items}</ul></aside>{PANEL_SCRIPT}"
    ))
}

/// The panel lists at most this many warnings (the terminal prints them all).
const MAX_LISTED: usize = 30;

/// Hides the panel when the writer closed it for these same warnings (the key changes with them).
const PANEL_SCRIPT: &str = r#"<script data-gazette-warnings>(function(){
var p=document.getElementById('gazette-warnings');if(!p){return;}
var k='gazette-warnings-closed';
if(sessionStorage.getItem(k)===p.dataset.key){p.remove();return;}
p.querySelector('button').addEventListener('click',function(){sessionStorage.setItem(k,p.dataset.key);p.remove();});
})();</script>"#;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::diagnostic::Rule;

    #[test]
    fn the_panel_lists_each_warning_with_its_place_and_hint_escaped() {
        assert_eq!(warnings_panel(&[], Lang::Fr), None);
        let warnings = [
            Diagnostic::warning(Rule::PostTag, "content/posts/a.md", "étiquette <inconnue>")
                .at(7, 3)
                .help("écrivez « design »"),
            Diagnostic::warning(Rule::Image, "content/posts/b.md", "image"),
        ];
        let panel = warnings_panel(&warnings, Lang::Fr).unwrap();
        assert!(panel.contains("gazette : 2 avertissements"), "{panel}");
        assert!(panel.contains("content/posts/a.md:7:3"), "{panel}");
        assert!(panel.contains("étiquette &lt;inconnue&gt;"), "{panel}");
        assert!(panel.contains("écrivez « design »"), "{panel}");
        assert!(panel.contains("aria-label=\"Fermer\""), "{panel}");
        let english = warnings_panel(&warnings[..1], Lang::En).unwrap();
        assert!(english.contains("gazette: 1 warning<"), "{english}");
        // The key changes with the warnings, so a closed panel comes back for new ones.
        let key = |p: &str| {
            p.split("data-key=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string()
        };
        assert_ne!(key(&panel), key(&english));
    }
}
