//! The shape of the code, checked: no cycle between the top-level rooms of `src/` (the `use
//! crate::…` graph), no source file over 800 lines, no function over 120 lines.
//!
//! `scripts/arch-check` runs these tests and prints the graph.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 800;
const MAX_FUNCTION_LINES: usize = 120;

fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out.sort();
    out
}

/// The room of a source file: its first folder or file name under `src/` (`src/site/plan.rs` →
/// `site`); None for the crate roots.
fn room_of(path: &Path) -> Option<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let relative = path.strip_prefix(&src).ok()?;
    let first = relative.components().next()?.as_os_str().to_string_lossy();
    let room = first.trim_end_matches(".rs").to_string();
    (room != "lib" && room != "main").then_some(room)
}

/// The code of a file without its `#[cfg(test)]` modules and comments.
fn code_of(text: &str) -> String {
    let without_tests = match text.find("#[cfg(test)]\nmod ") {
        Some(at) => &text[..at],
        None => text,
    };
    without_tests
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The rooms a piece of code names through `crate::room` (in `use` lines and in paths).
fn rooms_named(code: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    named.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                named.insert(name);
            }
        }
    }
    named
}

/// room → rooms it uses.
fn room_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in sources() {
        let Some(room) = room_of(&path) else { continue };
        let code = code_of(&fs::read_to_string(&path).unwrap());
        let uses = graph.entry(room.clone()).or_default();
        uses.extend(rooms_named(&code).into_iter().filter(|r| *r != room));
    }
    graph
}

/// One cycle of the graph, if there is any.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_rooms_of_src_have_no_cycle() {
    let graph = room_graph();
    for (room, uses) in &graph {
        let uses: Vec<&str> = uses.iter().map(String::as_str).collect();
        eprintln!("{room} -> {}", uses.join(", "));
    }
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    eprintln!("{} rooms, {edges} edges", graph.len());
    assert!(graph.len() > 5, "no rooms found under src/");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("the rooms of src/ form a cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    assert_eq!(find_cycle(&graph), None);
    graph.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert_eq!(
        rooms_named("use crate::{site, text::url};\nlet x = crate::render::feed::f();"),
        BTreeSet::from(["render".into(), "site".into(), "text".into()])
    );
}

#[test]
fn no_source_file_is_over_800_lines() {
    let long: Vec<String> = sources()
        .iter()
        .filter_map(|path| {
            let lines = fs::read_to_string(path).unwrap().lines().count();
            (lines > MAX_FILE_LINES).then(|| format!("{} ({lines} lines)", path.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines: {long:#?}"
    );
}

/// Functions (and methods) with their line count, from `fn` to the closing brace at the same
/// indentation (the code is formatted by rustfmt, which `.ci/run` checks).
fn function_lengths(text: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let mut words = trimmed
            .split(|c: char| c.is_whitespace() || c == '(' || c == '<')
            .filter(|w| !w.is_empty());
        let Some(name) = words
            .by_ref()
            .skip_while(|w| {
                w.starts_with("pub") || ["const", "async", "unsafe", "extern"].contains(w)
            })
            .skip_while(|w| *w != "fn")
            .nth(1)
        else {
            continue;
        };
        if !(trimmed.starts_with("fn ")
            || trimmed.starts_with("pub")
            || trimmed.starts_with("const fn")
            || trimmed.starts_with("async fn"))
        {
            continue;
        }
        // The body opens on the first line ending with `{` (signatures may span lines); a
        // declaration without a body ends with `;` first.
        let Some(open) = (i..lines.len()).find(|&j| {
            let l = lines[j].trim_end();
            l.ends_with('{') || l.ends_with(';')
        }) else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') {
            continue;
        }
        if lines[open].trim_end().ends_with('}') {
            continue;
        }
        let close = format!("{indent}}}");
        if let Some(end) = (open + 1..lines.len()).find(|&j| lines[j] == close) {
            out.push((i + 1, name.to_string(), end - i + 1));
        }
    }
    out
}

#[test]
fn no_function_is_over_120_lines() {
    let mut long = Vec::new();
    for path in sources() {
        let text = fs::read_to_string(&path).unwrap();
        for (line, name, count) in function_lengths(&text) {
            if count > MAX_FUNCTION_LINES {
                long.push(format!("{}:{line} {name} ({count} lines)", path.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines: {long:#?}"
    );
}

#[test]
fn function_lengths_are_measured() {
    let text = "fn a() {\n    x();\n}\n\npub(crate) fn b(\n    y: u8,\n) -> u8 {\n    y\n}\n";
    assert_eq!(
        function_lengths(text),
        vec![(1, "a".to_string(), 3), (5, "b".to_string(), 5)]
    );
}
