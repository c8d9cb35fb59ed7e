//! Benchmark of the emulator: list pages served per second to concurrent clients.
//!
//! Run with `cargo bench --bench emulator`. Serves 100-user pages of a 5,000-user org
//! (workspace-list-users, GET with query paging) and 100-team pages (team-list, PUT with body
//! paging) to 1, 8 and 32 concurrent clients, and prints pages per second and latency
//! percentiles. No faults, no latency injection.

use std::time::{Duration, Instant};

use scoville::emulator::{self, DEMO_ADMIN_TOKEN, GeneratedOrg, Options, Seed};

const N_USERS: usize = 5_000;
const ROUND: Duration = Duration::from_secs(3);

#[derive(Clone, Copy)]
enum Listing {
    WorkspaceUsers,
    Teams,
}

async fn round(
    base_url: &str,
    listing: Listing,
    n_clients: usize,
    n_pages: u64,
) -> (u64, Vec<Duration>) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(n_clients)
        .build()
        .expect("a reqwest client builds");
    let deadline = Instant::now() + ROUND;
    let tasks: Vec<_> = (0..n_clients)
        .map(|worker| {
            let client = client.clone();
            let base_url = base_url.to_string();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut page = worker as u64 % n_pages;
                while Instant::now() < deadline {
                    let started = Instant::now();
                    let request = match listing {
                        Listing::WorkspaceUsers => client.get(format!(
                            "{base_url}/v1/org/workspace/users?page={page}&pageSize=100"
                        )),
                        Listing::Teams => client
                            .put(format!("{base_url}/v2/org/team"))
                            .json(&serde_json::json!({"page": page, "pageSize": 100})),
                    };
                    let response = request
                        .bearer_auth(DEMO_ADMIN_TOKEN)
                        .send()
                        .await
                        .expect("the emulator answers");
                    assert_eq!(response.status().as_u16(), 200);
                    let body = response.bytes().await.expect("the body reads");
                    assert!(body.len() > 100);
                    latencies.push(started.elapsed());
                    page = (page + 1) % n_pages;
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("a client task finishes"));
    }
    latencies.sort();
    (latencies.len() as u64, latencies)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    runtime.block_on(async {
        let seed = Seed::generated(GeneratedOrg {
            n_users: N_USERS,
            n_workspaces: 5,
            n_teams_per_workspace: 200,
            n_members_per_team: 10,
            n_distributions_per_workspace: 20,
            n_rules_per_workspace: 20,
        });
        let running = emulator::start(Options::new(seed))
            .await
            .expect("the emulator starts");
        let base_url = running.base_url();
        println!(
            "emulator benchmark: {N_USERS} users, 1,000 teams; {} s per round; {} cores",
            ROUND.as_secs(),
            std::thread::available_parallelism().map_or(1, |n| n.get())
        );
        for (listing, name, n_pages) in [
            (Listing::WorkspaceUsers, "workspace-list-users (100 users/page)", 50),
            (Listing::Teams, "team-list (100 teams/page)", 10),
        ] {
            for n_clients in [1, 8, 32] {
                running.control().clear_journal();
                let (n_requests, latencies) = round(&base_url, listing, n_clients, n_pages).await;
                let per_second = n_requests as f64 / ROUND.as_secs_f64();
                println!(
                    "{name:<40} {n_clients:>3} clients: {per_second:>8.0} pages/s  p50 {:>6.2} ms  p99 {:>6.2} ms",
                    percentile(&latencies, 0.50).as_secs_f64() * 1e3,
                    percentile(&latencies, 0.99).as_secs_f64() * 1e3,
                );
            }
        }
        running.shutdown().await.expect("the emulator stops");
    });
}
