//! Bilingual sites: URLs, listings and feeds per language, translations, interface strings,
//! dates and French typography, with the default theme.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{TestSite, html, select_attrs, select_texts};

const NNBSP: char = '\u{202f}';
const NBSP: char = '\u{a0}';

fn built() -> TestSite {
    let site = TestSite::fixture_with_theme("bilingual");
    site.build_ok(&[]);
    site
}

#[test]
fn each_language_has_its_urls_listings_tags_and_feeds() {
    let site = built();
    assert!(site.has_output("blog/2018/12/05/typographie.html"));
    assert!(site.has_output("en/blog/2018/12/05/typography.html"));
    let fr_blog = html(&site.output("blog/index.html"));
    let en_blog = html(&site.output("en/blog/index.html"));
    let fr_titles = select_texts(&fr_blog, "article h2, article h3");
    let en_titles = select_texts(&en_blog, "article h2, article h3");
    assert!(
        fr_titles.iter().any(|t| t == "Typographie"),
        "{fr_titles:?}"
    );
    assert!(
        !fr_titles.iter().any(|t| t == "Typography"),
        "{fr_titles:?}"
    );
    assert_eq!(en_titles, ["Typography"]);
    assert!(site.has_output("tag/developpement/index.html"));
    assert!(site.has_output("en/tag/development/index.html"));
    assert!(!site.has_output("tag/development/index.html"));
    let en_feed = feed_rs::parser::parse(site.output("en/feed.xml").as_bytes()).unwrap();
    assert_eq!(en_feed.entries.len(), 1);
    assert_eq!(en_feed.language.as_deref(), Some("en"));
    assert_eq!(en_feed.title.unwrap().content, "The Bulletin");
    let fr_feed = feed_rs::parser::parse(site.output("feed.xml").as_bytes()).unwrap();
    assert_eq!(fr_feed.entries.len(), 2);
    assert!(
        site.has_output("en/index.html"),
        "each language has a home page"
    );
    assert!(site.has_output("en/atom.xml"));
}

#[test]
fn translations_link_both_ways_with_hreflang_and_locale() {
    let site = built();
    let fr = html(&site.output("blog/2018/12/05/typographie.html"));
    let en = html(&site.output("en/blog/2018/12/05/typography.html"));
    assert_eq!(select_attrs(&fr, "html", "lang"), ["fr"]);
    assert_eq!(select_attrs(&en, "html", "lang"), ["en"]);
    assert_eq!(
        select_attrs(&fr, "link[hreflang=en]", "href"),
        ["https://bulletin.example/en/blog/2018/12/05/typography.html"]
    );
    assert_eq!(
        select_attrs(&en, "link[hreflang=fr]", "href"),
        ["https://bulletin.example/blog/2018/12/05/typographie.html"]
    );
    assert_eq!(
        select_attrs(&fr, "meta[property='og:locale']", "content"),
        ["fr_FR"]
    );
    assert_eq!(
        select_attrs(&en, "meta[property='og:locale']", "content"),
        ["en_US"]
    );
    // The switcher goes to the translation when there is one...
    assert_eq!(
        select_attrs(&fr, ".lang-switch a", "href"),
        ["/en/blog/2018/12/05/typography.html"]
    );
    assert_eq!(
        select_attrs(&en, ".lang-switch a", "href"),
        ["/blog/2018/12/05/typographie.html"]
    );
    // ...pages paired by the Jekyll-style `lang-ref` too...
    let who = html(&site.output("en/who.html"));
    assert_eq!(select_attrs(&who, ".lang-switch a", "href"), ["/qui.html"]);
    // ...and to the other language's home otherwise.
    let alone = html(&site.output("seule.html"));
    assert_eq!(select_attrs(&alone, ".lang-switch a", "href"), ["/en/"]);
    let en_home = html(&site.output("en/index.html"));
    assert_eq!(select_texts(&en_home, "h1"), ["The Bulletin"]);
}

#[test]
fn dates_and_interface_strings_follow_the_page_language() {
    let site = TestSite::fixture_with_theme("bilingual");
    // A site template using a string only the site defines, and only in French.
    site.write(
        "content/data/i18n.yml",
        "fr:\n  read_more: \"Lire la suite\"\n  published_on: \"Publié le\"\n  only_here: \"Seulement ici\"\nen:\n  published_on: \"Published on\"\n",
    );
    site.write(
        "templates/page.html",
        "{% extends \"theme/page.html\" %}{% block content %}<p class=\"only\">{{ t(key=\"only_here\") }}</p>{% endblock content %}",
    );
    let run = site.build_ok(&[]);
    let fr = site.output("blog/2018/12/05/typographie.html");
    let en = site.output("en/blog/2018/12/05/typography.html");
    assert!(fr.contains("5 décembre 2018"), "French long date");
    assert!(en.contains("December 5, 2018"), "English long date");
    assert!(en.contains("Published on"));
    assert!(fr.contains("Publié le"));
    // The site defines `read_more` in French only: English pages take the theme's own string.
    let en_blog = site.output("en/blog/index.html");
    assert!(en_blog.contains("Read more"), "{en_blog}");
    assert!(!en_blog.contains("read_more"), "{en_blog}");
    // A string nobody defines in English: the French one is used, and the build says where.
    let who = site.output("en/who.html");
    assert!(who.contains("Seulement ici"), "{who}");
    assert!(
        run.stderr.contains("templates/page.html:1:")
            && run
                .stderr
                .contains("the interface string `only_here` has no `en` text"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: add `only_here: ...` under `en:` in content/data/i18n.yml"),
        "{}",
        run.stderr
    );
}

#[test]
fn french_typography_in_text_only() {
    let site = built();
    let doc = html(&site.output("blog/2018/12/05/typographie.html"));
    let paragraphs = select_texts(&doc, "article p");
    let first = paragraphs
        .iter()
        .find(|p| p.starts_with("Il a dit"))
        .unwrap();
    assert_eq!(
        first,
        &format!("Il a dit «{NNBSP}bonjour{NNBSP}»{NNBSP}! Vraiment{NNBSP}? Oui{NBSP}: c’est ça.")
    );
    let raw = site.output("blog/2018/12/05/typographie.html");
    assert!(
        raw.contains("<code>&quot;x&quot; !</code>") || raw.contains("<code>\"x\" !</code>"),
        "code span untouched"
    );
    assert!(
        raw.contains("href=\"https://exemple.fr/?a=1&amp;b=2\""),
        "URL untouched"
    );
    assert!(raw.contains("title=\"a : b\""), "HTML attribute untouched");
    assert!(
        raw.contains("&quot;brut&quot; ; !") || raw.contains("\"brut\" ; !"),
        "code block untouched"
    );

    let off = html(&site.output("blog/2018/12/06/sans-typographie.html"));
    assert!(
        select_texts(&off, "article p")
            .iter()
            .any(|p| p == "Il a dit \"bonjour\" !")
    );

    let en = html(&site.output("en/blog/2018/12/05/typography.html"));
    assert!(
        select_texts(&en, "article p")
            .iter()
            .any(|p| p == "She said “hello” and it’s fine!")
    );
}

/// What gazette itself writes into a page (the heading anchors' label, the text of an alias's
/// redirect page) is in the page's language, not always in French.
#[test]
fn gazette_own_words_follow_the_page_language() {
    let site = TestSite::fixture_with_theme("bilingual");
    site.write(
        "content/posts/en/2018-12-07-headings.md",
        "---\ntitle: Headings\naliases: [/en/old-headings.html]\n---\n\n## A section\n\nText.\n",
    );
    site.write(
        "content/posts/2018-12-07-titres.md",
        "---\ntitle: Titres\naliases: [/ancien-titres.html]\n---\n\n## Une section\n\nTexte.\n",
    );
    site.build_ok(&[]);
    let english = html(&site.output("en/blog/2018/12/07/headings.html"));
    let french = html(&site.output("blog/2018/12/07/titres.html"));
    assert_eq!(
        select_attrs(&english, "h2 a.anchor", "aria-label"),
        ["Link to this section"]
    );
    assert_eq!(
        select_attrs(&french, "h2 a.anchor", "aria-label"),
        ["Lien vers cette section"]
    );
    let moved_en = site.output("en/old-headings.html");
    let moved_fr = site.output("ancien-titres.html");
    assert!(moved_en.contains("This page has moved"), "{moved_en}");
    assert!(!moved_en.contains("déménagé"), "{moved_en}");
    assert!(moved_fr.contains("Cette page a déménagé"), "{moved_fr}");
}

/// A site without strings of its own (a new or imported site) takes the theme's: no page shows
/// a raw interface key.
#[test]
fn a_site_without_strings_of_its_own_shows_no_raw_key() {
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        "title: Nouveau\nbase_url: https://nouveau.example\nlanguage: fr\nlanguages:\n  en: { title: New }\n",
    );
    site.write(
        "content/posts/2024-01-05-bonjour.md",
        "---\ntitle: Bonjour\ntags: [essai]\n---\n\n## Une partie\n\nTexte.\n",
    );
    site.write(
        "content/posts/en/2024-01-06-hello.md",
        "---\ntitle: Hello\ntags: [test]\n---\n\nText.\n",
    );
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("interface string"), "{}", run.stderr);
    let theme = std::fs::read_to_string(site.path().join("themes/default/i18n.yml")).unwrap();
    let keys: Vec<&str> = theme
        .lines()
        .filter_map(|l| l.strip_prefix("  ")?.split_once(':').map(|(k, _)| k))
        .filter(|k| k.contains('_'))
        .collect();
    assert!(keys.len() > 20, "{keys:?}");
    for entry in walkdir::WalkDir::new(site.path().join("public")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let page = html(&std::fs::read_to_string(entry.path()).unwrap());
            let text: String = page.root_element().text().collect();
            for key in &keys {
                assert!(
                    !text.contains(key),
                    "{} shows the raw key `{key}`",
                    entry.path().display()
                );
            }
        }
    }
}

/// Titles and descriptions get the typography of bodies (French non-breaking spaces, apostrophes)
/// where the theme shows them as text, never inside attributes.
#[test]
fn titles_and_descriptions_get_french_typography_as_text_only() {
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        "title: Typo\nbase_url: https://typo.example\nlanguage: fr\nlanguages:\n  en: { title: Typo }\n",
    );
    site.write(
        "content/posts/2024-01-05-bilan.md",
        "---\ntitle: \"Bilan : l'année des « données » !\"\ndescription: \"Pourquoi ? Parce que.\"\ntags: [essai]\n---\n\nTexte.\n",
    );
    site.write(
        "content/posts/en/2024-01-06-report.md",
        "---\ntitle: \"It's the \\\"report\\\"\"\ntags: [test]\n---\n\nText.\n",
    );
    site.build_ok(&[]);
    let page = site.output("blog/2024/01/05/bilan.html");
    assert!(
        page.contains("<h1>Bilan\u{a0}: l’année des «\u{202f}données\u{202f}»\u{202f}!</h1>"),
        "{page}"
    );
    // In attributes and the <title>, the text is as written.
    assert!(
        page.contains("<title>Bilan : l&#39;année des « données » !"),
        "{page}"
    );
    let home = site.output("index.html");
    assert!(
        home.contains("l’année des «\u{202f}données\u{202f}»\u{202f}!</a>"),
        "{home}"
    );
    let english = site.output("en/blog/2024/01/06/report.html");
    assert!(english.contains("It’s the “report”</h1>"), "{english}");
}

/// Each language has its 404 page, in its own words: /404.html and /en/404.html.
#[test]
fn each_language_has_its_own_404_page() {
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        "title: Deux\nbase_url: https://deux.example\nlanguage: fr\nlanguages:\n  en: { title: Two }\n",
    );
    site.write(
        "content/posts/2024-01-05-bonjour.md",
        "---\ntitle: Bonjour\ntags: [essai]\n---\n\nTexte.\n",
    );
    site.build_ok(&[]);
    let french = site.output("404.html");
    let english = site.output("en/404.html");
    assert!(french.contains("<html lang=\"fr\""), "{french}");
    assert!(english.contains("<html lang=\"en\""), "{english}");
    assert_ne!(
        select_texts(&html(&french), "h1"),
        select_texts(&html(&english), "h1")
    );
    assert!(!site.output("sitemap.xml").contains("404"));
}

/// Records have a page in each language: `field_en` values on the English page, the default
/// language's otherwise, with a notice that says so; the listing too.
#[test]
fn records_have_a_page_in_each_language_with_a_visible_fallback() {
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        "title: Deux\nbase_url: https://deux.example\nlanguage: fr\nlanguages:\n  en: { title: Two }\n\
         collections:\n  challenges:\n    data: challenges.yml\n    permalink: \"/defis/:slug.html\"\n\
         \x20   listing: \"/defis/\"\n    template: record.html\n    listing_template: challenges.html\n\
         \x20   bodies: challenges\n    body_key: title\n\
         \x20   permalinks: { en: \"/en/challenges/:slug.html\" }\n",
    );
    site.write(
        "content/challenges/carte-des-aides.md",
        "---\ntitle: \"Carte des aides\"\n---\n\nLe texte en français.\n",
    );
    site.write(
        "content/challenges/en/carte-des-aides.md",
        "---\ntitle: \"Carte des aides\"\n---\n\nThe English text.\n",
    );
    site.write(
        "content/data/challenges.yml",
        "\"Carte des aides\":\n  year: 2024\n  title_en: \"Map of grants\"\n  description: \"Une carte des aides publiques.\"\n  \
         description_en: \"A map of public grants.\"\n\"Rivières\":\n  year: 2024\n  description: \"La qualité des rivières.\"\n",
    );
    site.write(
        "content/posts/2024-01-05-bonjour.md",
        "---\ntitle: Bonjour\ntags: [essai]\n---\n\nTexte.\n",
    );
    site.build_ok(&[]);
    let french = html(&site.output("defis/carte-des-aides.html"));
    assert_eq!(select_texts(&french, "h1"), ["Carte des aides"]);
    assert_eq!(
        select_texts(&french, ".lead"),
        ["Une carte des aides publiques."]
    );
    let english_text = site.output("en/challenges/carte-des-aides.html");
    assert!(english_text.contains("<html lang=\"en\""), "{english_text}");
    let english = html(&english_text);
    assert_eq!(select_texts(&english, "h1"), ["Map of grants"]);
    assert_eq!(select_texts(&english, ".lead"), ["A map of public grants."]);
    assert!(select_texts(&english, ".notice--untranslated").is_empty());
    // The body in English from its own file, marked as English.
    assert!(english_text.contains("The English text."), "{english_text}");
    assert!(
        !english_text.contains("Le texte en français."),
        "{english_text}"
    );
    assert_eq!(select_attrs(&english, ".prose", "lang"), ["en"]);
    // The language switcher leads to the same record in the other language.
    assert_eq!(
        select_attrs(&english, "a[hreflang=fr]", "href"),
        ["/defis/carte-des-aides.html"]
    );
    assert!(
        site.output("defis/carte-des-aides.html")
            .contains("Le texte en français.")
    );
    // Not translated: the French text, and a notice in English saying so.
    let untranslated = html(&site.output("en/challenges/rivieres.html"));
    assert_eq!(
        select_texts(&untranslated, ".lead"),
        ["La qualité des rivières."]
    );
    let notice = select_texts(&untranslated, ".notice--untranslated").join(" ");
    assert!(notice.contains("French"), "{notice}");
    // The English listing links to the English pages.
    let listing = site.output("en/defis/index.html");
    assert!(
        listing.contains("/en/challenges/carte-des-aides.html"),
        "{listing}"
    );
}

/// `languages.en.tags` translates tag names on the English pages: the posts keep the name they
/// write, the English tag page has the translated name and address.
#[test]
fn tags_have_translated_names_in_other_languages() {
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        "title: Deux\nbase_url: https://deux.example\nlanguage: fr\nlanguages:\n  en:\n    title: Two\n    tags:\n      données: data\n",
    );
    site.write(
        "content/posts/2024-01-05-bonjour.md",
        "---\ntitle: Bonjour\ntags: [données]\n---\n\nTexte.\n",
    );
    site.write(
        "content/posts/en/2024-01-06-hello.md",
        "---\ntitle: Hello\ntags: [Données]\n---\n\nText.\n",
    );
    site.build_ok(&[]);
    assert!(site.has_output("tag/donnees/index.html"));
    assert!(site.has_output("en/tag/data/index.html"));
    assert!(!site.has_output("en/tag/donnees/index.html"));
    let post = html(&site.output("en/blog/2024/01/06/hello.html"));
    assert_eq!(select_attrs(&post, "a[rel=tag]", "href"), ["/en/tag/data/"]);
    assert_eq!(select_texts(&post, "a[rel=tag]"), ["data"]);
}

/// The heading anchor's label and the redirect page's words are interface strings: a site words
/// them in its i18n.yml, for each language.
#[test]
fn anchor_labels_and_redirect_pages_use_the_interface_strings() {
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        "title: Deux\nbase_url: https://deux.example\nlanguage: fr\nlanguages:\n  en: { title: Two }\n",
    );
    site.write(
        "content/data/i18n.yml",
        "fr:\n  anchor_label: \"Lien direct\"\nen:\n  anchor_label: \"Permalink\"\n  redirect_title: \"Moved\"\n  redirect_text: \"Now at:\"\n",
    );
    site.write(
        "content/posts/en/2024-01-06-hello.md",
        "---\ntitle: Hello\ntags: [test]\naliases: [/old-hello.html]\n---\n\n## Part\n\nText.\n",
    );
    site.write(
        "content/posts/2024-01-05-bonjour.md",
        "---\ntitle: Bonjour\ntags: [essai]\naliases: [/ancien.html]\n---\n\n## Partie\n\nTexte.\n",
    );
    site.build_ok(&[]);
    let english = site.output("en/blog/2024/01/06/hello.html");
    assert!(english.contains("Permalink"), "{english}");
    assert!(!english.contains("Link to this section"), "{english}");
    let french = site.output("blog/2024/01/05/bonjour.html");
    assert!(french.contains("Lien direct"), "{french}");
    let moved = site.output("old-hello.html");
    assert!(moved.contains("<title>Moved</title>"), "{moved}");
    assert!(moved.contains("Now at: <a href="), "{moved}");
    let ancien = site.output("ancien.html");
    assert!(
        ancien.contains("Cette page a déménagé : <a href="),
        "{ancien}"
    );
}

#[test]
fn a_collection_may_have_pages_in_its_own_languages_only() {
    let site = TestSite::empty_with_theme();
    let yml = |languages: &str| {
        format!(
            "title: Deux\nbase_url: https://deux.example\nlanguage: fr\nlanguages:\n  en: {{ title: Two }}\n\
             collections:\n  challenges:\n    data: challenges.yml\n    permalink: \"/defis/:slug.html\"\n\
             \x20   listing: \"/defis/\"\n    template: record.html\n    listing_template: challenges.html\n\
             \x20   languages: {languages}\n"
        )
    };
    site.write(
        "content/data/challenges.yml",
        "\"Carte des aides\":\n  year: 2024\n  description: \"Une carte des aides publiques.\"\n",
    );
    site.write(
        "content/posts/2024-01-05-bonjour.md",
        "---\ntitle: Bonjour\ntags: [essai]\n---\n\nTexte.\n",
    );
    // An imported Jekyll collection: pages in French only, as Jekyll published them.
    site.write("site.yml", &yml("[fr]"));
    site.build_ok(&[]);
    assert!(site.has_output("defis/carte-des-aides.html"));
    assert!(!site.has_output("en/defis/carte-des-aides.html"));
    assert!(!site.has_output("en/defis/index.html"));
    // English pages link to the listing that exists.
    let english_home = site.output("en/index.html");
    assert!(
        !english_home.contains("href=\"/en/defis/\""),
        "{english_home}"
    );
    // A language the site does not have is refused at its line.
    site.write("site.yml", &yml("[fr, de]"));
    let run = site.gazette(&["build", "--lang", "en"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr.contains("collections.challenges.languages") && run.stderr.contains("`de`"),
        "{}",
        run.stderr
    );
}
