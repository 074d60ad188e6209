//! A Jekyll site hosted on Netlify (it has `_redirects` or `netlify.toml`) keeps its server
//! redirects: the imported site.yml says `redirects: netlify`, and each old URL that moved in the
//! import (a blog page, a tag page, a `redirect_to` page…) becomes a forced `301!` rule of the
//! site's own `_redirects` (assets/_redirects), which the build puts at the top of the
//! `_redirects` it writes. The HTML redirect pages stay, for any other host (forced, the rule
//! wins over the page on Netlify).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::source::config::{Config, RedirectsFile};

/// The files that show a Jekyll site was published by Netlify.
const NETLIFY_FILES: [&str; 2] = ["_redirects", "netlify.toml"];

/// The site's own `_redirects` in the new site.
const OWN_RULES: &str = "assets/_redirects";

/// True when the Jekyll site at `src` was hosted on Netlify.
pub(crate) fn hosted_on_netlify(src: &Path) -> bool {
    NETLIFY_FILES.iter().any(|file| src.join(file).is_file())
}

/// Adds a `301!` rule to the site's own `_redirects` for each old URL that moved: `moved` holds
/// (old URL, where it lives now), both as the importer knows them (paths under the site's base
/// path, or a full address). Old URLs that already have a rule (the Jekyll site's own) keep it,
/// forced when the import put an HTML redirect page at its address (see [`force_shadowed`]).
/// Nothing is written for a site not hosted on Netlify.
pub(super) fn write_moved_rules(
    ctx: &mut Ctx,
    config: &Config,
    moved: &[(String, String)],
) -> Result<(), Diagnostic> {
    if !hosted_on_netlify(&ctx.src) || moved.is_empty() {
        return Ok(());
    }
    let own = std::fs::read_to_string(ctx.dest.join(OWN_RULES)).unwrap_or_default();
    let paged: HashSet<&str> = moved.iter().map(|(old, _)| old.as_str()).collect();
    let (mut text, forced) = force_shadowed(&own, &paged);
    for line in forced {
        ctx.report.notes.push(crate::msg!(
            "_redirects:{line}: the import wrote an HTML redirect page at this rule's old address, for other hosts; the rule is forced (`!`) so that Netlify still applies it rather than serve the page",
            line
        ));
    }
    let mut ruled: HashSet<String> = super::pages::redirect_rules(&text)
        .into_iter()
        .filter_map(|rule| match rule.kind {
            super::pages::RuleKind::Page { from, .. } => Some(from),
            _ => None,
        })
        .collect();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    let rules = moved_rules(config, moved, &mut ruled);
    if rules.is_empty() {
        return if text == own {
            Ok(())
        } else {
            ctx.write(OWN_RULES, text.as_bytes())
        };
    }
    text.push_str("# Old addresses of the Jekyll site, moved by `gazette import jekyll`.\n");
    for rule in &rules {
        let _ = writeln!(text, "{rule}");
        ctx.report.count("redirect rules");
    }
    ctx.write(OWN_RULES, text.as_bytes())
}

/// The Jekyll site's own rules with a `!` added to those whose old address is in `paged` (the
/// import wrote an HTML redirect page there): Netlify serves a file found at a rule's address
/// rather than apply a rule that is not forced, and on the old site no file was there. Rules
/// with conditions or a status already forced are left as written. Returns the new text and the
/// (1-based) lines forced.
fn force_shadowed(text: &str, paged: &HashSet<&str>) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len() + 8);
    let mut forced = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        // Patterns never have a page of their own.
        let paged = |from: &str| paged.contains(from) && !from.contains(['*', ':']);
        let redirect = match parts[..] {
            [from, to] if paged(from) => Some((from, to, "301")),
            [from, to, status @ ("301" | "302" | "303" | "307" | "308")] if paged(from) => {
                Some((from, to, status))
            }
            _ => None,
        };
        match redirect {
            Some((from, to, status)) => {
                let _ = writeln!(out, "{from} {to} {status}!");
                forced.push(index + 1);
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    (out, forced)
}

/// One `old new 301!` line for each moved URL not in `ruled` (old URLs that have a rule already).
fn moved_rules(
    config: &Config,
    moved: &[(String, String)],
    ruled: &mut HashSet<String>,
) -> Vec<String> {
    let base_path = config.base_path();
    let site = config.base().trim_end_matches('/');
    let mut rules = Vec::new();
    for (old, target) in moved {
        if !ruled.insert(old.clone()) {
            continue;
        }
        // An address of the site itself is written as a path, so the rule holds on any domain
        // the host serves the site at (a preview deploy as well as the production one).
        let target = match target.strip_prefix(site) {
            Some(path) if path.starts_with('/') => format!("{base_path}{path}"),
            _ if target.starts_with('/') => format!("{base_path}{target}"),
            _ => target.clone(),
        };
        rules.push(format!(
            "{} {} {}",
            crate::text::url::encode_path(&format!("{base_path}{old}")),
            crate::text::url::encode_path(&target),
            RedirectsFile::Netlify.permanent()
        ));
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_shadowed_by_an_html_page_are_forced() {
        let text = "# old site\n/old.html /about\n/gone.html /new.html 302\n/x/* /y/:splat 301\n/kept.html /a 301!\n/fr.html /fr 302 Country=fr\n/other.html /b 301";
        let paged: HashSet<&str> =
            ["/old.html", "/gone.html", "/kept.html", "/fr.html", "/x/*"].into();
        let (out, forced) = force_shadowed(text, &paged);
        assert_eq!(
            out,
            "# old site\n/old.html /about 301!\n/gone.html /new.html 302!\n/x/* /y/:splat 301\n/kept.html /a 301!\n/fr.html /fr 302 Country=fr\n/other.html /b 301\n"
        );
        assert_eq!(forced, [2, 3]);
    }
}
