//! The writer's loop (issue 15): `gazette new post` makes a draft that the demo site builds with
//! `--drafts`, that lists what its rules still need, and that publishes once filled.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{TestSite, copy_dir, repo_root};

/// A copy of the demo site at the repository root.
fn demo() -> TestSite {
    let dir = tempfile::tempdir().unwrap();
    let root = repo_root();
    for folder in ["content", "assets", "themes"] {
        copy_dir(&root.join(folder), &dir.path().join(folder));
    }
    fs::copy(root.join("site.yml"), dir.path().join("site.yml")).unwrap();
    TestSite { dir }
}

fn built_pages(out: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path.strip_prefix(out).unwrap().to_path_buf());
            }
        }
    }
    found
}

#[test]
fn a_new_post_is_a_draft_that_builds_with_drafts_and_publishes_once_filled() {
    let site = demo();
    let run = site.gazette_native(&["new", "post", "Titre"]);
    assert!(run.success(), "{}", run.stderr);
    let file = run.stdout.trim().to_string();
    let text = fs::read_to_string(site.path().join(&file)).unwrap();
    assert!(text.contains("\ndraft: true\n"), "{text}");
    // Nothing that fails the rules as written: no empty image folder, no empty tag list.
    assert!(
        !text.contains("\nimage: /img/\n") && !text.contains("\ntags: []"),
        "{text}"
    );
    // Every required key of rules.posts gazette cannot guess is listed, as a comment.
    for key in ["author", "description", "image", "twitter", "tags"] {
        assert!(text.contains(&format!("\n# {key}: ")), "{key}: {text}");
    }
    assert!(text.contains("de 1 à 4 parmi : développement"), "{text}");
    // The writer is told, in the site's language, what to fill and where to see the draft.
    assert!(run.stderr.contains("Brouillon créé"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("À remplir avant de publier (lignes commentées dans le fichier) : author, description, image, twitter, tags"),
        "{}",
        run.stderr
    );
    let url_line = run
        .stderr
        .lines()
        .find(|l| l.contains("http://127.0.0.1:1111/blog/"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(url_line.ends_with("/titre.html"), "{url_line}");

    // Built with --drafts: exit 0, the draft's findings are warnings, its page is there.
    let with_drafts = site.gazette_native(&["build", "--drafts", "--output", "with-drafts"]);
    assert!(with_drafts.success(), "{}", with_drafts.stderr);
    assert!(
        with_drafts.stderr.contains("avertissement"),
        "{}",
        with_drafts.stderr
    );
    let pages = built_pages(&site.path().join("with-drafts"));
    assert!(pages.iter().any(|p| p.ends_with("titre.html")), "{pages:?}");

    // Without --drafts the draft is never built.
    let plain = site.gazette_native(&["build", "--output", "plain"]);
    assert!(plain.success(), "{}", plain.stderr);
    let pages = built_pages(&site.path().join("plain"));
    assert!(
        !pages.iter().any(|p| p.ends_with("titre.html")),
        "{pages:?}"
    );

    // Filled and no longer a draft: published, with no finding about it.
    let filled: String = text
        .lines()
        .filter(|l| {
            !l.starts_with("draft:")
                && !l.starts_with("# Brouillon")
                && !l.starts_with("# À remplir")
        })
        .map(|l| match l.split(':').next().unwrap_or("") {
            // A person of the community: the demo warns about authors it does not know.
            "# author" => "author: \"Sophie Vasseur\"".to_string(),
            "# description" => "description: \"Un article d'essai.\"".to_string(),
            "# image" => "image: \"/img/posts/promotion.svg\"".to_string(),
            "# twitter" => "twitter: \"gazette_demo\"".to_string(),
            "# tags" => "tags: [\"guide\"]".to_string(),
            _ => l.to_string(),
        })
        .map(|l| l + "\n")
        .collect();
    site.write(&file, &filled);
    let published = site.gazette_native(&["build", "--output", "published"]);
    assert!(published.success(), "{}", published.stderr);
    assert!(
        !published.stderr.contains("titre.md"),
        "{}",
        published.stderr
    );
    let pages = built_pages(&site.path().join("published"));
    assert!(pages.iter().any(|p| p.ends_with("titre.html")), "{pages:?}");

    // Left a draft and unfilled, the same findings would be errors once `draft:` goes.
    let unfilled: String = text
        .lines()
        .filter(|l| !l.starts_with("draft:"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write(&file, &unfilled);
    let refused = site.gazette_native(&["build", "--output", "refused"]);
    assert!(!refused.success(), "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("titre.md:1:1: erreur: cet article n'a pas de `author`"),
        "{}",
        refused.stderr
    );
}

#[test]
fn a_new_post_takes_its_language_tags_and_image() {
    let site = demo();
    let run = site.gazette_native(&[
        "new",
        "post",
        "Open data review",
        "--lang",
        "en",
        "--tags",
        "données, guide",
        "--image",
        "assets/img/posts/promotion.svg",
    ]);
    assert!(run.success(), "{}", run.stderr);
    let file = run.stdout.trim().to_string();
    assert!(
        file.contains("content/posts/en/") && file.ends_with("-open-data-review.md"),
        "{file}"
    );
    let text = fs::read_to_string(site.path().join(&file)).unwrap();
    assert!(
        text.contains("\ntags: [\"données\", \"guide\"]\n"),
        "{text}"
    );
    assert!(
        text.contains("\nimage: \"/img/posts/promotion.svg\"\n"),
        "{text}"
    );
    // The comments speak the post's language; what was given is not asked again.
    assert!(
        text.contains("# A draft: shown by `gazette serve`"),
        "{text}"
    );
    assert!(
        !text.contains("# tags:") && !text.contains("# image:"),
        "{text}"
    );
    assert!(text.contains("\n# author: "), "{text}");
    let url_line = run
        .stderr
        .lines()
        .find(|l| l.contains("http://127.0.0.1:1111/en/blog/"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(url_line.ends_with("/open-data-review.html"), "{url_line}");

    let unknown = site.gazette_native(&["new", "post", "Titel", "--lang", "de"]);
    assert!(!unknown.success());
    assert!(
        unknown
            .stderr
            .contains("la langue `de` n'est pas déclarée dans site.yml"),
        "{}",
        unknown.stderr
    );
}

/// What a build, a check and the preview say about a post dated in the future, in the site's
/// language: the same one line, naming its date and file and `--future`.
#[test]
fn a_post_dated_in_the_future_is_named_by_build_check_and_preview() {
    use gazette::preview::live::Live;
    use gazette::site::BuildOptions;

    let site = TestSite::fixture_with_theme("serve_site");
    let later = "content/posts/2099-01-05-plus-tard.md";
    let post = "---\ntitle: \"Plus tard\"\ntags: [\"pair\"]\n---\n\nCorps.\n";
    site.write(later, post);
    let one = "1 article daté dans le futur n'est pas publié (2099-01-05, content/posts/2099-01-05-plus-tard.md) ; utilisez --future pour le voir";
    let build = site.gazette_native(&["build"]);
    assert!(build.success(), "{}", build.stderr);
    assert!(
        build.stderr.contains(&format!("avertissement: {one}\n")),
        "{}",
        build.stderr
    );
    let check = site.gazette_native(&["check"]);
    assert!(
        check.stderr.contains(&format!("avertissement: {one}\n")),
        "{}",
        check.stderr
    );
    let future = site.gazette_native(&["build", "--future"]);
    assert!(!future.stderr.contains("futur"), "{}", future.stderr);

    // The preview, then as posts are saved (its fast path patches the model).
    let mut live = Live::new(site.path(), &BuildOptions::default());
    let notices = |warnings: &[gazette::diagnostic::Diagnostic]| -> Vec<String> {
        warnings
            .iter()
            .filter(|d| d.rule == gazette::diagnostic::Rule::FuturePost)
            .map(|d| d.message.in_lang(gazette::diagnostic::Lang::Fr))
            .collect()
    };
    assert_eq!(notices(&live.update(&[]).unwrap().warnings), [one]);
    let other = "content/posts/2099-02-01-encore-plus-tard.md";
    site.write(other, post);
    let update = live.update(&[site.path().join(other)]).unwrap();
    assert_eq!(
        notices(&update.warnings),
        [
            "2 articles datés dans le futur ne sont pas publiés (2099-01-05, content/posts/2099-01-05-plus-tard.md; 2099-02-01, content/posts/2099-02-01-encore-plus-tard.md) ; utilisez --future pour les voir"
        ]
    );
    site.remove(later);
    site.write(other, &post.replace("title:", "date: 2024-06-01\ntitle:"));
    let update = live
        .update(&[site.path().join(later), site.path().join(other)])
        .unwrap();
    assert!(
        notices(&update.warnings).is_empty(),
        "{:?}",
        update.warnings
    );

    // An English site hears it in English.
    let config = fs::read_to_string(site.path().join("site.yml")).unwrap();
    site.write("site.yml", &config.replace("language: fr", "language: en"));
    site.write(later, post);
    let build = site.gazette_native(&["build"]);
    assert!(
        build.stderr.contains("warning: 1 post dated in the future is not published (2099-01-05, content/posts/2099-01-05-plus-tard.md); use --future to see it\n"),
        "{}",
        build.stderr
    );
}

/// `gazette new person` / `gazette new challenge`: a record listing the fields the collection's
/// rules require, which passes the rules once those lines are filled.
#[test]
fn new_person_and_challenge_records_pass_the_rules_once_filled() {
    let site = demo();
    let person = site.gazette_native(&["new", "person", "Jeanne Martin"]);
    assert!(person.success(), "{}", person.stderr);
    assert!(
        person.stdout.starts_with("content/data/people.yml:"),
        "{}",
        person.stdout
    );
    assert!(
        person.stderr.contains(
            "À remplir avant de publier (lignes commentées sous la fiche) : role, title, image"
        ),
        "{}",
        person.stderr
    );
    assert!(
        person.stderr.contains("http://127.0.0.1:1111/communaute/"),
        "{}",
        person.stderr
    );
    let challenge = site.gazette_native(&["new", "challenge", "Données du littoral"]);
    assert!(challenge.success(), "{}", challenge.stderr);
    // Creating the same record twice is refused.
    let again = site.gazette_native(&["new", "person", "Jeanne Martin"]);
    assert_eq!(again.code(), Some(1), "{}", again.stderr);

    let people = fs::read_to_string(site.path().join("content/data/people.yml")).unwrap();
    assert!(
        people.contains("\n\"Jeanne Martin\":\n  year: "),
        "{people}"
    );
    assert!(
        people.contains("  # role:    # l'une de : fellow, mentor, staff\n"),
        "{people}"
    );
    assert!(
        site.path()
            .join("content/people")
            .read_dir()
            .unwrap()
            .any(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with("-jeanne-martin.md")
            })
    );
    // As written, the rules name what is missing.
    let unfilled = site.gazette_native(&["check"]);
    assert_eq!(unfilled.code(), Some(1));
    assert!(
        unfilled
            .stderr
            .contains("`Jeanne Martin` n'a pas de `role`"),
        "{}",
        unfilled.stderr
    );

    // Filled as the comments say, both pass.
    let people = people
        .replace("  # role:    # l'une de : fellow, mentor, staff\n", "  role: fellow\n")
        .replace("  # title: \"\"\n", "  title: \"Designer\"\n")
        .replace(
            "  # image: \"\"   # une image du dossier assets/img/, par exemple \"/img/photo.jpg\"\n",
            "  image: \"/img/people/camille-besnard.png\"\n",
        );
    site.write("content/data/people.yml", &people);
    let challenges = fs::read_to_string(site.path().join("content/data/challenges.yml"))
        .unwrap()
        .replace("  # promotion:    # l'une de : 1, 2, 3\n", "  promotion: 3\n")
        .replace("  # administration: \"\"\n", "  administration: \"Préfecture maritime\"\n")
        .replace(
            "  # administration_website: \"\"   # une adresse complète commençant par https://\n",
            "  administration_website: \"https://littoral.example\"\n",
        )
        .replace("  # skills: \"\"\n", "  skills: [\"données\"]\n")
        .replace("  # description: \"\"\n", "  description: \"Des données sur le littoral.\"\n")
        .replace(
            "  # image: \"\"   # une image du dossier assets/img/, par exemple \"/img/photo.jpg\"\n",
            "  image: \"/img/challenges/cartographie.svg\"\n",
        )
        .replace("  # people: []   # noms de fiches de `people`\n", "  people: [\"Jeanne Martin\"]\n");
    site.write("content/data/challenges.yml", &challenges);
    let filled = site.gazette_native(&["check"]);
    assert!(filled.success(), "{}", filled.stderr);
}
