//! gazette's integration tests: one binary, fixture sites built by the real `gazette` command.

mod architecture;
mod browser;
mod build;
mod check;
mod corpus;
mod faults;
mod hostile_input;
mod i18n;
mod import;
mod import_corpus;
mod import_oracle;
mod init;
mod limits;
mod messages;
mod output_safety;
mod publish;
mod regressions;
mod robust;
mod safety;
mod serve;
mod styles;
mod support;
mod writer;
