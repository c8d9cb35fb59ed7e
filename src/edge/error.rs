//! `EdgeError`: what went wrong talking to the Edge API, in words a person can act on.
//!
//! Every variant names the operation (its id from `ops.rs`) and says what to do next. None
//! carries the token: server-provided text is passed through `ApiToken::redact` before it is
//! stored here, and requests are never formatted.

/// A failed Edge API call.
#[derive(Debug, thiserror::Error)]
pub enum EdgeError {
    /// 401 (the token is not accepted) or 403 (the token lacks a permission, which the JSON
    /// error body names).
    #[error("{}", unauthorized_message(op, *status, permission, detail))]
    Unauthorized {
        op: &'static str,
        status: u16,
        /// The permission or operation the server named, else the one `ops.rs` says the
        /// operation needs.
        permission: String,
        detail: Option<String>,
    },

    /// 423: someone is editing the object in the Chili Piper UI, which locks it. Not retried.
    #[error(
        "{op}: {object} is locked because someone is editing it in the Chili Piper UI{}: wait \
         until they are done (or ask them to close the editor), then run the command again",
        detail_suffix(detail)
    )]
    Locked {
        op: &'static str,
        object: String,
        detail: Option<String>,
    },

    /// 404.
    #[error(
        "{op}: {object} was not found{}: {hint}{}",
        detail_suffix(detail),
        assumed_suffix(*assumed)
    )]
    NotFound {
        op: &'static str,
        /// E.g. "team `t-1`", or the path when the operation has no object.
        object: String,
        detail: Option<String>,
        hint: &'static str,
        /// For an operation whose shape no official file states, what scoville assumed.
        assumed: Option<&'static str>,
    },

    /// 400 (`text/plain`, with the decoding path such as `DecodingFailure at .dto.teamId`) and
    /// 422 (a business rule): the server's own words.
    #[error(
        "{op}: the Edge API refused the request ({status}): {message}{}",
        assumed_suffix(*assumed)
    )]
    BadRequest {
        op: &'static str,
        status: u16,
        message: String,
        /// For an operation whose shape no official file states, what scoville assumed.
        assumed: Option<&'static str>,
    },

    /// 409: a stale revision or a name already taken.
    #[error(
        "{op}: {object} changed since it was read, or conflicts with what exists ({message}): \
         plan again"
    )]
    Conflict {
        op: &'static str,
        object: String,
        message: String,
    },

    /// A request that must not be repeated blindly was sent, and no clear answer came back.
    #[error(
        "{op}: outcome unknown for {object}: {reason}; the change may or may not have been \
         made, so read it back before trying again"
    )]
    OutcomeUnknown {
        op: &'static str,
        object: String,
        reason: String,
        #[source]
        source: Option<reqwest::Error>,
    },

    /// Any other status, or a retryable one that persisted past the last attempt.
    #[error(
        "{op}: the Edge API answered {status}{} after {attempts} attempt{}: {hint}{}",
        detail_suffix(message),
        plural(*attempts),
        assumed_suffix(*assumed)
    )]
    Server {
        op: &'static str,
        status: u16,
        attempts: u32,
        message: Option<String>,
        hint: String,
        /// For a 405 to an operation whose shape no official file states, what scoville
        /// assumed.
        assumed: Option<&'static str>,
    },

    /// No answer at all (connection refused, reset, timed out), after the last attempt.
    #[error(
        "{op}: no answer from the Edge API at {endpoint} after {attempts} attempt{}: check \
         --endpoint and the network, then run the command again",
        plural(*attempts)
    )]
    Transport {
        op: &'static str,
        endpoint: String,
        attempts: u32,
        #[source]
        source: reqwest::Error,
    },

    /// A 2xx answer whose JSON does not have the shape `wire.rs` expects.
    #[error(
        "{op}: the Edge API's answer does not have the expected shape: the API may have \
         changed; please report it"
    )]
    Decode {
        op: &'static str,
        #[source]
        source: serde_json::Error,
    },

    /// The pages of a list call do not add up.
    #[error(
        "{op}: the Edge API's pages are inconsistent ({detail}): the data may have changed \
         during the read; run the command again"
    )]
    InconsistentPages { op: &'static str, detail: String },

    /// A bound of the client (answer size, overall deadline) or a TLS certificate failure,
    /// none of which another attempt can fix (`edge/limits.rs`).
    #[error("{op}: {problem}")]
    Limit {
        op: &'static str,
        problem: super::limits::LimitError,
    },
}

impl EdgeError {
    /// The id of the operation that failed.
    pub fn op(&self) -> &'static str {
        match self {
            EdgeError::Unauthorized { op, .. }
            | EdgeError::Locked { op, .. }
            | EdgeError::NotFound { op, .. }
            | EdgeError::BadRequest { op, .. }
            | EdgeError::Conflict { op, .. }
            | EdgeError::OutcomeUnknown { op, .. }
            | EdgeError::Server { op, .. }
            | EdgeError::Transport { op, .. }
            | EdgeError::Decode { op, .. }
            | EdgeError::InconsistentPages { op, .. }
            | EdgeError::Limit { op, .. } => op,
        }
    }

    /// Whether a write may or may not have taken effect; the applier reads back to find out.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, EdgeError::OutcomeUnknown { .. })
    }

    /// The HTTP status the server answered with, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            EdgeError::Unauthorized { status, .. } | EdgeError::Server { status, .. } => {
                Some(*status)
            }
            EdgeError::NotFound { .. } => Some(404),
            EdgeError::Locked { .. } => Some(423),
            EdgeError::BadRequest { status, .. } => Some(*status),
            EdgeError::Conflict { .. } => Some(409),
            EdgeError::OutcomeUnknown { .. }
            | EdgeError::Transport { .. }
            | EdgeError::Decode { .. }
            | EdgeError::InconsistentPages { .. }
            | EdgeError::Limit { .. } => None,
        }
    }
}

/// Says once what is wrong with the token: it lacks a permission (a 403, or a refusal whose
/// text names the permission), or it is not accepted at all. The server's own text is added
/// only when it says something the message does not.
fn unauthorized_message(
    op: &str,
    status: u16,
    permission: &str,
    detail: &Option<String>,
) -> String {
    // A 403 names what was wanted; an answer that names the permission is about a permission
    // whatever its status. The permission is then said once, not again in the server's words.
    let names_permission = detail
        .as_deref()
        .is_some_and(|text| text.contains(permission));
    if status == 403 || names_permission {
        let detail = if names_permission { &None } else { detail };
        format!(
            "{op}: the token lacks the `{permission}` permission{}: give the API key \
             `{permission}` in Admin Center, or issue one that has it",
            detail_suffix(detail)
        )
    } else {
        format!(
            "{op}: the Edge API did not accept the token{}: it must be an API key of this org, \
             sent as `Authorization: Bearer <token>` (the `Bearer ` scheme is required); check \
             CHILI_PIPER_API_KEY or --token-file, or issue a new key in Admin Center, API keys",
            detail_suffix(detail)
        )
    }
}

fn detail_suffix(detail: &Option<String>) -> String {
    match detail {
        Some(text) if !text.is_empty() => format!(" ({text})"),
        _ => String::new(),
    }
}

fn assumed_suffix(assumed: Option<&'static str>) -> String {
    match assumed {
        Some(assumed) => format!(
            "; note that this call's shape is an assumption of scoville's, because no official \
             Edge API file states it ({assumed}): please report this in a bug report with the \
             trace of the same command run with `--trace-http FILE` attached"
        ),
        None => String::new(),
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}
