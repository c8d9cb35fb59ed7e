//! Scenario snapshots: each `tests/scenarios/<name>/` holds `manifests/*.yaml` and `live.json`
//! (a `model::Live`); `check` plans them and snapshots the text, JSON and Markdown renderings
//! next to them. Reviewers read the `.snap` files like documentation. Every scenario then
//! ends with the convergence step (`emulated::assert_apply_converges`): apply the plan to an
//! emulator seeded with `live.json`, plan again, and find nothing left to do.

use std::path::{Path, PathBuf};

use scoville::model::Live;
use scoville::plan::{
    Action, Plan, PlanOptions, PlanOutcome, PlanProblem, order_violations, plan, stale_objects,
};
use scoville::render;

use super::emulated::assert_apply_converges;

fn scenario_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios")
        .join(name)
}

/// Loads a scenario, plans it, checks the plan's invariants and snapshots all three
/// renderings. Returns the plan for scenario-specific assertions.
fn check(name: &str) -> Plan {
    check_with_manifests(name, &scenario_dir(name).join("manifests"))
}

/// `check` with the manifests taken from another directory.
fn check_with_manifests(name: &str, manifests: &Path) -> Plan {
    let dir = scenario_dir(name);
    let mut files: Vec<(String, String)> = std::fs::read_dir(manifests)
        .unwrap_or_else(|e| {
            panic!(
                "scenario {name}: no manifests in {}: {e}",
                manifests.display()
            )
        })
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .map(|path| {
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            (file, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    let desired = scoville::manifest::load_texts(&files)
        .unwrap_or_else(|diagnostics| panic!("scenario {name}:\n{}", diagnostics.render_text()));
    let live: Live = serde_json::from_str(&std::fs::read_to_string(dir.join("live.json")).unwrap())
        .unwrap_or_else(|e| panic!("scenario {name}: live.json is not a Live: {e}"));

    let options = PlanOptions::new(&desired, false);
    let planned = plan(&desired, &live, &options);
    let again = plan(&desired, &live, &options);
    let text = render::text(&planned, false);
    let json = render::json(&planned);
    let markdown = render::markdown(&planned, "the `plan.json` artifact of this run");

    assert_eq!(
        json,
        render::json(&again),
        "plans are byte-identical across runs"
    );
    assert_eq!(text, render::text(&again, false));
    assert_eq!(order_violations(&planned), Vec::<String>::new());
    assert_eq!(
        Plan::from_json(&json).unwrap(),
        planned,
        "the JSON reads back"
    );
    assert!(markdown.chars().count() < render::MARKDOWN_LIMIT);
    assert!(!text.contains('\x1b'), "no colour unless asked");
    assert!(stale_objects(&planned, &live).is_empty());
    let expected_last = render::summary_line(&planned);
    assert_eq!(text.lines().last(), Some(expected_last.as_str()));

    insta::with_settings!({
        snapshot_path => dir.clone(),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("plan.txt", text);
        insta::assert_snapshot!("plan.json", json);
        insta::assert_snapshot!("plan.md", markdown);
    });
    assert_apply_converges(name, &desired, &live, &planned);
    planned
}

#[test]
fn empty_plan() {
    let plan = check("empty-plan");
    assert_eq!(plan.outcome(), PlanOutcome::NoChanges);
}

#[test]
fn onboarding() {
    let plan = check("onboarding");
    assert_eq!(plan.outcome(), PlanOutcome::Changes);
    assert_eq!(plan.summary.to_add, 2);
}

#[test]
fn offboarding() {
    let plan = check("offboarding");
    assert_eq!(plan.summary.destructive_steps, 3);
    assert_eq!(
        plan.steps.last().unwrap().id.as_str(),
        "user-update-licenses licenses:downgrades"
    );
}

#[test]
fn team_create() {
    let plan = check("team-create");
    assert_eq!(plan.steps.len(), 1);
}

#[test]
fn distribution_weight_change() {
    let plan = check("distribution-weight-change");
    assert_eq!(plan.steps.len(), 1);
}

#[test]
fn rule_condition_change() {
    let plan = check("rule-condition-change");
    assert_eq!(plan.steps.len(), 1);
}

#[test]
fn renames() {
    let plan = check("renames");
    assert_eq!(plan.outcome(), PlanOutcome::Changes);
    assert_eq!(
        plan.summary.to_destroy, 1,
        "only the recreated team is deleted"
    );
}

#[test]
fn prune_off() {
    let plan = check("prune-off");
    assert_eq!(plan.outcome(), PlanOutcome::NoChanges);
    assert_eq!(plan.unmanaged.len(), 4);
}

#[test]
fn prune_on() {
    let plan = check("prune-on");
    assert_eq!(plan.summary.to_destroy, 3);
    assert!(plan.unmanaged.is_empty());
}

#[test]
fn threshold_refusal() {
    let plan = check("threshold-refusal");
    assert_eq!(plan.outcome(), PlanOutcome::Refused);
}

#[test]
fn impossible_operations() {
    let plan = check("impossible-operations");
    assert_eq!(plan.outcome(), PlanOutcome::Refused);
    assert_eq!(plan.errors.len(), 4);
}

#[test]
fn tenant_mismatch() {
    let plan = check("tenant-mismatch");
    assert_eq!(plan.outcome(), PlanOutcome::Refused);
    assert_eq!(plan.errors.len(), 1);
}

/// The README quickstart: `examples/acme` against the demo org (DEMO-ORG's deliberate
/// differences: a new team, a weight change, a user to invite, a license change, a meeting
/// type with its reminder offered on a new round-robin link).
#[test]
fn quickstart() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let plan = check_with_manifests("quickstart", &examples);
    let ids: Vec<&str> = plan.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "user-invite user:olivia.reyes@acme.example",
            "team-create team:Sales/mid-market-ae",
            "meeting-type-reminder-create reminder:Sales/Day before",
            "meeting-type-create meetingType:Sales/Product Demo",
            "user-update-licenses licenses:upgrades",
            "workspace-add-users members:Sales",
            "meeting-type-update meetingType:Sales/Product Demo",
            "meeting-type-attach-reminder meetingType:Sales/Product Demo#Day before",
            "meeting-type-detach-reminder meetingType:Sales/Product Demo#Email 1 hour before",
            "team-add-users team:Sales/inbound-sdr",
            "scheduling-link-create-round-robin link:Sales/demo-sales",
            "meeting-type-reminder-delete reminder:Sales/Email 1 hour before#Product Demo",
            "distribution-update-v3 distribution:Sales/Inbound Demo Requests",
        ]
    );
}

/// Regression (omitted weights wiped a distribution): omitted optional keys (weights,
/// capping, meeting limits, a team's member list) leave the live values alone.
#[test]
fn omitted_keys_left_alone() {
    let plan = check("omitted-keys-left-alone");
    assert_eq!(plan.outcome(), PlanOutcome::NoChanges);
}

/// `weights: {}` empties a live distribution: destructive, refused by the thresholds.
#[test]
fn emptied_distribution_refused() {
    let plan = check("emptied-distribution-refused");
    assert_eq!(plan.outcome(), PlanOutcome::Refused);
    assert!(plan.errors.iter().any(|e| matches!(
        &e.problem,
        PlanProblem::EmptiesObject { address, .. } if address == "distribution:Sales/Enterprise Leads"
    )));
}

/// Regression (a license move at full seats never converged): one licenses call.
#[test]
fn license_move() {
    let plan = check("license-move");
    assert_eq!(plan.steps.len(), 1);
    assert!(plan.steps[0].destructive);
}

/// Regression (look-alike twins): names that read the same match, with warnings.
#[test]
fn look_alike_names() {
    let plan = check("look-alike-names");
    assert!(plan.steps.iter().all(|s| s.action != Action::Create));
    assert_eq!(plan.warnings.len(), 2);
}

#[test]
fn booking_new_link() {
    let plan = check("booking-new-link");
    assert_eq!(plan.outcome(), PlanOutcome::Changes);
}

#[test]
fn booking_reminder_changed() {
    let plan = check("booking-reminder-changed");
    assert_eq!(plan.steps.len(), 1, "one reminder update, nothing else");
}

#[test]
fn booking_meeting_type_renamed() {
    let plan = check("booking-meeting-type-renamed");
    assert_eq!(plan.outcome(), PlanOutcome::Changes);
}

#[test]
fn booking_slug_changed_is_destructive_and_explicit() {
    let plan = check("booking-slug-changed");
    assert_eq!(plan.outcome(), PlanOutcome::Refused);
}

#[test]
fn booking_distribution_deleted_under_a_link_is_refused() {
    let plan = check("booking-distribution-in-use");
    assert_eq!(plan.outcome(), PlanOutcome::Refused);
}

#[test]
fn booking_links_pruned() {
    let plan = check("booking-prune-links");
    let deletes = plan
        .steps
        .iter()
        .filter(|step| step.action == Action::Delete)
        .count();
    assert_eq!(deletes, 2, "the two undeclared links");
}
