#![warn(unreachable_pub)]
#![deny(missing_docs)]
//! gazette: Markdown posts, YAML records and tera themes into a complete static site.
//!
//! Data flows one way: [`source`] finds and reads the files of a site folder, [`site`] validates
//! them into a model and plans its pages, [`render`] turns the plan into files in memory (with
//! [`markdown`] for bodies), and [`output`] writes them. [`pipeline`] runs that chain for build,
//! check and the preview; [`check`] runs the content rules over the model and the rendered pages;
//! [`preview`] keeps the site in memory and serves it; [`import`] turns a Jekyll site into a
//! gazette site. [`diagnostic`] is how every problem is reported; [`text`] holds the primitives.

pub(crate) mod admin;
pub mod check;
pub mod diagnostic;
pub mod import;
pub mod init;
pub mod markdown;
pub(crate) mod media;
pub mod output;
pub mod pipeline;
pub mod preview;
pub mod progress;
pub mod render;
pub mod scaffold;
pub(crate) mod search;
pub mod site;
pub mod source;
mod testing;
pub mod text;
mod themes;

/// Entry points for the fuzz targets (`fuzz/`): the readers of untrusted text that decide what
/// gazette deletes or writes. Not an API.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::import::pages::{RedirectRule, RuleKind, redirect_rules};

    /// The output paths a manifest read back keeps (what a build may later remove).
    pub fn manifest_paths(text: &str) -> Vec<String> {
        crate::output::state::parse(text).into_keys().collect()
    }
}
