//! The one file that knows the image crates (`image` to decode and write JPEG/PNG,
//! `fast_image_resize` to scale, `webp` for lossy WebP): bytes of a photo in, bytes of its
//! smaller copies out. Decoding applies the EXIF orientation; encoding writes pixels only, so the
//! published copies carry no metadata (no GPS position, no camera serial number).

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageReader};
use std::io::Cursor;

/// The formats gazette re-encodes; any other file is published as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    /// The format of a file, from its extension (the bytes are checked when decoding).
    pub(crate) fn from_extension(extension: &str) -> Option<Format> {
        match extension.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    /// The extension written for a copy in this format.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }
}

/// A decoded picture, upright, with or without transparency.
pub(crate) struct Picture {
    image: DynamicImage,
}

/// Most pixels a source image may have: a 100-megapixel photo still fits, a forged header
/// announcing a billion pixels is refused before anything is allocated.
const MAX_PIXELS: u64 = 120_000_000;

impl Picture {
    /// Decodes `bytes` and turns the picture upright as its EXIF orientation says.
    pub(crate) fn decode(bytes: &[u8]) -> Result<Picture, String> {
        let reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| e.to_string())?;
        let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
        let (width, height) = decoder.dimensions();
        if u64::from(width) * u64::from(height) > MAX_PIXELS {
            return Err(format!("{width}×{height} pixels is too large"));
        }
        // A broken EXIF block is no reason to refuse the photo: it is then shown as stored.
        let orientation = decoder
            .orientation()
            .unwrap_or(image::metadata::Orientation::NoTransforms);
        let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
        image.apply_orientation(orientation);
        let image = if image.color().has_alpha() && !fully_opaque(&image) {
            DynamicImage::ImageRgba8(image.into_rgba8())
        } else {
            DynamicImage::ImageRgb8(image.into_rgb8())
        };
        Ok(Picture { image })
    }

    /// Width and height, upright.
    pub(crate) fn size(&self) -> (u32, u32) {
        (self.image.width(), self.image.height())
    }

    /// The part of the picture at (`x`, `y`), `width`×`height` pixels.
    pub(crate) fn cropped(&self, x: u32, y: u32, width: u32, height: u32) -> Picture {
        Picture {
            image: self.image.crop_imm(x, y, width, height),
        }
    }

    /// A copy `width` pixels wide, the height keeping the proportions.
    pub(crate) fn scaled(&self, width: u32) -> Result<Picture, String> {
        let (w, h) = self.size();
        if width >= w {
            return Ok(Picture {
                image: self.image.clone(),
            });
        }
        let height = scaled_height(w, h, width);
        let mut target = DynamicImage::new(width, height, self.image.color());
        let options =
            ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
        Resizer::new()
            .resize(&self.image, &mut target, &options)
            .map_err(|e| e.to_string())?;
        Ok(Picture { image: target })
    }

    /// The picture encoded in `format`; `quality` (1–100) for the lossy ones.
    pub(crate) fn encode(&self, format: Format, quality: u8) -> Result<Vec<u8>, String> {
        let (width, height) = self.size();
        match format {
            Format::Webp => {
                let encoder = match &self.image {
                    DynamicImage::ImageRgba8(rgba) => {
                        webp::Encoder::from_rgba(rgba.as_raw(), width, height)
                    }
                    other => match other.as_rgb8() {
                        Some(rgb) => webp::Encoder::from_rgb(rgb.as_raw(), width, height),
                        None => return Err("unexpected pixel layout".into()),
                    },
                };
                let mut config = webp::WebPConfig::new().map_err(|()| "libwebp")?;
                config.quality = f32::from(quality);
                // Method 0, libwebp's fastest: on the programme's 509 photos it halves the first
                // build (6.6 s instead of 14.5 s with method 4, the default) for copies 18% heavier
                // at the same quality setting, still a fraction of the JPEGs they replace.
                config.method = 0;
                config.alpha_compression = 1;
                let memory = encoder
                    .encode_advanced(&config)
                    .map_err(|e| format!("{e:?}"))?;
                Ok(memory.to_vec())
            }
            Format::Jpeg => {
                let mut out = Vec::new();
                let rgb = self.image.to_rgb8();
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
                    .encode_image(&rgb)
                    .map_err(|e| e.to_string())?;
                Ok(out)
            }
            Format::Png => {
                let mut out = Vec::new();
                let encoder = image::codecs::png::PngEncoder::new_with_quality(
                    &mut out,
                    image::codecs::png::CompressionType::Fast,
                    image::codecs::png::FilterType::Adaptive,
                );
                self.image
                    .write_with_encoder(encoder)
                    .map_err(|e| e.to_string())?;
                Ok(out)
            }
        }
    }
}

/// Width and height of the picture in the file at `path` once upright, from its header and EXIF
/// block only: no pixel is decoded, and only the start of the file is read (a template asks the
/// size of a 5 MB photo on every page that shows it).
pub(crate) fn upright_size(path: &std::path::Path) -> Result<(u32, u32), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let reader = ImageReader::new(std::io::BufReader::with_capacity(16 * 1024, file))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (width, height) = decoder.dimensions();
    use image::metadata::Orientation::{Rotate90, Rotate90FlipH, Rotate270, Rotate270FlipH};
    match decoder.orientation() {
        Ok(Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH) => Ok((height, width)),
        _ => Ok((width, height)),
    }
}

/// The height of a `width`-wide copy of a `w`×`h` picture (at least one pixel).
pub(crate) fn scaled_height(w: u32, h: u32, width: u32) -> u32 {
    if w == 0 {
        return h.max(1);
    }
    let exact = u64::from(h) * u64::from(width) + u64::from(w) / 2;
    u32::try_from(exact / u64::from(w))
        .unwrap_or(u32::MAX)
        .max(1)
}

/// Whether every pixel of a picture with an alpha channel is opaque (screenshots saved as RGBA
/// PNG): such a picture is encoded without the channel, smaller.
fn fully_opaque(image: &DynamicImage) -> bool {
    match image {
        DynamicImage::ImageRgba8(rgba) => rgba.pixels().all(|p| p.0[3] == u8::MAX),
        DynamicImage::ImageLumaA8(la) => la.pixels().all(|p| p.0[1] == u8::MAX),
        _ => false,
    }
}

/// A `width`×`height` JPEG whose EXIF block gives `orientation` (tests of other modules).
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) fn test_jpeg(width: u32, height: u32, orientation: u8) -> Vec<u8> {
    let mut plain = Cursor::new(Vec::new());
    DynamicImage::new_rgb8(width, height)
        .write_to(&mut plain, image::ImageFormat::Jpeg)
        .unwrap();
    let plain = plain.into_inner();
    // Start of image, the EXIF block, then the rest.
    let mut bytes = plain[..2].to_vec();
    bytes.extend(super::strip::orientation_block(orientation));
    bytes.extend(&plain[2..]);
    bytes
}
