//! Success paths and documented errors of the read operations, against the demo org.

use serde_json::json;

use crate::support::{Api, email};

#[tokio::test]
async fn tenant_get_and_health() {
    let api = Api::demo().await;
    let tenant = api.get("/v1/org/tenant/get").await.ok();
    assert_eq!(
        tenant,
        json!({"type": "Organization", "tenantData": {"tenantId": "acme-corp.app3",
            "cluster": "app3", "subdomain": "acme-corp"}, "domains": ["acme.example"]})
    );
    assert_eq!(
        api.get("/v1/org/health/ping").await.ok(),
        json!({"status": "ok"})
    );
}

#[tokio::test]
async fn workspace_list_has_the_three_workspaces_with_metadata() {
    let api = Api::demo().await;
    let page = api.get("/v1/org/workspace").await.ok();
    assert_eq!(page["total"], 3);
    assert_eq!(
        (page["page"].as_u64(), page["pageSize"].as_u64()),
        (Some(0), Some(10))
    );
    let names: Vec<&str> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Sales", "Customer Success", "Partnerships"]);
    let metadata = &page["results"][0]["metadata"];
    assert_eq!(metadata["revision"], 1);
    assert_eq!(metadata["createdAt"], "2026-01-05T09:00:00Z");
    assert_eq!(
        metadata["createdBy"],
        format!("user/{}", api.user(&email("Ava")))
    );
}

#[tokio::test]
async fn workspace_list_users_of_one_workspace_or_of_the_org() {
    let api = Api::demo().await;
    let sales = api.workspace("Sales");
    let page = api
        .get(&format!("/v1/org/workspace/users?workspaceId={sales}"))
        .await
        .ok();
    assert_eq!(page["total"], 13);
    let ava = &page["results"][0];
    assert_eq!(ava["email"], "ava.thompson@acme.example");
    assert_eq!(ava["isSuperAdmin"], true);
    assert_eq!(ava["workspaces"].as_array().unwrap().len(), 3);
    assert_eq!(ava["licenses"]["conciergeLive"], true);
    let everyone = api.get("/v1/org/workspace/users").await.ok();
    assert_eq!(everyone["total"], 25);
    let arguments = api
        .get("/v1/org/workspace/users?workspaceId=no-such-workspace")
        .await
        .error(404, "NotFound");
    assert_eq!(arguments["workspaceId"], "no-such-workspace");
}

#[tokio::test]
async fn user_find_matches_parts_of_email_and_name() {
    let api = Api::demo().await;
    let by_email = api.get("/v1/org/user/find?query=PATEL@acme").await.ok();
    assert_eq!(by_email["total"], 1);
    assert_eq!(by_email["results"][0]["name"], "Liam Patel");
    let by_name = api.get("/v1/org/user/find?query=sofia").await.ok();
    assert_eq!(by_name["results"][0]["email"], "sofia.rossi@acme.example");
    let everyone = api.get("/v1/org/user/find?query=acme.example").await.ok();
    assert_eq!(everyone["total"], 25);
    let missing = api.get("/v1/org/user/find").await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.text, "Invalid value for: query parameter query");
}

#[tokio::test]
async fn user_find_by_ids_takes_a_bare_array_and_skips_unknown_ids() {
    let api = Api::demo().await;
    let (liam, mia) = (api.user(&email("Liam")), api.user(&email("Mia")));
    let page = api
        .post("/v1/org/user/find-by-id", json!([mia, "unknown-id", liam]))
        .await
        .ok();
    assert_eq!(page["total"], 2);
    let ids: Vec<&str> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [liam.as_str(), mia.as_str()]);
    api.post("/v1/org/user/find-by-id", json!({"ids": [liam]}))
        .await
        .invalid_body();
    let empty = api
        .call_raw(reqwest::Method::POST, "/v1/org/user/find-by-id", None)
        .await
        .ok();
    assert_eq!(empty["total"], 0);
}

#[tokio::test]
async fn team_list_filters_by_workspace_name_and_member() {
    let api = Api::demo().await;
    let all = api.put("/v2/org/team", json!({})).await.ok();
    assert_eq!(all["total"], 6);
    let sales = api.workspace("Sales");
    let in_sales = api
        .put("/v2/org/team", json!({"workspaceIds": [sales]}))
        .await
        .ok();
    assert_eq!(in_sales["total"], 3);
    let named = api.put("/v2/org/team", json!({"name": "AE"})).await.ok();
    assert_eq!(named["total"], 2);
    let noah = api.user(&email("Noah"));
    let with_noah = api
        .put("/v2/org/team", json!({"member": [noah]}))
        .await
        .ok();
    assert_eq!(with_noah["total"], 1);
    assert_eq!(with_noah["results"][0]["name"], "inbound-sdr");
    let team = &with_noah["results"][0];
    assert_eq!(
        team["metadata"]["teamMembersMetadata"]["addedAt"][&noah],
        "2026-01-05T09:00:00Z"
    );
    api.put("/v2/org/team", json!({"workspaceIds": []}))
        .await
        .invalid_body();
}

#[tokio::test]
async fn distribution_list_shows_the_published_config_and_filters() {
    let api = Api::demo().await;
    let all = api.put("/v2/org/distribution/list", json!({})).await.ok();
    assert_eq!(all["total"], 4);
    let inbound = &all["results"][0];
    assert_eq!(inbound["published"]["name"], "Inbound Demo Requests");
    assert_eq!(inbound["id"], inbound["published"]["distributionId"]);
    assert_eq!(
        inbound["published"]["teamRef"]["id"],
        api.team("inbound-sdr")
    );
    let weights: Vec<u64> = inbound["published"]["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["weight"].as_u64().unwrap())
        .collect();
    assert_eq!(weights, [100, 100, 100, 50, 0]);
    assert_eq!(inbound["state"]["userStates"][4]["type"], "Disabled");
    assert_eq!(
        inbound["prioritization"]["queue"].as_array().unwrap().len(),
        4
    );
    let meetings = api
        .put(
            "/v2/org/distribution/list",
            json!({"assignmentType": "Meeting"}),
        )
        .await
        .ok();
    assert_eq!(meetings["total"], 1);
    let named = api
        .put("/v2/org/distribution/list", json!({"name": "renewals"}))
        .await
        .ok();
    assert_eq!(named["results"][0]["published"]["name"], "Renewals NA");
    api.put(
        "/v2/org/distribution/list",
        json!({"assignmentType": "Email"}),
    )
    .await
    .invalid_body();
}

#[tokio::test]
async fn distribution_settings_get_needs_a_known_workspace() {
    let api = Api::demo().await;
    let sales = api.workspace("Sales");
    let settings = api
        .get(&format!(
            "/v1/org/distribution/workspace-settings?workspaceId={sales}"
        ))
        .await
        .ok();
    assert_eq!(settings["orderIfEqualState"], "AsConfigured");
    assert_eq!(settings["resetPeriodicity"]["type"], "Monthly");
    assert_eq!(settings["vacationBuffer"]["freshness"], "Cached");
    let missing = api.get("/v1/org/distribution/workspace-settings").await;
    assert_eq!(
        missing.text,
        "Invalid value for: query parameter workspaceId"
    );
    api.get("/v1/org/distribution/workspace-settings?workspaceId=nope")
        .await
        .error(404, "NotFound");
}

#[tokio::test]
async fn rule_list_and_get() {
    let api = Api::demo().await;
    let all = api.get("/v1/org/rule/list").await.ok();
    assert_eq!(all["total"], 5);
    let sales = api.workspace("Sales");
    let in_sales = api
        .get(&format!("/v1/org/rule/list?workspaceId={sales}"))
        .await
        .ok();
    assert_eq!(in_sales["total"], 3);
    let owner = api.get("/v1/org/rule/list?name=Account%20owner").await.ok();
    assert_eq!(owner["total"], 1);
    let rule = &owner["results"][0];
    assert_eq!(rule["type"], "OwnershipRule");
    assert_eq!(rule["teamId"], api.team("enterprise-ae"));
    assert_eq!(rule["ruleBuilderVersion"], "ExplicitV1");
    assert_eq!(rule["metadata"]["revision"], 1);
    let fetched = api
        .get(&format!("/v1/org/rule/{}", rule["id"].as_str().unwrap()))
        .await
        .ok();
    assert_eq!(&fetched, rule);
    let arguments = api.get("/v1/org/rule/nope").await.error(404, "NotFound");
    assert_eq!(arguments["ruleId"], "nope");
}
