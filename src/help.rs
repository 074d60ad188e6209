//! The command line's own words in the run's language: which language a run speaks (read before
//! the arguments are parsed) and `--help` in French.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::CommandFactory;
use gazette::diagnostic::Lang;

use crate::Cli;

/// The language of this run: `--lang` of `build`, `check` and `serve` (and the first language of
/// `init --lang`), else the `GAZETTE_LANG` variable (for a CI log in one language whatever the
/// site), else the language of the site's site.yml (`--source`, else the current folder).
pub(crate) fn language_of_run(args: &[OsString]) -> Lang {
    let words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let command = words
        .iter()
        .find(|w| !w.starts_with('-'))
        .map(String::as_str);
    let value_of = |long: &str, short: Option<&str>| -> Option<String> {
        let mut iter = words.iter();
        while let Some(word) = iter.next() {
            if let Some(value) = word.strip_prefix(&format!("{long}=")) {
                return Some(value.to_string());
            }
            if word == long || short.is_some_and(|s| word == s) {
                return iter.next().cloned();
            }
        }
        None
    };
    // `new post --lang en` is the post's language, not the language gazette speaks.
    if command != Some("new") {
        let chosen = value_of("--lang", None)
            .and_then(|codes| codes.split(',').next().and_then(Lang::from_code));
        if let Some(lang) = chosen {
            return lang;
        }
    }
    if let Some(lang) = std::env::var("GAZETTE_LANG")
        .ok()
        .and_then(|code| Lang::from_code(&code))
    {
        return lang;
    }
    // `import jekyll SRC`: the language of the Jekyll site being imported (its `lang`/`locale`).
    if command == Some("import")
        && let Some(lang) = words
            .iter()
            .filter(|w| !w.starts_with('-'))
            .nth(2)
            .and_then(|src| jekyll_language(&PathBuf::from(src)))
    {
        return lang;
    }
    let source = value_of("--source", Some("-s")).unwrap_or_else(|| ".".to_string());
    Lang::of_site_folder(&PathBuf::from(source))
}

/// The language of the Jekyll site in `site`, as the importer reads it (English when its
/// configuration names none, as Jekyll).
fn jekyll_language(site: &std::path::Path) -> Option<Lang> {
    gazette::import::site_language(site).map(|code| Lang::from_code(&code).unwrap_or(Lang::En))
}

/// The command line's definition, its descriptions in `lang`.
pub(crate) fn command(lang: Lang) -> clap::Command {
    let command = Cli::command();
    if lang == Lang::En {
        return command;
    }
    let mut command = command
        .about("Des articles en Markdown, des fiches en YAML et des thèmes tera : un site statique complet")
        .subcommand_help_heading("Commandes")
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help("Affiche la version"),
        );
    for (path, arg, french) in FRENCH_HELP {
        command = localize(command, path, arg, french);
    }
    french_help_flags(command)
}

/// Puts `french` as the description of the subcommand at `path` (when `arg` is empty) or of its
/// argument `arg`, with its default and possible values in French words.
fn localize(
    command: clap::Command,
    path: &[&str],
    arg: &str,
    french: &'static str,
) -> clap::Command {
    match path.split_first() {
        None if arg.is_empty() => command.about(french),
        None => command.mut_arg(arg, |a| french_arg(a, arg, french)),
        Some((first, rest)) => {
            command.mut_subcommand(*first, |sub| localize(sub, rest, arg, french))
        }
    }
}

/// An argument described in French: its help, then its possible and default values (in French
/// words instead of clap's), and its value's placeholder.
fn french_arg(a: clap::Arg, id: &str, french: &str) -> clap::Arg {
    // A flag (`--drafts`) has no value to name nor to list.
    if !a.get_action().takes_values() {
        return a.help(french.to_string());
    }
    let mut help = french.to_string();
    let possible: Vec<String> = a
        .get_possible_values()
        .iter()
        .map(|v| v.get_name().to_string())
        .collect();
    if !possible.is_empty() && !a.is_hide_possible_values_set() {
        help.push_str(&format!(" [valeurs possibles : {}]", possible.join(", ")));
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !a.is_hide_default_value_set() {
        help.push_str(&format!(" [par défaut : {}]", defaults.join(",")));
    }
    let a = match value_name_in_french(id) {
        Some(name) => a.value_name(name),
        None => a,
    };
    a.help(help)
        .hide_default_value(true)
        .hide_possible_values(true)
}

/// The placeholder shown for an argument's value (`--source <DOSSIER>`).
fn value_name_in_french(arg: &str) -> Option<&'static str> {
    Some(match arg {
        "source" | "output" | "dir" | "into" | "src" => "DOSSIER",
        "base_url" | "bind" | "gazette_git" => "ADRESSE",
        "lang" => "LANGUE",
        "title" => "TITRE",
        "tags" => "ÉTIQUETTES",
        "name" => "NOM",
        "collection" => "COLLECTION",
        "setup" => "HÉBERGEUR",
        _ => return None,
    })
}

/// A refusal of the argument parser in English: clap's words, with gazette's hint when it has one.
pub(crate) fn exit_in_english(mut error: clap::Error, args: &[OsString]) -> ! {
    use clap::error::{ContextKind, ContextValue};
    if let Some(hint) = refusal_hint(&error, args) {
        let hint = hint.in_lang(Lang::En).into();
        error.insert(ContextKind::Suggested, ContextValue::StyledStrs(vec![hint]));
    }
    error.exit()
}

/// The word the parser did not expect when it is a value, not an option (`site` in
/// `gazette import jekyll SRC site`): clap calls both an unexpected argument.
fn unexpected_value(error: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if error.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    match error.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(word)) if !word.starts_with('-') => Some(word.clone()),
        _ => None,
    }
}

/// What to write instead of a value the parser did not expect: after `import jekyll SRC`, a second
/// folder is the new site's, which `--into` names.
fn refusal_hint(error: &clap::Error, args: &[OsString]) -> Option<gazette::diagnostic::Text> {
    let dest = unexpected_value(error)?;
    let words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let values: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect();
    let into_given = words
        .iter()
        .any(|w| w == "--into" || w.starts_with("--into="));
    match values.as_slice() {
        ["import", "jekyll", src, rest @ ..]
            if !into_given && rest.first() == Some(&dest.as_str()) =>
        {
            Some(gazette::msg!(
                "to import into {dest}, name it with `--into`: gazette import jekyll {src} --into {dest}",
                dest,
                src
            ))
        }
        _ => None,
    }
}

/// A refusal of the argument parser in French (clap words them in English), as clap prints it:
/// on stderr, exit code 2. Help and version requests are printed as they are.
pub(crate) fn exit_in_french(error: &clap::Error, args: &[OsString]) -> ! {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let value = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::Strings(values)) => values.join("` ou `"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let suggestion = value(ContextKind::SuggestedSubcommand) + &value(ContextKind::SuggestedArg);
    let message = match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => error.exit(),
        ErrorKind::InvalidSubcommand => format!(
            "la commande `{}` n'existe pas",
            value(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::UnknownArgument => match unexpected_value(error) {
            Some(word) => {
                format!(
                    "l'argument `{word}` est en trop : cette commande n'attend pas d'autre valeur ici"
                )
            }
            None => format!(
                "l'option `{}` n'existe pas ici",
                value(ContextKind::InvalidArg)
            ),
        },
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!(
            "la valeur `{}` ne convient pas à `{}`",
            value(ContextKind::InvalidValue),
            value(ContextKind::InvalidArg)
        ),
        ErrorKind::MissingRequiredArgument => {
            format!("il manque {}", value(ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand => "il manque la commande".to_string(),
        _ => "ces arguments ne conviennent pas".to_string(),
    };
    eprintln!("erreur : {message}");
    if !suggestion.is_empty() {
        eprintln!("  vouliez-vous dire `{suggestion}` ?");
    }
    if let Some(hint) = refusal_hint(error, args) {
        eprintln!("  {}", hint.in_lang(Lang::Fr));
    }
    eprintln!("\nPour en savoir plus : gazette --help");
    std::process::exit(2)
}

/// `-h` and `-V` described in French, in every subcommand.
fn french_help_flags(command: clap::Command) -> clap::Command {
    let command = command
        .disable_help_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help("Affiche cette aide"),
        )
        .help_template("{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}");
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    names.into_iter().fold(command, |command, name| {
        command.mut_subcommand(name, french_help_flags)
    })
}

/// (subcommand path, argument id or "" for the subcommand itself, French description).
const FRENCH_HELP: &[(&[&str], &str, &str)] = &[
    (
        &["build"],
        "",
        "Construit le site dans le dossier de sortie (public/ par défaut)",
    ),
    (
        &["build"],
        "output",
        "Le dossier de sortie, relatif au dossier du site sauf s'il est absolu",
    ),
    (
        &["build"],
        "source",
        "Le dossier du site (qui contient site.yml)",
    ),
    (
        &["build"],
        "drafts",
        "Construit aussi les brouillons (noms de fichier commençant par `_`, `draft: true`)",
    ),
    (
        &["build"],
        "future",
        "Construit aussi les articles datés dans le futur",
    ),
    (
        &["build"],
        "base_url",
        "Remplace le base_url de site.yml (pour les déploiements d'essai)",
    ),
    (
        &["build"],
        "lang",
        "Langue des messages de gazette : `en` ou `fr` (par défaut : celle du site, sinon l'anglais)",
    ),
    (
        &["check"],
        "",
        "Cherche les erreurs de contenu (les règles `rules:` de site.yml) sans construire",
    ),
    (
        &["check"],
        "source",
        "Le dossier du site (qui contient site.yml)",
    ),
    (&["check"], "drafts", "Vérifie aussi les brouillons"),
    (
        &["check"],
        "future",
        "Vérifie aussi les articles datés dans le futur",
    ),
    (&["check"], "base_url", "Remplace le base_url de site.yml"),
    (
        &["check"],
        "lang",
        "Langue des messages de gazette : `en` ou `fr` (par défaut : celle du site, sinon l'anglais)",
    ),
    (
        &["check"],
        "format",
        "`text` pour les personnes, `json` pour les outils d'intégration continue (une ligne par problème)",
    ),
    (
        &["check"],
        "external",
        "Vérifie aussi les liens vers d'autres sites (mis en cache dans .gazette-cache/)",
    ),
    (
        &["serve"],
        "",
        "Aperçu du site sur http://127.0.0.1:1111/, reconstruit et rechargé dans le navigateur à chaque modification",
    ),
    (
        &["serve"],
        "source",
        "Le dossier du site (qui contient site.yml)",
    ),
    (
        &["serve"],
        "port",
        "Le premier port essayé (le suivant libre est pris s'il est occupé)",
    ),
    (
        &["serve"],
        "bind",
        "L'adresse d'écoute ; 0.0.0.0 ouvre l'aperçu au réseau",
    ),
    (
        &["serve"],
        "no_drafts",
        "Cache les brouillons (montrés par défaut avec un bandeau « brouillon »)",
    ),
    (
        &["serve"],
        "future",
        "Montre aussi les articles datés dans le futur",
    ),
    (&["serve"], "open", "Ouvre l'aperçu dans le navigateur"),
    (
        &["serve"],
        "poll",
        "Regarde les fichiers toutes les demi-secondes (dossiers réseau ou de machine virtuelle)",
    ),
    (
        &["serve"],
        "lang",
        "Langue des messages de gazette : `en` ou `fr` (par défaut : celle du site, sinon l'anglais)",
    ),
    (
        &["import"],
        "",
        "Transforme un site fait avec un autre générateur en site gazette",
    ),
    (
        &["import", "jekyll"],
        "",
        "`gazette import jekyll SRC --into DEST` : un site Jekyll en un nouveau site gazette, aux mêmes adresses",
    ),
    (
        &["import", "jekyll"],
        "src",
        "Le dossier du site Jekyll (qui contient _config.yml) ; il n'est jamais modifié",
    ),
    (
        &["import", "jekyll"],
        "into",
        "Le dossier du nouveau site gazette : il ne doit pas exister ou être vide",
    ),
    (
        &["import", "jekyll"],
        "force",
        "Écrit dans un dossier non vide (ses dossiers content/, assets/ et themes/default/ sont remplacés)",
    ),
    (
        &["init"],
        "",
        "Crée un nouveau site qui se construit et s'affiche tout de suite (dans un dossier nouveau ou vide)",
    ),
    (&["init"], "dir", "Le dossier du nouveau site"),
    (
        &["init"],
        "lang",
        "Les langues du site, celle par défaut d'abord : `fr` ou `fr,en`",
    ),
    (&["init"], "title", "Le titre du site"),
    (
        &["publish"],
        "",
        "Écrit la recette qui publie le site chez un hébergeur : `--setup github|gitlab|netlify`",
    ),
    (&["publish"], "setup", "L'hébergeur"),
    (
        &["publish"],
        "gazette_git",
        "L'adresse git d'où l'hébergeur installe gazette (sinon la variable GAZETTE_GIT)",
    ),
    (&["publish"], "source", "Le dossier du site"),
    (&["theme"], "", "Les thèmes intégrés à gazette"),
    (
        &["theme", "eject"],
        "",
        "`gazette theme eject default` : copie un thème intégré dans themes/ pour le modifier",
    ),
    (&["theme", "eject"], "name", "Le nom du thème"),
    (&["theme", "eject"], "source", "Le dossier du site"),
    (
        &["new"],
        "",
        "Crée un brouillon à remplir (article, défi ou personne)",
    ),
    (
        &["new", "post"],
        "",
        "`gazette new post \"Titre de l'article\" [--lang en] [--tags a,b] [--image /img/x.jpg]` : un brouillon qui liste les clés exigées par les règles du site",
    ),
    (&["new", "post"], "title", "Le titre de l'article"),
    (
        &["new", "post"],
        "lang",
        "La langue de l'article (par défaut : celle du site)",
    ),
    (
        &["new", "post"],
        "tags",
        "Ses étiquettes, séparées par des virgules",
    ),
    (
        &["new", "post"],
        "image",
        "Son image : /img/... (dans assets/) ou une adresse https",
    ),
    (&["new", "post"], "source", "Le dossier du site"),
    (
        &["new", "challenge"],
        "",
        "`gazette new challenge \"Nom du défi\"` : une fiche ajoutée au fichier des défis, qui liste les champs exigés par les règles du site (et son fichier de texte)",
    ),
    (
        &["new", "challenge"],
        "name",
        "Le nom du défi (le nom de la fiche)",
    ),
    (&["new", "challenge"], "source", "Le dossier du site"),
    (
        &["new", "person"],
        "",
        "`gazette new person \"Prénom Nom\"` : une fiche ajoutée au fichier de la communauté, qui liste les champs exigés par les règles du site (et son fichier de texte)",
    ),
    (
        &["new", "person"],
        "name",
        "Le nom complet de la personne (le nom de la fiche)",
    ),
    (&["new", "person"], "source", "Le dossier du site"),
    (
        &["new", "record"],
        "",
        "`gazette new record COLLECTION NOM` : une fiche de n'importe quelle collection de site.yml",
    ),
    (
        &["new", "record"],
        "collection",
        "Le nom de la collection dans site.yml",
    ),
    (&["new", "record"], "name", "Le nom de la fiche"),
    (&["new", "record"], "source", "Le dossier du site"),
];
