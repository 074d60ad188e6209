//! Content hashes (xxh3; the one module that knows `xxhash-rust`): the keys of what is kept
//! between builds, and the checks that what was read back is what was written.

/// A 128-bit hash of `parts` one after the other, each preceded by its length (so that the
/// parts `ab`, `c` and `a`, `bc` differ).
pub(crate) fn key_of(parts: &[&[u8]]) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.digest128()
}

/// A 64-bit check of `bytes`.
pub(crate) fn check_of(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn parts_are_told_apart_by_their_boundaries() {
        assert_ne!(super::key_of(&[b"ab", b"c"]), super::key_of(&[b"a", b"bc"]));
        assert_eq!(super::key_of(&[b"ab", b"c"]), super::key_of(&[b"ab", b"c"]));
        assert_ne!(super::check_of(b"a"), super::check_of(b"b"));
    }
}
