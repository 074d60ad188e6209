//! The index of one language as files: `meta.json` (the slices of terms, each document's kind,
//! the tags), `t/<n>.json` (a slice of sorted terms: term → documents and weights), `d/<n>.json`
//! (a group of documents to show) and `g/<slug>.json` (the documents of a tag, for the filter).

use crate::search::documents::Document;
use crate::search::words;
use rayon::prelude::*;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

/// How much a word weighs where it is found: tags and titles first.
const TAG_WEIGHT: u32 = 12;
const TITLE_WEIGHT: u32 = 8;
const DESCRIPTION_WEIGHT: u32 = 3;
/// The most a body's repeats of one word add.
const BODY_CAP: u32 = 6;
/// A slice of terms is closed once its text passes this many bytes.
const SLICE_BYTES: usize = 24 * 1024;
/// Documents per `d/<n>.json` file.
pub(crate) const GROUP: usize = 16;

/// Each term of a document and its weight.
fn weighted_terms(doc: &Document, lang: &str) -> Vec<(String, u32)> {
    let tags: Vec<String> = (doc.tags.iter().map(|(name, _)| name))
        .chain(&doc.tag_aliases)
        .map(|t| words::fold(t))
        .collect();
    let title = words::fold(&doc.title);
    let description = words::fold(&doc.description);
    let body = words::fold(&doc.body);
    let mut weights: HashMap<std::borrow::Cow<'_, str>, u32> = HashMap::new();
    let parts = (tags.iter().map(|t| (t.as_str(), TAG_WEIGHT, u32::MAX))).chain([
        (title.as_str(), TITLE_WEIGHT, u32::MAX),
        (description.as_str(), DESCRIPTION_WEIGHT, u32::MAX),
        (body.as_str(), 1, BODY_CAP),
    ]);
    for (folded, weight, cap) in parts {
        words::each_term(folded, lang, |term| {
            let w = weights.entry(term).or_insert(0);
            *w = (*w + weight).min(cap.max(*w));
        });
    }
    let mut list: Vec<(String, u32)> = weights
        .into_iter()
        .map(|(term, w)| (term.into_owned(), w))
        .collect();
    list.sort_unstable();
    list
}

/// The files of the index of `docs` in language `lang`: name (relative to the language's folder)
/// → JSON text.
pub(crate) fn files(docs: &[Document], lang: &str) -> Vec<(String, String)> {
    let timer = crate::progress::PhaseTimer::start();
    let per_doc: Vec<Vec<(String, u32)>> =
        docs.par_iter().map(|d| weighted_terms(d, lang)).collect();
    timer.lap("search: words of the documents");
    // Term → (document, weight), documents in order; the terms sorted once at the end (a tree
    // map's string comparisons at every insertion cost seconds on 10,000 posts).
    let mut by_term: HashMap<&str, Vec<(u32, u32)>> = HashMap::new();
    for (d, terms) in per_doc.iter().enumerate() {
        let d = u32::try_from(d).unwrap_or(u32::MAX);
        for (term, weight) in terms {
            by_term.entry(term.as_str()).or_default().push((d, *weight));
        }
    }
    let mut postings: Vec<(&str, Vec<(u32, u32)>)> = by_term.into_iter().collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    timer.lap("search: terms sorted");
    let mut files = Vec::new();
    // Term slices: consecutive sorted terms, each slice about SLICE_BYTES.
    let mut slices: Vec<(String, String)> = Vec::new();
    let mut slice = serde_json::Map::new();
    let mut size = 0;
    let mut first = String::new();
    let mut last = String::new();
    for (term, list) in postings {
        let term = term.to_string();
        let mut encoded = Vec::with_capacity(list.len() * 2);
        let mut previous = 0;
        for (d, w) in list {
            encoded.push(d - previous);
            encoded.push(w);
            previous = d;
        }
        size += term.len() + encoded.len() * 3 + 6;
        if slice.is_empty() {
            first = term.clone();
        }
        last = term.clone();
        slice.insert(term, json!(encoded));
        if size >= SLICE_BYTES {
            files.push((
                format!("t/{}.json", slices.len()),
                Value::Object(slice).to_string(),
            ));
            slices.push((std::mem::take(&mut first), last.clone()));
            slice = serde_json::Map::new();
            size = 0;
        }
    }
    if !slice.is_empty() {
        files.push((
            format!("t/{}.json", slices.len()),
            Value::Object(slice).to_string(),
        ));
        slices.push((first, last));
    }
    for (g, group) in docs.chunks(GROUP).enumerate() {
        let list: Vec<Value> = group
            .iter()
            .map(|d| {
                let tags: Vec<&str> = d.tags.iter().map(|(n, _)| n.as_str()).collect();
                json!([d.url, d.title, d.kind, d.date, d.excerpt, tags])
            })
            .collect();
        files.push((format!("d/{g}.json"), Value::from(list).to_string()));
    }
    let (kinds, codes) = kinds(docs);
    let tags = tag_files(docs, &mut files);
    let meta = json!({
        "version": 1,
        "lang": lang,
        "count": docs.len(),
        "group": GROUP,
        "slices": slices.iter().map(|(a, b)| json!([a, b])).collect::<Vec<_>>(),
        "kinds": kinds,
        "kind_of": codes,
        "tags": tags,
    });
    files.push(("meta.json".into(), meta.to_string()));
    timer.lap("search: files");
    files
}

/// The kinds of documents, first met first, and one character per document (`0` the first
/// kind, `1` the second…).
fn kinds(docs: &[Document]) -> (Vec<String>, String) {
    let mut kinds: Vec<String> = Vec::new();
    let mut codes = String::with_capacity(docs.len());
    for doc in docs {
        let k = match kinds.iter().position(|k| *k == doc.kind) {
            Some(k) => k,
            None => {
                kinds.push(doc.kind.clone());
                kinds.len() - 1
            }
        };
        codes.push(char::from_digit(u32::try_from(k % 36).unwrap_or(0), 36).unwrap_or('0'));
    }
    (kinds, codes)
}

/// `g/<slug>.json` for each tag (its documents, as gaps between numbers) into `files`; and the
/// tags for the filter: `[name, slug, count]`, by slug.
fn tag_files(docs: &[Document], files: &mut Vec<(String, String)>) -> Vec<Value> {
    let mut by_slug: BTreeMap<&str, (&str, Vec<u32>)> = BTreeMap::new();
    for (d, doc) in docs.iter().enumerate() {
        let d = u32::try_from(d).unwrap_or(u32::MAX);
        for (name, slug) in &doc.tags {
            let entry = by_slug.entry(slug).or_insert((name, Vec::new()));
            if entry.1.last() != Some(&d) {
                entry.1.push(d);
            }
        }
    }
    by_slug
        .into_iter()
        .map(|(slug, (name, list))| {
            let mut previous = 0;
            let gaps: Vec<u32> = list
                .iter()
                .map(|&d| {
                    let gap = d - previous;
                    previous = d;
                    gap
                })
                .collect();
            files.push((format!("g/{slug}.json"), json!(gaps).to_string()));
            json!([name, slug, list.len()])
        })
        .collect()
}
