//! The message catalogue: every sentence gazette says to the writer, in English and French side
//! by side. Code writes a sentence with [`crate::msg!`] in English (the key); it is shown in the
//! run's language by [`super::Text::in_lang`]. One file per part of gazette: `load.rs` (reading
//! the site), `build.rs` (templates, output, preview, `new`), `rules.rs` (the content rules),
//! `cli.rs` (what the command line says around them) and `import.rs` (the importer's report).
//!
//! The tests below make sure that every sentence written in `src/` is here, with the same
//! `{places}` in both languages, and that no French wording reads as English (or the reverse).

mod admin;
mod build;
mod cli;
mod import;
mod load;
mod rules;

use std::collections::HashMap;
use std::sync::LazyLock;

use super::Lang;

/// Every (English, French) pair, from the catalogue's parts.
pub fn entries() -> impl Iterator<Item = (&'static str, &'static str)> {
    load::SENTENCES
        .iter()
        .chain(build::SENTENCES)
        .chain(admin::SENTENCES)
        .chain(cli::SENTENCES)
        .chain(import::SENTENCES)
        .chain(rules::SENTENCES)
        .copied()
}

static FRENCH: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| entries().collect());

/// The French wording of an English sentence of the catalogue.
pub(crate) fn french(english: &str) -> Option<&'static str> {
    FRENCH.get(english).copied()
}

/// A value shown inside a sentence, in `lang`: the operating system's error texts (English
/// whatever the site's language) are put into French when gazette knows them.
pub(crate) fn value_in(value: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return value.to_string();
    }
    const SYSTEM_ERRORS: &[(&str, &str)] = &[
        (
            "No such file or directory",
            "fichier ou dossier introuvable",
        ),
        ("Permission denied", "permission refusée"),
        ("No space left on device", "plus de place sur le disque"),
        ("Read-only file system", "disque en lecture seule"),
        ("Is a directory", "c'est un dossier"),
        ("Not a directory", "ce n'est pas un dossier"),
        ("File exists", "le fichier existe déjà"),
        ("Address already in use", "adresse déjà utilisée"),
        ("Directory not empty", "dossier non vide"),
    ];
    let mut out = value.to_string();
    for (english, french) in SYSTEM_ERRORS {
        out = out.replace(english, french);
    }
    // "(os error 2)" is a code for whoever helps the writer: kept, in French words.
    out.replace("(os error ", "(erreur système ")
}

/// English words that never occur in a French sentence (and the reverse): a wording with two or
/// more of the other language's words reads as that language. Words between backquotes, `{places}`
/// and paths are left out first (they are code, not sentences).
pub fn foreign_words(text: &str, lang: Lang) -> Vec<String> {
    const ENGLISH: &[&str] = &[
        "the", "is", "this", "that", "with", "and", "not", "does", "cannot", "file", "folder",
        "of", "to", "it", "are", "be", "has", "have", "your", "you", "which", "there", "must",
        "should", "write", "add", "page", "line", "found", "error", "errors", "warning",
        "warnings", "problem", "no", "or", "by", "from", "an", "was", "were", "built", "check",
    ];
    const FRENCH: &[&str] = &[
        "le",
        "la",
        "les",
        "est",
        "une",
        "des",
        "ce",
        "cette",
        "fichier",
        "dossier",
        "pas",
        "dans",
        "avec",
        "et",
        "du",
        "au",
        "aux",
        "sont",
        "vous",
        "votre",
        "qui",
        "ne",
        "ou",
        "écrivez",
        "ajoutez",
        "erreur",
        "erreurs",
        "avertissement",
        "aucun",
        "aucune",
    ];
    let others = lang.pick(FRENCH, ENGLISH);
    let words = prose_of(text);
    let mut found: Vec<String> = words
        .split(|c: char| !(c.is_alphabetic() || c == '\''))
        .map(|w| w.to_lowercase())
        .filter(|w| others.contains(&w.as_str()))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// The prose of a text: without code between backquotes, `{places}`, paths and addresses.
fn prose_of(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    let mut in_place = false;
    for c in text.chars() {
        match c {
            '`' => in_code = !in_code,
            '{' => in_place = true,
            '}' => in_place = false,
            _ if in_code || in_place => {}
            _ => out.push(c),
        }
    }
    out.split_whitespace()
        .filter(|w| !w.contains(['/', '.', '_', '=', '@', '-']) || w.ends_with(['.', ',']))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_sentence_has_both_languages_with_the_same_places() {
        let mut seen = std::collections::HashSet::new();
        for (english, french) in entries() {
            assert!(seen.insert(english), "twice in the catalogue: {english}");
            assert!(!french.trim().is_empty(), "no French for: {english}");
            // A French wording may leave out a place that holds another program's English words
            // (the YAML parser's reason); it never has one the English lacks.
            let english_places = places(english);
            for place in places(french) {
                assert!(
                    english_places.contains(&place),
                    "`{{{place}}}` not in: {english}"
                );
            }
            let dropped = english_places.len() - places(french).len();
            assert!(
                dropped == 0 || english.contains("{reason}"),
                "places dropped in French: {english}"
            );
        }
    }

    #[test]
    fn no_wording_reads_as_the_other_language() {
        for (english, french) in entries() {
            let in_french = foreign_words(french, Lang::Fr);
            assert!(
                in_french.len() < 2,
                "English words {in_french:?} in: {french}"
            );
            let in_english = foreign_words(english, Lang::En);
            assert!(
                in_english.len() < 2,
                "French words {in_english:?} in: {english}"
            );
        }
    }

    /// Every `msg!("…")` written in src/ is a sentence of the catalogue.
    #[test]
    fn every_sentence_written_in_the_code_is_in_the_catalogue() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        for entry in walkdir::WalkDir::new(&src).into_iter().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let Ok(code) = std::fs::read_to_string(path) else {
                continue;
            };
            for sentence in sentences_in(&code) {
                if french(&sentence).is_none() {
                    missing.push(format!("{}: {sentence}", path.display()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "not in the catalogue:\n{}",
            missing.join("\n")
        );
    }

    /// The string literals right after `msg!(` in a source file, unescaped.
    fn sentences_in(code: &str) -> Vec<String> {
        let mut found = Vec::new();
        for (at, _) in code.match_indices("msg!(") {
            // Not the words `msg!(` inside a string or a comment (this test, the docs).
            let line_start = code[..at].rfind('\n').map_or(0, |i| i + 1);
            let before = code[line_start..at].trim_start();
            if before.starts_with("//") || code[..at].ends_with('"') {
                continue;
            }
            let rest = code[at + 5..].trim_start();
            let Some(body) = rest.strip_prefix('"') else {
                continue;
            };
            let mut sentence = String::new();
            let mut chars = body.chars();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => match chars.next() {
                        Some('n') => sentence.push('\n'),
                        Some(other) => sentence.push(other),
                        None => break,
                    },
                    _ => sentence.push(c),
                }
            }
            found.push(sentence);
        }
        found
    }

    #[test]
    fn the_heuristic_tells_the_languages_apart() {
        assert!(foreign_words("cannot read this file", Lang::Fr).len() >= 2);
        assert!(foreign_words("impossible de lire ce fichier", Lang::En).len() >= 2);
        assert!(foreign_words("écrivez `date: the file`", Lang::Fr).is_empty());
    }

    #[test]
    fn system_errors_are_put_into_french() {
        assert_eq!(
            value_in("No such file or directory (os error 2)", Lang::Fr),
            "fichier ou dossier introuvable (erreur système 2)"
        );
    }
}
