//! The words of the search index: text folded (accents, case), cut into words, common words
//! left out, and each word cut to its stem by a light French or English stemmer. The search page's
//! script (`themes/*/static/js/search.js`) does exactly the same to what the visitor types, so
//! that "developpement" finds "développement" and "développements".

/// The words of `text`, folded and stemmed for language `lang`, in order (stop words left out).
pub(crate) fn terms<'t>(text: &'t str, lang: &'t str) -> impl Iterator<Item = String> + 't {
    let stop = stop_words(lang);
    fold(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() > 1 && !stop.contains(w))
        .map(|w| stem(w, lang))
        .collect::<Vec<_>>()
        .into_iter()
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
        &[
            "the", "and", "of", "to", "in", "is", "it", "for", "on", "with", "as", "at", "by",
            "an", "be", "or", "are", "this", "that", "from",
        ]
    } else {
        &[
            "le", "la", "les", "de", "des", "du", "un", "une", "et", "en", "au", "aux", "qu",
            "que", "qui", "est", "pour", "dans", "par", "sur", "se", "ce", "il", "elle", "ne",
            "pas", "son", "sa", "ses", "a", "d", "l",
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
pub(crate) fn stem(word: &str, lang: &str) -> String {
    if word.len() <= 3 || word.bytes().any(|b| b.is_ascii_digit()) {
        return word.to_string();
    }
    let mut w = word;
    let english = lang == "en";
    if english && w.ends_with("ies") && w.len() > 4 {
        return format!("{}y", &w[..w.len() - 3]);
    }
    if (w.ends_with('s') && !w.ends_with("ss") && !(english && w.ends_with("us")))
        || (!english && w.ends_with('x'))
    {
        w = &w[..w.len() - 1];
    }
    let suffixes = if english { ENGLISH } else { FRENCH };
    for suffix in suffixes {
        if w.len() >= suffix.len() + 3 && w.ends_with(suffix) {
            return w[..w.len() - suffix.len()].to_string();
        }
    }
    w.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_a_word_share_a_stem() {
        let fr = |w: &str| stem(&fold(w), "fr");
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
            let stems: Vec<String> = group.iter().map(|w| fr(w)).collect();
            assert!(
                stems.iter().all(|s| *s == stems[0]),
                "{group:?} → {stems:?}"
            );
        }
        let en = |w: &str| stem(&fold(w), "en");
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
        let got: Vec<String> = terms("L'accessibilité des démarches, en 2024 !", "fr").collect();
        assert_eq!(got, ["accessibil", "demarch", "2024"]);
    }
}
