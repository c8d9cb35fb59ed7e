//! `scoville doctor`: read-only first contact. Through the binary against the in-process
//! emulator (a full token, a token without `rule.read`, a refused token; zero writes in the
//! journal every time), and the real client against a server whose answers carry variants
//! scoville does not know.

#[path = "client/stub.rs"]
#[allow(dead_code)]
mod stub;

use std::collections::BTreeMap;
use std::process::Output;

use scoville::doctor::{self, Access, TokenVerdict};
use scoville::edge::{ApiToken, ClientOptions, EdgeClient, Endpoint, ops};
use scoville::emulator::{self, DEMO_ADMIN_TOKEN, Options, Running, SeedToken};
use serde_json::{Value, json};

use stub::{Reply, Stub};

const NO_RULE_READ_TOKEN: &str = "fake-doctor-no-rule-read-token";

async fn start() -> Running {
    let mut seed = emulator::demo_seed();
    let permissions = ops::ALL
        .iter()
        .map(|op| op.permission.to_string())
        .filter(|permission| permission.ends_with(".read") && permission != "rule.read")
        .collect();
    seed.tokens.push(SeedToken {
        id: "no-rule-read".into(),
        secret: NO_RULE_READ_TOKEN.into(),
        permissions,
    });
    emulator::start(Options::new(seed)).await.unwrap()
}

async fn doctor_binary(running: &Running, token: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "doctor".to_string(),
        "--endpoint".to_string(),
        running.base_url(),
    ];
    args.extend(extra.iter().map(|arg| arg.to_string()));
    let token = token.to_string();
    tokio::task::spawn_blocking(move || {
        assert_cmd::Command::new(env!("CARGO_BIN_EXE_scoville"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(&args)
            .env("CHILI_PIPER_API_KEY", token)
            .env_remove("SCOVILLE_ENDPOINT")
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

/// Every request the emulator saw was a read (an operation with a `.read` permission).
fn assert_no_writes(running: &Running) {
    let journal = running.control().journal();
    assert!(!journal.is_empty());
    for entry in journal {
        let op = ops::ALL
            .iter()
            .find(|op| Some(op.id) == entry.operation.as_deref())
            .unwrap_or_else(|| panic!("not an operation of the table: {entry:?}"));
        assert!(
            op.permission.ends_with(".read"),
            "doctor made a write: {entry:?}"
        );
    }
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "{error}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_with_a_full_token_passes_reads_only_and_names_the_write_permissions() {
    let running = start().await;
    let output = doctor_binary(
        &running,
        DEMO_ADMIN_TOKEN,
        &["--format", "json", "examples/acme"],
    )
    .await;
    let report = json_of(&output);
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    assert_eq!(report["ok"], true);
    assert_eq!(report["token"], "accepted");
    assert_eq!(report["tenant"]["subdomain"], "acme-corp");
    assert!(report["roundTripMs"].as_f64().is_some());
    let counts: BTreeMap<&str, u64> = report["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), c["count"].as_u64().unwrap()))
        .collect();
    let seed = running.control().seed().clone();
    assert_eq!(counts["users"], seed.users.len() as u64);
    assert_eq!(counts["workspaces"], seed.workspaces.len() as u64);
    assert_eq!(counts["workspace settings"], seed.workspaces.len() as u64);
    let rules: usize = seed.workspaces.iter().map(|w| w.rules.len()).sum();
    assert_eq!(counts["rules"], rules as u64);
    // The page size the emulator echoed is reported as such.
    let users = &report["collections"][0];
    assert_eq!(users["paging"]["asked"], ops::REQUESTED_PAGE_SIZE);
    assert!(users["paging"]["echoed"].as_u64().is_some());
    // The acme manifests invite someone and create a team: apply would need these.
    let needed: Vec<&str> = report["writeNeeds"]["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|need| need["permission"].as_str().unwrap())
        .collect();
    for permission in ["user.modify", "team.create", "licenses.modify"] {
        assert!(needed.contains(&permission), "{needed:?}");
    }
    assert_no_writes(&running);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_names_a_missing_read_permission_and_fails() {
    let running = start().await;
    let output = doctor_binary(&running, NO_RULE_READ_TOKEN, &[]).await;
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("MISSING  rule.read"), "{text}");
    assert!(text.contains("lacks `rule.read`"), "{text}");
    assert!(text.contains("not ok"), "{text}");
    // The other reads went on.
    assert!(text.contains("ok       team.read"), "{text}");
    assert_no_writes(&running);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_with_a_refused_token_says_so() {
    let running = start().await;
    let output = doctor_binary(&running, "fake-doctor-unknown-token", &["--format", "json"]).await;
    let report = json_of(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(report["token"], "refused");
    assert!(
        report["blockers"][0]
            .as_str()
            .unwrap()
            .contains("token was refused")
    );
    assert_no_writes(&running);
}

/// The raw answers of the emulator to the reads doctor makes, by path (without the prefix).
async fn answers_of(running: &Running) -> BTreeMap<String, Value> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let mut out = BTreeMap::new();
    for op in [
        ops::HEALTH_PING,
        ops::TENANT_GET,
        ops::WORKSPACE_LIST,
        ops::WORKSPACE_LIST_USERS,
        ops::RULE_LIST,
        ops::USER_FIND,
    ] {
        let url = format!(
            "{}{}?page=0&pageSize=100&query=a",
            running.base_url(),
            op.path
        );
        let response = http
            .get(url)
            .bearer_auth(DEMO_ADMIN_TOKEN)
            .send()
            .await
            .unwrap();
        let body = response.bytes().await.unwrap();
        out.insert(
            op.path.to_string(),
            serde_json::from_slice(&body).unwrap_or(Value::Null),
        );
    }
    for op in [ops::TEAM_LIST_PUT, ops::DISTRIBUTION_LIST_PUT] {
        let url = format!("{}{}", running.base_url(), op.path);
        let response = http
            .put(url)
            .bearer_auth(DEMO_ADMIN_TOKEN)
            .json(&json!({"page": 0, "pageSize": 100}))
            .send()
            .await
            .unwrap();
        out.insert(op.path.to_string(), response.json().await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_lists_objects_of_unknown_variants_with_where_they_are() {
    let running = start().await;
    let mut answers = answers_of(&running).await;
    // A rule of a kind no version of scoville knows, and a workspace whose settings reset
    // on a schedule no version knows either.
    let rules = answers.get_mut(ops::RULE_LIST.path).unwrap();
    let mut future_rule = rules["results"][0].clone();
    future_rule["type"] = json!("HolographicRule");
    future_rule["id"] = json!("rule-from-the-future");
    future_rule["name"] = json!("Beam me up");
    rules["results"].as_array_mut().unwrap().push(future_rule);
    rules["total"] = json!(rules["results"].as_array().unwrap().len());
    let workspace_id = answers[ops::WORKSPACE_LIST.path]["results"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let http = reqwest::Client::new();
    let settings_url = format!(
        "{}{}?workspaceId={workspace_id}",
        running.base_url(),
        ops::DISTRIBUTION_WORKSPACE_SETTINGS_GET.path
    );
    let mut settings: Value = http
        .get(settings_url)
        .bearer_auth(DEMO_ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    settings["resetPeriodicity"] = json!({"type": "Fortnightly", "timeZone": "UTC"});

    let server = Stub::start(move |received, _| {
        let path = received
            .path()
            .strip_prefix(ops::PATH_PREFIX)
            .unwrap_or_default();
        if path == ops::DISTRIBUTION_WORKSPACE_SETTINGS_GET.path {
            return Reply::Json(200, settings.clone());
        }
        // No meeting type, reminder or link.
        if [
            ops::MEETING_TYPE_LIST.path,
            ops::MEETING_TYPE_REMINDER_LIST.path,
        ]
        .contains(&path)
        {
            return Reply::Json(200, json!([]));
        }
        if path.starts_with("/v1/org/schedulingLinks/list-") {
            return Reply::Json(200, json!({"links": []}));
        }
        match answers.get(path) {
            Some(answer) => Reply::Json(200, answer.clone()),
            None => Reply::Json(
                404,
                json!({"errorCode": "NotFound", "errorMessage": "not served by this stub"}),
            ),
        }
    })
    .await;
    let client = EdgeClient::new(
        Endpoint::parse(server.base_url()).unwrap(),
        ApiToken::from_literal(DEMO_ADMIN_TOKEN).unwrap(),
        ClientOptions::default(),
    )
    .unwrap();
    let report = doctor::examine(&client).await.report;

    assert_eq!(
        report.token,
        TokenVerdict::Accepted,
        "{}",
        doctor::text(&report)
    );
    let where_: Vec<(String, Option<String>, Option<String>)> = report
        .unknown_objects
        .iter()
        .map(|unknown| {
            (
                unknown.kind.clone(),
                unknown.id.clone(),
                unknown.name.clone(),
            )
        })
        .collect();
    assert!(
        where_.contains(&(
            "rules".into(),
            Some("rule-from-the-future".into()),
            Some("Beam me up".into())
        )),
        "{where_:?}\n{}",
        doctor::text(&report)
    );
    assert!(
        where_
            .iter()
            .any(|(kind, id, _)| kind == "workspace settings"
                && id.as_deref() == Some(workspace_id.as_str())),
        "{where_:?}"
    );
    let details: Vec<&str> = report
        .unknown_objects
        .iter()
        .map(|unknown| unknown.detail.as_str())
        .collect();
    assert!(
        details.iter().any(|d| d.contains("HolographicRule")),
        "{details:?}"
    );
    assert!(
        details.iter().any(|d| d.contains("Fortnightly")),
        "{details:?}"
    );
    // The other rules and every other collection decoded and were counted.
    let rules = report
        .collections
        .iter()
        .find(|c| c.kind == "rules")
        .unwrap();
    // Kept opaque, not undecodable: scoville reads the org with them and refuses only to
    // change them, so they do not stop it from working.
    assert_eq!(rules.undecodable, 0);
    assert!(rules.count > 1);
    // No write was sent, whatever the answers.
    for request in server.received() {
        let method = request.method.parse::<axum::http::Method>().unwrap();
        let op = emulator::operation_for(&method, request.path())
            .unwrap_or_else(|| panic!("not an operation: {request:?}"));
        assert!(op.permission.ends_with(".read"), "a write: {request:?}");
    }
    // Rendered, the listing says where.
    let text = doctor::text(&report);
    assert!(
        text.contains("rules `rule-from-the-future` (Beam me up)"),
        "{text}"
    );
    assert!(report.is_ok(), "{}", doctor::text(&report));
    assert!(matches!(
        report
            .read_permissions
            .iter()
            .find(|entry| entry.op == ops::RULE_LIST.id)
            .unwrap()
            .access,
        Access::Granted
    ));
}

#[test]
fn doctor_works_with_the_sandbox() {
    let directory = tempfile::tempdir().unwrap();
    let output = assert_cmd::Command::new(env!("CARGO_BIN_EXE_scoville"))
        .current_dir(directory.path())
        .args(["doctor", "--sandbox"])
        .env_remove("SCOVILLE_ENDPOINT")
        .env_remove("CHILI_PIPER_API_KEY")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("token        accepted"), "{text}");
    assert!(text.contains("ok: scoville can read this org"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_against_a_wrong_endpoint_does_not_claim_the_token_works() {
    let server = Stub::start(|_, _| {
        Reply::Json(
            404,
            json!({"errorCode": "NotFound", "errorMessage": "no such path"}),
        )
    })
    .await;
    let client = EdgeClient::new(
        Endpoint::parse(server.base_url()).unwrap(),
        ApiToken::from_literal(DEMO_ADMIN_TOKEN).unwrap(),
        ClientOptions::default(),
    )
    .unwrap();
    let report = doctor::examine(&client).await.report;
    assert_eq!(report.token, TokenVerdict::Unknown);
    assert!(!report.is_ok());
    assert!(
        report.blockers()[0].contains("check --endpoint"),
        "{:?}",
        report.blockers()
    );
}

/// A report with every section, for the rendering snapshots.
fn every_section() -> doctor::Report {
    use doctor::{
        Collection, ModelCheck, OperationAccess, Paging, PermissionNeed, Report, TenantSummary,
        UnknownObject, WriteNeeds,
    };
    let access = |op: &str, permission: &str, required: bool, access: Access| OperationAccess {
        op: op.into(),
        permission: permission.into(),
        required,
        access,
    };
    Report {
        format_version: doctor::REPORT_FORMAT_VERSION,
        endpoint: "https://fire.chilipiper.com/api/fire-edge".into(),
        token: TokenVerdict::Accepted,
        tenant: Some(TenantSummary {
            tenant_id: "acme-corp.app3".into(),
            subdomain: "acme-corp".into(),
            cluster: "app3".into(),
            kind: "Organization".into(),
        }),
        round_trip_ms: Some(84.25),
        read_permissions: vec![
            access("tenant-get", "tenant.read", true, Access::Granted),
            access(
                "rule-list",
                "rule.read",
                true,
                Access::Missing {
                    permission: "rule.read".into(),
                },
            ),
            access(
                "rule-get",
                "rule.read",
                false,
                Access::NotProbed {
                    reason: "no rule to read".into(),
                },
            ),
        ],
        collections: vec![
            Collection {
                kind: "users".into(),
                op: "workspace-list-users".into(),
                count: 120,
                undecodable: 0,
                paging: Some(Paging {
                    asked: 100,
                    echoed: Some(50),
                    total: Some(120),
                    pages: 3,
                }),
                error: None,
            },
            Collection {
                kind: "workspace settings".into(),
                op: "distribution-settings-get".into(),
                count: 2,
                undecodable: 1,
                paging: None,
                error: None,
            },
        ],
        unknown_objects: vec![UnknownObject {
            kind: "workspace settings".into(),
            id: Some("w-2".into()),
            name: Some("Partnerships".into()),
            detail: "unknown variant `Fortnightly`".into(),
        }],
        model_check: ModelCheck::NotChecked,
        write_needs: Some(WriteNeeds {
            plan_refused: Vec::new(),
            permissions: vec![PermissionNeed {
                permission: "team.create".into(),
                operations: vec![("team-create".into(), 2)],
            }],
        }),
    }
}

#[test]
fn the_doctor_report_renders_every_section() {
    let report = every_section();
    insta::assert_snapshot!("doctor_text", doctor::text(&report));
    insta::assert_snapshot!("doctor_json", report.json());
}

/// Objects that decode but carry fields scoville does not know are listed among the unknown
/// objects with the exact paths a write would erase (a user by id only: never a person's name).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_lists_fields_scoville_does_not_know_with_their_paths() {
    let mut seed = emulator::demo_seed();
    seed.overlays = serde_json::from_value(json!({
        "distribution:Sales/Enterprise Leads": {"published.routingHint": "fastest"},
        "user:liam.patel@acme.example": {"licenses.voice": true},
        "rule:Sales/Enterprise accounts": {"conditions.weight": 2}
    }))
    .unwrap();
    let running = emulator::start(Options::new(seed)).await.unwrap();
    let client = EdgeClient::new(
        Endpoint::parse(&running.base_url()).unwrap(),
        ApiToken::from_literal(DEMO_ADMIN_TOKEN).unwrap(),
        ClientOptions::default(),
    )
    .unwrap();
    let report = doctor::examine(&client).await.report;
    let found: Vec<(String, Option<String>, String)> = report
        .unknown_objects
        .iter()
        .map(|u| (u.kind.clone(), u.name.clone(), u.detail.clone()))
        .collect();
    for (kind, name, field) in [
        (
            "distributions",
            Some("Enterprise Leads"),
            "published.routingHint",
        ),
        ("rules", Some("Enterprise accounts"), "conditions.weight"),
        ("users", None, "licenses.voice"),
    ] {
        assert!(
            found.iter().any(|(k, n, detail)| k == kind
                && n.as_deref() == name
                && detail.starts_with(&format!("fields scoville does not know: {field};"))),
            "{kind} {field} in {found:#?}"
        );
    }
    let text = doctor::text(&report);
    assert!(!text.contains("Liam"), "{text}");
    assert_no_writes(&running);
}

/// Meeting types, reminders and links are read, counted and checked like the other
/// collections: an unknown location kind is listed where it is, and a token without
/// `scheduling-links.read` is told so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_reads_meeting_types_reminders_and_links() {
    let mut seed = emulator::demo_seed();
    seed.workspaces[0].reminders = vec![
        serde_json::from_value(json!({"name": "Day before", "channel": "Email",
            "trigger": {"kind": "BeforeMeeting", "offset": "1 day"}, "body": "Soon"}))
        .unwrap(),
    ];
    seed.workspaces[0].meeting_types = vec![
        serde_json::from_value(json!({"name": "Demo", "duration": "30 minutes",
            "reminders": ["Day before"]}))
        .unwrap(),
        serde_json::from_value(json!({"name": "Hologram", "duration": "15 minutes"})).unwrap(),
    ];
    seed.workspaces[0].scheduling_links = vec![
        serde_json::from_value(
            json!({"kind": "round-robin", "name": "Demo", "slug": "demo",
            "meetingTypes": ["Demo"], "distributions": ["Inbound Demo Requests"]}),
        )
        .unwrap(),
    ];
    seed.overlays.insert(
        "meetingType:Sales/Hologram".to_string(),
        serde_json::from_value(json!({"location.default.type": "HologramLink"})).unwrap(),
    );
    let no_links: Vec<String> = emulator::read_permissions()
        .into_iter()
        .filter(|p| p != "scheduling-links.read")
        .collect();
    seed.tokens.push(SeedToken {
        id: "no-links".into(),
        secret: "fake-doctor-no-links-token".into(),
        permissions: no_links,
    });
    let running = emulator::start(Options::new(seed)).await.unwrap();
    let output = doctor_binary(&running, DEMO_ADMIN_TOKEN, &["--format", "json"]).await;
    let report = json_of(&output);
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    let counts: BTreeMap<&str, u64> = report["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), c["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts["meeting types"], 2);
    assert_eq!(counts["reminders"], 1);
    assert_eq!(counts["round-robin links"], 1);
    assert_eq!(counts["ownership links"], 0);
    let unknown = &report["unknownObjects"][0];
    assert_eq!(unknown["kind"], "meeting types");
    assert_eq!(unknown["name"], "Hologram");
    assert!(unknown["detail"].as_str().unwrap().contains("HologramLink"));
    let granted: Vec<&str> = report["readPermissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["access"]["status"] == "granted")
        .map(|entry| entry["op"].as_str().unwrap())
        .collect();
    for op in [
        "meeting-type-list",
        "meeting-type-get",
        "meeting-type-reminder-list",
        "scheduling-link-list-round-robin",
        "scheduling-link-list-ownership",
    ] {
        assert!(granted.contains(&op), "{op}: {granted:?}");
    }
    assert_eq!(report["modelCheck"]["status"], "ok");
    assert_no_writes(&running);

    // Without the scheduling-link read the lack is shown, but it blocks nothing: plan and drift
    // read links only for manifests that manage them, and export leaves them out.
    let output = doctor_binary(&running, "fake-doctor-no-links-token", &[]).await;
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("MISSING  scheduling-links.read"), "{text}");
    assert!(text.contains("ok       meeting-type.read"), "{text}");
}
