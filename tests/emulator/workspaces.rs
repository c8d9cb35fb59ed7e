//! Workspace membership and distribution settings writes.

use serde_json::json;

use crate::support::{Api, email};

#[tokio::test]
async fn workspace_add_users_is_idempotent_and_bumps_the_revision_once() {
    let api = Api::demo().await;
    let (sales, james) = (api.workspace("Sales"), api.user(&email("James")));
    let body = json!({"workspaceId": sales, "userIds": [james]});
    api.post("/v1/org/workspace/users/add", body.clone())
        .await
        .ok_empty();
    let after_first = api.control().state();
    assert_eq!(after_first.workspaces[&sales].metadata.revision, 2);
    assert_eq!(
        after_first.workspaces[&sales].metadata.updated_by,
        "apikey/demo-admin"
    );
    assert_eq!(
        after_first.workspaces[&sales].metadata.updated_at,
        "2026-01-05T09:00:01Z"
    );
    assert!(after_first.users[&james].workspaces.contains(&sales));
    api.post("/v1/org/workspace/users/add", body)
        .await
        .ok_empty();
    assert_eq!(
        api.control().state(),
        after_first,
        "a repeated add changes nothing"
    );
}

#[tokio::test]
async fn workspace_membership_needs_ids_that_exist_and_a_non_empty_list() {
    let api = Api::demo().await;
    let (sales, liam) = (api.workspace("Sales"), api.user(&email("Liam")));
    let before = api.control().state();
    api.post(
        "/v1/org/workspace/users/add",
        json!({"workspaceId": sales, "userIds": []}),
    )
    .await
    .invalid_body();
    let arguments = api
        .post(
            "/v1/org/workspace/users/add",
            json!({"workspaceId": sales, "userIds": [liam, "ghost"]}),
        )
        .await
        .error(404, "NotFound");
    assert_eq!(arguments["userId"], "ghost");
    let arguments = api
        .post(
            "/v1/org/workspace/users/remove",
            json!({"workspaceId": "nowhere", "userIds": [liam]}),
        )
        .await
        .error(404, "NotFound");
    assert_eq!(arguments["workspaceId"], "nowhere");
    api.post(
        "/v1/org/workspace/users/remove",
        json!({"workspaceId": sales}),
    )
    .await
    .invalid_body();
    assert_eq!(api.control().state(), before);
}

#[tokio::test]
async fn workspace_removal_leaves_team_memberships_alone() {
    let api = Api::demo().await;
    let (sales, liam) = (api.workspace("Sales"), api.user(&email("Liam")));
    let body = json!({"workspaceId": sales, "userIds": [liam]});
    api.post("/v1/org/workspace/users/remove", body.clone())
        .await
        .ok_empty();
    let state = api.control().state();
    assert!(!state.users[&liam].workspaces.contains(&sales));
    assert!(
        state.teams[&api.team("inbound-sdr")]
            .members
            .contains(&liam)
    );
    // Removing a non-member again is a no-op.
    api.post("/v1/org/workspace/users/remove", body)
        .await
        .ok_empty();
    assert_eq!(api.control().state(), state);
}

#[tokio::test]
async fn workspace_remove_from_all_empties_the_users_workspaces_only() {
    let api = Api::demo().await;
    let ava = api.user(&email("Ava"));
    api.post(
        "/v1/org/workspace/users/remove-from-all",
        json!({"userIds": [ava]}),
    )
    .await
    .ok();
    let state = api.control().state();
    assert!(state.users[&ava].workspaces.is_empty());
    assert!(state.workspaces.values().all(|w| w.metadata.revision == 2));
    api.post(
        "/v1/org/workspace/users/remove-from-all",
        json!({"userIds": []}),
    )
    .await
    .invalid_body();
}

#[tokio::test]
async fn distribution_settings_update_replaces_them() {
    let api = Api::demo().await;
    let sales = api.workspace("Sales");
    let path = format!("/v1/org/distribution/workspace-settings?workspaceId={sales}");
    let mut settings = api.get(&path).await.ok();
    let mut update = settings.clone();
    update.as_object_mut().unwrap().remove("orderIfEqualState");
    update["creditBackNoShow"] = json!(true);
    for reset in [
        json!({"type": "Daily", "timeZone": "Europe/Paris"}),
        json!({"type": "Weekly", "dayOfWeek": 3, "timeZone": "Europe/Paris"}),
        json!({"type": "Quarterly", "firstMonth": 1, "timeZone": "Europe/Paris"}),
    ] {
        update["resetPeriodicity"] = reset.clone();
        settings["creditBackNoShow"] = json!(true);
        settings["resetPeriodicity"] = reset;
        assert_eq!(api.put(&path, update.clone()).await.ok(), settings);
        assert_eq!(api.get(&path).await.ok(), settings);
    }
    // `orderIfEqualState` is read-only: an update that sends it is refused, whatever its value.
    let before = api.control().state();
    update["orderIfEqualState"] = json!("AsConfigured");
    api.put(&path, update.clone()).await.invalid_body();
    update["orderIfEqualState"] = json!("Alphabetical");
    api.put(&path, update).await.invalid_body();
    assert_eq!(api.control().state(), before);
}
