//! What an import did: counts per kind, files skipped, Liquid left unconverted, and where every
//! URL of the old site now lives. Printed as text and written to `import-report.txt`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;

/// How an old URL is served by the new site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    /// A page at the same path (or the same file, e.g. `/a` and `/a.html`).
    Same(String),
    /// A redirect page at the old path sends readers to the new URL.
    Redirect(String),
    /// Not served (the reason).
    Lost(String),
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
    pub skipped: Vec<(String, String)>,
    /// (file relative to SRC, line, construct, reason).
    pub unconverted: Vec<(String, usize, String, String)>,
    /// Every old URL.
    pub urls: Vec<UrlMapping>,
    /// Other remarks (oddities carried over, settings without equivalent).
    pub notes: Vec<String>,
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
    pub(crate) fn skip(&mut self, file: &str, reason: impl Into<String>) {
        self.skipped.push((file.to_string(), reason.into()));
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

    /// The full report as text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let counts: Vec<String> = self
            .counts
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect();
        let _ = writeln!(out, "Imported: {}", counts.join(", "));
        if !self.published_now.is_empty() {
            let _ = writeln!(
                out,
                "\nPUBLISHED NOW, NOT BY JEKYLL ({}): pages of the new site at no URL of the old site; check each before going live (drafts, personal data):",
                self.published_now.len()
            );
            for (url, source) in &self.published_now {
                let _ = writeln!(out, "  {url} ({source})");
            }
            let _ = writeln!(out);
        }
        let (same, redirected, lost) = self.url_totals();
        let _ = writeln!(
            out,
            "URLs of the old site: {} in all, {same} at the same path, {redirected} redirected, {lost} not served",
            self.urls.len()
        );
        if !self.notes.is_empty() {
            let _ = writeln!(out, "\nNotes ({}):", self.notes.len());
            for note in &self.notes {
                let _ = writeln!(out, "  - {note}");
            }
        }
        let _ = writeln!(out, "\nFiles skipped ({}):", self.skipped.len());
        for (file, reason) in &self.skipped {
            let _ = writeln!(out, "  {file}: {reason}");
        }
        let _ = writeln!(
            out,
            "\nLiquid left unconverted ({}):",
            self.unconverted.len()
        );
        for (file, line, construct, reason) in &self.unconverted {
            let shown: String = construct
                .chars()
                .take(80)
                .collect::<String>()
                .replace('\n', " ");
            let _ = writeln!(out, "  {file}:{line}: {shown} — {reason}");
        }
        let _ = writeln!(out, "\nURL mapping (old URL → where it lives now):");
        for mapping in &self.urls {
            let now = match &mapping.served {
                Served::Same(url) if *url == mapping.old => "same".to_string(),
                Served::Same(url) => format!("same file as {url}"),
                Served::Redirect(url) => format!("redirect to {url}"),
                Served::Lost(reason) => format!("NOT SERVED: {reason}"),
            };
            let source = if mapping.source.is_empty() {
                String::new()
            } else {
                format!(" ({})", mapping.source)
            };
            let _ = writeln!(out, "  [{}] {} → {now}{source}", mapping.kind, mapping.old);
        }
        out
    }

    /// A short summary for the terminal, in the reader's language.
    pub fn summary(&self) -> crate::diagnostic::Text {
        use crate::msg;
        let counts = self
            .counts
            .iter()
            .map(|(kind, n)| count_of(kind, *n))
            .reduce(|all, next| all.then(", ", next))
            .unwrap_or_else(|| msg!("nothing"));
        let (same, redirected, lost) = self.url_totals();
        let (urls, skipped) = (self.urls.len(), self.skipped.len());
        let unconverted = self.unconverted.len();
        let totals = msg!("Imported:").then(" ", counts);
        let text = totals.then(
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

/// `61 posts`, `259 communaute bodies`: one count of the summary, in the reader's language.
fn count_of(kind: &str, n: usize) -> crate::diagnostic::Text {
    use crate::msg;
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
