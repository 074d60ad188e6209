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

/// The process's resident memory now and at its peak, as Linux reports it (empty elsewhere): the
/// phase timings say where memory grows, not only where time goes.
fn memory_now() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    format!(
        " (memory {} MiB, peak {} MiB)",
        field("VmRSS:"),
        field("VmHWM:")
    )
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
                "{phase}: {} ms{}",
                (now - self.last.get()).as_millis(),
                memory_now()
            ));
            self.last.set(now);
        }
    }
}
