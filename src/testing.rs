//! Test hooks (fault injection and pauses), compiled into debug builds only: the one place where the test suite reaches inside a build.

use std::sync::atomic::Ordering;

/// Fault injection for the test suite, compiled only into debug builds: the number in env var `name`.
#[cfg(debug_assertions)]
pub(crate) fn test_hook(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.parse().ok()
}

/// `GAZETTE_TEST_AFTER_DISCOVER=FILE` (debug builds): after discovery, creates FILE and waits (at
/// most 30 s) until the test suite removes it, so a test can change the site at that moment.
pub(crate) fn test_pause_after_discovery() {
    test_pause("GAZETTE_TEST_AFTER_DISCOVER");
}

/// `NAME=FILE` (debug builds): creates FILE and waits (at most 30 s) until the test suite removes
/// it (`GAZETTE_TEST_AFTER_STAGING`: the build has begun staging its files).
pub(crate) fn test_pause(name: &str) {
    #[cfg(not(debug_assertions))]
    let _ = name;
    #[cfg(debug_assertions)]
    if let Some(marker) = std::env::var_os(name) {
        let marker = std::path::PathBuf::from(marker);
        if std::fs::write(&marker, b"").is_ok() {
            let started = std::time::Instant::now();
            while marker.exists() && started.elapsed() < std::time::Duration::from_secs(30) {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }
}

/// Release builds have no fault injection.
#[cfg(not(debug_assertions))]
pub(crate) fn test_hook(_name: &str) -> Option<u64> {
    None
}

/// `NAME=FILE` (debug builds): creates FILE, so a test can tell the build reached this point
/// (`GAZETTE_TEST_WRITING`: the files are being moved into place, Ctrl-C is deferred).
pub(crate) fn test_marker(name: &str) {
    #[cfg(debug_assertions)]
    if let Some(marker) = std::env::var_os(name) {
        let _ = std::fs::write(marker, b"");
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}

/// `GAZETTE_TEST_FAIL_WRITE_AFTER=N` (debug builds): files after the N-th fail as on a full disk.
pub(crate) fn injected_fault() -> std::io::Result<()> {
    static WRITTEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    match test_hook("GAZETTE_TEST_FAIL_WRITE_AFTER") {
        Some(limit) if WRITTEN.fetch_add(1, Ordering::SeqCst) >= limit => {
            Err(std::io::Error::from_raw_os_error(28))
        }
        _ => Ok(()),
    }
}
