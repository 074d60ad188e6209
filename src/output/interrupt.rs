//! Ctrl-C and SIGTERM during a write: the write finishes (no truncated file), then the process exits.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set while the output folder is locked and files are being replaced, so Ctrl-C lets the write finish.
pub(crate) static WRITING: AtomicBool = AtomicBool::new(false);

/// Set when Ctrl-C arrived during the write.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Taken by the signal handler and by [`CriticalSection::enter`], so a signal is either before the
/// write (the process exits at once, nothing touched) or inside it (the write finishes first).
pub(crate) static PHASE: Mutex<()> = Mutex::new(());

/// The write phase: from taking the output folder's lock to releasing it. Ctrl-C in it is deferred.
pub(crate) struct CriticalSection(());

impl CriticalSection {
    /// Enters the write phase.
    pub(crate) fn enter() -> CriticalSection {
        let _phase = PHASE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        WRITING.store(true, Ordering::SeqCst);
        CriticalSection(())
    }
}

impl Drop for CriticalSection {
    fn drop(&mut self) {
        WRITING.store(false, Ordering::SeqCst);
    }
}

/// The staging folder of the build under way (see [`super::write::Stage`]): an interrupt before
/// the write removes it, so the output folder is left exactly as it was.
static STAGING: Mutex<Option<std::path::PathBuf>> = Mutex::new(None);

/// A build started staging its files in `folder`.
pub(crate) fn staging_started(folder: &std::path::Path) {
    if let Ok(mut staging) = STAGING.lock() {
        *staging = Some(folder.to_path_buf());
    }
}

/// The staging folder is gone (committed or dropped).
pub(crate) fn staging_ended() {
    if let Ok(mut staging) = STAGING.lock() {
        *staging = None;
    }
}

/// Called from the SIGINT/SIGTERM handler: inside the write phase, records the interruption (the
/// write finishes, then the build exits); before it, runs `exit_now` with the phase held, so the
/// build cannot enter the write phase while the process exits.
pub fn interrupt(exit_now: impl FnOnce()) {
    let _phase = PHASE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if WRITING.load(Ordering::SeqCst) {
        INTERRUPTED.store(true, Ordering::SeqCst);
    } else {
        // Our own folder, made by this build: removing it does not follow links.
        if let Some(folder) = STAGING.lock().ok().and_then(|s| s.clone()) {
            let _ = std::fs::remove_dir_all(folder);
        }
        exit_now();
    }
}
