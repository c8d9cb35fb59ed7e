//! Who is calling: a bearer token of the org (checked against the operation's permission), or a
//! UI user acting through the control surface.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};

use crate::edge::ops::{self, Op};

use super::error::ApiError;
use super::server::Shared;
use super::state::Actor;

/// Set by the control surface on requests it makes as a person in the UI (`user/<id>`); such
/// requests need no token and have every permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UiActor(pub String);

/// The authenticated caller of an API operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub actor: Actor,
}

/// Whether a token's permission list grants `permission`.
pub fn grants(permissions: &[String], permission: &str) -> bool {
    permissions.iter().any(|p| p == permission || p == "*")
}

/// The operation a request is for: its method and path (under `ops::PATH_PREFIX`) against the
/// operation table, where `{name}` matches any one segment.
pub fn operation_for(method: &Method, path: &str) -> Option<&'static Op> {
    let relative = path.strip_prefix(ops::PATH_PREFIX)?;
    let segments: Vec<&str> = relative.split('/').collect();
    ops::ALL.iter().find(|op| {
        op.method.as_str() == method.as_str() && {
            let pattern: Vec<&str> = op.path.split('/').collect();
            pattern.len() == segments.len()
                && pattern.iter().zip(&segments).all(|(p, s)| {
                    if p.starts_with('{') {
                        !s.is_empty()
                    } else {
                        p == s
                    }
                })
        }
    })
}

impl FromRequestParts<Arc<Shared>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        shared: &Arc<Shared>,
    ) -> Result<Caller, ApiError> {
        if let Some(UiActor(user_id)) = parts.extensions.get::<UiActor>() {
            // A person in the UI must be a user of the org.
            if !shared.read().users.contains_key(user_id) {
                return Err(ApiError::not_found("user", "actorUserId", user_id));
            }
            return Ok(Caller {
                actor: Actor::User(user_id.clone()),
            });
        }
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(ApiError::unauthorized)?;
        let org = shared.read();
        let token = org
            .token_by_secret(secret)
            .ok_or_else(ApiError::unauthorized)?;
        if let Some(op) = operation_for(&parts.method, parts.uri.path())
            && !grants(&token.permissions, op.permission)
        {
            return Err(ApiError::missing_permission(op.id, op.permission));
        }
        Ok(Caller {
            actor: Actor::ApiKey(token.id.clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_operations_by_method_and_path() {
        let team_delete = operation_for(&Method::DELETE, "/api/fire-edge/v2/org/team/abc");
        assert_eq!(team_delete.map(|op| op.id), Some("team-delete"));
        let rule_list = operation_for(&Method::GET, "/api/fire-edge/v1/org/rule/list");
        assert_eq!(rule_list.map(|op| op.id), Some("rule-list"));
        let rule_get = operation_for(&Method::GET, "/api/fire-edge/v1/org/rule/r-1");
        assert_eq!(rule_get.map(|op| op.id), Some("rule-get"));
        assert_eq!(operation_for(&Method::GET, "/_emulator/state"), None);
    }
}
