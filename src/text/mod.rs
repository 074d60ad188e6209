//! Text primitives used everywhere, each written once: escaping, slugs, dates and site URLs.

pub mod dates;
pub(crate) mod escape;
pub mod slug;
pub mod url;
