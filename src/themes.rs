//! The themes embedded in the binary, so that `gazette init` and `gazette import` can give a new
//! site a theme to build with.

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
