//! distribution-list, -create, -update, -delete, and the workspace distribution settings.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::edge::wire::{
    DistributionListRequest, DistributionWriteRequest, WorkspaceSettingsUpdate,
};

use super::super::auth::Caller;
use super::super::error::ApiError;
use super::super::extract::{JsonBody, Params, PathParams};
use super::super::pagination::{PageRequest, PageSource};
use super::super::server::Shared;
use super::super::state::DistributionFilter;
use super::empty_object;

pub(super) async fn list(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    JsonBody(request): JsonBody<DistributionListRequest>,
) -> Result<Response, ApiError> {
    if request.workspace_ids.as_ref().is_some_and(Vec::is_empty) {
        return Err(ApiError::InvalidBody);
    }
    let page = PageRequest::new(request.page, request.page_size, PageSource::Body)?;
    let filter = DistributionFilter {
        workspace_ids: request.workspace_ids,
        name: request.name,
        assignment_type: request.assignment_type,
    };
    let org = shared.read();
    let listed = org.list_distributions(&filter, page);
    let listed = org.overlaid_page(listed, |d| format!("distribution/{}", d.id));
    Ok(Json(listed).into_response())
}

pub(super) async fn create(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    JsonBody(request): JsonBody<DistributionWriteRequest>,
) -> Result<Response, ApiError> {
    let created = shared
        .write()
        .create_distribution(&caller.actor, &request)?;
    Ok(Json(created).into_response())
}

pub(super) async fn update(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    path: PathParams,
    JsonBody(request): JsonBody<DistributionWriteRequest>,
) -> Result<Response, ApiError> {
    let updated =
        shared
            .write()
            .update_distribution(&caller.actor, path.get("distributionId"), &request)?;
    Ok(Json(updated).into_response())
}

pub(super) async fn delete(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    path: PathParams,
) -> Result<Response, ApiError> {
    shared
        .write()
        .delete_distribution(&caller.actor, path.get("distributionId"))?;
    Ok(empty_object())
}

pub(super) async fn settings_get(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let workspace_id = params.required("workspaceId")?;
    let org = shared.read();
    let settings = org.workspace_settings(workspace_id)?;
    Ok(Json(org.overlaid(&format!("settings/{workspace_id}"), &settings)).into_response())
}

pub(super) async fn settings_update(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    params: Params,
    JsonBody(settings): JsonBody<WorkspaceSettingsUpdate>,
) -> Result<Response, ApiError> {
    let workspace_id = params.required("workspaceId")?;
    let settings =
        shared
            .write()
            .update_workspace_settings(&caller.actor, workspace_id, settings)?;
    Ok(Json(settings).into_response())
}
