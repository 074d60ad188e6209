//! The Decap CMS configuration (`/admin/config.yml`) made from site.yml: one Decap collection for
//! the posts of each language and one for each collection written one file per record, with
//! fields and widgets from the content rules (`rules:`), so that the editor asks for what a build
//! requires. Made again for every request of the preview and every build: it never drifts from
//! site.yml.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::diagnostic::Lang;
use crate::source::config::{CollectionConfig, Config, PostRules, RecordLayout, RecordRules};

/// Where the editor saves.
pub(crate) enum Backend<'a> {
    /// Through `gazette serve`'s own API at `{origin}/api/v1`, for the preview at `origin`
    /// (`http://127.0.0.1:1111`).
    Local(&'a str),
    /// Through the Git backend of site.yml's `admin.backend` (the published editor).
    Published,
}

/// Where `gazette serve` answers the editor, under the preview's address.
pub(crate) const API_PATH: &str = "/api/v1";

/// The folder (under the site) where pictures added in the editor go, and their public path.
pub(crate) fn media_folders(config: &Config) -> (String, String) {
    let media = config.admin.media.trim_matches('/');
    (
        format!("{}/{media}", crate::source::layout::ASSETS),
        format!("/{media}"),
    )
}

/// The configuration's text (YAML).
pub(crate) fn config_yml(config: &Config, root: &Path, backend: &Backend) -> String {
    let lang = Lang::from_code(&config.language).unwrap_or_default();
    let (media_folder, public_folder) = media_folders(config);
    let mut out = Map::new();
    match backend {
        Backend::Local(origin) => {
            // Decap asks `gazette serve` (its local backend) instead of Git: no account needed.
            let url = format!("{origin}{API_PATH}");
            out.insert("backend".into(), json!({"name": "proxy", "proxy_url": url}));
            out.insert("local_backend".into(), json!({"url": url}));
        }
        Backend::Published => {
            out.insert(
                "backend".into(),
                Value::Object(config.admin.backend.clone()),
            );
        }
    }
    out.insert("publish_mode".into(), json!("simple"));
    out.insert("locale".into(), json!(config.language));
    let site_url = match backend {
        Backend::Local(origin) => format!("{origin}{}", config.base_path()),
        Backend::Published => config.base().to_string(),
    };
    out.insert("site_url".into(), json!(site_url));
    out.insert("media_folder".into(), json!(media_folder));
    out.insert("public_folder".into(), json!(public_folder));
    // File names as gazette's slugs: ASCII, accents dropped, words joined by dashes.
    out.insert(
        "slug".into(),
        json!({"encoding": "ascii", "clean_accents": true, "sanitize_replacement": "-"}),
    );
    let mut collections = posts_collections(config, lang);
    for (name, collection) in &config.collections {
        if collection.layout == RecordLayout::Files {
            collections.push(record_collection(config, root, name, collection, lang));
        }
    }
    out.insert("collections".into(), Value::Array(collections));
    let mut text = crate::msg!(
        "# Made by gazette from site.yml for Decap CMS (the editor at /admin/): do not edit, it is made again on every build and preview."
    )
    .in_lang(lang);
    text.push('\n');
    let kept_out: Vec<&String> = config
        .collections
        .iter()
        .filter(|(_, c)| c.layout == RecordLayout::Map)
        .map(|(name, _)| name)
        .collect();
    for name in kept_out {
        text.push_str(
            &crate::msg!(
                "# `{name}` is one data file (layout: map), which Decap cannot edit: `gazette records split {name}` writes one file per record.",
                name
            )
            .in_lang(lang),
        );
        text.push('\n');
    }
    text.push_str(&crate::source::yaml::to_text(&Value::Object(out)));
    text
}

/// One folder collection of posts for each language of the site (its posts' folder).
fn posts_collections(config: &Config, lang: Lang) -> Vec<Value> {
    let rules = config.rules.posts.clone().unwrap_or_default();
    let fields = post_fields(config, &rules, lang);
    config
        .language_codes()
        .into_iter()
        .map(|code| {
            let folder = if code == config.language {
                crate::source::layout::POSTS.to_string()
            } else {
                format!("{}/{code}", crate::source::layout::POSTS)
            };
            let mut fields = fields.clone();
            if code != config.language {
                fields.insert(
                    0,
                    json!({"name": "lang", "label": "lang", "widget": "hidden", "default": code}),
                );
            }
            json!({
                "name": format!("posts-{code}"),
                "label": crate::msg!("Posts ({code})", code).in_lang(lang),
                "label_singular": crate::msg!("Post").in_lang(lang),
                "folder": folder,
                "create": true,
                "extension": "md",
                "format": "frontmatter",
                // gazette's post file names: the date, then the title's slug.
                "slug": "{{year}}-{{month}}-{{day}}-{{slug}}",
                "summary": "{{title}}",
                "sortable_fields": ["title"],
                "fields": fields,
            })
        })
        .collect()
}

/// The fields of a post: the title, what the rules require, the tags, pictures, the body.
fn post_fields(config: &Config, rules: &PostRules, lang: Lang) -> Vec<Value> {
    let mut names: Vec<String> = vec!["title".into()];
    for name in rules
        .required
        .iter()
        .chain(&rules.images)
        .chain(&rules.handles)
        .chain(["description".to_string(), "tags".to_string()].iter())
    {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    let mut fields: Vec<Value> = names
        .iter()
        .map(|name| {
            let mut field = match name.as_str() {
                "tags" => tags_field(rules),
                "description" => json!({"widget": "text"}),
                "date" => json!({"widget": "datetime", "format": "YYYY-MM-DD"}),
                _ if rules.images.contains(name) => json!({"widget": "image"}),
                _ if rules.handles.contains(name) => handle_field(lang),
                _ => json!({"widget": "string"}),
            };
            field["name"] = json!(name);
            field["label"] = json!(label(name, lang));
            field["required"] = json!(name == "title" || rules.required.contains(name));
            match name.as_str() {
                "author" if !config.author.is_empty() => field["default"] = json!(config.author),
                "twitter" if !config.twitter.is_empty() => {
                    field["default"] = json!(config.twitter);
                }
                _ => {}
            }
            field
        })
        .collect();
    fields.push(json!({"name": "body", "label": label("body", lang), "widget": "markdown", "required": false}));
    fields
}

/// The tags: a choice among `allowed_tags` when the rules give them, else free words.
fn tags_field(rules: &PostRules) -> Value {
    let mut field = if rules.allowed_tags.is_empty() {
        json!({"widget": "list"})
    } else {
        json!({"widget": "select", "multiple": true, "options": rules.allowed_tags})
    };
    if let Some(min) = rules.min_tags {
        field["min"] = json!(min);
    }
    if let Some(max) = rules.max_tags {
        field["max"] = json!(max);
    }
    field
}

/// An account name: no `@`, no address.
fn handle_field(lang: Lang) -> Value {
    json!({
        "widget": "string",
        "pattern": ["^[^@/:\\s]*$", crate::msg!("the account name alone, without @ or https://").in_lang(lang)],
    })
}

/// A collection written one file per record: a folder collection of its files.
fn record_collection(
    config: &Config,
    root: &Path,
    name: &str,
    collection: &CollectionConfig,
    lang: Lang,
) -> Value {
    let rules = config
        .rules
        .collections
        .get(name)
        .cloned()
        .unwrap_or_default();
    let folder = format!(
        "{}/{}",
        crate::source::layout::CONTENT,
        collection.bodies.as_deref().unwrap_or(name)
    );
    let mut fields = vec![json!({
        "name": collection.body_key,
        "label": label(&collection.body_key, lang),
        "widget": "string",
        "required": true,
    })];
    for (field, kinds) in record_field_names(root, &folder, collection, &rules) {
        fields.push(record_field(
            config, collection, &rules, &field, kinds, lang,
        ));
    }
    fields.push(json!({"name": "body", "label": label("body", lang), "widget": "markdown", "required": false}));
    json!({
        "name": name,
        "label": name,
        "folder": folder,
        "create": true,
        "extension": "md",
        "format": "frontmatter",
        "identifier_field": collection.body_key,
        "slug": "{{year}}-{{month}}-{{day}}-{{slug}}",
        "summary": format!("{{{{{}}}}}", collection.body_key),
        "fields": fields,
    })
}

/// What the values of a field look like in the records written so far.
#[derive(Debug, Default, Clone, Copy)]
struct Seen {
    list: bool,
    number: bool,
    boolean: bool,
    long: bool,
}

/// The fields of a collection's records: what the rules name, then what the files hold, in the
/// order first met (with what their values look like).
fn record_field_names(
    root: &Path,
    folder: &str,
    collection: &CollectionConfig,
    rules: &RecordRules,
) -> Vec<(String, Seen)> {
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut note = |name: &str, value: Option<&Value>, order: &mut Vec<String>| {
        if name == collection.body_key || name == "lang" {
            return;
        }
        if !order.iter().any(|n| n == name) {
            order.push(name.to_string());
        }
        let entry = seen.entry(name.to_string()).or_default();
        match value {
            Some(Value::Array(_)) => entry.list = true,
            Some(Value::Number(_)) => entry.number = true,
            Some(Value::Bool(_)) => entry.boolean = true,
            Some(Value::String(s)) if s.len() > 80 => entry.long = true,
            _ => {}
        }
    };
    let named = rules
        .required
        .iter()
        .chain(rules.enums.keys())
        .chain(&rules.images)
        .chain(&rules.https)
        .chain(&rules.handles)
        .chain(collection.references.keys());
    for name in named {
        note(name, None, &mut order);
    }
    for front in record_fronts(root, folder) {
        for (name, value) in &front {
            note(name, Some(value), &mut order);
        }
    }
    order
        .into_iter()
        .map(|name| {
            let kinds = seen.get(&name).copied().unwrap_or_default();
            (name, kinds)
        })
        .collect()
}

/// The front matter of every record file of `folder` (those that read).
fn record_fronts(root: &Path, folder: &str) -> Vec<Map<String, Value>> {
    let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && p.is_file())
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            crate::source::load::parse_document(&text, path, "").ok()
        })
        .map(|doc| doc.front)
        .collect()
}

/// One field of a record, its widget from the rules (enum → select, image → image, reference →
/// relation) or from the values written so far.
fn record_field(
    config: &Config,
    collection: &CollectionConfig,
    rules: &RecordRules,
    name: &str,
    seen: Seen,
    lang: Lang,
) -> Value {
    let target = collection
        .references
        .get(name)
        .and_then(|t| config.collections.get(t).map(|c| (t, c)));
    let mut field = if let Some(values) = rules.enums.get(name) {
        let options: Vec<Value> = values
            .iter()
            .map(|v| match v {
                Value::String(_) => v.clone(),
                other => json!({"label": other.to_string(), "value": other}),
            })
            .collect();
        json!({"widget": "select", "options": options})
    } else if rules.images.contains(&name.to_string()) {
        json!({"widget": "image"})
    } else if let Some((target_name, target)) =
        target.filter(|(_, t)| t.layout == RecordLayout::Files)
    {
        json!({
            "widget": "relation",
            "collection": target_name,
            "search_fields": [target.body_key],
            "value_field": target.body_key,
            "display_fields": [target.body_key],
            "multiple": true,
        })
    } else if rules.https.contains(&name.to_string()) {
        json!({"widget": "string", "pattern": ["^https://", crate::msg!("a web address starting with https://").in_lang(lang)]})
    } else if rules.handles.contains(&name.to_string()) {
        handle_field(lang)
    } else if seen.list || target.is_some() {
        json!({"widget": "list"})
    } else if seen.number {
        json!({"widget": "number", "value_type": "int"})
    } else if seen.boolean {
        json!({"widget": "boolean"})
    } else if seen.long {
        json!({"widget": "text"})
    } else {
        json!({"widget": "string"})
    };
    field["name"] = json!(name);
    field["label"] = json!(label(name, lang));
    field["required"] = json!(rules.required.iter().any(|r| r == name));
    field
}

/// The label of a field: gazette's words for the usual ones, the key itself otherwise.
fn label(name: &str, lang: Lang) -> String {
    let text = match name {
        "title" => crate::msg!("Title"),
        "body" => crate::msg!("Text"),
        "description" => crate::msg!("Description"),
        "author" => crate::msg!("Author"),
        "image" => crate::msg!("Image"),
        "tags" => crate::msg!("Tags"),
        "name" => crate::msg!("Name"),
        "year" => crate::msg!("Year"),
        "role" => crate::msg!("Role"),
        _ => return name.to_string(),
    };
    text.in_lang(lang)
}
