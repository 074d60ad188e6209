//! Where a build is (for the progress line) and how long each phase took: the one instrumentation switch, `GAZETTE_TIMINGS`.

use std::time::Instant;

/// Where a build is, for the progress line shown when it takes more than a second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    /// Not started or finished.
    Idle = 0,
    /// Reading and checking the sources.
    Loading = 1,
    /// Rendering pages.
    Rendering = 2,
    /// Writing files.
    Writing = 3,
}

pub(crate) static PHASE: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

pub(crate) fn set_phase(phase: Phase) {
    PHASE.store(phase as u8, std::sync::atomic::Ordering::Relaxed);
}

/// The current phase of the running build.
pub fn phase() -> Phase {
    match PHASE.load(std::sync::atomic::Ordering::Relaxed) {
        1 => Phase::Loading,
        2 => Phase::Rendering,
        3 => Phase::Writing,
        _ => Phase::Idle,
    }
}

/// Prints how long each phase took when `GAZETTE_TIMINGS` is set (for profiling, not for users).
pub(crate) struct PhaseTimer {
    pub(crate) enabled: bool,
    pub(crate) last: std::cell::Cell<Instant>,
}

impl PhaseTimer {
    pub(crate) fn start() -> PhaseTimer {
        PhaseTimer {
            enabled: std::env::var_os("GAZETTE_TIMINGS").is_some(),
            last: std::cell::Cell::new(Instant::now()),
        }
    }

    pub(crate) fn lap(&self, phase: &str) {
        if self.enabled {
            let now = Instant::now();
            crate::diagnostic::note(&format!(
                "{phase}: {} ms",
                (now - self.last.get()).as_millis()
            ));
            self.last.set(now);
        }
    }
}
