//! Social cards: the picture a page gives social networks (`og:image`), cropped around its centre
//! to 1200×630, the proportions X, LinkedIn and Facebook show without cutting it themselves, and
//! saved as JPEG, which they all read. Made only for the pictures a template asks a card of
//! (`resize_image(path=…, format="card")`), kept in `.gazette-cache/images/cards/` under a stamp
//! of the source (path, size, time), so that a warm build reads no photo.

use super::codec::{Format, Picture};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// The size networks show.
pub(crate) const CARD_WIDTH: u32 = 1200;
pub(crate) const CARD_HEIGHT: u32 = 630;

/// Changed whenever the cards gazette makes change: every cached card is then made again.
const CARD_VERSION: u32 = 1;

/// The crop of a `w`×`h` picture with the card's proportions, around its centre: (x, y, width,
/// height).
fn crop_of(w: u32, h: u32) -> (u32, u32, u32, u32) {
    let (w64, h64) = (u64::from(w), u64::from(h));
    let (cw, ch) = (u64::from(CARD_WIDTH), u64::from(CARD_HEIGHT));
    if w64 * ch > h64 * cw {
        // Wider than a card: the sides go.
        let width = u32::try_from(h64 * cw / ch).unwrap_or(w).clamp(1, w);
        ((w - width) / 2, 0, width, h)
    } else {
        let height = u32::try_from(w64 * ch / cw).unwrap_or(h).clamp(1, h);
        (0, (h - height) / 2, w, height)
    }
}

/// The size of the card of a `w`×`h` picture: its crop, made no wider than 1200 pixels (never
/// enlarged).
pub(crate) fn card_size(w: u32, h: u32) -> (u32, u32) {
    let (_, _, width, height) = crop_of(w, h);
    if width <= CARD_WIDTH {
        return (width, height);
    }
    (
        CARD_WIDTH,
        super::codec::scaled_height(width, height, CARD_WIDTH),
    )
}

/// The output path of the card of the picture at `source_output` (`img/a.jpg` → `img/a.card.jpg`).
pub(crate) fn card_output_path(source_output: &str) -> String {
    format!("{}.card.jpg", super::rewrite::output_stem(source_output))
}

/// The source output path a card's output path comes from, without its extension
/// (`img/a.card.jpg` → `img/a`).
pub(crate) fn card_source_stem(card_output: &str) -> Option<&str> {
    card_output.strip_suffix(".card.jpg")
}

/// The card of the picture in `source`: the cached file, or made now and kept in the cache.
pub(crate) fn make_card(
    source: &Path,
    format: Format,
    quality: u8,
    cache_root: &Path,
) -> Result<PathBuf, String> {
    let meta = std::fs::metadata(source).map_err(|e| e.to_string())?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (CARD_VERSION, source, meta.len(), modified, quality).hash(&mut hasher);
    format.extension().hash(&mut hasher);
    let folder = cache_root.join("cards");
    let card = folder.join(format!("{:016x}.jpg", hasher.finish()));
    if card.is_file() {
        return Ok(card);
    }
    let bytes = std::fs::read(source).map_err(|e| e.to_string())?;
    let picture = Picture::decode(&bytes)?;
    drop(bytes);
    let (w, h) = picture.size();
    let (x, y, width, height) = crop_of(w, h);
    let (card_width, _) = card_size(w, h);
    let cropped = picture.cropped(x, y, width, height).scaled(card_width)?;
    let encoded = cropped.encode(Format::Jpeg, quality)?;
    std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
    // Written whole then renamed: a build interrupted here leaves no half card.
    static MAKERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let maker = MAKERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temp = card.with_extension(format!("part-{}-{maker}", std::process::id()));
    std::fs::write(&temp, encoded).map_err(|e| e.to_string())?;
    std::fs::rename(&temp, &card).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        e.to_string()
    })?;
    Ok(card)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_keep_the_centre_with_the_networks_proportions() {
        assert_eq!(crop_of(2400, 1260), (0, 0, 2400, 1260));
        // Too tall: top and bottom go.
        assert_eq!(crop_of(1200, 1200), (0, 285, 1200, 630));
        // Too wide: the sides go.
        assert_eq!(crop_of(4000, 1050), (1000, 0, 2000, 1050));
        assert_eq!(card_size(4000, 3000), (1200, 630));
        // Never enlarged.
        assert_eq!(card_size(600, 600), (600, 315));
        assert_eq!(card_output_path("img/a b.jpeg"), "img/a b.card.jpg");
        assert_eq!(card_source_stem("img/a b.card.jpg"), Some("img/a b"));
    }
}
