//! `gazette init`: a new site that builds and previews at once: a documented site.yml, a first
//! post, an about page, empty challenge and people collections with their rules and a favicon;
//! the default theme is built into gazette (`gazette theme eject` copies it into the site).

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Rule};

/// What `gazette init` writes.
pub struct InitOptions {
    /// The site's languages, the default one first (`fr`, or `fr,en`).
    pub languages: Vec<String>,
    /// The site's title.
    pub title: String,
    /// The built-in theme the site names (`default` or `dsfr`).
    pub theme: String,
}

/// Creates a new site in `dir` (which must not exist or be empty); returns the files written,
/// relative to `dir`.
pub fn init(dir: &Path, options: &InitOptions) -> Result<Vec<PathBuf>, Diagnostic> {
    if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(Diagnostic::error(
            Rule::New,
            dir,
            crate::msg!("this folder is not empty: a new site would mix its files with yours"),
        )
        .help(crate::msg!(
            "give a folder that does not exist yet, or an empty one"
        )));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(
            Diagnostic::error(Rule::New, dir, crate::msg!("this is a file, not a folder"))
                .help(crate::msg!("give a folder that does not exist yet")),
        );
    }
    if !crate::themes::is_builtin(&options.theme) {
        return Err(Diagnostic::error(
            Rule::New,
            dir,
            format!("no theme `{}` is built into gazette", options.theme),
        )
        .help(format!(
            "name one of the built-in themes: {}",
            crate::themes::BUILTIN.join(", ")
        )));
    }
    let default = options.languages.first().map_or("fr", String::as_str);
    let other: Vec<&str> = options.languages[1.min(options.languages.len())..]
        .iter()
        .map(String::as_str)
        .collect();
    let today = chrono::Local::now().date_naive().format("%Y-%m-%d");
    let files: Vec<(String, Vec<u8>)> = vec![
        (
            crate::source::config::FILE_NAME.to_string(),
            site_yml(&options.title, default, &other)
                .replace("\ntheme:\n  name: default\n", &format!("\ntheme:\n  name: {}\n", options.theme))
                .into_bytes(),
        ),
        (
            format!("{}/{today}-bienvenue.md", crate::source::layout::POSTS),
            first_post(default).into_bytes(),
        ),
        (
            format!("{}/a-propos.md", crate::source::layout::PAGES),
            about_page(default).into_bytes(),
        ),
        (
            format!("{}/challenges.yml", crate::source::layout::DATA),
            b"# One record per challenge: `Name of the challenge:` then its fields indented below.\n{}\n"
                .to_vec(),
        ),
        (
            format!("{}/people.yml", crate::source::layout::DATA),
            b"# One record per person: `First Last:` then their fields indented below.\n{}\n"
                .to_vec(),
        ),
        (
            format!("{}/i18n.yml", crate::source::layout::DATA),
            I18N.as_bytes().to_vec(),
        ),
        (
            format!("{}/favicon.svg", crate::source::layout::ASSETS),
            FAVICON.as_bytes().to_vec(),
        ),
        (".gitignore".to_string(), b"/public\n.gazette-cache/\n".to_vec()),
    ];
    // The theme is built into gazette: `gazette theme eject default` copies it to change it.
    write_files(dir, files)
}

/// Copies the built-in theme `name` into the site's `themes/<name>/`, to change it there (the
/// site then uses that copy); refused when that folder exists or no such theme is built in.
pub fn eject_theme(root: &Path, name: &str) -> Result<Vec<PathBuf>, Diagnostic> {
    let folder = Path::new(crate::source::layout::THEMES).join(name);
    if !crate::themes::is_builtin(name) {
        return Err(Diagnostic::error(
            Rule::Config,
            crate::source::config::FILE_NAME,
            format!(
                "no theme `{name}` is built into gazette (built-in: {})",
                crate::themes::BUILTIN.join(", ")
            ),
        )
        .help(crate::msg!("name one of the built-in themes")));
    }
    if root.join(&folder).exists() {
        return Err(Diagnostic::error(
            Rule::New,
            &folder,
            crate::msg!("this theme folder already exists: the site already uses its own copy"),
        )
        .help(crate::msg!(
            "change the files there, or move the folder away to copy the built-in theme again"
        )));
    }
    let files = crate::themes::files(name)
        .iter()
        .map(|(relative, bytes)| (format!("{}/{relative}", folder.display()), bytes.to_vec()))
        .collect();
    write_files(root, files)
}

/// Writes `files` (relative path, bytes) under `dir`; returns their paths.
fn write_files(dir: &Path, files: Vec<(String, Vec<u8>)>) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut written = Vec::new();
    for (relative, bytes) in files {
        let path = dir.join(&relative);
        let created = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, bytes));
        created.map_err(|e| {
            Diagnostic::error(
                Rule::New,
                &path,
                crate::msg!("cannot create this file: {e}", e),
            )
            .help(crate::msg!("check that you may write in this folder"))
        })?;
        written.push(PathBuf::from(relative));
    }
    Ok(written)
}

/// The site's configuration, every key explained for the person who will edit it.
fn site_yml(title: &str, default: &str, other: &[&str]) -> String {
    let title = crate::source::yaml::quoted(title);
    let mut text = format!(
        r#"# The configuration of this site. Every key is optional except `title`; gazette says which
# key is unknown (with the closest one) if you mistype one.
title: {title}
description: "Ce que ce site raconte, en une phrase (moteurs de recherche et réseaux sociaux)."
# The address where the site is published (change it before publishing).
base_url: "https://example.org"
language: {default}
author: "L'équipe"
# A short line under the site's name in the header.
tagline: ""
# The theme (`default`, or `dsfr`: the State Design System, for State services) and its settings;
# every setting is optional. `gazette theme eject NAME` copies the theme here to change it.
theme:
  name: default
  collections: [challenges, people]  # collections linked from the home page, in this order
  # logo: /img/logo.svg              # an image in the header (a file of assets/)
  # favicon: /favicon.svg            # the icon of browser tabs
  # colors: {{ accent: '#1a3d8f' }}  # links and buttons (default theme); readable on white
  accessibility:
    compliance: none                 # none, partial or full, as your accessibility audit says
    # statement: /accessibilite.html # your accessibility statement, linked from every footer
  # legal: /mentions-legales.html    # legal notice, linked from every footer
  # privacy: /donnees-personnelles.html

menu:
  - {{ title: "Blog", url: "/blog/" }}
  - {{ title: "Défis", url: "/defis/" }}
  - {{ title: "Communauté", url: "/communaute/" }}
  - {{ title: "À propos", url: "/a-propos.html" }}

# Challenges and people: records in content/data/challenges.yml and people.yml, each with an
# optional Markdown page in content/challenges/ or content/people/ (its front matter names the
# record: `title:` for a challenge, `name:` for a person).
collections:
  challenges:
    data: challenges.yml
    bodies: challenges
    body_key: title
    permalink: "/defis/:year/:slug.html"
    listing: "/defis/"
    template: challenge.html
    listing_template: challenges.html
    references:
      people: people
  people:
    data: people.yml
    bodies: people
    body_key: name
    title_field: key
    permalink: "/communaute/:year/:slug.html"
    listing: "/communaute/"
    template: person.html
    listing_template: people.html
    references:
      challenges: challenges

# Content rules: `gazette check`, every build and the preview look for these mistakes and say
# where to fix them. Errors stop the build; warnings do not.
rules:
  posts:
    required: [title, description, tags]
    min_tags: 1
    max_tags: 4
  collections:
    challenges:
      required: [year, description]
    people:
      required: [year, role]
      enums:
        role: [fellow, mentor, staff]
  links:
    internal: true
"#
    );
    if !other.is_empty() {
        text.push_str(
            "\n# Languages: the first one has no URL prefix; the others live under /<code>/.\nlanguages:\n",
        );
        text.push_str(&format!("  {default}:\n    date_format: long\n"));
        for lang in other {
            text.push_str(&format!(
                "  {lang}:\n    prefix: \"/{lang}\"\n    date_format: long\n    menu:\n      - {{ title: \"Blog\", url: \"/{lang}/blog/\" }}\n"
            ));
        }
    }
    text
}

fn first_post(lang: &str) -> String {
    if lang == "fr" {
        "---\ntitle: \"Bienvenue\"\ndescription: \"Le premier article du site : modifiez-le ou supprimez-le.\"\ntags: [nouvelles]\n---\n\nCe site vient d'être créé avec `gazette init`. Lancez `gazette serve` pour le voir\ndans votre navigateur : chaque enregistrement met la page à jour.\n\n<!-- more -->\n\n## Écrire un article\n\n`gazette new post \"Titre de l'article\"` crée un brouillon dans `content/posts/`.\n".to_string()
    } else {
        "---\ntitle: \"Welcome\"\ndescription: \"The first post of the site: edit it or delete it.\"\ntags: [news]\n---\n\nThis site was just made with `gazette init`. Run `gazette serve` to see it in your\nbrowser: every save updates the page.\n\n<!-- more -->\n\n## Writing a post\n\n`gazette new post \"Title of the post\"` creates a draft in `content/posts/`.\n".to_string()
    }
}

fn about_page(lang: &str) -> String {
    if lang == "fr" {
        "---\ntitle: \"À propos\"\ndescription: \"Qui fait ce site, et pourquoi.\"\n---\n\nPrésentez ici votre programme.\n".to_string()
    } else {
        "---\ntitle: \"About\"\ndescription: \"Who makes this site, and why.\"\n---\n\nPresent your programme here.\n".to_string()
    }
}

const I18N: &str =
    "# The site's own interface strings, over the theme's (themes/default/i18n.yml lists every
# key): write here only what this site says differently, e.g.
# fr:
#   footer_text: \"Un site du programme. Fabriqué avec gazette.\"
{}
";

const FAVICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\" width=\"32\" height=\"32\"><rect width=\"32\" height=\"32\" rx=\"7\" fill=\"#000091\"/><path d=\"M9 24V8h11M9 16h9\" stroke=\"#fff\" stroke-width=\"3.5\" fill=\"none\" stroke-linecap=\"round\"/></svg>\n";

/// A host a site can be published on, with the recipe gazette writes for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// GitHub Pages, through a GitHub Actions workflow.
    Github,
    /// GitLab Pages, through `.gitlab-ci.yml`.
    Gitlab,
    /// Netlify, through `netlify.toml` (its `_redirects` rules come from `redirects: netlify`).
    Netlify,
}

/// Writes the publishing recipe for `host` into the site in `root`; `gazette_git` is the git
/// address gazette is installed from on the host (the workflow reads the `GAZETTE_GIT` variable
/// when none is given). Refuses to replace an existing recipe.
pub fn publish_setup(
    root: &Path,
    host: Host,
    gazette_git: Option<&str>,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let (file, text) = recipe(host, gazette_git);
    if root.join(file).exists() {
        return Err(Diagnostic::error(
            Rule::New,
            file,
            crate::msg!(
                "this file already exists: gazette does not replace a recipe you may have changed"
            ),
        )
        .help(crate::msg!("move it away to write gazette's recipe again")));
    }
    write_files(root, vec![(file.to_string(), text.into_bytes())])
}

/// The recipe file of `host` and its text.
pub fn recipe(host: Host, gazette_git: Option<&str>) -> (&'static str, String) {
    let install = match gazette_git {
        Some(url) => format!("cargo install --locked --git {url} gazette"),
        None => "cargo install --locked --git \"$GAZETTE_GIT\" gazette".to_string(),
    };
    match host {
        Host::Github => (
            ".github/workflows/gazette.yml",
            format!(
                r#"# Builds the site with gazette on every push to main and publishes it on GitHub Pages.
# In the repository's settings: Pages → Source: GitHub Actions. The address (a project site is
# published under /<repository>/) is given to gazette, so every link works there.
name: Publier le site
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: true
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      # Where gazette is installed from (a repository variable, if not written below).
      GAZETTE_GIT: ${{{{ vars.GAZETTE_GIT }}}}
    steps:
      - uses: actions/checkout@v4
      - id: pages
        uses: actions/configure-pages@v5
      - name: Installer gazette
        run: {install}
      - name: Construire le site
        run: gazette build --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#
            ),
        ),
        Host::Gitlab => (
            ".gitlab-ci.yml",
            format!(
                r#"# Builds the site with gazette on every push to the default branch and publishes it on
# GitLab Pages, at the address GitLab gives (CI_PAGES_URL), so every link works there.
# GAZETTE_GIT (Settings → CI/CD → Variables) says where gazette is installed from.
pages:
  image: rust:latest
  script:
    - {install}
    - gazette build --base-url "$CI_PAGES_URL/" --output public
  artifacts:
    paths:
      - public
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"#
            ),
        ),
        Host::Netlify => (
            "netlify.toml",
            format!(
                r#"# Netlify builds the site with gazette and publishes public/. Add `redirects: netlify` to
# site.yml so that old addresses (aliases) are permanent redirects Netlify applies.
# GAZETTE_GIT (Site settings → Environment variables) says where gazette is installed from.
[build]
  command = "{} && gazette build"
  publish = "public"
"#,
                install.replace('"', "\\\"")
            ),
        ),
    }
}
