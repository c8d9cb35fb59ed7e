//! The emulator never loses or corrupts state: every acknowledged write is on disk before it
//! is answered (so a `kill -9` of `sandbox serve` loses none), concurrent saves never share a
//! temporary file, and the state file always loads.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use scoville::edge::{ApiToken, ClientOptions, EdgeClient, Endpoint, wire};
use scoville::emulator::{self, DEMO_ADMIN_TOKEN, Options};

fn client_of(base_url: &str) -> EdgeClient {
    EdgeClient::new(
        Endpoint::parse(base_url).unwrap(),
        ApiToken::from_literal(DEMO_ADMIN_TOKEN).unwrap(),
        ClientOptions::default(),
    )
    .unwrap()
}

fn invitation(n: usize) -> wire::InviteUserRequest {
    wire::InviteUserRequest {
        email: format!("durable.{n}@acme.example"),
        name: Some(format!("Durable {n}")),
        workspace_ids: None,
        send_invite: Some(true),
    }
}

/// The emails of the invited users a state file holds, read by a fresh emulator started on it.
async fn invited_in(state: &Path) -> Vec<String> {
    let mut options = Options::new(emulator::demo_seed());
    options.state_file = Some(state.to_path_buf());
    let running = emulator::start(options)
        .await
        .expect("the state file loads");
    let mut emails: Vec<String> = client_of(&running.base_url())
        .user_find("durable.")
        .await
        .unwrap()
        .into_iter()
        .map(|user| user.email)
        .collect();
    emails.sort();
    emails
}

/// Regression: all saves of one process wrote the same temporary file, so concurrent saves
/// corrupted the state file; and writes were saved only at shutdown. Here 24 concurrent
/// acknowledged writes are all in the file while the server still runs, and it loads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_acknowledged_writes_are_all_on_disk_before_the_answer() {
    let directory = tempfile::tempdir().unwrap();
    let state = directory.path().join("state.json");
    let mut options = Options::new(emulator::demo_seed());
    options.state_file = Some(state.clone());
    let running = emulator::start(options).await.unwrap();
    let client = client_of(&running.base_url());
    let mut writes = tokio::task::JoinSet::new();
    for n in 0..24 {
        let client = client.clone();
        writes.spawn(async move { client.user_invite(&invitation(n)).await });
    }
    while let Some(done) = writes.join_next().await {
        done.unwrap().expect("the write is acknowledged");
    }
    // Not shut down: what is on disk now is what a crash would leave.
    let on_disk = invited_in(&state).await;
    assert_eq!(on_disk.len(), 24, "{on_disk:?}");
    let leftovers: Vec<_> = std::fs::read_dir(directory.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .filter(|name| name.to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    drop(running);
}

fn serve(state: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scoville"))
        .args(["sandbox", "serve", "--port", "0", "--state"])
        .arg(state)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let base_url = loop {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "serve exited");
        if let Some(url) = line.trim().strip_prefix("base URL") {
            break url.trim().to_string();
        }
    };
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while stdout.read_line(&mut sink).unwrap_or(0) > 0 {
            sink.clear();
        }
    });
    (child, base_url)
}

/// Regression: a `kill -9` of `sandbox serve` lost every acknowledged write since the last
/// save. Acknowledged writes survive, and the server restarts on the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_of_sandbox_serve() {
    let directory = tempfile::tempdir().unwrap();
    let state = directory.path().join("state.json");
    let (mut child, base_url) = serve(&state);
    let client = client_of(&base_url);
    for n in 0..5 {
        client.user_invite(&invitation(n)).await.unwrap();
    }
    child.kill().unwrap(); // SIGKILL: no shutdown, no final save.
    child.wait().unwrap();

    let (mut again, base_url) = serve(&state);
    let emails: Vec<String> = client_of(&base_url)
        .user_find("durable.")
        .await
        .unwrap()
        .into_iter()
        .map(|user| user.email)
        .collect();
    again.kill().unwrap();
    again.wait().unwrap();
    assert_eq!(emails.len(), 5, "{emails:?}");
}
