//! Says which page and template are still rendering after a few seconds: a template with a
//! runaway loop (`range` nested in `range`) otherwise leaves the user before a silent terminal.
//! Ctrl-C still stops the build cleanly; this only tells what to fix.

use crate::diagnostic::Text;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long one page may render before the watchdog names it.
const SLOW: Duration = Duration::from_secs(5);

/// Pages being rendered: id → (what, since when, already named). `what` is put in words only
/// when named: doing it for every page was 1% of a 10,000-post build.
type Running = HashMap<u64, (Text, Instant, bool)>;

/// A thread watching the pages being rendered; stopped when dropped.
pub(crate) struct Watchdog {
    running: Arc<Mutex<Running>>,
    next: AtomicU64,
    /// Dropped to stop the thread at once (it waits on the other end between looks).
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// One page being rendered; it leaves the watch when dropped.
pub(crate) struct Watched<'a> {
    dog: &'a Watchdog,
    id: u64,
}

impl Watchdog {
    /// Starts watching; what it says is in `lang`.
    pub(crate) fn start(lang: crate::diagnostic::Lang) -> Watchdog {
        let slow = crate::testing::test_hook("GAZETTE_TEST_SLOW_RENDER_MS")
            .map_or(SLOW, Duration::from_millis);
        let running: Arc<Mutex<Running>> = Arc::default();
        let (stop, stopped) = channel::<()>();
        let watched = Arc::clone(&running);
        let thread = std::thread::spawn(move || {
            let tick = (slow / 4).clamp(Duration::from_millis(10), Duration::from_millis(250));
            // Wakes every tick to look, and at once when the watchdog is dropped (a render of a
            // few pages must not wait for the next tick).
            while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(tick) {
                let Ok(mut running) = watched.lock() else {
                    return;
                };
                for (what, since, named) in running.values_mut() {
                    if !*named && since.elapsed() >= slow {
                        *named = true;
                        let seconds = since.elapsed().as_secs();
                        let what = what.in_lang(lang);
                        let said = crate::msg!(
                            "still rendering {what} after {seconds} s: a loop in the template may never end (Ctrl-C stops the build)",
                            what,
                            seconds
                        );
                        crate::diagnostic::note(&said.in_lang(lang));
                    }
                }
            }
        });
        Watchdog {
            running,
            next: AtomicU64::new(0),
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Watches the rendering of `what` (the page and its template) until the result is dropped.
    pub(crate) fn watch(&self, what: impl FnOnce() -> Text) -> Watched<'_> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut running) = self.running.lock() {
            running.insert(id, (what(), Instant::now(), false));
        }
        Watched { dog: self, id }
    }
}

impl Drop for Watched<'_> {
    fn drop(&mut self) {
        if let Ok(mut running) = self.dog.running.lock() {
            running.remove(&self.id);
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
