//! A build renders its pages in batches and, on large sites, makes the post cards of each batch
//! of listings only (see `render::render_in_batches`) and keeps the posts' HTML compressed until
//! it is rendered: the site written must be the same.

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
        let (all, batched) = (snapshot(all.path()), snapshot(batched.path()));
        assert!(all.len() > 10, "{fixture}: {} files", all.len());
        assert_eq!(all, batched, "{fixture}");
    }
}
