//! Behaviour of `plan()` on the demo org and hand-made changes to it.

use std::collections::{BTreeMap, BTreeSet};

use scoville::model::*;
use scoville::plan::*;

use crate::support::*;

fn plan_of(desired: &Desired, live: &Live) -> Plan {
    plan(desired, live, &PlanOptions::new(desired, false))
}

fn ids(plan: &Plan) -> Vec<&str> {
    plan.steps.iter().map(|s| s.id.as_str()).collect()
}

fn step<'p>(plan: &'p Plan, id: &str) -> &'p Step {
    plan.steps
        .iter()
        .find(|s| s.id.as_str() == id)
        .unwrap_or_else(|| panic!("no step {id} in {:#?}", ids(plan)))
}

fn depends(plan: &Plan, step_id: &str, on: &str) -> bool {
    step(plan, step_id)
        .depends_on
        .iter()
        .any(|d| d.as_str() == on)
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

fn sales(desired: &mut Desired) -> &mut DesiredWorkspace {
    desired.workspaces.get_mut("Sales").unwrap()
}

/// The deliberate differences of DEMO-ORG's examples/acme.
pub fn quickstart_desired() -> Desired {
    let live = demo_live();
    let mut desired = describe(&live);
    let olivia = email("olivia.reyes@acme.example");
    desired.users.insert(
        olivia.clone(),
        DesiredUser {
            email: olivia.clone(),
            name: Some("Olivia Reyes".into()),
            licenses: Some([License::Distro, License::ChiliCalOrg].into()),
            invite: true,
            source: src("users.yaml", 90),
        },
    );
    desired
        .users
        .get_mut(&demo("Daniel"))
        .unwrap()
        .licenses
        .as_mut()
        .unwrap()
        .insert(License::Concierge);
    let sales = sales(&mut desired);
    sales.members.insert(olivia.clone(), src("sales.yaml", 91));
    sales.teams.insert(
        "mid-market-ae".into(),
        DesiredTeam {
            members_managed: true,
            name: "mid-market-ae".into(),
            members: [
                (demo("Harper"), src("sales.yaml", 93)),
                (demo("Elijah"), src("sales.yaml", 94)),
            ]
            .into(),
            previously: vec![],
            recreate: false,
            source: src("sales.yaml", 92),
        },
    );
    sales
        .teams
        .get_mut("inbound-sdr")
        .unwrap()
        .members
        .insert(olivia.clone(), src("sales.yaml", 95));
    let inbound = sales
        .distributions
        .get_mut("Inbound Demo Requests")
        .unwrap();
    inbound.spec.weights.insert(demo("Mia"), 100);
    inbound.spec.weights.insert(olivia, 100);
    desired
}

#[test]
fn planning_the_description_of_the_live_org_changes_nothing() {
    let live = demo_live();
    let plan = plan_of(&describe(&live), &live);
    assert_eq!(plan.outcome(), PlanOutcome::NoChanges, "{:#?}", plan.steps);
    assert!(plan.is_empty());
    assert!(plan.unmanaged.is_empty());
    assert!(
        !plan.fingerprints.is_empty(),
        "an empty plan still records what it read"
    );
}

#[test]
fn the_quickstart_differences_give_six_calls_in_dependency_order() {
    let live = demo_live();
    let plan = plan_of(&quickstart_desired(), &live);
    assert_eq!(plan.outcome(), PlanOutcome::Changes, "{:#?}", plan.errors);
    assert_eq!(
        ids(&plan),
        vec![
            "user-invite user:olivia.reyes@acme.example",
            "team-create team:Sales/mid-market-ae",
            "user-update-licenses licenses:upgrades",
            "workspace-add-users members:Sales",
            "team-add-users team:Sales/inbound-sdr",
            "distribution-update-v3 distribution:Sales/Inbound Demo Requests",
        ]
    );
    let invite = "user-invite user:olivia.reyes@acme.example";
    assert!(depends(
        &plan,
        "user-update-licenses licenses:upgrades",
        invite
    ));
    assert!(depends(&plan, "workspace-add-users members:Sales", invite));
    assert!(depends(
        &plan,
        "team-add-users team:Sales/inbound-sdr",
        "workspace-add-users members:Sales"
    ));
    let update = "distribution-update-v3 distribution:Sales/Inbound Demo Requests";
    assert!(depends(
        &plan,
        update,
        "team-add-users team:Sales/inbound-sdr"
    ));
    assert!(depends(
        &plan,
        update,
        "user-update-licenses licenses:upgrades"
    ));
    // Harper and Elijah are already Sales members: the new team need not wait.
    assert!(
        step(&plan, "team-create team:Sales/mid-market-ae")
            .depends_on
            .is_empty()
    );
    assert_eq!(
        (
            plan.summary.to_add,
            plan.summary.to_change,
            plan.summary.to_destroy,
            plan.summary.api_calls
        ),
        (2, 4, 0, 6)
    );
    assert_eq!(plan.depth(), 4);
    assert!(order_violations(&plan).is_empty());
}

#[test]
fn invited_users_are_symbolic_references_that_resolve_from_the_invite_step() {
    let live = demo_live();
    let plan = plan_of(&quickstart_desired(), &live);
    let invite = StepId("user-invite user:olivia.reyes@acme.example".into());
    let add = step(&plan, "workspace-add-users members:Sales");
    let json = serde_json::to_value(add).unwrap();
    assert_eq!(
        json["body"]["userIds"],
        serde_json::json!([{"idFromStep": invite.as_str(), "email": "olivia.reyes@acme.example"}])
    );
    let created = |step: &StepId| (step == &invite).then(|| "u-olivia".to_string());
    for step in &plan.steps {
        let request = step.call.request(&created).unwrap();
        assert_eq!(request.op.id, step.call.op().id);
    }
    let request = add.call.request(&created).unwrap();
    assert_eq!(
        request.body.unwrap(),
        serde_json::json!({"workspaceId": "w-sales", "userIds": ["u-olivia"]})
    );
    let update = step(
        &plan,
        "distribution-update-v3 distribution:Sales/Inbound Demo Requests",
    );
    let body = update.call.request(&created).unwrap().body.unwrap();
    assert_eq!(body["teamId"], "t-inbound-sdr");
    assert!(
        body["weights"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"userId": "u-olivia", "weight": 100}))
    );
}

#[test]
fn distribution_changes_show_each_reps_share_before_and_after() {
    let live = demo_live();
    let plan = plan_of(&quickstart_desired(), &live);
    let update = step(
        &plan,
        "distribution-update-v3 distribution:Sales/Inbound Demo Requests",
    );
    let Detail::Distribution { shares, .. } = &update.detail else {
        panic!("not a distribution detail")
    };
    let mia = shares.iter().find(|s| s.email == demo("Mia")).unwrap();
    // before: 50 / 350; after: 100 / 500 (Olivia joins with 100).
    assert_eq!(
        (mia.before, mia.after),
        (Some(Share(143)), Some(Share(200)))
    );
    let olivia = shares
        .iter()
        .find(|s| s.email.as_str() == "olivia.reyes@acme.example")
        .unwrap();
    assert_eq!((olivia.before, olivia.after), (None, Some(Share(200))));
}

#[test]
fn offboarding_drops_weights_then_leaves_teams_then_the_workspace_and_downgrades_last() {
    let live = demo_live();
    let mut desired = describe(&live);
    prune_everywhere(&mut desired, &[ObjectKind::WorkspaceMembers]);
    let mia = demo("Mia");
    desired.users.get_mut(&mia).unwrap().licenses = Some(BTreeSet::new());
    let sales = sales(&mut desired);
    sales.members.remove(&mia);
    sales
        .teams
        .get_mut("inbound-sdr")
        .unwrap()
        .members
        .remove(&mia);
    sales
        .distributions
        .get_mut("Inbound Demo Requests")
        .unwrap()
        .spec
        .weights
        .remove(&mia);
    let plan = plan_of(&desired, &live);
    assert_eq!(
        ids(&plan),
        vec![
            "distribution-update-v3 distribution:Sales/Inbound Demo Requests",
            "team-remove-users team:Sales/inbound-sdr",
            "workspace-remove-users members:Sales",
            "user-update-licenses licenses:downgrades",
        ]
    );
    assert!(depends(
        &plan,
        "team-remove-users team:Sales/inbound-sdr",
        "distribution-update-v3 distribution:Sales/Inbound Demo Requests"
    ));
    assert!(depends(
        &plan,
        "workspace-remove-users members:Sales",
        "team-remove-users team:Sales/inbound-sdr"
    ));
    assert!(depends(
        &plan,
        "user-update-licenses licenses:downgrades",
        "workspace-remove-users members:Sales"
    ));
    assert_eq!(plan.summary.destructive_steps, 3);
    let remove = step(&plan, "workspace-remove-users members:Sales");
    assert_eq!(
        remove.reason,
        "not in manifests (prune enabled in org.yaml:10)"
    );
    assert_eq!(
        plan.phases.last().unwrap(),
        &vec![StepId("user-update-licenses licenses:downgrades".into())]
    );
}

#[test]
fn without_pruning_extra_members_are_listed_as_unmanaged_and_left_alone() {
    let live = demo_live();
    let mut desired = describe(&live);
    sales(&mut desired).members.remove(&demo("Ava"));
    let plan = plan_of(&desired, &live);
    assert!(plan.is_empty(), "{:#?}", plan.steps);
    assert_eq!(plan.unmanaged.len(), 1);
    assert_eq!(plan.unmanaged[0].address, "members:Sales");
    assert_eq!(plan.unmanaged[0].detail, "ava.thompson@acme.example");
}

#[test]
fn undeclared_teams_distributions_and_rules_are_unmanaged_unless_pruned() {
    let live = demo_live();
    let mut desired = describe(&live);
    desired.workspaces.remove("Partnerships");
    let plan = plan_of(&desired, &live);
    assert!(plan.steps.is_empty());
    assert_eq!(plan.unmanaged.len(), 1);
    assert_eq!(plan.unmanaged[0].address, "workspace:Partnerships");

    let mut desired = describe(&live);
    let partnerships = desired.workspaces.get_mut("Partnerships").unwrap();
    partnerships.teams.clear();
    partnerships.distributions.clear();
    partnerships.rules.clear();
    let plan = plan_of(&desired, &live);
    assert!(plan.steps.is_empty());
    let unmanaged: Vec<_> = plan.unmanaged.iter().map(|u| u.address.as_str()).collect();
    assert_eq!(
        unmanaged,
        vec![
            "distribution:Partnerships/Partner Referrals",
            "rule:Partnerships/Partner sourced",
            "team:Partnerships/partner-managers",
        ]
    );

    prune_everywhere(
        &mut desired,
        &[
            ObjectKind::Teams,
            ObjectKind::Distributions,
            ObjectKind::Rules,
        ],
    );
    let plan = plan_of(&desired, &live);
    assert_eq!(plan.outcome(), PlanOutcome::Changes, "{:#?}", plan.errors);
    assert_eq!(
        ids(&plan),
        vec![
            "rule-delete rule:Partnerships/Partner sourced",
            "distribution-delete distribution:Partnerships/Partner Referrals",
            "team-delete team:Partnerships/partner-managers",
        ]
    );
    assert!(depends(
        &plan,
        "team-delete team:Partnerships/partner-managers",
        "distribution-delete distribution:Partnerships/Partner Referrals"
    ));
    let Call::RuleDelete { params } =
        &step(&plan, "rule-delete rule:Partnerships/Partner sourced").call
    else {
        panic!()
    };
    assert_eq!(params.revision, 2);
    assert!(plan.steps.iter().all(|s| s.destructive));
}

#[test]
fn policy_ignore_entries_protect_objects_from_pruning() {
    let live = demo_live();
    let mut desired = describe(&live);
    let partnerships = desired.workspaces.get_mut("Partnerships").unwrap();
    partnerships.rules.clear();
    partnerships.members.remove(&demo("Zoe"));
    prune_everywhere(
        &mut desired,
        &[ObjectKind::Rules, ObjectKind::WorkspaceMembers],
    );
    for (object, line) in [
        ("rule:Partnerships/Partner sourced", 20),
        ("user:zoe.fitzgerald@acme.example", 21),
    ] {
        desired.policy.ignore.push(IgnoreEntry {
            object: object.into(),
            reason: "kept by hand".into(),
            expires: None,
            source: src("org.yaml", line),
        });
    }
    let plan = plan_of(&desired, &live);
    assert!(plan.steps.is_empty(), "{:#?}", ids(&plan));
    let ignored: Vec<_> = plan
        .unmanaged
        .iter()
        .map(|u| (u.address.as_str(), u.ignored.as_deref()))
        .collect();
    assert_eq!(
        ignored,
        vec![
            ("members:Partnerships", Some("kept by hand (org.yaml:21)")),
            (
                "rule:Partnerships/Partner sourced",
                Some("kept by hand (org.yaml:20)")
            ),
        ]
    );
}

#[test]
fn a_team_in_use_by_an_unmanaged_distribution_cannot_be_pruned() {
    let live = demo_live();
    let mut desired = describe(&live);
    let partnerships = desired.workspaces.get_mut("Partnerships").unwrap();
    partnerships.teams.clear();
    partnerships.distributions.clear();
    prune_everywhere(&mut desired, &[ObjectKind::Teams]);
    let plan = plan_of(&desired, &live);
    assert_eq!(codes(&plan), vec!["team-still-used"]);
    assert!(
        plan.errors[0]
            .message
            .contains("distribution `Partner Referrals`"),
        "{}",
        plan.errors[0].message
    );
    assert!(plan.steps.is_empty());
}

#[test]
fn leaving_a_team_while_an_unmanaged_distribution_weights_you_is_an_error() {
    let live = demo_live();
    let mut desired = describe(&live);
    let sales_ws = sales(&mut desired);
    sales_ws.distributions.remove("Inbound Demo Requests");
    sales_ws
        .teams
        .get_mut("inbound-sdr")
        .unwrap()
        .members
        .remove(&demo("Mia"));
    let plan = plan_of(&desired, &live);
    assert_eq!(codes(&plan), vec!["weighted-in-unmanaged-distribution"]);
    assert!(
        plan.errors[0]
            .message
            .contains("declare distribution `Inbound Demo Requests` without that weight")
    );
}

#[test]
fn a_team_rename_is_an_error_unless_recreate_is_asked_for() {
    let live = demo_live();
    let mut desired = describe(&live);
    let sales_ws = sales(&mut desired);
    let mut team = sales_ws.teams.remove("smb-ae").unwrap();
    team.name = "smb-team".into();
    team.previously = vec!["smb-ae".into()];
    sales_ws.teams.insert("smb-team".into(), team);
    let plan = plan_of(&desired, &live);
    assert_eq!(codes(&plan), vec!["team-rename-unsupported"]);
    assert!(
        plan.errors[0]
            .message
            .contains("the API cannot rename teams")
    );

    sales(&mut desired)
        .teams
        .get_mut("smb-team")
        .unwrap()
        .recreate = true;
    let plan = plan_of(&desired, &live);
    assert_eq!(
        ids(&plan),
        vec![
            "team-create team:Sales/smb-team",
            "team-delete team:Sales/smb-ae"
        ]
    );
    assert!(
        step(&plan, "team-delete team:Sales/smb-ae")
            .reason
            .starts_with("recreated as `smb-team`")
    );
}

#[test]
fn recreating_a_team_repoints_its_distribution_between_create_and_delete() {
    let live = demo_live();
    let mut desired = describe(&live);
    let sales_ws = sales(&mut desired);
    let mut team = sales_ws.teams.remove("inbound-sdr").unwrap();
    team.name = "sdr".into();
    team.previously = vec!["inbound-sdr".into()];
    team.recreate = true;
    sales_ws.teams.insert("sdr".into(), team);
    sales_ws
        .distributions
        .get_mut("Inbound Demo Requests")
        .unwrap()
        .spec
        .team = "sdr".into();
    let plan = plan_of(&desired, &live);
    assert_eq!(
        ids(&plan),
        vec![
            "team-create team:Sales/sdr",
            "distribution-update-v3 distribution:Sales/Inbound Demo Requests",
            "team-delete team:Sales/inbound-sdr",
        ]
    );
    let update = step(
        &plan,
        "distribution-update-v3 distribution:Sales/Inbound Demo Requests",
    );
    assert!(depends(&plan, &update.id.0, "team-create team:Sales/sdr"));
    assert!(depends(
        &plan,
        "team-delete team:Sales/inbound-sdr",
        &update.id.0
    ));
    let json = serde_json::to_value(update).unwrap();
    assert_eq!(
        json["body"]["teamId"],
        serde_json::json!({"idFromStep": "team-create team:Sales/sdr", "team": "sdr"})
    );
}

#[test]
fn duplicate_live_teams_of_a_declared_name_are_an_error_that_says_how_to_fix_it() {
    let mut live = demo_live();
    let sales_ws = live.workspaces.get_mut("Sales").unwrap();
    let mut copy = sales_ws.teams[2].clone();
    copy.id = "t-smb-ae-2".into();
    sales_ws.teams.push(copy);
    let plan = plan_of(&describe(&demo_live()), &live);
    assert_eq!(codes(&plan), vec!["duplicate-name"]);
    assert!(
        plan.errors[0]
            .message
            .contains("has 2 teams named `smb-ae` (ids t-smb-ae, t-smb-ae-2)")
    );
    assert!(
        plan.errors[0]
            .message
            .contains("delete or rename the extra ones")
    );
}

#[test]
fn distribution_and_rule_renames_are_updates_not_delete_and_create() {
    let live = demo_live();
    let mut desired = describe(&live);
    let sales_ws = sales(&mut desired);
    let mut distribution = sales_ws.distributions.remove("Enterprise Leads").unwrap();
    distribution.name = "Enterprise Inbound".into();
    distribution.previously = vec!["Enterprise Leads".into()];
    sales_ws
        .distributions
        .insert(distribution.name.clone(), distribution);
    let mut rule = sales_ws.rules.remove("Enterprise accounts").unwrap();
    rule.name = "Large accounts".into();
    rule.previously = vec!["Enterprise accounts".into()];
    sales_ws.rules.insert(rule.name.clone(), rule);
    prune_everywhere(
        &mut desired,
        &[ObjectKind::Distributions, ObjectKind::Rules],
    );
    let plan = plan_of(&desired, &live);
    assert_eq!(
        ids(&plan),
        vec![
            "distribution-update-v3 distribution:Sales/Enterprise Inbound",
            "rule-modify rule:Sales/Large accounts",
        ]
    );
    assert!(
        plan.steps
            .iter()
            .all(|s| s.action == Action::Rename && !s.destructive)
    );
    let Call::RuleModify { params, body } =
        &step(&plan, "rule-modify rule:Sales/Large accounts").call
    else {
        panic!()
    };
    assert_eq!(
        (params.rule_id.as_str(), body.revision, rule_name(&body.dto)),
        ("r-enterprise-accounts", 2, "Large accounts")
    );
}

#[test]
fn a_former_name_is_renamed_once_and_never_when_it_is_still_declared() {
    let live = demo_live();
    let mut desired = describe(&live);
    let sales_ws = sales(&mut desired);
    let mut copy = sales_ws.distributions["Enterprise Leads"].clone();
    copy.name = "Enterprise Copy".into();
    copy.previously = vec!["Enterprise Leads".into()];
    sales_ws.distributions.insert(copy.name.clone(), copy);
    // `Enterprise Leads` is still declared: the copy is a new distribution, not a rename.
    let plan = plan_of(&desired, &live);
    assert_eq!(
        ids(&plan),
        vec!["distribution-create distribution:Sales/Enterprise Copy"]
    );

    let sales_ws = sales(&mut desired);
    let mut original = sales_ws.distributions.remove("Enterprise Leads").unwrap();
    original.name = "Enterprise Inbound".into();
    original.previously = vec!["Enterprise Leads".into()];
    sales_ws
        .distributions
        .insert(original.name.clone(), original);
    let plan = plan_of(&desired, &live);
    assert_eq!(codes(&plan), vec!["rename-claimed-twice"]);
}

#[test]
fn a_rule_condition_change_is_a_modify_with_the_revision_seen() {
    let live = demo_live();
    let mut desired = describe(&live);
    let rule = sales(&mut desired)
        .rules
        .get_mut("North America inbound")
        .unwrap();
    rule.spec.conditions = group(
        LogicalOperator::And,
        vec![is_any_of(
            "Lead",
            "Country",
            serde_json::json!(["US", "CA", "MX"]),
        )],
    );
    let plan = plan_of(&desired, &live);
    assert_eq!(
        ids(&plan),
        vec!["rule-modify rule:Sales/North America inbound"]
    );
    let json = serde_json::to_value(&plan.steps[0]).unwrap();
    assert_eq!(json["body"]["revision"], 2);
    assert_eq!(json["body"]["dto"]["conditions"]["id"], "1");
    assert_eq!(
        json["body"]["dto"]["conditions"]["conditions"][0]["conditionId"],
        "1.1"
    );
    // On the wire: `PUT /v1/org/rule` with `{ruleId, revision, dto}`.
    let request = plan.steps[0]
        .call
        .request(&|_: &scoville::plan::StepId| None)
        .unwrap();
    assert_eq!(request.path, "/v1/org/rule");
    let body = request.body.unwrap();
    assert_eq!(body["ruleId"], "r-na-inbound");
    assert_eq!(body["revision"], 2);
    assert_eq!(body["dto"]["type"], "CreateRuleRequest");
}

#[test]
fn a_rule_type_change_is_an_error() {
    let live = demo_live();
    let mut desired = describe(&live);
    sales(&mut desired)
        .rules
        .get_mut("Enterprise accounts")
        .unwrap()
        .spec
        .kind = RuleKind::Ownership {
        team: Some("enterprise-ae".into()),
    };
    assert_eq!(codes(&plan_of(&desired, &live)), vec!["rule-type-change"]);
}

#[test]
fn missing_workspaces_and_uninvitable_users_are_errors_with_what_to_do() {
    let live = demo_live();
    let mut desired = describe(&live);
    let mut workspace = desired.workspaces["Sales"].clone();
    workspace.name = "sales".into();
    desired.workspaces.insert("sales".into(), workspace);
    let ghost = email("ghost@acme.example");
    desired.users.insert(
        ghost.clone(),
        DesiredUser {
            email: ghost.clone(),
            name: None,
            licenses: None,
            invite: false,
            source: src("users.yaml", 77),
        },
    );
    sales(&mut desired)
        .members
        .insert(ghost, src("sales.yaml", 78));
    sales(&mut desired)
        .members
        .insert(email("nobody@acme.example"), src("sales.yaml", 79));
    let plan = plan_of(&desired, &live);
    assert_eq!(
        codes(&plan),
        vec!["user-not-invitable", "unknown-user", "workspace-missing"]
    );
    assert!(
        plan.errors[2].message.contains("did you mean `Sales`?"),
        "{}",
        plan.errors[2].message
    );
    assert!(plan.steps.is_empty() && plan.phases.is_empty());
    assert_eq!(plan.outcome(), PlanOutcome::Refused);
}

#[test]
fn a_tenant_mismatch_plans_nothing_at_all() {
    let live = demo_live();
    let mut desired = quickstart_desired();
    desired.tenant = Some(("other-corp.app1".into(), src("org.yaml", 2)));
    let plan = plan_of(&desired, &live);
    assert_eq!(codes(&plan), vec!["tenant-mismatch"]);
    assert!(plan.steps.is_empty() && plan.unmanaged.is_empty() && plan.fingerprints.is_empty());
}

#[test]
fn weights_for_non_members_are_errors_but_weights_for_members_being_added_are_fine() {
    let live = demo_live();
    let mut desired = describe(&live);
    sales(&mut desired)
        .distributions
        .get_mut("Enterprise Leads")
        .unwrap()
        .spec
        .weights
        .insert(demo("Harper"), 10);
    assert_eq!(
        codes(&plan_of(&desired, &live)),
        vec!["weight-for-non-member"]
    );
    sales(&mut desired)
        .teams
        .get_mut("enterprise-ae")
        .unwrap()
        .members
        .insert(demo("Harper"), src("sales.yaml", 50));
    let plan = plan_of(&desired, &live);
    assert_eq!(
        ids(&plan),
        vec![
            "team-add-users team:Sales/enterprise-ae",
            "distribution-update-v3 distribution:Sales/Enterprise Leads",
        ]
    );
}

#[test]
fn a_license_swap_gains_early_and_loses_last() {
    let live = demo_live();
    let mut desired = describe(&live);
    // Liam: distro + chiliCalOrg + concierge -> distro + chiliCalOrg + chat.
    let liam = desired.users.get_mut(&demo("Liam")).unwrap();
    liam.licenses = Some([License::Distro, License::ChiliCalOrg, License::Chat].into());
    let plan = plan_of(&desired, &live);
    assert_eq!(
        ids(&plan),
        vec![
            "user-update-licenses licenses:upgrades",
            "user-update-licenses licenses:downgrades"
        ]
    );
    let bodies: Vec<_> = plan
        .steps
        .iter()
        .map(|s| {
            s.call.request(&|_: &StepId| None).unwrap().body.unwrap()["update"]["u-liam"].clone()
        })
        .collect();
    assert_eq!(bodies[0]["chat"], true);
    assert_eq!(bodies[0]["concierge"], true, "kept until the last step");
    assert_eq!(bodies[1]["concierge"], false);
    assert_eq!(plan.summary.to_change, 1);
}

#[test]
fn thresholds_refuse_mass_removals_unless_allowed() {
    let live = demo_live();
    let mut desired = describe(&live);
    prune_everywhere(&mut desired, &[ObjectKind::WorkspaceMembers]);
    // Remove 9 of the 27 managed memberships of the three workspaces (33.3%), past the default
    // 30% (which allows 8) once there are at least 10.
    let leaving = [
        "Harper", "Elijah", "Evelyn", "Isabella", "Lucas", "Amelia", "Mason", "Noah", "Ethan",
    ];
    for first in leaving {
        let sales_ws = sales(&mut desired);
        sales_ws.members.remove(&demo(first));
        for team in sales_ws.teams.values_mut() {
            team.members.remove(&demo(first));
        }
        for distribution in sales_ws.distributions.values_mut() {
            distribution.spec.weights.remove(&demo(first));
            if let Some(capping) = &mut distribution.spec.capping {
                capping.caps.remove(&demo(first));
            }
        }
    }
    let plan = plan_of(&desired, &live);
    // The same edit also removes those people from their teams (9 of 23 team memberships,
    // two teams emptied) and takes their weights (every weight of one distribution): each
    // counted too.
    let kinds: Vec<String> = plan
        .errors
        .iter()
        .map(|error| match &error.problem {
            PlanProblem::PercentThresholdExceeded { kind, .. } => format!("percent {kind:?}"),
            PlanProblem::EmptiesObject { address, .. } => format!("empties {address}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "percent WorkspaceMembers",
            "percent TeamMembers",
            "percent Weights",
            "empties team:Sales/enterprise-ae",
            "empties team:Sales/smb-ae",
            "empties distribution:Sales/Enterprise Leads",
        ],
        "{:#?}",
        plan.errors
    );
    let message = &plan.errors[0].message;
    assert!(
        message.starts_with("refusing to remove 9 of 27 managed workspace memberships (33.3%): the threshold is 30% once there are at least 10, which allows 8, so this is 1 over"),
        "{message}"
    );

    let allowed = scoville::plan::plan(&desired, &live, &PlanOptions::new(&desired, true));
    assert_eq!(allowed.outcome(), PlanOutcome::Changes);
    assert!(
        allowed
            .warnings
            .iter()
            .any(|w| w.message.starts_with("allowed by --allow-destructive"))
    );
    // Regression: the warning repeated the advice to pass --allow-destructive.
    assert!(
        allowed
            .warnings
            .iter()
            .all(|w| !w.message.contains("plan with --allow-destructive")),
        "{:?}",
        allowed.warnings
    );

    desired.policy.thresholds = Thresholds {
        max_percent: 100,
        min_managed: 10,
        max_count: Some(3),
    };
    let plan = plan_of(&desired, &live);
    // Workspace memberships, team memberships and weights each past the count; the emptied
    // teams and distribution still refused.
    assert_eq!(
        codes(&plan),
        vec![
            "count-threshold-exceeded",
            "count-threshold-exceeded",
            "count-threshold-exceeded",
            "empties-object",
            "empties-object",
            "empties-object"
        ]
    );
    assert!(
        plan.errors[0]
            .message
            .contains("allows at most 3, so this is 6 over")
    );
    assert_eq!(plan.errors[0].problem.addresses().len(), 9);
}

#[test]
fn onboarding_300_users_into_12_teams_takes_314_calls() {
    let mut live = demo_live();
    let workspace = live.workspaces.get_mut("Sales").unwrap();
    for n in 0..12 {
        workspace.teams.push(LiveTeam {
            id: format!("t-pod-{n:02}"),
            name: format!("pod-{n:02}"),
            members: BTreeSet::new(),
            added_at: BTreeMap::new(),
            unknown_member_ids: BTreeSet::new(),
            meta: meta(1),
        });
    }
    workspace
        .teams
        .sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    let mut desired = describe(&live);
    for n in 0..300u32 {
        let new = email(&format!("rep{n:03}@acme.example"));
        desired.users.insert(
            new.clone(),
            DesiredUser {
                email: new.clone(),
                name: None,
                licenses: Some([License::Distro].into()),
                invite: true,
                source: src("users.yaml", 1000 + n),
            },
        );
        let sales_ws = sales(&mut desired);
        sales_ws
            .members
            .insert(new.clone(), src("sales.yaml", 1000 + n));
        sales_ws
            .teams
            .get_mut(&format!("pod-{:02}", n % 12))
            .unwrap()
            .members
            .insert(new, src("sales.yaml", 2000 + n));
    }
    let plan = plan_of(&desired, &live);
    assert_eq!(plan.outcome(), PlanOutcome::Changes, "{:#?}", plan.errors);
    let mut by_op: BTreeMap<&str, usize> = BTreeMap::new();
    for step in &plan.steps {
        *by_op.entry(step.call.op().id).or_default() += 1;
    }
    assert_eq!(
        by_op,
        BTreeMap::from([
            ("user-invite", 300),
            ("user-update-licenses", 1),
            ("workspace-add-users", 1),
            ("team-add-users", 12),
        ])
    );
    assert_eq!(plan.summary.api_calls, 314);
    assert_eq!(plan.depth(), 3);
    assert!(order_violations(&plan).is_empty());
}

#[test]
fn settings_are_updated_when_declared_and_different() {
    let live = demo_live();
    let mut desired = describe(&live);
    let settings = &mut sales(&mut desired).settings.as_mut().unwrap().0;
    settings.credit_back_no_show = true;
    let plan = plan_of(&desired, &live);
    assert_eq!(
        ids(&plan),
        vec!["distribution-workspace-settings-update settings:Sales"]
    );
    let request = plan.steps[0].call.request(&|_: &StepId| None).unwrap();
    assert_eq!(
        request.query,
        vec![("workspaceId".to_string(), "w-sales".to_string())]
    );
    assert_eq!(request.body.unwrap()["creditBackNoShow"], true);
}

#[test]
fn plans_round_trip_through_their_json_file() {
    let live = demo_live();
    let plan = plan_of(&quickstart_desired(), &live);
    let text = serde_json::to_string_pretty(&plan).unwrap();
    assert_eq!(Plan::from_json(&text).unwrap(), plan);
    let wrong = text.replacen("\"formatVersion\": 1", "\"formatVersion\": 99", 1);
    assert!(matches!(
        Plan::from_json(&wrong),
        Err(PlanFileError::UnsupportedVersion { found: 99, .. })
    ));
}

#[test]
fn a_plan_without_fingerprints_differs_only_in_them() {
    let live = demo_live();
    let desired = quickstart_desired();
    let with = plan_of(&desired, &live);
    let without = plan(
        &desired,
        &live,
        &PlanOptions::new(&desired, false).without_fingerprints(),
    );
    assert!(!with.fingerprints.is_empty());
    assert!(without.fingerprints.is_empty());
    assert_eq!(
        Plan {
            fingerprints: Vec::new(),
            ..with
        },
        without
    );
}

#[test]
fn fingerprints_detect_out_of_band_changes_and_new_objects() {
    let live = demo_live();
    let plan = plan_of(&quickstart_desired(), &live);
    assert!(stale_objects(&plan, &live).is_empty());
    let mut changed = live.clone();
    let sales_ws = changed.workspaces.get_mut("Sales").unwrap();
    sales_ws.teams[1].meta.revision = 2;
    sales_ws.teams[1].meta.updated_at = "2026-02-01T10:00:00Z".into();
    sales_ws.teams[1].meta.updated_by = "user/u-liam".into();
    sales_ws.teams.push(LiveTeam {
        id: "t-mm".into(),
        name: "mid-market-ae".into(),
        members: BTreeSet::new(),
        added_at: BTreeMap::new(),
        unknown_member_ids: BTreeSet::new(),
        meta: meta(1),
    });
    let messages: Vec<String> = stale_objects(&plan, &changed)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        messages,
        vec![
            "team `inbound-sdr` changed at 2026-02-01T10:00:00Z by user/u-liam",
            "team `mid-market-ae` was created since the plan at 2026-01-02T00:00:00Z by user/u-ava",
        ]
    );
}

fn rule_name(dto: &scoville::plan::RuleCreateDto) -> &str {
    match dto {
        scoville::plan::RuleCreateDto::CreateRuleRequest(fields) => &fields.name,
        scoville::plan::RuleCreateDto::CreateOwnershipRuleRequest(fields) => &fields.name,
    }
}
