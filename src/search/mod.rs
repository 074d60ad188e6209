//! The site's search index, built with the site when site.yml says `search: true`: for each
//! language, the posts, pages and collection records of that language as documents, their words
//! folded and stemmed ([`words`]) into an inverted index cut in small files ([`index`]), which the
//! search page's script (`static/js/search.js` of the themes) loads on demand: a query reads the
//! index's summary, one or two slices of terms and the few documents it shows.

mod documents;
mod index;
pub(crate) mod words;

use crate::output::Output;
use crate::site::Site;
use rayon::prelude::*;

/// The folder of the index files, under the site's root: `/search-index/<lang>/`.
pub(crate) const INDEX_FOLDER: &str = "/search-index";

/// The address of the index summary of language `lang` (what the search page preloads).
pub(crate) fn meta_url(lang: &str) -> String {
    format!("{INDEX_FOLDER}/{lang}/meta.json")
}

/// The index files of every language, when the site has search turned on.
pub(crate) fn outputs(site: &Site) -> Vec<Output> {
    if !site.config.search.enabled {
        return Vec::new();
    }
    let timer = crate::progress::PhaseTimer::start();
    let codes = site.config.language_codes();
    let outputs = codes
        .par_iter()
        .enumerate()
        .flat_map_iter(|(l, lang)| {
            let timer = crate::progress::PhaseTimer::start();
            let docs = documents::of_language(site, l, lang);
            timer.lap("search: documents");
            let folder = format!("{INDEX_FOLDER}/{lang}");
            index::files(&docs, lang)
                .into_iter()
                .map(move |(name, body)| Output::generated(&format!("{folder}/{name}"), body, None))
                .collect::<Vec<_>>()
        })
        .collect();
    timer.lap("render: search index");
    outputs
}
