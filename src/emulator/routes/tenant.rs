//! tenant-get and health.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::super::auth::Caller;
use super::super::server::Shared;

pub(super) async fn get(State(shared): State<Arc<Shared>>, _caller: Caller) -> Response {
    Json(shared.read().tenant().clone()).into_response()
}

pub(super) async fn health(_caller: Caller) -> Response {
    Json(serde_json::json!({"status": "ok"})).into_response()
}
