//! `--trace-http FILE`: every request the client sends and every answer it gets, one JSON line
//! each, with the token and personal data replaced (`scrub`), for a bug report.
//!
//! One line per attempt (a retried request has one line per try), written with a single
//! `write` of the whole line under a lock, so lines never interleave and a reader never sees a
//! torn one while the command runs. The file is created with owner-only permissions (0600 on
//! Unix) and truncated when it exists. The shape of a line (`docs/trace-http.md`):
//!
//! ```json
//! {"seq":1,"op":"team-create","method":"POST","path":"/v2/org/team/create","attempt":1,
//!  "ms":12.5,"status":200,"request":{...},"responseContentType":"application/json",
//!  "response":{...}}
//! ```
//!
//! `path` is relative to the base URL, with the query. Bodies are JSON when they parse as JSON,
//! otherwise text; `status` is `null` and `error` says why when no answer came.

pub mod scrub;

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;

use super::secret::ApiToken;
use scrub::Scrubber;

/// Why a trace file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    #[error("cannot create the HTTP trace file {}: {source}; choose a writable path for --trace-http", path.display())]
    Create {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write to the HTTP trace file {} (the trace is incomplete): {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What one attempt of one request was, as the client saw it. Bodies are the raw bytes.
#[derive(Debug)]
pub struct Exchange<'a> {
    /// Operation id (`ops.rs`).
    pub op: &'a str,
    pub method: &'a str,
    /// The full URL sent; made relative to `base` for the trace.
    pub url: &'a reqwest::Url,
    /// 1 for the first try.
    pub attempt: u32,
    /// From sending the request to the last byte of the answer, in milliseconds.
    pub millis: f64,
    pub request_body: Option<&'a [u8]>,
    pub answer: Answer<'a>,
}

/// The answer to one attempt.
#[derive(Debug)]
pub enum Answer<'a> {
    Status {
        status: u16,
        content_type: Option<&'a str>,
        body: &'a [u8],
    },
    /// No status line, or the body broke off: why, in words (no URL, no server text).
    None { reason: &'a str },
}

/// An open trace: the file, the placeholders given so far, and the count of lines.
#[derive(Debug)]
pub struct HttpTrace {
    path: PathBuf,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    file: File,
    scrubber: Scrubber,
    n_lines: u64,
    /// The first write error: later lines are dropped and `finish` reports it.
    failed: Option<std::io::Error>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Line<'a> {
    seq: u64,
    op: &'a str,
    method: &'a str,
    path: String,
    attempt: u32,
    ms: f64,
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_content_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

impl HttpTrace {
    /// Creates (or truncates) `path` with owner-only permissions. A symbolic link at `path` is
    /// refused, not followed: a link planted in a checkout must not make the trace overwrite
    /// (and narrow the permissions of) the file it points to.
    pub fn create(path: &Path) -> Result<HttpTrace, TraceError> {
        let create_error = |source| TraceError::Create {
            path: path.to_path_buf(),
            source,
        };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        let file = options.open(path).map_err(create_error)?;
        // The mode above applies only to a new file; an existing one is narrowed too.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(create_error)?;
        }
        Ok(HttpTrace {
            path: path.to_path_buf(),
            state: Mutex::new(State {
                file,
                scrubber: Scrubber::default(),
                n_lines: 0,
                failed: None,
            }),
        })
    }

    /// Where the trace is written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Scrubs `exchange` and appends it as one line. `base` is the endpoint's base URL (the
    /// trace shows paths relative to it); `token` is replaced wherever it appears.
    pub fn record(&self, base: &str, token: &ApiToken, exchange: &Exchange<'_>) {
        let mut guard = self
            .state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let state = &mut *guard;
        if state.failed.is_some() {
            return;
        }
        let request = exchange.request_body.map(parse_body);
        let (status, content_type, response) = match &exchange.answer {
            Answer::Status {
                status,
                content_type,
                body,
            } => (
                Some(*status),
                *content_type,
                (!body.is_empty()).then(|| parse_body(body)),
            ),
            Answer::None { .. } => (None, None, None),
        };
        // Learn the people of both bodies first, so a name in the other body's text goes too.
        for body in [&request, &response].into_iter().flatten() {
            state.scrubber.learn(body);
        }
        let seq = state.n_lines + 1;
        let scrubber = &mut state.scrubber;
        let line = Line {
            seq,
            op: exchange.op,
            method: exchange.method,
            path: relative_path(base, exchange.url, scrubber, token),
            attempt: exchange.attempt,
            ms: (exchange.millis * 100.0).round() / 100.0,
            status,
            request: request.map(|body| scrubber.scrub_json(&body, token)),
            // The header is server text: a hostile answer can put the token in it.
            response_content_type: content_type.map(|text| scrubber.scrub_text(text, token)),
            response: response.map(|body| scrubber.scrub_json(&body, token)),
            error: match &exchange.answer {
                Answer::None { reason } => Some(reason),
                Answer::Status { .. } => None,
            },
        };
        let mut text = serde_json::to_string(&line).expect("a trace line serializes to JSON");
        text.push('\n');
        // One write of the whole line: lines never interleave, and the file never ends in the
        // middle of one unless the disk fills (then the error is kept and reported).
        match state.file.write_all(text.as_bytes()) {
            Ok(()) => state.n_lines += 1,
            Err(error) => state.failed = Some(error),
        }
    }

    /// Flushes the file to disk and returns the number of lines written, or the first error.
    pub fn finish(&self) -> Result<u64, TraceError> {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let write_error = |source| TraceError::Write {
            path: self.path.clone(),
            source,
        };
        if let Some(error) = state.failed.take() {
            return Err(write_error(error));
        }
        state.file.sync_all().map_err(write_error)?;
        Ok(state.n_lines)
    }
}

/// A body as JSON when it parses as JSON, else as (lossy UTF-8) text.
fn parse_body(body: &[u8]) -> Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
}

/// The URL's path relative to `base`, each segment and query value scrubbed, then encoded again.
fn relative_path(
    base: &str,
    url: &reqwest::Url,
    scrubber: &mut Scrubber,
    token: &ApiToken,
) -> String {
    let base_path = reqwest::Url::parse(base)
        .map(|base| base.path().trim_end_matches('/').to_string())
        .unwrap_or_default();
    let path = url.path();
    let relative = path.strip_prefix(base_path.as_str()).unwrap_or(path);
    let mut scrubbed = reqwest::Url::parse("http://trace.invalid/").expect("a valid URL");
    {
        let mut segments = scrubbed
            .path_segments_mut()
            .expect("an http URL has path segments");
        segments.clear();
        for segment in relative.trim_start_matches('/').split('/') {
            let decoded = percent_decode(segment);
            segments.push(&scrubber.scrub_text(&decoded, token));
        }
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(name, value)| {
            let value = scrubber.scrub_query_value(&name, &value, token);
            (name.into_owned(), value)
        })
        .collect();
    if !pairs.is_empty() {
        scrubbed.query_pairs_mut().extend_pairs(pairs);
    }
    match scrubbed.query() {
        Some(query) => format!("{}?{query}", scrubbed.path()),
        None => scrubbed.path().to_string(),
    }
}

/// Decodes `%XX` escapes of one path segment (lossy for invalid UTF-8).
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[index] == b'%'
            && index + 2 < bytes.len()
            && let (Some(high), Some(low)) = (hex(bytes[index + 1]), hex(bytes[index + 2]))
        {
            out.push((high * 16 + low) as u8);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> ApiToken {
        ApiToken::from_literal("fake-trace-token-5521").unwrap()
    }

    #[test]
    fn paths_are_relative_and_scrubbed() {
        let mut scrubber = Scrubber::default();
        let url = reqwest::Url::parse(
            "http://127.0.0.1:9/api/fire-edge/v1/org/user/find?query=Ava+Thompson&page=0",
        )
        .unwrap();
        assert_eq!(
            relative_path(
                "http://127.0.0.1:9/api/fire-edge",
                &url,
                &mut scrubber,
                &token()
            ),
            "/v1/org/user/find?query=Name+1&page=0"
        );
        let url = reqwest::Url::parse("http://127.0.0.1:9/api/fire-edge/v1/x/ava%40acme.example/y")
            .unwrap();
        assert_eq!(
            relative_path(
                "http://127.0.0.1:9/api/fire-edge",
                &url,
                &mut scrubber,
                &token()
            ),
            "/v1/x/email-1@scrubbed.example/y"
        );
    }

    #[cfg(unix)]
    #[test]
    fn trace_overwrote_the_target_of_a_symbolic_link() {
        let directory = tempfile::tempdir().unwrap();
        let victim = directory.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let link = directory.path().join("trace.jsonl");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert!(HttpTrace::create(&link).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    }

    #[test]
    fn trace_kept_token_in_content_type_header() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("trace.jsonl");
        let trace = HttpTrace::create(&path).unwrap();
        let url =
            reqwest::Url::parse("http://127.0.0.1:9/api/fire-edge/v1/org/tenant/get").unwrap();
        trace.record(
            "http://127.0.0.1:9/api/fire-edge",
            &token(),
            &Exchange {
                op: "tenant-get",
                method: "GET",
                url: &url,
                attempt: 1,
                millis: 1.0,
                request_body: None,
                answer: Answer::Status {
                    status: 200,
                    content_type: Some("text/html; fake-trace-token-5521"),
                    body: b"{\"fake-trace-token-5521\": 1}",
                },
            },
        );
        trace.finish().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("fake-trace-token-5521"), "{text}");
    }

    #[test]
    fn percent_decoding_keeps_what_is_not_an_escape() {
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
    }
}
