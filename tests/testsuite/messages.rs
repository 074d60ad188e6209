//! One language per run: every message of a run in the language chosen for it (site.yml's first
//! language, or `--lang`), and diagnostics that put the root cause first.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use gazette::diagnostic::Lang;
use gazette::diagnostic::catalogue::foreign_words;

use crate::support::{TestSite, fixtures, gazette_in, gazette_native_in};

/// The prose lines of a run's output: without the quoted source lines (`12 | …`, `   | ^`) and
/// the file names that start findings.
fn prose_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|line| {
            let before_bar = line.split('|').next().unwrap_or("");
            !(line.contains('|') && before_bar.trim().chars().all(|c| c.is_ascii_digit()))
        })
        .map(|line| {
            // `content/a.md:3:1: erreur: …`: the path is not prose.
            match line.find(": ") {
                Some(at) if line[..at].contains(['/', '.']) && !line[..at].contains(' ') => {
                    line[at + 2..].to_string()
                }
                _ => line.to_string(),
            }
        })
        .filter(|line| !line.trim().is_empty())
        .collect()
}

/// The lines of `stderr` that read as the other language than `lang`.
fn foreign_lines(stderr: &str, lang: Lang) -> Vec<String> {
    prose_lines(stderr)
        .into_iter()
        .filter(|line| foreign_words(line, lang).len() >= 2)
        .collect()
}

/// The gazette sites among the fixtures (the `jekyll_*` ones are sites to import).
fn gazette_fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("jekyll_"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_french_run_of_every_fixture_prints_no_english_sentence() {
    let mut english = Vec::new();
    for name in gazette_fixtures() {
        let site = TestSite::fixture(&name);
        for args in [
            &["check", "--lang", "fr"][..],
            &["build", "--lang", "fr", "--output", "public"][..],
        ] {
            let run = site.gazette_native(args);
            for line in foreign_lines(&run.stderr, Lang::Fr) {
                english.push(format!("{name} ({}): {line}", args[0]));
            }
        }
    }
    assert!(
        english.is_empty(),
        "English in French runs:\n{}",
        english.join("\n")
    );
}

#[test]
fn an_english_run_of_every_fixture_prints_no_french_sentence() {
    let mut french = Vec::new();
    for name in gazette_fixtures() {
        let site = TestSite::fixture(&name);
        let run = site.gazette_native(&["check", "--lang", "en"]);
        for line in foreign_lines(&run.stderr, Lang::En) {
            french.push(format!("{name}: {line}"));
        }
    }
    assert!(
        french.is_empty(),
        "French in English runs:\n{}",
        french.join("\n")
    );
}

#[test]
fn the_run_speaks_the_site_language_without_lang() {
    // yaml_slip is a French site: its messages, summary line included, are French.
    let site = TestSite::fixture("yaml_slip");
    let run = site.gazette_native(&["check"]);
    assert!(
        run.stderr.contains("1 erreur, 1 avertissement"),
        "{}",
        run.stderr
    );
    let run = site.gazette_native(&["build"]);
    assert!(
        run.stderr.contains("Échec de la construction"),
        "{}",
        run.stderr
    );
    let run = site.gazette_native(&["check", "--lang", "en"]);
    assert!(run.stderr.contains("1 error, 1 warning"), "{}", run.stderr);
}

#[test]
fn help_speaks_french_on_a_french_site() {
    let site = TestSite::fixture("yaml_slip");
    let run = site.gazette_native(&["--help"]);
    assert!(run.stdout.contains("Construit le site"), "{}", run.stdout);
    assert!(run.stdout.contains("Affiche cette aide"), "{}", run.stdout);
    let run = site.gazette_native(&["check", "--help"]);
    assert!(run.stdout.contains("Langue des messages"), "{}", run.stdout);
    assert!(run.stdout.contains("[par défaut : text]"), "{}", run.stdout);
    assert!(!run.stdout.contains("[default"), "{}", run.stdout);
    // The argument parser's refusals too.
    let run = site.gazette_native(&["bulid"]);
    assert_eq!(run.code(), Some(2));
    assert!(
        run.stderr
            .contains("erreur : la commande `bulid` n'existe pas")
            && run.stderr.contains("`build`"),
        "{}",
        run.stderr
    );
    assert!(
        foreign_lines(&run.stderr, Lang::Fr).is_empty(),
        "{}",
        run.stderr
    );
    // Outside a site, English.
    let empty = tempfile::tempdir().unwrap();
    let run = gazette_in(empty.path(), &["--help"]);
    assert!(run.stdout.contains("Build the site"), "{}", run.stdout);
}

#[test]
fn one_indentation_slip_in_a_data_file_is_one_error_at_its_line() {
    let site = TestSite::fixture("yaml_slip");
    let run = site.gazette_native(&["check"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": erreur: "))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("content/data/people.yml:11:4: "),
        "{}",
        run.stderr
    );
    assert!(
        errors[0].contains("décalée"),
        "an indentation slip: {}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("guillemet"),
        "not a quoting problem: {}",
        run.stderr
    );
    // The links to the people's pages are not reported broken: one line says they were not checked.
    assert!(
        run.stderr.contains("n'ont pas été vérifiés"),
        "{}",
        run.stderr
    );

    // Fixed, the same links are all good.
    let fixed = std::fs::read_to_string(site.path().join("content/data/people.yml"))
        .unwrap()
        .replace("   title:", "  title:");
    site.write("content/data/people.yml", &fixed);
    let run = site.gazette_native(&["check"]);
    assert!(run.success(), "{}", run.stderr);
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opens() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/data/people.yml",
        "\"Camille Besnard\":\n  title: \"Développeuse\n  role: \"fellow\"\n",
    );
    let run = site.gazette_native(&["check"]);
    assert!(
        run.stderr.contains("content/data/people.yml:2:10: erreur: ce YAML ne peut pas être lu : le guillemet ouvert ici n'est jamais fermé"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_destination_written_without_into_is_an_extra_value_not_an_option() {
    // `gazette import jekyll SRC site`: `site` is a value too many, and `--into` names it.
    let tmp = tempfile::tempdir().unwrap();
    let src = fixtures().join("jekyll_basic");
    let args = ["import", "jekyll", src.to_str().unwrap(), "site"];
    let french = gazette_native_in(tmp.path(), &args);
    assert_eq!(french.code(), Some(2));
    assert!(
        french
            .stderr
            .contains("erreur : l'argument `site` est en trop"),
        "{}",
        french.stderr
    );
    assert!(
        !french.stderr.contains("option `site`"),
        "{}",
        french.stderr
    );
    let hint = format!(
        "--into` : gazette import jekyll {} --into site",
        src.display()
    );
    assert!(french.stderr.contains(&hint), "{}", french.stderr);
    let english = gazette_in(tmp.path(), &args);
    assert_eq!(english.code(), Some(2));
    let hint = format!(
        "tip: to import into site, name it with `--into`: gazette import jekyll {} --into site",
        src.display()
    );
    assert!(english.stderr.contains(&hint), "{}", english.stderr);
    assert!(!tmp.path().join("site").exists());
    // An unknown option is still called one.
    let option = gazette_native_in(
        tmp.path(),
        &["import", "jekyll", src.to_str().unwrap(), "--bogus"],
    );
    assert!(
        option
            .stderr
            .contains("l'option `--bogus` n'existe pas ici"),
        "{}",
        option.stderr
    );
}
