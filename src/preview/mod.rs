//! The live preview: a model kept in memory ([`live`]), the dependency map that says which pages
//! an edit touches ([`deps`]), the file watcher ([`watch`]), the HTTP server ([`serve`]) and what it shows over pages ([`panel`]:
//! error overlay, warnings panel).

mod admin;
mod admin_check;
pub(crate) mod deps;
mod fast_path;
mod fingerprint;
pub mod live;
mod panel;
pub mod serve;
pub(crate) mod watch;
