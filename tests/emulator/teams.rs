//! Team create, membership and delete.

use serde_json::json;

use crate::support::{Api, email};

#[tokio::test]
async fn team_create_is_not_idempotent() {
    let api = Api::demo().await;
    let (sales, harper) = (api.workspace("Sales"), api.user(&email("Harper")));
    let body = json!({"workspaceId": sales, "name": "mid-market-ae", "members": [harper]});
    let first = api.post("/v2/org/team/create", body.clone()).await.ok();
    let second = api.post("/v2/org/team/create", body).await.ok();
    assert_ne!(first["id"], second["id"]);
    assert_eq!(first["name"], second["name"]);
    assert_eq!(first["members"], json!([harper]));
    assert_eq!(first["metadata"]["revision"], 1);
    assert_eq!(first["metadata"]["createdBy"], "apikey/demo-admin");
    assert_eq!(
        first["metadata"]["teamMembersMetadata"]["addedAt"][&harper],
        first["metadata"]["createdAt"]
    );
    let named = api
        .put("/v2/org/team", json!({"name": "mid-market-ae"}))
        .await
        .ok();
    assert_eq!(named["total"], 2);
}

#[tokio::test]
async fn team_create_refuses_unknown_workspaces_and_outsiders() {
    let api = Api::demo().await;
    let (sales, james) = (api.workspace("Sales"), api.user(&email("James")));
    let before = api.control().state();
    api.post(
        "/v2/org/team/create",
        json!({"workspaceId": "nope", "name": "x"}),
    )
    .await
    .error(404, "NotFound");
    let arguments = api
        .post(
            "/v2/org/team/create",
            json!({"workspaceId": sales, "name": "x", "members": [james]}),
        )
        .await
        .error(422, "UserNotInWorkspace");
    assert_eq!(arguments["userId"], james);
    api.post(
        "/v2/org/team/create",
        json!({"workspaceId": sales, "name": " "}),
    )
    .await
    .error(422, "NameRequired");
    api.post("/v2/org/team/create", json!({"workspaceId": sales}))
        .await
        .invalid_body();
    assert_eq!(api.control().state(), before);
}

#[tokio::test]
async fn team_add_and_remove_users_are_idempotent_and_keep_added_at() {
    let api = Api::demo().await;
    let team = api.team("smb-ae");
    let (mia, harper) = (api.user(&email("Mia")), api.user(&email("Harper")));
    let add = json!({"teamId": team, "userIds": [mia, harper]});
    let added = api.post("/v1/org/team/users/add", add.clone()).await.ok();
    assert_eq!(added["members"].as_array().unwrap().len(), 4);
    assert_eq!(added["metadata"]["revision"], 2);
    assert_eq!(added["metadata"]["updatedBy"], "apikey/demo-admin");
    let added_at = &added["metadata"]["teamMembersMetadata"]["addedAt"];
    assert_eq!(added_at[&mia], added["metadata"]["updatedAt"]);
    assert_eq!(
        added_at[&harper], "2026-01-05T09:00:00Z",
        "existing members keep their date"
    );
    let again = api.post("/v1/org/team/users/add", add).await.ok();
    assert_eq!(again, added, "a repeated add changes nothing");

    let remove = json!({"teamId": team, "userIds": [mia]});
    let removed = api
        .post("/v1/org/team/users/remove", remove.clone())
        .await
        .ok();
    assert_eq!(removed["members"].as_array().unwrap().len(), 3);
    assert_eq!(removed["metadata"]["revision"], 3);
    assert!(removed["metadata"]["teamMembersMetadata"]["addedAt"][&mia].is_null());
    assert_eq!(
        api.post("/v1/org/team/users/remove", remove).await.ok(),
        removed
    );
}

#[tokio::test]
async fn team_membership_errors() {
    let api = Api::demo().await;
    let team = api.team("smb-ae");
    let james = api.user(&email("James"));
    let before = api.control().state();
    api.post(
        "/v1/org/team/users/add",
        json!({"teamId": team, "userIds": []}),
    )
    .await
    .invalid_body();
    let arguments = api
        .post(
            "/v1/org/team/users/add",
            json!({"teamId": "nope", "userIds": [james]}),
        )
        .await
        .error(404, "NotFound");
    assert_eq!(arguments["teamId"], "nope");
    api.post(
        "/v1/org/team/users/remove",
        json!({"teamId": team, "userIds": ["ghost"]}),
    )
    .await
    .error(404, "NotFound");
    api.post(
        "/v1/org/team/users/add",
        json!({"teamId": team, "userIds": [james]}),
    )
    .await
    .error(422, "UserNotInWorkspace");
    api.post(
        "/v1/org/team/users/add",
        json!({"teamId": team, "userIds": "x"}),
    )
    .await
    .invalid_body();
    assert_eq!(api.control().state(), before);
}

#[tokio::test]
async fn team_delete_is_refused_while_a_distribution_uses_the_team() {
    let api = Api::demo().await;
    let team = api.team("inbound-sdr");
    let distribution = api.distribution("Inbound Demo Requests");
    let before = api.control().state();
    let arguments = api
        .delete(&format!("/v2/org/team/{team}"))
        .await
        .error(409, "TeamInUse");
    assert_eq!(arguments["distributionId"], distribution);
    assert_eq!(api.control().state(), before);

    api.delete(&format!("/v1/org/distribution/{distribution}"))
        .await
        .ok();
    let deleted = api.delete(&format!("/v2/org/team/{team}")).await.ok();
    assert_eq!(deleted["id"], team);
    assert_eq!(deleted["name"], "inbound-sdr");
    let teams = api.put("/v2/org/team", json!({})).await.ok();
    assert_eq!(teams["total"], 5);
    api.delete(&format!("/v2/org/team/{team}"))
        .await
        .error(404, "NotFound");
}

#[tokio::test]
async fn team_without_distribution_can_be_deleted() {
    let api = Api::demo().await;
    let team = api.team("smb-ae");
    api.delete(&format!("/v2/org/team/{team}")).await.ok();
    assert!(!api.control().state().teams.contains_key(&team));
}
