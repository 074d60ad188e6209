//! Collections (`_defis`, `_communaute`, any declared in `_config.yml`) and their `_data` records:
//! the records become a gazette collection, the collection files their bodies. Which front-matter
//! key names a body's record and which fields reference other collections are inferred from the
//! data and written to site.yml with a comment, for the user to correct.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use chrono::NaiveTime;
use serde_json::{Map, Value};

use super::config::quote;
use super::{Ctx, Identity, rewrite, urls};
use crate::diagnostic::{Diagnostic, Text};
use crate::msg;
use crate::source::load::Document;

/// A collection's records and their data file.
struct Matched {
    data_file: String,
    body_key: String,
    records: Map<String, Value>,
}

fn best_match(docs: &[(String, Document)], data: &BTreeMap<String, Value>) -> Option<Matched> {
    let mut best: Option<(usize, Matched)> = None;
    for (data_file, value) in data {
        let Value::Object(records) = value else {
            continue;
        };
        let mut keys: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, doc) in docs {
            for (key, v) in &doc.front {
                if key != "layout" && v.as_str().is_some_and(|s| records.contains_key(s)) {
                    *keys.entry(key.as_str()).or_default() += 1;
                }
            }
        }
        if let Some((key, count)) = keys.into_iter().max_by_key(|(_, c)| *c)
            && count * 2 >= docs.len()
            && best.as_ref().is_none_or(|(b, _)| count > *b)
        {
            best = Some((
                count,
                Matched {
                    data_file: data_file.clone(),
                    body_key: key.to_string(),
                    records: records.clone(),
                },
            ));
        }
    }
    best.map(|(_, m)| m)
}

fn names_in(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// How Jekyll writes the URL of a collection document without a `permalink` setting.
const DEFAULT_PERMALINK: &str = "/:collection/:path:output_ext";

/// The URL template of a document of collection `name` without a permalink of its own: a
/// `defaults` permalink for its path and type, else the collection's, else Jekyll's default.
fn url_template(ctx: &Ctx, name: &str, file: &str) -> String {
    ctx.config
        .default_value(file, name, "permalink")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            ctx.config
                .collections
                .get(name)
                .and_then(|(p, _)| p.clone())
        })
        .unwrap_or_else(|| DEFAULT_PERMALINK.into())
}

/// The documents of a matched collection: (file, document).
type Documents = Vec<(String, Document)>;

/// A collection with `output: false`: Jekyll published none of its files, and templates read its
/// documents as `site.<name>`. They become one data file (`content/data/<name>.yml`, or
/// `<name>-documents.yml` when `_data` has that name): a list of each document's front matter with
/// its `content` and `path`. Never pages, never in the sitemap: such collections often hold
/// personal data (member profiles).
pub(crate) fn import_unpublished(
    ctx: &mut Ctx,
    name: &str,
    files: &[String],
    data: &BTreeMap<String, Value>,
    problems: &mut Vec<Diagnostic>,
) {
    let mut documents = Vec::new();
    for file in files {
        if !super::has_front_matter(&ctx.src.join(file)) {
            ctx.report.skip(
                file,
                msg!(
                    "in the collection `{name}` (`output: false`): Jekyll did not publish it",
                    name
                ),
            );
            continue;
        }
        match super::read_document(&ctx.src, file) {
            Ok((_, doc)) => {
                let mut fields = doc.front.clone();
                fields.insert("content".into(), Value::String(doc.body.clone()));
                fields.insert("path".into(), Value::String(file.clone()));
                documents.push(Value::Object(fields));
            }
            Err(reason) => ctx.report.skip(file, super::unreadable(reason)),
        }
    }
    let data_name = if data.contains_key(name) {
        format!("{name}-documents")
    } else {
        name.to_string()
    };
    let text = serde_json::to_string_pretty(&Value::Array(documents)).unwrap_or_default();
    let dest = format!("{}/{data_name}.yml", crate::source::layout::DATA);
    if let Err(d) = ctx.write(&dest, text.as_bytes()) {
        problems.push(d);
        return;
    }
    ctx.report.count("data files");
    ctx.env
        .collection_data
        .insert(name.to_string(), data_name.clone());
    ctx.report.notes.push(msg!(
        "the collection `{name}` has `output: false`: Jekyll published none of its {n} files; they are data only ({dest}, `data[\"{data_name}\"]` in templates), never pages",
        name,
        n = files.len(),
        dest,
        data_name
    ));
}

/// Imports the collections; `data` holds each `_data` file's value by name.
pub(crate) fn import_collections(
    ctx: &mut Ctx,
    files: &BTreeMap<String, Vec<String>>,
    data: &BTreeMap<String, Value>,
    problems: &mut Vec<Diagnostic>,
) {
    let mut matched: BTreeMap<String, (Matched, Documents)> = BTreeMap::new();
    for (name, list) in files {
        let docs = read_documents(ctx, name, list, problems);
        match best_match(&docs, data) {
            Some(m) => {
                matched.insert(name.clone(), (m, docs));
            }
            None => {
                ctx.report.notes.push(msg!(
                    "the collection `{name}` matches no _data file: its documents are imported as pages at their Jekyll URLs",
                    name
                ));
                for (file, doc) in docs {
                    import_as_page(ctx, name, &file, &doc, problems);
                }
            }
        }
    }
    ctx.site_yml.collections = collections_yml(ctx, &matched);
    for (name, (m, docs)) in matched {
        import_bodies(ctx, &name, &m, docs, problems);
    }
}

/// The documents of a collection folder (its files with front matter, whatever their extension);
/// its other files are copied as they are, like Jekyll did.
fn read_documents(
    ctx: &mut Ctx,
    name: &str,
    files: &[String],
    problems: &mut Vec<Diagnostic>,
) -> Documents {
    let mut docs = Vec::new();
    for file in files {
        if !super::has_front_matter(&ctx.src.join(file)) {
            copy_static(ctx, name, file, problems);
            continue;
        }
        match super::read_document(&ctx.src, file) {
            Ok((_, doc)) => docs.push((file.clone(), doc)),
            Err(reason) => ctx.report.skip(file, super::unreadable(reason)),
        }
    }
    docs
}

fn copy_static(ctx: &mut Ctx, name: &str, file: &str, problems: &mut Vec<Diagnostic>) {
    match std::fs::read(ctx.src.join(file)) {
        Ok(bytes) => {
            let url = format!("/{name}/{}", ctx.collection_path(file));
            let dest = format!("{}{url}", crate::source::layout::ASSETS);
            ctx.old_url(url.clone(), "static", file, Identity::Fixed(url));
            if let Err(d) = ctx.write(&dest, &bytes) {
                problems.push(d);
            }
            ctx.report.count("static files");
        }
        Err(error) => ctx
            .report
            .skip(file, msg!("cannot be read: {error}", error)),
    }
}

/// The `collections:` block of site.yml; names that match no record are noted in the report.
fn collections_yml(ctx: &mut Ctx, matched: &BTreeMap<String, (Matched, Documents)>) -> String {
    let mut yml = String::new();
    for (name, (m, docs)) in matched {
        let (references, missing) = references(name, m, matched);
        let permalink = gazette_permalink(ctx, name);
        let template = record_template(ctx, name, docs);
        let settings = CollectionYml {
            language: &ctx.language,
            permalink: &permalink,
            template: &template,
            references: &references,
            missing: missing.len(),
        };
        write_collection_yml(&mut yml, name, m, &settings);
        for missing in &missing {
            let data_file = &m.data_file;
            ctx.report.notes.push(
                super::report::at(&format!("_data/{data_file}"), missing.clone())
                    .then(" ", msg!("(kept as a name, without a link)")),
            );
        }
    }
    yml
}

/// Reference fields: a field whose names are mostly keys of another collection. Returns the
/// fields with the collection they reference, and the names that match no record there.
fn references(
    name: &str,
    m: &Matched,
    matched: &BTreeMap<String, (Matched, Documents)>,
) -> (BTreeMap<String, String>, Vec<Text>) {
    let mut references: BTreeMap<String, String> = BTreeMap::new();
    let mut missing: Vec<Text> = Vec::new();
    let mut fields: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for (key, record) in &m.records {
        for (field, value) in record.as_object().into_iter().flatten() {
            // A field repeating the record's own key (`title`) is not a reference.
            if value.as_str() != Some(key.as_str()) {
                fields.entry(field.as_str()).or_default().push(value);
            }
        }
    }
    for (field, values) in fields {
        let all: Vec<String> = values
            .iter()
            .flat_map(|v| names_in(v))
            .filter(|s| !s.is_empty())
            .collect();
        if all.is_empty() {
            continue;
        }
        let Some(other) = referenced_collection(name, &all, matched) else {
            continue;
        };
        references.insert(field.to_string(), other.clone());
        let records = &matched[other].0.records;
        for n in all.iter().filter(|n| !records.contains_key(n.as_str())) {
            missing.push(msg!(
                "`{n}` in `{field}` names no record of `{other}`",
                n,
                field,
                other
            ));
        }
    }
    (references, missing)
}

/// The other collection holding most of `names` as record keys, if it holds more than half.
fn referenced_collection<'a>(
    name: &str,
    names: &[String],
    matched: &'a BTreeMap<String, (Matched, Documents)>,
) -> Option<&'a String> {
    matched
        .iter()
        .filter(|(other, _)| *other != name)
        .filter_map(|(other, (m, _))| {
            let hits = names
                .iter()
                .filter(|n| m.records.contains_key(n.as_str()))
                .count();
            (hits * 2 > names.len()).then_some((other, hits))
        })
        .max_by_key(|(_, hits)| *hits)
        .map(|(other, _)| other)
}

/// The collection's Jekyll permalink in gazette's placeholders.
fn gazette_permalink(ctx: &Ctx, name: &str) -> String {
    let jekyll_permalink = url_template(ctx, name, &format!("_{name}/"));
    crate::text::url::normalize_permalink(
        &jekyll_permalink
            .replace(":title", ":slug")
            .replace(":name", ":slug")
            .replace(":path", ":slug")
            .replace(":output_ext", ".html")
            .replace(":collection", name),
    )
}

/// The template of a collection's records: the one converted from the layout most of its
/// documents use, else gazette's generic `record.html`.
fn record_template(ctx: &Ctx, name: &str, docs: &Documents) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (file, doc) in docs {
        if let Some(template) = ctx.template_for(file, name, doc) {
            *counts.entry(template).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map_or_else(|| "record.html".to_string(), |(t, _)| t)
}

/// What a collection's entry of site.yml says besides its records.
struct CollectionYml<'a> {
    language: &'a str,
    permalink: &'a str,
    template: &'a str,
    references: &'a BTreeMap<String, String>,
    missing: usize,
}

/// One collection's entry of the `collections:` block.
fn write_collection_yml(yml: &mut String, name: &str, m: &Matched, settings: &CollectionYml) {
    let CollectionYml {
        language: _,
        permalink,
        template,
        references,
        missing,
    } = *settings;
    let _ = writeln!(yml, "  {name}:");
    let _ = writeln!(yml, "    data: {}", quote(&format!("{}.yml", m.data_file)));
    let _ = writeln!(yml, "    bodies: {}", quote(name));
    let _ = writeln!(
        yml,
        "    body_key: {}  # the front-matter key of _{name}/ files that names their record",
        quote(&m.body_key)
    );
    let _ = writeln!(yml, "    permalink: {}", quote(permalink));
    let _ = writeln!(yml, "    template: {}", quote(template));
    // Jekyll built one page per document, in the site's language only.
    let _ = writeln!(yml, "    languages: [{}]", quote(settings.language));
    let _ = writeln!(
        yml,
        "    body_required: true  # as in Jekyll, only records with a file in _{name}/ have a page"
    );
    if !references.is_empty() {
        let _ = writeln!(
            yml,
            "    references:  # fields naming records of another collection"
        );
        for (field, target) in references {
            let _ = writeln!(yml, "      {}: {}", quote(field), quote(target));
        }
    }
    if missing > 0 {
        let _ = writeln!(
            yml,
            "    allow_missing_references: true  # {missing} names match no record: see the import report",
        );
    }
}

/// Writes the documents of a matched collection as the bodies of its records.
fn import_bodies(
    ctx: &mut Ctx,
    name: &str,
    m: &Matched,
    docs: Documents,
    problems: &mut Vec<Diagnostic>,
) {
    let output = ctx.config.collections.get(name).is_some_and(|(_, o)| *o);
    let mut with_body = HashSet::new();
    for (file, doc) in docs {
        let key = match record_key(name, m, &doc, &with_body) {
            Ok(key) => key,
            Err(reason) => {
                ctx.report.skip(&file, reason);
                continue;
            }
        };
        with_body.insert(key.clone());
        let body = ctx.markdown_body(&file, &doc);
        let relative = ctx.collection_path(&file);
        let dest = format!("{}/{name}/{relative}", crate::source::layout::CONTENT);
        if let Err(d) = ctx.write(&dest, rewrite(&doc, &[], &[], &body).as_bytes()) {
            problems.push(d);
            continue;
        }
        ctx.report.count(&format!("{name} bodies"));
        if output {
            let url = document_url(name, &relative, &doc, &url_template(ctx, name, &file));
            let identity = Identity::Record(name.to_string(), key);
            ctx.redirect_from(&file, &doc, &url, &identity);
            ctx.old_url(url, name, &file, identity);
        }
    }
    ctx.report
        .counts
        .insert(format!("{name} records"), m.records.len());
    note_records_without_body(ctx, name, m, &with_body);
}

/// The record a document is the body of, or why it is none.
fn record_key(
    name: &str,
    m: &Matched,
    doc: &Document,
    with_body: &HashSet<String>,
) -> Result<String, Text> {
    let (body_key, data_file) = (&m.body_key, &m.data_file);
    let Some(key) = doc.str(body_key) else {
        return Err(msg!(
            "it has no `{body_key}` naming its record in _data/{data_file}",
            body_key,
            data_file
        ));
    };
    if !m.records.contains_key(key) {
        return Err(msg!(
            "`{body_key}: {key}` names no record of _data/{data_file}",
            body_key,
            key,
            data_file
        ));
    }
    if with_body.contains(key) {
        return Err(msg!(
            "another file of _{name}/ already names the record `{key}`",
            name,
            key
        ));
    }
    Ok(key.to_string())
}

fn note_records_without_body(ctx: &mut Ctx, name: &str, m: &Matched, with_body: &HashSet<String>) {
    let without: Vec<&String> = m
        .records
        .keys()
        .filter(|k| !with_body.contains(*k))
        .collect();
    if without.is_empty() {
        return;
    }
    let shown: Vec<String> = without.iter().map(|k| format!("`{k}`")).collect();
    ctx.report.notes.push(msg!(
        "_data/{data_file}: {n} records have no file in _{name}/ and so no page (as in Jekyll): {records}",
        data_file = m.data_file,
        n = without.len(),
        name,
        records = shown.join(", ")
    ));
}

/// The Jekyll URL of a collection document.
fn document_url(collection: &str, relative: &str, doc: &Document, template: &str) -> String {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let from_name = urls::date_from_file_name(name);
    let date = doc
        .front
        .get("date")
        .and_then(Value::as_str)
        .and_then(urls::parse_front_date)
        .or_else(|| from_name.as_ref().map(|(d, _)| d.and_time(NaiveTime::MIN)));
    let slug = doc.str("slug").map(str::to_string).unwrap_or_else(|| {
        from_name
            .as_ref()
            .map_or_else(|| stem.to_string(), |(_, s)| s.clone())
    });
    let path = relative.rsplit_once('.').map_or(relative, |(s, _)| s);
    let p = urls::Placeholders {
        output_ext: output_ext(name),
        date,
        title: crate::text::slug::slugify_pretty(&slug),
        slug: crate::text::slug::slugify_default(&slug),
        name: crate::text::slug::slugify_default(stem),
        path: path.to_string(),
        categories: super::posts::categories("", &doc.front).join("/"),
        collection: collection.to_string(),
        ..urls::Placeholders::default()
    };
    match doc.str("permalink") {
        Some(permalink) => urls::expand(permalink, &p),
        None => urls::expand(template, &p),
    }
}

/// The extension Jekyll gives a document's output: `.html` for Markdown and HTML, else the
/// file's own (none for a file without one).
fn output_ext(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    match lower.rsplit_once('.') {
        Some((_, "md" | "markdown" | "html" | "htm")) => ".html".into(),
        Some((_, ext)) => format!(".{ext}"),
        None => String::new(),
    }
}

/// A collection document without records: a page with its Jekyll URL as permalink.
fn import_as_page(
    ctx: &mut Ctx,
    collection: &str,
    file: &str,
    doc: &Document,
    problems: &mut Vec<Diagnostic>,
) {
    let output = ctx
        .config
        .collections
        .get(collection)
        .is_some_and(|(_, o)| *o);
    let relative = ctx.collection_path(file);
    let url = document_url(
        collection,
        &relative,
        doc,
        &url_template(ctx, collection, file),
    );
    // A document that is neither Markdown nor HTML was not converted by Jekyll: an HTML page.
    let lower = relative.to_ascii_lowercase();
    let relative = if [".md", ".markdown", ".html"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        relative
    } else {
        format!("{relative}.html")
    };
    let dest = format!("{}/{collection}/{relative}", crate::source::layout::PAGES);
    let body = ctx.markdown_body(file, doc);
    let mut set = vec![("permalink", quote(&url))];
    if let Some(template) = ctx.template_for(file, collection, doc) {
        set.push(("template", quote(&template)));
    }
    if let Some(target) = super::redirects::redirect_to(doc).filter(|_| ctx.redirects_enabled()) {
        ctx.redirect_to(file, &url, &target);
        return;
    }
    if let Some(aliases) = ctx.redirect_from(file, doc, &url, &Identity::File(dest.clone())) {
        set.push(("aliases", aliases));
    }
    if let Err(d) = ctx.write(
        &dest,
        rewrite(doc, &set, &["redirect_from"], &body).as_bytes(),
    ) {
        problems.push(d);
        return;
    }
    ctx.report.count("pages");
    if output {
        ctx.old_url(url, collection, file, Identity::File(dest));
    }
}
