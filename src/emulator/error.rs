//! The errors the emulated API answers with, and how each becomes an HTTP response.
//!
//! Body and query problems are `400 text/plain` like the real API (`Invalid value for: body`);
//! everything else is JSON `{errorCode, errorMessage, arguments}` with the status chosen here:
//! 401 for tokens, 403 for permissions (the body names the permission and the operation), 404 for unknown ids, 409 for conflicts with the current state
//! (stale rule revision, team still used by a distribution, email already taken), 422 for
//! business rules (seats, membership, names).

use std::collections::BTreeMap;
use std::fmt;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::edge::wire::ErrorBody;

/// A refusal by the emulated API.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// `400 text/plain`, `Invalid value for: body`: malformed JSON, wrong types, unknown enum
    /// values, values outside the schema (empty `userIds`, weight above 10000).
    InvalidBody,
    /// `400 text/plain`, `Invalid value for: query parameter <name>`.
    InvalidQuery { parameter: String },
    /// `400 text/plain` with the API's own words, e.g. `OwnershipConditionMissingReference`.
    PlainRefusal { text: String },
    /// Any JSON error.
    Json { status: u16, body: ErrorBody },
}

impl ApiError {
    fn json(status: u16, code: &str, message: String, arguments: &[(&str, &str)]) -> ApiError {
        ApiError::Json {
            status,
            body: ErrorBody {
                error_code: code.to_string(),
                error_message: message,
                arguments: arguments
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<BTreeMap<_, _>>(),
            },
        }
    }

    /// 400: an `OwnershipCondition` without its `ownership` reference, which the API refuses.
    pub fn ownership_condition_missing_reference() -> ApiError {
        ApiError::PlainRefusal {
            text: "OwnershipConditionMissingReference".to_string(),
        }
    }

    pub fn invalid_query(parameter: &str) -> ApiError {
        ApiError::InvalidQuery {
            parameter: parameter.to_string(),
        }
    }

    /// 401: no `Authorization: Bearer <token>` header, or a token the org does not know.
    pub fn unauthorized() -> ApiError {
        ApiError::json(
            401,
            "Unauthorized",
            "missing or unknown API token: send `Authorization: Bearer <token>` with a token of this org".to_string(),
            &[],
        )
    }

    /// 403: the token is valid but lacks the operation's permission; the body names both
    /// (the API names what it wanted in the answer, not in a header).
    pub fn missing_permission(operation: &str, permission: &str) -> ApiError {
        ApiError::json(
            403,
            "MissingPermission",
            format!(
                "the API token lacks the `{permission}` permission that `{operation}` needs: issue a token that has it"
            ),
            &[("permission", permission), ("operation", operation)],
        )
    }

    /// 404: `kind` names the object (`team`), `field` the argument that carried the id (`teamId`).
    pub fn not_found(kind: &str, field: &str, id: &str) -> ApiError {
        ApiError::json(
            404,
            "NotFound",
            format!("{kind} `{id}` not found: list the {kind}s to find a current id"),
            &[(field, id)],
        )
    }

    /// 409: a rule write named a revision that is no longer current.
    pub fn revision_conflict(rule_id: &str, current: i64, given: i64) -> ApiError {
        ApiError::json(
            409,
            "RevisionConflict",
            format!(
                "rule `{rule_id}` is at revision {current}, not {given}: fetch the rule again and retry with its current revision"
            ),
            &[
                ("ruleId", rule_id),
                ("currentRevision", &current.to_string()),
                ("givenRevision", &given.to_string()),
            ],
        )
    }

    /// 409: a team cannot be deleted while a distribution draws from it.
    pub fn team_in_use(team_id: &str, distribution_id: &str) -> ApiError {
        ApiError::json(
            409,
            "TeamInUse",
            format!(
                "team `{team_id}` is used by distribution `{distribution_id}`: move or delete the distribution first"
            ),
            &[("teamId", team_id), ("distributionId", distribution_id)],
        )
    }

    /// 409: an object with this id or email exists already.
    pub fn already_exists(kind: &str, field: &str, value: &str) -> ApiError {
        ApiError::json(
            409,
            "AlreadyExists",
            format!("a {kind} with {field} `{value}` exists already: use the existing one"),
            &[(field, value)],
        )
    }

    /// 422: the update would need more seats of a license type than the org has.
    pub fn not_enough_seats(license: &str, seats: u32, required: usize) -> ApiError {
        ApiError::json(
            422,
            "NotEnoughSeats",
            format!(
                "the org has {seats} `{license}` seats but the update needs {required}: free seats or buy more"
            ),
            &[
                ("license", license),
                ("seats", &seats.to_string()),
                ("required", &required.to_string()),
            ],
        )
    }

    /// 422: a team member must be a member of the team's workspace.
    pub fn user_not_in_workspace(user_id: &str, workspace_id: &str) -> ApiError {
        ApiError::json(
            422,
            "UserNotInWorkspace",
            format!(
                "user `{user_id}` is not a member of workspace `{workspace_id}`: add them to the workspace first"
            ),
            &[("userId", user_id), ("workspaceId", workspace_id)],
        )
    }

    /// 422: weights, caps and calibrations may only name members of the distribution's team.
    pub fn user_not_in_team(user_id: &str, team_id: &str) -> ApiError {
        ApiError::json(
            422,
            "UserNotInTeam",
            format!(
                "user `{user_id}` is not a member of team `{team_id}`: add them to the team first"
            ),
            &[("userId", user_id), ("teamId", team_id)],
        )
    }

    /// 422: the same user appears twice in one list.
    pub fn duplicate_user(user_id: &str, field: &str) -> ApiError {
        ApiError::json(
            422,
            "DuplicateUser",
            format!("user `{user_id}` appears more than once in `{field}`: list each user once"),
            &[("userId", user_id), ("field", field)],
        )
    }

    /// 422: the team belongs to another workspace than the object being written.
    pub fn team_not_in_workspace(team_id: &str, workspace_id: &str) -> ApiError {
        ApiError::json(
            422,
            "TeamNotInWorkspace",
            format!(
                "team `{team_id}` is not in workspace `{workspace_id}`: use a team of the same workspace"
            ),
            &[("teamId", team_id), ("workspaceId", workspace_id)],
        )
    }

    /// 422: an object cannot move to another workspace.
    pub fn workspace_mismatch(kind: &str, id: &str, workspace_id: &str) -> ApiError {
        ApiError::json(
            422,
            "WorkspaceMismatch",
            format!(
                "{kind} `{id}` belongs to workspace `{workspace_id}`: it cannot move to another workspace"
            ),
            &[("id", id), ("workspaceId", workspace_id)],
        )
    }

    /// 422: a name must not be blank.
    pub fn name_required(kind: &str) -> ApiError {
        ApiError::json(
            422,
            "NameRequired",
            format!("a {kind} needs a non-empty `name`"),
            &[("field", "name")],
        )
    }

    /// 422: rule-modify cannot change a rule's kind (standard, ownership, assignment table).
    pub fn rule_kind_change(rule_id: &str) -> ApiError {
        ApiError::json(
            422,
            "RuleKindChange",
            format!(
                "rule `{rule_id}` is of another kind than the `dto` sent: delete it and create a new one"
            ),
            &[("ruleId", rule_id)],
        )
    }

    /// 404 `SchedulingLinkNotFound`: no link of this kind has the id (the official skill notes
    /// name the typed error).
    pub fn link_not_found(link_id: &str) -> ApiError {
        ApiError::json(
            404,
            "SchedulingLinkNotFound",
            format!("scheduling link `{link_id}` not found: list the links to find a current id"),
            &[("linkId", link_id)],
        )
    }

    /// 409: an object cannot be deleted while another uses it (`MeetingTypeInUse`: a link
    /// offers the meeting type; `DistributionInUse`: a link routes to the distribution).
    pub fn in_use(code: &str, kind: &str, id: &str, used_by: &str) -> ApiError {
        ApiError::json(
            409,
            code,
            format!(
                "{kind} `{id}` is used by scheduling link `{used_by}`: change or delete the link first"
            ),
            &[("id", id), ("linkId", used_by)],
        )
    }

    /// 409: a scheduling link's slug is taken in its workspace (by a link of any kind).
    pub fn slug_taken(slug: &str, workspace_id: &str) -> ApiError {
        ApiError::json(
            409,
            "SlugAlreadyExists",
            format!(
                "the slug `{slug}` is taken in workspace `{workspace_id}`: choose another slug"
            ),
            &[("slug", slug), ("workspaceId", workspace_id)],
        )
    }

    /// 409: an idempotency key sent again with another payload.
    pub fn idempotency_key_reused(key: &str) -> ApiError {
        ApiError::json(
            409,
            "IdempotencyKeyReused",
            format!(
                "the idempotency key `{key}` was used for another payload: send a new key for a new meeting type"
            ),
            &[("idempotencyKey", key)],
        )
    }

    /// 422: scheduling links cannot be created in a personal workspace.
    pub fn personal_workspace(workspace_id: &str) -> ApiError {
        ApiError::json(
            422,
            "PersonalWorkspaceNotAllowed",
            format!(
                "workspace `{workspace_id}` is a personal workspace: create admin scheduling links in a team workspace"
            ),
            &[("workspaceId", workspace_id)],
        )
    }

    /// 422: a referenced object belongs to another workspace (`MeetingTypeNotInWorkspace`,
    /// `DistributionNotInWorkspace`, `ReminderNotInWorkspace`).
    pub fn not_in_workspace(code: &str, kind: &str, id: &str, workspace_id: &str) -> ApiError {
        ApiError::json(
            422,
            code,
            format!(
                "{kind} `{id}` is not in workspace `{workspace_id}`: use one of the same workspace"
            ),
            &[("id", id), ("workspaceId", workspace_id)],
        )
    }

    /// 501: an operation of the table that the emulator does not serve.
    pub fn not_implemented(operation: &str) -> ApiError {
        ApiError::json(
            501,
            "NotImplemented",
            format!(
                "the emulator does not serve operation `{operation}`: add it to src/emulator/routes"
            ),
            &[("operation", operation)],
        )
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::InvalidBody
            | ApiError::InvalidQuery { .. }
            | ApiError::PlainRefusal { .. } => 400,
            ApiError::Json { status, .. } => *status,
        }
    }

    /// The `errorCode` of a JSON error.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Json { body, .. } => Some(&body.error_code),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::InvalidBody => f.write_str("Invalid value for: body"),
            ApiError::InvalidQuery { parameter } => {
                write!(f, "Invalid value for: query parameter {parameter}")
            }
            ApiError::PlainRefusal { text } => f.write_str(text),
            ApiError::Json { status, body } => {
                write!(f, "{status} {}: {}", body.error_code, body.error_message)
            }
        }
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::InvalidBody
            | ApiError::InvalidQuery { .. }
            | ApiError::PlainRefusal { .. } => {
                let mut response = (StatusCode::BAD_REQUEST, self.to_string()).into_response();
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                );
                response
            }
            ApiError::Json { status, body } => {
                let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
                (status, axum::Json(body)).into_response()
            }
        }
    }
}
