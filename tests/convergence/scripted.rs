//! Exact fault sequences (`FaultConfig::script`) on each non-idempotent call: an ambiguous
//! create is read back, never sent twice; a create that never ran is sent again after the
//! read-back finds nothing; ambiguous rule modify/delete and team/distribution deletes resolve
//! without a conflict; an out-of-band change between plan and apply is reported as "changed
//! since the plan" and left as it is. The emulator's journal is the witness of what was sent.

use std::collections::BTreeMap;

use scoville::apply::{ApplyReport, StepStatus};
use scoville::emulator::{Fault, FaultConfig, JournalEntry, Running};
use scoville::model::{Desired, License, ObjectKind};
use scoville::plan::{Plan, PlanOutcome};

use super::harness;
use super::model::{AssignmentKind, DistributionModel, OrgModel, RuleModel, UserModel};

const WORKSPACE: &str = "Workspace 0";

/// Four users, all members of one workspace with one team (`sales`: user0, user1), one
/// distribution (`routing` on `sales`) and one rule (`country`: Lead.Country == C1).
fn base_org() -> OrgModel {
    let mut org = OrgModel::default();
    for index in 0..4 {
        org.users.insert(
            format!("user{index}@conv.example"),
            UserModel {
                name: format!("User {index}"),
                licenses: Some([License::ChiliCalOrg].into()),
                invite: false,
            },
        );
    }
    let workspace = org.workspaces.entry(WORKSPACE.to_string()).or_default();
    workspace.members = org.users.keys().cloned().collect();
    workspace.teams.insert(
        "sales".to_string(),
        [
            "user0@conv.example".to_string(),
            "user1@conv.example".to_string(),
        ]
        .into(),
    );
    workspace.distributions.insert(
        "routing".to_string(),
        DistributionModel {
            team: "sales".to_string(),
            assignment: AssignmentKind::RecordStrict,
            weights: [
                ("user0@conv.example".to_string(), 100),
                ("user1@conv.example".to_string(), 100),
            ]
            .into(),
            cap: None,
            previously: None,
        },
    );
    workspace.rules.insert(
        "country".to_string(),
        RuleModel {
            value: "C1".to_string(),
            email_not_empty: false,
            ownership_team: None,
            previously: None,
        },
    );
    org
}

/// The manifests' model: the org as it is, users' licenses left alone.
fn unchanged(org: &OrgModel) -> OrgModel {
    let mut desired = org.clone();
    for user in desired.users.values_mut() {
        user.licenses = None;
    }
    desired
}

fn workspace(model: &mut OrgModel) -> &mut super::model::WorkspaceModel {
    model.workspaces.get_mut(WORKSPACE).unwrap()
}

/// An emulator with the org, a client, the manifests and the plan made without faults.
struct Setup {
    running: Running,
    client: scoville::edge::EdgeClient,
    org: OrgModel,
    desired_model: OrgModel,
    desired: Desired,
    plan: Plan,
}

async fn setup(org: OrgModel, desired_model: OrgModel) -> Setup {
    let running = harness::start(org.to_seed()).await;
    let client = harness::client(&running, harness::fast_retries(1));
    let desired = scoville::manifest::load_texts(&desired_model.to_manifests())
        .unwrap_or_else(|d| panic!("{}", d.render_text()));
    let plan = harness::fetch_and_plan(&client, &desired).await.unwrap();
    assert_eq!(plan.outcome(), PlanOutcome::Changes);
    Setup {
        running,
        client,
        org,
        desired_model,
        desired,
        plan,
    }
}

impl Setup {
    /// Applies the plan with `script` forced on the first requests of `operation`, with an
    /// empty journal to start from.
    async fn apply_with(&self, operation: &str, script: Vec<Fault>) -> ApplyReport {
        let control = self.running.control();
        control.set_faults(FaultConfig {
            operations: vec![operation.to_string()],
            script,
            ..FaultConfig::default()
        });
        control.clear_journal();
        let report = harness::apply_plan(&self.client, &self.plan).await;
        control.set_faults(FaultConfig::default());
        report
    }

    fn journal(&self) -> Vec<JournalEntry> {
        self.running.control().journal()
    }

    /// Every request of `operation`, in order.
    fn sent(&self, operation: &str) -> Vec<JournalEntry> {
        self.journal()
            .into_iter()
            .filter(|e| e.operation.as_deref() == Some(operation))
            .collect()
    }

    /// The org is what the manifests say and a new plan is empty.
    async fn assert_converged(&self) {
        let problems = super::model::problems(
            &self.running.control().state(),
            &self.org,
            &self.desired_model,
        );
        assert_eq!(problems, Vec::<String>::new());
        let again = harness::fetch_and_plan(&self.client, &self.desired)
            .await
            .unwrap();
        assert!(
            again.steps.is_empty(),
            "{}",
            scoville::render::text(&again, false)
        );
    }
}

/// The outcome of the one step of `report` that calls `operation`.
fn step<'a>(report: &'a ApplyReport, operation: &str) -> &'a scoville::apply::StepOutcome {
    let matching: Vec<_> = report.steps.iter().filter(|s| s.op == operation).collect();
    assert_eq!(matching.len(), 1, "{}", report.render_text());
    matching[0]
}

/// `(operation, fault)` of each journal entry after the first `operation` request: shows
/// what the applier did after the fault.
fn after_first(journal: &[JournalEntry], operation: &str) -> Vec<String> {
    journal
        .iter()
        .skip_while(|e| e.operation.as_deref() != Some(operation))
        .skip(1)
        .filter_map(|e| e.operation.clone())
        .collect()
}

/// The non-idempotent creates, each with the manifests that need exactly one of it, and the
/// read-back operation that resolves it.
async fn create_case(operation: &str) -> Setup {
    let org = base_org();
    let mut desired = unchanged(&org);
    match operation {
        "team-create" => {
            workspace(&mut desired).teams.insert(
                "support".to_string(),
                [
                    "user2@conv.example".to_string(),
                    "user3@conv.example".to_string(),
                ]
                .into(),
            );
        }
        "distribution-create" => {
            workspace(&mut desired).distributions.insert(
                "overflow".to_string(),
                DistributionModel {
                    team: "sales".to_string(),
                    assignment: AssignmentKind::MeetingFlexible,
                    weights: [
                        ("user0@conv.example".to_string(), 30),
                        ("user1@conv.example".to_string(), 70),
                    ]
                    .into(),
                    cap: Some(("user1@conv.example".to_string(), 4)),
                    previously: None,
                },
            );
        }
        "rule-create" => {
            workspace(&mut desired).rules.insert(
                "owner".to_string(),
                RuleModel {
                    value: String::new(),
                    email_not_empty: false,
                    ownership_team: Some("sales".to_string()),
                    previously: None,
                },
            );
        }
        "user-invite" => {
            desired.users.insert(
                "new0@conv.example".to_string(),
                UserModel {
                    name: "New 0".to_string(),
                    licenses: None,
                    invite: true,
                },
            );
        }
        other => panic!("no create case for {other}"),
    }
    setup(org, desired).await
}

const CREATES: [(&str, &str); 4] = [
    ("team-create", "team-list-put"),
    ("distribution-create", "distribution-list-put"),
    ("rule-create", "rule-list"),
    ("user-invite", "user-find"),
];

#[tokio::test]
async fn ambiguous_creates_are_read_back_and_never_sent_twice() {
    for (operation, read_back) in CREATES {
        for fault in [Fault::AmbiguousError, Fault::AmbiguousDrop] {
            let setup = create_case(operation).await;
            let report = setup.apply_with(operation, vec![fault]).await;
            let outcome = step(&report, operation);
            assert!(
                matches!(
                    &outcome.status,
                    StepStatus::Done {
                        created_id: Some(_),
                        read_back: true
                    }
                ),
                "{operation} {fault:?}: {}",
                report.render_text()
            );
            assert!(report.succeeded(), "{}", report.render_text());
            let sent = setup.sent(operation);
            assert_eq!(sent.len(), 1, "{operation} {fault:?}: sent {sent:#?}");
            assert_eq!(sent[0].fault, Some(fault));
            assert!(
                after_first(&setup.journal(), operation).contains(&read_back.to_string()),
                "{operation}: no {read_back} after the lost answer"
            );
            setup.assert_converged().await;
        }
    }
}

#[tokio::test]
async fn a_create_that_never_ran_is_sent_again_after_the_read_back_finds_nothing() {
    for (operation, read_back) in CREATES {
        let setup = create_case(operation).await;
        let report = setup.apply_with(operation, vec![Fault::Drop]).await;
        let outcome = step(&report, operation);
        assert!(
            matches!(
                &outcome.status,
                StepStatus::Done {
                    created_id: Some(_),
                    read_back: false
                }
            ),
            "{operation}: {}",
            report.render_text()
        );
        assert_eq!(outcome.attempts, 2, "{operation}");
        let sent = setup.sent(operation);
        assert_eq!(sent.len(), 2, "{operation}: sent {sent:#?}");
        assert_eq!(
            (sent[0].fault, sent[0].operation_status, sent[1].fault),
            (Some(Fault::Drop), None, None),
            "{operation}: the first never ran, the second did"
        );
        let between = after_first(&setup.journal(), operation);
        let read_position = between.iter().position(|op| op == read_back);
        let resend_position = between.iter().position(|op| op == operation);
        assert!(
            matches!((read_position, resend_position), (Some(r), Some(s)) if r < s),
            "{operation}: read back ({read_back}) before sending again: {between:?}"
        );
        setup.assert_converged().await;
    }
}

#[tokio::test]
async fn a_create_refused_with_429_is_sent_again_without_a_read_back() {
    // 429 means the server did nothing, so even a create may be repeated at once.
    for (operation, read_back) in CREATES {
        let setup = create_case(operation).await;
        let report = setup.apply_with(operation, vec![Fault::RateLimited]).await;
        assert!(report.succeeded(), "{}", report.render_text());
        let outcome = step(&report, operation);
        assert_eq!(
            outcome.attempts, 1,
            "one attempt of the applier, two requests"
        );
        assert_eq!(setup.sent(operation).len(), 2);
        // The look for twins after the create is a read too; none comes before the resend.
        let between = after_first(&setup.journal(), operation);
        let resend_position = between.iter().position(|op| op == operation);
        let read_position = between.iter().position(|op| op == read_back);
        assert!(
            matches!((read_position, resend_position), (None, Some(_)))
                || matches!((read_position, resend_position), (Some(r), Some(s)) if r > s),
            "{operation}: no read-back needed before sending again: {between:?}"
        );
        setup.assert_converged().await;
    }
}

/// Changes `country` (rule-modify), deletes it (rule-delete, rules pruned), deletes the team
/// `sales` with its distribution (team-delete, distribution-delete, both pruned).
async fn change_case(operation: &str) -> Setup {
    let org = base_org();
    let mut desired = unchanged(&org);
    let w = workspace(&mut desired);
    match operation {
        "rule-modify" => {
            w.rules.get_mut("country").unwrap().value = "C2".to_string();
        }
        "rule-delete" => {
            w.rules.clear();
            w.prune.insert(ObjectKind::Rules);
        }
        "team-delete" | "distribution-delete" => {
            w.teams.clear();
            w.distributions.clear();
            w.prune
                .extend([ObjectKind::Teams, ObjectKind::Distributions]);
        }
        other => panic!("no change case for {other}"),
    }
    setup(org, desired).await
}

const CHANGES: [&str; 4] = [
    "rule-modify",
    "rule-delete",
    "team-delete",
    "distribution-delete",
];

#[tokio::test]
async fn ambiguous_modifies_and_deletes_are_resolved_without_a_conflict() {
    for operation in CHANGES {
        for fault in [Fault::AmbiguousError, Fault::AmbiguousDrop] {
            let setup = change_case(operation).await;
            let report = setup.apply_with(operation, vec![fault]).await;
            assert!(
                report.succeeded(),
                "{operation} {fault:?}: {}",
                report.render_text()
            );
            assert!(
                matches!(
                    step(&report, operation).status,
                    StepStatus::Done {
                        read_back: true,
                        ..
                    }
                ),
                "{operation} {fault:?}: {}",
                report.render_text()
            );
            assert_eq!(setup.sent(operation).len(), 1, "{operation} {fault:?}");
            let conflicts: Vec<_> = setup
                .journal()
                .into_iter()
                .filter(|e| e.operation_status == Some(409) || e.status == Some(409))
                .collect();
            assert!(conflicts.is_empty(), "{operation}: {conflicts:#?}");
            setup.assert_converged().await;
        }
    }
}

#[tokio::test]
async fn a_modify_or_delete_that_never_ran_is_sent_again_with_the_planned_revision() {
    for operation in CHANGES {
        let setup = change_case(operation).await;
        let report = setup.apply_with(operation, vec![Fault::Drop]).await;
        assert!(report.succeeded(), "{operation}: {}", report.render_text());
        let sent = setup.sent(operation);
        assert_eq!(sent.len(), 2, "{operation}");
        assert_eq!(
            (sent[0].operation_status, sent[1].fault),
            (None, None),
            "{operation}"
        );
        // The same request both times: the revision is the plan's, not a fresh read.
        assert_eq!(
            (&sent[0].path, &sent[0].query, &sent[0].body),
            (&sent[1].path, &sent[1].query, &sent[1].body),
            "{operation}"
        );
        setup.assert_converged().await;
    }
}

#[tokio::test]
async fn a_rule_changed_since_the_plan_is_reported_and_not_overwritten() {
    for operation in ["rule-modify", "rule-delete"] {
        let setup = change_case(operation).await;
        let control = setup.running.control();
        let (rule_id, _) = control
            .state()
            .rules
            .iter()
            .find(|(_, r)| r.rule.body().name == "country")
            .map(|(id, r)| (id.clone(), r.clone()))
            .unwrap();
        let admin = control.user_id("user0@conv.example").unwrap();
        // What a person saves in the UI: another condition tree, same name.
        let mut by_hand = OrgModel::default();
        by_hand
            .workspaces
            .entry(WORKSPACE.to_string())
            .or_default()
            .rules
            .insert(
                "country".to_string(),
                RuleModel {
                    value: "C-by-hand".to_string(),
                    email_not_empty: true,
                    ownership_team: None,
                    previously: None,
                },
            );
        let conditions = by_hand.to_seed().workspaces[0].rules[0].conditions.clone();
        control
            .as_user(&admin)
            .unwrap()
            .modify_rule(&rule_id, "country", conditions.clone())
            .unwrap();

        let report = setup.apply_with(operation, vec![]).await;
        let outcome = step(&report, operation);
        match &outcome.status {
            StepStatus::Failed { error } => assert!(
                error.contains("changed since the plan"),
                "{operation}: {error}"
            ),
            other => panic!("{operation}: {other:?}"),
        }
        assert_eq!(setup.sent(operation).len(), 1, "{operation}: tried once");
        let state = control.state();
        let rule = state.rules[&rule_id].clone();
        assert!(rule.deleted.is_none(), "{operation}: not deleted");
        assert_eq!(
            rule.rule.body().conditions,
            conditions,
            "{operation}: the out-of-band edit stays"
        );
        assert_eq!(
            rule.rule.body().metadata.updated_by,
            format!("user/{admin}")
        );
    }
}

/// Several ambiguous writes in one apply, on every create of a plan that needs them in
/// dependency order (invite -> workspace add -> team create -> distribution create, and a
/// rule on the new team): one of each, and the org converges in that one apply.
#[tokio::test]
async fn every_create_of_one_plan_ambiguous_still_makes_one_of_each() {
    let org = base_org();
    let mut desired = unchanged(&org);
    desired.users.insert(
        "new0@conv.example".to_string(),
        UserModel {
            name: "New 0".to_string(),
            licenses: Some([License::Distro].into()),
            invite: true,
        },
    );
    let w = workspace(&mut desired);
    w.members.insert("new0@conv.example".to_string());
    w.teams.insert(
        "support".to_string(),
        [
            "new0@conv.example".to_string(),
            "user2@conv.example".to_string(),
        ]
        .into(),
    );
    w.distributions.insert(
        "support-routing".to_string(),
        DistributionModel {
            team: "support".to_string(),
            assignment: AssignmentKind::Conversation,
            weights: [
                ("new0@conv.example".to_string(), 10),
                ("user2@conv.example".to_string(), 20),
            ]
            .into(),
            cap: None,
            previously: None,
        },
    );
    w.rules.insert(
        "support-owner".to_string(),
        RuleModel {
            value: String::new(),
            email_not_empty: false,
            ownership_team: Some("support".to_string()),
            previously: None,
        },
    );
    let setup = setup(org, desired).await;
    let control = setup.running.control();
    // Only the creates: an idempotent write that is ambiguous on every attempt never gets an
    // answer, which is a different story (the next run re-plans it).
    control.set_faults(FaultConfig {
        ambiguous_rate: 1.0,
        seed: 3,
        operations: CREATES.iter().map(|(op, _)| op.to_string()).collect(),
        ..FaultConfig::default()
    });
    control.clear_journal();
    let report = harness::apply_plan(&setup.client, &setup.plan).await;
    control.set_faults(FaultConfig::default());
    assert!(report.succeeded(), "{}", report.render_text());
    let mut creates: BTreeMap<String, usize> = BTreeMap::new();
    for entry in setup.journal() {
        let operation = entry.operation.unwrap_or_default();
        if [
            "team-create",
            "distribution-create",
            "rule-create",
            "user-invite",
        ]
        .contains(&operation.as_str())
        {
            *creates.entry(operation).or_default() += 1;
        }
    }
    assert_eq!(
        creates,
        [
            ("distribution-create".to_string(), 1),
            ("rule-create".to_string(), 1),
            ("team-create".to_string(), 1),
            ("user-invite".to_string(), 1),
        ]
        .into()
    );
    setup.assert_converged().await;
}
