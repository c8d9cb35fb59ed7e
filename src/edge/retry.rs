//! When and how long to wait before repeating a request: capped exponential backoff with jitter
//! (backon), stretched to honour a server's `Retry-After`.
//!
//! Which requests may be repeated at all is decided in `client.rs` from `Op::idempotent`: this
//! file only answers "how long", and "is this status worth another try".

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::StatusCode;

/// Retry settings of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (1 disables retries).
    pub max_attempts: u32,
    /// Delay before the first retry; each later one doubles, up to `max_delay`.
    pub min_delay: Duration,
    /// Cap of the exponential delay (jitter can add up to as much again).
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured. A server asking for more is waited on for this long,
    /// so that a misconfigured proxy cannot stall a CI job for hours.
    pub max_retry_after: Duration,
    /// Seed of the jitter; `None` picks one per client from the clock, so concurrent clients
    /// spread out. Tests fix it.
    pub jitter_seed: Option<u64>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            min_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            jitter_seed: None,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn never() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The backoff delays of one request's retries, at most `max_attempts - 1` of them.
    pub(crate) fn delays(&self, request_number: u64) -> impl Iterator<Item = Duration> + Send {
        let seed = self.jitter_seed.unwrap_or_else(clock_seed);
        ExponentialBuilder::new()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_attempts.saturating_sub(1) as usize)
            .with_jitter()
            // Each request gets its own jitter sequence (so concurrent pages do not retry in
            // lock step), yet a fixed seed still makes the whole run reproducible.
            .with_jitter_seed(seed.wrapping_add(request_number.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
            .build()
    }

    /// The wait before the next attempt: the backoff delay, stretched to the server's
    /// `Retry-After` when it asks for longer (capped by `max_retry_after`).
    pub(crate) fn wait(&self, backoff: Duration, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(asked) => backoff.max(asked.min(self.max_retry_after)),
            None => backoff,
        }
    }
}

fn clock_seed() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos() as u64);
    nanos ^ u64::from(std::process::id()).rotate_left(32)
}

/// Statuses that mean "not now" rather than "no": worth another try for a request that may be
/// repeated. 500 is deliberately absent: the Edge API answers 500 when a token lacks a
/// permission (Chili Piper's official Edge API extracts, edgeVersion 1.494.0), so repeating it
/// only delays the real error.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// `Retry-After` as a wait: delay-seconds, or an HTTP-date (a date already past is no wait).
/// The Edge API documents no Retry-After at all; proxies and gateways send either form. The
/// wait is capped later by `RetryPolicy::max_retry_after` and the client's deadline.
pub(crate) fn parse_retry_after(value: Option<&reqwest::header::HeaderValue>) -> Option<Duration> {
    parse_retry_after_at(value, SystemTime::now())
}

fn parse_retry_after_at(
    value: Option<&reqwest::header::HeaderValue>,
    now: SystemTime,
) -> Option<Duration> {
    let text = value?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(text).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            min_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
            max_retry_after: Duration::from_secs(5),
            jitter_seed: Some(7),
        }
    }

    #[test]
    fn delays_grow_are_capped_and_bounded_in_number() {
        let delays: Vec<_> = policy().delays(0).collect();
        assert_eq!(delays.len(), 3, "max_attempts 4 means 3 retries");
        let floors = [100, 200, 300];
        for (delay, floor) in delays.iter().zip(floors) {
            let floor = Duration::from_millis(floor);
            // Jitter adds between 0 and 100% of the current delay.
            assert!(
                *delay >= floor && *delay <= floor * 2,
                "{delay:?} vs {floor:?}"
            );
        }
    }

    #[test]
    fn a_fixed_seed_gives_the_same_delays() {
        let first: Vec<_> = policy().delays(3).collect();
        let second: Vec<_> = policy().delays(3).collect();
        assert_eq!(first, second);
    }

    #[test]
    fn retry_after_stretches_the_wait_up_to_the_cap() {
        let policy = policy();
        let backoff = Duration::from_millis(100);
        assert_eq!(policy.wait(backoff, None), backoff);
        assert_eq!(
            policy.wait(backoff, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            policy.wait(backoff, Some(Duration::from_secs(3600))),
            Duration::from_secs(5)
        );
        assert_eq!(policy.wait(backoff, Some(Duration::ZERO)), backoff);
    }

    #[test]
    fn retry_after_parses_seconds_and_http_dates() {
        use reqwest::header::HeaderValue;
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        let at =
            |text: &'static str| parse_retry_after_at(Some(&HeaderValue::from_static(text)), now);
        let table = [
            ("3", Some(Duration::from_secs(3))),
            (" 120 ", Some(Duration::from_secs(120))),
            (
                "Wed, 21 Oct 2015 07:30:00 GMT",
                Some(Duration::from_secs(120)),
            ),
            // RFC 850 and asctime forms are HTTP-dates too.
            (
                "Wednesday, 21-Oct-15 07:29:00 GMT",
                Some(Duration::from_secs(60)),
            ),
            ("Wed Oct 21 07:28:10 2015", Some(Duration::from_secs(10))),
            ("Wed, 21 Oct 2015 07:00:00 GMT", Some(Duration::ZERO)),
            ("-1", None),
            ("soon", None),
            ("", None),
        ];
        for (text, expected) in table {
            assert_eq!(at(text), expected, "{text:?}");
        }
        assert_eq!(parse_retry_after(None), None);
    }

    #[test]
    fn five_hundred_is_not_retried() {
        assert!(!is_retryable_status(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(is_retryable_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(is_retryable_status(StatusCode::GATEWAY_TIMEOUT));
    }
}
