//! Progress of an apply, on standard error: one log line per finished step (under a bar on a
//! terminal), or nothing.

use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

use super::{StepOutcome, StepStatus};
use crate::plan::Step;

/// Told about every step as it starts and ends. Called from concurrent tasks.
pub trait Progress: Send + Sync {
    fn begin(&self, _n_steps: usize) {}
    fn started(&self, _step: &Step) {}
    fn finished(&self, _outcome: &StepOutcome) {}
    fn end(&self) {}
}

/// Reports nothing (tests, JSON output).
pub struct SilentProgress;

impl Progress for SilentProgress {}

/// One line per finished step on standard error, for CI logs.
pub struct LogProgress;

impl Progress for LogProgress {
    fn finished(&self, outcome: &StepOutcome) {
        // The steps an interrupt or --fail-fast kept from starting are counted in the summary
        // (and listed in the JSON report), not logged one by one.
        if outcome.status != StepStatus::NotStarted {
            eprintln!("{}", LogProgress::line(outcome));
        }
    }
}

impl LogProgress {
    /// The line logged for a finished step: `apply: OP TARGET: STATUS`.
    pub fn line(outcome: &StepOutcome) -> String {
        let status = match &outcome.status {
            StepStatus::Done {
                read_back: false, ..
            } => "done".to_string(),
            StepStatus::Done {
                read_back: true, ..
            } => "done (outcome was unknown; read back)".to_string(),
            StepStatus::Failed { error } => format!("FAILED: {error}"),
            StepStatus::Skipped { because } => format!("skipped: `{because}` did not succeed"),
            StepStatus::NotStarted => "not started".to_string(),
        };
        let line = format!("apply: {} {}: {status}", outcome.op, outcome.target);
        crate::redact::shown(&line)
    }
}

/// A progress bar on standard error, for terminals.
pub struct TerminalProgress {
    bar: Mutex<Option<ProgressBar>>,
}

impl TerminalProgress {
    pub fn new() -> TerminalProgress {
        TerminalProgress {
            bar: Mutex::new(None),
        }
    }

    fn with_bar(&self, f: impl FnOnce(&ProgressBar)) {
        if let Some(bar) = self
            .bar
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .as_ref()
        {
            f(bar);
        }
    }
}

impl Default for TerminalProgress {
    fn default() -> Self {
        TerminalProgress::new()
    }
}

impl Progress for TerminalProgress {
    fn begin(&self, n_steps: usize) {
        let bar = ProgressBar::new(n_steps as u64);
        bar.set_style(
            ProgressStyle::with_template("{spinner} applying [{bar:30}] {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        *self
            .bar
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(bar);
    }

    fn started(&self, step: &Step) {
        self.with_bar(|bar| {
            bar.set_message(crate::redact::shown(&format!(
                "{} {}",
                step.call.op().id,
                step.target
            )))
        });
    }

    fn finished(&self, outcome: &StepOutcome) {
        self.with_bar(|bar| {
            // Every step that ran gets its line above the bar, as off a terminal.
            if outcome.status != StepStatus::NotStarted {
                bar.println(LogProgress::line(outcome));
            }
            bar.inc(1);
        });
    }

    fn end(&self) {
        self.with_bar(ProgressBar::finish_and_clear);
    }
}
