//! Machine-read outputs written without templates: RSS 2.0 and Atom feeds, sitemap.xml, robots.txt.

use crate::text::escape::escape_xml;
use rayon::prelude::*;
use std::fmt::Write as _;

use crate::output::Output;
use crate::site::{Post, Site};
use crate::text::dates;
use crate::text::url;

/// The feed of a tag, in the tag's folder.
pub(crate) fn tag_feed_url(tag_url: &str, file: &str) -> String {
    let folder = if tag_url.ends_with('/') {
        tag_url.to_string()
    } else {
        format!("{tag_url}/")
    };
    format!("{folder}{file}")
}

/// RSS and Atom for each language's blog, each tag, and each value of the taxonomies that ask.
pub(crate) fn feeds(site: &Site) -> Vec<Output> {
    let config = &site.config;
    let limit = config.feed.limit;
    let mut specs: Vec<FeedSpec> = Vec::new();
    for lang in config.language_codes() {
        let prefix = config.lang_prefix(&lang);
        let posts: Vec<usize> = (0..site.posts.len())
            .filter(|&i| site.posts[i].lang == lang)
            .take(limit)
            .collect();
        let title = config
            .languages
            .get(&lang)
            .and_then(|l| l.title.clone())
            .unwrap_or_else(|| config.title.clone());
        specs.push(FeedSpec {
            rss_url: format!("{prefix}/{}", config.feed.rss),
            atom_url: format!("{prefix}/{}", config.feed.atom),
            page: crate::site::plan::blog_url(site, &lang),
            title,
            lang,
            posts,
        });
    }
    let tags = (site.tags.iter().filter(|_| config.feed.tags))
        .map(|t| (&t.name, &t.url, &t.lang, &t.posts));
    // The values of the other taxonomies whose settings ask for feeds.
    let terms = site
        .terms
        .iter()
        .filter(|t| config.taxonomies.get(&t.taxonomy).is_some_and(|s| s.feed))
        .map(|t| (&t.name, &t.url, &t.lang, &t.posts));
    for (name, page, lang, list) in tags.chain(terms) {
        specs.push(FeedSpec {
            rss_url: tag_feed_url(page, &config.feed.rss),
            atom_url: tag_feed_url(page, &config.feed.atom),
            page: page.clone(),
            title: format!("{} – {}", config.title, name),
            lang: lang.clone(),
            posts: list.iter().copied().take(limit).collect(),
        });
    }
    // A post is in several feeds (its language's, each of its tags' and values', RSS and Atom):
    // its content, absolute and escaped, is made once.
    let mut in_a_feed = vec![false; site.posts.len()];
    for spec in &specs {
        for &i in &spec.posts {
            in_a_feed[i] = true;
        }
    }
    let base = config.base();
    let contents: Vec<Option<String>> = (0..site.posts.len())
        .into_par_iter()
        .map(|i| {
            in_a_feed[i].then(|| escape_xml(&absolutize(&site.posts[i].body.full_html(), base)))
        })
        .collect();
    let with_atom = !config.feed.atom.is_empty();
    specs
        .par_iter()
        .flat_map_iter(|spec| {
            let channel = Channel {
                title: &spec.title,
                lang: &spec.lang,
                page: &spec.page,
            };
            let items = Items {
                posts: &site.posts,
                which: &spec.posts,
                contents: &contents,
            };
            let rss = output(&spec.rss_url, rss(site, &channel, &spec.rss_url, &items));
            let atom = with_atom
                .then(|| output(&spec.atom_url, atom(site, &channel, &spec.atom_url, &items)));
            std::iter::once(rss).chain(atom)
        })
        .collect()
}

/// One feed to write, in both formats.
struct FeedSpec {
    rss_url: String,
    atom_url: String,
    page: String,
    title: String,
    lang: String,
    /// Indexes of its posts, newest first.
    posts: Vec<usize>,
}

/// The posts of a feed with their prepared contents.
struct Items<'a> {
    posts: &'a [Post],
    which: &'a [usize],
    /// Each post's content, absolute and escaped (for the posts some feed shows).
    contents: &'a [Option<String>],
}

impl<'a> Items<'a> {
    fn iter(&self) -> impl Iterator<Item = (&'a Post, &'a str)> + '_ {
        self.which.iter().map(|&i| {
            let content = self.contents[i].as_deref().unwrap_or_default();
            (&self.posts[i], content)
        })
    }

    /// Roughly the size of the items, to allocate the feed once.
    fn content_bytes(&self) -> usize {
        self.iter().map(|(_, content)| content.len() + 1024).sum()
    }

    fn first(&self) -> Option<&'a Post> {
        self.which.first().map(|&i| &self.posts[i])
    }
}

/// What a feed is about.
struct Channel<'a> {
    title: &'a str,
    lang: &'a str,
    page: &'a str,
}

fn output(url: &str, text: String) -> Output {
    Output {
        path: url::output_path(url),
        body: crate::output::Body::Bytes(text.into_bytes()),
        source: None,
    }
}

fn rss(site: &Site, channel: &Channel, self_url: &str, posts: &Items) -> String {
    let (title, page) = (channel.title, channel.page);
    let base = site.config.base();
    let mut x = String::with_capacity(4096 + posts.content_bytes());
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    let _ = writeln!(x, "<title>{}</title>", escape_xml(title));
    let _ = writeln!(x, "<link>{}</link>", escape_xml(&url::absolute(base, page)));
    let _ = writeln!(
        x,
        "<description>{}</description>",
        escape_xml(&site.config.description)
    );
    let _ = writeln!(x, "<language>{}</language>", escape_xml(channel.lang));
    let _ = writeln!(
        x,
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        escape_xml(&url::absolute(base, self_url))
    );
    if let Some(first) = posts.first() {
        let _ = writeln!(
            x,
            "<lastBuildDate>{}</lastBuildDate>",
            dates::rfc822(first.date)
        );
    }
    for (post, content) in posts.iter() {
        let link = url::absolute(base, &post.url);
        x.push_str("<item>\n");
        let _ = writeln!(x, "<title>{}</title>", escape_xml(&post.title));
        let _ = writeln!(x, "<link>{}</link>", escape_xml(&link));
        let _ = writeln!(x, "<guid isPermaLink=\"true\">{}</guid>", escape_xml(&link));
        let _ = writeln!(x, "<pubDate>{}</pubDate>", dates::rfc822(post.date));
        if !post.author.is_empty() {
            let _ = writeln!(
                x,
                "<dc:creator xmlns:dc=\"http://purl.org/dc/elements/1.1/\">{}</dc:creator>",
                escape_xml(&post.author)
            );
        }
        for tag in &post.tags {
            let _ = writeln!(x, "<category>{}</category>", escape_xml(tag));
        }
        let _ = writeln!(x, "<description>{content}</description>");
        x.push_str("</item>\n");
    }
    x.push_str("</channel>\n</rss>\n");
    x
}

fn atom(site: &Site, channel: &Channel, self_url: &str, posts: &Items) -> String {
    let (title, page) = (channel.title, channel.page);
    let base = site.config.base();
    let mut x = String::with_capacity(4096 + posts.content_bytes());
    let _ = writeln!(
        x,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape_xml(channel.lang)
    );
    let _ = writeln!(x, "<title>{}</title>", escape_xml(title));
    let _ = writeln!(
        x,
        "<link href=\"{}\"/>",
        escape_xml(&url::absolute(base, page))
    );
    let _ = writeln!(
        x,
        "<link rel=\"self\" href=\"{}\"/>",
        escape_xml(&url::absolute(base, self_url))
    );
    let _ = writeln!(x, "<id>{}</id>", escape_xml(&url::absolute(base, self_url)));
    let updated = posts.first().map_or_else(
        || "1970-01-01T00:00:00+00:00".to_string(),
        |p| dates::rfc3339(p.date),
    );
    let _ = writeln!(x, "<updated>{updated}</updated>");
    if !site.config.author.is_empty() {
        let _ = writeln!(
            x,
            "<author><name>{}</name></author>",
            escape_xml(&site.config.author)
        );
    }
    for (post, content) in posts.iter() {
        let link = url::absolute(base, &post.url);
        x.push_str("<entry>\n");
        let _ = writeln!(x, "<title>{}</title>", escape_xml(&post.title));
        let _ = writeln!(x, "<link href=\"{}\"/>", escape_xml(&link));
        let _ = writeln!(x, "<id>{}</id>", escape_xml(&link));
        let _ = writeln!(x, "<published>{}</published>", dates::rfc3339(post.date));
        let _ = writeln!(x, "<updated>{}</updated>", dates::rfc3339(post.date));
        if !post.author.is_empty() {
            let _ = writeln!(
                x,
                "<author><name>{}</name></author>",
                escape_xml(&post.author)
            );
        }
        for tag in &post.tags {
            let _ = writeln!(x, "<category term=\"{}\"/>", escape_xml(tag));
        }
        if !post.description.is_empty() {
            let _ = writeln!(x, "<summary>{}</summary>", escape_xml(&post.description));
        }
        let _ = writeln!(x, "<content type=\"html\">{content}</content>");
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// Feed readers show content out of the site: root-relative links and images must be absolute.
fn absolutize(html: &str, base: &str) -> String {
    html.replace("href=\"/", &format!("href=\"{base}/"))
        .replace("src=\"/", &format!("src=\"{base}/"))
}

/// `sitemap.xml` listing the HTML files among `paths` (output paths), except the 404 page.
pub(crate) fn sitemap_of_paths<'a>(site: &Site, paths: impl Iterator<Item = &'a str>) -> String {
    let base = site.config.base();
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut paths: Vec<&str> = paths
        .filter(|p| p.ends_with(".html") && *p != "404.html" && !p.ends_with("/404.html"))
        .collect();
    paths.sort_unstable();
    let mut dates: std::collections::HashMap<String, String> = site
        .posts
        .iter()
        .map(|p| (url::output_path(&p.url), dates::iso_day(p.date)))
        .collect();
    dates.extend(archive_dates(site));
    for path in paths {
        let shown = path.strip_suffix("index.html").unwrap_or(path);
        let _ = write!(
            x,
            "<url><loc>{}</loc>",
            escape_xml(&url::absolute(base, &format!("/{shown}")))
        );
        if let Some(date) = dates.get(path) {
            let _ = write!(x, "<lastmod>{date}</lastmod>");
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

/// The output path of each page of each archive (a year or month of the blog) and the date of
/// its newest post, its `<lastmod>`: a page of archives changes when a post of it does.
fn archive_dates(site: &Site) -> impl Iterator<Item = (String, String)> + '_ {
    let size = crate::site::plan::archive_page_size(site);
    let pattern = &site.config.pagination.path;
    site.archives.iter().flat_map(move |archive| {
        archive
            .posts
            .chunks(size)
            .enumerate()
            .filter_map(move |(n, page)| {
                let newest = page.iter().map(|&i| site.posts[i].date).max()?;
                let path = crate::site::plan::page_url(&archive.url, pattern, n + 1);
                Some((url::output_path(&path), dates::iso_day(newest)))
            })
    })
}

/// `robots.txt` allowing everything and naming the sitemap when there is one.
pub(crate) fn robots(site: &Site) -> String {
    if site.config.sitemap {
        let sitemap = url::absolute(site.config.base(), "/sitemap.xml");
        format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n")
    } else {
        "User-agent: *\nAllow: /\n".to_string()
    }
}
