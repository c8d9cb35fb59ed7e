//! The client's bounds against a server it does not control: one size limit for every answer
//! (read as a stream, stopped at the cap), one deadline per command, and the recognition of
//! TLS certificate failures, which no retry can fix.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::header::CONTENT_LENGTH;

/// The largest answer read, in bytes: a page of 100 rules with deep condition trees is well
/// under a megabyte, so this leaves room without letting a server fill the memory.
pub const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// The default overall deadline of a command's Edge API calls (`--timeout`,
/// `SCOVILLE_TIMEOUT`).
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(600);

/// How often a slow request reports that it is still waiting.
pub const STILL_WAITING_EVERY: Duration = Duration::from_secs(10);

/// A bound the client hit, or a failure it will not retry. Shown after the operation id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error(
        "the Edge API's answer is larger than {limit} bytes: refusing to read more; check \
         --endpoint, or report it if the endpoint is right"
    )]
    AnswerTooLarge { limit: usize },
    #[error(
        "gave up at the {} s deadline while waiting for {waiting_for}: raise it with --timeout \
         or SCOVILLE_TIMEOUT if the org is large, or run the command again later",
        budget.as_secs()
    )]
    Deadline {
        budget: Duration,
        waiting_for: String,
    },
    #[error(
        "the TLS certificate of {endpoint} was refused ({detail}): this is a certificate problem, \
         not a network one, and is not retried; check --endpoint, the system clock, and any \
         proxy that intercepts TLS"
    )]
    Certificate { endpoint: String, detail: String },
}

/// Why an answer's body was not read whole.
pub(crate) enum ReadError {
    TooLarge,
    Transport(reqwest::Error),
}

/// Reads an answer's body, stopping as soon as it passes `limit` bytes: a declared
/// `Content-Length` over the limit is refused before reading, and an endless or understated
/// body is cut at the limit whatever the headers said.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, ReadError> {
    let declared = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(ReadError::TooLarge);
    }
    let mut body = Vec::with_capacity(declared.map_or(0, |length| length as usize));
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The overall deadline of a command's calls: a budget from a start the command can move
/// (after a confirmation prompt, say), shared by every clone of the client.
#[derive(Debug)]
pub(crate) struct Deadline {
    budget: Duration,
    start: Mutex<Instant>,
}

impl Deadline {
    pub(crate) fn new(budget: Duration) -> Deadline {
        Deadline {
            budget,
            start: Mutex::new(Instant::now()),
        }
    }

    pub(crate) fn budget(&self) -> Duration {
        self.budget
    }

    /// Starts the budget again from now.
    pub(crate) fn restart(&self) {
        *self.start.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
    }

    /// Time left before the deadline; zero once it has passed.
    pub(crate) fn remaining(&self) -> Duration {
        let start = *self.start.lock().unwrap_or_else(|p| p.into_inner());
        self.budget.saturating_sub(start.elapsed())
    }

    pub(crate) fn passed(&self, waiting_for: impl Into<String>) -> LimitError {
        LimitError::Deadline {
            budget: self.budget,
            waiting_for: waiting_for.into(),
        }
    }
}

/// What a failed connection says about a TLS certificate, when that is why it failed: rustls'
/// certificate errors anywhere in the chain (an `io::Error` hides its inner error from
/// `source()`, so it is opened by hand), else a message that names a certificate.
pub(crate) fn certificate_problem(error: &reqwest::Error) -> Option<String> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = next {
        if let Some(problem) = rustls_certificate_problem(current) {
            return Some(problem);
        }
        if let Some(io) = current.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
            && let Some(problem) = rustls_certificate_problem(inner)
        {
            return Some(problem);
        }
        let text = current.to_string();
        if text.to_ascii_lowercase().contains("certificate") {
            return Some(text);
        }
        next = current.source();
    }
    None
}

fn rustls_certificate_problem(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    match error.downcast_ref::<rustls::Error>()? {
        rustls::Error::InvalidCertificate(reason) => Some(format!("{reason:?}")),
        rustls::Error::NoCertificatesPresented => Some("no certificate presented".to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_counts_down_and_restarts() {
        let deadline = Deadline::new(Duration::from_secs(60));
        assert!(deadline.remaining() <= Duration::from_secs(60));
        assert!(deadline.remaining() > Duration::from_secs(50));
        let zero = Deadline::new(Duration::ZERO);
        assert_eq!(zero.remaining(), Duration::ZERO);
        zero.restart();
        assert_eq!(zero.remaining(), Duration::ZERO);
        let message = zero.passed("team-list").to_string();
        assert!(
            message.contains("0 s deadline while waiting for team-list"),
            "{message}"
        );
        assert!(message.contains("--timeout"), "{message}");
    }
}
