//! gazette's integration tests: one binary, fixture sites built by the real `gazette` command.

mod build;
mod check;
mod i18n;
mod support;
