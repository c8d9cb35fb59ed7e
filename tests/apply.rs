//! `scoville apply` end to end: the real binary and HTTP client against the real emulator.
//! The quickstart flow, stale-plan refusal after an out-of-band edit, and a failure part-way
//! through with the rest converging on the next run.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use scoville::emulator::{self, DEMO_ADMIN_TOKEN, Fault, FaultConfig, Options, Running};

fn examples_acme() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs the binary in `dir` (blocking; call from `spawn_blocking` when an emulator runs in
/// this process).
fn scoville(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("scoville")
        .expect("the scoville binary is built")
        .current_dir(dir)
        .env("CHILI_PIPER_API_KEY", DEMO_ADMIN_TOKEN)
        .env("NO_COLOR", "1")
        .env_remove("SCOVILLE_ENDPOINT")
        .args(args)
        .output()
        .expect("scoville runs")
}

async fn scoville_async(dir: &Path, args: &[&str]) -> Output {
    let dir = dir.to_path_buf();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        scoville(&dir, &args)
    })
    .await
    .expect("the command thread does not panic")
}

/// The operations of the emulator's journal that change the org: those whose permission is
/// more than a read, as the operation table says (the PUT lists are reads).
fn writes(control: &emulator::Control) -> Vec<String> {
    control
        .journal()
        .into_iter()
        .filter_map(|entry| entry.operation)
        .filter(|op| {
            scoville::edge::ops::by_id(op).is_some_and(|op| !op.permission.ends_with(".read"))
        })
        .collect()
}

async fn demo_emulator() -> Running {
    emulator::start(Options::new(emulator::demo_seed()))
        .await
        .expect("the emulator starts")
}

#[test]
fn quickstart_plan_apply_plan_converges_in_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let acme = examples_acme();
    let acme = acme.to_str().unwrap();

    let first = scoville(
        dir.path(),
        &["plan", "--sandbox", acme, "--detailed-exitcode"],
    );
    assert_eq!(
        first.status.code(),
        Some(2),
        "changes to apply: {}",
        stderr(&first)
    );
    let plan_text = stdout(&first);
    assert!(
        plan_text.contains("Plan: 5 to add, 4 to change, 0 to destroy (13 API calls)."),
        "{plan_text}"
    );

    // Without a terminal and without --auto-approve, apply refuses and changes nothing.
    let refused = scoville(dir.path(), &["apply", "--sandbox", acme]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("--auto-approve"),
        "{}",
        stderr(&refused)
    );
    let still = scoville(
        dir.path(),
        &["plan", "--sandbox", acme, "--detailed-exitcode"],
    );
    assert_eq!(still.status.code(), Some(2));

    let applied = scoville(dir.path(), &["apply", "--sandbox", "--auto-approve", acme]);
    assert_eq!(applied.status.code(), Some(0), "{}", stderr(&applied));
    assert!(
        stdout(&applied).contains("Apply: 13 done, 0 failed, 0 skipped."),
        "{}",
        stdout(&applied)
    );

    let again = scoville(
        dir.path(),
        &["plan", "--sandbox", acme, "--detailed-exitcode"],
    );
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    assert!(stdout(&again).contains("No changes. The live org matches the manifests."));

    // The sandbox state persisted between the runs, and `sandbox reset` forgets it.
    assert!(dir.path().join(".scoville/sandbox-state.json").exists());
    let reset = scoville(dir.path(), &["sandbox", "reset"]);
    assert_eq!(reset.status.code(), Some(0), "{}", stderr(&reset));
    let fresh = scoville(
        dir.path(),
        &["plan", "--sandbox", acme, "--detailed-exitcode"],
    );
    assert_eq!(fresh.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_plan_is_refused_when_the_org_changed_since_and_nothing_is_applied() {
    let running = demo_emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let endpoint = running.base_url();
    let acme = examples_acme();
    let acme = acme.to_str().unwrap();

    let planned = scoville_async(
        dir.path(),
        &["plan", acme, "--endpoint", &endpoint, "--out", "plan.json"],
    )
    .await;
    assert_eq!(planned.status.code(), Some(0), "{}", stderr(&planned));
    let plan_file = std::fs::read_to_string(dir.path().join("plan.json")).unwrap();
    assert!(
        !plan_file.contains(DEMO_ADMIN_TOKEN),
        "the plan file holds no token"
    );

    // A person edits a team the plan touches, in the UI.
    let control = running.control();
    let ava = control.user_id("ava.thompson@acme.example").unwrap();
    let sofia = control.user_id("sofia.rossi@acme.example").unwrap();
    let team_id = control
        .state()
        .teams
        .values()
        .find(|team| team.name == "inbound-sdr")
        .map(|team| team.id.clone())
        .unwrap();
    control
        .as_user(&ava)
        .unwrap()
        .team_remove_users(&team_id, &[&sofia])
        .unwrap();
    control.clear_journal();

    let applied = scoville_async(
        dir.path(),
        &[
            "apply",
            "plan.json",
            "--endpoint",
            &endpoint,
            "--auto-approve",
        ],
    )
    .await;
    assert_eq!(applied.status.code(), Some(1));
    let message = stderr(&applied);
    assert!(message.contains("nothing was applied"), "{message}");
    assert!(message.contains("team `inbound-sdr` changed"), "{message}");
    assert!(
        message.contains("by ava.thompson@acme.example"),
        "who changed it, as an email: {message}"
    );
    assert!(message.contains("re-run `scoville plan"), "{message}");
    let writes = writes(&control);
    assert!(writes.is_empty(), "a stale plan sends no write: {writes:?}");

    // Planned again, the same file applies cleanly.
    let replanned = scoville_async(
        dir.path(),
        &["plan", acme, "--endpoint", &endpoint, "--out", "plan.json"],
    )
    .await;
    assert_eq!(replanned.status.code(), Some(0), "{}", stderr(&replanned));
    let applied = scoville_async(
        dir.path(),
        &[
            "apply",
            "plan.json",
            "--endpoint",
            &endpoint,
            "--auto-approve",
        ],
    )
    .await;
    assert_eq!(
        applied.status.code(),
        Some(0),
        "{}{}",
        stdout(&applied),
        stderr(&applied)
    );
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_part_way_skips_dependents_and_the_next_run_does_exactly_the_rest() {
    let running = demo_emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let endpoint = running.base_url();
    let acme = examples_acme();
    let acme = acme.to_str().unwrap();

    // team-add-users answers 500 (not retryable): the distribution update that depends on it
    // is skipped; the independent steps are done.
    running.control().set_faults(FaultConfig {
        operations: vec!["team-add-users".into()],
        script: vec![Fault::Error500],
        ..FaultConfig::default()
    });
    let report_path = dir.path().join("report.json");
    let applied = scoville_async(
        dir.path(),
        &[
            "apply",
            acme,
            "--endpoint",
            &endpoint,
            "--auto-approve",
            "--report",
            report_path.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(applied.status.code(), Some(1), "{}", stdout(&applied));
    let table = stdout(&applied);
    assert!(
        table.contains("Apply: 11 done, 1 failed, 1 skipped."),
        "{table}"
    );
    assert!(
        table.lines().any(|line| line.contains("FAILED")
            && line.contains("team-add-users  team:Sales/inbound-sdr")),
        "{table}"
    );
    assert!(table.contains("skipped"), "{table}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    assert_eq!(report["nFailed"], 1);
    assert_eq!(report["nSkipped"], 1);

    // Planning again shows exactly the remaining work: the failed step and the skipped one.
    running.control().set_faults(FaultConfig::default());
    let remaining = scoville_async(
        dir.path(),
        &["plan", acme, "--endpoint", &endpoint, "--detailed-exitcode"],
    )
    .await;
    assert_eq!(remaining.status.code(), Some(2));
    let text = stdout(&remaining);
    assert!(
        text.contains("Plan: 0 to add, 2 to change, 0 to destroy (2 API calls)."),
        "{text}"
    );
    assert!(
        text.contains("team-add-users team:Sales/inbound-sdr"),
        "{text}"
    );
    assert!(
        text.contains("distribution-update-v3 distribution:Sales/Inbound Demo Requests"),
        "{text}"
    );

    let finished = scoville_async(
        dir.path(),
        &["apply", acme, "--endpoint", &endpoint, "--auto-approve"],
    )
    .await;
    assert_eq!(finished.status.code(), Some(0), "{}", stdout(&finished));
    let done = scoville_async(
        dir.path(),
        &["plan", acme, "--endpoint", &endpoint, "--detailed-exitcode"],
    )
    .await;
    assert_eq!(done.status.code(), Some(0), "{}", stdout(&done));
    running.shutdown().await.unwrap();
}

#[test]
fn a_refused_plan_is_not_saved_for_apply() {
    let dir = tempfile::tempdir().unwrap();
    let manifests = dir.path().join("manifests");
    std::fs::create_dir(&manifests).unwrap();
    for entry in std::fs::read_dir(examples_acme()).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // Pin another tenant: the plan is refused.
        let text = text.replace("tenant: acme-corp.app3", "tenant: someone-else.app1");
        std::fs::write(manifests.join(path.file_name().unwrap()), text).unwrap();
    }
    let output = scoville(
        dir.path(),
        &["plan", "--sandbox", "manifests", "--out", "plan.json"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("was not saved"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("plan.json").exists());
}

#[test]
fn a_reader_that_goes_away_is_not_a_panic() {
    // Regression: `scoville plan ... | true` panicked with "failed printing to stdout".
    let dir = tempfile::tempdir().unwrap();
    let acme = examples_acme();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("scoville"))
        .current_dir(dir.path())
        .args([
            "plan",
            "--sandbox",
            acme.to_str().unwrap(),
            "--format",
            "json",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
}

#[test]
fn sandbox_commands_refuse_to_work_on_a_copy_a_running_server_would_overwrite() {
    // Regression: `apply --sandbox` while `sandbox serve` ran was silently undone when the
    // server stopped and wrote its older state back.
    let dir = tempfile::tempdir().unwrap();
    let mut server = std::process::Command::new(assert_cmd::cargo::cargo_bin("scoville"))
        .current_dir(dir.path())
        .args(["sandbox", "serve", "--port", "0"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let marker = dir.path().join(".scoville/sandbox-server.json");
    // Bounded wait for the server to announce itself (not a timing assertion).
    for _ in 0..200 {
        if marker.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(marker.exists(), "the server writes its marker");
    let acme = examples_acme();
    let refused = scoville(
        dir.path(),
        &[
            "apply",
            "--sandbox",
            "--auto-approve",
            acme.to_str().unwrap(),
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("--endpoint http://127.0.0.1:"),
        "{}",
        stderr(&refused)
    );

    // SIGTERM stops it cleanly: state saved, marker gone.
    let killed = std::process::Command::new("kill")
        .arg(server.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(server.wait().unwrap().success());
    assert!(!marker.exists());
    assert!(dir.path().join(".scoville/sandbox-state.json").exists());
}

/// Regression: two `apply --sandbox` in one folder each loaded the state, and the one that
/// saved last dropped the other's changes although both reported them done. The sandbox state
/// is now locked from load to save; a second command is refused and changes nothing.
#[test]
fn a_second_sandbox_command_in_one_folder_is_refused_while_the_first_holds_the_state() {
    let dir = tempfile::tempdir().unwrap();
    let acme = examples_acme();
    let acme = acme.to_str().unwrap();
    let state_file = dir.path().join(emulator::SANDBOX_STATE_FILE);
    let held = scoville::apply::lock::acquire(
        &scoville::apply::lock::state_file_lock_path(&state_file),
        "the sandbox state (held by this test)",
    )
    .unwrap();
    let refused = scoville(dir.path(), &["apply", "--sandbox", acme, "--auto-approve"]);
    assert_eq!(refused.status.code(), Some(1));
    let message = stderr(&refused);
    assert!(
        message.contains("another scoville command is writing to the sandbox state"),
        "{message}"
    );
    assert!(!state_file.exists(), "nothing was loaded or saved");
    drop(held);
    let applied = scoville(dir.path(), &["apply", "--sandbox", acme, "--auto-approve"]);
    assert_eq!(applied.status.code(), Some(0), "{}", stderr(&applied));
}

/// A second apply against one tenant on one machine is refused before it reads or writes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_apply_to_one_tenant_on_one_machine_is_refused() {
    let running = demo_emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let endpoint = running.base_url();
    let acme = examples_acme();
    let acme = acme.to_str().unwrap();
    let tenant = running
        .control()
        .state()
        .tenant
        .tenant_data()
        .tenant_id
        .clone();
    let parsed = scoville::edge::Endpoint::parse(&endpoint).unwrap();
    let held = scoville::apply::lock::acquire(
        &scoville::apply::lock::tenant_lock_path(parsed.as_str(), &tenant),
        "the org (held by this test)",
    )
    .unwrap();
    running.control().clear_journal();
    let refused = scoville_async(
        dir.path(),
        &["apply", acme, "--endpoint", &endpoint, "--auto-approve"],
    )
    .await;
    assert_eq!(refused.status.code(), Some(1), "{}", stdout(&refused));
    let message = stderr(&refused);
    assert!(
        message.contains(&format!(
            "another scoville command is writing to tenant `{tenant}`"
        )),
        "{message}"
    );
    let writes = writes(&running.control());
    assert!(writes.is_empty(), "nothing written: {writes:?}");
    drop(held);
    running.shutdown().await.unwrap();
}

/// A plan file whose execution order was edited by hand (a step left out of `phases`) is
/// refused before any write, not applied without that step.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_file_with_a_step_left_out_of_its_phases_is_refused_before_any_write() {
    let running = demo_emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let endpoint = running.base_url();
    let acme = examples_acme();
    let acme = acme.to_str().unwrap();
    let planned = scoville_async(
        dir.path(),
        &["plan", acme, "--endpoint", &endpoint, "--out", "plan.json"],
    )
    .await;
    assert_eq!(planned.status.code(), Some(0), "{}", stderr(&planned));
    // Edited by hand: the first step of the first phase is left out of the execution order,
    // although it stays among the steps (which alone match a fresh plan).
    let path = dir.path().join("plan.json");
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let phases = plan["phases"].as_array_mut().unwrap();
    let first = phases[0].as_array_mut().unwrap();
    assert!(!first.is_empty());
    first.remove(0);
    std::fs::write(&path, serde_json::to_string(&plan).unwrap()).unwrap();
    running.control().clear_journal();
    let refused = scoville_async(
        dir.path(),
        &[
            "apply",
            "plan.json",
            "--endpoint",
            &endpoint,
            "--auto-approve",
        ],
    )
    .await;
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(message.contains("execution order"), "{message}");
    let writes = writes(&running.control());
    assert!(writes.is_empty(), "nothing written: {writes:?}");
    running.shutdown().await.unwrap();
}

/// A plan printed with `--format json` (or saved by an older version) does not carry the
/// manifests it was made from, so it cannot be checked right before writing: refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_file_without_its_inputs_is_refused_before_any_write() {
    let running = demo_emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let endpoint = running.base_url();
    let acme = examples_acme();
    let acme = acme.to_str().unwrap();
    let printed = scoville_async(
        dir.path(),
        &["plan", acme, "--endpoint", &endpoint, "--format", "json"],
    )
    .await;
    assert_eq!(printed.status.code(), Some(0), "{}", stderr(&printed));
    // Text and Markdown plans skip fingerprinting; a JSON plan carries them.
    let json: serde_json::Value = serde_json::from_slice(&printed.stdout).unwrap();
    assert!(
        json["fingerprints"]
            .as_array()
            .is_some_and(|fingerprints| !fingerprints.is_empty()),
        "{json}"
    );
    std::fs::write(dir.path().join("plan.json"), &printed.stdout).unwrap();
    running.control().clear_journal();
    let refused = scoville_async(
        dir.path(),
        &[
            "apply",
            "plan.json",
            "--endpoint",
            &endpoint,
            "--auto-approve",
        ],
    )
    .await;
    assert_eq!(refused.status.code(), Some(1));
    let message = stderr(&refused);
    assert!(
        message.contains("does not carry the manifests it was made from"),
        "{message}"
    );
    let writes = writes(&running.control());
    assert!(writes.is_empty(), "nothing written: {writes:?}");
    running.shutdown().await.unwrap();
}
