//! The plan of a site: every page to render (a job), its URL, the template it uses and its key. The one source that rendering and the preview's dependency map both read.

use crate::site::{Page, Site};
use crate::text::url;

/// One HTML page to render, by indices into the [`Site`] it was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Job {
    /// A post's page.
    Post(usize),
    /// A page.
    Page(usize),
    /// The home page of a language (index into the site's languages), when no page has its URL.
    Home(usize),
    /// Page `n` (1-based) of a language's blog listing.
    Blog(usize, usize),
    /// Page `n` of a tag's listing.
    Tag(usize, usize),
    /// The list of a language's tags.
    Tags(usize),
    /// A collection record's page in a language (collection, record, language index).
    Record(usize, usize, usize),
    /// Page `n` of a collection's listing in a language (collection, language index, page).
    Listing(usize, usize, usize),
    /// The 404 page of a language (its index in `Config::language_codes`).
    NotFound(usize),
    /// The site map page of a language ("Plan du site"), when the theme has `sitemap.html`.
    SiteMap(usize),
    /// The search page of a language, when site.yml says `search: true`.
    Search(usize),
    /// Page `n` of an archive (index into `Site::archives`): a year or a month of the blog.
    Archive(usize, usize),
    /// Page `n` of a taxonomy value's listing (index into `Site::terms`).
    Term(usize, usize),
    /// The list of the values of a taxonomy (index in `Config::extra_taxonomies`) in a language.
    Terms(usize, usize),
}

/// The template of the site map page: a theme that has it gets a "Plan du site" page.
pub(crate) const SITE_MAP_TEMPLATE: &str = "sitemap.html";

/// Every page a full build renders with templates, in build order.
pub(crate) fn jobs(site: &Site) -> Vec<Job> {
    let size = site.config.pagination.size.max(1);
    let mut jobs: Vec<Job> = Vec::new();
    jobs.extend((0..site.posts.len()).map(Job::Post));
    jobs.extend(
        (0..site.pages.len())
            .filter(|&i| !site.pages[i].is_blog_listing())
            .map(Job::Page),
    );
    for (l, code) in site.config.language_codes().iter().enumerate() {
        let home_url = home_url(site, code);
        if !site.pages.iter().any(|p| p.url == home_url) {
            jobs.push(Job::Home(l));
        }
        let posts = site.posts_by_language.get(l).map_or(0, Vec::len);
        jobs.extend((1..=posts.div_ceil(size).max(1)).map(|n| Job::Blog(l, n)));
        jobs.push(Job::Tags(l));
        if has_site_map(site) {
            jobs.push(Job::SiteMap(l));
        }
        if site.config.search.enabled && has_template(site, SEARCH_TEMPLATE) {
            jobs.push(Job::Search(l));
        }
    }
    for (t, term) in site.terms.iter().enumerate() {
        let pages = term.posts.len().div_ceil(term_page_size(site, t)).max(1);
        jobs.extend((1..=pages).map(|n| Job::Term(t, n)));
    }
    for x in 0..site.config.extra_taxonomies().count() {
        jobs.extend((0..site.config.language_codes().len()).map(|l| Job::Terms(x, l)));
    }
    let archive_size = archive_page_size(site);
    for (a, archive) in site.archives.iter().enumerate() {
        jobs.extend(
            (1..=archive.posts.len().div_ceil(archive_size).max(1)).map(|n| Job::Archive(a, n)),
        );
    }
    let tag_size = tag_page_size(site);
    for (t, tag) in site.tags.iter().enumerate() {
        jobs.extend((1..=tag.posts.len().div_ceil(tag_size).max(1)).map(|n| Job::Tag(t, n)));
    }
    // Every record has a page in each language of the site (or of its collection's
    // `languages`): its `field_<lang>` values where given, the default language's otherwise.
    let languages = site.config.language_codes();
    for (c, collection) in site.collections.iter().enumerate() {
        for (l, code) in languages.iter().enumerate() {
            if !collection.config.has_language(code) {
                continue;
            }
            // A record without a URL (`body_required` and no body file) has no page.
            let with_page =
                (0..collection.records.len()).filter(|&r| !collection.records[r].url.is_empty());
            jobs.extend(with_page.map(|r| Job::Record(c, r, l)));
            if collection.config.listing.is_some() {
                let pages = crate::site::listing_pages(collection);
                jobs.extend((1..=pages).map(|n| Job::Listing(c, l, n)));
            }
        }
    }
    // Each language has its own 404 page: /404.html, /en/404.html; a page of the site at that
    // address replaces the theme's.
    jobs.extend(
        (0..site.config.language_codes().len())
            .map(Job::NotFound)
            .filter(|job| {
                let url = url_of(site, job);
                !site.pages.iter().any(|p| p.url == url)
            }),
    );
    jobs
}

/// The template of the search page.
pub(crate) const SEARCH_TEMPLATE: &str = "search.html";

/// True when the theme (or the site) has the template of a site map page.
pub(crate) fn has_site_map(site: &Site) -> bool {
    has_template(site, SITE_MAP_TEMPLATE)
}

/// True when the theme (or the site) has the template `name`.
pub(crate) fn has_template(site: &Site, name: &str) -> bool {
    site.sources.files.iter().any(|f| {
        matches!(f.kind, crate::source::layout::Kind::Template { .. }) && f.relative == name
    })
}

/// Posts per page of value `t` of a taxonomy: the pagination size, or all of them.
pub(crate) fn term_page_size(site: &Site, t: usize) -> usize {
    let term = &site.terms[t];
    match site.config.taxonomies.get(&term.taxonomy) {
        Some(settings) if settings.paginate => site.config.pagination.size.max(1),
        _ => usize::MAX,
    }
}

/// The name of the `x`-th taxonomy of site.yml besides tags.
pub(crate) fn taxonomy_name(site: &Site, x: usize) -> &str {
    site.config
        .extra_taxonomies()
        .nth(x)
        .map_or("", |(name, _)| name.as_str())
}

/// The list page of the `x`-th taxonomy in language `lang`.
pub(crate) fn terms_url(site: &Site, x: usize, lang: &str) -> String {
    let list = (site.config.extra_taxonomies().nth(x))
        .map(|(name, settings)| settings.list_of(name))
        .unwrap_or_default();
    site.config.lang_prefix(lang) + &url::normalize_permalink(&list)
}

/// Posts per archive page: `archives.paginate`, or all of them.
pub(crate) fn archive_page_size(site: &Site) -> usize {
    match site.config.archives.paginate {
        0 => usize::MAX,
        n => n,
    }
}

/// The posts (indices) of each language of the site (the default one first), newest first.
pub(crate) fn posts_by_language(site: &Site) -> Vec<Vec<usize>> {
    site.posts_by_language.clone()
}

/// Page `n` (1-based) of `posts` (newest first), `size` a page, in the listing's order.
fn page_of(posts: &[usize], n: usize, size: usize, oldest_first: bool) -> Vec<usize> {
    let skip = (n - 1) * size;
    if oldest_first {
        posts.iter().rev().skip(skip).take(size).copied().collect()
    } else {
        posts.iter().skip(skip).take(size).copied().collect()
    }
}

/// The posts (indices) whose cards a listing job shows.
pub(crate) fn job_posts(site: &Site, job: &Job) -> Vec<usize> {
    job_posts_in(site, &site.posts_by_language, job)
}

/// [`job_posts`] with the posts of each language already listed ([`posts_by_language`]).
pub(crate) fn job_posts_in(site: &Site, by_language: &[Vec<usize>], job: &Job) -> Vec<usize> {
    let size = site.config.pagination.size.max(1);
    let oldest_first = site.config.pagination.oldest_first;
    let of_language = |l: usize| -> &[usize] { by_language.get(l).map_or(&[], Vec::as_slice) };
    match *job {
        Job::Home(l) => of_language(l)
            .iter()
            .take(site.config.home_posts)
            .copied()
            .collect(),
        Job::Blog(l, n) => page_of(of_language(l), n, size, oldest_first),
        Job::Tag(t, n) => page_of(&site.tags[t].posts, n, tag_page_size(site), oldest_first),
        Job::Archive(a, n) => page_of(&site.archives[a].posts, n, archive_page_size(site), false),
        Job::Term(t, n) => page_of(
            &site.terms[t].posts,
            n,
            term_page_size(site, t),
            oldest_first,
        ),
        Job::SiteMap(l) => of_language(l).to_vec(),
        // A page rendered with tera may list any post.
        Job::Page(i) if site.pages.get(i).is_some_and(Page::renders_with_tera) => {
            (0..site.posts.len()).collect()
        }
        _ => Vec::new(),
    }
}

/// Posts per tag page: the pagination size, or all of them when tag pages are not paginated.
/// How many posts a tag listing page shows.
pub(crate) fn tag_page_size(site: &Site) -> usize {
    if site.config.pagination.tags {
        site.config.pagination.size.max(1)
    } else {
        usize::MAX
    }
}

/// A template page named independently of indices, so it can be found again after posts move.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Key {
    /// A post, by source file (as text: hashing strings is much faster than paths).
    Post(String),
    /// A page, by source file.
    Page(String),
    /// The home page of a language.
    Home(String),
    /// Page `n` of a language's blog listing.
    Blog(String, usize),
    /// Page `n` of a tag listing, by language and slug.
    Tag(String, String, usize),
    /// The tag list of a language.
    Tags(String),
    /// A record, by collection name, key and language.
    Record(String, String, String),
    /// Page `n` of a collection listing, by collection name and language.
    Listing(String, String, usize),
    /// The 404 page of a language.
    NotFound(String),
    /// The site map page of a language.
    SiteMap(String),
    /// The search page of a language.
    Search(String),
    /// Page `n` of an archive, by its URL.
    Archive(String, usize),
    /// Page `n` of a taxonomy value, by its URL.
    Term(String, usize),
    /// The list of a taxonomy's values, by taxonomy and language.
    Terms(String, String),
}

/// The page of record `r` of collection `c` in the `l`-th language of the site.
pub(crate) fn record_url(site: &Site, c: usize, r: usize, l: usize) -> &str {
    let record = &site.collections[c].records[r];
    if l == 0 {
        return &record.url;
    }
    site.config
        .language_codes()
        .get(l)
        .and_then(|code| record.other_urls.get(code))
        .unwrap_or(&record.url)
}

/// The code of the `l`-th language of the site (the default one first).
/// The page that gives the blog listing of language `l` its text (`listing: blog`), if any.
pub(crate) fn blog_listing_page(site: &Site, l: usize) -> Option<&Page> {
    let code = language_code(site, l);
    site.pages
        .iter()
        .find(|p| p.is_blog_listing() && p.lang == code)
}

pub(crate) fn language_code(site: &Site, l: usize) -> String {
    site.config
        .language_codes()
        .get(l)
        .cloned()
        .unwrap_or_default()
}

/// The stable key of a job of `site`.
pub(crate) fn key(site: &Site, job: &Job) -> Key {
    match *job {
        Job::Post(i) => Key::Post(site.posts[i].file.to_string_lossy().into_owned()),
        Job::Page(i) => Key::Page(site.pages[i].file.to_string_lossy().into_owned()),
        Job::Home(l) => Key::Home(language_code(site, l)),
        Job::Blog(l, n) => Key::Blog(language_code(site, l), n),
        Job::Tag(t, n) => Key::Tag(site.tags[t].lang.clone(), site.tags[t].slug.clone(), n),
        Job::Tags(l) => Key::Tags(language_code(site, l)),
        Job::Record(c, r, l) => Key::Record(
            site.collections[c].name.clone(),
            site.collections[c].records[r].key.clone(),
            language_code(site, l),
        ),
        Job::Listing(c, l, n) => {
            Key::Listing(site.collections[c].name.clone(), language_code(site, l), n)
        }
        Job::NotFound(l) => Key::NotFound(language_code(site, l)),
        Job::SiteMap(l) => Key::SiteMap(language_code(site, l)),
        Job::Search(l) => Key::Search(language_code(site, l)),
        Job::Archive(a, n) => Key::Archive(site.archives[a].url.clone(), n),
        Job::Term(t, n) => Key::Term(site.terms[t].url.clone(), n),
        Job::Terms(x, l) => Key::Terms(taxonomy_name(site, x).to_string(), language_code(site, l)),
    }
}

/// The template a job is rendered with.
pub(crate) fn template_of(site: &Site, job: &Job) -> String {
    match *job {
        Job::Post(i) => site.posts[i]
            .template
            .clone()
            .unwrap_or_else(|| "post.html".into()),
        Job::Page(i) => site.pages[i]
            .template
            .clone()
            .unwrap_or_else(|| "page.html".into()),
        Job::Home(_) => "index.html".into(),
        Job::Blog(l, _) => match blog_listing_page(site, l) {
            Some(page) => page.template.clone().unwrap_or_else(|| "page.html".into()),
            None => "blog.html".into(),
        },
        Job::Tag(..) => "tag.html".into(),
        Job::Tags(_) => "tags.html".into(),
        Job::Record(c, ..) => site.collections[c].config.template.clone(),
        Job::Listing(c, ..) => {
            let collection = &site.collections[c];
            collection
                .config
                .listing_template
                .clone()
                .unwrap_or_else(|| format!("{}.html", collection.name))
        }
        Job::NotFound(_) => "404.html".into(),
        Job::SiteMap(_) => SITE_MAP_TEMPLATE.into(),
        Job::Search(_) => SEARCH_TEMPLATE.into(),
        Job::Archive(..) => "archive.html".into(),
        Job::Term(..) => "taxonomy_term.html".into(),
        Job::Terms(..) => "taxonomy_list.html".into(),
    }
}

/// The path a job's page is written at.
pub(crate) fn url_of(site: &Site, job: &Job) -> String {
    let config = &site.config;
    match *job {
        Job::Post(i) => site.posts[i].url.clone(),
        Job::Page(i) => site.pages[i].url.clone(),
        Job::Home(l) => home_url(site, &language_code(site, l)),
        Job::Blog(l, n) => page_url(
            &blog_url(site, &language_code(site, l)),
            &config.pagination.path,
            n,
        ),
        Job::Tag(t, n) => page_url(&site.tags[t].url, &config.pagination.path, n),
        Job::Tags(l) => tags_url(site, &language_code(site, l)),
        Job::Record(c, r, l) => record_url(site, c, r, l).to_string(),
        Job::Listing(c, l, n) => page_url(&listing_url(site, c, l), &config.pagination.path, n),
        Job::NotFound(l) => format!(
            "{}/404.html",
            site.config.lang_prefix(&language_code(site, l))
        ),
        Job::SiteMap(l) => site_map_url(site, &language_code(site, l)),
        Job::Search(l) => search_url(site, &language_code(site, l)),
        Job::Archive(a, n) => page_url(&site.archives[a].url, &config.pagination.path, n),
        Job::Term(t, n) => page_url(&site.terms[t].url, &config.pagination.path, n),
        Job::Terms(x, l) => terms_url(site, x, &language_code(site, l)),
    }
}

/// The first page of the listing of collection `c` in the `l`-th language.
pub(crate) fn listing_url(site: &Site, c: usize, l: usize) -> String {
    let collection = &site.collections[c].config;
    let listing = site.config.listing_url(collection, &language_code(site, l));
    url::normalize_permalink(listing.as_deref().unwrap_or(""))
}

/// The home page of language `lang`: `/`, or `/en/` for a language with a prefix.
pub(crate) fn home_url(site: &Site, lang: &str) -> String {
    format!("{}/", site.config.lang_prefix(lang))
}

/// The site map page of language `lang`.
pub(crate) fn site_map_url(site: &Site, lang: &str) -> String {
    site.config.lang_prefix(lang) + &url::normalize_permalink(&site.config.permalinks.sitemap)
}

/// The search page of language `lang`.
pub(crate) fn search_url(site: &Site, lang: &str) -> String {
    site.config.lang_prefix(lang) + &url::normalize_permalink(&site.config.search.url)
}

/// The first page of the blog listing of language `lang`.
pub(crate) fn blog_url(site: &Site, lang: &str) -> String {
    site.config.lang_prefix(lang) + &url::normalize_permalink(&site.config.permalinks.blog)
}

/// The list of the tags of language `lang`.
pub(crate) fn tags_url(site: &Site, lang: &str) -> String {
    site.config.lang_prefix(lang) + &url::normalize_permalink(&site.config.permalinks.tags)
}

/// A listing cut into pages: the URL of page `n` (1-based) of the listing whose first page is
/// `first`, the others following `pattern` (`page/:num/`).
pub(crate) fn page_url(first: &str, pattern: &str, n: usize) -> String {
    if n == 1 {
        return first.to_string();
    }
    // A listing written as a file (`/defis.html`) has its next pages in a folder of its name:
    // `/defis/page/2/`.
    let first = first.strip_suffix("index.html").unwrap_or(first);
    let first = first.strip_suffix(".html").unwrap_or(first);
    let first = if first.ends_with('/') {
        first.to_string()
    } else {
        format!("{first}/")
    };
    url::normalize_permalink(&format!(
        "{first}{}",
        pattern.replace(":num", &n.to_string())
    ))
}
