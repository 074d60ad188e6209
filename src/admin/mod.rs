//! Editing in the browser: Decap CMS at `/admin/`, for someone who writes posts and edits
//! records without git or a terminal. [`decap`] makes its configuration from site.yml, [`api`]
//! answers its local backend (what `decap-server` does) for `gazette serve`, saving only what
//! the build accepts (the preview's check, `preview/admin_check.rs`, given to it) and only what
//! changed ([`patch`]), within the site's content ([`paths`]). The editor itself is the vendored Decap bundle (src/admin/decap/), embedded in
//! the binary.

pub(crate) mod api;
pub(crate) mod decap;
pub(crate) mod patch;
pub(crate) mod paths;

use std::path::Path;

use crate::output::Output;
use crate::source::config::Config;

include!(concat!(env!("OUT_DIR"), "/decap.rs"));

/// The address of the editor, under the site.
pub(crate) const ADMIN_PATH: &str = "admin";

/// The bytes of the editor's script `name` (`decap-cms.js`, or one of the chunks it loads).
pub(crate) fn script(name: &str) -> Option<&'static [u8]> {
    DECAP_FILES
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(_, bytes)| *bytes)
}

/// The editor's page: Decap's script, the configuration beside it, the site's stylesheets for
/// the preview pane.
pub(crate) fn index_html(config: &Config, stylesheets: &[String]) -> String {
    let lang = crate::diagnostic::Lang::from_code(&config.language).unwrap_or_default();
    let title = crate::text::escape::escape_html(&format!(
        "{} · {}",
        crate::msg!("Editing").in_lang(lang),
        config.title
    ));
    let styles: String = stylesheets
        .iter()
        .map(|url| {
            format!(
                "CMS.registerPreviewStyle({});\n",
                serde_json::Value::String(url.clone())
            )
        })
        .collect();
    format!(
        "<!doctype html>\n<html lang=\"{lang_code}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n\
<title>{title}</title>\n<link href=\"config.yml\" type=\"text/yaml\" rel=\"cms-config-url\">\n</head>\n<body>\n\
<script src=\"decap-cms.js\"></script>\n<script>\n{styles}</script>\n</body>\n</html>\n",
        lang_code = crate::text::escape::escape_html(&config.language),
    )
}

/// The stylesheets among a site's output paths, as addresses under its base path.
pub(crate) fn stylesheets<'a>(
    config: &Config,
    paths: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    let mut found: Vec<String> = paths
        .filter(|p| p.ends_with(".css"))
        .map(|p| format!("{}/{p}", config.base_path()))
        .collect();
    found.sort();
    found
}

/// The editor written into a build when site.yml asks (`admin: {publish: true}`): its page,
/// its configuration with the Git backend of `admin.backend`, and Decap's scripts.
pub(crate) fn outputs(config: &Config, root: &Path, existing: &[Output]) -> Vec<Output> {
    if !config.admin.publish {
        return Vec::new();
    }
    let styles = stylesheets(config, existing.iter().map(|o| o.path.as_str()));
    let mut outputs = vec![
        Output::generated(
            &format!("/{ADMIN_PATH}/index.html"),
            index_html(config, &styles),
            None,
        ),
        Output::generated(
            &format!("/{ADMIN_PATH}/config.yml"),
            decap::config_yml(config, root, &decap::Backend::Published),
            None,
        ),
    ];
    for (name, bytes) in DECAP_FILES {
        outputs.push(Output::generated(
            &format!("/{ADMIN_PATH}/{name}"),
            bytes.to_vec(),
            None,
        ));
    }
    outputs
}
