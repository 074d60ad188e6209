//! `theme:` in site.yml: the theme's name alone (`theme: dsfr`), as Hugo and Zola write it, or
//! its name with the settings every theme of gazette reads (header links, logo, favicon, colours,
//! the accessibility statement and the legal links of the footer). Checked like the rest of
//! site.yml: unknown keys, wrong values and unknown collections are errors at their line.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::diagnostic::{Diagnostic, Rule};
use crate::source::config::{Config, FILE_NAME};
use crate::source::yaml::field_line;
use crate::text::colour::{MIN_TEXT_CONTRAST, Rgb};

/// `theme:` as written: every key optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct ThemeSettings {
    /// The theme: its folder under `themes/`, or a theme built into gazette (`default`, `dsfr`);
    /// `none` for the site's own templates alone.
    pub name: Option<String>,
    /// The collections the header and the home page link to, in order (their listing pages);
    /// every collection with a `listing:` when not given.
    pub collections: Option<Vec<String>>,
    /// An image shown before the site's name in the header (a path under assets/, or a URL).
    pub logo: Option<String>,
    /// The site's icon in browser tabs (`/favicon.svg` when not given).
    pub favicon: Option<String>,
    /// Colours of the theme, `#rrggbb`.
    #[serde(alias = "colours")]
    pub colors: Colors,
    /// The accessibility statement the footer of every page names (mandatory for French public
    /// sites, RGAA).
    pub accessibility: Accessibility,
    /// The legal notice page (mentions légales), linked from the footer.
    pub legal: Option<String>,
    /// The personal data page (données personnelles), linked from the footer.
    pub privacy: Option<String>,
}

/// `theme.colors`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct Colors {
    /// Links, buttons and the header's accents: must be readable on white (4.5:1).
    pub accent: Option<String>,
}

/// `theme.accessibility`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct Accessibility {
    /// How far the site complies with the accessibility rules (RGAA), as its audit says.
    pub compliance: Compliance,
    /// The page of the accessibility statement (déclaration d'accessibilité).
    pub statement: Option<String>,
}

/// The compliance level of an accessibility statement. Without an audit the law says
/// "non conforme": that is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Compliance {
    /// Non conforme: no audit, or under half of the criteria met.
    #[default]
    #[serde(alias = "non")]
    None,
    /// Partiellement conforme: at least half of the criteria met.
    #[serde(alias = "partiellement")]
    Partial,
    /// Totalement conforme: every criterion met.
    #[serde(alias = "totalement")]
    Full,
}

/// Reads `theme:`: a name alone, or a mapping of settings.
pub(crate) fn name_or_settings<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<ThemeSettings, D::Error> {
    struct NameOrSettings;
    impl<'de> Visitor<'de> for NameOrSettings {
        type Value = ThemeSettings;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(
                "a theme name (`theme: default`) or its settings (`theme: {name: dsfr, …}`)",
            )
        }
        fn visit_str<E: de::Error>(self, name: &str) -> Result<ThemeSettings, E> {
            Ok(ThemeSettings {
                name: Some(name.to_string()),
                ..ThemeSettings::default()
            })
        }
        fn visit_unit<E: de::Error>(self) -> Result<ThemeSettings, E> {
            Ok(ThemeSettings::default())
        }
        fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<ThemeSettings, M::Error> {
            ThemeSettings::deserialize(de::value::MapAccessDeserializer::new(map))
        }
    }
    deserializer.deserialize_any(NameOrSettings)
}

/// The checks serde cannot make: colours readable on white, collections that exist, addresses
/// that are paths or URLs. Each problem points at its line in `text` (site.yml).
pub(crate) fn validate(config: &Config, text: &str) -> Vec<Diagnostic> {
    let settings = &config.theme;
    let theme_line = top_level_line(text, "theme");
    let line_of = |path: &[&str]| {
        let mut line = theme_line?;
        for key in path {
            // `colours` is read as `colors`: find the key as the writer spelt it. A key written
            // inline (`colors: { accent: … }`) is on its parent's line.
            match field_line(text, line, key)
                .or_else(|| (*key == "colors").then(|| field_line(text, line, "colours"))?)
            {
                Some(found) => line = found,
                None => break,
            }
        }
        Some(line)
    };
    let mut problems = Vec::new();
    let mut report = |path: &[&str], message: String, help: String| {
        let mut problem = Diagnostic::error(
            Rule::Config,
            FILE_NAME,
            format!("`theme.{}`: {message}", path.join(".")),
        )
        .help(help);
        if let Some(line) = line_of(path) {
            problem = problem.at(line, column_of_value(text, line));
        }
        problems.push(problem);
    };
    if let Some(accent) = &settings.colors.accent {
        let white = Rgb(255, 255, 255);
        match Rgb::parse(accent) {
            None => report(
                &["colors", "accent"],
                format!("`{accent}` is not a colour"),
                "write it as # and six hexadecimal digits, e.g. \"#000091\" (in quotes)".into(),
            ),
            Some(colour) if colour.contrast(white) < MIN_TEXT_CONTRAST => {
                let darker = colour.darkened_for(white, MIN_TEXT_CONTRAST);
                report(
                    &["colors", "accent"],
                    format!(
                        "`{accent}` is too light to read on white ({:.1}:1, accessibility asks 4.5:1)",
                        colour.contrast(white)
                    ),
                    format!(
                        "choose a darker colour, e.g. \"{}\" (the same hue, {:.1}:1)",
                        darker.hex(),
                        darker.contrast(white)
                    ),
                )
            }
            Some(_) => {}
        }
    }
    for name in settings.collections.iter().flatten() {
        match config.collections.get(name) {
            None => report(
                &["collections"],
                format!("there is no collection named `{name}`"),
                format!(
                    "name collections declared under `collections:` ({})",
                    known(config.collections.keys())
                ),
            ),
            Some(collection) if collection.listing.is_none() => report(
                &["collections"],
                format!("the collection `{name}` has no listing page to link to"),
                format!("give it one with `listing: /{name}/` under `collections.{name}`"),
            ),
            Some(_) => {}
        }
    }
    let addresses = [
        (["logo"].as_slice(), &settings.logo),
        (["favicon"].as_slice(), &settings.favicon),
        (["legal"].as_slice(), &settings.legal),
        (["privacy"].as_slice(), &settings.privacy),
        (
            ["accessibility", "statement"].as_slice(),
            &settings.accessibility.statement,
        ),
    ];
    for (path, value) in addresses {
        if let Some(value) = value
            && !(value.starts_with('/')
                || value.starts_with("https://")
                || value.starts_with("http://"))
        {
            report(
                path,
                format!("`{value}` is neither a path from the site's root nor a web address"),
                format!(
                    "start it with / (e.g. /{}) or https://",
                    value.trim_start_matches("./")
                ),
            );
        }
    }
    problems
}

fn known<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&str> = names.map(String::as_str).collect();
    if names.is_empty() {
        "this site has none".into()
    } else {
        names.join(", ")
    }
}

/// The 1-based line of a top-level `key:` of `text`.
fn top_level_line(text: &str, key: &str) -> Option<usize> {
    crate::source::yaml::top_level_key_lines(text)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, line)| line)
}

/// The 1-based column where the value of the `key: value` on `line` starts (1 when none).
fn column_of_value(text: &str, line: usize) -> usize {
    text.lines()
        .nth(line.saturating_sub(1))
        .and_then(|l| l.find(": ").map(|at| l[..at + 2].chars().count() + 1))
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use crate::source::config::Config;

    fn problems(yaml: &str) -> Vec<String> {
        match Config::from_text(yaml) {
            Ok(_) => Vec::new(),
            Err(problems) => problems
                .iter()
                .map(|d| {
                    format!(
                        "{}: {} ({})",
                        d.location(),
                        d.message,
                        d.help.as_ref().map(ToString::to_string).unwrap_or_default()
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn a_name_alone_or_settings() {
        let config = Config::from_text("title: t\ntheme: dsfr\n").unwrap();
        assert_eq!(config.theme_name(), "dsfr");
        let config = Config::from_text(
            "title: t\ntheme:\n  name: dsfr\n  accessibility: { compliance: partiellement }\n",
        )
        .unwrap();
        assert_eq!(config.theme_name(), "dsfr");
        assert_eq!(
            config.theme.accessibility.compliance,
            super::Compliance::Partial
        );
        let config = Config::from_text("title: t\n").unwrap();
        assert_eq!(config.theme_name(), "default");
    }

    #[test]
    fn mistakes_point_at_their_line() {
        let found =
            problems("title: t\ntheme:\n  name: default\n  colours:\n    accent: \"#ffcc00\"\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("site.yml:5:13: `theme.colors.accent`"),
            "{found:?}"
        );
        assert!(found[0].contains("too light"), "{found:?}");
        let found = problems("title: t\ntheme:\n  collections: [defis]\n");
        assert!(found[0].starts_with("site.yml:3:"), "{found:?}");
        assert!(
            found[0].contains("no collection named `defis`"),
            "{found:?}"
        );
        let found = problems("title: t\ntheme:\n  logo: img/logo.svg\n");
        assert!(
            found[0].contains("start it with / (e.g. /img/logo.svg)"),
            "{found:?}"
        );
        let found = problems("title: t\ntheme:\n  name: dsfr\n  favicn: /f.svg\n");
        assert!(found[0].starts_with("site.yml:4:"), "{found:?}");
        assert!(found[0].contains("did you mean `favicon`"), "{found:?}");
        let found = problems("title: t\ntheme:\n  accessibility:\n    compliance: partiel\n");
        assert!(found[0].starts_with("site.yml:4:"), "{found:?}");
        assert!(found[0].contains("partial"), "{found:?}");
    }
}
