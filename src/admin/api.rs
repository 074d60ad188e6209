//! The local backend of Decap CMS, as `decap-server` (package `decap-server`,
//! `src/middlewares/localFs`) implements it: `POST /api/v1` with `{"action": …, "params": …}`
//! for `info`, `entriesByFolder`, `entriesByFiles`, `getEntry`, `persistEntry`, `getMedia`,
//! `getMediaFile`, `persistMedia`, `deleteFile`, `deleteFiles` and `getDeployPreview`, over the
//! files of the site folder. Differences, on purpose: only paths under `content/` and the
//! editor's pictures folder are served ([`super::paths`]); every save is checked as a build
//! would check it first (by the check the caller gives) and refused with the build's messages; a saved
//! file is changed only where its values changed ([`super::patch`]); files are written whole
//! (temporary file, then renamed).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::admin::paths::{Refused, allowed};
use crate::diagnostic::{Diagnostic, Lang};

/// One change a save makes: a path relative to the site, and its new bytes (None: removed).
pub(crate) type Change = (PathBuf, Option<Vec<u8>>);

/// The build's verdict on a save: its errors, if any.
pub(crate) type Check<'a> = &'a dyn Fn(&[Change]) -> Result<(), Vec<Diagnostic>>;

/// What the API needs to know about the site it edits.
pub(crate) struct Site<'a> {
    /// The site folder (resolved).
    pub(crate) root: &'a Path,
    /// The language of the messages.
    pub(crate) lang: Lang,
    /// The build's errors if `changes` were made (checked before anything is written).
    pub(crate) check: Check<'a>,
}

/// An answer: HTTP status and JSON body.
pub(crate) type Answer = (u16, Value);

/// Answers one request of the editor.
pub(crate) fn handle(site: &Site, body: &[u8]) -> Answer {
    let lang = site.lang;
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return error(422, "the request is not JSON");
    };
    let Some(action) = request.get("action").and_then(Value::as_str) else {
        return error(422, "the request names no action");
    };
    let params = request.get("params").cloned().unwrap_or(Value::Null);
    let config = match crate::source::config::Config::load(site.root) {
        Ok(config) => config,
        Err(problems) => {
            let text = crate::diagnostic::render_text(&problems, site.root, lang);
            return error(500, &text);
        }
    };
    let media = crate::admin::decap::media_folders(&config).0;
    let ctx = Ctx { site, media, lang };
    let result = match action {
        "info" => Ok(json!({
            "repo": site.root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            "publish_modes": ["simple"],
            "type": "local_fs",
        })),
        "entriesByFolder" => ctx.entries_by_folder(&params),
        "entriesByFiles" => ctx.entries_by_files(&params),
        "getEntry" => ctx.path(&params["path"]).map(|p| ctx.entry(&p, None)),
        "persistEntry" => ctx.persist_entry(&params),
        "getMedia" => ctx.get_media(&params),
        "getMediaFile" => ctx
            .path(&params["path"])
            .and_then(|p| ctx.media_file(&p).ok_or_else(|| not_found(&p))),
        "persistMedia" => ctx.persist_media(&params),
        "deleteFile" => ctx.delete(&[params["path"].clone()]),
        "deleteFiles" => ctx.delete(params["paths"].as_array().map_or(&[][..], Vec::as_slice)),
        "getDeployPreview" => Ok(Value::Null),
        other => Err(error(422, &format!("Unknown action {other}"))),
    };
    match result {
        Ok(value) => (200, value),
        Err(answer) => answer,
    }
}

fn error(status: u16, message: &str) -> Answer {
    (status, json!({ "error": message }))
}

fn not_found(path: &Path) -> Answer {
    error(404, &format!("no file {}", path.display()))
}

/// The hash naming a file's version (decap-server uses SHA-256; any stable digest will do: it
/// only tells versions apart).
fn version_id(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{:016x}{:08x}", hasher.finish(), bytes.len())
}

struct Ctx<'a> {
    site: &'a Site<'a>,
    media: String,
    lang: Lang,
}

impl Ctx<'_> {
    /// A path the editor sends, if it may be used.
    fn path(&self, value: &Value) -> Result<PathBuf, Answer> {
        let text = value.as_str().unwrap_or("");
        allowed(self.site.root, &self.media, text).map_err(|Refused| {
            let message = crate::msg!(
                "refused: {path} is outside the site's content and pictures",
                path = text
            );
            error(403, &message.in_lang(self.lang))
        })
    }

    /// `{data, file: {path, label, id}}`, with `data: null` for a file that cannot be read.
    fn entry(&self, path: &Path, label: Option<&Value>) -> Value {
        let shown = path.to_string_lossy().replace('\\', "/");
        match std::fs::read(self.site.root.join(path)) {
            Ok(bytes) => json!({
                "data": String::from_utf8_lossy(&bytes),
                "file": {"path": shown, "label": label, "id": version_id(&bytes)},
            }),
            Err(_) => json!({"data": null, "file": {"path": shown, "label": label, "id": null}}),
        }
    }

    fn entries_by_folder(&self, params: &Value) -> Result<Value, Answer> {
        let folder = self.path(&params["folder"])?;
        let extension = params["extension"].as_str().unwrap_or("");
        let depth = params["depth"].as_u64().unwrap_or(1);
        let mut files = Vec::new();
        list(self.site.root, &folder, extension, depth, &mut files);
        files.sort();
        Ok(Value::Array(
            files.iter().map(|f| self.entry(f, None)).collect(),
        ))
    }

    fn entries_by_files(&self, params: &Value) -> Result<Value, Answer> {
        let files = params["files"].as_array().map_or(&[][..], Vec::as_slice);
        let mut entries = Vec::new();
        for file in files {
            let path = self.path(&file["path"])?;
            entries.push(self.entry(&path, file.get("label")));
        }
        Ok(Value::Array(entries))
    }

    fn media_file(&self, path: &Path) -> Option<Value> {
        let bytes = std::fs::read(self.site.root.join(path)).ok()?;
        Some(json!({
            "id": version_id(&bytes),
            "content": crate::text::base64::encode(&bytes),
            "encoding": "base64",
            "path": path.to_string_lossy().replace('\\', "/"),
            "name": path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        }))
    }

    fn get_media(&self, params: &Value) -> Result<Value, Answer> {
        let folder = self.path(&params["mediaFolder"])?;
        let mut files = Vec::new();
        list(self.site.root, &folder, "", 1, &mut files);
        files.sort();
        Ok(Value::Array(
            files.iter().filter_map(|f| self.media_file(f)).collect(),
        ))
    }

    /// The bytes of an asset `{path, content, encoding: base64}`, with its path checked.
    fn asset(&self, asset: &Value) -> Result<(PathBuf, Vec<u8>), Answer> {
        let path = self.path(&asset["path"])?;
        let content = asset["content"].as_str().unwrap_or("");
        let bytes = crate::text::base64::decode(content)
            .ok_or_else(|| error(422, "the file's content is not base64"))?;
        Ok((path, bytes))
    }

    fn persist_media(&self, params: &Value) -> Result<Value, Answer> {
        let (path, bytes) = self.asset(&params["asset"])?;
        self.write_all(vec![(path.clone(), Some(bytes))])?;
        self.media_file(&path).ok_or_else(|| not_found(&path))
    }

    fn persist_entry(&self, params: &Value) -> Result<Value, Answer> {
        let data_files: Vec<Value> = match params.get("dataFiles").and_then(Value::as_array) {
            Some(files) => files.clone(),
            None => vec![params["entry"].clone()],
        };
        let mut changes: Vec<Change> = Vec::new();
        for file in &data_files {
            let path = self.path(&file["path"])?;
            let raw = file["raw"].as_str().unwrap_or("");
            let old = std::fs::read_to_string(self.site.root.join(&path)).ok();
            let text = match &old {
                Some(old) => crate::admin::patch::minimal_edit(old, raw),
                None => raw.to_string(),
            };
            match file.get("newPath").and_then(Value::as_str) {
                Some(_) => {
                    let new_path = self.path(&file["newPath"])?;
                    changes.push((path, None));
                    changes.push((new_path, Some(text.into_bytes())));
                }
                None => changes.push((path, Some(text.into_bytes()))),
            }
        }
        for asset in params["assets"].as_array().map_or(&[][..], Vec::as_slice) {
            let (path, bytes) = self.asset(asset)?;
            changes.push((path, Some(bytes)));
        }
        self.write_all(changes)?;
        Ok(json!({"message": "entry persisted"}))
    }

    fn delete(&self, paths: &[Value]) -> Result<Value, Answer> {
        let mut changes: Vec<Change> = Vec::new();
        for path in paths {
            changes.push((self.path(path)?, None));
        }
        let shown: Vec<String> = changes
            .iter()
            .map(|(p, _)| p.display().to_string())
            .collect();
        self.write_all(changes)?;
        Ok(json!({"message": format!("deleted files {}", shown.join(", "))}))
    }

    /// Checks `changes` as a build would, then makes them; refused with the build's messages.
    fn write_all(&self, changes: Vec<Change>) -> Result<(), Answer> {
        let site = self.site;
        if let Err(problems) = (site.check)(&changes) {
            let text = crate::diagnostic::render_text(&problems, site.root, self.lang);
            let refused = crate::msg!("Not saved: the build would refuse it.").in_lang(self.lang);
            return Err(error(422, &format!("{refused}\n{text}")));
        }
        for (path, bytes) in changes {
            let target = site.root.join(&path);
            let done = match bytes {
                Some(bytes) => write_whole(&target, &bytes),
                None => match std::fs::remove_file(&target) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                },
            };
            if let Err(e) = done {
                let message = crate::msg!("cannot write {file}: {e}", file = path.display(), e);
                return Err(error(500, &message.in_lang(self.lang)));
            }
        }
        Ok(())
    }
}

/// Writes `bytes` at `target` through a temporary file in the same folder, renamed over it.
fn write_whole(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = target.with_file_name(format!(".{name}.gazette-admin.tmp"));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, target).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// The files of `folder` (relative to `root`) ending with `extension`, `depth` levels down, links
/// and hidden names left out.
fn list(root: &Path, folder: &Path, extension: &str, depth: u64, out: &mut Vec<PathBuf>) {
    if depth == 0 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if name.starts_with('.') || kind.is_symlink() {
            continue;
        }
        let path = folder.join(&name);
        if kind.is_dir() {
            list(root, &path, extension, depth - 1, out);
        } else if name.ends_with(extension) {
            out.push(path);
        }
    }
}
