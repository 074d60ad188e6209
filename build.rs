//! Lists every file of each theme under themes/ for the binary to embed (src/themes.rs), so that
//! adding a file to a theme, or a vendored asset, needs no hand-kept list; and the files of the
//! vendored Decap CMS editor (src/admin/decap/, served at /admin/ by src/admin/).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=themes");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut code = String::from(
        "/// Every built-in theme: its name and its files (path in its folder, bytes).\n",
    );
    code.push_str("pub(crate) const THEMES: &[(&str, ThemeFiles)] = &[\n");
    for name in &names {
        let folder = root.join(name);
        let mut files = Vec::new();
        walk(&folder, &mut files);
        files.sort();
        let _ = writeln!(code, "    ({name:?}, &[");
        for file in files {
            // Folders are watched by their own entries: a new file in a sub-folder reruns this.
            if let Some(parent) = file.parent() {
                println!("cargo::rerun-if-changed={}", parent.display());
            }
            let relative = file
                .strip_prefix(&folder)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let _ = writeln!(
                code,
                "        ({relative:?}, include_bytes!({:?})),",
                file.display().to_string()
            );
        }
        code.push_str("    ]),\n");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    if let Err(error) = std::fs::write(out.join("themes.rs"), code) {
        println!("cargo::error=cannot write the list of theme files: {error}");
    }
    if let Err(error) = std::fs::write(out.join("decap.rs"), decap_files()) {
        println!("cargo::error=cannot write the list of Decap CMS files: {error}");
    }
}

/// The code listing the scripts of src/admin/decap/ (name, bytes).
fn decap_files() -> String {
    println!("cargo::rerun-if-changed=src/admin/decap");
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/admin/decap");
    let mut files = Vec::new();
    walk(&folder, &mut files);
    files.retain(|f| f.extension().is_some_and(|e| e == "js"));
    files.sort();
    let mut code = String::from(
        "/// The scripts of the vendored Decap CMS (src/admin/decap/): file name, bytes.\n",
    );
    code.push_str("pub(crate) const DECAP_FILES: &[(&str, &[u8])] = &[\n");
    for file in files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            file.display().to_string()
        );
    }
    code.push_str("];\n");
    code
}

/// Every file under `folder`, hidden ones left out.
fn walk(folder: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files);
        } else {
            files.push(path);
        }
    }
}
