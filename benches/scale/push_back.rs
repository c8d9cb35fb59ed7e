//! The push-back scenario: the emulator answers 503 and 429 with `Retry-After` for a while,
//! then stops; the adaptive limit must back off (and wait out `Retry-After`) while it lasts and
//! the fetch must get its speed back once it ends. The old fixed window of 8 runs under the
//! same faults for comparison.

use std::time::{Duration, Instant};

use scoville::edge::{EdgeClient, LimiterStats};
use scoville::emulator::{Control, Fault, FaultConfig};
use scoville::live::{self, Scope};

use crate::measure::ms;

/// Faulted fetches, then clean ones until the fetch is as fast as before (at most this many).
const FAULTED_FETCHES: usize = 3;
const MAX_RECOVERY_FETCHES: usize = 8;

/// A fetch's wall time within this factor of the clean one counts as recovered.
const RECOVERED_WITHIN: f64 = 1.2;

/// The faults of the scenario: a burst of 503s, then 429s asking to wait a second on 2% of
/// requests.
pub fn faults(clean: &FaultConfig) -> FaultConfig {
    FaultConfig {
        seed: 17,
        rate_limit_rate: 0.02,
        retry_after_seconds: 1,
        script: vec![Fault::Error503; 12],
        ..clean.clone()
    }
}

/// One fetch of the scenario and the limit after it.
#[derive(Debug, Clone)]
pub struct Step {
    pub label: String,
    pub wall: Duration,
    pub requests: u64,
    pub limiter: LimiterStats,
}

/// What the scenario measured.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub before: Step,
    pub faulted: Vec<Step>,
    pub recovery: Vec<Step>,
    /// The same faulted fetches with the old fixed window of 8.
    pub fixed_faulted: Vec<Step>,
}

impl Outcome {
    pub fn backed_off(&self) -> bool {
        let last = &self.faulted.last().expect("faulted fetches").limiter;
        last.decreases > 0 && last.lowest_limit < self.before.limiter.limit
    }

    pub fn honoured_retry_after(&self) -> bool {
        self.faulted
            .last()
            .is_some_and(|step| step.limiter.retry_after_pauses > 0)
    }

    /// The first clean fetch after the faults within `RECOVERED_WITHIN` of the clean one.
    pub fn recovered_after(&self) -> Option<usize> {
        self.recovery
            .iter()
            .position(|step| {
                step.wall.as_secs_f64() <= self.before.wall.as_secs_f64() * RECOVERED_WITHIN
            })
            .map(|index| index + 1)
    }

    pub fn faulted_total(&self) -> Duration {
        self.faulted.iter().map(|step| step.wall).sum()
    }

    pub fn fixed_faulted_total(&self) -> Duration {
        self.fixed_faulted.iter().map(|step| step.wall).sum()
    }

    pub fn print(&self) {
        let line = |step: &Step| {
            println!(
                "      {:<22} fetch {:>9} | {:>4} requests | window {:>3} (lowest {}, peak {}), {} decreases, {} overload answers, {} Retry-After pauses",
                step.label,
                ms(step.wall),
                step.requests,
                step.limiter.limit,
                step.limiter.lowest_limit,
                step.limiter.peak_limit,
                step.limiter.decreases,
                step.limiter.overloads,
                step.limiter.retry_after_pauses,
            )
        };
        line(&self.before);
        self.faulted.iter().for_each(line);
        self.recovery.iter().for_each(line);
        println!("      the same faults with the old fixed window of 8:");
        self.fixed_faulted.iter().for_each(line);
    }
}

async fn step(label: String, client: &EdgeClient, scope: &Scope) -> Step {
    let before = client.stats();
    let started = Instant::now();
    live::fetch(client, scope)
        .await
        .expect("the fetch completes under push-back (retries)");
    Step {
        label,
        wall: started.elapsed(),
        requests: client.stats().since(&before).total().requests,
        limiter: client.limiter_stats(),
    }
}

/// Runs the scenario with a fresh adaptive client and a fresh fixed-8 one; `clean` is the
/// emulator's fault configuration without push-back (latency only), restored at the end.
pub async fn run(
    control: &Control,
    clean: &FaultConfig,
    adaptive: &EdgeClient,
    fixed_8: &EdgeClient,
    scope: &Scope,
) -> Outcome {
    control.set_faults(clean.clone());
    // One fetch to open connections and grow the window, as a real run's first reads would.
    step("warm-up".to_string(), adaptive, scope).await;
    let before = step("before the faults".to_string(), adaptive, scope).await;
    control.set_faults(faults(clean));
    let mut faulted = Vec::new();
    for n in 1..=FAULTED_FETCHES {
        faulted.push(step(format!("push-back, fetch {n}"), adaptive, scope).await);
    }
    control.set_faults(clean.clone());
    let mut recovery = Vec::new();
    for n in 1..=MAX_RECOVERY_FETCHES {
        let step = step(format!("faults off, fetch {n}"), adaptive, scope).await;
        let recovered = step.wall.as_secs_f64() <= before.wall.as_secs_f64() * RECOVERED_WITHIN;
        recovery.push(step);
        if recovered {
            break;
        }
    }
    // The same faults, from the same seed, with the old fixed window.
    step("warm-up".to_string(), fixed_8, scope).await;
    control.set_faults(faults(clean));
    let mut fixed_faulted = Vec::new();
    for n in 1..=FAULTED_FETCHES {
        fixed_faulted.push(step(format!("fixed 8, fetch {n}"), fixed_8, scope).await);
    }
    control.set_faults(clean.clone());
    Outcome {
        before,
        faulted,
        recovery,
        fixed_faulted,
    }
}
