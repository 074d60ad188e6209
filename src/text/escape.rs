//! Escaping text for HTML and XML, and percent-decoding URL paths: one tested helper each.

/// Appends `text` to `out` escaped for HTML text and attribute values (`&`, `<`, `>`, `"`, `'`).
pub(crate) fn escape_html_into(out: &mut String, text: &str) {
    // Runs of plain text are copied whole: a page or a feed is mostly such runs.
    let mut plain_from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[plain_from..at]);
        out.push_str(entity);
        plain_from = at + 1;
    }
    out.push_str(&text[plain_from..]);
}

/// `text` escaped for HTML text and attribute values.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_html_into(&mut out, text);
    out
}

/// `text` escaped for XML content and attributes; characters XML 1.0 does not allow (control
/// characters other than tab and line breaks, U+FFFE and U+FFFF) are dropped, so that a feed is
/// always well-formed.
pub(crate) fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let bytes = text.as_bytes();
    // Runs of plain text are copied whole (feeds carry whole posts: this is their hot loop).
    let mut plain_from = 0;
    let mut at = 0;
    while at < bytes.len() {
        let (replacement, width) = match bytes[at] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&apos;", 1),
            b'\t' | b'\n' | b'\r' => {
                at += 1;
                continue;
            }
            // Control characters, which XML 1.0 does not allow.
            0x00..=0x1F => ("", 1),
            // U+FFFE and U+FFFF (EF BF BE, EF BF BF), not allowed either.
            0xEF if bytes.get(at + 1) == Some(&0xBF)
                && matches!(bytes.get(at + 2), Some(0xBE | 0xBF)) =>
            {
                ("", 3)
            }
            _ => {
                at += 1;
                continue;
            }
        };
        out.push_str(&text[plain_from..at]);
        out.push_str(replacement);
        at += width;
        plain_from = at;
    }
    out.push_str(&text[plain_from..]);
    out
}

/// Decodes `%XX` escapes; None for a bad escape or text that is not UTF-8 (a request the preview
/// refuses).
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Decodes `%XX` escapes, keeping bad ones as they are (URLs in rendered HTML are
/// percent-encoded; files on disk are not).
pub fn percent_decode_lossy(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_the_five_characters() {
        assert_eq!(
            escape_html(r#"<a href="x">l'été & co</a>"#),
            "&lt;a href=&quot;x&quot;&gt;l&#39;été &amp; co&lt;/a&gt;"
        );
        assert_eq!(escape_html("plain"), "plain");
    }

    #[test]
    fn xml_escapes_and_drops_what_xml_forbids() {
        assert_eq!(
            escape_xml("a & 'b' <c>\u{1}\t"),
            "a &amp; &apos;b&apos; &lt;c&gt;\t"
        );
        assert_eq!(
            escape_xml("é\u{FFFE}\u{FFFF}\u{FFFD}\u{EFFF}x\r\n"),
            "é\u{FFFD}\u{EFFF}x\r\n"
        );
    }

    #[test]
    fn percent_decoding_strict_and_lossy() {
        assert_eq!(
            percent_decode("Pr%C3%A9di.png").as_deref(),
            Some("Prédi.png")
        );
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%FF"), None);
        assert_eq!(percent_decode_lossy("Pr%C3%A9di.png"), "Prédi.png");
        assert_eq!(percent_decode_lossy("100%"), "100%");
        assert_eq!(percent_decode_lossy("%zz"), "%zz");
    }
}
