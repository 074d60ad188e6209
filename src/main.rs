//! The `gazette` command: parses arguments, runs one command, prints diagnostics, sets the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use clap::{FromArgMatches, Subcommand};
use gazette::diagnostic::{self, Diagnostic, Lang, Text};
use gazette::msg;
use gazette::site::BuildOptions;

mod allocator;
mod help;

#[derive(clap::Parser)]
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
    /// Language of gazette's messages: `en` or `fr` (default: the site's language, else English).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
}

impl SiteArgs {
    /// The build options, messages in the run's language `lang` (`--lang`, `GAZETTE_LANG` or the
    /// site's).
    fn options(&self, lang: Lang) -> BuildOptions {
        BuildOptions {
            drafts: self.drafts,
            future: self.future,
            base_url: self.base_url.clone(),
            today: None,
            lang: Some(self.lang.unwrap_or(lang)),
            preview_origin: None,
        }
    }
}

/// `--lang fr` → French; a language gazette does not speak is refused by clap with this reason.
fn parse_lang(code: &str) -> Result<Lang, String> {
    Lang::from_code(code)
        .ok_or_else(|| "gazette speaks `en` and `fr` / gazette parle `en` et `fr`".to_string())
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
        /// Language of gazette's messages: `en` or `fr` (default: the site's language, else English).
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
    },
    /// Look for content mistakes (the rules under `rules:` in site.yml) without building.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// `text` for people, `json` for CI tools (one finding a line).
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
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
    /// Create a draft to fill in: a post, a challenge, a person.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Move a collection's records between one data file (`split`: into one Markdown file per
    /// record, what the browser editor at /admin/ edits) and one file per record (`join`: back).
    Records {
        /// `split` or `join`.
        #[arg(value_enum)]
        how: RecordsHow,
        /// The collection, as site.yml names it.
        collection: String,
        /// The site folder (holding site.yml).
        #[arg(long, short = 's', default_value = ".")]
        source: PathBuf,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
enum RecordsHow {
    Split,
    Join,
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
    /// `gazette new challenge "Name of the challenge"`: a record added to the challenges' data
    /// file, listing the fields the site's rules require (and its Markdown body file).
    Challenge {
        /// The challenge's name (the record's key).
        name: String,
        /// The site folder.
        #[arg(long, short = 's', default_value = ".")]
        source: PathBuf,
    },
    /// `gazette new person "First Last"`: a record added to the people's data file, listing the
    /// fields the site's rules require (and its Markdown body file).
    Person {
        /// The person's full name (the record's key).
        name: String,
        /// The site folder.
        #[arg(long, short = 's', default_value = ".")]
        source: PathBuf,
    },
    /// `gazette new record COLLECTION NAME`: a record of any collection of site.yml.
    Record {
        /// The collection's name in site.yml.
        collection: String,
        /// The record's name (its key).
        name: String,
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

fn print_diagnostics(diagnostics: &[Diagnostic], root: &Path, lang: Lang) {
    if !diagnostics.is_empty() {
        eprint!("{}", diagnostic::render_text(diagnostics, root, lang));
    }
}

/// Prints a sentence of the catalogue to stderr, in the run's language.
fn say(lang: Lang, text: Text) {
    eprintln!("{}", text.in_lang(lang));
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

fn start_progress(lang: Lang) -> Progress {
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
                gazette::progress::Phase::Loading => msg!("reading and checking the content"),
                gazette::progress::Phase::Rendering => msg!("rendering pages"),
                gazette::progress::Phase::Writing => msg!("writing files"),
                gazette::progress::Phase::Idle => msg!("finishing"),
            };
            let seconds = format!("{:.1}", elapsed.as_secs_f32());
            let line = msg!(
                "Building: {what}… {seconds} s",
                what = what.in_lang(lang),
                seconds
            );
            eprint!("\r\x1b[2K{}", line.in_lang(lang));
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
    // The language is known before the arguments are parsed, so that `--help` and clap's own
    // refusals already speak it.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = help::language_of_run(&args);
    let parsed = help::command(lang)
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) if lang == Lang::Fr => help::exit_in_french(&error, &args),
        Err(error) => help::exit_in_english(error, &args),
    };
    run(cli.command, lang)
}

fn run(command: Command, lang: Lang) -> ExitCode {
    match command {
        Command::Serve {
            source,
            port,
            bind,
            no_drafts,
            drafts: _,
            future,
            open,
            poll,
            lang: chosen,
        } => {
            let options = gazette::preview::serve::ServeOptions {
                build: BuildOptions {
                    drafts: !no_drafts,
                    future,
                    base_url: None,
                    today: None,
                    lang: Some(chosen.unwrap_or(lang)),
                    preview_origin: None,
                },
                source,
                bind,
                port,
                open,
                poll: poll.then(|| std::time::Duration::from_millis(500)),
            };
            serve(options, lang)
        }
        Command::Build { site, output } => build(&site, output, lang),
        Command::Import {
            from: ImportCommand::Jekyll { src, into, force },
        } => import_jekyll(&src, &into, force, lang),
        Command::Check {
            site,
            format,
            external,
        } => check(&site, format, external, lang),
        Command::New {
            what:
                NewCommand::Post {
                    title,
                    lang: post_lang,
                    tags,
                    image,
                    source,
                },
        } => new_post(
            &source,
            &gazette::scaffold::NewPost {
                title,
                lang: post_lang,
                tags: tags
                    .into_iter()
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect(),
                image,
            },
            lang,
        ),
        Command::Records {
            how,
            collection,
            source,
        } => records(&source, how, &collection, lang),
        Command::New {
            what: NewCommand::Challenge { name, source },
        } => new_record(&source, "challenge", &name, lang),
        Command::New {
            what: NewCommand::Person { name, source },
        } => new_record(&source, "person", &name, lang),
        Command::New {
            what:
                NewCommand::Record {
                    collection,
                    name,
                    source,
                },
        } => new_record(&source, &collection, &name, lang),
        Command::Init {
            dir,
            lang: languages,
            title,
            theme,
        } => init(&dir, languages, title, theme, lang),
        Command::Publish {
            setup,
            gazette_git,
            source,
        } => publish_setup(&source, setup, gazette_git.as_deref(), lang),
        Command::Theme {
            what: ThemeCommand::Eject { name, source },
        } => match gazette::init::eject_theme(&source, &name) {
            Ok(files) => {
                let folder = source.join("themes").join(&name).display().to_string();
                let count = files.len();
                say(
                    lang,
                    msg!(
                        "Copied the theme `{name}` into {folder} ({count} files): the site now uses that copy.",
                        name,
                        folder,
                        count
                    ),
                );
                ExitCode::SUCCESS
            }
            Err(d) => {
                print_diagnostics(&[d], &source, lang);
                ExitCode::FAILURE
            }
        },
    }
}

fn publish_setup(source: &Path, host: HostArg, gazette_git: Option<&str>, lang: Lang) -> ExitCode {
    let host = match host {
        HostArg::Github => gazette::init::Host::Github,
        HostArg::Gitlab => gazette::init::Host::Gitlab,
        HostArg::Netlify => gazette::init::Host::Netlify,
    };
    match gazette::init::publish_setup(source, host, gazette_git) {
        Ok(files) => {
            for file in files {
                let file = file.display();
                say(
                    lang,
                    msg!("Wrote {file}: commit it, then push to publish.", file),
                );
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_diagnostics(&[d], source, lang);
            ExitCode::FAILURE
        }
    }
}

fn init(dir: &Path, languages: Vec<String>, title: String, theme: String, lang: Lang) -> ExitCode {
    let options = gazette::init::InitOptions {
        languages,
        title,
        theme,
    };
    match gazette::init::init(dir, &options) {
        Ok(files) => {
            let folder = dir.display();
            let count = files.len();
            say(
                lang,
                msg!(
                    "Created a new site in {folder} ({count} files). See it with: gazette serve --source {folder}",
                    folder,
                    count
                ),
            );
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_diagnostics(&[d], dir, lang);
            ExitCode::FAILURE
        }
    }
}

fn serve(options: gazette::preview::serve::ServeOptions, lang: Lang) -> ExitCode {
    // serve handles Ctrl-C itself (tokio), to stop the server cleanly.
    let source = options.source.clone();
    match gazette::preview::serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => {
            print_diagnostics(&[d], &source, lang);
            ExitCode::FAILURE
        }
    }
}

fn build(site: &SiteArgs, output: PathBuf, lang: Lang) -> ExitCode {
    let _ = ctrlc::set_handler(move || {
        // Inside the write phase the files being replaced finish first and the build exits right after.
        gazette::output::interrupt::interrupt(|| {
            say(
                lang,
                msg!("Interrupted: nothing was written, the output folder is unchanged."),
            );
            std::process::exit(130);
        });
    });
    let progress = start_progress(lang);
    let result = gazette::pipeline::build(&site.source, &output, &site.options(lang));
    progress.finish();
    let code = match result {
        Ok(summary) => {
            print_diagnostics(&summary.warnings, &site.source, lang);
            let output = if output.is_absolute() {
                output
            } else {
                site.source.join(output)
            };
            if let Some(line) = summary.images_line() {
                say(lang, line);
            }
            if let Some(line) = summary.unchanged_line() {
                say(lang, line);
            }
            say(lang, summary.line(&output));
            ExitCode::SUCCESS
        }
        Err(problems) => {
            print_diagnostics(&problems, &site.source, lang);
            if problems.iter().any(|d| d.rule == diagnostic::Rule::Write) {
                say(
                    lang,
                    msg!(
                        "Build failed while writing: every file in the output folder is either complete and new or as it was; the next successful build repairs the folder."
                    ),
                );
            } else {
                say(
                    lang,
                    msg!("Build failed: nothing was written, the output folder is unchanged."),
                );
            }
            ExitCode::FAILURE
        }
    };
    if gazette::output::interrupt::INTERRUPTED.load(Ordering::SeqCst) {
        if code == ExitCode::SUCCESS {
            say(
                lang,
                msg!("Interrupted after the write finished: the output folder is complete."),
            );
        } else {
            say(lang, msg!("Interrupted."));
        }
        return ExitCode::from(130);
    }
    code
}

fn check(site: &SiteArgs, format: Format, external: bool, lang: Lang) -> ExitCode {
    let found = gazette::pipeline::check_site(&site.source, &site.options(lang), external);
    match format {
        Format::Json => to_stdout(&diagnostic::render_json(&found, lang)),
        Format::Text if found.is_empty() => say(lang, msg!("No problem found.")),
        Format::Text => print_diagnostics(&found, &site.source, lang),
    }
    if found.iter().any(Diagnostic::is_error) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Where a new post or record shows in the preview, when it has a page.
fn say_preview_address(lang: Lang, url: Option<String>) {
    if let Some(url) = url {
        say(
            lang,
            msg!(
                "Preview (with gazette serve running): http://127.0.0.1:1111{url}",
                url
            ),
        );
    }
}

fn new_post(source: &Path, wanted: &gazette::scaffold::NewPost, lang: Lang) -> ExitCode {
    match gazette::scaffold::new_post(source, wanted) {
        Ok(created) => {
            // The path alone on stdout, for scripts; the rest is for the writer.
            let path = created.path.strip_prefix(".").unwrap_or(&created.path);
            to_stdout(&format!("{}\n", path.display()));
            say(
                lang,
                msg!(
                    "Draft created: it shows in the preview, and is never published while the line `draft: true` is there."
                ),
            );
            if !created.to_fill.is_empty() {
                let keys = created.to_fill.join(", ");
                say(
                    lang,
                    msg!(
                        "To fill before publishing (commented lines in the file): {keys}",
                        keys
                    ),
                );
            }
            say_preview_address(lang, created.url);
            ExitCode::SUCCESS
        }
        Err(problems) => {
            print_diagnostics(&problems, source, lang);
            ExitCode::FAILURE
        }
    }
}

fn records(source: &Path, how: RecordsHow, name: &str, lang: Lang) -> ExitCode {
    let done = match how {
        RecordsHow::Split => gazette::scaffold::split_records(source, name),
        RecordsHow::Join => gazette::scaffold::join_records(source, name),
    };
    match done {
        Ok(done) => {
            let (records, folder) = (done.records, done.folder.display());
            let file = done.data_file.display();
            say(
                lang,
                match how {
                    RecordsHow::Split => msg!(
                        "{records} records of `{name}` are now one file each in {folder}; {file} is removed and site.yml says `layout: files`.",
                        records,
                        name,
                        folder,
                        file
                    ),
                    RecordsHow::Join => msg!(
                        "{records} records of `{name}` are now in {file}; site.yml says `data:` again.",
                        records,
                        name,
                        file
                    ),
                },
            );
            ExitCode::SUCCESS
        }
        Err(problems) => {
            print_diagnostics(&problems, source, lang);
            ExitCode::FAILURE
        }
    }
}

fn new_record(source: &Path, kind: &str, name: &str, lang: Lang) -> ExitCode {
    match gazette::scaffold::new_record(source, kind, name) {
        Ok(created) => {
            let file = created.data_file.display();
            let line = created.line;
            to_stdout(&format!("{file}:{line}\n"));
            say(
                lang,
                msg!(
                    "Record added at the end of {file} (line {line}).",
                    file,
                    line
                ),
            );
            if let Some(body) = &created.body_file {
                let body = body.display();
                say(lang, msg!("Its page's text goes in {body}.", body));
            }
            if !created.to_fill.is_empty() {
                let keys = created.to_fill.join(", ");
                say(
                    lang,
                    msg!(
                        "To fill before publishing (commented lines under the record): {keys}",
                        keys
                    ),
                );
            }
            say_preview_address(lang, created.url);
            ExitCode::SUCCESS
        }
        Err(problems) => {
            print_diagnostics(&problems, source, lang);
            ExitCode::FAILURE
        }
    }
}

fn import_jekyll(src: &Path, into: &Path, force: bool, lang: Lang) -> ExitCode {
    match gazette::import::jekyll(src, into, force) {
        Ok(report) => {
            let text = report.render(lang);
            let report_path = into.join("import-report.txt");
            if let Err(error) = std::fs::write(&report_path, &text) {
                let file = report_path.display();
                say(
                    lang,
                    msg!("{file}: cannot write the report: {error}", file, error),
                );
            }
            print_diagnostics(&report.build, into, lang);
            to_stdout(&format!("{text}\n"));
            say(lang, report.summary());
            let file = report_path.display();
            let folder = into.display();
            say(
                lang,
                msg!(
                    "The full report is in {file}. Build the new site with: gazette build --source {folder}",
                    file,
                    folder
                ),
            );
            ExitCode::SUCCESS
        }
        Err(problems) => {
            print_diagnostics(&problems, into, lang);
            say(
                lang,
                msg!("Import failed: see the problems above. The Jekyll site was not modified."),
            );
            ExitCode::FAILURE
        }
    }
}
