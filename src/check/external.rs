//! `gazette check --external`: requests every external link of the rendered pages, a few at a
//! time, with a timeout, and remembers the answers in `.gazette-cache/external-links.json` so that
//! the next run only asks for new or old links. The only module that knows the HTTP client.

use crate::diagnostic::{Rule, Text};
use crate::msg;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::links::{Page, Target, target};
use super::{Context, find_in_file, finding};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::config::LinkRules;

/// The cache file, relative to the site folder.
pub(crate) const CACHE_FILE: &str = ".gazette-cache/external-links.json";

/// One remembered answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// The HTTP status.
    pub status: u16,
    /// When it was asked, in seconds since 1970.
    pub checked: u64,
}

/// What a request gave.
enum Outcome {
    Status(u16),
    Failed(String),
}

/// The rule's messages (sentences of the catalogue).
fn text(url: &str, outcome: &Outcome) -> (Text, Text) {
    match outcome {
        Outcome::Status(status) => (
            msg!(
                "the external link `{url}` answers {status}: the page is gone or moved",
                url,
                status
            ),
            msg!("open it in a browser; replace it with the page's new address or remove the link"),
        ),
        Outcome::Failed(error) => (
            msg!(
                "the external link `{url}` could not be reached: {error}",
                url,
                error
            ),
            msg!("the site may be down for a while: check it again later, or in a browser"),
        ),
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn load_cache(root: &Path) -> BTreeMap<String, Entry> {
    std::fs::read(root.join(CACHE_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn save_cache(root: &Path, cache: &BTreeMap<String, Entry>) {
    let path = root.join(CACHE_FILE);
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Ok(bytes) = serde_json::to_vec_pretty(cache) {
        let temp = path.with_extension("json.tmp");
        if std::fs::write(&temp, bytes).is_ok() {
            let _ = std::fs::rename(&temp, &path);
        }
    }
}

fn request(agent: &ureq::Agent, url: &str) -> Outcome {
    let head = agent
        .head(url)
        .header("User-Agent", "gazette-link-check")
        .call();
    let status = match head {
        Ok(response) => response.status().as_u16(),
        Err(error) => return Outcome::Failed(error.to_string()),
    };
    // Some servers refuse HEAD: ask again with GET before calling the link broken.
    if matches!(status, 403 | 405 | 501) || status >= 500 {
        return match agent
            .get(url)
            .header("User-Agent", "gazette-link-check")
            .call()
        {
            Ok(response) => Outcome::Status(response.status().as_u16()),
            Err(error) => Outcome::Failed(error.to_string()),
        };
    }
    Outcome::Status(status)
}

/// Checks external links; the cache file is read and updated.
pub(crate) fn check(ctx: &Context, rules: &LinkRules, pages: &[Page]) -> Vec<Diagnostic> {
    let root = &ctx.site.root;
    let base = ctx.site.config.published_base();
    // Each URL once, with the first page that has it.
    let mut first_page: BTreeMap<String, usize> = BTreeMap::new();
    for (index, page) in pages.iter().enumerate() {
        for link in &page.links {
            if let Target::External(url) = target(&link.url, page.output.path, base) {
                let url = if url.starts_with("//") {
                    format!("https:{url}")
                } else {
                    url
                };
                first_page.entry(url).or_insert(index);
            }
        }
    }
    let mut cache = load_cache(root);
    let fresh_for = rules.cache_days.saturating_mul(86_400);
    let now = now();
    let to_ask: Vec<&String> = first_page
        .keys()
        .filter(|url| {
            cache
                .get(*url)
                .is_none_or(|e| now.saturating_sub(e.checked) >= fresh_for)
        })
        .collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(rules.timeout.max(1))))
        .http_status_as_error(false)
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let answers: Mutex<Vec<(String, Outcome)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..rules.concurrency.clamp(1, 64).min(to_ask.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(url) = to_ask.get(i) else { break };
                    let outcome = request(&agent, url);
                    if let Ok(mut list) = answers.lock() {
                        list.push(((*url).clone(), outcome));
                    }
                }
            });
        }
    });
    let answers = answers.into_inner().unwrap_or_default();
    let mut failures: BTreeMap<String, Outcome> = BTreeMap::new();
    for (url, outcome) in answers {
        match outcome {
            Outcome::Status(status) => {
                cache.insert(
                    url,
                    Entry {
                        status,
                        checked: now,
                    },
                );
            }
            failed @ Outcome::Failed(_) => {
                failures.insert(url, failed);
            }
        }
    }
    save_cache(root, &cache);
    let mut found = Vec::new();
    for (url, &page) in &first_page {
        let (severity, outcome) = match (failures.remove(url), cache.get(url)) {
            (Some(failed), _) => (Severity::Warning, failed),
            (None, Some(entry)) if entry.status >= 400 => {
                (Severity::Error, Outcome::Status(entry.status))
            }
            _ => continue,
        };
        let output = pages[page].output;
        let (file, line, column) = match output.source {
            Some(source) => {
                let (line, column) = find_in_file(root, source, url, 1).unwrap_or((0, 0));
                (source.to_path_buf(), line, column)
            }
            None => (PathBuf::from(output.path), 0, 0),
        };
        found.push(finding(
            severity,
            Rule::ExternalLink,
            file,
            line,
            column,
            text(url, &outcome),
        ));
    }
    found
}
