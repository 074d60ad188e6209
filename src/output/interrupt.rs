//! Ctrl-C and SIGTERM during a write: the write finishes (no truncated file), then the process exits.

use std::path::PathBuf;
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

/// What the build under way put in the output folder before its write phase (see
/// [`super::write::Writer`]): an interrupt then removes it all, so the output folder is left
/// exactly as it was.
#[derive(Debug, Clone)]
pub(crate) struct Traces {
    /// The staging folder.
    pub(crate) staging: PathBuf,
    /// The lock file (the lock itself goes with the process).
    pub(crate) lock: PathBuf,
    /// The output folder, when this build created it.
    pub(crate) made_output: Option<PathBuf>,
}

static TRACES: Mutex<Option<Traces>> = Mutex::new(None);

/// A build started staging its files.
pub(crate) fn staging_started(traces: Traces) {
    if let Ok(mut current) = TRACES.lock() {
        *current = Some(traces);
    }
}

/// The staging folder is gone (committed or dropped).
pub(crate) fn staging_ended() {
    if let Ok(mut current) = TRACES.lock() {
        *current = None;
    }
}

/// Removes what [`staging_started`] named. All of it was made by this build; removing the
/// staging folder does not follow links, and the output folder goes only when empty.
fn remove_traces() {
    let Some(traces) = TRACES.lock().ok().and_then(|t| t.clone()) else {
        return;
    };
    let _ = std::fs::remove_dir_all(&traces.staging);
    let _ = std::fs::remove_file(&traces.lock);
    if let Some(output) = &traces.made_output {
        let _ = std::fs::remove_dir(output);
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
        remove_traces();
        exit_now();
    }
}
