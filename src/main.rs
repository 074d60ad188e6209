//! The `gazette` command: parses arguments, runs one command, prints diagnostics, sets the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use clap::{Parser, Subcommand};
use gazette::diagnostic::{self, Diagnostic};
use gazette::site::BuildOptions;
use gazette::write;

#[derive(Parser)]
#[command(
    name = "gazette",
    version,
    about = "Markdown posts, YAML records and tera themes into a complete static site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct SiteArgs {
    /// The site folder (holding site.yml).
    #[arg(long, short = 's', default_value = ".")]
    source: PathBuf,
    /// Also build drafts (file names starting with `_`, `draft: true`).
    #[arg(long)]
    drafts: bool,
    /// Also build posts dated in the future.
    #[arg(long)]
    future: bool,
    /// Replace site.yml's base_url (for preview deployments).
    #[arg(long)]
    base_url: Option<String>,
}

impl SiteArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            drafts: self.drafts,
            future: self.future,
            base_url: self.base_url.clone(),
            today: None,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// The output folder, relative to the site folder unless absolute.
        #[arg(long, short = 'o', default_value = "public")]
        output: PathBuf,
    },
    /// Create a new post to fill in.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// `gazette new post "Titre de l'article"`.
    Post {
        /// The post's title.
        title: String,
        /// The site folder.
        #[arg(long, short = 's', default_value = ".")]
        source: PathBuf,
    },
}

fn print_diagnostics(diagnostics: &[Diagnostic], root: &Path) {
    if !diagnostics.is_empty() {
        eprint!("{}", diagnostic::render_text(diagnostics, root));
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = ctrlc::set_handler(|| {
        // Inside the write phase the files being replaced finish first and the build exits right after.
        write::interrupt(|| {
            eprintln!("Interrupted: nothing was written, the output folder is unchanged.");
            std::process::exit(130);
        });
    });
    match cli.command {
        Command::Build { site, output } => {
            let result = gazette::build::build(&site.source, &output, &site.options());
            let code = match result {
                Ok(summary) => {
                    print_diagnostics(&summary.warnings, &site.source);
                    let output = if output.is_absolute() {
                        output
                    } else {
                        site.source.join(output)
                    };
                    eprintln!("{}", summary.line(&output));
                    ExitCode::SUCCESS
                }
                Err(problems) => {
                    print_diagnostics(&problems, &site.source);
                    if problems.iter().any(|d| d.rule == "write") {
                        eprintln!(
                            "Build failed while writing: every file in the output folder is either complete and new or as it was; the next successful build repairs the folder."
                        );
                    } else {
                        eprintln!(
                            "Build failed: nothing was written, the output folder is unchanged."
                        );
                    }
                    ExitCode::FAILURE
                }
            };
            if write::INTERRUPTED.load(Ordering::SeqCst) {
                if code == ExitCode::SUCCESS {
                    eprintln!(
                        "Interrupted after the write finished: the output folder is complete."
                    );
                } else {
                    eprintln!("Interrupted.");
                }
                return ExitCode::from(130);
            }
            code
        }
        Command::New {
            what: NewCommand::Post { title, source },
        } => match gazette::scaffold::new_post(&source, &title) {
            Ok(path) => {
                println!("{}", path.display());
                ExitCode::SUCCESS
            }
            Err(d) => {
                print_diagnostics(&[d], &source);
                ExitCode::FAILURE
            }
        },
    }
}
