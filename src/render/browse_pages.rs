//! The contexts of the pages of browsing: the search page, a taxonomy value's page and a
//! taxonomy's list, a year or month of the blog.

use crate::render::browse_context;
use crate::render::context::{Shared, to_value};
use crate::render::paginate::paginator;
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
