//! jekyll-redirect-from: `redirect_from` (old paths of a document) becomes gazette's `aliases`
//! (or, for collection records, redirect pages written by the verification step), `redirect_to`
//! replaces the document by a redirect page, and `redirects.json`, the plugin's index, is
//! written as Jekyll wrote it. Every such URL is an old URL of the report.

use serde_json::Value;

use super::{Ctx, Identity};
use crate::msg;

/// The plugin's name in `plugins:` (or `gems:`).
const PLUGIN: &str = "jekyll-redirect-from";

/// `redirect_from` as a list (Jekyll accepts one path or a list).
fn redirect_from(doc: &crate::source::load::Document) -> Vec<String> {
    crate::source::yaml::one_or_many(doc.front.get("redirect_from"))
}

/// `redirect_to`: one address (the first of a list).
pub(crate) fn redirect_to(doc: &crate::source::load::Document) -> Option<String> {
    match doc.front.get("redirect_to") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(items)) => items.first().and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
    .filter(|s| !s.trim().is_empty())
}

impl Ctx {
    /// True when the site enables jekyll-redirect-from.
    pub(crate) fn redirects_enabled(&self) -> bool {
        self.config.plugins.iter().any(|p| p == PLUGIN)
    }

    /// The absolute address Jekyll's redirect pages point to for a URL of the site.
    fn absolute(&self, url: &str) -> String {
        if url.contains("://") || url.starts_with("//") {
            return url.to_string();
        }
        let base = format!(
            "{}{}",
            self.config.url.trim_end_matches('/'),
            self.config.baseurl
        );
        crate::text::url::absolute(&base, url)
    }

    /// A document with `redirect_to`: no page, a redirect page at its URL (written by the
    /// verification step) and an entry of `redirects.json`.
    pub(crate) fn redirect_to(&mut self, file: &str, url: &str, target: &str) {
        if !self.redirects_enabled() {
            return;
        }
        let absolute = self.absolute(target);
        self.old_url(
            url.to_string(),
            "redirect_to",
            file,
            Identity::Fixed(absolute.clone()),
        );
        self.redirect_index
            .insert(url.to_string(), Value::String(absolute));
        self.report.skip(
            file,
            msg!(
                "`redirect_to: {target}`: a redirect page is written at its URL instead",
                target
            ),
        );
    }

    /// The `redirect_from` paths of a document at `url`: recorded as old URLs that must send to
    /// `identity`; returns the `aliases:` line for its front matter (posts and pages), if any.
    pub(crate) fn redirect_from(
        &mut self,
        file: &str,
        doc: &crate::source::load::Document,
        url: &str,
        identity: &Identity,
    ) -> Option<String> {
        if !self.redirects_enabled() {
            if doc.front.contains_key("redirect_from") || doc.front.contains_key("redirect_to") {
                self.ignored_redirects.push(file.to_string());
            }
            return None;
        }
        let mut aliases = Vec::new();
        for old in redirect_from(doc) {
            let path = crate::text::url::normalize_permalink(&old);
            if let Err(why) = crate::text::url::check_safe(&path) {
                self.report
                    .skip(&format!("{file}: redirect_from {old}"), why);
                continue;
            }
            let target = self.absolute(url);
            self.redirect_index
                .insert(old.clone(), Value::String(target.clone()));
            let kind = match identity {
                Identity::File(_) => "redirect_from",
                _ => "redirect",
            };
            self.old_url(path.clone(), kind, file, identity.clone());
            aliases.push(Value::String(path));
        }
        (!aliases.is_empty() && matches!(identity, Identity::File(_)))
            .then(|| Value::Array(aliases).to_string())
    }

    /// Writes `redirects.json` as jekyll-redirect-from does (old path → absolute address).
    pub(crate) fn write_redirect_index(&mut self) -> Result<(), crate::diagnostic::Diagnostic> {
        if !self.redirects_enabled() {
            if !self.ignored_redirects.is_empty() {
                let gemfile = std::fs::read_to_string(self.src.join("Gemfile"))
                    .is_ok_and(|g| g.contains(PLUGIN));
                let note = msg!(
                    "{n} files have `redirect_from` or `redirect_to` ({files}), but {plugin} is not in `plugins` of _config.yml, so Jekyll wrote no redirect for them and none is written",
                    n = self.ignored_redirects.len(),
                    files = self.ignored_redirects.join(", "),
                    plugin = PLUGIN
                );
                self.report.notes.push(if gemfile {
                    note.then("; ", msg!("the Gemfile names the plugin: if the host loaded it, add it to `plugins` and import again"))
                } else {
                    note
                });
            }
            return Ok(());
        }
        let text = Value::Object(std::mem::take(&mut self.redirect_index)).to_string();
        self.write(
            &format!("{}/redirects.json", crate::source::layout::ASSETS),
            text.as_bytes(),
        )?;
        self.old_url(
            "/redirects.json".into(),
            "static",
            "",
            Identity::Fixed("/redirects.json".into()),
        );
        Ok(())
    }
}
