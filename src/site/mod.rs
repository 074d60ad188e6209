//! The site model: validates loaded files into posts, pages, tags and cross-linked collection records.

mod body_cache;
mod browse;
mod collections;
mod fields;
mod page;
pub(crate) mod plan;
mod post;
pub(crate) mod record_files;
pub(crate) mod styles;
pub(crate) mod taxonomy;
pub(crate) mod update;

use crate::site::collections::build_collections;
use crate::site::page::page_from;
use crate::site::post::apply_defaults;
use crate::site::post::post_from;
use crate::site::taxonomy::build_tags;
pub(crate) use crate::text::dates::parse_date;
pub(crate) use browse::{
    Archive, Authors, listing_groups, listing_order, listing_page_size, listing_pages,
};
pub(crate) use collections::{Collection, Record};
pub(crate) use fields::RenderedBody;
pub(crate) use fields::rendered_body;
pub(crate) use page::Page;
pub(crate) use post::Post;
pub use post::parse_post_file_name;
pub(crate) use taxonomy::{Tag, Term, tag_slug};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::source::config::Config;
use crate::source::discover::{SourceFile, Sources};
use crate::source::layout::Kind;
use crate::source::load::{self, DataFile, Document};
pub(crate) use body_cache::{BodyCache, unreadable_bodies};

/// What to include in a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Build drafts (`_` file names, `draft: true`).
    pub drafts: bool,
    /// Build posts dated after today.
    pub future: bool,
    /// Replace `base_url` of site.yml.
    pub base_url: Option<String>,
    /// "Today", for future posts; the real date when None.
    pub today: Option<NaiveDate>,
    /// The language of messages (`--lang`); the site's language when None.
    pub lang: Option<crate::diagnostic::Lang>,
    /// The preview's own address (`http://127.0.0.1:1111`): it replaces the host of `base_url`,
    /// whose path is kept, so that the absolute addresses of the preview (canonical, og:, feeds,
    /// `abs_url`) lead to the preview and not to the published site.
    pub preview_origin: Option<String>,
}

/// The whole validated site.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// The site folder.
    pub root: PathBuf,
    /// Configuration, with the base URL override applied.
    pub config: Config,
    /// Posts, newest first.
    pub posts: Vec<Post>,
    /// Pages, by URL.
    pub pages: Vec<Page>,
    /// Tags sorted by language, then slug (`render` relies on this order to find a tag).
    pub tags: Vec<Tag>,
    /// For each language of `Config::language_codes` (default first), its posts' indices, newest first.
    pub posts_by_language: Vec<Vec<usize>>,
    /// Collections in site.yml order (sorted by name).
    pub collections: Vec<Collection>,
    /// The values of the taxonomies of site.yml but tags, sorted by taxonomy, language and slug.
    pub terms: Vec<Term>,
    /// The year (and month) pages of each language's blog (`archives:` in site.yml).
    pub archives: Vec<Archive>,
    /// For each post, its related posts (`related:` in site.yml), best first.
    pub related: Vec<Vec<usize>>,
    /// The posts' authors resolved to the records of `authors:` in site.yml.
    pub authors: Authors,
    /// Data files by name.
    pub data: BTreeMap<String, DataFile>,
    /// Every source file found.
    pub sources: Sources,
    /// Sass stylesheets, compiled.
    pub styles: Vec<styles::Style>,
    /// The theme's interface strings (language → key → text), before the site's overrides.
    pub theme_strings: Option<DataFile>,
    /// The posts left out because they are dated after today (without `--future`): date and
    /// file, sorted.
    pub future: Vec<(NaiveDate, PathBuf)>,
    /// The collections of site.yml left out because their data file could not be read: the
    /// checks of links to their pages do not run (one note says so instead).
    pub unreadable_collections: Vec<String>,
    /// The language gazette speaks to the writer in this run: `--lang`, else the site's.
    pub messages: crate::diagnostic::Lang,
}

/// Loads and validates the site in `root`. Returns the site when no error was found, and every
/// diagnostic (errors and warnings) in any case.
pub(crate) fn load(root: &Path, options: &BuildOptions) -> (Option<Site>, Vec<Diagnostic>) {
    load_with(root, options, None)
}

/// [`load`], the posts' bodies taken from `bodies` when they were rendered before.
pub(crate) fn load_with(
    root: &Path,
    options: &BuildOptions,
    bodies: Option<&BodyCache>,
) -> (Option<Site>, Vec<Diagnostic>) {
    let (site, problems) = load_lenient_with(root, options, bodies);
    let has_errors = problems.iter().any(Diagnostic::is_error);
    (if has_errors { None } else { site }, problems)
}

/// Like [`load`], but returns the site even when errors were found (without the files in error),
/// so that `gazette check` can report every content mistake at once. None only when site.yml
/// cannot be read.
pub(crate) fn load_lenient(root: &Path, options: &BuildOptions) -> (Option<Site>, Vec<Diagnostic>) {
    load_lenient_with(root, options, None)
}

fn load_lenient_with(
    root: &Path,
    options: &BuildOptions,
    bodies: Option<&BodyCache>,
) -> (Option<Site>, Vec<Diagnostic>) {
    let mut config = match Config::load(root) {
        Ok(config) => config,
        Err(problems) => return (None, problems),
    };
    if let Some(base) = &options.base_url {
        config.base_url = base.clone();
    }
    if let Some(origin) = &options.preview_origin {
        config.published_base_url = Some(config.base_url.clone());
        config.base_url = format!("{}{}/", origin.trim_end_matches('/'), config.base_path());
    }
    let (sources, mut problems) = crate::source::discover::discover(root, &config);
    crate::testing::test_pause_after_discovery();
    let today = options
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());

    let (theme_strings, mut data) = data_files(root, &sources, &mut problems);
    config.anchor_labels = anchor_labels(theme_strings.as_ref(), &data);

    let (post_results, page_docs, mut body_docs) = read_documents(
        root,
        &sources,
        &config,
        options,
        bodies,
        today,
        &mut problems,
    );
    let (kept_posts, future) = posts_of(post_results, &mut problems);

    let pages: Vec<Result<Option<Page>, Vec<Diagnostic>>> = page_docs
        .par_iter()
        .map(|doc| page_from(doc, &config, options))
        .collect();
    let mut kept_pages = Vec::new();
    for page in pages {
        match page {
            Ok(Some(page)) => kept_pages.push(page),
            Ok(None) => {}
            Err(found) => problems.extend(found),
        }
    }
    kept_pages.sort_by(|a, b| a.url.cmp(&b.url));

    let config_language = config.language.clone();
    let tags = build_tags(root, &kept_posts, &config, &mut problems);
    let posts_by_language = posts_by_language(&kept_posts, &config);
    let mut unreadable_collections = Vec::new();
    let collections = build_collections(
        &config,
        &data,
        &mut body_docs,
        &mut problems,
        &mut unreadable_collections,
    );
    if collections.iter().any(|c| c.config.group_by.is_some()) {
        let site_yml = std::fs::read_to_string(root.join(crate::source::config::FILE_NAME));
        let site_yml = site_yml.unwrap_or_default();
        problems.extend(browse::group_by_problems(&collections, &site_yml));
    }
    record_files::as_data(&collections, &mut data);
    let (styles, style_problems) = styles::compile_all(root, &sources);
    problems.extend(style_problems);

    let terms = taxonomy::build_terms(&kept_posts, &config);
    let (archives, related, authors) = browse_of(
        &config,
        &kept_posts,
        (&tags, &terms),
        &posts_by_language,
        &collections,
    );
    let site = Site {
        terms,
        archives,
        related,
        authors,
        root: root.to_path_buf(),
        config,
        posts: kept_posts,
        pages: kept_pages,
        tags,
        posts_by_language,
        collections,
        data,
        sources,
        styles,
        theme_strings,
        future,
        unreadable_collections,
        messages: options
            .lang
            .or_else(|| crate::diagnostic::Lang::from_code(&config_language))
            .unwrap_or_default(),
    };
    (Some(site), problems)
}

/// What [`browse`] computes from the model: archives, related posts, authors.
pub(crate) fn browse_of(
    config: &Config,
    posts: &[Post],
    (tags, terms): (&[Tag], &[Term]),
    by_language: &[Vec<usize>],
    collections: &[Collection],
) -> (Vec<Archive>, Vec<Vec<usize>>, Authors) {
    // Related posts share tags or values of the other taxonomies, each weighing as site.yml says.
    let weight = |name: &str| config.taxonomies.get(name).map_or(1.0, |t| t.weight);
    let tag_weight = weight("tags");
    let groups: Vec<(&[usize], f64)> = (tags.iter().map(|t| (t.posts.as_slice(), tag_weight)))
        .chain(
            terms
                .iter()
                .map(|t| (t.posts.as_slice(), weight(&t.taxonomy))),
        )
        .collect();
    let timer = crate::progress::PhaseTimer::start();
    let browse = (
        browse::archives(config, posts, by_language),
        browse::related(posts.len(), &groups, config.related.limit),
        browse::authors(config, posts, collections),
    );
    timer.lap("load: archives, related posts, authors");
    browse
}

/// The theme's interface strings and the site's data files, by name.
fn data_files(
    root: &Path,
    sources: &Sources,
    problems: &mut Vec<Diagnostic>,
) -> (Option<DataFile>, BTreeMap<String, DataFile>) {
    let mut theme_strings = None;
    for file in sources.of(&Kind::ThemeStrings) {
        let (loaded, found) = load::load_data(root, &file.path, &file.relative);
        problems.extend(found);
        theme_strings = loaded;
    }
    let mut data = BTreeMap::new();
    for file in sources.of(&Kind::Data) {
        let (loaded, found) = load::load_data(root, &file.path, &file.relative);
        problems.extend(found);
        if let Some(loaded) = loaded {
            data.insert(loaded.name.clone(), loaded);
        }
    }
    (theme_strings, data)
}

/// The `anchor_label` interface string of each language (the site's over the theme's).
fn anchor_labels(
    theme_strings: Option<&DataFile>,
    data: &BTreeMap<String, DataFile>,
) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    for layer in [theme_strings, data.get("i18n")].into_iter().flatten() {
        let Some(languages) = layer.value.as_object() else {
            continue;
        };
        for (lang, strings) in languages {
            if let Some(label) = strings.get("anchor_label").and_then(|v| v.as_str()) {
                labels.insert(lang.clone(), label.to_string());
            }
        }
    }
    labels
}

/// Reads the posts, pages and record bodies of `sources`: posts are made at once (see [`Loaded`]);
/// pages and bodies are given as documents; problems go to `problems`.
#[allow(clippy::type_complexity)]
fn read_documents(
    root: &Path,
    sources: &Sources,
    config: &Config,
    options: &BuildOptions,
    bodies: Option<&BodyCache>,
    today: NaiveDate,
    problems: &mut Vec<Diagnostic>,
) -> (
    Vec<LoadedPost>,
    Vec<Document>,
    BTreeMap<String, Vec<Document>>,
) {
    // A large site keeps its posts' HTML compressed until it is rendered. The preview, which
    // keeps every page it made in memory anyway, packs only on very large sites: it starts
    // sooner without.
    let posts = sources.of(&Kind::Post).count();
    let beyond = match options.preview_origin {
        None => PACKED_POSTS,
        Some(_) => PREVIEW_PACKED_POSTS,
    };
    let pack = posts
        > crate::testing::test_hook("GAZETTE_TEST_PACKED_POSTS")
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(beyond);
    // A build leaves that HTML in the cache file it read it from, until its page is rendered.
    if let Some(bodies) = bodies {
        bodies.keep_html_in_file(pack && options.preview_origin.is_none());
    }
    // Each post's text is read, parsed and made into a post in one go and then dropped, so the
    // sources (1 GB at 100,000 posts) are never all in memory beside the rendered posts.
    let loaded: Vec<(SourceFile, Loaded)> = sources
        .files
        .par_iter()
        .filter(|f| matches!(f.kind, Kind::Post | Kind::Page | Kind::Body(_)))
        .map(|f| {
            let doc = load::read_text(root, &f.path)
                .and_then(|text| load::parse_document(&text, &f.path, &f.relative));
            let loaded = match doc {
                Err(d) => Loaded::Unreadable(d),
                Ok(mut doc) => {
                    apply_defaults(config, &mut doc);
                    if f.kind == Kind::Post {
                        let mut post = post_of(&doc, config, options, bodies, today);
                        if let (Ok(Some(post)), _) = &mut post {
                            if pack {
                                post.body.pack();
                            } else {
                                post.body.unpack();
                            }
                        }
                        Loaded::Post(Box::new(post))
                    } else {
                        Loaded::Document(doc)
                    }
                }
            };
            (f.clone(), loaded)
        })
        .collect();

    let mut post_results = Vec::new();
    let mut page_docs = Vec::new();
    let mut body_docs: BTreeMap<String, Vec<Document>> = BTreeMap::new();
    for (file, loaded) in loaded {
        match loaded {
            Loaded::Unreadable(d) => problems.push(d),
            Loaded::Post(post) => post_results.push(*post),
            Loaded::Document(doc) => match file.kind {
                Kind::Page => page_docs.push(doc),
                Kind::Body(name) => body_docs.entry(name).or_default().push(doc),
                _ => {}
            },
        }
    }

    (post_results, page_docs, body_docs)
}

/// Beyond this many posts, their HTML is kept compressed between loading and rendering
/// (`GAZETTE_TEST_PACKED_POSTS` in debug builds, so the tests reach this path on small sites).
const PACKED_POSTS: usize = 2_000;

/// The same for the preview (see [`PACKED_POSTS`]).
const PREVIEW_PACKED_POSTS: usize = 20_000;

/// What reading one source file gave: a post (or why it is not one), another document, or the
/// reason it could not be read.
enum Loaded {
    Post(Box<LoadedPost>),
    Document(Document),
    Unreadable(Diagnostic),
}

/// A post file made into a post: the post, none (unpublished, a draft, or dated after today:
/// then with its date and file, for the future-posts notice), or its problems.
type LoadedPost = (
    Result<Option<Post>, Vec<Diagnostic>>,
    Option<(NaiveDate, PathBuf)>,
);

/// The post of `doc`, and its date when it is left out for being dated after `today`.
fn post_of(
    doc: &Document,
    config: &Config,
    options: &BuildOptions,
    bodies: Option<&BodyCache>,
    today: NaiveDate,
) -> LoadedPost {
    let post = post_from(doc, config, options, bodies, today);
    let future = match &post {
        Ok(None) => post::future_date(doc, options, today).map(|date| (date, doc.file.clone())),
        _ => None,
    };
    (post, future)
}

/// The posts of `loaded`, newest first, and those left out because they are dated after today
/// (sorted); their problems and the future-posts notice go to `problems`.
fn posts_of(
    loaded: Vec<LoadedPost>,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Post>, Vec<(NaiveDate, PathBuf)>) {
    let mut kept_posts = Vec::with_capacity(loaded.len());
    let mut future = Vec::new();
    for (post, left_out) in loaded {
        match post {
            Ok(Some(post)) => kept_posts.push(post),
            Ok(None) => future.extend(left_out),
            Err(found) => problems.extend(found),
        }
    }
    future.sort();
    problems.extend(post::future_notice(&future));
    // Newest first; the file path breaks ties so the order never depends on thread timing.
    kept_posts.sort_by(crate::site::post::newest_first);
    (kept_posts, future)
}

/// Brings [`Site::future`] up to date after the post files `changed` (relative paths) were
/// saved, created or removed, and returns the notice a fresh [`load`] would give (the preview's
/// fast path, which patches the model instead of loading it).
pub(crate) fn refresh_future(
    site: &mut Site,
    changed: &[PathBuf],
    options: &BuildOptions,
) -> Option<Diagnostic> {
    let today = options
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let posts_folder = crate::source::layout::posts_folder();
    site.future.retain(|(_, file)| !changed.contains(file));
    for path in changed {
        let relative = path
            .strip_prefix(&posts_folder)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let Ok(mut doc) = load::read_text(&site.root, path)
            .and_then(|text| load::parse_document(&text, path, &relative))
        else {
            continue;
        };
        apply_defaults(&site.config, &mut doc);
        if let Some(date) = post::future_date(&doc, options, today) {
            site.future.push((date, path.clone()));
        }
    }
    site.future.sort();
    post::future_notice(&site.future)
}

/// True when the front matter says `render: tera`: the body is a tera template.
pub(crate) fn renders_with_tera(doc: &Document) -> bool {
    doc.str("render") == Some("tera")
}

/// Each language's posts (indices into `posts`), in the order of `Config::language_codes`.
fn posts_by_language(posts: &[Post], config: &Config) -> Vec<Vec<usize>> {
    let codes = config.language_codes();
    let mut lists = vec![Vec::new(); codes.len()];
    for (i, post) in posts.iter().enumerate() {
        if let Some(l) = codes.iter().position(|c| *c == post.lang) {
            lists[l].push(i);
        }
    }
    lists
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_dates_and_slugs() {
        let cases = [
            (
                "2018-12-05-offre-stage.md",
                Some(("2018-12-05", "offre-stage")),
            ),
            (
                "18-12-05-offre-stage.md",
                Some(("2018-12-05", "offre-stage")),
            ),
            ("_19-01-02-brouillon.md", Some(("2019-01-02", "brouillon"))),
            ("2018-13-05-bad-month.md", None),
            ("hello.md", None),
            ("2018-12-05-.md", None),
        ];
        for (name, expected) in cases {
            let got = parse_post_file_name(name).map(|(d, s)| (d.to_string(), s));
            assert_eq!(
                got,
                expected.map(|(d, s)| (d.to_string(), s.to_string())),
                "{name}"
            );
        }
    }

    #[test]
    fn dates_in_several_forms() {
        for text in [
            "2024-01-05",
            "2024-01-05 10:30",
            "2024-01-05 10:30:00 +0100",
            "2024-01-05T10:30:00Z",
        ] {
            assert_eq!(
                parse_date(text).map(|d| d.date().to_string()),
                Some("2024-01-05".into()),
                "{text}"
            );
        }
        assert_eq!(parse_date("5 janvier"), None);
    }
}
