//! The field cases of writes decided from stale reads, each as a regression test against the
//! emulator: a saved plan and a new dependent, a weight changed while `apply` waited for `yes`,
//! and two applies of one plan at once. (Partial reads are in the client tests' `integrity`;
//! the per-org lock is in `tests/apply.rs`.)

use std::sync::Arc;

use scoville::apply::verify::{self, VerifyError};
use scoville::apply::{self, ApplyOptions, SilentProgress};
use scoville::edge::{EdgeClient, wire};
use scoville::emulator::{Control, Running, Seed};
use scoville::model::Desired;
use scoville::plan::{Plan, PlanInputs, PlanOutcome};
use scoville::render;

use super::harness;

/// A small org: team `sdr` (Bob, Carol) behind distribution `Inbound`, team `ae` (Dave, Erin)
/// behind `Enterprise`.
fn seed() -> Seed {
    let admin = r#"{"id": "admin", "secret": "scoville-demo-admin-token", "permissions": ["*"]}"#;
    let text = format!(
        r#"{{
      "tenant": {{"type": "Organization", "tenantData": {{"tenantId": "small.app1", "cluster": "app1", "subdomain": "small"}}}},
      "seats": {{"distro": 10, "chiliCalOrg": 10}},
      "tokens": [{admin}],
      "users": [
        {{"name": "Alice", "email": "alice@small.example", "superAdmin": true, "licenses": ["distro", "chiliCalOrg"]}},
        {{"name": "Bob", "email": "bob@small.example", "licenses": ["distro", "chiliCalOrg"]}},
        {{"name": "Carol", "email": "carol@small.example", "licenses": ["distro", "chiliCalOrg"]}},
        {{"name": "Dave", "email": "dave@small.example", "licenses": ["distro", "chiliCalOrg"]}},
        {{"name": "Erin", "email": "erin@small.example", "licenses": ["distro", "chiliCalOrg"]}}
      ],
      "workspaces": [{{
        "name": "Sales",
        "members": ["alice@small.example", "bob@small.example", "carol@small.example", "dave@small.example", "erin@small.example"],
        "teams": [
          {{"name": "sdr", "members": ["bob@small.example", "carol@small.example"]}},
          {{"name": "ae", "members": ["dave@small.example", "erin@small.example"]}}
        ],
        "distributions": [
          {{"name": "Inbound", "team": "sdr", "assignment": {{"type": "Record", "handling": {{"type": "Strict"}}}},
           "weights": {{"bob@small.example": 100, "carol@small.example": 100}}}},
          {{"name": "Enterprise", "team": "ae", "assignment": {{"type": "Record", "handling": {{"type": "Strict"}}}},
           "weights": {{"dave@small.example": 100, "erin@small.example": 100}}}}
        ],
        "rules": []
      }}]
    }}"#
    );
    serde_json::from_str(&text).expect("the seed parses")
}

/// Manifests for the seed's org with `sales` as the Sales workspace's teams and distributions.
fn manifests(sales: &str) -> Desired {
    let members = "[alice@small.example, bob@small.example, carol@small.example, \
                   dave@small.example, erin@small.example]";
    let users: String = ["alice", "bob", "carol", "dave", "erin"]
        .iter()
        .map(|name| format!("  {name}@small.example: {{name: {name}}}\n"))
        .collect();
    let text = format!("users:\n{users}workspaces:\n  Sales:\n    members: {members}\n{sales}");
    scoville::manifest::load_texts(&[("sales.yaml".to_string(), text)])
        .unwrap_or_else(|d| panic!("{}", d.render_text()))
}

const ENTERPRISE: &str = "      Enterprise:
        team: ae
        record: {handling: {type: Strict}}
        weights: {dave@small.example: 100, erin@small.example: 100}
";

async fn planned(desired: &Desired) -> (Running, EdgeClient, Plan) {
    let running = harness::start(seed()).await;
    let client = harness::client(&running, harness::fast_retries(7));
    let plan = harness::fetch_and_plan(&client, desired).await.unwrap();
    assert_eq!(
        plan.outcome(),
        PlanOutcome::Changes,
        "{}",
        render::text(&plan, false)
    );
    (running, client, plan)
}

fn id_of(control: &Control, kind: &str, name: &str) -> String {
    let state = control.state();
    match kind {
        "team" => state
            .teams
            .values()
            .find(|t| t.name == name)
            .map(|t| t.id.clone()),
        _ => state
            .distributions
            .values()
            .find(|d| d.name.as_deref() == Some(name))
            .map(|d| d.distribution_id.clone()),
    }
    .unwrap_or_else(|| panic!("no {kind} `{name}`"))
}

fn writes(control: &Control) -> Vec<String> {
    control
        .journal()
        .into_iter()
        .filter_map(|entry| entry.operation)
        // Writes are what the operation table says needs more than a read permission (the
        // PUT lists `team-list-put` and `distribution-list-put` are reads).
        .filter(|op| {
            scoville::edge::ops::by_id(op).is_some_and(|op| !op.permission.ends_with(".read"))
        })
        .collect()
}

/// Regression (field case 09): a saved plan removed Bob from `sdr` although a distribution
/// made in the UI after the plan still weighted him. The saved file now carries its inputs,
/// and apply plans again before writing: refused, naming the distribution and Alice.
#[tokio::test]
async fn a_saved_plan_is_refused_when_a_new_distribution_weights_someone_it_removes() {
    let desired = manifests(&format!(
        "    teams:\n      sdr: [carol@small.example]\n      ae: [dave@small.example, erin@small.example]
    distributions:
      Inbound:
        team: sdr
        record: {{handling: {{type: Strict}}}}
        weights: {{carol@small.example: 100}}
{ENTERPRISE}"
    ));
    let (running, client, plan) = planned(&desired).await;
    let saved = Plan {
        inputs: Some(PlanInputs {
            desired: desired.clone(),
            allow_destructive: false,
        }),
        ..plan
    };
    let from_file = Plan::from_json(&render::json(&saved)).unwrap();

    let control = running.control();
    let alice = control.user_id("alice@small.example").unwrap();
    let bob = control.user_id("bob@small.example").unwrap();
    let workspace_id = control.state().workspaces.keys().next().unwrap().clone();
    control
        .as_user(&alice)
        .unwrap()
        .create_distribution(&wire::DistributionWriteRequest {
            team_id: id_of(&control, "team", "sdr"),
            workspace_id,
            assignment_type_config: wire::AssignmentTypeConfig::Conversation,
            weights: Some(vec![wire::UserWeight {
                user_id: bob,
                weight: 100,
            }]),
            manual_calibration: None,
            capping: None,
            name: "SDR chat".to_string(),
        })
        .unwrap();
    control.clear_journal();

    let error = verify::verify(&client, &from_file, from_file.inputs.as_ref())
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, VerifyError::Changed(_)), "{message}");
    assert!(
        message.contains("distribution `SDR chat` in workspace `Sales` was created at")
            && message.contains("by alice@small.example"),
        "{message}"
    );
    assert!(
        message.contains("weighted-in") || message.contains("still gives them a weight"),
        "{message}"
    );
    assert_eq!(writes(&control), Vec::<String>::new(), "nothing written");
    running.shutdown().await.unwrap();
}

/// Regression (field case 2): while `apply` waited for `yes`, a colleague changed Carol's
/// weight in `Inbound`; the update would have overwritten it with a value the approved plan
/// never showed. The check after `yes` refuses, naming the distribution and who changed it.
#[tokio::test]
async fn a_weight_changed_while_apply_waited_for_yes_is_not_overwritten() {
    let desired = manifests(&format!(
        "    teams:\n      sdr: [bob@small.example, carol@small.example]\n      ae: [dave@small.example, erin@small.example]
    distributions:
      Inbound:
        team: sdr
        record: {{handling: {{type: Strict}}}}
        weights: {{bob@small.example: 50, carol@small.example: 100}}
{ENTERPRISE}"
    ));
    let (running, client, plan) = planned(&desired).await;
    let inputs = PlanInputs {
        desired,
        allow_destructive: false,
    };
    let control = running.control();
    let dave = control.user_id("dave@small.example").unwrap();
    let carol = control.user_id("carol@small.example").unwrap();
    control
        .as_user(&dave)
        .unwrap()
        .set_distribution_weights(&id_of(&control, "distribution", "Inbound"), &[(&carol, 70)])
        .unwrap();
    control.clear_journal();

    let message = verify::verify(&client, &plan, Some(&inputs))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("distribution `Inbound` changed at")
            && message.contains("by dave@small.example"),
        "{message}"
    );
    assert!(
        message.contains("`distribution-update-v3 distribution:Sales/Inbound` would now be sent")
            || message.contains("distribution:Sales/Inbound"),
        "{message}"
    );
    assert_eq!(writes(&control), Vec::<String>::new(), "nothing written");
    let state = control.state();
    let inbound = state
        .distributions
        .values()
        .find(|d| d.name.as_deref() == Some("Inbound"))
        .unwrap();
    assert!(
        inbound
            .weights
            .iter()
            .flatten()
            .any(|w| w.user_id == carol && w.weight == 70),
        "Carol keeps the weight her colleague gave"
    );
    running.shutdown().await.unwrap();
}

/// Regression (field case 4): two applies of one plan at the same moment (a developer and CI)
/// both created the new team and distribution, and every later plan was refused. Now each
/// looks by name before creating and settles twins after: the org holds one of each, and the
/// next plan is empty.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_applies_at_once_leave_one_team_and_one_distribution() {
    let desired = manifests(&format!(
        "    teams:\n      sdr: [bob@small.example, carol@small.example]\n      ae: [dave@small.example, erin@small.example]\n      mid: [carol@small.example]
    distributions:
      Inbound:
        team: sdr
        record: {{handling: {{type: Strict}}}}
        weights: {{bob@small.example: 100, carol@small.example: 100}}
      Mid:
        team: mid
        record: {{handling: {{type: Strict}}}}
        weights: {{carol@small.example: 100}}
{ENTERPRISE}"
    ));
    let (running, client, plan) = planned(&desired).await;
    let other = harness::client(&running, harness::fast_retries(8));
    let run = |client: EdgeClient, plan: Plan| async move {
        apply::run(
            &client,
            &plan,
            &ApplyOptions::default(),
            Arc::new(SilentProgress),
        )
        .await
    };
    let (first, second) = tokio::join!(
        tokio::spawn(run(client.clone(), plan.clone())),
        tokio::spawn(run(other, plan.clone()))
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    let state = running.control().state();
    let teams = state.teams.values().filter(|t| t.name == "mid").count();
    let distributions = state
        .distributions
        .values()
        .filter(|d| d.name.as_deref() == Some("Mid"))
        .count();
    assert_eq!(
        (teams, distributions),
        (1, 1),
        "{}\n{}",
        first.render_text(),
        second.render_text()
    );
    let again = harness::fetch_and_plan(&client, &desired).await.unwrap();
    assert_eq!(
        again.outcome(),
        PlanOutcome::NoChanges,
        "{}",
        render::text(&again, false)
    );
    running.shutdown().await.unwrap();
}
