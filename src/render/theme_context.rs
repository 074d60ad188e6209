//! `site.theme`: the settings of `theme:` in site.yml as templates read them, with what the
//! writer left out filled in (the listing address of each collection, the favicon, the site map
//! page), so that no theme hard-codes a path of one site.

use serde::Serialize;
use std::collections::BTreeMap;

use crate::site::{Site, plan};
use crate::source::theme::{Colors, Compliance};

/// `site.theme`.
#[derive(Serialize)]
pub(crate) struct ThemeContext<'a> {
    /// The theme's name (`default` when site.yml names none).
    name: &'a str,
    /// The collections to link to, each `{name, url}` (its listing page).
    collections: Vec<CollectionLink<'a>>,
    /// The listing page of every collection that has one, by collection name.
    listings: BTreeMap<&'a str, String>,
    /// The header's image, if any.
    logo: Option<&'a str>,
    /// The icon of browser tabs.
    favicon: &'a str,
    /// `{accent}`, each `#rrggbb` or absent.
    colors: &'a Colors,
    /// `{compliance, statement}`: `none`, `partial` or `full`, and the statement's page if any.
    accessibility: AccessibilityContext<'a>,
    /// The legal notice page, if any.
    legal: Option<&'a str>,
    /// The personal data page, if any.
    privacy: Option<&'a str>,
    /// The site map page of this language, when the theme renders one.
    sitemap_url: Option<String>,
}

/// A collection the theme links to.
#[derive(Serialize)]
struct CollectionLink<'a> {
    name: &'a str,
    url: String,
}

/// `site.theme.accessibility`.
#[derive(Serialize)]
struct AccessibilityContext<'a> {
    compliance: Compliance,
    statement: Option<&'a str>,
}

/// `site.theme` in language `lang`.
pub(crate) fn theme_context<'a>(site: &'a Site, lang: &str) -> ThemeContext<'a> {
    let config = &site.config;
    let settings = &config.theme;
    // Each collection's listing in this language (`/en/defis/` on English pages).
    let listing = |name: &'a String| {
        let url = config.listing_url(config.collections.get(name)?, lang)?;
        Some(CollectionLink { name, url })
    };
    let collections = match &settings.collections {
        Some(names) => names.iter().filter_map(listing).collect(),
        None => config.collections.keys().filter_map(listing).collect(),
    };
    let listings = config
        .collections
        .keys()
        .filter_map(listing)
        .map(|link| (link.name, link.url))
        .collect();
    ThemeContext {
        name: config.theme_name(),
        collections,
        listings,
        logo: settings.logo.as_deref(),
        favicon: settings.favicon.as_deref().unwrap_or("/favicon.svg"),
        colors: &settings.colors,
        accessibility: AccessibilityContext {
            compliance: settings.accessibility.compliance,
            statement: settings.accessibility.statement.as_deref(),
        },
        legal: settings.legal.as_deref(),
        privacy: settings.privacy.as_deref(),
        sitemap_url: plan::has_site_map(site).then(|| plan::site_map_url(site, lang)),
    }
}
