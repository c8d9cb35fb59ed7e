//! Objects that decode but carry fields scoville has never seen (a newer API's): fields in a
//! distribution's configuration, in one of its weights and in its assignment type, a license
//! flag, a field on a rule's condition node. They are read, listed, and left alone by a plan that does not touch them;
//! a manifest that changes one of them is refused naming the field paths, because the write
//! would replace the whole object and erase those fields; and nothing is written.

use std::path::{Path, PathBuf};

use scoville::emulator::{self, Options, Running, Seed, SeedToken};
use scoville::live::{self, Scope};
use scoville::model::{Desired, UnknownFieldsKind};
use scoville::plan::{self, Plan, PlanProblem};
use scoville::{edge::wire, manifest};
use serde_json::json;

use super::emulated::client;
use super::export::{scoville, text};
use super::scripted::fast_retries;

/// Obviously fake; every permission.
const TOKEN: &str = "fake-fields-token-5a6b7c8d";

fn acme() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/acme")
}

/// The demo org, with unknown fields served on a distribution the Acme manifests manage (in
/// its configuration, a weights entry and its assignment type), on two users' licenses and on
/// the root condition node of a managed rule.
fn fields_seed() -> Seed {
    let mut seed = emulator::demo_seed();
    seed.tokens.push(SeedToken {
        id: "fields".into(),
        secret: TOKEN.into(),
        permissions: vec!["*".into()],
    });
    seed.overlays = serde_json::from_value(json!({
        "distribution:Sales/Enterprise Leads": {
            "published.routingHint": "fastest",
            "published.weights.1.boost": 2,
            "published.assignmentTypeConfig.stickiness": {"days": 3}
        },
        "user:liam.patel@acme.example": {"licenses.voice": true},
        "user:ava.thompson@acme.example": {"licenses.voice": true},
        "rule:Sales/Enterprise accounts": {"conditions.weight": 2}
    }))
    .unwrap();
    seed
}

async fn start() -> Running {
    emulator::start(Options::new(fields_seed())).await.unwrap()
}

fn load(dir: &Path) -> Desired {
    manifest::load(&[dir.to_path_buf()]).unwrap_or_else(|d| panic!("{}", d.render_text()))
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

/// A copy of the Acme manifests with `from` replaced by `to` in `file`.
fn edited(work: &Path, file: &str, from: &str, to: &str) -> PathBuf {
    let dir = work.join("acme");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(acme()).unwrap() {
        let path = entry.unwrap().path();
        let mut content = std::fs::read_to_string(&path).unwrap();
        if path.file_name().unwrap() == file {
            assert!(content.contains(from), "{from} in {file}");
            content = content.replacen(from, to, 1);
        }
        std::fs::write(dir.join(path.file_name().unwrap()), content).unwrap();
    }
    dir
}

/// The operations the emulator saw that change something.
fn writes(running: &Running) -> Vec<String> {
    running
        .control()
        .journal()
        .into_iter()
        .filter_map(|entry| entry.operation)
        .filter(|op| {
            [
                "update", "modify", "create", "delete", "add-", "remove", "invite",
            ]
            .iter()
            .any(|verb| op.contains(verb))
        })
        .collect()
}

#[tokio::test]
async fn the_reader_records_the_fields_it_does_not_know_with_their_paths() {
    let running = start().await;
    let http = client(&running, TOKEN, fast_retries());
    let distributions = http
        .distribution_list(&wire::DistributionListRequest::default())
        .await
        .unwrap();
    let inbound = distributions
        .iter()
        .find(|d| d.known().unwrap().published.name.as_deref() == Some("Enterprise Leads"))
        .unwrap();
    assert_eq!(
        inbound.unknown_fields(),
        [
            "published.assignmentTypeConfig.stickiness",
            "published.routingHint",
            "published.weights[1].boost"
        ]
    );
    // Served again (as the reader keeps it), the unknown fields are still there.
    let again = serde_json::to_value(inbound).unwrap();
    assert_eq!(again["published"]["weights"][1]["boost"], 2);

    let desired = load(&acme());
    let live = live::fetch(&http, &Scope::for_desired(&desired))
        .await
        .unwrap();
    let found: Vec<(UnknownFieldsKind, &str, Vec<&str>)> = live
        .unknown_fields
        .iter()
        .map(|o| {
            (
                o.kind,
                o.name.as_str(),
                o.fields.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                UnknownFieldsKind::Licenses,
                "ava.thompson@acme.example",
                vec!["licenses.voice"]
            ),
            (
                UnknownFieldsKind::Licenses,
                "liam.patel@acme.example",
                vec!["licenses.voice"]
            ),
            (
                UnknownFieldsKind::Distribution,
                "Enterprise Leads",
                vec![
                    "published.assignmentTypeConfig.stickiness",
                    "published.routingHint",
                    "published.weights[1].boost"
                ]
            ),
            (
                UnknownFieldsKind::Rule,
                "Enterprise accounts",
                vec!["conditions.weight"]
            ),
        ]
    );
}

#[tokio::test]
async fn a_plan_that_does_not_touch_them_is_clean_and_lists_them() {
    let running = start().await;
    let plan = plan_against(&running, &load(&acme())).await;
    assert!(plan.errors.is_empty(), "{:#?}", plan.errors);
    let warnings: Vec<String> = plan.warnings.iter().map(|w| w.message.clone()).collect();
    for expected in [
        "distribution:Sales/Enterprise Leads has fields scoville does not know \
         (published.assignmentTypeConfig.stickiness, published.routingHint, \
         published.weights[1].boost)",
        "rule:Sales/Enterprise accounts has fields scoville does not know (conditions.weight)",
        "user:liam.patel@acme.example has fields scoville does not know (licenses.voice)",
    ] {
        assert!(
            warnings.iter().any(|w| w.starts_with(expected)),
            "{expected} in {warnings:#?}"
        );
    }
    // Nothing in the plan writes to them (the Acme plan does update another distribution).
    for step in &plan.steps {
        let target = step.target.to_string();
        assert!(
            !["Enterprise Leads", "Enterprise accounts", "liam.patel"]
                .iter()
                .any(|name| target.contains(name)),
            "{target}"
        );
        if step.call.op().id == "user-update-licenses" {
            let body = step
                .call
                .request(&|_: &plan::StepId| Some("u-invited".to_string()))
                .unwrap()
                .body
                .unwrap();
            assert!(!body.to_string().contains("voice"), "{body}");
        }
    }
}

/// Each change asks for a write that replaces an object with unknown fields: the plan is
/// refused naming the object and the exact paths, and `apply` writes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_that_would_erase_unknown_fields_is_refused_and_nothing_is_written() {
    let cases = [
        (
            "sales.yaml",
            "          lucas.schmidt@acme.example: 100\n",
            "          lucas.schmidt@acme.example: 50\n",
            "distribution `Enterprise Leads` of workspace `Sales` has fields scoville does \
             not know (published.assignmentTypeConfig.stickiness, published.routingHint, \
             published.weights[1].boost), and distribution-update-v3 replaces the whole \
             configuration, so writing it would erase them",
        ),
        (
            "users.yaml",
            "licenses: [distro, chiliCalOrg, concierge]",
            "licenses: [distro, chiliCalOrg, concierge, chat]",
            "the license set of user `liam.patel@acme.example` has fields scoville does not \
             know (licenses.voice), and user-update-licenses replaces the whole license set, so \
             writing it would erase them",
        ),
        // A downgrade that frees a seat for a grant of the same plan (Acme grants `concierge`
        // to another user), of a user no other step names, would ride in the early licenses
        // call: refused all the same.
        (
            "users.yaml",
            "licenses: [distro, chiliCalOrg, concierge, conciergeLive, chat, handoff]",
            "licenses: [distro, chiliCalOrg, conciergeLive, chat, handoff]",
            "the license set of user `ava.thompson@acme.example` has fields scoville does not \
             know (licenses.voice), and user-update-licenses replaces the whole license set, so \
             writing it would erase them",
        ),
        (
            "sales.yaml",
            "{field: SF.Account.NumberOfEmployees, atLeast: 1000}",
            "{field: SF.Account.NumberOfEmployees, atLeast: 2000}",
            "rule `Enterprise accounts` of workspace `Sales` has fields scoville does not know \
             (conditions.weight), and rule-modify replaces the whole rule, so writing it would \
             erase them",
        ),
    ];
    for (file, from, to, refusal) in cases {
        let running = start().await;
        let work = tempfile::tempdir().unwrap();
        let dir = edited(work.path(), file, from, to);
        let plan = plan_against(&running, &load(&dir)).await;
        assert!(
            plan.errors.iter().any(|e| e.message.starts_with(refusal)
                && matches!(e.problem, PlanProblem::WouldEraseUnknownFields { .. })),
            "{refusal} in {:#?}",
            plan.errors
        );
        assert!(plan.steps.is_empty(), "a refused plan has no steps");

        running.control().clear_journal();
        let output = scoville(
            vec![
                "apply".into(),
                "--endpoint".into(),
                running.base_url(),
                "--auto-approve".into(),
                dir.display().to_string(),
            ],
            Some(TOKEN),
            work.path(),
        )
        .await;
        let said = format!("{}{}", text(&output.stdout), text(&output.stderr));
        assert_eq!(output.status.code(), Some(1), "{said}");
        assert!(said.contains(refusal), "{refusal} in {said}");
        assert!(writes(&running).is_empty(), "{:?}", writes(&running));
        assert!(
            !running.control().journal().is_empty(),
            "apply read the org (the journal works)"
        );
    }
}
