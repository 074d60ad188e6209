//! Collection listings cut into pages (`paginate:`) and grouped (`group_by:`): the pages at the
//! blog's URL scheme (`/defis/`, `/defis/page/2/`), the groups in order with their headings, the
//! pagination links of both built-in themes, the mistakes in the settings told at their line of
//! site.yml, and the preview following a record's change as a clean build does.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{TestSite, copy_dir, html, repo_root, select_attrs, select_texts};

fn site_yml(settings: &str) -> String {
    format!(
        "title: Défis\nbase_url: https://defis.example\nlanguage: fr\ncollections:\n  challenges:\n    data: challenges.yml\n    permalink: \"/defis/:slug.html\"\n    listing: /defis/\n    template: challenge.html\n    listing_template: challenges.html\n{settings}"
    )
}

/// Six challenges: promotions 3, 3, 2, 2, 1 and one without.
fn records() -> String {
    let records = [
        ("Alpha", Some(1)),
        ("Bravo", Some(2)),
        ("Charlie", Some(3)),
        ("Delta", Some(3)),
        ("Echo", None),
        ("Foxtrot", Some(2)),
    ];
    let mut yaml = String::new();
    for (name, promotion) in records {
        yaml.push_str(&format!("{name}:\n  title: Défi {name}\n  year: 2024\n"));
        if let Some(p) = promotion {
            yaml.push_str(&format!("  promotion: {p}\n"));
        }
    }
    yaml
}

fn challenges(settings: &str) -> TestSite {
    let site = TestSite::empty_with_theme();
    site.write("site.yml", &site_yml(settings));
    site.write("content/data/challenges.yml", &records());
    site
}

/// The headings of the groups and the titles of the cards of a listing page.
fn shown(page: &str) -> (Vec<String>, Vec<String>) {
    let doc = html(page);
    (
        select_texts(&doc, "main h2[id^=group-]"),
        select_texts(&doc, ".card__title a"),
    )
}

#[test]
fn a_paginated_grouped_listing_shows_its_groups_in_order_across_pages() {
    let site = challenges("    paginate: 3\n    group_by: promotion\n");
    site.build_ok(&[]);
    let (groups, cards) = shown(&site.output("defis/index.html"));
    assert_eq!(groups, ["Promotion 3", "Promotion 2"]);
    assert_eq!(cards, ["Défi Charlie", "Défi Delta", "Défi Bravo"]);
    // Promotion 2 goes on at the top of page 2, marked as continued; the record without a
    // promotion comes last, under "Autres".
    let (groups, cards) = shown(&site.output("defis/page/2/index.html"));
    assert_eq!(groups, ["Promotion 2 (suite)", "Promotion 1", "Autres"]);
    assert_eq!(cards, ["Défi Foxtrot", "Défi Alpha", "Défi Echo"]);
    assert!(!site.has_output("defis/page/3/index.html"));
    // The pagination links, and <link rel="prev/next"> for the pages of a series.
    let first = html(&site.output("defis/index.html"));
    assert_eq!(
        select_attrs(&first, "nav.pagination a[rel=next]", "href"),
        ["/defis/page/2/"]
    );
    assert_eq!(
        select_texts(&first, "nav.pagination a[rel=next]"),
        ["Page suivante →"]
    );
    assert_eq!(
        select_texts(&first, "nav.pagination [aria-current=page]"),
        ["Page 1"]
    );
    assert_eq!(
        select_attrs(&first, "link[rel=next]", "href"),
        ["/defis/page/2/"]
    );
    let second = html(&site.output("defis/page/2/index.html"));
    assert_eq!(
        select_attrs(&second, "nav.pagination a[rel=prev]", "href"),
        ["/defis/"]
    );
    assert_eq!(select_texts(&second, "title")[0], "Défis – Page 2 – Défis");
    assert_eq!(select_texts(&second, "h1"), ["Défis – Page 2 / 2"]);
}

#[test]
fn paginate_alone_cuts_the_listing_in_key_order_and_group_by_alone_keeps_one_page() {
    let site = challenges("    paginate: 4\n");
    site.build_ok(&[]);
    let (groups, cards) = shown(&site.output("defis/index.html"));
    assert!(groups.is_empty(), "{groups:?}");
    assert_eq!(
        cards,
        ["Défi Alpha", "Défi Bravo", "Défi Charlie", "Défi Delta"]
    );
    let (_, cards) = shown(&site.output("defis/page/2/index.html"));
    assert_eq!(cards, ["Défi Echo", "Défi Foxtrot"]);

    let site = challenges("    group_by: year\n");
    site.build_ok(&[]);
    let (groups, cards) = shown(&site.output("defis/index.html"));
    assert_eq!(groups, ["Année 2024"]);
    assert_eq!(cards.len(), 6);
    assert!(!site.has_output("defis/page/2/index.html"));
    // Without either setting, the theme's own grouping of every record, on one page.
    let site = challenges("");
    site.build_ok(&[]);
    let doc = html(&site.output("defis/index.html"));
    assert_eq!(
        select_texts(&doc, "main h2"),
        ["Promotion 3", "Promotion 2", "Promotion 1"]
    );
    assert!(select_texts(&doc, "nav.pagination").is_empty());
}

#[test]
fn the_dsfr_theme_shows_its_pagination_component_on_collection_listings() {
    let site = challenges("    paginate: 2\n    group_by: promotion\n");
    copy_dir(
        &repo_root().join("themes").join("dsfr"),
        &site.path().join("themes").join("dsfr"),
    );
    site.write(
        "site.yml",
        &format!(
            "theme: dsfr\n{}",
            site_yml("    paginate: 2\n    group_by: promotion\n")
        ),
    );
    site.build_ok(&[]);
    let page = html(&site.output("defis/page/2/index.html"));
    assert_eq!(
        select_texts(&page, "nav.fr-pagination a[aria-current=page]"),
        ["2"]
    );
    assert_eq!(
        select_attrs(&page, "nav.fr-pagination a[rel=prev]", "href"),
        ["/defis/"]
    );
    assert_eq!(
        select_attrs(&page, "nav.fr-pagination a[rel=next]", "href"),
        ["/defis/page/3/"]
    );
    assert_eq!(
        select_texts(&page, "nav.fr-pagination a[rel=next]"),
        ["Page suivante"]
    );
    assert_eq!(select_texts(&page, "main h2"), ["Promotion 2"]);
    assert_eq!(select_texts(&page, "h1"), ["Défis – Page 2 / 3"]);
}

#[test]
fn a_listing_written_as_a_file_has_its_next_pages_in_a_folder_of_its_name() {
    let site = challenges("    paginate: 4\n");
    site.write(
        "site.yml",
        &site_yml("    paginate: 4\n").replace("listing: /defis/", "listing: /defis.html"),
    );
    site.build_ok(&[]);
    assert!(site.has_output("defis.html"));
    assert!(site.has_output("defis/page/2/index.html"));
    let first = html(&site.output("defis.html"));
    assert_eq!(
        select_attrs(&first, "nav.pagination a[rel=next]", "href"),
        ["/defis/page/2/"]
    );
}

#[test]
fn mistakes_in_the_listing_settings_point_at_their_line() {
    let site = challenges("    paginate: 0\n");
    let run = site.gazette(&["build"]);
    assert!(!run.success());
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "site.yml:11:15: error: `collections.challenges.paginate`: must be at least 1"
    );
    let site = challenges("    paginate: douze\n");
    let run = site.gazette(&["build"]);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "site.yml:11:15: error: this YAML cannot be read: collections.challenges.paginate: invalid type: string \"douze\", expected usize"
    );
    let site = challenges("    group_by: promotoin\n");
    let run = site.gazette(&["build"]);
    assert!(!run.success());
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "site.yml:11:15: error: `collections.challenges.group_by`: no record of `challenges` has the field `promotoin`"
    );
    assert!(
        lines.contains(&"  = help: did you mean `promotion`?"),
        "{}",
        run.stderr
    );
    // A collection without a listing page has nothing to cut.
    let site = challenges("    paginate: 5\n");
    site.write(
        "site.yml",
        &site_yml("    paginate: 5\n").replace("    listing: /defis/\n", ""),
    );
    let run = site.gazette(&["build"]);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "site.yml:10:15: error: `collections.challenges.paginate`: the collection `challenges` has no listing page"
    );
    // In French for a French site.
    let site = challenges("    paginate: 0\n");
    let run = site.gazette_native(&["build"]);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "site.yml:11:15: erreur: `collections.challenges.paginate` : doit valoir au moins 1"
    );
}

#[test]
fn the_preview_follows_a_record_change_on_every_page_of_the_listing() {
    use gazette::preview::live::Live;
    let site = challenges("    paginate: 2\n    group_by: promotion\n");
    let root = site.path();
    let options = gazette::site::BuildOptions::default();
    let mut live = Live::new(root, &options);
    live.update(&[]).unwrap();
    crate::support::assert_live_same_as_clean(&live, root, &options, "first build");
    let data = root.join("content/data/challenges.yml");
    // A record changes group: it moves from page 3 to page 1.
    site.write(
        "content/data/challenges.yml",
        &records().replace(
            "Alpha:\n  title: Défi Alpha\n  year: 2024\n  promotion: 1",
            "Alpha:\n  title: Défi Alpha\n  year: 2024\n  promotion: 3",
        ),
    );
    live.update(std::slice::from_ref(&data)).unwrap();
    crate::support::assert_live_same_as_clean(&live, root, &options, "promotion changed");
    // A new record adds a page; removing records takes it away again.
    site.write(
        "content/data/challenges.yml",
        &format!(
            "{}Golf:\n  title: Défi Golf\n  year: 2024\n  promotion: 1\n",
            records()
        ),
    );
    live.update(std::slice::from_ref(&data)).unwrap();
    crate::support::assert_live_same_as_clean(&live, root, &options, "record added");
    assert!(live.files().contains_key("defis/page/4/index.html"));
    site.write(
        "content/data/challenges.yml",
        "Alpha:\n  title: Défi Alpha\n  year: 2024\n  promotion: 1\n",
    );
    live.update(std::slice::from_ref(&data)).unwrap();
    crate::support::assert_live_same_as_clean(&live, root, &options, "records removed");
    assert!(!live.files().contains_key("defis/page/2/index.html"));
}
