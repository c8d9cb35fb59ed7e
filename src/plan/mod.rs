//! The planner: `plan(&Desired, &Live, &PlanOptions) -> Plan`, pure and deterministic.
//!
//! No I/O, no clock, no randomness, only ordered collections: equal inputs give byte-identical
//! plans (a test reads this module's source to keep it so). The plan is a list of concrete Edge
//! API calls with their bodies, ordered by an explicit dependency graph (`graph`, documented in
//! `ARCHITECTURE.md`), with a reason for each, or a list of problems and no steps.
//!
//! Layout: `types` (the Plan value), `body` (calls, bodies, symbolic references and their
//! resolution into wire requests), `problems` (refusals), one module per kind of diff (`users`,
//! `workspace` with members and teams, `distributions`, `rules`), `graph` (ordering), `safety`
//! (thresholds), `shares` (share-of-assignment math) and `fingerprint` (stale-plan detection).

mod body;
mod body_booking;
mod body_booking_wire;
mod booking;
mod builder;
mod distributions;
mod fingerprint;
mod graph;
mod links;
mod lookalike;
mod meeting_types;
mod opaque;
mod problems;
mod reminders;
mod rules;
mod safety;
mod shares;
mod types;
mod users;
mod workspace;

pub use body::*;
pub use body_booking::*;
pub use body_booking_wire::*;
pub use fingerprint::{StaleObject, describe_address, fingerprint, stale_objects};
pub use graph::{op_rank, order_violations};
pub use problems::{PlanError, PlanProblem};
pub use safety::Counted;
pub use shares::{share_changes, share_of};
pub use types::*;

use crate::model::{Desired, Live, Policy};

/// What the planner needs besides the two states.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanOptions {
    /// Pruning, thresholds and ignore entries (the manifests' policy block).
    pub policy: Policy,
    /// `--allow-destructive`: plans past the safety thresholds are allowed (with a warning).
    pub allow_destructive: bool,
    /// Today (UTC), which the CLI reads: ignore entries that expired before it no longer
    /// apply. `None` applies every entry (tests, and plans of a day that does not matter).
    pub today: Option<jiff::civil::Date>,
    /// Leave `Plan::fingerprints` empty: for a plan only shown as text or Markdown, which show
    /// none of them. Fingerprinting digests every live object the plan read (61,000 on a
    /// 50,000-user org, about a tenth of `scoville plan`'s CPU there); a plan that is saved,
    /// applied, printed as JSON or recorded for drift must keep them (the default).
    pub without_fingerprints: bool,
}

impl PlanOptions {
    /// The options for planning `desired`: its own policy plus the CLI flag.
    pub fn new(desired: &Desired, allow_destructive: bool) -> PlanOptions {
        PlanOptions {
            policy: desired.policy.clone(),
            allow_destructive,
            today: None,
            without_fingerprints: false,
        }
    }

    /// The same options as of `today`, so that expired ignore entries stop applying.
    pub fn on(mut self, today: jiff::civil::Date) -> PlanOptions {
        self.today = Some(today);
        self
    }

    /// The same options, without fingerprints (`without_fingerprints`).
    pub fn without_fingerprints(mut self) -> PlanOptions {
        self.without_fingerprints = true;
        self
    }
}

/// Diffs the manifests against the live org.
///
/// The result is either steps (possibly none) or, when anything cannot be planned (tenant
/// mismatch, missing workspace, impossible operation, safety threshold), problems and no steps:
/// check `Plan::outcome()`; the CLI exits 1 on `PlanOutcome::Refused`.
pub fn plan(desired: &Desired, live: &Live, options: &PlanOptions) -> Plan {
    let mut planner = builder::Planner::new(desired, live, options);
    if let Some((pinned, at)) = &desired.tenant {
        match &live.tenant {
            Some(tenant) if &tenant.tenant_id == pinned => {}
            Some(tenant) => {
                // A token of another org: nothing about that org is of interest.
                planner.problem(PlanProblem::TenantMismatch {
                    pinned: pinned.clone(),
                    live: tenant.tenant_id.clone(),
                    at: at.clone(),
                });
                return planner.finish();
            }
            None => {
                planner.problem(PlanProblem::TenantUnknown {
                    pinned: pinned.clone(),
                    at: at.clone(),
                });
                return planner.finish();
            }
        }
    }
    planner.plan_users();
    for (name, workspace) in &desired.workspaces {
        let name = planner.workspace_name(name, &workspace.source).into_owned();
        let workspace = planner.resolve_look_alikes(&name, workspace);
        planner.planned_workspaces.insert(name.clone());
        planner.plan_workspace(&name, &workspace);
    }
    planner.list_undeclared_workspaces();
    planner.check_thresholds();
    planner.finish()
}
