//! The two ways of syncing scoville is compared with, run in the same process against the same
//! emulator and latency: a naive sync (one request per object read, one at a time, as RevOps
//! scripts do today) and a Terraform-style refresh (one GET per managed object, 10 at a time,
//! Terraform's default `-parallelism`).
//!
//! Both read every managed object on its own: each user (`user-find-by-ids` with one id), each
//! team and distribution (`team-list` / `distribution-list` filtered to its workspace and
//! name: one page), each rule (`rule-get`), and the settings of each workspace whose settings
//! the manifests manage. On the large org that is 7,010 requests, on the huge one 61,040: at
//! 50 ms a request the naive sync alone would take minutes to an hour, so by default each
//! baseline runs an evenly spread sample of the objects and its time is scaled to all of them
//! (requests at a fixed concurrency take time in proportion to their number); `--baseline-full`
//! runs every request instead. The report says which it was.

use std::sync::Arc;
use std::time::{Duration, Instant};

use scoville::edge::{EdgeClient, wire};
use scoville::model::Live;

/// One per-object read of the baselines.
#[derive(Debug, Clone)]
pub enum ObjectRead {
    User { id: String },
    Team { workspace_id: String, name: String },
    Distribution { workspace_id: String, name: String },
    Rule { id: String },
    Settings { workspace_id: String },
}

/// Every managed object of `live`, in a stable order: users, then per workspace its teams,
/// distributions, rules and (when read) settings.
pub fn managed_objects(live: &Live) -> Vec<ObjectRead> {
    let mut objects: Vec<ObjectRead> = live
        .users
        .values()
        .map(|user| ObjectRead::User {
            id: user.id.clone(),
        })
        .collect();
    for workspace in live.workspaces.values() {
        let workspace_id = &workspace.id;
        objects.extend(workspace.teams.iter().map(|team| ObjectRead::Team {
            workspace_id: workspace_id.clone(),
            name: team.name.clone(),
        }));
        objects.extend(workspace.distributions.iter().map(|distribution| {
            ObjectRead::Distribution {
                workspace_id: workspace_id.clone(),
                name: distribution.name.clone(),
            }
        }));
        objects.extend(workspace.rules.iter().map(|rule| ObjectRead::Rule {
            id: rule.id.clone(),
        }));
        if workspace.settings.is_some() {
            objects.push(ObjectRead::Settings {
                workspace_id: workspace_id.clone(),
            });
        }
    }
    objects
}

async fn read_one(client: &EdgeClient, object: &ObjectRead) {
    let result = match object {
        ObjectRead::User { id } => client
            .user_find_by_ids(std::slice::from_ref(id))
            .await
            .map(drop),
        ObjectRead::Team { workspace_id, name } => client
            .team_list(&wire::TeamListRequest {
                workspace_ids: Some(vec![workspace_id.clone()]),
                name: Some(name.clone()),
                ..wire::TeamListRequest::default()
            })
            .await
            .map(drop),
        ObjectRead::Distribution { workspace_id, name } => client
            .distribution_list(&wire::DistributionListRequest {
                workspace_ids: Some(vec![workspace_id.clone()]),
                name: Some(name.clone()),
                ..wire::DistributionListRequest::default()
            })
            .await
            .map(drop),
        ObjectRead::Rule { id } => client.rule_get(id).await.map(drop),
        ObjectRead::Settings { workspace_id } => client
            .distribution_settings_get(workspace_id)
            .await
            .map(drop),
    };
    result.expect("the emulator answers every per-object read");
}

/// A baseline's run: how many requests it needs, how many were sent and in how long, and the
/// time for all of them.
#[derive(Debug, Clone)]
pub struct BaselineRun {
    pub n_objects: usize,
    pub n_requests_sent: u64,
    pub measured: Duration,
    /// `measured` scaled from the objects read to all of them (equal when all were read).
    pub estimate: Duration,
}

impl BaselineRun {
    pub fn is_full(&self) -> bool {
        self.n_requests_sent as usize >= self.n_objects
    }
}

/// Reads `objects` (or an evenly spread `sample` of them) through `client`, whose fixed
/// concurrency limit is the baseline's parallelism.
pub async fn run(
    client: &EdgeClient,
    objects: &[ObjectRead],
    sample: Option<usize>,
) -> BaselineRun {
    let step = match sample {
        Some(sample) if sample > 0 && sample < objects.len() => objects.len().div_ceil(sample),
        _ => 1,
    };
    let chosen: Vec<ObjectRead> = objects.iter().step_by(step).cloned().collect();
    let n_chosen = chosen.len();
    let before = client.stats();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    let chosen = Arc::new(chosen);
    for index in 0..n_chosen {
        let client = client.clone();
        let chosen = Arc::clone(&chosen);
        tasks.spawn(async move { read_one(&client, &chosen[index]).await });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.expect("a baseline read does not panic");
    }
    let measured = started.elapsed();
    let n_requests_sent = client.stats().since(&before).total().requests;
    BaselineRun {
        n_objects: objects.len(),
        n_requests_sent,
        measured,
        estimate: measured.mul_f64(objects.len() as f64 / n_chosen.max(1) as f64),
    }
}
