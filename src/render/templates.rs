//! The site's and theme's tera templates, parsed once, with gazette's filters and functions; which template a page uses.

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Rule;
use crate::markdown;
use crate::site::{Page, Site};
use crate::source::layout::Kind;
use crate::text::{dates, url};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tera::{Context, Kwargs, State, Tera, Value};

/// The templates of a site, parsed once, with gazette's filters and functions.
pub(crate) struct Templates {
    pub(crate) tera: Tera,
    /// Non-fatal findings: interface strings missing in a language.
    pub warnings: Vec<Diagnostic>,
    /// Template name → file, to point errors at the file.
    pub(crate) files: HashMap<String, PathBuf>,
    /// True when a template reads `all_posts`, `posts_by_tag` or `all_pages` (built only then).
    pub(crate) reads_all_posts: bool,
    /// True when a template names `toc` (post cards carry their headings only then).
    pub(crate) reads_toc: bool,
    /// The fingerprinted files `asset()` names (see [`super::assets`]).
    assets: super::assets::SharedAssets,
    /// True when a template calls `asset()`: its pages change when a stylesheet or script does.
    pub(crate) reads_assets: bool,
    /// The files templates name through `asset()`, whose fingerprinted copies are published.
    pub(crate) asset_paths: super::assets::Wanted,
}

/// The prefix of the theme's template names (the site's own templates have none, so they win).
pub(crate) const THEME_PREFIX: &str = "theme/";

impl Templates {
    /// Parses the theme's and the site's templates (the site's win on equal names).
    pub(crate) fn load(site: &Site) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let mut problems = Vec::new();
        if let Err(error) = tera.set_fallback_prefixes([THEME_PREFIX]) {
            problems.push(Diagnostic::error(
                Rule::Template,
                "templates",
                error.to_string(),
            ));
        }
        tera.autoescape_on(vec![".html", ".xml", ".htm"]);
        let mut files = HashMap::new();
        let mut sources = Vec::new();
        for file in &site.sources.files {
            let Some(name) = template_name(file) else {
                continue;
            };
            match crate::source::load::read_text(&site.root, &file.path) {
                Ok(text) => {
                    files.insert(name.clone(), file.path.clone());
                    sources.push((name, text));
                }
                Err(d) => problems.push(d),
            }
        }
        // A `render: tera` page's body is a template of its own, named after its file.
        for page in site.pages.iter().filter(|p| p.renders_with_tera()) {
            let name = page_template_name(page);
            files.insert(name.clone(), page.file.clone());
            sources.push((name, at_its_line(&page.body.html, page.body_line)));
        }
        let reads_all_posts = sources.iter().any(|(_, text)| reads_site_lists(text));
        // Any mention counts, even in a string or a comment: a card without its headings must
        // never reach a template that could read them.
        let reads_toc = sources.iter().any(|(_, text)| text.contains("toc"));
        let reads_assets = sources.iter().any(|(_, text)| text.contains("asset("));
        let asset_paths = super::assets::wanted_by(sources.iter().map(|(_, t)| t.as_str()));
        // Templates are checked against the known functions and filters when added.
        let assets = register_functions(&mut tera, site);
        if let Err(error) = tera.add_raw_templates(sources) {
            problems.push(template_error(&error, &files, None));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let warnings = missing_interface_strings(site, &files);
        let templates = Templates {
            tera,
            files,
            warnings,
            reads_all_posts,
            reads_toc,
            assets,
            reads_assets,
            asset_paths,
        };
        templates.refresh_assets(site);
        Ok(templates)
    }

    /// Makes again the table of fingerprinted files `asset()` reads, from the site's files now.
    pub(crate) fn refresh_assets(&self, site: &Site) {
        if !self.reads_assets {
            return;
        }
        let fresh = super::assets::assets(site);
        if let Ok(mut table) = self.assets.write() {
            *table = fresh;
        }
    }

    /// True when a template of this name exists (in the site or the theme).
    pub(crate) fn has(&self, name: &str) -> bool {
        self.tera
            .get_template_names()
            .any(|n| n == name || n.strip_prefix(THEME_PREFIX) == Some(name))
    }

    pub(crate) fn render(
        &self,
        name: &str,
        context: &Context,
        source: Option<&Path>,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| template_error(&e, &self.files, source))
    }

    /// [`Templates::render`] as bytes, for a page written as it is: tera writes only text, and
    /// its check that the whole page is UTF-8 again (`render`) was 3% of a 10,000-post build.
    pub(crate) fn render_bytes(
        &self,
        name: &str,
        context: &Context,
        source: Option<&Path>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut page = Vec::with_capacity(8 * 1024);
        self.tera
            .render_to(name, context, &mut page)
            .map_err(|e| template_error(&e, &self.files, source))?;
        Ok(page)
    }
}

/// True when a template's text reads `all_posts`, `posts_by_tag` or `all_pages` as a variable
/// (not as a word inside a string, such as the interface string `t(key="all_posts")`).
pub(crate) fn reads_site_lists(text: &str) -> bool {
    reads_every_post(text) || crate::text::words::mentions(text, "all_pages")
}

/// True when a template's text reads every post's card (`all_posts`, `posts_by_tag`).
pub(crate) fn reads_every_post(text: &str) -> bool {
    crate::text::words::mentions(text, "all_posts")
        || crate::text::words::mentions(text, "posts_by_tag")
}

/// True when a template's text reads every page (`all_pages`).
pub(crate) fn reads_every_page(text: &str) -> bool {
    crate::text::words::mentions(text, "all_pages")
}

/// The filters [`register_functions`] makes from the site's settings.
const SITE_FILTERS: &[&str] = &["abs_url", "slugify", "localized", "date"];

/// Checks that `text` is a template tera can parse (its syntax, and the names of the filters and
/// functions it uses). Returns tera's message when it is not.
pub(crate) fn check_template(text: &str) -> Result<(), String> {
    let mut tera = Tera::new();
    super::list_filters::register(&mut tera, true);
    // The filters that depend on the site are known by name only: here, only names are checked.
    for &name in SITE_FILTERS {
        tera.register_filter(name, |value: Value, _: Kwargs, _: &State| value);
    }
    tera.register_function("t", |_: Kwargs, _: &State| String::new());
    tera.register_function("url", |_: Kwargs, _: &State| String::new());
    tera.register_function("asset", |_: Kwargs, _: &State| String::new());
    // Included templates are the site's: stand-ins here, as only this text is checked.
    let included: Vec<(String, String)> = text
        .split("{% include \"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"'))
        .map(|(name, _)| (name.to_string(), String::new()))
        .collect();
    tera.add_raw_templates(
        included
            .into_iter()
            .chain([("check.html".into(), text.into())]),
    )
    .map(|_| ())
    .map_err(|e| {
        let mut message = e.to_string();
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            message.push_str(": ");
            message.push_str(&c.to_string());
            cause = c.source();
        }
        message
    })
}

/// A template written in the body of a file whose body starts at `first_line`, after blank lines
/// standing for the front matter: tera then counts lines as the file does, and its messages point
/// at the right line. (The blank lines add nothing to Markdown or HTML.)
pub(crate) fn at_its_line(body: &str, first_line: usize) -> String {
    let mut text = "\n".repeat(first_line.saturating_sub(1));
    text.push_str(body);
    text
}

/// The name the body of a `render: tera` page has among the templates.
pub(crate) fn page_template_name(page: &Page) -> String {
    format!("page-body:{}", page.file.display())
}

/// The name tera knows a template file by: its path under `templates/`, with the theme's behind
/// a prefix so that the site's own templates win; None for other files.
pub(crate) fn template_name(file: &crate::source::discover::SourceFile) -> Option<String> {
    match file.kind {
        Kind::Template { theme: true } => Some(format!("{THEME_PREFIX}{}", file.relative)),
        Kind::Template { theme: false } => Some(file.relative.clone()),
        _ => None,
    }
}

pub(crate) fn template_error(
    error: &tera::Error,
    files: &HashMap<String, PathBuf>,
    source: Option<&Path>,
) -> Diagnostic {
    use tera::ErrorKind;
    let file_of = |name: &str| {
        files
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name))
    };
    // Which page was being made, after the message: the template may serve many pages.
    let with_page = |message: crate::diagnostic::Text| match source {
        Some(file) => message.then(
            " ",
            crate::msg!("(while rendering {file})", file = file.display()),
        ),
        None => message,
    };
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let reason = report.message();
            let message = crate::msg!("this template cannot be used: {reason}", reason);
            Diagnostic::error(Rule::Template, file_of(report.filename()), with_page(message))
                .at(span.start_line, span.start_col + 1)
                .help(crate::msg!("fix the template at this place; the tera documentation lists what templates may contain"))
        }
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            Rule::Template,
            source.map_or_else(|| PathBuf::from("templates"), Path::to_path_buf),
            with_page(crate::msg!("the template `{name}` does not exist", name)),
        )
        .help(crate::msg!(
            "create it in templates/ or in the theme, or correct the name"
        )),
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            Rule::Template,
            file_of(current),
            crate::msg!(
                "`{current}` extends `{parent}`, which does not exist",
                current,
                parent
            ),
        )
        .help(crate::msg!(
            "correct the name in {% extends %} or create the parent template"
        )),
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Diagnostic::error(
            Rule::Template,
            file_of(tpl),
            crate::msg!(
                "templates extend each other in a circle: {chain}",
                chain = inheritance_chain.join(" → ")
            ),
        )
        .help(crate::msg!(
            "one of these templates must not extend another"
        )),
        ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::error(
            Rule::Template,
            file_of(tpl),
            crate::msg!(
                "templates include each other in a circle: {chain}",
                chain = include_chain.join(" → ")
            ),
        )
        .help(crate::msg!("remove one of these {% include %}")),
        _ => {
            let mut message = error.to_string();
            let mut cause = std::error::Error::source(error);
            while let Some(c) = cause {
                message.push_str(": ");
                message.push_str(&c.to_string());
                cause = c.source();
            }
            Diagnostic::error(
                Rule::Template,
                source.map_or_else(|| PathBuf::from("templates"), Path::to_path_buf),
                with_page(crate::msg!(
                    "a template cannot be used: {reason}",
                    reason = message
                )),
            )
            .help(crate::msg!("check the template named in the message"))
        }
    }
}

pub(crate) fn register_functions(tera: &mut Tera, site: &Site) -> super::assets::SharedAssets {
    let base = site.config.base().to_string();
    let default_lang = site.config.language.clone();
    tera.register_filter("abs_url", move |path: String, _: Kwargs, _: &State| {
        url::absolute(&base, &path)
    });
    // `{{ url(path="/css/site.css") }}`: a site address under the base path, wherever it is
    // written (a script, a style, JSON), not only in the attributes rewritten after rendering.
    let base_path = site.config.base_path().to_string();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            Ok(url::site_address(&path, &base_path))
        },
    );
    tera.register_filter("slugify", |text: String, _: Kwargs, _: &State| {
        markdown::slugify(&text)
    });
    super::list_filters::register(tera, site.config.raw_html);
    register_typography(tera, site);
    let lang_for_dates = default_lang.clone();
    let date_formats: HashMap<String, String> = site
        .config
        .languages
        .iter()
        .filter_map(|(code, l)| l.date_format.clone().map(|f| (code.clone(), f)))
        .collect();
    let lang_for_fields = default_lang.clone();
    tera.register_filter(
        "localized",
        move |fields: &tera::Map, kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let field: String = kwargs.must_get("field")?;
            let lang: String = state
                .get::<String>("lang")?
                .unwrap_or_else(|| lang_for_fields.clone());
            let translated = tera::value::Key::from(format!("{field}_{lang}"));
            let plain = tera::value::Key::from(field);
            Ok(fields
                .get(&translated)
                .filter(|_| lang != lang_for_fields)
                .or_else(|| fields.get(&plain))
                .cloned()
                .unwrap_or_else(Value::none))
        },
    );
    tera.register_filter("date", move |value: String, kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
        let mut page_lang = None;
        let lang = chosen_lang(&kwargs, state, &mut page_lang, &lang_for_dates)?;
        let format: &str =
            kwargs.get::<&str>("format")?.or_else(|| date_formats.get(lang).map(String::as_str)).unwrap_or("long");
        let date = dates::parse(&value).ok_or_else(|| tera::Error::message(format!("`{value}` is not a date (expected YYYY-MM-DD)")))?;
        dates::format(date, format, lang).ok_or_else(|| {
            tera::Error::message(format!("unknown date format `{format}`: use long, full, short, month, year, iso, rfc3339 or rfc822"))
        })
    });
    register_resize_image(tera, site);
    let assets = register_asset(tera, site);
    let strings = Arc::new(interface_strings(site));
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let key: &str = kwargs.must_get("key")?;
            let mut page_lang = None;
            let lang = chosen_lang(&kwargs, state, &mut page_lang, &default_lang)?;
            Ok(strings
                .get(lang)
                .and_then(|m| m.get(key))
                .or_else(|| strings.get(&default_lang).and_then(|m| m.get(key)))
                .cloned()
                // Never a raw key on a page: the build has warned about it at the template's line.
                .unwrap_or_else(|| key.replace('_', " ")))
        },
    );
    assets
}

/// The language `t()` and `date` work in: their `lang=` argument, else the page's `lang`, else
/// the site's. Borrowed, not copied (both are called dozens of times on every page); `page`
/// holds the page's value while it is borrowed.
fn chosen_lang<'a>(
    kwargs: &'a Kwargs,
    state: &State,
    page: &'a mut Option<Value>,
    default: &'a str,
) -> tera::TeraResult<&'a str> {
    if let Some(lang) = kwargs.get::<&str>("lang")? {
        return Ok(lang);
    }
    *page = state.get::<Value>("lang")?;
    let page: &'a Option<Value> = page;
    Ok(page.as_ref().and_then(Value::as_str).unwrap_or(default))
}

/// `asset(path="css/site.css")` → `/css/site.3f2a1b9c.css` under the site's base path: the
/// fingerprinted copy of a stylesheet, script, font or icon (see [`super::assets`]). A path that
/// is no such file is an error at the template's line, with the closest name.
fn register_asset(tera: &mut Tera, site: &Site) -> super::assets::SharedAssets {
    let table: super::assets::SharedAssets = Arc::default();
    let assets = Arc::clone(&table);
    let base_path = site.config.base_path().to_string();
    let lang = crate::check::Lang::for_site(site);
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            let plain = super::assets::plain_path(&path);
            let Ok(table) = assets.read() else {
                return Err(tera::Error::message("asset: the table of files is unusable"));
            };
            if let Some(asset) = table.get(plain) {
                return Ok(url::site_address(&asset.fingerprinted, &base_path));
            }
            let fingerprinted = super::assets::is_fingerprinted_kind(plain);
            let mut message = if fingerprinted {
                crate::msg!(
                    "asset(): `{path}` is not among the site's assets/ files nor the theme's static/ files",
                    path
                )
            } else {
                crate::msg!(
                    "asset(): `{path}` is not a stylesheet, script, font or icon, the files asset() names after their content; use url() for other files (resize_image for pictures)",
                    path
                )
            };
            if let Some(closest) = super::assets::closest(&table, plain).filter(|_| fingerprinted) {
                message = message.then("; ", crate::msg!("did you mean `{s}`?", s = closest));
            }
            Err(tera::Error::message(message.in_lang(lang)))
        },
    );
    table
}

/// `resize_image(path="/img/a.jpg", width=480)` → `{url, width, height}` of a WebP copy the
/// build publishes (`format="original"`: the widest copy in the picture's own format;
/// `format="card"`: the 1200×630 social card) (see [`crate::media::resized_copy`]).
fn register_resize_image(tera: &mut Tera, site: &Site) {
    let root = site.root.clone();
    let images = site.config.images.clone();
    let base_url = site.config.base_url.clone();
    tera.register_function(
        "resize_image",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let path: String = kwargs.must_get("path")?;
            let width: u32 = kwargs.get("width")?.unwrap_or(u32::MAX);
            let format: String = kwargs.get("format")?.unwrap_or_else(|| "webp".to_string());
            let kind = match format.as_str() {
                "webp" => crate::media::CopyKind::Webp,
                "original" => crate::media::CopyKind::Original,
                "card" => crate::media::CopyKind::Card,
                other => {
                    return Err(tera::Error::message(format!(
                        "resize_image: format `{other}` is unknown: write \"webp\", \"original\" or \"card\""
                    )));
                }
            };
            let copy = crate::media::resized_copy(&root, &images, &base_url, &path, width, kind);
            Ok(Value::from_serializable(&copy))
        },
    );
}

/// `{{ page.title | typography }}`: the typography of Markdown bodies (French non-breaking spaces
/// and quotes, apostrophes) for text a template shows, in the page's language (`lang=` to choose),
/// unless site.yml says `typography: false`. Only for text: never in an attribute or a URL.
fn register_typography(tera: &mut Tera, site: &Site) {
    let enabled = site.config.typography;
    let default_lang = site.config.language.clone();
    tera.register_filter(
        "typography",
        move |value: &Value, kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let Some(text) = value.as_str() else {
                // Not text (none, a number): shown as it is.
                return Ok(value.clone());
            };
            let lang: String = match kwargs.get::<String>("lang")? {
                Some(lang) => lang,
                None => state
                    .get::<String>("lang")?
                    .unwrap_or_else(|| default_lang.clone()),
            };
            let typography = match lang.as_str() {
                _ if !enabled => markdown::Typography::None,
                "fr" => markdown::Typography::French,
                "en" => markdown::Typography::English,
                _ => markdown::Typography::None,
            };
            Ok(if value.is_safe() {
                Value::safe_string(&markdown::typeset_text(text, typography, true))
            } else {
                Value::from(markdown::typeset_text(text, typography, false))
            })
        },
    );
}

/// Keys used with `t(key="...")` in templates but missing from `data.i18n` for a language.
pub(crate) fn missing_interface_strings(
    site: &Site,
    files: &HashMap<String, PathBuf>,
) -> Vec<Diagnostic> {
    let strings = interface_strings(site);
    if strings.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut names: Vec<(&String, &PathBuf)> = files.iter().collect();
    names.sort();
    for (name, path) in names {
        // A site template overriding a theme template hides it: only check what is used.
        if name
            .strip_prefix(THEME_PREFIX)
            .is_some_and(|plain| files.contains_key(plain))
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(site.root.join(path)) else {
            continue;
        };
        for (index, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(start) = rest.find("t(key=\"") {
                let after = &rest[start + 7..];
                let Some(end) = after.find('"') else { break };
                let key = &after[..end];
                // `t(key="role_" ~ role)` builds its key at render time: only literal keys are checked.
                let literal = after[end + 1..].trim_start().starts_with([')', ',']);
                for lang in site.config.language_codes().into_iter().filter(|_| literal) {
                    if !strings.get(&lang).is_some_and(|m| m.contains_key(key)) {
                        let column = line.len() - rest.len() + start + 1;
                        found.push(
                            Diagnostic::warning(
                                Rule::I18n,
                                path.clone(),
                                crate::msg!("the interface string `{key}` has no `{lang}` text", key, lang),
                            )
                            .at(index + 1, column)
                            .help(crate::msg!("add `{key}: ...` under `{lang}:` in content/data/i18n.yml (or in the theme's i18n.yml)", key, lang)),
                        );
                    }
                }
                rest = &after[end..];
            }
        }
    }
    found
}

/// The interface strings templates read with `t()`: language → key → text. The theme's own
/// (`themes/<name>/i18n.yml`) first, then the site's `content/data/i18n.yml` key by key over them.
pub(crate) fn interface_strings(site: &Site) -> HashMap<String, HashMap<String, String>> {
    let mut out: HashMap<String, HashMap<String, String>> = HashMap::new();
    let layers = [
        site.theme_strings.as_ref().map(|d| &d.value),
        site.data.get("i18n").map(|d| &d.value),
    ];
    for layer in layers.into_iter().flatten() {
        let serde_json::Value::Object(langs) = layer else {
            continue;
        };
        for (lang, strings) in langs {
            if let serde_json::Value::Object(strings) = strings {
                out.entry(lang.clone()).or_default().extend(
                    strings
                        .iter()
                        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string()))),
                );
            }
        }
    }
    out
}
