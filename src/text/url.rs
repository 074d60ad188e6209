//! Site URLs: permalink patterns, safety of user-given paths, and the file each URL is written to.

/// Replaces `:name` placeholders in `pattern` (longest names first, so `:slug` is not eaten by `:s`).
pub fn expand(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut sorted: Vec<&(&str, &str)> = values.iter().collect();
    sorted.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
    let mut out = pattern.to_string();
    for (name, value) in sorted {
        out = out.replace(&format!(":{name}"), value);
    }
    normalize_permalink(&out)
}

/// Gives a user-written permalink a leading slash and collapses repeated slashes.
pub(crate) fn normalize_permalink(permalink: &str) -> String {
    let trimmed = permalink.trim();
    let mut out = String::with_capacity(trimmed.len() + 1);
    if !trimmed.starts_with('/') {
        out.push('/');
    }
    let mut previous_slash = false;
    for c in trimmed.chars() {
        if c == '/' && previous_slash {
            continue;
        }
        previous_slash = c == '/';
        out.push(c);
    }
    out
}

/// Refuses paths that would leave the output folder or cannot be files: `..`, backslashes, NUL,
/// a drive letter, a URL with a scheme.
pub fn check_safe(url: &str) -> Result<(), crate::diagnostic::Text> {
    if url.contains("://") {
        return Err(crate::msg!(
            "the permalink `{url}` is a full web address, not a path of this site",
            url
        ));
    }
    if url.contains('\\')
        || url.contains('\0')
        || url.contains(':') && url.split('/').any(|s| s.ends_with(':'))
    {
        return Err(crate::msg!(
            "the permalink `{url}` contains characters a path cannot hold",
            url
        ));
    }
    // The file written is named by the path without its `?query` or `#fragment` (see
    // `output_path`): `/..?x` must be refused as `/..` is.
    let path = url.split(['?', '#']).next().unwrap_or(url);
    if url
        .split('/')
        .chain(path.split('/'))
        .any(|segment| segment == ".." || segment == ".")
    {
        return Err(crate::msg!(
            "the permalink `{url}` goes outside the site with `..`",
            url
        ));
    }
    // The file written for `/a/` is `a/index.html`, for `/a` it is `a.html`: count what is added.
    if let Some(long) = output_path(url)
        .split('/')
        .find(|name| name.len() > MAX_NAME_BYTES)
    {
        return Err(crate::msg!(
            "a part of the address `{url}` is {bytes} bytes long, and file systems accept at most {MAX_NAME_BYTES}",
            url,
            bytes = long.len(),
            MAX_NAME_BYTES
        ));
    }
    Ok(())
}

/// The longest file or folder name (in bytes) common file systems accept.
pub(crate) const MAX_NAME_BYTES: usize = 255;

/// The file, relative to the output folder, that serves `url`: `/a/` → `a/index.html`,
/// `/a.html` → `a.html`, `/a` (no extension) → `a.html`, as Jekyll writes it and static hosts serve it.
pub fn output_path(url: &str) -> String {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        return format!("{path}index.html");
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    if last.contains('.') {
        path.to_string()
    } else {
        format!("{path}.html")
    }
}

/// `html` with every root-relative address in an attribute (`href="/…"`, `src`, `srcset`,
/// `action`, `poster`, `data`) put under `base_path` (`/site`): a site published under a sub-path
/// keeps every link, whether it comes from the theme, a Markdown body or a data file.
/// Protocol-relative (`//host`) and already-prefixed addresses are left as they are.
pub(crate) fn under_base_path(html: &str, base_path: &str) -> String {
    if base_path.is_empty() {
        return html.to_string();
    }
    const ATTRIBUTES: [&str; 6] = ["href=", "src=", "srcset=", "action=", "poster=", "data="];
    let mut out = String::with_capacity(html.len() + html.len() / 32);
    let mut rest = html;
    while let Some(at) = rest.find('=') {
        let (before, after) = rest.split_at(at + 1);
        out.push_str(before);
        rest = after;
        let named = ATTRIBUTES.iter().any(|a| {
            before.len() >= a.len()
                && before[before.len() - a.len()..].eq_ignore_ascii_case(a)
                && before[..before.len() - a.len()]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_whitespace)
        });
        if !named {
            continue;
        }
        let quote = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => q,
            _ => continue,
        };
        let value_end = rest[1..].find(quote).map_or(rest.len(), |e| e + 1);
        let value = &rest[1..value_end];
        out.push(quote);
        if before.ends_with("srcset=") || before.ends_with("SRCSET=") {
            // `a.jpg 1x, /b.jpg 2x`: each candidate.
            let parts: Vec<String> = value
                .split(',')
                .map(|candidate| prefixed(candidate.trim_start(), base_path))
                .collect();
            out.push_str(&parts.join(", "));
        } else {
            out.push_str(&prefixed(value, base_path));
        }
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    out
}

/// The address of `path`, a file or page of the site (`/css/site.css`, `blog/`), under the site's
/// `base_path`: what `url(path=…)` gives templates. Full addresses (`https://…`, `//host`,
/// `mailto:…`) and anchors are returned as they are.
pub(crate) fn site_address(path: &str, base_path: &str) -> String {
    let has_scheme = path
        .split_once(':')
        .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains(['/', '?', '#']));
    if has_scheme || path.starts_with("//") || path.starts_with('#') {
        return path.to_string();
    }
    let rooted = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    prefixed(&rooted, base_path)
}

/// A path as a browser requests it: spaces and other bytes that cannot stand in a rule (which
/// is split on spaces) or in a URL percent-encoded (`/tag/logiciel libre/` →
/// `/tag/logiciel%20libre/`).
pub(crate) fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        let kept = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%?#".contains(&byte);
        if kept {
            out.push(char::from(byte));
        } else {
            let _ = std::fmt::Write::write_fmt(&mut out, format_args!("%{byte:02X}"));
        }
    }
    out
}

/// `value` under `base_path` when it is root-relative and not already under it.
fn prefixed(value: &str, base_path: &str) -> String {
    let already = value
        .strip_prefix(base_path)
        .is_some_and(|r| r.is_empty() || r.starts_with(['/', '?', '#']));
    if value.starts_with('/') && !value.starts_with("//") && !already {
        format!("{base_path}{value}")
    } else {
        value.to_string()
    }
}

/// The path of a site's address, without its final slash: `/site` for
/// `https://org.github.io/site/`, empty for a site at the root of its host.
pub(crate) fn base_path_of(base_url: &str) -> &str {
    let base = base_url.trim_end_matches('/');
    let after_scheme = base.split_once("://").map_or(base, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("", |at| &after_scheme[at..])
        .trim_end_matches('/')
}

/// `base` + `path`, with exactly one slash between.
pub fn absolute(base: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") || path.starts_with("//") {
        return path.to_string();
    }
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_patterns() {
        let url = expand(
            "/blog/:year/:month/:day/:slug.html",
            &[
                ("year", "2018"),
                ("month", "12"),
                ("day", "05"),
                ("slug", "offre-stage"),
            ],
        );
        assert_eq!(url, "/blog/2018/12/05/offre-stage.html");
        assert_eq!(expand("en/blog//:slug/", &[("slug", "x")]), "/en/blog/x/");
    }

    #[test]
    fn refuses_escaping_paths() {
        for bad in [
            "/../../etc/x",
            "/a/../b",
            "/a\\b",
            "https://evil.example/x",
            "/c:/x",
            // Found by fuzzing (fuzz/artifacts/post_names): `?` and `#` hid the `..` and `.`.
            "/..?x",
            "/a/..#/b.html",
            "/.?:ys__`1",
        ] {
            assert!(check_safe(bad).is_err(), "{bad}");
        }
        assert!(check_safe("/blog/2018/a.html").is_ok());
        assert!(check_safe(&format!("/blog/{}.html", "a".repeat(250))).is_ok());
        assert!(check_safe(&format!("/blog/{}.html", "a".repeat(251))).is_err());
        assert!(check_safe(&format!("/{}/", "é".repeat(128))).is_err());
    }

    #[test]
    fn root_relative_addresses_go_under_the_base_path() {
        let html = r##"<a href="/blog/">b</a><img src='/img/a.png' srcset="/img/a.png 1x, /img/b.png 2x"><a href="//cdn.example/x">c</a><a href="https://x.fr/">d</a><a href="/site/deja/">e</a><a title="/not-a-link">f</a><a href="#top">g</a>"##;
        assert_eq!(
            under_base_path(html, "/site"),
            r##"<a href="/site/blog/">b</a><img src='/site/img/a.png' srcset="/site/img/a.png 1x, /site/img/b.png 2x"><a href="//cdn.example/x">c</a><a href="https://x.fr/">d</a><a href="/site/deja/">e</a><a title="/not-a-link">f</a><a href="#top">g</a>"##
        );
        assert_eq!(under_base_path(html, ""), html);
    }

    #[test]
    fn paths_are_encoded_as_browsers_request_them() {
        assert_eq!(
            encode_path("/tag/logiciel libre/"),
            "/tag/logiciel%20libre/"
        );
        assert_eq!(encode_path("/tag/données/"), "/tag/donn%C3%A9es/");
        assert_eq!(
            encode_path("https://partner.example/a?b=c"),
            "https://partner.example/a?b=c"
        );
    }

    #[test]
    fn site_addresses_are_under_the_base_path_once() {
        for (path, expected) in [
            ("/css/site.css", "/site/css/site.css"),
            ("css/site.css", "/site/css/site.css"),
            ("/", "/site/"),
            ("/site/css/site.css", "/site/css/site.css"),
            ("https://x.fr/a", "https://x.fr/a"),
            ("//cdn.example/a.js", "//cdn.example/a.js"),
            ("mailto:eig@example.org", "mailto:eig@example.org"),
            ("#top", "#top"),
        ] {
            assert_eq!(site_address(path, "/site"), expected, "{path}");
        }
        assert_eq!(site_address("css/site.css", ""), "/css/site.css");
    }

    #[test]
    fn maps_urls_to_files() {
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(output_path("/blog/"), "blog/index.html");
        assert_eq!(output_path("/a.html"), "a.html");
        assert_eq!(output_path("/feed.xml"), "feed.xml");
        assert_eq!(output_path("/en/about"), "en/about.html");
    }
}
