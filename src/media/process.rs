//! One source picture made into its published copies, once: the copies are kept in the site's
//! cache folder under a key made of the source's bytes and the settings, so that a second build
//! reads a small manifest instead of decoding a photo.

use super::codec::{Format, Picture};
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// Changed whenever the copies gazette makes change (resizing filter, encoder settings): every
/// cached copy is then made again.
const CODEC_VERSION: u32 = 3;

/// The settings a copy depends on.
#[derive(Debug, Clone, Hash)]
pub(crate) struct Settings {
    /// Widths to make (never wider than the source).
    pub(crate) widths: Vec<u32>,
    /// Quality of lossy copies.
    pub(crate) quality: u8,
}

/// A source picture and its copies, as the manifest in the cache records them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Processed {
    /// Width of the source, upright.
    pub(crate) width: u32,
    /// Height of the source, upright.
    pub(crate) height: u32,
    /// The copies, narrowest first: WebP at each width, the source's format at the widest.
    pub(crate) copies: Vec<Copy>,
    /// The source without its metadata (a JPEG's EXIF, XMP, IPTC), published in its place: the
    /// file name in the cache folder.
    #[serde(default)]
    pub(crate) stripped: Option<String>,
    /// The cache folder holding them (not stored: it is where the manifest was read).
    #[serde(skip)]
    pub(crate) folder: PathBuf,
}

/// One published copy.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Copy {
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// `webp`, `jpg` or `png`.
    pub(crate) extension: String,
    /// Its weight in bytes.
    pub(crate) bytes: u64,
}

impl Copy {
    /// Its file name in the cache folder.
    pub(crate) fn file_name(&self) -> String {
        format!("{}.{}", self.width, self.extension)
    }
}

/// What happened to one picture.
pub(crate) enum Outcome {
    /// The copies were in the cache.
    Cached(Processed),
    /// The copies were made now.
    Made(Processed),
}

/// The copies of the picture in `source` (format `format`), from the cache under `cache_root`
/// or made now and stored there. The error is a sentence about the picture (it cannot be read,
/// it is not an image).
pub(crate) fn process(
    source: &Path,
    format: Format,
    settings: &Settings,
    cache_root: &Path,
) -> Result<Outcome, String> {
    // A source whose size and modification time are those of the last build is not read again:
    // its key is remembered beside the copies (a warm build of 100 MB of photos reads none).
    let stamp = Stamp::of(source, format, settings);
    if let Some(stamp) = &stamp
        && let Some(processed) = stamp.remembered(cache_root)
    {
        return Ok(Outcome::Cached(processed));
    }
    let bytes = std::fs::read(source).map_err(|e| e.to_string())?;
    let key = format!("{:016x}", key(&bytes, format, settings));
    let folder = cache_root.join(&key);
    if let Some(processed) = read_manifest(&folder) {
        if let Some(stamp) = &stamp {
            stamp.remember(cache_root, &key);
        }
        return Ok(Outcome::Cached(processed));
    }
    let picture = Picture::decode(&bytes)?;
    // Two pages may show the same bytes under two names, and a preview may run beside a build:
    // each maker writes its own folder, and the first complete one stays.
    static MAKERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let maker = MAKERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temp = folder.with_extension(format!("part-{}-{maker}", std::process::id()));
    let _ = std::fs::remove_dir_all(&temp);
    std::fs::create_dir_all(&temp).map_err(|e| e.to_string())?;
    let stripped = match format {
        Format::Jpeg => super::strip::stripped_jpeg(&bytes),
        Format::Png | Format::Webp => None,
    };
    let stripped = match stripped {
        Some(clean) => {
            std::fs::write(temp.join(STRIPPED), clean).map_err(|e| e.to_string())?;
            Some(STRIPPED.to_string())
        }
        None => None,
    };
    drop(bytes);
    let (width, height) = picture.size();
    let mut copies = Vec::new();
    // Largest first, each copy scaled from the previous one: far less work than from the source.
    let mut current: Option<Picture> = None;
    for target in widths_for(width, &settings.widths).into_iter().rev() {
        let scaled = match &current {
            Some(previous) => previous.scaled(target)?,
            None => picture.scaled(target)?,
        };
        let (w, h) = scaled.size();
        let own = own_format(format);
        // WebP at every width; the source's own format once, at the widest, for the `src` that
        // browsers without WebP load.
        let formats: &[Format] = if current.is_none() {
            &[Format::Webp, own]
        } else {
            &[Format::Webp]
        };
        for &copy_format in formats {
            let encoded = scaled.encode(copy_format, settings.quality)?;
            let copy = Copy {
                width: w,
                height: h,
                extension: copy_format.extension().to_string(),
                bytes: encoded.len() as u64,
            };
            std::fs::write(temp.join(copy.file_name()), &encoded).map_err(|e| e.to_string())?;
            copies.push(copy);
        }
        current = Some(scaled);
    }
    copies.sort_by_key(|c| c.width);
    let processed = Processed {
        width,
        height,
        copies,
        stripped,
        folder: folder.clone(),
    };
    let manifest = serde_json::to_vec(&processed).map_err(|e| e.to_string())?;
    std::fs::write(temp.join(MANIFEST), manifest).map_err(|e| e.to_string())?;
    // Renamed whole: an interrupted build leaves a `.part-…` folder, never a half-filled entry.
    if let Some(made_meanwhile) = read_manifest(&folder) {
        let _ = std::fs::remove_dir_all(&temp);
        return Ok(Outcome::Made(made_meanwhile));
    }
    let _ = std::fs::remove_dir_all(&folder);
    if let Err(error) = std::fs::rename(&temp, &folder) {
        let _ = std::fs::remove_dir_all(&temp);
        return read_manifest(&folder)
            .map(Outcome::Made)
            .ok_or_else(|| error.to_string());
    }
    if let Some(stamp) = &stamp {
        stamp.remember(cache_root, &key);
    }
    Ok(Outcome::Made(processed))
}

/// The format of the copy made for browsers without WebP: the source's, JPEG for a WebP source.
pub(crate) fn own_format(format: Format) -> Format {
    match format {
        Format::Webp => Format::Jpeg,
        other => other,
    }
}

const MANIFEST: &str = "manifest.json";
const STRIPPED: &str = "source.jpg";

/// A source file as the file system describes it (path, size, modification time) with the
/// settings: the name of a small file in `stamps/` holding the key of its copies.
struct Stamp(String);

impl Stamp {
    fn of(source: &Path, format: Format, settings: &Settings) -> Option<Stamp> {
        let meta = std::fs::metadata(source).ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        CODEC_VERSION.hash(&mut hasher);
        source.hash(&mut hasher);
        meta.len().hash(&mut hasher);
        modified.as_nanos().hash(&mut hasher);
        format.extension().hash(&mut hasher);
        settings.hash(&mut hasher);
        Some(Stamp(format!("{:016x}", hasher.finish())))
    }

    /// The copies recorded for this stamp, when they are still in the cache.
    fn remembered(&self, cache_root: &Path) -> Option<Processed> {
        let key = std::fs::read_to_string(cache_root.join("stamps").join(&self.0)).ok()?;
        let key = key.trim();
        if key.len() != 16 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        read_manifest(&cache_root.join(key))
    }

    /// Records that this stamp's copies are under `key` (a cache that cannot be written only
    /// costs a re-read next time).
    fn remember(&self, cache_root: &Path, key: &str) {
        let folder = cache_root.join("stamps");
        let _ = std::fs::create_dir_all(&folder);
        let _ = std::fs::write(folder.join(&self.0), key);
    }
}

/// The entry in `folder`, when it is complete.
fn read_manifest(folder: &Path) -> Option<Processed> {
    let bytes = std::fs::read(folder.join(MANIFEST)).ok()?;
    let mut processed: Processed = serde_json::from_slice(&bytes).ok()?;
    let complete = processed
        .copies
        .iter()
        .map(Copy::file_name)
        .chain(processed.stripped.clone())
        .all(|name| folder.join(name).is_file());
    if !complete {
        return None;
    }
    processed.folder = folder.to_path_buf();
    Some(processed)
}

/// The widths made from a picture `width` pixels wide: the configured ones narrower than it, and
/// the picture's own width when it is narrower than the widest configured one.
pub(crate) fn widths_for(width: u32, configured: &[u32]) -> Vec<u32> {
    let widest = configured.iter().copied().max().unwrap_or(width);
    let mut widths: Vec<u32> = configured.iter().copied().filter(|&w| w < width).collect();
    widths.push(width.min(widest));
    widths.sort_unstable();
    widths.dedup();
    widths
}

/// The cache key of a source: its bytes, its format and the settings.
fn key(bytes: &[u8], format: Format, settings: &Settings) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    CODEC_VERSION.hash(&mut hasher);
    format.extension().hash(&mut hasher);
    settings.hash(&mut hasher);
    bytes.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::widths_for;

    #[test]
    fn widths_never_enlarge() {
        assert_eq!(widths_for(4000, &[480, 960, 1600]), vec![480, 960, 1600]);
        assert_eq!(widths_for(700, &[480, 960, 1600]), vec![480, 700]);
        assert_eq!(widths_for(300, &[480, 960, 1600]), vec![300]);
        assert_eq!(widths_for(960, &[480, 960, 1600]), vec![480, 960]);
    }
}
