//! A server that misbehaves on purpose: the token in a field of the wrong type (in any case, or
//! in pieces), endless and oversized answers, an overstated total, a server that stalls,
//! `Retry-After` past the deadline, and a certificate nobody trusts. Each must end in a clear
//! error, quickly, with nothing leaked.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use scoville::edge::{
    ApiToken, ClientOptions, EdgeClient, EdgeError, Endpoint, LimitError, RetryPolicy,
};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::scripted::{FAKE_TOKEN, fast_retries};
use super::stub::{Reply, Stub};

fn client_with(base_url: &str, options: ClientOptions) -> EdgeClient {
    EdgeClient::new(
        Endpoint::parse(base_url).unwrap(),
        ApiToken::from_literal(FAKE_TOKEN).unwrap(),
        options,
    )
    .unwrap()
}

fn options() -> ClientOptions {
    ClientOptions {
        retry: fast_retries(),
        ..ClientOptions::default()
    }
}

/// Everything a person could see of an error.
fn shown(error: EdgeError) -> String {
    let plain = format!("{error}\n{error:?}");
    format!("{plain}\n{:#}", anyhow::Error::new(error))
}

/// The forms a hostile server can give the token in: as is, in other cases, and long pieces.
fn token_forms() -> Vec<String> {
    vec![
        FAKE_TOKEN.to_string(),
        FAKE_TOKEN.to_ascii_uppercase(),
        format!("x{}y", &FAKE_TOKEN[3..17]),
        FAKE_TOKEN.replace('-', "_").to_ascii_uppercase()[..12].to_string(),
    ]
}

fn assert_no_token_piece(text: &str) {
    let lower = text.to_ascii_lowercase();
    for start in 0..FAKE_TOKEN.len() - 10 {
        let piece = &FAKE_TOKEN[start..start + 10];
        assert!(
            !lower.contains(piece),
            "a piece of the token leaked: {text}"
        );
    }
}

/// Regression: a 200 answer with the token in a field of the wrong type was quoted by the
/// decode error (`invalid type: string "...", expected ...`) and printed.
#[tokio::test]
async fn a_decode_error_never_quotes_the_token_in_any_form() {
    for form in token_forms() {
        let echoed = form.clone();
        let stub = Stub::start(move |_, _| {
            Reply::Json(
                200,
                json!({"results": [{"id": 7, "name": echoed}], "total": echoed,
                       "page": 0, "pageSize": 100}),
            )
        })
        .await;
        let client = client_with(stub.base_url(), options());
        for error in [
            client.workspace_list().await.unwrap_err(),
            client.tenant_get().await.unwrap_err(),
        ] {
            assert!(matches!(error, EdgeError::Decode { .. }), "{error:?}");
            let text = shown(error);
            if form.len() >= 10 || form == FAKE_TOKEN {
                assert_no_token_piece(&text);
            }
        }
        // The same through the error bodies of every status class.
        let echoed = form.clone();
        let stub = Stub::start(move |_, n| {
            let status = [400, 404, 409, 500, 503][n % 5];
            Reply::Text(status, format!("bad token {echoed}"))
        })
        .await;
        let client = client_with(stub.base_url(), options());
        for _ in 0..5 {
            assert_no_token_piece(&shown(client.workspace_list().await.unwrap_err()));
        }
    }
}

/// A raw server: answers every connection with `head` and then `body_chunks` chunks of 64 KiB
/// (endless when `None`), counting connections.
async fn raw_server(head: &'static str, body_chunks: Option<usize>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 64 * 1024];
                let mut sent = 0;
                while body_chunks.is_none_or(|n| sent < n) {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                    sent += 1;
                }
            });
        }
    });
    (format!("http://{address}/api/fire-edge"), connections)
}

fn too_large(error: &EdgeError) -> bool {
    matches!(
        error,
        EdgeError::Limit {
            problem: LimitError::AnswerTooLarge { .. },
            ..
        }
    )
}

/// Regression: an endless 200 body grew memory until the request timeout.
#[tokio::test]
async fn an_endless_answer_is_cut_at_the_size_limit() {
    let (base_url, _) = raw_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n",
        None,
    )
    .await;
    let client = client_with(
        &base_url,
        ClientOptions {
            max_answer_bytes: 1024 * 1024,
            ..options()
        },
    );
    let started = Instant::now();
    let error = client.tenant_get().await.unwrap_err();
    assert!(too_large(&error), "{error:?}");
    assert!(
        error.to_string().contains("larger than 1048576 bytes"),
        "{error}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// Regression: a 300 MB page was read whole. A declared length past the limit is refused
/// before reading; sizes at the limit are read, one byte past is refused.
#[tokio::test]
async fn answer_sizes_at_and_past_the_limit() {
    let (declared, _) = raw_server(
        "HTTP/1.1 200 OK\r\ncontent-length: 314572800\r\nconnection: close\r\n\r\n",
        Some(1),
    )
    .await;
    let error = client_with(&declared, options())
        .tenant_get()
        .await
        .unwrap_err();
    assert!(too_large(&error), "{error:?}");

    let limit = 64;
    for (size, refused) in [(limit - 1, false), (limit, false), (limit + 1, true)] {
        let body = format!("{{\"x\":\"{}\"}}", "a".repeat(size - 8));
        assert_eq!(body.len(), size);
        let stub = Stub::start(move |_, _| Reply::Raw {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.clone(),
        })
        .await;
        let client = client_with(
            stub.base_url(),
            ClientOptions {
                max_answer_bytes: limit,
                ..options()
            },
        );
        let error = client.tenant_get().await.unwrap_err();
        assert_eq!(too_large(&error), refused, "{size} bytes: {error:?}");
    }
}

/// Regression: a server overstating `total` cost 10,008 requests before the error.
#[tokio::test]
async fn an_overstated_total_stops_the_sweep_at_the_first_short_page() {
    let stub = Stub::start(|request, _| {
        let page: u64 = request.query("page").unwrap().parse().unwrap();
        let ids: Vec<serde_json::Value> = if page == 0 {
            (0..100)
                .map(|n| {
                    json!({"id": format!("w-{n}"), "name": format!("W {n}"), "metadata": {
                        "createdAt": "c", "createdBy": "user/u", "updatedAt": "u",
                        "updatedBy": "user/u", "revision": 1}})
                })
                .collect()
        } else {
            Vec::new()
        };
        Reply::Json(
            200,
            json!({"results": ids, "total": 999_900, "page": page, "pageSize": 100}),
        )
    })
    .await;
    let client = client_with(
        stub.base_url(),
        ClientOptions {
            parallelism: 8,
            ..options()
        },
    );
    let error = client.workspace_list().await.unwrap_err();
    assert!(
        matches!(error, EdgeError::InconsistentPages { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("where 100 were due"), "{error}");
    // Page 0, then at most one round of the concurrency limit.
    let asked = stub.received().len();
    assert!(asked <= 1 + 2 * 8, "{asked} requests");
}

fn past_deadline(error: &EdgeError) -> bool {
    matches!(
        error,
        EdgeError::Limit {
            problem: LimitError::Deadline { .. },
            ..
        }
    )
}

/// Regression: a stalled server took 305 s to fail (5 attempts x 60 s). The overall deadline
/// ends it, and the slow wait is reported while it lasts.
#[tokio::test]
async fn a_stalled_server_ends_at_the_deadline_saying_what_it_waited_for() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let client = client_with(
        &format!("http://{address}/api/fire-edge"),
        ClientOptions {
            deadline: Duration::from_secs(1),
            ..options()
        },
    );
    let started = Instant::now();
    let error = client.tenant_get().await.unwrap_err();
    assert!(past_deadline(&error), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("1 s deadline"), "{message}");
    assert!(message.contains("the answer to tenant-get"), "{message}");
    assert!(message.contains("--timeout"), "{message}");
    assert!(started.elapsed() < Duration::from_secs(10));
    holder.abort();
}

/// Regression: `Retry-After: 120` made the client wait 240 s. A wait that would end past the
/// deadline is not started: the command fails at once saying why.
#[tokio::test]
async fn a_retry_after_past_the_deadline_fails_at_once() {
    for retry_after in ["120", "Wed, 21 Oct 2099 07:28:00 GMT"] {
        let stub = Stub::start(move |_, _| Reply::Raw {
            status: 503,
            headers: vec![("retry-after".into(), retry_after.into())],
            body: "busy".into(),
        })
        .await;
        let client = client_with(
            stub.base_url(),
            ClientOptions {
                deadline: Duration::from_secs(5),
                retry: RetryPolicy {
                    max_retry_after: Duration::from_secs(30),
                    ..fast_retries()
                },
                ..ClientOptions::default()
            },
        );
        let started = Instant::now();
        let error = client.tenant_get().await.unwrap_err();
        assert!(past_deadline(&error), "{retry_after}: {error:?}");
        assert!(
            error.to_string().contains("another try of tenant-get"),
            "{error}"
        );
        assert_eq!(stub.received().len(), 1);
        assert!(started.elapsed() < Duration::from_secs(4));
    }
}

/// Regression: a TLS certificate failure was retried five times and reported as "no answer
/// from the Edge API". It fails at the first attempt and says it is a certificate problem.
#[tokio::test]
async fn an_untrusted_certificate_fails_at_once_as_a_certificate_problem() {
    use tokio_rustls::rustls;
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![certified.cert.der().clone()], key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let handshakes = Arc::new(AtomicUsize::new(0));
    let counted = handshakes.clone();
    let server = tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let _ = acceptor.accept(socket).await;
            });
        }
    });
    let client = client_with(
        &format!("https://localhost:{port}/api/fire-edge"),
        ClientOptions {
            retry: RetryPolicy {
                max_attempts: 5,
                ..fast_retries()
            },
            ..ClientOptions::default()
        },
    );
    let error = client.tenant_get().await.unwrap_err();
    assert!(
        matches!(
            error,
            EdgeError::Limit {
                problem: LimitError::Certificate { .. },
                ..
            }
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("certificate problem"), "{message}");
    assert!(!message.contains("no answer"), "{message}");
    assert_eq!(handshakes.load(Ordering::SeqCst), 1, "not retried");
    server.abort();
}

/// Progress says what the client waits for: a retry's pause names the operation, why, and the
/// time left of the deadline.
#[tokio::test]
async fn a_long_wait_is_reported_with_what_it_waits_for() {
    let stub = Stub::start(|_, n| {
        if n == 0 {
            Reply::Raw {
                status: 503,
                headers: vec![("retry-after".into(), "1".into())],
                body: "busy".into(),
            }
        } else {
            Reply::Json(200, json!({"status": "ok"}))
        }
    })
    .await;
    let client = client_with(
        stub.base_url(),
        ClientOptions {
            deadline: Duration::from_secs(30),
            retry: RetryPolicy {
                max_retry_after: Duration::from_secs(5),
                ..fast_retries()
            },
            ..ClientOptions::default()
        },
    );
    let said = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = said.clone();
    client.set_wait_reporter(Box::new(move |phrase| {
        sink.lock().unwrap().push(phrase.to_string())
    }));
    client.health().await.unwrap();
    let said = said.lock().unwrap().clone();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].starts_with(
            "waiting 1 s before trying health-ping again (attempt 1 was answered 503)"
        ),
        "{}",
        said[0]
    );
    assert!(said[0].contains("of the 30 s deadline"), "{}", said[0]);
}

/// A write cut off by the deadline while its answer is awaited may have been done: it is
/// `OutcomeUnknown` (the applier reads back), never a plain failure.
#[tokio::test]
async fn a_write_cut_off_by_the_deadline_is_outcome_unknown() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let client = client_with(
        &format!("http://{address}/api/fire-edge"),
        ClientOptions {
            deadline: Duration::from_secs(1),
            ..options()
        },
    );
    let request = scoville::edge::wire::CreateTeamRequest {
        workspace_id: "w-1".into(),
        name: "t".into(),
        members: None,
    };
    let error = client.team_create(&request).await.unwrap_err();
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert!(error.to_string().contains("deadline"), "{error}");
    holder.abort();
}
