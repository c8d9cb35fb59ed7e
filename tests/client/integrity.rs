//! Reads that look complete but are not: a user page that leaves a user out (with `total`
//! lowered to match) and a team list that answers `total: 0` while distributions still use
//! team ids. The live reader resolves the dangling ids by a targeted read, or refuses; it never
//! hands the planner an id to remove that a fuller read would have matched.

use std::collections::BTreeSet;

use scoville::edge::ops;
use scoville::live::{self, LiveError, Scope};
use scoville::model::Email;
use serde_json::{Value, json};

use super::scripted::client_for_stub;
use super::stub::{Received, Reply, Stub};

fn metadata() -> Value {
    json!({"createdAt": "2026-01-01T00:00:00Z", "createdBy": "user/u-1",
           "updatedAt": "2026-01-01T00:00:00Z", "updatedBy": "user/u-1", "revision": 1})
}

fn user(id: &str, email: &str) -> Value {
    json!({"id": id, "name": id, "email": email, "isSuperAdmin": false,
           "licenses": {"distro": true, "chiliCalOrg": true, "handoff": false},
           "workspaces": ["w-1"], "managedWorkspaces": [], "managedTeams": []})
}

fn page_of(results: Vec<Value>) -> Reply {
    let total = results.len();
    Reply::Json(
        200,
        json!({"results": results, "total": total, "page": 0, "pageSize": 50}),
    )
}

/// A tiny org: two users on team `sdr`, a distribution on it. The answers of the user sweep,
/// the team sweep and `user-find-by-ids` are given by the test.
fn org(request: &Received, users: &[Value], teams: &[Value], found_by_ids: &[Value]) -> Reply {
    let path = request.path().trim_start_matches("/api/fire-edge");
    let is = |op: ops::Op| path == op.path;
    if is(ops::TENANT_GET) {
        Reply::Json(
            200,
            json!({"type": "Organization",
                   "tenantData": {"tenantId": "acme.app1", "cluster": "app1", "subdomain": "acme"}}),
        )
    } else if is(ops::WORKSPACE_LIST_USERS) {
        page_of(users.to_vec())
    } else if is(ops::WORKSPACE_LIST) {
        page_of(vec![
            json!({"id": "w-1", "name": "Sales", "metadata": metadata()}),
        ])
    } else if is(ops::TEAM_LIST_PUT) {
        page_of(teams.to_vec())
    } else if is(ops::DISTRIBUTION_LIST_PUT) {
        page_of(vec![json!({
            "id": "d-1",
            "published": {"distributionId": "d-1", "workspaceId": "w-1", "name": "Inbound",
                          "teamRef": {"id": "t-1", "revision": 1},
                          "assignmentTypeConfig": {"type": "Conversation"},
                          "weights": [{"userId": "u-1", "weight": 100}, {"userId": "u-2", "weight": 100}],
                          "metadata": metadata()},
            "state": {}, "prioritization": {}
        })])
    } else if is(ops::RULE_LIST) {
        page_of(Vec::new())
    } else if is(ops::USER_FIND_BY_IDS) {
        page_of(found_by_ids.to_vec())
    } else {
        Reply::Json(404, json!({"errorCode": "NotFound", "errorMessage": path}))
    }
}

fn sdr_team() -> Value {
    json!({"id": "t-1", "workspaceId": "w-1", "name": "sdr", "members": ["u-1", "u-2"],
           "metadata": metadata()})
}

/// Regression: a user page that left Bob out (and lowered `total`) made his id on team `sdr`
/// "match no user", and the plan removed a declared member.
#[tokio::test]
async fn a_user_the_sweep_left_out_is_read_by_id_not_planned_away() {
    let ava = user("u-1", "ava@acme.example");
    let bob = user("u-2", "bob@acme.example");
    let stub = Stub::start({
        let (ava, bob) = (ava.clone(), bob.clone());
        move |request, _| {
            org(
                request,
                std::slice::from_ref(&ava),
                &[sdr_team()],
                std::slice::from_ref(&bob),
            )
        }
    })
    .await;
    let live = live::fetch(&client_for_stub(&stub), &Scope::everything())
        .await
        .unwrap();
    let team = &live.workspaces["Sales"].teams[0];
    assert!(team.unknown_member_ids.is_empty(), "{team:?}");
    assert_eq!(
        team.members,
        BTreeSet::from([
            Email::parse("ava@acme.example").unwrap(),
            Email::parse("bob@acme.example").unwrap()
        ])
    );
    let asked: Vec<_> = stub
        .received()
        .into_iter()
        .filter(|r| r.path().ends_with(ops::USER_FIND_BY_IDS.path))
        .collect();
    assert_eq!(asked.len(), 1, "one targeted read");
    assert_eq!(asked[0].body, r#"["u-2"]"#, "exactly the dangling id");
}

/// Regression: `fetch_when` (the early reads of `plan`, `drift` and `apply`) skipped the
/// integrity pass, so a user the sweep left out was planned away again.
#[tokio::test]
async fn fetch_when_skipped_the_integrity_check() {
    let ava = user("u-1", "ava@acme.example");
    let bob = user("u-2", "bob@acme.example");
    let stub = Stub::start(move |request, _| {
        org(
            request,
            std::slice::from_ref(&ava),
            &[sdr_team()],
            std::slice::from_ref(&bob),
        )
    })
    .await;
    let live = live::fetch_when(&client_for_stub(&stub), async { Some(Scope::everything()) })
        .await
        .unwrap()
        .unwrap();
    let team = &live.workspaces["Sales"].teams[0];
    assert!(team.unknown_member_ids.is_empty(), "{team:?}");
    assert!(
        team.members
            .contains(&Email::parse("bob@acme.example").unwrap())
    );
}

/// An id the targeted read confirms matches no user stays an unknown member id (the planner
/// may remove it); a consistent org costs no targeted read at all.
#[tokio::test]
async fn only_an_id_the_api_confirms_unknown_stays_unknown_and_consistent_reads_cost_nothing() {
    let ava = user("u-1", "ava@acme.example");
    let bob = user("u-2", "bob@acme.example");
    let stub = Stub::start({
        let ava = ava.clone();
        move |request, _| org(request, std::slice::from_ref(&ava), &[sdr_team()], &[])
    })
    .await;
    let live = live::fetch(&client_for_stub(&stub), &Scope::everything())
        .await
        .unwrap();
    assert_eq!(
        live.workspaces["Sales"].teams[0].unknown_member_ids,
        BTreeSet::from(["u-2".to_string()])
    );

    let consistent = Stub::start(move |request, _| {
        org(request, &[ava.clone(), bob.clone()], &[sdr_team()], &[])
    })
    .await;
    live::fetch(&client_for_stub(&consistent), &Scope::everything())
        .await
        .unwrap();
    let targeted = consistent
        .received()
        .iter()
        .filter(|r| {
            r.path().ends_with(ops::USER_FIND_BY_IDS.path)
                || (r.path().ends_with(ops::TEAM_LIST_PUT.path)
                    && r.body_field("workspaceIds").is_some_and(|v| !v.is_null()))
        })
        .count();
    assert_eq!(targeted, 0, "no extra request for a consistent read");
}

/// Regression: a team list that answered `total: 0` while a distribution used team `t-1` led
/// to duplicate teams and repointed distributions. Now the team is read again for its
/// workspace, and when it still is not there the read is refused, naming the distribution.
#[tokio::test]
async fn a_team_list_that_misses_a_used_team_is_read_again_then_refused() {
    let users = [
        user("u-1", "ava@acme.example"),
        user("u-2", "bob@acme.example"),
    ];
    let empty = Stub::start({
        let users = users.clone();
        move |request, _| org(request, &users, &[], &[])
    })
    .await;
    let error = live::fetch(&client_for_stub(&empty), &Scope::everything())
        .await
        .unwrap_err();
    assert!(matches!(error, LiveError::UnresolvedTeam { .. }), "{error}");
    let message = error.to_string();
    assert!(
        message.contains("distribution `Inbound` uses team id `t-1`"),
        "{message}"
    );

    // The sweep answered short once; the targeted read by workspace finds the team.
    let flaky = Stub::start(move |request, _| {
        let by_workspace = request
            .body_field("workspaceIds")
            .is_some_and(|v| !v.is_null());
        let teams = if by_workspace {
            vec![sdr_team()]
        } else {
            vec![]
        };
        org(request, &users, &teams, &[])
    })
    .await;
    let live = live::fetch(&client_for_stub(&flaky), &Scope::everything())
        .await
        .unwrap();
    assert_eq!(live.workspaces["Sales"].distributions[0].spec.team, "sdr");
}

/// A sweep whose pages disagree (here: one id twice, as when an object is inserted between
/// page reads) is read once more instead of failing the plan.
#[tokio::test]
async fn a_sweep_that_shifted_between_pages_is_read_again() {
    let ava = user("u-1", "ava@acme.example");
    let bob = user("u-2", "bob@acme.example");
    let answered = std::sync::atomic::AtomicBool::new(false);
    let stub = Stub::start(move |request, _| {
        let first_user_sweep = request.path().ends_with(ops::WORKSPACE_LIST_USERS.path)
            && !answered.swap(true, std::sync::atomic::Ordering::SeqCst);
        let users = if first_user_sweep {
            vec![ava.clone(), ava.clone()]
        } else {
            vec![ava.clone(), bob.clone()]
        };
        org(request, &users, &[sdr_team()], &[])
    })
    .await;
    let live = live::fetch(&client_for_stub(&stub), &Scope::everything())
        .await
        .unwrap();
    assert_eq!(live.users.len(), 2);
    let user_sweeps = stub
        .received()
        .iter()
        .filter(|r| r.path().ends_with(ops::WORKSPACE_LIST_USERS.path))
        .count();
    assert_eq!(user_sweeps, 2, "read once more");
}
