//! Adaptive concurrency for the client: an AIMD window of requests in flight (additive increase
//! while answers are clean and latency flat, multiplicative decrease on push-back), capped by
//! `--parallelism`, with a pause of every new request while the server's `Retry-After` runs.
//!
//! The Edge API publishes no rate limit (none is in the official extracts, edgeVersion
//! 1.494.0), so scoville cannot know how many requests an org tolerates; it finds out the way TCP congestion control and service clients do:
//!
//! - it starts at `LimitPolicy::initial` requests in flight (128 by default: above the 100
//!   concurrent streams HTTP/2 recommends that servers allow, RFC 9113 section 6.5.2, and
//!   enough for a large org's second wave of reads to go out at once) and, in *slow
//!   start*, raises the window by one for every clean answer that used it (doubling it each round
//!   trip), up to the ceiling (`--parallelism`, 256 by default);
//! - an answer whose latency rose past `LATENCY_TOLERANCE_PERCENT` of the lowest seen (plus
//!   `LATENCY_SLACK`) does not grow the window; `LATENCY_SAMPLES` such answers in a row end
//!   slow start and hold the window: the server is queueing (one alone is noise);
//! - a 429, a 503 or a timeout halves the window (at least 1) once per round trip: answers to
//!   requests sent before the last decrease do not decrease it again; a `Retry-After` also holds
//!   back every new request until it has passed;
//! - after a decrease, the window grows by one per window's worth of clean answers (additive
//!   increase), and after `PROBE_AFTER_WINDOWS` windows without push-back it probes with slow
//!   start again, so throughput recovers within a few round trips once the server stops pushing
//!   back.
//!
//! `Window` is the arithmetic alone (pure, deterministic, unit-tested); `Limiter` wraps it
//! around a semaphore for the client. A window that is not used (fewer than half its requests
//! in flight) does not grow, so a sequential phase cannot inflate it before a burst.

use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::Instant;

/// An answer whose latency exceeds the lowest seen by this factor, in percent (plus
/// `LATENCY_SLACK`), is "queueing": the window stops growing. The default of
/// `LimitPolicy::queueing_percent`.
pub const LATENCY_TOLERANCE_PERCENT: u32 = 200;

/// Absolute slack on top of the latency tolerance, so that a loopback server answering in
/// microseconds does not count scheduling noise as queueing.
pub const LATENCY_SLACK: Duration = Duration::from_millis(10);

/// Clean answers whose latencies must all be past the tolerance before slow start ends: one
/// slow answer is noise (a scheduling hiccup on either side), eight in a row are a queue. The
/// sample count of TCP's HyStart++ (RFC 9406, `N_RTT_SAMPLE`), which ends slow start on the
/// lowest of a round's samples for the same reason.
pub const LATENCY_SAMPLES: usize = 8;

/// Windows' worth of clean answers after a decrease before the window probes with slow start
/// again.
pub const PROBE_AFTER_WINDOWS: f64 = 4.0;

/// How the client's concurrency limit behaves; the ceiling is `ClientOptions::parallelism`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitPolicy {
    /// Requests in flight at the start (clamped to the ceiling).
    pub initial: usize,
    /// Adapt the window to the server's answers; `false` keeps it fixed at the ceiling (the
    /// behaviour before adaptive concurrency, for comparisons).
    pub adaptive: bool,
    /// Latency, in percent of the lowest seen (plus `LATENCY_SLACK`), past which the server
    /// counts as queueing and the window holds; `None` ignores latency (only push-back
    /// shrinks the window: for tests on a busy machine, where latency is mostly scheduling).
    pub queueing_percent: Option<u32>,
}

impl Default for LimitPolicy {
    fn default() -> Self {
        LimitPolicy {
            initial: 128,
            adaptive: true,
            queueing_percent: Some(LATENCY_TOLERANCE_PERCENT),
        }
    }
}

impl LimitPolicy {
    /// A window fixed at the ceiling.
    pub fn fixed() -> LimitPolicy {
        LimitPolicy {
            initial: usize::MAX,
            adaptive: false,
            queueing_percent: None,
        }
    }
}

/// What one answer says about the server's load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// A 2xx answer, or a refusal that says nothing about load (404, 409, 400...).
    Clean,
    /// 429, 503 or a timeout: the server, or something in front of it, is overloaded. With the
    /// server's `Retry-After`, when it gave one.
    Overload { retry_after: Option<Duration> },
    /// No information (a connection that could not be made, a cancelled request).
    Neutral,
}

/// The AIMD arithmetic: the window, slow start, the latency baseline and the epoch of the last
/// decrease. Pure: every input, latency included, is given.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    limit: f64,
    ceiling: f64,
    slow_start: bool,
    /// The lowest latency of a clean answer seen so far.
    baseline: Option<Duration>,
    /// Bumped by every decrease; a request remembers the epoch it was sent in.
    epoch: u64,
    /// Clean answers since the last decrease (for `PROBE_AFTER_WINDOWS`).
    clean_since_decrease: f64,
    /// `LimitPolicy::queueing_percent`.
    queueing_percent: Option<u32>,
    /// The latencies of the last `LATENCY_SAMPLES` clean answers, oldest first.
    recent: std::collections::VecDeque<Duration>,
}

/// The state of a request when it was sent, which decides how its answer counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    /// `Window::epoch` when it was sent.
    pub epoch: u64,
    /// Requests in flight when it was sent, itself included.
    pub in_flight: usize,
}

impl Window {
    /// A window of `initial` requests (clamped to 1..=ceiling), in slow start, holding when
    /// latency passes twice the lowest seen.
    pub fn new(initial: usize, ceiling: usize) -> Window {
        Window::with_queueing(initial, ceiling, Some(LATENCY_TOLERANCE_PERCENT))
    }

    /// As `new`, with the latency rule of `LimitPolicy::queueing_percent`.
    pub fn with_queueing(initial: usize, ceiling: usize, queueing_percent: Option<u32>) -> Window {
        let ceiling = ceiling.max(1);
        Window {
            limit: initial.clamp(1, ceiling) as f64,
            ceiling: ceiling as f64,
            slow_start: true,
            baseline: None,
            epoch: 0,
            clean_since_decrease: 0.0,
            queueing_percent,
            recent: std::collections::VecDeque::with_capacity(LATENCY_SAMPLES),
        }
    }

    /// Requests allowed in flight now.
    pub fn limit(&self) -> usize {
        self.limit as usize
    }

    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    pub fn in_slow_start(&self) -> bool {
        self.slow_start
    }

    /// Whether `latency` is within the tolerance of the lowest latency seen.
    fn is_flat(&self, latency: Duration) -> bool {
        match (self.baseline, self.queueing_percent) {
            (Some(baseline), Some(percent)) => latency <= baseline * percent / 100 + LATENCY_SLACK,
            _ => true,
        }
    }

    /// Takes one answer into account. Returns whether the window changed.
    pub fn on_answer(&mut self, sent: Sent, signal: Signal, latency: Duration) -> bool {
        let before = self.limit;
        match signal {
            Signal::Neutral => {}
            Signal::Clean => {
                let flat = self.is_flat(latency);
                if self.recent.len() == LATENCY_SAMPLES {
                    self.recent.pop_front();
                }
                self.recent.push_back(latency);
                // Queueing: the last `LATENCY_SAMPLES` answers were all slow. Slow start ends
                // and the window holds.
                let queueing = self.recent.len() == LATENCY_SAMPLES
                    && self
                        .recent
                        .iter()
                        .min()
                        .is_some_and(|lowest| !self.is_flat(*lowest));
                self.baseline = Some(self.baseline.map_or(latency, |b| b.min(latency)));
                if queueing {
                    self.slow_start = false;
                }
                // A slow answer does not grow the window, whether or not it ends slow start.
                if !flat {
                    return false;
                }
                self.clean_since_decrease += 1.0;
                if !self.slow_start
                    && self.epoch > 0
                    && self.clean_since_decrease >= PROBE_AFTER_WINDOWS * self.limit
                {
                    self.slow_start = true;
                }
                // A window less than half used says nothing about whether a larger one would
                // be welcome.
                let used = sent.in_flight * 2 >= self.limit as usize;
                if used {
                    self.limit += if self.slow_start {
                        1.0
                    } else {
                        // Additive: one more per window's worth of clean answers.
                        1.0 / self.limit.floor()
                    };
                    self.limit = self.limit.min(self.ceiling);
                }
            }
            Signal::Overload { .. } => {
                // One decrease per round trip: requests sent before the last decrease were
                // part of the same congestion.
                if sent.epoch == self.epoch {
                    self.limit = (self.limit / 2.0).floor().max(1.0);
                    self.slow_start = false;
                    self.epoch += 1;
                    self.clean_since_decrease = 0.0;
                }
            }
        }
        self.limit != before
    }
}

/// Counters of what the limiter did, for `--stats` and the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LimiterStats {
    /// The window now.
    pub limit: usize,
    /// The ceiling (`--parallelism`).
    pub ceiling: usize,
    /// The largest and smallest window so far.
    pub peak_limit: usize,
    pub lowest_limit: usize,
    /// Multiplicative decreases so far.
    pub decreases: u64,
    /// Answers that signalled overload (429, 503, timeouts), counted or not.
    pub overloads: u64,
    /// Pauses of every new request for a server's `Retry-After`.
    pub retry_after_pauses: u64,
    /// Requests in flight now.
    pub in_flight: usize,
}

struct State {
    window: Window,
    in_flight: usize,
    /// Permits that exist: available in the semaphore plus held by requests in flight.
    granted: usize,
    paused_until: Option<Instant>,
    stats: LimiterStats,
}

/// The client's concurrency limit: an AIMD `Window` (or a fixed one) enforced with a
/// semaphore whose permits follow the window.
pub struct Limiter {
    semaphore: Semaphore,
    state: Mutex<State>,
    adaptive: bool,
    /// The longest `Retry-After` pause honoured.
    max_pause: Duration,
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limiter")
            .field("adaptive", &self.adaptive)
            .field("stats", &self.stats())
            .finish()
    }
}

impl Limiter {
    /// A limiter with `ceiling` requests in flight at most, starting as `policy` says; a
    /// `Retry-After` longer than `max_pause` holds new requests back for `max_pause`.
    pub fn new(policy: LimitPolicy, ceiling: usize, max_pause: Duration) -> Limiter {
        let ceiling = ceiling.max(1);
        let initial = if policy.adaptive {
            policy.initial
        } else {
            ceiling
        };
        let window = Window::with_queueing(initial, ceiling, policy.queueing_percent);
        let limit = window.limit();
        Limiter {
            semaphore: Semaphore::new(limit),
            state: Mutex::new(State {
                window,
                in_flight: 0,
                granted: limit,
                paused_until: None,
                stats: LimiterStats {
                    limit,
                    ceiling,
                    peak_limit: limit,
                    lowest_limit: limit,
                    ..LimiterStats::default()
                },
            }),
            adaptive: policy.adaptive,
            max_pause,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a few numbers updated in one step; a panic cannot leave it half-done.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// What the limiter did so far.
    pub fn stats(&self) -> LimiterStats {
        let state = self.lock();
        LimiterStats {
            in_flight: state.in_flight,
            ..state.stats
        }
    }

    /// Waits for room in the window (and for a `Retry-After` pause to end), then counts the
    /// request in flight until the returned permit is finished or dropped.
    pub async fn acquire(&self) -> Permit<'_> {
        loop {
            let paused_until = self.lock().paused_until;
            if let Some(until) = paused_until
                && until > Instant::now()
            {
                tokio::time::sleep_until(until).await;
                continue;
            }
            let permit = self
                .semaphore
                .acquire()
                .await
                .expect("the limiter never closes its semaphore");
            // From here the permit is accounted by hand in `State::granted`.
            permit.forget();
            let mut state = self.lock();
            if state
                .paused_until
                .is_some_and(|until| until > Instant::now())
            {
                // A pause began while this request waited: give the room back and wait too.
                drop(state);
                self.semaphore.add_permits(1);
                continue;
            }
            state.in_flight += 1;
            return Permit {
                limiter: self,
                sent: Sent {
                    epoch: state.window.epoch(),
                    in_flight: state.in_flight,
                },
                started: Instant::now(),
                finished: false,
            };
        }
    }

    fn release(&self, sent: Sent, signal: Signal, latency: Duration) {
        let mut state = self.lock();
        state.in_flight -= 1;
        if let Signal::Overload { retry_after } = signal {
            state.stats.overloads += 1;
            if let Some(asked) = retry_after.filter(|asked| !asked.is_zero()) {
                let until = Instant::now() + asked.min(self.max_pause);
                if state.paused_until.is_none_or(|current| current < until) {
                    state.paused_until = Some(until);
                    state.stats.retry_after_pauses += 1;
                }
            }
        }
        if self.adaptive {
            let epoch = state.window.epoch();
            state.window.on_answer(sent, signal, latency);
            if state.window.epoch() != epoch {
                state.stats.decreases += 1;
            }
        }
        let target = state.window.limit();
        // This request's permit goes back unless the window shrank below what exists.
        if state.granted > target {
            state.granted -= 1;
            // Take back room nobody holds yet as well.
            let excess = state.granted.saturating_sub(target);
            let forgotten = self.semaphore.forget_permits(excess);
            state.granted -= forgotten;
        } else {
            let grown = target - state.granted;
            state.granted = target;
            self.semaphore.add_permits(1 + grown);
        }
        let stats = &mut state.stats;
        stats.limit = target;
        stats.peak_limit = stats.peak_limit.max(target);
        stats.lowest_limit = stats.lowest_limit.min(target);
    }
}

/// Room for one request in flight. `finish` it with what its answer said; dropping it
/// unfinished (a cancelled request) counts as `Signal::Neutral`.
pub struct Permit<'a> {
    limiter: &'a Limiter,
    sent: Sent,
    started: Instant,
    finished: bool,
}

impl Permit<'_> {
    /// Releases the room and feeds the answer to the window.
    pub fn finish(mut self, signal: Signal) {
        self.finished = true;
        self.limiter
            .release(self.sent, signal, self.started.elapsed());
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.limiter
                .release(self.sent, Signal::Neutral, self.started.elapsed());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn sent(window: &Window, in_flight: usize) -> Sent {
        Sent {
            epoch: window.epoch(),
            in_flight,
        }
    }

    fn overload() -> Signal {
        Signal::Overload { retry_after: None }
    }

    #[test]
    fn slow_start_doubles_the_window_each_round_trip_up_to_the_ceiling() {
        let mut window = Window::new(4, 20);
        for expected in [8, 16, 20] {
            let limit = window.limit();
            for _ in 0..limit {
                window.on_answer(sent(&window, limit), Signal::Clean, 50 * MS);
            }
            assert_eq!(window.limit(), expected);
        }
        assert!(window.in_slow_start());
    }

    #[test]
    fn a_window_not_used_does_not_grow() {
        let mut window = Window::new(16, 64);
        for _ in 0..100 {
            // One request at a time: a sequential phase.
            window.on_answer(sent(&window, 1), Signal::Clean, 50 * MS);
        }
        assert_eq!(window.limit(), 16);
        window.on_answer(sent(&window, 8), Signal::Clean, 50 * MS);
        assert_eq!(window.limit(), 17);
    }

    #[test]
    fn overload_halves_the_window_once_per_round_trip() {
        let mut window = Window::new(32, 64);
        let before = sent(&window, 32);
        assert!(window.on_answer(before, overload(), 50 * MS));
        assert_eq!(window.limit(), 16);
        // The other requests of the same round trip fail too: no further decrease.
        for _ in 0..31 {
            assert!(!window.on_answer(before, overload(), 50 * MS));
        }
        assert_eq!(window.limit(), 16);
        // A request sent after the decrease that is refused again halves it again.
        window.on_answer(sent(&window, 16), overload(), 50 * MS);
        assert_eq!(window.limit(), 8);
        assert!(!window.in_slow_start());
    }

    #[test]
    fn the_window_never_drops_below_one() {
        let mut window = Window::new(2, 8);
        for _ in 0..10 {
            window.on_answer(sent(&window, 1), overload(), 50 * MS);
        }
        assert_eq!(window.limit(), 1);
    }

    #[test]
    fn after_a_decrease_growth_is_additive_then_probes_again() {
        let mut window = Window::new(32, 256);
        window.on_answer(sent(&window, 32), overload(), 50 * MS);
        assert_eq!(window.limit(), 16);
        // One window's worth of clean answers: one more request.
        for _ in 0..16 {
            window.on_answer(sent(&window, 16), Signal::Clean, 50 * MS);
        }
        assert_eq!(window.limit(), 17);
        assert!(!window.in_slow_start());
        // After PROBE_AFTER_WINDOWS windows without push-back, slow start again.
        let mut answers = 16;
        while !window.in_slow_start() {
            window.on_answer(sent(&window, window.limit()), Signal::Clean, 50 * MS);
            answers += 1;
            assert!(answers < 200, "never probed: {window:?}");
        }
        let probing_from = window.limit();
        for _ in 0..probing_from {
            window.on_answer(sent(&window, probing_from), Signal::Clean, 50 * MS);
        }
        assert!(window.limit() >= 2 * probing_from - 1, "{window:?}");
    }

    #[test]
    fn rising_latency_ends_slow_start_and_holds_the_window() {
        let mut window = Window::new(8, 64);
        window.on_answer(sent(&window, 8), Signal::Clean, 50 * MS);
        assert_eq!(window.limit(), 9);
        // Twice the baseline plus the slack is still flat.
        window.on_answer(sent(&window, 9), Signal::Clean, 110 * MS);
        assert_eq!(window.limit(), 10);
        // Beyond it the answer does not grow the window; one such answer is noise, and slow
        // start goes on.
        assert!(!window.on_answer(sent(&window, 10), Signal::Clean, 300 * MS));
        assert_eq!(window.limit(), 10);
        assert!(window.in_slow_start());
        assert!(window.on_answer(sent(&window, 10), Signal::Clean, 50 * MS));
        assert_eq!(window.limit(), 11);
        // Eight slow answers in a row are a queue: slow start ends and the window holds.
        for _ in 0..LATENCY_SAMPLES {
            assert!(!window.on_answer(sent(&window, 11), Signal::Clean, 300 * MS));
        }
        assert!(!window.in_slow_start());
        assert_eq!(window.limit(), 11);
        // Once latency is flat again, growth is additive.
        window.on_answer(sent(&window, 11), Signal::Clean, 50 * MS);
        assert!(
            window.limit() == 11 && !window.in_slow_start(),
            "{window:?}"
        );
    }

    #[test]
    fn neutral_answers_change_nothing() {
        let mut window = Window::new(8, 64);
        let before = window.clone();
        window.on_answer(sent(&window, 8), Signal::Neutral, 50 * MS);
        assert_eq!(window, before);
    }

    #[tokio::test(start_paused = true)]
    async fn the_limiter_admits_as_many_requests_as_the_window() {
        let limiter = Limiter::new(
            LimitPolicy {
                initial: 2,
                ..LimitPolicy::default()
            },
            8,
            Duration::from_secs(60),
        );
        let first = limiter.acquire().await;
        let second = limiter.acquire().await;
        assert_eq!(limiter.stats().in_flight, 2);
        // A third waits until one finishes.
        let third = tokio::time::timeout(Duration::from_secs(1), limiter.acquire()).await;
        assert!(third.is_err(), "a third request got room in a window of 2");
        first.finish(Signal::Clean);
        // The first used the window (1 of 2 in flight when sent): it grew to 3, so two more
        // fit now beside the second.
        assert_eq!(limiter.stats().limit, 3);
        let third = limiter.acquire().await;
        let fourth = limiter.acquire().await;
        assert_eq!(limiter.stats().in_flight, 3);
        drop((second, third, fourth));
        assert_eq!(limiter.stats().in_flight, 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_shrunk_window_takes_back_room_nobody_holds() {
        let limiter = Limiter::new(
            LimitPolicy {
                initial: 8,
                ..LimitPolicy::default()
            },
            8,
            Duration::from_secs(60),
        );
        let first = limiter.acquire().await;
        first.finish(Signal::Overload { retry_after: None });
        assert_eq!(limiter.stats().limit, 4);
        let mut held = Vec::new();
        for _ in 0..4 {
            held.push(limiter.acquire().await);
        }
        let fifth = tokio::time::timeout(Duration::from_secs(1), limiter.acquire()).await;
        assert!(fifth.is_err(), "a fifth request got room in a window of 4");
        assert_eq!(limiter.stats().decreases, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_holds_back_every_new_request() {
        let limiter = Limiter::new(LimitPolicy::default(), 64, Duration::from_secs(60));
        let permit = limiter.acquire().await;
        permit.finish(Signal::Overload {
            retry_after: Some(Duration::from_secs(3)),
        });
        let started = Instant::now();
        let next = limiter.acquire().await;
        // With the clock paused, time only moves by the sleeps: exactly the pause.
        assert_eq!(started.elapsed(), Duration::from_secs(3));
        drop(next);
        let stats = limiter.stats();
        assert_eq!((stats.retry_after_pauses, stats.overloads), (1, 1));
        // A pause past the cap is cut to the cap.
        let capped = Limiter::new(LimitPolicy::default(), 64, Duration::from_secs(2));
        capped.acquire().await.finish(Signal::Overload {
            retry_after: Some(Duration::from_secs(3600)),
        });
        let started = Instant::now();
        drop(capped.acquire().await);
        assert_eq!(started.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn a_fixed_limit_ignores_push_back() {
        let limiter = Limiter::new(LimitPolicy::fixed(), 8, Duration::ZERO);
        assert_eq!(limiter.stats().limit, 8);
        for _ in 0..5 {
            limiter
                .acquire()
                .await
                .finish(Signal::Overload { retry_after: None });
        }
        let stats = limiter.stats();
        assert_eq!((stats.limit, stats.decreases, stats.overloads), (8, 0, 5));
    }
}
