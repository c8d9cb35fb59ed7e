//! The control surface: journal, state dump/replace/reset, out-of-band UI edits, state files.

use reqwest::Method;
use scoville::emulator::{self, DEMO_ADMIN_TOKEN, Options};
use serde_json::json;

use crate::support::{Api, email};

#[tokio::test]
async fn the_journal_records_requests_but_never_the_token() {
    let api = Api::demo().await;
    let sales = api.workspace("Sales");
    api.get(&format!(
        "/v1/org/workspace/users?workspaceId={sales}&pageSize=5"
    ))
    .await
    .ok();
    api.post(
        "/v1/org/workspace/users/add",
        json!({"workspaceId": sales, "userIds": []}),
    )
    .await
    .invalid_body();
    api.call_raw(
        Method::POST,
        "/v2/org/team/create",
        Some("{not json".to_string()),
    )
    .await
    .invalid_body();
    let journal = api.control().journal();
    assert_eq!(journal.len(), 3);
    assert_eq!(journal[0].seq, 1);
    assert_eq!(journal[0].method, "GET");
    assert_eq!(journal[0].path, "/api/fire-edge/v1/org/workspace/users");
    assert_eq!(
        journal[0].query.as_deref(),
        Some(format!("workspaceId={sales}&pageSize=5").as_str())
    );
    assert_eq!(
        journal[0].operation.as_deref(),
        Some("workspace-list-users")
    );
    assert_eq!(journal[0].status, Some(200));
    assert_eq!(
        journal[1].body,
        json!({"workspaceId": sales, "userIds": []})
    );
    assert_eq!(journal[1].status, Some(400));
    assert_eq!(journal[2].body, json!("{not json"));
    let over_http = api.root_call(Method::GET, "/_emulator/journal", None).await;
    assert!(!over_http.text.contains(DEMO_ADMIN_TOKEN));
    assert_eq!(over_http.json().as_array().unwrap().len(), 3);
    api.root_call(Method::DELETE, "/_emulator/journal", None)
        .await
        .ok();
    assert!(api.control().journal().is_empty());
}

#[tokio::test]
async fn ui_edits_over_http_are_recorded_as_the_user() {
    let api = Api::demo().await;
    let ava = api.user(&email("Ava"));
    let (team, mia) = (api.team("smb-ae"), api.user(&email("Mia")));
    let team_reply = api
        .root_call(
            Method::POST,
            &format!("/_emulator/ui/{ava}/api/fire-edge/v1/org/team/users/add"),
            Some(json!({"teamId": team, "userIds": [mia]})),
        )
        .await
        .ok();
    assert_eq!(team_reply["metadata"]["updatedBy"], format!("user/{ava}"));
    assert_eq!(team_reply["metadata"]["revision"], 2);
    assert!(
        api.control().journal().is_empty(),
        "UI edits are not API requests"
    );

    let distribution = api.distribution("Inbound Demo Requests");
    let inbound_mia = api.user(&email("Mia"));
    let weights = api
        .root_call(
            Method::PUT,
            &format!("/_emulator/ui/{ava}/distributions/{distribution}/weights"),
            Some(json!([{"userId": inbound_mia, "weight": 100}])),
        )
        .await
        .ok();
    let published = &weights["published"];
    assert_eq!(published["metadata"]["updatedBy"], format!("user/{ava}"));
    assert_eq!(published["metadata"]["revision"], 2);
    let all: Vec<u64> = published["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["weight"].as_u64().unwrap())
        .collect();
    assert_eq!(all, [100, 100, 100, 100, 0], "other weights are kept");

    let unknown = api
        .root_call(
            Method::PUT,
            &format!("/_emulator/ui/nobody/distributions/{distribution}/weights"),
            Some(json!([])),
        )
        .await;
    unknown.error(404, "NotFound");
    let arguments = api
        .root_call(
            Method::POST,
            "/_emulator/ui/nobody/api/fire-edge/v1/org/team/users/add",
            Some(json!({"teamId": team, "userIds": [mia]})),
        )
        .await
        .error(404, "NotFound");
    assert_eq!(arguments["actorUserId"], "nobody");
}

#[tokio::test]
async fn ui_edits_in_process() {
    let api = Api::demo().await;
    let control = api.control();
    let liam = api.user(&email("Liam"));
    let ui = control.as_user(&liam).unwrap();
    let rule_id = api.rule("Partner sourced");
    let rule = ui
        .modify_rule(
            &rule_id,
            "Partner sourced (edited)",
            control.state().rules[&rule_id]
                .rule
                .body()
                .conditions
                .clone(),
        )
        .unwrap();
    assert_eq!(rule.body().metadata.updated_by, format!("user/{liam}"));
    assert_eq!(rule.body().metadata.revision, 2);
    let team = ui
        .team_remove_users(&api.team("inbound-sdr"), &[liam.as_str()])
        .unwrap();
    assert_eq!(team.metadata.base.updated_by, format!("user/{liam}"));
    assert!(control.as_user("nobody").is_err());
    // The API sees the UI's revision and conflicts with a stale one.
    let workspace_id = rule.body().workspace_id.clone();
    api.put(
        "/v1/org/rule",
        json!({"ruleId": rule_id, "revision": 1, "dto": {"type": "CreateRuleRequest",
            "workspaceId": workspace_id, "name": "x", "conditions": rule.body().conditions}}),
    )
    .await
    .error(409, "RevisionConflict");
}

#[tokio::test]
async fn state_dump_replace_and_reset_over_http() {
    let api = Api::demo().await;
    let seed_state = api
        .root_call(Method::GET, "/_emulator/state", None)
        .await
        .ok();
    let sales = api.workspace("Sales");
    api.post(
        "/v2/org/team/create",
        json!({"workspaceId": sales, "name": "new"}),
    )
    .await
    .ok();
    let changed = api
        .root_call(Method::GET, "/_emulator/state", None)
        .await
        .ok();
    assert_ne!(changed, seed_state);
    api.root_call(Method::POST, "/_emulator/reset", None)
        .await
        .ok();
    assert_eq!(
        api.root_call(Method::GET, "/_emulator/state", None)
            .await
            .ok(),
        seed_state
    );
    assert!(api.control().journal().is_empty());
    api.root_call(Method::PUT, "/_emulator/state", Some(changed.clone()))
        .await
        .ok();
    assert_eq!(
        api.root_call(Method::GET, "/_emulator/state", None)
            .await
            .ok(),
        changed
    );
    let bad = api
        .root_call(Method::PUT, "/_emulator/state", Some(json!({"users": 3})))
        .await;
    bad.invalid_body();
}

#[tokio::test]
async fn state_is_saved_at_shutdown_and_loaded_at_start() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("nested").join("state.json");
    let mut options = Options::new(emulator::demo_seed());
    options.state_file = Some(path.clone());

    let api = Api::with_options(options.clone()).await;
    let sales = api.workspace("Sales");
    let created = api
        .post(
            "/v2/org/team/create",
            json!({"workspaceId": sales, "name": "kept"}),
        )
        .await
        .ok();
    let before = api.control().state();
    api.running.shutdown().await.unwrap();
    assert!(path.exists());

    let api = Api::with_options(options).await;
    assert_eq!(api.control().state(), before);
    let again = api
        .post(
            "/v2/org/team/create",
            json!({"workspaceId": sales, "name": "kept"}),
        )
        .await
        .ok();
    assert_ne!(again["id"], created["id"], "ids continue after a reload");
    assert_eq!(
        again["metadata"]["createdAt"], "2026-01-05T09:00:02Z",
        "so does the clock"
    );
    // Reset goes back to the seed, not to the loaded file.
    api.control().reset();
    assert!(
        api.control()
            .state()
            .teams
            .values()
            .all(|t| t.name != "kept")
    );
    // A missing state file starts from the seed.
    let elsewhere = emulator::load_state(&directory.path().join("missing.json"));
    assert!(elsewhere.is_err());
}
