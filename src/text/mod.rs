//! Text primitives used everywhere, each written once: escaping, slugs, dates and site URLs.

pub(crate) mod colour;
pub mod dates;
pub(crate) mod escape;
pub mod slug;
pub mod url;
