//! Verification right before the first write: read the org again, plan again from the same
//! inputs, and go ahead only if the fresh plan is the approved one.
//!
//! This is what keeps a write from being decided on a stale read, on every apply path (after
//! `yes`, with `--auto-approve`, and for a saved plan file). The invariant it enforces:
//!
//! > every call `apply` sends is a step of `plan(desired, live_now, options)`, where `live_now`
//! > is a read completed after the human approved and before the first write.
//!
//! Comparing fresh plan to approved plan step by step (call, body, before/after detail,
//! dependencies) is complete by construction: the planner is a pure function of
//! (manifests, policy, live org), so anything in the org that matters to the plan (a new
//! distribution weighting someone the plan removes from a team, a weight changed in a
//! distribution the plan rewrites, a team appearing under a name the plan creates) changes
//! the fresh plan, or makes it refused, and so stops the apply. Changes that do not matter to
//! the plan do not stop it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::edge::EdgeClient;
use crate::live::{self, LiveError, Scope};
use crate::model::{Live, Meta};
use crate::plan::{
    self, Address, Detail, Plan, PlanInputs, PlanOptions, Step, StepId, describe_address,
    stale_objects,
};

/// Why the approved plan may not be applied.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(
        "the plan file does not carry the manifests it was made from, so it cannot be checked \
         against the org right before writing; nothing was applied: re-run `scoville plan --out \
         FILE` with this version of scoville"
    )]
    NoInputs,
    #[error("cannot read the org again right before writing, so nothing was applied")]
    Read(#[source] LiveError),
    #[error("{0}")]
    Changed(ChangeReport),
}

/// What differs between the approved plan and a plan made from a fresh read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeReport {
    /// What changed in the org, who changed it and when (`distribution `SDR chat` in workspace
    /// `Sales` was created at ... by alice@example.com`).
    pub changes: Vec<String>,
    /// How the fresh plan differs from the approved one, step by step, and its refusals.
    pub differences: Vec<String>,
    /// Found between two phases of a running apply: the steps already done stay done.
    pub during_apply: bool,
}

impl ChangeReport {
    /// True when the fresh plan is the approved plan.
    pub fn is_empty(&self) -> bool {
        self.differences.is_empty()
    }
}

impl fmt::Display for ChangeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.during_apply {
            writeln!(
                f,
                "the org changed while the plan was being applied, and a plan made now differs \
                 from the one approved; the steps already done stay done, nothing more was sent"
            )?;
        } else {
            writeln!(
                f,
                "the org changed since the plan was made, and a plan made now differs from the \
                 one approved; nothing was applied"
            )?;
        }
        if !self.changes.is_empty() {
            writeln!(f, "what changed:")?;
            for change in &self.changes {
                writeln!(f, "  - {change}")?;
            }
        }
        writeln!(f, "how a plan made now differs:")?;
        for difference in &self.differences {
            writeln!(f, "  - {difference}")?;
        }
        write!(
            f,
            "re-run `scoville plan`, review the new plan, and apply that"
        )
    }
}

/// Reads the org again and plans again from `inputs`; `Ok` with the fresh read when the fresh
/// plan is `approved`, else why not. Costs one full read of the org (`live::fetch`).
pub async fn verify(
    client: &EdgeClient,
    approved: &Plan,
    inputs: Option<&PlanInputs>,
) -> Result<Live, VerifyError> {
    let inputs = inputs.ok_or(VerifyError::NoInputs)?;
    let live = live::fetch(client, &Scope::for_desired(&inputs.desired))
        .await
        .map_err(VerifyError::Read)?;
    let fresh = plan::plan(
        &inputs.desired,
        &live,
        &PlanOptions::new(&inputs.desired, inputs.allow_destructive),
    );
    let report = compare(approved, &fresh, &live);
    if report.is_empty() {
        Ok(live)
    } else {
        Err(VerifyError::Changed(report))
    }
}

/// Compares the approved plan with a plan made from `fresh_live`. Pure.
pub fn compare(approved: &Plan, fresh: &Plan, fresh_live: &Live) -> ChangeReport {
    let mut differences = Vec::new();
    if approved.tenant != fresh.tenant {
        differences.push(format!(
            "the plan was made for tenant `{}` but the token now reads tenant `{}`",
            approved.tenant.as_deref().unwrap_or("unknown"),
            fresh.tenant.as_deref().unwrap_or("unknown")
        ));
    }
    for error in &fresh.errors {
        differences.push(format!("a plan made now is refused: {}", error.message));
    }
    let approved_warnings: BTreeSet<&str> = approved
        .warnings
        .iter()
        .map(|warning| warning.message.as_str())
        .collect();
    for warning in &fresh.warnings {
        if !approved_warnings.contains(warning.message.as_str()) {
            differences.push(format!("a plan made now warns: {}", warning.message));
        }
    }
    if fresh.errors.is_empty() {
        differences.extend(step_differences(&approved.steps, &fresh.steps));
        // Apply runs the steps the phases name, in their order: a plan file whose phases leave
        // a step out, name one twice or reorder them would run other calls than the steps
        // compared above.
        if differences.is_empty()
            && (approved.phases != fresh.phases || approved.steps.len() != fresh.steps.len())
        {
            differences.push(
                "the plan's execution order (its phases) is not the one a plan made now has: \
                 the plan file was edited"
                    .to_string(),
            );
        }
    }
    let changes = if differences.is_empty() {
        Vec::new()
    } else {
        what_changed(approved, fresh_live)
    };
    ChangeReport {
        changes,
        differences,
        during_apply: false,
    }
}

/// Steps added, dropped or changed, in the approved plan's order, then the new ones.
fn step_differences(approved: &[Step], fresh: &[Step]) -> Vec<String> {
    let fresh_by_id: BTreeMap<&StepId, &Step> = fresh.iter().map(|step| (&step.id, step)).collect();
    let approved_ids: BTreeSet<&StepId> = approved.iter().map(|step| &step.id).collect();
    let mut differences = Vec::new();
    for step in approved {
        match fresh_by_id.get(&step.id) {
            None => differences.push(format!(
                "`{}` is no longer planned ({})",
                step.id,
                describe_address(&step.target)
            )),
            Some(now) if *now != step => {
                let what = if now.call != step.call {
                    "with another request body"
                } else if now.detail != step.detail {
                    "with another before/after (the object changed)"
                } else {
                    "in another order"
                };
                differences.push(format!("`{}` would now be sent {what}", step.id));
            }
            Some(_) => {}
        }
    }
    for step in fresh {
        if !approved_ids.contains(&step.id) {
            differences.push(format!("a plan made now adds `{}`", step.id));
        }
    }
    differences
}

/// The objects that differ from what the plan read, and the objects of the plan's workspaces
/// the plan never saw (created since), each with who changed it and when.
fn what_changed(approved: &Plan, live: &Live) -> Vec<String> {
    let who = |reference: &str| author(reference, live);
    let mut changes: Vec<String> = stale_objects(approved, live)
        .iter()
        .map(|stale| stale.describe(&who))
        .collect();
    let known: BTreeSet<&str> = approved
        .fingerprints
        .iter()
        .map(|fingerprint| fingerprint.address.as_str())
        .chain(
            approved
                .unmanaged
                .iter()
                .map(|object| object.address.as_str()),
        )
        .collect();
    // The workspaces the plan looked at: those of its steps, fingerprints and unmanaged objects.
    let fingerprinted: Vec<Address> = approved
        .fingerprints
        .iter()
        .filter_map(|fingerprint| Address::parse(&fingerprint.address))
        .collect();
    let workspaces: BTreeSet<&str> = fingerprinted
        .iter()
        .filter_map(Address::workspace)
        .chain(
            approved
                .steps
                .iter()
                .filter_map(|step| step.workspace.as_deref()),
        )
        .chain(
            approved
                .unmanaged
                .iter()
                .filter_map(|o| o.workspace.as_deref()),
        )
        .collect();
    for (address, meta) in objects_of(live, &workspaces) {
        let text = address.to_string();
        if known.contains(text.as_str()) {
            continue;
        }
        changes.push(format!(
            "{} in workspace `{}` was created{}, after the plan was made",
            describe_address(&text),
            address.workspace().unwrap_or_default(),
            when_and_who(meta, &who)
        ));
    }
    let present: BTreeSet<String> = objects_of(live, &workspaces)
        .map(|(address, _)| address.to_string())
        .collect();
    for object in &approved.unmanaged {
        let is_object = matches!(
            Address::parse(&object.address),
            Some(Address::Team(..) | Address::Distribution(..) | Address::Rule(..))
        );
        if is_object && !present.contains(&object.address) {
            changes.push(format!(
                "{} was deleted since the plan",
                describe_address(&object.address)
            ));
        }
    }
    changes
}

/// Teams, distributions and rules of the given workspaces, with their metadata.
fn objects_of<'a>(
    live: &'a Live,
    workspaces: &'a BTreeSet<&str>,
) -> impl Iterator<Item = (Address, &'a Meta)> + 'a {
    live.workspaces
        .values()
        .filter(|workspace| workspaces.contains(workspace.name.as_str()))
        .flat_map(|workspace| {
            let name = &workspace.name;
            let teams = workspace
                .teams
                .iter()
                .map(|team| (Address::Team(name.clone(), team.name.clone()), &team.meta));
            let distributions = workspace.distributions.iter().map(|distribution| {
                (
                    Address::Distribution(name.clone(), distribution.name.clone()),
                    &distribution.meta,
                )
            });
            let rules = workspace
                .rules
                .iter()
                .map(|rule| (Address::Rule(name.clone(), rule.name.clone()), &rule.meta));
            teams.chain(distributions).chain(rules)
        })
}

fn when_and_who(meta: &Meta, who: &dyn Fn(&str) -> String) -> String {
    if meta.updated_at.is_empty() {
        String::new()
    } else {
        format!(" at {} by {}", meta.updated_at, who(&meta.updated_by))
    }
}

/// The API's caller reference in words: a person by email, an API key by id.
pub fn author(reference: &str, live: &Live) -> String {
    if let Some(user_id) = reference.strip_prefix("user/") {
        match live.email_of(user_id) {
            Some(email) => email.to_string(),
            None => format!("user id `{user_id}` (no user of the org has it)"),
        }
    } else if let Some(key_id) = reference.strip_prefix("apikey/") {
        format!("API key `{key_id}`")
    } else if reference.is_empty() {
        "someone (the API did not say who)".to_string()
    } else {
        format!("`{reference}`")
    }
}

/// Before each later phase of an apply: reads the org again, plans again, and checks that
/// every step not run yet is still in the fresh plan, sending the same request (ids created by
/// earlier steps filled in) with the same before/after. Steps already done are not compared
/// (the fresh plan no longer has them), nor are steps the fresh plan adds (they are left for
/// the next plan). `Err` says what changed; the applier then sends nothing more.
pub async fn recheck_remaining(
    client: &EdgeClient,
    approved: &Plan,
    inputs: &PlanInputs,
    remaining: &[&Step],
    created: &BTreeMap<StepId, String>,
) -> Result<(), VerifyError> {
    let live = live::fetch(client, &Scope::for_desired(&inputs.desired))
        .await
        .map_err(VerifyError::Read)?;
    let fresh = plan::plan(
        &inputs.desired,
        &live,
        &PlanOptions::new(&inputs.desired, inputs.allow_destructive),
    );
    let mut differences: Vec<String> = fresh
        .errors
        .iter()
        .map(|error| format!("a plan made now is refused: {}", error.message))
        .collect();
    let fresh_by_id: BTreeMap<&StepId, &Step> =
        fresh.steps.iter().map(|step| (&step.id, step)).collect();
    // A reference to a step that has not run yet (a later phase creates what this step uses)
    // stands for itself on both sides: the fresh plan still has that create too.
    let pending = |id: &StepId| format!("<id from `{id}`>");
    let resolve = |id: &StepId| created.get(id).cloned().or_else(|| Some(pending(id)));
    let no_ids = |id: &StepId| Some(pending(id));
    for step in remaining {
        // A licenses call naming users this apply invited: their licenses (and `tier`) are
        // whatever the invitation gave them, which the approved plan could not know. The call
        // sends the whole declared set either way.
        if matches!(step.detail, Detail::Licenses { .. })
            && !step.call.referenced_steps().is_empty()
        {
            continue;
        }
        // The steps that finish a meeting-type-create of this apply (the fields it cannot
        // carry, the reminder it seeds): they act on what that create answered.
        if step.call.completes_a_create() {
            continue;
        }
        let Some(now) = fresh_by_id.get(&step.id) else {
            differences.push(format!("`{}` is no longer planned", step.id));
            continue;
        };
        let same_request = match (step.call.request(&resolve), now.call.request(&no_ids)) {
            (Ok(planned), Ok(fresh)) => planned == fresh,
            _ => false,
        };
        if !same_request {
            differences.push(format!(
                "`{}` would now be sent with another request body",
                step.id
            ));
        } else if now.detail != step.detail {
            differences.push(format!(
                "`{}` would now be sent with another before/after (the object changed)",
                step.id
            ));
        }
    }
    if differences.is_empty() {
        Ok(())
    } else {
        Err(VerifyError::Changed(ChangeReport {
            changes: what_changed(approved, &live),
            differences,
            during_apply: true,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::ChangeReport;

    /// Regression: a change found between two phases of a running apply was reported as
    /// "nothing was applied", although the earlier phases had been.
    #[test]
    fn a_refusal_during_apply_says_the_steps_done_stay_done() {
        let report = |during_apply| ChangeReport {
            changes: Vec::new(),
            differences: vec!["`x` is no longer planned".to_string()],
            during_apply,
        };
        let before = report(false).to_string();
        assert!(before.contains("nothing was applied"), "{before}");
        let during = report(true).to_string();
        assert!(!during.contains("nothing was applied"), "{during}");
        assert!(
            during.contains("the steps already done stay done"),
            "{during}"
        );
    }
}
