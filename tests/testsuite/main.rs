//! gazette's integration tests: one binary, fixture sites built by the real `gazette` command.

mod browser;
mod build;
mod serve;
mod support;
