//! team-list, team-create, team-add/remove-users, team-delete.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::edge::wire::{CreateTeamRequest, TeamListRequest, TeamUsersRequest};

use super::super::auth::Caller;
use super::super::error::ApiError;
use super::super::extract::{JsonBody, PathParams};
use super::super::pagination::{PageRequest, PageSource};
use super::super::server::Shared;
use super::super::state::TeamFilter;

pub(super) async fn list(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    JsonBody(request): JsonBody<TeamListRequest>,
) -> Result<Response, ApiError> {
    // `minItems: 1` on both filter lists.
    if request.workspace_ids.as_ref().is_some_and(Vec::is_empty)
        || request.member.as_ref().is_some_and(Vec::is_empty)
    {
        return Err(ApiError::InvalidBody);
    }
    let page = PageRequest::new(request.page, request.page_size, PageSource::Body)?;
    let filter = TeamFilter {
        workspace_ids: request.workspace_ids,
        name: request.name,
        member: request.member,
    };
    let org = shared.read();
    let teams = org.list_teams(&filter, page);
    Ok(Json(org.overlaid_page(teams, |team| format!("team/{}", team.id))).into_response())
}

pub(super) async fn create(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    JsonBody(request): JsonBody<CreateTeamRequest>,
) -> Result<Response, ApiError> {
    let team = shared.write().create_team(&caller.actor, &request)?;
    Ok(Json(team).into_response())
}

pub(super) async fn add_users(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    JsonBody(request): JsonBody<TeamUsersRequest>,
) -> Result<Response, ApiError> {
    let team = shared.write().team_add_users(&caller.actor, &request)?;
    Ok(Json(team).into_response())
}

pub(super) async fn remove_users(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    JsonBody(request): JsonBody<TeamUsersRequest>,
) -> Result<Response, ApiError> {
    let team = shared.write().team_remove_users(&caller.actor, &request)?;
    Ok(Json(team).into_response())
}

pub(super) async fn delete(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    path: PathParams,
) -> Result<Response, ApiError> {
    let team = shared
        .write()
        .delete_team(&caller.actor, path.get("teamId"))?;
    Ok(Json(team).into_response())
}
