//! A site folder as files: its layout ([`layout`]), `site.yml` ([`config`]), the files found
//! ([`discover`]) and read ([`load`], with [`yaml`]).

pub(crate) mod collection_config;
pub mod config;
pub(crate) mod discover;
pub(crate) mod layout;
pub mod load;
pub(crate) mod settings;
pub(crate) mod theme;
pub mod yaml;
mod yaml_errors;
