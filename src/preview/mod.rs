//! The live preview: a model kept in memory ([`live`]), the dependency map that says which pages
//! an edit touches ([`deps`]), the file watcher ([`watch`]) and the HTTP server ([`serve`]).

pub(crate) mod deps;
mod fast_path;
mod fingerprint;
pub mod live;
pub mod serve;
pub(crate) mod watch;
