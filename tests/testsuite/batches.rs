//! A build renders its pages in batches and, on large sites, makes the post cards of each batch
//! of listings only (see `render::render_in_batches`) and keeps the posts' HTML compressed until
//! it is rendered (left in the site's cache of rendered bodies): the site written must be the
//! same.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use crate::support::{TestSite, snapshot};

/// Builds `site` into `output`, as a large site when `budget` (of cards) is given (debug-build
/// hooks), asserting success.
fn build_with_budget(site: &TestSite, output: &Path, budget: Option<&str>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .args(["build", "--output"])
        .arg(output)
        .current_dir(site.path())
        .env("GAZETTE_LANG", "en");
    if let Some(budget) = budget {
        // The cards of few posts at a time, and every post's HTML kept compressed.
        command
            .env("GAZETTE_TEST_CARD_BUDGET", budget)
            .env("GAZETTE_TEST_PACKED_POSTS", "0");
    }
    let run = command.output().unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn cards_made_batch_by_batch_give_the_same_site() {
    // basic: 11 posts, tags paginated, archives; a budget of 3 cards makes the listings render
    // in many small batches, each making the cards it shows and dropping the others.
    for fixture in ["basic", "check_clean"] {
        let site = TestSite::fixture(fixture);
        let all = tempfile::tempdir().unwrap();
        let batched = tempfile::tempdir().unwrap();
        build_with_budget(&site, all.path(), None);
        build_with_budget(&site, batched.path(), Some("3"));
        // A site built for the first time: each post's HTML is rendered, appended to the site's
        // cache and read back from there when its page is made (the second build above found
        // it there).
        let first_time = TestSite::fixture(fixture);
        let uncached = tempfile::tempdir().unwrap();
        build_with_budget(&first_time, uncached.path(), Some("3"));
        let (all, batched) = (snapshot(all.path()), snapshot(batched.path()));
        assert!(all.len() > 10, "{fixture}: {} files", all.len());
        assert_eq!(all, batched, "{fixture}");
        assert_eq!(all, snapshot(uncached.path()), "{fixture}");
    }
}

/// Post cards carry their headings only when a template names `toc` (they are most of a card's
/// memory): a listing that reads them gets them, in a partial it includes as well.
#[test]
fn a_listing_that_reads_the_headings_of_its_posts_gets_them() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/posts/2024-02-01-titres.md",
        "---\ntitle: Titres\n---\n## Un\n\ntexte\n\n## Deux\n\n### Trois\n",
    )
    .write(
        "templates/index.html",
        "{% extends \"base.html\" %}{% block main %}{% for post in posts %}\
         {% include \"partials/entry.html\" %}{% endfor %}{% endblock main %}",
    )
    .write(
        "templates/partials/entry.html",
        "<p class=\"entry\">{{ post.title }}: {% for h in post.toc %}[{{ h.title }}]{% endfor %}</p>",
    );
    site.build_ok(&[]);
    let home = site.output("index.html");
    assert!(home.contains("Titres: [Un][Deux][Trois]"), "{home}");
}
