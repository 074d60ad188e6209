//! The `gazette` command: parses arguments, runs one command, prints diagnostics, sets the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use clap::{Parser, Subcommand};
use gazette::diagnostic::{self, Diagnostic};
use gazette::site::BuildOptions;

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
    /// Turn a site made with another generator into a gazette site.
    Import {
        #[command(subcommand)]
        from: ImportCommand,
    },
    /// Preview the site at http://127.0.0.1:1111/, rebuilt and reloaded in the browser as files change.
    Serve {
        /// The site folder (holding site.yml).
        #[arg(long, short = 's', default_value = ".")]
        source: PathBuf,
        /// The first port to try (the next free one is used if it is taken).
        #[arg(long, short = 'p', default_value_t = 1111)]
        port: u16,
        /// The address to listen on; 0.0.0.0 exposes the preview to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Hide drafts (they are shown by default, with a "draft" ribbon; never built without
        /// `gazette build --drafts`).
        #[arg(long)]
        no_drafts: bool,
        /// Drafts are shown by default (kept for older scripts).
        #[arg(long, hide = true)]
        drafts: bool,
        /// Also show posts dated in the future.
        #[arg(long)]
        future: bool,
        /// Open the preview in the browser.
        #[arg(long)]
        open: bool,
        /// Check the files every half second instead of waiting for system events (network or
        /// virtual-machine folders where changes are not reported).
        #[arg(long)]
        poll: bool,
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
    /// Create a new site that builds and previews at once (in a new or empty folder).
    Init {
        /// The folder of the new site.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The site's languages, the default one first: `fr` or `fr,en`.
        #[arg(long, default_value = "fr", value_delimiter = ',')]
        lang: Vec<String>,
        /// The site's title.
        #[arg(long, default_value = "Mon site")]
        title: String,
        /// The built-in theme: `default`, or `dsfr` (the State Design System, for State services).
        #[arg(long, default_value = "default")]
        theme: String,
    },
    /// Write the recipe that publishes the site on a host: `--setup github|gitlab|netlify`.
    Publish {
        /// The host.
        #[arg(long, value_enum)]
        setup: HostArg,
        /// The git address gazette is installed from on the host (else the GAZETTE_GIT variable).
        #[arg(long)]
        gazette_git: Option<String>,
        /// The site folder.
        #[arg(long, short = 's', default_value = ".")]
        source: PathBuf,
    },
    /// Themes built into gazette.
    Theme {
        #[command(subcommand)]
        what: ThemeCommand,
    },
    /// Create a new draft post to fill in.
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
enum ImportCommand {
    /// `gazette import jekyll SRC --into DEST`: a Jekyll site into a new gazette site at the same URLs.
    Jekyll {
        /// The Jekyll site's folder (holding _config.yml). It is never modified.
        src: PathBuf,
        /// The new gazette site's folder: must not exist or be empty.
        #[arg(long)]
        into: PathBuf,
        /// Write into a folder that is not empty (its content/, assets/ and themes/default/ are replaced).
        #[arg(long)]
        force: bool,
    },
}

#[derive(clap::ValueEnum, Clone, Copy)]
enum HostArg {
    Github,
    Gitlab,
    Netlify,
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// `gazette theme eject default`: copy a built-in theme into themes/ to change it.
    Eject {
        /// The theme's name.
        name: String,
        /// The site folder.
        #[arg(long, short = 's', default_value = ".")]
        source: PathBuf,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// `gazette new post "Titre de l'article" [--lang en] [--tags a,b] [--image /img/x.jpg]`: a draft
    /// listing the keys the site's rules require.
    Post {
        /// The post's title.
        title: String,
        /// The post's language (default: the site's).
        #[arg(long)]
        lang: Option<String>,
        /// Its tags, separated by commas.
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        /// Its image: /img/... (from assets/) or an https address.
        #[arg(long)]
        image: Option<String>,
        /// The site folder.
        #[arg(long, short = 's', default_value = ".")]
        source: PathBuf,
    },
}

/// Writes `text` to standard output; a reader that went away (`gazette … | head`) is not an
/// error (`print!` would panic on the broken pipe).
fn to_stdout(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn print_diagnostics(diagnostics: &[Diagnostic], root: &Path) {
    if !diagnostics.is_empty() {
        eprint!("{}", diagnostic::render_text(diagnostics, root));
    }
}

/// A one-line progress indicator on a terminal, shown only when the build takes over a second.
struct Progress {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn finish(mut self) {
        self.done.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn start_progress() -> Progress {
    use std::io::{IsTerminal, Write};
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    if !std::io::stderr().is_terminal() {
        return Progress { done, thread: None };
    }
    let flag = done.clone();
    let thread = std::thread::spawn(move || {
        let started = std::time::Instant::now();
        let mut shown = false;
        while !flag.load(Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(100));
            let elapsed = started.elapsed();
            if elapsed.as_millis() < 1000 {
                continue;
            }
            let what = match gazette::progress::phase() {
                gazette::progress::Phase::Loading => "reading and checking the content",
                gazette::progress::Phase::Rendering => "rendering pages",
                gazette::progress::Phase::Writing => "writing files",
                gazette::progress::Phase::Idle => "finishing",
            };
            eprint!("\r\x1b[2KBuilding: {what}… {:.1} s", elapsed.as_secs_f32());
            let _ = std::io::stderr().flush();
            shown = true;
        }
        if shown {
            eprint!("\r\x1b[2K");
        }
    });
    Progress {
        done,
        thread: Some(thread),
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Serve {
            source,
            port,
            bind,
            no_drafts,
            drafts: _,
            future,
            open,
            poll,
        } => {
            let options = gazette::preview::serve::ServeOptions {
                build: BuildOptions {
                    drafts: !no_drafts,
                    future,
                    base_url: None,
                    today: None,
                },
                source,
                bind,
                port,
                open,
                poll: poll.then(|| std::time::Duration::from_millis(500)),
            };
            serve(options)
        }
        Command::Build { site, output } => build(&site, output),
        Command::Import {
            from: ImportCommand::Jekyll { src, into, force },
        } => import_jekyll(&src, &into, force),
        Command::Check {
            site,
            format,
            lang,
            external,
        } => check(&site, format, lang.as_deref(), external),
        Command::New {
            what:
                NewCommand::Post {
                    title,
                    lang,
                    tags,
                    image,
                    source,
                },
        } => new_post(
            &source,
            &gazette::scaffold::NewPost {
                title,
                lang,
                tags: tags
                    .into_iter()
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect(),
                image,
            },
        ),
        Command::Init {
            dir,
            lang,
            title,
            theme,
        } => init(&dir, lang, title, theme),
        Command::Publish {
            setup,
            gazette_git,
            source,
        } => publish_setup(&source, setup, gazette_git.as_deref()),
        Command::Theme {
            what: ThemeCommand::Eject { name, source },
        } => match gazette::init::eject_theme(&source, &name) {
            Ok(files) => {
                eprintln!(
                    "Copied the theme `{name}` into {} ({} files): the site now uses that copy.",
                    source.join("themes").join(&name).display(),
                    files.len()
                );
                ExitCode::SUCCESS
            }
            Err(d) => {
                print_diagnostics(&[d], &source);
                ExitCode::FAILURE
            }
        },
    }
}

fn publish_setup(source: &Path, host: HostArg, gazette_git: Option<&str>) -> ExitCode {
    let host = match host {
        HostArg::Github => gazette::init::Host::Github,
        HostArg::Gitlab => gazette::init::Host::Gitlab,
        HostArg::Netlify => gazette::init::Host::Netlify,
    };
    match gazette::init::publish_setup(source, host, gazette_git) {
        Ok(files) => {
            for file in files {
                eprintln!("Wrote {}: commit it, then push to publish.", file.display());
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_diagnostics(&[d], source);
            ExitCode::FAILURE
        }
    }
}

fn init(dir: &Path, languages: Vec<String>, title: String, theme: String) -> ExitCode {
    let options = gazette::init::InitOptions {
        languages,
        title,
        theme,
    };
    match gazette::init::init(dir, &options) {
        Ok(files) => {
            eprintln!(
                "Created a new site in {} ({} files). See it with: gazette serve --source {}",
                dir.display(),
                files.len(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_diagnostics(&[d], dir);
            ExitCode::FAILURE
        }
    }
}

fn serve(options: gazette::preview::serve::ServeOptions) -> ExitCode {
    // serve handles Ctrl-C itself (tokio), to stop the server cleanly.
    let source = options.source.clone();
    match gazette::preview::serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => {
            print_diagnostics(&[d], &source);
            ExitCode::FAILURE
        }
    }
}

fn build(site: &SiteArgs, output: PathBuf) -> ExitCode {
    let _ = ctrlc::set_handler(|| {
        // Inside the write phase the files being replaced finish first and the build exits right after.
        gazette::output::interrupt::interrupt(|| {
            eprintln!("Interrupted: nothing was written, the output folder is unchanged.");
            std::process::exit(130);
        });
    });
    let progress = start_progress();
    let result = gazette::pipeline::build(&site.source, &output, &site.options());
    progress.finish();
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
            if problems.iter().any(|d| d.rule == diagnostic::Rule::Write) {
                eprintln!(
                    "Build failed while writing: every file in the output folder is either complete and new or as it was; the next successful build repairs the folder."
                );
            } else {
                eprintln!("Build failed: nothing was written, the output folder is unchanged.");
            }
            ExitCode::FAILURE
        }
    };
    if gazette::output::interrupt::INTERRUPTED.load(Ordering::SeqCst) {
        if code == ExitCode::SUCCESS {
            eprintln!("Interrupted after the write finished: the output folder is complete.");
        } else {
            eprintln!("Interrupted.");
        }
        return ExitCode::from(130);
    }
    code
}

fn check(site: &SiteArgs, format: Format, lang: Option<&str>, external: bool) -> ExitCode {
    let lang = match lang.map(|l| (l, gazette::check::Lang::from_code(l))) {
        None => None,
        Some((_, Some(lang))) => Some(lang),
        Some((other, None)) => {
            eprintln!("error: --lang {other}: gazette speaks `en` and `fr`");
            return ExitCode::from(2);
        }
    };
    let found = gazette::pipeline::check_site(&site.source, &site.options(), lang, external);
    match format {
        Format::Json => to_stdout(&diagnostic::render_json(&found)),
        Format::Text if found.is_empty() => eprintln!("No problem found."),
        Format::Text => print_diagnostics(&found, &site.source),
    }
    if found.iter().any(Diagnostic::is_error) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn new_post(source: &Path, wanted: &gazette::scaffold::NewPost) -> ExitCode {
    match gazette::scaffold::new_post(source, wanted) {
        Ok(created) => {
            // The path alone on stdout, for scripts; the rest is for the writer.
            let path = created.path.strip_prefix(".").unwrap_or(&created.path);
            to_stdout(&format!("{}\n", path.display()));
            let fr = created.lang == gazette::check::Lang::Fr;
            eprintln!(
                "{}",
                if fr {
                    "Brouillon créé : il est visible dans l'aperçu, jamais publié tant que la ligne `draft: true` est là."
                } else {
                    "Draft created: it shows in the preview, and is never published while the line `draft: true` is there."
                }
            );
            if !created.to_fill.is_empty() {
                eprintln!(
                    "{} {}",
                    if fr {
                        "À remplir avant de publier (lignes commentées dans le fichier) :"
                    } else {
                        "To fill before publishing (commented lines in the file):"
                    },
                    created.to_fill.join(", ")
                );
            }
            if let Some(url) = created.url {
                eprintln!(
                    "{} http://127.0.0.1:1111{url}",
                    if fr {
                        "Aperçu (avec gazette serve lancé) :"
                    } else {
                        "Preview (with gazette serve running):"
                    }
                );
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            print_diagnostics(&problems, source);
            ExitCode::FAILURE
        }
    }
}

fn import_jekyll(src: &Path, into: &Path, force: bool) -> ExitCode {
    match gazette::import::jekyll(src, into, force) {
        Ok(report) => {
            let text = report.render();
            let report_path = into.join("import-report.txt");
            if let Err(error) = std::fs::write(&report_path, &text) {
                eprintln!(
                    "{}: cannot write the report: {error}",
                    report_path.display()
                );
            }
            print_diagnostics(&report.build, into);
            to_stdout(&format!("{text}\n"));
            eprintln!("{}", report.summary());
            eprintln!(
                "The full report is in {}. Build the new site with: gazette build --source {}",
                report_path.display(),
                into.display()
            );
            ExitCode::SUCCESS
        }
        Err(problems) => {
            print_diagnostics(&problems, into);
            eprintln!("Import failed: see the problems above. The Jekyll site was not modified.");
            ExitCode::FAILURE
        }
    }
}
