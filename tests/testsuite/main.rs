//! gazette's integration tests: one binary, fixture sites built by the real `gazette` command.

mod browser;
mod build;
mod check;
mod i18n;
mod import;
mod import_corpus;
mod serve;
mod support;
