//! `post-author`: `authors: <collection>` in site.yml must name a collection; and with
//! `rules.posts.known_authors: true`, each name in a post's `author:` must be a record of it (a
//! near miss gets a "did you mean"); a name that is none stays plain text on the page.

use crate::check::{Context, find_in_file, finding};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::msg;

/// The findings of the rule: the collection, then, when `each_post`, every post's authors.
pub(crate) fn check(ctx: &Context, each_post: bool) -> Vec<Diagnostic> {
    let site = ctx.site;
    let Some(name) = &site.config.authors else {
        return Vec::new();
    };
    let Some(c) = site.authors.collection else {
        let names: Vec<&str> = site.collections.iter().map(|c| c.name.as_str()).collect();
        let hint = match crate::diagnostic::did_you_mean(name, names.iter().copied()) {
            Some(s) => msg!("did you mean `{s}`?", s),
            None => msg!(
                "name one of the collections of site.yml: {list}",
                list = names.join(", ")
            ),
        };
        let line = find_in_file(
            &site.root,
            crate::source::config::FILE_NAME.as_ref(),
            "authors:",
            1,
        );
        return vec![finding(
            Severity::Warning,
            Rule::PostAuthor,
            crate::source::config::FILE_NAME,
            line.map_or(0, |l| l.0),
            line.map_or(0, |l| l.1),
            (
                msg!(
                    "`authors:` names the collection `{name}`, which site.yml does not have",
                    name
                ),
                hint,
            ),
        )];
    };
    if !each_post {
        return Vec::new();
    }
    let collection = &site.collections[c];
    let keys: Vec<&str> = collection.records.iter().map(|r| r.key.as_str()).collect();
    let mut found = Vec::new();
    for (i, post) in site.posts.iter().enumerate() {
        let resolved = site.authors.of_post.get(i);
        for (n, author) in post.authors.iter().enumerate() {
            if resolved.and_then(|r| r.get(n)).is_some_and(Option::is_some) {
                continue;
            }
            let hint = match crate::diagnostic::did_you_mean(author, keys.iter().copied()) {
                Some(s) => msg!("did you mean `{s}`?", s),
                None => msg!(
                    "write the name as in {file}, or add this person there",
                    file = collection.file.display()
                ),
            };
            let (line, column) = find_in_file(&site.root, &post.file, author, 1).unwrap_or((0, 0));
            found.push(finding(
                Severity::Warning,
                Rule::PostAuthor,
                &post.file,
                line,
                column,
                (
                    msg!(
                        "the author `{author}` is not in the collection `{collection}`: the name is shown without a link",
                        author,
                        collection = collection.name
                    ),
                    hint,
                ),
            ));
        }
    }
    found
}
