//! The control surface: state dump/replace/reset, the journal, faults, and out-of-band edits
//! as a person in the Chili Piper UI, over HTTP under `/_emulator/` and in-process (`Control`).

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};

use crate::edge::wire::{
    Condition, CreateOwnershipRuleFields, CreateRuleDto, CreateRuleFields, CreateTeamRequest,
    Distribution, DistributionWriteRequest, Rule, RuleModifyRequest, Team, TeamUsersRequest,
    UpdateLicensesRequest, UserWeight, WorkspaceSettings, WorkspaceSettingsUpdate,
    WorkspaceUsersRequest,
};

use super::EmulatorError;
use super::auth::UiActor;
use super::error::ApiError;
use super::extract::{JsonBody, PathParams};
use super::faults::{FaultConfig, FaultEngine};
use super::journal::JournalEntry;
use super::persist;
use super::routes;
use super::server::Shared;
use super::state::{Actor, OrgState};

/// Where the UI-user routes live; `{actorUserId}` is the person making the edit.
const UI_PREFIX: &str = "/_emulator/ui/{actorUserId}";

pub(crate) fn routes() -> Router<Arc<Shared>> {
    let ui = Router::new()
        .nest(UI_PREFIX, routes::api_routes())
        .route(
            &format!("{UI_PREFIX}/distributions/{{distributionId}}/weights"),
            put(ui_set_weights),
        )
        .layer(middleware::from_fn(ui_actor));
    Router::new()
        .route("/_emulator/state", get(get_state).put(put_state))
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/save", post(save))
        .route("/_emulator/journal", get(get_journal).delete(clear_journal))
        .route("/_emulator/faults", get(get_faults).put(put_faults))
        .merge(ui)
}

/// Marks requests under `/_emulator/ui/{actorUserId}/` as made by that user.
async fn ui_actor(mut request: Request, next: Next) -> Response {
    let user_id = request
        .uri()
        .path()
        .strip_prefix("/_emulator/ui/")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
        .to_string();
    request.extensions_mut().insert(UiActor(user_id));
    next.run(request).await
}

/// The UI user must exist, like a person who can log in.
fn ui_user(shared: &Shared, request_user: &UiActor) -> Result<Actor, ApiError> {
    if shared.read().users.contains_key(&request_user.0) {
        Ok(Actor::User(request_user.0.clone()))
    } else {
        Err(ApiError::not_found("user", "actorUserId", &request_user.0))
    }
}

async fn get_state(State(shared): State<Arc<Shared>>) -> Response {
    axum::Json(shared.read().clone()).into_response()
}

async fn put_state(
    State(shared): State<Arc<Shared>>,
    JsonBody(mut state): JsonBody<OrgState>,
) -> Response {
    state.clock = shared.clock;
    *shared.write() = state;
    routes::empty_object()
}

async fn reset(State(shared): State<Arc<Shared>>) -> Response {
    Control { shared }.reset();
    routes::empty_object()
}

async fn save(State(shared): State<Arc<Shared>>) -> Response {
    match (Control { shared }).save() {
        Ok(()) => routes::empty_object(),
        Err(error) => (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(
                serde_json::json!({"errorCode": "SaveFailed", "errorMessage": error.to_string()}),
            ),
        )
            .into_response(),
    }
}

async fn get_journal(State(shared): State<Arc<Shared>>) -> Response {
    axum::Json(shared.journal().entries()).into_response()
}

async fn clear_journal(State(shared): State<Arc<Shared>>) -> Response {
    shared.journal().clear();
    routes::empty_object()
}

async fn get_faults(State(shared): State<Arc<Shared>>) -> Response {
    axum::Json(shared.fault_engine().config().clone()).into_response()
}

async fn put_faults(
    State(shared): State<Arc<Shared>>,
    JsonBody(config): JsonBody<FaultConfig>,
) -> Result<Response, ApiError> {
    config
        .check()
        .map_err(|text| ApiError::PlainRefusal { text })?;
    *shared.fault_engine() = FaultEngine::new(config);
    Ok(routes::empty_object())
}

async fn ui_set_weights(
    State(shared): State<Arc<Shared>>,
    axum::Extension(actor): axum::Extension<UiActor>,
    path: PathParams,
    JsonBody(weights): JsonBody<Vec<UserWeight>>,
) -> Result<Response, ApiError> {
    let actor = ui_user(&shared, &actor)?;
    let distribution =
        shared
            .write()
            .set_distribution_weights(&actor, path.get("distributionId"), &weights)?;
    Ok(axum::Json(distribution).into_response())
}

/// The in-process handle on a running emulator.
#[derive(Clone)]
pub struct Control {
    pub(crate) shared: Arc<Shared>,
}

impl std::fmt::Debug for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control").finish_non_exhaustive()
    }
}

impl Control {
    /// A copy of the whole state (what `GET /_emulator/state` answers).
    pub fn state(&self) -> OrgState {
        self.shared.read().clone()
    }

    /// Replaces the whole state, e.g. with a scenario's live org.
    pub fn replace_state(&self, mut state: OrgState) {
        state.clock = self.shared.clock;
        *self.shared.write() = state;
    }

    /// Runs a closure on the state directly: for tests that need an edit no operation makes.
    pub fn edit<R>(&self, edit: impl FnOnce(&mut OrgState) -> R) -> R {
        edit(&mut self.shared.write())
    }

    /// Back to the seed's org, with an empty journal (faults stay as they are).
    pub fn reset(&self) {
        let mut state = self.shared.seed_state.clone();
        state.clock = self.shared.clock;
        *self.shared.write() = state;
        self.shared.journal().clear();
    }

    /// Saves the state to the state file now, if one is configured.
    pub fn save(&self) -> Result<(), EmulatorError> {
        persist::save_shared(&self.shared)
    }

    /// Every journaled API request, oldest first.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.shared.journal().entries()
    }

    pub fn clear_journal(&self) {
        self.shared.journal().clear();
    }

    /// Replaces the fault configuration and restarts its generator from its seed.
    pub fn set_faults(&self, config: FaultConfig) {
        *self.shared.fault_engine() = FaultEngine::new(config);
    }

    pub fn faults(&self) -> FaultConfig {
        self.shared.fault_engine().config().clone()
    }

    /// The seed the emulator started from.
    pub fn seed(&self) -> &super::Seed {
        &self.shared.seed
    }

    /// Edits as the person with this user id in the UI (`updatedBy: user/<id>`).
    pub fn as_user(&self, user_id: &str) -> Result<UiSession, ApiError> {
        let actor = ui_user(&self.shared, &UiActor(user_id.to_string()))?;
        Ok(UiSession {
            shared: self.shared.clone(),
            actor,
        })
    }

    /// The id of the user with this email (case-insensitive), for tests that think in emails.
    pub fn user_id(&self, email: &str) -> Option<String> {
        self.shared
            .read()
            .users
            .values()
            .find(|u| u.email.eq_ignore_ascii_case(email))
            .map(|u| u.id.clone())
    }
}

/// Out-of-band edits by one UI user. Each runs the same rules as the API, without faults,
/// journal or token.
#[derive(Clone)]
pub struct UiSession {
    shared: Arc<Shared>,
    actor: Actor,
}

impl std::fmt::Debug for UiSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UiSession")
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}

fn ids(user_ids: &[&str]) -> Vec<String> {
    user_ids.iter().map(|id| id.to_string()).collect()
}

impl UiSession {
    pub fn workspace_add_users(
        &self,
        workspace_id: &str,
        user_ids: &[&str],
    ) -> Result<(), ApiError> {
        self.shared.write().workspace_add_users(
            &self.actor,
            &WorkspaceUsersRequest {
                workspace_id: workspace_id.to_string(),
                user_ids: ids(user_ids),
            },
        )
    }

    pub fn workspace_remove_users(
        &self,
        workspace_id: &str,
        user_ids: &[&str],
    ) -> Result<(), ApiError> {
        self.shared.write().workspace_remove_users(
            &self.actor,
            &WorkspaceUsersRequest {
                workspace_id: workspace_id.to_string(),
                user_ids: ids(user_ids),
            },
        )
    }

    pub fn create_team(
        &self,
        workspace_id: &str,
        name: &str,
        members: &[&str],
    ) -> Result<Team, ApiError> {
        self.shared.write().create_team(
            &self.actor,
            &CreateTeamRequest {
                workspace_id: workspace_id.to_string(),
                name: name.to_string(),
                members: Some(ids(members)),
            },
        )
    }

    pub fn team_add_users(&self, team_id: &str, user_ids: &[&str]) -> Result<Team, ApiError> {
        self.shared.write().team_add_users(
            &self.actor,
            &TeamUsersRequest {
                team_id: team_id.to_string(),
                user_ids: ids(user_ids),
            },
        )
    }

    pub fn team_remove_users(&self, team_id: &str, user_ids: &[&str]) -> Result<Team, ApiError> {
        self.shared.write().team_remove_users(
            &self.actor,
            &TeamUsersRequest {
                team_id: team_id.to_string(),
                user_ids: ids(user_ids),
            },
        )
    }

    pub fn delete_team(&self, team_id: &str) -> Result<Team, ApiError> {
        self.shared.write().delete_team(&self.actor, team_id)
    }

    /// Sets these users' weights and keeps the others.
    pub fn set_distribution_weights(
        &self,
        distribution_id: &str,
        weights: &[(&str, u32)],
    ) -> Result<Distribution, ApiError> {
        let weights: Vec<UserWeight> = weights
            .iter()
            .map(|(user_id, weight)| UserWeight {
                user_id: user_id.to_string(),
                weight: *weight,
            })
            .collect();
        self.shared
            .write()
            .set_distribution_weights(&self.actor, distribution_id, &weights)
    }

    /// distribution-create as a person in the UI; the new distribution's id.
    pub fn create_distribution(
        &self,
        request: &DistributionWriteRequest,
    ) -> Result<String, ApiError> {
        self.shared
            .write()
            .create_distribution(&self.actor, request)
            .map(|created| created.distribution_id)
    }

    pub fn update_distribution(
        &self,
        distribution_id: &str,
        request: &DistributionWriteRequest,
    ) -> Result<(), ApiError> {
        self.shared
            .write()
            .update_distribution(&self.actor, distribution_id, request)
            .map(|_| ())
    }

    pub fn delete_distribution(&self, distribution_id: &str) -> Result<(), ApiError> {
        self.shared
            .write()
            .delete_distribution(&self.actor, distribution_id)
    }

    /// Renames a rule and replaces its conditions at its current revision (a person saving
    /// the rule in the UI does not see revisions).
    pub fn modify_rule(
        &self,
        rule_id: &str,
        name: &str,
        conditions: Condition,
    ) -> Result<Rule, ApiError> {
        let mut org = self.shared.write();
        let current = org.get_rule(rule_id)?;
        let body = current.body();
        let dto = match (&current, &body.team_id) {
            (Rule::OwnershipRule(_), Some(team_id)) => {
                CreateRuleDto::CreateOwnershipRuleRequest(CreateOwnershipRuleFields {
                    rule_id: None,
                    workspace_id: body.workspace_id.clone(),
                    team_id: team_id.clone(),
                    name: name.to_string(),
                    conditions,
                })
            }
            _ => CreateRuleDto::CreateRuleRequest(CreateRuleFields {
                rule_id: None,
                workspace_id: body.workspace_id.clone(),
                name: name.to_string(),
                conditions,
            }),
        };
        let request = RuleModifyRequest {
            rule_id: rule_id.to_string(),
            revision: body.metadata.revision,
            dto,
        };
        org.modify_rule(&self.actor, &request)
    }

    pub fn delete_rule(&self, rule_id: &str) -> Result<(), ApiError> {
        let mut org = self.shared.write();
        let revision = org.get_rule(rule_id)?.body().metadata.revision;
        org.delete_rule(&self.actor, rule_id, revision)
    }

    pub fn update_licenses(&self, request: &UpdateLicensesRequest) -> Result<(), ApiError> {
        self.shared.write().update_licenses(&self.actor, request)
    }

    pub fn update_workspace_settings(
        &self,
        workspace_id: &str,
        settings: WorkspaceSettings,
    ) -> Result<WorkspaceSettings, ApiError> {
        // A person in the UI may also set the tie-break order, which the API only reads.
        let mut org = self.shared.write();
        let update = WorkspaceSettingsUpdate::from_settings(&settings);
        org.update_workspace_settings(&self.actor, workspace_id, update)?;
        org.workspace_settings
            .insert(workspace_id.to_string(), settings.clone());
        Ok(settings)
    }
}
