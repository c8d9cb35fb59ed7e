//! user-find, user-find-by-ids, user-invite, user-update-licenses.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::edge::wire::{InviteUserRequest, UpdateLicensesRequest};

use super::super::auth::Caller;
use super::super::error::ApiError;
use super::super::extract::{JsonBody, Params};
use super::super::pagination::{GET_LIST_CAPS, PageRequest, PageSource};
use super::super::server::Shared;
use super::no_body;

pub(super) async fn find(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let query = params.required("query")?;
    let page = PageRequest::capped(
        params.u64("page")?,
        params.u64("pageSize")?,
        PageSource::Query,
        GET_LIST_CAPS,
    )?;
    let org = shared.read();
    let users = org.find_users(query, page);
    Ok(Json(org.overlaid_page(users, |user| format!("user/{}", user.id))).into_response())
}

/// The body is a bare JSON array of ids and is optional (no body means no ids); paging is in
/// the query.
pub(super) async fn find_by_ids(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    params: Params,
    body: Bytes,
) -> Result<Response, ApiError> {
    let page = PageRequest::capped(
        params.u64("page")?,
        params.u64("pageSize")?,
        PageSource::Query,
        GET_LIST_CAPS,
    )?;
    let ids: Vec<String> = if body.iter().all(u8::is_ascii_whitespace) {
        Vec::new()
    } else {
        serde_json::from_slice(&body).map_err(|_| ApiError::InvalidBody)?
    };
    let org = shared.read();
    let users = org.find_users_by_ids(&ids, page);
    Ok(Json(org.overlaid_page(users, |user| format!("user/{}", user.id))).into_response())
}

pub(super) async fn invite(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    JsonBody(request): JsonBody<InviteUserRequest>,
) -> Result<Response, ApiError> {
    let user = shared.write().invite_user(&caller.actor, &request)?;
    Ok(Json(user).into_response())
}

pub(super) async fn update_licenses(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    JsonBody(request): JsonBody<UpdateLicensesRequest>,
) -> Result<Response, ApiError> {
    shared.write().update_licenses(&caller.actor, &request)?;
    Ok(no_body())
}
