//! The live preview: a model kept in memory ([`live`]), the dependency map that says which pages
//! an edit touches ([`deps`]), the file watcher ([`watch`]), the HTTP server ([`serve`]), what it shows over pages ([`panel`]:
//! error overlay, warnings panel) and the reload script with the pages browsers show ([`reload`]).

mod admin;
mod admin_check;
pub(crate) mod deps;
mod early;
mod fast_path;
mod fingerprint;
pub mod live;
mod panel;
mod reload;
pub mod serve;
pub(crate) mod watch;
