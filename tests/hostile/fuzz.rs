//! A bounded fuzz run of the manifest loader and of the client's decoding, in every
//! `cargo test`: random and mutated manifest sets, random and truncated answers. Zero panics,
//! no output over 10 MB, and no case over 5 s (a generous bound checked per case, not a
//! benchmark). Deterministic: the seed and case of a failure are printed, and
//! `SCOVILLE_FUZZ_SEED` replays it. `SCOVILLE_FUZZ_CASES` raises the number of cases for a
//! longer run (README, "Fuzzing").

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use scoville::edge::{ApiToken, ClientOptions, EdgeClient, Endpoint, RetryPolicy, wire};
use scoville::emulator::{self, DEMO_ADMIN_TOKEN, Options};
use scoville::manifest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Cases of each fuzz run in CI; `SCOVILLE_FUZZ_CASES` overrides it.
const DEFAULT_CASES: usize = 300;
const MAX_CASE_TIME: Duration = Duration::from_secs(5);
const MAX_OUTPUT_BYTES: usize = 10 * 1024 * 1024;
/// Put into answers by the client fuzz; must never come out.
const FUZZ_TOKEN: &str = "fake-fuzz-token-a81c44e09b2f";

fn n_cases() -> usize {
    std::env::var("SCOVILLE_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

fn base_seed() -> u64 {
    std::env::var("SCOVILLE_FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0x5c0f_f1e5)
}

/// SplitMix64: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces of YAML that parsers and decoders trip on.
const YAML_PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ": ",
    "- ",
    "-",
    ",",
    "&a ",
    "*a",
    "*b",
    "!!binary ",
    "!!map ",
    "!custom ",
    "\t",
    "\u{feff}",
    "~",
    "<<: *a",
    "'",
    "\"",
    "\n  ",
    "\n",
    "null",
    "true",
    "NO",
    "99999999999999999999999999",
    "-1",
    "1e400",
    ".nan",
    "? ",
    "|\n  ",
    ">-\n  ",
    "%YAML 1.2\n",
    "---\n",
    "...\n",
    "#",
    "\u{202e}",
    "\u{0}",
    "\u{7}",
    "é",
    "🌶",
    "weights:",
    "members:",
    "teams:",
    "users:",
    "workspaces:",
    "org:",
    "all:",
    "any:",
    "licenses:",
    "distributions:",
];

fn mutate_text(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(9) {
            0 => {
                if !bytes.is_empty() {
                    let i = rng.below(bytes.len());
                    bytes[i] = rng.next() as u8;
                }
            }
            1 | 2 => {
                let piece = rng.pick(YAML_PIECES).as_bytes().to_vec();
                bytes.splice(at..at, piece);
            }
            3 => {
                let end = (at + rng.below(200)).min(bytes.len());
                bytes.drain(at..end);
            }
            4 => {
                let end = (at + rng.below(400)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, copy);
            }
            5 => bytes.truncate(at),
            6 => {
                let depth = 1 + rng.below(300);
                let nest = format!("{}{}", "[".repeat(depth), "]".repeat(rng.below(depth + 1)));
                bytes.splice(at..at, nest.into_bytes());
            }
            7 => {
                let long = "x".repeat(rng.below(200_000));
                bytes.splice(at..at, long.into_bytes());
            }
            _ => {
                let n = rng.below(64);
                let noise: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                bytes.splice(at..at, noise);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Documents built to be expensive: alias fan-out, deep nesting, thousands of problems.
fn pathological(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => {
            let mut doc = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
            for level in 0..12 {
                let name = format!("l{level}");
                let previous = if level == 0 {
                    "a".to_string()
                } else {
                    format!("l{}", level - 1)
                };
                doc.push_str(&format!(
                    "{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}]\n"
                ));
            }
            doc.push_str("users: *l11\n");
            doc
        }
        1 => format!("users: {}\n", "[".repeat(5_000 + rng.below(50_000))),
        2 => {
            let n = 1 + rng.below(30_000);
            let items: Vec<String> = (0..n).map(|i| format!("bad{i}")).collect();
            format!(
                "users: {{a@acme.example: {{name: A, licenses: [{}]}}}}\n",
                items.join(", ")
            )
        }
        _ => {
            let n = 1 + rng.below(5_000);
            (0..n).map(|i| format!("k{i}: v\n")).collect()
        }
    }
}

fn acme() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// One loader case: a manifest set, mutated or generated.
fn manifest_case(rng: &mut Rng, base: &[(String, String)]) -> Vec<(String, String)> {
    let mut files = base.to_vec();
    match rng.below(10) {
        0 => {
            let n = rng.below(4096);
            let noise: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            vec![(
                "random.yaml".into(),
                String::from_utf8_lossy(&noise).into_owned(),
            )]
        }
        1 => {
            files.push(("bomb.yaml".into(), pathological(rng)));
            files
        }
        2 => {
            let a = rng.below(files.len());
            let b = rng.below(files.len());
            let text = files[b].1.clone();
            files[a].1 = text;
            files
        }
        _ => {
            for _ in 0..1 + rng.below(3) {
                let i = rng.below(files.len());
                files[i].1 = mutate_text(rng, &files[i].1);
            }
            files
        }
    }
}

fn check_case<T>(
    what: &str,
    seed: u64,
    case: usize,
    slowest: &mut (Duration, usize),
    run: impl FnOnce() -> T,
) -> T {
    let started = Instant::now();
    let result = std::panic::catch_unwind(AssertUnwindSafe(run));
    let elapsed = started.elapsed();
    if elapsed > slowest.0 {
        *slowest = (elapsed, case);
    }
    let value = result.unwrap_or_else(|_| {
        panic!("{what}: case {case} panicked (replay: SCOVILLE_FUZZ_SEED={seed})")
    });
    assert!(
        elapsed < MAX_CASE_TIME,
        "{what}: case {case} took {elapsed:?} (replay: SCOVILLE_FUZZ_SEED={seed})"
    );
    value
}

/// Random and mutated manifest sets through the loader and all three diagnostic renderings.
#[test]
fn fuzz_the_manifest_loader() {
    let base = acme();
    let seed = base_seed();
    let mut rng = Rng(seed);
    let mut n_rejected = 0;
    let mut slowest = (Duration::ZERO, 0);
    let only: Option<usize> = std::env::var("SCOVILLE_FUZZ_CASE")
        .ok()
        .and_then(|n| n.parse().ok());
    for case in 0..n_cases() {
        let files = manifest_case(&mut rng, &base);
        if only.is_some_and(|only| only != case) {
            continue;
        }
        if only.is_some() {
            for (name, text) in &files {
                let _ =
                    std::fs::write(std::env::temp_dir().join(format!("fuzz-case-{name}")), text);
            }
        }
        let outputs = check_case(
            "loader",
            seed,
            case,
            &mut slowest,
            || match manifest::load_texts(&files) {
                Ok(_) => Vec::new(),
                Err(diagnostics) => vec![
                    diagnostics.render_text(),
                    diagnostics.render_github(),
                    diagnostics.render_json(),
                ],
            },
        );
        if !outputs.is_empty() {
            n_rejected += 1;
        }
        for output in outputs {
            assert!(
                output.len() <= MAX_OUTPUT_BYTES,
                "loader: case {case} printed {} bytes (replay: SCOVILLE_FUZZ_SEED={seed})",
                output.len()
            );
        }
    }
    assert!(n_rejected > 0, "the mutations reach the error paths");
    eprintln!(
        "loader fuzz: {} cases, {n_rejected} refused, slowest {:?} (case {})",
        n_cases(),
        slowest.0,
        slowest.1
    );
}

/// A server that answers every request with the current case's bytes, then closes.
async fn answering_server(answer: Arc<Mutex<Vec<u8>>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let answer = answer.lock().unwrap().clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut chunk = [0u8; 4096];
                // The head, then as much body as it declares (the client's bodies are small).
                loop {
                    let Ok(n) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    request.extend_from_slice(&chunk[..n]);
                    if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
                        let length: usize = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse().ok())
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                let _ = socket.write_all(&answer).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{address}/api/fire-edge")
}

/// Real answers of the emulator, to mutate.
async fn real_answers() -> Vec<String> {
    let running = emulator::start(Options::new(emulator::demo_seed()))
        .await
        .unwrap();
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let base = running.base_url();
    let mut answers = Vec::new();
    for (method, path, body) in [
        ("GET", "/v1/org/tenant/get", None),
        ("GET", "/v1/org/workspace?page=0&pageSize=100", None),
        ("GET", "/v1/org/workspace/users?page=0&pageSize=100", None),
        ("PUT", "/v2/org/team", Some("{\"page\":0,\"pageSize\":100}")),
        (
            "PUT",
            "/v2/org/distribution/list",
            Some("{\"page\":0,\"pageSize\":100}"),
        ),
        ("GET", "/v1/org/rule/list?page=0&pageSize=100", None),
    ] {
        let mut request = http
            .request(method.parse().unwrap(), format!("{base}{path}"))
            .bearer_auth(DEMO_ADMIN_TOKEN);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        answers.push(request.send().await.unwrap().text().await.unwrap());
    }
    answers
}

/// Replaces one random node of a JSON value with something hostile.
fn poison(rng: &mut Rng, value: &mut serde_json::Value) {
    use serde_json::Value;
    let hostile = |rng: &mut Rng| -> Value {
        match rng.below(8) {
            0 => Value::String(FUZZ_TOKEN.to_string()),
            1 => Value::String(FUZZ_TOKEN.to_ascii_uppercase()),
            2 => serde_json::json!(u64::MAX),
            3 => serde_json::json!(-1),
            4 => Value::Null,
            5 => serde_json::json!([[[[[[[[[[]]]]]]]]]]),
            6 => serde_json::json!({"type": "Unknown", "x": FUZZ_TOKEN}),
            _ => Value::String("é".repeat(rng.below(5000))),
        }
    };
    let mut node = value;
    for _ in 0..rng.below(6) {
        let next_index = match node {
            Value::Array(items) if !items.is_empty() => Some(rng.below(items.len())),
            Value::Object(fields) if !fields.is_empty() => Some(rng.below(fields.len())),
            _ => None,
        };
        let Some(index) = next_index else { break };
        node = match node {
            Value::Array(items) => &mut items[index],
            Value::Object(fields) => fields.values_mut().nth(index).unwrap(),
            _ => unreachable!(),
        };
    }
    *node = hostile(rng);
}

/// One client case: a whole raw HTTP answer, possibly truncated.
fn answer_case(rng: &mut Rng, real: &[String]) -> Vec<u8> {
    let body = match rng.below(6) {
        0 => {
            let n = rng.below(2048);
            String::from_utf8_lossy(&(0..n).map(|_| rng.next() as u8).collect::<Vec<_>>())
                .into_owned()
        }
        1 => {
            let original = rng_pick_owned(rng, real);
            mutate_text(rng, original)
        }
        _ => {
            let mut value: serde_json::Value =
                serde_json::from_str(rng_pick_owned(rng, real)).unwrap();
            for _ in 0..1 + rng.below(3) {
                poison(rng, &mut value);
            }
            value.to_string()
        }
    };
    let status = *rng.pick(&[
        200, 200, 200, 200, 400, 401, 403, 404, 409, 429, 500, 502, 503,
    ]);
    let mut head = format!("HTTP/1.1 {status} Fuzz\r\nconnection: close\r\n");
    if rng.below(4) == 0 {
        head.push_str(&format!(
            "retry-after: {}\r\n",
            rng.pick(&["1", "0", "999999", "Wed, 21 Oct 2015 07:28:00 GMT", "x"])
        ));
    }
    if rng.below(5) > 0 {
        head.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    head.push_str("content-type: application/json\r\n\r\n");
    let mut answer = head.into_bytes();
    answer.extend_from_slice(body.as_bytes());
    if rng.below(4) == 0 {
        let keep = rng.below(answer.len() + 1);
        answer.truncate(keep);
    }
    answer
}

fn rng_pick_owned<'a>(rng: &mut Rng, items: &'a [String]) -> &'a str {
    &items[rng.below(items.len())]
}

/// Random and truncated answers through the real client's calls and decoding.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_the_client_decoding() {
    let real = real_answers().await;
    let answer = Arc::new(Mutex::new(Vec::new()));
    let base_url = answering_server(answer.clone()).await;
    let client = EdgeClient::new(
        Endpoint::parse(&base_url).unwrap(),
        ApiToken::from_literal(FUZZ_TOKEN).unwrap(),
        ClientOptions {
            retry: RetryPolicy {
                max_attempts: 2,
                min_delay: Duration::from_millis(1),
                max_delay: Duration::from_millis(2),
                max_retry_after: Duration::from_millis(5),
                jitter_seed: Some(3),
            },
            request_timeout: Duration::from_secs(3),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let seed = base_seed();
    let mut rng = Rng(seed ^ 0xC11E);
    let mut slowest = Duration::ZERO;
    for case in 0..n_cases() {
        *answer.lock().unwrap() = answer_case(&mut rng, &real);
        client.restart_deadline();
        let operation = rng.below(7);
        let client = client.clone();
        let started = Instant::now();
        let outcome = tokio::spawn(async move {
            let shown = |result: Result<String, scoville::edge::EdgeError>| match result {
                Ok(debug) => debug,
                Err(error) => {
                    let plain = error.to_string();
                    format!("{plain}\n{:#}", anyhow::Error::new(error))
                }
            };
            match operation {
                0 => shown(client.tenant_get().await.map(|v| format!("{v:?}"))),
                1 => shown(client.workspace_list().await.map(|v| format!("{v:?}"))),
                2 => shown(client.user_find("a").await.map(|v| format!("{v:?}"))),
                3 => shown(
                    client
                        .team_list(&wire::TeamListRequest::default())
                        .await
                        .map(|v| format!("{v:?}")),
                ),
                4 => shown(
                    client
                        .distribution_list(&wire::DistributionListRequest::default())
                        .await
                        .map(|v| format!("{v:?}")),
                ),
                5 => shown(client.rule_list(None, None).await.map(|v| format!("{v:?}"))),
                _ => shown(
                    client
                        .distribution_settings_get("w-1")
                        .await
                        .map(|v| format!("{v:?}")),
                ),
            }
        })
        .await;
        let elapsed = started.elapsed();
        slowest = slowest.max(elapsed);
        let shown = outcome.unwrap_or_else(|_| {
            panic!("client: case {case} panicked (replay: SCOVILLE_FUZZ_SEED={seed})")
        });
        assert!(
            elapsed < MAX_CASE_TIME,
            "client: case {case} took {elapsed:?} (replay: SCOVILLE_FUZZ_SEED={seed})"
        );
        assert!(
            shown.len() <= MAX_OUTPUT_BYTES,
            "client: case {case}: {} bytes",
            shown.len()
        );
        // A decoded value may hold what the server sent; an error message must not.
        if shown.contains("Edge API") {
            assert!(
                !shown.to_ascii_lowercase().contains(&FUZZ_TOKEN[..12]),
                "client: case {case} leaked the token: {shown}"
            );
        }
    }
    eprintln!("client fuzz: {} cases, slowest {slowest:?}", n_cases());
}
