//! The theme contract of the contexts, checked on the demo site.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_map()
        .expect("a map")
        .keys()
        .filter_map(|k| k.as_str())
        .collect();
    keys.sort_unstable();
    keys
}

fn sorted<'k>(list: &[&'k str]) -> Vec<&'k str> {
    let mut list = list.to_vec();
    list.sort_unstable();
    list
}

/// The keys themes/default/README.md documents, on the repository's own demo site.
#[test]
fn contexts_keep_the_theme_contract() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (site, problems) = crate::site::load(root, &crate::site::BuildOptions::default());
    let site = site.unwrap_or_else(|| panic!("the demo site loads: {problems:?}"));
    let contexts = Contexts::new(&site);
    let card = [
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
        "summary",
        "word_count",
        "reading_time",
        "toc",
        "authors",
        "taxonomies",
    ];
    let post = to_value(&contexts.post(0, true));
    let full: Vec<&str> = card
        .iter()
        .copied()
        .chain(["content", "previous", "next", "related"])
        .collect();
    assert_eq!(keys(&post), sorted(&full));
    assert_eq!(keys(&to_value(&contexts.post(0, false))), sorted(&card));
    // Content and summaries are HTML to print as is; everything else is escaped.
    let get = |v: &Value, k: &str| v.get_from_path(k).cloned().unwrap();
    assert!(get(&post, "content").is_safe() && get(&post, "summary").is_safe());
    assert!(!get(&post, "title").is_safe());
    // The newest post has no newer one: `next` is there, and `none`.
    assert!(get(&post, "next").is_none());
    let page = to_value(&contexts.page(&site.pages[0], &site.pages[0].body));
    let page_keys = [
        "kind",
        "title",
        "url",
        "permalink",
        "description",
        "image",
        "lang",
        "tags",
        "extra",
        "translations",
        "content",
        "summary",
        "word_count",
        "reading_time",
        "toc",
    ];
    assert_eq!(keys(&page), sorted(&page_keys));
    let record = to_value(&contexts.record(0, 0, 0));
    let record_keys = [
        "key",
        "title",
        "url",
        "permalink",
        "collection",
        "slug",
        "fields",
        "content",
        "content_lang",
        "untranslated",
        "translations",
        "links",
        "related",
        "posts",
    ];
    assert_eq!(keys(&record), sorted(&record_keys));
    let tag = to_value(&contexts.tag(0));
    assert_eq!(
        keys(&tag),
        sorted(&["name", "slug", "url", "count", "feed_url"])
    );
    let site_keys = [
        "title",
        "description",
        "tagline",
        "theme",
        "lang_prefix",
        "home_url",
        "languages",
        "base_url",
        "language",
        "author",
        "twitter",
        "menu",
        "footer_menu",
        "extra",
        "home_posts",
        "blog_url",
        "tags_url",
        "feed_url",
        "atom_url",
        "search_url",
        "listings",
    ];
    assert_eq!(keys(&to_value(&contexts.site("fr"))), sorted(&site_keys));
}

#[test]
fn translations_list_the_other_languages() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (site, _) = crate::site::load(root, &crate::site::BuildOptions::default());
    let site = site.expect("the demo site loads");
    let index = Translations::new(&site);
    let translated: Vec<&Post> = site
        .posts
        .iter()
        .filter(|p| p.translation_key.is_some())
        .collect();
    assert!(!translated.is_empty(), "the demo site has translated posts");
    let mut linked = 0;
    for post in translated {
        let found = index.of(post.translation_key.as_deref(), &post.lang);
        assert!(!found.contains_key(post.lang.as_str()));
        // The same as a scan of every post and page.
        let mut scanned = BTreeMap::new();
        let all = site
            .posts
            .iter()
            .map(|p| (&p.translation_key, &p.lang, &p.url));
        let pages = site
            .pages
            .iter()
            .map(|p| (&p.translation_key, &p.lang, &p.url));
        for (key, lang, url) in all.chain(pages) {
            if *key == post.translation_key && *lang != post.lang {
                scanned.insert(lang.as_str(), url.as_str());
            }
        }
        linked += found.len();
        assert_eq!(found, scanned);
    }
    assert!(linked > 0, "some translations are found");
    assert!(index.of(None, "fr").is_empty());
}
