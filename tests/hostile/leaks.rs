//! The token never leaks, for every command and every way a hostile input can carry it: a
//! manifest linked to the process environment, a server echoing it in a field of the wrong
//! type or in an error body (in other cases, in pieces), and the token pasted by mistake as an
//! argument. And it never travels in the clear through a proxy.

use std::path::Path;
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use scoville::emulator::{self, Options, Running, SeedToken};
use serde_json::json;

use crate::stub::{Reply, Stub};

/// Recognizable and obviously fake.
const PROBE: &str = "fake-hostile-probe-token-3f9c2a7d41";

async fn emulator_accepting_the_probe() -> Running {
    let mut seed = emulator::demo_seed();
    seed.tokens.push(SeedToken {
        id: "hostile-probe".into(),
        secret: PROBE.into(),
        permissions: vec!["*".into()],
    });
    emulator::start(Options::new(seed)).await.unwrap()
}

async fn run(dir: &Path, env: Vec<(&'static str, String)>, args: Vec<String>) -> Output {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_scoville"));
        command
            .current_dir(&dir)
            .env("CHILI_PIPER_API_KEY", PROBE)
            .env("NO_COLOR", "1")
            .env("SCOVILLE_TIMEOUT", "20")
            .args(&args)
            .stdin(std::process::Stdio::null());
        for name in [
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
        ] {
            command.env_remove(name);
        }
        command.env_remove("all_proxy");
        command.env_remove("NO_PROXY");
        command.env_remove("no_proxy");
        command.env_remove("SCOVILLE_ENDPOINT");
        for (name, value) in env {
            command.env(name, value);
        }
        command.output().unwrap()
    })
    .await
    .unwrap()
}

/// No run of ten characters of the probe, in any case, on either stream.
fn assert_no_probe(what: &str, output: &Output) {
    for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
        for start in 0..=PROBE.len() - 10 {
            assert!(
                !text.contains(&PROBE[start..start + 10]),
                "{what}: the token leaked to {stream}:\n{text}"
            );
        }
    }
}

/// A copy of examples/acme, plus `x.yaml` linked to the process environment when `hostile`.
fn manifests(work: &Path, hostile: bool) -> String {
    let dir = work.join(if hostile { "hostile" } else { "acme" });
    std::fs::create_dir_all(&dir).unwrap();
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    for entry in std::fs::read_dir(acme).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    if hostile {
        std::os::unix::fs::symlink("/proc/self/environ", dir.join("x.yaml")).unwrap();
    }
    dir.to_string_lossy().into_owned()
}

/// Answers every request with 200 and the probe, upper-cased, where numbers are due.
async fn decode_stub() -> Stub {
    Stub::start(|_, _| {
        let shout = PROBE.to_ascii_uppercase();
        Reply::Json(
            200,
            json!({"type": "Organization", "tenantData": shout, "results": [{"id": 1,
                   "name": shout}], "total": shout, "page": 0, "pageSize": shout}),
        )
    })
    .await
}

/// Answers every request with an error whose body holds pieces of the probe.
async fn echo_stub() -> Stub {
    Stub::start(|_, n| {
        let status = [400, 401, 404, 409, 500][n % 5];
        Reply::Text(
            status,
            format!("you sent {} and {}", &PROBE[..14], &PROBE[12..]),
        )
    })
    .await
}

/// Regression (faults 1 and 2): every command x every leak path. The token is in the
/// environment of every run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_command_leaks_the_token_through_any_path() {
    let running = emulator_accepting_the_probe().await;
    let decode = decode_stub().await;
    let echo = echo_stub().await;
    let work = tempfile::tempdir().unwrap();
    let good = manifests(work.path(), false);
    let hostile = manifests(work.path(), true);
    let emulator = running.base_url();
    let out = |name: &str| work.path().join(name).to_string_lossy().into_owned();

    // (path, endpoint, manifests)
    let paths: Vec<(&str, String, String)> = vec![
        (
            "manifest linked to /proc/self/environ",
            emulator.clone(),
            hostile.clone(),
        ),
        (
            "token in a wrongly typed field",
            decode.base_url().to_string(),
            good.clone(),
        ),
        (
            "token in error bodies",
            echo.base_url().to_string(),
            good.clone(),
        ),
        (
            "token pasted as --endpoint",
            PROBE.to_string(),
            good.clone(),
        ),
        (
            "token in the endpoint host",
            format!("http://{PROBE}.example/x"),
            good.clone(),
        ),
        (
            "token pasted as the manifest path",
            emulator.clone(),
            PROBE.to_string(),
        ),
    ];
    let mut n_runs = 0;
    for (path, endpoint, dir) in &paths {
        let commands: Vec<Vec<String>> = vec![
            vec!["validate".into(), dir.clone()],
            vec!["plan".into(), dir.clone()],
            vec!["plan".into(), "--format".into(), "json".into(), dir.clone()],
            vec!["apply".into(), "--auto-approve".into(), dir.clone()],
            vec![
                "drift".into(),
                "--format".into(),
                "markdown".into(),
                dir.clone(),
            ],
            vec![
                "export".into(),
                "--out".into(),
                out(&format!("export-{n_runs}")),
            ],
        ];
        for mut args in commands {
            let command = args[0].clone();
            if command != "validate" {
                args.extend(["--endpoint".to_string(), endpoint.clone()]);
            }
            let output = run(work.path(), Vec::new(), args).await;
            n_runs += 1;
            assert_no_probe(&format!("{command} with {path}"), &output);
            if path.starts_with("manifest linked") && command != "export" {
                let stderr = String::from_utf8_lossy(&output.stderr);
                let stdout = String::from_utf8_lossy(&output.stdout);
                assert!(
                    stderr.contains("x.yaml") || stdout.contains("x.yaml"),
                    "{command}: the refused file is named:\n{stderr}"
                );
                assert_eq!(output.status.code(), Some(1), "{command}");
            }
        }
    }
    assert_eq!(n_runs, paths.len() * 6);
}

/// Regression (fault 3): with HTTP_PROXY and ALL_PROXY set, requests to the loopback emulator
/// went to the proxy, Authorization header included. No proxy is used for loopback.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_proxy_ever_sees_a_loopback_request() {
    let running = emulator_accepting_the_probe().await;
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    let proxy_task = tokio::spawn(async move {
        while let Ok((socket, _)) = proxy.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    let work = tempfile::tempdir().unwrap();
    let good = manifests(work.path(), false);
    let env = vec![
        ("HTTP_PROXY", proxy_url.clone()),
        ("http_proxy", proxy_url.clone()),
        ("HTTPS_PROXY", proxy_url.clone()),
        ("ALL_PROXY", proxy_url.clone()),
        ("all_proxy", proxy_url.clone()),
    ];
    for endpoint in [
        running.base_url(),
        running.base_url().replace("127.0.0.1", "localhost"),
    ] {
        let output = run(
            work.path(),
            env.clone(),
            vec![
                "plan".into(),
                good.clone(),
                "--endpoint".into(),
                endpoint.clone(),
            ],
        )
        .await;
        assert_eq!(
            output.status.code(),
            Some(0),
            "{endpoint}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(connections.load(Ordering::SeqCst), 0, "the proxy was used");
    proxy_task.abort();
}

/// Regression: a reminder body, a meeting type's invite title and a link name the server
/// answered with the token in them were redacted on standard output, but written as they were
/// into the saved plan (`plan --out`) and the exported manifests. Every file scoville writes
/// now has the token removed; the export still validates.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_echoed_in_booking_objects_is_in_no_file_written() {
    use scoville::edge::wire::ReminderTrigger;
    use scoville::emulator::{SeedLink, SeedMeetingType, SeedReminder};
    use scoville::model::{LinkKind, ReminderChannel, TriggerKind};

    let mut seed = emulator::demo_seed();
    seed.tokens.push(SeedToken {
        id: "hostile-probe".into(),
        secret: PROBE.into(),
        permissions: vec!["*".into()],
    });
    let sales = &mut seed.workspaces[0];
    sales.reminders = vec![SeedReminder {
        name: "Day before".into(),
        channel: ReminderChannel::Email,
        trigger: ReminderTrigger {
            kind: TriggerKind::BeforeMeeting,
            offset: Some("1 day".into()),
        },
        title: Some(format!("title {}", PROBE.to_ascii_uppercase())),
        body: format!("body {PROBE}"),
        send_to: None,
        send_from: None,
        sms_send_from: None,
    }];
    sales.meeting_types = vec![SeedMeetingType {
        name: "Demo".into(),
        duration: "30 minutes".into(),
        description: None,
        invite_title: Some(PROBE.into()),
        invite_description: None,
        status: None,
        location: None,
        buffers: None,
        meeting_limit: None,
        shared_with: None,
        reminders: vec!["Day before".into()],
    }];
    sales.scheduling_links = vec![SeedLink {
        kind: LinkKind::AdminOneOnOne,
        name: format!("Book {PROBE}"),
        slug: "demo".into(),
        meeting_types: vec!["Demo".into()],
        distributions: vec![],
        host: None,
        required: vec![],
        optional: vec![],
        ownership: None,
        distribution_host: None,
        booker_invitation: None,
        page_config: None,
        shared_with: None,
    }];
    let running = emulator::start(Options::new(seed)).await.unwrap();
    let work = tempfile::tempdir().unwrap();
    let acme = manifests(work.path(), false);
    // The manifests rename the link, so the plan quotes the live name.
    std::fs::write(
        Path::new(&acme).join("sales.yaml"),
        std::fs::read_to_string(Path::new(&acme).join("sales.yaml"))
            .unwrap()
            .replace("    schedulingLinks:\n      demo-sales:", "    schedulingLinks:\n      demo:\n        kind: admin-one-on-one\n        name: Book a demo\n        meetingTypes: [Demo]\n      demo-sales:")
            .replace("      Product Demo:\n", "      Demo:\n        duration: 30m\n      Product Demo:\n"),
    )
    .unwrap();
    let endpoint = running.base_url();
    let files = work.path().join("files");
    let at = |name: &str| files.join(name).to_string_lossy().into_owned();
    std::fs::create_dir(&files).unwrap();
    let runs: Vec<Vec<String>> = vec![
        vec!["plan".into(), acme.clone(), "--out".into(), at("plan.json")],
        vec!["export".into(), "--out".into(), at("export")],
    ];
    for mut args in runs {
        args.extend(["--endpoint".to_string(), endpoint.clone()]);
        let output = run(work.path(), Vec::new(), args.clone()).await;
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_no_probe(&args[0], &output);
    }
    let mut n_files = 0;
    let mut stack = vec![files.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            n_files += 1;
            let text = std::fs::read_to_string(&path).unwrap().to_ascii_lowercase();
            for start in 0..=PROBE.len() - 10 {
                assert!(
                    !text.contains(&PROBE[start..start + 10]),
                    "the token is in {}:\n{text}",
                    path.display()
                );
            }
        }
    }
    assert!(n_files >= 5, "{n_files} files");
    let exported = std::fs::read_to_string(files.join("export/sales.yaml")).unwrap();
    assert!(exported.contains("name: \"Book [redacted]\""), "{exported}");
    let validated = run(
        work.path(),
        Vec::new(),
        vec!["validate".into(), at("export")],
    )
    .await;
    assert!(
        validated.status.success(),
        "{}",
        String::from_utf8_lossy(&validated.stderr)
    );
}
