//! Everything outside posts, collections and `_data` ([`super::data`]): pages (files with front matter) → content/pages/ with their permalinks, listing pages of
//! jekyll-paginate(-v2) → gazette blog listings, tag pages → gazette's tag pages, the feed →
//! gazette's feed, `_redirects` (kept, plus HTML alias pages) and static files → assets/.

use crate::source::layout;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::config::quote;
use super::{Ctx, Identity, liquid, rewrite, urls};
use crate::diagnostic::{Diagnostic, Text};
use crate::msg;
use crate::source::load::Document;

/// Paths gazette writes itself: a static file there would collide.
const GENERATED: &[&str] = &[
    "sitemap.xml",
    "robots.txt",
    "atom.xml",
    "css/highlight.css",
    "css/site.css",
    "404.html",
];

/// Pages, listings, tag pages, the feed, `_redirects` and static files.
pub(crate) fn import_rest(ctx: &mut Ctx, files: &[String], problems: &mut Vec<Diagnostic>) {
    // Folders of tag pages, with their number of pages.
    let mut tag_folders: BTreeMap<String, usize> = BTreeMap::new();
    for file in files {
        import_file(ctx, file, &mut tag_folders, problems);
    }
    if let Some(permalink) = tag_permalink(ctx, &tag_folders) {
        ctx.site_yml.tag_permalink = Some(permalink);
    }
    ctx.site_yml.defaults = defaults(ctx);
}

fn import_file(
    ctx: &mut Ctx,
    file: &str,
    tag_folders: &mut BTreeMap<String, usize>,
    problems: &mut Vec<Diagnostic>,
) {
    let name = file.rsplit('/').next().unwrap_or(file);
    if file == "_redirects" {
        redirects(ctx, file, problems);
        return;
    }
    if name.starts_with('_') {
        ctx.report.skip(
            file,
            msg!("a file starting with `_`: Jekyll did not publish it"),
        );
        return;
    }
    if !super::has_front_matter(&ctx.src.join(file)) {
        static_file(ctx, file, problems);
        return;
    }
    let mut doc = match super::read_document(&ctx.src, file) {
        Ok((_, doc)) => doc,
        Err(reason) => {
            ctx.report.skip(file, super::unreadable(reason));
            return;
        }
    };
    doc.body = super::known_values::substitute_in_page(ctx, &doc, &doc.body);
    let source = PageFile::new(ctx, file, &doc);
    if is_listing(ctx, &source) {
        import_listing(ctx, &source, problems);
        return;
    }
    // A tag archive page (`tag: name` in a tag layout): gazette writes a page per tag.
    if let Some(tag) = doc
        .str("tag")
        .filter(|_| doc.str("layout").is_some_and(|l| l.contains("tag")))
    {
        *tag_folders.entry(source.folder.to_string()).or_default() += 1;
        ctx.old_url(
            source.jekyll_url.clone(),
            "tag",
            file,
            Identity::Tag(tag.to_string()),
        );
        ctx.report.skip(
            file,
            msg!("a tag page: gazette writes a page for every tag"),
        );
        tag_template(ctx, &source, problems);
        return;
    }
    if source.lower == "feed.xml" || source.lower == "atom.xml" && !source.is_markdown {
        import_feed(ctx, &source);
        return;
    }
    // With the site's layouts converted, its 404 page is a page like the others (a page at
    // /404.html replaces the theme's); otherwise it goes into the theme's frame.
    if source.jekyll_url == "/404.html" && source.is_page_type() && ctx.layouts.names.is_empty() {
        if let Err(why) = super::not_found::write(ctx, file, &doc) {
            ctx.report.skip(file, why);
        }
        return;
    }
    if let Some(reason) = not_a_page(&source, !ctx.layouts.names.is_empty()) {
        let generated = GENERATED.contains(&source.jekyll_url.trim_start_matches('/'));
        if source.is_page_type() || generated {
            ctx.report.skip(file, reason);
        } else if let Err(why) =
            super::rendered_files::write(ctx, file, &doc, &source.jekyll_url, problems)
        {
            ctx.report.skip(file, why);
        }
        return;
    }
    page(ctx, &source, problems);
}

/// A file with front matter that is not a post nor a collection document, and its Jekyll URL.
struct PageFile<'a> {
    /// The file, relative to SRC.
    file: &'a str,
    doc: &'a Document,
    /// The file name, lower-cased.
    lower: String,
    /// The file name without extension.
    stem: &'a str,
    is_markdown: bool,
    /// The folder of the file (empty at the top).
    folder: &'a str,
    /// Its front-matter `lang`, else the language of its folder.
    lang: String,
    jekyll_url: String,
}

impl<'a> PageFile<'a> {
    fn new(ctx: &Ctx, file: &'a str, doc: &'a Document) -> Self {
        let name = file.rsplit('/').next().unwrap_or(file);
        let lower = name.to_ascii_lowercase();
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        let is_markdown = lower.ends_with(".md") || lower.ends_with(".markdown");
        let output_ext = if is_markdown {
            ".html".to_string()
        } else if ["scss", "sass"].contains(&ext.to_ascii_lowercase().as_str()) {
            // Jekyll compiles Sass with front matter to CSS.
            ".css".to_string()
        } else if ext.is_empty() {
            String::new()
        } else {
            format!(".{ext}")
        };
        let folder = file.rsplit_once('/').map_or("", |(d, _)| d);
        let lang = doc
            .str("lang")
            .map(str::to_string)
            .unwrap_or_else(|| ctx.lang_of(file));
        let placeholders = urls::Placeholders {
            path: folder.to_string(),
            basename: stem.to_string(),
            output_ext: output_ext.clone(),
            title: crate::text::slug::slugify_pretty(stem),
            slug: crate::text::slug::slugify_default(stem),
            name: crate::text::slug::slugify_default(stem),
            ..urls::Placeholders::default()
        };
        let permalink = doc.str("permalink").or_else(|| {
            ctx.config
                .default_value(file, "pages", "permalink")
                .and_then(Value::as_str)
        });
        let jekyll_url = match permalink {
            Some(p) => urls::expand(p, &placeholders),
            None => urls::expand(
                &urls::page_template(stem, &output_ext, &ctx.config.permalink),
                &placeholders,
            ),
        };
        let jekyll_url = super::polyglot::localize(ctx, file, doc, jekyll_url);
        PageFile {
            file,
            doc,
            lower,
            stem,
            is_markdown,
            folder,
            lang,
            jekyll_url,
        }
    }
}

impl PageFile<'_> {
    /// Markdown or HTML: what becomes a gazette page.
    fn is_page_type(&self) -> bool {
        self.is_markdown || self.lower.ends_with(".html") || self.lower.ends_with(".htm")
    }
}

/// A jekyll-paginate-v2 listing (or the v1 listing page): gazette's blog listing for its language.
fn is_listing(ctx: &Ctx, source: &PageFile<'_>) -> bool {
    ctx.config.paginate_v2
        && source
            .doc
            .front
            .get("pagination")
            .and_then(|p| p.get("enabled"))
            .and_then(Value::as_bool)
            == Some(true)
        || ctx
            .config
            .paginate_v1_listing
            .as_deref()
            .is_some_and(|l| l == source.jekyll_url && source.stem == "index")
}

/// gazette's tag pages in the layout of the site's tag pages (`templates/tag.html`, written
/// once), when the site's layouts were converted. A tag page's own text is not kept: noted.
fn tag_template(ctx: &mut Ctx, source: &PageFile<'_>, problems: &mut Vec<Diagnostic>) {
    let Some(template) = ctx.template_for(source.file, "pages", source.doc) else {
        return;
    };
    if !source.doc.body.trim().is_empty() {
        ctx.report.notes.push(msg!(
            "{file}: the text of this tag page is not kept (gazette writes every tag page from templates/tag.html)",
            file = source.file
        ));
    }
    let dest = format!("{}/tag.html", layout::TEMPLATES);
    if ctx.dest.join(&dest).exists() {
        return;
    }
    let text = format!("{{% extends {} %}}", serde_json::Value::from(template));
    if let Err(d) = ctx.write(&dest, text.as_bytes()) {
        problems.push(d);
    }
}

/// A listing's pages become old URLs of gazette's blog listing. When the site's layouts were
/// converted, the listing's text becomes a page with `listing: blog`, which gazette renders on
/// every page of its blog listing; otherwise the theme's listing replaces it.
fn import_listing(ctx: &mut Ctx, source: &PageFile<'_>, problems: &mut Vec<Diagnostic>) {
    let (file, doc) = (source.file, source.doc);
    let lang = doc
        .front
        .get("pagination")
        .and_then(|p| p.get("locale"))
        .and_then(Value::as_str)
        .map_or_else(|| source.lang.clone(), str::to_string);
    // A listing on the home page: gazette's home shows the latest posts there, and its blog
    // listing (under /blog/) takes pages 2 and after (redirect pages at the old addresses).
    let home = format!("{}/", ctx.lang_prefix(&lang));
    let on_home = source.jekyll_url == home;
    if on_home {
        ctx.report.notes.push(msg!("{file}: the paginated listing at {home} is gazette's home page (latest posts); its pages 2 and after move to gazette's blog listing (redirect pages at the old addresses)", file, home));
    } else {
        ctx.site_yml
            .blogs
            .insert(lang.clone(), source.jekyll_url.clone());
    }
    let count = ctx.published_posts.get(&lang).copied().unwrap_or(0);
    let per_page = ctx.config.per_page.unwrap_or(10).max(1);
    for n in 1..=count.div_ceil(per_page).max(1) {
        let url = listing_page_url(ctx, &source.jekyll_url, n);
        let identity = if on_home && n == 1 {
            Identity::Fixed(home.clone())
        } else {
            Identity::Blog(lang.clone(), n)
        };
        ctx.old_url(url, "blog", file, identity);
    }
    if !on_home && !ctx.layouts.names.is_empty() {
        write_listing_page(ctx, source, problems);
        return;
    }
    ctx.report.skip(
        file,
        msg!(
            "a paginated listing: gazette's blog listing ({lang}) replaces it",
            lang
        ),
    );
    // The report lists the Liquid of the listing that has no equivalent.
    let c = liquid::convert(&doc.body, liquid::Mode::Tera, &ctx.env, doc.body_line);
    ctx.report_liquid(file, &c);
}

/// Where a page file goes under content/pages/ (`.htm` becomes `.html`).
fn dest_of(source: &PageFile<'_>) -> String {
    if source.lower.ends_with(".htm") {
        format!("{}l", source.file)
    } else {
        source.file.to_string()
    }
}

/// A page's body as the new site holds it, with the template of its layout added to `set`: its
/// Liquid converted (the page then renders with tera), or the body as it was.
fn page_body(
    ctx: &mut Ctx,
    source: &PageFile<'_>,
    dest: &str,
    set: &mut Vec<(&str, String)>,
) -> String {
    if let Some(template) = ctx.template_for(source.file, "pages", source.doc) {
        set.push(("template", quote(&template)));
    }
    if liquid::has_liquid(&source.doc.body) {
        template_body(ctx, source, dest, set)
    } else {
        source.doc.body.clone()
    }
}

/// The listing's text and layout as a `listing: blog` page.
fn write_listing_page(ctx: &mut Ctx, source: &PageFile<'_>, problems: &mut Vec<Diagnostic>) {
    let doc = source.doc;
    let dest = format!("{}/{}", layout::PAGES, dest_of(source));
    let mut set: Vec<(&str, String)> = vec![("listing", "\"blog\"".into())];
    let body = page_body(ctx, source, &dest, &mut set);
    let text = rewrite(
        doc,
        &set,
        &["pagination", "permalink", "redirect_from"],
        &body,
    );
    match ctx.write(&dest, text.as_bytes()) {
        Ok(()) => ctx.report.count("listing pages"),
        Err(d) => problems.push(d),
    }
}

/// The Jekyll URL of page `n` of the listing at `first`.
fn listing_page_url(ctx: &Ctx, first: &str, n: usize) -> String {
    if n == 1 {
        return first.to_string();
    }
    let base = if first.ends_with('/') {
        first.to_string()
    } else {
        format!("{}/", first.rsplit_once('/').map_or("", |(d, _)| d))
    };
    urls::clean(&format!(
        "{base}{}",
        ctx.config.paginate_path.replace(":num", &n.to_string())
    ))
}

/// A Liquid feed template: its URL is served by gazette's own feeds.
fn import_feed(ctx: &mut Ctx, source: &PageFile<'_>) {
    let identity = if source.lower == "feed.xml" {
        Identity::Feed
    } else {
        Identity::Fixed(source.jekyll_url.clone())
    };
    ctx.old_url(source.jekyll_url.clone(), "feed", source.file, identity);
    ctx.report.skip(
        source.file,
        msg!("a Liquid feed template: gazette writes the RSS and Atom feeds itself"),
    );
}

/// Why a file with front matter does not become a page, if it does not.
fn not_a_page(source: &PageFile<'_>, has_layouts: bool) -> Option<Text> {
    let lower = &source.lower;
    if !source.is_markdown && !lower.ends_with(".html") && !lower.ends_with(".htm") {
        return Some(msg!(
            "a Liquid template for a file that is not a page (gazette writes sitemap.xml, robots.txt and feeds itself)"
        ));
    }
    // Only the page at /404.html stands for gazette's own 404 page; a 404 page elsewhere
    // (`permalink: /404/`, `en/404.html`) is an ordinary page of the old site.
    if source.jekyll_url == "/404.html" && !has_layouts {
        return Some(msg!(
            "the 404 page: gazette's theme writes /404.html (override templates/404.html)"
        ));
    }
    None
}

/// Tag pages in one folder → gazette's tag URL pattern; `/tag/x` (no extension) is the file tag/x.html.
fn tag_permalink(ctx: &Ctx, tag_folders: &BTreeMap<String, usize>) -> Option<String> {
    let (folder, _) = tag_folders.iter().max_by_key(|(_, n)| **n)?;
    let sample = ctx
        .old_urls
        .iter()
        .find(|u| u.kind == "tag")
        .map(|u| u.url.clone())
        .unwrap_or_default();
    let suffix = if sample.ends_with('/') {
        "/"
    } else if sample.ends_with(".html") {
        ".html"
    } else {
        ""
    };
    Some(urls::clean(&format!("/{folder}/:slug{suffix}")))
}

/// site.yml's `defaults`: the language of each language folder, then Jekyll's `defaults`.
fn defaults(ctx: &Ctx) -> Vec<(String, Map<String, Value>)> {
    let mut defaults: Vec<(String, Map<String, Value>)> = Vec::new();
    for (folder, lang) in &ctx.lang_folders {
        for kind in ["posts", "pages"] {
            let mut values = Map::new();
            values.insert("lang".into(), Value::String(lang.clone()));
            defaults.push((format!("{kind}/{folder}/"), values));
        }
    }
    for (path, kind, values) in &ctx.config.defaults {
        // Permalinks and `published` are resolved by the import and written into each file
        // (Jekyll applies a default `published` to documents but not to pages).
        let mut values = values.clone();
        values.remove("permalink");
        values.remove("published");
        if values.is_empty() {
            continue;
        }
        for prefix in default_prefixes(path.trim_matches('/'), kind.as_deref()) {
            let prefix = if prefix.is_empty() || prefix.ends_with('/') {
                prefix
            } else {
                format!("{prefix}/")
            };
            defaults.push((prefix.replace("//", "/"), values.clone()));
        }
    }
    // gazette applies the first rule that sets a key: most specific (longest path) first.
    defaults.sort_by_key(|rule| std::cmp::Reverse(rule.0.len()));
    defaults
}

/// The content/ folders a Jekyll `defaults` scope covers.
fn default_prefixes(path: &str, kind: Option<&str>) -> Vec<String> {
    match kind {
        Some("posts") => vec![format!("posts/{path}")],
        Some("pages") => vec![format!("pages/{path}")],
        Some("drafts") => vec![format!("posts/{path}")],
        Some(collection) => vec![format!("{collection}/")],
        None if path.is_empty() => vec![String::new()],
        None => match path.strip_prefix('_') {
            Some("posts") => vec!["posts/".into()],
            Some(collection) => vec![format!("{collection}/")],
            None => vec![format!("posts/{path}"), format!("pages/{path}")],
        },
    }
}

fn page(ctx: &mut Ctx, source: &PageFile<'_>, problems: &mut Vec<Diagnostic>) {
    let (file, doc, jekyll_url) = (source.file, source.doc, source.jekyll_url.as_str());
    let dest_rel = dest_of(source);
    let dest = format!("{}/{dest_rel}", layout::PAGES);
    if let Some(target) = super::redirects::redirect_to(doc).filter(|_| ctx.redirects_enabled()) {
        ctx.redirect_to(file, jekyll_url, &target);
        return;
    }
    let path = dest_rel
        .rsplit_once('.')
        .map_or(dest_rel.as_str(), |(s, _)| s);
    let gazette_url = if path == "index" {
        "/".to_string()
    } else {
        format!("/{path}.html")
    };
    let mut set: Vec<(&str, String)> = Vec::new();
    if doc.front.contains_key("permalink")
        || urls::served_file(&gazette_url) != urls::served_file(jekyll_url)
        || (jekyll_url.ends_with('/') && jekyll_url != gazette_url)
    {
        set.push(("permalink", quote(jekyll_url)));
    }
    if let Some(lang) = super::polyglot::lang_to_write(ctx, file, doc) {
        set.push(("lang", lang));
    }
    if doc.str("lang-ref").is_none()
        && doc.str("translation_key").is_none()
        && let Some(reference) = doc.front.get("ref").and_then(Value::as_str)
    {
        set.push(("translation_key", quote(reference)));
    }
    if let Some(aliases) = ctx.redirect_from(file, doc, jekyll_url, &Identity::File(dest.clone())) {
        set.push(("aliases", aliases));
    }
    let body = page_body(ctx, source, &dest, &mut set);
    let text = rewrite(doc, &set, &["redirect_from"], &body);
    if let Err(d) = ctx.write(&dest, text.as_bytes()) {
        problems.push(d);
        return;
    }
    ctx.report.count("pages");
    if doc.front.get("published").and_then(Value::as_bool) == Some(false) {
        // Imported (and kept unpublished, as gazette reads `published: false`), never an old URL.
        return;
    }
    overwrite_earlier_page(ctx, file, jekyll_url, &dest, text, problems);
    ctx.old_url(
        jekyll_url.to_string(),
        "page",
        file,
        Identity::File(dest.clone()),
    );
    if let Some(other) = other_form(jekyll_url) {
        ctx.old_url(other, "page", file, Identity::File(dest));
    }
}

/// Two pages of the Jekyll site with one URL (`about.md` and `about.html`): Jekyll wrote both, the
/// later one (by name) over the earlier. The earlier is kept unpublished and reported, so that
/// the new site builds and serves what Jekyll served.
fn overwrite_earlier_page(
    ctx: &mut Ctx,
    file: &str,
    url: &str,
    dest: &str,
    text: String,
    problems: &mut Vec<Diagnostic>,
) {
    let served = urls::served_file(url);
    let Some((earlier, earlier_text, earlier_file)) = ctx
        .page_files
        .insert(served, (dest.to_string(), text, file.to_string()))
    else {
        return;
    };
    let unpublished = earlier_text.replacen("---\n", "---\npublished: false\n", 1);
    if let Err(d) = ctx.write(&earlier, unpublished.as_bytes()) {
        problems.push(d);
    }
    ctx.old_urls
        .retain(|o| !matches!(&o.identity, Identity::File(f) if *f == earlier));
    ctx.report.skip(
        &earlier_file,
        msg!(
            "{file} has the same URL ({url}) and Jekyll wrote it last: kept unpublished",
            file,
            url
        ),
    );
}

/// The body of a page with Liquid: converted to tera (`render: tera` is added to `set`) when the
/// result parses and uses tera, else kept as it was. A converted page's original is kept in
/// `ctx.tera_pages`, to be put back if the page does not render.
fn template_body(
    ctx: &mut Ctx,
    source: &PageFile<'_>,
    dest: &str,
    set: &mut Vec<(&str, String)>,
) -> String {
    let (file, doc) = (source.file, source.doc);
    for (key, value) in &doc.front {
        if value.is_object() {
            ctx.env.data_maps.insert(format!("page.{key}"));
        }
    }
    let converted = liquid::convert(&doc.body, liquid::Mode::Tera, &ctx.env, doc.body_line);
    let parses = crate::render::check_template(&converted.text);
    match parses {
        Ok(()) if converted.uses_tera => {
            ctx.report_liquid(file, &converted);
            let untouched = rewrite(doc, set, &[], &doc.body);
            // Put back, the page shows its Liquid as written: every construct is then reported.
            let unconverted = liquid::every_construct(&doc.body, doc.body_line);
            ctx.tera_pages
                .insert(dest.to_string(), (untouched, file.to_string(), unconverted));
            set.push(("render", "tera".into()));
            converted.text
        }
        other => {
            if let Err(e) = other {
                ctx.report.notes.push(msg!("{file}: the converted Liquid is not valid tera ({error}); the page keeps its Liquid untouched", file, error = e));
            }
            let kept = liquid::convert(&doc.body, liquid::Mode::Markdown, &ctx.env, doc.body_line);
            ctx.report_liquid(file, &kept);
            doc.body.clone()
        }
    }
}

/// Static hosts serve `/a.html` as `/a` and the other way round: both are old URLs.
fn other_form(jekyll_url: &str) -> Option<String> {
    let other = if let Some(stem) = jekyll_url.strip_suffix(".html") {
        Some(stem.to_string())
    } else if !jekyll_url.ends_with('/')
        && !jekyll_url.rsplit('/').next().unwrap_or("").contains('.')
    {
        Some(format!("{jekyll_url}.html"))
    } else {
        None
    };
    other.filter(|o| !o.ends_with('/') && !o.is_empty() && o != "/index")
}

fn static_file(ctx: &mut Ctx, file: &str, problems: &mut Vec<Diagnostic>) {
    if GENERATED.contains(&file) || file == "feed.xml" {
        ctx.report
            .skip(file, msg!("gazette writes a file at this path itself"));
        return;
    }
    match std::fs::read(ctx.src.join(file)) {
        Ok(bytes) => {
            if let Err(d) = ctx.write(&format!("{}/{file}", layout::ASSETS), &bytes) {
                problems.push(d);
                return;
            }
            ctx.report.count("static files");
            let url = format!("/{file}");
            ctx.old_url(url.clone(), "static", file, Identity::Fixed(url));
        }
        Err(error) => ctx
            .report
            .skip(file, msg!("cannot be read: {error}", error)),
    }
}

/// `_redirects` is copied as is (Netlify reads it from the output) and each simple rule also
/// becomes an HTML page at the old path, for hosts without `_redirects`.
fn redirects(ctx: &mut Ctx, file: &str, problems: &mut Vec<Diagnostic>) {
    let bytes = match std::fs::read(ctx.src.join(file)) {
        Ok(b) => b,
        Err(e) => {
            ctx.report
                .skip(file, msg!("cannot be read: {error}", error = e));
            return;
        }
    };
    if let Err(d) = ctx.write(&format!("{}/_redirects", layout::ASSETS), &bytes) {
        problems.push(d);
        return;
    }
    ctx.report.count("redirect files");
    if super::included(&ctx.config, file) {
        let url = format!("/{file}");
        ctx.old_url(url.clone(), "static", file, Identity::Fixed(url));
    } else {
        ctx.report.notes.push(msg!("{file} is not in `include` of _config.yml, so Jekyll did not copy it; it is kept for the host with its rules, check that the host used it", file));
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    for rule in redirect_rules(&text) {
        let line_no = rule.line;
        match rule.kind {
            RuleKind::Page { from, to } => {
                ctx.old_url(from, "redirect", file, Identity::Fixed(to));
            }
            RuleKind::HostOnly(why) => ctx
                .report
                .notes
                .push(super::report::at(&format!("{file}:{line_no}"), why)),
            RuleKind::Refused(why) => ctx.report.skip(&format!("{file}:{line_no}"), why),
        }
    }
}

/// One line of a `_redirects` file, as the importer takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectRule {
    /// 1-based line.
    pub line: usize,
    /// What becomes of it.
    pub kind: RuleKind,
}

/// What the importer does with a `_redirects` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleKind {
    /// A simple rule for an HTML path: also written as an HTML page at `from`, sending to `to`.
    Page {
        /// The old path.
        from: String,
        /// Where it sends.
        to: String,
    },
    /// A rule only the host understands (a pattern, another host, a file that is not HTML):
    /// kept in `_redirects` only.
    HostOnly(Text),
    /// A rule whose old path is not a path of the site (`..`, a full address): no page is made.
    Refused(Text),
}

/// The rules of a `_redirects` file (comments and blank lines left out). A rule's `from` becomes
/// a page only when it is a safe path of the site ending in an HTML file.
pub fn redirect_rules(text: &str) -> Vec<RedirectRule> {
    let mut rules = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let (Some(from), Some(to)) = (parts.first(), parts.get(1)) else {
            continue;
        };
        if from.starts_with('#') {
            continue;
        }
        let kind = if !from.starts_with('/') || from.contains('*') || from.contains("/:") {
            RuleKind::HostOnly(msg!(
                "`{from}` is a rule for the host or a pattern: kept in _redirects only",
                from
            ))
        } else if let Err(why) = crate::text::url::check_safe(from) {
            RuleKind::Refused(
                msg!("`{from}` is not a path of the site:", from)
                    .then(" ", why)
                    .then("; ", msg!("kept in _redirects only")),
            )
        } else if !urls::served_file(from).ends_with(".html") {
            RuleKind::HostOnly(msg!(
                "`{from}` is not an HTML path: kept in _redirects only (an HTML page cannot stand in for it)",
                from
            ))
        } else {
            RuleKind::Page {
                from: (*from).to_string(),
                to: (*to).to_string(),
            }
        };
        rules.push(RedirectRule {
            line: index + 1,
            kind,
        });
    }
    rules
}
