//! The applier: runs a plan's steps against the Edge API, phase by phase, and reports what
//! happened to each.
//!
//! It makes no decisions of its own. Every call it sends is a step of the plan, with the body
//! the plan spelled (`plan::Call::request` fills in the ids that earlier steps created). What
//! it does decide is only how to survive an unreliable network without changing the outcome:
//!
//! - Steps of one phase are independent and run concurrently, bounded by the client's
//!   parallelism. A phase starts when the previous one has finished.
//! - A step whose dependency did not succeed is skipped, and so are its dependents.
//!   Independent steps continue, unless `fail_fast` is set.
//! - A non-idempotent call (create, delete, rule modify) whose outcome is unknown (timeout,
//!   5xx, dropped connection) is resolved by reading back before anything is sent again: if
//!   the object now is as planned, the step is done; only if the change is absent is the call
//!   repeated. So an ambiguous write never makes a duplicate.

mod booking;
mod execute;
mod interrupt;
pub mod lock;
mod progress;
mod report;
mod twins;
pub mod verify;

pub use interrupt::{DEFAULT_GRACE, EXIT_INTERRUPTED, Interrupt, listen_for_signals};
pub use progress::{LogProgress, Progress, SilentProgress, TerminalProgress};
pub use report::{ApplyReport, StepOutcome, StepStatus};

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::edge::EdgeClient;
use crate::plan::{Plan, PlanInputs, StepId};

/// How to run a plan.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Stop starting new steps after the first failure.
    pub fail_fast: bool,
    /// How many times a create whose outcome stayed unknown is sent in all, read-backs between.
    pub max_attempts: u32,
    /// Stops the apply when requested (`listen_for_signals`); `None` runs to the end with
    /// steps bounded by the client's parallelism.
    pub interrupt: Option<Interrupt>,
    /// The plan's inputs, to check before each phase after the first that the steps not run
    /// yet are still what a plan made now would send (`verify::recheck_remaining`); `None`
    /// skips the check.
    pub recheck: Option<Arc<PlanInputs>>,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            fail_fast: false,
            max_attempts: 3,
            interrupt: None,
            recheck: None,
        }
    }
}

/// Runs `plan` against the org behind `client` and reports every step's outcome.
///
/// A refused or empty plan runs nothing. The report lists the steps in plan order.
pub async fn run(
    client: &EdgeClient,
    plan: &Plan,
    options: &ApplyOptions,
    progress: Arc<dyn Progress>,
) -> ApplyReport {
    let mut outcomes: BTreeMap<StepId, StepOutcome> = BTreeMap::new();
    // Ids created by finished steps (invited users, created teams/distributions/rules).
    let mut created: BTreeMap<StepId, String> = BTreeMap::new();
    let mut stopped = false;
    let interrupt = options
        .interrupt
        .clone()
        .unwrap_or_else(|| Interrupt::new(client.options().parallelism, interrupt::DEFAULT_GRACE));
    progress.begin(plan.steps.len());

    for (index, phase) in plan.phases.iter().enumerate() {
        // The org may have changed while earlier phases ran: check again before writing more.
        let mut halted: Option<String> = None;
        if index > 0
            && !stopped
            && let Some(inputs) = &options.recheck
        {
            let remaining: Vec<_> = plan.phases[index..]
                .iter()
                .flatten()
                .filter_map(|id| plan.step(id))
                .collect();
            if let Err(error) =
                verify::recheck_remaining(client, plan, inputs, &remaining, &created).await
            {
                stopped = true;
                halted = Some(format!("not sent, and nothing after it: {error}"));
            }
        }
        let mut tasks = tokio::task::JoinSet::new();
        for step_id in phase {
            let Some(step) = plan.step(step_id) else {
                continue;
            };
            let blocked_by = step
                .depends_on
                .iter()
                .find(|dependency| {
                    !outcomes
                        .get(*dependency)
                        .is_some_and(StepOutcome::succeeded)
                })
                .cloned();
            // The follow-ups of a create this apply made finish it, interrupted or not.
            let finishes_a_create = step.call.completes_a_create() && blocked_by.is_none();
            let skip = match (&blocked_by, stopped) {
                // Interrupted: nothing more starts, whatever its dependencies did.
                _ if interrupt.requested() && !finishes_a_create => Some(StepStatus::NotStarted),
                _ if halted.is_some() => Some(StepStatus::Failed {
                    error: halted.take().unwrap_or_default(),
                }),
                (Some(dependency), _) => Some(StepStatus::Skipped {
                    because: dependency.clone(),
                }),
                (None, true) => Some(StepStatus::NotStarted),
                (None, false) => None,
            };
            if let Some(status) = skip {
                let outcome = StepOutcome::new(step, status, 0);
                progress.finished(&outcome);
                outcomes.insert(step.id.clone(), outcome);
                continue;
            }
            let client = client.clone();
            let step = step.clone();
            let created = created.clone();
            let options = options.clone();
            let progress = Arc::clone(&progress);
            let interrupt = interrupt.clone();
            tasks.spawn(async move {
                let work = async {
                    progress.started(&step);
                    execute::step(&client, &step, &created, &options).await
                };
                let outcome = if finishes_a_create {
                    interrupt.run_finishing_step(&step, work).await
                } else {
                    interrupt.run_step(&step, work).await
                };
                progress.finished(&outcome);
                outcome
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let outcome = match joined {
                Ok(outcome) => outcome,
                Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
                Err(error) => unreachable!("apply tasks are never cancelled: {error}"),
            };
            if let StepStatus::Done {
                created_id: Some(id),
                ..
            } = &outcome.status
            {
                created.insert(outcome.id.clone(), id.clone());
            }
            for (key, id) in &outcome.also_created {
                created.insert(key.clone(), id.clone());
            }
            if matches!(outcome.status, StepStatus::Failed { .. }) && options.fail_fast {
                stopped = true;
            }
            outcomes.insert(outcome.id.clone(), outcome);
        }
    }
    progress.end();

    let ordered = plan
        .steps
        .iter()
        .filter_map(|step| outcomes.remove(&step.id))
        .collect();
    let mut report = ApplyReport::new(plan, ordered);
    report.interrupted = interrupt.requested();
    report
}
