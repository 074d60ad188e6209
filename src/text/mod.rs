//! Text primitives used everywhere, each written once: escaping, slugs, dates, site URLs and
//! whole words of a template.

pub(crate) mod base64;
pub(crate) mod colour;
pub mod dates;
pub mod escape;
pub(crate) mod hash;
pub(crate) mod packed;
pub mod slug;
pub mod url;
pub(crate) mod utf8;
pub(crate) mod words;
