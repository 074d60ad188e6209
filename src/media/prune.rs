//! The image cache emptied of what the site no longer shows, as Hugo's `--gc`: after a complete,
//! successful build, the copies of pictures that build did not publish (a photo removed or
//! replaced) leave `.gazette-cache/images/`.
//!
//! Only what gazette makes there is removed, by its name: a folder of copies named by its 16-hex
//! key holding plain files, a social card `cards/<16-hex>.jpg`, a note `stamps/<16-hex>`
//! pointing to a removed folder. Nothing is followed through a link (a link in the cache, or a
//! cache folder that is a link, is left alone), and nothing outside the cache folder is touched.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use crate::output::guard::{Found, found_at};
use crate::output::{Body, Output};

/// Removes from the cache folder `cache` the entries no output of `outputs` (a complete build's)
/// copies; returns how many copies of pictures were removed (folders and cards).
pub(crate) fn prune(cache: &Path, outputs: &[Output]) -> usize {
    // The cache, and the folder holding it, must be real folders.
    let holder = cache.parent().unwrap_or(cache);
    if found_at(cache) != Found::Folder || found_at(holder) != Found::Folder {
        return 0;
    }
    let mut used_folders: HashSet<String> = HashSet::new();
    let mut used_cards: HashSet<String> = HashSet::new();
    for output in outputs {
        let Body::Copy(path) = &output.body else {
            continue;
        };
        let Ok(inside) = path.strip_prefix(cache) else {
            continue;
        };
        let mut names = inside.iter().map(|n| n.to_string_lossy().into_owned());
        match (names.next(), names.next()) {
            (Some(folder), Some(card)) if folder == CARDS => {
                used_cards.insert(card);
            }
            (Some(folder), Some(_)) => {
                used_folders.insert(folder);
            }
            _ => {}
        }
    }
    let mut removed = 0;
    let Ok(entries) = fs::read_dir(cache) else {
        return 0;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if is_key(&name)
            && !used_folders.contains(&name)
            && found_at(&path) == Found::Folder
            && remove_plain_folder(&path)
        {
            removed += 1;
        }
    }
    let cards = cache.join(CARDS);
    if found_at(&cards) == Found::Folder {
        for entry in fs::read_dir(&cards).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let card = name.strip_suffix(".jpg").is_some_and(is_key);
            if card
                && !used_cards.contains(&name)
                && found_at(&entry.path()) == Found::File
                && fs::remove_file(entry.path()).is_ok()
            {
                removed += 1;
            }
        }
    }
    forget_stamps(cache, &used_folders);
    removed
}

/// The folder of social cards in the cache.
const CARDS: &str = "cards";

/// True for a name gazette gives cache entries: 16 lowercase hex digits.
fn is_key(name: &str) -> bool {
    name.len() == 16 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Removes `folder` when it holds only plain files (what gazette writes in an entry); true when
/// it is gone.
fn remove_plain_folder(folder: &Path) -> bool {
    let Ok(entries) = fs::read_dir(folder) else {
        return false;
    };
    let files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    if files.iter().any(|f| found_at(f) != Found::File) {
        return false;
    }
    files.iter().all(|f| fs::remove_file(f).is_ok()) && fs::remove_dir(folder).is_ok()
}

/// Removes the notes of `stamps/` that point to a folder no longer used.
fn forget_stamps(cache: &Path, used: &HashSet<String>) {
    let stamps = cache.join("stamps");
    if found_at(&stamps) != Found::Folder {
        return;
    }
    for entry in fs::read_dir(&stamps).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_key(&name) || found_at(&entry.path()) != Found::File {
            continue;
        }
        let key = fs::read_to_string(entry.path()).unwrap_or_default();
        if !used.contains(key.trim()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_unused_entries_made_by_gazette_go() {
        let site = tempfile::tempdir().unwrap();
        let cache = site.path().join(".gazette-cache/images");
        let used = cache.join("0123456789abcdef");
        let unused = cache.join("fedcba9876543210");
        for folder in [&used, &unused, &cache.join("cards"), &cache.join("stamps")] {
            fs::create_dir_all(folder).unwrap();
        }
        fs::write(used.join("480w.webp"), "a").unwrap();
        fs::write(unused.join("480w.webp"), "b").unwrap();
        fs::write(unused.join("manifest.json"), "{}").unwrap();
        fs::write(cache.join("cards/00000000000000aa.jpg"), "c").unwrap();
        fs::write(cache.join("cards/00000000000000bb.jpg"), "d").unwrap();
        fs::write(cache.join("stamps/1111111111111111"), "0123456789abcdef").unwrap();
        fs::write(cache.join("stamps/2222222222222222"), "fedcba9876543210").unwrap();
        // Not gazette's: kept.
        fs::write(cache.join("notes.txt"), "mine").unwrap();
        let odd = cache.join("aaaaaaaaaaaaaaaa");
        fs::create_dir_all(odd.join("sub")).unwrap();
        let outputs = [
            Output {
                path: "img/a.480w.webp".into(),
                body: Body::Copy(used.join("480w.webp")),
                source: None,
            },
            Output {
                path: "img/a.card.jpg".into(),
                body: Body::Copy(cache.join("cards/00000000000000aa.jpg")),
                source: None,
            },
        ];
        assert_eq!(prune(&cache, &outputs), 2);
        assert!(used.join("480w.webp").is_file());
        assert!(!unused.exists());
        assert!(cache.join("cards/00000000000000aa.jpg").is_file());
        assert!(!cache.join("cards/00000000000000bb.jpg").exists());
        assert!(cache.join("stamps/1111111111111111").is_file());
        assert!(!cache.join("stamps/2222222222222222").exists());
        assert!(cache.join("notes.txt").is_file());
        assert!(odd.join("sub").is_dir(), "a folder gazette did not make");
        // Nothing used any more: all of gazette's entries go, the rest stays.
        assert_eq!(prune(&cache, &[]), 2);
        assert!(cache.join("notes.txt").is_file());
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_removed_through_a_link() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("0123456789abcdef");
        fs::create_dir_all(&victim).unwrap();
        fs::write(victim.join("480w.webp"), "precious").unwrap();
        fs::write(outside.path().join("00000000000000aa.jpg"), "precious").unwrap();
        // The cache folder itself is a link.
        fs::create_dir_all(site.path().join(".gazette-cache")).unwrap();
        let cache = site.path().join(".gazette-cache/images");
        std::os::unix::fs::symlink(outside.path(), &cache).unwrap();
        assert_eq!(prune(&cache, &[]), 0);
        assert!(victim.join("480w.webp").is_file());
        // A link inside a real cache folder, named as an entry, or as the cards folder.
        fs::remove_file(&cache).unwrap();
        fs::create_dir_all(&cache).unwrap();
        std::os::unix::fs::symlink(&victim, cache.join("fedcba9876543210")).unwrap();
        std::os::unix::fs::symlink(outside.path(), cache.join("cards")).unwrap();
        assert_eq!(prune(&cache, &[]), 0);
        assert!(victim.join("480w.webp").is_file());
        assert!(outside.path().join("00000000000000aa.jpg").is_file());
        // An entry holding a link: left whole.
        fs::remove_file(cache.join("fedcba9876543210")).unwrap();
        let entry = cache.join("fedcba9876543210");
        fs::create_dir_all(&entry).unwrap();
        std::os::unix::fs::symlink(victim.join("480w.webp"), entry.join("480w.webp")).unwrap();
        assert_eq!(prune(&cache, &[]), 0);
        assert!(victim.join("480w.webp").is_file());
    }
}
