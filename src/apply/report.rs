//! What an apply did: every step's outcome in plan order, as a table for people and JSON for
//! CI artifacts.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::plan::{Plan, Step, StepId};

/// One step's fate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "status",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum StepStatus {
    /// The call succeeded. `read_back` is set when its answer was lost and reading the target
    /// back showed the change had been made.
    Done {
        created_id: Option<String>,
        read_back: bool,
    },
    /// The call failed; nothing after it that depends on it was sent.
    Failed { error: String },
    /// Not sent because a step it depends on did not succeed.
    Skipped { because: StepId },
    /// Not sent because `--fail-fast` or an interrupt (Ctrl-C, SIGTERM) stopped the apply.
    NotStarted,
}

/// A step and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepOutcome {
    pub id: StepId,
    pub op: String,
    pub target: String,
    #[serde(flatten)]
    pub status: StepStatus,
    /// Calls sent for the step (more than one only after an unknown outcome read back as absent).
    pub attempts: u32,
    /// Ids the step's answer gave besides its own, under the keys later steps resolve them by:
    /// the reminder a `meeting-type-create` seeded (`plan::seeded_reminder_key`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_created: Vec<(StepId, String)>,
}

impl StepOutcome {
    pub fn new(step: &Step, status: StepStatus, attempts: u32) -> StepOutcome {
        StepOutcome {
            id: step.id.clone(),
            op: step.call.op().id.to_string(),
            target: step.target.clone(),
            status,
            attempts,
            also_created: Vec::new(),
        }
    }

    pub fn succeeded(&self) -> bool {
        matches!(self.status, StepStatus::Done { .. })
    }

    fn label(&self) -> &'static str {
        match self.status {
            StepStatus::Done {
                read_back: false, ..
            } => "done",
            StepStatus::Done {
                read_back: true, ..
            } => "done (read back)",
            StepStatus::Failed { .. } => "FAILED",
            StepStatus::Skipped { .. } => "skipped",
            StepStatus::NotStarted => "not started",
        }
    }
}

/// The outcome of a whole apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyReport {
    /// `Desired::content_hash` of the manifests the plan came from.
    pub content_hash: String,
    pub tenant: Option<String>,
    pub steps: Vec<StepOutcome>,
    pub n_done: usize,
    pub n_failed: usize,
    pub n_skipped: usize,
    /// True when an interrupt (Ctrl-C, SIGTERM) stopped the apply before its end.
    #[serde(default)]
    pub interrupted: bool,
}

impl ApplyReport {
    pub fn new(plan: &Plan, steps: Vec<StepOutcome>) -> ApplyReport {
        let count = |f: fn(&StepStatus) -> bool| steps.iter().filter(|s| f(&s.status)).count();
        ApplyReport {
            content_hash: plan.content_hash.clone(),
            tenant: plan.tenant.clone(),
            n_done: count(|s| matches!(s, StepStatus::Done { .. })),
            n_failed: count(|s| matches!(s, StepStatus::Failed { .. })),
            n_skipped: count(|s| matches!(s, StepStatus::Skipped { .. } | StepStatus::NotStarted)),
            steps,
            interrupted: false,
        }
    }

    /// True when every step succeeded (and so when there were none).
    pub fn succeeded(&self) -> bool {
        self.n_failed == 0 && self.n_skipped == 0
    }

    /// What an apply prints on standard output at its end: every step that did not succeed
    /// (failures with their error, skipped steps with the step they waited for), then a summary
    /// line. Steps that were done, and steps an interrupt or `--fail-fast` kept from starting,
    /// are counted only: each finished step was already logged on standard error as it ended,
    /// and the JSON report lists every step.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        if self.steps.is_empty() {
            out.push_str("Nothing to apply.\n");
            return out;
        }
        let listed: Vec<&StepOutcome> = self
            .steps
            .iter()
            .filter(|s| {
                matches!(
                    s.status,
                    StepStatus::Failed { .. } | StepStatus::Skipped { .. }
                )
            })
            .collect();
        let width = listed.iter().map(|s| s.label().len()).max().unwrap_or(0);
        for step in &listed {
            let _ = writeln!(
                out,
                "  {:width$}  {}  {}",
                step.label(),
                step.op,
                step.target
            );
            match &step.status {
                StepStatus::Failed { error } => {
                    let _ = writeln!(out, "  {:width$}    error: {error}", "");
                }
                StepStatus::Skipped { because } => {
                    let _ = writeln!(
                        out,
                        "  {:width$}    because `{because}` did not succeed",
                        ""
                    );
                }
                StepStatus::Done { .. } | StepStatus::NotStarted => {}
            }
        }
        if !listed.is_empty() {
            out.push('\n');
        }
        if self.interrupted {
            let n_not_started = self.steps.len() - self.n_done - self.n_failed;
            let failed = match self.n_failed {
                0 => String::new(),
                n => format!(", {n} failed"),
            };
            let _ = writeln!(
                out,
                "interrupted: {} done{failed}, {n_not_started} not started; plan again to see \
                 what is left",
                self.n_done
            );
            return out;
        }
        let _ = writeln!(
            out,
            "Apply: {} done, {} failed, {} skipped.",
            self.n_done, self.n_failed, self.n_skipped
        );
        if !self.succeeded() {
            out.push_str(
                "Nothing was rolled back. Fix the cause, then run `scoville plan` to see the \
                 remaining work and apply again.\n",
            );
        }
        out
    }
}
