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
    /// The process's processor time (user, system) at the last lap, in ms.
    last_cpu: std::cell::Cell<(u64, u64)>,
}

/// The processor time the process has used so far (user, system), in ms, as Linux reports it
/// (zero elsewhere): a phase that takes less processor time than twice its wall time on two
/// cores left one idle.
fn cpu_now() -> (u64, u64) {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return (0, 0);
    };
    // The fields after the command name (which may hold spaces) in parentheses; utime and stime
    // are the 14th and 15th fields, in ticks of 10 ms (USER_HZ is 100 in /proc).
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (ticks(11) * 10, ticks(12) * 10)
}

/// The process's resident memory now and at its peak, as Linux reports it (empty elsewhere), and
/// the processor time `cpu` of the phase: the phase timings say where memory grows, not only
/// where time goes.
fn usage(cpu: (u64, u64)) -> String {
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
        " (memory {} MiB, peak {} MiB, processor user {} ms system {} ms)",
        field("VmRSS:"),
        field("VmHWM:"),
        cpu.0,
        cpu.1
    )
}

impl PhaseTimer {
    pub(crate) fn start() -> PhaseTimer {
        PhaseTimer {
            enabled: std::env::var_os("GAZETTE_TIMINGS").is_some(),
            last: std::cell::Cell::new(Instant::now()),
            last_cpu: std::cell::Cell::new(cpu_now()),
        }
    }

    pub(crate) fn lap(&self, phase: &str) {
        if self.enabled {
            let now = Instant::now();
            let cpu = cpu_now();
            let before = self.last_cpu.get();
            crate::diagnostic::note(&format!(
                "{phase}: {} ms{}",
                (now - self.last.get()).as_millis(),
                usage((
                    cpu.0.saturating_sub(before.0),
                    cpu.1.saturating_sub(before.1)
                ))
            ));
            self.last.set(now);
            self.last_cpu.set(cpu);
        }
    }
}
