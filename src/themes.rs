//! The themes embedded in the binary, so that `gazette init` and `gazette import` can give a new
//! site a theme to build with.

use std::path::Path;

/// The names of the themes built into gazette.
pub(crate) const BUILTIN: &[&str] = &["default"];

/// True when a theme of that name is built into gazette.
pub(crate) fn is_builtin(name: &str) -> bool {
    BUILTIN.contains(&name)
}

/// The files of the built-in theme `name`, relative to its folder.
pub(crate) fn files(name: &str) -> &'static [(&'static str, &'static [u8])] {
    if name == "default" { FILES } else { &[] }
}

/// Writes the built-in theme `name` into `folder` (a copy kept in the site's cache, so that a site
/// without a themes/ folder builds): only the files whose bytes differ, so a rebuild writes
/// nothing. Files are written through a temporary file renamed into place.
pub(crate) fn materialize(name: &str, folder: &Path) -> std::io::Result<()> {
    for (relative, bytes) in files(name) {
        let path = folder.join(relative);
        if std::fs::read(&path).is_ok_and(|old| old == *bytes) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let temp = path.with_extension("gazette-tmp");
        std::fs::write(&temp, bytes)?;
        std::fs::rename(&temp, &path)?;
    }
    Ok(())
}

/// Every file of `themes/default`, relative to that folder, with its bytes.
pub(crate) const FILES: &[(&str, &[u8])] = &[
    ("README.md", include_bytes!("../themes/default/README.md")),
    ("i18n.yml", include_bytes!("../themes/default/i18n.yml")),
    (
        "static/css/highlight.css",
        include_bytes!("../themes/default/static/css/highlight.css"),
    ),
    (
        "static/css/site.css",
        include_bytes!("../themes/default/static/css/site.css"),
    ),
    (
        "static/img/home.svg",
        include_bytes!("../themes/default/static/img/home.svg"),
    ),
    (
        "static/img/og-default.svg",
        include_bytes!("../themes/default/static/img/og-default.svg"),
    ),
    (
        "templates/404.html",
        include_bytes!("../themes/default/templates/404.html"),
    ),
    (
        "templates/base.html",
        include_bytes!("../themes/default/templates/base.html"),
    ),
    (
        "templates/blog.html",
        include_bytes!("../themes/default/templates/blog.html"),
    ),
    (
        "templates/challenge.html",
        include_bytes!("../themes/default/templates/challenge.html"),
    ),
    (
        "templates/challenges.html",
        include_bytes!("../themes/default/templates/challenges.html"),
    ),
    (
        "templates/index.html",
        include_bytes!("../themes/default/templates/index.html"),
    ),
    (
        "templates/page.html",
        include_bytes!("../themes/default/templates/page.html"),
    ),
    (
        "templates/partials/challenge_card.html",
        include_bytes!("../themes/default/templates/partials/challenge_card.html"),
    ),
    (
        "templates/partials/pagination.html",
        include_bytes!("../themes/default/templates/partials/pagination.html"),
    ),
    (
        "templates/partials/pagination_head.html",
        include_bytes!("../themes/default/templates/partials/pagination_head.html"),
    ),
    (
        "templates/partials/person_card.html",
        include_bytes!("../themes/default/templates/partials/person_card.html"),
    ),
    (
        "templates/partials/post_card.html",
        include_bytes!("../themes/default/templates/partials/post_card.html"),
    ),
    (
        "templates/partials/toc.html",
        include_bytes!("../themes/default/templates/partials/toc.html"),
    ),
    (
        "templates/partials/translations.html",
        include_bytes!("../themes/default/templates/partials/translations.html"),
    ),
    (
        "templates/partials/translations_head.html",
        include_bytes!("../themes/default/templates/partials/translations_head.html"),
    ),
    (
        "templates/people.html",
        include_bytes!("../themes/default/templates/people.html"),
    ),
    (
        "templates/person.html",
        include_bytes!("../themes/default/templates/person.html"),
    ),
    (
        "templates/post.html",
        include_bytes!("../themes/default/templates/post.html"),
    ),
    (
        "templates/record.html",
        include_bytes!("../themes/default/templates/record.html"),
    ),
    (
        "templates/tag.html",
        include_bytes!("../themes/default/templates/tag.html"),
    ),
    (
        "templates/tags.html",
        include_bytes!("../themes/default/templates/tags.html"),
    ),
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_theme_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        for entry in walkdir::WalkDir::new(&root)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            let rel = entry
                .path()
                .strip_prefix(&root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            assert!(
                super::FILES.iter().any(|(name, _)| *name == rel),
                "add {rel} to src/themes.rs"
            );
        }
    }
}
