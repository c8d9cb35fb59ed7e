//! `scheduling-link-list-*`, `-create-*`, `-update-*` and `-delete-*` of the four admin kinds.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};

use crate::edge::wire::{
    AdminLinkCreate, GroupLinkCreate, LinksRequest, OwnershipLinkCreate, RoundRobinLinkCreate,
};
use crate::model::LinkKind;

use super::super::auth::Caller;
use super::super::error::ApiError;
use super::super::extract::{JsonBody, PathParams};
use super::super::server::Shared;
use super::super::state::{LinkCreate, LinkPatch, OrgState, WithSharing};
use super::no_body;

fn link_json(org: &OrgState, view: serde_json::Value) -> serde_json::Value {
    let key = format!(
        "link/{}",
        view.get("linkId")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    );
    match org.overlays.get(&key) {
        Some(_) => org.overlaid(&key, &view),
        None => view,
    }
}

/// `{links: [...]}`, not paginated.
async fn list(
    shared: Arc<Shared>,
    kind: LinkKind,
    request: LinksRequest,
) -> Result<Response, ApiError> {
    let org = shared.read();
    let links: Vec<serde_json::Value> = org
        .list_links(kind, &request)?
        .into_iter()
        .map(|link| link_json(&org, org.link_view(link)))
        .collect();
    Ok(Json(serde_json::json!({ "links": links })).into_response())
}

async fn create(
    shared: Arc<Shared>,
    caller: Caller,
    create: LinkCreate,
) -> Result<Response, ApiError> {
    let mut org = shared.write();
    let view = org.create_link(&caller.actor, create)?;
    Ok(Json(link_json(&org, view)).into_response())
}

/// The handler of one link operation (`list`, `create`, `update` or `delete`) for a kind.
pub(super) fn handler(
    kind: LinkKind,
    action: &str,
    filter: MethodFilter,
) -> MethodRouter<Arc<Shared>> {
    match action {
        "list" => on(
            filter,
            move |State(shared): State<Arc<Shared>>,
                  _caller: Caller,
                  JsonBody(request): JsonBody<LinksRequest>| async move {
                list(shared, kind, request).await
            },
        ),
        "create" => match kind {
            LinkKind::RoundRobin => on(
                filter,
                |State(shared): State<Arc<Shared>>,
                 caller: Caller,
                 JsonBody(body): JsonBody<WithSharing<RoundRobinLinkCreate>>| async move {
                    create(shared, caller, LinkCreate::RoundRobin(body)).await
                },
            ),
            LinkKind::Group => on(
                filter,
                |State(shared): State<Arc<Shared>>,
                 caller: Caller,
                 JsonBody(body): JsonBody<WithSharing<GroupLinkCreate>>| async move {
                    create(shared, caller, LinkCreate::Group(body)).await
                },
            ),
            LinkKind::AdminOneOnOne => on(
                filter,
                |State(shared): State<Arc<Shared>>,
                 caller: Caller,
                 JsonBody(body): JsonBody<WithSharing<AdminLinkCreate>>| async move {
                    create(shared, caller, LinkCreate::AdminOneOnOne(body)).await
                },
            ),
            LinkKind::Ownership => on(
                filter,
                |State(shared): State<Arc<Shared>>,
                 caller: Caller,
                 JsonBody(body): JsonBody<OwnershipLinkCreate>| async move {
                    create(shared, caller, LinkCreate::Ownership(Box::new(body))).await
                },
            ),
        },
        "update" => on(
            filter,
            move |State(shared): State<Arc<Shared>>,
                  caller: Caller,
                  path: PathParams,
                  JsonBody(patch): JsonBody<LinkPatch>| async move {
                let mut org = shared.write();
                let view = org.update_link(&caller.actor, kind, path.get("linkId"), patch)?;
                Ok::<_, ApiError>(Json(link_json(&org, view)).into_response())
            },
        ),
        _ => on(
            filter,
            move |State(shared): State<Arc<Shared>>, caller: Caller, path: PathParams| async move {
                shared
                    .write()
                    .delete_link(&caller.actor, kind, path.get("linkId"))?;
                Ok::<_, ApiError>(no_body())
            },
        ),
    }
}
