//! Turns the site model into output files in memory: tera templates (the only module that knows tera),
//! listings, feeds, sitemap and redirects, rendered in parallel. No file is written here.

mod context;
mod extras;
pub(crate) mod feed;
mod paginate;
mod templates;

use crate::output::Output;
use crate::output::duplicate_outputs;

use crate::render::context::{Contexts, Shared, to_value};
use crate::render::paginate::page_url;
use crate::render::paginate::paginator;
use crate::render::templates::page_template_name;
use crate::site::plan::Job;
use crate::site::plan::job_posts;
use crate::site::plan::job_posts_in;
use crate::site::plan::jobs;
use crate::site::plan::posts_by_language;
use crate::site::plan::tag_page_size;
pub(crate) use extras::{extra_outputs, other_outputs, redirect_page, sitemap_output};
pub(crate) use templates::{THEME_PREFIX, Templates, check_template, template_name};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::markdown;
use crate::site::Site;
use crate::text::url;

/// Renders the template pages `jobs` of `site`: each output with its job, and every problem found.
pub(crate) fn render_jobs(
    site: &Site,
    templates: &mut Templates,
    jobs: &[Job],
) -> (Vec<(Job, Output)>, Vec<Diagnostic>) {
    let contexts = Contexts::new(site);
    let mut tera_globals = Context::new();
    tera_globals.insert_value("site", to_value(&contexts.site(&site.config.language)));
    let data: BTreeMap<String, Value> = site
        .data
        .iter()
        .map(|(k, v)| (k.clone(), Value::from_serializable(&v.value)))
        .collect();
    tera_globals.insert_value("data", Value::from(data));

    let mut wanted = vec![false; site.posts.len()];
    let by_language = posts_by_language(site);
    for job in jobs {
        for i in job_posts_in(site, &by_language, job) {
            wanted[i] = true;
        }
    }
    let shared = Shared {
        languages: contexts.languages(),
        post_cards: (0..site.posts.len())
            .into_par_iter()
            .map(|i| wanted[i].then(|| to_value(&contexts.post(i, false))))
            .collect(),
        records: site
            .collections
            .iter()
            .enumerate()
            .map(|(c, collection)| {
                (0..collection.records.len())
                    .map(|r| to_value(&contexts.record(c, r)))
                    .collect()
            })
            .collect(),
        contexts,
    };
    let collections: BTreeMap<String, Value> = site
        .collections
        .iter()
        .zip(&shared.records)
        .map(|(c, values)| (c.name.clone(), Value::from(values.clone())))
        .collect();
    tera_globals.insert_value("collections", Value::from(collections));
    let size = site.config.pagination.size.max(1);

    // Site-wide values go into tera's global context once; every render reads them by reference.
    *templates.tera.global_context() = tera_globals;
    let templates = &*templates;

    let results: Vec<(Job, Result<Output, Diagnostic>)> = jobs
        .par_iter()
        .map(|job| (*job, render_job(site, templates, &shared, job, size)))
        .collect();
    let mut outputs = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for (job, result) in results {
        match result {
            Ok(output) => outputs.push((job, output)),
            Err(d) => problems.push(d),
        }
    }
    (outputs, problems)
}

/// Renders every output of `site`. Returns all outputs, or every problem found.
pub(crate) fn render(
    site: &Site,
    templates: &mut Templates,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let jobs = jobs(site);
    let (rendered, mut problems) = render_jobs(site, templates, &jobs);
    let mut outputs: Vec<Output> = rendered.into_iter().map(|(_, o)| o).collect();
    let pages: Vec<String> = outputs.iter().map(|o| o.path.clone()).collect();
    outputs.extend(extra_outputs(site, pages.iter().map(String::as_str)));
    problems.extend(duplicate_outputs(&mut outputs));
    if problems.is_empty() {
        Ok(outputs)
    } else {
        Err(problems)
    }
}

fn render_job(
    site: &Site,
    templates: &Templates,
    shared: &Shared,
    job: &Job,
    size: usize,
) -> Result<Output, Diagnostic> {
    let config = &site.config;
    let mut context = Context::new();
    let (url, template, source): (String, String, Option<&Path>) = match job {
        Job::Post(i) => {
            let post = &site.posts[*i];
            context.insert_value("page", to_value(&shared.contexts.post(*i, true)));
            context.insert("lang", &post.lang);
            (
                post.url.clone(),
                post.template.clone().unwrap_or_else(|| "post.html".into()),
                Some(post.file.as_path()),
            )
        }
        Job::Page(i) => {
            let page = &site.pages[*i];
            context.insert("lang", &page.lang);
            if page.renders_with_tera() {
                // The body sees `page` (without content), `posts` and every global.
                context.insert_value("page", to_value(&shared.contexts.page(page, &page.body)));
                let all: Vec<Value> = (0..site.posts.len()).map(|i| shared.card(i)).collect();
                context.insert_value("posts", Value::from(all));
                let html = templates.render(
                    &page_template_name(page),
                    &context,
                    Some(page.file.as_path()),
                )?;
                let is_markdown = !page
                    .file
                    .to_string_lossy()
                    .to_ascii_lowercase()
                    .ends_with(".html");
                let html = if is_markdown {
                    let options = markdown::MarkdownOptions {
                        typography: markdown::Typography::None,
                        highlight: true,
                        raw_html: site.config.raw_html,
                    };
                    markdown::render(&html, &options).html
                } else {
                    html
                };
                let value = to_value(&shared.contexts.page_with_html(page, &page.body, &html));
                context.insert_value("page", value);
            } else {
                context.insert_value("page", to_value(&shared.contexts.page(page, &page.body)));
            }
            (
                page.url.clone(),
                page.template.clone().unwrap_or_else(|| "page.html".into()),
                Some(page.file.as_path()),
            )
        }
        Job::Home(l) => {
            let language = &shared.languages[*l];
            let latest: Vec<Value> = job_posts(site, job)
                .into_iter()
                .map(|i| shared.card(i))
                .collect();
            context.insert_value("posts", Value::from(latest));
            context.insert("lang", &language.code);
            (language.home_url.clone(), "index.html".into(), None)
        }
        Job::Blog(l, n) => {
            let language = &shared.languages[*l];
            let first =
                language.prefix.clone() + &url::normalize_permalink(&config.permalinks.blog);
            let total = language.posts.len().div_ceil(size).max(1);
            let items: Vec<Value> = job_posts(site, job)
                .into_iter()
                .map(|i| shared.card(i))
                .collect();
            context.insert("lang", &language.code);
            context.insert_value(
                "paginator",
                paginator(
                    Value::from(items),
                    *n,
                    total,
                    language.posts.len(),
                    &first,
                    &config.pagination.path,
                ),
            );
            (
                page_url(&first, &config.pagination.path, *n),
                "blog.html".into(),
                None,
            )
        }
        Job::Tag(t, n) => {
            let tag = &site.tags[*t];
            let size = tag_page_size(site);
            let total = tag.posts.len().div_ceil(size).max(1);
            let items: Vec<Value> = job_posts(site, job)
                .into_iter()
                .map(|i| shared.card(i))
                .collect();
            context.insert_value("tag", to_value(&shared.contexts.tag(*t)));
            context.insert("lang", &tag.lang);
            context.insert_value(
                "paginator",
                paginator(
                    Value::from(items),
                    *n,
                    total,
                    tag.posts.len(),
                    &tag.url,
                    &config.pagination.path,
                ),
            );
            (
                page_url(&tag.url, &config.pagination.path, *n),
                "tag.html".into(),
                None,
            )
        }
        Job::Tags(l) => {
            let language = &shared.languages[*l];
            let tags: Vec<_> = (0..site.tags.len())
                .filter(|&t| site.tags[t].lang == language.code)
                .map(|t| shared.contexts.tag(t))
                .collect();
            context.insert_value("tags", to_value(&tags));
            context.insert("lang", &language.code);
            (
                language.prefix.clone() + &url::normalize_permalink(&config.permalinks.tags),
                "tags.html".into(),
                None,
            )
        }
        Job::Record(c, r) => {
            let collection = &site.collections[*c];
            let record = &collection.records[*r];
            context.insert_value("record", shared.records[*c][*r].clone());
            let source = record
                .body_file
                .as_deref()
                .unwrap_or(collection.file.as_path());
            (
                record.url.clone(),
                collection.config.template.clone(),
                Some(source),
            )
        }
        Job::Listing(c) => {
            let collection = &site.collections[*c];
            context.insert_value("records", Value::from(shared.records[*c].clone()));
            context.insert("collection", &collection.name);
            let url = collection.config.listing.clone().unwrap_or_default();
            let template = collection
                .config
                .listing_template
                .clone()
                .unwrap_or_else(|| format!("{}.html", collection.name));
            (
                url::normalize_permalink(&url),
                template,
                Some(Path::new(crate::source::config::FILE_NAME)),
            )
        }
        Job::NotFound => ("/404.html".into(), "404.html".into(), None),
    };
    if !context.contains_key("lang") {
        context.insert("lang", &config.language);
    }
    // Pages in another language than the default see `site` in their language.
    let lang = context
        .get("lang")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    if let Some(language) = shared
        .languages
        .iter()
        .find(|l| l.code == lang && l.code != config.language)
    {
        context.insert_value("site", language.site.clone());
    }
    context.insert("current_url", &url);
    context.insert("canonical", &url::absolute(config.base(), &url));
    if !templates.has(&template) {
        let line = source.map_or(0, |s| key_line(&site.root, s, "template"));
        return Err(Diagnostic::error("template", source.map_or_else(|| PathBuf::from("templates"), Path::to_path_buf), format!("the template `{template}` does not exist"))
            .at(line, if line > 0 { 1 } else { 0 })
            .help(format!("create templates/{template} or use one of the theme's templates (post.html, page.html...)")));
    }
    let html = templates.render(&template, &context, source)?;
    Ok(Output::generated(&url, html, source))
}

fn key_line(root: &Path, file: &Path, key: &str) -> usize {
    std::fs::read_to_string(root.join(file))
        .ok()
        .and_then(|text| {
            text.lines()
                .position(|l| l.starts_with(&format!("{key}:")))
                .map(|i| i + 1)
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod pager_tests {
    use super::*;
    use crate::render::paginate::paginator;

    #[test]
    fn pages_are_a_window_around_the_current_one() {
        let numbers = |current: usize, total: usize| -> Vec<u64> {
            let value = paginator(
                Value::from(Vec::<Value>::new()),
                current,
                total,
                total * 10,
                "/blog/",
                "page/:num/",
            );
            let pages = value
                .get_from_path("pages")
                .and_then(|p| p.as_array().map(<[Value]>::to_vec));
            pages
                .unwrap_or_default()
                .iter()
                .filter_map(|p| p.get_from_path("number").and_then(Value::as_u64))
                .collect()
        };
        assert_eq!(numbers(50, 100), (46..=54).collect::<Vec<_>>());
        assert_eq!(numbers(1, 100), (1..=5).collect::<Vec<_>>());
        assert_eq!(numbers(100, 100), (96..=100).collect::<Vec<_>>());
        assert_eq!(numbers(1, 1), vec![1]);
    }
}
