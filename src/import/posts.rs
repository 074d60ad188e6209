//! Posts: `_posts/**` and `<lang>/_posts/**` (`YYYY-MM-DD-` and `YY-MM-DD-` names), `_drafts/`
//! and `_`-prefixed files (kept as drafts), front-matter `date` over the file name, `published`,
//! front-matter permalinks with placeholders, and each post's Jekyll URL.

use chrono::{NaiveDateTime, NaiveTime};
use serde_json::Value;

use super::config::quote;
use super::{Ctx, Identity, liquid, rewrite, urls};
use crate::diagnostic::Diagnostic;

/// The gazette post permalink pattern closest to a Jekyll permalink style.
pub(crate) fn gazette_pattern(style: &str) -> String {
    let template = urls::style_template(style);
    let pattern = template
        .replace(":categories/", "")
        .replace(":categories", "")
        .replace(":title", ":slug")
        .replace(":output_ext", ".html");
    crate::text::url::normalize_permalink(&pattern)
}

fn categories(folder: &str, front: &serde_json::Map<String, Value>) -> Vec<String> {
    let mut out: Vec<String> = folder
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    for key in ["categories", "category"] {
        match front.get(key) {
            Some(Value::String(s)) => out.extend(s.split_whitespace().map(str::to_string)),
            Some(Value::Array(items)) => {
                out.extend(items.iter().filter_map(|v| v.as_str().map(str::to_string)))
            }
            _ => {}
        }
    }
    out
}

/// Imports every post and draft.
pub(crate) fn import_posts(ctx: &mut Ctx, files: &[String], problems: &mut Vec<Diagnostic>) {
    ctx.site_yml.post_permalink = gazette_pattern(&ctx.config.permalink);
    let today = chrono::Local::now().naive_local();
    for file in files {
        let (folder, marker, rest) = match file.find("_posts/").or_else(|| file.find("_drafts/")) {
            Some(at) => {
                let marker = if file[at..].starts_with("_posts/") {
                    "_posts/"
                } else {
                    "_drafts/"
                };
                (
                    file[..at].trim_end_matches('/'),
                    marker,
                    &file[at + marker.len()..],
                )
            }
            None => continue,
        };
        let in_drafts = marker == "_drafts/";
        let name = rest.rsplit('/').next().unwrap_or(rest);
        let lower = name.to_ascii_lowercase();
        let Some(ext) = [".md", ".markdown", ".html", ".htm"]
            .into_iter()
            .find(|e| lower.ends_with(e))
        else {
            ctx.report.skip(file, "not a Markdown or HTML post: move it out of _posts/ (images belong with the static files)");
            continue;
        };
        let (original, doc) = match super::read_document(&ctx.src, file) {
            Ok(read) => read,
            Err(reason) => {
                ctx.report.skip(file, format!("cannot be read: {reason}"));
                continue;
            }
        };
        let _ = original;
        let underscore = name.starts_with('_');
        let draft = in_drafts || underscore;
        let from_name = urls::date_from_file_name(name.trim_start_matches('_'));
        let front_date = match doc.front.get("date") {
            Some(Value::String(text)) => urls::parse_front_date(text),
            _ => None,
        };
        if doc.front.get("date").is_some_and(|d| !d.is_null()) && front_date.is_none() {
            ctx.report.notes.push(format!(
                "{file}: the front-matter `date` is not a date gazette reads; fix it to YYYY-MM-DD"
            ));
        }
        let date: Option<NaiveDateTime> =
            front_date.or_else(|| from_name.as_ref().map(|(d, _)| d.and_time(NaiveTime::MIN)));
        let stem = name.trim_start_matches('_');
        let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
        let file_slug = from_name
            .as_ref()
            .map_or_else(|| stem.to_string(), |(_, s)| s.clone());
        if !draft && from_name.is_none() {
            ctx.report.skip(file, "Jekyll did not publish it: a post's file name must start with its date (YYYY-MM-DD-)");
            continue;
        }
        let mut set: Vec<(&str, String)> = Vec::new();
        let date = match date {
            Some(d) => d,
            None => {
                // A draft without a date: Jekyll used the file's modification time.
                let modified = std::fs::metadata(ctx.src.join(file))
                    .and_then(|m| m.modified())
                    .ok();
                let d = modified.map_or(today, |m| {
                    chrono::DateTime::<chrono::Local>::from(m).naive_local()
                });
                set.push(("date", quote(&d.format("%Y-%m-%d").to_string())));
                d
            }
        };
        if in_drafts {
            set.push(("draft", "true".into()));
        }
        let fm_slug = doc.str("slug").map(str::to_string);
        let slug_source = fm_slug.clone().unwrap_or_else(|| file_slug.clone());
        let lang = ctx.lang_of(file);
        let placeholders = urls::Placeholders {
            date: Some(date),
            title: crate::text::slug::slugify_pretty(&slug_source),
            slug: crate::text::slug::slugify_default(&slug_source),
            name: crate::text::slug::slugify_default(stem),
            categories: categories(folder, &doc.front).join("/"),
            output_ext: ".html".into(),
            ..urls::Placeholders::default()
        };
        let jekyll_url = match doc.str("permalink") {
            Some(p) => urls::expand(p, &placeholders),
            None => urls::expand(&urls::style_template(&ctx.config.permalink), &placeholders),
        };
        let gazette_slug = fm_slug.unwrap_or(file_slug);
        let gazette_url = ctx.lang_prefix(&lang)
            + &crate::text::url::expand(
                &ctx.site_yml.post_permalink,
                &[
                    ("year", &date.format("%Y").to_string()),
                    ("month", &date.format("%m").to_string()),
                    ("day", &date.format("%d").to_string()),
                    ("slug", &gazette_slug),
                    ("lang", &lang),
                ],
            );
        if doc.front.contains_key("permalink")
            || urls::served_file(&gazette_url) != urls::served_file(&jekyll_url)
        {
            set.push(("permalink", quote(&jekyll_url)));
        }
        if doc.str("lang-ref").is_none()
            && doc.str("translation_key").is_none()
            && let Some(reference) = doc.front.get("ref").and_then(|v| {
                v.as_str()
                    .map(str::to_string)
                    .or_else(|| Some(v.to_string()))
            })
        {
            set.push(("translation_key", quote(&reference)));
        }
        let converted = if liquid::has_liquid(&doc.body) {
            let c = liquid::convert(&doc.body, liquid::Mode::Markdown, &ctx.env, doc.body_line);
            ctx.report_liquid(file, &c);
            c.text
        } else {
            doc.body.clone()
        };
        let folder_out = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        let drafts_out = if in_drafts { "drafts/" } else { "" };
        let rest_dir = rest
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| format!("{d}/"));
        let out_name = if ext == ".md" || ext == ".markdown" {
            name.to_string()
        } else {
            format!("{}.md", &name[..name.len() - ext.len()])
        };
        let dest_file = format!("content/posts/{folder_out}{drafts_out}{rest_dir}{out_name}");
        let text = rewrite(&doc, &set, &[], &converted);
        if let Err(d) = ctx.write(&dest_file, text.as_bytes()) {
            problems.push(d);
            continue;
        }
        let published = doc.front.get("published").and_then(Value::as_bool) != Some(false);
        let future_hidden = date > today && !ctx.config.future;
        if draft {
            ctx.report.count("drafts");
        } else {
            ctx.report.count("posts");
        }
        if !draft && published && !future_hidden {
            *ctx.published_posts.entry(lang).or_default() += 1;
            ctx.old_url(jekyll_url, "post", file, Identity::File(dest_file));
        }
    }
}
