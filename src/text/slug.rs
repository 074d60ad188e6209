//! Slugs for URLs and heading ids (accents folded or kept), the same rule everywhere.

/// URL slug: accents folded, lowercase ASCII letters and digits joined by `-`.
///
/// `"Développement durable !"` → `"developpement-durable"`; `""` if nothing is left.
#[must_use]
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    let mut push = |c: char, slug: &mut String| {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            push(c, &mut slug);
        } else if c.is_alphanumeric() {
            // Only letters and digits are transliterated: emoji and symbols
            // would otherwise become words ("😀" → "grinning").
            match deunicode::deunicode_char(c) {
                Some(folded) => folded.chars().for_each(|f| push(f, &mut slug)),
                None => push(' ', &mut slug),
            }
        } else {
            push(' ', &mut slug);
        }
    }
    slug
}

/// Readable heading id that keeps accented letters: lowercase, unicode letters
/// and digits kept, everything else collapsed to `-`, trimmed.
///
/// `"Qu'est-ce qu'un défi ?"` → `"qu-est-ce-qu-un-défi"`.
#[must_use]
pub(crate) fn heading_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !id.is_empty() {
                id.push('-');
            }
            pending_dash = false;
            id.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    id
}

/// Jekyll's `slugify(text, mode: "pretty", cased: true)`: every run of characters other than
/// letters, digits and `._~!$&'()+,;=@` becomes `-`; leading and trailing dashes go.
pub fn slugify_pretty(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() || "._~!$&'()+,;=@".contains(c) {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// Jekyll's default `slugify`: lower case, runs of non-alphanumerics become `-`; the same rule
/// as heading ids.
pub fn slugify_default(text: &str) -> String {
    heading_id(text)
}
