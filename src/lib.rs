//! gazette: Markdown posts, YAML records and tera themes into a complete static site.
//!
//! Data flows one way: [`discover`] finds the files, [`load`] reads them (with [`yaml`] and
//! [`markdown`]), [`site`] validates them into a model, [`render`] turns the model into outputs in
//! memory (with [`feed`] for feeds and sitemap), and [`write`] puts them on disk. [`build`] runs the
//! whole chain; [`check`] runs the content rules of site.yml over the model and the outputs;
//! [`diagnostic`] is how every problem is reported.

pub mod build;
pub mod check;
pub mod config;
pub mod dates;
pub mod deps;
pub mod diagnostic;
pub mod discover;
pub mod feed;
pub mod import;
pub mod live;
pub mod load;
pub mod markdown;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod url;
pub mod watch;
pub mod write;
pub mod yaml;
