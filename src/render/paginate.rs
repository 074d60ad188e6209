//! Listings cut into pages: page URLs and the paginator templates see.

use crate::text::url;
use std::collections::BTreeMap;
use tera::Value;

/// A listing cut into pages: the URL of page `n` (1-based).
pub(crate) fn page_url(first: &str, pattern: &str, n: usize) -> String {
    if n == 1 {
        return first.to_string();
    }
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

pub(crate) fn paginator(
    items: Vec<Value>,
    current: usize,
    total_pages: usize,
    total_items: usize,
    first: &str,
    pattern: &str,
) -> Value {
    let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
    m.insert("items", Value::from(items));
    m.insert("current", Value::from(current));
    m.insert("total_pages", Value::from(total_pages));
    m.insert("total_items", Value::from(total_items));
    m.insert("base_url", Value::from(first));
    m.insert("first_url", Value::from(first));
    m.insert(
        "last_url",
        Value::from(page_url(first, pattern, total_pages)),
    );
    if current > 1 {
        m.insert(
            "previous_url",
            Value::from(page_url(first, pattern, current - 1)),
        );
    }
    if current < total_pages {
        m.insert(
            "next_url",
            Value::from(page_url(first, pattern, current + 1)),
        );
    }
    // A window of pages around the current one: listing every page on every page would make a
    // 1,000-page blog render a million links.
    let window =
        current.saturating_sub(PAGER_WINDOW).max(1)..=(current + PAGER_WINDOW).min(total_pages);
    let pages: Vec<Value> = window
        .map(|n| {
            let mut p = BTreeMap::new();
            p.insert("number", Value::from(n));
            p.insert("url", Value::from(page_url(first, pattern, n)));
            Value::from(p)
        })
        .collect();
    m.insert("pages", Value::from(pages));
    Value::from(m)
}

/// How many page links `paginator.pages` shows on each side of the current page.
pub(crate) const PAGER_WINDOW: usize = 4;
