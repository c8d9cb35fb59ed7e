//! The token never leaks: every command that talks to the API runs with a recognizable fake
//! token (accepted by the emulator, then rejected), and the token appears nowhere in standard
//! output, standard error or any file the commands write.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use scoville::emulator::{self, Options, Running, SeedToken};

/// Recognizable and obviously fake.
const PROBE_TOKEN: &str = "fake-leak-probe-token-5e3c9a71";
const REJECTED_TOKEN: &str = "fake-rejected-probe-token-77aa01";

async fn emulator_accepting_the_probe() -> Running {
    let mut seed = emulator::demo_seed();
    seed.tokens.push(SeedToken {
        id: "leak-probe".into(),
        secret: PROBE_TOKEN.into(),
        permissions: vec!["*".into()],
    });
    emulator::start(Options::new(seed))
        .await
        .expect("the emulator starts")
}

async fn run(dir: &Path, token: &str, args: Vec<String>) -> Output {
    let dir = dir.to_path_buf();
    let token = token.to_string();
    tokio::task::spawn_blocking(move || {
        Command::cargo_bin("scoville")
            .unwrap()
            .current_dir(&dir)
            .env("CHILI_PIPER_API_KEY", &token)
            .env("NO_COLOR", "1")
            .args(&args)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

fn assert_no_token(token: &str, what: &str, output: &Output) {
    for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(token),
            "{what}: the token leaked to {stream}:\n{text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_command_shows_or_writes_the_token() {
    let running = emulator_accepting_the_probe().await;
    let endpoint = running.base_url();
    let work = tempfile::tempdir().unwrap();
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let acme = acme.to_str().unwrap().to_string();
    let token_file = work.path().join("token.txt");
    let s = |items: &[&str]| items.iter().map(|i| i.to_string()).collect::<Vec<_>>();

    let accepted: Vec<(&str, Vec<String>, &[i32])> = vec![
        (
            "plan text",
            s(&["plan", &acme, "--endpoint", &endpoint, "--stats"]),
            &[0],
        ),
        (
            "plan json",
            s(&[
                "plan",
                &acme,
                "--endpoint",
                &endpoint,
                "--format",
                "json",
                "--out",
                "plan.json",
            ]),
            &[0],
        ),
        (
            "plan markdown",
            s(&[
                "plan",
                &acme,
                "--endpoint",
                &endpoint,
                "--format",
                "markdown",
            ]),
            &[0],
        ),
        (
            "drift before",
            s(&["drift", &acme, "--endpoint", &endpoint, "--format", "json"]),
            &[2],
        ),
        (
            "apply saved",
            s(&[
                "apply",
                "plan.json",
                "--endpoint",
                &endpoint,
                "--auto-approve",
                "--report",
                "report.json",
                "--stats",
            ]),
            &[0],
        ),
        (
            "apply",
            s(&["apply", &acme, "--endpoint", &endpoint, "--auto-approve"]),
            &[0],
        ),
        (
            "drift after",
            s(&[
                "drift",
                &acme,
                "--endpoint",
                &endpoint,
                "--format",
                "markdown",
            ]),
            &[0],
        ),
        (
            "export",
            s(&[
                "export",
                "--endpoint",
                &endpoint,
                "--out",
                "exported",
                "--stats",
            ]),
            &[0],
        ),
        ("validate", s(&["validate", "exported"]), &[0]),
    ];
    for (what, args, codes) in accepted {
        let output = run(work.path(), PROBE_TOKEN, args).await;
        assert!(
            output
                .status
                .code()
                .is_some_and(|code| codes.contains(&code)),
            "{what}: exit {:?}\n{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_no_token(PROBE_TOKEN, what, &output);
    }

    // The same token from a file, and a token the API rejects: the error says so, not what it was.
    std::fs::write(&token_file, format!("{REJECTED_TOKEN}\n")).unwrap();
    let token_file = token_file.to_str().unwrap().to_string();
    for (what, args) in [
        (
            "plan with a rejected token",
            s(&[
                "plan",
                &acme,
                "--endpoint",
                &endpoint,
                "--token-file",
                &token_file,
            ]),
        ),
        (
            "apply with a rejected token",
            s(&[
                "apply",
                &acme,
                "--endpoint",
                &endpoint,
                "--token-file",
                &token_file,
                "--auto-approve",
            ]),
        ),
        (
            "drift with a rejected token",
            s(&[
                "drift",
                &acme,
                "--endpoint",
                &endpoint,
                "--token-file",
                &token_file,
            ]),
        ),
        (
            "export with a rejected token",
            s(&[
                "export",
                "--endpoint",
                &endpoint,
                "--token-file",
                &token_file,
                "--out",
                "rejected",
            ]),
        ),
    ] {
        let output = run(work.path(), "unused-env-token", args).await;
        assert_eq!(output.status.code(), Some(1), "{what}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("did not accept the token"),
            "{what}"
        );
        assert_no_token(REJECTED_TOKEN, what, &output);
    }

    let written = files_under(work.path());
    assert!(
        written.iter().any(|p| p.ends_with("plan.json"))
            && written.iter().any(|p| p.ends_with("report.json"))
    );
    for path in written.iter().filter(|p| !p.ends_with("token.txt")) {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        assert!(
            !text.contains(PROBE_TOKEN) && !text.contains(REJECTED_TOKEN),
            "{} holds the token",
            path.display()
        );
    }
    let journal = serde_json::to_string(&running.control().journal()).unwrap();
    assert!(
        !journal.contains(PROBE_TOKEN),
        "the emulator's journal never records the token"
    );
    running.shutdown().await.unwrap();
}
