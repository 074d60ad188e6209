//! The source file itself, published for old links and shares, without what a camera or phone
//! wrote about it: a JPEG's EXIF (GPS position, camera serial number, date), XMP and IPTC blocks
//! and comments are removed without re-encoding (the pixels stay exactly as they were). The
//! orientation alone is kept, in a minimal EXIF block, so that the photo still shows upright.

/// `bytes` (a JPEG) without its metadata, or None when its blocks cannot be walked through (it is
/// then published as it is).
pub(crate) fn stripped_jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut orientation: Option<u8> = None;
    let mut kept: Vec<&[u8]> = Vec::new();
    let mut at = 2;
    loop {
        let marker = *bytes.get(at + 1)?;
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        if marker == 0xFF {
            // Fill byte before a marker.
            at += 1;
            continue;
        }
        if marker == 0xDA {
            // Start of scan: the compressed picture and everything after it are kept as they are.
            break;
        }
        let length = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2)?,
            *bytes.get(at + 3)?,
        ]));
        if length < 2 {
            return None;
        }
        let segment = bytes.get(at..at + 2 + length)?;
        let payload = segment.get(4..).unwrap_or_default();
        match marker {
            // APP1: EXIF (read for the orientation, then dropped) or XMP.
            0xE1 => {
                if let Some(exif) = payload.strip_prefix(b"Exif\0\0") {
                    orientation = image::metadata::Orientation::from_exif_chunk(exif)
                        .map(image::metadata::Orientation::to_exif);
                }
            }
            // APP2–APP15 but APP14 (Adobe colour transform, needed to decode some CMYK files)
            // and APP2's ICC profile (colours): IPTC, Photoshop, maker notes; and comments.
            0xE2 if payload.starts_with(b"ICC_PROFILE\0") => kept.push(segment),
            0xE2..=0xED | 0xEF | 0xFE => {}
            _ => kept.push(segment),
        }
        at += 2 + length;
    }
    if let Some(o) = orientation.filter(|&o| o != 1) {
        out.extend_from_slice(&orientation_block(o));
    }
    for segment in kept {
        out.extend_from_slice(segment);
    }
    out.extend_from_slice(&bytes[at..]);
    Some(out)
}

/// An APP1 EXIF block holding the orientation tag only.
pub(super) fn orientation_block(orientation: u8) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend([0, 1]);
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0]);
    tiff.extend([0, 0, 0, 0]);
    let mut block = vec![0xFF, 0xE1];
    let length = 2 + 6 + tiff.len();
    block.extend(u16::try_from(length).unwrap_or(0).to_be_bytes());
    block.extend(b"Exif\0\0");
    block.extend(tiff);
    block
}
