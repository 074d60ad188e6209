//! `gazette new`: files created for the user to fill in.

use crate::diagnostic::Rule;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// Creates `content/posts/<today>-<slug>.md` with the front matter to fill in; returns its path.
pub fn new_post(root: &Path, title: &str) -> Result<PathBuf, Diagnostic> {
    let slug = crate::markdown::slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::error(
            Rule::New,
            crate::source::layout::POSTS,
            format!("cannot make a file name from the title `{title}`"),
        )
        .help("give a title with at least one letter or digit"));
    }
    let today = chrono::Local::now().date_naive();
    let folder = root.join(crate::source::layout::POSTS);
    let path = folder.join(format!("{}-{slug}.md", today.format("%Y-%m-%d")));
    if path.exists() {
        return Err(
            Diagnostic::error(Rule::New, &path, "this post already exists")
                .help("choose another title or edit the existing file"),
        );
    }
    let quoted = crate::source::yaml::quoted(title);
    let text = format!(
        "---\ntitle: {quoted}\nauthor: \"\"\ndescription: \"\"\nimage: /img/\ntwitter: \"\"\ntags: []\n---\n\nÉcrivez ici le premier paragraphe : il sert de résumé.\n\n<!-- more -->\n\nLa suite de l'article.\n"
    );
    let created = std::fs::create_dir_all(&folder).and_then(|()| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
    });
    created.map_err(|e| {
        Diagnostic::error(Rule::New, &path, format!("cannot create the post: {e}")).help(format!(
            "check that you may write in {}",
            crate::source::layout::POSTS
        ))
    })?;
    Ok(path)
}
