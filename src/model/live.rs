//! `Live`: the org as the Edge API reports it, translated to emails and names, keeping ids and
//! metadata for the applier, stale-plan detection and the drift report.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{
    DistributionSpec, Email, License, LiveLink, LiveMeetingType, LiveReminder, RuleSpec, Tier,
    WorkspaceSettings,
};

/// Who changed an object and when (`metadata` of the API).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    /// `user/<id>` or `apikey/<id>`.
    pub updated_by: String,
    pub revision: i64,
}

/// The live org.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Live {
    pub tenant: Option<LiveTenant>,
    /// Every user of the org, by email.
    pub users: BTreeMap<Email, LiveUser>,
    /// Workspaces by name.
    pub workspaces: BTreeMap<String, LiveWorkspace>,
    /// Objects the API sent that scoville could not read (a kind, variant, enum value or shape
    /// it does not know, or a kind it does not manage), sorted by (workspace, kind, name, id).
    /// They are never changed: the plan lists them as unmanaged and refuses manifests that ask
    /// to change one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opaque: Vec<OpaqueObject>,
    /// Objects that were read, but carry fields scoville does not know (a newer API's), sorted.
    /// They are managed as usual, except that a write that would replace the object (and so
    /// erase those fields) is refused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_fields: Vec<UnknownFields>,
    /// Why meeting types, reminders and scheduling links were not read where they were wanted
    /// but optional (`export` with a token that may not read them): the API's refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_unread: Option<String>,
}

/// Which object carries fields scoville does not know (see `Live::unknown_fields`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UnknownFieldsKind {
    /// A distribution's `published` configuration, which distribution-update-v3 replaces.
    Distribution,
    /// A rule, whose dto rule-modify replaces.
    Rule,
    /// A user's `licenses`, which user-update-licenses replaces.
    Licenses,
}

impl UnknownFieldsKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnknownFieldsKind::Distribution => "distribution",
            UnknownFieldsKind::Rule => "rule",
            UnknownFieldsKind::Licenses => "licenses of user",
        }
    }
}

/// An object read with fields scoville does not know.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnknownFields {
    /// The workspace's name; empty for a user's licenses.
    pub workspace: String,
    pub kind: UnknownFieldsKind,
    /// The object's name (a user's email for licenses).
    pub name: String,
    pub id: String,
    /// The unknown fields, as paths into the object as the API serves it
    /// (`published.capping.carryOver`, `conditions.conditions[0].weight`, `licenses.voice`).
    pub fields: Vec<String>,
}

/// What an opaque object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OpaqueKind {
    Distribution,
    Rule,
    /// A workspace's distribution settings.
    Settings,
    MeetingType,
    Reminder,
    /// A scheduling link of any kind, named by its slug.
    SchedulingLink,
}

impl OpaqueKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OpaqueKind::Distribution => "distribution",
            OpaqueKind::Rule => "rule",
            OpaqueKind::Settings => "settings",
            OpaqueKind::MeetingType => "meeting type",
            OpaqueKind::Reminder => "reminder",
            OpaqueKind::SchedulingLink => "scheduling link",
        }
    }
}

/// A live object kept unread (see `Live::opaque`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpaqueObject {
    /// The workspace's name.
    pub workspace: String,
    pub kind: OpaqueKind,
    /// The object's name (the workspace's, for settings), or `<id>` when it has none.
    pub name: String,
    pub id: String,
    /// What scoville does not know about it, e.g. "an `AssignmentTableRule`".
    pub unknown: String,
    /// Team ids the object names, so that those teams are not deleted under it.
    pub team_ids: BTreeSet<String>,
}

impl Live {
    /// The fields scoville does not know on the object of this kind and id, if it has any.
    pub fn unknown_fields_of(&self, kind: UnknownFieldsKind, id: &str) -> Option<&UnknownFields> {
        self.unknown_fields
            .iter()
            .find(|object| object.kind == kind && object.id == id)
    }

    /// The email of the user with this id, if the org has one.
    pub fn email_of(&self, user_id: &str) -> Option<&Email> {
        self.users
            .values()
            .find(|u| u.id == user_id)
            .map(|u| &u.email)
    }

    /// An index from user id to email, for bulk translation.
    pub fn emails_by_id(&self) -> BTreeMap<&str, &Email> {
        self.users
            .values()
            .map(|u| (u.id.as_str(), &u.email))
            .collect()
    }
}

/// The org's tenant, from `tenant-get`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveTenant {
    pub tenant_id: String,
    pub subdomain: String,
}

/// A user of the org.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveUser {
    pub id: String,
    pub email: Email,
    pub name: String,
    pub licenses: BTreeSet<License>,
    /// The license tier, sent back unchanged with any license change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
}

/// A workspace and everything in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveWorkspace {
    pub id: String,
    pub name: String,
    pub meta: Meta,
    pub members: BTreeSet<Email>,
    /// Sorted by (name, id). Names may repeat: the API does not prevent duplicate teams.
    pub teams: Vec<LiveTeam>,
    /// Sorted by (name, id).
    pub distributions: Vec<LiveDistribution>,
    /// Sorted by (name, id).
    pub rules: Vec<LiveRule>,
    /// Read only for workspaces whose settings the manifests manage.
    pub settings: Option<WorkspaceSettings>,
    /// Whether the workspace is some user's personal workspace (`personalWorkspaceId` of the
    /// user sweep): scheduling links cannot be created there.
    #[serde(default)]
    pub personal: bool,
    /// Read only for workspaces whose meeting types the manifests manage (or that a command
    /// reads whole, as export does); `None` when not read. Sorted by (name, id).
    #[serde(default)]
    pub meeting_types: Option<Vec<LiveMeetingType>>,
    /// Read with the meeting types. Sorted by (name, id).
    #[serde(default)]
    pub reminders: Option<Vec<LiveReminder>>,
    /// Read only for workspaces whose links the manifests manage (or export). Sorted by
    /// (slug, id).
    #[serde(default)]
    pub links: Option<Vec<LiveLink>>,
}

/// A team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveTeam {
    pub id: String,
    pub name: String,
    pub members: BTreeSet<Email>,
    /// When each member was added (`teamMembersMetadata.addedAt`), where the API says.
    pub added_at: BTreeMap<Email, String>,
    /// Member ids that match no user of the org.
    pub unknown_member_ids: BTreeSet<String>,
    pub meta: Meta,
}

/// A distribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveDistribution {
    pub id: String,
    pub name: String,
    pub team_id: String,
    /// `teamRef.revision`.
    pub team_revision: i64,
    /// The published configuration; `spec.team` is the team's name, or its id in angle
    /// brackets when no team of the workspace has that id.
    pub spec: DistributionSpec,
    pub meta: Meta,
}

/// A routing rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveRule {
    pub id: String,
    pub name: String,
    /// `spec.kind`'s team is the team's name, or its id in angle brackets when unknown.
    pub spec: RuleSpec,
    pub meta: Meta,
}
