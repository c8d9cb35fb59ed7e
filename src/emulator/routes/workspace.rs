//! workspace-list, workspace-list-users, workspace-add/remove-users, remove-from-all.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::edge::wire::{UserIdsRequest, WorkspaceUsersRequest};

use super::super::auth::Caller;
use super::super::error::ApiError;
use super::super::extract::{JsonBody, Params};
use super::super::pagination::{GET_LIST_CAPS, PageRequest, PageSource};
use super::super::server::Shared;
use super::{empty_object, no_body};

fn page_of(params: &Params) -> Result<PageRequest, ApiError> {
    PageRequest::capped(
        params.u64("page")?,
        params.u64("pageSize")?,
        PageSource::Query,
        GET_LIST_CAPS,
    )
}

pub(super) async fn list(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let page = page_of(&params)?;
    Ok(Json(shared.read().list_workspaces(page)).into_response())
}

pub(super) async fn list_users(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let page = page_of(&params)?;
    let workspace_id = params.get("workspaceId");
    let org = shared.read();
    let users = org.list_workspace_users(workspace_id, page)?;
    Ok(Json(org.overlaid_page(users, |user| format!("user/{}", user.id))).into_response())
}

pub(super) async fn add_users(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    JsonBody(request): JsonBody<WorkspaceUsersRequest>,
) -> Result<Response, ApiError> {
    shared
        .write()
        .workspace_add_users(&caller.actor, &request)?;
    Ok(no_body())
}

pub(super) async fn remove_users(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    JsonBody(request): JsonBody<WorkspaceUsersRequest>,
) -> Result<Response, ApiError> {
    shared
        .write()
        .workspace_remove_users(&caller.actor, &request)?;
    Ok(no_body())
}

pub(super) async fn remove_users_from_all(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    JsonBody(request): JsonBody<UserIdsRequest>,
) -> Result<Response, ApiError> {
    shared
        .write()
        .workspace_remove_users_from_all(&caller.actor, &request)?;
    Ok(empty_object())
}
