//! The values templates see: the site, a post or page, a record, a tag. Each is a struct that
//! borrows from the model, so the theme contract (themes/default/README.md) is written down as
//! types, and is turned into a tera value once ([`to_value`]).

use crate::markdown::Heading;
use crate::render::feed;
use crate::render::theme_context::{ThemeContext, theme_context};
use crate::site::plan;
use crate::site::{Page, Post, RenderedBody, Site};
use crate::source::config::MenuItem;
use crate::text::{dates, url};
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use tera::Value;

/// Front-matter or YAML fields as written (`extra`, `fields`).
type Fields = serde_json::Map<String, serde_json::Value>;

/// Front-matter keys also readable directly (`page.locale` as well as `page.extra.locale`), as
/// Jekyll and Hugo themes read them: every key but those the context itself defines.
pub(crate) struct Flat<'a> {
    fields: &'a Fields,
    reserved: &'static [&'static str],
}

impl Serialize for Flat<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (key, value) in self.fields {
            if !self.reserved.contains(&key.as_str()) {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

/// The keys of [`PostContext`] and [`PageContext`], which front matter cannot shadow.
pub(crate) const PAGE_KEYS: &[&str] = &[
    "kind",
    "title",
    "url",
    "permalink",
    "date",
    "datetime",
    "author",
    "description",
    "image",
    "twitter",
    "lang",
    "slug",
    "draft",
    "tags",
    "extra",
    "translations",
    "content",
    "summary",
    "word_count",
    "reading_time",
    "toc",
    "previous",
    "next",
    "authors",
    "related",
    "taxonomies",
];

/// A context turned into the value tera reads (tera values inside it are passed through).
pub(crate) fn to_value<T: Serialize>(context: &T) -> Value {
    Value::from_serializable(context)
}

/// HTML made by gazette (a body, a summary): templates print it as it is, not escaped.
#[derive(Clone)]
pub(crate) struct Html<'a>(pub(crate) std::borrow::Cow<'a, str>);

impl<'a> From<&'a str> for Html<'a> {
    fn from(text: &'a str) -> Html<'a> {
        Html(std::borrow::Cow::Borrowed(text))
    }
}

impl Serialize for Html<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A tera value met while serializing is taken as it is: here, a safe string.
        Value::safe_string(&self.0).serialize(serializer)
    }
}

/// One language's share of the site.
pub(crate) struct Language {
    pub(crate) code: String,
    /// Indices into `Site::posts`, newest first.
    pub(crate) posts: Vec<usize>,
    /// `site` as seen from this language.
    pub(crate) site: Value,
}

/// Template values built once per build and shared by every page (tera values are reference counted).
pub(crate) struct Shared<'a> {
    pub(crate) contexts: Contexts<'a>,
    pub(crate) card_maker: crate::render::cards::CardMaker<'a>,
    pub(crate) languages: Vec<Language>,
    /// Post cards, computed only for the posts the rendered listings show.
    pub(crate) post_cards: Vec<Option<Value>>,
    /// Each record's value, by language (as in `Config::language_codes`), collection and record.
    pub(crate) records: Vec<Vec<Vec<Value>>>,
    /// `collections` (each collection's records by name) in each language.
    pub(crate) collections: Vec<Value>,
}

impl Shared<'_> {
    /// The card of post `i` (`none` for a post no listing shows).
    pub(crate) fn card(&self, i: usize) -> Value {
        self.post_cards
            .get(i)
            .cloned()
            .flatten()
            .unwrap_or_else(Value::none)
    }

    /// The cards of posts `indices`, as one list.
    pub(crate) fn cards(&self, indices: impl IntoIterator<Item = usize>) -> Value {
        Value::from(
            indices
                .into_iter()
                .map(|i| self.card(i))
                .collect::<Vec<_>>(),
        )
    }
}

/// The posts and pages sharing each translation key, indexed once per build.
pub(crate) struct Translations<'a> {
    /// Translation key → (language, URL) of each post, then each page, in site order.
    by_key: HashMap<&'a str, Vec<(&'a str, &'a str)>>,
}

impl<'a> Translations<'a> {
    pub(crate) fn new(site: &'a Site) -> Translations<'a> {
        let posts = site
            .posts
            .iter()
            .map(|p| (&p.translation_key, &p.lang, &p.url));
        let pages = site
            .pages
            .iter()
            .map(|p| (&p.translation_key, &p.lang, &p.url));
        let mut by_key: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
        for (key, lang, url) in posts.chain(pages) {
            if let Some(key) = key {
                by_key.entry(key).or_default().push((lang, url));
            }
        }
        Translations { by_key }
    }

    /// `translations` of a post or page: language → URL of the others sharing its key (the
    /// last one wins when a language has several).
    pub(crate) fn of(&self, key: Option<&str>, own_lang: &str) -> BTreeMap<&'a str, &'a str> {
        key.and_then(|key| self.by_key.get(key))
            .into_iter()
            .flatten()
            .filter(|(lang, _)| *lang != own_lang)
            .copied()
            .collect()
    }
}

/// A post's tag: an item of `page.tags`.
#[derive(Serialize)]
pub(crate) struct TagLink<'a> {
    name: &'a str,
    slug: String,
    /// Empty when no tag page has this slug.
    url: &'a str,
}

/// `{title, url}` of a post: `page.previous`, `page.next`.
#[derive(Serialize)]
pub(crate) struct PostLink<'a> {
    title: &'a str,
    url: &'a str,
}

/// A post: `page` on its own page, and each item of `posts` / `paginator.items` (a card, without
/// `content`, `previous` and `next`).
#[derive(Serialize)]
pub(crate) struct PostContext<'a> {
    kind: &'static str,
    title: &'a str,
    url: &'a str,
    permalink: String,
    date: String,
    datetime: String,
    author: &'a str,
    description: &'a str,
    image: &'a str,
    twitter: &'a str,
    lang: &'a str,
    slug: &'a str,
    draft: bool,
    tags: Vec<TagLink<'a>>,
    extra: &'a Fields,
    #[serde(flatten)]
    flat: Flat<'a>,
    translations: BTreeMap<&'a str, &'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<Html<'a>>,
    summary: Html<'a>,
    word_count: usize,
    reading_time: usize,
    toc: &'a [Heading],
    /// The authors, linked to their records when the site has an authors' collection.
    authors: Vec<crate::render::browse_context::AuthorCard<'a>>,
    /// The values of the taxonomies of site.yml but tags: name → `[{name, slug, url, …}]`.
    taxonomies: BTreeMap<&'a str, Vec<crate::render::browse_context::TermContext<'a>>>,
    /// The related posts, on the post's own page.
    #[serde(skip_serializing_if = "Option::is_none")]
    related: Option<Vec<crate::render::browse_context::PostItem<'a>>>,
    /// The older post. Outer `None`: absent (cards); inner `None`: there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<Option<PostLink<'a>>>,
    /// The newer post, likewise.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<Option<PostLink<'a>>>,
}

/// A page: `page` on its own page.
#[derive(Serialize)]
pub(crate) struct PageContext<'a> {
    kind: &'static str,
    title: &'a str,
    url: &'a str,
    permalink: String,
    description: &'a str,
    image: &'a str,
    lang: &'a str,
    /// Always empty: pages have no tags.
    tags: [TagLink<'a>; 0],
    extra: &'a Fields,
    #[serde(flatten)]
    flat: Flat<'a>,
    translations: BTreeMap<&'a str, &'a str>,
    content: Html<'a>,
    summary: Html<'a>,
    word_count: usize,
    reading_time: usize,
    toc: &'a [Heading],
}

/// A record a record links to: an item of `record.links.*` and `record.related.*`.
#[derive(Serialize)]
pub(crate) struct RecordLink<'a> {
    key: &'a str,
    title: Cow<'a, str>,
    url: &'a str,
    fields: Cow<'a, Fields>,
}

/// A collection record: `record`, and each item of `records` and `collections.*`.
#[derive(Serialize)]
pub(crate) struct RecordContext<'a> {
    key: &'a str,
    title: Cow<'a, str>,
    url: &'a str,
    permalink: String,
    collection: &'a str,
    slug: &'a str,
    /// The fields in the page's language: `field_<lang>` where given, else `field`.
    fields: Cow<'a, Fields>,
    /// The text fields shown in the default language for want of a `field_<lang>` (empty in the
    /// default language): the theme says so on the page.
    untranslated: Vec<&'a str>,
    /// The language the body (`content`) is written in.
    content_lang: &'a str,
    /// The record's page in each other language: language code → URL.
    translations: BTreeMap<String, &'a str>,
    /// `none` when the record has no body file.
    content: Option<Html<'a>>,
    links: BTreeMap<&'a str, Vec<RecordLink<'a>>>,
    /// An author's posts (records of the collection `authors:` of site.yml names).
    posts: Vec<crate::render::browse_context::PostItem<'a>>,
    related: BTreeMap<&'a str, Vec<RecordLink<'a>>>,
}

/// `page` on a record's page: its body file as a document (its front matter, directly and under
/// `extra`), as Jekyll layouts read a collection document.
#[derive(Serialize)]
pub(crate) struct RecordPageContext<'a> {
    kind: &'static str,
    title: &'a str,
    url: &'a str,
    permalink: String,
    lang: &'a str,
    collection: &'a str,
    key: &'a str,
    fields: &'a Fields,
    extra: &'a Fields,
    #[serde(flatten)]
    flat: Flat<'a>,
    content: Html<'a>,
}

/// A record's fields in language `lang`: each `field` replaced by `field_<lang>` when given; and
/// the text fields left in the default language (none for the default language).
fn localized_fields<'a>(
    fields: &'a Fields,
    lang: &str,
    default: bool,
) -> (Cow<'a, Fields>, Vec<&'a str>) {
    if default {
        return (Cow::Borrowed(fields), Vec::new());
    }
    let suffix = format!("_{lang}");
    let mut localized = fields.clone();
    let mut untranslated = Vec::new();
    for (key, value) in fields {
        if let Some(field) = key.strip_suffix(&suffix) {
            localized.insert(field.to_string(), value.clone());
        } else if is_prose(value) && !fields.contains_key(&format!("{key}{suffix}")) {
            untranslated.push(key.as_str());
        }
    }
    (Cow::Owned(localized), untranslated)
}

/// A record's title in language `lang`: its `title_<lang>` when given.
fn localized_title<'a>(
    title: &'a str,
    fields: &'a Fields,
    lang: &str,
    default: bool,
) -> Cow<'a, str> {
    let translated = (!default)
        .then(|| {
            fields
                .get(&format!("title_{lang}"))
                .and_then(serde_json::Value::as_str)
        })
        .flatten();
    translated.map_or(Cow::Borrowed(title), Cow::Borrowed)
}

/// True for a value written in words (a sentence, a job title), which a translation would change;
/// not names of records, numbers, addresses or paths.
fn is_prose(value: &serde_json::Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| text.contains(' ') && !text.contains("://") && !text.starts_with('/'))
}

/// A tag: `tag`, and each item of `tags`.
#[derive(Serialize)]
pub(crate) struct TagContext<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
    feed_url: String,
}

/// An item of `site.languages`, for a language switcher.
#[derive(Serialize)]
pub(crate) struct LanguageLink<'a> {
    code: String,
    home_url: String,
    title: &'a str,
}

/// `site` as templates see it in one language.
#[derive(Serialize)]
pub(crate) struct SiteContext<'a> {
    title: &'a str,
    description: &'a str,
    tagline: &'a str,
    theme: ThemeContext<'a>,
    lang_prefix: String,
    /// Each collection's listing URL in this language (`site.listings.challenges`).
    listings: BTreeMap<&'a str, String>,
    home_url: String,
    languages: Vec<LanguageLink<'a>>,
    base_url: &'a str,
    language: &'a str,
    author: &'a str,
    twitter: &'a str,
    menu: &'a [MenuItem],
    footer_menu: &'a [MenuItem],
    extra: &'a Fields,
    home_posts: usize,
    blog_url: String,
    tags_url: String,
    /// The search page of this language; empty when the site has no search.
    search_url: String,
    feed_url: String,
    atom_url: String,
}

/// Builds the contexts of one site, with what they need indexed once per build.
pub(crate) struct Contexts<'a> {
    site: &'a Site,
    translations: Translations<'a>,
}

impl<'a> Contexts<'a> {
    pub(crate) fn new(site: &'a Site) -> Contexts<'a> {
        Contexts {
            site,
            translations: Translations::new(site),
        }
    }

    /// `translations` of post `index`: language → URL of its translations.
    pub(crate) fn post_translations(&self, index: usize) -> BTreeMap<&'a str, &'a str> {
        let post = &self.site.posts[index];
        (self.translations).of(post.translation_key.as_deref(), &post.lang)
    }

    /// Post `index` of the site: in full on its own page (`with_content`), else as a card (as
    /// [`super::cards`] makes it).
    pub(crate) fn post(&self, index: usize, with_content: bool) -> PostContext<'a> {
        let site = self.site;
        let post: &'a Post = &site.posts[index];
        let body = &post.body;
        // Posts are newest first: the previous (older) post is the next index.
        let neighbour = |i: Option<usize>| {
            i.and_then(|i| site.posts.get(i)).map(|p| PostLink {
                title: &p.title,
                url: &p.url,
            })
        };
        PostContext {
            kind: "post",
            title: &post.title,
            url: &post.url,
            permalink: url::absolute(site.config.base(), &post.url),
            date: dates::iso_day(post.date),
            datetime: dates::rfc3339(post.date),
            author: &post.author,
            description: &post.description,
            image: &post.image,
            twitter: &post.twitter,
            lang: &post.lang,
            slug: &post.slug,
            draft: post.draft,
            tags: self.tags(&post.lang, &post.tags),
            extra: &post.extra,
            flat: Flat {
                fields: &post.extra,
                reserved: PAGE_KEYS,
            },
            translations: self
                .translations
                .of(post.translation_key.as_deref(), &post.lang),
            content: with_content.then(|| Html(body.full_html())),
            summary: Html::from(body.summary.as_str()),
            word_count: body.word_count,
            reading_time: body.reading_time,
            toc: &body.toc,
            authors: crate::render::browse_context::authors(site, index),
            taxonomies: crate::render::browse_context::of_post(site, index),
            related: with_content.then(|| crate::render::browse_context::related(site, index)),
            previous: with_content.then(|| neighbour(index.checked_add(1))),
            next: with_content.then(|| neighbour(index.checked_sub(1))),
        }
    }

    /// A page, whose `content` is `body`'s HTML (its own body, or what its tera body rendered).
    pub(crate) fn page<'b>(&self, page: &'a Page, body: &'b RenderedBody) -> PageContext<'b>
    where
        'a: 'b,
    {
        self.page_with_html(page, body, &body.html)
    }

    /// [`Contexts::page`] with `content` replaced by `html`.
    pub(crate) fn page_with_html<'b>(
        &self,
        page: &'a Page,
        body: &'b RenderedBody,
        html: &'b str,
    ) -> PageContext<'b>
    where
        'a: 'b,
    {
        PageContext {
            kind: "page",
            title: &page.title,
            url: &page.url,
            permalink: url::absolute(self.site.config.base(), &page.url),
            description: &page.description,
            image: &page.image,
            lang: &page.lang,
            tags: [],
            extra: &page.extra,
            flat: Flat {
                fields: &page.extra,
                reserved: PAGE_KEYS,
            },
            translations: self
                .translations
                .of(page.translation_key.as_deref(), &page.lang),
            content: Html::from(html),
            summary: Html::from(body.summary.as_str()),
            word_count: body.word_count,
            reading_time: body.reading_time,
            toc: &body.toc,
        }
    }

    /// The tags of a post of language `lang` named `names`, linked to their pages.
    pub(crate) fn tags(&self, lang: &str, names: &'a [String]) -> Vec<TagLink<'a>> {
        let site = self.site;
        names
            .iter()
            .map(|name| {
                let slug = crate::site::tag_slug(name);
                // `site.tags` is sorted by language then slug: a binary search keeps posts with many
                // tags on sites with many tags linear (a scan here took minutes for 100,000 tags).
                let found = site
                    .tags
                    .binary_search_by(|t| {
                        (t.lang.as_str(), t.slug.as_str()).cmp(&(lang, slug.as_str()))
                    })
                    .ok()
                    .and_then(|i| site.tags.get(i))
                    .or_else(|| site.tags.iter().find(|t| t.slug == slug && t.lang == lang));
                TagLink {
                    name,
                    url: found.map_or("", |t| t.url.as_str()),
                    slug,
                }
            })
            .collect()
    }

    /// Record `record` of collection `collection`, in the `l`-th language of the site.
    pub(crate) fn record(&self, collection: usize, record: usize, l: usize) -> RecordContext<'a> {
        let site = self.site;
        let name = &site.collections[collection].name;
        let record_index = record;
        let url = plan::record_url(site, collection, record, l);
        let record = &site.collections[collection].records[record];
        let lang = plan::language_code(site, l);
        let group = |groups: &'a BTreeMap<String, Vec<(usize, usize)>>| {
            groups
                .iter()
                .map(|(k, list)| (k.as_str(), list.iter().map(|&t| self.link(t, l)).collect()))
                .collect()
        };
        let (fields, untranslated) = localized_fields(&record.fields, &lang, l == 0);
        // The body in the page's language when it has a file of its own, else the default one.
        let (content, content_lang) = match record.other_bodies.get(&lang) {
            Some((body, _)) if l > 0 => (
                Some(Html::from(body.html.as_str())),
                self.language_code_of(&lang),
            ),
            _ => (
                record.body.as_ref().map(|b| Html::from(b.html.as_str())),
                site.config.language.as_str(),
            ),
        };
        RecordContext {
            key: &record.key,
            title: localized_title(&record.title, &record.fields, &lang, l == 0),
            url,
            permalink: url::absolute(site.config.base(), url),
            collection: name,
            slug: &record.slug,
            fields,
            untranslated,
            content_lang,
            content,
            translations: (0..site.config.language_codes().len())
                .filter(|&other| other != l)
                .filter(|&other| {
                    let code = plan::language_code(site, other);
                    site.collections[collection].config.has_language(&code)
                })
                .map(|other| {
                    let url = plan::record_url(site, collection, record_index, other);
                    (plan::language_code(site, other), url)
                })
                .collect(),
            links: group(&record.links),
            posts: crate::render::browse_context::posts_of_author(
                site,
                collection,
                record_index,
                &lang,
            ),
            related: group(&record.related),
        }
    }

    /// `page` on the page of record `record` of collection `collection`.
    pub(crate) fn record_page(
        &self,
        collection: usize,
        record: usize,
        lang: &str,
    ) -> RecordPageContext<'a> {
        let site = self.site;
        let name = &site.collections[collection].name;
        let record = &site.collections[collection].records[record];
        RecordPageContext {
            kind: "record",
            title: record
                .body_front
                .get("title")
                .and_then(serde_json::Value::as_str)
                .unwrap_or(&record.title),
            url: &record.url,
            permalink: url::absolute(site.config.base(), &record.url),
            lang: self.language_code_of(lang),
            collection: name,
            key: &record.key,
            fields: &record.fields,
            extra: &record.body_front,
            flat: Flat {
                fields: &record.body_front,
                reserved: PAGE_KEYS,
            },
            content: Html::from(record.body.as_ref().map_or("", |b| b.html.as_str())),
        }
    }

    /// `lang` as a string that lives as long as the site (a language code of its config).
    fn language_code_of(&self, lang: &str) -> &'a str {
        let config = &self.site.config;
        if lang == config.language {
            return &config.language;
        }
        config
            .languages
            .get_key_value(lang)
            .map_or(config.language.as_str(), |(code, _)| code.as_str())
    }

    fn link(&self, (c, r): (usize, usize), l: usize) -> RecordLink<'a> {
        let target = &self.site.collections[c].records[r];
        let lang = plan::language_code(self.site, l);
        RecordLink {
            key: &target.key,
            title: localized_title(&target.title, &target.fields, &lang, l == 0),
            url: plan::record_url(self.site, c, r, l),
            fields: localized_fields(&target.fields, &lang, l == 0).0,
        }
    }

    /// Tag `t` of the site.
    pub(crate) fn tag(&self, t: usize) -> TagContext<'a> {
        let tag = &self.site.tags[t];
        TagContext {
            name: &tag.name,
            slug: &tag.slug,
            url: &tag.url,
            count: tag.posts.len(),
            feed_url: feed::tag_feed_url(&tag.url, &self.site.config.feed.rss),
        }
    }

    /// `site` in language `lang`: the language's title, description, menus and listing URLs,
    /// and the list of all languages for a switcher.
    pub(crate) fn site(&self, lang: &str) -> SiteContext<'a> {
        let config = &self.site.config;
        let settings = config.languages.get(lang);
        let prefix = config.lang_prefix(lang);
        let languages = config
            .language_codes()
            .into_iter()
            .map(|code| LanguageLink {
                home_url: plan::home_url(self.site, &code),
                title: config
                    .languages
                    .get(&code)
                    .and_then(|o| o.title.as_deref())
                    .unwrap_or(&config.title),
                code,
            })
            .collect();
        SiteContext {
            title: settings
                .and_then(|l| l.title.as_deref())
                .unwrap_or(&config.title),
            description: settings
                .and_then(|l| l.description.as_deref())
                .unwrap_or(&config.description),
            tagline: settings
                .and_then(|l| l.tagline.as_deref())
                .unwrap_or(&config.tagline),
            theme: theme_context(self.site, lang),
            home_url: format!("{prefix}/"),
            languages,
            base_url: config.base(),
            language: &config.language,
            author: &config.author,
            twitter: &config.twitter,
            menu: settings
                .and_then(|l| l.menu.as_deref())
                .unwrap_or(&config.menu),
            footer_menu: settings
                .and_then(|l| l.footer_menu.as_deref())
                .unwrap_or(&config.footer_menu),
            extra: &config.extra,
            home_posts: config.home_posts,
            blog_url: plan::blog_url(self.site, lang),
            tags_url: plan::tags_url(self.site, lang),
            search_url: if config.search.enabled {
                plan::search_url(self.site, lang)
            } else {
                String::new()
            },
            feed_url: format!("{prefix}/{}", config.feed.rss),
            atom_url: format!("{prefix}/{}", config.feed.atom),
            lang_prefix: prefix,
            listings: config
                .collections
                .iter()
                .filter_map(|(name, c)| Some((name.as_str(), config.listing_url(c, lang)?)))
                .collect(),
        }
    }

    /// `{title, url}` of a page, for lists of pages (the site map).
    pub(crate) fn page_link(&self, page: &'a Page) -> PostLink<'a> {
        PostLink {
            title: &page.title,
            url: &page.url,
        }
    }

    /// The site's languages, the default one first, with their posts.
    pub(crate) fn languages(&self) -> Vec<Language> {
        let site = self.site;
        site.config
            .language_codes()
            .into_iter()
            .map(|code| Language {
                posts: site
                    .posts
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.lang == code)
                    .map(|(i, _)| i)
                    .collect(),
                site: to_value(&self.site(&code)),
                code,
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "context_tests.rs"]
mod tests;
