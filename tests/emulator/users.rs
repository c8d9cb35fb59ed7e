//! user-invite and user-update-licenses.

use serde_json::json;

use crate::support::{Api, email};

fn licenses(distro: bool, cal: bool, concierge: bool) -> serde_json::Value {
    json!({"distro": distro, "chiliCalOrg": cal, "concierge": concierge,
           "conciergeLive": false, "chat": false, "handoff": false})
}

#[tokio::test]
async fn user_invite_creates_a_user_without_licenses() {
    let api = Api::demo().await;
    let sales = api.workspace("Sales");
    let user = api
        .post(
            "/v1/org/user/invite",
            json!({"email": "Olivia.Reyes@acme.example", "name": "Olivia Reyes", "workspaceIds": [sales]}),
        )
        .await
        .ok();
    assert_eq!(user["email"], "olivia.reyes@acme.example");
    assert_eq!(user["name"], "Olivia Reyes");
    assert_eq!(user["isSuperAdmin"], false);
    assert_eq!(user["licenses"], licenses(false, false, false));
    assert_eq!(user["workspaces"], json!([sales]));
    let found = api.get("/v1/org/user/find?query=olivia").await.ok();
    assert_eq!(found["results"][0], user);

    let before = api.control().state();
    let arguments = api
        .post(
            "/v1/org/user/invite",
            json!({"email": "olivia.reyes@ACME.example"}),
        )
        .await
        .error(409, "AlreadyExists");
    assert_eq!(arguments["email"], "olivia.reyes@acme.example");
    api.post("/v1/org/user/invite", json!({"email": "not-an-email"}))
        .await
        .invalid_body();
    api.post(
        "/v1/org/user/invite",
        json!({"email": "x@acme.example", "workspaceIds": ["nope"]}),
    )
    .await
    .error(404, "NotFound");
    assert_eq!(api.control().state(), before);

    let unnamed = api
        .post("/v1/org/user/invite", json!({"email": "max@acme.example"}))
        .await
        .ok();
    assert_eq!(unnamed["name"], "max");
    assert_eq!(unnamed["workspaces"], json!([]));
}

#[tokio::test]
async fn user_update_licenses_replaces_each_listed_set() {
    let api = Api::demo().await;
    let (daniel, liam) = (api.user(&email("Daniel")), api.user(&email("Liam")));
    let body = json!({"update": {daniel.clone(): licenses(true, true, true)}});
    api.post("/v1/org/user/licenses", body.clone())
        .await
        .ok_empty();
    let state = api.control().state();
    assert!(state.users[&daniel].licenses.concierge);
    assert!(
        state.users[&liam].licenses.concierge,
        "unlisted users are untouched"
    );
    api.post("/v1/org/user/licenses", body).await.ok_empty();
    assert_eq!(api.control().state(), state, "idempotent");
    // A downgrade is immediate.
    api.post(
        "/v1/org/user/licenses",
        json!({"update": {liam.clone(): licenses(false, false, false)}}),
    )
    .await
    .ok_empty();
    assert!(!api.control().state().users[&liam].licenses.chili_cal_org);
}

#[tokio::test]
async fn user_update_licenses_beyond_the_seats_changes_nothing() {
    let api = Api::demo().await;
    // conciergeLive has 5 seats and Ava uses one: five more users is one too many.
    let state = api.control().state();
    let update: serde_json::Map<String, serde_json::Value> = state
        .users
        .values()
        .filter(|u| !u.is_super_admin)
        .take(5)
        .map(|u| {
            let mut set = licenses(
                u.licenses.distro,
                u.licenses.chili_cal_org,
                u.licenses.concierge,
            );
            set["conciergeLive"] = json!(true);
            (u.id.clone(), set)
        })
        .collect();
    let arguments = api
        .post("/v1/org/user/licenses", json!({"update": update}))
        .await
        .error(422, "NotEnoughSeats");
    assert_eq!(arguments["license"], "conciergeLive");
    assert_eq!(arguments["seats"], "5");
    assert_eq!(arguments["required"], "6");
    assert_eq!(api.control().state(), state);

    let liam = api.user(&email("Liam"));
    api.post(
        "/v1/org/user/licenses",
        json!({"update": {liam: licenses(true, true, false), "ghost": licenses(true, true, false)}}),
    )
    .await
    .error(404, "NotFound");
    api.post(
        "/v1/org/user/licenses",
        json!({"update": {"x": {"distro": "yes"}}}),
    )
    .await
    .invalid_body();
    assert_eq!(api.control().state(), state);
}
