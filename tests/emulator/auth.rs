//! Tokens and permissions.

use reqwest::Method;
use scoville::edge::ops;
use scoville::emulator::{DEMO_READONLY_TOKEN, Options, SeedToken, demo_seed};

use crate::support::Api;

fn method(op: &ops::Op) -> Method {
    Method::from_bytes(op.method.as_str().as_bytes()).unwrap()
}

#[tokio::test]
async fn missing_malformed_or_unknown_tokens_are_401() {
    let mut api = Api::demo().await;
    api.token = None;
    api.get("/v1/org/tenant/get")
        .await
        .error(401, "Unauthorized");
    api.token = Some("not-a-token".to_string());
    api.get("/v1/org/tenant/get")
        .await
        .error(401, "Unauthorized");
    // Without the `Bearer ` prefix the API answers 401 (published).
    let reply = api
        .client
        .get(format!("{}/v1/org/tenant/get", api.running.base_url()))
        .header("Authorization", scoville::emulator::DEMO_ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16(), 401);
}

#[tokio::test]
async fn the_read_only_token_is_refused_every_write_with_the_permission_named() {
    let mut api = Api::demo().await;
    api.token = Some(DEMO_READONLY_TOKEN.to_string());
    let before = api.control().state();
    let writes: Vec<&ops::Op> = ops::ALL
        .iter()
        .filter(|op| !op.permission.ends_with(".read"))
        .collect();
    assert!(writes.len() >= 15);
    for op in writes {
        let path = op.path_with(&["some-id", "other-id"]);
        let reply = api
            .call_raw(method(op), &path, Some("{}".to_string()))
            .await;
        // A missing permission is a 403 whose JSON body names it and the operation.
        let arguments = reply.error(403, "MissingPermission");
        assert_eq!(arguments["permission"], op.permission, "{}", op.id);
        assert_eq!(arguments["operation"], op.id, "{}", op.id);
    }
    assert_eq!(api.control().state(), before);
}

#[tokio::test]
async fn the_read_only_token_can_make_every_read() {
    let mut api = Api::demo().await;
    api.token = Some(DEMO_READONLY_TOKEN.to_string());
    for op in ops::ALL
        .iter()
        .filter(|op| op.permission.ends_with(".read"))
    {
        let path = op.path_with(&["some-id", "other-id"]);
        let reply = api
            .call_raw(method(op), &path, Some("{}".to_string()))
            .await;
        assert!(
            reply.status != 401 && reply.status != 403,
            "{}: {}",
            op.id,
            reply.text
        );
    }
}

#[tokio::test]
async fn a_token_with_one_permission_and_the_wildcard() {
    let mut seed = demo_seed();
    seed.tokens.push(SeedToken {
        id: "teams-only".to_string(),
        secret: "fake-teams-only-token".to_string(),
        permissions: vec!["team.read".to_string()],
    });
    seed.tokens.push(SeedToken {
        id: "everything".to_string(),
        secret: "fake-wildcard-token".to_string(),
        permissions: vec!["*".to_string()],
    });
    let mut api = Api::with_options(Options::new(seed)).await;
    api.token = Some("fake-teams-only-token".to_string());
    api.put("/v2/org/team", serde_json::json!({})).await.ok();
    let arguments = api
        .get("/v1/org/workspace")
        .await
        .error(403, "MissingPermission");
    assert_eq!(arguments["permission"], "workspace.read");
    api.token = Some("fake-wildcard-token".to_string());
    let team = api
        .post(
            "/v2/org/team/create",
            serde_json::json!({"workspaceId": api.workspace("Sales"), "name": "wild"}),
        )
        .await
        .ok();
    assert_eq!(team["metadata"]["createdBy"], "apikey/everything");
}
