//! Posts written as templates (`render: tera`, what the importer makes of a Jekyll post with
//! Liquid): the body goes through tera, then Markdown, and every output shows the result: the
//! post's page, its feeds, the preview after an edit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use gazette::preview::live::Live;
use gazette::site::BuildOptions;

use crate::support::TestSite;

fn options() -> BuildOptions {
    BuildOptions {
        today: chrono::NaiveDate::from_ymd_opt(2030, 1, 1),
        ..BuildOptions::default()
    }
}

const POST: &str = "---\ntitle: Partenaires\nauthor: Ada\nrender: tera\ntags: [équipe]\n---\n\
Écrit par {{ page.author }} pour {{ site.title }}.\n\n\
| Nom | Ville |\n|---|---|\n\
{% for p in data.membres %}| {{ p.name }} | {{ p.city }} |\n{% endfor %}\n\
Voir [l'équipe](/equipe.html).\n";

fn site() -> TestSite {
    let site = TestSite::empty_with_theme();
    site.write(
        "site.yml",
        "title: Le site\nbase_url: https://exemple.fr\nlanguage: fr\ntheme: default\n",
    )
    .write(
        "content/data/membres.yml",
        "- { name: Etalab, city: Paris }\n- { name: Dinum, city: Lyon }\n",
    )
    .write("content/posts/2024-01-01-partenaires.md", POST)
    .write(
        "content/posts/2024-02-01-autre.md",
        "---\ntitle: Autre\n---\nPas de {{ modèle }} ici : le texte tel quel.\n",
    );
    site
}

#[test]
fn a_post_written_as_a_template_shows_its_values_everywhere() {
    let site = site();
    site.build_ok(&[]);
    let page = site.output("blog/2024/01/01/partenaires.html");
    assert!(page.contains("Écrit par Ada pour Le site."), "{page}");
    // The loop made the rows of a Markdown table, rendered after tera.
    assert!(
        page.contains("<td>Etalab</td>") && page.contains("<td>Lyon</td>"),
        "{page}"
    );
    assert!(!page.contains("{%") && !page.contains("{{"), "{page}");
    // A post without `render: tera` keeps its braces as text.
    let other = site.output("blog/2024/02/01/autre.html");
    assert!(other.contains("Pas de {{ modèle }} ici"), "{other}");
    // The feeds carry the rendered body, its links made absolute.
    let feed = site.output("atom.xml");
    let parsed = feed_rs::parser::parse(feed.as_bytes()).unwrap();
    let entry = parsed
        .entries
        .iter()
        .find(|e| e.title.as_ref().is_some_and(|t| t.content == "Partenaires"))
        .expect("the post is in the feed");
    let content = entry.content.as_ref().and_then(|c| c.body.clone()).unwrap();
    assert!(content.contains("<td>Etalab</td>"), "{content}");
    assert!(
        content.contains("https://exemple.fr/equipe.html"),
        "{content}"
    );
}

#[test]
fn a_mistake_in_a_post_template_names_the_post() {
    let site = site();
    site.write(
        "content/posts/2024-01-01-partenaires.md",
        "---\ntitle: Partenaires\nrender: tera\n---\nLigne un.\n\n{% for p in data.membres %}\n",
    );
    let run = site.gazette(&["build"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/posts/2024-01-01-partenaires.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_preview_renders_an_edited_post_template_as_a_build_does() {
    let site = site();
    let root = site.path();
    let mut live = Live::new(root, &options());
    live.update(&[]).unwrap();
    crate::support::assert_live_same_as_clean(&live, root, &options(), "first build");
    site.write(
        "content/posts/2024-01-01-partenaires.md",
        &POST.replace("Écrit par", "Rédigé par"),
    );
    live.update(&[root.join("content/posts/2024-01-01-partenaires.md")])
        .unwrap();
    crate::support::assert_live_same_as_clean(&live, root, &options(), "post edited");
    let files = live.files();
    let gazette::output::Body::Bytes(bytes) = &*files["blog/2024/01/01/partenaires.html"] else {
        panic!("a page is made in memory");
    };
    let page = String::from_utf8_lossy(bytes).to_string();
    assert!(page.contains("Rédigé par Ada"), "{page}");
    // A data file the post reads changes the post.
    site.write(
        "content/data/membres.yml",
        "- { name: Etalab, city: Paris }\n- { name: Inria, city: Nice }\n",
    );
    live.update(&[root.join("content/data/membres.yml")])
        .unwrap();
    crate::support::assert_live_same_as_clean(&live, root, &options(), "data edited");
}
