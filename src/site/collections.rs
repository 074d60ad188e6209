//! Collections: records from a data file, their pages and listings, and references between them.

use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::markdown::{self};
use crate::site::RenderedBody;
use crate::site::fields::render_body;
use crate::site::parse_post_file_name;
use crate::site::record_files::{RecordFile, records_from_files};
use crate::source::config::{CollectionConfig, Config, RecordLayout};
use crate::source::load::{DataFile, Document};
use crate::text::url;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// A collection record.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    /// Key in the data file.
    pub key: String,
    /// Title (the `title` field, else the key).
    pub title: String,
    /// URL slug.
    pub slug: String,
    /// Path of its page (in the site's default language).
    pub url: String,
    /// Path of its page in each other language of the site.
    pub other_urls: BTreeMap<String, String>,
    /// Fields as written.
    pub fields: Map<String, Value>,
    /// The Markdown body, if a body file names this record.
    pub body: Option<RenderedBody>,
    /// The body file.
    pub body_file: Option<PathBuf>,
    /// The body file's front matter (`page` on the record's page, as Jekyll's document).
    pub body_front: Map<String, Value>,
    /// The body in each other language that has a body file of its own, with that file.
    pub other_bodies: BTreeMap<String, (RenderedBody, PathBuf)>,
    /// 1-based line of the record's key in the data file (in its own file with `layout: files`).
    pub line: usize,
    /// With `layout: files`, the file the record's fields are written in.
    pub own_file: Option<RecordFile>,
    /// Direct references: field → (collection index, record index).
    pub links: BTreeMap<String, Vec<(usize, usize)>>,
    /// References both ways, grouped by the other collection's name.
    pub related: BTreeMap<String, Vec<(usize, usize)>>,
}

/// A named set of records.
#[derive(Debug, Clone)]
pub(crate) struct Collection {
    /// Name in site.yml.
    pub name: String,
    /// Its configuration.
    pub config: CollectionConfig,
    /// Records sorted by key.
    pub records: Vec<Record>,
    /// Key → index into `records`.
    pub index: HashMap<String, usize>,
    /// The data file.
    pub file: PathBuf,
}

/// Builds every collection of site.yml from its data file and body files, then resolves the
/// references between records. The names of the collections whose data file could not be read
/// are added to `unreadable` (what depends on them is not checked: the root cause comes first).
pub(crate) fn build_collections(
    config: &Config,
    data: &BTreeMap<String, DataFile>,
    body_docs: &mut BTreeMap<String, Vec<Document>>,
    problems: &mut Vec<Diagnostic>,
    unreadable: &mut Vec<String>,
) -> Vec<Collection> {
    let mut collections = Vec::new();
    for (name, collection_config) in &config.collections {
        // Body files in another language (`lang: en`, or under `content/<bodies>/en/`) are the
        // text of the record's page in that language.
        let mut by_language: BTreeMap<String, Vec<Document>> = BTreeMap::new();
        for body in body_docs.remove(name).unwrap_or_default() {
            let lang = crate::site::fields::language_of(&body, config, problems);
            by_language.entry(lang).or_default().push(body);
        }
        let bodies = by_language.remove(&config.language).unwrap_or_default();
        // `layout: files`: the records are the files themselves.
        let (own_data, record_files) = if collection_config.layout == RecordLayout::Files {
            let (data, files) = records_from_files(name, collection_config, &bodies, problems);
            (Some(data), files)
        } else {
            (None, BTreeMap::new())
        };
        let data_file = match &own_data {
            Some(data) => data,
            None => match data_file_of(name, collection_config, data, problems) {
                Some(data) => data,
                None => {
                    unreadable.push(name.clone());
                    continue;
                }
            },
        };
        let Some(records_map) = records_of(data_file, problems) else {
            unreadable.push(name.clone());
            continue;
        };
        let matched = |bodies, problems: &mut Vec<Diagnostic>| {
            match_bodies(
                name,
                collection_config,
                data_file,
                &records_map,
                bodies,
                problems,
            )
        };
        let bodies_by_key = matched(bodies, problems);
        let translated: Vec<(String, HashMap<String, Document>)> = by_language
            .into_iter()
            .map(|(lang, bodies)| (lang, matched(bodies, problems)))
            .collect();
        let key_lines: HashMap<String, usize> =
            crate::source::yaml::top_level_key_lines(&data_file.text)
                .into_iter()
                .collect();
        let mut keys: Vec<&String> = records_map.keys().collect();
        keys.sort();
        let source = RecordSource {
            config,
            collection: collection_config,
            data_file,
        };
        let records: Vec<Record> = keys
            .into_iter()
            .filter_map(|key| {
                let own = record_files.get(key.as_str());
                let line = match (own, bodies_by_key.get(key)) {
                    (Some(_), Some(doc)) => doc.key_line(&collection_config.body_key),
                    _ => key_lines.get(key.as_str()).copied().unwrap_or(1),
                };
                let mut record =
                    source.record(key, line, &records_map, bodies_by_key.get(key), problems)?;
                record.own_file = own.cloned();
                for (lang, bodies) in &translated {
                    if let Some(body) = bodies.get(key) {
                        let rendered = render_body(body, lang, false, config);
                        record
                            .other_bodies
                            .insert(lang.clone(), (rendered, body.file.clone()));
                    }
                }
                Some(record)
            })
            .collect();
        let index = records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.key.clone(), i))
            .collect();
        collections.push(Collection {
            name: name.clone(),
            config: collection_config.clone(),
            records,
            index,
            file: data_file.file.clone(),
        });
    }
    resolve_references(&mut collections, data, problems);
    collections
}

/// The data file a collection reads; an error (once per file) when it does not exist.
fn data_file_of<'a>(
    name: &str,
    collection_config: &CollectionConfig,
    data: &'a BTreeMap<String, DataFile>,
    problems: &mut Vec<Diagnostic>,
) -> Option<&'a DataFile> {
    let data_name = collection_config
        .data
        .trim_end_matches(".yml")
        .trim_end_matches(".yaml");
    let data_path = crate::source::layout::data_folder().join(&collection_config.data);
    let found = data.get(data_name);
    if found.is_none() && !problems.iter().any(|p| p.file == data_path) {
        problems.push(
            Diagnostic::error(
                Rule::Collection,
                crate::source::config::FILE_NAME,
                crate::msg!(
                    "the collection `{name}` reads {file}, which does not exist",
                    name,
                    file = data_path.display()
                ),
            )
            .help(crate::msg!(
                "create {file} or change `collections.{name}.data` in site.yml",
                file = data_path.display(),
                name
            )),
        );
    }
    found
}

/// The records of a collection's data file: a mapping from each record's key to its fields.
fn records_of(data_file: &DataFile, problems: &mut Vec<Diagnostic>) -> Option<Map<String, Value>> {
    match &data_file.value {
        Value::Object(map) => Some(map.clone()),
        Value::Null => Some(Map::new()),
        _ => {
            problems.push(
                Diagnostic::error(
                    Rule::Collection,
                    &data_file.file,
                    crate::msg!(
                        "a collection's data file must map each record's key to its fields"
                    ),
                )
                .at(1, 1)
                .help(crate::msg!(
                    "write `Record name:` at the start of a line, then its fields indented below"
                )),
            );
            None
        }
    }
}

/// Pairs body files with the records they name (`body_key` in their front matter); a body naming
/// no record, or none at all, is an error with the closest key.
fn match_bodies(
    name: &str,
    collection_config: &CollectionConfig,
    data_file: &DataFile,
    records_map: &Map<String, Value>,
    bodies: Vec<Document>,
    problems: &mut Vec<Diagnostic>,
) -> HashMap<String, Document> {
    let mut bodies_by_key: HashMap<String, Document> = HashMap::new();
    for body in bodies {
        match body.str(&collection_config.body_key).map(str::to_string) {
            Some(key) if records_map.contains_key(&key) => {
                bodies_by_key.insert(key, body);
            }
            Some(key) => {
                let suggestion = did_you_mean(&key, records_map.keys().map(String::as_str));
                let help = match suggestion {
                    Some(s) => crate::msg!(
                        "did you mean `{s}`? The value must be a key of {file}",
                        s,
                        file = data_file.file.display()
                    ),
                    None => crate::msg!(
                        "use the exact key of a record in {file}",
                        file = data_file.file.display()
                    ),
                };
                problems.push(
                    Diagnostic::error(
                        Rule::RecordBody,
                        &body.file,
                        crate::msg!("no record of `{name}` is named `{key}`", name, key),
                    )
                    .at(body.key_line(&collection_config.body_key), 1)
                    .help(help),
                );
            }
            None => problems.push(
                Diagnostic::error(
                    Rule::RecordBody,
                    &body.file,
                    crate::msg!(
                        "this file does not say which record of `{name}` it belongs to",
                        name
                    ),
                )
                .at(1, 1)
                .help(crate::msg!(
                    "add `{key}: <record key>` to its front matter",
                    key = collection_config.body_key
                )),
            ),
        }
    }
    bodies_by_key
}

/// What every record of one collection is made from.
struct RecordSource<'a> {
    config: &'a Config,
    collection: &'a CollectionConfig,
    data_file: &'a DataFile,
}

impl RecordSource<'_> {
    /// The file a record's fields are written in: its own with `layout: files`, else the data
    /// file.
    fn file_of<'d>(&'d self, body_doc: Option<&'d Document>) -> &'d std::path::Path {
        match body_doc {
            Some(doc) if self.collection.layout == RecordLayout::Files => &doc.file,
            _ => &self.data_file.file,
        }
    }

    /// The record `key` (at `line` of the data file) with its page URL and rendered body; None,
    /// with an error, when it cannot have one.
    fn record(
        &self,
        key: &str,
        line: usize,
        records_map: &Map<String, Value>,
        body_doc: Option<&Document>,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Record> {
        let file = self.file_of(body_doc);
        let Some(fields) = records_map.get(key).and_then(Value::as_object).cloned() else {
            problems.push(
                Diagnostic::error(
                    Rule::Collection,
                    file,
                    crate::msg!("the record `{key}` has no fields", key),
                )
                .at(line, 1)
                .help(crate::msg!(
                    "indent the record's fields under its key, one `field: value` per line"
                )),
            );
            return None;
        };
        let default_pattern = &self.collection.permalink;
        let url = match self.url(default_pattern, key, &fields, body_doc) {
            Ok(url) => url,
            Err(problem) => {
                problems.push(problem.at(line, 1));
                return None;
            }
        };
        let mut other_urls = BTreeMap::new();
        let languages = self.config.language_codes().into_iter().skip(1);
        for lang in languages.filter(|l| self.collection.has_language(l)) {
            let pattern = self.config.record_permalink(self.collection, &lang);
            match self.url(&pattern, key, &fields, body_doc) {
                Ok(other) if !other.is_empty() => {
                    other_urls.insert(lang, other);
                }
                Ok(_) => {}
                Err(problem) => problems.push(problem.at(line, 1)),
            }
        }
        let title = match self.collection.title_field.as_str() {
            "key" => key.to_string(),
            field => fields
                .get(field)
                .and_then(Value::as_str)
                .unwrap_or(key)
                .to_string(),
        };
        Some(Record {
            title,
            body: body_doc.map(|d| render_body(d, &self.config.language, false, self.config)),
            body_file: body_doc.map(|d| d.file.clone()),
            body_front: body_doc.map(|d| d.front.clone()).unwrap_or_default(),
            other_bodies: BTreeMap::new(),
            key: key.to_string(),
            slug: slug_of(key, &fields, body_doc),
            url,
            other_urls,
            fields,
            line,
            own_file: None,
            links: BTreeMap::new(),
            related: BTreeMap::new(),
        })
    }

    /// The URL of a record's page from the collection's permalink; empty for a record without a
    /// page (`body_required` and no body file).
    fn url(
        &self,
        pattern: &str,
        key: &str,
        fields: &Map<String, Value>,
        body_doc: Option<&Document>,
    ) -> Result<String, Diagnostic> {
        let file = self.file_of(body_doc);
        let from_name = body_doc.and_then(|d| parse_post_file_name(file_name(d)));
        let year = match fields.get("year") {
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::String(s)) => Some(s.clone()),
            _ => from_name
                .as_ref()
                .map(|(d, _)| chrono::Datelike::year(d).to_string()),
        };
        let has_page = body_doc.is_some() || !self.collection.body_required;
        if !has_page {
            return Ok(String::new());
        }
        if pattern.contains(":year") && year.is_none() {
            return Err(Diagnostic::error(
                Rule::Collection,
                file,
                crate::msg!("the record `{key}` has no `year`, which its URL needs", key),
            )
            .help(crate::msg!(
                "add `year: 2024` to the record, or a body file named YYYY-MM-DD-name.md"
            )));
        }
        let url = url::expand(
            pattern,
            &[
                ("year", year.as_deref().unwrap_or("")),
                ("slug", &slug_of(key, fields, body_doc)),
                ("key", &markdown::slugify(key)),
            ],
        );
        url::check_safe(&url).map_err(|message| {
            Diagnostic::error(Rule::Permalink, file, crate::msg!("the record `{key}`:", key).then(" ", message))
                .help(crate::msg!("a record's `slug` and `year` are parts of a path inside the site: use letters, digits and dashes"))
        })?;
        Ok(url)
    }
}

/// The file name of a body file (`2019-03-01-name.md`).
fn file_name(doc: &Document) -> &str {
    doc.relative.rsplit('/').next().unwrap_or(&doc.relative)
}

/// A record's slug: its `slug` field, else its body file's name without date and extension, else
/// its key slugified.
fn slug_of(key: &str, fields: &Map<String, Value>, body_doc: Option<&Document>) -> String {
    if let Some(slug) = fields.get("slug").and_then(Value::as_str) {
        return slug.to_string();
    }
    let Some(name) = body_doc.map(file_name) else {
        return markdown::slugify(key);
    };
    match parse_post_file_name(name) {
        Some((_, slug)) => slug,
        None => name.rsplit_once('.').map_or(name, |(s, _)| s).to_string(),
    }
}

/// Resolves reference fields to records, both ways; a key that names no record is an error.
pub(crate) fn resolve_references(
    collections: &mut [Collection],
    data: &BTreeMap<String, DataFile>,
    problems: &mut Vec<Diagnostic>,
) {
    let position: HashMap<String, usize> = collections
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.clone(), i))
        .collect();
    let mut reverse: Vec<(usize, usize, String, usize, usize)> = Vec::new();
    for ci in 0..collections.len() {
        let references = collections[ci].config.references.clone();
        let text = data
            .values()
            .find(|d| d.file == collections[ci].file)
            .map(|d| d.text.clone())
            .unwrap_or_default();
        for ri in 0..collections[ci].records.len() {
            for (field, target_name) in &references {
                let Some(&ti) = position.get(target_name) else {
                    continue;
                };
                let record = &collections[ci].records[ri];
                let keys = crate::source::yaml::one_or_many(record.fields.get(field));
                let mut found = Vec::new();
                for key in keys {
                    match collections[ti].index.get(&key) {
                        Some(&target) => found.push((ti, target)),
                        None => problems.push(missing_reference(
                            &collections[ci],
                            record,
                            &collections[ti],
                            (field, &key),
                            &text,
                        )),
                    }
                }
                for &(tc, tr) in &found {
                    reverse.push((tc, tr, collections[ci].name.clone(), ci, ri));
                }
                collections[ci].records[ri]
                    .links
                    .insert(field.clone(), found);
            }
        }
    }
    for ci in 0..collections.len() {
        for ri in 0..collections[ci].records.len() {
            let direct: Vec<(usize, usize)> = collections[ci].records[ri]
                .links
                .values()
                .flatten()
                .copied()
                .collect();
            for (tc, tr) in direct {
                let name = collections[tc].name.clone();
                collections[ci].records[ri]
                    .related
                    .entry(name)
                    .or_default()
                    .push((tc, tr));
            }
        }
    }
    for (tc, tr, source_name, ci, ri) in reverse {
        collections[tc].records[tr]
            .related
            .entry(source_name)
            .or_default()
            .push((ci, ri));
    }
    let titles: Vec<Vec<String>> = collections
        .iter()
        .map(|c| c.records.iter().map(|r| r.title.clone()).collect())
        .collect();
    for collection in collections.iter_mut() {
        for record in &mut collection.records {
            for list in record.related.values_mut() {
                list.sort_by(|a, b| titles[a.0][a.1].cmp(&titles[b.0][b.1]));
                list.dedup();
            }
        }
    }
}

/// The finding for `key`, in `field` of `record` (of `collection`), which names no record of
/// `target`: on the line that writes it, with the closest key.
fn missing_reference(
    collection: &Collection,
    record: &Record,
    target: &Collection,
    (field, key): (&str, &str),
    data_text: &str,
) -> Diagnostic {
    let own = record.own_file.as_ref();
    let text = own.map_or(data_text, |o| o.text.as_str());
    let line =
        crate::site::record_files::field_line(own, text, record.line, field).unwrap_or(record.line);
    let item_line = text
        .lines()
        .enumerate()
        .skip(line.saturating_sub(1))
        .take(200)
        .find(|(_, l)| l.contains(key))
        .map_or(line, |(i, _)| i + 1);
    let suggestion = did_you_mean(key, target.records.iter().map(|r| r.key.as_str()));
    let help = match suggestion {
        Some(s) => crate::msg!(
            "did you mean `{s}`? Keys are matched exactly, accents, dashes and capitals included",
            s
        ),
        None => crate::msg!(
            "add a record `{key}` to {file}, or correct the name",
            key,
            file = target.file.display()
        ),
    };
    let target_name = &target.name;
    let message = crate::msg!(
        "`{key}` (in `{field}` of `{record}`) is not a record of `{target_name}`",
        key,
        field,
        record = record.key,
        target_name
    );
    let file = own.map_or(&collection.file, |o| &o.file);
    let diagnostic = if collection.config.allow_missing_references {
        Diagnostic::warning(Rule::Reference, file, message)
    } else {
        Diagnostic::error(Rule::Reference, file, message)
    };
    diagnostic.at(item_line, 1).help(help)
}
