//! Pages shown before the rest of a long update is rendered: the preview serves the pages
//! browsers show (and the home page) as soon as they are made again, while the thousands of
//! others a template edit or the first build makes follow.

use std::collections::HashSet;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::output::Output;
use crate::preview::live::Files;
use crate::render::{self, Templates};
use crate::site::Site;
use crate::site::plan::{self, Job};

/// What an update shows early, and how.
pub(crate) struct Early<'a> {
    /// Output paths of the pages browsers show now.
    pub(crate) viewed: Vec<String>,
    /// Called at most once, with what to serve meanwhile.
    pub(crate) show: &'a mut dyn FnMut(EarlyPages),
}

/// What [`Early::show`] gets.
pub(crate) struct EarlyPages {
    /// The last good outputs with the pages made first.
    pub(crate) files: Arc<Files>,
    /// Those of the pages made first whose content changed.
    pub(crate) changed: Vec<String>,
    /// The path the site is published under.
    pub(crate) base_path: String,
}

/// Updates rendering fewer pages than this render them all at once.
const EARLY_AFTER: usize = 300;

/// [`EARLY_AFTER`], or `GAZETTE_TEST_EARLY_AFTER` in debug builds (the test sites are small).
pub(crate) fn early_after() -> usize {
    crate::testing::test_hook("GAZETTE_TEST_EARLY_AFTER")
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(EARLY_AFTER)
}

/// Renders `dirty`, the pages `early` names (and the home page) first, in a batch of their own
/// handed to `early.show` with the last good outputs `before`; returns the outputs, the
/// problems, and the paths shown early.
pub(crate) fn render_viewed_first(
    site: &Site,
    templates: &mut Templates,
    dirty: Vec<Job>,
    kept: &mut render::Kept,
    before: &Arc<Files>,
    early: Early,
) -> (Vec<(Job, Output)>, Vec<Diagnostic>, Vec<String>) {
    let mut wanted: HashSet<String> = early.viewed.into_iter().collect();
    wanted.insert(crate::text::url::output_path("/"));
    let (mut ordered, rest): (Vec<Job>, Vec<Job>) = dirty.into_iter().partition(|job| {
        matches!(job, Job::Home(_))
            || wanted.contains(&crate::text::url::output_path(&plan::url_of(site, job)))
    });
    let first = ordered.len();
    ordered.extend(rest);
    let batches = render::Batches {
        first,
        size: ordered.len(),
    };
    let mut outputs = Vec::with_capacity(ordered.len());
    let mut problems = Vec::new();
    let mut shown = Vec::new();
    let show = early.show;
    render::render_in_batches(site, templates, &ordered, kept, batches, |batch, found| {
        if outputs.is_empty() && problems.is_empty() && first > 0 && found.is_empty() {
            let mut files = (**before).clone();
            let mut changed = Vec::new();
            for (_, o) in &batch {
                let body = Arc::new(o.body.clone());
                if before.get(&o.path) != Some(&body) {
                    changed.push(o.path.clone());
                }
                shown.push(o.path.clone());
                files.insert(o.path.clone(), body);
            }
            show(EarlyPages {
                files: Arc::new(files),
                changed,
                base_path: site.config.base_path().to_string(),
            });
            crate::testing::test_pause("GAZETTE_TEST_AFTER_EARLY");
        }
        outputs.extend(batch);
        problems.extend(found);
    });
    (outputs, problems, shown)
}
