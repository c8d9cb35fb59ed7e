//! Fault injection: replayed from a fixed seed, scripted faults, ambiguous writes.

use scoville::emulator::{Fault, FaultConfig};
use serde_json::json;

use crate::support::{Api, email};

/// What the client saw: a status, or `dropped` when the connection closed without an answer.
async fn outcome(api: &Api, request: reqwest::RequestBuilder) -> String {
    let request = request.header(
        "Authorization",
        format!("Bearer {}", api.token.as_deref().unwrap()),
    );
    match request.send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get("retry-after")
                .map(|v| format!(" retry-after={}", v.to_str().unwrap()))
                .unwrap_or_default();
            let _ = response.text().await;
            format!("{status}{retry_after}")
        }
        Err(_) => "dropped".to_string(),
    }
}

/// A fixed mix of reads and writes.
async fn run_sequence(api: &Api) -> Vec<String> {
    let base = api.running.base_url();
    let team = api.team("smb-ae");
    let mia = api.user(&email("Mia"));
    let mut outcomes = Vec::new();
    for i in 0..60 {
        let request = match i % 4 {
            0 => api
                .client
                .post(format!("{base}/v1/org/team/users/add"))
                .json(&json!({"teamId": team, "userIds": [mia]})),
            1 => api
                .client
                .put(format!("{base}/v2/org/team"))
                .json(&json!({})),
            2 => api
                .client
                .post(format!("{base}/v1/org/team/users/remove"))
                .json(&json!({"teamId": team, "userIds": [mia]})),
            _ => api.client.get(format!("{base}/v1/org/tenant/get")),
        };
        outcomes.push(outcome(api, request).await);
    }
    outcomes
}

fn faults() -> FaultConfig {
    FaultConfig {
        seed: 42,
        error_rate: 0.15,
        rate_limit_rate: 0.1,
        retry_after_seconds: 3,
        drop_rate: 0.1,
        ambiguous_rate: 0.25,
        ..FaultConfig::default()
    }
}

#[tokio::test]
async fn faults_replayed_from_a_fixed_seed_give_the_same_outcomes() {
    let api = Api::demo().await;
    let control = api.control();
    control.set_faults(faults());
    let first = run_sequence(&api).await;
    let first_journal = control.journal();
    let first_state = control.state();

    control.reset();
    control.set_faults(faults());
    let second = run_sequence(&api).await;
    assert_eq!(first, second);
    assert_eq!(control.state(), first_state);
    let faults_of = |journal: &[scoville::emulator::JournalEntry]| -> Vec<Option<Fault>> {
        journal.iter().map(|e| e.fault).collect()
    };
    assert_eq!(faults_of(&first_journal), faults_of(&control.journal()));

    // The sequence exercises every kind of fault.
    assert!(first.iter().any(|o| o == "200"));
    assert!(first.iter().any(|o| o == "429 retry-after=3"));
    assert!(first.iter().any(|o| o == "dropped"));
    assert!(
        first
            .iter()
            .any(|o| ["500", "502", "503"].contains(&o.as_str()))
    );
    assert!(
        first_journal
            .iter()
            .any(|e| matches!(e.fault, Some(Fault::AmbiguousError | Fault::AmbiguousDrop)))
    );
    assert_eq!(first_journal.len(), 60);

    // Another seed gives another sequence.
    control.reset();
    control.set_faults(FaultConfig {
        seed: 43,
        ..faults()
    });
    assert_ne!(run_sequence(&api).await, first);
}

#[tokio::test]
async fn ambiguous_writes_are_applied_and_plain_faults_are_not() {
    let api = Api::demo().await;
    let control = api.control();
    control.set_faults(FaultConfig {
        operations: vec!["team-create".to_string()],
        script: vec![
            Fault::AmbiguousError,
            Fault::AmbiguousDrop,
            Fault::Drop,
            Fault::Error503,
        ],
        ..FaultConfig::default()
    });
    let base = api.running.base_url();
    let create = || {
        api.client
            .post(format!("{base}/v2/org/team/create"))
            .json(&json!({"workspaceId": api.workspace("Sales"), "name": "retry-me"}))
    };
    let count = || {
        control
            .state()
            .teams
            .values()
            .filter(|t| t.name == "retry-me")
            .count()
    };
    // Reads are not affected by a fault list that names team-create only.
    assert_eq!(api.get("/v1/org/tenant/get").await.status, 200);
    assert_eq!(outcome(&api, create()).await, "502");
    assert_eq!(count(), 1, "an ambiguous error still applies the write");
    assert_eq!(outcome(&api, create()).await, "dropped");
    assert_eq!(count(), 2, "an ambiguous drop still applies the write");
    assert_eq!(outcome(&api, create()).await, "dropped");
    assert_eq!(count(), 2, "a plain drop applies nothing");
    assert_eq!(outcome(&api, create()).await, "503");
    assert_eq!(count(), 2, "a plain error applies nothing");
    assert_eq!(outcome(&api, create()).await, "200");
    assert_eq!(count(), 3);

    let journal = control.journal();
    let creates: Vec<_> = journal
        .iter()
        .filter(|e| e.operation.as_deref() == Some("team-create"))
        .map(|e| (e.status, e.operation_status, e.fault))
        .collect();
    assert_eq!(
        creates,
        [
            (Some(502), Some(200), Some(Fault::AmbiguousError)),
            (None, Some(200), Some(Fault::AmbiguousDrop)),
            (None, None, Some(Fault::Drop)),
            (Some(503), None, Some(Fault::Error503)),
            (Some(200), Some(200), None),
        ]
    );
}

#[tokio::test]
async fn faults_never_touch_the_control_surface() {
    let api = Api::demo().await;
    let set = api
        .root_call(
            reqwest::Method::PUT,
            "/_emulator/faults",
            Some(json!({"seed": 1, "errorRate": 1.0})),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(api.control().faults().error_rate, 1.0);
    assert!(api.get("/v1/org/tenant/get").await.status >= 500);
    let state = api
        .root_call(reqwest::Method::GET, "/_emulator/state", None)
        .await;
    assert_eq!(state.status, 200);
    let faults = api
        .root_call(reqwest::Method::GET, "/_emulator/faults", None)
        .await
        .ok();
    assert_eq!(faults["seed"], 1);
}
