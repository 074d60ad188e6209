//! Jekyll's own URL rules (3.x): permalink styles and placeholders, `:title` from the file name
//! with its case kept, page URLs with or without an extension, and dates from file names.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// `YYYY-MM-DD-slug.ext` or `YY-MM-DD-slug.ext` (Ruby's date parser reads a two-digit year as
/// 20YY): the date and the slug.
pub fn date_from_file_name(name: &str) -> Option<(NaiveDate, String)> {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let mut parts = stem.splitn(4, '-');
    let (year, month, day, slug) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if !(2..=4).contains(&year.len())
        || !year.bytes().all(|b| b.is_ascii_digit())
        || slug.is_empty()
    {
        return None;
    }
    let mut year: i32 = year.parse().ok()?;
    if year < 100 {
        year += if year < 69 { 2000 } else { 1900 };
    }
    let date = NaiveDate::from_ymd_opt(year, month.parse().ok()?, day.parse().ok()?)?;
    Some((date, slug.to_string()))
}

/// Reads a front-matter `date` as Jekyll does (date, date and time, with or without a zone).
pub fn parse_front_date(text: &str) -> Option<NaiveDateTime> {
    crate::site::parse_date(text).or_else(|| {
        NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d")
            .ok()
            .map(|d| d.and_time(NaiveTime::MIN))
    })
}

/// Values of the placeholders of one document.
#[derive(Debug, Clone, Default)]
pub struct Placeholders {
    /// Publication date, for `:year` and friends.
    pub date: Option<NaiveDateTime>,
    /// `:title`: the pretty, cased slug.
    pub title: String,
    /// `:slug`: the default (lower-case) slug.
    pub slug: String,
    /// `:name`: the file name without extension, slugified.
    pub name: String,
    /// `:categories`, already joined with `/`.
    pub categories: String,
    /// `:path`: folder (pages) or path without extension (collection documents).
    pub path: String,
    /// `:basename`: file name without extension (pages).
    pub basename: String,
    /// `:output_ext`: `.html` for Markdown and HTML.
    pub output_ext: String,
    /// `:collection`.
    pub collection: String,
}

/// Expands a Jekyll permalink template and cleans it as Jekyll does (leading slash, no `//`).
pub fn expand(template: &str, p: &Placeholders) -> String {
    let d = p.date.unwrap_or_default();
    let values: Vec<(&str, String)> = vec![
        ("year", format!("{:04}", d.year())),
        ("short_year", format!("{:02}", d.year() % 100)),
        ("month", format!("{:02}", d.month())),
        ("i_month", d.month().to_string()),
        ("short_month", d.format("%b").to_string()),
        ("long_month", d.format("%B").to_string()),
        ("day", format!("{:02}", d.day())),
        ("i_day", d.day().to_string()),
        ("y_day", format!("{:03}", d.ordinal())),
        ("hour", format!("{:02}", d.hour())),
        ("minute", format!("{:02}", d.minute())),
        ("second", format!("{:02}", d.second())),
        ("title", p.title.clone()),
        ("slug", p.slug.clone()),
        ("name", p.name.clone()),
        ("categories", p.categories.clone()),
        ("path", p.path.clone()),
        ("basename", p.basename.clone()),
        ("output_ext", p.output_ext.clone()),
        ("collection", p.collection.clone()),
    ];
    let mut out = String::new();
    let mut rest = template;
    while let Some(pos) = rest.find(':') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        // Longest known placeholder that starts the name (`:output_ext`, `:title`).
        match values
            .iter()
            .filter(|(k, _)| name.starts_with(k))
            .max_by_key(|(k, _)| k.len())
        {
            Some((k, v)) if k.len() == name.len() => {
                out.push_str(v);
                rest = &after[k.len()..];
            }
            _ => {
                out.push(':');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    clean(&out)
}

/// Leading slash, no repeated slashes, no `/./`.
pub fn clean(url: &str) -> String {
    let mut out = String::from("/");
    for c in url.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    out.replace("/./", "/")
}

/// The template of a built-in permalink style, or the text itself.
pub fn style_template(style: &str) -> String {
    match style {
        "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
        "pretty" => "/:categories/:year/:month/:day/:title/".into(),
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
        "none" => "/:categories/:title:output_ext".into(),
        other => other.to_string(),
    }
}

/// A page's URL template when its front matter has no permalink (Jekyll's `Page#template`).
pub fn page_template(basename: &str, output_ext: &str, site_style: &str) -> String {
    if output_ext != ".html" {
        return "/:path/:basename:output_ext".into();
    }
    if basename == "index" {
        return "/:path/".into();
    }
    let mut template = "/:path/:basename".to_string();
    match site_style {
        "pretty" => template.push('/'),
        "date" | "ordinal" | "none" => template.push_str(":output_ext"),
        other => {
            if other.ends_with('/') {
                template.push('/');
            }
            if other.ends_with(":output_ext") {
                template.push_str(":output_ext");
            }
        }
    }
    template
}

/// The file a static host serves for `url` (`/a/` → `a/index.html`, `/a` → `a.html`): two URLs
/// with the same file are the same page.
pub fn served_file(url: &str) -> String {
    crate::text::url::output_path(url)
}

/// The file of `outputs` that a static host serves for `url`, if any. A file of that exact name
/// comes first: Jekyll publishes extensionless files such as `/Makefile` or `/CNAME` as they are,
/// and hosts serve them before trying `/Makefile.html`.
pub(crate) fn served_by(url: &str, outputs: &std::collections::HashSet<String>) -> Option<String> {
    let exact = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .trim_start_matches('/');
    if !exact.is_empty() && !exact.ends_with('/') && outputs.contains(exact) {
        return Some(exact.to_string());
    }
    let file = served_file(url);
    outputs.contains(&file).then_some(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::slug::slugify_default;
    use crate::text::slug::slugify_pretty;

    #[test]
    fn file_names_with_two_and_four_digit_years() {
        let (d, s) = date_from_file_name("18-12-05-offre-stage.md").unwrap_or_default();
        assert_eq!(
            (d.to_string(), s.as_str()),
            ("2018-12-05".into(), "offre-stage")
        );
        let (d, _) = date_from_file_name("2019-06-12-x.md").unwrap_or_default();
        assert_eq!(d.to_string(), "2019-06-12");
        assert!(date_from_file_name("about.md").is_none());
        assert!(date_from_file_name("2019-13-01-x.md").is_none());
    }

    #[test]
    fn placeholders_keep_the_case_of_title() {
        let p = Placeholders {
            date: NaiveDate::from_ymd_opt(2018, 5, 29).map(|d| d.and_time(NaiveTime::MIN)),
            title: slugify_pretty("pourquoi-devenir-EIG"),
            slug: slugify_default("pourquoi-devenir-EIG"),
            output_ext: ".html".into(),
            ..Placeholders::default()
        };
        assert_eq!(
            expand("/blog/:year/:month/:day/:title.html", &p),
            "/blog/2018/05/29/pourquoi-devenir-EIG.html"
        );
        assert_eq!(
            expand("/x/:slug:output_ext", &p),
            "/x/pourquoi-devenir-eig.html"
        );
        assert_eq!(
            expand(&style_template("pretty"), &p),
            "/2018/05/29/pourquoi-devenir-EIG/"
        );
        assert_eq!(expand("en/:i_month/:short_year/", &p), "/en/5/18/");
    }

    #[test]
    fn page_templates_follow_the_site_style() {
        assert_eq!(
            page_template("about", ".html", "/blog/:year/:title.html"),
            "/:path/:basename"
        );
        assert_eq!(
            page_template("about", ".html", "pretty"),
            "/:path/:basename/"
        );
        assert_eq!(
            page_template("about", ".html", "date"),
            "/:path/:basename:output_ext"
        );
        assert_eq!(page_template("index", ".html", "date"), "/:path/");
        assert_eq!(
            page_template("feed", ".xml", "date"),
            "/:path/:basename:output_ext"
        );
    }
}
