//! The contexts of the pages of browsing: the search page, a taxonomy value's page and a
//! taxonomy's list, a year or month of the blog.

use crate::render::browse_context;
use crate::render::context::{Shared, to_value};
use crate::render::paginate::{Group, grouped_paginator, paginator};
use crate::site::Site;
use crate::site::plan::{self, Job};
use tera::{Context, Value};

/// Puts the values of a browsing page into `context`; returns the page's language.
pub(super) fn job_context<'s>(
    site: &'s Site,
    shared: &'s Shared,
    job: &Job,
    context: &mut Context,
) -> &'s str {
    let config = &site.config;
    let cards = || shared.cards(plan::job_posts(site, job));
    match *job {
        Job::Search(l) => {
            let code = &shared.languages[l].code;
            context.insert_value("search", search_value(code));
            code
        }
        Job::Term(t, n) => {
            let term = &site.terms[t];
            let count = term.posts.len();
            let total = count.div_ceil(plan::term_page_size(site, t)).max(1);
            let value = paginator(cards(), n, total, count, &term.url, &config.pagination.path);
            context.insert_value("paginator", value);
            context.insert_value("term", to_value(&browse_context::term(site, t)));
            let taxonomy = browse_context::taxonomy(site, &term.taxonomy, &term.lang);
            context.insert_value("taxonomy", to_value(&taxonomy));
            &term.lang
        }
        Job::Terms(x, l) => {
            let code = &shared.languages[l].code;
            let name = plan::taxonomy_name(site, x);
            let terms = browse_context::terms(site, name, code);
            context.insert_value("terms", to_value(&terms));
            context.insert_value(
                "taxonomy",
                to_value(&browse_context::taxonomy(site, name, code)),
            );
            code
        }
        Job::Archive(a, n) => {
            let archive = &site.archives[a];
            let count = archive.posts.len();
            let total = count.div_ceil(plan::archive_page_size(site)).max(1);
            let value = paginator(
                cards(),
                n,
                total,
                count,
                &archive.url,
                &config.pagination.path,
            );
            context.insert_value("paginator", value);
            context.insert_value("archive", to_value(&browse_context::archive(site, a)));
            let years = browse_context::years(site, &archive.lang);
            context.insert_value("archives", to_value(&years));
            &archive.lang
        }
        _ => shared.languages.first().map_or("", |l| l.code.as_str()),
    }
}

/// `search` on the search page: `index_url`, the summary of the language's index that the
/// page's script reads first.
fn search_value(lang: &str) -> Value {
    to_value(&serde_json::json!({ "index_url": crate::search::meta_url(lang) }))
}

/// Page `n` of the listing of collection `c` in the `l`-th language: `collection` (its name),
/// `records` (all of them, by key, as before pagination) and `paginator`, whose `items` are the
/// records of this page and, with `group_by`, `groups` (`{value, items, continued}`: `continued`
/// when the group began on an earlier page) and `group_by` (the field).
pub(super) fn listing<'s>(
    site: &'s Site,
    shared: &'s Shared,
    (c, l, n): (usize, usize, usize),
    context: &mut Context,
) -> &'s str {
    let collection = &site.collections[c];
    let records = &shared.records[l][c];
    context.insert_value("records", Value::from(records.clone()));
    context.insert("collection", &collection.name);
    let order = crate::site::listing_order(collection);
    let size = crate::site::listing_page_size(collection);
    let from = n.saturating_sub(1).saturating_mul(size).min(order.len());
    let page = &order[from..from.saturating_add(size).min(order.len())];
    let value_of = |r: usize| records.get(r).cloned().unwrap_or_else(Value::none);
    let items = Value::from(page.iter().map(|&r| value_of(r)).collect::<Vec<_>>());
    let groups = collection.config.group_by.as_deref().map(|field| {
        let before = from.checked_sub(1).map(|i| order[i]);
        let groups = crate::site::listing_groups(collection, page, before)
            .into_iter()
            .map(|(value, members, continued)| Group {
                value: value.cloned().unwrap_or_default(),
                items: Value::from(members.into_iter().map(value_of).collect::<Vec<_>>()),
                continued,
            })
            .collect();
        (field, groups)
    });
    let total = crate::site::listing_pages(collection);
    let value = grouped_paginator(
        items,
        (n, total, order.len()),
        &plan::listing_url(site, c, l),
        &site.config.pagination.path,
        groups,
    );
    context.insert_value("paginator", value);
    &shared.languages[l].code
}
