//! `scoville sandbox serve` and `scoville sandbox reset` as a user runs them.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::support::client;

#[tokio::test]
async fn sandbox_serve_prints_the_base_url_serves_the_demo_org_and_saves_on_ctrl_c() {
    let directory = tempfile::tempdir().unwrap();
    let state = directory.path().join("state.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_scoville"))
        .args(["sandbox", "serve", "--port", "0", "--state"])
        .arg(&state)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    let base_url = loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "serve exited: {printed}"
        );
        printed.push_str(&line);
        if let Some(url) = line.trim().strip_prefix("base URL") {
            break url.trim().to_string();
        }
    };
    assert!(base_url.starts_with("http://127.0.0.1:") && base_url.ends_with("/api/fire-edge"));
    let mut rest = String::new();
    for _ in 0..8 {
        stdout.read_line(&mut rest).unwrap();
    }
    assert!(
        rest.contains("export CHILI_PIPER_API_KEY=scoville-demo-admin-token"),
        "{rest}"
    );
    assert!(
        rest.contains(&format!("scoville plan --endpoint {base_url}")),
        "{rest}"
    );
    // The state file is written after every acknowledged write, not only on Ctrl-C
    // (tests/hostile/durability.rs), and the banner says so.
    assert!(
        rest.contains("saved after every acknowledged write"),
        "{rest}"
    );

    let tenant: serde_json::Value = client()
        .get(format!("{base_url}/v1/org/tenant/get"))
        .bearer_auth("scoville-demo-admin-token")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tenant["tenantData"]["subdomain"], "acme-corp");

    // Ctrl-C, by the child's id.
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    assert!(child.wait().unwrap().success());
    let saved = scoville::emulator::load_state(&state).unwrap();
    assert_eq!(saved.users.len(), 25);
}

#[test]
fn sandbox_reset_deletes_the_saved_state() {
    let directory = tempfile::tempdir().unwrap();
    let state = directory
        .path()
        .join(scoville::emulator::SANDBOX_STATE_FILE);
    std::fs::create_dir_all(state.parent().unwrap()).unwrap();
    std::fs::write(&state, "{}").unwrap();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_scoville"))
            .args(["sandbox", "reset"])
            .current_dir(directory.path())
            .output()
            .unwrap()
    };
    let output = run();
    assert!(output.status.success());
    assert!(!state.exists());
    assert!(String::from_utf8_lossy(&output.stdout).contains("deleted"));
    let again = run();
    assert!(again.status.success(), "resetting twice is fine");
}
