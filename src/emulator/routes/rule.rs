//! rule-list, rule-create, rule-get, rule-modify, rule-delete.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::edge::wire::{RuleCreateRequest, RuleModifyRequest};

use super::super::auth::Caller;
use super::super::error::ApiError;
use super::super::extract::{JsonBody, Params, PathParams};
use super::super::pagination::{PageRequest, PageSource};
use super::super::server::Shared;
use super::empty_object;

pub(super) async fn list(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let page = PageRequest::new(
        params.u64("page")?,
        params.u64("pageSize")?,
        PageSource::Query,
    )?;
    let org = shared.read();
    let rules = org.list_rules(params.get("workspaceId"), params.get("name"), page);
    let rules = org.overlaid_page(rules, |rule| format!("rule/{}", rule.body().id));
    Ok(Json(rules).into_response())
}

pub(super) async fn create(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    JsonBody(request): JsonBody<RuleCreateRequest>,
) -> Result<Response, ApiError> {
    let rule = shared.write().create_rule(&caller.actor, &request)?;
    Ok(Json(rule).into_response())
}

pub(super) async fn get(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    path: PathParams,
) -> Result<Response, ApiError> {
    let org = shared.read();
    let rule = org.get_rule(path.get("ruleId"))?;
    Ok(Json(org.overlaid(&format!("rule/{}", rule.body().id), &rule)).into_response())
}

/// `PUT /v1/org/rule` with `{ruleId, revision, dto}` (the shape scoville assumes).
pub(super) async fn modify(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    JsonBody(request): JsonBody<RuleModifyRequest>,
) -> Result<Response, ApiError> {
    let rule = shared.write().modify_rule(&caller.actor, &request)?;
    Ok(Json(rule).into_response())
}

/// `DELETE /v1/org/rule?ruleId=&revision=` (the query scoville assumes).
pub(super) async fn delete(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let rule_id = params.required("ruleId")?.to_string();
    let revision = params
        .i64("revision")?
        .ok_or_else(|| ApiError::invalid_query("revision"))?;
    shared
        .write()
        .delete_rule(&caller.actor, &rule_id, revision)?;
    Ok(empty_object())
}
