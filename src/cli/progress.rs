//! Progress on long work (a batch of intake, triage or assignment, the audit, a generated
//! office): a bar on stderr when stderr is a terminal, nothing at all otherwise or with
//! `--quiet`. Scripts and logs never see it.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Globals;

/// The bar on the terminal now, if any: lines said meanwhile go above it ([`say_line`]).
static SHOWN: std::sync::Mutex<Option<ProgressBar>> = std::sync::Mutex::new(None);

/// Prints `line` on stderr — above the progress bar while one is drawn, so neither garbles
/// the other.
pub fn say_line(line: &str) {
    let shown = SHOWN.lock().ok().and_then(|s| s.clone());
    match shown {
        Some(bar) => bar.println(line),
        None => eprintln!("{line}"),
    }
}

/// A bar counting the steps of one piece of work; cleared when done or dropped.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// `len` steps of `what` (`intake`, `audit`, ...), drawn only where someone watches and
    /// only when there is more than one.
    pub fn start(g: &Globals, what: &str, len: usize) -> Progress {
        Progress::drawn(g, what, len, len > 1)
    }

    /// A bar whose length is told later ([`Progress::restart`]): shown where someone watches.
    pub fn open(g: &Globals, what: &str) -> Progress {
        Progress::drawn(g, what, 0, true)
    }

    fn drawn(g: &Globals, what: &str, len: usize, worth_it: bool) -> Progress {
        let shown = worth_it && !g.quiet && std::io::stderr().is_terminal();
        let bar = if shown {
            ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} {per_sec} eta {eta}")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar.set_message(what.to_string());
        if len > 0 {
            bar.tick();
        }
        if shown {
            if let Ok(mut s) = SHOWN.lock() {
                *s = Some(bar.clone());
            }
        }
        Progress { bar }
    }

    /// Starts counting again, to `len` steps.
    pub fn restart(&self, len: usize) {
        self.bar.set_length(len as u64);
        self.bar.set_position(0);
        self.bar.tick();
    }

    /// One more step done.
    pub fn step(&self) {
        self.bar.inc(1);
    }

    /// Whether the bar is drawn (stderr is a terminal and not --quiet).
    pub fn is_shown(&self) -> bool {
        !self.bar.is_hidden()
    }

    /// Runs `f` with the bar lifted, so that a line it prints on stderr is not drawn over.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }
}

/// The audit's commits, counted on the bar.
impl crate::audit::Watch for Progress {
    fn begin(&self, commits: usize) {
        self.restart(commits);
    }

    fn judged(&self) {
        self.step();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if !self.bar.is_hidden() {
            if let Ok(mut s) = SHOWN.lock() {
                *s = None;
            }
        }
        self.bar.finish_and_clear();
    }
}
