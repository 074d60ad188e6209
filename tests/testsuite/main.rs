//! gazette's integration tests: one binary, fixture sites built by the real `gazette` command.

mod build;
mod corpus;
mod faults;
mod i18n;
mod limits;
mod regressions;
mod robust;
mod safety;
mod support;
