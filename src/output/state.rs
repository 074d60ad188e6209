//! What gazette knows of an output folder between builds: the files it wrote there (hash, size,
//! time). Kept under the site's cache folder, keyed by the output folder, never inside the output
//! folder (which is deployed, and may come from anyone in a pull request). Every path read back is
//! checked: relative, made of plain names, inside the output folder.

use crate::diagnostic::Rule;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use super::guard::is_safe_relative;

use crate::diagnostic::Diagnostic;

/// The file older versions of gazette kept inside the output folder. Read once (its paths checked
/// like any other) to recognise a folder gazette built, then removed.
pub(crate) const LEGACY_MANIFEST: &str = ".gazette-manifest";

/// The site's cache folder.
pub(crate) use crate::source::layout::CACHE;

/// What gazette wrote at one path of the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) hash: u64,
    pub(crate) len: u64,
    pub(crate) mtime: i128,
    /// For a file copied from the sources: a stamp of the source as it was (size, time, inode),
    /// so that the next build need not read it again when it did not change; 0 otherwise.
    pub(crate) source: u64,
}

/// The files gazette wrote in an output folder: output path → what it wrote.
pub(crate) type Manifest = HashMap<String, Entry>;

/// Where the manifest of `output` (an absolute path) is kept: the site's cache folder, one file
/// per output folder, named after it so a person can tell them apart.
pub(crate) fn manifest_path(site_root: &Path, output: &Path) -> PathBuf {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    output.hash(&mut hasher);
    let name: String = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(40)
        .collect();
    site_root
        .join(CACHE)
        .join("outputs")
        .join(format!("{name}-{:016x}.tsv", hasher.finish()))
}

/// Parses a manifest; lines that do not parse or whose path is not a safe relative path are
/// dropped (a doctored manifest can only make gazette forget files, never reach others).
pub(crate) fn parse(text: &str) -> Manifest {
    let mut map = HashMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut parts = line.splitn(4, '\t');
        let (Some(hash), Some(len), Some(mtime), Some(path)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        // The time field is `time` or `time/source-stamp` (a copied file).
        let (mtime, source) = match mtime.split_once('/') {
            Some((mtime, source)) => (mtime, u64::from_str_radix(source, 16)),
            None => (mtime, Ok(0)),
        };
        let (Ok(hash), Ok(len), Ok(mtime), Ok(source)) = (
            u64::from_str_radix(hash, 16),
            len.parse(),
            mtime.parse(),
            source,
        ) else {
            continue;
        };
        if is_safe_relative(path) {
            map.insert(
                path.to_string(),
                Entry {
                    hash,
                    len,
                    mtime,
                    source,
                },
            );
        }
    }
    map
}

/// The text of a manifest.
pub(crate) fn render(manifest: &BTreeMap<String, Entry>) -> String {
    let mut text = String::with_capacity(manifest.len() * 80);
    text.push_str(
        "# gazette: files of one output folder from the last build (hash, size, time, path)\n",
    );
    for (path, e) in manifest {
        // Written in place: a line made apart, then copied, took twice as long (100,000 lines).
        let _ = write!(text, "{:016x}\t{}\t{}", e.hash, e.len, e.mtime);
        if e.source != 0 {
            let _ = write!(text, "/{:x}", e.source);
        }
        text.push('\t');
        text.push_str(path);
        text.push('\n');
    }
    text
}

/// The manifest of `output`, if gazette built there before: from the cache, else from the legacy
/// file in the output folder (a regular file only, never a link).
pub(crate) fn read(site_root: &Path, output: &Path) -> Option<Manifest> {
    if let Ok(text) = fs::read_to_string(manifest_path(site_root, output)) {
        return Some(parse(&text));
    }
    let legacy = output.join(LEGACY_MANIFEST);
    let is_file = fs::symlink_metadata(&legacy).is_ok_and(|m| m.file_type().is_file());
    is_file
        .then(|| fs::read_to_string(&legacy).ok())
        .flatten()
        .map(|text| parse(&text))
}

/// True when the cache holds a manifest of `output` ([`read`] without reading it: for an output
/// folder holding none of the files it lists).
pub(crate) fn is_kept(site_root: &Path, output: &Path) -> bool {
    fs::metadata(manifest_path(site_root, output)).is_ok_and(|m| m.is_file())
}

/// Saves the manifest of `output` in the cache (through a temporary file renamed into place).
pub(crate) fn save(
    site_root: &Path,
    output: &Path,
    manifest: &BTreeMap<String, Entry>,
) -> Result<(), Diagnostic> {
    let path = manifest_path(site_root, output);
    let error = |e: std::io::Error| {
        Diagnostic::error(
            Rule::Write,
            &path,
            format!("cannot save what was written in {}: {e}", output.display()),
        )
        .help(crate::msg!(
            "check that you may write in the site's {CACHE}/ folder, then build again",
            CACHE
        ))
    };
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder).map_err(error)?;
    }
    let temp = path.with_extension("tsv.tmp");
    fs::write(&temp, render(manifest)).map_err(error)?;
    fs::rename(&temp, &path).map_err(error)?;
    // The legacy manifest would be deployed with the site: it goes once the cache has its own.
    let legacy = output.join(LEGACY_MANIFEST);
    if fs::symlink_metadata(&legacy).is_ok_and(|m| m.file_type().is_file()) {
        let _ = fs::remove_file(legacy);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_back_stay_inside_the_output_folder() {
        let text = "# header\n\
            0000000000000001\t3\t0\tindex.html\n\
            0000000000000001\t3\t0\t../content/posts/2024-01-15-ecrire.md\n\
            0000000000000001\t3\t0\t/etc/passwd\n\
            0000000000000001\t3\t0\tblog/../../x\n\
            0000000000000001\t3\t0\tC:\\x\n\
            0000000000000001\t3\t0\ta//b\n\
            0000000000000001\t3\t0\t./a\n\
            0000000000000001\t3\t0\tblog/2024/a.html\n\
            not a line\n";
        let manifest = parse(text);
        let mut paths: Vec<&str> = manifest.keys().map(String::as_str).collect();
        paths.sort();
        assert_eq!(paths, ["blog/2024/a.html", "index.html"]);
    }

    #[test]
    fn each_output_folder_has_its_own_manifest_in_the_cache() {
        let site = Path::new("/site");
        let a = manifest_path(site, Path::new("/site/public"));
        let b = manifest_path(site, Path::new("/tmp/public"));
        assert_ne!(a, b);
        assert!(a.starts_with("/site/.gazette-cache/outputs/"));
        assert!(a.to_string_lossy().contains("public-"));
    }

    #[test]
    fn a_manifest_survives_a_round_trip() {
        let mut manifest = BTreeMap::new();
        let entry = Entry {
            hash: 42,
            len: 7,
            mtime: -3,
            source: 0,
        };
        let copied = Entry {
            source: 0xabc,
            ..entry
        };
        manifest.insert("a b/é.html".to_string(), entry);
        manifest.insert("img/a.jpg".to_string(), copied);
        let parsed = parse(&render(&manifest));
        assert_eq!(parsed.get("a b/é.html"), Some(&entry));
        assert_eq!(parsed.get("img/a.jpg"), Some(&copied));
    }
}
