//! Pagination beyond 100 items: defaults, clamping, walking, pages past the end.

use std::collections::BTreeSet;

use scoville::emulator::{GeneratedOrg, Seed};
use serde_json::json;

use crate::support::Api;

async fn org_with_users(n_users: usize) -> Api {
    Api::with_seed(Seed::generated(GeneratedOrg {
        n_users,
        n_workspaces: 1,
        n_teams_per_workspace: 0,
        n_members_per_team: 0,
        n_distributions_per_workspace: 0,
        n_rules_per_workspace: 0,
    }))
    .await
}

/// Walks every page, asking for 100 a page and getting the 50 the GET lists allow (echoed),
/// and returns the ids in order.
async fn walk_users(api: &Api, n_users: usize) -> Vec<String> {
    let mut ids = Vec::new();
    let mut page = 0;
    loop {
        let reply = api
            .get(&format!("/v1/org/workspace/users?page={page}&pageSize=100"))
            .await
            .ok();
        assert_eq!(reply["total"], n_users);
        assert_eq!(reply["page"], page);
        assert_eq!(reply["pageSize"], 50);
        let results = reply["results"].as_array().unwrap();
        ids.extend(
            results
                .iter()
                .map(|u| u["id"].as_str().unwrap().to_string()),
        );
        if (page + 1) * 50 >= n_users as u64 {
            break;
        }
        assert_eq!(results.len(), 50);
        page += 1;
    }
    ids
}

#[tokio::test]
async fn walking_the_pages_gives_every_user_once_in_a_stable_order() {
    for n_users in [0, 100, 101, 250] {
        let api = org_with_users(n_users).await;
        let ids = walk_users(&api, n_users).await;
        assert_eq!(ids.len(), n_users, "{n_users} users");
        assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), n_users);
        assert_eq!(ids, walk_users(&api, n_users).await, "stable order");
        let expected: Vec<String> = api.control().state().users.keys().cloned().collect();
        assert_eq!(ids, expected);
    }
}

#[tokio::test]
async fn get_lists_default_to_10_and_clamp_to_50_as_published() {
    let api = org_with_users(250).await;
    let default = api.get("/v1/org/workspace/users").await.ok();
    assert_eq!(default["pageSize"], 10);
    assert_eq!(default["results"].as_array().unwrap().len(), 10);
    let clamped = api
        .get("/v1/org/workspace/users?pageSize=1000&page=1")
        .await
        .ok();
    assert_eq!(clamped["pageSize"], 50, "asked for more, 50 echoed");
    assert_eq!(clamped["page"], 1);
    assert_eq!(clamped["results"].as_array().unwrap().len(), 50);
    let last = api
        .get("/v1/org/workspace/users?pageSize=100&page=4")
        .await
        .ok();
    assert_eq!(last["results"].as_array().unwrap().len(), 50);
    let past_the_end = api
        .get("/v1/org/workspace/users?pageSize=100&page=5")
        .await
        .ok();
    assert_eq!(past_the_end["results"], json!([]));
    assert_eq!(past_the_end["total"], 250);
    let far = api
        .get("/v1/org/workspace/users?pageSize=100&page=18446744073709551615")
        .await
        .ok();
    assert_eq!(far["results"], json!([]));

    let zero = api.get("/v1/org/workspace/users?pageSize=0").await;
    assert_eq!(
        (zero.status, zero.text.as_str()),
        (400, "Invalid value for: query parameter pageSize")
    );
    let negative = api.get("/v1/org/workspace/users?page=-1").await;
    assert_eq!(
        (negative.status, negative.text.as_str()),
        (400, "Invalid value for: query parameter page")
    );
    let words = api.get("/v1/org/user/find?query=user&pageSize=lots").await;
    assert_eq!(words.status, 400);
}

#[tokio::test]
async fn body_pagination_of_team_list_and_distribution_list() {
    let api = Api::with_seed(Seed::generated(GeneratedOrg {
        n_users: 300,
        n_workspaces: 3,
        n_teams_per_workspace: 70,
        n_members_per_team: 3,
        n_distributions_per_workspace: 40,
        n_rules_per_workspace: 40,
    }))
    .await;
    let mut names = BTreeSet::new();
    for page in 0..3 {
        let reply = api
            .put("/v2/org/team", json!({"page": page, "pageSize": 500}))
            .await
            .ok();
        assert_eq!(
            (reply["total"].as_u64(), reply["pageSize"].as_u64()),
            (Some(210), Some(100))
        );
        for team in reply["results"].as_array().unwrap() {
            assert!(names.insert(team["id"].as_str().unwrap().to_string()));
        }
    }
    assert_eq!(names.len(), 210);
    let second = api
        .put(
            "/v2/org/distribution/list",
            json!({"page": 1, "pageSize": 100}),
        )
        .await
        .ok();
    assert_eq!(second["total"], 120);
    assert_eq!(second["results"].as_array().unwrap().len(), 20);
    api.put("/v2/org/team", json!({"pageSize": 0}))
        .await
        .invalid_body();
    api.put("/v2/org/team", json!({"page": -1}))
        .await
        .invalid_body();
    let rules = api.get("/v1/org/rule/list?page=1&pageSize=100").await.ok();
    assert_eq!(
        (
            rules["total"].as_u64(),
            rules["results"].as_array().unwrap().len()
        ),
        (Some(120), 20)
    );
}

#[tokio::test]
async fn user_find_by_ids_pages_in_the_query() {
    let api = org_with_users(150).await;
    let ids: Vec<String> = api.control().state().users.keys().cloned().collect();
    let first = api
        .post("/v1/org/user/find-by-id?pageSize=100", json!(ids))
        .await
        .ok();
    assert_eq!(
        (
            first["total"].as_u64(),
            first["results"].as_array().unwrap().len()
        ),
        (Some(150), 50)
    );
    assert_eq!(first["pageSize"], 50);
    let second = api
        .post("/v1/org/user/find-by-id?pageSize=100&page=1", json!(ids))
        .await
        .ok();
    assert_eq!(second["results"].as_array().unwrap().len(), 50);
}
