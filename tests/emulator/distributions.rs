//! Distribution create, update and delete.

use serde_json::{Value, json};

use crate::support::{Api, email};

fn create_body(api: &Api, name: &str, weights: Value) -> Value {
    json!({
        "workspaceId": api.workspace("Sales"),
        "teamId": api.team("smb-ae"),
        "name": name,
        "assignmentTypeConfig": {"type": "Record", "handling": {"type": "Strict"}},
        "weights": weights,
        "capping": {"userCaps": [{"userId": api.user(&email("Harper")), "limit": 5}],
                    "resetPeriodicity": {"type": "Daily", "timeZone": "Europe/Paris"}}
    })
}

#[tokio::test]
async fn distribution_create_publishes_and_is_not_idempotent() {
    let api = Api::demo().await;
    let harper = api.user(&email("Harper"));
    let body = create_body(
        &api,
        "SMB Leads",
        json!([{"userId": harper, "weight": 10000}]),
    );
    let first = api.post("/v1/org/distribution", body.clone()).await.ok();
    let second = api.post("/v1/org/distribution", body).await.ok();
    assert_ne!(first["distributionId"], second["distributionId"]);
    let listed = api
        .put("/v2/org/distribution/list", json!({"name": "SMB Leads"}))
        .await
        .ok();
    assert_eq!(listed["total"], 2);
    let published = &listed["results"][0]["published"];
    assert_eq!(published["distributionId"], first["distributionId"]);
    assert_eq!(published["metadata"]["revision"], 1);
    assert_eq!(published["metadata"]["createdBy"], "apikey/demo-admin");
    assert_eq!(
        published["teamRef"],
        json!({"id": api.team("smb-ae"), "revision": 1})
    );
    assert_eq!(published["capping"]["userCaps"][0]["limit"], 5);
}

#[tokio::test]
async fn distribution_create_validates_everything_and_changes_nothing_when_refused() {
    let api = Api::demo().await;
    let (harper, liam) = (api.user(&email("Harper")), api.user(&email("Liam")));
    let before = api.control().state();
    let weight = |user: &str, weight: u32| json!([{"userId": user, "weight": weight}]);

    let mut nameless = create_body(&api, "x", weight(&harper, 1));
    nameless.as_object_mut().unwrap().remove("name");
    api.post("/v1/org/distribution", nameless)
        .await
        .invalid_body();
    api.post(
        "/v1/org/distribution",
        create_body(&api, "  ", weight(&harper, 1)),
    )
    .await
    .error(422, "NameRequired");
    api.post(
        "/v1/org/distribution",
        create_body(&api, "x", weight(&harper, 10001)),
    )
    .await
    .invalid_body();
    let arguments = api
        .post(
            "/v1/org/distribution",
            create_body(&api, "x", weight(&liam, 1)),
        )
        .await
        .error(422, "UserNotInTeam");
    assert_eq!(arguments["userId"], liam);
    api.post(
        "/v1/org/distribution",
        create_body(
            &api,
            "x",
            json!([{"userId": harper, "weight": 1}, {"userId": harper, "weight": 2}]),
        ),
    )
    .await
    .error(422, "DuplicateUser");
    let mut other_workspace = create_body(&api, "x", weight(&harper, 1));
    other_workspace["teamId"] = json!(api.team("csm-na"));
    other_workspace["weights"] = json!([]);
    other_workspace["capping"] = Value::Null;
    api.post("/v1/org/distribution", other_workspace)
        .await
        .error(422, "TeamNotInWorkspace");
    let mut unknown_team = create_body(&api, "x", weight(&harper, 1));
    unknown_team["teamId"] = json!("nope");
    api.post("/v1/org/distribution", unknown_team)
        .await
        .error(404, "NotFound");
    let mut bad_type = create_body(&api, "x", weight(&harper, 1));
    bad_type["assignmentTypeConfig"] = json!({"type": "Email"});
    api.post("/v1/org/distribution", bad_type)
        .await
        .invalid_body();
    assert_eq!(api.control().state(), before);
}

#[tokio::test]
async fn distribution_update_replaces_the_whole_config_and_bumps_the_revision() {
    let api = Api::demo().await;
    let id = api.distribution("Enterprise Leads");
    let isabella = api.user(&email("Isabella"));
    let body = json!({
        "workspaceId": api.workspace("Sales"),
        "teamId": api.team("enterprise-ae"),
        "name": "Enterprise Leads",
        "assignmentTypeConfig": {"type": "Record", "handling": {"type": "Strict"}},
        "weights": [{"userId": isabella, "weight": 0}]
    });
    // distribution-update-v3 (the deprecated v1 path is not served).
    let deprecated = api
        .post(&format!("/v1/org/distribution/{id}"), body.clone())
        .await;
    assert_eq!(deprecated.status, 405, "{}", deprecated.text);
    let answer = api
        .post(&format!("/v3/org/distribution/{id}"), body.clone())
        .await
        .ok();
    assert_eq!(answer, json!({"distributionId": id}));
    let config = &api.control().state().distributions[&id];
    assert_eq!(config.metadata.revision, 2);
    assert_eq!(config.metadata.updated_by, "apikey/demo-admin");
    assert_eq!(config.weights.as_ref().unwrap().len(), 1);
    assert!(config.capping.is_none(), "left-out fields are gone");
    api.post(&format!("/v3/org/distribution/{id}"), body.clone())
        .await
        .ok();
    assert_eq!(
        api.control().state().distributions[&id].metadata.revision,
        3
    );

    api.post("/v3/org/distribution/nope", body.clone())
        .await
        .error(404, "NotFound");
    let mut moved = body;
    moved["workspaceId"] = json!(api.workspace("Partnerships"));
    api.post(&format!("/v3/org/distribution/{id}"), moved)
        .await
        .error(422, "WorkspaceMismatch");
}

#[tokio::test]
async fn distribution_delete_is_permanent() {
    let api = Api::demo().await;
    let id = api.distribution("Partner Referrals");
    assert_eq!(
        api.delete(&format!("/v1/org/distribution/{id}")).await.ok(),
        json!({})
    );
    let listed = api.put("/v2/org/distribution/list", json!({})).await.ok();
    assert_eq!(listed["total"], 3);
    api.delete(&format!("/v1/org/distribution/{id}"))
        .await
        .error(404, "NotFound");
}

#[tokio::test]
async fn a_removed_team_member_keeps_a_weight_and_shows_as_removed() {
    let api = Api::demo().await;
    let (team, noah) = (api.team("inbound-sdr"), api.user(&email("Noah")));
    api.post(
        "/v1/org/team/users/remove",
        json!({"teamId": team, "userIds": [noah]}),
    )
    .await
    .ok();
    let listed = api
        .put("/v2/org/distribution/list", json!({"name": "Inbound"}))
        .await
        .ok();
    let states = listed["results"][0]["state"]["userStates"]
        .as_array()
        .unwrap()
        .clone();
    let noah_state = states.iter().find(|s| s["userId"] == noah).unwrap();
    assert_eq!(noah_state["type"], "Removed");
}
