//! `--trace-http`: the trace holds every exchange with its shape (keys, ids, numbers), and
//! never the token, an email or a person's name: through the real client against the real
//! emulator, and through the binary across plan, apply, drift, export and doctor.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;

use scoville::edge::trace::HttpTrace;
use scoville::edge::{ApiToken, ClientOptions, EdgeClient, EdgeError, Endpoint, wire};
use scoville::emulator::{self, Options, Running, SeedToken, SeedUser};
use scoville::live::{self, Scope};
use serde_json::Value;

/// Recognizable and obviously fake.
const PROBE_TOKEN: &str = "fake-trace-probe-token-0c4d2e";

/// A person the trace must not reveal: in the seed, so in every user sweep, and searched for
/// by name (a personal query string).
const SEEDED_EMAIL: &str = "imogen.tracewell@acme.example";
const SEEDED_NAME: &str = "Imogen Tracewell";
/// A person only the client mentions (an invitation).
const INVITED_EMAIL: &str = "quentin.probe@newhire.example";
const INVITED_NAME: &str = "Quentin Probe";

async fn start() -> Running {
    let mut seed = emulator::demo_seed();
    seed.tokens.push(SeedToken {
        id: "trace-probe".into(),
        secret: PROBE_TOKEN.into(),
        permissions: vec!["*".into()],
    });
    seed.users.push(SeedUser {
        name: SEEDED_NAME.into(),
        email: SEEDED_EMAIL.into(),
        super_admin: false,
        licenses: Vec::new(),
        personal_workspace: None,
    });
    emulator::start(Options::new(seed))
        .await
        .expect("the emulator starts")
}

/// Every email and name of the seeded org, plus the probes: none may be in a trace.
fn personal_strings(running: &Running) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for user in &running.control().seed().users {
        out.insert(user.email.clone());
        out.insert(user.email.to_uppercase());
        out.insert(user.name.clone());
    }
    for extra in [INVITED_EMAIL, INVITED_NAME] {
        out.insert(extra.to_string());
    }
    // The people the example manifests invite.
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    for entry in std::fs::read_dir(acme).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        for word in text.split(|c: char| c.is_whitespace() || "\"',:[]{}".contains(c)) {
            if word.contains('@') && word.contains('.') {
                out.insert(word.to_string());
            }
        }
    }
    out
}

/// The trace's lines, each checked to be one complete JSON object.
fn read_lines(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("the trace exists");
    assert!(
        text.ends_with('\n'),
        "the trace ends with a complete line: {text}"
    );
    text.lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("each line is JSON"))
        .collect()
}

fn assert_nothing_personal(text: &str, personal: &BTreeSet<String>) {
    assert!(!text.contains(PROBE_TOKEN), "the token is in the trace");
    for needle in personal {
        assert!(
            !text.contains(needle.as_str()),
            "`{needle}` is in the trace"
        );
    }
}

#[cfg(unix)]
fn assert_private(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the trace is readable by others");
}
#[cfg(not(unix))]
fn assert_private(_: &Path) {}

#[tokio::test]
async fn the_client_traces_every_exchange_without_the_token_or_people() {
    let running = start().await;
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("trace.jsonl");
    // An existing, world-readable file is truncated and narrowed.
    std::fs::write(&path, "old contents\n").unwrap();
    let client = EdgeClient::new_traced(
        Endpoint::parse(&running.base_url()).unwrap(),
        ApiToken::from_literal(PROBE_TOKEN).unwrap(),
        ClientOptions::default(),
        Some(HttpTrace::create(&path).unwrap()),
    )
    .unwrap();

    let parts = live::fetch_parts(&client, &Scope::everything_with_settings())
        .await
        .unwrap();
    let found = client.user_find(SEEDED_NAME).await.unwrap();
    assert_eq!(found.len(), 1);
    let invite = wire::InviteUserRequest {
        email: INVITED_EMAIL.into(),
        name: Some(INVITED_NAME.into()),
        workspace_ids: None,
        send_invite: Some(true),
    };
    let invited = client.user_invite(&invite).await.unwrap();
    // The second invitation is refused with a message and arguments naming the email.
    let again = client.user_invite(&invite).await.unwrap_err();
    assert!(matches!(again, EdgeError::Conflict { .. }), "{again:?}");
    let n_lines = client.trace().unwrap().finish().unwrap();

    assert_private(&path);
    let lines = read_lines(&path);
    assert_eq!(lines.len() as u64, n_lines);
    let journal = running.control().journal();
    assert_eq!(lines.len(), journal.len(), "one line per request sent");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("old contents"));
    assert_nothing_personal(&text, &personal_strings(&running));

    // Shapes stay: every line names its operation, method, path, status and timing, and the
    // ids and numbers of the org are there.
    for line in &lines {
        for key in ["seq", "op", "method", "path", "attempt", "ms", "status"] {
            assert!(line.get(key).is_some(), "`{key}` missing in {line}");
        }
        assert!(line["ms"].as_f64().unwrap() >= 0.0);
    }
    for user in &parts.users {
        assert!(text.contains(&user.id), "user id {} is gone", user.id);
    }
    assert!(text.contains(&invited.id));
    assert!(text.contains(r#""pageSize":"#), "page sizes are kept");
    let conflict = lines.last().unwrap();
    assert_eq!(conflict["status"], 409);
    assert_eq!(conflict["response"]["errorCode"], "AlreadyExists");

    // The same person keeps one placeholder throughout: the invitation's email in the request,
    // the answer and the refusal.
    let placeholder = lines
        .iter()
        .find(|line| line["op"] == "user-invite")
        .map(|line| line["request"]["email"].as_str().unwrap().to_string())
        .unwrap();
    assert!(placeholder.ends_with("@scrubbed.example"), "{placeholder}");
    assert_eq!(conflict["request"]["email"], placeholder.as_str());
    assert_eq!(
        conflict["response"]["arguments"]["email"],
        placeholder.as_str()
    );
    let search = lines.iter().find(|line| line["op"] == "user-find").unwrap();
    let searched_name = search["response"]["results"][0]["name"].as_str().unwrap();
    assert!(
        search["path"]
            .as_str()
            .unwrap()
            .contains(&searched_name.replace(' ', "+")),
        "the search and the user found share a placeholder: {search}"
    );
}

/// Runs the binary off the async runtime, so the emulator keeps serving.
async fn scoville(directory: &Path, args: Vec<String>) -> Output {
    let directory = directory.to_path_buf();
    tokio::task::spawn_blocking(move || {
        assert_cmd::Command::new(env!("CARGO_BIN_EXE_scoville"))
            .current_dir(&directory)
            .args(&args)
            .env("CHILI_PIPER_API_KEY", PROBE_TOKEN)
            .env_remove("SCOVILLE_ENDPOINT")
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_writes_a_scrubbed_trace() {
    let running = start().await;
    let url = running.base_url();
    let directory = tempfile::tempdir().unwrap();
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let acme = acme.to_str().unwrap();
    let personal = personal_strings(&running);
    let user_ids: Vec<String> = running.control().state().users.keys().cloned().collect();

    let commands: Vec<(&str, Vec<&str>)> = vec![
        ("plan", vec!["plan", acme]),
        ("apply", vec!["apply", acme, "--auto-approve"]),
        ("drift", vec!["drift", acme]),
        ("export", vec!["export", "--out", "exported"]),
        ("doctor", vec!["doctor", acme]),
    ];
    let mut per_command = BTreeMap::new();
    for (name, mut args) in commands {
        let trace = format!("{name}.jsonl");
        args.extend(["--endpoint", &url, "--trace-http", &trace]);
        let args = args.iter().map(|arg| arg.to_string()).collect();
        running.control().clear_journal();
        let output = scoville(directory.path(), args).await;
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            output.status.success(),
            "{name} failed: {stderr}{}",
            String::from_utf8_lossy(&output.stdout)
        );
        assert!(stderr.contains("HTTP exchanges to"), "{name}: {stderr}");
        let path = directory.path().join(&trace);
        assert_private(&path);
        let lines = read_lines(&path);
        assert_eq!(
            lines.len(),
            running.control().journal().len(),
            "{name}: one line per request the emulator saw"
        );
        assert_nothing_personal(&std::fs::read_to_string(&path).unwrap(), &personal);
        per_command.insert(name, lines);
    }
    // Shapes stay: every user id of the org is in the plan's trace, and the page numbers.
    let plan_trace = per_command["plan"]
        .iter()
        .map(Value::to_string)
        .collect::<String>();
    for user_id in &user_ids {
        assert!(
            plan_trace.contains(user_id.as_str()),
            "user id {user_id} is gone"
        );
    }
    assert!(plan_trace.contains(r#""total":"#), "{plan_trace}");
    // The apply's writes are in its trace, with their bodies' shapes.
    let apply_ops: BTreeSet<&str> = per_command["apply"]
        .iter()
        .map(|line| line["op"].as_str().unwrap())
        .collect();
    for op in ["user-invite", "team-create", "user-update-licenses"] {
        assert!(apply_ops.contains(op), "{op} missing from {apply_ops:?}");
    }
    let invite = per_command["apply"]
        .iter()
        .find(|line| line["op"] == "user-invite")
        .unwrap();
    assert!(
        invite["request"]["email"]
            .as_str()
            .unwrap()
            .ends_with("@scrubbed.example")
    );
}

#[tokio::test]
async fn a_retried_request_has_one_line_per_attempt_and_a_lost_answer_says_why() {
    let running = start().await;
    running.control().set_faults(emulator::FaultConfig {
        operations: vec!["tenant-get".into()],
        script: vec![emulator::Fault::Drop, emulator::Fault::Error503],
        ..emulator::FaultConfig::default()
    });
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("trace.jsonl");
    let client = EdgeClient::new_traced(
        Endpoint::parse(&running.base_url()).unwrap(),
        ApiToken::from_literal(PROBE_TOKEN).unwrap(),
        ClientOptions {
            retry: scoville::edge::RetryPolicy {
                max_attempts: 3,
                min_delay: std::time::Duration::from_millis(1),
                max_delay: std::time::Duration::from_millis(2),
                max_retry_after: std::time::Duration::from_millis(5),
                jitter_seed: Some(7),
            },
            ..ClientOptions::default()
        },
        Some(HttpTrace::create(&path).unwrap()),
    )
    .unwrap();
    client.tenant_get().await.unwrap();
    assert_eq!(client.trace().unwrap().finish().unwrap(), 3);
    let lines = read_lines(&path);
    let summary: Vec<(u64, Value)> = lines
        .iter()
        .map(|line| (line["attempt"].as_u64().unwrap(), line["status"].clone()))
        .collect();
    assert_eq!(
        summary,
        [(1, Value::Null), (2, 503.into()), (3, 200.into())],
        "{lines:?}"
    );
    assert_eq!(
        lines[0]["error"], "the connection ended before the answer",
        "{lines:?}"
    );
    assert!(lines[2]["response"]["tenantData"].is_object());
}
