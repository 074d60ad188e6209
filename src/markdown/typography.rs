//! French and English typography of running text: non-breaking spaces, quotes, apostrophes, ellipses; never inside URLs.

use crate::markdown::Typography;
use pulldown_cmark::CowStr;

pub(crate) const NNBSP: char = '\u{202F}';

pub(crate) const NBSP: char = '\u{A0}';

/// Context carried across the text events of one block.
#[derive(Debug, Default)]
pub(crate) struct TypoState {
    /// Last character written before the current text event.
    pub(crate) prev: Option<char>,
    /// A double quote is open.
    pub(crate) quote_open: bool,
}

pub(crate) fn is_hspace(c: char) -> bool {
    matches!(c, ' ' | '\t' | NBSP | NNBSP | '\u{2009}')
}

pub(crate) fn opens_context(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || "([{«‹“‘—–-/".contains(c))
}

/// Letters, digits and closing characters may be followed by French high punctuation.
pub(crate) fn closes_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || ")]}»”’'\"…%".contains(c))
}

/// What may follow `; : ! ?` for them to be treated as punctuation.
pub(crate) fn ends_punctuation(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || ".,;:!?)]}»”’'\"…".contains(c))
}

/// Start of a URL written as text (`https://…`, `www.…`, `mailto:…`): its length.
pub(crate) fn url_at(text: &str) -> Option<usize> {
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    let word = text.get(..end)?;
    let is_url = word.find("://").is_some_and(|p| {
        p > 0
            && word
                .bytes()
                .take(p)
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
    }) || word.starts_with("www.")
        || word.starts_with("mailto:");
    if !is_url {
        return None;
    }
    // Trailing punctuation belongs to the sentence, not to the URL.
    let url = word.trim_end_matches(|c: char| ".,;:!?)]}»\"'’”…".contains(c));
    Some(url.len())
}

pub(crate) fn needs_typesetting(text: &str) -> bool {
    // 0xAB / 0xBB: second byte of « and » (false positives only cost a scan).
    text.bytes().any(|b| {
        matches!(
            b,
            b'"' | b'\'' | b'.' | b';' | b':' | b'!' | b'?' | 0xAB | 0xBB
        )
    })
}

pub(crate) fn typeset<'a>(
    text: CowStr<'a>,
    typography: Typography,
    state: &mut TypoState,
) -> CowStr<'a> {
    if typography == Typography::None || !needs_typesetting(&text) {
        if let Some(last) = text.chars().next_back() {
            state.prev = Some(last);
        }
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    match typography {
        Typography::French => french(&text, state, &mut out),
        Typography::English => english(&text, state, &mut out),
        Typography::None => out.push_str(&text),
    }
    if let Some(last) = out.chars().next_back() {
        state.prev = Some(last);
    }
    CowStr::from(out)
}

pub(crate) fn last_char(out: &str, state: &TypoState) -> Option<char> {
    out.chars().next_back().or(state.prev)
}

/// Whether a double quote at this point opens (`true`) or closes a quotation.
pub(crate) fn quote_opens(before: Option<char>, next: Option<char>, state: &TypoState) -> bool {
    if opens_context(before) {
        !(state.quote_open && ends_punctuation(next))
    } else {
        !state.quote_open && next.is_some_and(char::is_alphanumeric)
    }
}

/// Where a URL written as text starts here, its length.
pub(crate) fn url_here(
    text: &str,
    i: usize,
    c: char,
    before: Option<char>,
    may_have_url: bool,
) -> Option<usize> {
    if !may_have_url || !c.is_ascii_alphanumeric() {
        return None;
    }
    if before.is_some_and(|b| b.is_alphanumeric() || "./-_:@".contains(b)) {
        return None;
    }
    url_at(text.get(i..)?)
}

pub(crate) fn may_have_url(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b':' => {
            bytes.get(i + 1..i + 3) == Some(b"//".as_slice())
                || (i >= 6 && bytes.get(i - 6..i) == Some(b"mailto".as_slice()))
        }
        b'w' => bytes.get(i..i + 4) == Some(b"www.".as_slice()),
        _ => false,
    })
}

pub(crate) fn trim_hspace_end(out: &mut String) {
    let len = out.trim_end_matches(is_hspace).len();
    out.truncate(len);
}

pub(crate) fn french(text: &str, state: &mut TypoState, out: &mut String) {
    let urls = may_have_url(text);
    let mut i = 0;
    loop {
        if !urls {
            i = copy_plain(text, i, out, &FRENCH_SPECIAL);
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let mut next_i = i + c.len_utf8();
        let next = text.get(next_i..).and_then(|rest| rest.chars().next());
        let before = last_char(out, state);
        if let Some(len) = url_here(text, i, c, before, urls) {
            out.push_str(text.get(i..i + len).unwrap_or_default());
            i += len.max(1);
            continue;
        }
        match c {
            '"' => {
                if quote_opens(before, next, state) {
                    state.quote_open = true;
                    out.push('«');
                    out.push(NNBSP);
                    next_i = skip_hspace(text, next_i);
                } else {
                    state.quote_open = false;
                    trim_hspace_end(out);
                    out.push(NNBSP);
                    out.push('»');
                }
            }
            '«' => {
                out.push('«');
                out.push(NNBSP);
                next_i = skip_hspace(text, next_i);
            }
            '»' => {
                trim_hspace_end(out);
                out.push(NNBSP);
                out.push('»');
            }
            '\'' => out.push('’'),
            '.' if text.get(next_i..).is_some_and(|r| r.starts_with("..")) => {
                out.push('…');
                next_i += 2;
            }
            ';' | ':' | '!' | '?' => {
                // The character before the (optional) spaces; a punctuation
                // mark (`?!`) is not a word, so it never gets a space.
                let trimmed = out.trim_end_matches(is_hspace).len();
                let before_word = match out.get(..trimmed) {
                    Some(kept) if !kept.is_empty() => kept.chars().next_back(),
                    _ => state.prev,
                };
                let ok = closes_word(before_word)
                    && ends_punctuation(next)
                    && !(c == ':' && text.get(next_i..).is_some_and(|r| r.starts_with("//")));
                if ok {
                    trim_hspace_end(out);
                    out.push(if c == ':' { NBSP } else { NNBSP });
                }
                out.push(c);
            }
            c => out.push(c),
        }
        i = next_i;
    }
}

pub(crate) fn english(text: &str, state: &mut TypoState, out: &mut String) {
    let urls = may_have_url(text);
    let mut i = 0;
    loop {
        if !urls {
            i = copy_plain(text, i, out, &ENGLISH_SPECIAL);
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let next_i = i + c.len_utf8();
        let next = text.get(next_i..).and_then(|rest| rest.chars().next());
        let before = last_char(out, state);
        if let Some(len) = url_here(text, i, c, before, urls) {
            out.push_str(text.get(i..i + len).unwrap_or_default());
            i += len.max(1);
            continue;
        }
        match c {
            '"' => {
                if quote_opens(before, next, state) {
                    state.quote_open = true;
                    out.push('“');
                } else {
                    state.quote_open = false;
                    out.push('”');
                }
            }
            '\'' => {
                if opens_context(before) && next.is_some_and(|n| !n.is_whitespace()) {
                    out.push('‘');
                } else {
                    out.push('’');
                }
            }
            c => out.push(c),
        }
        i = next_i;
    }
}

/// Bytes that may start something to typeset (0xC2 leads `«`, `»`).
pub(crate) const FRENCH_SPECIAL: [bool; 256] = byte_table(b"\"'.;:!?\xC2");

pub(crate) const ENGLISH_SPECIAL: [bool; 256] = byte_table(b"\"'");

pub(crate) const fn byte_table(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

/// Copies the run of characters from `i` that need no typesetting; returns where it stops.
/// The run ends on an ASCII or lead byte, so always on a character boundary.
pub(crate) fn copy_plain(text: &str, i: usize, out: &mut String, special: &[bool; 256]) -> usize {
    let rest = text.as_bytes().get(i..).unwrap_or_default();
    let run = rest
        .iter()
        .position(|&b| special[usize::from(b)])
        .unwrap_or(rest.len());
    out.push_str(text.get(i..i + run).unwrap_or_default());
    i + run
}

pub(crate) fn skip_hspace(text: &str, mut i: usize) -> usize {
    while let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) {
        if !is_hspace(c) {
            break;
        }
        i += c.len_utf8();
    }
    i
}

/// Typography of a short text shown by a template (a title, a description, a data field): the
/// same rules as in bodies. When `is_html`, tags and entities (`&amp;`) are kept as they are and
/// only the text between them is set.
pub(crate) fn typeset_text(text: &str, typography: Typography, is_html: bool) -> String {
    if typography == Typography::None || !needs_typesetting(text) {
        return text.to_string();
    }
    let mut state = TypoState::default();
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while !rest.is_empty() {
        let protected_at = if is_html { rest.find(['<', '&']) } else { None };
        let (prose, after) = rest.split_at(protected_at.unwrap_or(rest.len()));
        if !prose.is_empty() {
            let set = typeset(CowStr::from(prose), typography, &mut state);
            out.push_str(&set);
        }
        if after.is_empty() {
            break;
        }
        // A tag runs to `>`, an entity to `;` (a lone `&` is text).
        let end = if after.starts_with('<') {
            after.find('>').map(|i| i + 1)
        } else {
            after
                .find(';')
                .filter(|&i| {
                    i > 1
                        && after[1..i]
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '#')
                })
                .map(|i| i + 1)
        };
        let end = end.unwrap_or(1);
        out.push_str(&after[..end]);
        // A tag is invisible: the text goes on from the character before it. An entity stands
        // for a character of the text.
        if !after.starts_with('<') {
            state.prev = Some('x');
        }
        rest = &after[end..];
    }
    out
}

#[cfg(test)]
mod short_text_tests {
    use super::*;

    #[test]
    fn titles_get_the_body_rules() {
        assert_eq!(
            typeset_text("Bilan : l'année « data » !", Typography::French, false),
            "Bilan\u{a0}: l’année «\u{202f}data\u{202f}»\u{202f}!"
        );
        assert_eq!(
            typeset_text("It's \"data\"", Typography::English, false),
            "It’s “data”"
        );
        assert_eq!(typeset_text("a : b", Typography::None, false), "a : b");
    }

    #[test]
    fn html_tags_and_entities_are_kept() {
        assert_eq!(
            typeset_text(
                "R&amp;D : <a href=\"/x:y\">l'été</a> !",
                Typography::French,
                true
            ),
            "R&amp;D\u{a0}: <a href=\"/x:y\">l’été</a>\u{202f}!"
        );
    }
}
