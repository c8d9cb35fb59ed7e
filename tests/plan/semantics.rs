//! What the manifests mean, kind by kind: an omitted optional key leaves the live value alone
//! and an explicit empty one manages it as empty (and is destructive when it empties a live
//! object); look-alike names match live objects instead of planning twins; license moves at
//! full seats go in one call; undeclared users are listed, and lose licenses only when pruned.

use std::collections::{BTreeMap, BTreeSet};

use scoville::model::*;
use scoville::plan::*;

use crate::support::*;

fn plan_of(desired: &Desired, live: &Live) -> Plan {
    plan(desired, live, &PlanOptions::new(desired, false))
}

fn sales(desired: &mut Desired) -> &mut DesiredWorkspace {
    desired.workspaces.get_mut("Sales").unwrap()
}

fn codes(plan: &Plan) -> Vec<String> {
    plan.errors
        .iter()
        .map(|e| {
            serde_json::to_value(e).unwrap()["code"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// Every optional part of a distribution, omitted, leaves the live part alone: the plan of a
/// distribution that declares only its team and assignment is empty.
#[test]
fn omitted_distribution_parts_leave_the_live_ones_alone() {
    let live = demo_live();
    let mut desired = describe(&live);
    for distribution in sales(&mut desired).distributions.values_mut() {
        distribution.spec.weights.clear();
        distribution.spec.calibration.clear();
        distribution.spec.capping = None;
        if let Assignment::Meeting { limits, .. } = &mut distribution.spec.assignment {
            *limits = None;
        }
        distribution.left_alone = [
            DistributionPart::Weights,
            DistributionPart::Calibration,
            DistributionPart::Capping,
            DistributionPart::MeetingLimits,
        ]
        .into();
    }
    let plan = plan_of(&desired, &live);
    assert_eq!(
        plan.outcome(),
        PlanOutcome::NoChanges,
        "{}",
        scoville::render::text(&plan, false)
    );
}

/// Regression (omitted weights wiped a distribution): explicit empty weights are managed as
/// empty, and emptying a live distribution is destructive and refused by the thresholds.
#[test]
fn explicit_empty_weights_empty_the_distribution_destructively() {
    let live = demo_live();
    let mut desired = describe(&live);
    sales(&mut desired)
        .distributions
        .get_mut("Enterprise Leads")
        .unwrap()
        .spec
        .weights
        .clear();
    let refused = plan_of(&desired, &live);
    assert!(
        codes(&refused).contains(&"empties-object".to_string()),
        "{:#?}",
        refused.errors
    );
    assert!(
        refused
            .errors
            .iter()
            .any(|e| e.message.contains("distribution:Sales/Enterprise Leads")),
        "{:#?}",
        refused.errors
    );
    let allowed = plan(&desired, &live, &PlanOptions::new(&desired, true));
    let step = allowed
        .steps
        .iter()
        .find(|s| s.target == "distribution:Sales/Enterprise Leads")
        .unwrap();
    assert!(step.destructive);
}

/// Omitted calibration, capping and meeting limits keep the live ones; explicit `{}` clears
/// them (an update, not a no-op).
#[test]
fn explicit_empty_capping_and_limits_clear_them() {
    let live = demo_live();
    let mut desired = describe(&live);
    let ws = sales(&mut desired);
    ws.distributions
        .get_mut("Enterprise Leads")
        .unwrap()
        .spec
        .capping = None;
    if let Assignment::Meeting { limits, .. } = &mut ws
        .distributions
        .get_mut("Inbound Demo Requests")
        .unwrap()
        .spec
        .assignment
    {
        *limits = None;
    }
    let plan = plan_of(&desired, &live);
    let targets: BTreeSet<&str> = plan.steps.iter().map(|s| s.target.as_str()).collect();
    assert!(targets.contains("distribution:Sales/Enterprise Leads"));
    assert!(targets.contains("distribution:Sales/Inbound Demo Requests"));
}

/// A team declared without a member list (`sdr:` or a mapping without `members`) keeps its
/// live members; `[]` empties it, which is destructive and refused by the thresholds.
#[test]
fn team_without_member_list_keeps_members_and_empty_list_empties_it() {
    let live = demo_live();
    let mut desired = describe(&live);
    let team = sales(&mut desired).teams.get_mut("smb-ae").unwrap();
    team.members.clear();
    team.members_managed = false;
    let plan = plan_of(&desired, &live);
    assert_eq!(
        plan.outcome(),
        PlanOutcome::NoChanges,
        "{}",
        scoville::render::text(&plan, false)
    );

    sales(&mut desired)
        .teams
        .get_mut("smb-ae")
        .unwrap()
        .members_managed = true;
    let refused = plan_of(&desired, &live);
    assert!(
        refused.errors.iter().any(|e| matches!(&e.problem,
            PlanProblem::EmptiesObject { address, .. } if address == "team:Sales/smb-ae")),
        "{:#?}",
        refused.errors
    );
}

/// Removing the last member of a team is counted (team memberships) and reported.
#[test]
fn removing_the_last_member_of_a_team_is_counted() {
    let mut live = demo_live();
    let ws = live.workspaces.get_mut("Sales").unwrap();
    let smb = ws.teams.iter_mut().find(|t| t.name == "smb-ae").unwrap();
    smb.members = [demo("Harper")].into();
    let mut desired = describe(&live);
    sales(&mut desired)
        .teams
        .get_mut("smb-ae")
        .unwrap()
        .members
        .clear();
    desired.policy.thresholds.max_count = Some(0);
    let refused = plan_of(&desired, &live);
    let counted = refused.errors.iter().find_map(|e| match &e.problem {
        PlanProblem::CountThresholdExceeded {
            kind: Counted::TeamMembers,
            addresses,
            ..
        } => Some(addresses.clone()),
        _ => None,
    });
    assert_eq!(
        counted,
        Some(vec![format!("team:Sales/smb-ae {}", demo("Harper"))]),
        "{:#?}",
        refused.errors
    );
}

/// A license downgrade is counted (licenses) and reported by the thresholds.
#[test]
fn license_downgrades_are_counted_by_the_thresholds() {
    let live = demo_live();
    let mut desired = describe(&live);
    desired
        .users
        .get_mut(&demo("Liam"))
        .unwrap()
        .licenses
        .as_mut()
        .unwrap()
        .remove(&License::Concierge);
    desired.policy.thresholds.max_count = Some(0);
    let refused = plan_of(&desired, &live);
    let counted = refused.errors.iter().find_map(|e| match &e.problem {
        PlanProblem::CountThresholdExceeded {
            kind: Counted::Licenses,
            addresses,
            ..
        } => Some(addresses.clone()),
        _ => None,
    });
    assert_eq!(
        counted,
        Some(vec![format!("user:{} concierge", demo("Liam"))])
    );
}

/// On an org too small for the share threshold, deleting every managed object of a kind is
/// still refused.
#[test]
fn small_orgs_are_protected_from_losing_everything_of_a_kind() {
    let live = demo_live();
    let mut desired = describe(&live);
    let mut everything = BTreeMap::new();
    for kind in [
        ObjectKind::Teams,
        ObjectKind::Distributions,
        ObjectKind::Rules,
    ] {
        everything.insert(kind, Source::default());
    }
    desired.policy.prune.insert("*".into(), everything);
    let mut n_teams = 0;
    for workspace in desired.workspaces.values_mut() {
        n_teams += workspace.teams.len();
        workspace.teams.clear();
        workspace.distributions.clear();
        workspace.rules.clear();
    }
    assert!(
        n_teams > 0 && n_teams < 10,
        "{n_teams} teams: below minManaged"
    );
    let refused = plan_of(&desired, &live);
    let kinds: Vec<Counted> = refused
        .errors
        .iter()
        .filter_map(|e| match &e.problem {
            PlanProblem::EverythingOfAKind { kind, .. } => Some(*kind),
            _ => None,
        })
        .collect();
    assert!(kinds.contains(&Counted::Teams), "{:#?}", refused.errors);
    assert!(
        kinds.contains(&Counted::Distributions),
        "{:#?}",
        refused.errors
    );
}

/// Each workspace collection key left out is never pruned, even with prune on.
#[test]
fn omitted_collection_keys_are_not_pruned() {
    let live = demo_live();
    let mut desired = describe(&live);
    for kind in [
        ObjectKind::Teams,
        ObjectKind::Distributions,
        ObjectKind::Rules,
        ObjectKind::WorkspaceMembers,
    ] {
        desired
            .policy
            .prune
            .entry("*".into())
            .or_default()
            .insert(kind, Source::default());
    }
    let ws = sales(&mut desired);
    ws.rules.clear();
    ws.left_alone.insert(ObjectKind::Rules);
    let plan = plan_of(&desired, &live);
    assert!(
        plan.steps
            .iter()
            .all(|s| !s.target.starts_with("rule:Sales/")),
        "{}",
        scoville::render::text(&plan, false)
    );
    assert!(
        plan.unmanaged
            .iter()
            .any(|u| u.address.starts_with("rule:Sales/"))
    );
}

/// Regression (a license move at full seats never converged): a user who hands a license to
/// another and is routed nothing new by the plan releases it in the same call that grants it.
#[test]
fn a_license_move_goes_in_one_call() {
    let live = demo_live();
    let mut desired = describe(&live);
    desired
        .users
        .get_mut(&demo("Liam"))
        .unwrap()
        .licenses
        .as_mut()
        .unwrap()
        .remove(&License::Concierge);
    desired
        .users
        .get_mut(&demo("Isabella"))
        .unwrap()
        .licenses
        .as_mut()
        .unwrap()
        .insert(License::Concierge);
    let plan = plan_of(&desired, &live);
    assert_eq!(
        plan.steps.len(),
        1,
        "{}",
        scoville::render::text(&plan, false)
    );
    let Call::UserUpdateLicenses { body } = &plan.steps[0].call else {
        panic!("one licenses call");
    };
    assert_eq!(body.update.len(), 2);
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
}

/// A user the plan still routes work to keeps the downgrade last, and the plan says the grant
/// needs a free seat.
#[test]
fn a_move_from_someone_still_routed_stays_last_and_is_explained() {
    let live = demo_live();
    let mut desired = describe(&live);
    desired
        .users
        .get_mut(&demo("Liam"))
        .unwrap()
        .licenses
        .as_mut()
        .unwrap()
        .remove(&License::Concierge);
    desired
        .users
        .get_mut(&demo("Isabella"))
        .unwrap()
        .licenses
        .as_mut()
        .unwrap()
        .insert(License::Concierge);
    let inbound = sales(&mut desired)
        .distributions
        .get_mut("Inbound Demo Requests")
        .unwrap();
    inbound.spec.weights.insert(demo("Liam"), 10);
    let plan = plan_of(&desired, &live);
    assert!(plan.steps.iter().any(|s| s.target == "licenses:downgrades"));
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.message.contains("needs 1 free `concierge` seat")),
        "{:?}",
        plan.warnings
    );
}

/// Regression (look-alike twins): a declared team, distribution or rule whose name matches a
/// live one only after NFC normalization or trimming is that object, with a warning.
#[test]
fn look_alike_names_match_live_objects_of_every_kind() {
    let mut live = demo_live();
    let ws = live.workspaces.get_mut("Sales").unwrap();
    let rename = |name: &mut String| name.push(' ');
    let team = ws.teams.iter_mut().find(|t| t.name == "smb-ae").unwrap();
    rename(&mut team.name);
    let distribution = ws
        .distributions
        .iter_mut()
        .find(|d| d.name == "Enterprise Leads")
        .unwrap();
    distribution.name = "Enterprise\u{200b} Leads".into();
    let rule = ws
        .rules
        .iter_mut()
        .find(|r| r.name == "Enterprise accounts")
        .unwrap();
    rename(&mut rule.name);
    let described = describe(&demo_live());
    let plan = plan_of(&described, &live);
    assert!(plan.errors.is_empty(), "{:#?}", plan.errors);
    assert!(
        plan.steps.iter().all(|s| s.action != Action::Create),
        "{}",
        scoville::render::text(&plan, false)
    );
    let renamed: BTreeSet<&str> = plan
        .steps
        .iter()
        .filter(|s| s.action == Action::Rename)
        .map(|s| s.target.as_str())
        .collect();
    assert_eq!(
        renamed,
        BTreeSet::from([
            "distribution:Sales/Enterprise Leads",
            "rule:Sales/Enterprise accounts"
        ])
    );
    assert_eq!(plan.warnings.len(), 3, "{:#?}", plan.warnings);
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.message.contains("`smb-ae\\u{20}`"))
    );
}

/// Two live look-alikes of one declared name: refused, quoting both.
#[test]
fn two_live_look_alikes_are_refused() {
    let mut live = demo_live();
    let ws = live.workspaces.get_mut("Sales").unwrap();
    let mut twin = ws
        .teams
        .iter()
        .find(|t| t.name == "smb-ae")
        .unwrap()
        .clone();
    ws.teams
        .iter_mut()
        .find(|t| t.name == "smb-ae")
        .unwrap()
        .name = "smb-ae ".into();
    twin.id = "t-twin".into();
    twin.name = " smb-ae".into();
    ws.teams.push(twin);
    let plan = plan_of(&describe(&demo_live()), &live);
    assert_eq!(codes(&plan), ["ambiguous-look-alike"]);
    assert!(
        plan.errors[0].message.contains("`\\u{20}smb-ae`"),
        "{}",
        plan.errors[0].message
    );
}

/// Regression (invited users dropped from the manifests kept their licenses silently): an
/// undeclared user with licenses is listed as unmanaged, and loses them only under
/// `prune: {'*': [licenses]}`.
#[test]
fn undeclared_users_are_listed_and_pruned_only_when_asked() {
    let live = demo_live();
    let mut desired = describe(&live);
    desired.users.remove(&demo("Zoe"));
    for workspace in desired.workspaces.values_mut() {
        workspace.members.remove(&demo("Zoe"));
        for team in workspace.teams.values_mut() {
            team.members.remove(&demo("Zoe"));
        }
        for distribution in workspace.distributions.values_mut() {
            distribution.spec.weights.remove(&demo("Zoe"));
        }
    }
    let listed = plan_of(&desired, &live);
    let zoe = format!("user:{}", demo("Zoe"));
    assert!(
        listed.unmanaged.iter().any(|u| u.address == zoe),
        "{:#?}",
        listed.unmanaged
    );
    assert!(
        listed
            .steps
            .iter()
            .all(|s| s.target != "licenses:downgrades")
    );

    desired.policy.prune.insert(
        "*".into(),
        BTreeMap::from([(ObjectKind::Licenses, Source::default())]),
    );
    let pruned = plan(&desired, &live, &PlanOptions::new(&desired, true));
    let step = pruned
        .steps
        .iter()
        .find(|s| s.target == "licenses:downgrades")
        .expect("pruned");
    let Detail::Licenses { users } = &step.detail else {
        panic!()
    };
    assert_eq!(users[0].email, demo("Zoe"));
    assert!(users[0].after.is_empty());
}

/// Regression (drift refused what plan accepted): an ignore entry that keeps prune away from
/// an undeclared team gives an empty plan and no drift, no error and no advice about a flag
/// nobody passed; once the entry has expired, plan and drift both delete the team.
#[test]
fn drift_and_plan_agree_on_ignored_and_expired_entries() {
    use scoville::drift::{DriftOptions, IgnoreStatus, drift};
    let live = demo_live();
    let mut desired = describe(&live);
    desired.policy.prune.insert(
        "Sales".into(),
        BTreeMap::from([(ObjectKind::Teams, Source::default())]),
    );
    sales(&mut desired).teams.remove("smb-ae");
    desired.policy.ignore.push(IgnoreEntry {
        object: "team:Sales/smb-ae".into(),
        reason: "trial team".into(),
        expires: Some("2026-06-30".into()),
        source: Source::default(),
    });
    let june = jiff::civil::date(2026, 6, 1);
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false).on(june));
    assert_eq!(planned.outcome(), PlanOutcome::NoChanges);
    let report = drift(
        &desired,
        &live,
        &DriftOptions {
            today: june,
            last_applied: None,
        },
    );
    assert!(
        report.objects.is_empty() && report.accepted.is_empty(),
        "{report:#?}"
    );
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert!(
        report
            .warnings
            .iter()
            .all(|w| !w.message.contains("--allow-destructive"))
    );
    assert_eq!(report.ignore_entries[0].status, IgnoreStatus::Applied);

    let july = jiff::civil::date(2026, 7, 1);
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, true).on(july));
    assert!(
        planned
            .steps
            .iter()
            .any(|s| s.target == "team:Sales/smb-ae" && s.action == Action::Delete)
    );
    let report = drift(
        &desired,
        &live,
        &DriftOptions {
            today: july,
            last_applied: None,
        },
    );
    let drifted: Vec<&str> = report.objects.iter().map(|o| o.address.as_str()).collect();
    assert_eq!(drifted, ["team:Sales/smb-ae"]);
    assert_eq!(report.ignore_entries[0].status, IgnoreStatus::Expired);
}
