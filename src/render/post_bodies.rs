//! Posts written as templates (`render: tera`): their body goes through tera, then Markdown, before
//! anything shows it, as Jekyll renders the Liquid of a post before its Markdown. Their HTML then
//! serves the post's page, the listings, the feeds and the checks alike.

use rayon::prelude::*;
use tera::{Context, Value};

use super::context::{Contexts, to_value};
use super::templates::{Templates, at_its_line, reads_site_lists, template_error};
use crate::diagnostic::Diagnostic;
use crate::site::{Post, Site};

/// The name tera knows the body of a `render: tera` post by.
fn post_template_name(post: &Post) -> String {
    format!("post-body:{}", post.file.display())
}

/// Renders the body of every post written as a template (all of them, or those of `only`), and
/// puts the HTML in the model. A body sees `site` and `lang` in its language, `page` (the post,
/// with its front matter), `data`, and `all_posts` when it reads it.
pub(crate) fn expand_post_bodies(
    site: &mut Site,
    templates: &mut Templates,
    only: Option<&[usize]>,
) -> Result<(), Vec<Diagnostic>> {
    let wanted: Vec<usize> = match only {
        Some(indexes) => indexes.to_vec(),
        None => (0..site.posts.len()).collect(),
    }
    .into_iter()
    .filter(|&i| site.posts.get(i).is_some_and(|p| p.body_template.is_some()))
    .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let mut sources = Vec::new();
    for &i in &wanted {
        let post = &site.posts[i];
        if let Some(template) = &post.body_template {
            let name = post_template_name(post);
            templates.files.insert(name.clone(), post.file.clone());
            sources.push((name, at_its_line(&template.source, template.first_line)));
        }
    }
    let reads_lists = sources.iter().any(|(_, text)| reads_site_lists(text));
    if let Err(error) = templates.tera.add_raw_templates(sources) {
        return Err(vec![template_error(&error, &templates.files, None)]);
    }
    let bodies = render_bodies(site, templates, &wanted, reads_lists)?;
    for (i, body) in wanted.into_iter().zip(bodies) {
        site.posts[i].body = body;
    }
    Ok(())
}

/// The new bodies of posts `wanted`, in that order, or every problem found.
fn render_bodies(
    site: &Site,
    templates: &Templates,
    wanted: &[usize],
    reads_lists: bool,
) -> Result<Vec<crate::site::RenderedBody>, Vec<Diagnostic>> {
    let contexts = Contexts::new(site);
    let languages = contexts.languages();
    let data = super::data_value(site);
    let all_posts = reads_lists.then(|| {
        let cards: Vec<Value> = (0..site.posts.len())
            .map(|i| to_value(&contexts.post(i, false)))
            .collect();
        Value::from(cards)
    });
    let results: Vec<Result<crate::site::RenderedBody, Diagnostic>> = wanted
        .par_iter()
        .map(|&i| {
            let post = &site.posts[i];
            let mut context = Context::new();
            let in_language = languages.iter().find(|l| l.code == post.lang);
            let site_value = in_language.or(languages.first()).map(|l| l.site.clone());
            context.insert_value("site", site_value.unwrap_or_else(Value::none));
            context.insert("lang", &post.lang);
            context.insert_value("page", to_value(&contexts.post(i, false)));
            context.insert_value("data", data.clone());
            if let Some(all_posts) = &all_posts {
                context.insert_value("all_posts", all_posts.clone());
            }
            let text = templates.render(&post_template_name(post), &context, Some(&post.file))?;
            let options = post
                .body_template
                .as_ref()
                .map(|t| t.options.clone())
                .unwrap_or_default();
            Ok(crate::site::rendered_body(&text, &options))
        })
        .collect();
    let mut bodies = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(body) => bodies.push(body),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(bodies)
    } else {
        Err(problems)
    }
}
