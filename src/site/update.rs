//! Updating the model in place when posts change (the preview's fast path).

use crate::diagnostic::Diagnostic;
use crate::site::BuildOptions;
use crate::site::Post;
use crate::site::Site;
use crate::site::post::apply_defaults;
use crate::site::post::post_from;
use crate::site::posts_by_language;
use crate::site::taxonomy::build_tags;
use crate::source::discover::SourceFile;
use crate::source::layout::Kind;
use crate::source::load::{self};
use rayon::prelude::*;
use std::path::PathBuf;

/// A changed post file: its path, its name under `content/posts/` when it exists, its new post.
pub(crate) type PostUpdate = (
    PathBuf,
    Option<String>,
    Result<Option<Post>, Vec<Diagnostic>>,
);

/// Updates `site` after the post files `changed` (relative paths under `content/posts/`, see
/// [`is_post_path`]) were edited, created or deleted, giving the same site as a fresh [`load`].
/// When any of them has an error, `site` is left as it was and the problems are returned.
pub(crate) fn update_posts(
    site: &mut Site,
    changed: &[PathBuf],
    options: &BuildOptions,
) -> Vec<Diagnostic> {
    let today = options
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let posts_folder = crate::source::layout::posts_folder();
    let results: Vec<PostUpdate> = changed
        .par_iter()
        .map(|path| {
            if !site.root.join(path).is_file() {
                return (path.clone(), None, Ok(None));
            }
            let relative = path
                .strip_prefix(&posts_folder)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let post = load::read_text(&site.root, path)
                .and_then(|text| load::parse_document(&text, path, &relative))
                .map_err(|d| vec![d])
                .and_then(|mut doc| {
                    apply_defaults(&site.config, &mut doc);
                    post_from(&doc, &site.config, options, None, today)
                });
            (path.clone(), Some(relative), post)
        })
        .collect();
    let mut problems: Vec<Diagnostic> = results
        .iter()
        .filter_map(|(_, _, r)| r.as_ref().err())
        .flatten()
        .cloned()
        .collect();
    if problems.iter().any(Diagnostic::is_error) {
        return problems;
    }
    // An edit that keeps a post's date keeps its place: it is replaced where it is, and the tags
    // are rebuilt only when the posts' order, languages or tags changed.
    let mut reorder = false;
    let mut retag = false;
    for (path, relative, post) in results {
        let old = site.posts.iter().position(|p| p.file == path);
        match (old, post) {
            (Some(i), Ok(Some(post))) if site.posts[i].date == post.date => {
                retag |= site.posts[i].tags != post.tags || site.posts[i].lang != post.lang;
                site.posts[i] = post;
            }
            (_, post) => {
                reorder = true;
                site.posts.retain(|p| p.file != path);
                if let Ok(Some(post)) = post {
                    site.posts.push(post);
                }
            }
        }
        let entry = relative.map(|relative| SourceFile {
            kind: Kind::Post,
            path: path.clone(),
            relative,
        });
        let known = entry
            .as_ref()
            .is_some_and(|e| site.sources.files.binary_search(e).is_ok());
        if !known {
            site.sources.files.retain(|f| f.path != path);
            if let Some(entry) = entry {
                let at = site
                    .sources
                    .files
                    .binary_search(&entry)
                    .unwrap_or_else(|at| at);
                site.sources.files.insert(at, entry);
            }
        }
    }
    if reorder {
        site.posts.sort_by(crate::site::post::newest_first);
    }
    if reorder || retag {
        site.tags = build_tags(&site.root, &site.posts, &site.config, &mut problems);
        site.posts_by_language = posts_by_language(&site.posts, &site.config);
    }
    // Taxonomies, archives, related posts and authors follow from the posts: computed again
    // (once, linear).
    site.terms = crate::site::taxonomy::build_terms(&site.posts, &site.config);
    (site.archives, site.related, site.authors) = crate::site::browse_of(
        &site.config,
        &site.posts,
        (&site.tags, &site.terms),
        &site.posts_by_language,
        &site.collections,
    );
    problems
}
