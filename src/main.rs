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
    /// Look for content mistakes (the rules under `rules:` in site.yml) without building.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// `text` for people, `json` for CI tools (one finding a line).
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Language of the messages: `en` or `fr` (default: the site's language, else English).
        #[arg(long)]
        lang: Option<String>,
        /// Also request external links (cached in .gazette-cache/).
        #[arg(long)]
        external: bool,
    },
    /// Create a new post to fill in.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
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
        if write::WRITING.load(Ordering::SeqCst) {
            // Let the files being replaced finish: the build exits right after.
            write::INTERRUPTED.store(true, Ordering::SeqCst);
        } else {
            eprintln!("Interrupted: nothing was written, the output folder is unchanged.");
            std::process::exit(130);
        }
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
                    eprintln!("Build failed: nothing was written, the output folder is unchanged.");
                    ExitCode::FAILURE
                }
            };
            if write::INTERRUPTED.load(Ordering::SeqCst) {
                eprintln!("Interrupted after the write finished: the output folder is complete.");
                return ExitCode::from(130);
            }
            code
        }
        Command::Check {
            site,
            format,
            lang,
            external,
        } => {
            let lang = match lang
                .as_deref()
                .map(|l| (l, gazette::check::Lang::from_code(l)))
            {
                None => None,
                Some((_, Some(lang))) => Some(lang),
                Some((other, None)) => {
                    eprintln!("error: --lang {other}: gazette speaks `en` and `fr`");
                    return ExitCode::from(2);
                }
            };
            let found = gazette::check::check_site(&site.source, &site.options(), lang, external);
            match format {
                Format::Json => print!("{}", diagnostic::render_json(&found)),
                Format::Text if found.is_empty() => eprintln!("No problem found."),
                Format::Text => print_diagnostics(&found, &site.source),
            }
            if found.iter().any(Diagnostic::is_error) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
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
