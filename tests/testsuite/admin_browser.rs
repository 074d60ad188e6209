//! The browser editor in a real browser: headless Chromium (through chromedriver) opens `/admin/`
//! of `gazette serve`, writes a post with a title, a tag from the list and a picture, and edits a
//! person's record, as the programme's communications lead would. Run by .ci/browser.sh (its
//! name holds `browser`), which installs chromium and chromium-driver.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::browser::{Driver, eval, runtime, wait_until};
use crate::serve::Server;
use crate::support::TestSite;

/// The element at `xpath`, once the page shows it (20 s at most).
async fn find(client: &Client, xpath: &str) -> fantoccini::elements::Element {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(element) = client.find(Locator::XPath(xpath)).await {
            return element;
        }
        let text = eval(
            client,
            "return document.body ? document.body.innerText : ''",
        )
        .await;
        assert!(
            Instant::now() < deadline,
            "never shown: {xpath}\npage:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks Decap's "Publier" then "Publier maintenant" (the site is in French).
async fn publish(client: &Client) {
    find(
        client,
        "//*[self::button or @role='button' or self::span][normalize-space(.)='Publier']",
    )
    .await
    .click()
    .await
    .unwrap();
    find(
        client,
        "//*[contains(., 'Publier maintenant') and not(*[contains(., 'Publier maintenant')])]",
    )
    .await
    .click()
    .await
    .unwrap();
}

/// Polls the file system until `check` finds what it waits for (20 s at most).
fn wait_for_file<T>(what: &str, check: impl Fn() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(Instant::now() < deadline, "never written: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The front matter of a Markdown file, read as YAML.
fn front_matter(text: &str) -> Value {
    let front = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---"))
        .map(|(f, _)| f)
        .unwrap();
    serde_yaml::from_str(front).unwrap()
}

fn new_post(folder: &Path) -> Option<std::path::PathBuf> {
    std::fs::read_dir(folder)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.to_string_lossy()
                .ends_with("-un-billet-ecrit-dans-le-navigateur.md")
        })
}

#[test]
#[ignore = "needs chromium and chromedriver: run by .ci/browser.sh"]
fn the_editor_writes_a_post_and_edits_a_person_in_the_browser() {
    let site = TestSite::fixture_with_theme("admin_site");
    let upload = tempfile::tempdir().unwrap();
    let picture = upload.path().join("photo-du-jour.png");
    std::fs::copy(site.path().join("assets/img/photo.png"), &picture).unwrap();
    let server = Server::start(site.path(), &[]);
    let admin = format!("{}admin/", server.url);
    let driver = Driver::start();
    runtime().block_on(async {
        let client = driver.client().await;
        client.goto(&admin).await.unwrap();
        // No account: the local backend only asks to go in.
        find(&client, "//button[contains(., 'Se connecter')]")
            .await
            .click()
            .await
            .unwrap();
        find(&client, "//a[contains(., 'Articles (fr)')]").await;

        // A new post: a title, a tag from the list, a picture, a sentence.
        client
            .goto(&format!("{admin}#/collections/posts-fr/new"))
            .await
            .unwrap();
        find(&client, "//input[starts-with(@id,'title-field')]")
            .await
            .send_keys("Un billet écrit dans le navigateur")
            .await
            .unwrap();
        let tags = find(&client, "//input[starts-with(@id,'tags-field')]").await;
        tags.send_keys("design").await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        tags.send_keys("\u{E007}").await.unwrap();
        let editor = find(&client, "//*[@contenteditable='true']").await;
        editor.click().await.unwrap();
        editor.send_keys("Écrit depuis l'éditeur.").await.unwrap();
        find(&client, "//button[contains(., 'Choisir une image')]")
            .await
            .click()
            .await
            .unwrap();
        find(&client, "//input[@type='file']")
            .await
            .send_keys(&picture.display().to_string())
            .await
            .unwrap();
        // The new picture is chosen as soon as it is added.
        find(&client, "//*[text()='photo-du-jour.png']").await;
        find(
            &client,
            "//button[contains(., 'Choisir les éléments sélectionnés')]",
        )
        .await
        .click()
        .await
        .unwrap();
        find(&client, "//button[contains(., 'Supprimer l')]").await;
        publish(&client).await;

        let posts = site.path().join("content/posts");
        let path = wait_for_file("the new post", || new_post(&posts));
        let text = wait_for_file("the post's text", || {
            std::fs::read_to_string(&path)
                .ok()
                .filter(|t| t.contains("Écrit depuis"))
        });
        let front = front_matter(&text);
        assert_eq!(
            front["title"],
            json!("Un billet écrit dans le navigateur"),
            "{text}"
        );
        assert_eq!(front["tags"], json!(["design"]), "{text}");
        assert_eq!(
            front["image"],
            json!("/img/uploads/photo-du-jour.png"),
            "{text}"
        );
        assert_eq!(
            std::fs::read(site.path().join("assets/img/uploads/photo-du-jour.png")).unwrap(),
            std::fs::read(&picture).unwrap()
        );
        let check = site.gazette(&["check"]);
        assert!(check.success(), "{}{}", check.stdout, check.stderr);
        // The preview shows it on the blog.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (_, _, blog) = server.get("/blog/");
            if blog.contains("Un billet écrit dans le navigateur") {
                break;
            }
            assert!(Instant::now() < deadline, "not on /blog/:\n{blog}");
            std::thread::sleep(Duration::from_millis(100));
        }

        // A person's record: one field changed, one line of the file.
        let person = site
            .path()
            .join("content/people/2024-01-01-camille-besnard.md");
        let before = std::fs::read_to_string(&person).unwrap();
        client
            .goto(&format!("{admin}#/collections/people"))
            .await
            .unwrap();
        find(&client, "//a[contains(., 'Camille Besnard')]")
            .await
            .click()
            .await
            .unwrap();
        wait_until(
            &client,
            "return document.body.innerText",
            "shows the record",
            |v| {
                v.as_str()
                    .is_some_and(|t| t.contains("Camille aime les outils simples"))
            },
        )
        .await;
        let title = find(&client, "//input[starts-with(@id,'title-field')]").await;
        title.click().await.unwrap();
        title.send_keys("\u{E009}a\u{E009}").await.unwrap();
        title.send_keys("Développeuse principale").await.unwrap();
        publish(&client).await;
        let after = wait_for_file("the record", || {
            std::fs::read_to_string(&person)
                .ok()
                .filter(|t| *t != before)
        });
        let changed: Vec<(&str, &str)> = before
            .lines()
            .zip(after.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(before.lines().count(), after.lines().count(), "{after}");
        assert_eq!(
            changed,
            [(
                "title: \"Développeuse\"",
                "title: \"Développeuse principale\""
            )],
            "{after}"
        );
        client.close().await.unwrap();
    });
}
