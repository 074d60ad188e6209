//! The settings of one collection in site.yml (`collections.<name>`), and of the browser editor
//! (`admin:`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A named record set: records in a data file, optional Markdown bodies, a page per record.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CollectionConfig {
    /// The data file under `content/data/` holding the records, a map from key to fields
    /// (`layout: map`, the default); unused with `layout: files`.
    #[serde(default)]
    pub data: String,
    /// Where the records are written: `map` (one data file keyed by name, plus optional body
    /// files) or `files` (one Markdown file per record in `bodies`, its fields in the front
    /// matter, the body being the page). `gazette records split|join` converts between them.
    #[serde(default)]
    pub layout: RecordLayout,
    /// Folder under `content/` holding Markdown bodies for records.
    #[serde(default)]
    pub bodies: Option<String>,
    /// The front-matter key of a body file that names its record.
    #[serde(default = "default_body_key")]
    pub body_key: String,
    /// URL pattern of a record's page: `:slug`, `:year`, `:key`.
    pub permalink: String,
    /// URL of the listing page, if any.
    #[serde(default)]
    pub listing: Option<String>,
    /// The URL pattern of the record pages of each other language (`en: "/en/challenges/:slug.html"`);
    /// by default, the language's prefix before `permalink` (`/en/defis/:year/:slug.html`).
    #[serde(default)]
    pub permalinks: BTreeMap<String, String>,
    /// The listing URL of each other language; by default, the language's prefix before `listing`.
    #[serde(default)]
    pub listings: BTreeMap<String, String>,
    /// Template of a record's page.
    pub template: String,
    /// Template of the listing page.
    #[serde(default)]
    pub listing_template: Option<String>,
    /// Records per page of the listing (`paginate: 12`): the first page at `listing`, the next
    /// ones at `page/2/`… under it (`pagination.path`); all on one page when absent.
    #[serde(default)]
    pub paginate: Option<usize>,
    /// The field whose value groups the listing's records (`group_by: promotion`): numbers
    /// (years, promotions) largest first, then texts in alphabetical order, then the records
    /// without the field; the listing's templates show one heading per group.
    #[serde(default)]
    pub group_by: Option<String>,
    /// The field holding a record's display name; `key` means the record's key itself.
    #[serde(default = "default_title_field")]
    pub title_field: String,
    /// Fields that name records of another collection: field → collection.
    #[serde(default)]
    pub references: BTreeMap<String, String>,
    /// Only records with a body file get a page (as in a Jekyll collection); the others have no URL.
    #[serde(default)]
    pub body_required: bool,
    /// A name in a reference field that matches no record is a warning instead of an error.
    #[serde(default)]
    pub allow_missing_references: bool,
    /// The languages whose record pages are built (all the site's by default): an imported
    /// Jekyll collection has pages in its own language only.
    #[serde(default)]
    pub languages: Option<Vec<String>>,
}

impl CollectionConfig {
    /// What is missing for the collection's layout: the setting, what is wrong, a hint.
    pub(crate) fn layout_problem(
        &self,
        name: &str,
    ) -> Option<(
        &'static str,
        crate::diagnostic::Text,
        crate::diagnostic::Text,
    )> {
        match self.layout {
            RecordLayout::Files if self.bodies.is_none() => Some((
                "bodies",
                crate::msg!("`layout: files` needs the folder of the record files"),
                crate::msg!("e.g. `bodies: {name}` for content/{name}/", name),
            )),
            RecordLayout::Map if self.data.trim().is_empty() => Some((
                "data",
                crate::msg!("the collection needs its data file"),
                crate::msg!(
                    "e.g. `data: {name}.yml`, or `layout: files` with one file per record",
                    name
                ),
            )),
            _ => None,
        }
    }

    /// True when the record pages of language `code` are built.
    pub(crate) fn has_language(&self, code: &str) -> bool {
        self.languages
            .as_ref()
            .is_none_or(|list| list.iter().any(|l| l == code))
    }
}

/// The mistakes in the listing settings of `collections:` (`paginate`, `group_by`) that serde
/// cannot see, each pointing at its line of site.yml (`text`).
pub(crate) fn validate_listings(
    collections: &BTreeMap<String, CollectionConfig>,
    text: &str,
) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::diagnostic::{Diagnostic, Rule};
    let mut problems = Vec::new();
    let mut report = |name: &str, key: &str, message, help| {
        let mut problem = Diagnostic::error(
            Rule::Config,
            crate::source::config::FILE_NAME,
            crate::msg!("`{key}`:", key = format!("collections.{name}.{key}")).then(" ", message),
        )
        .help(help);
        if let Some((line, column)) =
            crate::source::yaml::setting_position(text, &["collections", name, key])
        {
            problem = problem.at(line, column);
        }
        problems.push(problem);
    };
    for (name, collection) in collections {
        if collection.paginate == Some(0) {
            report(
                name,
                "paginate",
                crate::msg!("must be at least 1"),
                crate::msg!(
                    "write how many records each page of the listing shows, e.g. `paginate: 12`, or remove the line to show them all on one page"
                ),
            );
        }
        if collection
            .group_by
            .as_deref()
            .is_some_and(|f| f.trim().is_empty())
        {
            report(
                name,
                "group_by",
                crate::msg!("names no field"),
                crate::msg!(
                    "write the field whose value groups the records, e.g. `group_by: year`"
                ),
            );
        }
        for key in ["paginate", "group_by"] {
            let set = match key {
                "paginate" => collection.paginate.is_some(),
                _ => collection.group_by.is_some(),
            };
            if set && collection.listing.is_none() {
                report(
                    name,
                    key,
                    crate::msg!("the collection `{name}` has no listing page", name),
                    crate::msg!(
                        "give it one with `listing: /{name}/` under `collections.{name}`, or remove this line",
                        name
                    ),
                );
            }
        }
    }
    problems
}

/// How a collection's records are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RecordLayout {
    /// One data file, a map from each record's key to its fields; bodies in their own files.
    #[default]
    Map,
    /// One Markdown file per record: its fields in the front matter (the key under `body_key`),
    /// its page's text in the body. What a browser editor such as Decap CMS can edit.
    Files,
}

/// `admin:` in site.yml: the browser editor (Decap CMS). `gazette serve` always serves it at
/// `/admin/`, editing the files on disk through its own local API; a build writes it into the
/// output only with `publish: true`, for a host where Decap saves through Git.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct AdminConfig {
    /// Also write `/admin/` (the editor, its configuration) into the built site.
    pub(crate) publish: bool,
    /// Decap's `backend:` for the published editor (`{name: github, repo: org/site, branch:
    /// main}`, `{name: git-gateway}`...): how it saves, as commits. Unused by `gazette serve`.
    pub(crate) backend: serde_json::Map<String, serde_json::Value>,
    /// The folder under `assets/` where pictures added in the editor go (published at
    /// `/<media>/`).
    pub(crate) media: String,
}

impl Default for AdminConfig {
    fn default() -> Self {
        let mut backend = serde_json::Map::new();
        backend.insert("name".into(), "git-gateway".into());
        backend.insert("branch".into(), "main".into());
        AdminConfig {
            publish: false,
            backend,
            media: "img/uploads".into(),
        }
    }
}

fn default_title_field() -> String {
    "title".into()
}
fn default_body_key() -> String {
    "title".into()
}
