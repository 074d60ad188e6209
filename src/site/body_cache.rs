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
//!
//! A build of a large site leaves each post's HTML in the file until its page is rendered (see
//! [`Stored`]): the file is locked while it does, and a build that finds it locked (another
//! build of the same site, a preview loading) renders every body itself.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::fields::{Packed, RenderedBody, rendered_body};
use crate::diagnostic::{Diagnostic, Rule};
use crate::markdown::{Heading, MarkdownOptions, Typography};
use crate::text::hash::{check_of, key_of};

/// The posts of `site` whose HTML, left in the cache file, a page wanted and could not read
/// back: each an error, so that the build fails rather than publish pages without their text.
pub(crate) fn unreadable_bodies(site: &super::Site) -> Vec<Diagnostic> {
    site.posts
        .iter()
        .filter(|post| post.body.stored().is_some_and(Stored::was_unreadable))
        .map(|post| {
            Diagnostic::error(
                Rule::Read,
                &post.file,
                crate::msg!("the HTML of this post, kept in {cache} until its page was made, could not be read back", cache = BODY_CACHE),
            )
            .help(crate::msg!("build again; if this happens again, delete the folder .gazette-cache (it only saves time) and build again"))
        })
        .collect()
}

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
    /// None when the cache cannot be used (a link in its place, a folder that cannot be written,
    /// a file another build holds): every body is then rendered.
    file: Option<Arc<Opened>>,
    slots: HashMap<u128, Slot>,
    /// Bytes of the entries a later entry of the same key replaced.
    replaced: u64,
    /// Appends one entry at a time.
    appended: Mutex<Appended>,
    /// Bodies are given with their HTML left in the file (see [`BodyCache::keep_html_in_file`]).
    html_in_file: AtomicBool,
}

/// What this build appended.
#[derive(Default)]
struct Appended {
    keys: Vec<u128>,
    /// A write failed: nothing more is appended.
    failed: bool,
    /// The length of the file: where the next entry goes.
    end: u64,
}

/// The cache file, open (and locked) as long as a body whose HTML is left in it may be read.
#[derive(Debug)]
struct Opened {
    file: File,
    /// False where the file system has no locks (some network ones): the cache is used, but
    /// no HTML is left in it.
    locked: bool,
    /// The entries (where their content starts) a page wanted and that could not be read back.
    unreadable: Mutex<std::collections::HashSet<u64>>,
    /// True once one could not.
    any_unreadable: AtomicBool,
}

/// A post's packed HTML left in the cache file until its page is rendered: at 100,000 posts,
/// the HTML kept in memory was half of what the site took (500 MB), and the file's bytes are
/// in the system's cache already, read when the site loaded. The lock on the file keeps any
/// other gazette from changing it meanwhile; what cannot be read back all the same (a failing
/// disk) fails the build (see [`Stored::was_unreadable`]).
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    opened: Arc<Opened>,
    /// Where the entry's content lies, and its check, as in its head.
    offset: u64,
    len: u32,
    check: u64,
    /// Where the packed HTML starts in the content.
    html_at: u32,
}

impl Stored {
    /// The HTML, read back and checked; empty when it cannot be, which is remembered.
    pub(crate) fn html(&self) -> String {
        match self.read() {
            Some(html) => html,
            None => {
                if let Ok(mut unreadable) = self.opened.unreadable.lock() {
                    unreadable.insert(self.offset);
                }
                self.opened.any_unreadable.store(true, Ordering::Relaxed);
                String::new()
            }
        }
    }

    fn read(&self) -> Option<String> {
        let content = checked_content(&self.opened.file, self.offset, self.len, self.check)?;
        let packed = content.get(self.html_at as usize..)?;
        crate::text::packed::unpack_checked(packed)
    }

    /// True when a page wanted this HTML and it could not be read back: the build must fail
    /// rather than publish the page without its text.
    pub(crate) fn was_unreadable(&self) -> bool {
        self.opened.any_unreadable.load(Ordering::Relaxed)
            && self
                .opened
                .unreadable
                .lock()
                .map_or(true, |unreadable| unreadable.contains(&self.offset))
    }
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
            html_in_file: AtomicBool::new(false),
        };
        if let Some((file, locked)) = open_file(&cache.path) {
            (cache.slots, cache.replaced) = read_slots(&file);
            if let Ok(mut appended) = cache.appended.lock() {
                appended.end = file.metadata().map_or(0, |m| m.len());
            }
            cache.file = Some(Arc::new(Opened {
                file,
                locked,
                unreadable: Mutex::default(),
                any_unreadable: AtomicBool::new(false),
            }));
        }
        cache
    }

    /// From now on, bodies are given with their HTML left in the file (see [`Stored`]) when
    /// `yes`, else with it in memory. A build of a large site asks for the first; the preview,
    /// which keeps its pages for long, for the second.
    pub(crate) fn keep_html_in_file(&self, yes: bool) {
        self.html_in_file.store(yes, Ordering::Relaxed);
    }

    /// The body of Markdown `text` rendered with `options`, its HTML packed: from the cache when
    /// a post had this text before, else rendered (and added to the cache).
    pub(crate) fn rendered(&self, text: &str, options: &MarkdownOptions) -> RenderedBody {
        let key = key_of(&[
            &option_flags(options),
            options.anchor_label.as_bytes(),
            text.as_bytes(),
        ]);
        let in_file = self.html_in_file.load(Ordering::Relaxed)
            && self.file.as_ref().is_some_and(|opened| opened.locked);
        if let Some(slot) = self.slots.get(&key)
            && let Some(opened) = &self.file
            && let Some(body) = read_entry(opened, slot, in_file)
        {
            slot.used.store(true, Ordering::Relaxed);
            crate::markdown::mark_highlights_used(&body.highlighted);
            return body;
        }
        let mut body = rendered_body(text, options);
        body.pack();
        if let Some(stored) = self.append(key, &body)
            && in_file
        {
            body.packed = Some(Packed::Stored(stored));
        }
        body
    }

    /// Appends the entry of `body` under `key`; where it lies when it could be written.
    fn append(&self, key: u128, body: &RenderedBody) -> Option<Stored> {
        let opened = self.file.as_ref()?;
        let (content, html_at) = encode(body)?;
        let len = u32::try_from(content.len()).ok()?;
        let check = check_of(&content);
        let mut entry = Vec::with_capacity(HEAD + content.len());
        entry.extend_from_slice(&key.to_le_bytes());
        entry.extend_from_slice(&len.to_le_bytes());
        entry.extend_from_slice(&check.to_le_bytes());
        entry.extend_from_slice(&content);
        let mut appended = self.appended.lock().ok()?;
        if appended.failed {
            return None;
        }
        // One write of the whole entry, at the end (the file is opened to append, and locked:
        // no other process appends).
        match (&opened.file).write_all(&entry) {
            Ok(()) => {
                appended.keys.push(key);
                let offset = appended.end + HEAD as u64;
                appended.end += entry.len() as u64;
                Some(Stored {
                    opened: Arc::clone(opened),
                    offset,
                    len,
                    check,
                    html_at,
                })
            }
            Err(_) => {
                appended.failed = true;
                None
            }
        }
    }

    /// Once the site is loaded: writes the file again with only the entries this build used
    /// when the others take more room than they do.
    pub(crate) fn finish(&self) {
        let Some(opened) = &self.file else { return };
        let file = &opened.file;
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
        // Bodies whose HTML is left in the file read it from this one, which they hold open:
        // the file put in its place is another.
        let _ = rewrite(&self.path, file, &keep);
    }
}

/// The cache file at `path`, opened to read and append, its head checked (a file from another
/// version, or cut short, is emptied) once it is locked; None when it cannot be used. A link in
/// place of the file or of its folder is never followed, and a file another gazette holds
/// locked (a build of the same site) is left to it: the cache then stays unused. With it, whether
/// this process holds the lock (a file system without locks gives none).
fn open_file(path: &Path) -> Option<(File, bool)> {
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
    let locked = match file.try_lock() {
        Ok(()) => true,
        Err(std::fs::TryLockError::WouldBlock) => return None,
        Err(std::fs::TryLockError::Error(_)) => false,
    };
    let mut head = vec![0; MAGIC.len()];
    if read_exact_at(&file, &mut head, 0).is_err() || head != MAGIC.as_bytes() {
        file.set_len(0).ok()?;
        (&file).write_all(MAGIC.as_bytes()).ok()?;
    }
    Some((file, locked))
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

/// The body an entry holds, when its bytes are those that were written: its HTML left in the
/// file (`in_file`) or in memory.
fn read_entry(opened: &Arc<Opened>, slot: &Slot, in_file: bool) -> Option<RenderedBody> {
    let content = checked_content(&opened.file, slot.offset, slot.len, slot.check)?;
    let (mut body, html_at) = decode(&content)?;
    body.packed = Some(if in_file {
        Packed::Stored(Stored {
            opened: Arc::clone(opened),
            offset: slot.offset,
            len: slot.len,
            check: slot.check,
            html_at: u32::try_from(html_at).ok()?,
        })
    } else {
        // A copy the size of the packed HTML: the entry's room also held the summary and
        // headings (a fifth of it), and a site keeps every packed body until its page is
        // rendered. Shrinking in place would not free it: allocators keep a block that shrinks
        // by less than half.
        Packed::Here(content.get(html_at..)?.to_vec())
    });
    Some(body)
}

/// The `len` bytes of content at `offset` of `file`, when their check is `check`.
fn checked_content(file: &File, offset: u64, len: u32, check: u64) -> Option<Vec<u8>> {
    let mut content = vec![0; len as usize];
    read_exact_at(file, &mut content, offset).ok()?;
    (check_of(&content) == check).then_some(content)
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
/// the packed HTML (where it starts is given with the bytes).
fn encode(body: &RenderedBody) -> Option<(Vec<u8>, u32)> {
    let Some(Packed::Here(packed)) = body.packed.as_ref() else {
        return None;
    };
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
    let html_at = u32::try_from(out.len()).ok()?;
    out.extend_from_slice(packed);
    Some((out, html_at))
}

fn put_text(out: &mut Vec<u8>, text: &str) -> Option<()> {
    out.extend_from_slice(&u32::try_from(text.len()).ok()?.to_le_bytes());
    out.extend_from_slice(text.as_bytes());
    Some(())
}

/// The body [`encode`] made into `bytes`, without its HTML; where the packed HTML starts.
fn decode(bytes: &[u8]) -> Option<(RenderedBody, usize)> {
    let mut reader = Reader(bytes);
    let word_count = usize::try_from(reader.number64()?).ok()?;
    // Room for exactly the counts the entry gives (vectors that grow keep up to twice what
    // they hold: the headings of 100,000 posts took 70 MB), within what its bytes can hold.
    let blocks = reader.number()?;
    let mut highlighted = Vec::with_capacity((blocks as usize).min(reader.0.len() / 8));
    for _ in 0..blocks {
        highlighted.push(reader.number64()?);
    }
    let summary = reader.text()?;
    let headings = reader.number()?;
    // A heading takes 9 bytes at least: its level and the lengths of its two texts.
    let mut toc = Vec::with_capacity((headings as usize).min(reader.0.len() / 9));
    for _ in 0..headings {
        let level = *reader.take(1)?.first()?;
        let id = reader.text()?;
        let title = reader.text()?;
        toc.push(Heading { level, id, title });
    }
    let html_at = bytes.len() - reader.0.len();
    let body = RenderedBody {
        html: String::new(),
        packed: None,
        summary,
        toc,
        word_count,
        reading_time: crate::markdown::reading_time(word_count),
        highlighted,
    };
    Some((body, html_at))
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
            let Some(Packed::Here(packed)) = body.packed.as_ref() else {
                panic!("the HTML is in memory");
            };
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
                .all(|s| read_entry(again.file.as_ref().unwrap(), s, false).is_some())
        );
        // A file cut short, or from another version, is no cache at all.
        fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        assert!(BodyCache::open(site.path()).slots.is_empty());
        fs::write(&path, b"gazette-body-cache 0.0.0 v1\n").unwrap();
        assert!(BodyCache::open(site.path()).slots.is_empty());
    }

    #[test]
    fn html_left_in_the_file_is_read_back_when_a_page_wants_it() {
        let site = tempfile::tempdir().unwrap();
        let fresh = rendered_body(TEXT, &options());
        let first = BodyCache::open(site.path());
        first.keep_html_in_file(true);
        // Rendered now, appended, and read back from where it was appended.
        let made = first.rendered(TEXT, &options());
        let other = first.rendered(&format!("{TEXT}\nEncore.\n"), &options());
        assert!(made.stored().is_some() && other.stored().is_some());
        assert_eq!(made.full_html(), fresh.html);
        assert_eq!(made.summary, fresh.summary);
        first.finish();
        drop(first);
        // While a body reads from the file, the file is locked: another build of the same site
        // renders without it rather than change it under the first.
        let meanwhile = BodyCache::open(site.path());
        assert!(meanwhile.file.is_none());
        meanwhile.keep_html_in_file(true);
        let own = meanwhile.rendered(TEXT, &options());
        assert!(own.stored().is_none());
        assert_eq!(own.full_html(), fresh.html);
        drop((meanwhile, other, made));
        // Found in the file by the next build, and left there.
        let second = BodyCache::open(site.path());
        assert!(second.file.is_some() && second.slots.len() == 2);
        second.keep_html_in_file(true);
        let kept = second.rendered(TEXT, &options());
        assert!(kept.stored().is_some());
        // The unused entry goes: the file is written again and put in place, while `kept`
        // reads the one it holds.
        second.finish();
        assert_eq!(kept.full_html(), fresh.html);
        assert!(!kept.stored().unwrap().was_unreadable());
        drop((second, kept));
        assert_eq!(BodyCache::open(site.path()).slots.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn html_that_cannot_be_read_back_is_never_given_for_the_post_s_own() {
        let site = tempfile::tempdir().unwrap();
        let cache = BodyCache::open(site.path());
        cache.keep_html_in_file(true);
        let body = cache.rendered(TEXT, &options());
        let stored = body.stored().unwrap().clone();
        assert!(!stored.was_unreadable());
        // The lock only keeps other gazettes away: a byte changed by something else...
        let path = site.path().join(BODY_CACHE);
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 2;
        bytes[last] ^= 0x20;
        std::os::unix::fs::FileExt::write_all_at(
            &fs::OpenOptions::new().write(true).open(&path).unwrap(),
            &bytes[last..],
            last as u64,
        )
        .unwrap();
        // ...gives no HTML, and the post is marked for the build to fail.
        assert_eq!(body.full_html(), "");
        assert!(stored.was_unreadable());
        let other = cache.rendered(&format!("{TEXT}\nEncore.\n"), &options());
        assert!(!other.stored().unwrap().was_unreadable());
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
