//! `EdgeClient`: typed calls for every operation in `ops.rs`, with pagination, retries, a shared
//! concurrency limit and request accounting.
//!
//! Every URL is built from an `ops::Op` (its method and path), so correcting an assumed path in
//! `ops.rs` corrects the client. Whether a failed request is repeated depends on the operation:
//! `Op::idempotent` operations retry on 429/502/503/504 and lost connections; the others
//! (creates, rule modify, deletes) are repeated only when the request provably did not take
//! effect (the connection was never made, or 429 refused it), and otherwise end in
//! `EdgeError::OutcomeUnknown` so the applier can read back instead of guessing.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::endpoint::Endpoint;
use super::error::EdgeError;
use super::limiter::{LimitPolicy, Limiter, LimiterStats, Signal};
use super::limits::{self, Deadline, LimitError, ReadError};
use super::ops::{self, Method, Op};
use super::pagination::{self, Listed, PageShape};
use super::retry::{self, RetryPolicy};
use super::secret::ApiToken;
use super::stats::{Attempt, Stats, StatsRecorder};
use super::trace::{self, HttpTrace};
use super::wire;

// The typed reads of meeting types, reminders and scheduling links.
mod booking;

/// Longest server text kept in an error message.
const MAX_SERVER_TEXT: usize = 500;

/// The default ceiling of requests in flight (`--parallelism`). The window starts lower
/// (`LimitPolicy::initial`) and only grows this far while the server answers cleanly and
/// promptly; see `limiter.rs` and docs/performance.md for why this number.
pub const DEFAULT_PARALLELISM: usize = 256;

/// How a client behaves; everything but the endpoint and the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOptions {
    /// Requests in flight at most, across every call of the client (`--parallelism`): the
    /// ceiling of the adaptive window (`limiter.rs`).
    pub parallelism: usize,
    /// How the window of requests in flight starts and adapts below `parallelism`.
    pub limit: LimitPolicy,
    pub retry: RetryPolicy,
    /// Limit of one request, from sending to the last byte of the answer.
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
    /// Overall limit of every call of the client together, from its creation or the last
    /// [`EdgeClient::restart_deadline`] (`--timeout`).
    pub deadline: Duration,
    /// The largest answer body read, in bytes.
    pub max_answer_bytes: usize,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            parallelism: DEFAULT_PARALLELISM,
            limit: LimitPolicy::default(),
            retry: RetryPolicy::default(),
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            deadline: limits::DEFAULT_DEADLINE,
            max_answer_bytes: limits::MAX_ANSWER_BYTES,
        }
    }
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ClientBuildError {
    #[error("cannot set up the HTTP client (TLS): {source}")]
    Http {
        #[source]
        source: reqwest::Error,
    },
}

/// A client of one Edge API endpoint with one token. Cheap to clone: clones share the HTTP
/// connection pool, the concurrency limit and the counters.
#[derive(Clone)]
pub struct EdgeClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: Endpoint,
    token: ApiToken,
    authorization: HeaderValue,
    limiter: Limiter,
    options: ClientOptions,
    stats: StatsRecorder,
    /// Numbers requests so each gets its own jitter sequence.
    n_calls: AtomicU64,
    /// `--trace-http`: every attempt is recorded here when set.
    trace: Option<HttpTrace>,
    /// The overall deadline of every call.
    deadline: Deadline,
    /// Told what the client waits for when a wait is long (a retry's pause, a slow answer).
    wait_reporter: std::sync::OnceLock<WaitReporter>,
}

/// Receives a phrase saying what the client waits for ("waiting 8 s before trying team-list-put
/// again ...").
pub type WaitReporter = Box<dyn Fn(&str) + Send + Sync>;

impl std::fmt::Debug for EdgeClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EdgeClient")
            .field("endpoint", &self.inner.endpoint)
            .field("token", &self.inner.token)
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

/// The one request of a call: its operation, URL pieces, body, and what it is about.
struct Request<'a> {
    op: Op,
    path_values: &'a [&'a str],
    /// A path already filled in and encoded by the caller (a planned request); overrides
    /// `op.path` and `path_values`.
    filled_path: Option<String>,
    query: Vec<(Cow<'static, str>, String)>,
    body: Option<Vec<u8>>,
    /// What the request is about, for messages ("team `t-1`"); `None` for org-wide calls.
    object: Option<String>,
}

impl<'a> Request<'a> {
    fn new(op: Op) -> Request<'a> {
        Request {
            op,
            path_values: &[],
            filled_path: None,
            query: Vec::new(),
            body: None,
            object: None,
        }
    }

    fn path(mut self, values: &'a [&'a str]) -> Self {
        self.path_values = values;
        self
    }

    fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((Cow::Borrowed(name), value.into()));
        self
    }

    fn json(mut self, body: &impl Serialize) -> Self {
        // Serializing our own wire structs cannot fail: no maps with non-string keys, no
        // fallible Serialize impls.
        self.body = Some(serde_json::to_vec(body).expect("wire types serialize to JSON"));
        self
    }

    fn about(mut self, object: String) -> Self {
        self.object = Some(object);
        self
    }
}

/// How one page of a list call is asked for.
#[derive(Debug, Clone, Copy)]
enum PageIn {
    /// `?page=&pageSize=` (GET lists, user-find-by-ids).
    Query,
    /// `page`/`pageSize` fields of the JSON body (the PUT lists); the body must be an object.
    Body,
}

impl EdgeClient {
    /// A client of `endpoint` authenticating with `token`. Installs rustls' ring crypto provider
    /// as the process default if none is installed yet (reqwest is built without one).
    pub fn new(
        endpoint: Endpoint,
        token: ApiToken,
        options: ClientOptions,
    ) -> Result<EdgeClient, ClientBuildError> {
        EdgeClient::new_traced(endpoint, token, options, None)
    }

    /// [`EdgeClient::new`], recording every attempt of every request in `trace` when given.
    pub fn new_traced(
        endpoint: Endpoint,
        token: ApiToken,
        options: ClientOptions,
        trace: Option<HttpTrace>,
    ) -> Result<EdgeClient, ClientBuildError> {
        install_ring_provider();
        let mut builder = reqwest::Client::builder();
        if endpoint.is_loopback() {
            // Plain http goes only to loopback, and only directly: an HTTP_PROXY or ALL_PROXY
            // would otherwise receive the request, bearer token included, in the clear.
            builder = builder.no_proxy();
            if let Some(name) = endpoint.domain() {
                // `localhost` is loopback by name only: pinned, so that no resolver can send
                // the token off the machine in clear text.
                let loopback = [
                    std::net::SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, 0)),
                    std::net::SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, 0)),
                ];
                builder = builder.resolve_to_addrs(&name, &loopback);
            }
        }
        let http = builder
            .user_agent(concat!("scoville/", env!("CARGO_PKG_VERSION")))
            .timeout(options.request_timeout)
            .connect_timeout(options.connect_timeout)
            .https_only(endpoint.is_https())
            // The Edge API does not redirect; following one could carry the request (and, to the
            // same host, the token) somewhere the user did not name. A 3xx is reported instead.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|source| ClientBuildError::Http { source })?;
        let authorization = token.authorization_header();
        let parallelism = options.parallelism.max(1);
        Ok(EdgeClient {
            inner: Arc::new(Inner {
                http,
                endpoint,
                token,
                authorization,
                limiter: Limiter::new(options.limit, parallelism, options.retry.max_retry_after),
                options: ClientOptions {
                    parallelism,
                    ..options
                },
                stats: StatsRecorder::default(),
                n_calls: AtomicU64::new(0),
                trace,
                deadline: Deadline::new(options.deadline),
                wait_reporter: std::sync::OnceLock::new(),
            }),
        })
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// The `--trace-http` file, when the client records one.
    pub fn trace(&self) -> Option<&HttpTrace> {
        self.inner.trace.as_ref()
    }

    /// Starts the overall deadline again from now (after a confirmation prompt, say).
    pub fn restart_deadline(&self) {
        self.inner.deadline.restart();
    }

    /// Where to say what the client waits for when a wait is long; set once (later calls are
    /// ignored).
    pub fn set_wait_reporter(&self, reporter: WaitReporter) {
        let _ = self.inner.wait_reporter.set(reporter);
    }

    fn report_wait(&self, phrase: &str) {
        if let Some(reporter) = self.inner.wait_reporter.get() {
            reporter(&self.inner.token.redact(phrase));
        }
    }

    /// A snapshot of the request counters.
    pub fn stats(&self) -> Stats {
        self.inner.stats.snapshot()
    }

    /// What the adaptive concurrency limit did so far (its window now, decreases, pauses).
    pub fn limiter_stats(&self) -> LimiterStats {
        self.inner.limiter.stats()
    }

    // ----- tenant -----

    /// `tenant-get`.
    pub async fn tenant_get(&self) -> Result<wire::TenantInfo, EdgeError> {
        self.call_json(Request::new(ops::TENANT_GET)).await
    }

    /// `health-ping`: succeeds when the API answers 2xx; the body is not interpreted.
    pub async fn health(&self) -> Result<(), EdgeError> {
        self.call(Request::new(ops::HEALTH_PING)).await.map(drop)
    }

    // ----- workspaces -----

    /// `workspace-list`, every page.
    pub async fn workspace_list(&self) -> Result<Vec<wire::Workspace>, EdgeError> {
        self.list(ops::WORKSPACE_LIST, PageIn::Query, Vec::new(), None, None)
            .await
    }

    /// `workspace-list-users`, every page: the members of one workspace, or with `None` every
    /// user of the org.
    pub async fn workspace_list_users(
        &self,
        workspace_id: Option<&str>,
    ) -> Result<Vec<wire::User>, EdgeError> {
        let query = workspace_id
            .map(|id| vec![("workspaceId", id.to_string())])
            .unwrap_or_default();
        let object = workspace_id.map(|id| format!("workspace `{id}`"));
        self.list(
            ops::WORKSPACE_LIST_USERS,
            PageIn::Query,
            query,
            None,
            object,
        )
        .await
    }

    /// `workspace-add-users` (idempotent: members are skipped).
    pub async fn workspace_add_users(
        &self,
        workspace_id: &str,
        user_ids: &[String],
    ) -> Result<(), EdgeError> {
        let body = wire::WorkspaceUsersRequest {
            workspace_id: workspace_id.to_string(),
            user_ids: user_ids.to_vec(),
        };
        let request = Request::new(ops::WORKSPACE_ADD_USERS)
            .json(&body)
            .about(format!("workspace `{workspace_id}` or one of its users"));
        self.call(request).await.map(drop)
    }

    /// `workspace-remove-users` (idempotent; team memberships are not touched).
    pub async fn workspace_remove_users(
        &self,
        workspace_id: &str,
        user_ids: &[String],
    ) -> Result<(), EdgeError> {
        let body = wire::WorkspaceUsersRequest {
            workspace_id: workspace_id.to_string(),
            user_ids: user_ids.to_vec(),
        };
        let request = Request::new(ops::WORKSPACE_REMOVE_USERS)
            .json(&body)
            .about(format!("workspace `{workspace_id}` or one of its users"));
        self.call(request).await.map(drop)
    }

    /// `workspace-remove-users-all` (body assumed).
    pub async fn workspace_remove_users_all(&self, user_ids: &[String]) -> Result<(), EdgeError> {
        let body = wire::UserIdsRequest {
            user_ids: user_ids.to_vec(),
        };
        let request = Request::new(ops::WORKSPACE_REMOVE_USERS_ALL)
            .json(&body)
            .about("one of the users".to_string());
        self.call(request).await.map(drop)
    }

    // ----- teams -----

    /// `team-list-put`, every page. `page`/`pageSize` of `filter` are ignored: the client pages.
    pub async fn team_list(
        &self,
        filter: &wire::TeamListRequest,
    ) -> Result<Vec<wire::Team>, EdgeError> {
        let filter = wire::TeamListRequest {
            page: None,
            page_size: None,
            ..filter.clone()
        };
        let body = serde_json::to_value(&filter).expect("wire types serialize to JSON");
        self.list(
            ops::TEAM_LIST_PUT,
            PageIn::Body,
            Vec::new(),
            Some(body),
            None,
        )
        .await
    }

    /// `team-create`. Not idempotent: a lost answer is `OutcomeUnknown`, never a second create.
    pub async fn team_create(
        &self,
        request: &wire::CreateTeamRequest,
    ) -> Result<wire::Team, EdgeError> {
        let object = format!(
            "new team `{}` in workspace `{}`",
            request.name, request.workspace_id
        );
        self.call_json(Request::new(ops::TEAM_CREATE).json(request).about(object))
            .await
    }

    /// `team-add-users` (idempotent); returns the team.
    pub async fn team_add_users(
        &self,
        team_id: &str,
        user_ids: &[String],
    ) -> Result<wire::Team, EdgeError> {
        let body = wire::TeamUsersRequest {
            team_id: team_id.to_string(),
            user_ids: user_ids.to_vec(),
        };
        let request = Request::new(ops::TEAM_ADD_USERS)
            .json(&body)
            .about(format!("team `{team_id}` or one of its users"));
        self.call_json(request).await
    }

    /// `team-remove-users` (idempotent); returns the team.
    pub async fn team_remove_users(
        &self,
        team_id: &str,
        user_ids: &[String],
    ) -> Result<wire::Team, EdgeError> {
        let body = wire::TeamUsersRequest {
            team_id: team_id.to_string(),
            user_ids: user_ids.to_vec(),
        };
        let request = Request::new(ops::TEAM_REMOVE_USERS)
            .json(&body)
            .about(format!("team `{team_id}` or one of its users"));
        self.call_json(request).await
    }

    /// `team-delete`. Irreversible; fails while an active distribution uses the team.
    pub async fn team_delete(&self, team_id: &str) -> Result<(), EdgeError> {
        let request = Request::new(ops::TEAM_DELETE)
            .path(std::slice::from_ref(&team_id))
            .about(format!("team `{team_id}`"));
        self.call(request).await.map(drop)
    }

    // ----- users -----

    /// `user-find`, every page: users whose email or name contains `query`.
    pub async fn user_find(&self, query: &str) -> Result<Vec<wire::User>, EdgeError> {
        let query = vec![("query", query.to_string())];
        self.list(ops::USER_FIND, PageIn::Query, query, None, None)
            .await
    }

    /// `user-find-by-ids`, every page.
    pub async fn user_find_by_ids(
        &self,
        user_ids: &[String],
    ) -> Result<Vec<wire::User>, EdgeError> {
        let body = serde_json::to_value(user_ids).expect("strings serialize to JSON");
        self.list(
            ops::USER_FIND_BY_IDS,
            PageIn::Query,
            Vec::new(),
            Some(body),
            None,
        )
        .await
    }

    /// `user-invite` (path observed, body and answer assumed). Not idempotent.
    pub async fn user_invite(
        &self,
        request: &wire::InviteUserRequest,
    ) -> Result<wire::User, EdgeError> {
        let object = format!("the invitation of `{}`", request.email);
        self.call_json(Request::new(ops::USER_INVITE).json(request).about(object))
            .await
    }

    /// `user-update-licenses` (idempotent; body assumed): replaces each listed user's set.
    pub async fn user_update_licenses(
        &self,
        request: &wire::UpdateLicensesRequest,
    ) -> Result<(), EdgeError> {
        let request = Request::new(ops::USER_UPDATE_LICENSES)
            .json(request)
            .about("one of the users".to_string());
        self.call(request).await.map(drop)
    }

    // ----- distributions -----

    /// `distribution-list-put`, every page. `page`/`pageSize` of `filter` are ignored. A
    /// distribution that does not decode is kept as JSON, not an error.
    pub async fn distribution_list(
        &self,
        filter: &wire::DistributionListRequest,
    ) -> Result<Vec<wire::Tolerant<wire::Distribution>>, EdgeError> {
        let filter = wire::DistributionListRequest {
            page: None,
            page_size: None,
            ..filter.clone()
        };
        let body = serde_json::to_value(&filter).expect("wire types serialize to JSON");
        self.list(
            ops::DISTRIBUTION_LIST_PUT,
            PageIn::Body,
            Vec::new(),
            Some(body),
            None,
        )
        .await
    }

    /// `distribution-create` (creates and publishes). Not idempotent.
    pub async fn distribution_create(
        &self,
        request: &wire::DistributionWriteRequest,
    ) -> Result<wire::CreateDistributionResponse, EdgeError> {
        let object = format!(
            "new distribution `{}` in workspace `{}`",
            request.name, request.workspace_id
        );
        self.call_json(
            Request::new(ops::DISTRIBUTION_CREATE)
                .json(request)
                .about(object),
        )
        .await
    }

    /// `distribution-update-v3`: replaces the whole configuration and publishes it (idempotent;
    /// body not stated, see `ops::DISTRIBUTION_UPDATE_V3`).
    pub async fn distribution_update(
        &self,
        distribution_id: &str,
        request: &wire::DistributionWriteRequest,
    ) -> Result<(), EdgeError> {
        let request = Request::new(ops::DISTRIBUTION_UPDATE_V3)
            .path(std::slice::from_ref(&distribution_id))
            .json(request)
            .about(format!("distribution `{distribution_id}`"));
        self.call(request).await.map(drop)
    }

    /// `distribution-delete` (assumed). Irreversible, not repeated blindly.
    pub async fn distribution_delete(&self, distribution_id: &str) -> Result<(), EdgeError> {
        let request = Request::new(ops::DISTRIBUTION_DELETE)
            .path(std::slice::from_ref(&distribution_id))
            .about(format!("distribution `{distribution_id}`"));
        self.call(request).await.map(drop)
    }

    /// `distribution-workspace-settings-get`: a workspace's round-robin fairness settings, or
    /// their JSON when they hold a variant or value scoville does not know.
    pub async fn distribution_settings_get(
        &self,
        workspace_id: &str,
    ) -> Result<wire::Tolerant<wire::WorkspaceSettingsRead>, EdgeError> {
        let request = Request::new(ops::DISTRIBUTION_WORKSPACE_SETTINGS_GET)
            .query("workspaceId", workspace_id)
            .about(format!("workspace `{workspace_id}`"));
        self.call_json(request).await
    }

    /// `distribution-workspace-settings-update` (`workspaceId` placement not stated: query
    /// assumed; idempotent). Never sends the read-only `orderIfEqualState`.
    pub async fn distribution_settings_update(
        &self,
        workspace_id: &str,
        settings: &wire::WorkspaceSettingsUpdate,
    ) -> Result<(), EdgeError> {
        let request = Request::new(ops::DISTRIBUTION_WORKSPACE_SETTINGS_UPDATE)
            .query("workspaceId", workspace_id)
            .json(settings)
            .about(format!("workspace `{workspace_id}`"));
        self.call(request).await.map(drop)
    }

    // ----- rules -----

    /// `rule-list`, every page, optionally filtered by workspace and name. A rule that does
    /// not decode (a kind or value scoville does not know) is kept as JSON, not an error.
    pub async fn rule_list(
        &self,
        workspace_id: Option<&str>,
        name: Option<&str>,
    ) -> Result<Vec<wire::Tolerant<wire::Rule>>, EdgeError> {
        let mut query = Vec::new();
        if let Some(id) = workspace_id {
            query.push(("workspaceId", id.to_string()));
        }
        if let Some(name) = name {
            query.push(("name", name.to_string()));
        }
        let object = workspace_id.map(|id| format!("workspace `{id}`"));
        self.list(ops::RULE_LIST, PageIn::Query, query, None, object)
            .await
    }

    /// `rule-create` (live at once, revision 1). Not idempotent.
    pub async fn rule_create(
        &self,
        request: &wire::RuleCreateRequest,
    ) -> Result<wire::Rule, EdgeError> {
        let fields = request.dto.view();
        let object = format!(
            "new rule `{}` in workspace `{}`",
            fields.name, fields.workspace_id
        );
        self.call_json(Request::new(ops::RULE_CREATE).json(request).about(object))
            .await
    }

    /// `rule-get` (assumed).
    pub async fn rule_get(&self, rule_id: &str) -> Result<wire::Rule, EdgeError> {
        let request = Request::new(ops::RULE_GET)
            .path(std::slice::from_ref(&rule_id))
            .about(format!("rule `{rule_id}`"));
        self.call_json(request).await
    }

    /// `rule-modify` (body not stated: `{ruleId, revision, dto}` assumed): a stale `revision`
    /// is `EdgeError::Conflict`. Not repeated blindly: a repeat of a modify that took effect
    /// would itself be stale.
    pub async fn rule_modify(
        &self,
        request: &wire::RuleModifyRequest,
    ) -> Result<wire::Rule, EdgeError> {
        let object = format!("rule `{}`", request.rule_id);
        self.call_json(Request::new(ops::RULE_MODIFY).json(request).about(object))
            .await
    }

    /// `rule-delete` (query not stated: `?ruleId=&revision=` assumed), at `revision`.
    pub async fn rule_delete(&self, rule_id: &str, revision: i64) -> Result<(), EdgeError> {
        let request = Request::new(ops::RULE_DELETE)
            .query("ruleId", rule_id)
            .query("revision", revision.to_string())
            .about(format!("rule `{rule_id}`"));
        self.call(request).await.map(drop)
    }

    // ----- planned requests -----

    /// Sends a request built elsewhere (a plan step's, with its path already filled in) through
    /// the same machinery as every typed call: permits, accounting, and retries only when
    /// `op` is idempotent. Returns the 2xx body. Path values are percent-encoded here.
    pub async fn send_prepared(
        &self,
        op: Op,
        path: &str,
        query: &[(String, String)],
        body: Option<&serde_json::Value>,
        object: &str,
    ) -> Result<Vec<u8>, EdgeError> {
        let encoded_path = path
            .split('/')
            .map(encode_path_segment)
            .collect::<Vec<_>>()
            .join("/");
        let mut request = Request::new(op).about(object.to_string());
        request.filled_path = Some(encoded_path);
        request.query = query
            .iter()
            .map(|(name, value)| (Cow::Owned(name.clone()), value.clone()))
            .collect();
        if let Some(body) = body {
            request = request.json(body);
        }
        self.call(request).await
    }

    // ----- machinery -----

    /// One request, its answer decoded as `T`.
    async fn call_json<T: DeserializeOwned>(&self, request: Request<'_>) -> Result<T, EdgeError> {
        let op = request.op;
        let bytes = self.call(request).await?;
        decode(op, &bytes).map_err(|error| self.redact_decode_error(error))
    }

    /// A decode error quotes the value it choked on (`invalid type: string "..."`), which a
    /// hostile server can make the token: such a message is rebuilt through the redaction.
    fn redact_decode_error(&self, error: EdgeError) -> EdgeError {
        match error {
            EdgeError::Decode { op, source } => {
                let text = source.to_string();
                let redacted = self.inner.token.redact(&text);
                if redacted == text && text.len() <= MAX_SERVER_TEXT {
                    EdgeError::Decode { op, source }
                } else {
                    EdgeError::Decode {
                        op,
                        source: <serde_json::Error as serde::de::Error>::custom(shorten(redacted)),
                    }
                }
            }
            other => other,
        }
    }

    /// Every page of a list call: page 0 first (its echoed `pageSize` and `total` fix the
    /// rest), then the remaining pages concurrently, each through the client's shared limit.
    async fn list<T>(
        &self,
        op: Op,
        page_in: PageIn,
        query: Vec<(&'static str, String)>,
        body: Option<serde_json::Value>,
        object: Option<String>,
    ) -> Result<Vec<T>, EdgeError>
    where
        T: wire::PageItem + Listed + Send + 'static,
    {
        let inconsistent = |detail: String| EdgeError::InconsistentPages { op: op.id, detail };
        let query: Vec<(Cow<'static, str>, String)> = query
            .into_iter()
            .map(|(name, value)| (Cow::Borrowed(name), value))
            .collect();
        let first: wire::Page<T> = self
            .fetch_page(
                op,
                page_in,
                &query,
                body.as_ref(),
                object.clone(),
                0,
                ops::REQUESTED_PAGE_SIZE,
            )
            .await?;
        let shape = PageShape::from_first(&first).map_err(inconsistent)?;
        let mut pages = vec![first];
        if shape.n_pages() > 1 {
            let mut tasks = tokio::task::JoinSet::new();
            for page_number in 1..shape.n_pages() {
                let client = self.clone();
                let query = query.clone();
                let body = body.clone();
                let object = object.clone();
                tasks.spawn(async move {
                    let page: Result<wire::Page<T>, EdgeError> = client
                        .fetch_page(
                            op,
                            page_in,
                            &query,
                            body.as_ref(),
                            object,
                            page_number,
                            shape.page_size,
                        )
                        .await;
                    (page_number, page)
                });
            }
            let mut rest = Vec::with_capacity(tasks.len());
            while let Some(joined) = tasks.join_next().await {
                let (page_number, page) = match joined {
                    Ok(done) => done,
                    Err(join_error) if join_error.is_panic() => {
                        std::panic::resume_unwind(join_error.into_panic())
                    }
                    Err(join_error) => unreachable!("page tasks are never cancelled: {join_error}"),
                };
                // Returning drops `tasks`, which aborts the pages still in flight.
                let page = page?;
                shape.check(page_number, &page).map_err(inconsistent)?;
                rest.push((page_number, page));
            }
            rest.sort_by_key(|(page_number, _)| *page_number);
            pages.extend(rest.into_iter().map(|(_, page)| page));
        }
        pagination::assemble(shape, pages).map_err(inconsistent)
    }

    #[allow(clippy::too_many_arguments)]
    async fn fetch_page<T: wire::PageItem>(
        &self,
        op: Op,
        page_in: PageIn,
        query: &[(Cow<'static, str>, String)],
        body: Option<&serde_json::Value>,
        object: Option<String>,
        page: u64,
        page_size: u64,
    ) -> Result<wire::Page<T>, EdgeError> {
        let mut request = Request::new(op);
        request.query = query.to_vec();
        request.object = object;
        match page_in {
            PageIn::Query => {
                request = request
                    .query("page", page.to_string())
                    .query("pageSize", page_size.to_string());
                if let Some(body) = body {
                    request = request.json(body);
                }
            }
            PageIn::Body => {
                let mut body = body
                    .cloned()
                    .unwrap_or_else(|| serde_json::Value::Object(Default::default()));
                if let Some(fields) = body.as_object_mut() {
                    fields.insert("page".into(), page.into());
                    fields.insert("pageSize".into(), page_size.into());
                }
                request = request.json(&body);
            }
        }
        let bytes = self.call(request).await?;
        T::decode_page(&bytes)
            .map_err(|source| EdgeError::Decode { op: op.id, source })
            .map_err(|error| self.redact_decode_error(error))
    }

    /// Sends one request, repeating it when that is safe, and returns the 2xx body.
    async fn call(&self, request: Request<'_>) -> Result<Vec<u8>, EdgeError> {
        let op = request.op;
        let url = self.url(&request);
        let method = match op.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let policy = self.inner.options.retry;
        let call_number = self.inner.n_calls.fetch_add(1, Ordering::Relaxed);
        let mut delays = policy.delays(call_number);
        let bytes_sent = request.body.as_ref().map_or(0, |body| body.len() as u64);
        let mut attempts: u32 = 0;
        let deadline = &self.inner.deadline;
        let what = match &request.object {
            Some(object) => format!("{} ({object})", op.id),
            None => op.id.to_string(),
        };
        let past_deadline = |waiting_for: String| EdgeError::Limit {
            op: op.id,
            problem: deadline.passed(waiting_for),
        };
        loop {
            attempts += 1;
            let outcome = {
                let permit = self.inner.limiter.acquire().await;
                let remaining = deadline.remaining();
                if remaining.is_zero() {
                    return Err(past_deadline(format!("a turn to send {what}")));
                }
                let started = std::time::Instant::now();
                let send = self.send_once(&method, &url, &request);
                match tokio::time::timeout(remaining, self.reporting_slowness(&what, send)).await {
                    Ok(outcome) => {
                        permit.finish(load_signal(&outcome));
                        self.record_trace(&request, &method, &url, attempts, started, &outcome);
                        outcome
                    }
                    // A write cut off in flight may have been done: the applier must read back.
                    Err(_) if !op.idempotent => {
                        return Err(EdgeError::OutcomeUnknown {
                            op: op.id,
                            object: self.object_of(&request),
                            reason: deadline.passed(format!("the answer to {what}")).to_string(),
                            source: None,
                        });
                    }
                    Err(_) => return Err(past_deadline(format!("the answer to {what}"))),
                }
            };
            let (failed, bytes_received) = match &outcome {
                Outcome::Answered { status, body, .. } => (!status.is_success(), body.len() as u64),
                Outcome::NoAnswer { .. } | Outcome::TooLarge { .. } => (true, 0),
            };
            self.inner.stats.record(
                op.id,
                Attempt {
                    is_retry: attempts > 1,
                    failed,
                    bytes_sent,
                    bytes_received,
                },
            );
            let verdict = self.judge(&request, outcome, attempts);
            match verdict {
                Verdict::Done(result) => return result,
                Verdict::Retry {
                    retry_after,
                    give_up,
                } => match delays.next() {
                    Some(backoff) => {
                        let wait = policy.wait(backoff, retry_after);
                        let remaining = deadline.remaining();
                        let why = match &give_up {
                            EdgeError::Server { status, .. } => {
                                format!("attempt {attempts} was answered {status}")
                            }
                            _ => format!("attempt {attempts} got no answer"),
                        };
                        if wait >= remaining {
                            return Err(past_deadline(format!(
                                "another try of {what} in {} s ({why})",
                                wait.as_secs_f64().ceil()
                            )));
                        }
                        if wait >= Duration::from_secs(1) {
                            self.report_wait(&format!(
                                "waiting {} s before trying {what} again ({why}); {} s left of \
                                 the {} s deadline",
                                wait.as_secs_f64().ceil(),
                                remaining.as_secs(),
                                deadline.budget().as_secs()
                            ));
                        }
                        tokio::time::sleep(wait).await
                    }
                    None => return Err(give_up),
                },
            }
        }
    }

    /// Records one attempt in the `--trace-http` file, if there is one.
    fn record_trace(
        &self,
        request: &Request<'_>,
        method: &reqwest::Method,
        url: &Url,
        attempt: u32,
        started: std::time::Instant,
        outcome: &Outcome,
    ) {
        let Some(trace) = &self.inner.trace else {
            return;
        };
        let answer = match outcome {
            Outcome::Answered {
                status,
                headers,
                body,
            } => trace::Answer::Status {
                status: status.as_u16(),
                content_type: headers
                    .get(CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok()),
                body,
            },
            Outcome::TooLarge { .. } => trace::Answer::None {
                reason: "the answer was larger than the size limit",
            },
            Outcome::NoAnswer { error, .. } => trace::Answer::None {
                reason: if error.is_timeout() {
                    "the request timed out"
                } else if error.is_connect() {
                    "could not connect"
                } else {
                    "the connection ended before the answer"
                },
            },
        };
        let exchange = trace::Exchange {
            op: request.op.id,
            method: method.as_str(),
            url,
            attempt,
            millis: started.elapsed().as_secs_f64() * 1000.0,
            request_body: request.body.as_deref(),
            answer,
        };
        trace.record(self.inner.endpoint.as_str(), &self.inner.token, &exchange);
    }

    /// Runs `send`, saying every [`limits::STILL_WAITING_EVERY`] that the answer to `what` is
    /// still awaited.
    async fn reporting_slowness(
        &self,
        what: &str,
        send: impl std::future::Future<Output = Outcome>,
    ) -> Outcome {
        let started = tokio::time::Instant::now();
        let mut ticks = tokio::time::interval_at(
            started + limits::STILL_WAITING_EVERY,
            limits::STILL_WAITING_EVERY,
        );
        tokio::pin!(send);
        loop {
            tokio::select! {
                outcome = &mut send => return outcome,
                _ = ticks.tick() => self.report_wait(&format!(
                    "still waiting for the answer to {what} after {} s; {} s left of the {} s \
                     deadline",
                    started.elapsed().as_secs(),
                    self.inner.deadline.remaining().as_secs(),
                    self.inner.deadline.budget().as_secs()
                )),
            }
        }
    }

    async fn send_once(
        &self,
        method: &reqwest::Method,
        url: &Url,
        request: &Request<'_>,
    ) -> Outcome {
        let mut builder = self
            .inner
            .http
            .request(method.clone(), url.clone())
            .header(AUTHORIZATION, self.inner.authorization.clone())
            .header(ACCEPT, "application/json");
        if let Some(body) = &request.body {
            builder = builder
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let response = match builder.send().await {
            Ok(response) => response,
            Err(error) => {
                return Outcome::NoAnswer {
                    never_sent: error.is_connect(),
                    error,
                };
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        match limits::read_capped(response, self.inner.options.max_answer_bytes).await {
            Ok(body) => Outcome::Answered {
                status,
                headers,
                body,
            },
            Err(ReadError::TooLarge) => Outcome::TooLarge { status },
            // The status line arrived but the body did not: the server has the request.
            Err(ReadError::Transport(error)) => Outcome::NoAnswer {
                never_sent: false,
                error,
            },
        }
    }

    /// Decides what an attempt's outcome means: success, a final error, or another try.
    fn judge(&self, request: &Request<'_>, outcome: Outcome, attempts: u32) -> Verdict {
        let op = request.op;
        match outcome {
            Outcome::Answered { status, body, .. } if status.is_success() => {
                Verdict::Done(Ok(body))
            }
            Outcome::Answered {
                status,
                headers,
                body,
            } => {
                let message = self.server_text(&body);
                let retry_after =
                    retry::parse_retry_after(headers.get(reqwest::header::RETRY_AFTER));
                // 429 means the server refused before doing anything, so even a create may
                // be repeated; the other retryable statuses come from gateways that may have
                // forwarded the request.
                let may_repeat = op.idempotent || status == StatusCode::TOO_MANY_REQUESTS;
                if retry::is_retryable_status(status) && may_repeat {
                    return Verdict::Retry {
                        retry_after,
                        give_up: EdgeError::Server {
                            op: op.id,
                            status: status.as_u16(),
                            attempts,
                            message,
                            assumed: None,
                            hint: "the Edge API is busy or unavailable; run the command again \
                                   later"
                                .to_string(),
                        },
                    };
                }
                if status.is_server_error() && !op.idempotent {
                    let reason = format!("the Edge API answered {status}");
                    return Verdict::Done(Err(EdgeError::OutcomeUnknown {
                        op: op.id,
                        object: self.object_of(request),
                        reason,
                        source: None,
                    }));
                }
                Verdict::Done(Err(
                    self.status_error(request, status, &body, message, attempts)
                ))
            }
            Outcome::TooLarge { status } => {
                let problem = LimitError::AnswerTooLarge {
                    limit: self.inner.options.max_answer_bytes,
                };
                if status.is_success() && !op.idempotent {
                    // The write was done; only its answer is unusable.
                    return Verdict::Done(Err(EdgeError::OutcomeUnknown {
                        op: op.id,
                        object: self.object_of(request),
                        reason: problem.to_string(),
                        source: None,
                    }));
                }
                Verdict::Done(Err(EdgeError::Limit { op: op.id, problem }))
            }
            Outcome::NoAnswer { error, .. } if limits::certificate_problem(&error).is_some() => {
                // A certificate is refused the same way on every attempt: say so at once.
                let detail = limits::certificate_problem(&error).unwrap_or_default();
                Verdict::Done(Err(EdgeError::Limit {
                    op: op.id,
                    problem: LimitError::Certificate {
                        endpoint: self.inner.endpoint.to_string(),
                        detail: self.inner.token.redact(&detail),
                    },
                }))
            }
            Outcome::NoAnswer { error, never_sent } => {
                if op.idempotent || never_sent {
                    Verdict::Retry {
                        retry_after: None,
                        give_up: EdgeError::Transport {
                            op: op.id,
                            endpoint: self.inner.endpoint.to_string(),
                            attempts,
                            source: error,
                        },
                    }
                } else {
                    let reason = if error.is_timeout() {
                        "the request timed out".to_string()
                    } else {
                        "the connection ended before the answer".to_string()
                    };
                    Verdict::Done(Err(EdgeError::OutcomeUnknown {
                        op: op.id,
                        object: self.object_of(request),
                        reason,
                        source: Some(error),
                    }))
                }
            }
        }
    }

    /// The error for a non-2xx status that is not retried.
    fn status_error(
        &self,
        request: &Request<'_>,
        status: StatusCode,
        body: &[u8],
        message: Option<String>,
        attempts: u32,
    ) -> EdgeError {
        let op = request.op;
        // Where the official files do not state this call's shape, a 400, 404 or 405 may mean
        // the assumption is wrong: say so.
        let assumed = match op.provenance {
            ops::Provenance::NotStated { assumed } => Some(assumed),
            ops::Provenance::Official => None,
        };
        match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => EdgeError::Unauthorized {
                op: op.id,
                status: status.as_u16(),
                permission: named_permission(body, message.as_deref())
                    .unwrap_or_else(|| op.permission.to_string()),
                detail: message,
            },
            StatusCode::LOCKED => EdgeError::Locked {
                op: op.id,
                object: self.object_of(request),
                detail: message,
            },
            StatusCode::NOT_FOUND => match &request.object {
                Some(object) => EdgeError::NotFound {
                    op: op.id,
                    object: object.clone(),
                    detail: message,
                    hint: "it may have been deleted since it was read; run the command again",
                    assumed,
                },
                None => EdgeError::NotFound {
                    op: op.id,
                    object: format!("the path {}", op.path),
                    detail: message,
                    hint: "check --endpoint (it ends with /api/fire-edge), or correct the path in \
                           src/edge/ops.rs",
                    assumed,
                },
            },
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => EdgeError::BadRequest {
                op: op.id,
                status: status.as_u16(),
                message: message.unwrap_or_else(|| "no reason given".to_string()),
                assumed: (status == StatusCode::BAD_REQUEST)
                    .then_some(assumed)
                    .flatten(),
            },
            StatusCode::CONFLICT => EdgeError::Conflict {
                op: op.id,
                object: self.object_of(request),
                message: message.unwrap_or_else(|| "no reason given".to_string()),
            },
            _ => EdgeError::Server {
                op: op.id,
                status: status.as_u16(),
                attempts,
                message,
                assumed: (status == StatusCode::METHOD_NOT_ALLOWED)
                    .then_some(assumed)
                    .flatten(),
                // A missing permission is 403 naming it (official); a 500 is the API's own
                // failure and says nothing about the token.
                hint: if status == StatusCode::INTERNAL_SERVER_ERROR {
                    "the Edge API failed on its side: run the command again later; if it keeps \
                     failing, report it with a `--trace-http` trace"
                        .to_string()
                } else if status.is_redirection() {
                    "the Edge API does not redirect: check --endpoint (the base URL ends with \
                     /api/fire-edge)"
                        .to_string()
                } else {
                    "run the command again later".to_string()
                },
            },
        }
    }

    fn object_of(&self, request: &Request<'_>) -> String {
        request
            .object
            .clone()
            .unwrap_or_else(|| format!("`{}`", request.op.id))
    }

    /// The server's words for a failure: `errorMessage` of the JSON error body, else the text
    /// itself; redacted and shortened.
    fn server_text(&self, body: &[u8]) -> Option<String> {
        let text = match serde_json::from_slice::<wire::ErrorBody>(body) {
            Ok(error) if !error.error_message.is_empty() => error.error_message,
            Ok(error) => error.error_code,
            Err(_) => String::from_utf8_lossy(body).trim().to_string(),
        };
        if text.is_empty() {
            return None;
        }
        Some(shorten(escape_controls(&self.inner.token.redact(&text))))
    }

    fn url(&self, request: &Request<'_>) -> Url {
        let encoded: Vec<String> = request
            .path_values
            .iter()
            .map(|value| encode_path_segment(value))
            .collect();
        let encoded: Vec<&str> = encoded.iter().map(String::as_str).collect();
        let path = match &request.filled_path {
            Some(path) => path.clone(),
            None => request.op.path_with(&encoded),
        };
        let mut url = Url::parse(&format!("{}{path}", self.inner.endpoint))
            .expect("a checked endpoint plus an ops.rs path is a URL");
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        url
    }
}

enum Outcome {
    Answered {
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
    },
    NoAnswer {
        error: reqwest::Error,
        /// The connection was never established, so the server cannot have acted.
        never_sent: bool,
    },
    /// The answer's body passed the size limit and was not read further.
    TooLarge { status: StatusCode },
}

enum Verdict {
    Done(Result<Vec<u8>, EdgeError>),
    Retry {
        retry_after: Option<Duration>,
        /// The error to report when no attempt is left.
        give_up: EdgeError,
    },
}

/// `text` with control characters (terminal escape sequences, bells, carriage returns) written
/// as visible escapes: a hostile server must not be able to drive the operator's terminal.
fn escape_controls(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `text` cut to [`MAX_SERVER_TEXT`] bytes (on a character boundary) with an ellipsis.
fn shorten(mut text: String) -> String {
    if text.len() > MAX_SERVER_TEXT {
        let mut cut = MAX_SERVER_TEXT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// What an attempt's outcome says about the server's load, for the adaptive limit: 429, 503
/// and timeouts (a 504 from a gateway, or no answer in time) are push-back; other 5xx and lost
/// connections say nothing either way; 2xx and the other 4xx are clean answers.
fn load_signal(outcome: &Outcome) -> Signal {
    match outcome {
        Outcome::Answered {
            status, headers, ..
        } => match *status {
            StatusCode::TOO_MANY_REQUESTS
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT => Signal::Overload {
                retry_after: retry::parse_retry_after(headers.get(reqwest::header::RETRY_AFTER)),
            },
            status if status.is_server_error() => Signal::Neutral,
            _ => Signal::Clean,
        },
        Outcome::NoAnswer { error, .. } if error.is_timeout() => {
            Signal::Overload { retry_after: None }
        }
        Outcome::NoAnswer { .. } | Outcome::TooLarge { .. } => Signal::Neutral,
    }
}

fn decode<T: DeserializeOwned>(op: Op, bytes: &[u8]) -> Result<T, EdgeError> {
    serde_json::from_slice(bytes).map_err(|source| EdgeError::Decode { op: op.id, source })
}

/// The permission or operation a 403 names in its JSON error body (the API answers a missing
/// permission with a 403 whose body says what it wanted; no response header carries it):
/// `arguments.permission` or `arguments.operation`, else any known permission or operation id
/// its message mentions. Only names from `ops.rs` are taken, so no other server text leaks.
fn named_permission(body: &[u8], message: Option<&str>) -> Option<String> {
    let known = || ops::ALL.iter().flat_map(|op| [op.permission, op.id]);
    if let Ok(error) = serde_json::from_slice::<wire::ErrorBody>(body) {
        for argument in ["permission", "operation"] {
            if let Some(named) = error.arguments.get(argument)
                && let Some(permission) = known().find(|permission| permission == named)
            {
                return Some(permission.to_string());
            }
        }
    }
    let message = message?;
    known()
        .filter(|permission| message.contains(permission))
        // The longest match, so a permission is not reported as a shorter lookalike.
        .max_by_key(|permission| permission.len())
        .map(str::to_string)
}

/// Percent-encodes one path segment (ids are normally UUIDs; this keeps odd ones harmless).
fn encode_path_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// reqwest is built with `rustls-no-provider`: it panics at build time unless a crypto provider
/// is the process default. scoville uses ring. If something else already installed a provider,
/// that one stays (installing twice is an error we can ignore).
fn install_ring_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAKE: &str = "fake-token-client-unit-7731";

    fn client(endpoint: &str) -> EdgeClient {
        EdgeClient::new(
            Endpoint::parse(endpoint).unwrap(),
            ApiToken::from_literal(FAKE).unwrap(),
            ClientOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn an_https_client_builds_with_ring_and_no_network() {
        let client = client(ops::DEFAULT_BASE_URL);
        assert!(client.endpoint().is_https());
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }

    #[test]
    fn urls_come_from_ops_with_encoded_ids_and_queries() {
        let client = client("http://127.0.0.1:9/api/fire-edge");
        let request = Request::new(ops::TEAM_DELETE).path(&["t 1/x"]);
        assert_eq!(
            client.url(&request).as_str(),
            "http://127.0.0.1:9/api/fire-edge/v2/org/team/t%201%2Fx"
        );
        let request = Request::new(ops::RULE_DELETE)
            .query("ruleId", "r 1/x")
            .query("revision", "3");
        assert_eq!(
            client.url(&request).as_str(),
            "http://127.0.0.1:9/api/fire-edge/v1/org/rule?ruleId=r+1%2Fx&revision=3"
        );
        let request = Request::new(ops::WORKSPACE_LIST_USERS).query("workspaceId", "a&b");
        assert_eq!(
            client.url(&request).as_str(),
            "http://127.0.0.1:9/api/fire-edge/v1/org/workspace/users?workspaceId=a%26b"
        );
    }

    #[test]
    fn debug_of_a_client_hides_the_token() {
        let text = format!("{:?}", client(ops::DEFAULT_BASE_URL));
        assert!(!text.contains(FAKE), "{text}");
        assert!(text.contains("fire.chilipiper.com"), "{text}");
    }

    #[test]
    fn server_text_is_redacted_and_shortened() {
        let client = client(ops::DEFAULT_BASE_URL);
        let body = format!(r#"{{"errorCode":"x","errorMessage":"bad token {FAKE}"}}"#);
        assert_eq!(
            client.server_text(body.as_bytes()).unwrap(),
            "bad token [redacted]"
        );
        let long = "é".repeat(600);
        let text = client.server_text(long.as_bytes()).unwrap();
        assert!(text.ends_with('…') && text.len() <= MAX_SERVER_TEXT + '…'.len_utf8());
        assert_eq!(client.server_text(b"  "), None);
    }

    #[test]
    fn server_text_drove_the_terminal_with_escape_sequences() {
        let client = client(ops::DEFAULT_BASE_URL);
        let text = client
            .server_text(b"\x1b[2J\x1b]0;owned\x07 evil\r")
            .unwrap();
        assert!(!text.chars().any(char::is_control), "{text:?}");
        assert!(text.contains("evil"), "{text:?}");
    }

    #[test]
    fn the_permission_comes_from_the_json_body_of_a_403() {
        assert_eq!(
            named_permission(b"", Some("missing permission team.create")),
            Some("team.create".to_string())
        );
        let body = br#"{"errorCode":"Forbidden","errorMessage":"no","arguments":{"permission":"rule.remove"}}"#;
        assert_eq!(
            named_permission(body, Some("no")),
            Some("rule.remove".to_string())
        );
        let body = br#"{"errorCode":"Forbidden","errorMessage":"no","arguments":{"operation":"rule-modify"}}"#;
        assert_eq!(
            named_permission(body, Some("no")),
            Some("rule-modify".to_string())
        );
        assert_eq!(named_permission(b"", Some("nope")), None);
    }
}
