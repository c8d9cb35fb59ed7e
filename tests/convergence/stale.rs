//! The stale-read property: for generated orgs and manifests, a person edits the org by hand
//! (a new distribution on a team, a changed weight, a deleted distribution, a team created
//! under a name the plan creates, a member removed) at a scripted moment: after the plan and
//! before the apply, or during the apply (after its first step). The apply runs as the CLI
//! runs it: verification against a fresh read, then the steps with a re-check before each
//! later phase. After every run:
//!
//! - no create ran twice, and no workspace holds two teams, distributions or rules of one name;
//! - a refused verification wrote nothing, and its message names the object edited and the
//!   person (by email);
//! - an apply that went ahead sent only steps a plan made from the org at that moment has;
//! - a run halted by the re-check names the object edited.
//!
//! Edits during a phase can still meet steps of that same phase (the API has no preconditions
//! on most writes); the property checks the phases after the edit, which the re-check covers.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, RngSeed};

use super::generate;
use super::harness;
use super::property::created_more_than_once;
use scoville::apply::verify::{self, VerifyError};
use scoville::apply::{self, ApplyOptions, Progress, StepOutcome, StepStatus};
use scoville::edge::wire;
use scoville::emulator::{Control, OrgState};
use scoville::plan::{Plan, PlanInputs, PlanOutcome, StepId};

/// Cases per run: each is one emulator, a plan, an edit and an apply (tens of ms in debug).
const CASES: u32 = 32;

/// A hand edit: what and when.
#[derive(Debug, Clone)]
struct Edit {
    kind: u8,
    pick: u8,
    during_apply: bool,
}

fn edit() -> impl Strategy<Value = Edit> {
    (0u8..5, any::<u8>(), any::<bool>()).prop_map(|(kind, pick, during_apply)| Edit {
        kind,
        pick,
        during_apply,
    })
}

/// What an edit did, for the checks: the name of the object it touched and who did it.
#[derive(Debug, Clone)]
struct Done {
    name: String,
    /// Who made the edit, when the org keeps it (not for a deletion).
    email: Option<String>,
}

fn nth<T>(items: &[T], pick: u8) -> Option<&T> {
    (!items.is_empty()).then(|| &items[usize::from(pick) % items.len()])
}

/// Makes the edit as a person in the UI; `None` when the org has nothing to edit that way.
fn make_edit(control: &Control, plan: &Plan, edit: &Edit) -> Option<Done> {
    let state = control.state();
    let (person_id, person) = state.users.iter().next()?;
    let ui = control.as_user(person_id).ok()?;
    let done = |name: &str| Done {
        name: name.to_string(),
        email: Some(person.email.to_lowercase()),
    };
    let planned_workspaces: BTreeSet<&str> = plan
        .steps
        .iter()
        .filter_map(|step| step.workspace.as_deref())
        .collect();
    let in_plan = |workspace_id: &str| {
        state
            .workspaces
            .get(workspace_id)
            .is_some_and(|w| planned_workspaces.contains(w.name.as_str()))
    };
    let teams: Vec<&wire::Team> = state
        .teams
        .values()
        .filter(|t| in_plan(&t.workspace_id) && !t.members.is_empty())
        .collect();
    let distributions: Vec<&wire::DistributionConfig> = state
        .distributions
        .values()
        .filter(|d| in_plan(&d.workspace_id))
        .collect();
    match edit.kind {
        // A new dependent: a distribution on a team, weighting its members.
        0 => {
            let team = nth(&teams, edit.pick)?;
            let name = format!("Hand-made {}", edit.pick);
            let request = wire::DistributionWriteRequest {
                team_id: team.id.clone(),
                workspace_id: team.workspace_id.clone(),
                assignment_type_config: wire::AssignmentTypeConfig::Conversation,
                weights: Some(
                    team.members
                        .iter()
                        .map(|user_id| wire::UserWeight {
                            user_id: user_id.clone(),
                            weight: 100,
                        })
                        .collect(),
                ),
                manual_calibration: None,
                capping: None,
                name: name.clone(),
            };
            ui.create_distribution(&request).ok()?;
            Some(done(&name))
        }
        // A weight changed.
        1 => {
            let distribution = nth(&distributions, edit.pick)?;
            let first = distribution.weights.as_ref()?.first()?;
            let weight = if first.weight >= 9_000 {
                1
            } else {
                first.weight + 7
            };
            ui.set_distribution_weights(&distribution.distribution_id, &[(&first.user_id, weight)])
                .ok()?;
            Some(done(distribution.name.as_deref()?))
        }
        // A distribution deleted.
        2 => {
            let distribution = nth(&distributions, edit.pick)?;
            ui.delete_distribution(&distribution.distribution_id).ok()?;
            // A deleted object keeps no metadata: the API cannot say who deleted it.
            Some(Done {
                email: None,
                ..done(distribution.name.as_deref()?)
            })
        }
        // A team created under a name the plan creates (a twin of the plan's own create).
        3 => {
            let creates: Vec<_> = plan
                .steps
                .iter()
                .filter_map(|step| match &step.call {
                    scoville::plan::Call::TeamCreate { .. } => {
                        step.call.request(&|_: &StepId| None).ok()
                    }
                    _ => None,
                })
                .collect();
            let request = nth(&creates, edit.pick)?;
            let body: wire::CreateTeamRequest =
                serde_json::from_value(request.body.clone()?).ok()?;
            // A person making a second team where one already exists is not the case here.
            if state
                .teams
                .values()
                .any(|t| t.workspace_id == body.workspace_id && t.name == body.name)
            {
                return None;
            }
            let members: Vec<&str> = body.members.iter().flatten().map(String::as_str).collect();
            ui.create_team(&body.workspace_id, &body.name, &members)
                .ok()?;
            Some(done(&body.name))
        }
        // A member removed from a team.
        _ => {
            let team = nth(&teams, edit.pick)?;
            let member = nth(&team.members, edit.pick)?;
            ui.team_remove_users(&team.id, &[member]).ok()?;
            Some(done(&team.name))
        }
    }
}

/// Makes the edit once, when the first step of the apply has finished, and keeps the org as it
/// was right after the edit for the checks.
struct EditDuringApply {
    control: Control,
    plan: Plan,
    edit: Edit,
    made: Mutex<Option<(usize, Option<Done>, OrgState)>>,
    /// The org when the first step after the edit's phase starts: what the re-check before
    /// that phase read (nothing else writes), and so the moment the later steps are judged at.
    /// Steps of the edit's own phase may still meet the edit (the API has no preconditions).
    at_next_phase: Mutex<Option<OrgState>>,
    phase_of: BTreeMap<StepId, usize>,
}

impl Progress for EditDuringApply {
    fn started(&self, step: &scoville::plan::Step) {
        let made = self.made.lock().unwrap();
        let Some((edit_phase, ..)) = made.as_ref() else {
            return;
        };
        let mut at_next_phase = self.at_next_phase.lock().unwrap();
        if at_next_phase.is_none() && step.phase > *edit_phase {
            *at_next_phase = Some(self.control.state());
        }
    }

    fn finished(&self, outcome: &StepOutcome) {
        let mut made = self.made.lock().unwrap();
        if made.is_none() {
            let done = make_edit(&self.control, &self.plan, &self.edit);
            let phase = self.phase_of.get(&outcome.id).copied().unwrap_or(0);
            *made = Some((phase, done, self.control.state()));
        }
    }
}

fn run_case(case: &generate::Case, edit: &Edit) -> Result<(), String> {
    let (org, desired_model) = case.build();
    let desired = scoville::manifest::load_texts(&desired_model.to_manifests())
        .map_err(|d| d.render_text())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let running = harness::start(org.to_seed()).await;
        let client = harness::client(&running, harness::fast_retries(case.fault_seed));
        let control = running.control();
        let approved = harness::fetch_and_plan(&client, &desired).await?;
        if approved.outcome() != PlanOutcome::Changes {
            return Ok(());
        }
        let inputs = PlanInputs {
            desired: desired.clone(),
            allow_destructive: false,
        };
        let mut failures = Vec::new();
        let before_verify = if edit.during_apply {
            None
        } else {
            make_edit(&control, &approved, edit)
        };
        control.clear_journal();
        let verified = verify::verify(&client, &approved, Some(&inputs)).await;
        if let Err(error) = &verified {
            let writes = writes_in(&control);
            if !writes.is_empty() {
                failures.push(format!("a refused verification wrote: {writes:?}"));
            }
            let message = error.to_string();
            match (error, &before_verify) {
                (VerifyError::Changed(report), Some(done)) => {
                    if !message.contains(&done.name) {
                        failures.push(format!(
                            "the refusal does not name `{}`:\n{message}",
                            done.name
                        ));
                    }
                    if let Some(email) = &done.email
                        && report.changes.iter().all(|c| !c.contains(email))
                    {
                        failures.push(format!("the refusal does not name `{email}`:\n{message}"));
                    }
                }
                _ => failures.push(format!("refused without an edit: {message}")),
            }
        } else {
            // Verification passed: the plan made now is the approved one.
            let now = harness::fetch_and_plan(&client, &desired).await?;
            if now.steps != approved.steps {
                failures.push("verification passed but a plan made now differs".to_string());
            }
            let hook = Arc::new(EditDuringApply {
                control: control.clone(),
                plan: approved.clone(),
                edit: edit.clone(),
                made: Mutex::new(if edit.during_apply {
                    None
                } else {
                    Some((usize::MAX, None, control.state()))
                }),
                at_next_phase: Mutex::new(None),
                phase_of: approved
                    .steps
                    .iter()
                    .map(|s| (s.id.clone(), s.phase))
                    .collect(),
            });
            let options = ApplyOptions {
                recheck: Some(Arc::new(inputs.clone())),
                ..ApplyOptions::default()
            };
            let report = apply::run(&client, &approved, &options, hook.clone()).await;
            let made = hook.made.lock().unwrap().take();
            let at_next_phase = hook.at_next_phase.lock().unwrap().take();
            if let Some((edit_phase, Some(done), at_edit)) = made {
                let judged_at = at_next_phase.unwrap_or(at_edit);
                let fresh = plan_against(org.to_seed(), &judged_at, &desired).await?;
                let fresh_ids: BTreeMap<&StepId, _> =
                    fresh.steps.iter().map(|s| (&s.id, &s.detail)).collect();
                for outcome in &report.steps {
                    let Some(step) = approved.step(&outcome.id) else {
                        continue;
                    };
                    // The steps that finish a create of this apply (the reminder a
                    // meeting-type create seeds) act on its answer, as the re-check knows.
                    if step.call.completes_a_create() {
                        continue;
                    }
                    let done_after_edit = step.phase > edit_phase
                        && matches!(outcome.status, StepStatus::Done { .. });
                    if done_after_edit && fresh_ids.get(&step.id) != Some(&&step.detail) {
                        failures.push(format!(
                            "`{}` ran after the edit of `{}` although a plan made then differs",
                            step.id, done.name
                        ));
                    }
                    if let StepStatus::Failed { error } = &outcome.status
                        && error.starts_with("not sent")
                        && !error.contains(&done.name)
                    {
                        failures.push(format!("the halt does not name `{}`: {error}", done.name));
                    }
                }
            }
        }
        failures.extend(created_more_than_once(&control.journal()));
        failures.extend(twins(&control.state()));
        if failures.is_empty() {
            Ok(())
        } else {
            Err(format!("{edit:?}\n{}", failures.join("\n")))
        }
    })
}

/// Plans `desired` against a copy of an org state, on an emulator of its own.
async fn plan_against(
    seed: scoville::emulator::Seed,
    state: &OrgState,
    desired: &scoville::model::Desired,
) -> Result<Plan, String> {
    let copy = harness::start(seed).await;
    copy.control().replace_state(state.clone());
    let client = harness::client(&copy, harness::fast_retries(1));
    harness::fetch_and_plan(&client, desired).await
}

fn writes_in(control: &Control) -> Vec<String> {
    control
        .journal()
        .into_iter()
        .filter_map(|entry| entry.operation.filter(|op| is_write(op)))
        .collect()
}

/// A write is an operation whose permission is not a read one (the operation table's).
fn is_write(op: &str) -> bool {
    scoville::edge::ops::by_id(op).is_none_or(|op| !op.permission.ends_with(".read"))
}

/// Two live objects of one kind and name in one workspace.
fn twins(state: &OrgState) -> Vec<String> {
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for team in state.teams.values() {
        *seen
            .entry(("team".into(), team.workspace_id.clone(), team.name.clone()))
            .or_default() += 1;
    }
    for d in state.distributions.values() {
        let name = d.name.clone().unwrap_or_default();
        *seen
            .entry(("distribution".into(), d.workspace_id.clone(), name))
            .or_default() += 1;
    }
    for stored in state.rules.values().filter(|r| r.deleted.is_none()) {
        let body = stored.rule.body();
        *seen
            .entry(("rule".into(), body.workspace_id.clone(), body.name.clone()))
            .or_default() += 1;
    }
    seen.into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|((kind, workspace, name), n)| format!("{n} {kind}s named `{name}` in {workspace}"))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        max_shrink_iters: 100,
        rng_seed: RngSeed::Fixed(0x5ca1e),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/stale.txt",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn hand_edits_before_and_during_apply_never_lead_to_unplanned_writes_or_twins(
        case in generate::case(),
        edit in edit(),
    ) {
        let outcome = run_case(&case, &edit);
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }
}
