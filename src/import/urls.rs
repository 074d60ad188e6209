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

/// The date Jekyll uses for a front-matter date: one written with a UTC offset is moved to the
/// site's time zone (`timezone` in _config.yml, else the build machine's, taken as UTC), since
/// Jekyll builds URLs from the time in that zone. A zone whose rules are not known here (only UTC
/// and the European zones are) keeps the time as written. Dates without an offset are read as
/// written.
pub fn jekyll_date(text: &str, timezone: Option<&str>) -> Option<NaiveDateTime> {
    let text = text.trim();
    let with_offset = chrono::DateTime::parse_from_rfc3339(text).ok().or_else(|| {
        [
            "%Y-%m-%d %H:%M:%S %z",
            "%Y-%m-%d %H:%M %z",
            "%Y-%m-%d %H:%M:%S%.f %z",
        ]
        .iter()
        .find_map(|f| chrono::DateTime::parse_from_str(text, f).ok())
    });
    let Some(dt) = with_offset else {
        return parse_front_date(text);
    };
    let utc = dt.naive_utc();
    match zone_offset(timezone, utc) {
        Some(seconds) => Some(utc + chrono::Duration::seconds(seconds)),
        None => Some(dt.naive_local()),
    }
}

/// The offset from UTC, in seconds, of time zone `timezone` at the UTC time `utc`: UTC, and the
/// European zones with the EU's summer time (last Sunday of March to last Sunday of October,
/// 01:00 UTC). None for other zones.
fn zone_offset(timezone: Option<&str>, utc: NaiveDateTime) -> Option<i64> {
    const CET: &[&str] = &[
        "Europe/Paris",
        "Europe/Brussels",
        "Europe/Luxembourg",
        "Europe/Monaco",
        "Europe/Berlin",
        "Europe/Madrid",
        "Europe/Rome",
        "Europe/Amsterdam",
        "Europe/Zurich",
        "Europe/Vienna",
        "Europe/Prague",
        "Europe/Warsaw",
        "Europe/Stockholm",
        "Europe/Oslo",
        "Europe/Copenhagen",
        "Europe/Budapest",
        "Europe/Andorra",
        "CET",
    ];
    const WET: &[&str] = &["Europe/London", "Europe/Dublin", "Europe/Lisbon", "WET"];
    let standard = match timezone {
        None | Some("UTC" | "Etc/UTC" | "GMT" | "Etc/GMT") => return Some(0),
        Some(zone) if CET.contains(&zone) => 3600,
        Some(zone) if WET.contains(&zone) => 0,
        Some(_) => return None,
    };
    // March and October both have 31 days.
    let last_sunday = |month: u32| {
        let date = NaiveDate::from_ymd_opt(utc.year(), month, 31)?;
        let back = date.weekday().num_days_from_sunday();
        (date - chrono::Duration::days(i64::from(back))).and_hms_opt(1, 0, 0)
    };
    let summer = match (last_sunday(3), last_sunday(10)) {
        (Some(start), Some(end)) => utc >= start && utc < end,
        _ => false,
    };
    Some(standard + if summer { 3600 } else { 0 })
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
    fn dates_with_an_offset_move_to_the_site_time_zone() {
        let at = |text: &str, zone: Option<&str>| {
            jekyll_date(text, zone).map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        };
        assert_eq!(
            at("2020-12-31 23:30:00 -0500", None).as_deref(),
            Some("2021-01-01 04:30")
        );
        assert_eq!(
            at("2021-03-01 00:30:00 +0200", None).as_deref(),
            Some("2021-02-28 22:30")
        );
        // Paris: UTC+1 in winter, UTC+2 from the last Sunday of March (2021-03-28).
        let paris = Some("Europe/Paris");
        assert_eq!(
            at("2021-01-10 23:30:00 +0000", paris).as_deref(),
            Some("2021-01-11 00:30")
        );
        assert_eq!(
            at("2021-07-10 22:30:00 +0000", paris).as_deref(),
            Some("2021-07-11 00:30")
        );
        assert_eq!(
            at("2021-03-28 00:59:00 +0000", paris).as_deref(),
            Some("2021-03-28 01:59")
        );
        assert_eq!(
            at("2021-03-28 01:00:00 +0000", paris).as_deref(),
            Some("2021-03-28 03:00")
        );
        // Without an offset, or in a zone not known here: as written.
        assert_eq!(
            at("2021-07-10 22:30:00", paris).as_deref(),
            Some("2021-07-10 22:30")
        );
        assert_eq!(
            at("2021-07-10 22:30:00 -0400", Some("America/Martinique")).as_deref(),
            Some("2021-07-10 22:30")
        );
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
