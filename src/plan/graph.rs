//! Ordering: the dependency graph of a plan's steps, sorted topologically into phases.
//!
//! A step's phase is one more than the highest phase among the steps it depends on (phase 1
//! for steps that depend on nothing), so the steps of a phase are independent of each other.
//! Steps are ordered by (phase, operation rank, id): a deterministic topological order in which
//! each phase is a contiguous run. The edges themselves are added by the diff modules; the rules
//! are documented in `ARCHITECTURE.md`.

use std::collections::{BTreeMap, BTreeSet};

use super::types::{Plan, StepId};

/// Tie-break between steps of one phase, in the order a person would do the work: invite,
/// license, add, create, change, then take away.
pub fn op_rank(op_id: &str) -> usize {
    const ORDER: [&str; 34] = [
        "user-invite",
        "user-update-licenses",
        "workspace-add-users",
        "team-create",
        "team-add-users",
        "distribution-workspace-settings-update",
        "distribution-create",
        "distribution-update-v3",
        "rule-create",
        "rule-modify",
        "meeting-type-reminder-create",
        "meeting-type-reminder-update",
        "meeting-type-create",
        "meeting-type-update",
        "meeting-type-attach-reminder",
        "scheduling-link-create-round-robin",
        "scheduling-link-create-group",
        "scheduling-link-create-admin-one-on-one",
        "scheduling-link-update-round-robin",
        "scheduling-link-update-group",
        "scheduling-link-update-admin-one-on-one",
        "scheduling-link-update-ownership",
        "scheduling-link-delete-round-robin",
        "scheduling-link-delete-group",
        "scheduling-link-delete-admin-one-on-one",
        "scheduling-link-delete-ownership",
        "meeting-type-detach-reminder",
        "meeting-type-delete",
        "meeting-type-reminder-delete",
        "rule-delete",
        "distribution-delete",
        "team-remove-users",
        "team-delete",
        "workspace-remove-users",
    ];
    ORDER
        .iter()
        .position(|id| *id == op_id)
        .unwrap_or(ORDER.len())
}

/// The result of sorting: every step with its 1-based phase, in execution order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sorted {
    pub order: Vec<(StepId, usize)>,
    pub phases: Vec<Vec<StepId>>,
}

/// Sorts steps given as `id -> (rank, dependencies)`. Dependencies on ids that are not steps
/// are ignored. Returns the ids left in a cycle when there is one.
pub fn sort(steps: &BTreeMap<StepId, (usize, BTreeSet<StepId>)>) -> Result<Sorted, Vec<StepId>> {
    let mut remaining_dependencies: BTreeMap<&StepId, usize> = BTreeMap::new();
    let mut dependents: BTreeMap<&StepId, Vec<&StepId>> = BTreeMap::new();
    for (id, (_, dependencies)) in steps {
        let known: Vec<&StepId> = dependencies
            .iter()
            .filter(|dependency| steps.contains_key(*dependency) && *dependency != id)
            .collect();
        remaining_dependencies.insert(id, known.len());
        for dependency in known {
            dependents.entry(dependency).or_default().push(id);
        }
    }
    let mut phase_of: BTreeMap<&StepId, usize> = BTreeMap::new();
    let mut ready: Vec<&StepId> = remaining_dependencies
        .iter()
        .filter(|(_, count)| **count == 0)
        .map(|(id, _)| *id)
        .collect();
    let mut phase = 1;
    while !ready.is_empty() {
        let mut next = Vec::new();
        for id in &ready {
            phase_of.insert(id, phase);
        }
        for id in ready {
            for dependent in dependents.get(id).into_iter().flatten() {
                let count = remaining_dependencies
                    .get_mut(dependent)
                    .expect("every dependent is a step");
                *count -= 1;
                if *count == 0 {
                    next.push(*dependent);
                }
            }
        }
        ready = next;
        phase += 1;
    }
    if phase_of.len() != steps.len() {
        return Err(steps
            .keys()
            .filter(|id| !phase_of.contains_key(id))
            .cloned()
            .collect());
    }
    let mut order: Vec<(StepId, usize)> = phase_of
        .into_iter()
        .map(|(id, phase)| (id.clone(), phase))
        .collect();
    order.sort_by(|(a, phase_a), (b, phase_b)| {
        (phase_a, steps[a].0, a).cmp(&(phase_b, steps[b].0, b))
    });
    let n_phases = order.last().map_or(0, |(_, phase)| *phase);
    let mut phases = vec![Vec::new(); n_phases];
    for (id, phase) in &order {
        phases[phase - 1].push(id.clone());
    }
    Ok(Sorted { order, phases })
}

/// Every way `plan`'s order breaks its own dependency graph: a step before one it depends on,
/// a dependency on a missing step, phases that disagree with the steps. Empty for a sound plan.
/// The property tests and the applier's sanity check use it.
pub fn order_violations(plan: &Plan) -> Vec<String> {
    let mut violations = Vec::new();
    let position: BTreeMap<&StepId, usize> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| (&step.id, index))
        .collect();
    if position.len() != plan.steps.len() {
        violations.push("two steps share an id".to_string());
    }
    for (index, step) in plan.steps.iter().enumerate() {
        for dependency in &step.depends_on {
            match position.get(dependency) {
                None => violations.push(format!(
                    "`{}` depends on `{dependency}`, which is not a step",
                    step.id
                )),
                Some(&before) if before >= index => violations.push(format!(
                    "`{}` comes before `{dependency}`, which it depends on",
                    step.id
                )),
                Some(&before) if plan.steps[before].phase >= step.phase => {
                    violations.push(format!(
                        "`{}` is in phase {} but depends on `{dependency}` in phase {}",
                        step.id, step.phase, plan.steps[before].phase
                    ))
                }
                Some(_) => {}
            }
        }
        for referenced in step.call.referenced_steps() {
            if !step.depends_on.contains(&referenced) {
                violations.push(format!(
                    "`{}` uses the id created by `{referenced}` without depending on it",
                    step.id
                ));
            }
        }
        let listed = plan
            .phases
            .get(step.phase.wrapping_sub(1))
            .is_some_and(|phase| phase.contains(&step.id));
        if !listed {
            violations.push(format!(
                "`{}` is not listed in phase {}",
                step.id, step.phase
            ));
        }
    }
    let n_listed: usize = plan.phases.iter().map(Vec::len).sum();
    if n_listed != plan.steps.len() {
        violations.push(format!(
            "the phases list {n_listed} steps but the plan has {}",
            plan.steps.len()
        ));
    }
    violations
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> StepId {
        StepId(text.to_string())
    }

    fn graph(edges: &[(&str, usize, &[&str])]) -> BTreeMap<StepId, (usize, BTreeSet<StepId>)> {
        edges
            .iter()
            .map(|(name, rank, deps)| (id(name), (*rank, deps.iter().map(|d| id(d)).collect())))
            .collect()
    }

    #[test]
    fn phases_are_dependency_levels_and_order_breaks_ties_by_rank_then_id() {
        let steps = graph(&[
            ("b", 5, &[]),
            ("a", 5, &[]),
            ("first", 0, &[]),
            ("after-a", 1, &["a"]),
            ("after-both", 0, &["after-a", "b"]),
        ]);
        let sorted = sort(&steps).unwrap();
        let order: Vec<_> = sorted
            .order
            .iter()
            .map(|(id, phase)| (id.0.as_str(), *phase))
            .collect();
        assert_eq!(
            order,
            vec![
                ("first", 1),
                ("a", 1),
                ("b", 1),
                ("after-a", 2),
                ("after-both", 3)
            ]
        );
        assert_eq!(sorted.phases.len(), 3);
    }

    #[test]
    fn cycles_are_reported_not_looped_on() {
        let steps = graph(&[("a", 0, &["b"]), ("b", 0, &["a"]), ("c", 0, &[])]);
        assert_eq!(sort(&steps).unwrap_err(), vec![id("a"), id("b")]);
    }

    #[test]
    fn the_rank_follows_the_order_a_person_would_work_in() {
        assert!(op_rank("user-invite") < op_rank("workspace-add-users"));
        assert!(op_rank("workspace-add-users") < op_rank("team-add-users"));
        assert!(op_rank("team-remove-users") < op_rank("workspace-remove-users"));
        assert!(op_rank("distribution-delete") < op_rank("team-delete"));
    }
}
