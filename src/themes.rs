//! The themes embedded in the binary, so that `gazette init` and `gazette import` can give a new
//! site a theme to build with.

use std::path::Path;

/// The files of one theme: each one's path in the theme's folder, and its bytes.
pub(crate) type ThemeFiles = &'static [(&'static str, &'static [u8])];

// `THEMES`, written by build.rs from the folders of themes/.
include!(concat!(env!("OUT_DIR"), "/themes.rs"));

/// The names of the themes built into gazette.
pub(crate) const BUILTIN: &[&str] = &["default", "dsfr"];

/// True when a theme of that name is built into gazette.
pub(crate) fn is_builtin(name: &str) -> bool {
    BUILTIN.contains(&name)
}

/// The files of the built-in theme `name`, relative to its folder.
pub(crate) fn files(name: &str) -> &'static [(&'static str, &'static [u8])] {
    THEMES
        .iter()
        .find(|(theme, _)| *theme == name)
        .map_or(&[], |(_, files)| *files)
}

/// Writes the built-in theme `name` into `folder` (a copy kept in the site's cache, so that a site
/// without a themes/ folder builds): only the files whose bytes differ, so a rebuild writes
/// nothing. Files are written through a temporary file renamed into place.
pub(crate) fn materialize(name: &str, folder: &Path) -> std::io::Result<()> {
    for (relative, bytes) in files(name) {
        let path = folder.join(relative);
        if std::fs::read(&path).is_ok_and(|old| old == *bytes) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let temp = path.with_extension("gazette-tmp");
        std::fs::write(&temp, bytes)?;
        std::fs::rename(&temp, &path)?;
    }
    Ok(())
}

/// Every file of `themes/default`, relative to that folder, with its bytes.
pub(crate) const FILES: &[(&str, &[u8])] = THEMES[0].1;

#[cfg(test)]
mod tests {
    #[test]
    fn the_built_in_themes_are_the_folders_of_themes() {
        let names: Vec<&str> = super::THEMES.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, super::BUILTIN);
        assert_eq!(super::THEMES[0].0, "default");
    }

    #[test]
    fn every_theme_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        for entry in walkdir::WalkDir::new(&root)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            let rel = entry
                .path()
                .strip_prefix(&root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            assert!(
                super::FILES.iter().any(|(name, _)| *name == rel),
                "add {rel} to src/themes.rs"
            );
        }
    }
}
