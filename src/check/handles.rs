//! `handle`: an account name (`rules.posts.handles`, `rules.collections.<name>.handles`) must be
//! the bare name, not an address nor `@name`. Posts and records share the test and the message.

use crate::diagnostic::Text;
use crate::msg;

/// The rule's message: `key` holds `value`, which should be written `handle`.
pub(crate) fn text(key: &str, value: &str, handle: &str) -> (Text, Text) {
    (
        msg!(
            "`{key}` must hold the account name only, not `{value}`",
            key,
            value
        ),
        msg!("write `{key}: {handle}` (no @, no address)", key, handle),
    )
}

/// A handle written as an address or with `@`, and the bare handle it should be.
pub(crate) fn bad_handle(value: &str) -> Option<String> {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    let is_url = lower.starts_with("http")
        || lower.contains("://")
        || lower.starts_with("www.")
        || value.contains('/');
    if !is_url && !value.starts_with('@') {
        return None;
    }
    let handle = value
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(value)
        .trim_start_matches('@');
    Some(
        handle
            .split(['?', '#'])
            .next()
            .unwrap_or(handle)
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles() {
        assert_eq!(bad_handle("camille"), None);
        assert_eq!(bad_handle("@camille").as_deref(), Some("camille"));
        assert_eq!(
            bad_handle("https://twitter.com/camille/").as_deref(),
            Some("camille")
        );
        assert_eq!(
            bad_handle("twitter.com/camille?lang=fr").as_deref(),
            Some("camille")
        );
    }
}
