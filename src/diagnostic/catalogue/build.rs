//! Building the site: templates, pages, output folder, preview.

/// (English, French).
#[rustfmt::skip]
pub(super) const SENTENCES: &[(&str, &str)] = &[
    ("the links to the pages of `{name}` were not checked: this file could not be read", "les liens vers les pages de `{name}` n'ont pas été vérifiés : ce fichier n'a pas pu être lu"),
    ("fix the error of this file first: its links are checked again at the next run", "corrigez d'abord l'erreur de ce fichier : ses liens seront vérifiés de nouveau à la prochaine vérification"),
];
