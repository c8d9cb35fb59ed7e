//! The Edge API emulator: a stateful, faithful Edge API on loopback for tests, demos, benchmarks.
//!
//! `start(Options)` serves every operation of `edge::ops` under `http://127.0.0.1:<port>/api/fire-edge`
//! with the JSON of `edge::wire`; `scoville sandbox serve` runs the same code as a server and
//! `--sandbox` runs it in-process with its state in [`SANDBOX_STATE_FILE`].
//!
//! # What it models
//!
//! - Auth: `Authorization: Bearer <secret>` of a token of the seed; no header, no `Bearer `
//!   prefix or an unknown secret is `401 Unauthorized`; a token without the operation's
//!   permission is `403 MissingPermission` with `arguments.permission` and `arguments.operation`. API writes record
//!   `createdBy`/`updatedBy` `apikey/<token id>`; control-surface edits record `user/<id>`.
//! - Metadata: every change bumps `revision` and sets `updatedAt`/`updatedBy`; teams carry
//!   `teamMembersMetadata.addedAt` per member. An idempotent call that changes nothing (adding
//!   a member twice) leaves metadata alone. Distribution update and rule modify always bump.
//! - Pagination: 0-based `page`, default 50, at most 100 (clamped and echoed), `pageSize` 0 is a
//!   400; `{results,total,page,pageSize}`; lists are in id order, which is creation order.
//!   GET lists and user-find-by-ids read the query; team-list and distribution-list the body.
//! - Errors: malformed JSON, wrong types, unknown enum values, missing required fields, empty
//!   `userIds`, weights above 10000 and empty condition groups are `400 text/plain`
//!   `Invalid value for: body` (bad query parameters: `Invalid value for: query parameter X`).
//!   Everything else is JSON `{errorCode, errorMessage, arguments}`: 404 `NotFound` naming the
//!   id (`arguments.teamId`, ...), 409 `RevisionConflict` (stale rule revision), 409 `TeamInUse`
//!   (team delete while a distribution draws from it), 409 `AlreadyExists` (invite of a known
//!   email, rule create with a taken `ruleId`), 422 `NotEnoughSeats`, `UserNotInWorkspace`
//!   (team members must be workspace members), `UserNotInTeam` (weights, caps, calibration),
//!   `DuplicateUser`, `TeamNotInWorkspace`, `WorkspaceMismatch`, `NameRequired`. A refused call
//!   changes nothing.
//! - Semantics: workspace and team membership add/remove are idempotent and need known ids;
//!   workspace removal leaves team memberships; team create is not idempotent; distribution
//!   update replaces the whole config; distribution delete is permanent; license updates
//!   replace each listed user's set, all or nothing, failing when a license type would need
//!   more seats than the org has; rules start at revision 1, modify and delete need the
//!   current revision, delete is soft (gone from list and get). user-invite (`{email, name?,
//!   workspaceIds?}`) creates a user without licenses and answers the `User`.
//! - Meeting types, reminders and scheduling links (official extracts): meeting-type-create
//!   fills the product defaults (invite title = name, empty invite description, `Active`,
//!   location `AskTheGuest` with `others: []`, no buffers, shared with the workspace) and seeds a
//!   NEW reminder "Email 1 hour before" in the workspace, attached and in the answer's
//!   `reminders`; an `idempotencyKey` (a UUID) seen before answers the meeting type it made
//!   when the payload is the same (no second object, no second reminder) and is 409
//!   `IdempotencyKeyReused` otherwise. Updates are patches. Durations, buffers and offsets must
//!   be `N unit` (`30 minutes`), a location must carry `others` and a host where its kind takes
//!   one, reminder writes refuse `MeetingBooked` and a missing offset (all `400 text/plain`).
//!   Reminder update and delete need `?workspaceId=` (400 without it, 404 for another
//!   workspace); deleting a reminder detaches it. Attach and detach are idempotent and need a
//!   reminder of the meeting type's workspace (422 `ReminderNotInWorkspace`). Link slugs match
//!   `[-0-9a-z_]+` (400) and are unique per workspace across every kind (409
//!   `SlugAlreadyExists`); unknown link ids (or ids of another kind) are 404
//!   `SchedulingLinkNotFound`. *Assumptions* (no official file states them): a link create in
//!   a personal workspace is 422 `PersonalWorkspaceNotAllowed`; a meeting type or distribution
//!   of another workspace is 422 `MeetingTypeNotInWorkspace` / `DistributionNotInWorkspace`;
//!   deleting a meeting type a link offers is 409 `MeetingTypeInUse`, a distribution a link
//!   routes to 409 `DistributionInUse`; `bookingUrl` is
//!   `https://<tenant subdomain>.chilipiper.com/book/<slug>`; a group update's member lists
//!   replace both lists; a round-robin link's assignments read back `required: true` with the
//!   distribution team's members; the seeded reminder's title and body are the emulator's own.
//! - Responses of operations without a published one: `{}` for workspace membership, license
//!   updates, distribution delete and rule delete; `{distributionId}` for distribution update;
//!   the `User` for invite; the settings for settings update; the rule for rule get and modify;
//!   the deleted team for team delete (published); `{"status":"ok"}` for health.
//!
//! Not modelled: personal meeting types and links, the validation of an ownership link's
//! routing (kept as given), the effect on meeting types and group links of deleting a team or
//! removing a workspace member, assignments (distribution `state` is derived from weights and
//! team membership, with zero counters), workspace creation, user deletion, managed workspaces and
//! teams, Salesforce/HubSpot links, distribution-adjust, and any cascade from team membership
//! into distribution weights (a removed member keeps their weight and shows as `Removed`).
//!
//! # Seed format (`examples/demo-org.json`)
//!
//! ```json
//! {
//!   "tenant": {"type": "Organization", "tenantData": {"tenantId": "acme-corp.app3",
//!              "cluster": "app3", "subdomain": "acme-corp"}, "domains": ["acme.example"]},
//!   "seats": {"distro": 30, "chiliCalOrg": 30, "concierge": 20, ...},
//!   "tokens": [{"id": "demo-admin", "secret": "...", "permissions": ["team.read", ...]}],
//!   "users": [{"name": "Ava Thompson", "email": "ava.thompson@acme.example",
//!              "superAdmin": true, "licenses": ["distro", "chiliCalOrg"]}],
//!   "workspaces": [{
//!     "name": "Sales", "emoji": null, "members": ["ava.thompson@acme.example", ...],
//!     "settings": {...WorkspaceDistributionSettings, optional...},
//!     "teams": [{"name": "inbound-sdr", "members": ["liam.patel@acme.example", ...]}],
//!     "distributions": [{"name": "Inbound Demo Requests", "team": "inbound-sdr",
//!       "assignment": {"type": "Meeting", "handling": {...}, "limits": {"type": "MeetingLimitSet",
//!                      "userCaps": {"<email>": 8}, "resetPeriodicity": {...}}},
//!       "weights": {"<email>": 100}, "calibration": {"<email>": 0},
//!       "capping": {"userCaps": {"<email>": 20}, "resetPeriodicity": {"type": "Weekly", ...}}}],
//!     "rules": [{"name": "Account owner", "kind": "ownership", "team": "enterprise-ae",
//!                "conditions": {"type": "ConditionGroup", ...the API's condition tree...}}],
//!     "reminders": [{"name": "Day before", "channel": "Email",
//!                    "trigger": {"kind": "BeforeMeeting", "offset": "1 day"}, "body": "..."}],
//!     "meetingTypes": [{"name": "Demo", "duration": "30 minutes", "reminders": ["Day before"],
//!                       "sharedWith": {"type": "Teams", "teams": ["inbound-sdr"]}, ...}],
//!     "schedulingLinks": [{"kind": "round-robin", "name": "Book a demo", "slug": "demo",
//!                          "meetingTypes": ["Demo"], "distributions": ["Inbound Demo Requests"]}]
//!   }]
//! }
//! ```
//!
//! A user may name a workspace of the seed as `"personalWorkspace"`. Group links take `host`,
//! `required` and `optional` emails; ownership links `ownership` (the API's JSON) and
//! `distributions`. Seeded meeting types get no reminder by themselves.
//!
//! Users are referred to by email and teams by name (a `teamId` inside an `OwnershipCondition`
//! names a team too); unknown fields are refused. Loading gives ids that are UUID-shaped and
//! deterministic (`75736572-0000-4000-8000-000000000001` is the first user: the first group
//! spells the kind, `user`, `wksp`, `team`, `dist`, `rule`, `mtyp`, `rmnd`, `link`, the last is a counter); every
//! seeded object is created at the clock's start by the first super admin, revision 1. A
//! token permission `*` grants everything. `Seed::generated(GeneratedOrg)` builds large orgs.
//!
//! # Control surface (no auth; the server only listens on 127.0.0.1)
//!
//! | route | what |
//! |---|---|
//! | `GET /_emulator/state` | the whole `OrgState` as JSON |
//! | `PUT /_emulator/state` | replace it with an `OrgState` |
//! | `POST /_emulator/reset` | back to the seed's org; clears the journal; faults stay |
//! | `POST /_emulator/save` | write the state file now (when one is configured) |
//! | `GET /_emulator/journal` | every API request: seq, method, path, query, operation, status, operationStatus, fault, body (never headers) |
//! | `DELETE /_emulator/journal` | clear it |
//! | `GET /_emulator/faults`, `PUT /_emulator/faults` | read or replace the `FaultConfig` (restarts its generator) |
//! | `ANY /_emulator/ui/{userId}/api/fire-edge/...` | any API operation as that UI user: no token, every permission, no faults, not journaled, recorded `user/<userId>` |
//! | `PUT /_emulator/ui/{userId}/distributions/{distributionId}/weights` | body `[{userId, weight}]`: set those weights, keep the others |
//!
//! In-process, `Running::control()` gives the same through [`Control`] and [`UiSession`].
//!
//! # Faults
//!
//! [`FaultConfig`]: a `seed` for a SplitMix64 generator; `latencyMs` plus `0..=jitterMs`;
//! `errorRate` (500/502/503 without running the operation), `rateLimitRate` (429 with
//! `Retry-After: retryAfterSeconds`), `dropRate` (connection closed without a response, not
//! run), `ambiguousRate` (writes only: the operation runs and its change stays, then the answer
//! is a 502 or the connection closes); `operations` limits all of it to some operation ids;
//! `script` forces the outcomes of the next affected requests. Each API request draws the same
//! number of random values, so the same seed and request sequence give the same faults.
//! Faults never touch `/_emulator/`.
//!
//! # Clock
//!
//! [`ClockMode::Deterministic`] (the default) starts at [`DETERMINISTIC_START`] and advances
//! [`DETERMINISTIC_STEP_SECONDS`] per change; `sandbox serve` uses [`ClockMode::System`].

mod auth;
mod booking_seed;
mod clock;
mod control;
mod error;
mod extract;
mod faults;
mod journal;
mod pagination;
mod persist;
mod routes;
mod seed;
mod server;
mod state;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::edge::ops;

pub use auth::{grants, operation_for};
pub use clock::{ClockMode, DETERMINISTIC_START, DETERMINISTIC_STEP_SECONDS};
pub use control::{Control, UiSession};
pub use error::ApiError;
pub use faults::{Fault, FaultConfig};
pub use journal::{JOURNAL_CAPACITY, JournalEntry};
pub use pagination::{DEFAULT_PAGE_SIZE, GET_LIST_MAX_PAGE_SIZE, MAX_PAGE_SIZE};
pub use persist::{load_state, save_state};
pub use seed::{
    DEMO_ADMIN_TOKEN, DEMO_ORG_JSON, DEMO_READONLY_TOKEN, GeneratedOrg, Seed, SeedAssignment,
    SeedCapping, SeedDistribution, SeedLink, SeedMeetingLimit, SeedMeetingType, SeedReminder,
    SeedRule, SeedRuleKind, SeedSharedWith, SeedTeam, SeedToken, SeedUser, SeedWorkspace,
    all_permissions, default_workspace_settings, demo_seed, demo_tokens, read_permissions,
};
pub use state::{
    Actor, Deletion, IdKind, IdempotentCreate, OrgState, SeedError, StoredLink, StoredMeetingType,
    StoredRule,
};

/// Where `--sandbox` keeps the emulator's state between runs (relative to the working
/// directory; `.scoville/` is git-ignored). `scoville sandbox reset` deletes it.
pub const SANDBOX_STATE_FILE: &str = ".scoville/sandbox-state.json";

/// Why the emulator cannot start, load or save.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error("the seed is not a valid org: {0}")]
    Seed(#[from] SeedError),
    #[error("cannot read the seed file {path}: check the path", path = path.display())]
    ReadSeed {
        path: PathBuf,
        #[source]
        source: crate::fsio::OpenError,
    },
    #[error("the seed file {path} is not a seed: fix it (see examples/demo-org.json)", path = path.display())]
    ParseSeed {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("cannot listen on 127.0.0.1:{port}: pick another port or 0 for any free one")]
    Bind {
        port: u16,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the state file {path}: check the path", path = path.display())]
    ReadState {
        path: PathBuf,
        #[source]
        source: crate::fsio::OpenError,
    },
    #[error("the state file {path} is not emulator state: delete it (`scoville sandbox reset`) to start over", path = path.display())]
    ParseState {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("cannot write the state file {path}: check the directory is writable", path = path.display())]
    WriteState {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the emulator's server failed: restart it")]
    Serve(#[source] std::io::Error),
}

impl Seed {
    /// Reads a seed file.
    pub fn load(path: &std::path::Path) -> Result<Seed, EmulatorError> {
        let text = crate::fsio::read_text_checked(
            path,
            crate::fsio::Within::Anywhere,
            crate::fsio::MAX_DOCUMENT_BYTES,
        )
        .map_err(|source| EmulatorError::ReadSeed {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| EmulatorError::ParseSeed {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// How to start the emulator.
#[derive(Debug, Clone)]
pub struct Options {
    /// The org to start with (and to return to on reset).
    pub seed: Seed,
    pub faults: FaultConfig,
    pub clock: ClockMode,
    /// Loaded at start when it exists (instead of the seed), saved at shutdown.
    pub state_file: Option<PathBuf>,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
}

impl Options {
    /// No faults, the deterministic clock, no state file, any free port.
    pub fn new(seed: Seed) -> Options {
        Options {
            seed,
            faults: FaultConfig::default(),
            clock: ClockMode::Deterministic,
            state_file: None,
            port: 0,
        }
    }
}

/// A running emulator. Dropping it stops the server without saving; `shutdown` saves.
#[derive(Debug)]
pub struct Running {
    address: SocketAddr,
    control: Control,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

/// Starts the emulator on 127.0.0.1 (`options.port`, 0 for any free one).
pub async fn start(options: Options) -> Result<Running, EmulatorError> {
    let seed_state = state::OrgState::from_seed(&options.seed, options.clock)?;
    let org = match &options.state_file {
        Some(path) if path.exists() => {
            let mut loaded = persist::load_state(path)?;
            loaded.clock = options.clock;
            loaded
        }
        _ => seed_state.clone(),
    };
    let listener = TcpListener::bind(("127.0.0.1", options.port))
        .await
        .map_err(|source| EmulatorError::Bind {
            port: options.port,
            source,
        })?;
    let address = listener
        .local_addr()
        .map_err(|source| EmulatorError::Bind {
            port: options.port,
            source,
        })?;
    let shared = Arc::new(server::Shared::new(
        options.seed,
        seed_state,
        org,
        options.clock,
        options.faults,
        options.state_file,
    ));
    let app = server::app(shared.clone());
    let (stop, stopped) = oneshot::channel::<()>();
    let serve = axum::serve(
        server::DroppableListener { inner: listener },
        app.into_make_service_with_connect_info::<server::Connection>(),
    )
    .with_graceful_shutdown(async move {
        let _ = stopped.await;
    });
    let task = tokio::spawn(async move { serve.await });
    Ok(Running {
        address,
        control: Control { shared },
        stop: Some(stop),
        task: Some(task),
    })
}

impl Running {
    /// The API's base URL, `http://127.0.0.1:<port>/api/fire-edge`.
    pub fn base_url(&self) -> String {
        format!("http://{}{}", self.address, ops::PATH_PREFIX)
    }

    /// The server's root, `http://127.0.0.1:<port>` (the control surface is under `/_emulator/`).
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The in-process control handle.
    pub fn control(&self) -> Control {
        self.control.clone()
    }

    /// Stops the server (open connections finish their requests) and saves the state to the
    /// state file, if one is configured.
    pub async fn shutdown(mut self) -> Result<(), EmulatorError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            match task.await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => return Err(EmulatorError::Serve(error)),
                Err(join_error) => {
                    return Err(EmulatorError::Serve(std::io::Error::other(join_error)));
                }
            }
        }
        self.control.save()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
