//! `gazette records split COLLECTION` and `gazette records join COLLECTION`: a collection's
//! records moved from one data file keyed by name (`layout: map`) to one Markdown file per record
//! (`layout: files`, what the browser editor can edit), and back. Keys stay as they are, so every
//! reference between records stays right; a record's fields keep their lines as written
//! (comments, quotes); its page keeps its address (the file keeps its name, a record without one
//! gets its key's slug, as its address already had). site.yml is changed on the collection's
//! lines only.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Rule};
use crate::msg;
use crate::site::BuildOptions;
use crate::source::config::{Config, RecordLayout};
use crate::source::yaml::quoted;

/// What a conversion did.
#[derive(Debug, Clone)]
pub struct Converted {
    /// Records moved.
    pub records: usize,
    /// The folder of the record files.
    pub folder: PathBuf,
    /// The data file (removed by `split`, written by `join`).
    pub data_file: PathBuf,
}

fn problem(file: &Path, message: crate::diagnostic::Text) -> Vec<Diagnostic> {
    vec![Diagnostic::error(Rule::New, file, message)]
}

/// The collection `name` of the site, loaded, with its settings.
fn loaded(
    root: &Path,
    name: &str,
    layout: RecordLayout,
) -> Result<(Config, crate::site::Collection), Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let Some(settings) = config.collections.get(name) else {
        let known: Vec<&str> = config.collections.keys().map(String::as_str).collect();
        return Err(vec![
            Diagnostic::error(
                Rule::New,
                crate::source::config::FILE_NAME,
                msg!("site.yml has no collection of `{kind}`", kind = name),
            )
            .help(msg!(
                "name one of the collections of site.yml: {known}",
                known = known.join(", ")
            )),
        ]);
    };
    if settings.layout != layout {
        let message = match layout {
            RecordLayout::Map => msg!("`{name}` is already written one file per record", name),
            RecordLayout::Files => msg!("`{name}` is already written as one data file", name),
        };
        return Err(problem(
            Path::new(crate::source::config::FILE_NAME),
            message,
        ));
    }
    let (site, problems) = crate::site::load(root, &BuildOptions::default());
    let Some(site) = site else {
        return Err(problems);
    };
    let collection = site
        .collections
        .into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            problem(
                Path::new(crate::source::config::FILE_NAME),
                msg!("site.yml has no collection of `{kind}`", kind = name),
            )
        })?;
    Ok((config, collection))
}

fn write(root: &Path, file: &Path, text: &str) -> Result<(), Vec<Diagnostic>> {
    let target = root.join(file);
    if let Some(parent) = target.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    std::fs::write(&target, text).map_err(|e| {
        problem(
            file,
            msg!("cannot write {file}: {e}", file = file.display(), e),
        )
    })
}

/// The lines of a record under its key in a data file, without their indentation.
fn record_block(text: &str, key_line: usize) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(first) = lines.get(key_line.saturating_sub(1)) else {
        return Vec::new();
    };
    let base = first.len() - first.trim_start().len();
    let mut block: Vec<&str> = Vec::new();
    for line in lines.iter().skip(key_line) {
        let indent = line.len() - line.trim_start().len();
        if !line.trim().is_empty() && indent <= base {
            break;
        }
        block.push(line);
    }
    while block.last().is_some_and(|l| l.trim().is_empty()) {
        block.pop();
    }
    let inner = block
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    block
        .iter()
        .map(|l| l.get(inner..).unwrap_or("").to_string())
        .collect()
}

/// The front-matter lines and the rest (from the closing `---`) of a Markdown file.
fn split_file(text: &str) -> (Vec<String>, String) {
    let lines: Vec<&str> = text.split('\n').collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return (Vec::new(), format!("---\n{text}"));
    }
    match lines.iter().skip(1).position(|l| l.trim_end() == "---") {
        Some(close) => (
            lines[1..=close].iter().map(|l| l.to_string()).collect(),
            lines[close + 1..].join("\n"),
        ),
        None => (Vec::new(), format!("---\n{text}")),
    }
}

/// `site.yml`'s text with the setting `from` of the collection `name` replaced by `to` (lines
/// `key: value` at the collection's own indentation), `extra` lines added after it.
fn edit_site_yml(text: &str, name: &str, from: &str, to: &[String]) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let collections = lines.iter().position(|l| l.trim_end() == "collections:")?;
    let start = (collections + 1..lines.len()).find(|&i| {
        let l = lines[i];
        l.starts_with(' ')
            && crate::source::yaml::key_of_line(l).as_deref() == Some(name)
            && l.trim_end().ends_with(':')
    })?;
    let base = lines[start].len() - lines[start].trim_start().len();
    let mut at = None;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let indent = line.len() - line.trim_start().len();
        if !line.trim().is_empty() && indent <= base {
            break;
        }
        if crate::source::yaml::key_of_line(line).as_deref() == Some(from) {
            at = Some((i, indent));
            break;
        }
    }
    let (line, indent) = at?;
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let replacement: Vec<String> = to
        .iter()
        .map(|t| format!("{}{t}", " ".repeat(indent)))
        .collect();
    out.splice(line..=line, replacement);
    Some(out.join("\n") + "\n")
}

/// `gazette records split NAME`: one Markdown file per record.
pub fn split(root: &Path, name: &str) -> Result<Converted, Vec<Diagnostic>> {
    let (_, collection) = loaded(root, name, RecordLayout::Map)?;
    let settings = &collection.config;
    let bodies = settings.bodies.clone().unwrap_or_else(|| name.to_string());
    let folder = Path::new(crate::source::layout::CONTENT).join(&bodies);
    let data_file = collection.file.clone();
    let data_text = std::fs::read_to_string(root.join(&data_file)).unwrap_or_default();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for record in &collection.records {
        let key_line = format!("{}: {}", settings.body_key, quoted(&record.key));
        let fields = record_block(&data_text, record.line);
        let (file, front_rest, rest) = match &record.body_file {
            Some(file) => {
                let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
                let (front, rest) = split_file(&text);
                let others: Vec<String> = front
                    .into_iter()
                    .filter(|l| {
                        crate::source::yaml::key_of_line(l).as_deref()
                            != Some(settings.body_key.as_str())
                    })
                    .collect();
                (file.clone(), others, rest)
            }
            None => {
                let file = folder.join(format!("{}.md", crate::text::slug::slugify(&record.key)));
                if root.join(&file).exists() || files.iter().any(|(f, _)| *f == file) {
                    return Err(problem(
                        &file,
                        msg!("{file} already exists", file = file.display()),
                    ));
                }
                (file, Vec::new(), "---\n".to_string())
            }
        };
        let mut text = format!("---\n{key_line}\n");
        for line in fields.iter().chain(&front_rest) {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str(&rest);
        files.push((file, text));
    }
    let yml =
        std::fs::read_to_string(root.join(crate::source::config::FILE_NAME)).unwrap_or_default();
    let mut settings_lines = vec!["layout: files".to_string()];
    if settings.bodies.is_none() {
        settings_lines.push(format!("bodies: {bodies}"));
    }
    let Some(new_yml) = edit_site_yml(&yml, name, "data", &settings_lines) else {
        return Err(problem(
            Path::new(crate::source::config::FILE_NAME),
            msg!("cannot find `collections.{name}.data` in site.yml", name),
        ));
    };
    for (file, text) in &files {
        write(root, file, text)?;
    }
    write(root, Path::new(crate::source::config::FILE_NAME), &new_yml)?;
    let _ = std::fs::remove_file(root.join(&data_file));
    Ok(Converted {
        records: files.len(),
        folder,
        data_file,
    })
}

/// `gazette records join NAME`: one data file keyed by name.
pub fn join(root: &Path, name: &str) -> Result<Converted, Vec<Diagnostic>> {
    let (_, collection) = loaded(root, name, RecordLayout::Files)?;
    let settings = &collection.config;
    let data_name = format!("{name}.yml");
    let data_file = crate::source::layout::data_folder().join(&data_name);
    if root.join(&data_file).exists() {
        return Err(problem(
            &data_file,
            msg!("{file} already exists", file = data_file.display()),
        ));
    }
    let mut data = String::new();
    let mut bodies: Vec<(PathBuf, Option<String>)> = Vec::new();
    for record in &collection.records {
        let Some(own) = &record.own_file else {
            continue;
        };
        let text = std::fs::read_to_string(root.join(&own.file)).unwrap_or_default();
        let (front, rest) = split_file(&text);
        data.push_str(&format!("{}:\n", quoted(&record.key)));
        for line in front.iter().filter(|l| {
            l.starts_with([' ', '\t', '-'])
                || crate::source::yaml::key_of_line(l).as_deref()
                    != Some(settings.body_key.as_str())
        }) {
            if line.trim().is_empty() {
                data.push('\n');
            } else {
                data.push_str(&format!("  {line}\n"));
            }
        }
        data.push('\n');
        let body = rest.strip_prefix("---").unwrap_or(&rest);
        let stem = own
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let keep = !body.trim().is_empty() || stem != crate::text::slug::slugify(&record.key);
        let kept = keep.then(|| {
            format!(
                "---\n{}: {}\n{rest}",
                settings.body_key,
                quoted(&record.key)
            )
        });
        bodies.push((own.file.clone(), kept));
    }
    let yml =
        std::fs::read_to_string(root.join(crate::source::config::FILE_NAME)).unwrap_or_default();
    let Some(new_yml) = edit_site_yml(&yml, name, "layout", &[format!("data: {data_name}")]) else {
        return Err(problem(
            Path::new(crate::source::config::FILE_NAME),
            msg!("cannot find `collections.{name}.layout` in site.yml", name),
        ));
    };
    write(
        root,
        &data_file,
        &(data.trim_end_matches('\n').to_string() + "\n"),
    )?;
    for (file, kept) in &bodies {
        match kept {
            Some(text) => write(root, file, text)?,
            None => {
                let _ = std::fs::remove_file(root.join(file));
            }
        }
    }
    write(root, Path::new(crate::source::config::FILE_NAME), &new_yml)?;
    let folder =
        Path::new(crate::source::layout::CONTENT).join(settings.bodies.as_deref().unwrap_or(name));
    Ok(Converted {
        records: bodies.len(),
        folder,
        data_file,
    })
}
