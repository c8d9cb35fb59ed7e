//! The adaptive concurrency limit against the real emulator's push-back: 429 with
//! `Retry-After` and 503 shrink the window, reads still complete, and the window grows back once
//! the faults stop.

use std::time::Duration;

use scoville::edge::{
    ApiToken, ClientOptions, EdgeClient, Endpoint, LimitPolicy, LimiterStats, RetryPolicy,
};
use scoville::emulator::{
    self, DEMO_READONLY_TOKEN, Fault, FaultConfig, GeneratedOrg, Options, Running, Seed,
};

const N_USERS: usize = 2_000;
const INITIAL: usize = 4;
const CEILING: usize = 64;

fn client(running: &Running) -> EdgeClient {
    EdgeClient::new(
        Endpoint::parse(&running.base_url()).unwrap(),
        ApiToken::from_literal(DEMO_READONLY_TOKEN).unwrap(),
        ClientOptions {
            parallelism: CEILING,
            limit: LimitPolicy {
                initial: INITIAL,
                adaptive: true,
                // Only push-back shrinks or holds the window here: on a busy test machine the
                // latency of loopback answers is mostly scheduling (the latency rule has unit
                // tests of its own).
                queueing_percent: None,
            },
            // Enough attempts that a sweep under heavy push-back still completes; the waits
            // (and the Retry-After pauses, capped by max_retry_after) stay in milliseconds.
            retry: RetryPolicy {
                max_attempts: 30,
                min_delay: Duration::from_millis(1),
                max_delay: Duration::from_millis(2),
                max_retry_after: Duration::from_millis(5),
                jitter_seed: Some(7),
            },
            ..ClientOptions::default()
        },
    )
    .unwrap()
}

/// One org-wide user sweep (tens of pages, all but the first concurrent); every user must come
/// back whatever the faults.
async fn sweep(client: &EdgeClient) -> LimiterStats {
    let users = client.workspace_list_users(None).await.unwrap();
    assert_eq!(users.len(), N_USERS);
    client.limiter_stats()
}

#[tokio::test]
async fn the_window_backs_off_under_429_and_503_and_recovers_when_they_stop() {
    let seed = Seed::generated(GeneratedOrg {
        n_users: N_USERS,
        n_workspaces: 1,
        n_teams_per_workspace: 0,
        n_members_per_team: 0,
        n_distributions_per_workspace: 0,
        n_rules_per_workspace: 0,
    });
    let mut options = Options::new(seed);
    // Latency, so that the sweeps' pages overlap as they would against the real API.
    let clean = FaultConfig {
        latency_ms: 50,
        ..FaultConfig::default()
    };
    options.faults = clean.clone();
    let running = emulator::start(options).await.unwrap();
    let client = client(&running);

    // Clean answers: the window grows past where it started.
    let mut stats = client.limiter_stats();
    assert_eq!(stats.limit, INITIAL);
    for _ in 0..20 {
        stats = sweep(&client).await;
        if stats.limit >= 4 * INITIAL {
            break;
        }
    }
    assert!(
        stats.limit >= 4 * INITIAL,
        "the window did not grow: {stats:?}"
    );
    assert_eq!(stats.decreases, 0, "{stats:?}");
    let grown = stats.limit;

    // Push-back: a 503 and a 429 asking for a second first, then 429s on a third of requests.
    running.control().set_faults(FaultConfig {
        rate_limit_rate: 0.35,
        retry_after_seconds: 1,
        script: vec![Fault::Error503, Fault::RateLimited],
        ..clean.clone()
    });
    for _ in 0..3 {
        stats = sweep(&client).await;
    }
    assert!(stats.decreases >= 2, "{stats:?}");
    assert!(stats.limit < grown, "the window did not shrink: {stats:?}");
    assert!(
        stats.retry_after_pauses >= 1,
        "Retry-After was not honoured: {stats:?}"
    );
    let lowest = stats.lowest_limit;
    assert!(lowest <= grown / 4, "{stats:?}");

    // The faults stop: the window grows again (additive, then probing).
    running.control().set_faults(clean);
    let decreases = stats.decreases;
    for _ in 0..60 {
        stats = sweep(&client).await;
        if stats.limit >= grown {
            break;
        }
    }
    assert!(
        stats.limit >= grown,
        "the window did not recover to {grown} after the faults stopped: {stats:?}"
    );
    assert_eq!(stats.decreases, decreases, "{stats:?}");
    assert!(
        stats.limit <= CEILING && stats.peak_limit <= CEILING,
        "{stats:?}"
    );
    assert_eq!(stats.in_flight, 0);
}
