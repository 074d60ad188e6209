//! Colours written as `#rrggbb`: reading them, and their contrast as WCAG 2 measures it, so that a
//! theme colour chosen in site.yml, or a highlight colour, is checked for legibility (4.5:1 for
//! text).

/// The contrast WCAG 2 (level AA) asks of normal text against its background.
pub(crate) const MIN_TEXT_CONTRAST: f64 = 4.5;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rgb(pub(crate) u8, pub(crate) u8, pub(crate) u8);

impl Rgb {
    /// Reads `#rrggbb` or `#rgb` (case-insensitive); None for anything else.
    pub(crate) fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        match hex.len() {
            6 => Some(Rgb(
                channel(&hex[0..2])?,
                channel(&hex[2..4])?,
                channel(&hex[4..6])?,
            )),
            3 => {
                let double = |i: usize| channel(&hex[i..=i].repeat(2));
                Some(Rgb(double(0)?, double(1)?, double(2)?))
            }
            _ => None,
        }
    }

    /// `#rrggbb`, lower case.
    pub(crate) fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance (WCAG 2), from 0 (black) to 1 (white).
    pub(crate) fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }

    /// The contrast ratio between two colours (1 to 21), whichever is lighter.
    pub(crate) fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (light, dark) = if a > b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }

    /// This colour, darkened step by step (same hue) until its contrast with `background`
    /// reaches `ratio`; black at worst.
    pub(crate) fn darkened_for(self, background: Rgb, ratio: f64) -> Rgb {
        let mut colour = self;
        let mut factor = 1.0_f64;
        while colour.contrast(background) < ratio && factor > 0.0 {
            factor -= 0.01;
            let scale = |c: u8| (f64::from(c) * factor.max(0.0)).round() as u8;
            colour = Rgb(scale(self.0), scale(self.1), scale(self.2));
        }
        colour
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_known_pairs() {
        let white = Rgb(255, 255, 255);
        assert!((Rgb(0, 0, 0).contrast(white) - 21.0).abs() < 0.01);
        // The default theme's accent, documented as 5.5:1 on white.
        let accent = Rgb::parse("#b8430f").unwrap_or(white);
        assert!((accent.contrast(white) - 5.5).abs() < 0.1);
        assert_eq!(Rgb::parse("#FFF"), Some(white));
        assert_eq!(Rgb::parse("blue"), None);
        assert_eq!(Rgb::parse("#12345"), None);
    }

    #[test]
    fn darkening_reaches_the_ratio() {
        let background = Rgb::parse("#f4f6fa").unwrap_or(Rgb(255, 255, 255));
        let grey = Rgb::parse("#969896").unwrap_or(Rgb(0, 0, 0));
        let darker = grey.darkened_for(background, MIN_TEXT_CONTRAST);
        assert!(darker.contrast(background) >= MIN_TEXT_CONTRAST);
        assert!(darker.contrast(background) < 5.0, "no darker than needed");
    }
}
