//! UTF-8 checks of whole pages and sources (the one module that knows `simdutf8`). A build checks
//! every source it reads and every page it renders, some of them more than once; on French text
//! the standard check leaves its ASCII fast path at every accent, and was 8% of a build's
//! processor time on the 10,000-post bench (perf).

/// `bytes` as text, when they are valid UTF-8.
pub(crate) fn as_str(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

/// `bytes` as a `String`, when they are valid UTF-8; else the standard error, which says where
/// the text stops being valid. A valid text is copied once (a copy costs less than the standard
/// check it spares).
pub(crate) fn into_string(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    match simdutf8::basic::from_utf8(&bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => String::from_utf8(bytes),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn valid_text_comes_back_and_invalid_text_says_where_it_stops() {
        let text = "Un été à Noël : « déjà » 🎉\n".repeat(100);
        assert_eq!(super::as_str(text.as_bytes()), Some(text.as_str()));
        assert_eq!(
            super::into_string(text.clone().into_bytes()).ok(),
            Some(text)
        );
        let mut bad = "abcdé".as_bytes().to_vec();
        bad.push(0xff);
        assert_eq!(super::as_str(&bad), None);
        let error = super::into_string(bad)
            .err()
            .map(|e| e.utf8_error().valid_up_to());
        assert_eq!(error, Some(6));
    }
}
