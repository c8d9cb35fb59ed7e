//! Stopping an apply part-way on request (Ctrl-C, SIGTERM): no new step starts (but the
//! follow-ups of a create already made, [`Interrupt::run_finishing_step`]), the calls in
//! flight get a short grace period to finish, and the apply reports what it did.
//!
//! An [`Interrupt`] is shared by the apply loop and every step task. Steps take one of its
//! slots (as many as the client's parallelism) before they start; once an interrupt is
//! requested, a step that has not started yet ends as [`StepStatus::NotStarted`] without
//! sending anything, and a step in flight is given [`Interrupt::grace`] to finish before it is
//! abandoned as failed with an unknown outcome. [`listen_for_signals`] turns the first SIGINT
//! or SIGTERM into a request and the second into an immediate exit.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::{Notify, Semaphore};

use super::{StepOutcome, StepStatus};
use crate::plan::Step;

/// How long the calls in flight may take to finish once an interrupt is requested, unless the
/// caller chooses otherwise.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(10);

/// The exit code of an interrupted command (128 + SIGINT, what shells report for Ctrl-C).
pub const EXIT_INTERRUPTED: u8 = 130;

/// A request to stop an apply, shared by clones.
#[derive(Debug, Clone)]
pub struct Interrupt {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    requested: AtomicBool,
    notify: Notify,
    /// Steps that may run at once; taken before a step starts.
    slots: Semaphore,
    grace: Duration,
}

impl Interrupt {
    /// An interrupt nobody has requested yet, letting `parallelism` steps run at once and giving
    /// the steps in flight `grace` to finish once requested.
    pub fn new(parallelism: usize, grace: Duration) -> Interrupt {
        Interrupt {
            inner: Arc::new(Inner {
                requested: AtomicBool::new(false),
                notify: Notify::new(),
                slots: Semaphore::new(parallelism.max(1)),
                grace,
            }),
        }
    }

    /// Asks the apply to stop starting steps. Idempotent.
    pub fn request(&self) {
        self.inner.requested.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    /// True once [`Interrupt::request`] was called.
    pub fn requested(&self) -> bool {
        self.inner.requested.load(Ordering::SeqCst)
    }

    /// How long a step in flight may still take after the request.
    pub fn grace(&self) -> Duration {
        self.inner.grace
    }

    /// Resolves when an interrupt is requested (at once if it already was).
    pub async fn wait(&self) {
        loop {
            let notified = self.inner.notify.notified();
            if self.requested() {
                return;
            }
            notified.await;
        }
    }

    /// Runs one step's `work` when a slot is free, unless an interrupt comes first: then the
    /// step is not started. A step already running when the interrupt comes has the grace
    /// period to finish; after it, the step is reported failed with an unknown outcome (its
    /// call may or may not have been applied; the next plan shows which).
    pub async fn run_step(
        &self,
        step: &Step,
        work: impl Future<Output = StepOutcome>,
    ) -> StepOutcome {
        let not_started = || StepOutcome::new(step, StepStatus::NotStarted, 0);
        let slot = tokio::select! {
            biased;
            () = self.wait() => return not_started(),
            slot = self.inner.slots.acquire() => slot,
        };
        let Ok(_slot) = slot else {
            return not_started();
        };
        if self.requested() {
            return not_started();
        }
        tokio::select! {
            outcome = work => outcome,
            () = async {
                self.wait().await;
                tokio::time::sleep(self.inner.grace).await;
            } => StepOutcome::new(
                step,
                StepStatus::Failed {
                    error: format!(
                        "interrupted while in flight and abandoned after {}s: the call may or \
                         may not have been applied; plan again to see",
                        self.inner.grace.as_secs()
                    ),
                },
                1,
            ),
        }
    }
}

impl Interrupt {
    /// Runs a step that finishes an object a done step of this apply started (the follow-ups
    /// of a meeting-type create: the fields it cannot carry, the reminder it seeds). It starts
    /// even after an interrupt, since stopping before it would leave a half-made object the
    /// next plan cannot tell from a person's, and it is bounded by the same grace period as a
    /// step in flight. A second signal still aborts at once.
    pub async fn run_finishing_step(
        &self,
        step: &Step,
        work: impl Future<Output = StepOutcome>,
    ) -> StepOutcome {
        let Ok(_slot) = self.inner.slots.acquire().await else {
            return StepOutcome::new(step, StepStatus::NotStarted, 0);
        };
        tokio::select! {
            outcome = work => outcome,
            () = async {
                self.wait().await;
                tokio::time::sleep(self.inner.grace).await;
            } => StepOutcome::new(
                step,
                StepStatus::Failed {
                    error: format!(
                        "interrupted while finishing a create and abandoned after {}s: the call \
                         may or may not have been applied; plan again to see",
                        self.inner.grace.as_secs()
                    ),
                },
                1,
            ),
        }
    }
}

/// Listens for SIGINT and SIGTERM (Ctrl-C on Windows) for the rest of the process: the first
/// requests `interrupt` and says so on standard error; the second runs `on_abort` (e.g. saving
/// the sandbox's state) and exits at once with [`EXIT_INTERRUPTED`].
///
/// The handlers are installed before this returns, so a signal sent afterwards is never lost.
/// Must be called within a Tokio runtime.
pub fn listen_for_signals(interrupt: Interrupt, on_abort: impl Fn() + Send + 'static) {
    let mut signals = match Signals::new() {
        Ok(signals) => signals,
        Err(error) => {
            eprintln!("cannot listen for Ctrl-C ({error}): an interrupt stops the apply at once");
            return;
        }
    };
    tokio::spawn(async move {
        signals.next().await;
        interrupt.request();
        eprintln!(
            "\ninterrupting: no new step starts; the calls in flight, and the steps finishing a \
             meeting type this apply created, have {}s to finish (Ctrl-C again to abort at \
             once)",
            interrupt.grace().as_secs()
        );
        signals.next().await;
        on_abort();
        eprintln!("aborted: the calls in flight were abandoned; plan again to see what is left");
        std::process::exit(i32::from(EXIT_INTERRUPTED));
    });
}

/// SIGINT and SIGTERM as one stream.
#[cfg(unix)]
struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    fn new() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn next(&mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

/// Ctrl-C alone where there are no Unix signals.
#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn new() -> std::io::Result<Signals> {
        Ok(Signals)
    }

    async fn next(&mut self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}
