//! Every Edge API operation scoville speaks: method, path, permission and provenance, in one table.
//!
//! This is the only place that spells the API's paths. The emulator mounts its routes from the
//! same constants and the client builds its URLs from them. Names, methods and paths are the
//! official catalogue's (edgeVersion 1.494.0); where no official file gives a body, a query
//! placement or a permission, `Provenance::NotStated` says what scoville assumes, so the
//! assumption is corrected here, in one line, when the real shape is known. Paths use `{name}`
//! placeholders, which is also axum's route syntax.

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

/// What the official Edge API material says about an operation. Method and path always come
/// from the official operation catalogue (edgeVersion 1.494.0); a test reads it and fails when an
/// entry here differs from it, is missing from it or is deprecated in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provenance {
    /// The official extracts give the request, the answer and the permission.
    Official,
    /// Some part of the call (body, query placement, answer or permission) is given by no
    /// official file. `assumed` says what scoville sends and expects instead: the one place to
    /// correct when the real shape is known.
    NotStated { assumed: &'static str },
}

impl Provenance {
    /// Whether every part of the call is official.
    pub fn is_official(self) -> bool {
        matches!(self, Provenance::Official)
    }

    /// `official` or `not stated`, the words of the API notes.
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Official => "official",
            Provenance::NotStated { .. } => "not stated",
        }
    }
}

/// One operation of the Edge API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Op {
    /// The official operation name (`x-mcp-tool` of the catalogue, e.g. `team-create`).
    pub id: &'static str,
    pub method: Method,
    /// Path relative to the base URL, with `{name}` placeholders, exactly as the catalogue has it.
    pub path: &'static str,
    /// The permission a token needs: `X-Chili-Required-Permissions` of the official extracts,
    /// or, where no extract lists the operation, scoville's assumption (see `provenance`).
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
use Provenance::{NotStated, Official};

pub const TENANT_GET: Op = op(
    "tenant-get",
    Get,
    "/v1/org/tenant/get",
    "tenant.read",
    Official,
    true,
);
pub const HEALTH_PING: Op = op(
    "health-ping",
    Get,
    "/v1/org/health/ping",
    "tenant.read",
    NotStated {
        assumed: "no extract lists it: permission `tenant.read` assumed, the answer is not read",
    },
    true,
);
pub const WORKSPACE_LIST: Op = op(
    "workspace-list",
    Get,
    "/v1/org/workspace",
    "workspace.read",
    Official,
    true,
);
pub const WORKSPACE_LIST_USERS: Op = op(
    "workspace-list-users",
    Get,
    "/v1/org/workspace/users",
    "workspace.read",
    Official,
    true,
);
pub const WORKSPACE_ADD_USERS: Op = op(
    "workspace-add-users",
    Post,
    "/v1/org/workspace/users/add",
    "workspace.modify",
    Official,
    true,
);
pub const WORKSPACE_REMOVE_USERS: Op = op(
    "workspace-remove-users",
    Post,
    "/v1/org/workspace/users/remove",
    "workspace.modify",
    Official,
    true,
);
pub const WORKSPACE_REMOVE_USERS_ALL: Op = op(
    "workspace-remove-users-all",
    Post,
    "/v1/org/workspace/users/remove-from-all",
    "workspace.modify",
    NotStated {
        assumed: "body `{userIds}`, permission `workspace.modify`",
    },
    true,
);
pub const TEAM_LIST_PUT: Op = op(
    "team-list-put",
    Put,
    "/v2/org/team",
    "team.read",
    Official,
    true,
);
pub const TEAM_CREATE: Op = op(
    "team-create",
    Post,
    "/v2/org/team/create",
    "team.create",
    Official,
    false,
);
pub const TEAM_ADD_USERS: Op = op(
    "team-add-users",
    Post,
    "/v1/org/team/users/add",
    "team.modify",
    Official,
    true,
);
pub const TEAM_REMOVE_USERS: Op = op(
    "team-remove-users",
    Post,
    "/v1/org/team/users/remove",
    "team.modify",
    Official,
    true,
);
pub const TEAM_DELETE: Op = op(
    "team-delete",
    Delete,
    "/v2/org/team/{teamId}",
    "team.remove",
    Official,
    false,
);
pub const USER_FIND: Op = op(
    "user-find",
    Get,
    "/v1/org/user/find",
    "user.read",
    Official,
    true,
);
pub const USER_FIND_BY_IDS: Op = op(
    "user-find-by-ids",
    Post,
    "/v1/org/user/find-by-id",
    "user.read",
    Official,
    true,
);
pub const USER_INVITE: Op = op(
    "user-invite",
    Post,
    "/v1/org/user/invite",
    "user.modify",
    NotStated {
        assumed: "body `{email, name?, workspaceIds?, sendInvite?}` (the arguments of the official \
                  MCP tool), answer `User`, permission `user.modify`",
    },
    false,
);
pub const USER_UPDATE_LICENSES: Op = op(
    "user-update-licenses",
    Post,
    "/v1/org/user/licenses",
    "licenses.modify",
    NotStated {
        assumed: "the published value schema of `update` is garbled: each value is taken to be \
                  `{distro?, chiliCalOrg, concierge?, conciergeLive?, chat?, handoff, tier?}`, as \
                  the operation's description and the skill docs give it",
    },
    true,
);
pub const DISTRIBUTION_LIST_PUT: Op = op(
    "distribution-list-put",
    Put,
    "/v2/org/distribution/list",
    "distribution.read",
    Official,
    true,
);
pub const DISTRIBUTION_CREATE: Op = op(
    "distribution-create",
    Post,
    "/v1/org/distribution",
    "distribution.modify",
    Official,
    false,
);
/// Replaces the whole configuration and publishes it. (`distribution-update`, the v1 path, is
/// deprecated in the catalogue and never called.)
pub const DISTRIBUTION_UPDATE_V3: Op = op(
    "distribution-update-v3",
    Post,
    "/v3/org/distribution/{distributionId}",
    "distribution.modify",
    NotStated {
        assumed: "body: the configuration fields of distribution-create's body \
                  `{teamId, workspaceId, assignmentTypeConfig, name, weights?, \
                  manualCalibration?, capping?}`; any 2xx answer; permission \
                  `distribution.modify`",
    },
    true,
);
pub const DISTRIBUTION_DELETE: Op = op(
    "distribution-delete",
    Delete,
    "/v1/org/distribution/{distributionId}",
    "distribution.modify",
    NotStated {
        assumed: "no body, any 2xx answer, permission `distribution.modify`",
    },
    false,
);
pub const DISTRIBUTION_WORKSPACE_SETTINGS_GET: Op = op(
    "distribution-workspace-settings-get",
    Get,
    "/v1/org/distribution/workspace-settings",
    "distribution.read",
    Official,
    true,
);
pub const DISTRIBUTION_WORKSPACE_SETTINGS_UPDATE: Op = op(
    "distribution-workspace-settings-update",
    Put,
    "/v1/org/distribution/workspace-settings",
    "distribution.modify",
    NotStated {
        assumed: "`workspaceId` in the query, as distribution-workspace-settings-get has it; \
                  body the settings without the read-only `orderIfEqualState`; permission \
                  `distribution.modify`",
    },
    true,
);
pub const RULE_LIST: Op = op(
    "rule-list",
    Get,
    "/v1/org/rule/list",
    "rule.read",
    Official,
    true,
);
pub const RULE_CREATE: Op = op(
    "rule-create",
    Post,
    "/v1/org/rule",
    "rule.create",
    Official,
    false,
);
pub const RULE_GET: Op = op(
    "rule-get",
    Get,
    "/v1/org/rule/{ruleId}",
    "rule.read",
    NotStated {
        assumed: "answer `RuleView`, permission `rule.read`",
    },
    true,
);
/// A stale revision is a conflict (409).
pub const RULE_MODIFY: Op = op(
    "rule-modify",
    Put,
    "/v1/org/rule",
    "rule.modify",
    NotStated {
        assumed: "body `{ruleId, revision, dto}` (the arguments of the official MCP tool), `dto` \
                  shaped as rule-create's `CreateRuleDto`; answer `RuleView`; permission \
                  `rule.modify`",
    },
    false,
);
pub const RULE_DELETE: Op = op(
    "rule-delete",
    Delete,
    "/v1/org/rule",
    "rule.remove",
    NotStated {
        assumed: "query `?ruleId=&revision=` (the arguments of the official MCP tool), no body, \
                  any 2xx answer, permission `rule.remove`",
    },
    false,
);

// Meeting types and their reminders (official extracts:
// `gpts/meeting-type-management/openapi.yaml`). Team meeting types only: personal ones are
// excluded from every `meeting-type-*` operation.

/// Answers a bare JSON array (not paginated); `reminders` is null on every item.
pub const MEETING_TYPE_LIST: Op = op(
    "meeting-type-list",
    Get,
    "/v1/org/meeting-types/list",
    "meeting-type.read",
    Official,
    true,
);
/// One meeting type with its `reminders` populated (the list leaves them null).
pub const MEETING_TYPE_GET: Op = op(
    "meeting-type-get",
    Get,
    "/v1/org/meeting-types/{meetingTypeId}",
    "meeting-type.read",
    Official,
    true,
);
/// The one create of the API that takes an idempotency key (`idempotencyKey`, a UUID): a
/// repeat with the same key and payload answers the meeting type already created; the same key
/// with another payload is 409. scoville always sends a key, so the create may be repeated.
/// The answer comes with a reminder the server seeds by itself ("Email 1 hour before").
pub const MEETING_TYPE_CREATE: Op = op(
    "meeting-type-create",
    Post,
    "/v1/org/meeting-types",
    "meeting-type.create",
    Official,
    true,
);
/// A patch: omitted fields keep their value.
pub const MEETING_TYPE_UPDATE: Op = op(
    "meeting-type-update",
    Put,
    "/v1/org/meeting-types/{meetingTypeId}",
    "meeting-type.modify",
    Official,
    true,
);
pub const MEETING_TYPE_DELETE: Op = op(
    "meeting-type-delete",
    Delete,
    "/v1/org/meeting-types/{meetingTypeId}",
    "meeting-type.remove",
    Official,
    false,
);
pub const MEETING_TYPE_ATTACH_REMINDER: Op = op(
    "meeting-type-attach-reminder",
    Put,
    "/v1/org/meeting-types/{meetingTypeId}/reminders/{reminderId}",
    "meeting-type.modify",
    Official,
    true,
);
pub const MEETING_TYPE_DETACH_REMINDER: Op = op(
    "meeting-type-detach-reminder",
    Delete,
    "/v1/org/meeting-types/{meetingTypeId}/reminders/{reminderId}",
    "meeting-type.modify",
    Official,
    true,
);
/// Answers a bare JSON array (not paginated).
pub const MEETING_TYPE_REMINDER_LIST: Op = op(
    "meeting-type-reminder-list",
    Get,
    "/v1/org/meeting-type-reminders/list",
    "meeting-type.read",
    Official,
    true,
);
pub const MEETING_TYPE_REMINDER_CREATE: Op = op(
    "meeting-type-reminder-create",
    Post,
    "/v1/org/meeting-type-reminders",
    "meeting-type.create",
    Official,
    false,
);
/// A patch; `workspaceId` is a required query parameter beside the path's id.
pub const MEETING_TYPE_REMINDER_UPDATE: Op = op(
    "meeting-type-reminder-update",
    Put,
    "/v1/org/meeting-type-reminders/{reminderId}",
    "meeting-type.modify",
    Official,
    true,
);
/// `workspaceId` is a required query parameter beside the path's id.
pub const MEETING_TYPE_REMINDER_DELETE: Op = op(
    "meeting-type-reminder-delete",
    Delete,
    "/v1/org/meeting-type-reminders/{reminderId}",
    "meeting-type.remove",
    Official,
    false,
);

// Admin scheduling links (official extracts: `gpts/scheduling-link-management/openapi.yaml`).
// Each kind has its own list (a POST with filters, answering `{links: [...]}`, not
// paginated), create, update (a patch) and delete.

macro_rules! link_ops {
    ($list:ident, $create:ident, $update:ident, $delete:ident, $kind:literal) => {
        pub const $list: Op = op(
            concat!("scheduling-link-list-", $kind),
            Post,
            concat!("/v1/org/schedulingLinks/list-", $kind),
            "scheduling-links.read",
            Official,
            true,
        );
        pub const $create: Op = op(
            concat!("scheduling-link-create-", $kind),
            Post,
            concat!("/v1/org/schedulingLinks/", $kind),
            "scheduling-links.create",
            Official,
            false,
        );
        pub const $update: Op = op(
            concat!("scheduling-link-update-", $kind),
            Put,
            concat!("/v1/org/schedulingLinks/", $kind, "/{linkId}"),
            "scheduling-links.modify",
            Official,
            true,
        );
        pub const $delete: Op = op(
            concat!("scheduling-link-delete-", $kind),
            Delete,
            concat!("/v1/org/schedulingLinks/", $kind, "/{linkId}"),
            "scheduling-links.remove",
            Official,
            false,
        );
    };
}

link_ops!(
    SCHEDULING_LINK_LIST_ROUND_ROBIN,
    SCHEDULING_LINK_CREATE_ROUND_ROBIN,
    SCHEDULING_LINK_UPDATE_ROUND_ROBIN,
    SCHEDULING_LINK_DELETE_ROUND_ROBIN,
    "round-robin"
);
link_ops!(
    SCHEDULING_LINK_LIST_GROUP,
    SCHEDULING_LINK_CREATE_GROUP,
    SCHEDULING_LINK_UPDATE_GROUP,
    SCHEDULING_LINK_DELETE_GROUP,
    "group"
);
link_ops!(
    SCHEDULING_LINK_LIST_ADMIN_ONE_ON_ONE,
    SCHEDULING_LINK_CREATE_ADMIN_ONE_ON_ONE,
    SCHEDULING_LINK_UPDATE_ADMIN_ONE_ON_ONE,
    SCHEDULING_LINK_DELETE_ADMIN_ONE_ON_ONE,
    "admin-one-on-one"
);
link_ops!(
    SCHEDULING_LINK_LIST_OWNERSHIP,
    SCHEDULING_LINK_CREATE_OWNERSHIP,
    SCHEDULING_LINK_UPDATE_OWNERSHIP,
    SCHEDULING_LINK_DELETE_OWNERSHIP,
    "ownership"
);

/// The list, create, update and delete operations of a kind of scheduling link.
pub fn link_ops(kind: crate::model::LinkKind) -> [Op; 4] {
    use crate::model::LinkKind;
    match kind {
        LinkKind::RoundRobin => [
            SCHEDULING_LINK_LIST_ROUND_ROBIN,
            SCHEDULING_LINK_CREATE_ROUND_ROBIN,
            SCHEDULING_LINK_UPDATE_ROUND_ROBIN,
            SCHEDULING_LINK_DELETE_ROUND_ROBIN,
        ],
        LinkKind::Group => [
            SCHEDULING_LINK_LIST_GROUP,
            SCHEDULING_LINK_CREATE_GROUP,
            SCHEDULING_LINK_UPDATE_GROUP,
            SCHEDULING_LINK_DELETE_GROUP,
        ],
        LinkKind::AdminOneOnOne => [
            SCHEDULING_LINK_LIST_ADMIN_ONE_ON_ONE,
            SCHEDULING_LINK_CREATE_ADMIN_ONE_ON_ONE,
            SCHEDULING_LINK_UPDATE_ADMIN_ONE_ON_ONE,
            SCHEDULING_LINK_DELETE_ADMIN_ONE_ON_ONE,
        ],
        LinkKind::Ownership => [
            SCHEDULING_LINK_LIST_OWNERSHIP,
            SCHEDULING_LINK_CREATE_OWNERSHIP,
            SCHEDULING_LINK_UPDATE_OWNERSHIP,
            SCHEDULING_LINK_DELETE_OWNERSHIP,
        ],
    }
}

/// Every operation scoville calls or the emulator serves, in the order of the API notes.
pub const ALL: &[Op] = &[
    TENANT_GET,
    HEALTH_PING,
    WORKSPACE_LIST,
    WORKSPACE_LIST_USERS,
    WORKSPACE_ADD_USERS,
    WORKSPACE_REMOVE_USERS,
    WORKSPACE_REMOVE_USERS_ALL,
    TEAM_LIST_PUT,
    TEAM_CREATE,
    TEAM_ADD_USERS,
    TEAM_REMOVE_USERS,
    TEAM_DELETE,
    USER_FIND,
    USER_FIND_BY_IDS,
    USER_INVITE,
    USER_UPDATE_LICENSES,
    DISTRIBUTION_LIST_PUT,
    DISTRIBUTION_CREATE,
    DISTRIBUTION_UPDATE_V3,
    DISTRIBUTION_DELETE,
    DISTRIBUTION_WORKSPACE_SETTINGS_GET,
    DISTRIBUTION_WORKSPACE_SETTINGS_UPDATE,
    RULE_LIST,
    RULE_CREATE,
    RULE_GET,
    RULE_MODIFY,
    RULE_DELETE,
    MEETING_TYPE_LIST,
    MEETING_TYPE_GET,
    MEETING_TYPE_CREATE,
    MEETING_TYPE_UPDATE,
    MEETING_TYPE_DELETE,
    MEETING_TYPE_ATTACH_REMINDER,
    MEETING_TYPE_DETACH_REMINDER,
    MEETING_TYPE_REMINDER_LIST,
    MEETING_TYPE_REMINDER_CREATE,
    MEETING_TYPE_REMINDER_UPDATE,
    MEETING_TYPE_REMINDER_DELETE,
    SCHEDULING_LINK_LIST_ROUND_ROBIN,
    SCHEDULING_LINK_CREATE_ROUND_ROBIN,
    SCHEDULING_LINK_UPDATE_ROUND_ROBIN,
    SCHEDULING_LINK_DELETE_ROUND_ROBIN,
    SCHEDULING_LINK_LIST_GROUP,
    SCHEDULING_LINK_CREATE_GROUP,
    SCHEDULING_LINK_UPDATE_GROUP,
    SCHEDULING_LINK_DELETE_GROUP,
    SCHEDULING_LINK_LIST_ADMIN_ONE_ON_ONE,
    SCHEDULING_LINK_CREATE_ADMIN_ONE_ON_ONE,
    SCHEDULING_LINK_UPDATE_ADMIN_ONE_ON_ONE,
    SCHEDULING_LINK_DELETE_ADMIN_ONE_ON_ONE,
    SCHEDULING_LINK_LIST_OWNERSHIP,
    SCHEDULING_LINK_CREATE_OWNERSHIP,
    SCHEDULING_LINK_UPDATE_OWNERSHIP,
    SCHEDULING_LINK_DELETE_OWNERSHIP,
];

/// The operation with this official id.
pub fn by_id(id: &str) -> Option<&'static Op> {
    ALL.iter().find(|op| op.id == id)
}

/// Page size the client asks for; the server may clamp it and echoes what it used.
pub const REQUESTED_PAGE_SIZE: u64 = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_with_fills_placeholders_in_order() {
        assert_eq!(TEAM_DELETE.path_with(&["t-1"]), "/v2/org/team/t-1");
        assert_eq!(TEAM_LIST_PUT.path_with(&[]), "/v2/org/team");
    }

    #[test]
    fn operation_ids_are_unique() {
        let mut ids: Vec<_> = ALL.iter().map(|op| op.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len());
    }
}
