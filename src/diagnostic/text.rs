//! Messages as data: a [`Text`] names a sentence of the catalogue ([`super::catalogue`]) and the
//! values it shows, and is put into words in one language only when it is shown. That way a whole
//! run speaks the language chosen for it (site.yml's first language, or `--lang`), whichever
//! module found the problem, and before site.yml itself could be read.

use std::fmt;

/// The language gazette speaks to the writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English (the default when the site's language is neither).
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// `fr` → French, `en` → English (`fr-FR`, `EN` too); anything else is None.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().split(['-', '_']).next() {
            Some("fr") => Some(Lang::Fr),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the text of this language from an (English, French) pair.
    pub fn pick<T>(self, en: T, fr: T) -> T {
        match self {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }

    /// The language of the site in `root`, read from its site.yml before anything else (so that
    /// even "cannot read site.yml" and `--help` speak it): its `language:`, else the first of
    /// `languages:`; English when there is no site.yml or gazette does not speak its language.
    pub fn of_site_folder(root: &std::path::Path) -> Lang {
        let Ok(text) = std::fs::read_to_string(root.join("site.yml")) else {
            return Lang::En;
        };
        Lang::of_site_yml(&text).unwrap_or(Lang::En)
    }

    /// The language a site.yml's text names, read line by line (a site.yml with a YAML mistake
    /// elsewhere still says which language its author speaks).
    pub(crate) fn of_site_yml(text: &str) -> Option<Lang> {
        let mut in_languages = false;
        for line in text.lines() {
            let unindented = !line.starts_with([' ', '\t']);
            if let Some(value) = line.strip_prefix("language:") {
                let code = value.split('#').next().unwrap_or("").trim();
                return Lang::from_code(code.trim_matches(['"', '\'']));
            }
            if unindented && line.starts_with("languages:") {
                let rest = line.trim_start_matches("languages:").trim();
                // `languages: [fr, en]` or `languages: fr` on one line.
                let first = rest.trim_start_matches('[').split([',', ']', '#']).next();
                if let Some(code) = first.map(str::trim).filter(|c| !c.is_empty()) {
                    return Lang::from_code(code.trim_matches(['"', '\'']));
                }
                in_languages = true;
                continue;
            }
            if in_languages {
                let item = line.trim().trim_start_matches('-').trim();
                if item.is_empty() || item.starts_with('#') {
                    continue;
                }
                if unindented {
                    in_languages = false;
                    continue;
                }
                let code = item.split([':', '#']).next().unwrap_or("").trim();
                return Lang::from_code(code.trim_matches(['"', '\'']));
            }
        }
        None
    }
}

/// A sentence of the catalogue: its English wording (the catalogue's key, with `{name}` places)
/// and the values of those places.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Said {
    /// The English wording, the key of the catalogue.
    pub english: &'static str,
    /// The values of the `{name}` places, by name.
    pub values: Vec<(&'static str, String)>,
}

/// What a message says, kept as data until it is shown. (Boxed variants keep it as small as a
/// `String`: every diagnostic holds two.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Text {
    /// A sentence of the catalogue with its values.
    Said(Box<Said>),
    /// Words already chosen: a content rule's message, written in the run's language from its
    /// own table, or another program's words (a template engine's or the Sass compiler's).
    Plain(String),
    /// Texts shown one after the other, with a separator (`; `).
    Joined(Box<(Vec<Text>, &'static str)>),
}

impl Text {
    /// A sentence of the catalogue with its values (what [`crate::msg!`] writes).
    pub fn said(english: &'static str, values: Vec<(&'static str, String)>) -> Text {
        Text::Said(Box::new(Said { english, values }))
    }

    /// This text followed by `next`, after `separator`.
    pub fn then(self, separator: &'static str, next: Text) -> Text {
        Text::Joined(Box::new((vec![self, next], separator)))
    }

    /// The text in `lang`. A sentence missing from the catalogue is shown in English (the
    /// catalogue's tests make sure none is).
    pub fn in_lang(&self, lang: Lang) -> String {
        match self {
            Text::Plain(words) => words.clone(),
            Text::Joined(joined) => joined
                .0
                .iter()
                .map(|part| part.in_lang(lang))
                .collect::<Vec<_>>()
                .join(joined.1),
            Text::Said(said) => {
                let wording = match lang {
                    Lang::En => said.english,
                    Lang::Fr => super::catalogue::french(said.english).unwrap_or(said.english),
                };
                fill(wording, &said.values, lang)
            }
        }
    }
}

/// Puts the values into the `{name}` places of a wording. Values that are themselves sentences
/// are not translated again; a place with no value stays as written (`{% extends %}`).
fn fill(wording: &str, values: &[(&'static str, String)], lang: Lang) -> String {
    let mut out = String::with_capacity(wording.len() + 32);
    let mut rest = wording;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (close, v))
        });
        match value {
            Some((close, v)) => {
                out.push_str(&super::catalogue::value_in(v, lang));
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl fmt::Display for Text {
    /// English, for logs and tests; people see [`Text::in_lang`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.in_lang(Lang::En))
    }
}

impl From<String> for Text {
    fn from(words: String) -> Text {
        Text::Plain(words)
    }
}

impl From<&str> for Text {
    fn from(words: &str) -> Text {
        Text::Plain(words.to_string())
    }
}

impl From<&String> for Text {
    fn from(words: &String) -> Text {
        Text::Plain(words.clone())
    }
}

/// English words, for code that keeps text rather than a sentence to show.
impl From<Text> for String {
    fn from(text: Text) -> String {
        text.in_lang(Lang::En)
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.in_lang(Lang::En) == *other
    }
}

/// A sentence of the message catalogue with its values:
/// `msg!("cannot read this file: {error}", error)` or `msg!("{n} posts", n = posts.len())`.
/// The English wording is the key; its French lives in `src/diagnostic/catalogue.rs`.
#[macro_export]
macro_rules! msg {
    (@value $name:ident) => { $name };
    (@value $name:ident = $value:expr) => { $value };
    ($english:literal $(, $name:ident $(= $value:expr)?)* $(,)?) => {
        $crate::diagnostic::Text::said(
            $english,
            vec![$((stringify!($name), $crate::msg!(@value $name $(= $value)?).to_string())),*],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_language_is_read_from_the_text() {
        assert_eq!(
            Lang::of_site_yml("title: x\nlanguage: fr\n"),
            Some(Lang::Fr)
        );
        assert_eq!(
            Lang::of_site_yml("language: \"en\" # the default\n"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::of_site_yml("languages:\n  fr:\n    title: x\n  en: {}\n"),
            Some(Lang::Fr)
        );
        assert_eq!(Lang::of_site_yml("languages: [en, fr]\n"), Some(Lang::En));
        assert_eq!(Lang::of_site_yml("title: x\n"), None);
        assert_eq!(
            Lang::of_site_yml("languages:\n  - de\ntitle: x\n"),
            None,
            "a language gazette does not speak"
        );
    }

    #[test]
    fn places_are_filled_and_unknown_braces_kept() {
        let values = [("name", "a.md".to_string())];
        assert_eq!(
            fill("{name} and {% extends %}", &values, Lang::En),
            "a.md and {% extends %}"
        );
    }
}
