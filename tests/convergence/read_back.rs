//! Regression tests of read-backs in big orgs, against the scripted stub: a list of many pages
//! is not a snapshot. When a team before the target on page 0 is deleted and another is
//! created while the read-back sweeps the pages, the total stays the same, the pages look
//! consistent, and the target, still there, slides from page 1 to page 0 behind the reader.
//! A sweep then reports a delete that never ran as done.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use scoville::apply::StepStatus;
use scoville::edge::{ApiToken, ClientOptions, EdgeClient, Endpoint, wire};
use scoville::model::ObjectKind;

use super::harness;
use super::model::{AssignmentKind, DistributionModel, OrgModel, UserModel};
use super::stub::{Received, Reply, Stub};

const N_OBJECTS: usize = 150;
/// The object the plan deletes: the first of page 1 in the org as planned.
const TARGET: usize = 100;
/// The object someone else deletes while the read-back runs, on page 0.
const OTHER: usize = 5;
const PAGE_SIZE: usize = 100;

/// One workspace with `N_OBJECTS` teams (`team-000`...), or one team and `N_OBJECTS`
/// distributions on it (`dist-000`...), and manifests that prune the one at `TARGET`.
fn big_org(kind: ObjectKind) -> (OrgModel, OrgModel) {
    let mut org = OrgModel::default();
    org.users.insert(
        "user0@conv.example".to_string(),
        UserModel {
            name: "User 0".to_string(),
            licenses: Some(Default::default()),
            invite: false,
        },
    );
    let workspace = org.workspaces.entry("Workspace 0".to_string()).or_default();
    match kind {
        ObjectKind::Teams => {
            for n in 0..N_OBJECTS {
                workspace
                    .teams
                    .insert(format!("team-{n:03}"), Default::default());
            }
        }
        _ => {
            workspace
                .teams
                .insert("pool".to_string(), Default::default());
            for n in 0..N_OBJECTS {
                workspace.distributions.insert(
                    format!("dist-{n:03}"),
                    DistributionModel {
                        team: "pool".to_string(),
                        assignment: AssignmentKind::Conversation,
                        weights: Default::default(),
                        cap: None,
                        previously: None,
                    },
                );
            }
        }
    }
    let mut desired = org.clone();
    desired.users.values_mut().for_each(|u| u.licenses = None);
    let workspace = desired.workspaces.get_mut("Workspace 0").unwrap();
    workspace.prune.insert(kind);
    if kind == ObjectKind::Teams {
        workspace.teams.remove(&format!("team-{TARGET:03}"));
    } else {
        workspace.distributions.remove(&format!("dist-{TARGET:03}"));
    }
    (org, desired)
}

/// One page of `items` as a list answer.
fn page_of(items: &[Value], total: usize, page: usize) -> Reply {
    let results: Vec<Value> = items
        .iter()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .cloned()
        .collect();
    Reply::Json(
        200,
        json!({"results": results, "total": total, "page": page, "pageSize": PAGE_SIZE}),
    )
}

fn name_of(item: &Value) -> String {
    item["name"]
        .as_str()
        .or_else(|| item["published"]["name"].as_str())
        .unwrap_or_default()
        .to_lowercase()
}

/// Answers a list call the way the API would while someone else deletes `OTHER` and creates
/// another object between its pages: page 0 from `before`, later pages from `after`. A
/// name-filtered call (one page) sees the org as it is, `after`.
fn list_answer(request: &Received, before: &[Value], after: &[Value]) -> Reply {
    let body: Value = serde_json::from_str(&request.body).unwrap_or(Value::Null);
    let page = body["page"].as_u64().unwrap_or(0) as usize;
    match body["name"].as_str() {
        Some(name) => {
            let matching: Vec<Value> = after
                .iter()
                .filter(|item| name_of(item).contains(&name.to_lowercase()))
                .cloned()
                .collect();
            page_of(&matching, matching.len(), page)
        }
        None if page == 0 => page_of(before, before.len(), 0),
        None => page_of(after, after.len(), page),
    }
}

async fn assert_delete_is_not_read_back_from_a_shifted_sweep(kind: ObjectKind) {
    let (org, desired_model) = big_org(kind);
    let running = harness::start(org.to_seed()).await;
    let client = harness::client(&running, harness::fast_retries(1));
    let desired = scoville::manifest::load_texts(&desired_model.to_manifests()).unwrap();
    let plan = harness::fetch_and_plan(&client, &desired).await.unwrap();
    assert_eq!(
        plan.steps.len(),
        1,
        "{}",
        scoville::render::text(&plan, false)
    );
    let operation = plan.steps[0].call.op().id;

    // The org as the plan saw it, in list order (creation order), as the API's JSON.
    let before: Vec<Value> = match kind {
        ObjectKind::Teams => client
            .team_list(&wire::TeamListRequest::default())
            .await
            .unwrap()
            .iter()
            .map(|t| serde_json::to_value(t).unwrap())
            .collect(),
        _ => client
            .distribution_list(&wire::DistributionListRequest::default())
            .await
            .unwrap()
            .iter()
            .map(|d| serde_json::to_value(d).unwrap())
            .collect(),
    };
    assert_eq!(before.len(), N_OBJECTS);
    let target_id = before[TARGET]["id"].as_str().unwrap().to_string();
    // Someone deletes OTHER and creates one more: same total, everything after OTHER moves
    // up one place, so TARGET is now the last of page 0.
    let mut after = before.clone();
    after.remove(OTHER);
    let mut newcomer = before[N_OBJECTS - 1].clone();
    newcomer["id"] = json!("ffffffff-0000-4000-8000-000000000999");
    after.push(newcomer);

    let deletes = Arc::new(Mutex::new(0usize));
    let stub = Stub::start({
        let deletes = deletes.clone();
        let target_path = format!("/{target_id}");
        move |request, _| {
            if request.method == "DELETE" && request.path().ends_with(&target_path) {
                let mut n = deletes.lock().unwrap();
                *n += 1;
                // The first delete never reaches the API: the connection drops.
                return if *n == 1 {
                    Reply::Drop
                } else {
                    Reply::Json(200, json!({}))
                };
            }
            list_answer(request, &before, &after)
        }
    })
    .await;
    let stub_client = EdgeClient::new(
        Endpoint::parse(stub.base_url()).unwrap(),
        ApiToken::from_literal("test-token-not-real").unwrap(),
        ClientOptions {
            parallelism: 1,
            retry: harness::fast_retries(1),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let report = harness::apply_plan(&stub_client, &plan).await;
    let outcome = &report.steps[0];
    assert!(
        matches!(
            outcome.status,
            StepStatus::Done {
                read_back: false,
                ..
            }
        ),
        "{operation}: the target is still there, so the delete must be sent again: {}",
        report.render_text()
    );
    assert_eq!(*deletes.lock().unwrap(), 2, "{operation}");
}

/// Regression: team-delete's read-back swept every team of the org, and a team shifted to an
/// already-read page by a concurrent delete read back as deleted.
#[tokio::test]
async fn team_delete_read_back_is_not_fooled_by_pages_that_shifted() {
    assert_delete_is_not_read_back_from_a_shifted_sweep(ObjectKind::Teams).await;
}

/// Regression: the same for distribution-delete's read-back.
#[tokio::test]
async fn distribution_delete_read_back_is_not_fooled_by_pages_that_shifted() {
    assert_delete_is_not_read_back_from_a_shifted_sweep(ObjectKind::Distributions).await;
}
