//! What an import did: counts per kind, files skipped, Liquid left unconverted, and where every
//! URL of the old site now lives. Printed as text and written to `import-report.txt`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Lang, Text};
use crate::msg;

/// How an old URL is served by the new site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    /// A page at the same path (or the same file, e.g. `/a` and `/a.html`).
    Same(String),
    /// A redirect page at the old path sends readers to the new URL.
    Redirect(String),
    /// Not served (the reason).
    Lost(Text),
}

/// One URL of the old site.
#[derive(Debug, Clone)]
pub struct UrlMapping {
    /// The old URL.
    pub old: String,
    /// What produced it (`post`, `page`, `defis`, `tag`, `blog`, `feed`, `redirect`...).
    pub kind: String,
    /// The source file, relative to SRC (empty for generated pages).
    pub source: String,
    /// Where it lives now.
    pub served: Served,
}

/// Everything an import found and did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Files written, by kind.
    pub counts: BTreeMap<String, usize>,
    /// (file relative to SRC, reason).
    pub skipped: Vec<(String, Text)>,
    /// (file relative to SRC, line, construct, reason).
    pub unconverted: Vec<(String, usize, String, Text)>,
    /// Every old URL.
    pub urls: Vec<UrlMapping>,
    /// Other remarks (oddities carried over, settings without equivalent).
    pub notes: Vec<Text>,
    /// Problems found by building the imported site (warnings when it built).
    pub build: Vec<Diagnostic>,
    /// Pages the new site publishes at no URL of the old site: (URL, source file). Jekyll did not
    /// publish them: each must be checked before going live (drafts, personal data).
    pub published_now: Vec<(String, String)>,
}

impl Report {
    /// Counts one written file of `kind`.
    pub(crate) fn count(&mut self, kind: &str) {
        *self.counts.entry(kind.to_string()).or_default() += 1;
    }

    /// Records a skipped file.
    pub(crate) fn skip(&mut self, file: &str, reason: Text) {
        self.skipped.push((file.to_string(), reason));
    }

    /// Old URLs served at the same path, redirected, and lost.
    pub(crate) fn url_totals(&self) -> (usize, usize, usize) {
        let mut totals = (0, 0, 0);
        for mapping in &self.urls {
            match mapping.served {
                Served::Same(_) => totals.0 += 1,
                Served::Redirect(_) => totals.1 += 1,
                Served::Lost(_) => totals.2 += 1,
            }
        }
        totals
    }

    /// The full report as text, in `lang` (the language of the terminal's summary).
    pub fn render(&self, lang: Lang) -> String {
        let words = |text: Text| text.in_lang(lang);
        let mut out = String::new();
        let _ = writeln!(out, "{}", words(self.imported()));
        if !self.published_now.is_empty() {
            let n = self.published_now.len();
            let _ = writeln!(
                out,
                "\n{}",
                words(msg!(
                    "PUBLISHED NOW, NOT BY JEKYLL ({n}): pages of the new site at no URL of the old site; check each before going live (drafts, personal data):",
                    n
                ))
            );
            for (url, source) in &self.published_now {
                let _ = writeln!(out, "  {url} ({source})");
            }
            let _ = writeln!(out);
        }
        let (same, redirected, lost) = self.url_totals();
        let all = self.urls.len();
        let _ = writeln!(
            out,
            "{}",
            words(msg!(
                "URLs of the old site: {all} in all, {same} at the same path, {redirected} redirected, {lost} not served",
                all,
                same,
                redirected,
                lost
            ))
        );
        if !self.notes.is_empty() {
            let n = self.notes.len();
            let _ = writeln!(out, "\n{}", words(msg!("Notes ({n}):", n)));
            for note in &self.notes {
                let _ = writeln!(out, "  - {}", note.in_lang(lang));
            }
        }
        let n = self.skipped.len();
        let _ = writeln!(out, "\n{}", words(msg!("Files skipped ({n}):", n)));
        for (file, reason) in &self.skipped {
            let _ = writeln!(out, "  {}", at(file, reason.clone()).in_lang(lang));
        }
        let n = self.unconverted.len();
        let _ = writeln!(
            out,
            "\n{}",
            words(msg!("Liquid left unconverted ({n}):", n))
        );
        for (file, line, construct, reason) in &self.unconverted {
            let shown: String = construct
                .chars()
                .take(80)
                .collect::<String>()
                .replace('\n', " ");
            let said = at(&format!("{file}:{line}"), Text::from(shown)).then(" — ", reason.clone());
            let _ = writeln!(out, "  {}", said.in_lang(lang));
        }
        let heading = msg!("URL mapping (old URL → where it lives now):");
        let _ = writeln!(out, "\n{}", words(heading));
        for mapping in &self.urls {
            let _ = writeln!(out, "{}", mapping_line(mapping, lang));
        }
        out
    }

    /// `Imported: 61 posts, 12 pages`: the counts, in the reader's language.
    fn imported(&self) -> Text {
        let counts = self
            .counts
            .iter()
            .map(|(kind, n)| count_of(kind, *n))
            .reduce(|all, next| all.then(", ", next))
            .unwrap_or_else(|| msg!("nothing"));
        msg!("Imported:").then(" ", counts)
    }

    /// A short summary for the terminal, in the reader's language.
    pub fn summary(&self) -> Text {
        let (same, redirected, lost) = self.url_totals();
        let (urls, skipped) = (self.urls.len(), self.skipped.len());
        let unconverted = self.unconverted.len();
        let text = self.imported().then(
            "\n",
            msg!(
                "{urls} old URLs: {same} at the same path, {redirected} redirected, {lost} not served. {skipped} files skipped, {unconverted} Liquid constructs left unconverted.",
                urls,
                same,
                redirected,
                lost,
                skipped,
                unconverted
            ),
        );
        if self.published_now.is_empty() {
            return text;
        }
        let n = self.published_now.len();
        msg!(
            "{n} pages are published now that Jekyll did not publish: see the top of the report.",
            n
        )
        .then("\n", text)
    }
}

/// `<place>: <text>` (a file, `file:line`), with the colon as the reader's language writes it.
pub(crate) fn at(place: &str, text: Text) -> Text {
    msg!("{place}:", place).then(" ", text)
}

/// `  [post] /2020/01/a.html → redirect to /blog/a/ (_posts/2020-01-01-a.md)`, in `lang`.
fn mapping_line(mapping: &UrlMapping, lang: Lang) -> String {
    let now = match &mapping.served {
        Served::Same(url) if *url == mapping.old => msg!("same"),
        Served::Same(url) => msg!("same file as {url}", url),
        Served::Redirect(url) => msg!("redirect to {url}", url),
        Served::Lost(reason) => msg!("NOT SERVED:").then(" ", reason.clone()),
    };
    let source = if mapping.source.is_empty() {
        String::new()
    } else {
        format!(" ({})", mapping.source)
    };
    let (kind, old, now) = (&mapping.kind, &mapping.old, now.in_lang(lang));
    format!("  [{kind}] {old} → {now}{source}")
}

/// `61 posts`, `259 communaute bodies`: one count of the summary, in the reader's language.
fn count_of(kind: &str, n: usize) -> Text {
    if let Some(name) = kind.strip_suffix(" bodies") {
        return msg!("{n} {name} bodies", n, name);
    }
    if let Some(name) = kind.strip_suffix(" records") {
        return msg!("{n} {name} records", n, name);
    }
    match kind {
        "Sass partials" => msg!("{n} Sass partials", n),
        "data files" => msg!("{n} data files", n),
        "drafts" => msg!("{n} drafts", n),
        "includes" => msg!("{n} includes", n),
        "layouts" => msg!("{n} layouts", n),
        "listing pages" => msg!("{n} listing pages", n),
        "pages" => msg!("{n} pages", n),
        "posts" => msg!("{n} posts", n),
        "redirect files" => msg!("{n} redirect files", n),
        "redirect pages" => msg!("{n} redirect pages", n),
        "redirect rules" => msg!("{n} redirect rules", n),
        "static files" => msg!("{n} static files", n),
        "stylesheets" => msg!("{n} stylesheets", n),
        "templates" => msg!("{n} templates", n),
        other => format!("{n} {other}").into(),
    }
}
