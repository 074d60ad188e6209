//! `gazette new challenge NAME`, `gazette new person NAME` (any collection): a new record added
//! at the end of the collection's data file, with what gazette can fill (its year, its title) and
//! the fields the collection's rules require listed as comments; and its Markdown body file when
//! the collection has one. Once the listed lines are filled, the record passes the rules.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Lang, Rule, Text};
use crate::msg;
use crate::source::config::{CollectionConfig, Config, RecordRules};
use crate::source::yaml::quoted;

/// What `gazette new <record>` made.
#[derive(Debug, Clone)]
pub struct CreatedRecord {
    /// The data file the record was added to.
    pub data_file: PathBuf,
    /// The record's line in it.
    pub line: usize,
    /// Its Markdown body file, when the collection has a folder of bodies.
    pub body_file: Option<PathBuf>,
    /// The fields still to fill (listed as comments under the record).
    pub to_fill: Vec<String>,
    /// The record's page, from the site root, when the site loads.
    pub url: Option<String>,
}

/// Adds the record `name` to the collection `kind` names (`challenge`, `person`, `challenges`,
/// `défi`…).
pub fn new_record(root: &Path, kind: &str, name: &str) -> Result<CreatedRecord, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let name = name.trim();
    let (collection_name, collection) = collection_for(&config, kind).ok_or_else(|| {
        let known: Vec<&str> = config.collections.keys().map(String::as_str).collect();
        vec![
            Diagnostic::error(
                Rule::New,
                crate::source::config::FILE_NAME,
                msg!("site.yml has no collection of `{kind}`", kind),
            )
            .help(msg!(
                "name one of the collections of site.yml: {known}",
                known = known.join(", ")
            )),
        ]
    })?;
    let slug = crate::markdown::slugify(name);
    if slug.is_empty() {
        return Err(vec![
            Diagnostic::error(
                Rule::New,
                crate::source::layout::CONTENT,
                msg!("cannot make an address from the name `{name}`", name),
            )
            .help(msg!("give a name with at least one letter or digit")),
        ]);
    }
    let data_file = crate::source::layout::data_folder().join(&collection.data);
    let text = std::fs::read_to_string(root.join(&data_file)).unwrap_or_default();
    if crate::source::yaml::top_level_key_lines(&text)
        .iter()
        .any(|(key, _)| key == name)
    {
        return Err(vec![
            Diagnostic::error(
                Rule::New,
                &data_file,
                msg!(
                    "`{name}` is already a record of `{collection}`",
                    name,
                    collection = collection_name
                ),
            )
            .help(msg!("choose another name or edit the existing record")),
        ]);
    }
    let rules = config
        .rules
        .collections
        .get(&collection_name)
        .cloned()
        .unwrap_or_default();
    let today = chrono::Local::now().date_naive();
    let lang = Lang::from_code(&config.language).unwrap_or_default();
    let (block, to_fill) = record_block(name, collection, &rules, today, lang);
    if collection.layout == crate::source::config::RecordLayout::Files {
        // One file per record: the fields in its front matter, the page's text below.
        let folder = collection.bodies.as_deref().unwrap_or(&collection_name);
        let fields: String = block
            .lines()
            .skip(1)
            .map(|l| format!("{}\n", l.strip_prefix("  ").unwrap_or(l)))
            .collect();
        let file = new_body(root, folder, collection, name, &slug, today, lang)?;
        let written = std::fs::read_to_string(root.join(&file)).unwrap_or_default();
        let key_line = format!("{}: {}\n", collection.body_key, quoted(name));
        write(
            root,
            &file,
            &written.replacen(&key_line, &format!("{key_line}{fields}"), 1),
        )?;
        return Ok(CreatedRecord {
            data_file: file,
            line: 2,
            body_file: None,
            to_fill,
            url: record_url(root, &collection_name, name),
        });
    }
    let mut new_text = text.clone();
    if !new_text.is_empty() && !new_text.ends_with('\n') {
        new_text.push('\n');
    }
    new_text.push('\n');
    let line = new_text.lines().count() + 1;
    new_text.push_str(&block);
    let body_file = match &collection.bodies {
        Some(folder) => Some(new_body(
            root, folder, collection, name, &slug, today, lang,
        )?),
        None => None,
    };
    write(root, &data_file, &new_text)?;
    Ok(CreatedRecord {
        data_file,
        line,
        body_file,
        to_fill,
        url: record_url(root, &collection_name, name),
    })
}

/// The new record's page, from the site as the preview loads it; None when the site has errors
/// that keep the record out.
fn record_url(root: &Path, collection: &str, key: &str) -> Option<String> {
    let options = crate::site::BuildOptions {
        drafts: true,
        future: true,
        ..crate::site::BuildOptions::default()
    };
    let (site, _) = crate::site::load_lenient(root, &options);
    let site = site?;
    let collection = site.collections.iter().find(|c| c.name == collection)?;
    let record = collection.records.iter().find(|r| r.key == key)?;
    (!record.url.is_empty()).then(|| record.url.clone())
}

/// The collection a word of the command names: its name (`challenges`), its name in the singular
/// (`challenge`, `person` for `people`), or the folder of its pages in the singular (`defi` for
/// `/defis/`, accents left out).
fn collection_for<'a>(config: &'a Config, kind: &str) -> Option<(String, &'a CollectionConfig)> {
    let wanted = deunicode::deunicode(kind.trim()).to_lowercase();
    let singular = |word: &str| -> String {
        let word = deunicode::deunicode(word).to_lowercase();
        match word.as_str() {
            "people" => "person".to_string(),
            _ => word.strip_suffix('s').unwrap_or(&word).to_string(),
        }
    };
    config.collections.iter().find_map(|(name, collection)| {
        let folder = collection
            .permalink
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or("");
        let names = [name.as_str(), folder];
        names
            .iter()
            .any(|n| {
                !n.is_empty()
                    && (wanted == singular(n) || wanted == deunicode::deunicode(n).to_lowercase())
            })
            .then(|| (name.clone(), collection))
    })
}

/// The record's lines for the data file, and the fields left to fill.
fn record_block(
    name: &str,
    collection: &CollectionConfig,
    rules: &RecordRules,
    today: chrono::NaiveDate,
    lang: Lang,
) -> (String, Vec<String>) {
    let mut block = format!("{}:\n", quoted(name));
    let mut given: Vec<&str> = Vec::new();
    if collection.permalink.contains(":year") || rules.required.iter().any(|f| f == "year") {
        block.push_str(&format!("  year: {}\n", chrono::Datelike::year(&today)));
        given.push("year");
    }
    let title_field = collection.title_field.as_str();
    if title_field != "key" && rules.required.iter().any(|f| f == title_field) {
        block.push_str(&format!("  {title_field}: {}\n", quoted(name)));
        given.push(title_field);
    }
    let to_fill: Vec<String> = rules
        .required
        .iter()
        .filter(|f| !given.contains(&f.as_str()))
        .cloned()
        .collect();
    if !to_fill.is_empty() {
        let note = msg!(
            "To fill (required by the rules of site.yml): remove the `# ` and complete each line."
        );
        block.push_str(&format!("  # {}\n", note.in_lang(lang)));
        for field in &to_fill {
            let value = placeholder(field, collection, rules, lang);
            block.push_str(&format!("  # {field}: {value}\n"));
        }
    }
    (block, to_fill)
}

/// An empty value for a field to fill, and what it must hold.
fn placeholder(
    field: &str,
    collection: &CollectionConfig,
    rules: &RecordRules,
    lang: Lang,
) -> String {
    if let Some(allowed) = rules.enums.get(field) {
        let values: Vec<String> = allowed
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect();
        let values = values.join(", ");
        return format!("   # {}", msg!("one of: {values}", values).in_lang(lang));
    }
    if let Some(target) = collection.references.get(field) {
        return format!(
            "[]   # {}",
            msg!("names of records of `{target}`", target).in_lang(lang)
        );
    }
    let kind = if rules.images.iter().any(|f| f == field) {
        msg!("an image under assets/img/, e.g. \"/img/photo.jpg\"")
    } else if rules.handles.iter().any(|f| f == field) {
        msg!("the account name only: no @, no https://")
    } else if rules.https.iter().any(|f| f == field) {
        msg!("a full address starting with https://")
    } else {
        return "\"\"".to_string();
    };
    format!("\"\"   # {}", kind.in_lang(lang))
}

/// Writes the record's Markdown body file: `content/<bodies>/<today>-<slug>.md`.
fn new_body(
    root: &Path,
    folder: &str,
    collection: &CollectionConfig,
    name: &str,
    slug: &str,
    today: chrono::NaiveDate,
    lang: Lang,
) -> Result<PathBuf, Vec<Diagnostic>> {
    let path = Path::new(crate::source::layout::CONTENT)
        .join(folder)
        .join(format!("{}-{slug}.md", today.format("%Y-%m-%d")));
    let text = format!(
        "---\n{}: {}\n---\n\n{}\n",
        collection.body_key,
        quoted(name),
        msg!("The text of the record's page, in Markdown.").in_lang(lang)
    );
    if root.join(&path).exists() {
        return Err(vec![already_there(&path)]);
    }
    write(root, &path, &text)?;
    Ok(path)
}

fn already_there(path: &Path) -> Diagnostic {
    Diagnostic::error(Rule::New, path, msg!("this file already exists"))
        .help(msg!("choose another name or edit the existing file"))
}

fn write(root: &Path, relative: &Path, text: &str) -> Result<(), Vec<Diagnostic>> {
    let full = root.join(relative);
    let created = full
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&full, text));
    created.map_err(|e| {
        let error: Text = msg!("cannot create this file: {e}", e);
        vec![
            Diagnostic::error(Rule::New, relative, error)
                .help(msg!("check that you may write in this folder")),
        ]
    })
}
