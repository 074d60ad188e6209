//! Turns the site model into output files in memory: tera templates (the only module that knows tera),
//! listings, feeds, sitemap and redirects, rendered in parallel. No file is written here.

pub(crate) mod assets;
mod browse_context;
mod browse_pages;
mod cards;
mod context;
mod extras;
pub(crate) mod feed;
mod headers;
mod list_filters;
mod paginate;
mod post_bodies;
mod templates;
mod theme_context;
mod watchdog;

use crate::diagnostic::Rule;
use crate::output::Output;
use crate::output::duplicate_outputs;

use crate::render::context::{Contexts, Shared, to_value};
use crate::render::paginate::paginator;
use crate::render::templates::page_template_name;
use crate::site::plan::{self, Job};
pub(crate) use extras::{
    extra_outputs, feeds_and_sitemap, other_outputs, redirect_page, sitemap_output,
};
pub(crate) use post_bodies::expand_post_bodies;
pub(crate) use templates::{
    THEME_PREFIX, Templates, check_template, reads_every_page, reads_every_post, template_name,
};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::markdown;
use crate::site::{Page, Site};
use crate::text::url;

/// Renders the template pages `jobs` of `site`: each output with its job, and every problem found.
pub(crate) fn render_jobs(
    site: &Site,
    templates: &mut Templates,
    jobs: &[Job],
) -> (Vec<(Job, Output)>, Vec<Diagnostic>) {
    render_jobs_keeping(site, templates, jobs, &mut Kept::default())
}

/// What a render leaves for the next render of the same site: the values of records, data and pages,
/// made again when [`Kept::forget`] was called since (the preview keeps them when only posts
/// changed: a data file or a page reads no post), and records also when what they read of posts
/// (an author's list of posts) changed.
#[derive(Default)]
pub(crate) struct Kept {
    records: Option<KeptRecords>,
    data: Option<Value>,
    /// `all_pages`.
    pages: Option<Value>,
}

/// Each record's value, and `collections`, by language; with what they read of posts (an
/// author's record lists their posts), [`records_read_of_posts`].
type KeptRecords = (u64, Vec<Vec<Vec<Value>>>, Vec<Value>);

/// A fingerprint of what record values read of posts: each author's posts, with their title,
/// address, date and language (0 when no collection holds the authors).
fn records_read_of_posts(site: &Site) -> u64 {
    use std::hash::{Hash, Hasher};
    if site.authors.collection.is_none() {
        return 0;
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    site.authors.posts_of.hash(&mut hasher);
    for post in &site.posts {
        (&post.title, &post.url, post.date, &post.lang).hash(&mut hasher);
    }
    hasher.finish()
}

impl Kept {
    /// Something else than posts changed: the next render makes every value again.
    pub(crate) fn forget(&mut self) {
        *self = Kept::default();
    }
}

/// [`render_jobs`], reusing the values `kept` holds and leaving this render's there.
pub(crate) fn render_jobs_keeping(
    site: &Site,
    templates: &mut Templates,
    jobs: &[Job],
    kept: &mut Kept,
) -> (Vec<(Job, Output)>, Vec<Diagnostic>) {
    let mut outputs = Vec::with_capacity(jobs.len());
    let mut problems = Vec::new();
    let whole = Batches {
        first: 0,
        size: jobs.len(),
    };
    render_in_batches(site, templates, jobs, kept, whole, |batch, found| {
        outputs.extend(batch);
        problems.extend(found);
    });
    (outputs, problems)
}

/// How [`render_in_batches`] splits its jobs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Batches {
    /// The first this many jobs make a batch of their own (the pages the preview shows first);
    /// 0 for none.
    pub(crate) first: usize,
    /// The size of every other batch.
    pub(crate) size: usize,
}

/// Renders `jobs` a batch at a time (in parallel within a batch), handing each batch's outputs
/// and problems to `sink` before the next is rendered: a build writes each batch and drops it,
/// so memory holds one batch of pages rather than the whole site. The values many pages show
/// (post cards, records, globals) are made once for all batches.
pub(crate) fn render_in_batches(
    site: &Site,
    templates: &mut Templates,
    jobs: &[Job],
    kept: &mut Kept,
    batches: Batches,
    mut sink: impl FnMut(Vec<(Job, Output)>, Vec<Diagnostic>),
) {
    let batch = batches.size;
    let timer = crate::progress::PhaseTimer::start();
    // `asset()` names files after their current bytes (the preview's edits included).
    templates.refresh_assets(site);
    // Beyond CARD_BUDGET posts, the cards are made for each batch of listings and dropped after
    // it, rather than all kept for the whole render.
    let budget = crate::testing::test_hook("GAZETTE_TEST_CARD_BUDGET")
        .and_then(|b| usize::try_from(b).ok())
        .unwrap_or(CARD_BUDGET);
    let bounded = !templates.reads_all_posts && site.posts.len() > budget;
    // The preview's first batch (the pages browsers show) waits only for its own cards: the
    // others are made after it is handed over.
    let first = batches.first.min(jobs.len());
    let cards_after_first = !bounded && !templates.reads_all_posts && first > 0;
    let mut shared = shared(site, templates, jobs, kept, !bounded && !cards_after_first);
    timer.lap("render: shared values");
    // Site-wide values go into tera's global context once; every render reads them by reference.
    *templates.tera.global_context() = globals(site, &shared, templates.reads_all_posts, kept);
    timer.lap("render: globals");
    let templates = &*templates;

    let lang = crate::check::Lang::for_site(site);
    let watchdog = watchdog::Watchdog::start(lang);
    // Each chunk with the posts whose cards it needs, when they are made chunk by chunk.
    let chunks: Vec<(&[Job], Option<Vec<bool>>)> = if bounded {
        chunks_by_cards(site, jobs, batch.max(1), budget)
            .into_iter()
            .map(|(chunk, shown)| (chunk, Some(shown)))
            .collect()
    } else {
        let (head, rest) = jobs.split_at(first);
        let mut chunks: Vec<(&[Job], Option<Vec<bool>>)> = (first > 0)
            .then_some(head)
            .into_iter()
            .chain(rest.chunks(batch.max(1)))
            .map(|chunk| (chunk, None))
            .collect();
        if cards_after_first {
            chunks[0].1 = Some(shown_by(site, head));
            if let Some(after) = chunks.get_mut(1) {
                after.1 = Some(shown_by(site, jobs));
            }
        }
        chunks
    };
    for (chunk, shown) in chunks {
        if let Some(shown) = shown {
            cards_for(&mut shared, &shown);
        }
        let shared = &shared;
        let results: Vec<(Job, Result<Output, Diagnostic>)> = chunk
            .par_iter()
            .map(|job| {
                let _watched = watchdog.watch(|| {
                    let url = plan::url_of(site, job);
                    let template = plan::template_of(site, job);
                    match source_of(site, job) {
                        Some(file) => crate::msg!(
                            "{url} ({file}, template {template})",
                            url,
                            file = file.display(),
                            template
                        ),
                        None => crate::msg!("{url} (template {template})", url, template),
                    }
                });
                let output = render_job(site, templates, shared, job);
                (
                    *job,
                    output.map(|o| minified(under_base_path(o, site.config.base_path()), site)),
                )
            })
            .collect();
        let mut outputs = Vec::with_capacity(results.len());
        let mut problems = Vec::new();
        for (job, result) in results {
            match result {
                Ok(output) => outputs.push((job, output)),
                Err(d) => problems.push(d),
            }
        }
        sink(outputs, problems);
    }
}

/// A rendered page with its root-relative addresses under the site's base path (a site
/// published at `https://org.github.io/site/`), so every link works under that sub-path.
fn under_base_path(mut output: Output, base_path: &str) -> Output {
    if !base_path.is_empty()
        && let crate::output::Body::Bytes(bytes) = &output.body
        && let Some(html) = crate::text::utf8::as_str(bytes)
    {
        output.body = crate::output::Body::Bytes(
            crate::text::url::under_base_path(html, base_path).into_bytes(),
        );
    }
    output
}

/// The names `asset()` gives the files templates want now: plain output path → fingerprinted.
pub(crate) fn asset_names(site: &Site, wanted: &assets::Wanted) -> BTreeMap<String, String> {
    assets::outputs(&assets::assets(site), wanted)
        .into_iter()
        .filter_map(|o| Some((o.source?.to_string_lossy().into_owned(), o.path)))
        .collect()
}

/// `output` minified when site.yml says `minify: true` (see [`crate::output::minify`]).
fn minified(mut output: Output, site: &Site) -> Output {
    if site.config.minify
        && (output.path.ends_with(".html") || output.path.ends_with(".htm"))
        && let crate::output::Body::Bytes(bytes) = &output.body
        && let Some(html) = crate::text::utf8::as_str(bytes)
    {
        output.body = crate::output::Body::Bytes(crate::output::minify::html(html).into_bytes());
    }
    output
}

/// Renders every output of `site`. Returns all outputs, or every problem found.
pub(crate) fn render(
    site: &Site,
    templates: &mut Templates,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let jobs = plan::jobs(site);
    let (rendered, mut problems) = render_jobs(site, templates, &jobs);
    let mut outputs: Vec<Output> = rendered.into_iter().map(|(_, o)| o).collect();
    let pages: Vec<String> = outputs.iter().map(|o| o.path.clone()).collect();
    outputs.extend(extra_outputs(
        site,
        pages.iter().map(String::as_str),
        &templates.asset_paths,
    ));
    problems.extend(duplicate_outputs(&mut outputs));
    if problems.is_empty() {
        Ok(outputs)
    } else {
        Err(problems)
    }
}

/// How many post cards a render keeps at once when it need not keep them all
/// (`GAZETTE_TEST_CARD_BUDGET` in debug builds, so the tests reach this path on small sites).
/// A card takes about 2.9 KB (see [`cards`]), a quarter of what its post takes in the site
/// model, so a site that fits in memory fits its cards; beyond this many posts they are made for
/// each batch of listings instead. Made again and dropped per batch, they were the largest part
/// of the processor time that grew faster than the site: 100,000 posts kept whole build in
/// 12.9-13.3 s against 15.5-17.0 s, for 277 MiB more (1,407 MiB at the peak).
const CARD_BUDGET: usize = 250_000;

/// `jobs` in consecutive chunks of at most `batch` jobs whose listings show at most `budget`
/// posts together (a job showing more is a chunk of its own), each with the posts it shows.
fn chunks_by_cards<'j>(
    site: &Site,
    jobs: &'j [Job],
    batch: usize,
    budget: usize,
) -> Vec<(&'j [Job], Vec<bool>)> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut cards = 0;
    let mut shown_by_chunk = vec![false; site.posts.len()];
    for (i, job) in jobs.iter().enumerate() {
        let shown = plan::job_posts(site, job);
        if i > start && (i - start >= batch || cards + shown.len() > budget) {
            let shown_before =
                std::mem::replace(&mut shown_by_chunk, vec![false; site.posts.len()]);
            chunks.push((&jobs[start..i], shown_before));
            start = i;
            cards = 0;
        }
        cards += shown.len();
        for p in shown {
            shown_by_chunk[p] = true;
        }
    }
    if start < jobs.len() {
        chunks.push((&jobs[start..], shown_by_chunk));
    }
    chunks
}

/// Which posts the listings of `jobs` show.
fn shown_by(site: &Site, jobs: &[Job]) -> Vec<bool> {
    let mut shown = vec![false; site.posts.len()];
    for job in jobs {
        for p in plan::job_posts(site, job) {
            shown[p] = true;
        }
    }
    shown
}

/// Makes the cards of the posts `wanted` marks and drops the others.
fn cards_for(shared: &mut Shared, wanted: &[bool]) {
    let (contexts, maker) = (&shared.contexts, &shared.card_maker);
    let made: Vec<Option<Value>> = std::mem::take(&mut shared.post_cards)
        .into_par_iter()
        .enumerate()
        .map(
            |(i, card)| match (wanted.get(i).copied().unwrap_or(false), card) {
                (false, _) => None,
                (true, Some(card)) => Some(card),
                (true, None) => Some(maker.card(contexts, i)),
            },
        )
        .collect();
    shared.post_cards = made;
}

/// The values many pages of `jobs` show, each made once: languages, records, and the post cards
/// (when `cards`; else none yet, see [`cards_for`]).
fn shared<'a>(
    site: &'a Site,
    templates: &Templates,
    jobs: &[Job],
    kept: &mut Kept,
    cards: bool,
) -> Shared<'a> {
    let contexts = Contexts::new(site);
    let card_maker = cards::CardMaker::new(site, &contexts, templates.reads_toc);
    let wanted = match (templates.reads_all_posts, cards) {
        (true, _) => vec![true; site.posts.len()],
        (false, true) => shown_by(site, jobs),
        (false, false) => vec![false; site.posts.len()],
    };
    let post_cards = (0..site.posts.len())
        .into_par_iter()
        .map(|i| wanted[i].then(|| card_maker.card(&contexts, i)))
        .collect();
    let read = records_read_of_posts(site);
    if kept
        .records
        .as_ref()
        .is_some_and(|(was, _, _)| *was != read)
    {
        kept.records = None;
    }
    let (_, records, collections) = kept
        .records
        .get_or_insert_with(|| {
            let (records, collections) = record_values(site, &contexts);
            (read, records, collections)
        })
        .clone();
    Shared {
        languages: contexts.languages(),
        card_maker,
        post_cards,
        records,
        collections,
        contexts,
    }
}

/// Each record's value and `collections`, in each language of the site.
fn record_values(site: &Site, contexts: &Contexts) -> (Vec<Vec<Vec<Value>>>, Vec<Value>) {
    let records: Vec<Vec<Vec<Value>>> = (0..site.config.language_codes().len())
        .map(|l| {
            site.collections
                .iter()
                .enumerate()
                .map(|(c, collection)| {
                    (0..collection.records.len())
                        .into_par_iter()
                        .map(|r| to_value(&contexts.record(c, r, l)))
                        .collect()
                })
                .collect()
        })
        .collect();
    let collections = records
        .iter()
        .map(|in_language: &Vec<Vec<Value>>| {
            let by_name: BTreeMap<String, Value> = site
                .collections
                .iter()
                .zip(in_language)
                .map(|(c, values)| (c.name.clone(), Value::from(values.clone())))
                .collect();
            Value::from(by_name)
        })
        .collect();
    (records, collections)
}

/// `data`: each data file's value by name.
pub(crate) fn data_value(site: &Site) -> Value {
    let data: BTreeMap<String, Value> = site
        .data
        .iter()
        .map(|(k, v)| (k.clone(), Value::from_serializable(&v.value)))
        .collect();
    Value::from(data)
}

/// tera's global context: `site` (in the default language), `data` and `collections`; and,
/// when a template reads them, `all_posts` (every post, newest first, as Jekyll's `site.posts`),
/// `posts_by_tag` (tag as written → its posts, newest first, as Jekyll's `site.tags`) and
/// `all_pages` (every page, as Jekyll's `site.pages`).
fn globals(site: &Site, shared: &Shared, all_posts: bool, kept: &mut Kept) -> Context {
    let mut globals = Context::new();
    // The default language comes first.
    let default_site = shared.languages.first().map(|l| l.site.clone());
    globals.insert_value("site", default_site.unwrap_or_else(Value::none));
    let data = kept.data.get_or_insert_with(|| data_value(site));
    globals.insert_value("data", data.clone());
    let collections = shared.collections.first().cloned();
    globals.insert_value("collections", collections.unwrap_or_else(Value::none));
    if all_posts {
        globals.insert_value("all_posts", shared.cards(0..site.posts.len()));
        let pages = kept.pages.get_or_insert_with(|| {
            let pages: Vec<Value> = site
                .pages
                .par_iter()
                .map(|page| to_value(&shared.contexts.page(page, &page.body)))
                .collect();
            Value::from(pages)
        });
        globals.insert_value("all_pages", pages.clone());
        // Newest first, as Jekyll's `site.tags` lists them.
        let mut by_tag: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, post) in site.posts.iter().enumerate() {
            for tag in &post.tags {
                by_tag.entry(tag).or_default().push(i);
            }
        }
        let by_tag: BTreeMap<&str, Value> = by_tag
            .into_iter()
            .map(|(tag, posts)| (tag, shared.cards(posts)))
            .collect();
        globals.insert_value("posts_by_tag", Value::from_serializable(&by_tag));
    }
    globals
}

/// Renders one page: its own values, then what every page sees (`lang`, `site` in that language,
/// `current_url`, `canonical`), into the template [`plan::template_of`] names.
fn render_job(
    site: &Site,
    templates: &Templates,
    shared: &Shared,
    job: &Job,
) -> Result<Output, Diagnostic> {
    let config = &site.config;
    let url = plan::url_of(site, job);
    let template = plan::template_of(site, job);
    let source = source_of(site, job);
    let mut context = Context::new();
    let lang = job_context(site, templates, shared, job, &mut context)?;
    context.insert("lang", lang);
    // Pages in another language than the default see `site` and `collections` in their language.
    if let Some(l) = shared
        .languages
        .iter()
        .position(|l| l.code == lang && l.code != config.language)
    {
        context.insert_value("site", shared.languages[l].site.clone());
        if let Some(collections) = shared.collections.get(l) {
            context.insert_value("collections", collections.clone());
        }
    }
    context.insert("current_url", &url);
    context.insert("canonical", &url::absolute(config.base(), &url));
    if !templates.has(&template) {
        return Err(missing_template(site, source, &template));
    }
    let html = templates.render_bytes(&template, &context, source)?;
    Ok(Output::generated(&url, html, source))
}

/// The file a job's page comes from, to point errors at it.
fn source_of<'s>(site: &'s Site, job: &Job) -> Option<&'s Path> {
    match *job {
        Job::Post(i) => Some(&site.posts[i].file),
        Job::Page(i) => Some(&site.pages[i].file),
        Job::Record(c, r, _) => {
            let collection = &site.collections[c];
            let record = &collection.records[r];
            Some(record.body_file.as_deref().unwrap_or(&collection.file))
        }
        Job::Listing(..) => Some(Path::new(crate::source::config::FILE_NAME)),
        Job::Blog(l, _) => plan::blog_listing_page(site, l).map(|p| p.file.as_path()),
        Job::Home(_)
        | Job::Tag(..)
        | Job::Tags(_)
        | Job::NotFound(_)
        | Job::SiteMap(_)
        | Job::Search(_)
        | Job::Archive(..)
        | Job::Term(..)
        | Job::Terms(..) => None,
    }
}

/// Puts a job's own values into `context` (`page`, `posts`, `paginator`, `tag`, `tags`,
/// `record`, `records`, `collection`). Returns the page's language.
fn job_context<'s>(
    site: &'s Site,
    templates: &Templates,
    shared: &'s Shared,
    job: &Job,
    context: &mut Context,
) -> Result<&'s str, Diagnostic> {
    let contexts = &shared.contexts;
    let config = &site.config;
    let cards = || shared.cards(plan::job_posts(site, job));
    let lang = match *job {
        Job::Post(i) => {
            let page = to_value(&contexts.post(i, true));
            insert_content(context, &page);
            context.insert_value("page", page);
            &site.posts[i].lang
        }
        Job::Page(i) => return page_context(site, templates, shared, &site.pages[i], context),
        Job::Home(l) => {
            context.insert_value("posts", cards());
            &shared.languages[l].code
        }
        Job::Blog(l, n) => {
            let language = &shared.languages[l];
            let count = language.posts.len();
            let total = count.div_ceil(config.pagination.size.max(1)).max(1);
            let first = plan::blog_url(site, &language.code);
            let pattern = &config.pagination.path;
            let value = paginator(cards(), n, total, count, &first, pattern);
            context.insert_value("paginator", value);
            if let Some(page) = plan::blog_listing_page(site, l) {
                // The listing page's body is rendered with this `paginator`.
                return page_context(site, templates, shared, page, context);
            }
            &language.code
        }
        Job::Tag(t, n) => {
            let tag = &site.tags[t];
            let count = tag.posts.len();
            let total = count.div_ceil(plan::tag_page_size(site)).max(1);
            let pattern = &config.pagination.path;
            let value = paginator(cards(), n, total, count, &tag.url, pattern);
            context.insert_value("tag", to_value(&contexts.tag(t)));
            context.insert_value("paginator", value);
            context.insert_value("page", tag_page(site, tag));
            &tag.lang
        }
        Job::Tags(l) => {
            let language = &shared.languages[l];
            context.insert_value("tags", language_tags(site, contexts, &language.code));
            &language.code
        }
        Job::Record(c, r, l) => {
            context.insert_value("record", shared.records[l][c][r].clone());
            let code = &shared.languages[l].code;
            let page = to_value(&contexts.record_page(c, r, code));
            insert_content(context, &page);
            context.insert_value("page", page);
            code
        }
        Job::Listing(c, l, n) => browse_pages::listing(site, shared, (c, l, n), context),
        Job::NotFound(l) => &shared.languages[l].code,
        Job::Search(_) | Job::Term(..) | Job::Terms(..) | Job::Archive(..) => {
            browse_pages::job_context(site, shared, job, context)
        }
        Job::SiteMap(l) => {
            let language = &shared.languages[l];
            context.insert_value("posts", cards());
            let pages: Vec<_> = site
                .pages
                .iter()
                .filter(|p| p.lang == language.code)
                .map(|p| contexts.page_link(p))
                .collect();
            context.insert_value("pages", to_value(&pages));
            context.insert_value("tags", language_tags(site, contexts, &language.code));
            &language.code
        }
    };
    Ok(lang)
}

/// Puts `page` into `context`; for a `render: tera` page, renders its body first, which sees
/// `lang`, `page` (its `content` still the template), `posts` and every global.
fn page_context<'s>(
    site: &'s Site,
    templates: &Templates,
    shared: &Shared,
    page: &'s Page,
    context: &mut Context,
) -> Result<&'s str, Diagnostic> {
    let contexts = &shared.contexts;
    context.insert("lang", &page.lang);
    context.insert_value("page", to_value(&contexts.page(page, &page.body)));
    if page.renders_with_tera() {
        context.insert_value("posts", shared.cards(0..site.posts.len()));
        let html = render_page_body(site, templates, page, context)?;
        let value = to_value(&contexts.page_with_html(page, &page.body, &html));
        context.insert_value("page", value);
    }
    if let Some(value) = context.get("page").cloned() {
        insert_content(context, &value);
    }
    Ok(&page.lang)
}

/// `tags`: the tags of language `code`, as templates see them.
fn language_tags(site: &Site, contexts: &Contexts, code: &str) -> Value {
    let tags: Vec<_> = (0..site.tags.len())
        .filter(|&t| site.tags[t].lang == code)
        .map(|t| contexts.tag(t))
        .collect();
    to_value(&tags)
}

/// `page` on a tag's page, as Jekyll's tag pages had one: the tag's name as `title` and `tag`,
/// and the values of site.yml's `defaults` that apply to every file.
fn tag_page(site: &Site, tag: &crate::site::Tag) -> Value {
    let mut extra = serde_json::Map::new();
    for rule in site
        .config
        .defaults
        .iter()
        .filter(|r| r.path.trim_matches('/').is_empty())
    {
        for (key, value) in &rule.values {
            extra.entry(key.clone()).or_insert_with(|| value.clone());
        }
    }
    extra.insert("tag".into(), tag.name.clone().into());
    let mut page = extra.clone();
    page.insert("extra".into(), extra.into());
    for (key, value) in [
        ("kind", "tag"),
        ("title", &tag.name),
        ("url", &tag.url),
        ("lang", &tag.lang),
        ("content", ""),
    ] {
        page.insert(key.into(), value.into());
    }
    Value::from_serializable(&page)
}

/// `content`: the page's body HTML, as Jekyll layouts print it (`{{ content }}`).
fn insert_content(context: &mut Context, page: &Value) {
    if let Some(content) = page.get_from_path("content") {
        context.insert_value("content", content.clone());
    }
}

/// The HTML of a `render: tera` page's body: rendered with `context`, then, for a Markdown
/// page, turned from Markdown into HTML.
fn render_page_body(
    site: &Site,
    templates: &Templates,
    page: &Page,
    context: &Context,
) -> Result<String, Diagnostic> {
    let html = templates.render(&page_template_name(page), context, Some(&page.file))?;
    let is_markdown = !page
        .file
        .to_string_lossy()
        .to_ascii_lowercase()
        .ends_with(".html");
    if !is_markdown {
        return Ok(html);
    }
    let options = markdown::MarkdownOptions {
        typography: markdown::Typography::None,
        highlight: true,
        raw_html: site.config.raw_html,
        anchor_label: site.config.anchor_label(&page.lang),
    };
    Ok(markdown::render(&html, &options).html)
}

/// The error for a page whose template exists neither in the site nor in the theme.
fn missing_template(site: &Site, source: Option<&Path>, template: &str) -> Diagnostic {
    let line = source.map_or(0, |s| key_line(&site.root, s, "template"));
    let file = source.map_or_else(|| PathBuf::from("templates"), Path::to_path_buf);
    Diagnostic::error(
        Rule::Template,
        file,
        crate::msg!("the template `{template}` does not exist", template),
    )
    .at(line, if line > 0 { 1 } else { 0 })
    .help(crate::msg!(
        "create templates/{template} or use one of the theme's templates (post.html, page.html...)",
        template
    ))
}

fn key_line(root: &Path, file: &Path, key: &str) -> usize {
    std::fs::read_to_string(root.join(file))
        .ok()
        .and_then(|text| {
            text.lines()
                .position(|l| l.starts_with(&format!("{key}:")))
                .map(|i| i + 1)
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod pager_tests {
    use super::*;
    use crate::render::paginate::paginator;

    #[test]
    fn pages_are_a_window_around_the_current_one() {
        let numbers = |current: usize, total: usize| -> Vec<u64> {
            let value = paginator(
                Value::from(Vec::<Value>::new()),
                current,
                total,
                total * 10,
                "/blog/",
                "page/:num/",
            );
            let pages = value
                .get_from_path("pages")
                .and_then(|p| p.as_array().map(<[Value]>::to_vec));
            pages
                .unwrap_or_default()
                .iter()
                .filter_map(|p| p.get_from_path("number").and_then(Value::as_u64))
                .collect()
        };
        assert_eq!(numbers(50, 100), (46..=54).collect::<Vec<_>>());
        assert_eq!(numbers(1, 100), (1..=5).collect::<Vec<_>>());
        assert_eq!(numbers(100, 100), (96..=100).collect::<Vec<_>>());
        assert_eq!(numbers(1, 1), vec![1]);
    }
}
