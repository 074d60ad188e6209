//! Code highlighting with syntect (CSS classes, bundled syntaxes), memoized in memory and in a cache file between builds.

use crate::text::escape::escape_html_into;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

pub(crate) const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The theme of the CSS the default theme ships (`highlight_css`, checked by a test).
#[cfg(test)]
pub(crate) const HIGHLIGHT_THEME: &str = "InspiredGitHub";

/// CSS for the `hl-` classes produced by code highlighting (InspiredGitHub, a light theme), each
/// colour darkened as little as needed to be readable (4.5:1) on the code blocks' backgrounds.
#[cfg(test)]
pub(crate) fn highlight_css() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let css = themes
        .themes
        .get(HIGHLIGHT_THEME)
        .and_then(|theme| syntect::html::css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
        .unwrap_or_default();
    readable(&css)
}

/// The backgrounds code blocks have in the built-in themes (the default theme's `--c-bg-alt`,
/// DSFR's grey 975): highlight colours must be readable on each.
#[cfg(test)]
const CODE_BACKGROUNDS: [&str; 2] = ["#f4f6fa", "#f6f6f6"];

/// `css` with each rule's `color` darkened until it reaches 4.5:1 on the rule's own background,
/// or on every code block background when the rule has none.
#[cfg(test)]
fn readable(css: &str) -> String {
    use crate::text::colour::{MIN_TEXT_CONTRAST, Rgb};
    let mut out = String::with_capacity(css.len());
    for rule in css.split_inclusive('}') {
        let colour_of = |property: &str| {
            rule.lines()
                .find_map(|l| l.trim().strip_prefix(property))
                .and_then(|v| Rgb::parse(v.trim_end_matches(';')))
        };
        let backgrounds: Vec<Rgb> = match colour_of("background-color:") {
            Some(own) => vec![own],
            None => CODE_BACKGROUNDS
                .iter()
                .filter_map(|c| Rgb::parse(c))
                .collect(),
        };
        let Some(colour) = colour_of("color:") else {
            out.push_str(rule);
            continue;
        };
        let mut readable = colour;
        for background in &backgrounds {
            readable = readable.darkened_for(*background, MIN_TEXT_CONTRAST);
        }
        out.push_str(&rule.replace(
            &format!("color: {}", colour.hex()),
            &format!("color: {}", readable.hex()),
        ));
    }
    out
}

pub(crate) fn syntax_set() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The syntax for a fence token (`rust`, `python`, `yml`, `sh`…), if syntect knows it.
pub(crate) fn find_syntax(token: &str) -> Option<&'static SyntaxReference> {
    if token.is_empty() {
        return None;
    }
    let lower = token.to_ascii_lowercase();
    let token = match lower.as_str() {
        "text" | "txt" | "plain" | "plaintext" | "none" => return None,
        "shell" | "bash" | "zsh" | "console" | "shellsession" | "shell-session" => "sh",
        "python3" | "py3" => "py",
        "javascript" | "node" | "mjs" | "cjs" => "js",
        "golang" => "go",
        "c++" => "cpp",
        "jsonc" | "json5" => "json",
        "rs" => "rust",
        other => other,
    };
    syntax_set().find_syntax_by_token(token)
}

/// Highlighted code blocks by hash of (syntax, language, code), with whether this build used them.
/// syntect with the pure-Rust regex engine takes milliseconds per block, more than the rest of a
/// post: a block seen before (in this process or, through [`load_highlight_cache`], in the last
/// build) is not highlighted again.
pub(crate) type Memo = std::sync::Mutex<HashMap<u64, (std::sync::Arc<str>, bool)>>;

/// True once a block was highlighted that the memo did not hold: the saved cache is then out of
/// date.
static HIGHLIGHTED_ANEW: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub(crate) fn memo() -> &'static Memo {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    MEMO.get_or_init(Default::default)
}

pub(crate) fn memo_key(code: &str, syntax: &SyntaxReference, lang: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (code, &syntax.name, lang).hash(&mut hasher);
    hasher.finish()
}

/// The highlighted HTML of `code`, from the memo when it was highlighted before; its memo key
/// is added to `keys`.
pub(crate) fn highlight_memoized(
    code: &str,
    syntax: &'static SyntaxReference,
    lang: &str,
    keys: &mut Vec<u64>,
) -> Option<String> {
    let key = memo_key(code, syntax, lang);
    keys.push(key);
    let from_memo = || {
        let mut memo = memo().lock().ok()?;
        let (html, used) = memo.get_mut(&key)?;
        *used = true;
        Some(html.to_string())
    };
    if let Some(html) = from_memo() {
        return Some(html);
    }
    if load_pending_cache()
        && let Some(html) = from_memo()
    {
        return Some(html);
    }
    let html = highlight(code, syntax, lang)?;
    if let Ok(mut memo) = memo().lock() {
        memo.insert(key, (std::sync::Arc::from(html.as_str()), true));
        HIGHLIGHTED_ANEW.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    Some(html)
}

/// Marks the blocks of `keys` as used by this build, so the saved cache keeps them: a post whose
/// body came whole from the cache of bodies highlights nothing, yet its blocks are in use.
pub(crate) fn mark_used(keys: &[u64]) {
    if keys.is_empty() {
        return;
    }
    let Ok(mut pending) = PENDING.lock() else {
        return;
    };
    if pending.file.is_some() {
        pending.marked.extend_from_slice(keys);
        return;
    }
    if let Ok(mut memo) = memo().lock() {
        for key in keys {
            if let Some((_, used)) = memo.get_mut(key) {
                *used = true;
            }
        }
    }
}

/// The version of the highlight cache format and of what produces it: a cache written by another
/// version of gazette is ignored.
pub(crate) const CACHE_MAGIC: &str = concat!(
    "gazette-highlight-cache ",
    env!("CARGO_PKG_VERSION"),
    " v3\n"
);

/// The cache file of the site being loaded, read only when a block is missing from the memo: a
/// build whose bodies all come from the cache of bodies highlights nothing, and reading the file
/// (186 MB on the 100,000-post bench, kept in memory twice while read) would be for nothing.
/// Blocks marked used before it is read are marked once it is.
struct Pending {
    file: Option<std::path::PathBuf>,
    marked: Vec<u64>,
}

static PENDING: std::sync::Mutex<Pending> = std::sync::Mutex::new(Pending {
    file: None,
    marked: Vec::new(),
});

/// Names the cache file of the site about to be loaded; it is read at the first block the memo
/// lacks (see [`Pending`]).
pub(crate) fn highlight_cache_at(file: &std::path::Path) {
    if let Ok(mut pending) = PENDING.lock() {
        pending.file = Some(file.to_path_buf());
        pending.marked.clear();
    }
}

/// Empties the memo, and forgets the cache file, once a build has loaded its site (bodies of
/// `render: tera` posts included) and saved the cache: the memo of a first build of 100,000 posts
/// held 186 MB through the whole render. The only blocks highlighted after that are those of
/// pages rendered with tera then Markdown, which a build never saved (it saves before rendering):
/// they are highlighted anew rather than looked for in the whole file.
pub(crate) fn forget_highlights() {
    if let Ok(mut memo) = memo().lock() {
        *memo = HashMap::new();
    }
    if let Ok(mut pending) = PENDING.lock() {
        pending.file = None;
        pending.marked = Vec::new();
    }
}

/// Reads the pending cache file into the memo, once; true when it did. The lock is held while
/// reading, so no mark is lost to a memo half filled.
fn load_pending_cache() -> bool {
    let Ok(mut pending) = PENDING.lock() else {
        return false;
    };
    let Some(file) = pending.file.take() else {
        return false;
    };
    if let Ok(bytes) = std::fs::read(&file) {
        load_highlight_cache(&bytes);
    }
    let marked = std::mem::take(&mut pending.marked);
    drop(pending);
    mark_used(&marked);
    true
}

/// Fills the highlight memo from bytes written by [`highlight_cache_bytes`]; anything unreadable
/// is ignored (the cache only saves time).
pub(crate) fn load_highlight_cache(bytes: &[u8]) {
    let Some((_, mut rest)) = split_index(bytes) else {
        return;
    };
    let Ok(mut memo) = memo().lock() else { return };
    while rest.len() >= 12 {
        let (head, tail) = rest.split_at(12);
        let key = u64::from_le_bytes([
            head[0], head[1], head[2], head[3], head[4], head[5], head[6], head[7],
        ]);
        let len = u32::from_le_bytes([head[8], head[9], head[10], head[11]]) as usize;
        if tail.len() < len {
            return;
        }
        let (html, tail) = tail.split_at(len);
        if let Some(html) = crate::text::utf8::as_str(html) {
            memo.entry(key)
                .or_insert_with(|| (std::sync::Arc::from(html), false));
        }
        rest = tail;
    }
}

/// The file's index (the keys of its blocks) and its blocks: after [`CACHE_MAGIC`], the number of
/// blocks (u32), their keys (u64 each), then each block (key u64, length u32, HTML). None for a
/// file of another version, or cut short in its index.
fn split_index(bytes: &[u8]) -> Option<(Vec<u64>, &[u8])> {
    let rest = bytes.strip_prefix(CACHE_MAGIC.as_bytes())?;
    let (count, rest) = rest.split_first_chunk::<4>()?;
    let count = u32::from_le_bytes(*count) as usize;
    let (index, blocks) = rest.split_at_checked(count.checked_mul(8)?)?;
    let keys = index
        .chunks_exact(8)
        .map(|k| u64::from_le_bytes([k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]]))
        .collect();
    Some((keys, blocks))
}

/// The keys of the blocks in the cache file at `file`, read from its index alone.
fn cached_keys(file: &std::path::Path) -> Option<Vec<u64>> {
    use std::io::Read;
    let mut reader = std::fs::File::open(file).ok()?;
    let size = reader.metadata().ok()?.len();
    let mut head = vec![0; CACHE_MAGIC.len() + 4];
    reader.read_exact(&mut head).ok()?;
    if !head.starts_with(CACHE_MAGIC.as_bytes()) {
        return None;
    }
    let count = u32::from_le_bytes(*head.last_chunk::<4>()?) as usize;
    // The index is read only as far as the file goes: a doctored count asks for no more memory.
    let length = count.checked_mul(8)?;
    if (head.len() + length) as u64 > size {
        return None;
    }
    let mut index = vec![0; length];
    reader.read_exact(&mut index).ok()?;
    head.extend_from_slice(&index);
    split_index(&head).map(|(keys, _)| keys)
}

/// True when the pending cache file was never read (no block was missing), its index names only
/// blocks in use, and none was highlighted anew (by the preview, between loads): it is up to date
/// and is left as it is (no longer pending). A file of another version, or cut short, is removed:
/// it would be read at every build for nothing.
fn up_to_date_unread() -> bool {
    let Ok(mut pending) = PENDING.lock() else {
        return false;
    };
    let Some(file) = pending.file.clone() else {
        return false;
    };
    let keys = cached_keys(&file);
    if keys.is_none() && std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file()) {
        let _ = std::fs::remove_file(&file);
    }
    let anew = HIGHLIGHTED_ANEW.load(std::sync::atomic::Ordering::Relaxed);
    let marked: std::collections::HashSet<&u64> = pending.marked.iter().collect();
    let current = !anew && keys.is_some_and(|keys| keys.iter().all(|k| marked.contains(k)));
    if current {
        pending.file = None;
        pending.marked = Vec::new();
    }
    current
}

/// The highlighted blocks used since the last call, to save for the next build; forgets the others
/// so the cache never grows past what the site uses. None when that is what was loaded or saved
/// last (no block highlighted anew, none left unused): the cache on disk is up to date, and
/// writing it again (18 MB on the 10,000-post bench) would only cost time and memory.
pub(crate) fn highlight_cache_bytes() -> Option<Vec<u8>> {
    if up_to_date_unread() {
        if let Ok(mut memo) = memo().lock() {
            memo.values_mut().for_each(|(_, used)| *used = false);
        }
        return None;
    }
    // Read now when it was not, to keep only the blocks in use.
    load_pending_cache();
    let mut memo = memo().lock().ok()?;
    let unused = memo.values().any(|(_, used)| !*used);
    let anew = HIGHLIGHTED_ANEW.swap(false, std::sync::atomic::Ordering::Relaxed);
    if !anew && !unused {
        for (_, used) in memo.values_mut() {
            *used = false;
        }
        return None;
    }
    memo.retain(|_, (_, used)| *used);
    let mut keys: Vec<&u64> = memo.keys().collect();
    keys.sort();
    let mut out = CACHE_MAGIC.as_bytes().to_vec();
    out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
    for key in &keys {
        out.extend_from_slice(&key.to_le_bytes());
    }
    for key in keys {
        let (html, _) = &memo[key];
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&(html.len() as u32).to_le_bytes());
        out.extend_from_slice(html.as_bytes());
    }
    for (_, used) in memo.values_mut() {
        *used = false;
    }
    Some(out)
}

/// The opening `<pre>` tag of a code block in language `lang` (may be empty): reachable with the
/// keyboard (a long line scrolls sideways, and a keyboard user must be able to scroll it) and
/// named for screen readers ("Code rust"), as a group so the name is allowed.
pub(crate) fn pre_start(lang: &str, class: &str) -> String {
    let mut html = String::with_capacity(80 + 2 * lang.len());
    html.push_str("<pre");
    if !class.is_empty() {
        html.push_str(" class=\"");
        html.push_str(class);
        html.push('"');
    }
    if !lang.is_empty() {
        html.push_str(" data-lang=\"");
        escape_html_into(&mut html, lang);
        html.push('"');
    }
    html.push_str(" tabindex=\"0\" role=\"group\" aria-label=\"Code");
    if !lang.is_empty() {
        html.push(' ');
        escape_html_into(&mut html, lang);
    }
    html.push_str("\">");
    html
}

/// Highlighted `<pre>` block, or `None` if syntect fails in any way.
pub(crate) fn highlight(
    code: &str,
    syntax: &'static SyntaxReference,
    lang: &str,
) -> Option<String> {
    // syntect has internal `unwrap`s; a panic there must not take a whole
    // build down, so it degrades to plain code like any other error.
    let body = catch_unwind(AssertUnwindSafe(|| {
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, syntax_set(), CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }))
    .ok()
    .flatten()?;
    let mut html = String::with_capacity(body.len() + lang.len() + 64);
    html.push_str(&pre_start(lang, "code"));
    html.push_str("<code>");
    html.push_str(&body);
    html.push_str("</code></pre>\n");
    Some(html)
}
