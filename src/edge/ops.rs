//! Every Edge API operation scoville speaks: method, path, permission and provenance, in one table.
//!
//! This is the only place that spells the API's paths. The emulator mounts its routes from the
//! same constants and the client builds its URLs from them, so correcting an assumed path here
//! corrects both. Paths use `{name}` placeholders, which is also axum's route syntax.

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// How sure we are of an operation's path and body (against Chili Piper's official Edge API
/// extracts, edgeVersion 1.494.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provenance {
    /// In the vendor's published OpenAPI descriptions or help articles.
    Published,
    /// Seen in a third-party integration's code or captured responses.
    Observed,
    /// No public source gives it; correct it here when the real one is known.
    Assumed,
}

/// One operation of the Edge API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Op {
    /// Stable operation id, scoville's own name for it (e.g. `team-create`).
    pub id: &'static str,
    pub method: Method,
    /// Path relative to the base URL, with `{name}` placeholders.
    pub path: &'static str,
    /// The permission a token needs (`X-Chili-Required-Permissions`).
    pub permission: &'static str,
    pub provenance: Provenance,
    /// Whether repeating the call has the same effect as making it once.
    pub idempotent: bool,
}

impl Op {
    /// The path with each `{name}` placeholder replaced, in order, by the given values.
    pub fn path_with(&self, values: &[&str]) -> String {
        let mut out = String::with_capacity(self.path.len() + 40);
        let mut rest = self.path;
        let mut values = values.iter();
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let end = rest[start..]
                .find('}')
                .map_or(rest.len(), |e| start + e + 1);
            out.push_str(values.next().copied().unwrap_or_default());
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }
}

/// The production base URL. Every path below is relative to it.
pub const DEFAULT_BASE_URL: &str = "https://fire.chilipiper.com/api/fire-edge";

/// The path prefix every operation lives under, on the emulator as on production.
pub const PATH_PREFIX: &str = "/api/fire-edge";

const fn op(
    id: &'static str,
    method: Method,
    path: &'static str,
    permission: &'static str,
    provenance: Provenance,
    idempotent: bool,
) -> Op {
    Op {
        id,
        method,
        path,
        permission,
        provenance,
        idempotent,
    }
}

use Method::{Delete, Get, Post, Put};
use Provenance::{Assumed, Observed, Published};

pub const TENANT_GET: Op = op(
    "tenant-get",
    Get,
    "/v1/org/tenant/get",
    "tenant.read",
    Published,
    true,
);
pub const HEALTH: Op = op(
    "health",
    Get,
    "/v1/org/health/ping",
    "tenant.read",
    Observed,
    true,
);
pub const WORKSPACE_LIST: Op = op(
    "workspace-list",
    Get,
    "/v1/org/workspace",
    "workspace.read",
    Published,
    true,
);
pub const WORKSPACE_LIST_USERS: Op = op(
    "workspace-list-users",
    Get,
    "/v1/org/workspace/users",
    "workspace.read",
    Published,
    true,
);
pub const WORKSPACE_ADD_USERS: Op = op(
    "workspace-add-users",
    Post,
    "/v1/org/workspace/users/add",
    "workspace.modify",
    Published,
    true,
);
pub const WORKSPACE_REMOVE_USERS: Op = op(
    "workspace-remove-users",
    Post,
    "/v1/org/workspace/users/remove",
    "workspace.modify",
    Published,
    true,
);
/// Path observed, body `{userIds}` assumed.
pub const WORKSPACE_REMOVE_USERS_ALL: Op = op(
    "workspace-remove-users-all",
    Post,
    "/v1/org/workspace/users/remove-from-all",
    "workspace.modify",
    Assumed,
    true,
);
pub const TEAM_LIST: Op = op(
    "team-list",
    Put,
    "/v2/org/team",
    "team.read",
    Published,
    true,
);
pub const TEAM_CREATE: Op = op(
    "team-create",
    Post,
    "/v2/org/team/create",
    "team.create",
    Published,
    false,
);
pub const TEAM_ADD_USERS: Op = op(
    "team-add-users",
    Post,
    "/v1/org/team/users/add",
    "team.modify",
    Published,
    true,
);
pub const TEAM_REMOVE_USERS: Op = op(
    "team-remove-users",
    Post,
    "/v1/org/team/users/remove",
    "team.modify",
    Published,
    true,
);
pub const TEAM_DELETE: Op = op(
    "team-delete",
    Delete,
    "/v2/org/team/{teamId}",
    "team.remove",
    Published,
    false,
);
pub const USER_FIND: Op = op(
    "user-find",
    Get,
    "/v1/org/user/find",
    "user.read",
    Published,
    true,
);
pub const USER_FIND_BY_IDS: Op = op(
    "user-find-by-ids",
    Post,
    "/v1/org/user/find-by-id",
    "user.read",
    Published,
    true,
);
/// Path observed, body `{email,name?,workspaceIds?}` and response `User` assumed.
pub const USER_INVITE: Op = op(
    "user-invite",
    Post,
    "/v1/org/user/invite",
    "user.modify",
    Assumed,
    false,
);
/// Body assumed: `{"update": {"<userId>": {six booleans}}}`, replacing each listed user's set.
pub const USER_UPDATE_LICENSES: Op = op(
    "user-update-licenses",
    Post,
    "/v1/org/user/licenses",
    "licenses.modify",
    Assumed,
    true,
);
pub const DISTRIBUTION_LIST: Op = op(
    "distribution-list",
    Put,
    "/v2/org/distribution/list",
    "distribution.read",
    Published,
    true,
);
pub const DISTRIBUTION_CREATE: Op = op(
    "distribution-create",
    Post,
    "/v1/org/distribution",
    "distribution.modify",
    Published,
    false,
);
/// Path observed ("updates only"); body assumed to be the create body. Replaces the whole config.
pub const DISTRIBUTION_UPDATE: Op = op(
    "distribution-update",
    Post,
    "/v1/org/distribution/{distributionId}",
    "distribution.modify",
    Observed,
    true,
);
pub const DISTRIBUTION_DELETE: Op = op(
    "distribution-delete",
    Delete,
    "/v1/org/distribution/{distributionId}",
    "distribution.modify",
    Assumed,
    false,
);
pub const DISTRIBUTION_SETTINGS_GET: Op = op(
    "distribution-settings-get",
    Get,
    "/v1/org/distribution/workspace-settings",
    "distribution.read",
    Published,
    true,
);
pub const DISTRIBUTION_SETTINGS_UPDATE: Op = op(
    "distribution-settings-update",
    Put,
    "/v1/org/distribution/workspace-settings",
    "distribution.modify",
    Assumed,
    true,
);
pub const RULE_LIST: Op = op(
    "rule-list",
    Get,
    "/v1/org/rule/list",
    "rule.read",
    Published,
    true,
);
pub const RULE_CREATE: Op = op(
    "rule-create",
    Post,
    "/v1/org/rule",
    "rule.create",
    Published,
    false,
);
pub const RULE_GET: Op = op(
    "rule-get",
    Get,
    "/v1/org/rule/{ruleId}",
    "rule.read",
    Assumed,
    true,
);
/// Path and body `{name,conditions,revision,teamId?}` assumed; a stale revision is a conflict.
pub const RULE_MODIFY: Op = op(
    "rule-modify",
    Put,
    "/v1/org/rule/{ruleId}",
    "rule.modify",
    Assumed,
    false,
);
/// Path assumed, `?revision=` query; soft delete.
pub const RULE_DELETE: Op = op(
    "rule-delete",
    Delete,
    "/v1/org/rule/{ruleId}",
    "rule.remove",
    Assumed,
    false,
);

/// Every operation scoville uses, grouped by the object it acts on.
pub const ALL: &[Op] = &[
    TENANT_GET,
    HEALTH,
    WORKSPACE_LIST,
    WORKSPACE_LIST_USERS,
    WORKSPACE_ADD_USERS,
    WORKSPACE_REMOVE_USERS,
    WORKSPACE_REMOVE_USERS_ALL,
    TEAM_LIST,
    TEAM_CREATE,
    TEAM_ADD_USERS,
    TEAM_REMOVE_USERS,
    TEAM_DELETE,
    USER_FIND,
    USER_FIND_BY_IDS,
    USER_INVITE,
    USER_UPDATE_LICENSES,
    DISTRIBUTION_LIST,
    DISTRIBUTION_CREATE,
    DISTRIBUTION_UPDATE,
    DISTRIBUTION_DELETE,
    DISTRIBUTION_SETTINGS_GET,
    DISTRIBUTION_SETTINGS_UPDATE,
    RULE_LIST,
    RULE_CREATE,
    RULE_GET,
    RULE_MODIFY,
    RULE_DELETE,
];

/// Page size the client asks for; the server may clamp it and echoes what it used.
pub const REQUESTED_PAGE_SIZE: u64 = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_with_fills_placeholders_in_order() {
        assert_eq!(TEAM_DELETE.path_with(&["t-1"]), "/v2/org/team/t-1");
        assert_eq!(TEAM_LIST.path_with(&[]), "/v2/org/team");
    }

    #[test]
    fn operation_ids_are_unique() {
        let mut ids: Vec<_> = ALL.iter().map(|op| op.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len());
    }
}
