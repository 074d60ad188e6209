//! Dates shown to readers and machines: French and English long forms, RFC 822 and RFC 3339.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Formats `date` in `format` (`long`, `full`, `short`, `month`, `iso`, `rfc3339`, `rfc822`, `year`)
/// for language `lang`; None for an unknown format.
pub(crate) fn format(date: NaiveDateTime, format: &str, lang: &str) -> Option<String> {
    let day = date.day();
    let month = date.month0() as usize;
    let year = date.year();
    let weekday = date.weekday().num_days_from_monday() as usize;
    let english = lang == "en";
    Some(match format {
        "long" if english => format!("{} {day}, {year}", MONTHS_EN[month]),
        "long" => format!(
            "{}{} {} {year}",
            day,
            if day == 1 { "er" } else { "" },
            MONTHS_FR[month]
        ),
        "full" if english => format!("{}, {} {day}, {year}", DAYS_EN[weekday], MONTHS_EN[month]),
        "full" => format!(
            "{} {}{} {} {year}",
            DAYS_FR[weekday],
            day,
            if day == 1 { "er" } else { "" },
            MONTHS_FR[month]
        ),
        "month" if english => format!("{} {year}", MONTHS_EN[month]),
        "month" => format!("{} {year}", MONTHS_FR[month]),
        "short" if english => format!("{:02}/{:02}/{year}", month + 1, day),
        "short" => format!("{day:02}/{:02}/{year}", month + 1),
        "iso" => iso_day(date),
        "year" => year.to_string(),
        "rfc3339" => rfc3339(date),
        "rfc822" => rfc822(date),
        _ => return None,
    })
}

/// `2018-12-05`: the day of `date` as the model, feeds and sitemaps give it. chrono's own
/// `Display` of a day writes `%Y-%m-%d` directly, where `format("%Y-%m-%d")` reads its format
/// string again at each call (once per page and card).
pub(crate) fn iso_day(date: NaiveDateTime) -> String {
    date.date().to_string()
}

/// `2018-12-05T00:00:00+00:00`: dates carry no zone in front matter, so they are read as UTC.
pub(crate) fn rfc3339(date: NaiveDateTime) -> String {
    date.and_utc().to_rfc3339()
}

/// `Wed, 05 Dec 2018 00:00:00 +0000`, for RSS.
pub(crate) fn rfc822(date: NaiveDateTime) -> String {
    date.and_utc().to_rfc2822()
}

/// Reads `2018-12-05`, `2018-12-05 10:00` and RFC 3339 from a template value.
pub fn parse(text: &str) -> Option<NaiveDateTime> {
    parse_date(text).or_else(|| {
        text.get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(|d| d.and_time(chrono::NaiveTime::MIN))
    })
}

/// Reads a front-matter date: `2024-01-05`, `2024-01-05 10:30`, `2024-01-05 10:30:00 +0100`, RFC 3339.
pub fn parse_date(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    if let Some(day) = plain_day(text) {
        return Some(day.and_time(NaiveTime::MIN));
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(dt.naive_local());
    }
    for format in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z"] {
        if let Ok(dt) = chrono::DateTime::parse_from_str(text, format) {
            return Some(dt.naive_local());
        }
    }
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return Some(dt);
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(|d| d.and_time(NaiveTime::MIN))
}

/// `2024-01-05` read without chrono's format parser: the form of nearly every date a template
/// formats (twice on each post page of the default theme), where trying each longer form first
/// cost a hundredth of a build. Anything else is left to the general path.
fn plain_day(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| bytes[i].is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_day_shortcut_reads_as_chrono_does() {
        for text in [
            "2024-01-05",
            "1999-12-31",
            "0001-01-01",
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-05",
            "2024/01/05",
            "2024-01-0a",
        ] {
            let chrono = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            let shortcut = plain_day(text);
            assert!(shortcut.is_none() || shortcut == chrono, "{text}");
            assert_eq!(
                parse_date(text).map(|d| d.date()),
                chrono,
                "{text}: the whole reading"
            );
        }
        for text in ["0999-03-04", "2024-11-30", "1970-01-01"] {
            let day = parse_date(text).unwrap_or_default();
            assert_eq!(format(day, "iso", "fr").as_deref(), Some(text));
            assert_eq!(iso_day(day), day.format("%Y-%m-%d").to_string());
        }
        for year in [-5, 12345] {
            let day = NaiveDate::from_ymd_opt(year, 3, 4)
                .unwrap_or_default()
                .and_time(NaiveTime::MIN);
            assert_eq!(iso_day(day), day.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn long_dates_in_both_languages() {
        let date = parse("2018-12-05").unwrap_or_default();
        assert_eq!(
            format(date, "long", "fr").as_deref(),
            Some("5 décembre 2018")
        );
        assert_eq!(
            format(date, "long", "en").as_deref(),
            Some("December 5, 2018")
        );
        assert_eq!(
            format(date, "full", "fr").as_deref(),
            Some("mercredi 5 décembre 2018")
        );
        assert_eq!(
            format(date, "rfc822", "fr").as_deref(),
            Some("Wed, 5 Dec 2018 00:00:00 +0000")
        );
        let first = parse("2019-03-01").unwrap_or_default();
        assert_eq!(
            format(first, "long", "fr").as_deref(),
            Some("1er mars 2019")
        );
    }
}
