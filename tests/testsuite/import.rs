//! `gazette import jekyll` on a small Jekyll site of our own (tests/fixtures/jekyll_basic): each
//! rule — permalink placeholders, two-digit years, front-matter dates, drafts, collections and
//! their references, translations, pages with and without permalinks, Liquid constructs, static
//! files, `_redirects` — checked on the imported site built by the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{fixtures, gazette_in, gazette_native_in, html, select_attrs, select_texts};

struct Imported {
    _tmp: tempfile::TempDir,
    dest: PathBuf,
    report: String,
    stdout: String,
}

impl Imported {
    fn output(&self, url: &str) -> String {
        let path = self
            .dest
            .join("public")
            .join(gazette::text::url::output_path(url));
        fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("no page for {url} ({}): {e}", path.display()))
    }
    fn has(&self, relative: &str) -> bool {
        self.dest.join("public").join(relative).is_file()
    }
    fn content(&self, relative: &str) -> String {
        fs::read_to_string(self.dest.join(relative)).unwrap()
    }
}

fn import_and_build(extra: &[&str]) -> Imported {
    let src = fixtures().join("jekyll_basic");
    let tmp = tempfile::tempdir().unwrap();
    let (run, dest) = crate::support::import_jekyll(&src, tmp.path());
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let build = gazette_in(&dest, &args);
    assert!(build.success(), "build failed:\n{}", build.stderr);
    let report = fs::read_to_string(dest.join("import-report.txt")).unwrap();
    Imported {
        _tmp: tmp,
        dest,
        report,
        stdout: run.stdout,
    }
}

fn text_of(page: &str, selector: &str) -> String {
    select_texts(&html(page), selector).join("|")
}

#[test]
fn posts_keep_their_jekyll_urls() {
    let site = import_and_build(&[]);
    // :title keeps the file name's case; a two-digit year is 20YY; the front-matter date wins.
    for (url, title) in [
        ("/news/2020/01/02/Hello-World.html", "Bonjour le monde"),
        ("/news/2019/03/04/two-digit.html", "Two digit year"),
        ("/news/2020/06/07/dated.html", "Dated by front matter"),
        ("/en/news/2020/hello-en.html", "Hello world"),
    ] {
        assert!(text_of(&site.output(url), "h1").contains(title), "{url}");
    }
    assert!(
        !site.has("news/2020/05/05/dated.html"),
        "the file-name date must lose to the front-matter date"
    );
    // CRLF line endings are read: the body is there.
    assert!(
        site.output("/news/2019/03/04/two-digit.html")
            .contains("two-digit year and CRLF line endings")
    );
    // `published: false`, `_`-prefixed files and `_drafts/` are not published...
    assert!(!site.has("news/2020/02/02/hidden.html"));
    assert!(
        site.content("content/posts/2020-02-02-hidden.md")
            .contains("published: false")
    );
    assert!(!site.has("news/2020/03/03/underscore.html"));
    assert!(
        site.content("content/posts/drafts/idea.md")
            .contains("draft: true")
    );
    // ...a file without a date in _posts is skipped and reported.
    assert!(
        site.report
            .contains("_posts/not-a-post.md: Jekyll did not publish it")
    );
    // Tags given as a space-separated string are split.
    assert!(
        site.has("tag/alpha.html")
            && site.has("tag/beta.html")
            && site.has("tag/developpement.html")
    );
    // {% highlight %} becomes a fenced block, its content kept as code.
    let code = site.output("/news/2020/04/04/code.html");
    assert!(
        text_of(&code, "pre code").contains("puts \"highlighted {{ not liquid }}\""),
        "{code}"
    );
}

#[test]
fn drafts_are_kept_as_drafts() {
    let site = import_and_build(&["--drafts"]);
    assert!(site.has("news/2020/03/03/underscore.html"));
    let drafts: Vec<String> = fs::read_dir(site.dest.join("public/news"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(drafts.len() >= 3, "{drafts:?}");
}

#[test]
fn collections_become_records_with_inferred_references() {
    let site = import_and_build(&[]);
    let yml = site.content("site.yml");
    assert!(yml.contains("body_key: \"name\""), "{yml}");
    assert!(
        yml.contains("\"members\": \"people\"") && yml.contains("\"projects\": \"projects\""),
        "{yml}"
    );
    assert!(
        yml.contains("allow_missing_references: true"),
        "Zed is not a person: {yml}"
    );
    let alpha = site.output("/projects/2021/Alpha.html");
    assert!(text_of(&alpha, "h1").contains("Alpha"));
    assert!(alpha.contains("Alpha is the first project"));
    // The page is the site's own layout around the document, as Jekyll wrote it (that layout
    // links to no member: the references are the site.yml lines checked above).
    assert!(text_of(&alpha, "title").contains("Alpha | Fixture Jekyll"));
    let ann = site.output("/people/ann/");
    assert!(text_of(&ann, "h1").contains("Ann"), "{ann}");
    // Bob has no file in _people: no page, as in Jekyll, and the report says so.
    assert!(site.report.contains("`Bob`"));
    assert!(
        site.report
            .contains("`Zed` in `members` names no record of `people`")
    );
}

#[test]
fn pages_data_static_files_and_redirects() {
    let site = import_and_build(&[]);
    // A page without permalink: Jekyll's URL is /about (custom style), the file about.html.
    assert!(
        site.report
            .contains("[page] /about → same file as /about.html")
    );
    assert!(site.output("/about").contains("who we are"));
    // A permalink without a leading slash, and a translated page.
    assert!(site.output("/contact/").contains("Write to us."));
    assert!(
        site.output("/en/about-us.html")
            .contains("Who we are, in English.")
    );
    // The paginated listing, per language, and the feed.
    assert!(
        site.has("blog/index.html")
            && site.has("blog/page2/index.html")
            && !site.has("blog/page3/index.html")
    );
    assert!(site.has("feed.xml"));
    // Data: YAML as is, JSON as YAML, CSV as a list of records.
    assert!(site.content("content/data/team.yml").contains("\"leader\""));
    assert!(site.content("content/data/roles.yml").contains("dev, ops"));
    // Static files copied, excluded and hidden ones skipped with their reason.
    assert_eq!(
        fs::read(site.dest.join("public/img/logo.png")).unwrap(),
        fs::read(fixtures().join("jekyll_basic/img/logo.png")).unwrap()
    );
    assert!(
        site.report.contains("notes.txt: excluded by `exclude`")
            && site.report.contains(".hidden: hidden file")
    );
    // The layout and the include became the site's own templates.
    assert!(
        site.report.contains("1 includes, 1 layouts"),
        "{}",
        site.report
    );
    assert!(
        site.content("templates/layouts/default.html")
            .contains("{% include \"includes/foo.html\" %}")
    );
    // _redirects kept (the site was on Netlify: the build writes it, the site's rules first),
    // plus an HTML page for each simple rule, whose rule is then forced so that Netlify applies
    // it rather than serve the page.
    assert!(site.content("site.yml").contains("redirects: netlify"));
    assert!(
        fs::read_to_string(site.dest.join("public/_redirects"))
            .unwrap()
            .starts_with("/old.html /about 301!\n/x/* /y/:splat 301\n")
    );
    let refresh = select_attrs(
        &html(&site.output("/old.html")),
        "meta[http-equiv=refresh]",
        "content",
    );
    assert_eq!(
        refresh,
        vec!["0; url=https://fixture.example/about".to_string()]
    );
    assert!(
        site.report
            .contains("`/x/*` is a rule for the host or a pattern")
    );
    // Every old URL is served.
    assert!(site.report.contains("0 not served"), "{}", site.report);
    assert_eq!(
        site.stdout.trim_end(),
        site.report.trim_end(),
        "the report printed is the one written"
    );
}

#[test]
fn translations_are_linked() {
    let site = import_and_build(&[]);
    let french = html(&site.output("/news/2020/01/02/Hello-World.html"));
    let alternates = select_attrs(&french, "link[hreflang=en]", "href");
    assert_eq!(
        alternates,
        vec!["https://fixture.example/en/news/2020/hello-en.html".to_string()]
    );
    assert!(site.content("site.yml").contains("prefix: \"/en\""));
}

#[test]
fn liquid_constructs_become_tera() {
    let site = import_and_build(&[]);
    let page = site.output("/liquid.html");
    let expect = [
        ("#site", "Fixture Jekyll / team@fixture.example"),
        ("#upcase", "GREEN"),
        ("#assign", "salut"),
        ("#capture", "cap-green"),
        ("#for", "1:one2:two"),
        ("#data", "AlphaBeta"),
        ("#if", "green"),
        ("#unless", "no missing"),
        ("#case", "case-green"),
        ("#raw", "{{ kept }}"),
        // An include without parameters whose text has no Liquid is inlined.
        ("#include", "included"),
    ];
    for (selector, text) in expect {
        assert_eq!(text_of(&page, selector), text, "{selector}");
    }
    assert_eq!(text_of(&page, "pre code.language-js"), "let a = 1 < 2;");
    assert!(!page.contains("a comment"));
    assert!(
        !site.report.contains("{% include foo.html %}"),
        "{}",
        site.report
    );
    // What was not converted is listed with file:line.
    assert!(
        site.report
            .contains("blog/index.html:8: {% cycle 'odd', 'even' %}"),
        "{}",
        site.report
    );
}

#[test]
fn refuses_a_destination_that_is_not_empty() {
    let src = fixtures().join("jekyll_basic");
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("site");
    fs::create_dir_all(&dest).unwrap();
    fs::write(dest.join("keep.txt"), "mine").unwrap();
    let args = |force: bool| {
        let mut a = vec![
            "import".to_string(),
            "jekyll".into(),
            src.display().to_string(),
            "--into".into(),
            dest.display().to_string(),
        ];
        if force {
            a.push("--force".into());
        }
        a
    };
    let refs = |a: &[String]| {
        a.iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\u{0}")
    };
    let run = gazette_in(
        tmp.path(),
        &refs(&args(false)).split('\u{0}').collect::<Vec<_>>(),
    );
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr.contains("this folder is not empty") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert!(!dest.join("site.yml").exists());
    let run = gazette_in(
        tmp.path(),
        &refs(&args(true)).split('\u{0}').collect::<Vec<_>>(),
    );
    assert!(run.success(), "{}", run.stderr);
    assert!(dest.join("site.yml").is_file() && dest.join("keep.txt").is_file());
    // A missing SRC is an error naming it.
    let run = gazette_in(
        tmp.path(),
        &["import", "jekyll", "nowhere", "--into", "new"],
    );
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr.contains("nowhere") && !Path::new(&tmp.path().join("new/site.yml")).exists()
    );
}

/// A hostile Jekyll site cannot make the import write outside `--into`: a `_redirects` rule whose
/// old path climbs out with `..` is skipped and reported, links in the site are listed as skipped
/// (not followed), and a destination inside the Jekyll site is refused.
#[test]
fn a_hostile_jekyll_site_cannot_make_the_import_write_outside_dest() {
    let scratch = tempfile::tempdir().unwrap();
    let src = scratch.path().join("jekyll");
    crate::support::copy_dir(&fixtures().join("jekyll_basic"), &src);
    let victim_dir = scratch.path().join("victim");
    fs::create_dir(&victim_dir).unwrap();
    let mut rules = fs::read_to_string(src.join("_redirects")).unwrap();
    rules.push_str("/../../../../../../../../victim/PWNED.html /index.html\n");
    rules.push_str(&format!(
        "/{}/PWNED2.html /index.html\n",
        "../".repeat(12) + victim_dir.strip_prefix("/").unwrap().to_str().unwrap()
    ));
    fs::write(src.join("_redirects"), rules).unwrap();
    fs::write(
        scratch.path().join("secret.md"),
        "---\ntitle: S\n---\nsecret\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        scratch.path().join("secret.md"),
        src.join("_posts/2020-01-01-lien.md"),
    )
    .unwrap();

    let tmp = scratch.path().join("out");
    fs::create_dir(&tmp).unwrap();
    let (_, dest) = crate::support::import_jekyll(&src, &tmp);
    assert_eq!(fs::read_dir(&victim_dir).unwrap().count(), 0);
    assert!(!scratch.path().join("PWNED.html").exists());
    let report = fs::read_to_string(dest.join("import-report.txt")).unwrap();
    assert!(
        report.contains("_redirects:") && report.contains("is not a path of the site"),
        "{report}"
    );
    assert!(
        report.contains("_posts/2020-01-01-lien.md: a link"),
        "{report}"
    );
    assert!(!report.contains("secret"), "{report}");

    // A destination inside the Jekyll site is refused, and the site is left as it was.
    let before = crate::support::snapshot(&src);
    let run = gazette_in(
        scratch.path(),
        &[
            "import",
            "jekyll",
            src.to_str().unwrap(),
            "--into",
            src.join("sub").to_str().unwrap(),
        ],
    );
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the destination is inside the Jekyll site"),
        "{}",
        run.stderr
    );
    assert_eq!(crate::support::snapshot(&src), before);
}

/// A folder without `_config.yml` is not a Jekyll site: the import refuses it (exit 1, nothing
/// written) and names what it looks like (issue 13: a Hugo and a Gridsome site imported "successfully").
#[test]
fn refuses_sources_that_are_not_jekyll_sites() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["config.toml", "content/_index.md"],
            "looks like a Hugo site",
        ),
        (&["hugo.toml", "content/post.md"], "looks like a Hugo site"),
        (
            &["gridsome.config.js", "src/pages/Index.vue"],
            "looks like a Gridsome site",
        ),
        (&[".eleventy.js", "index.md"], "looks like an Eleventy site"),
        (
            &["index.md"],
            "this is not a Jekyll site: it has no _config.yml",
        ),
    ];
    for (files, expected) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src");
        for file in *files {
            let path = src.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "---\ntitle: x\n---\nx\n").unwrap();
        }
        let run = gazette_in(tmp.path(), &["import", "jekyll", "src", "--into", "new"]);
        assert_eq!(run.code(), Some(1), "{files:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{files:?}: {}", run.stderr);
        assert!(!tmp.path().join("new").exists(), "{files:?}");
    }
}

/// Without `url` in _config.yml, the site's address comes from a CNAME file (GitHub Pages), so
/// canonical links never point to localhost (issue 13).
#[test]
fn the_address_comes_from_cname_when_config_has_no_url() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("_config.yml"), "title: No url\n").unwrap();
    fs::write(src.join("CNAME"), "www.example.org\n").unwrap();
    fs::write(src.join("about.md"), "---\ntitle: About\n---\nText.\n").unwrap();
    let (_, dest) = crate::support::import_jekyll(&src, tmp.path());
    let site_yml = fs::read_to_string(dest.join("site.yml")).unwrap();
    assert!(
        site_yml.contains("base_url: \"https://www.example.org\""),
        "{site_yml}"
    );
    let build = gazette_in(&dest, &["build"]);
    assert!(build.success(), "{}", build.stderr);
    let page = fs::read_to_string(dest.join("public/about.html")).unwrap();
    assert!(
        page.contains("https://www.example.org/about.html") && !page.contains("localhost"),
        "{page}"
    );
}

/// `redirect_from` without jekyll-redirect-from in `plugins`: Jekyll wrote no redirect, so neither
/// does the import, and the report says why (issue 13: redirect_from was "not mentioned anywhere").
#[test]
fn redirect_from_without_the_plugin_is_reported_not_written() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(
        src.join("_config.yml"),
        "title: R\nurl: https://r.example\n",
    )
    .unwrap();
    fs::write(
        src.join("about.md"),
        "---\ntitle: About\nredirect_from: /old-about/\n---\nText.\n",
    )
    .unwrap();
    let (_, dest) = crate::support::import_jekyll(&src, tmp.path());
    let report = fs::read_to_string(dest.join("import-report.txt")).unwrap();
    assert!(
        report.contains("1 files have `redirect_from` or `redirect_to` (about.md), but jekyll-redirect-from is not in `plugins`"),
        "{report}"
    );
    let build = gazette_in(&dest, &["build"]);
    assert!(build.success(), "{}", build.stderr);
    assert!(!dest.join("public/old-about/index.html").exists());
}

/// `gazette import jekyll` run as a writer would (no `GAZETTE_LANG`) on the fixture `name`:
/// its terminal output and the report it wrote.
fn import_natively(name: &str) -> (String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("site");
    let src = fixtures().join(name);
    let args = [
        "import",
        "jekyll",
        src.to_str().unwrap(),
        "--into",
        dest.to_str().unwrap(),
    ];
    let run = gazette_native_in(tmp.path(), &args);
    assert!(
        run.success(),
        "import failed:\n{}{}",
        run.stdout,
        run.stderr
    );
    let report = fs::read_to_string(dest.join("import-report.txt")).unwrap();
    (format!("{}{}", run.stdout, run.stderr), report)
}

#[test]
fn the_report_of_a_french_site_is_in_french() {
    // jekyll_basic says `locale: fr`: the summary and import-report.txt are both in French.
    let (terminal, report) = import_natively("jekyll_basic");
    assert!(
        terminal.contains("Le rapport complet est dans"),
        "{terminal}"
    );
    for french in [
        "Importé : ",
        "Adresses de l'ancien site : ",
        "Remarques (",
        "Fichiers laissés de côté (",
        "Liquid non traduit (",
        "Correspondance des adresses (",
        // A skipped file, a note, a Liquid construct left as written and a URL's fate.
        "  .hidden : fichier caché : Jekyll ne le publiait pas",
        "`future: true` : gazette laisse de côté les articles datés après aujourd'hui",
        "tera n'a pas d'équivalent de la balise Liquid `cycle`",
        "[redirect] /old.html → redirigée vers /about",
    ] {
        assert!(report.contains(french), "no `{french}` in:\n{report}");
    }
    for english in [
        "Imported:",
        "Files skipped",
        "Notes (",
        "hidden file",
        "URL mapping",
        "redirect to",
    ] {
        assert!(!report.contains(english), "`{english}` in:\n{report}");
    }
}

#[test]
fn the_report_of_an_english_site_stays_in_english() {
    // jekyll_include_exclude names no language: English, as Jekyll; so is its report.
    let (terminal, report) = import_natively("jekyll_include_exclude");
    assert!(terminal.contains("The full report is in"), "{terminal}");
    for english in [
        "Imported: ",
        "URLs of the old site: ",
        "Files skipped (5):",
        "  .env: hidden file: Jekyll did not publish it",
        "  README.md: excluded by `exclude` in _config.yml",
        "Liquid left unconverted (0):",
        "URL mapping (old URL → where it lives now):",
    ] {
        assert!(report.contains(english), "no `{english}` in:\n{report}");
    }
    assert!(!report.contains("Fichiers"), "{report}");
}

/// A post whose Liquid converts to tera but does not render (here `plus` on a text) gets its
/// Liquid back, as pages do; what is left of it must be in the report's list of Liquid left
/// unconverted, with its line, since the post now shows it as written.
#[test]
fn a_templated_post_that_does_not_render_gets_its_liquid_back_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("jekyll");
    fs::create_dir_all(src.join("_posts")).unwrap();
    fs::write(
        src.join("_config.yml"),
        "title: Put back\nurl: \"https://example.org\"\n",
    )
    .unwrap();
    fs::write(
        src.join("_posts/2020-01-01-fine.md"),
        "---\ntitle: Fine\n---\nA fine post.\n",
    )
    .unwrap();
    fs::write(
        src.join("_posts/2020-02-02-sum.md"),
        "---\ntitle: Sum\ncount: \"many\"\n---\nBefore the sum.\n\n{% assign total = page.count | plus: 1 %}\n{% if total > 1 %}Total: {{ total }}{% endif %}\n",
    )
    .unwrap();
    // A page in the same case: put back as written, every construct it shows is listed.
    fs::write(
        src.join("count.html"),
        "---\ntitle: Count\ncount: \"many\"\n---\n<p>Counted:</p>\n{% assign total = page.count | plus: 1 %}\n<p>{{ total }}</p>\n",
    )
    .unwrap();
    let (run, dest) = crate::support::import_jekyll(&src, tmp.path());
    let post = fs::read_to_string(dest.join("content/posts/2020-02-02-sum.md")).unwrap();
    assert!(
        !post.contains("render: tera") && post.contains("{% assign total"),
        "the post keeps its Liquid:\n{post}"
    );
    let report = fs::read_to_string(dest.join("import-report.txt")).unwrap();
    let listed = report
        .split_once("Liquid left unconverted")
        .and_then(|(_, rest)| rest.split_once("URL mapping"))
        .map(|(list, _)| list)
        .unwrap_or_default();
    for (line, construct) in [
        (7, "{% assign total = page.count | plus: 1 %}"),
        (8, "{% if total > 1 %}"),
    ] {
        assert!(
            listed.contains(&format!("_posts/2020-02-02-sum.md:{line}"))
                && listed.contains(construct),
            "{construct} (line {line}) is not listed as unconverted:\n{report}"
        );
    }
    for (line, construct) in [
        (6, "{% assign total = page.count | plus: 1 %}"),
        (7, "{{ total }}"),
    ] {
        assert!(
            listed.contains(&format!("count.html:{line}")) && listed.contains(construct),
            "{construct} (line {line} of count.html) is not listed as unconverted:\n{report}"
        );
    }
    assert!(
        !run.stdout.contains(" 0 Liquid constructs left unconverted"),
        "{}",
        run.stdout
    );
    assert!(report.contains("did not render in tera"), "{report}");
    let build = gazette_in(&dest, &["build"]);
    assert!(build.success(), "{}", build.stderr);
    let page = fs::read_to_string(dest.join("public/2020/02/02/sum.html")).unwrap();
    assert!(page.contains("Before the sum."), "{page}");
}

/// Imports a fixture Jekyll site and builds it: (report, public folder), kept in `tmp`.
fn import_fixture(name: &str, tmp: &Path) -> (String, PathBuf) {
    let (_, dest) = crate::support::import_jekyll(&fixtures().join(name), tmp);
    let build = gazette_in(&dest, &["build"]);
    assert!(build.success(), "{name}: build failed:\n{}", build.stderr);
    let report = fs::read_to_string(dest.join("import-report.txt")).unwrap();
    (report, dest.join("public"))
}

/// jekyll-archives' pages (tests/fixtures/jekyll_archives; real Jekyll's output is compared by
/// the oracle, import_oracle.rs): served at the plugin's addresses by gazette's own pages, day
/// pages redirected to their month, nothing for an unpublished post's tag.
#[test]
fn jekyll_archives_pages_keep_their_addresses() {
    let tmp = tempfile::tempdir().unwrap();
    let (report, public) = import_fixture("jekyll_archives", tmp.path());
    for file in [
        "2020/index.html",
        "2020/04/index.html",
        "category/guides/index.html",
        "category/news/index.html",
        "etiquette/rust/index.html",
    ] {
        assert!(public.join(file).is_file(), "{file} is not served");
    }
    let guides = fs::read_to_string(public.join("category/guides/index.html")).unwrap();
    for post in [
        "/guides/2020/04/04/open-data.html",
        "/guides/2020/06/15/summer.html",
        "/annonces/guides/2021/01/02/new-year.html",
    ] {
        assert!(guides.contains(post), "{post} not on the category page");
    }
    assert!(
        report.contains("[day] /2020/04/04/ → redirect to /2020/04/"),
        "{report}"
    );
    assert!(report.contains("[tag] /etiquette/données/ → redirect to /etiquette/donnees/"));
    assert!(!public.join("etiquette/nopub-tag").exists());
    assert!(!public.join("category/nopubcat").exists());
}

/// jekyll-polyglot (tests/fixtures/jekyll_polyglot): each language's pages at polyglot's
/// addresses, translations paired, a language's missing version redirected to the one that
/// exists, static files under each prefix but for `exclude_from_localization`.
#[test]
fn jekyll_polyglot_sites_keep_each_languages_addresses() {
    let tmp = tempfile::tempdir().unwrap();
    let (report, public) = import_fixture("jekyll_polyglot", tmp.path());
    let about_en = fs::read_to_string(public.join("en/about/index.html")).unwrap();
    assert!(about_en.contains("Who we are"), "{about_en}");
    let about = fs::read_to_string(public.join("about/index.html")).unwrap();
    assert!(about.contains("Qui sommes-nous"), "{about}");
    let hello = fs::read_to_string(public.join("en/2021/03/04/bonjour.html")).unwrap();
    assert!(hello.contains("The first post, in English."));
    assert!(report.contains("[fallback] /en/contact/ → redirect to /contact/"));
    assert!(report.contains("[fallback] /press/ → redirect to /en/press/"));
    assert!(public.join("en/img/logo.txt").is_file());
    assert!(!public.join("en/assets/site.css").exists());
    let source = tmp.path().join("site/content/pages/about-en.md");
    assert!(
        fs::read_to_string(source)
            .unwrap()
            .contains("translation_key: \"/about/\"")
    );
}
