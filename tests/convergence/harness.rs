//! The convergence harness: an emulator with the real client, one `scoville apply` as the CLI
//! does it (fetch -> plan -> apply), repeated under faults until nothing is left to do.

use std::sync::Arc;
use std::time::Duration;

use scoville::apply::{self, ApplyOptions, ApplyReport, SilentProgress};
use scoville::edge::{ApiToken, ClientOptions, EdgeClient, Endpoint, RetryPolicy};
use scoville::emulator::{self, DEMO_ADMIN_TOKEN, FaultConfig, Options, Running, Seed};
use scoville::live::{self, Scope};
use scoville::model::Desired;
use scoville::plan::{Plan, PlanOptions, PlanOutcome, plan};
use scoville::render;

/// Applies allowed before the plan must be empty.
pub const MAX_APPLIES: u64 = 5;

/// The fault mix of every convergence run: 13% of reads and 28% of writes fail. Errors (500,
/// 502, 503), 429 without a wait, connections dropped before the operation runs, and
/// ambiguous writes (the operation runs, then a 502 or a dropped connection).
pub fn fault_mix(seed: u64) -> FaultConfig {
    FaultConfig {
        seed,
        error_rate: 0.05,
        rate_limit_rate: 0.03,
        retry_after_seconds: 0,
        drop_rate: 0.05,
        ambiguous_rate: 0.15,
        ..FaultConfig::default()
    }
}

/// Retries without real waiting: the emulator has no latency and the test has no clock.
pub fn fast_retries(jitter_seed: u64) -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        min_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        max_retry_after: Duration::from_millis(2),
        jitter_seed: Some(jitter_seed),
    }
}

pub async fn start(seed: Seed) -> Running {
    emulator::start(Options::new(seed))
        .await
        .expect("the emulator starts")
}

pub fn client(running: &Running, retry: RetryPolicy) -> EdgeClient {
    EdgeClient::new(
        Endpoint::parse(&running.base_url()).unwrap(),
        ApiToken::from_literal(DEMO_ADMIN_TOKEN).unwrap(),
        ClientOptions {
            parallelism: 4,
            retry,
            request_timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(5),
            ..ClientOptions::default()
        },
    )
    .unwrap()
}

/// Reads the org and plans `desired` against it, as `scoville plan` does.
pub async fn fetch_and_plan(client: &EdgeClient, desired: &Desired) -> Result<Plan, String> {
    let live = live::fetch(client, &Scope::for_desired(desired))
        .await
        .map_err(|e| e.to_string())?;
    Ok(plan(desired, &live, &PlanOptions::new(desired, false)))
}

/// Applies a plan as `scoville apply --auto-approve` does (without fail-fast).
pub async fn apply_plan(client: &EdgeClient, plan: &Plan) -> ApplyReport {
    apply::run(
        client,
        plan,
        &ApplyOptions::default(),
        Arc::new(SilentProgress),
    )
    .await
}

/// What one run of `scoville apply` did.
#[derive(Debug)]
pub enum Run {
    /// Reading the org failed (a 500 is not retried): the run changed nothing.
    FetchFailed(String),
    /// The plan was empty.
    NothingToDo,
    /// The planner refused the org as the earlier runs left it (two teams of one name, say).
    Refused(String),
    Applied(ApplyReport),
}

/// The runs of a convergence attempt, and whether the org converged.
#[derive(Debug)]
pub struct Convergence {
    pub runs: Vec<Run>,
    /// The plan against the final org, read without faults; `None` when it is empty.
    pub leftover: Option<String>,
}

impl Convergence {
    pub fn applies(&self) -> usize {
        self.runs
            .iter()
            .filter(|run| matches!(run, Run::Applied(_)))
            .count()
    }

    /// Every run, failures with their errors: what a person debugging a failed case reads.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for (index, run) in self.runs.iter().enumerate() {
            out.push_str(&format!("--- run {}: ", index + 1));
            match run {
                Run::FetchFailed(error) => out.push_str(&format!("fetch failed: {error}\n")),
                Run::NothingToDo => out.push_str("nothing to do\n"),
                Run::Refused(plan) => out.push_str(&format!("refused:\n{plan}")),
                Run::Applied(report) => {
                    out.push('\n');
                    out.push_str(&report.render_text());
                }
            }
        }
        if let Some(leftover) = &self.leftover {
            out.push_str(&format!("--- left over after the runs:\n{leftover}"));
        }
        out
    }
}

/// Runs `scoville apply` up to `MAX_APPLIES` times with the fault mix (a different fault
/// seed each run) until a plan comes out empty, then plans once more without faults to see
/// what is left. Stops at a refused plan, which only an earlier apply can have caused (the
/// first plan of generated manifests is never refused: that panics).
pub async fn converge(
    running: &Running,
    client: &EdgeClient,
    desired: &Desired,
    fault_seed: u64,
) -> Convergence {
    let control = running.control();
    let mut runs = Vec::new();
    let mut run_number = 0u64;
    while runs
        .iter()
        .filter(|run| matches!(run, Run::Applied(_)))
        .count()
        < MAX_APPLIES as usize
    {
        run_number += 1;
        // A run whose read failed changed nothing; do not let bad luck on reads end the
        // attempt, but do not loop for ever either.
        if run_number > 3 * MAX_APPLIES {
            break;
        }
        control.set_faults(fault_mix(fault_seed.wrapping_add(run_number)));
        let planned = match fetch_and_plan(client, desired).await {
            Ok(planned) => planned,
            Err(error) => {
                runs.push(Run::FetchFailed(error));
                continue;
            }
        };
        if planned.outcome() == PlanOutcome::Refused {
            let text = render::text(&planned, false);
            assert!(
                runs.iter().any(|run| matches!(run, Run::Applied(_))),
                "the generated manifests are refused before any apply:\n{text}"
            );
            runs.push(Run::Refused(text));
            break;
        }
        if planned.steps.is_empty() {
            runs.push(Run::NothingToDo);
            break;
        }
        runs.push(Run::Applied(apply_plan(client, &planned).await));
    }
    control.set_faults(FaultConfig::default());
    let last = fetch_and_plan(client, desired)
        .await
        .expect("reading without faults works");
    let leftover = (!last.steps.is_empty() || last.outcome() != PlanOutcome::NoChanges)
        .then(|| render::text(&last, false));
    Convergence { runs, leftover }
}
