//! Rule create, modify and delete with revisions.

use serde_json::{Value, json};

use crate::support::Api;

fn conditions(country: &str) -> Value {
    json!({"type": "ConditionGroup", "id": "g", "operator": "and", "conditions": [
        {"type": "StaticValueCondition", "conditionId": "c",
         "dataReference": {"source": "SF", "object": "Lead", "field": "Country"},
         "operator": "equal", "value": country}]})
}

#[tokio::test]
async fn rule_create_gives_revision_one_and_is_not_idempotent() {
    let api = Api::demo().await;
    let body = json!({"dto": {"type": "CreateRuleRequest", "workspaceId": api.workspace("Sales"),
                              "name": "Germany", "conditions": conditions("DE")}});
    let first = api.post("/v1/org/rule", body.clone()).await.ok();
    assert_eq!(first["type"], "NonOwnershipRule");
    assert_eq!(first["metadata"]["revision"], 1);
    assert_eq!(first["metadata"]["createdBy"], "apikey/demo-admin");
    let second = api.post("/v1/org/rule", body).await.ok();
    assert_ne!(first["id"], second["id"]);
    let listed = api.get("/v1/org/rule/list?name=Germany").await.ok();
    assert_eq!(listed["total"], 2);

    let ownership = json!({"dto": {"type": "CreateOwnershipRuleRequest",
        "workspaceId": api.workspace("Sales"), "teamId": api.team("smb-ae"), "name": "SMB owner",
        "ruleId": "my-rule-id",
        "conditions": {"type": "ConditionGroup", "id": "g", "operator": "and", "conditions": [
            {"type": "OwnershipCondition", "conditionId": "o", "searchOwnershipBy": "CrmIdOrEmail",
             "ownership": {"source": "SF", "object": "Account", "field": "OwnerId"}}]}}});
    let created = api.post("/v1/org/rule", ownership.clone()).await.ok();
    assert_eq!(created["type"], "OwnershipRule");
    assert_eq!(created["id"], "my-rule-id");
    assert_eq!(created["teamId"], api.team("smb-ae"));
    api.post("/v1/org/rule", ownership)
        .await
        .error(409, "AlreadyExists");
}

#[tokio::test]
async fn rule_create_refuses_bad_trees_and_unknown_workspaces() {
    let api = Api::demo().await;
    let before = api.control().state();
    let sales = api.workspace("Sales");
    let ownership_in_standard = json!({"dto": {"type": "CreateRuleRequest", "workspaceId": sales,
        "name": "x", "conditions": {"type": "OwnershipCondition", "conditionId": "o"}}});
    api.post("/v1/org/rule", ownership_in_standard)
        .await
        .invalid_body();
    let empty_group = json!({"dto": {"type": "CreateRuleRequest", "workspaceId": sales,
        "name": "x", "conditions": {"type": "ConditionGroup", "id": "g", "operator": "and", "conditions": []}}});
    api.post("/v1/org/rule", empty_group).await.invalid_body();
    let bad_operator = json!({"dto": {"type": "CreateRuleRequest", "workspaceId": sales,
        "name": "x", "conditions": {"type": "ConditionGroup", "id": "g", "operator": "xor", "conditions": []}}});
    api.post("/v1/org/rule", bad_operator).await.invalid_body();
    api.post(
        "/v1/org/rule",
        json!({"dto": {"type": "CreateRuleRequest", "workspaceId": "nope",
        "name": "x", "conditions": conditions("DE")}}),
    )
    .await
    .error(404, "NotFound");
    api.post("/v1/org/rule", json!({"dto": {"type": "CreateOwnershipRuleRequest",
        "workspaceId": sales, "teamId": api.team("csm-na"), "name": "x", "conditions": conditions("DE")}}))
        .await
        .error(422, "TeamNotInWorkspace");
    assert_eq!(api.control().state(), before);
}

#[tokio::test]
async fn rule_modify_needs_the_current_revision() {
    let api = Api::demo().await;
    let id = api.rule("Partner sourced");
    let partnerships = api.workspace("Partnerships");
    // `PUT /v1/org/rule` with `{ruleId, revision, dto}` (the shape scoville assumes).
    let modify = |rule_id: &str, revision: Option<i64>, name: &str, country: &str| {
        let mut body = json!({"ruleId": rule_id, "dto": {"type": "CreateRuleRequest",
            "workspaceId": partnerships, "name": name, "conditions": conditions(country)}});
        if let Some(revision) = revision {
            body["revision"] = json!(revision);
        }
        body
    };
    let modified = api
        .put(
            "/v1/org/rule",
            modify(&id, Some(1), "Partner sourced", "FR"),
        )
        .await
        .ok();
    assert_eq!(modified["metadata"]["revision"], 2);
    assert_eq!(modified["metadata"]["updatedBy"], "apikey/demo-admin");
    assert_eq!(modified["conditions"]["conditions"][0]["value"], "FR");
    assert_eq!(api.get(&format!("/v1/org/rule/{id}")).await.ok(), modified);

    let before = api.control().state();
    let arguments = api
        .put("/v1/org/rule", modify(&id, Some(1), "Stale", "NL"))
        .await
        .error(409, "RevisionConflict");
    assert_eq!(arguments["currentRevision"], "2");
    assert_eq!(arguments["givenRevision"], "1");
    api.put("/v1/org/rule", modify(&id, None, "x", "NL"))
        .await
        .invalid_body();
    // The kind of a rule cannot change through rule-modify.
    api.put(
        "/v1/org/rule",
        json!({"ruleId": id, "revision": 2, "dto": {"type": "CreateOwnershipRuleRequest",
            "workspaceId": partnerships, "teamId": api.team("partner-managers"), "name": "x",
            "conditions": conditions("NL")}}),
    )
    .await
    .error(422, "RuleKindChange");
    api.put("/v1/org/rule", modify("nope", Some(1), "x", "NL"))
        .await
        .error(404, "NotFound");
    assert_eq!(api.control().state(), before);
}

#[tokio::test]
async fn rule_delete_needs_the_current_revision_and_is_soft() {
    let api = Api::demo().await;
    let id = api.rule("EMEA customers");
    let before = api.control().state();
    // `DELETE /v1/org/rule?ruleId=&revision=` (the query scoville assumes).
    api.delete(&format!("/v1/org/rule?ruleId={id}&revision=7"))
        .await
        .error(409, "RevisionConflict");
    let missing = api.delete(&format!("/v1/org/rule?ruleId={id}")).await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.text, "Invalid value for: query parameter revision");
    let missing = api.delete("/v1/org/rule?revision=1").await;
    assert_eq!(missing.text, "Invalid value for: query parameter ruleId");
    assert_eq!(api.control().state(), before);

    assert_eq!(
        api.delete(&format!("/v1/org/rule?ruleId={id}&revision=1"))
            .await
            .ok(),
        json!({})
    );
    assert_eq!(api.get("/v1/org/rule/list").await.ok()["total"], 4);
    api.get(&format!("/v1/org/rule/{id}"))
        .await
        .error(404, "NotFound");
    let stored = &api.control().state().rules[&id];
    assert_eq!(
        stored.deleted.as_ref().unwrap().deleted_by,
        "apikey/demo-admin"
    );
    api.delete(&format!("/v1/org/rule?ruleId={id}&revision=1"))
        .await
        .error(404, "NotFound");
}

/// As the API: an ownership condition without its `ownership` reference is a 400
/// `OwnershipConditionMissingReference`, and an ownership rule without `teamId` is not the
/// official shape (400 `Invalid value for: body`). Nothing changes.
#[tokio::test]
async fn ownership_rules_need_a_team_and_ownership_conditions_their_reference() {
    let api = Api::demo().await;
    let before = api.control().state();
    let sales = api.workspace("Sales");
    let reply = api
        .post(
            "/v1/org/rule",
            json!({"dto": {"type": "CreateOwnershipRuleRequest", "workspaceId": sales,
                "teamId": api.team("enterprise-ae"), "name": "x",
                "conditions": {"type": "OwnershipCondition", "conditionId": "c",
                               "searchOwnershipBy": "CrmIdOrEmail"}}}),
        )
        .await;
    assert_eq!(
        (reply.status, reply.text.as_str()),
        (400, "OwnershipConditionMissingReference")
    );
    api.post(
        "/v1/org/rule",
        json!({"dto": {"type": "CreateOwnershipRuleRequest", "workspaceId": sales,
            "name": "x", "conditions": conditions("DE")}}),
    )
    .await
    .invalid_body();
    assert_eq!(api.control().state(), before);
}
