//! Records written one file each (`layout: files` in site.yml): the fields of a record are the
//! front matter of its Markdown file (its key under `body_key`), the body is its page's text.
//! They become the same map from key to fields that a data file gives, so that everything after
//! (pages, references, rules) is the same for both layouts.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, Rule};
use crate::source::config::CollectionConfig;
use crate::source::load::{DataFile, Document};

/// The file a record of `layout: files` is written in, with its front matter's text placed at
/// the same lines as in the file (blank lines before), to point at a field's line.
#[derive(Debug, Clone)]
pub(crate) struct RecordFile {
    /// Path relative to the site folder.
    pub file: PathBuf,
    /// The front matter's text, preceded by as many empty lines as come before it in the file.
    pub text: String,
}

/// The records of collection `name` written one per file in `bodies` (the default language's
/// files): a stand-in data file (the map from key to fields; its path is the folder), and the
/// file of each record. Two files naming the same record: an error on the second.
pub(crate) fn records_from_files(
    name: &str,
    collection: &CollectionConfig,
    bodies: &[Document],
    problems: &mut Vec<Diagnostic>,
) -> (DataFile, BTreeMap<String, RecordFile>) {
    let folder = std::path::Path::new(crate::source::layout::CONTENT)
        .join(collection.bodies.as_deref().unwrap_or(name));
    let mut records = Map::new();
    let mut files = BTreeMap::new();
    for doc in bodies {
        // A file naming no record is reported by the matching of bodies, once.
        let Some(key) = doc.str(&collection.body_key).map(str::to_string) else {
            continue;
        };
        if let Some(first) = files
            .get(&key)
            .map(|f: &RecordFile| f.file.display().to_string())
        {
            problems.push(
                Diagnostic::error(
                    Rule::Collection,
                    &doc.file,
                    crate::msg!(
                        "the record `{key}` is already written in {first}",
                        key,
                        first
                    ),
                )
                .at(doc.key_line(&collection.body_key), 1)
                .help(crate::msg!(
                    "give each record its own name, or remove one of the two files"
                )),
            );
            continue;
        }
        let mut fields = doc.front.clone();
        fields.remove(&collection.body_key);
        records.insert(key.clone(), Value::Object(fields));
        let padding = "\n".repeat(doc.front_line.saturating_sub(1));
        files.insert(
            key,
            RecordFile {
                file: doc.file.clone(),
                text: format!("{padding}{}", doc.front_text),
            },
        );
    }
    let data = DataFile {
        file: folder,
        name: name.to_string(),
        value: Value::Object(records),
        text: String::new(),
    };
    (data, files)
}

/// The 1-based line of `field` in a record: under the record's key line in a data file, at the
/// top level of a record's own file.
pub(crate) fn field_line(
    own: Option<&RecordFile>,
    data_text: &str,
    record_line: usize,
    field: &str,
) -> Option<usize> {
    match own {
        Some(own) => crate::source::yaml::lines_of_key(&own.text, field)
            .first()
            .copied(),
        None => crate::source::yaml::field_line(data_text, record_line, field),
    }
}

/// The records of each collection written one file per record, also readable by templates as
/// the data file they would be in the other layout (`data.people`, from `data: people.yml` or the
/// collection's name), so that a theme reads them the same in both layouts. A real data file of
/// that name wins.
pub(crate) fn as_data(
    collections: &[crate::site::Collection],
    data: &mut BTreeMap<String, DataFile>,
) {
    for collection in collections {
        if collection.config.layout != crate::source::config::RecordLayout::Files {
            continue;
        }
        let stem = collection
            .config
            .data
            .trim_end_matches(".yml")
            .trim_end_matches(".yaml");
        let name = if stem.is_empty() {
            collection.name.as_str()
        } else {
            stem
        };
        if data.contains_key(name) {
            continue;
        }
        let records: Map<String, Value> = collection
            .records
            .iter()
            .map(|r| (r.key.clone(), Value::Object(r.fields.clone())))
            .collect();
        data.insert(
            name.to_string(),
            DataFile {
                file: collection.file.clone(),
                name: name.to_string(),
                value: Value::Object(records),
                text: String::new(),
            },
        );
    }
}
