//! Whole words in a template's text: which variables a template reads, found without parsing it
//! (for the preview's dependency map and for the site-wide lists built only when read).

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The first place `word` appears as a whole word: not part of a longer name, not a field of
/// something else (`x.word`), not inside quotes (`t(key="word")` names a string, not a variable).
pub(crate) fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find(word) {
        let at = from + found;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let quote = |c: char| c == '"' || c == '\'';
        if !before.is_some_and(|c| is_word_char(c) || c == '.' || quote(c))
            && !after.is_some_and(|c| is_word_char(c) || quote(c))
        {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// True when `word` appears in `text` as a whole word ([`find_word`]).
pub(crate) fn mentions(text: &str, word: &str) -> bool {
    find_word(text, word).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_words_outside_quotes_and_fields_count() {
        assert!(mentions("{% for p in all_posts %}", "all_posts"));
        assert!(mentions("{{ data.people }}", "data"));
        assert!(!mentions("{{ t(key=\"all_posts\") }}", "all_posts"));
        assert!(!mentions("{{ site.all_posts }}", "all_posts"));
        assert!(!mentions("{{ all_posts_count }}", "all_posts"));
    }
}
