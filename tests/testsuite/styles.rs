//! Sass stylesheets: compiled into CSS as Jekyll does, in build and preview alike.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use gazette::preview::live::Live;
use gazette::site::BuildOptions;

use crate::support::TestSite;

fn site_with_styles() -> TestSite {
    let site = TestSite::fixture("minimal");
    site.write("sass/_couleurs.scss", "$accent: #0055a4;\n");
    site.write(
        "assets/css/site.scss",
        "---\n---\n@import \"couleurs\";\n@import \"base\";\nnav { a { color: $accent; } }\n",
    );
    site.write("assets/css/_base.scss", "body { margin: 0; }\n");
    site
}

#[test]
fn stylesheets_are_compiled_and_partials_are_not_published() {
    let site = site_with_styles();
    site.build_ok(&[]);
    let css = site.output("css/site.css");
    assert!(
        css.contains("nav a {") && css.contains("color: #0055a4"),
        "{css}"
    );
    assert!(css.contains("body {"), "{css}");
    assert!(!site.has_output("css/site.scss"));
    assert!(!site.has_output("css/_base.scss"));
    assert!(!site.has_output("sass/_couleurs.scss"));
}

#[test]
fn a_stylesheet_that_does_not_compile_is_an_error_at_its_line() {
    let site = site_with_styles();
    site.write(
        "assets/css/casse.scss",
        "---\n---\na { b: c; }\np { color: $inconnue; }\n",
    );
    let run = site.gazette(&["build"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("assets/css/casse.scss:4:") && run.stderr.contains("does not compile"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_preview_compiles_again_when_a_partial_changes() {
    let site = site_with_styles();
    let options = BuildOptions::default();
    let mut live = Live::new(site.path(), &options);
    live.update(&[]).unwrap();
    site.write("sass/_couleurs.scss", "$accent: #e1000f;\n");
    let update = live
        .update(&[site.path().join("sass/_couleurs.scss")])
        .unwrap();
    assert_eq!(update.changed, ["css/site.css"]);
    let files = live.files();
    let css = match &*files["css/site.css"] {
        gazette::output::Body::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        gazette::output::Body::Copy(_) => panic!("css/site.css is not compiled"),
    };
    assert!(css.contains("#e1000f"), "{css}");
}
