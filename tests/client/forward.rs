//! A live org full of what scoville does not know (an `AssignmentTableRule`, a rule kind and a
//! distribution assignment type from a newer API, an `AT` condition, `Daily` and `Weekly`
//! workspace resets, an unknown reset, bare team metadata, users with a `tier`, fields never
//! seen): plan, export and drift work when the manifests do not touch those objects, and a
//! manifest that asks to change one gets a refusal naming what is unknown.

use std::path::PathBuf;

use scoville::emulator::{self, Options, Running, Seed, SeedRule, SeedRuleKind, SeedToken};
use scoville::live::{self, Scope};
use scoville::model::{
    Desired, License, OpaqueKind, Tier, WorkspaceResetPeriodicity, WorkspaceSettings,
};
use scoville::plan::{self, Plan, PlanProblem};
use scoville::{edge::wire, manifest};
use serde_json::json;

use super::emulated::client;
use super::export::{scoville, text};
use super::scripted::fast_retries;

/// Obviously fake; every permission.
const TOKEN: &str = "fake-forward-token-80c1d2e3";

fn acme() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/acme")
}

fn rule(name: &str, conditions: serde_json::Value) -> SeedRule {
    SeedRule {
        name: name.into(),
        kind: SeedRuleKind::Standard,
        team: None,
        conditions: serde_json::from_value(conditions).unwrap(),
    }
}

fn single(source: &str, object: &str, field: &str) -> serde_json::Value {
    json!({"type": "SingleParameterCondition", "conditionId": "c1",
           "dataReference": {"source": source, "object": object, "field": field},
           "operator": "notEmpty"})
}

/// The demo org plus, in Sales, objects the Acme manifests do not declare, some of them
/// served with what a newer API sends; and a fourth workspace whose settings reset
/// fortnightly, a variant the official extracts do not have.
fn forward_seed() -> Seed {
    let mut seed = emulator::demo_seed();
    seed.tokens.push(SeedToken {
        id: "forward".into(),
        secret: TOKEN.into(),
        permissions: vec!["*".into()],
    });
    let sales = seed
        .workspaces
        .iter_mut()
        .find(|w| w.name == "Sales")
        .unwrap();
    sales
        .rules
        .push(rule("Territory table", single("SF", "Lead", "State")));
    sales
        .rules
        .push(rule("Future rule", single("SF", "Lead", "Phone")));
    sales
        .rules
        .push(rule("Table lookup", single("AT", "Territories", "Region")));
    let mut chat = sales.distributions[0].clone();
    chat.name = "Chat queue".into();
    sales.distributions.push(chat);
    let mut labs = seed.workspaces[0].clone();
    labs.name = "Labs".into();
    labs.teams.clear();
    labs.distributions.clear();
    labs.rules.clear();
    seed.workspaces.push(labs);
    let daily = json!({"type": "Daily", "timeZone": "Europe/Paris"});
    let weekly = json!({"type": "Weekly", "dayOfWeek": 1, "timeZone": "Europe/Paris"});
    seed.overlays = serde_json::from_value(json!({
        "rule:Sales/Territory table": {"type": "AssignmentTableRule", "assignmentTableId": "at-7"},
        "rule:Sales/Future rule": {"type": "HolographicRule", "hologram": {"depth": 3}},
        "rule:Sales/Table lookup": {"aFieldNeverSeen": true},
        "distribution:Sales/Chat queue": {
            "published.assignmentTypeConfig": {"type": "CarrierPigeon", "loft": "north"}
        },
        "distribution:Sales/Enterprise Leads": {"published.somethingNew": [1, 2]},
        "settings:Customer Success": {"resetPeriodicity": daily},
        "settings:Partnerships": {"resetPeriodicity": weekly},
        "settings:Labs": {"resetPeriodicity": {"type": "Fortnightly", "timeZone": "UTC"}},
        "team:Sales/inbound-sdr": {"metadata": {}},
        "team:Sales/enterprise-ae": {"metadata": null},
        "user:liam.patel@acme.example": {"licenses.tier": "RoutingAndScheduling", "pronouns": "he"},
        "user:sofia.rossi@acme.example": {"licenses.tier": "QuantumRouting"}
    }))
    .unwrap();
    seed
}

async fn start(seed: Seed) -> Running {
    emulator::start(Options::new(seed)).await.unwrap()
}

fn acme_desired() -> Desired {
    manifest::load(&[acme()]).unwrap_or_else(|d| panic!("{}", d.render_text()))
}

async fn plan_against(running: &Running, desired: &Desired) -> Plan {
    let live = live::fetch(
        &client(running, TOKEN, fast_retries()),
        &Scope::for_desired(desired),
    )
    .await
    .unwrap();
    plan::plan(desired, &live, &plan::PlanOptions::new(desired, false))
}

fn problems(plan: &Plan) -> Vec<&PlanProblem> {
    plan.errors.iter().map(|error| &error.problem).collect()
}

#[tokio::test]
async fn the_read_keeps_unknown_objects_opaque_and_everything_else_readable() {
    let running = start(forward_seed()).await;
    let live = live::fetch(
        &client(&running, TOKEN, fast_retries()),
        &Scope::everything_with_settings(),
    )
    .await
    .unwrap();
    let opaque: Vec<(&str, OpaqueKind, &str)> = live
        .opaque
        .iter()
        .map(|o| (o.workspace.as_str(), o.kind, o.name.as_str()))
        .collect();
    assert_eq!(
        opaque,
        [
            ("Labs", OpaqueKind::Settings, "Labs"),
            ("Sales", OpaqueKind::Distribution, "Chat queue"),
            ("Sales", OpaqueKind::Rule, "Future rule"),
            ("Sales", OpaqueKind::Rule, "Territory table"),
        ]
    );
    let said: Vec<&str> = live.opaque.iter().map(|o| o.unknown.as_str()).collect();
    assert!(said[0].contains("`Fortnightly`"), "{said:?}");
    assert!(said[1].contains("`CarrierPigeon`"), "{said:?}");
    assert!(said[2].contains("`HolographicRule`"), "{said:?}");
    assert!(
        said[3].contains("AssignmentTableRule") && said[3].contains("at-7"),
        "{said:?}"
    );
    // The opaque distribution's team counts as used.
    assert!(!live.opaque[1].team_ids.is_empty());

    // Known variants new to 1.494.0 read as themselves.
    let reset = |name: &str| {
        live.workspaces[name]
            .settings
            .as_ref()
            .map(|s: &WorkspaceSettings| s.reset_periodicity.clone())
    };
    assert_eq!(
        reset("Customer Success"),
        Some(WorkspaceResetPeriodicity::Daily {
            time_zone: "Europe/Paris".into()
        })
    );
    assert_eq!(
        reset("Partnerships"),
        Some(WorkspaceResetPeriodicity::Weekly {
            day_of_week: 1,
            time_zone: "Europe/Paris".into()
        })
    );
    let sales = &live.workspaces["Sales"];
    assert!(sales.rules.iter().any(|r| r.name == "Table lookup"));
    assert!(
        sales
            .distributions
            .iter()
            .any(|d| d.name == "Inbound Demo Requests")
    );
    let bare = sales
        .teams
        .iter()
        .find(|t| t.name == "inbound-sdr")
        .unwrap();
    assert!(
        !bare.members.is_empty(),
        "members read despite bare metadata"
    );
    let liam = live
        .users
        .values()
        .find(|u| u.email.as_str() == "liam.patel@acme.example")
        .unwrap();
    assert_eq!(liam.tier, Some(Tier::RoutingAndScheduling));
    let sofia = live
        .users
        .values()
        .find(|u| u.email.as_str() == "sofia.rossi@acme.example")
        .unwrap();
    assert_eq!(sofia.tier, Some(Tier::Unknown("QuantumRouting".into())));
}

#[tokio::test]
async fn a_plan_that_does_not_touch_them_lists_them_as_opaque_and_unmanaged() {
    let running = start(forward_seed()).await;
    let desired = acme_desired();
    let plan = plan_against(&running, &desired).await;
    assert!(problems(&plan).is_empty(), "{:#?}", plan.errors);
    let unmanaged: Vec<String> = plan
        .unmanaged
        .iter()
        .map(|u| format!("{} {}", u.address, u.detail))
        .collect();
    for expected in [
        "distribution:Sales/Chat queue opaque: has the value `CarrierPigeon`",
        "rule:Sales/Future rule opaque: has the value `HolographicRule`",
        "rule:Sales/Territory table opaque: has the kind `AssignmentTableRule`",
    ] {
        assert!(
            unmanaged.iter().any(|line| line.starts_with(expected)),
            "{expected} in {unmanaged:#?}"
        );
    }
    assert!(
        unmanaged
            .iter()
            .any(|line| line.starts_with("rule:Sales/Table lookup")),
        "{unmanaged:#?}"
    );
    // The Daily and Weekly resets differ from the manifests: ordinary settings updates, sent
    // without the read-only `orderIfEqualState`.
    for step in plan
        .steps
        .iter()
        .filter(|s| s.call.op().id == "distribution-workspace-settings-update")
    {
        let request = step.call.request(&|_: &plan::StepId| None).unwrap();
        let body = request.body.unwrap();
        assert!(body.get("orderIfEqualState").is_none(), "{body}");
    }
    // Nothing in the plan writes to an opaque object.
    for step in &plan.steps {
        let target = step.target.to_string();
        assert!(
            ![
                "Chat queue",
                "Future rule",
                "Territory table",
                "settings:Labs"
            ]
            .iter()
            .any(|name| target.contains(name)),
            "{target}"
        );
    }
}

#[tokio::test]
async fn a_manifest_that_changes_an_opaque_object_is_refused_saying_what_is_unknown() {
    let mut seed = forward_seed();
    let overlays = serde_json::from_value(json!({
        "rule:Sales/Enterprise accounts": {"type": "HolographicRule"},
        "settings:Sales": {"resetPeriodicity": {"type": "Fortnightly", "timeZone": "UTC"}}
    }))
    .unwrap();
    seed.overlays
        .extend::<std::collections::BTreeMap<_, _>>(overlays);
    let running = start(seed).await;
    let desired = acme_desired();
    let plan = plan_against(&running, &desired).await;
    let messages: Vec<String> = plan.errors.iter().map(|e| e.message.clone()).collect();
    assert!(
        messages.iter().any(|m| m.starts_with(
            "rule `Enterprise accounts` of workspace `Sales` has the value `HolographicRule`, \
             which scoville does not know"
        )),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m
                .starts_with("settings `Sales` of workspace `Sales` has the value `Fortnightly`")),
        "{messages:#?}"
    );
    assert!(plan.steps.is_empty(), "a refused plan has no steps");
}

#[tokio::test]
async fn licenses_send_the_live_tier_back_and_refuse_an_unknown_one() {
    let running = start(forward_seed()).await;
    let mut desired = acme_desired();
    let email = |text: &str| {
        desired
            .users
            .keys()
            .find(|e| e.as_str() == text)
            .unwrap()
            .clone()
    };
    let (liam, sofia) = (
        email("liam.patel@acme.example"),
        email("sofia.rossi@acme.example"),
    );
    let toggle = |licenses: &mut Option<std::collections::BTreeSet<License>>| {
        let set = licenses.get_or_insert_with(Default::default);
        if !set.remove(&License::Chat) {
            set.insert(License::Chat);
        }
    };
    toggle(&mut desired.users.get_mut(&liam).unwrap().licenses);
    let plan = plan_against(&running, &desired).await;
    assert!(plan.errors.is_empty(), "{:#?}", plan.errors);
    let licenses = plan
        .steps
        .iter()
        .find(|s| s.call.op().id == "user-update-licenses")
        .expect("a licenses step");
    // (Acme also invites a user, whose id the invitation step would give.)
    let body = licenses
        .call
        .request(&|_: &plan::StepId| Some("u-invited".to_string()))
        .unwrap()
        .body
        .unwrap();
    let liam_id = client(&running, TOKEN, fast_retries())
        .user_find("liam.patel@acme.example")
        .await
        .unwrap()[0]
        .id
        .clone();
    assert_eq!(
        body["update"][&liam_id]["tier"], "RoutingAndScheduling",
        "{body}"
    );

    toggle(&mut desired.users.get_mut(&sofia).unwrap().licenses);
    let plan = plan_against(&running, &desired).await;
    assert!(
        problems(&plan).iter().any(|p| matches!(
            p,
            PlanProblem::UnknownTier { tier, .. } if tier == "QuantumRouting"
        )),
        "{:#?}",
        plan.errors
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_says_what_it_skipped_and_drift_works() {
    let running = start(forward_seed()).await;
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("exported");
    let output = scoville(
        vec![
            "export".into(),
            "--endpoint".into(),
            running.base_url(),
            "--out".into(),
            out.display().to_string(),
        ],
        Some(TOKEN),
        work.path(),
    )
    .await;
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    for skipped in [
        "skipped distribution `Chat queue` of workspace `Sales`: it has the value `CarrierPigeon`",
        "skipped rule `Future rule` of workspace `Sales`: it has the value `HolographicRule`",
        "skipped rule `Territory table` of workspace `Sales`: it has the kind `AssignmentTableRule`",
        "skipped the distribution settings of workspace `Labs`: they have the value `Fortnightly`",
    ] {
        assert!(stderr.contains(skipped), "{skipped} in {stderr}");
    }
    let exported = manifest::load(std::slice::from_ref(&out))
        .unwrap_or_else(|d| panic!("{}", d.render_text()));
    let sales = &exported.workspaces["Sales"];
    assert!(
        sales.rules.contains_key("Table lookup"),
        "the AT condition is exported"
    );
    assert!(!sales.rules.contains_key("Future rule"));

    let drift = scoville(
        vec![
            "drift".into(),
            "--endpoint".into(),
            running.base_url(),
            acme().display().to_string(),
        ],
        Some(TOKEN),
        work.path(),
    )
    .await;
    let (stdout, stderr) = (text(&drift.stdout), text(&drift.stderr));
    // Drift found (the Daily and Weekly resets differ from the manifests), not an error.
    assert!(
        matches!(drift.status.code(), Some(0) | Some(2)),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(!stderr.contains("error"), "{stderr}");
}

/// A wire-level check: the emulator serves an overlaid object exactly as seeded.
#[tokio::test]
async fn overlays_are_served_over_the_object() {
    let running = start(forward_seed()).await;
    let rules = client(&running, TOKEN, fast_retries())
        .rule_list(None, Some("Future rule"))
        .await
        .unwrap();
    let [wire::Tolerant::Unknown { raw, reason }] = rules.as_slice() else {
        panic!("{rules:?}")
    };
    assert_eq!(raw["type"], "HolographicRule");
    assert_eq!(raw["hologram"]["depth"], 3);
    assert!(reason.contains("HolographicRule"), "{reason}");
}
