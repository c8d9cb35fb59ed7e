//! The API's routes: one handler per operation of `edge::ops`, mounted at `PATH_PREFIX + path`.

mod distribution;
mod link;
mod meeting_type;
mod rule;
mod team;
mod tenant;
mod user;
mod workspace;

use std::sync::Arc;

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};

use crate::edge::ops::{self, Method, Op};
use crate::model::LinkKind;

use super::error::ApiError;
use super::server::Shared;

/// Every operation of the table at `PATH_PREFIX + op.path`. Routes carry the full path (no
/// `nest`) so handlers see the URI the client sent, which the permission check reads.
pub(crate) fn api_routes() -> Router<Arc<Shared>> {
    ops::ALL.iter().fold(Router::new(), |router, op| {
        router.route(
            &format!("{}{}", ops::PATH_PREFIX, op.path),
            method_router(op),
        )
    })
}

fn filter(method: Method) -> MethodFilter {
    match method {
        Method::Get => MethodFilter::GET,
        Method::Post => MethodFilter::POST,
        Method::Put => MethodFilter::PUT,
        Method::Delete => MethodFilter::DELETE,
    }
}

/// Whether the emulator has a handler for the operation (a unit test checks every one).
#[cfg(test)]
pub(crate) fn is_served(op: &Op) -> bool {
    handler(op).is_some()
}

fn method_router(op: &'static Op) -> MethodRouter<Arc<Shared>> {
    handler(op).unwrap_or_else(|| {
        on(filter(op.method), move || async move {
            ApiError::not_implemented(op.id).into_response()
        })
    })
}

fn handler(op: &Op) -> Option<MethodRouter<Arc<Shared>>> {
    let f = filter(op.method);
    Some(match op.id {
        "tenant-get" => on(f, tenant::get),
        "health-ping" => on(f, tenant::health),
        "workspace-list" => on(f, workspace::list),
        "workspace-list-users" => on(f, workspace::list_users),
        "workspace-add-users" => on(f, workspace::add_users),
        "workspace-remove-users" => on(f, workspace::remove_users),
        "workspace-remove-users-all" => on(f, workspace::remove_users_from_all),
        "team-list-put" => on(f, team::list),
        "team-create" => on(f, team::create),
        "team-add-users" => on(f, team::add_users),
        "team-remove-users" => on(f, team::remove_users),
        "team-delete" => on(f, team::delete),
        "user-find" => on(f, user::find),
        "user-find-by-ids" => on(f, user::find_by_ids),
        "user-invite" => on(f, user::invite),
        "user-update-licenses" => on(f, user::update_licenses),
        "distribution-list-put" => on(f, distribution::list),
        "distribution-create" => on(f, distribution::create),
        "distribution-update-v3" => on(f, distribution::update),
        "distribution-delete" => on(f, distribution::delete),
        "distribution-workspace-settings-get" => on(f, distribution::settings_get),
        "distribution-workspace-settings-update" => on(f, distribution::settings_update),
        "rule-list" => on(f, rule::list),
        "rule-create" => on(f, rule::create),
        "rule-get" => on(f, rule::get),
        "rule-modify" => on(f, rule::modify),
        "rule-delete" => on(f, rule::delete),
        "meeting-type-list" => on(f, meeting_type::list),
        "meeting-type-get" => on(f, meeting_type::get),
        "meeting-type-create" => on(f, meeting_type::create),
        "meeting-type-update" => on(f, meeting_type::update),
        "meeting-type-delete" => on(f, meeting_type::delete),
        "meeting-type-attach-reminder" => on(f, meeting_type::attach_reminder),
        "meeting-type-detach-reminder" => on(f, meeting_type::detach_reminder),
        "meeting-type-reminder-list" => on(f, meeting_type::reminder_list),
        "meeting-type-reminder-create" => on(f, meeting_type::reminder_create),
        "meeting-type-reminder-update" => on(f, meeting_type::reminder_update),
        "meeting-type-reminder-delete" => on(f, meeting_type::reminder_delete),
        id => {
            // `scheduling-link-<action>-<kind>`: one generic handler per action and kind.
            let (action, kind) = id.strip_prefix("scheduling-link-")?.split_once('-')?;
            let kind = LinkKind::ALL.into_iter().find(|k| k.as_str() == kind)?;
            if !["list", "create", "update", "delete"].contains(&action) {
                return None;
            }
            link::handler(kind, action, f)
        }
    })
}

/// The `{}` that operations without a documented response answer with.
pub(crate) fn empty_object() -> Response {
    axum::Json(serde_json::json!({})).into_response()
}

/// `200` with no body: the answer the official extracts give `workspace-add-users`,
/// `workspace-remove-users` and `user-update-licenses` (a response without content).
pub(crate) fn no_body() -> Response {
    axum::http::StatusCode::OK.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_handler() {
        let missing: Vec<&str> = ops::ALL
            .iter()
            .filter(|op| !is_served(op))
            .map(|op| op.id)
            .collect();
        assert!(missing.is_empty(), "no handler for {missing:?}");
    }
}
