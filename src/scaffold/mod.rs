//! `gazette new`: files created for the user to fill in. A new post is a draft (`draft: true`):
//! shown in the preview, never built without `--drafts`. What the site's `rules:` require and
//! gazette cannot guess is listed as comments, so the draft passes the rules once filled.

mod record;
mod records_layout;

pub use record::{CreatedRecord, new_record};
pub use records_layout::{Converted, join as join_records, split as split_records};

use std::path::{Path, PathBuf};

use crate::check::Lang;
use crate::diagnostic::{Diagnostic, Rule};
use crate::site::BuildOptions;
use crate::source::config::{Config, PostRules};

/// What `gazette new post` was asked for.
#[derive(Debug, Clone, Default)]
pub struct NewPost {
    /// The post's title.
    pub title: String,
    /// The post's language (the site's default one when None).
    pub lang: Option<String>,
    /// Its tags.
    pub tags: Vec<String>,
    /// Its image (`/img/...`, a path under `assets/`, or an https address).
    pub image: Option<String>,
}

/// What `gazette new post` made.
#[derive(Debug, Clone)]
pub struct Created {
    /// The new file, under the site folder.
    pub path: PathBuf,
    /// The draft's address in the preview (from the site root, starting with `/`), when the site
    /// loads.
    pub url: Option<String>,
    /// The keys the writer still has to fill (listed as comments in the file).
    pub to_fill: Vec<String>,
    /// The language gazette speaks to this site in.
    pub lang: Lang,
}

/// Creates `content/posts/[<lang>/]<today>-<slug>.md`, a draft with the front matter the site's
/// rules ask for; returns what it made.
pub fn new_post(root: &Path, wanted: &NewPost) -> Result<Created, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let speak = Lang::from_code(&config.language).unwrap_or(Lang::En);
    let title = wanted.title.as_str();
    let slug = crate::markdown::slugify(title);
    if slug.is_empty() {
        return Err(vec![
            Diagnostic::error(
                Rule::New,
                crate::source::layout::POSTS,
                crate::msg!("cannot make a file name from the title `{title}`", title),
            )
            .help(crate::msg!(
                "give a title with at least one letter or digit"
            )),
        ]);
    }
    let lang = wanted
        .lang
        .clone()
        .unwrap_or_else(|| config.language.clone());
    if !config.has_language(&lang) {
        return Err(vec![
            Diagnostic::error(
                Rule::Language,
                "--lang",
                crate::msg!("the language `{lang}` is not declared in site.yml", lang),
            )
            .help(crate::msg!(
                "use one of: {allowed}",
                allowed = config.language_codes().join(", ")
            )),
        ]);
    }
    let today = chrono::Local::now().date_naive();
    let mut folder = root.join(crate::source::layout::POSTS);
    if lang != config.language {
        folder.push(&lang);
    }
    let path = folder.join(format!("{}-{slug}.md", today.format("%Y-%m-%d")));
    if path.exists() {
        return Err(vec![
            Diagnostic::error(Rule::New, &path, crate::msg!("this post already exists")).help(
                crate::msg!("choose another title or edit the existing file"),
            ),
        ]);
    }
    // The comments in the file speak the post's language when gazette does.
    let words = Lang::from_code(&lang).unwrap_or(speak);
    let (text, to_fill) = front_matter(&config, wanted, words);
    write_new(&folder, &path, &text)?;
    let url = draft_url(root, &path);
    Ok(Created {
        path,
        url,
        to_fill,
        lang: speak,
    })
}

/// The new post's text and the keys left to fill.
fn front_matter(config: &Config, wanted: &NewPost, lang: Lang) -> (String, Vec<String>) {
    let rules = config.rules.posts.clone().unwrap_or_default();
    let mut text = String::from("---\n");
    text.push_str(&format!(
        "title: {}\n",
        crate::source::yaml::quoted(&wanted.title)
    ));
    text.push_str(lang.pick(
        "# A draft: shown by `gazette serve`, never published. Remove this line to publish.\n",
        "# Brouillon : visible dans l'aperçu (gazette serve), jamais publié. Retirez cette ligne pour publier.\n",
    ));
    text.push_str("draft: true\n");
    if !wanted.tags.is_empty() {
        let tags: Vec<String> = wanted
            .tags
            .iter()
            .map(|t| crate::source::yaml::quoted(t))
            .collect();
        text.push_str(&format!("tags: [{}]\n", tags.join(", ")));
    }
    if let Some(image) = &wanted.image {
        text.push_str(&format!(
            "image: {}\n",
            crate::source::yaml::quoted(&image_address(image))
        ));
    }
    let given = |key: &str| {
        key == "title"
            || (key == "tags" && !wanted.tags.is_empty())
            || (key == "image" && wanted.image.is_some())
    };
    let mut to_fill: Vec<String> = rules
        .required
        .iter()
        .filter(|k| !given(k))
        .cloned()
        .collect();
    let needs_tags = rules.min_tags.is_some_and(|m| m > 0);
    if needs_tags && wanted.tags.is_empty() && !to_fill.iter().any(|k| k == "tags") {
        to_fill.push("tags".to_string());
    }
    if !to_fill.is_empty() {
        text.push_str(lang.pick(
            "# To fill before publishing (required by `rules.posts` in site.yml): remove the `# ` and complete each line.\n",
            "# À remplir avant de publier (exigé par `rules.posts` dans site.yml) : retirez le `# ` et complétez chaque ligne.\n",
        ));
        for key in &to_fill {
            text.push_str(&format!("# {key}: {}\n", placeholder(key, &rules, lang)));
        }
    }
    text.push_str("---\n\n");
    text.push_str(lang.pick(
        "Write the first paragraph here: it is the summary.\n\n<!-- more -->\n\nThe rest of the post.\n",
        "Écrivez ici le premier paragraphe : il sert de résumé.\n\n<!-- more -->\n\nLa suite de l'article.\n",
    ));
    (text, to_fill)
}

/// What to write after a key the writer has to fill: an empty value (which the rules refuse if
/// the line is uncommented but not filled) and a hint.
fn placeholder(key: &str, rules: &PostRules, lang: Lang) -> String {
    if key == "tags" {
        let count = match (rules.min_tags, rules.max_tags) {
            (Some(min), Some(max)) => {
                lang.pick(format!("from {min} to {max}"), format!("de {min} à {max}"))
            }
            (Some(min), None) => lang.pick(format!("at least {min}"), format!("au moins {min}")),
            (None, Some(max)) => lang.pick(format!("at most {max}"), format!("au plus {max}")),
            (None, None) => lang.pick("one or more", "une ou plusieurs").to_string(),
        };
        return if rules.allowed_tags.is_empty() {
            format!("[]   # {count}")
        } else {
            format!(
                "[]   # {count} {} {}",
                lang.pick("of:", "parmi :"),
                rules.allowed_tags.join(", ")
            )
        };
    }
    if rules.images.iter().any(|k| k == key) {
        return lang
            .pick(
                "\"\"   # an image under assets/img/, e.g. \"/img/posts/photo.jpg\"",
                "\"\"   # une image du dossier assets/img/, par exemple \"/img/posts/photo.jpg\"",
            )
            .to_string();
    }
    if rules.handles.iter().any(|k| k == key) {
        return lang
            .pick(
                "\"\"   # the account name only: no @, no https://",
                "\"\"   # le nom du compte seul : sans @ ni https://",
            )
            .to_string();
    }
    match key {
        "author" => lang.pick("\"\"   # first and last name", "\"\"   # prénom et nom"),
        "description" => lang.pick(
            "\"\"   # one sentence for search engines and social networks",
            "\"\"   # une phrase pour les moteurs de recherche et les réseaux sociaux",
        ),
        _ => "\"\"",
    }
    .to_string()
}

/// `assets/img/a.png` → `/img/a.png`; anything else as given.
fn image_address(image: &str) -> String {
    let trimmed = image.trim();
    match trimmed.strip_prefix("assets/") {
        Some(rest) => format!("/{rest}"),
        None if trimmed.starts_with('/') || trimmed.contains("://") => trimmed.to_string(),
        None => format!("/{trimmed}"),
    }
}

fn write_new(folder: &Path, path: &Path, text: &str) -> Result<(), Vec<Diagnostic>> {
    let created = std::fs::create_dir_all(folder).and_then(|()| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
    });
    created.map_err(|e| {
        vec![
            Diagnostic::error(
                Rule::New,
                path,
                crate::msg!("cannot create the post: {e}", e),
            )
            .help(crate::msg!(
                "check that you may write in {folder}",
                folder = crate::source::layout::POSTS
            )),
        ]
    })
}

/// The draft's address, from the site as the preview loads it (drafts shown); None when the site
/// has errors elsewhere.
fn draft_url(root: &Path, path: &Path) -> Option<String> {
    let options = BuildOptions {
        drafts: true,
        future: true,
        ..BuildOptions::default()
    };
    let (site, _) = crate::site::load_lenient(root, &options);
    let relative = path.strip_prefix(root).ok()?;
    site?
        .posts
        .iter()
        .find(|p| p.file == relative)
        .map(|p| p.url.clone())
}
