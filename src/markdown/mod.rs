//! Markdown to HTML: the only module that knows pulldown-cmark and syntect.
//!
//! [`render`] makes one pass over pulldown-cmark's events and, along the way,
//! gives every heading a unique id and an anchor link, highlights fenced code
//! with syntect (CSS classes prefixed with `hl-`), applies French or English
//! typography to visible text, numbers footnotes with prefixed ids, counts
//! words and collects links. The transformed events are then written with
//! [`pulldown_cmark::html::push_html`].

mod embeds;
mod figure;
mod highlight;
mod html_scan;
mod render;
mod typography;

use crate::markdown::render::Renderer;
pub(crate) use crate::text::slug::slugify;
pub(crate) use highlight::{
    forget_highlights, highlight_cache_at, highlight_cache_bytes, mark_used as mark_highlights_used,
};
pub(crate) use html_scan::{attributes as tag_attributes, tag_end};
pub(crate) use typography::typeset_text;

use pulldown_cmark::{Options, Parser};

/// Which typographic conventions to apply to prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typography {
    /// `« guillemets »`, narrow no-break spaces before `; ! ?`, no-break space before `:`,
    /// `’` apostrophes, `…`.
    French,
    /// “Curly” ‘quotes’ and ’ apostrophes.
    English,
    /// Text is left untouched.
    None,
}

/// How a Markdown body is rendered.
#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    /// The typographic conventions of the text's language.
    pub typography: Typography,
    /// Highlight fenced code blocks that name a known language.
    pub highlight: bool,
    /// Keep raw HTML written in the Markdown (authors are trusted). When false, HTML tags are shown
    /// as text and HTML comments are dropped.
    pub raw_html: bool,
    /// What screen readers say for the `#` link beside each heading, in the page's language
    /// (the site's `anchor_label` interface string, else [`anchor_label`]); empty for no link
    /// (`heading_anchors: false`).
    pub anchor_label: std::borrow::Cow<'static, str>,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        Self {
            typography: Typography::None,
            highlight: true,
            raw_html: true,
            anchor_label: anchor_label("en").into(),
        }
    }
}

/// One entry of a page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`…
    pub level: u8,
    /// The heading's id (its anchor).
    pub id: String,
    /// The heading's text.
    pub title: String,
}

/// A Markdown body rendered to HTML, with what was learnt on the way.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML of the whole body.
    pub html: String,
    /// HTML of the text before a `<!-- more -->` line if present, else of the
    /// first paragraph; `None` if there is no paragraph.
    pub summary_html: Option<String>,
    /// The headings, in document order.
    pub toc: Vec<Heading>,
    /// Words of visible text (not code, not HTML tags). Elided articles count
    /// as words (`l'État` is two), hyphenated words as one (`peut-être`).
    pub word_count: usize,
    /// The keys of its highlighted code blocks in the highlight cache.
    pub highlighted: Vec<u64>,
}

/// The label of the `#` link beside headings for a page in `lang`: French for `fr` (and
/// `fr-CA`…), English otherwise.
pub fn anchor_label(lang: &str) -> &'static str {
    if lang == "fr" || lang.starts_with("fr-") {
        "Lien vers cette section"
    } else {
        "Link to this section"
    }
}
const WORDS_PER_MINUTE: usize = 220;

pub(crate) fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        // `> [!NOTE]`, `> [!WARNING]`…: callouts as GitHub writes them, a `markdown-alert-…`
        // class on the quote that themes style.
        | Options::ENABLE_GFM
}

/// Renders Markdown to HTML, with everything gazette needs to know about the page.
#[must_use]
pub fn render(source: &str, options: &MarkdownOptions) -> Rendered {
    let mut renderer = Renderer::new(source, options);
    for event in Parser::new_ext(source, parser_options()) {
        renderer.event(event);
    }
    renderer.finish()
}

/// Reading time in minutes at 220 words per minute, at least 1.
#[must_use]
pub fn reading_time(word_count: usize) -> usize {
    word_count.div_ceil(WORDS_PER_MINUTE).max(1)
}

// ---------------------------------------------------------------------------
// Rendering state machine
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// Code highlighting
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// Typography
// ---------------------------------------------------------------------------

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn github_callouts_become_classed_quotes() {
        let html = render(
            "> [!WARNING]\n> Le dossier ferme lundi.\n",
            &MarkdownOptions::default(),
        )
        .html;
        assert!(
            html.contains("<blockquote class=\"markdown-alert-warning\">"),
            "{html}"
        );
        assert!(!html.contains("[!WARNING]"), "{html}");
        let plain = render("> Une citation.\n", &MarkdownOptions::default()).html;
        assert!(plain.contains("<blockquote>"), "{plain}");
    }

    /// Every `id` attribute of `html`, in document order (what the renderer generated, as raw
    /// HTML in these tests has none).
    fn ids_of(html: &str) -> Vec<String> {
        html.split(" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(str::to_owned)
            .collect()
    }
    use crate::markdown::highlight::highlight_css;
    use crate::text::slug::heading_id;

    fn opts(typography: Typography) -> MarkdownOptions {
        MarkdownOptions {
            typography,
            highlight: true,
            raw_html: true,
            anchor_label: anchor_label("fr").into(),
        }
    }

    fn fr(source: &str) -> Rendered {
        render(source, &opts(Typography::French))
    }

    /// The HTML of a one-paragraph document, without `<p>` and `</p>\n`.
    fn paragraph(source: &str, typography: Typography) -> String {
        let html = render(source, &opts(typography)).html;
        html.strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>\n"))
            .unwrap_or_else(|| panic!("not one paragraph: {html:?}"))
            .to_owned()
    }

    #[test]
    fn heading_id_cases() {
        for (input, expected) in [
            ("Qu'est-ce qu'un défi ?", "qu-est-ce-qu-un-défi"),
            ("Été 2024 : bilan", "été-2024-bilan"),
            ("  --Hello__World--  ", "hello-world"),
            ("ÉCOLE Normale", "école-normale"),
            ("C++ & Rust", "c-rust"),
            ("🎉 !!", ""),
            ("", ""),
        ] {
            assert_eq!(heading_id(input), expected, "{input:?}");
        }
    }

    #[test]
    fn slugify_cases() {
        for (input, expected) in [
            ("Développement durable !", "developpement-durable"),
            ("développement", "developpement"),
            ("Intérêt général", "interet-general"),
            ("Ça coûte 10 €", "ca-coute-10"),
            ("Œuvre straße", "oeuvre-strasse"),
            ("  Hello,   World  ", "hello-world"),
            ("🎉🚀", ""),
            ("!!! ??? ---", ""),
            ("", ""),
        ] {
            assert_eq!(slugify(input), expected, "{input:?}");
        }
    }

    #[test]
    fn reading_time_cases() {
        for (words, minutes) in [(0, 1), (1, 1), (220, 1), (221, 2), (1000, 5)] {
            assert_eq!(reading_time(words), minutes, "{words}");
        }
    }

    #[test]
    fn heading_markup_and_anchor() {
        let r = fr("## Title");
        assert_eq!(
            r.html,
            "<h2 id=\"title\">Title <a class=\"anchor\" href=\"#title\" \
             aria-label=\"Lien vers cette section\">#</a></h2>\n"
        );
    }

    #[test]
    fn heading_ids_accents_uniqueness_explicit() {
        let r = fr(
            "# Qu'est-ce qu'un défi ?\n\n## Intro\n\n## Intro\n\n### Intro\n\n\
                    ## Autre {#custom .wide}\n\n## Le `main` fn\n\n#\n\n## Intro-1\n",
        );
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "qu-est-ce-qu-un-défi",
                "intro",
                "intro-1",
                "intro-2",
                "custom",
                "le-main-fn",
                "section",
                "intro-1-1"
            ]
        );
        assert!(r.html.contains("<h2 id=\"custom\" class=\"wide\">Autre <a"));
        assert!(r.html.contains("href=\"#qu-est-ce-qu-un-défi\""));
        assert_eq!(ids_of(&r.html), ids);
    }

    #[test]
    fn toc_levels_and_titles() {
        let r = fr("# Un\n\nTexte\n\n## Deux *emphase*\n\n### Quoi ?\n");
        assert_eq!(
            r.toc,
            vec![
                Heading {
                    level: 1,
                    id: "un".into(),
                    title: "Un".into()
                },
                Heading {
                    level: 2,
                    id: "deux-emphase".into(),
                    title: "Deux emphase".into()
                },
                Heading {
                    level: 3,
                    id: "quoi".into(),
                    title: "Quoi\u{202F}?".into()
                },
            ]
        );
    }

    #[test]
    fn summary_cases() {
        let none = MarkdownOptions {
            typography: Typography::None,
            highlight: false,
            raw_html: true,
            anchor_label: anchor_label("fr").into(),
        };
        for (source, expected) in [
            ("First para.\n\nSecond.\n", Some("<p>First para.</p>\n")),
            (
                "# Title\n\n- tight item\n\nThe para.\n",
                Some("<p>The para.</p>\n"),
            ),
            (
                "One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n",
                Some("<p>One.</p>\n<p>Two.</p>\n"),
            ),
            ("Intro\n<!-- more -->\nRest\n", Some("<p>Intro</p>\n")),
            ("```\n<!-- more -->\n```\n\nPara.\n", Some("<p>Para.</p>\n")),
            ("# Only a title\n", None),
            ("", None),
        ] {
            assert_eq!(
                render(source, &none).summary_html.as_deref(),
                expected,
                "{source:?}"
            );
        }
        let r = render("One.\n\n<!-- more -->\n\nTwo.\n", &none);
        assert!(r.html.starts_with("<p>One.</p>\n"));
        assert!(r.html.ends_with("<p>Two.</p>\n"));
    }

    #[test]
    fn footnotes_tables_tasklists_strikethrough() {
        let r = fr("Texte[^n] et[^n].\n\n[^n]: La note.\n\n\
                    | a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] fait\n- [ ] à faire\n\n~~barré~~\n");
        assert!(r.html.contains(
            "<sup class=\"footnote-reference\" id=\"fnref-n\"><a href=\"#fn-n\">1</a></sup>"
        ));
        assert!(
            r.html
                .contains("<sup class=\"footnote-reference\"><a href=\"#fn-n\">1</a></sup>")
        );
        assert!(
            r.html
                .contains("<div class=\"footnote-definition\" id=\"fn-n\">")
        );
        assert!(r.html.contains("<a href=\"#fnref-n\">1</a>"));
        assert_eq!(ids_of(&r.html), ["fnref-n", "fn-n"]);
        assert!(r.html.contains("<table><thead><tr><th>a</th>"));
        assert!(r.html.contains("<td>2</td>"));
        assert!(r.html.contains("type=\"checkbox\" disabled checked>"));
        assert!(r.html.contains("<del>barré</del>"));
    }

    #[test]
    fn footnote_ids_do_not_clash_with_headings() {
        let r = fr("# Fn 1\n\nA[^1].\n\n[^1]: Note.\n");
        let all = ids_of(&r.html);
        let mut ids = all.clone();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "{all:?}");
        assert!(all.contains(&"fn-1".to_owned()));
        assert!(all.contains(&"fn-1-1".to_owned()));
    }

    #[test]
    fn code_highlighting() {
        for lang in ["rust", "python", "yaml", "yml", "sh", "bash", "js", "Rust"] {
            let r = fr(&format!("```{lang}\nlet x = \"a < b\";\n```\n"));
            assert!(
                r.html
                    .starts_with(&format!("<pre class=\"code\" data-lang=\"{lang}\" tabindex=\"0\" role=\"group\" aria-label=\"Code {lang}\"><code>")),
                "{lang}: {}",
                r.html
            );
            assert!(r.html.contains("class=\"hl-"), "{lang}");
            assert!(r.html.contains("&lt;"), "{lang}");
            assert!(!r.html.contains("« "), "typography in code: {lang}");
        }
    }

    #[test]
    fn task_checkboxes_are_labelled_and_tables_scroll_in_a_reachable_box() {
        let html = fr("- [ ] a *b*\n- [x] c\n  - [ ] d\n\n| a | b |\n|---|---|\n| 1 | 2 |\n").html;
        assert!(
            html.contains(
                "<li><label><input type=\"checkbox\" disabled> a <em>b</em></label></li>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<label><input type=\"checkbox\" disabled checked> c</label>\n<ul>"),
            "{html}"
        );
        assert!(
            html.contains("<div class=\"table-scroll\" tabindex=\"0\"><table>"),
            "{html}"
        );
        assert!(html.contains("</table>\n</div>"), "{html}");
    }

    #[test]
    fn code_fallbacks() {
        let plain = MarkdownOptions {
            typography: Typography::French,
            highlight: false,
            raw_html: true,
            anchor_label: anchor_label("fr").into(),
        };
        for (source, options, expected) in [
            (
                "```klingon\nx < \"y\" : z\n```\n",
                opts(Typography::French),
                "<pre data-lang=\"klingon\" tabindex=\"0\" role=\"group\" aria-label=\"Code klingon\"><code class=\"language-klingon\">x &lt; \"y\" : z\n</code></pre>\n",
            ),
            (
                "```rust\nlet x = 'a';\n```\n",
                plain,
                "<pre data-lang=\"rust\" tabindex=\"0\" role=\"group\" aria-label=\"Code rust\"><code class=\"language-rust\">let x = 'a';\n</code></pre>\n",
            ),
            (
                "```\n\"a\" : b\n```\n",
                opts(Typography::French),
                "<pre tabindex=\"0\" role=\"group\" aria-label=\"Code\"><code>\"a\" : b\n</code></pre>\n",
            ),
            (
                "    \"indented\" ?\n",
                opts(Typography::French),
                "<pre tabindex=\"0\" role=\"group\" aria-label=\"Code\"><code>\"indented\" ?\n</code></pre>\n",
            ),
        ] {
            assert_eq!(render(source, &options).html, expected, "{source:?}");
        }
    }

    #[test]
    fn french_typography() {
        for (input, expected) in [
            ("\"bonjour\"", "«\u{202F}bonjour\u{202F}»"),
            (
                "Il dit \"bonjour\" !",
                "Il dit «\u{202F}bonjour\u{202F}»\u{202F}!",
            ),
            ("Quoi ?", "Quoi\u{202F}?"),
            ("Quoi?", "Quoi\u{202F}?"),
            ("Quoi ?!", "Quoi\u{202F}?!"),
            ("Vraiment !", "Vraiment\u{202F}!"),
            ("Note : ceci", "Note\u{A0}: ceci"),
            ("Note: ceci", "Note\u{A0}: ceci"),
            ("Fin :", "Fin\u{A0}:"),
            ("a ; b", "a\u{202F}; b"),
            ("(vraiment ?)", "(vraiment\u{202F}?)"),
            ("Rendez-vous à 10:30.", "Rendez-vous à 10:30."),
            ("Voir https://x.fr/a?b=c.", "Voir https://x.fr/a?b=c."),
            ("Voir https://x.fr !", "Voir https://x.fr\u{202F}!"),
            ("Voir www.x.fr/l'a", "Voir www.x.fr/l'a"),
            ("a:b", "a:b"),
            ("l'État", "l’État"),
            ("Attends...", "Attends…"),
            ("« mot »", "«\u{202F}mot\u{202F}»"),
            ("«mot»", "«\u{202F}mot\u{202F}»"),
            (
                "Déjà\u{202F}? Oui\u{A0}: «\u{202F}x\u{202F}»",
                "Déjà\u{202F}? Oui\u{A0}: «\u{202F}x\u{202F}»",
            ),
            ("\"*emph*\" !", "«\u{202F}<em>emph</em>\u{202F}»\u{202F}!"),
            ("`a : \"b\"` ?", "<code>a : \"b\"</code>\u{202F}?"),
            (
                "<span title=\"a : b\" data-x='y'>c'est</span>",
                "<span title=\"a : b\" data-x='y'>c’est</span>",
            ),
            ("<code>l'a : b</code>", "<code>l'a : b</code>"),
            (
                "[l'lien](https://x.fr/l'a \"t'i\")",
                "<a href=\"https://x.fr/l&#x27;a\" title=\"t&#39;i\">l’lien</a>",
            ),
            (
                "<https://x.fr/l'a>",
                "<a href=\"https://x.fr/l&#x27;a\">https://x.fr/l'a</a>",
            ),
            ("? seul", "? seul"),
        ] {
            assert_eq!(paragraph(input, Typography::French), expected, "{input:?}");
        }
    }

    #[test]
    fn english_and_no_typography() {
        for (input, typography, expected) in [
            (
                "He said \"hello\" and 'hi', it's fine.",
                Typography::English,
                "He said “hello” and ‘hi’, it’s fine.",
            ),
            ("\"*emph*\"", Typography::English, "“<em>emph</em>”"),
            ("`\"code\"`", Typography::English, "<code>\"code\"</code>"),
            ("Quoi ?", Typography::English, "Quoi ?"),
            (
                "\"a\" -- b... l'x : ?",
                Typography::None,
                "\"a\" -- b... l'x : ?",
            ),
        ] {
            assert_eq!(paragraph(input, typography), expected, "{input:?}");
        }
    }

    #[test]
    fn raw_html_passes_through() {
        let source = "<div class=\"x\">\n\"a\" : b\n</div>\n";
        assert_eq!(fr(source).html, source);
    }

    #[test]
    fn word_count_cases() {
        for (source, words) in [
            ("L'État, c'est moi.", 5),
            ("Peut-être à 10:30, 3,14 %", 4),
            ("Un `code` deux\n\n```\nx y z\n```\n", 2),
            ("caf&eacute; noir, ab\\-cd", 3),
            ("**gras**suite et *fin*", 3),
            ("# Titre\n\nÉlève déjà là", 4),
            ("Texte <span class=\"a b c\">visible</span>", 2),
            ("![alt text](x.png) légende", 1),
            ("日本語 テキスト", 2),
            ("🎉 — !", 0),
            ("", 0),
        ] {
            assert_eq!(
                render(source, &opts(Typography::French)).word_count,
                words,
                "{source:?}"
            );
        }
    }

    #[test]
    fn pathological_inputs_terminate() {
        let inputs = [
            ">".repeat(10_000),
            "> ".repeat(10_000),
            "[".repeat(10_000),
            "*".repeat(10_000),
            "> - ".repeat(5_000),
            "[a](".repeat(10_000),
            "\"".repeat(10_000),
            "**a".repeat(5_000),
            "<div>".repeat(10_000),
            "#".repeat(10_000),
            format!("```rust\n{}\n```", "{".repeat(10_000)),
        ];
        for input in &inputs {
            for typography in [Typography::French, Typography::English, Typography::None] {
                let r = render(input, &opts(typography));
                assert!(r.word_count <= input.len());
            }
        }
    }

    #[test]
    fn never_panics_on_noise() {
        const ALPHABET: &[&str] = &[
            "a",
            "é",
            " ",
            "\n",
            "\"",
            "'",
            ":",
            ";",
            "!",
            "?",
            ".",
            "«",
            "»",
            "`",
            "```",
            "*",
            "_",
            "#",
            ">",
            "-",
            "[",
            "]",
            "(",
            ")",
            "<",
            "/",
            "=",
            "^",
            "|",
            "~",
            "{#",
            "}",
            "https://",
            "\u{202F}",
            "\u{A0}",
            "<!-- more -->",
            "```rust\n",
            "\t",
            "1",
            "&",
            "\\",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..1_500 {
            let mut source = String::new();
            for _ in 0..(seed % 60) {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                source.push_str(ALPHABET[(seed >> 33) as usize % ALPHABET.len()]);
            }
            for typography in [Typography::French, Typography::English] {
                let r = render(&source, &opts(typography));
                let all = ids_of(&r.html);
                let mut ids = all.clone();
                ids.sort();
                ids.dedup();
                assert_eq!(ids.len(), all.len(), "duplicate ids for {source:?}");
            }
        }
    }

    #[test]
    fn empty_input() {
        let r = fr("");
        assert_eq!(r.html, "");
        assert_eq!(r.summary_html, None);
        assert!(r.toc.is_empty());
        assert_eq!(r.word_count, 0);
    }

    #[test]
    fn new_tab_links_get_noopener() {
        for (source, expected) in [
            (
                "<a href=\"https://x.example\" target=\"_blank\">x</a>",
                "<a href=\"https://x.example\" target=\"_blank\" rel=\"noopener\">x</a>",
            ),
            (
                "<a href='https://x.example' TARGET=_blank rel=\"external\">x</a>",
                "<a href='https://x.example' TARGET=_blank rel=\"noopener external\">x</a>",
            ),
            (
                "<a target=\"_blank\" rel=external href=\"/\">x</a>",
                "<a target=\"_blank\" rel=\"noopener external\" href=\"/\">x</a>",
            ),
            (
                "<a href=\"/\" target=\"_blank\" rel=\"noreferrer\">x</a>",
                "<a href=\"/\" target=\"_blank\" rel=\"noreferrer\">x</a>",
            ),
            (
                "<a href=\"/\" title=\"a > _blank\">x</a>",
                "<a href=\"/\" title=\"a > _blank\">x</a>",
            ),
            (
                "<abbr title=\"_blank\">x</abbr>",
                "<abbr title=\"_blank\">x</abbr>",
            ),
        ] {
            let html = render(source, &MarkdownOptions::default()).html;
            assert!(html.contains(expected), "{source}\n{html}");
        }
        // In a multi-line HTML block too.
        let html = render(
            "<div>\n<a href=\"https://x.example\"\n   target=\"_blank\">x</a>\n</div>\n",
            &MarkdownOptions::default(),
        )
        .html;
        assert!(
            html.contains("target=\"_blank\" rel=\"noopener\">"),
            "{html}"
        );
    }

    #[test]
    fn raw_html_can_be_turned_off() {
        let source = "Texte <b onclick=\"x()\">gras</b>\n\n<script>alert(1)</script>\n\n<!-- more -->\n\nFin\n";
        let kept = render(source, &MarkdownOptions::default());
        assert!(
            kept.html.contains("<script>alert(1)</script>"),
            "{}",
            kept.html
        );
        let off = render(
            source,
            &MarkdownOptions {
                raw_html: false,
                ..MarkdownOptions::default()
            },
        );
        assert!(!off.html.contains("<script"), "{}", off.html);
        assert!(!off.html.contains("<b "), "{}", off.html);
        assert!(
            off.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{}",
            off.html
        );
        assert!(
            off.html.contains("&lt;b onclick=\"x()\"&gt;gras"),
            "{}",
            off.html
        );
        assert!(
            !off.html.contains("more"),
            "comments are dropped: {}",
            off.html
        );
        assert_eq!(
            off.summary_html.as_deref(),
            Some(
                "<p>Texte &lt;b onclick=\"x()\"&gt;gras&lt;/b&gt;</p>\n&lt;script&gt;alert(1)&lt;/script&gt;\n"
            ),
            "the more marker still cuts the summary"
        );
    }

    #[test]
    fn css_has_prefixed_classes() {
        let css = highlight_css();
        assert!(css.contains(".hl-"), "{css}");
    }
}

#[cfg(test)]
mod highlight_cache_tests {
    #![allow(clippy::expect_used)]
    use super::*;
    use crate::markdown::highlight::CACHE_MAGIC;
    use crate::markdown::highlight::{highlight_css, load_highlight_cache};

    /// Each built-in theme ships the CSS of the highlight classes (so a build never loads
    /// syntect's themes); every copy must match what this version of syntect generates.
    #[test]
    fn the_built_in_themes_ship_the_current_highlight_css() {
        let shipped = [
            (
                "default",
                include_str!("../../themes/default/static/css/highlight.css"),
            ),
            (
                "dsfr",
                include_str!("../../themes/dsfr/static/css/highlight.css"),
            ),
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for (theme, css) in shipped {
            let path = root.join(format!("themes/{theme}/static/css/highlight.css"));
            if std::env::var_os("GAZETTE_WRITE_HIGHLIGHT_CSS").is_some() {
                std::fs::write(&path, highlight_css())
                    .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
                continue;
            }
            assert_eq!(
                css,
                highlight_css(),
                "regenerate {}: GAZETTE_WRITE_HIGHLIGHT_CSS=1 cargo test --lib the_built_in_themes_ship",
                path.display()
            );
        }
    }

    #[test]
    fn cached_blocks_survive_a_round_trip_and_give_the_same_html() {
        let source = "```rust\nfn cache_round_trip_marker() -> u8 { 42 }\n```\n";
        let options = MarkdownOptions {
            typography: Typography::None,
            highlight: true,
            raw_html: true,
            anchor_label: anchor_label("en").into(),
        };
        let first = render(source, &options).html;
        let bytes = highlight_cache_bytes().expect("a block highlighted anew is saved");
        assert!(bytes.len() > CACHE_MAGIC.len(), "the used block is saved");
        load_highlight_cache(&bytes);
        assert_eq!(render(source, &options).html, first);
        // Garbage and other versions are ignored, not trusted.
        load_highlight_cache(b"not a cache");
        load_highlight_cache(&bytes[..bytes.len() - 3]);
        assert_eq!(render(source, &options).html, first);
    }
}
