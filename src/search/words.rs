//! The words of the search index: text folded (accents, case), cut into words, common words
//! left out, and each word cut to its stem by a light French or English stemmer. The search page's
//! script (`themes/*/static/js/search.js`) does exactly the same to what the visitor types, so
//! that "developpement" finds "développement" and "développements".

/// The words of `text`, folded and stemmed for language `lang`, in order (stop words left out).
#[cfg(test)]
pub(crate) fn terms(text: &str, lang: &str) -> Vec<String> {
    let folded = fold(text);
    each_term(&folded, lang, |t| t.to_string())
}

/// Calls `with` on each stemmed word of `folded` (a text already [`fold`]ed), stop words left
/// out, and collects what it returns. The stems borrow from `folded` (no allocation per word).
pub(crate) fn each_term<'f, T>(
    folded: &'f str,
    lang: &str,
    mut with: impl FnMut(std::borrow::Cow<'f, str>) -> T,
) -> Vec<T> {
    let stop = stop_words(lang);
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() > 1 && stop.binary_search(w).is_err())
        .map(|w| with(stem(w, lang)))
        .collect()
}

/// `text` with accents folded and in lower case: `Données` → `donnees`, `Œuvre` → `oeuvre`.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            match deunicode::deunicode_char(c) {
                Some(folded) => out.extend(folded.chars().map(|f| f.to_ascii_lowercase())),
                None => out.push(' '),
            }
        } else {
            out.push(' ');
        }
    }
    out
}

/// Words too common to search for.
fn stop_words(lang: &str) -> &'static [&'static str] {
    if lang == "en" {
        // Sorted: looked up by binary search.
        &[
            "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of",
            "on", "or", "that", "the", "this", "to", "with",
        ]
    } else {
        &[
            "a", "au", "aux", "ce", "d", "dans", "de", "des", "du", "elle", "en", "est", "et",
            "il", "l", "la", "le", "les", "ne", "par", "pas", "pour", "qu", "que", "qui", "sa",
            "se", "ses", "son", "sur", "un", "une",
        ]
    }
}

/// French suffixes, longest first, cut once after the plural.
const FRENCH: &[&str] = &[
    "issement", "atrice", "ateur", "ation", "ement", "ance", "ence", "euse", "ment", "ique",
    "isme", "iste", "able", "eur", "ite", "ive", "ee", "er", "ez", "e",
];

/// English suffixes, longest first, cut once after the plural.
const ENGLISH: &[&str] = &[
    "ibility", "ability", "ation", "ment", "ness", "ible", "able", "ing", "ity", "ive", "ed", "er",
    "ly", "al", "e",
];

/// The stem of a folded word: the plural cut, then one suffix, keeping at least three letters.
/// Words with a digit stay as they are. Mirrored by `stem` in search.js.
pub(crate) fn stem<'w>(word: &'w str, lang: &str) -> std::borrow::Cow<'w, str> {
    use std::borrow::Cow;
    if word.len() <= 3 || word.bytes().any(|b| b.is_ascii_digit()) {
        return Cow::Borrowed(word);
    }
    let mut w = word;
    let english = lang == "en";
    if english && w.ends_with("ies") && w.len() > 4 {
        return Cow::Owned(format!("{}y", &w[..w.len() - 3]));
    }
    if (w.ends_with('s') && !w.ends_with("ss") && !(english && w.ends_with("us")))
        || (!english && w.ends_with('x'))
    {
        w = &w[..w.len() - 1];
    }
    let suffixes = if english { ENGLISH } else { FRENCH };
    for suffix in suffixes {
        if w.len() >= suffix.len() + 3 && w.ends_with(suffix) {
            return Cow::Borrowed(&w[..w.len() - suffix.len()]);
        }
    }
    Cow::Borrowed(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_a_word_share_a_stem() {
        let fr = |w: &str| stem(&fold(w), "fr").into_owned();
        let groups = [
            &[
                "développement",
                "developpement",
                "Développements",
                "développeur",
                "développeuse",
                "développer",
            ][..],
            &["données", "donnée", "donner"],
            &["accessibilité", "accessibilites"],
            &["événement", "évènements", "Evenement"],
        ];
        for group in groups {
            let stems: Vec<String> = group.iter().map(|w| fr(w.trim())).collect();
            assert!(
                stems.iter().all(|s| *s == stems[0]),
                "{group:?} → {stems:?}"
            );
        }
        let en = |w: &str| stem(&fold(w), "en").into_owned();
        for group in [
            &[
                "development",
                "developments",
                "developer",
                "developing",
                "developed",
            ][..],
            &["accessibility", "Accessible"],
            &["stories", "story"],
        ] {
            let stems: Vec<String> = group.iter().map(|w| en(w)).collect();
            assert!(
                stems.iter().all(|s| *s == stems[0]),
                "{group:?} → {stems:?}"
            );
        }
    }

    #[test]
    fn text_becomes_terms_without_stop_words() {
        let got: Vec<String> = terms("L'accessibilité des démarches, en 2024 !", "fr");
        assert_eq!(got, ["accessibil", "demarch", "2024"]);
    }
}
