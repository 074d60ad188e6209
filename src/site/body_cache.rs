//! The posts' rendered bodies kept between builds, in `.gazette-cache/bodies.bin`: rendering
//! Markdown is most of the time a large site takes to load, and a post whose text did not change
//! renders to the same HTML.
//!
//! An entry is found by a hash of all that rendering reads (the Markdown text and its options;
//! the file holds the gazette version that wrote it) and its bytes are checked when read back:
//! an entry gives what that text renders to, or nothing. The file is a log: a body rendered anew
//! is appended at once (memory never holds the entries), and the file is written again without
//! the entries no post used when they are most of it. Anything unreadable is a miss: the cache
//! only saves time.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use super::fields::{RenderedBody, rendered_body};
use crate::markdown::{Heading, MarkdownOptions, Typography};
use crate::text::hash::{check_of, key_of};

/// Where the bodies are kept, in the site folder.
pub(crate) const BODY_CACHE: &str = ".gazette-cache/bodies.bin";

/// The first bytes of the file: a file written by another version of gazette is started again.
const MAGIC: &str = concat!("gazette-body-cache ", env!("CARGO_PKG_VERSION"), " v3\n");

/// An entry's head: its key (16 bytes), the length of its content (4) and its check (8).
const HEAD: usize = 28;

/// Where an entry lies in the file, and whether this build used it.
struct Slot {
    offset: u64,
    len: u32,
    check: u64,
    used: AtomicBool,
}

/// The cache of one site, open while it loads.
pub(crate) struct BodyCache {
    path: PathBuf,
    /// None when the cache cannot be used (a link in its place, a folder that cannot be written):
    /// every body is then rendered.
    file: Option<File>,
    slots: HashMap<u128, Slot>,
    /// Bytes of the entries a later entry of the same key replaced.
    replaced: u64,
    /// Appends one entry at a time.
    appended: Mutex<Appended>,
}

/// What this build appended.
#[derive(Default)]
struct Appended {
    keys: Vec<u128>,
    /// A write failed: nothing more is appended.
    failed: bool,
}

impl BodyCache {
    /// Opens the cache of the site in `root`, making it when there is none.
    pub(crate) fn open(root: &Path) -> BodyCache {
        let path = root.join(BODY_CACHE);
        let mut cache = BodyCache {
            path,
            file: None,
            slots: HashMap::new(),
            replaced: 0,
            appended: Mutex::new(Appended::default()),
        };
        if let Some(file) = open_file(&cache.path) {
            (cache.slots, cache.replaced) = read_slots(&file);
            cache.file = Some(file);
        }
        cache
    }

    /// The body of Markdown `text` rendered with `options`, its HTML packed: from the cache when
    /// a post had this text before, else rendered (and added to the cache).
    pub(crate) fn rendered(&self, text: &str, options: &MarkdownOptions) -> RenderedBody {
        let key = key_of(&[
            &option_flags(options),
            options.anchor_label.as_bytes(),
            text.as_bytes(),
        ]);
        if let Some(slot) = self.slots.get(&key)
            && let Some(body) = self.file.as_ref().and_then(|f| read_entry(f, slot))
        {
            slot.used.store(true, Ordering::Relaxed);
            crate::markdown::mark_highlights_used(&body.highlighted);
            return body;
        }
        let mut body = rendered_body(text, options);
        body.pack();
        self.append(key, &body);
        body
    }

    fn append(&self, key: u128, body: &RenderedBody) {
        let Some(file) = &self.file else { return };
        let Some(content) = encode(body) else { return };
        let Ok(len) = u32::try_from(content.len()) else {
            return;
        };
        let mut entry = Vec::with_capacity(HEAD + content.len());
        entry.extend_from_slice(&key.to_le_bytes());
        entry.extend_from_slice(&len.to_le_bytes());
        entry.extend_from_slice(&check_of(&content).to_le_bytes());
        entry.extend_from_slice(&content);
        let Ok(mut appended) = self.appended.lock() else {
            return;
        };
        if appended.failed {
            return;
        }
        // One write of the whole entry, at the end (the file is opened to append).
        match (&*file).write_all(&entry) {
            Ok(()) => appended.keys.push(key),
            Err(_) => appended.failed = true,
        }
    }

    /// Once the site is loaded: writes the file again with only the entries this build used
    /// when the others take more room than they do.
    pub(crate) fn finish(&self) {
        let Some(file) = &self.file else { return };
        let Ok(appended) = self.appended.lock() else {
            return;
        };
        let size = |slot: &Slot| HEAD as u64 + u64::from(slot.len);
        let unused: u64 = self.replaced
            + self
                .slots
                .values()
                .filter(|s| !s.used.load(Ordering::Relaxed))
                .map(size)
                .sum::<u64>();
        let end = file.metadata().map_or(0, |m| m.len());
        let live = end.saturating_sub(MAGIC.len() as u64 + unused);
        if appended.failed || unused <= live {
            return;
        }
        let mut keep: std::collections::HashSet<u128> = appended.keys.iter().copied().collect();
        keep.extend(
            self.slots
                .iter()
                .filter(|(_, s)| s.used.load(Ordering::Relaxed))
                .map(|(k, _)| *k),
        );
        let _ = rewrite(&self.path, file, &keep);
    }
}

/// The cache file at `path`, opened to read and append, its head checked (a file from another
/// version, or cut short, is emptied); None when it cannot be used. A link in place of the file
/// or of its folder is never followed: the cache then stays unused.
fn open_file(path: &Path) -> Option<File> {
    let folder = path.parent()?;
    if fs::symlink_metadata(folder).is_ok_and(|m| !m.is_dir()) {
        return None;
    }
    fs::create_dir_all(folder).ok()?;
    if fs::symlink_metadata(folder).is_ok_and(|m| !m.is_dir())
        || fs::symlink_metadata(path).is_ok_and(|m| !m.is_file())
    {
        return None;
    }
    let file = fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .ok()?;
    let mut head = vec![0; MAGIC.len()];
    if read_exact_at(&file, &mut head, 0).is_err() || head != MAGIC.as_bytes() {
        file.set_len(0).ok()?;
        (&file).write_all(MAGIC.as_bytes()).ok()?;
    }
    Some(file)
}

/// Where each entry of `file` lies (the last of each key: an entry found damaged is rendered and
/// appended again), and the bytes of the entries later ones replaced. An entry cut short ends
/// the list, and is cut off the file so that what is appended next can be found.
fn read_slots(file: &File) -> (HashMap<u128, Slot>, u64) {
    let mut slots = HashMap::new();
    let mut replaced = 0;
    let end = file.metadata().map_or(0, |m| m.len());
    let mut offset = MAGIC.len() as u64;
    let mut head = [0u8; HEAD];
    while offset + HEAD as u64 <= end {
        if read_exact_at(file, &mut head, offset).is_err() {
            break;
        }
        let (key, len, check) = parse_head(&head);
        let next = offset + HEAD as u64 + u64::from(len);
        if next > end {
            break;
        }
        let slot = Slot {
            offset: offset + HEAD as u64,
            len,
            check,
            used: AtomicBool::new(false),
        };
        if let Some(earlier) = slots.insert(key, slot) {
            replaced += HEAD as u64 + u64::from(earlier.len);
        }
        offset = next;
    }
    if offset < end {
        let _ = file.set_len(offset);
    }
    (slots, replaced)
}

fn parse_head(head: &[u8; HEAD]) -> (u128, u32, u64) {
    let mut reader = Reader(head);
    let key = reader
        .take(16)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u128::from_le_bytes);
    let len = reader.number().unwrap_or(0);
    let check = reader.number64().unwrap_or(0);
    (key, len, check)
}

/// The body an entry holds, when its bytes are those that were written.
fn read_entry(file: &File, slot: &Slot) -> Option<RenderedBody> {
    let mut content = vec![0; slot.len as usize];
    read_exact_at(file, &mut content, slot.offset).ok()?;
    if check_of(&content) != slot.check {
        return None;
    }
    decode(content)
}

/// Writes the file again with the entries of `keep` only (each once), then puts it in place.
fn rewrite(
    path: &Path,
    file: &File,
    keep: &std::collections::HashSet<u128>,
) -> std::io::Result<()> {
    let (slots, _) = read_slots(file);
    let mut kept: Vec<&Slot> = slots
        .iter()
        .filter(|(key, _)| keep.contains(key))
        .map(|(_, slot)| slot)
        .collect();
    kept.sort_by_key(|slot| slot.offset);
    let temp = path.with_extension(format!("{}.tmp", std::process::id()));
    let mut out = std::io::BufWriter::new(File::create(&temp)?);
    out.write_all(MAGIC.as_bytes())?;
    for slot in kept {
        // The entry with its head, as it was written.
        let mut entry = vec![0; HEAD + slot.len as usize];
        read_exact_at(file, &mut entry, slot.offset - HEAD as u64)?;
        out.write_all(&entry)?;
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    fs::rename(&temp, path).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn read_exact_at(_: &File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// The options rendering reads, but the heading-link label, as bytes for the key.
fn option_flags(options: &MarkdownOptions) -> [u8; 3] {
    let typography = match options.typography {
        Typography::French => 1,
        Typography::English => 2,
        Typography::None => 3,
    };
    [
        typography,
        u8::from(options.highlight),
        u8::from(options.raw_html),
    ]
}

/// A packed body as the bytes of an entry: word count, highlight keys, summary, headings, then
/// the packed HTML.
fn encode(body: &RenderedBody) -> Option<Vec<u8>> {
    let packed = body.packed.as_ref()?;
    let mut out = Vec::with_capacity(packed.len() + body.summary.len() + 64);
    out.extend_from_slice(&(body.word_count as u64).to_le_bytes());
    out.extend_from_slice(&u32::try_from(body.highlighted.len()).ok()?.to_le_bytes());
    for key in &body.highlighted {
        out.extend_from_slice(&key.to_le_bytes());
    }
    put_text(&mut out, &body.summary)?;
    out.extend_from_slice(&u32::try_from(body.toc.len()).ok()?.to_le_bytes());
    for heading in &body.toc {
        out.push(heading.level);
        put_text(&mut out, &heading.id)?;
        put_text(&mut out, &heading.title)?;
    }
    out.extend_from_slice(packed);
    Some(out)
}

fn put_text(out: &mut Vec<u8>, text: &str) -> Option<()> {
    out.extend_from_slice(&u32::try_from(text.len()).ok()?.to_le_bytes());
    out.extend_from_slice(text.as_bytes());
    Some(())
}

/// The body [`encode`] made into `bytes`.
fn decode(bytes: Vec<u8>) -> Option<RenderedBody> {
    let mut reader = Reader(&bytes);
    let word_count = usize::try_from(reader.number64()?).ok()?;
    let blocks = reader.number()?;
    let mut highlighted = Vec::new();
    for _ in 0..blocks {
        highlighted.push(reader.number64()?);
    }
    let summary = reader.text()?;
    let headings = reader.number()?;
    let mut toc = Vec::new();
    for _ in 0..headings {
        let level = *reader.take(1)?.first()?;
        let id = reader.text()?;
        let title = reader.text()?;
        toc.push(Heading { level, id, title });
    }
    // A copy the size of the packed HTML: the entry's room also held the summary and headings
    // (a fifth of it), and a site keeps every packed body until its page is rendered (140 MB
    // at 100,000 posts). Shrinking in place would not free it: allocators keep a block that
    // shrinks by less than half.
    let packed = reader.0.to_vec();
    Some(RenderedBody {
        html: String::new(),
        packed: Some(packed),
        summary,
        toc,
        word_count,
        reading_time: crate::markdown::reading_time(word_count),
        highlighted,
    })
}

/// Reads an entry's content from its start.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(taken)
    }

    fn number64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn number(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn text(&mut self) -> Option<String> {
        let len = self.number()? as usize;
        crate::text::utf8::as_str(self.take(len)?).map(str::to_owned)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn options() -> MarkdownOptions {
        MarkdownOptions {
            typography: Typography::French,
            ..MarkdownOptions::default()
        }
    }

    const TEXT: &str = "# Titre\n\nUn *premier* paragraphe : oui.\n\n## Suite\n\nEt la suite !\n";

    #[test]
    fn a_body_comes_back_from_the_cache_as_it_was_rendered() {
        let site = tempfile::tempdir().unwrap();
        let fresh = rendered_body(TEXT, &options());
        let first = BodyCache::open(site.path());
        let made = first.rendered(TEXT, &options());
        first.finish();
        drop(first);
        let second = BodyCache::open(site.path());
        assert_eq!(second.slots.len(), 1);
        let kept = second.rendered(TEXT, &options());
        for body in [made, kept] {
            assert_eq!(body.full_html(), fresh.html);
            assert_eq!(body.summary, fresh.summary);
            assert_eq!(body.toc, fresh.toc);
            assert_eq!(body.word_count, fresh.word_count);
            assert_eq!(body.reading_time, fresh.reading_time);
            // Kept until the page is rendered: no room beyond the packed bytes.
            let packed = body.packed.as_ref().unwrap();
            assert_eq!(packed.capacity(), packed.len());
        }
        // Other options are another entry.
        let english = MarkdownOptions::default();
        let other = second.rendered(TEXT, &english);
        assert_eq!(other.full_html(), rendered_body(TEXT, &english).html);
    }

    #[test]
    fn a_damaged_entry_is_rendered_again() {
        let site = tempfile::tempdir().unwrap();
        BodyCache::open(site.path()).rendered(TEXT, &options());
        let path = site.path().join(BODY_CACHE);
        let mut bytes = fs::read(&path).unwrap();
        // A byte of the packed HTML changed: its check no longer matches.
        let last = bytes.len() - 2;
        bytes[last] ^= 0x20;
        fs::write(&path, &bytes).unwrap();
        let body = BodyCache::open(site.path()).rendered(TEXT, &options());
        assert_eq!(body.full_html(), rendered_body(TEXT, &options()).html);
        // The body rendered again replaces the damaged entry.
        let again = BodyCache::open(site.path());
        assert_eq!(again.slots.len(), 1);
        assert!(
            again
                .slots
                .values()
                .all(|s| read_entry(again.file.as_ref().unwrap(), s).is_some())
        );
        // A file cut short, or from another version, is no cache at all.
        fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        assert!(BodyCache::open(site.path()).slots.is_empty());
        fs::write(&path, b"gazette-body-cache 0.0.0 v1\n").unwrap();
        assert!(BodyCache::open(site.path()).slots.is_empty());
    }

    #[test]
    fn entries_no_post_uses_leave_when_they_are_most_of_the_file() {
        let site = tempfile::tempdir().unwrap();
        let cache = BodyCache::open(site.path());
        for i in 0..5 {
            cache.rendered(&format!("{TEXT}\n{i}\n"), &options());
        }
        cache.finish();
        drop(cache);
        let cache = BodyCache::open(site.path());
        assert_eq!(cache.slots.len(), 5);
        cache.rendered(&format!("{TEXT}\n0\n"), &options());
        cache.finish();
        drop(cache);
        let cache = BodyCache::open(site.path());
        assert_eq!(cache.slots.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_cache_is_never_followed() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("victim");
        fs::write(&victim, b"keep me").unwrap();
        fs::create_dir_all(site.path().join(".gazette-cache")).unwrap();
        std::os::unix::fs::symlink(&victim, site.path().join(BODY_CACHE)).unwrap();
        let cache = BodyCache::open(site.path());
        let body = cache.rendered(TEXT, &options());
        cache.finish();
        assert_eq!(body.full_html(), rendered_body(TEXT, &options()).html);
        assert_eq!(fs::read(&victim).unwrap(), b"keep me");
    }
}
