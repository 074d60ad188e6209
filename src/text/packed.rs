//! Text kept compressed in memory (LZ4; the one module that knows `lz4_flex`): a site of many
//! posts keeps their HTML this way between loading and rendering (1.15 GB of it at 100,000
//! posts, about a third of that packed).

/// `text`, compressed.
pub(crate) fn pack(text: &str) -> Vec<u8> {
    // lz4_flex leaves the room the worst case would take (more than the text itself), and a
    // site keeps its posts packed until they are rendered: a copy of the right size is kept.
    lz4_flex::compress_prepend_size(text.as_bytes())
        .as_slice()
        .to_vec()
}

/// The text [`pack`] compressed into `bytes`.
pub(crate) fn unpack(bytes: &[u8]) -> String {
    // Only ever given what `pack` made from a `str` in this process: neither step can fail.
    unpack_checked(bytes).unwrap_or_default()
}

/// The text [`pack`] compressed into `bytes`; None when they are not such text.
pub(crate) fn unpack_checked(bytes: &[u8]) -> Option<String> {
    lz4_flex::decompress_size_prepended(bytes)
        .ok()
        .and_then(|text| super::utf8::into_string(text).ok())
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_comes_back_as_it_was() {
        for text in ["", "é", &"<p>Bonjour à tous&nbsp;!</p>\n".repeat(500)] {
            let packed = super::pack(text);
            assert_eq!(super::unpack(&packed), text);
        }
        assert!(super::pack(&"<p>abc</p>".repeat(1000)).len() < 1000);
    }

    #[test]
    fn packed_text_takes_no_more_room_than_its_bytes() {
        let packed = super::pack(&"<p>Bonjour à tous&nbsp;!</p>\n".repeat(500));
        assert_eq!(packed.capacity(), packed.len());
    }
}
