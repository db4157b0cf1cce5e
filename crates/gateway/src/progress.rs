//! Progress of a long command (`crm seed --scale` takes over a minute): a bar redrawn in place
//! for a person at a terminal, a plain line every few seconds for a log.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How often a log (not a terminal) gets a progress line.
const LOG_EVERY: Duration = Duration::from_secs(5);
/// Width of the bar, in characters.
const BAR: usize = 30;

/// Reports `done` of `total` steps on standard error.
pub struct Progress {
    what: &'static str,
    total: usize,
    started: Instant,
    last_line: Instant,
    terminal: bool,
}

impl Progress {
    /// Starts reporting on `total` steps of `what` (e.g. "organizations").
    pub fn new(what: &'static str, total: usize) -> Self {
        let now = Instant::now();
        Self {
            what,
            total,
            started: now,
            last_line: now,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Reports that `done` steps are finished; `detail` says what they amount to.
    pub fn update(&mut self, done: usize, detail: &str) {
        let elapsed = self.started.elapsed().as_secs();
        let mut stderr = std::io::stderr().lock();
        if self.terminal {
            let filled = BAR * done / self.total.max(1);
            let bar = format!("{}{}", "#".repeat(filled), ".".repeat(BAR - filled));
            let _ = write!(
                stderr,
                "\r[{bar}] {done}/{} {}, {detail}, {elapsed} s",
                self.total, self.what
            );
            if done >= self.total {
                let _ = writeln!(stderr);
            }
        } else if self.last_line.elapsed() >= LOG_EVERY || done >= self.total {
            self.last_line = Instant::now();
            let _ = writeln!(
                stderr,
                "progress: {done}/{} {}, {detail}, {elapsed} s",
                self.total, self.what
            );
        }
    }
}
