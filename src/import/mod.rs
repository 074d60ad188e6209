//! `gazette import jekyll SRC --into DEST`: turns a Jekyll site into a gazette site that builds to the same URLs.
//!
//! The import reads SRC (never writes there), sorts its files ([`config`] for `_config.yml`,
//! [`posts`], [`collections`] with their `_data` records, `data` for `_data`, [`pages`] for pages,
//! static files and `_redirects`), converts Liquid where tera has an equivalent ([`liquid`]), computes every
//! URL Jekyll produced ([`urls`]), writes DEST, then loads DEST with gazette's own site model to
//! check where each old URL now lives, writing a redirect page for any that moved. [`report`]
//! lists everything.

mod archives;
pub(crate) mod collections;
pub(crate) mod config;
pub use config::site_language;
mod data;
mod detect;
mod known_values;
pub(crate) mod layouts;
pub(crate) mod liquid;
mod netlify;
mod not_found;
pub(crate) mod pages;
mod polyglot;
pub(crate) mod posts;
mod redirects;
mod rendered_files;
pub(crate) mod report;
mod site_yml;

pub mod urls;
mod verify;

use crate::diagnostic::Rule;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, Text};
use crate::source::load::Document;
use report::Report;

/// What an old URL belongs to, to find where it lives in the new site.
#[derive(Debug, Clone)]
pub(crate) enum Identity {
    /// A post or page written to this file (relative to DEST).
    File(String),
    /// A collection record.
    Record(String, String),
    /// A tag's first page, by tag name.
    Tag(String),
    /// The first page of a value of a taxonomy of site.yml: (taxonomy, value as written).
    Term(String, String),
    /// The first page of the site language's archive of a year, or of a month of it.
    Archive(i32, Option<u32>),
    /// Page `n` of the blog listing of a language.
    Blog(String, usize),
    /// The RSS feed.
    Feed,
    /// A static file or a `_redirects` alias: served as written.
    Fixed(String),
}

/// One URL of the old site and what it belongs to.
#[derive(Debug, Clone)]
pub(crate) struct OldUrl {
    /// The URL Jekyll produced.
    pub url: String,
    /// `post`, `page`, a collection name, `tag`, `blog`, `feed`, `static`, `redirect`.
    pub kind: String,
    /// Source file relative to SRC.
    pub source: String,
    /// What it belongs to.
    pub identity: Identity,
}

/// The state of one import.
pub(crate) struct Ctx {
    /// The Jekyll site.
    pub src: PathBuf,
    /// The gazette site being written.
    pub dest: PathBuf,
    /// `_config.yml`.
    pub config: config::JekyllConfig,
    /// Language folders (`en` → `en`).
    pub lang_folders: BTreeMap<String, String>,
    /// The site's language.
    pub language: String,
    /// What the Liquid converter knows.
    pub env: liquid::Env,
    /// The report being filled.
    pub report: Report,
    /// Every URL of the old site.
    pub old_urls: Vec<OldUrl>,
    /// Files written with converted Liquid: DEST file → (original text, SRC file, the Liquid
    /// the original leaves unconverted, to report if it is put back).
    pub tera_pages: BTreeMap<String, (String, String, Vec<liquid::Unconverted>)>,
    /// Extra site.yml lines computed by the parts (collections, blog listings, tags).
    pub site_yml: SiteYml,
    /// Published posts per language (for the old blog pagination URLs).
    pub published_posts: BTreeMap<String, usize>,
    /// jekyll-redirect-from's `redirects.json`: old path → absolute address.
    pub redirect_index: Map<String, Value>,
    /// Tags of published posts, with their number of posts (jekyll-paginate-v2's tag pages).
    pub published_tags: BTreeMap<String, usize>,
    /// Published posts' dates and categories (jekyll-archives' pages).
    pub archived_posts: Vec<archives::ArchivedPost>,
    /// Files with `redirect_from`/`redirect_to` while jekyll-redirect-from is not enabled.
    pub ignored_redirects: Vec<String>,
    /// DEST files holding links to resolve once every old URL is known ([`known_values`]).
    pub with_links: Vec<String>,
    /// Pages written, by the file a host serves for their URL: (DEST file, its text, SRC file).
    pub page_files: std::collections::HashMap<String, (String, String, String)>,
    /// The layouts converted into templates.
    pub layouts: layouts::Layouts,
}

/// The pieces of site.yml that depend on the content.
#[derive(Debug, Clone, Default)]
pub(crate) struct SiteYml {
    /// `permalinks.post`.
    pub post_permalink: String,
    /// `permalinks.tag`.
    pub tag_permalink: Option<String>,
    /// Blog listings: language → first page URL.
    pub blogs: BTreeMap<String, String>,
    /// The `collections:` block, already written.
    pub collections: String,
    /// `defaults:` rules: (path prefix, values).
    pub defaults: Vec<(String, Map<String, Value>)>,
    /// The `archives:` and `taxonomies:` blocks for jekyll-archives' pages, already written.
    pub archives: String,
}

impl Ctx {
    /// Writes `text` to DEST/`relative`, creating folders.
    /// Writes a file of the new site: every file the importer writes goes through here, and
    /// nothing read from the Jekyll site can make it leave DEST.
    pub(crate) fn write(&mut self, relative: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        if relative.starts_with(crate::source::layout::CONTENT)
            && bytes.contains(&1)
            && !self.with_links.iter().any(|d| d == relative)
        {
            self.with_links.push(relative.to_string());
        }
        crate::output::guard::write_inside(&self.dest, relative, bytes)
            .map_err(|e| write_error(&self.dest.join(relative), &e))
    }

    /// A file's path inside `collections_dir` (the file itself when the site has none), or None
    /// when it lies outside that folder.
    pub(crate) fn in_collections_dir<'a>(&self, file: &'a str) -> Option<&'a str> {
        let dir = self.config.collections_dir.as_str();
        if dir.is_empty() {
            return Some(file);
        }
        file.strip_prefix(dir).and_then(|r| r.strip_prefix('/'))
    }

    /// A collection document's path inside its collection folder (`_projects/a/b.md` → `a/b.md`).
    pub(crate) fn collection_path(&self, file: &str) -> String {
        let inner = self.in_collections_dir(file).unwrap_or(file);
        inner.split_once('/').map_or(inner, |(_, r)| r).to_string()
    }

    /// The language of a file from its folder (`en/...` → `en`).
    pub(crate) fn lang_of(&self, relative: &str) -> String {
        let first = relative.split('/').next().unwrap_or("");
        self.lang_folders
            .get(first)
            .cloned()
            .unwrap_or_else(|| self.language.clone())
    }

    /// The URL prefix gazette gives a language (`/en`; nothing for the site's language).
    pub(crate) fn lang_prefix(&self, lang: &str) -> String {
        if lang == self.language {
            return String::new();
        }
        self.lang_folders
            .iter()
            .find(|(_, l)| l.as_str() == lang)
            .map_or_else(|| format!("/{lang}"), |(folder, _)| format!("/{folder}"))
    }

    /// Records an old URL.
    pub(crate) fn old_url(&mut self, url: String, kind: &str, source: &str, identity: Identity) {
        self.old_urls.push(OldUrl {
            url,
            kind: kind.to_string(),
            source: source.to_string(),
            identity,
        });
    }

    /// A post or record body with its Liquid converted where a body that is not a template
    /// allows it (`highlight`, `raw`, `comment`); the rest is listed in the report.
    pub(crate) fn markdown_body(&mut self, file: &str, doc: &Document) -> String {
        let body = known_values::substitute(self, doc, &doc.body);
        if !liquid::has_liquid(&body) {
            return body;
        }
        let converted = liquid::convert(&body, liquid::Mode::Markdown, &self.env, doc.body_line);
        self.report_liquid(file, &converted);
        converted.text
    }

    /// The `template` front-matter line of a document of type `kind` (`posts`, `pages` or a
    /// collection's name): the template converted from its layout, if the site had layouts.
    pub(crate) fn template_for(&self, file: &str, kind: &str, doc: &Document) -> Option<String> {
        let layout = doc
            .front
            .get("layout")
            .or_else(|| self.config.default_value(file, kind, "layout"));
        self.layouts.template_of(layout)
    }

    /// A post's body: as [`Ctx::markdown_body`] makes it, unless Liquid without an equivalent in
    /// Markdown is left and all of it converts to tera: then the converted body, with `render:
    /// tera` added to `set` (gazette renders it as Jekyll rendered the post's Liquid, before its
    /// Markdown). The post as it would be without tera is kept, to be put back if it does not
    /// render.
    pub(crate) fn post_body(
        &mut self,
        file: &str,
        doc: &Document,
        dest: &str,
        set: &mut Vec<(&str, String)>,
    ) -> String {
        let body = known_values::substitute(self, doc, &doc.body);
        if !liquid::has_liquid(&body) {
            return body;
        }
        let kept = liquid::convert(&body, liquid::Mode::Markdown, &self.env, doc.body_line);
        if kept.unconverted.is_empty() {
            return kept.text;
        }
        let templated =
            liquid::convert(&body, liquid::Mode::TeraMarkdown, &self.env, doc.body_line);
        let renders = templated.unconverted.is_empty()
            && templated.uses_tera
            && crate::render::check_template(&templated.text).is_ok();
        if !renders {
            self.report_liquid(file, &kept);
            return kept.text;
        }
        let untouched = rewrite(doc, set, &["redirect_from"], &kept.text);
        self.tera_pages.insert(
            dest.to_string(),
            (untouched, file.to_string(), kept.unconverted),
        );
        set.push(("render", "tera".into()));
        templated.text
    }

    /// Adds the unconverted constructs of a conversion to the report.
    pub(crate) fn report_liquid(&mut self, file: &str, converted: &liquid::Converted) {
        for u in &converted.unconverted {
            self.report.unconverted.push((
                file.to_string(),
                u.line,
                u.construct.clone(),
                u.reason.clone(),
            ));
        }
    }
}

fn write_error(path: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Rule::Import,
        path,
        format!("cannot write this file: {error}"),
    )
    .help("check that you may write in the destination folder")
}

/// A SRC file read and split, or the reason it could not be.
pub(crate) fn read_document(src: &Path, relative: &str) -> Result<(String, Document), Text> {
    let bytes = std::fs::read(src.join(relative))
        .map_err(|error| crate::msg!("cannot read it: {error}", error))?;
    let text = crate::source::load::decode(bytes, Path::new(relative)).map_err(|d| d.message)?;
    let doc = crate::source::load::parse_document(&text, Path::new(relative), relative)
        .map_err(|d| at_line(d.line, d.message))?;
    Ok((text, doc))
}

/// `line 3: <what is wrong>`, in the reader's language.
pub(crate) fn at_line(line: usize, what: Text) -> Text {
    crate::msg!("line {line}:", line).then(" ", what)
}

/// `cannot be read: <why>` (a file the import could not read), in the reader's language.
pub(crate) fn unreadable(why: Text) -> Text {
    crate::msg!("cannot be read:").then(" ", why)
}

/// True when a file starts with a front-matter fence (Jekyll processes only those).
pub(crate) fn has_front_matter(path: &Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; 8];
    let read = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut start))
        .unwrap_or(0);
    let start = &start[..read];
    let start = start.strip_prefix(b"\xef\xbb\xbf").unwrap_or(start);
    start.starts_with(b"---\n") || start.starts_with(b"---\r\n") || start.starts_with(b"--- \n")
}

/// Rewrites a document's front matter: drops the top-level `remove` keys (and their indented
/// lines), appends `set` as `key: "value"` lines, and puts the body back.
pub(crate) fn rewrite(
    doc: &Document,
    set: &[(&str, String)],
    remove: &[&str],
    body: &str,
) -> String {
    if doc.front_text.is_empty() && set.is_empty() && doc.front.is_empty() {
        return body.to_string();
    }
    let dropped: HashSet<&str> = remove
        .iter()
        .copied()
        .chain(set.iter().map(|(k, _)| *k))
        .collect();
    let mut lines = Vec::new();
    let mut skipping = false;
    for line in doc.front_text.lines() {
        let top = !line.starts_with([' ', '\t', '-']) && !line.trim().is_empty();
        if top {
            skipping = crate::source::yaml::key_of_line(line)
                .is_some_and(|k| dropped.contains(k.as_str()));
        }
        if !skipping {
            lines.push(line.to_string());
        }
    }
    for (key, value) in set {
        lines.push(format!("{key}: {value}"));
    }
    format!("---\n{}\n---\n{body}", lines.join("\n").trim_matches('\n'))
}

/// Imports the Jekyll site in `src` into `dest`. Returns the report, or the reason nothing was done.
pub fn jekyll(src: &Path, dest: &Path, force: bool) -> Result<Report, Vec<Diagnostic>> {
    if src.is_dir()
        && let Some(refused) = detect::refuse_non_jekyll(src)
    {
        return Err(vec![refused]);
    }
    check_folders(src, dest, force)?;
    let config_name = detect::CONFIG_FILES
        .iter()
        .copied()
        .find(|n| src.join(n).is_file())
        .unwrap_or("_config.yml");
    let config_value = match std::fs::read(src.join(config_name)) {
        Ok(bytes) => {
            let text =
                crate::source::load::decode(bytes, Path::new(config_name)).map_err(|d| vec![d])?;
            crate::source::yaml::parse(&text, Path::new(config_name), 1)
                .map_err(|d| vec![d])?
                .value
        }
        Err(_) => Value::Object(Map::new()),
    };
    let mut report = Report::default();
    let mut config = config::read(&config_value, &mut report.notes);
    if !config.url.starts_with("http")
        && let Some(host) = cname(src)
    {
        report.notes.push(crate::msg!(
            "_config.yml has no `url`: the site's address is taken from CNAME (https://{host})",
            host
        ));
        config.url = format!("https://{host}");
    }
    let files = list_files(src, dest, &config, &mut report);
    let mut lang_folders = BTreeMap::new();
    for (path, _, values) in &config.defaults {
        let folder = path.trim_matches('/');
        if !folder.is_empty()
            && !folder.contains('/')
            && !folder.starts_with('_')
            && let Some(lang) = values
                .get("lang")
                .or_else(|| values.get("locale"))
                .and_then(Value::as_str)
        {
            lang_folders.insert(folder.to_string(), language_code(lang));
        }
    }
    for file in &files {
        if let Some((folder, _)) = file.split_once("/_posts/")
            && folder.len() == 2
            && folder.chars().all(|c| c.is_ascii_lowercase())
        {
            lang_folders
                .entry(folder.to_string())
                .or_insert_with(|| folder.to_string());
        }
    }
    if let Some(polyglot) = &config.polyglot {
        for lang in polyglot
            .languages
            .iter()
            .filter(|l| **l != polyglot.default)
        {
            lang_folders.insert(lang.clone(), language_code(lang));
        }
    }
    let language = config
        .language
        .as_deref()
        .map_or_else(|| "en".into(), language_code);
    let mut env = liquid::Env {
        baseurl: config.baseurl.clone(),
        ..liquid::Env::default()
    };
    env.site_extra = config.extra.keys().cloned().collect();
    let mut ctx = Ctx {
        src: src.to_path_buf(),
        dest: dest.to_path_buf(),
        config,
        lang_folders,
        language,
        env,
        report,
        old_urls: Vec::new(),
        tera_pages: BTreeMap::new(),
        site_yml: SiteYml::default(),
        published_posts: BTreeMap::new(),
        redirect_index: Map::new(),
        page_files: std::collections::HashMap::new(),
        with_links: Vec::new(),
        ignored_redirects: Vec::new(),
        published_tags: BTreeMap::new(),
        archived_posts: Vec::new(),
        layouts: layouts::Layouts::default(),
    };
    let problems = run(&mut ctx, &files);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ctx.report)
}

fn run(ctx: &mut Ctx, files: &[String]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut rest = Vec::new();
    let mut data_files = Vec::new();
    let mut post_files = Vec::new();
    let mut collection_files: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut hidden_collections: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut template_files = Vec::new();
    let template_folders = [
        format!("{}/", ctx.config.layouts_dir),
        format!("{}/", ctx.config.includes_dir),
    ];
    for file in files {
        if template_folders
            .iter()
            .any(|f| file.starts_with(f.as_str()))
        {
            template_files.push(file.clone());
            continue;
        }
        let first = file.split('/').next().unwrap_or("");
        let inner = ctx.in_collections_dir(file);
        let collection = inner
            .filter(|i| i.contains('/'))
            .and_then(|i| i.split('/').next())
            .and_then(|f| f.strip_prefix('_'))
            .filter(|name| ctx.config.collections.contains_key(*name));
        if first == "_data" && file.contains('/') {
            data_files.push(file.clone());
        } else if first == "_sass" && file.contains('/') {
            // Jekyll's Sass partials: gazette reads them from sass/ when it compiles a stylesheet.
            sass_partial(ctx, file, &mut problems);
        } else if inner.is_some_and(is_post_path) {
            post_files.push(file.clone());
        } else if let Some(name) = collection {
            let output = ctx.config.collections.get(name).is_some_and(|(_, o)| *o);
            let target = if output {
                &mut collection_files
            } else {
                &mut hidden_collections
            };
            target
                .entry(name.to_string())
                .or_default()
                .push(file.clone());
        } else if let Some(name) = first
            .strip_prefix('_')
            .filter(|_| file.contains('/') && !included(&ctx.config, file))
        {
            ctx.report.skip(file, skip_reason(name));
        } else {
            rest.push(file.clone());
        }
    }
    for files in collection_files.values_mut() {
        files.sort();
    }
    layouts::import_templates(ctx, &template_files, &mut problems);
    let data = data::import_data(ctx, &data_files, &mut problems);
    for (name, files) in &hidden_collections {
        collections::import_unpublished(ctx, name, files, &data, &mut problems);
    }
    posts::import_posts(ctx, &post_files, &mut problems);
    collections::import_collections(ctx, &collection_files, &data, &mut problems);
    pages::import_rest(ctx, &rest, &mut problems);
    rendered_files::plugin_outputs(ctx, files);
    polyglot::copies(ctx);
    if let Err(d) = ctx.resolve_links() {
        problems.push(d);
    }
    if !problems.is_empty() {
        return problems;
    }
    if let Err(d) = site_yml::write(ctx).and_then(|()| ctx.write_redirect_index()) {
        return vec![d];
    }
    for (name, bytes) in crate::themes::FILES {
        if let Err(d) = ctx.write(
            &format!("{}/default/{name}", crate::source::layout::THEMES),
            bytes,
        ) {
            return vec![d];
        }
    }
    verify::verify(ctx)
}

/// The language part of a locale (`fr_FR`, `fr-FR` → `fr`): gazette's interface strings and
/// date formats are by language.
fn language_code(locale: &str) -> String {
    let code = locale.split(['_', '-']).next().unwrap_or(locale).trim();
    if code.is_empty() {
        "en".into()
    } else {
        code.to_ascii_lowercase()
    }
}

/// The host named by a `CNAME` file (GitHub Pages), when it is one.
fn cname(src: &Path) -> Option<String> {
    let text = std::fs::read_to_string(src.join("CNAME")).ok()?;
    let host = text.lines().next()?.trim().trim_end_matches('/');
    let valid = !host.is_empty()
        && host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    valid.then(|| host.to_ascii_lowercase())
}

/// Copies a file of Jekyll's `_sass/` into gazette's `sass/`, where stylesheets import partials.
fn sass_partial(ctx: &mut Ctx, file: &str, problems: &mut Vec<Diagnostic>) {
    let rest = file.trim_start_matches("_sass/");
    match std::fs::read(ctx.src.join(file)) {
        Ok(bytes) => match ctx.write(&format!("{}/{rest}", crate::source::layout::SASS), &bytes) {
            Ok(()) => ctx.report.count("Sass partials"),
            Err(d) => problems.push(d),
        },
        Err(error) => ctx
            .report
            .skip(file, crate::msg!("cannot be read: {error}", error)),
    }
}

/// True for `_posts/…`, `_drafts/…` and `<folders>/_posts/…` (a path inside `collections_dir`).
fn is_post_path(inner: &str) -> bool {
    inner.starts_with("_posts/")
        || inner.starts_with("_drafts/")
        || inner.contains("/_posts/")
        || inner.contains("/_drafts/")
}

/// Why a file in a folder starting with `_` that Jekyll does not read is skipped.
fn skip_reason(folder: &str) -> Text {
    use crate::msg;
    match folder {
        "layouts" => msg!(
            "layouts are not converted: the site uses gazette's theme (write templates/ to change it)"
        ),
        "includes" => {
            msg!("includes are not converted: write their content into templates/ if needed")
        }
        "sass" | "scss" => msg!("Sass is not compiled by gazette: compile it to CSS into assets/"),
        "plugins" => msg!("Ruby plugins cannot run in gazette"),
        "site" => msg!("Jekyll's output folder"),
        "posts" | "drafts" => {
            msg!("outside `collections_dir`: Jekyll reads posts and drafts only inside that folder")
        }
        _ => msg!(
            "a folder starting with `_` that is not a declared collection nor in `include`: Jekyll did not publish it"
        ),
    }
}

/// True when `include` in _config.yml names `relative` or one of its folders.
pub(crate) fn included(config: &config::JekyllConfig, relative: &str) -> bool {
    config.include.iter().any(|i| {
        let i = i.trim_start_matches("./").trim_end_matches('/');
        relative == i || relative.starts_with(&format!("{i}/"))
    })
}

fn check_folders(src: &Path, dest: &Path, force: bool) -> Result<(), Vec<Diagnostic>> {
    if !src.is_dir() {
        return Err(vec![
            Diagnostic::error(Rule::Import, src, "this folder does not exist")
                .help("give the folder of the Jekyll site (the one holding _config.yml)"),
        ]);
    }
    let (Ok(src_full), dest_full) = (src.canonicalize(), dest.canonicalize().ok()) else {
        return Err(vec![
            Diagnostic::error(Rule::Import, src, "cannot read this folder")
                .help("check that you may read it"),
        ]);
    };
    let dest_abs = crate::output::guard::absolute(dest);
    if dest_abs.starts_with(&src_full) {
        return Err(vec![
            Diagnostic::error(
                Rule::Import,
                dest,
                "the destination is inside the Jekyll site",
            )
            .help("give a folder outside the Jekyll site: the import never modifies it"),
        ]);
    }
    if dest_full
        .as_ref()
        .is_some_and(|d| *d == src_full || src_full.starts_with(d))
    {
        return Err(vec![
            Diagnostic::error(
                Rule::Import,
                dest,
                "the destination is the Jekyll site or one of its parents",
            )
            .help("give an empty folder elsewhere: the import never modifies the Jekyll site"),
        ]);
    }
    if dest.exists() {
        let empty = std::fs::read_dir(dest)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !dest.is_dir() {
            return Err(vec![
                Diagnostic::error(Rule::Import, dest, "this is a file, not a folder")
                    .help("give a folder that does not exist yet"),
            ]);
        }
        if !empty && !force {
            return Err(vec![Diagnostic::error(Rule::Import, dest, "this folder is not empty: the import would mix its files with the imported site")
                .help("give a new or empty folder, or add --force to write into it (content/, assets/ and site.yml are replaced)")]);
        }
        if !empty {
            for owned in ["content", "assets", "themes/default"] {
                let path = dest.join(owned);
                if path.is_dir() {
                    std::fs::remove_dir_all(&path).map_err(|e| vec![write_error(&path, &e)])?;
                }
            }
        }
    }
    std::fs::create_dir_all(dest).map_err(|e| vec![write_error(dest, &e)])
}

/// Files of SRC that Jekyll reads, relative, sorted; excluded and hidden files are reported.
fn list_files(
    src: &Path,
    dest: &Path,
    config: &config::JekyllConfig,
    report: &mut Report,
) -> Vec<String> {
    const DEFAULT_EXCLUDE: &[&str] = &[
        "Gemfile",
        "Gemfile.lock",
        "node_modules",
        "vendor",
        ".bundle",
        ".sass-cache",
        ".jekyll-cache",
        "_site",
    ];
    let dest_full = dest.canonicalize().ok();
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(src).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| {
        dest_full
            .as_ref()
            .is_none_or(|d| e.path().canonicalize().ok().as_ref() != Some(d))
    }) {
        let Ok(entry) = entry else { continue };
        if entry.file_type().is_symlink() {
            let shown = entry.path().strip_prefix(src).unwrap_or(entry.path());
            report.skip(
                &shown.to_string_lossy(),
                crate::msg!(
                    "a link: the import copies no link (copy the file itself into the Jekyll site if it belongs to it)"
                ),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(src) else {
            continue;
        };
        let Some(relative) = relative.to_str().map(|s| s.replace('\\', "/")) else {
            report.skip(
                &relative.to_string_lossy(),
                crate::msg!("the file name is not valid UTF-8"),
            );
            continue;
        };
        let included = included(config, &relative);
        let excluded = config
            .exclude
            .iter()
            .map(String::as_str)
            .chain(DEFAULT_EXCLUDE.iter().copied())
            .any(|e| {
                relative == e.trim_end_matches('/')
                    || relative.starts_with(&format!("{}/", e.trim_end_matches('/')))
            });
        if detect::CONFIG_FILES.contains(&relative.as_str()) {
            continue;
        }
        if excluded && !included {
            report.skip(
                &relative,
                crate::msg!("excluded by `exclude` in _config.yml"),
            );
            continue;
        }
        let hidden = relative.split('/').any(|part| part.starts_with('.'));
        if hidden && !included {
            report.skip(
                &relative,
                crate::msg!("hidden file: Jekyll did not publish it"),
            );
            continue;
        }
        let name = relative.rsplit('/').next().unwrap_or(&relative);
        if crate::source::layout::is_ignored_name(name) && !included {
            report.skip(&relative, crate::msg!("an editor's temporary file"));
            continue;
        }
        files.push(relative);
    }
    files
}
