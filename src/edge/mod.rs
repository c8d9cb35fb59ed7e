//! The Edge API: its operations (`ops`), its JSON (`wire`) and the HTTP client.
//!
//! This is the only code that knows URLs and JSON field names of the API.
//!
//! `client` sends requests (typed calls for every operation of `ops`), `endpoint` checks the
//! base URL, `secret` holds the token, `pagination` checks list pages, `retry` decides waits,
//! `limiter` adapts the requests in flight, `limits` bounds answers and the deadline,
//! `stats` counts requests, `trace` writes `--trace-http` files with personal data scrubbed, and
//! `error` says what went wrong.

pub mod ops;
pub mod wire;

pub mod client;
pub mod endpoint;
pub mod error;
pub mod limiter;
pub mod limits;
pub mod pagination;
pub mod retry;
pub mod secret;
pub mod stats;
pub mod trace;

pub use client::{ClientBuildError, ClientOptions, DEFAULT_PARALLELISM, EdgeClient};
pub use endpoint::{Endpoint, EndpointError};
pub use error::EdgeError;
pub use limiter::{LimitPolicy, LimiterStats};
pub use limits::LimitError;
pub use retry::RetryPolicy;
pub use secret::{ApiToken, TOKEN_ENV_VAR, TokenError, TokenOrigin};
pub use stats::{OpStats, Stats};
