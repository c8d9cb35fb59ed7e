//! Exact fault sequences against the scripted stub: inconsistent pages, what is repeated and
//! what is not, and that no error ever shows the token.

use std::time::Duration;

use scoville::edge::wire;
use scoville::edge::{ApiToken, ClientOptions, EdgeClient, EdgeError, Endpoint, RetryPolicy};
use serde_json::json;

use super::stub::{Received, Reply, Stub};

/// Recognizable and obviously fake.
pub const FAKE_TOKEN: &str = "fake-scoville-token-8c1e5a";

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        min_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        max_retry_after: Duration::from_millis(5),
        jitter_seed: Some(42),
    }
}

/// The real client pointed at a stub, with fast retries.
pub fn client_for_stub(stub: &Stub) -> EdgeClient {
    client_for(stub)
}

fn client_for(stub: &Stub) -> EdgeClient {
    EdgeClient::new(
        Endpoint::parse(stub.base_url()).unwrap(),
        ApiToken::from_literal(FAKE_TOKEN).unwrap(),
        ClientOptions {
            parallelism: 4,
            retry: fast_retries(),
            ..ClientOptions::default()
        },
    )
    .unwrap()
}

fn workspace(n: u64) -> serde_json::Value {
    json!({
        "id": format!("w-{n}"), "name": format!("Workspace {n}"),
        "metadata": {"createdAt": "c", "createdBy": "user/u", "updatedAt": "u",
                     "updatedBy": "user/u", "revision": 1}
    })
}

fn page(request: &Received, total: u64, page_size: u64, ids: impl Iterator<Item = u64>) -> Reply {
    let page: u64 = request.query("page").unwrap().parse().unwrap();
    Reply::Json(
        200,
        json!({"results": ids.map(workspace).collect::<Vec<_>>(), "total": total,
               "page": page, "pageSize": page_size}),
    )
}

fn requested_page(request: &Received) -> u64 {
    request.query("page").unwrap().parse().unwrap()
}

fn inconsistency(result: Result<Vec<wire::Workspace>, EdgeError>) -> String {
    match result {
        Err(EdgeError::InconsistentPages { op, detail }) => {
            assert_eq!(op, "workspace-list");
            detail
        }
        other => panic!("expected inconsistent pages, got {other:?}"),
    }
}

#[tokio::test]
async fn a_page_with_more_items_than_its_page_size_is_refused() {
    let stub = Stub::start(|request, _| page(request, 3, 2, 0..3)).await;
    let detail = inconsistency(client_for(&stub).workspace_list().await);
    assert_eq!(detail, "page 0 has 3 items, more than its page size 2");
    assert_eq!(stub.received().len(), 1);
}

#[tokio::test]
async fn a_total_that_changes_between_pages_is_refused() {
    let stub = Stub::start(|request, _| match requested_page(request) {
        0 => page(request, 150, 100, 0..100),
        _ => page(request, 151, 100, 100..151),
    })
    .await;
    let detail = inconsistency(client_for(&stub).workspace_list().await);
    assert_eq!(detail, "the total changed from 150 to 151 between pages");
}

#[tokio::test]
async fn an_id_on_two_pages_is_refused() {
    let stub = Stub::start(|request, _| match requested_page(request) {
        0 => page(request, 150, 100, 0..100),
        _ => page(request, 150, 100, 99..149),
    })
    .await;
    let detail = inconsistency(client_for(&stub).workspace_list().await);
    assert_eq!(detail, "id `w-99` appears twice");
}

#[tokio::test]
async fn fewer_items_than_the_total_is_refused() {
    let stub = Stub::start(|request, _| match requested_page(request) {
        0 => page(request, 150, 100, 0..100),
        _ => page(request, 150, 100, 100..110),
    })
    .await;
    let detail = inconsistency(client_for(&stub).workspace_list().await);
    assert_eq!(
        detail,
        "page 1 has 10 items where 50 were due (150 in all, 100 a page)"
    );
}

#[tokio::test]
async fn a_smaller_echoed_page_size_is_trusted_and_no_page_past_the_total_is_asked() {
    // The server clamps to 40 whatever is asked: 90 items are pages 0, 1, 2 of 40.
    let stub = Stub::start(|request, _| {
        let n = requested_page(request);
        page(request, 90, 40, (n * 40)..((n + 1) * 40).min(90))
    })
    .await;
    let workspaces = client_for(&stub).workspace_list().await.unwrap();
    assert_eq!(workspaces.len(), 90);
    assert_eq!(workspaces[89].id, "w-89");
    let mut asked: Vec<(u64, String)> = stub
        .received()
        .iter()
        .map(|r| (requested_page(r), r.query("pageSize").unwrap()))
        .collect();
    asked.sort();
    assert_eq!(
        asked,
        [
            (0, "100".to_string()),
            (1, "40".to_string()),
            (2, "40".to_string())
        ]
    );
}

#[tokio::test]
async fn body_paged_lists_carry_page_fields_in_the_body() {
    let stub = Stub::start(|request, _| {
        let page_number = request.body_field("page").unwrap().as_u64().unwrap();
        Reply::Json(
            200,
            json!({"results": [], "total": 0, "page": page_number, "pageSize": 100}),
        )
    })
    .await;
    let filter = wire::TeamListRequest {
        workspace_ids: Some(vec!["w-1".into()]),
        ..Default::default()
    };
    let teams = client_for(&stub).team_list(&filter).await.unwrap();
    assert!(teams.is_empty());
    let received = stub.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].method, "PUT");
    assert_eq!(received[0].body_field("pageSize"), Some(json!(100)));
    assert_eq!(received[0].body_field("workspaceIds"), Some(json!(["w-1"])));
}

fn create_team_request() -> wire::CreateTeamRequest {
    wire::CreateTeamRequest {
        workspace_id: "w-1".into(),
        name: "mid-market-ae".into(),
        members: None,
    }
}

#[tokio::test]
async fn a_create_whose_connection_drops_is_outcome_unknown_and_sent_once() {
    let stub = Stub::start(|_, _| Reply::Drop).await;
    let client = client_for(&stub);
    let error = client
        .team_create(&create_team_request())
        .await
        .unwrap_err();
    assert!(error.is_outcome_unknown(), "{error}");
    assert_eq!(error.op(), "team-create");
    assert!(error.to_string().contains("read it back"), "{error}");
    assert_eq!(
        stub.received().len(),
        1,
        "a create is never repeated blindly"
    );
    assert_eq!(client.stats().requests("team-create"), 1);
}

#[tokio::test]
async fn a_gateway_error_on_a_create_is_outcome_unknown() {
    let stub = Stub::start(|_, _| Reply::Text(503, "upstream unavailable".into())).await;
    let error = client_for(&stub)
        .team_create(&create_team_request())
        .await
        .unwrap_err();
    assert!(error.is_outcome_unknown(), "{error}");
    assert_eq!(stub.received().len(), 1);
}

#[tokio::test]
async fn a_429_on_a_create_is_repeated_because_nothing_was_done() {
    let stub = Stub::start(|_, n| match n {
        0 => Reply::Raw {
            status: 429,
            headers: vec![("Retry-After".into(), "0".into())],
            body: String::new(),
        },
        _ => Reply::Json(
            200,
            json!({"id": "t-9", "workspaceId": "w-1", "name": "mid-market-ae", "members": [],
                   "metadata": {"createdAt": "c", "createdBy": "apikey/x", "updatedAt": "u",
                                "updatedBy": "apikey/x", "revision": 1}}),
        ),
    })
    .await;
    let client = client_for(&stub);
    let team = client.team_create(&create_team_request()).await.unwrap();
    assert_eq!(team.id, "t-9");
    let stats = client.stats();
    assert_eq!(stats.per_op["team-create"].requests, 2);
    assert_eq!(stats.per_op["team-create"].retries, 1);
}

#[tokio::test]
async fn a_read_whose_connection_drops_is_repeated() {
    let stub = Stub::start(|request, n| match n {
        0 => Reply::Drop,
        _ => page(request, 1, 100, 0..1),
    })
    .await;
    let client = client_for(&stub);
    assert_eq!(client.workspace_list().await.unwrap().len(), 1);
    assert_eq!(client.stats().per_op["workspace-list"].retries, 1);
}

#[tokio::test]
async fn a_persistent_503_gives_up_after_the_last_attempt() {
    let stub = Stub::start(|_, _| Reply::Text(503, "busy".into())).await;
    let error = client_for(&stub).tenant_get().await.unwrap_err();
    match &error {
        EdgeError::Server {
            status, attempts, ..
        } => assert_eq!((*status, *attempts), (503, 3)),
        other => panic!("expected a server error, got {other:?}"),
    }
    assert_eq!(stub.received().len(), 3);
}

#[tokio::test]
async fn a_500_on_a_read_is_not_repeated_and_blames_no_permission() {
    // A missing permission is a 403 that names it (official); a 500 says nothing about the
    // token, so the message must not send the reader to the token's permissions.
    let stub = Stub::start(|_, _| Reply::Text(500, String::new())).await;
    let error = client_for(&stub).workspace_list().await.unwrap_err();
    assert_eq!(stub.received().len(), 1);
    let message = error.to_string();
    assert!(message.starts_with("workspace-list: "), "{message}");
    assert!(!message.contains("permission"), "{message}");
    assert!(message.contains("run the command again later"), "{message}");
}

#[tokio::test]
async fn a_404_without_an_object_points_at_the_path() {
    let stub = Stub::start(|_, _| Reply::Text(404, String::new())).await;
    let message = client_for(&stub)
        .tenant_get()
        .await
        .unwrap_err()
        .to_string();
    assert!(message.contains("the path /v1/org/tenant/get"), "{message}");
    assert!(message.contains("--endpoint"), "{message}");
}

#[tokio::test]
async fn a_redirect_is_reported_not_followed() {
    let stub = Stub::start(|_, _| Reply::Raw {
        status: 302,
        headers: vec![("Location".into(), "http://127.0.0.1:9/elsewhere".into())],
        body: String::new(),
    })
    .await;
    let error = client_for(&stub).tenant_get().await.unwrap_err();
    assert_eq!(error.status(), Some(302), "{error:?}");
    assert!(error.to_string().contains("check --endpoint"), "{error}");
    assert_eq!(stub.received().len(), 1);
}

#[tokio::test]
async fn the_token_travels_only_in_the_authorization_header() {
    let stub = Stub::start(|request, _| page(request, 0, 100, 0..0)).await;
    client_for(&stub).workspace_list().await.unwrap();
    for request in stub.received() {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {FAKE_TOKEN}").as_str())
        );
        assert!(!request.target.contains(FAKE_TOKEN));
        assert!(!request.body.contains(FAKE_TOKEN));
    }
}

/// Every `EdgeError` variant, provoked for real, with a server that echoes the token wherever
/// it can: none may show it in Display, the anyhow chain, or Debug.
#[tokio::test]
async fn no_error_variant_shows_the_token() {
    let echo = format!("you sent {FAKE_TOKEN}");
    let stub = Stub::start(move |request, _| {
        let echo = echo.clone();
        match request.path() {
            p if p.ends_with("/v1/org/tenant/get") => Reply::Json(
                401,
                json!({"errorCode": "Unauthorized", "errorMessage": echo, "arguments": {"token": FAKE_TOKEN}}),
            ),
            p if p.contains("/v1/org/rule/r-404") => Reply::Json(
                404,
                json!({"errorCode": "NotFound", "errorMessage": echo}),
            ),
            p if p.ends_with("/v1/org/user/licenses") => Reply::Text(400, echo),
            p if p.ends_with("/v1/org/rule") => Reply::Json(
                409,
                json!({"errorCode": "RevisionConflict", "errorMessage": echo}),
            ),
            p if p.contains("/v1/org/distribution/d-423") => Reply::Json(
                423,
                json!({"errorCode": "Locked", "errorMessage": echo}),
            ),
            p if p.ends_with("/v2/org/team/create") => Reply::Drop,
            p if p.ends_with("/v1/org/health/ping") => Reply::Text(500, echo),
            p if p.ends_with("/v1/org/distribution/workspace-settings") => {
                Reply::Text(200, echo)
            }
            _ => page(request, 3, 2, 0..3),
        }
    })
    .await;
    let client = client_for(&stub);
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let unreachable = EdgeClient::new(
        Endpoint::parse(&format!("http://127.0.0.1:{closed_port}/api/fire-edge")).unwrap(),
        ApiToken::from_literal(FAKE_TOKEN).unwrap(),
        ClientOptions {
            retry: fast_retries(),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let small = EdgeClient::new(
        Endpoint::parse(stub.base_url()).unwrap(),
        ApiToken::from_literal(FAKE_TOKEN).unwrap(),
        ClientOptions {
            retry: fast_retries(),
            max_answer_bytes: 16,
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let modify = wire::RuleModifyRequest {
        rule_id: "r-409".into(),
        revision: 1,
        dto: wire::CreateRuleDto::CreateRuleRequest(wire::CreateRuleFields {
            rule_id: None,
            workspace_id: "w-1".into(),
            name: "n".into(),
            conditions: serde_json::from_value(json!({
                "type": "ConditionGroup", "id": "g", "operator": "and", "conditions": []
            }))
            .unwrap(),
        }),
    };
    let errors: Vec<EdgeError> = vec![
        client.tenant_get().await.unwrap_err(),
        client.rule_get("r-404").await.unwrap_err(),
        client
            .user_update_licenses(&wire::UpdateLicensesRequest {
                update: Default::default(),
            })
            .await
            .unwrap_err(),
        client.rule_modify(&modify).await.unwrap_err(),
        client
            .team_create(&create_team_request())
            .await
            .unwrap_err(),
        client.health().await.unwrap_err(),
        unreachable.tenant_get().await.unwrap_err(),
        client.distribution_settings_get("w-1").await.unwrap_err(),
        client.workspace_list().await.unwrap_err(),
        small.user_find("x").await.unwrap_err(),
        client.distribution_delete("d-423").await.unwrap_err(),
    ];
    let mut kinds: Vec<&str> = errors
        .iter()
        .map(|error| match error {
            EdgeError::Unauthorized { .. } => "unauthorized",
            EdgeError::Locked { .. } => "locked",
            EdgeError::NotFound { .. } => "not found",
            EdgeError::BadRequest { .. } => "bad request",
            EdgeError::Conflict { .. } => "conflict",
            EdgeError::OutcomeUnknown { .. } => "outcome unknown",
            EdgeError::Server { .. } => "server",
            EdgeError::Transport { .. } => "transport",
            EdgeError::Decode { .. } => "decode",
            EdgeError::InconsistentPages { .. } => "inconsistent pages",
            EdgeError::Limit { .. } => "limit",
        })
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), 11, "every variant provoked: {kinds:?}");
    for error in errors {
        let display = error.to_string();
        let debug = format!("{error:?}");
        let chain = format!("{:#}", anyhow::Error::new(error));
        for text in [&display, &debug, &chain] {
            assert!(!text.contains(FAKE_TOKEN), "the token leaked: {text}");
        }
    }
    for text in [format!("{client:?}"), format!("{:?}", client.options())] {
        assert!(!text.contains(FAKE_TOKEN), "the token leaked: {text}");
    }
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let error = Endpoint::parse("http://fire.chilipiper.com/api/fire-edge").unwrap_err();
    let message = error.to_string();
    assert!(message.contains("refusing plain http"), "{message}");
    assert!(Endpoint::parse("http://127.0.0.1:4010/api/fire-edge").is_ok());
}

/// A 400 to an operation whose shape no official file states says that the shape is an
/// assumption of scoville's and asks for a report with a trace; an official one does not.
#[tokio::test]
async fn a_refused_call_of_a_not_stated_shape_says_it_is_an_assumption() {
    let stub = Stub::start(|_, _| Reply::Text(400, "DecodingFailure at .dto.teamId".into())).await;
    let client = client_for(&stub);
    let message = client.rule_delete("r-1", 3).await.unwrap_err().to_string();
    assert!(
        message.contains("DecodingFailure at .dto.teamId"),
        "{message}"
    );
    assert!(message.contains("assumption of scoville's"), "{message}");
    assert!(message.contains("?ruleId=&revision="), "{message}");
    assert!(message.contains("--trace-http FILE"), "{message}");
    let official = client
        .workspace_add_users("w-1", &["u-1".to_string()])
        .await
        .unwrap_err()
        .to_string();
    assert!(
        official.contains("DecodingFailure at .dto.teamId"),
        "{official}"
    );
    assert!(!official.contains("assumption"), "{official}");
}

/// A 403 names the permission its JSON body gives (no header is read), and a 423 is reported
/// as a lock in the UI and not repeated.
#[tokio::test]
async fn a_403_names_the_permission_of_its_body_and_a_423_is_a_lock_not_retried() {
    let stub = Stub::start(|request, _| match request.path() {
        p if p.ends_with("/v1/org/rule") => Reply::Json(
            403,
            json!({"errorCode": "Forbidden", "errorMessage": "not allowed",
                   "arguments": {"permission": "rule.modify"}}),
        ),
        _ => Reply::Json(
            423,
            json!({"errorCode": "Locked", "errorMessage": "being edited"}),
        ),
    })
    .await;
    let client = client_for(&stub);
    let forbidden = client.rule_delete("r-1", 3).await.unwrap_err();
    assert!(
        matches!(&forbidden, EdgeError::Unauthorized { status: 403, permission, .. } if permission == "rule.modify"),
        "{forbidden:?}"
    );
    assert!(
        forbidden
            .to_string()
            .contains("the token lacks the `rule.modify` permission"),
        "{forbidden}"
    );
    let locked = client
        .workspace_add_users("w-1", &["u-1".to_string()])
        .await
        .unwrap_err();
    assert_eq!(locked.status(), Some(423));
    let message = locked.to_string();
    assert!(
        message.contains("locked because someone is editing it in the Chili Piper UI"),
        "{message}"
    );
    assert_eq!(stub.received().len(), 2, "neither was repeated");
}
