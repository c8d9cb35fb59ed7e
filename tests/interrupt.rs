//! An interrupted `scoville apply`, through the binary: SIGINT or SIGTERM part-way (against a
//! `sandbox serve` endpoint and with `--sandbox`) stops starting steps, lets the calls in flight
//! finish, writes the report, prints the summary and exits 130, and the next plan shows exactly
//! the steps that were not done. A second SIGINT aborts at once and keeps what was done.
//!
//! The emulator's injected latency keeps the apply in flight; the test waits for the apply's
//! own log lines on standard error (never for a duration) before it sends a signal.
#![cfg(unix)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use scoville::emulator::DEMO_ADMIN_TOKEN;

/// Bounds every wait for a line, so a broken build fails instead of hanging.
const LINE_TIMEOUT: Duration = Duration::from_secs(120);

/// New users the manifests invite (one step each, all in the first phase), on top of the
/// acme example's own changes.
const N_INVITES: usize = 24;

/// A copy of the acme example that also invites `N_INVITES` people with a license.
fn manifests(dir: &Path) -> PathBuf {
    let manifests = dir.join("manifests");
    std::fs::create_dir(&manifests).unwrap();
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    for entry in std::fs::read_dir(acme).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), manifests.join(entry.file_name())).unwrap();
    }
    let mut users = std::fs::OpenOptions::new()
        .append(true)
        .open(manifests.join("users.yaml"))
        .unwrap();
    for n in 1..=N_INVITES {
        write!(
            users,
            "  new{n:02}@acme.example:\n    name: New {n:02}\n    invite: true\n    licenses: [distro]\n"
        )
        .unwrap();
    }
    manifests
}

fn scoville(dir: &Path, env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scoville"));
    command
        .current_dir(dir)
        .env("CHILI_PIPER_API_KEY", DEMO_ADMIN_TOKEN)
        .env("NO_COLOR", "1")
        .env_remove("SCOVILLE_ENDPOINT")
        .env_remove("SCOVILLE_SANDBOX_FAULTS");
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

/// Forwards a child's output lines to a channel as they come.
fn lines_of(stream: impl Read + Send + 'static) -> Receiver<String> {
    let (send, receive) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

/// Waits for a line matching `wanted`; returns every line seen until then.
fn wait_for(lines: &Receiver<String>, mut wanted: impl FnMut(&str) -> bool) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        let line = lines
            .recv_timeout(LINE_TIMEOUT)
            .unwrap_or_else(|_| panic!("the expected line never came; saw:\n{}", seen.join("\n")));
        let found = wanted(&line);
        seen.push(line);
        if found {
            return seen;
        }
    }
}

fn signal(child: &Child, signal: i32) {
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: kill(2) with a live child's pid and a valid signal number has no memory effects.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "the signal is sent");
}

/// A running `scoville apply` with its output streams.
struct Apply {
    child: Child,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
}

fn start_apply(dir: &Path, connect: &[&str], env: &[(&str, &str)]) -> Apply {
    let manifests = manifests(dir);
    let mut child = scoville(dir, env)
        .args(["apply", manifests.to_str().unwrap(), "--auto-approve"])
        .args(["--parallelism", "2", "--report", "report.json"])
        .args(["--record", "record.json"])
        .args(connect)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = lines_of(child.stdout.take().unwrap());
    let stderr = lines_of(child.stderr.take().unwrap());
    Apply {
        child,
        stdout,
        stderr,
    }
}

fn rest(lines: &Receiver<String>) -> Vec<String> {
    let mut rest = Vec::new();
    while let Ok(line) = lines.recv_timeout(LINE_TIMEOUT) {
        rest.push(line);
    }
    rest
}

/// Interrupts `apply` with `sig` after `n_logged` finished steps, then checks the exit, the
/// summary, the report, that no record was written, and that the next plan (`plan_args`) is
/// exactly the steps that were not done.
fn interrupt_after(dir: &Path, mut apply: Apply, n_logged: usize, sig: i32, plan: &[&str]) {
    let mut n_seen = 0;
    wait_for(&apply.stderr, |line| {
        n_seen += usize::from(line.starts_with("apply: "));
        n_seen == n_logged
    });
    signal(&apply.child, sig);
    let status = apply.child.wait().unwrap();
    let stdout = rest(&apply.stdout).join("\n");
    let stderr = rest(&apply.stderr).join("\n");
    assert_eq!(status.code(), Some(130), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("interrupting: no new step starts"),
        "{stderr}"
    );

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["interrupted"], true);
    let steps = report["steps"].as_array().unwrap();
    let n_done = steps.iter().filter(|s| s["status"] == "done").count();
    let n_not_started = steps.iter().filter(|s| s["status"] == "notStarted").count();
    assert!(n_done >= n_logged, "{report:#}");
    assert!(
        n_not_started > 0,
        "interrupted too late to test anything: {report:#}"
    );
    assert_eq!(n_done + n_not_started, steps.len(), "{report:#}");
    let summary = format!(
        "interrupted: {n_done} done, {n_not_started} not started; plan again to see what is left"
    );
    assert!(stdout.contains(&summary), "{stdout}");
    // A record says the org is as the manifests say: a partial apply does not write one.
    assert!(!dir.join("record.json").exists());
    assert!(stderr.contains("not recording the apply"), "{stderr}");

    let left: BTreeSet<(String, String)> = steps
        .iter()
        .filter(|s| s["status"] != "done")
        .map(|s| {
            (
                s["op"].as_str().unwrap().into(),
                s["target"].as_str().unwrap().into(),
            )
        })
        .collect();
    let planned = scoville(dir, &[])
        .args(["plan", "manifests", "--format", "json"])
        .args(plan)
        .output()
        .unwrap();
    let planned: serde_json::Value = serde_json::from_slice(&planned.stdout).unwrap();
    let next: BTreeSet<(String, String)> = planned["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["op"].as_str().unwrap().into(),
                s["target"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(next, left, "the next plan is exactly what was not done");
}

/// `scoville sandbox serve` on a free port, with its state in `dir`.
struct Server {
    child: Child,
    base_url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path, latency_ms: u64) -> Server {
    let mut child = scoville(dir, &[])
        .args([
            "sandbox",
            "serve",
            "--port",
            "0",
            "--state",
            "serve-state.json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = lines_of(child.stdout.take().unwrap());
    let seen = wait_for(&stdout, |line| line.trim_start().starts_with("base URL"));
    let base_url = seen
        .last()
        .unwrap()
        .split_whitespace()
        .last()
        .unwrap()
        .to_string();
    let server = Server { child, base_url };
    // Keep draining its output so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in stdout.iter() {});
    put_faults(
        &server.base_url,
        &format!("{{\"latencyMs\": {latency_ms}}}"),
    );
    server
}

/// `PUT /_emulator/faults` over a plain loopback connection.
fn put_faults(base_url: &str, json: &str) {
    let address = base_url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap();
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "PUT /_emulator/faults HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{json}",
        json.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

const SANDBOX_LATENCY: &[(&str, &str)] = &[("SCOVILLE_SANDBOX_FAULTS", r#"{"latencyMs": 200}"#)];

#[test]
fn sigint_after_the_first_step_with_sandbox_reports_and_leaves_exactly_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let apply = start_apply(dir.path(), &["--sandbox"], SANDBOX_LATENCY);
    interrupt_after(dir.path(), apply, 1, libc::SIGINT, &["--sandbox"]);
}

#[test]
fn sigterm_mid_phase_with_sandbox_reports_and_leaves_exactly_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let apply = start_apply(dir.path(), &["--sandbox"], SANDBOX_LATENCY);
    interrupt_after(dir.path(), apply, 9, libc::SIGTERM, &["--sandbox"]);
}

#[test]
fn sigint_after_the_first_step_against_sandbox_serve_leaves_exactly_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), 200);
    let endpoint = ["--endpoint", server.base_url.as_str()];
    let apply = start_apply(dir.path(), &endpoint, &[]);
    interrupt_after(dir.path(), apply, 1, libc::SIGINT, &endpoint);
}

#[test]
fn sigterm_mid_phase_against_sandbox_serve_leaves_exactly_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), 200);
    let endpoint = ["--endpoint", server.base_url.as_str()];
    let apply = start_apply(dir.path(), &endpoint, &[]);
    interrupt_after(dir.path(), apply, 13, libc::SIGTERM, &endpoint);
}

#[test]
fn a_second_sigint_aborts_at_once_and_the_sandbox_keeps_what_was_done() {
    let dir = tempfile::tempdir().unwrap();
    let full = scoville(dir.path(), &[])
        .args(["plan", manifests(dir.path()).to_str().unwrap(), "--sandbox"])
        .args(["--format", "json"])
        .output()
        .unwrap();
    let full: serde_json::Value = serde_json::from_slice(&full.stdout).unwrap();
    let n_full = full["steps"].as_array().unwrap().len();
    std::fs::remove_dir_all(dir.path().join("manifests")).unwrap();

    // Calls slow enough that the ones in flight are still running at the second signal.
    let slow = [("SCOVILLE_SANDBOX_FAULTS", r#"{"latencyMs": 3000}"#)];
    let mut apply = start_apply(dir.path(), &["--sandbox"], &slow);
    wait_for(&apply.stderr, |line| line.starts_with("apply: "));
    signal(&apply.child, libc::SIGINT);
    wait_for(&apply.stderr, |line| line.starts_with("interrupting:"));
    signal(&apply.child, libc::SIGINT);
    let status = apply.child.wait().unwrap();
    let stdout = rest(&apply.stdout).join("\n");
    let stderr = rest(&apply.stderr).join("\n");
    assert_eq!(status.code(), Some(130), "{stdout}\n{stderr}");
    assert!(stderr.contains("aborted:"), "{stderr}");
    assert!(
        !stdout.contains("interrupted:"),
        "no summary after an abort: {stdout}"
    );

    // The step logged before the first signal was kept in the sandbox's state.
    let next = scoville(dir.path(), &[])
        .args(["plan", "manifests", "--sandbox", "--format", "json"])
        .output()
        .unwrap();
    let next: serde_json::Value = serde_json::from_slice(&next.stdout).unwrap();
    let n_next = next["steps"].as_array().unwrap().len();
    assert!(n_next < n_full, "{n_next} steps left of {n_full}");
    assert!(n_next > 0, "the abort came after the end");
}
