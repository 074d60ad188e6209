//! Listings cut into pages: the paginator templates see.

use crate::site::plan::page_url;
use serde::Serialize;
use tera::Value;

/// `paginator`, as listing templates see it (themes/default/README.md).
#[derive(Serialize)]
struct Paginator<'a> {
    /// The post cards of this page (already tera values: passed through, not copied).
    items: Value,
    /// 1-based number of this page.
    current: usize,
    total_pages: usize,
    total_items: usize,
    /// The listing's first page.
    base_url: &'a str,
    first_url: &'a str,
    last_url: String,
    /// Absent on the first page.
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_url: Option<String>,
    /// Absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_url: Option<String>,
    /// The pages around this one.
    pages: Vec<PageLink>,
    /// A collection listing with `group_by`: the field.
    #[serde(skip_serializing_if = "Option::is_none")]
    group_by: Option<&'a str>,
    /// A collection listing with `group_by`: this page's items cut into their groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<Group>>,
}

/// An item of `paginator.groups`.
#[derive(Serialize)]
pub(crate) struct Group {
    /// The value of the `group_by` field the group's items share (null: without it).
    pub(crate) value: serde_json::Value,
    pub(crate) items: Value,
    /// True when the group began on an earlier page.
    pub(crate) continued: bool,
}

/// An item of `paginator.pages`.
#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
}

/// The paginator of page `current` of `total_pages` of a listing of `total_items` whose first
/// page is `first` (the others follow `pattern`), showing `items` (a list of post cards).
pub(crate) fn paginator(
    items: Value,
    current: usize,
    total_pages: usize,
    total_items: usize,
    first: &str,
    pattern: &str,
) -> Value {
    grouped_paginator(
        items,
        (current, total_pages, total_items),
        first,
        pattern,
        None,
    )
}

/// [`paginator`] with the groups of a collection listing: (`group_by`'s field, the groups).
pub(crate) fn grouped_paginator(
    items: Value,
    (current, total_pages, total_items): (usize, usize, usize),
    first: &str,
    pattern: &str,
    groups: Option<(&str, Vec<Group>)>,
) -> Value {
    // A window of pages around the current one: listing every page on every page would make a
    // 1,000-page blog render a million links.
    let window =
        current.saturating_sub(PAGER_WINDOW).max(1)..=(current + PAGER_WINDOW).min(total_pages);
    Value::from_serializable(&Paginator {
        items,
        current,
        total_pages,
        total_items,
        base_url: first,
        first_url: first,
        last_url: page_url(first, pattern, total_pages),
        previous_url: (current > 1).then(|| page_url(first, pattern, current - 1)),
        next_url: (current < total_pages).then(|| page_url(first, pattern, current + 1)),
        pages: window
            .map(|number| PageLink {
                number,
                url: page_url(first, pattern, number),
            })
            .collect(),
        group_by: groups.as_ref().map(|(field, _)| *field),
        groups: groups.map(|(_, groups)| groups),
    })
}

/// How many page links `paginator.pages` shows on each side of the current page.
pub(crate) const PAGER_WINDOW: usize = 4;
