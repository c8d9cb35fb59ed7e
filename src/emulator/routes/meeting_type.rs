//! meeting-type-list, -get, -create, -update, -delete, -attach/detach-reminder, and the
//! meeting-type-reminder list, create, update and delete.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::edge::wire::{MeetingTypeCreate, MeetingTypeUpdate, ReminderCreate, ReminderUpdate};

use super::super::auth::Caller;
use super::super::error::ApiError;
use super::super::extract::{JsonBody, Params, PathParams};
use super::super::server::Shared;
use super::no_body;

/// The served JSON of a meeting type, with its overlay.
fn meeting_type_json(
    org: &super::super::state::OrgState,
    meeting_type: &crate::edge::wire::MeetingType,
) -> serde_json::Value {
    org.overlaid(&format!("meetingType/{}", meeting_type.id), meeting_type)
}

/// A bare JSON array (the list is not paginated); each item's `reminders` is null (left out).
pub(super) async fn list(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let org = shared.read();
    let items: Vec<serde_json::Value> = org
        .list_meeting_types(params.get("workspaceId"))
        .into_iter()
        .map(|stored| meeting_type_json(&org, &org.meeting_type_view(stored, false)))
        .collect();
    Ok(Json(items).into_response())
}

pub(super) async fn get(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    path: PathParams,
) -> Result<Response, ApiError> {
    let org = shared.read();
    let meeting_type = org.get_meeting_type(path.get("meetingTypeId"))?;
    Ok(Json(meeting_type_json(&org, &meeting_type)).into_response())
}

pub(super) async fn create(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    JsonBody(request): JsonBody<MeetingTypeCreate>,
) -> Result<Response, ApiError> {
    let mut org = shared.write();
    let meeting_type = org.create_meeting_type(&caller.actor, &request)?;
    Ok(Json(meeting_type_json(&org, &meeting_type)).into_response())
}

pub(super) async fn update(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    path: PathParams,
    JsonBody(patch): JsonBody<MeetingTypeUpdate>,
) -> Result<Response, ApiError> {
    let mut org = shared.write();
    let meeting_type = org.update_meeting_type(&caller.actor, path.get("meetingTypeId"), &patch)?;
    Ok(Json(meeting_type_json(&org, &meeting_type)).into_response())
}

/// `200` with no body (the official answer has no content).
pub(super) async fn delete(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    path: PathParams,
) -> Result<Response, ApiError> {
    shared
        .write()
        .delete_meeting_type(&caller.actor, path.get("meetingTypeId"))?;
    Ok(no_body())
}

pub(super) async fn attach_reminder(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    path: PathParams,
) -> Result<Response, ApiError> {
    let mut org = shared.write();
    let meeting_type = org.attach_reminder(
        &caller.actor,
        path.get("meetingTypeId"),
        path.get("reminderId"),
    )?;
    Ok(Json(meeting_type_json(&org, &meeting_type)).into_response())
}

pub(super) async fn detach_reminder(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    path: PathParams,
) -> Result<Response, ApiError> {
    let mut org = shared.write();
    let meeting_type = org.detach_reminder(
        &caller.actor,
        path.get("meetingTypeId"),
        path.get("reminderId"),
    )?;
    Ok(Json(meeting_type_json(&org, &meeting_type)).into_response())
}

/// A bare JSON array (not paginated).
pub(super) async fn reminder_list(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let org = shared.read();
    let items: Vec<serde_json::Value> = org
        .list_reminders(params.get("workspaceId"))
        .into_iter()
        .map(|reminder| org.overlaid(&format!("reminder/{}", reminder.id), reminder))
        .collect();
    Ok(Json(items).into_response())
}

pub(super) async fn reminder_create(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    JsonBody(request): JsonBody<ReminderCreate>,
) -> Result<Response, ApiError> {
    let reminder = shared.write().create_reminder(&caller.actor, &request)?;
    Ok(Json(reminder).into_response())
}

/// `workspaceId` is a required query parameter.
pub(super) async fn reminder_update(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    path: PathParams,
    params: Params,
    JsonBody(patch): JsonBody<ReminderUpdate>,
) -> Result<Response, ApiError> {
    let workspace_id = params.required("workspaceId")?;
    let reminder = shared.write().update_reminder(
        &caller.actor,
        path.get("reminderId"),
        workspace_id,
        &patch,
    )?;
    Ok(Json(reminder).into_response())
}

/// `workspaceId` is a required query parameter; `200` with no body.
pub(super) async fn reminder_delete(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    path: PathParams,
    params: Params,
) -> Result<Response, ApiError> {
    let workspace_id = params.required("workspaceId")?;
    shared
        .write()
        .delete_reminder(&caller.actor, path.get("reminderId"), workspace_id)?;
    Ok(no_body())
}
